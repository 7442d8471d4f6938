//! A straight-line abstract evaluator for the few methods the audit reads: `factoryIdentifier()`
//! and class initialisers that build `ConfigOption` constants. Branches are not followed and
//! anything not modelled becomes [`Value::Unknown`], so a result is either exact or unknown —
//! never a guess.

use std::collections::HashMap;

use crate::classfile::bytecode::{instructions, op, Instruction};
use crate::classfile::{descriptor_arity, ClassFile, Constant, Member};

/// At most this many instructions per method: option holders are long but not this long.
const MAX_STEPS: usize = 200_000;
const MAX_STACK: usize = 1_024;
const MAX_ARRAY: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Unknown,
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Class(String),
    /// A static field that could not be resolved further; an enum constant's name is `name`.
    Static {
        owner: String,
        name: String,
    },
    /// A `ConfigOption` or one of its builders.
    Option(OptionSpec),
    /// A reference to a mutable object in the frame's heap (arrays, string builders).
    Ref(usize),
    /// A formatted default such as `30 s`.
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionSpec {
    pub key: Option<String>,
    /// Flink's type name (`String`, `Integer`, `Duration`, `Enum<…>`, `List<…>`); `None` until typed.
    pub ty: Option<String>,
    /// `None`: builder not finished; `Some(None)`: no default; `Some(Some(v))`: default value.
    pub default: Option<Option<Box<Value>>>,
    pub description: Option<String>,
}

impl OptionSpec {
    pub fn is_complete(&self) -> bool {
        self.default.is_some()
    }
}

impl Value {
    /// How Flink prints the value (`toString()`), when it is known.
    pub fn display(&self) -> Option<String> {
        match self {
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.1}")
            } else {
                f.to_string()
            }),
            Value::Bool(b) => Some(b.to_string()),
            Value::Str(s) | Value::Text(s) => Some(s.clone()),
            Value::Static { name, .. } => Some(name.clone()),
            Value::Null => Some("null".into()),
            _ => None,
        }
    }
}

/// Where static fields of other classes come from (class initialisers of the jar, the Flink
/// runtime, or built-in tables).
pub trait Statics {
    fn static_field(&mut self, owner: &str, name: &str, descriptor: &str) -> Value;
}

#[derive(Debug, Clone)]
enum HeapObject {
    Array(Vec<Value>),
    Builder(Option<String>),
    Other,
}

/// What one evaluated method did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Values of every `areturn`.
    pub returned: Vec<Value>,
    /// Static fields of the evaluated class written by `putstatic`, in order.
    pub statics: HashMap<String, Value>,
}

pub fn evaluate(class: &ClassFile, method: &Member, statics: &mut dyn Statics) -> Outcome {
    let mut frame = Frame {
        class,
        stack: Vec::new(),
        locals: HashMap::new(),
        heap: Vec::new(),
        outcome: Outcome::default(),
    };
    let Ok(Some(code)) = class.code(method) else {
        return frame.outcome;
    };
    for (steps, insn) in instructions(code.bytecode).enumerate() {
        let Ok(insn) = insn else { break };
        if steps >= MAX_STEPS {
            break;
        }
        frame.step(&insn, statics);
        if frame.stack.len() > MAX_STACK {
            frame.stack.clear();
        }
    }
    frame.outcome
}

struct Frame<'c, 'a> {
    class: &'c ClassFile<'a>,
    stack: Vec<Value>,
    locals: HashMap<u16, Value>,
    heap: Vec<HeapObject>,
    outcome: Outcome,
}

impl Frame<'_, '_> {
    fn pop(&mut self) -> Value {
        self.stack.pop().unwrap_or(Value::Unknown)
    }

    fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let mut values: Vec<Value> = (0..n).map(|_| self.pop()).collect();
        values.reverse();
        values
    }

    fn load(&mut self, slot: u16) {
        let value = self.locals.get(&slot).cloned().unwrap_or(Value::Unknown);
        self.stack.push(value);
    }

    fn store(&mut self, slot: u16) {
        let value = self.pop();
        self.locals.insert(slot, value);
    }

    fn alloc(&mut self, object: HeapObject) -> Value {
        if self.heap.len() >= 4096 {
            return Value::Unknown;
        }
        self.heap.push(object);
        Value::Ref(self.heap.len() - 1)
    }

    fn string_of(&self, value: &Value) -> Option<String> {
        match value {
            Value::Ref(r) => match self.heap.get(*r) {
                Some(HeapObject::Builder(s)) => s.clone(),
                _ => None,
            },
            Value::Class(_) | Value::Option(_) | Value::Unknown => None,
            other => other.display(),
        }
    }

    fn step(&mut self, insn: &Instruction, statics: &mut dyn Statics) {
        let pool = &self.class.pool;
        match insn.opcode {
            op::ACONST_NULL => self.stack.push(Value::Null),
            op::ICONST_M1..=op::ICONST_5 => self.stack.push(Value::Int(i64::from(insn.opcode) - 3)),
            op::LCONST_0 | op::LCONST_1 => self
                .stack
                .push(Value::Int(i64::from(insn.opcode - op::LCONST_0))),
            op::FCONST_0..=op::DCONST_1 => self.stack.push(Value::Float(match insn.opcode {
                0x0b | 0x0e => 0.0,
                0x0c | 0x0f => 1.0,
                _ => 2.0,
            })),
            op::BIPUSH => self
                .stack
                .push(Value::Int(i64::from(insn.operands[0] as i8))),
            op::SIPUSH => self.stack.push(Value::Int(i64::from(i16::from_be_bytes([
                insn.operands[0],
                insn.operands[1],
            ])))),
            op::LDC | op::LDC_W | op::LDC2_W => {
                let value = match pool.constant(insn.pool_index()) {
                    Ok(Constant::Int(i)) => Value::Int(i64::from(i)),
                    Ok(Constant::Long(l)) => Value::Int(l),
                    Ok(Constant::Float(f)) => Value::Float(f64::from(f)),
                    Ok(Constant::Double(d)) => Value::Float(d),
                    Ok(Constant::Str(s)) => Value::Str(s.into_owned()),
                    Ok(Constant::Class(c)) => Value::Class(c.into_owned()),
                    _ => Value::Unknown,
                };
                self.stack.push(value);
            }
            op::ALOAD | op::ALOAD_0..=op::ALOAD_3 => self.load(insn.local_slot()),
            op::WIDE if insn.widened == Some(op::ALOAD) => self.load(insn.local_slot()),
            op::ASTORE | op::ASTORE_0..=op::ASTORE_3 => self.store(insn.local_slot()),
            op::WIDE if insn.widened == Some(op::ASTORE) => self.store(insn.local_slot()),
            op::AASTORE => {
                let value = self.pop();
                let index = self.pop();
                if let (Value::Ref(r), Value::Int(i)) = (self.pop(), index) {
                    if let Some(HeapObject::Array(items)) = self.heap.get_mut(r) {
                        if let Some(slot) = usize::try_from(i).ok().and_then(|i| items.get_mut(i)) {
                            *slot = value;
                        }
                    }
                }
            }
            op::POP => {
                self.pop();
            }
            op::DUP => {
                let v = self.stack.last().cloned().unwrap_or(Value::Unknown);
                self.stack.push(v);
            }
            op::ANEWARRAY | op::NEWARRAY => {
                let value = match self.pop() {
                    Value::Int(n) if (0..=MAX_ARRAY as i64).contains(&n) => {
                        self.alloc(HeapObject::Array(vec![Value::Unknown; n as usize]))
                    }
                    _ => Value::Unknown,
                };
                self.stack.push(value);
            }
            op::NEW => {
                let object = match pool.class_name(insn.pool_index()).as_deref() {
                    Ok("java/lang/StringBuilder") | Ok("java/lang/StringBuffer") => {
                        HeapObject::Builder(Some(String::new()))
                    }
                    _ => HeapObject::Other,
                };
                let v = self.alloc(object);
                self.stack.push(v);
            }
            op::CHECKCAST => {}
            op::ARETURN => {
                let v = self.pop();
                let v = match &v {
                    Value::Ref(_) => self.string_of(&v).map(Value::Str).unwrap_or(Value::Unknown),
                    _ => v,
                };
                self.outcome.returned.push(v);
                self.stack.clear();
            }
            op::GETSTATIC => {
                let v = match pool.member_ref(insn.pool_index()) {
                    Ok(field) if field.owner == self.class.name => self
                        .outcome
                        .statics
                        .get(field.name.as_ref())
                        .cloned()
                        .unwrap_or_else(|| own_constant(self.class, &field.name)),
                    Ok(field) => known_static(&field.owner, &field.name).unwrap_or_else(|| {
                        statics.static_field(&field.owner, &field.name, &field.descriptor)
                    }),
                    Err(_) => Value::Unknown,
                };
                self.stack.push(v);
            }
            op::PUTSTATIC => {
                let v = self.pop();
                if let Ok(field) = pool.member_ref(insn.pool_index()) {
                    if field.owner == self.class.name {
                        self.outcome.statics.insert(field.name.into_owned(), v);
                    }
                }
            }
            op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE => {
                let Ok(call) = pool.member_ref(insn.pool_index()) else {
                    self.stack.clear();
                    return;
                };
                let (argc, returns) = descriptor_arity(&call.descriptor);
                let args = self.pop_n(argc);
                let receiver = (insn.opcode != op::INVOKESTATIC).then(|| self.pop());
                let result = self.invoke(&call.owner, &call.name, &call.descriptor, receiver, args);
                if returns {
                    self.stack.push(result);
                }
            }
            op::INVOKEDYNAMIC => {
                let result = self.invoke_dynamic(insn.pool_index());
                self.stack.push(result);
            }
            op::RETURN => self.stack.clear(),
            // Anything else: its stack effect is not modelled, so forget the statement in progress.
            _ => self.stack.clear(),
        }
    }

    fn invoke(
        &mut self,
        owner: &str,
        name: &str,
        descriptor: &str,
        receiver: Option<Value>,
        args: Vec<Value>,
    ) -> Value {
        if let Some(Value::Ref(r)) = &receiver {
            if let Some(HeapObject::Builder(_)) = self.heap.get(*r) {
                return self.builder_call(*r, name, &args);
            }
        }
        let arg = args.first().cloned().unwrap_or(Value::Unknown);
        match (owner, name) {
            ("org/apache/flink/configuration/ConfigOptions", "key") => match self.string_of(&arg) {
                Some(key) => Value::Option(OptionSpec {
                    key: Some(key),
                    ..OptionSpec::default()
                }),
                None => Value::Option(OptionSpec::default()),
            },
            ("java/lang/String", "format") => self.format(&arg, args.get(1)),
            ("java/lang/String", "valueOf") => self
                .string_of(&arg)
                .map(Value::Str)
                .unwrap_or(Value::Unknown),
            (_, "toString" | "name") if args.is_empty() => receiver
                .and_then(|r| self.string_of(&r))
                .map(Value::Str)
                .unwrap_or(Value::Unknown),
            (
                "java/lang/Integer" | "java/lang/Long" | "java/lang/Short" | "java/lang/Byte",
                "valueOf",
            ) if descriptor.starts_with("(I") || descriptor.starts_with("(J") => arg,
            ("java/lang/Double" | "java/lang/Float", "valueOf")
                if !descriptor.starts_with("(Ljava") =>
            {
                arg
            }
            ("java/lang/Boolean", "valueOf") if descriptor.starts_with("(Z") => match arg {
                Value::Int(i) => Value::Bool(i != 0),
                _ => Value::Unknown,
            },
            ("java/lang/Character", "valueOf") => match arg {
                Value::Int(c) => char::from_u32(c as u32)
                    .map(|c| Value::Str(c.to_string()))
                    .unwrap_or(Value::Unknown),
                _ => Value::Unknown,
            },
            ("java/time/Duration", unit) => duration(unit, &arg),
            ("org/apache/flink/configuration/MemorySize", "parse") => self
                .string_of(&arg)
                .map(Value::Text)
                .unwrap_or(Value::Unknown),
            ("org/apache/flink/configuration/MemorySize", "ofMebiBytes") => match arg {
                Value::Int(n) => Value::Text(format!("{n} mb")),
                _ => Value::Unknown,
            },
            ("org/apache/flink/configuration/ConfigOptions$OptionBuilder", _)
            | ("org/apache/flink/configuration/ConfigOptions$TypedConfigOptionBuilder", _)
            | ("org/apache/flink/configuration/ConfigOptions$ListConfigOptionBuilder", _)
            | ("org/apache/flink/configuration/ConfigOption", _) => match receiver {
                Some(Value::Option(spec)) => self.option_call(spec, name, &args),
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        }
    }

    /// The `ConfigOptions.key(…)` builder chain.
    fn option_call(&self, mut spec: OptionSpec, method: &str, args: &[Value]) -> Value {
        let arg = args.first().cloned().unwrap_or(Value::Unknown);
        let simple_type = match method {
            "stringType" => Some("String"),
            "intType" => Some("Integer"),
            "longType" => Some("Long"),
            "booleanType" => Some("Boolean"),
            "doubleType" => Some("Double"),
            "floatType" => Some("Float"),
            "durationType" => Some("Duration"),
            "memoryType" => Some("MemorySize"),
            "mapType" => Some("Map"),
            _ => None,
        };
        if let Some(ty) = simple_type {
            spec.ty = Some(ty.to_string());
            return Value::Option(spec);
        }
        match method {
            "enumType" => {
                spec.ty = Some(match &arg {
                    Value::Class(c) => {
                        format!("Enum<{}>", c.rsplit(['/', '$']).next().unwrap_or(c))
                    }
                    _ => "Enum".to_string(),
                });
            }
            "asList" => spec.ty = Some(format!("List<{}>", spec.ty.as_deref().unwrap_or("?"))),
            "noDefaultValue" => {
                spec.ty.get_or_insert_with(|| "String".into());
                spec.default = Some(None);
            }
            "defaultValue" => {
                if spec.ty.is_none() {
                    spec.ty = Some(untyped_default_type(&arg).to_string());
                }
                spec.default = Some(Some(Box::new(self.materialize(arg))));
            }
            "defaultValues" => {
                let joined = match &arg {
                    Value::Ref(r) => match self.heap.get(*r) {
                        Some(HeapObject::Array(items)) => items
                            .iter()
                            .map(|v| v.display())
                            .collect::<Option<Vec<_>>>()
                            .map(|v| v.join(";")),
                        _ => None,
                    },
                    _ => None,
                };
                spec.default = Some(Some(Box::new(
                    joined.map(Value::Text).unwrap_or(Value::Unknown),
                )));
            }
            "withDescription" => {
                if let Some(text) = self
                    .string_of(&arg)
                    .filter(|_| matches!(arg, Value::Str(_) | Value::Ref(_)))
                {
                    spec.description = Some(text);
                }
            }
            // withDeprecatedKeys, withFallbackKeys, … keep the option as it is.
            _ => {}
        }
        Value::Option(spec)
    }

    fn materialize(&self, value: Value) -> Value {
        match &value {
            Value::Ref(_) => self
                .string_of(&value)
                .map(Value::Str)
                .unwrap_or(Value::Unknown),
            _ => value,
        }
    }

    fn builder_call(&mut self, r: usize, method: &str, args: &[Value]) -> Value {
        let appended = args.first().and_then(|a| self.string_of(a));
        let Some(HeapObject::Builder(content)) = self.heap.get_mut(r) else {
            return Value::Unknown;
        };
        match method {
            "<init>" => {
                if let Some(first) = args.first() {
                    *content = match (first, appended) {
                        (Value::Int(_), _) => Some(String::new()), // capacity
                        (_, text) => text,
                    };
                }
                Value::Unknown
            }
            "append" => {
                *content = match (content.take(), appended) {
                    (Some(mut s), Some(a)) => {
                        s.push_str(&a);
                        Some(s)
                    }
                    _ => None,
                };
                Value::Ref(r)
            }
            "toString" => content.clone().map(Value::Str).unwrap_or(Value::Unknown),
            _ => {
                *content = None;
                Value::Unknown
            }
        }
    }

    /// `String.format` with `%s`/`%d` placeholders and an `Object[]` built in this method.
    fn format(&self, pattern: &Value, args: Option<&Value>) -> Value {
        let (Some(pattern), Some(Value::Ref(r))) = (self.string_of(pattern), args) else {
            return Value::Unknown;
        };
        let Some(HeapObject::Array(items)) = self.heap.get(*r) else {
            return Value::Unknown;
        };
        let mut items = items.iter();
        let mut out = String::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('s') | Some('d') => match items.next().and_then(|v| self.string_of(v)) {
                    Some(text) => out.push_str(&text),
                    None => return Value::Unknown,
                },
                Some('%') => out.push('%'),
                Some('n') => out.push('\n'),
                _ => return Value::Unknown,
            }
        }
        Value::Str(out)
    }

    /// `invokedynamic` string concatenation (javac ≥ 9): the recipe marks arguments with \u{1}.
    fn invoke_dynamic(&mut self, index: u16) -> Value {
        let Ok((bootstrap, _name, descriptor)) = self.class.pool.invoke_dynamic(index) else {
            self.stack.clear();
            return Value::Unknown;
        };
        let (argc, _) = descriptor_arity(&descriptor);
        let args = self.pop_n(argc);
        let Ok((handle, constants)) = self.class.bootstrap_method(bootstrap) else {
            return Value::Unknown;
        };
        if handle.0.owner != "java/lang/invoke/StringConcatFactory"
            || handle.0.name != "makeConcatWithConstants"
        {
            return Value::Unknown;
        }
        let Some(Constant::Str(recipe)) = constants.first() else {
            return Value::Unknown;
        };
        let mut args = args.iter();
        let mut extra = constants.iter().skip(1);
        let mut out = String::new();
        for c in recipe.chars() {
            match c {
                '\u{1}' => match args.next().and_then(|v| self.string_of(v)) {
                    Some(text) => out.push_str(&text),
                    None => return Value::Unknown,
                },
                '\u{2}' => match extra.next() {
                    Some(Constant::Str(s)) => out.push_str(s),
                    _ => return Value::Unknown,
                },
                other => out.push(other),
            }
        }
        Value::Str(out)
    }
}

fn untyped_default_type(value: &Value) -> &'static str {
    match value {
        Value::Int(_) => "Integer",
        Value::Float(_) => "Double",
        Value::Bool(_) => "Boolean",
        Value::Str(_) => "String",
        _ => "?",
    }
}

/// Flink prints durations with the largest exact unit (`TimeUtils.formatWithHighestUnit`).
fn duration(unit: &str, amount: &Value) -> Value {
    let Value::Int(n) = amount else {
        return Value::Unknown;
    };
    let millis = match unit {
        "ofMillis" => Some(*n),
        "ofSeconds" => n.checked_mul(1_000),
        "ofMinutes" => n.checked_mul(60_000),
        "ofHours" => n.checked_mul(3_600_000),
        "ofDays" => n.checked_mul(86_400_000),
        _ => None,
    };
    let Some(millis) = millis else {
        return Value::Unknown;
    };
    let units = [
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "min"),
        (1_000, "s"),
    ];
    let text = units
        .iter()
        .find(|(size, _)| millis != 0 && millis % size == 0)
        .map(|(size, name)| format!("{} {name}", millis / size))
        .unwrap_or_else(|| format!("{millis} ms"));
    Value::Text(text)
}

fn known_static(owner: &str, name: &str) -> Option<Value> {
    match (owner, name) {
        ("java/lang/Boolean", "TRUE") => Some(Value::Bool(true)),
        ("java/lang/Boolean", "FALSE") => Some(Value::Bool(false)),
        ("java/time/Duration", "ZERO") => Some(Value::Text("0 ms".into())),
        _ => None,
    }
}

/// A static field of the evaluated class read before it was written in this method: its
/// `ConstantValue`, else unresolved.
fn own_constant(class: &ClassFile, name: &str) -> Value {
    let constant = class.field(name).and_then(|f| class.constant_value(f));
    match constant {
        Some(c) => constant_value(c),
        None => Value::Static {
            owner: class.name.to_string(),
            name: name.to_string(),
        },
    }
}

pub fn constant_value(constant: Constant) -> Value {
    match constant {
        Constant::Int(i) => Value::Int(i64::from(i)),
        Constant::Long(l) => Value::Int(l),
        Constant::Float(f) => Value::Float(f64::from(f)),
        Constant::Double(d) => Value::Float(d),
        Constant::Str(s) => Value::Str(s.into_owned()),
        Constant::Class(c) => Value::Class(c.into_owned()),
        Constant::Other => Value::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_the_largest_exact_unit() {
        let cases = [
            ("ofSeconds", 30, "30 s"),
            ("ofMinutes", 60, "1 h"),
            ("ofMillis", 1500, "1500 ms"),
            ("ofMillis", 0, "0 ms"),
        ];
        for (unit, amount, text) in cases {
            assert_eq!(
                duration(unit, &Value::Int(amount)),
                Value::Text(text.into()),
                "{unit}({amount})"
            );
        }
        assert_eq!(duration("ofNanos", &Value::Int(1)), Value::Unknown);
    }
}
