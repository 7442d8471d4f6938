//! An abstract interpreter for the few methods `inspect` reads: `factoryIdentifier()`,
//! `requiredOptions()` / `optionalOptions()`, the helpers they call, and the class initialisers
//! that build `ConfigOption` constants and option sets.
//!
//! A result is exact or unknown — never a guess. The interpreter runs the bytecode in order;
//! code that only runs on some paths (between a branch and its target, loop bodies, exception
//! handlers) is still stepped through to keep the operand stack in shape, but everything it
//! writes is poisoned: locals and static fields become unknown, and any collection it touches
//! becomes unknown with the reason. Calls it does not model give unknown values, and a
//! collection passed to one becomes unknown. Strings, arrays, collections, heap objects and
//! steps are capped, so hostile bytecode costs bounded time and memory and answers "unknown".

use std::collections::HashMap;
use std::rc::Rc;

use crate::classfile::bytecode::{instructions, op, Instruction};
use crate::classfile::{descriptor_words, ClassFile, Constant, Member};

// The limits live in crate::bounds (documented there and in docs/bounds.md).
use crate::bounds::{
    EVAL_MAX_CALL_DEPTH as MAX_DEPTH, EVAL_MAX_HEAP as MAX_HEAP, EVAL_MAX_STACK as MAX_STACK,
};
pub use crate::bounds::{
    EVAL_MAX_ELEMENTS as MAX_ELEMENTS, EVAL_MAX_STEPS as MAX_STEPS, EVAL_MAX_STRING as MAX_STRING,
    EVAL_MAX_STRING_BYTES as MAX_STRING_BYTES,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Unknown,
    /// The second stack word of a `long` or `double`.
    Top,
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(Rc<str>),
    Class(Rc<str>),
    /// A static field that could not be resolved further.
    Static {
        owner: String,
        name: String,
    },
    /// An enum constant; Flink prints it by its name.
    Enum {
        owner: String,
        name: String,
    },
    /// A `ConfigOption` or one of its builders.
    Option(Rc<OptionSpec>),
    /// A mutable object of this evaluation (array, string builder, collection, stream).
    Ref(usize),
    /// A formatted default such as `30 s`.
    Text(Rc<str>),
    /// A collection as it was when the method or class initialiser that built it finished.
    Frozen(Rc<Frozen>),
    /// `this` in the evaluated instance method: the factory object.
    This,
    /// `Collectors.toSet()`, `toList()`, …
    Collector(Kind),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionSpec {
    pub key: Option<String>,
    /// Flink's type name (`String`, `Integer`, `Duration`, `Enum<…>`, `List<…>`); `None` until typed.
    pub ty: Option<String>,
    /// `None`: builder not finished; `Some(None)`: no default; `Some(Some(v))`: default value.
    pub default: Option<Option<Box<Value>>>,
    pub description: Option<String>,
    /// The static field it was read from, `Owner.FIELD` (simple class name).
    pub field: Option<String>,
}

impl OptionSpec {
    pub fn is_complete(&self) -> bool {
        self.default.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Set,
    List,
    Stream,
    /// Guava's `ImmutableSet.Builder`.
    SetBuilder,
}

/// A finished collection: its elements in insertion order, or why they are not known.
#[derive(Debug, Clone, PartialEq)]
pub struct Frozen {
    pub items: Result<Vec<Value>, String>,
    pub kind: Kind,
    pub mutable: bool,
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
            Value::Str(s) | Value::Text(s) => Some(s.to_string()),
            Value::Enum { name, .. } => Some(name.clone()),
            Value::Null => Some("null".into()),
            _ => None,
        }
    }

    fn str(text: impl Into<Rc<str>>) -> Value {
        Value::Str(text.into())
    }
}

/// What the interpreter asks of the class path: static fields of other classes, the code of
/// called methods, and whether a static collection can change after its initialiser.
pub trait Statics {
    fn static_field(&mut self, owner: &str, name: &str, descriptor: &str) -> Value;

    /// The class file declaring the method a call resolves to (searching `class` and its
    /// ancestors), when its code can be read.
    fn method_code(
        &mut self,
        _class: &str,
        _name: &str,
        _descriptor: &str,
    ) -> Option<(String, Rc<Vec<u8>>)> {
        None
    }

    /// Steps the next evaluation may take (a class path bounds its total work).
    fn step_budget(&mut self) -> usize {
        MAX_STEPS
    }

    /// Reports the steps an evaluation took.
    fn spend(&mut self, _steps: usize) {}

    /// Why the mutable collection in static field `owner.name` may differ from what its class
    /// initialiser left there (`None`: nothing else writes or mutates it).
    fn static_mutation(&mut self, owner: &str, name: &str) -> Option<String> {
        Some(format!("{owner}.{name} was not checked for other writers"))
    }

    /// Why static field `owner.name` (which `static_field` could not give) has no value.
    fn unreadable_static(&mut self, owner: &str, name: &str) -> String {
        let simple = owner.rsplit('/').next().unwrap_or(owner);
        format!(
            "static field {simple}.{name} cannot be read or is assigned again outside its class \
             initialiser"
        )
    }
}

#[derive(Debug, Clone)]
struct Coll {
    items: Vec<Value>,
    kind: Kind,
    mutable: bool,
    /// `Owner.FIELD` when read from a static field: changing it changes the class's state.
    shared: Option<String>,
    /// Why its content is not known exactly.
    unknown: Option<String>,
    /// An unmodifiable view (`Collections.unmodifiableSet`) reads through to this collection.
    view_of: Option<usize>,
}

impl Coll {
    fn new(kind: Kind, mutable: bool) -> Coll {
        Coll {
            items: Vec::new(),
            kind,
            mutable,
            shared: None,
            unknown: None,
            view_of: None,
        }
    }
}

#[derive(Debug, Clone)]
enum HeapObject {
    Array(Vec<Value>),
    /// A `StringBuilder`; `None` once its content is unknown.
    Builder(Option<String>),
    Coll(Coll),
    Other,
}

/// What a class initialiser (or any evaluated method) left behind.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Values of every `areturn`.
    pub returned: Vec<Value>,
    /// Static fields of the evaluated class after the method ran; collections frozen.
    pub statics: HashMap<String, Value>,
}

/// Runs `method` of `class` (a class initialiser, or a static method) and reports the static
/// fields of `class` it wrote, and what it returned.
pub fn evaluate(class: &ClassFile, method: &Member, statics: &mut dyn Statics) -> Outcome {
    let mut interp = Interp::new(statics);
    let ran = interp.run(class, method, Vec::new(), None, 0, false);
    interp.world.spend(interp.steps);
    if ran.failed.is_some() {
        // Stopped part-way: nothing it wrote is what the class ends up with.
        return Outcome::default();
    }
    let returned = ran.returned;
    let mut outcome = Outcome {
        returned: returned
            .into_iter()
            .map(|(v, _)| interp.freeze(&v))
            .collect(),
        statics: HashMap::new(),
    };
    let own: Vec<(String, Value)> = interp
        .statics
        .iter()
        .filter(|((owner, _), _)| owner == class.name.as_ref())
        .map(|((_, name), v)| (name.clone(), v.clone()))
        .collect();
    for (name, value) in own {
        let frozen = interp.freeze(&value);
        outcome.statics.insert(name, frozen);
    }
    outcome
}

/// The value `method` returns on every path, with `this` being an instance of `this_class`
/// (for instance methods): collections come back [`Value::Frozen`]. `Err` says why the value
/// is not known exactly.
pub fn method_result(
    class: &ClassFile,
    method: &Member,
    this_class: Option<&str>,
    statics: &mut dyn Statics,
) -> Result<Value, String> {
    let mut interp = Interp::new(statics);
    let args = if this_class.is_some() {
        vec![Value::This]
    } else {
        Vec::new()
    };
    let ran = interp.run(class, method, args, this_class, 0, false);
    interp.world.spend(interp.steps);
    let value = interp.single_result(ran, class, method)?;
    match interp.freeze(&value) {
        Value::Unknown => Err(interp.why_unknown()),
        frozen => Ok(frozen),
    }
}

struct Ran {
    returned: Vec<(Value, bool)>,
    failed: Option<String>,
}

struct Interp<'w> {
    world: &'w mut dyn Statics,
    max_steps: usize,
    heap: Vec<HeapObject>,
    steps: usize,
    string_bytes: usize,
    /// Static fields written during this evaluation, by (owner, name).
    statics: HashMap<(String, String), Value>,
    /// The most recent reason a value became unknown.
    last_unknown: Option<String>,
}

struct Frame<'c, 'a> {
    class: &'c ClassFile<'a>,
    stack: Vec<Value>,
    locals: HashMap<u16, Value>,
    this_class: Option<String>,
    depth: usize,
    returned: Vec<(Value, bool)>,
}

/// Which instructions run only on some paths, and the stack depth each branch target expects.
struct Flow {
    conditional: Vec<bool>,
    /// Every pc some branch jumps to.
    targets: std::collections::HashSet<usize>,
}

fn flow(insns: &[Instruction], handlers: &[u16]) -> Flow {
    let index_of = |pc: usize| insns.binary_search_by_key(&pc, |i| i.pc).ok();
    let mut delta = vec![0i32; insns.len() + 1];
    let mut targets = std::collections::HashSet::new();
    for (i, insn) in insns.iter().enumerate() {
        for target in insn.branch_targets() {
            targets.insert(target);
            let Some(t) = index_of(target) else {
                // A target inside an instruction: treat everything after as conditional.
                delta[i + 1] += 1;
                continue;
            };
            let (from, to) = if t > i { (i + 1, t) } else { (t, i + 1) };
            delta[from] += 1;
            delta[to] -= 1;
        }
    }
    // Handlers run instead of the rest of a protected range: everything from the first
    // handler on is treated as conditional.
    if let Some(first) = handlers.iter().map(|&h| usize::from(h)).min() {
        let start = insns
            .iter()
            .position(|i| i.pc >= first)
            .unwrap_or(insns.len());
        delta[start] += 1;
    }
    let mut depth = 0i32;
    let conditional = delta[..insns.len()]
        .iter()
        .map(|d| {
            depth += d;
            depth > 0
        })
        .collect();
    Flow {
        conditional,
        targets,
    }
}

impl<'w> Interp<'w> {
    fn new(world: &'w mut dyn Statics) -> Self {
        let max_steps = world.step_budget().min(MAX_STEPS);
        Interp {
            world,
            max_steps,
            heap: Vec::new(),
            steps: 0,
            string_bytes: 0,
            statics: HashMap::new(),
            last_unknown: None,
        }
    }

    fn unknown(&mut self, why: impl FnOnce() -> String) -> Value {
        self.last_unknown = Some(why());
        Value::Unknown
    }

    /// Unknown, keeping the reason an input became unknown when there is one.
    fn unknown_keeping_reason(&mut self, why: &str) -> Value {
        self.last_unknown.get_or_insert_with(|| why.to_string());
        Value::Unknown
    }

    fn why_unknown(&self) -> String {
        self.last_unknown
            .clone()
            .unwrap_or_else(|| "it is computed in a way the evaluator does not follow".into())
    }

    fn run(
        &mut self,
        class: &ClassFile,
        method: &Member,
        args: Vec<Value>,
        this_class: Option<&str>,
        depth: usize,
        all_conditional: bool,
    ) -> Ran {
        let failed = |why: String| Ran {
            returned: Vec::new(),
            failed: Some(why),
        };
        let Ok(Some(code)) = class.code(method) else {
            return failed(format!(
                "{}.{} has no readable code",
                class.name, method.name
            ));
        };
        let insns: Vec<Instruction> = match instructions(code.bytecode).collect() {
            Ok(insns) => insns,
            Err(e) => return failed(format!("{}.{}: {e}", class.name, method.name)),
        };
        let flow = flow(&insns, &code.handlers);
        let mut frame = Frame {
            class,
            stack: Vec::new(),
            locals: HashMap::new(),
            this_class: this_class.map(str::to_string),
            depth,
            returned: Vec::new(),
        };
        for (slot, arg) in (0u16..).zip(args) {
            frame.locals.insert(slot, arg);
        }
        // Stack depth each forward branch target expects (the JVM verifier makes every path
        // agree), and the depth below which values predate the conditional code in progress.
        let mut join_depth: HashMap<usize, usize> = HashMap::new();
        let mut floor: Option<usize> = None;
        for (i, insn) in insns.iter().enumerate() {
            self.steps += 1;
            if self.steps > self.max_steps {
                return failed(format!(
                    "evaluation stopped after {} bytecode instructions",
                    self.max_steps
                ));
            }
            let conditional = all_conditional || flow.conditional[i];
            if flow.targets.contains(&insn.pc) {
                if let Some(&d) = join_depth.get(&insn.pc) {
                    frame.stack.resize(d, Value::Unknown);
                }
                let from = floor.unwrap_or(frame.stack.len()).min(frame.stack.len());
                for k in from..frame.stack.len() {
                    let v = std::mem::replace(&mut frame.stack[k], Value::Unknown);
                    if !matches!(v, Value::Unknown | Value::Top) {
                        self.last_unknown = Some("it depends on which way a branch goes".into());
                    }
                    self.taint_value(&v, "it is built differently on different paths");
                }
            }
            if !conditional {
                floor = None;
            }
            self.step(&mut frame, insn, conditional);
            let targets = insn.branch_targets();
            if !targets.is_empty() {
                let depth = frame.stack.len();
                floor = Some(floor.map_or(depth, |f| f.min(depth)));
                for target in targets.into_iter().filter(|&t| t > insn.pc) {
                    join_depth.entry(target).or_insert(depth);
                }
            }
            if frame.stack.len() > MAX_STACK {
                return failed("the operand stack grows beyond its cap".into());
            }
        }
        Ran {
            returned: frame.returned,
            failed: None,
        }
    }

    fn single_result(
        &mut self,
        ran: Ran,
        class: &ClassFile,
        method: &Member,
    ) -> Result<Value, String> {
        if let Some(why) = ran.failed {
            return Err(why);
        }
        let mut values = ran.returned.into_iter().map(|(v, _)| v);
        let Some(first) = values.next() else {
            return Err(format!(
                "{}.{} never returns a value",
                class.name, method.name
            ));
        };
        let rest: Vec<Value> = values.collect();
        if rest.is_empty() {
            return Ok(first);
        }
        let same =
            !matches!(first, Value::Ref(_) | Value::Unknown) && rest.iter().all(|v| *v == first);
        if same {
            Ok(first)
        } else {
            Err(format!(
                "{}.{} returns different values on different paths",
                class.name, method.name
            ))
        }
    }

    // ---- heap -------------------------------------------------------------------------------

    fn alloc(&mut self, object: HeapObject) -> Value {
        if self.heap.len() >= MAX_HEAP {
            return self.unknown(|| format!("more than {MAX_HEAP} objects"));
        }
        self.heap.push(object);
        Value::Ref(self.heap.len() - 1)
    }

    fn new_coll(&mut self, kind: Kind, mutable: bool, items: Result<Vec<Value>, String>) -> Value {
        let mut coll = Coll::new(kind, mutable);
        match items {
            Ok(items) => {
                for item in items {
                    self.push_item(&mut coll, item);
                }
            }
            Err(why) => coll.unknown = Some(why),
        }
        self.alloc(HeapObject::Coll(coll))
    }

    /// Adds with the collection's semantics: sets keep the first of equal elements.
    fn push_item(&self, coll: &mut Coll, item: Value) {
        if coll.unknown.is_some() {
            return;
        }
        let item = match item {
            Value::Option(_) | Value::Str(_) | Value::Int(_) | Value::Bool(_) => item,
            Value::Float(_) | Value::Class(_) | Value::Text(_) | Value::Enum { .. } => item,
            _ => {
                coll.unknown = Some(format!(
                    "it holds a value the evaluator cannot follow ({})",
                    self.why_unknown()
                ));
                return;
            }
        };
        if coll.items.len() >= MAX_ELEMENTS {
            coll.unknown = Some(format!("it grows beyond {MAX_ELEMENTS} elements"));
            return;
        }
        if matches!(coll.kind, Kind::Set | Kind::SetBuilder) {
            for existing in &coll.items {
                match same_element(existing, &item) {
                    Some(true) => return,
                    Some(false) => {}
                    None => {
                        coll.unknown = Some(
                            "whether two of its options are equal depends on values the evaluator does not know"
                                .into(),
                        );
                        return;
                    }
                }
            }
        }
        coll.items.push(item);
    }

    fn coll(&self, value: &Value) -> Option<usize> {
        match value {
            Value::Ref(r) => match self.heap.get(*r) {
                Some(HeapObject::Coll(c)) => Some(c.view_of.unwrap_or(*r)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The elements of a collection value (heap or frozen), or why they are unknown.
    fn items_of(&self, value: &Value) -> Result<Vec<Value>, String> {
        match value {
            Value::Frozen(f) => f.items.clone(),
            Value::Ref(r) => match self.heap.get(*r) {
                Some(HeapObject::Coll(c)) => {
                    let c = match c.view_of.and_then(|v| self.heap.get(v)) {
                        Some(HeapObject::Coll(inner)) => inner,
                        _ => c,
                    };
                    match &c.unknown {
                        Some(why) => Err(why.clone()),
                        None => Ok(c.items.clone()),
                    }
                }
                Some(HeapObject::Array(items)) => Ok(items.clone()),
                _ => Err("it is not a collection the evaluator models".into()),
            },
            _ => Err(format!(
                "it comes from a value the evaluator cannot follow ({})",
                self.why_unknown()
            )),
        }
    }

    fn coll_mut(&mut self, r: usize) -> Option<&mut Coll> {
        let target = match self.heap.get(r) {
            Some(HeapObject::Coll(c)) => c.view_of.unwrap_or(r),
            _ => return None,
        };
        match self.heap.get_mut(target) {
            Some(HeapObject::Coll(c)) => Some(c),
            _ => None,
        }
    }

    /// Marks a heap object (and what it views) as unknown, with the reason.
    fn taint(&mut self, r: usize, why: &str) {
        let view_of = match self.heap.get(r) {
            Some(HeapObject::Coll(c)) => c.view_of,
            _ => None,
        };
        for target in std::iter::once(r).chain(view_of) {
            match self.heap.get_mut(target) {
                Some(HeapObject::Coll(c)) => {
                    c.unknown.get_or_insert_with(|| why.to_string());
                }
                Some(HeapObject::Array(items)) => {
                    items.iter_mut().for_each(|v| *v = Value::Unknown)
                }
                Some(HeapObject::Builder(content)) => *content = None,
                _ => {}
            }
        }
    }

    fn taint_value(&mut self, value: &Value, why: &str) {
        if let Value::Ref(r) = value {
            self.taint(*r, why);
        }
    }

    /// A heap value as it stands now, detached from this evaluation's heap.
    fn freeze(&self, value: &Value) -> Value {
        let Value::Ref(r) = value else {
            return value.clone();
        };
        match self.heap.get(*r) {
            Some(HeapObject::Coll(c)) => Value::Frozen(Rc::new(Frozen {
                items: self.items_of(value),
                kind: c.kind,
                mutable: c.mutable,
            })),
            Some(HeapObject::Builder(Some(s))) => Value::str(s.as_str()),
            _ => Value::Unknown,
        }
    }

    /// A frozen collection read from static field `owner.name`, as a heap object of this
    /// evaluation; a mutable one must not be changed anywhere else.
    fn thaw(&mut self, frozen: &Frozen, owner: &str, name: &str) -> Value {
        let mut coll = Coll::new(frozen.kind, frozen.mutable);
        coll.shared = Some(format!("{owner}.{name}"));
        match &frozen.items {
            Ok(items) => coll.items = items.clone(),
            Err(why) => coll.unknown = Some(format!("static field {owner}.{name}: {why}")),
        }
        if frozen.mutable && coll.unknown.is_none() {
            if let Some(why) = self.world.static_mutation(owner, name) {
                coll.unknown = Some(why);
            }
        }
        self.alloc(HeapObject::Coll(coll))
    }

    // ---- strings ----------------------------------------------------------------------------

    fn string_of(&self, value: &Value) -> Option<Rc<str>> {
        match value {
            Value::Ref(r) => match self.heap.get(*r) {
                Some(HeapObject::Builder(Some(s))) => Some(s.as_str().into()),
                _ => None,
            },
            Value::Str(s) | Value::Text(s) => Some(s.clone()),
            Value::Class(_) | Value::Option(_) | Value::Unknown | Value::Top => None,
            Value::Frozen(_) | Value::This | Value::Collector(_) => None,
            other => other.display().map(Into::into),
        }
    }

    /// How `String.valueOf` prints a value passed as field type `ty` (`C` a char, `Z` a boolean;
    /// floating point only when Java and Rust print it alike).
    fn typed_string(&self, value: &Value, ty: &str) -> Option<Rc<str>> {
        match (ty, value) {
            ("C", Value::Int(c)) => {
                char::from_u32(u32::try_from(*c).ok()?).map(|c| c.to_string().into())
            }
            ("Z", Value::Int(i)) => Some(if *i != 0 { "true" } else { "false" }.into()),
            ("F" | "D", Value::Float(f)) if f.fract() == 0.0 && f.abs() < 1e7 => {
                Some(format!("{f:.1}").into())
            }
            ("F" | "D", _) => None,
            (_, Value::Float(_)) => None,
            _ => self.string_of(value),
        }
    }

    /// A new string, unless it breaks the size caps.
    fn make_string(&mut self, text: String) -> Value {
        if text.len() > MAX_STRING {
            return self.unknown(|| format!("a string grows beyond {MAX_STRING} bytes"));
        }
        self.string_bytes += text.len();
        if self.string_bytes > MAX_STRING_BYTES {
            return self.unknown(|| format!("strings beyond {MAX_STRING_BYTES} bytes in total"));
        }
        Value::str(text)
    }

    // ---- instructions -----------------------------------------------------------------------

    fn pop(frame: &mut Frame) -> Value {
        frame.stack.pop().unwrap_or(Value::Unknown)
    }

    fn pop_words(frame: &mut Frame, n: usize) {
        for _ in 0..n {
            frame.stack.pop();
        }
    }

    fn push_unknown(frame: &mut Frame, words: usize) {
        for i in 0..words {
            frame.stack.push(if i == 0 && words == 2 {
                Value::Top
            } else {
                Value::Unknown
            });
        }
    }

    /// Pushes a value of `words` stack words (a long or double carries a `Top` below it).
    fn push(frame: &mut Frame, value: Value, words: u8) {
        if words == 2 {
            frame.stack.push(Value::Top);
        }
        frame.stack.push(value);
    }

    fn step(&mut self, frame: &mut Frame, insn: &Instruction, conditional: bool) {
        let pool = &frame.class.pool;
        match insn.opcode {
            op::ACONST_NULL => frame.stack.push(Value::Null),
            op::ICONST_M1..=op::ICONST_5 => {
                frame.stack.push(Value::Int(i64::from(insn.opcode) - 3))
            }
            op::LCONST_0 | op::LCONST_1 => {
                Self::push(frame, Value::Int(i64::from(insn.opcode - op::LCONST_0)), 2)
            }
            0x0b..=0x0d => frame
                .stack
                .push(Value::Float(f64::from(insn.opcode - 0x0b))),
            0x0e | 0x0f => Self::push(frame, Value::Float(f64::from(insn.opcode - 0x0e)), 2),
            op::BIPUSH => frame
                .stack
                .push(Value::Int(i64::from(insn.operands[0] as i8))),
            op::SIPUSH => frame.stack.push(Value::Int(i64::from(i16::from_be_bytes([
                insn.operands[0],
                insn.operands[1],
            ])))),
            op::LDC | op::LDC_W | op::LDC2_W => {
                let (value, words) = match pool.constant(insn.pool_index()) {
                    Ok(Constant::Int(i)) => (Value::Int(i64::from(i)), 1),
                    Ok(Constant::Long(l)) => (Value::Int(l), 2),
                    Ok(Constant::Float(f)) => (Value::Float(f64::from(f)), 1),
                    Ok(Constant::Double(d)) => (Value::Float(d), 2),
                    Ok(Constant::Str(s)) => (Value::str(s.as_ref()), 1),
                    Ok(Constant::Class(c)) => (Value::Class(c.as_ref().into()), 1),
                    _ => (
                        Value::Unknown,
                        if insn.opcode == op::LDC2_W { 2 } else { 1 },
                    ),
                };
                Self::push(frame, value, words);
            }
            // iload, lload, fload, dload, aload (plain, _n, wide)
            0x15..=0x2d => {
                let (kind, slot) = load_store(insn);
                let wide = matches!(kind, 1 | 3);
                let value = frame.locals.get(&slot).cloned().unwrap_or(Value::Unknown);
                Self::push(frame, value, if wide { 2 } else { 1 });
            }
            0x36..=0x4e => {
                let (kind, slot) = load_store(insn);
                let wide = matches!(kind, 1 | 3);
                let value = Self::pop(frame);
                if wide {
                    frame.stack.pop();
                }
                let value = if conditional { Value::Unknown } else { value };
                frame.locals.insert(slot, value);
                if wide {
                    frame.locals.insert(slot.saturating_add(1), Value::Top);
                }
            }
            op::WIDE => match insn.widened {
                Some(code @ 0x15..=0x19) => {
                    let slot = insn.local_index();
                    let value = frame.locals.get(&slot).cloned().unwrap_or(Value::Unknown);
                    Self::push(
                        frame,
                        value,
                        if matches!(code, 0x16 | 0x18) { 2 } else { 1 },
                    );
                }
                Some(code @ 0x36..=0x3a) => {
                    let slot = insn.local_index();
                    let value = Self::pop(frame);
                    if matches!(code, 0x37 | 0x39) {
                        frame.stack.pop();
                    }
                    let value = if conditional { Value::Unknown } else { value };
                    frame.locals.insert(slot, value);
                }
                Some(0x84) => {
                    frame.locals.insert(insn.local_index(), Value::Unknown);
                }
                _ => {
                    frame.stack.clear();
                }
            },
            0x84 => {
                // iinc
                frame
                    .locals
                    .insert(u16::from(insn.operands[0]), Value::Unknown);
            }
            op::AASTORE => {
                let value = Self::pop(frame);
                let index = Self::pop(frame);
                let array = Self::pop(frame);
                let stored = match (&array, &index) {
                    (Value::Ref(r), Value::Int(i)) if !conditional => match self.heap.get_mut(*r) {
                        Some(HeapObject::Array(items)) => {
                            match usize::try_from(*i).ok().and_then(|i| items.get_mut(i)) {
                                Some(slot) => {
                                    *slot = value.clone();
                                    true
                                }
                                None => false,
                            }
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !stored {
                    self.taint_value(
                        &array,
                        "an element is stored where the evaluator cannot follow",
                    );
                    self.taint_value(
                        &value,
                        "it is stored into an array the evaluator cannot follow",
                    );
                }
            }
            0x32 => {
                // aaload
                let index = Self::pop(frame);
                let array = Self::pop(frame);
                let value = match (&array, &index) {
                    (Value::Ref(r), Value::Int(i)) => match self.heap.get(*r) {
                        Some(HeapObject::Array(items)) => usize::try_from(*i)
                            .ok()
                            .and_then(|i| items.get(i).cloned())
                            .unwrap_or(Value::Unknown),
                        _ => Value::Unknown,
                    },
                    _ => Value::Unknown,
                };
                frame.stack.push(value);
            }
            0x57 => {
                Self::pop(frame);
            }
            0x58 => Self::pop_words(frame, 2),
            0x59 => {
                let v = frame.stack.last().cloned().unwrap_or(Value::Unknown);
                frame.stack.push(v);
            }
            0x5a..=0x5f => self.shuffle(frame, insn.opcode),
            op::ANEWARRAY | op::NEWARRAY => {
                let value = match Self::pop(frame) {
                    Value::Int(n) if (0..=MAX_ELEMENTS as i64).contains(&n) => {
                        self.alloc(HeapObject::Array(vec![Value::Unknown; n as usize]))
                    }
                    _ => self.unknown(|| "an array of unknown or excessive size".into()),
                };
                frame.stack.push(value);
            }
            op::NEW => {
                let object = match pool.class_name(insn.pool_index()).as_deref() {
                    Ok("java/lang/StringBuilder") | Ok("java/lang/StringBuffer") => {
                        HeapObject::Builder(Some(String::new()))
                    }
                    Ok("java/util/HashSet") | Ok("java/util/LinkedHashSet") => {
                        HeapObject::Coll(Coll::new(Kind::Set, true))
                    }
                    Ok("java/util/ArrayList") | Ok("java/util/LinkedList") => {
                        HeapObject::Coll(Coll::new(Kind::List, true))
                    }
                    _ => HeapObject::Other,
                };
                let v = self.alloc(object);
                frame.stack.push(v);
            }
            op::CHECKCAST => {}
            0xac | 0xae => {
                Self::pop(frame);
            }
            0xad | 0xaf => Self::pop_words(frame, 2),
            op::ARETURN => {
                let v = Self::pop(frame);
                frame.returned.push((v, conditional));
            }
            op::RETURN => {}
            op::GETSTATIC => {
                let (value, words) = match pool.member_ref(insn.pool_index()) {
                    Ok(field) => {
                        let words = if matches!(field.descriptor.as_ref(), "J" | "D") {
                            2
                        } else {
                            1
                        };
                        (
                            self.get_static(frame, &field.owner, &field.name, &field.descriptor),
                            words,
                        )
                    }
                    Err(_) => (Value::Unknown, 1),
                };
                Self::push(frame, value, words);
            }
            op::PUTSTATIC => {
                if let Ok(field) = pool.member_ref(insn.pool_index()) {
                    let v = Self::pop(frame);
                    if matches!(field.descriptor.as_ref(), "J" | "D") {
                        frame.stack.pop();
                    }
                    let v = if conditional {
                        self.taint_value(&v, "it is stored on only some paths");
                        Value::Unknown
                    } else {
                        v
                    };
                    self.statics
                        .insert((field.owner.to_string(), field.name.to_string()), v);
                } else {
                    frame.stack.clear();
                }
            }
            0xb4 => {
                // getfield
                Self::pop(frame);
                let words = match pool.member_ref(insn.pool_index()) {
                    Ok(f) if matches!(f.descriptor.as_ref(), "J" | "D") => 2,
                    _ => 1,
                };
                let v = self.unknown(|| "it reads an instance field".into());
                Self::push(frame, v, words);
                if words == 2 {
                    frame.stack.pop();
                    Self::push_unknown(frame, 2);
                }
            }
            0xb5 => {
                // putfield: the value escapes into an object the evaluator does not track
                let wide = matches!(
                    pool.member_ref(insn.pool_index())
                        .map(|f| f.descriptor.into_owned())
                        .as_deref(),
                    Ok("J") | Ok("D")
                );
                let v = Self::pop(frame);
                if wide {
                    frame.stack.pop();
                }
                Self::pop(frame);
                self.taint_value(&v, "it is stored in an instance field");
            }
            op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE => {
                let Ok(call) = pool.member_ref(insn.pool_index()) else {
                    frame.stack.clear();
                    return;
                };
                let Some((arg_words, result_words)) = descriptor_words(&call.descriptor) else {
                    frame.stack.clear();
                    return;
                };
                let mut args = Vec::with_capacity(arg_words.len());
                for &w in arg_words.iter().rev() {
                    args.push(Self::pop(frame));
                    if w == 2 {
                        frame.stack.pop();
                    }
                }
                args.reverse();
                let receiver = (insn.opcode != op::INVOKESTATIC).then(|| Self::pop(frame));
                let result = self.invoke(
                    frame,
                    insn.opcode,
                    &call.owner,
                    &call.name,
                    &call.descriptor,
                    receiver.clone(),
                    args.clone(),
                    conditional,
                );
                if conditional {
                    for v in receiver.iter().chain(args.iter()) {
                        self.taint_value(v, "it is changed on only some paths");
                    }
                }
                if let Some(words) = result_words {
                    Self::push(frame, result, words);
                }
            }
            op::INVOKEDYNAMIC => {
                let result = self.invoke_dynamic(frame, insn.pool_index());
                frame.stack.push(result);
            }
            _ => self.generic(frame, insn),
        }
    }

    /// dup_x1, dup_x2, dup2, dup2_x1, dup2_x2, swap: word shuffles.
    fn shuffle(&mut self, frame: &mut Frame, opcode: u8) {
        let (take, insert_at) = match opcode {
            0x5a => (1, 2),
            0x5b => (1, 3),
            0x5c => (2, 2),
            0x5d => (2, 3),
            0x5e => (2, 4),
            _ => {
                // swap
                let a = Self::pop(frame);
                let b = Self::pop(frame);
                frame.stack.push(a);
                frame.stack.push(b);
                return;
            }
        };
        while frame.stack.len() < insert_at {
            frame.stack.insert(0, Value::Unknown);
        }
        let len = frame.stack.len();
        let top: Vec<Value> = frame.stack[len - take..].to_vec();
        if opcode == 0x5c {
            frame.stack.extend(top);
        } else {
            let at = len - insert_at;
            for (k, v) in top.into_iter().enumerate() {
                frame.stack.insert(at + k, v);
            }
        }
    }

    /// Instructions whose values the evaluator does not need: only their stack effect.
    fn generic(&mut self, frame: &mut Frame, insn: &Instruction) {
        let Some((pops, pushes)) = stack_effect(insn) else {
            frame.stack.clear();
            return;
        };
        Self::pop_words(frame, pops);
        Self::push_unknown(frame, pushes);
    }

    fn get_static(&mut self, frame: &Frame, owner: &str, name: &str, descriptor: &str) -> Value {
        if let Some(v) = self.statics.get(&(owner.to_string(), name.to_string())) {
            return v.clone();
        }
        if let Some(v) = known_static(owner, name) {
            return v;
        }
        let value = if owner == frame.class.name.as_ref() {
            match self.world.static_field(owner, name, descriptor) {
                Value::Static { .. } => own_constant(frame.class, name),
                v => v,
            }
        } else {
            self.world.static_field(owner, name, descriptor)
        };
        match value {
            Value::Frozen(f) => self.thaw(&f, owner, name),
            Value::Option(mut spec) => {
                if spec.field.is_none() {
                    let simple = owner.rsplit(['/', '$']).next().unwrap_or(owner);
                    Rc::make_mut(&mut spec).field = Some(format!("{simple}.{name}"));
                }
                Value::Option(spec)
            }
            Value::Static { .. }
                if descriptor.starts_with("Ljava/util/")
                    || descriptor == "Lorg/apache/flink/configuration/ConfigOption;" =>
            {
                let why = self.world.unreadable_static(owner, name);
                self.unknown(|| why)
            }
            v => v,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn invoke(
        &mut self,
        frame: &Frame,
        opcode: u8,
        owner: &str,
        name: &str,
        descriptor: &str,
        receiver: Option<Value>,
        args: Vec<Value>,
        conditional: bool,
    ) -> Value {
        if let Some(v) = self.model(owner, name, descriptor, receiver.as_ref(), &args) {
            return v;
        }
        // Helper methods: static ones, private and super calls, and virtual calls on `this`.
        let on_this = receiver.as_ref() == Some(&Value::This);
        let resolve_in = match opcode {
            op::INVOKESTATIC => Some(owner.to_string()),
            op::INVOKESPECIAL if on_this && name != "<init>" => Some(owner.to_string()),
            op::INVOKEVIRTUAL | op::INVOKEINTERFACE if on_this => frame.this_class.clone(),
            _ => None,
        };
        let followed = resolve_in
            .filter(|c| !c.starts_with("java/") && frame.depth < MAX_DEPTH)
            .and_then(|c| self.world.method_code(&c, name, descriptor));
        if let Some((_, bytes)) = followed {
            if let Some(v) = self.call(
                frame,
                &bytes,
                name,
                descriptor,
                receiver.clone(),
                args.clone(),
                conditional,
            ) {
                return v;
            }
        }
        // Not modelled: anything it was given may have changed.
        let why = format!(
            "{}.{name} is called, which the evaluator does not model",
            owner.rsplit('/').next().unwrap_or(owner)
        );
        for v in receiver.iter().chain(args.iter()) {
            self.taint_value(v, &why);
        }
        self.unknown(|| why)
    }

    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        frame: &Frame,
        bytes: &[u8],
        name: &str,
        descriptor: &str,
        receiver: Option<Value>,
        args: Vec<Value>,
        conditional: bool,
    ) -> Option<Value> {
        let class = ClassFile::parse(bytes).ok()?;
        let method = class.method(name, descriptor)?;
        let (arg_words, _) = descriptor_words(descriptor)?;
        let mut locals = Vec::new();
        locals.extend(receiver);
        for (arg, words) in args.into_iter().zip(arg_words) {
            locals.push(arg);
            if words == 2 {
                locals.push(Value::Top);
            }
        }
        let touched: Vec<Value> = locals.clone();
        let ran = self.run(
            &class,
            method,
            locals,
            frame.this_class.as_deref(),
            frame.depth + 1,
            conditional,
        );
        if let Some(why) = &ran.failed {
            // Stopped part-way: what it was given may be half-changed.
            for v in &touched {
                self.taint_value(v, why);
            }
        }
        Some(match self.single_result(ran, &class, method) {
            Ok(v) => v,
            Err(why) => self.unknown(|| why),
        })
    }

    /// Library calls the evaluator knows the meaning of; `None` when not modelled.
    fn model(
        &mut self,
        owner: &str,
        name: &str,
        descriptor: &str,
        receiver: Option<&Value>,
        args: &[Value],
    ) -> Option<Value> {
        let arg = args.first().cloned().unwrap_or(Value::Unknown);
        if let Some(Value::Ref(r)) = receiver {
            match self.heap.get(*r) {
                Some(HeapObject::Builder(_)) => {
                    return Some(self.builder_call(*r, name, descriptor, args))
                }
                Some(HeapObject::Coll(_)) => {
                    return self.coll_call(*r, owner, name, descriptor, args)
                }
                Some(HeapObject::Other) if name == "<init>" => return None,
                _ => {}
            }
        }
        if let Some(v) = self.collection_factory(owner, name, descriptor, receiver, args) {
            return Some(v);
        }
        Some(match (owner, name) {
            ("org/apache/flink/configuration/ConfigOptions", "key") => match self.string_of(&arg) {
                Some(key) => Value::Option(Rc::new(OptionSpec {
                    key: Some(key.to_string()),
                    ..OptionSpec::default()
                })),
                None => Value::Option(Rc::new(OptionSpec::default())),
            },
            ("java/lang/String", "format") => self.format(&arg, args.get(1)),
            ("java/lang/String", "valueOf") | ("java/util/Objects", "requireNonNull") => {
                if owner == "java/util/Objects" {
                    arg
                } else {
                    let ty = arg_types(descriptor).first().copied().unwrap_or("");
                    match self.typed_string(&arg, ty) {
                        Some(s) => Value::Str(s),
                        None => self.unknown(|| "String.valueOf of an unknown value".into()),
                    }
                }
            }
            ("java/lang/String", "concat") => {
                let (Some(a), Some(b)) = (
                    receiver.and_then(|r| self.string_of(r)),
                    self.string_of(&arg),
                ) else {
                    return Some(self.unknown(|| "String.concat of an unknown value".into()));
                };
                self.make_string(format!("{a}{b}"))
            }
            ("java/lang/String", "intern") | ("java/lang/String", "toString") => {
                match receiver.and_then(|r| self.string_of(r)) {
                    Some(s) => Value::Str(s),
                    None => return None,
                }
            }
            (_, "toString" | "name") if args.is_empty() => {
                match receiver.and_then(|r| self.string_of(r)) {
                    Some(s) => Value::Str(s),
                    None => return None,
                }
            }
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
                    .map(|c| Value::str(c.to_string()))
                    .unwrap_or(Value::Unknown),
                _ => Value::Unknown,
            },
            ("java/time/Duration", unit) => duration(unit, &arg),
            ("org/apache/flink/configuration/MemorySize", "parse") => self
                .string_of(&arg)
                .map(Value::Text)
                .unwrap_or(Value::Unknown),
            ("org/apache/flink/configuration/MemorySize", "ofMebiBytes") => match arg {
                Value::Int(n) => Value::Text(format!("{n} mb").into()),
                _ => Value::Unknown,
            },
            ("org/apache/flink/configuration/ConfigOptions$OptionBuilder", _)
            | ("org/apache/flink/configuration/ConfigOptions$TypedConfigOptionBuilder", _)
            | ("org/apache/flink/configuration/ConfigOptions$ListConfigOptionBuilder", _)
            | ("org/apache/flink/configuration/ConfigOption", _) => match receiver {
                Some(Value::Option(spec)) => self.option_call(spec, name, args),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// `Set.of`, `Arrays.asList`, `Collections.*`, `Stream.of`, `Collectors.*`, Guava's
    /// `ImmutableSet`/`Sets` (shaded or not): calls that build collections from their arguments.
    fn collection_factory(
        &mut self,
        owner: &str,
        name: &str,
        descriptor: &str,
        receiver: Option<&Value>,
        args: &[Value],
    ) -> Option<Value> {
        let guava = owner
            .strip_suffix("ImmutableSet")
            .or_else(|| owner.strip_suffix("ImmutableList"))
            .or_else(|| owner.strip_suffix("Sets"))
            .or_else(|| owner.strip_suffix("Lists"))
            .or_else(|| owner.strip_suffix("ImmutableSet$Builder"))
            .is_some_and(|p| p.ends_with("com/google/common/collect/"));
        let class = owner.rsplit('/').next().unwrap_or(owner);
        // Every argument's elements: arrays (varargs) spread, other values as they are.
        let spread = |this: &Self, args: &[Value]| -> Result<Vec<Value>, String> {
            let mut out = Vec::new();
            for (a, ty) in args.iter().zip(arg_types(descriptor)) {
                let elements = ty.starts_with('[')
                    || matches!(
                        ty,
                        "Ljava/util/Collection;"
                            | "Ljava/lang/Iterable;"
                            | "Ljava/util/Set;"
                            | "Ljava/util/List;"
                            | "Ljava/util/stream/Stream;"
                    );
                if elements {
                    out.extend(this.items_of(a)?);
                } else {
                    out.push(a.clone());
                }
            }
            Ok(out)
        };
        let value = match (owner, name) {
            ("java/util/Set", "of") | ("java/util/Set", "copyOf") => {
                let items = spread(self, args);
                let distinct = items.as_ref().map(|i| distinct_count(i)).ok().flatten();
                match (items, distinct) {
                    (Ok(items), Some(n)) if n == items.len() || name == "copyOf" => {
                        self.new_coll(Kind::Set, false, Ok(items))
                    }
                    (Ok(_), _) => self.new_coll(
                        Kind::Set,
                        false,
                        Err("Set.of with equal elements throws, or equality is unknown".into()),
                    ),
                    (Err(why), _) => self.new_coll(Kind::Set, false, Err(why)),
                }
            }
            ("java/util/List", "of") | ("java/util/List", "copyOf") => {
                let items = spread(self, args);
                self.new_coll(Kind::List, false, items)
            }
            ("java/util/Arrays", "asList") => {
                let items = spread(self, args);
                self.new_coll(Kind::List, false, items)
            }
            ("java/util/Arrays", "stream") if descriptor.starts_with("([Ljava") => {
                let items = spread(self, args);
                self.new_coll(Kind::Stream, false, items)
            }
            ("java/util/Collections", "emptySet") => self.new_coll(Kind::Set, false, Ok(vec![])),
            ("java/util/Collections", "emptyList") => self.new_coll(Kind::List, false, Ok(vec![])),
            ("java/util/Collections", "singleton") => {
                self.new_coll(Kind::Set, false, Ok(args.to_vec()))
            }
            ("java/util/Collections", "singletonList") => {
                self.new_coll(Kind::List, false, Ok(args.to_vec()))
            }
            (
                "java/util/Collections",
                "unmodifiableSet" | "unmodifiableCollection" | "unmodifiableList",
            ) => match self.coll(args.first()?) {
                Some(inner) => {
                    let kind = match &self.heap[inner] {
                        HeapObject::Coll(c) => c.kind,
                        _ => Kind::Set,
                    };
                    let mut view = Coll::new(kind, false);
                    view.view_of = Some(inner);
                    self.alloc(HeapObject::Coll(view))
                }
                None => {
                    let items = self.items_of(args.first()?);
                    self.new_coll(Kind::Set, false, items)
                }
            },
            ("java/util/Collections", "addAll") => {
                let target = args.first().cloned().unwrap_or(Value::Unknown);
                let items = spread(self, args.get(1..)?);
                let r = self.coll(&target)?;
                self.add_all(r, items);
                Value::Unknown
            }
            ("java/util/stream/Stream", "of") => {
                let items = spread(self, args);
                self.new_coll(Kind::Stream, false, items)
            }
            ("java/util/stream/Stream", "concat") => {
                let items = spread(self, args);
                self.new_coll(Kind::Stream, false, items)
            }
            ("java/util/stream/Collectors", "toSet" | "toUnmodifiableSet") => {
                Value::Collector(Kind::Set)
            }
            ("java/util/stream/Collectors", "toList" | "toUnmodifiableList") => {
                Value::Collector(Kind::List)
            }
            _ if guava && (name == "of" || name == "copyOf") => {
                let kind = if class.ends_with("List") {
                    Kind::List
                } else {
                    Kind::Set
                };
                let items = spread(self, args);
                self.new_coll(kind, false, items)
            }
            _ if guava && matches!(name, "newHashSet" | "newLinkedHashSet") => {
                let items = spread(self, args);
                self.new_coll(Kind::Set, true, items)
            }
            _ if guava && matches!(name, "newArrayList" | "newLinkedList") => {
                let items = spread(self, args);
                self.new_coll(Kind::List, true, items)
            }
            _ if guava && name == "builder" && receiver.is_none() => {
                self.new_coll(Kind::SetBuilder, true, Ok(vec![]))
            }
            _ => return None,
        };
        Some(value)
    }

    fn add_all(&mut self, r: usize, items: Result<Vec<Value>, String>) {
        match items {
            Ok(items) => {
                let Some(HeapObject::Coll(mut coll)) = self.heap.get(r).cloned() else {
                    return;
                };
                for item in items {
                    self.push_item(&mut coll, item);
                }
                self.heap[r] = HeapObject::Coll(coll);
            }
            Err(why) => self.taint(r, &why),
        }
    }

    /// Methods called on a collection, stream or set builder of this evaluation.
    fn coll_call(
        &mut self,
        r: usize,
        owner: &str,
        name: &str,
        descriptor: &str,
        args: &[Value],
    ) -> Option<Value> {
        let target = match &self.heap[r] {
            HeapObject::Coll(c) => c.view_of.unwrap_or(r),
            _ => r,
        };
        let (kind, mutable, shared) = match &self.heap[r] {
            HeapObject::Coll(c) => (c.kind, c.mutable, c.shared.clone()),
            _ => return None,
        };
        let arg = args.first().cloned().unwrap_or(Value::Unknown);
        let mutates = matches!(
            name,
            "add" | "addAll" | "remove" | "removeAll" | "retainAll" | "clear" | "removeIf"
        ) && kind != Kind::SetBuilder
            && kind != Kind::Stream;
        if mutates {
            if !mutable {
                self.taint(r, &format!("{name} on an unmodifiable collection throws"));
                return Some(Value::Unknown);
            }
            if let Some(field) = shared {
                self.taint(r, &format!("{field} is changed at run time ({name})"));
                return Some(Value::Unknown);
            }
        }
        let result = match (kind, name) {
            (_, "<init>") => {
                // new HashSet<>(), (int), (int, float), (Collection)
                if descriptor.starts_with("(Ljava/util/Collection;") {
                    let items = self.items_of(&arg);
                    self.add_all(target, items);
                }
                Value::Unknown
            }
            (Kind::Set | Kind::List, "add") if descriptor == "(Ljava/lang/Object;)Z" => {
                self.add_all(target, Ok(vec![arg]));
                Value::Unknown
            }
            (Kind::Set | Kind::List, "addAll") if descriptor == "(Ljava/util/Collection;)Z" => {
                let items = self.items_of(&arg);
                self.add_all(target, items);
                Value::Unknown
            }
            (Kind::Set | Kind::List, "remove") if descriptor == "(Ljava/lang/Object;)Z" => {
                self.remove_items(target, Ok(vec![arg]));
                Value::Unknown
            }
            (Kind::Set | Kind::List, "removeAll") => {
                let items = self.items_of(&arg);
                self.remove_items(target, items);
                Value::Unknown
            }
            (Kind::Set | Kind::List, "clear") => {
                if let Some(c) = self.coll_mut(target) {
                    c.items.clear();
                }
                Value::Unknown
            }
            (Kind::Set | Kind::List, "stream") => {
                let items = self.items_of(&Value::Ref(r));
                self.new_coll(Kind::Stream, false, items)
            }
            (
                Kind::Set | Kind::List,
                "size" | "isEmpty" | "contains" | "containsAll" | "hashCode" | "equals",
            ) => Value::Unknown,
            (Kind::Stream, "collect") => match arg {
                Value::Collector(to) => {
                    let items = self.items_of(&Value::Ref(r));
                    self.new_coll(to, true, items)
                }
                _ => return None,
            },
            (Kind::Stream, "toList") => {
                let items = self.items_of(&Value::Ref(r));
                self.new_coll(Kind::List, false, items)
            }
            (Kind::Stream, "distinct" | "sequential" | "parallel" | "unordered") => {
                let items = self.items_of(&Value::Ref(r)).map(|i| {
                    let mut c = Coll::new(Kind::Set, true);
                    for v in i {
                        self.push_item(&mut c, v);
                    }
                    c.items
                });
                self.new_coll(Kind::Stream, false, items)
            }
            (Kind::SetBuilder, "add" | "addAll") => {
                let items = if descriptor.starts_with("([")
                    || descriptor.starts_with("(Ljava/lang/Iterable;")
                {
                    self.items_of(&arg)
                } else if descriptor.starts_with("(Ljava/lang/Object;") {
                    Ok(vec![arg])
                } else {
                    Err(format!(
                        "ImmutableSet.Builder.{name}{descriptor} is not modelled"
                    ))
                };
                self.add_all(r, items);
                Value::Ref(r)
            }
            (Kind::SetBuilder, "build") => {
                let items = self.items_of(&Value::Ref(r));
                self.new_coll(Kind::Set, false, items)
            }
            _ => {
                let _ = owner;
                return None;
            }
        };
        Some(result)
    }

    fn remove_items(&mut self, r: usize, items: Result<Vec<Value>, String>) {
        let items = match items {
            Ok(items) => items,
            Err(why) => return self.taint(r, &why),
        };
        let Some(coll) = self.coll_mut(r) else { return };
        if coll.unknown.is_some() {
            return;
        }
        for item in items {
            let mut kept = Vec::with_capacity(coll.items.len());
            let mut removed_one = false;
            for existing in std::mem::take(&mut coll.items) {
                let list_done = coll.kind == Kind::List && removed_one;
                match same_element(&existing, &item) {
                    Some(true) if !list_done => removed_one = true,
                    Some(_) => kept.push(existing),
                    None => {
                        coll.unknown = Some(
                            "a removed option cannot be compared with the set's options".into(),
                        );
                        kept.push(existing);
                    }
                }
            }
            coll.items = kept;
        }
    }

    /// The `ConfigOptions.key(…)` builder chain.
    fn option_call(&self, spec: &Rc<OptionSpec>, method: &str, args: &[Value]) -> Value {
        let mut spec = (**spec).clone();
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
            return Value::Option(Rc::new(spec));
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
                    joined
                        .map(|j| Value::Text(j.into()))
                        .unwrap_or(Value::Unknown),
                )));
            }
            "withDescription" => {
                if let Some(text) = self
                    .string_of(&arg)
                    .filter(|_| matches!(arg, Value::Str(_) | Value::Ref(_)))
                {
                    spec.description = Some(text.to_string());
                }
            }
            // withDeprecatedKeys, withFallbackKeys, … keep the option as it is.
            _ => {}
        }
        Value::Option(Rc::new(spec))
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

    fn builder_call(&mut self, r: usize, method: &str, descriptor: &str, args: &[Value]) -> Value {
        let ty = arg_types(descriptor).first().copied().unwrap_or("");
        let appended = args.first().and_then(|a| self.typed_string(a, ty));
        let Some(HeapObject::Builder(content)) = self.heap.get(r) else {
            return Value::Unknown;
        };
        let content = content.clone();
        let (new_content, result) = match method {
            "<init>" => match descriptor {
                "()V" | "(I)V" => (Some(String::new()), Value::Unknown),
                _ => (appended.map(|t| t.to_string()), Value::Unknown),
            },
            "append" => {
                let grown = match (content, appended) {
                    (Some(s), Some(a)) if s.len() + a.len() <= MAX_STRING => {
                        self.string_bytes += a.len();
                        (self.string_bytes <= MAX_STRING_BYTES).then(|| s + &a)
                    }
                    (Some(_), Some(_)) => {
                        self.last_unknown =
                            Some(format!("a string grows beyond {MAX_STRING} bytes"));
                        None
                    }
                    _ => None,
                };
                (grown, Value::Ref(r))
            }
            "toString" => {
                let v = match &content {
                    Some(s) => Value::str(s.as_str()),
                    None => Value::Unknown,
                };
                (content, v)
            }
            "length" => (content, Value::Unknown),
            _ => (None, Value::Unknown),
        };
        self.heap[r] = HeapObject::Builder(new_content);
        result
    }

    /// `String.format` with `%s`/`%d` placeholders and an `Object[]` built in this method.
    fn format(&mut self, pattern: &Value, args: Option<&Value>) -> Value {
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
            if out.len() > MAX_STRING {
                break;
            }
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
        self.make_string(out)
    }

    /// `invokedynamic` string concatenation (javac ≥ 9): the recipe marks arguments with \u{1}.
    fn invoke_dynamic(&mut self, frame: &mut Frame, index: u16) -> Value {
        let Ok((bootstrap, _name, descriptor)) = frame.class.pool.invoke_dynamic(index) else {
            frame.stack.clear();
            return Value::Unknown;
        };
        let Some((arg_words, _)) = descriptor_words(&descriptor) else {
            frame.stack.clear();
            return Value::Unknown;
        };
        let mut args = Vec::new();
        for &w in arg_words.iter().rev() {
            args.push(Self::pop(frame));
            if w == 2 {
                frame.stack.pop();
            }
        }
        args.reverse();
        let Ok((handle, constants)) = frame.class.bootstrap_method(bootstrap) else {
            return Value::Unknown;
        };
        if handle.0.owner != "java/lang/invoke/StringConcatFactory"
            || handle.0.name != "makeConcatWithConstants"
        {
            let why = "a lambda or dynamic call, which the evaluator does not model".to_string();
            for a in &args {
                self.taint_value(a, &why);
            }
            return self.unknown(|| why);
        }
        let Some(Constant::Str(recipe)) = constants.first() else {
            return Value::Unknown;
        };
        let types = arg_types(&descriptor);
        let mut parts = args.iter().zip(types);
        let mut extra = constants.iter().skip(1);
        let mut out = String::new();
        for c in recipe.chars() {
            let piece: Rc<str> = match c {
                '\u{1}' => match parts.next().and_then(|(v, ty)| self.typed_string(v, ty)) {
                    Some(text) => text,
                    None => {
                        return self.unknown_keeping_reason("a string is built from unknown parts")
                    }
                },
                '\u{2}' => match extra.next() {
                    Some(Constant::Str(s)) => s.as_ref().into(),
                    _ => return Value::Unknown,
                },
                other => other.to_string().into(),
            };
            if out.len() + piece.len() > MAX_STRING {
                return self.unknown(|| format!("a string grows beyond {MAX_STRING} bytes"));
            }
            out.push_str(&piece);
        }
        self.make_string(out)
    }
}

/// (kind, slot) of a load or store: kind 0 int, 1 long, 2 float, 3 double, 4 reference.
fn load_store(insn: &Instruction) -> (u8, u16) {
    match insn.opcode {
        0x15..=0x19 => (insn.opcode - 0x15, insn.local_index()),
        0x1a..=0x2d => (
            (insn.opcode - 0x1a) / 4,
            u16::from((insn.opcode - 0x1a) % 4),
        ),
        0x36..=0x3a => (insn.opcode - 0x36, insn.local_index()),
        _ => (
            (insn.opcode - 0x3b) / 4,
            u16::from((insn.opcode - 0x3b) % 4),
        ),
    }
}

/// (words popped, words pushed) of the instructions whose values do not matter here.
fn stack_effect(insn: &Instruction) -> Option<(usize, usize)> {
    Some(match insn.opcode {
        0x00 => (0, 0),
        0x2e | 0x30 | 0x33..=0x35 => (2, 1),
        0x2f | 0x31 => (2, 2),
        0x4f | 0x51 | 0x54..=0x56 => (3, 0),
        0x50 | 0x52 => (4, 0),
        // int/float arithmetic (two operands), long/double arithmetic
        0x60 | 0x62 | 0x64 | 0x66 | 0x68 | 0x6a | 0x6c | 0x6e | 0x70 | 0x72 => (2, 1),
        0x61 | 0x63 | 0x65 | 0x67 | 0x69 | 0x6b | 0x6d | 0x6f | 0x71 | 0x73 => (4, 2),
        0x74 | 0x76 => (1, 1),
        0x75 | 0x77 => (2, 2),
        0x78 | 0x7a | 0x7c => (2, 1),
        0x79 | 0x7b | 0x7d => (3, 2),
        0x7e | 0x80 | 0x82 => (2, 1),
        0x7f | 0x81 | 0x83 => (4, 2),
        0x85 | 0x87 | 0x8c | 0x8d => (1, 2),
        0x86 | 0x8b | 0x91..=0x93 => (1, 1),
        0x88 | 0x89 | 0x8e | 0x90 => (2, 1),
        0x8a | 0x8f => (2, 2),
        0x94 | 0x97 | 0x98 => (4, 1),
        0x95 | 0x96 => (2, 1),
        0x99..=0x9e | 0xc6 | 0xc7 | op::TABLESWITCH | op::LOOKUPSWITCH => (1, 0),
        0x9f..=0xa6 => (2, 0),
        0xa7 | 0xc8 | 0xa9 => (0, 0),
        0xa8 | 0xc9 => (0, 1),
        0xbe | 0xc1 => (1, 1), // arraylength, instanceof
        0xbf => (1, 0),        // athrow
        0xc2 | 0xc3 => (1, 0), // monitorenter/exit
        0xc5 => (usize::from(*insn.operands.get(2)?), 1),
        _ => return None,
    })
}

/// The field descriptors of a method descriptor's arguments.
fn arg_types(descriptor: &str) -> Vec<&str> {
    let inner = descriptor
        .strip_prefix('(')
        .and_then(|d| d.split(')').next())
        .unwrap_or("");
    let bytes = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] == b'[' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'L' {
            while i < bytes.len() && bytes[i] != b';' {
                i += 1;
            }
        }
        i += 1;
        out.push(&inner[start..i.min(inner.len())]);
    }
    out
}

/// Whether two elements are equal as `ConfigOption.equals` (key and default) or
/// `Object.equals` decide; `None` when it depends on something unknown.
fn same_element(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Option(x), Value::Option(y)) => {
            let (Some(kx), Some(ky)) = (&x.key, &y.key) else {
                return None;
            };
            if kx != ky {
                return Some(false);
            }
            if x.field.is_some() && x.field == y.field {
                return Some(true);
            }
            let dx = x.default.as_ref()?.as_ref().map(|v| v.display());
            let dy = y.default.as_ref()?.as_ref().map(|v| v.display());
            match (dx, dy) {
                (None, None) => Some(true),
                (Some(Some(a)), Some(Some(b))) => Some(a == b),
                (Some(None), _) | (_, Some(None)) => None,
                _ => Some(false),
            }
        }
        (Value::Option(_), _) | (_, Value::Option(_)) => Some(false),
        _ => Some(a == b),
    }
}

/// Distinct elements, when equality of every pair is decidable.
fn distinct_count(items: &[Value]) -> Option<usize> {
    let mut seen: Vec<&Value> = Vec::new();
    for item in items {
        let mut dup = false;
        for s in &seen {
            if same_element(s, item)? {
                dup = true;
            }
        }
        if !dup {
            seen.push(item);
        }
    }
    Some(seen.len())
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
    Value::Text(text.into())
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
        Constant::Str(s) => Value::str(s.as_ref()),
        Constant::Class(c) => Value::Class(c.as_ref().into()),
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

    #[test]
    fn argument_types_split_descriptors() {
        assert_eq!(
            arg_types("(Ljava/lang/Object;[Ljava/lang/Object;IJ)Ljava/util/Set;"),
            vec!["Ljava/lang/Object;", "[Ljava/lang/Object;", "I", "J"]
        );
    }
}
