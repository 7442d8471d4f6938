//! The classes a connector sees: its own jar first, then the Flink runtime's `lib/` (when known),
//! then the built-in tables. Answers "what does this class extend", "what does this static
//! field hold" and "where is this method", caching what it reads.

use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use super::eval::{self, OptionSpec, Statics, Value};
use crate::bounds::{
    EVAL_MAX_INITIALISERS as MAX_INITIALISERS, EVAL_MAX_NESTING as MAX_NESTING,
    EVAL_MAX_SCANNED as MAX_SCANNED, EVAL_MAX_TOTAL_STEPS as MAX_TOTAL_STEPS,
};
use crate::classfile::bytecode::{instructions, op};
use crate::classfile::{ClassFile, Member, ACC_ENUM, ACC_FINAL, ACC_PRIVATE};
use crate::flink::runtime::{RuntimeLib, FACTORY, FACTORY_INTERFACES, KNOWN_OPTIONS};
use crate::jar::{JarIndex, DEFAULT_ENTRY_CAP};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Jar,
    Runtime,
    /// Known from the built-in tables only.
    Builtin,
}

/// The parts of a class header the hierarchy questions need.
#[derive(Debug, Clone)]
pub struct Header {
    pub access: u16,
    pub super_name: Option<String>,
    pub interfaces: Vec<String>,
    pub origin: Origin,
}

/// A three-valued answer: hierarchies can pass through classes nobody can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Unknown,
}

enum StaticsState {
    InProgress,
    Done(Rc<HashMap<String, Value>>),
}

/// A class file's bytes and where they came from.
type ClassBytes = (Rc<Vec<u8>>, Origin);
/// A class's declared fields and methods as (name, descriptor).
type MemberSet = Rc<HashSet<(String, String)>>;

pub struct ClassPath<'a> {
    jar: &'a JarIndex,
    runtime: Option<&'a RuntimeLib>,
    bytes: HashMap<String, Option<ClassBytes>>,
    headers: HashMap<String, Option<Rc<Header>>>,
    statics: HashMap<String, StaticsState>,
    members: HashMap<String, Option<MemberSet>>,
    mutations: HashMap<(String, String, bool), Option<String>>,
    /// Class initialisers being evaluated right now (each may read another class's statics).
    nesting: usize,
    /// Class initialisers evaluated so far.
    initialised: usize,
    /// Bytecode instructions evaluated so far, over all evaluations.
    steps: usize,
}

/// JDK interfaces Flink types commonly extend, with every method they declare, so that a
/// hierarchy reaching them can still be searched completely.
const JDK_TYPES: &[(&str, &[&str])] = &[
    ("java/io/Serializable", &[]),
    ("java/lang/Cloneable", &[]),
    ("java/lang/AutoCloseable", &["close"]),
    ("java/io/Closeable", &["close"]),
    ("java/lang/Comparable", &["compareTo"]),
    ("java/lang/Runnable", &["run"]),
    (
        "java/lang/Iterable",
        &["iterator", "forEach", "spliterator"],
    ),
];

/// Methods every class inherits from java.lang.Object.
const OBJECT_METHODS: &[&str] = &[
    "hashCode",
    "equals",
    "toString",
    "getClass",
    "notify",
    "notifyAll",
    "wait",
    "clone",
    "finalize",
];

impl<'a> ClassPath<'a> {
    pub fn new(jar: &'a JarIndex, runtime: Option<&'a RuntimeLib>) -> Self {
        ClassPath {
            jar,
            runtime,
            bytes: HashMap::new(),
            headers: HashMap::new(),
            statics: HashMap::new(),
            members: HashMap::new(),
            mutations: HashMap::new(),
            nesting: 0,
            initialised: 0,
            steps: 0,
        }
    }

    pub fn jar(&self) -> &'a JarIndex {
        self.jar
    }

    pub fn runtime(&self) -> Option<&'a RuntimeLib> {
        self.runtime
    }

    /// The class file bytes, from the jar or the runtime (Flink's parent-first loading of
    /// `org.apache.flink` is ignored here: both copies describe the same API).
    pub fn class_bytes(&mut self, name: &str) -> Option<ClassBytes> {
        if let Some(cached) = self.bytes.get(name) {
            return cached.clone();
        }
        let entry = format!("{name}.class");
        let found = match self.jar.read_named(&entry, DEFAULT_ENTRY_CAP) {
            Some(Ok(bytes)) => Some((Rc::new(bytes), Origin::Jar)),
            _ => self
                .runtime
                .and_then(|r| r.class_bytes(name))
                .map(|b| (Rc::new(b), Origin::Runtime)),
        };
        self.bytes.insert(name.to_string(), found.clone());
        found
    }

    pub fn header(&mut self, name: &str) -> Option<Rc<Header>> {
        if let Some(cached) = self.headers.get(name) {
            return cached.clone();
        }
        let header = match self.class_bytes(name) {
            Some((bytes, origin)) => ClassFile::parse(&bytes).ok().map(|c| Header {
                access: c.access,
                super_name: c.super_name.map(|s| s.into_owned()),
                interfaces: c.interfaces.into_iter().map(|i| i.into_owned()).collect(),
                origin,
            }),
            // The embedded class index has headers without class bytes.
            None => match self.runtime.and_then(|r| r.header(name)) {
                Some((access, super_name, interfaces)) => Some(Header {
                    access,
                    super_name,
                    interfaces,
                    origin: Origin::Runtime,
                }),
                None => FACTORY_INTERFACES
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, supers)| Header {
                        access: crate::classfile::ACC_INTERFACE | crate::classfile::ACC_PUBLIC,
                        super_name: Some("java/lang/Object".into()),
                        interfaces: supers.iter().map(|s| s.to_string()).collect(),
                        origin: Origin::Builtin,
                    }),
            },
        }
        .map(Rc::new);
        self.headers.insert(name.to_string(), header.clone());
        header
    }

    /// Every class and interface above `name` (not including it), breadth-first, plus whether
    /// some ancestor could not be read (JDK classes count as readable leaves).
    pub fn ancestors(&mut self, name: &str) -> (Vec<String>, bool) {
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([name.to_string()]);
        let mut out = Vec::new();
        let mut incomplete = false;
        while let Some(current) = queue.pop_front() {
            if !seen.insert(current.clone()) || seen.len() > 256 {
                continue;
            }
            if current != name {
                out.push(current.clone());
            }
            if current.starts_with("java/")
                || current.starts_with("javax/")
                || current.starts_with("scala/")
            {
                continue;
            }
            match self.header(&current) {
                Some(h) => {
                    queue.extend(h.super_name.iter().cloned());
                    queue.extend(h.interfaces.iter().cloned());
                }
                None => incomplete = true,
            }
        }
        (out, incomplete)
    }

    pub fn is_subtype_of(&mut self, name: &str, target: &str) -> Answer {
        let (ancestors, incomplete) = self.ancestors(name);
        if ancestors.iter().any(|a| a == target) {
            Answer::Yes
        } else if incomplete {
            Answer::Unknown
        } else {
            Answer::No
        }
    }

    /// The Factory sub-interfaces a class implements, most specific first.
    pub fn factory_interfaces(&mut self, name: &str) -> Vec<String> {
        let (ancestors, _) = self.ancestors(name);
        let mut interfaces = Vec::new();
        for ancestor in ancestors.into_iter().filter(|a| a != FACTORY) {
            let is_interface = self
                .header(&ancestor)
                .is_some_and(|h| h.access & crate::classfile::ACC_INTERFACE != 0);
            if is_interface && self.is_subtype_of(&ancestor, FACTORY) == Answer::Yes {
                interfaces.push(ancestor);
            }
        }
        interfaces
    }

    /// Finds the class declaring `name` + `descriptor`, searching superclasses then interfaces
    /// (default methods) the way the JVM resolves a virtual call.
    pub fn find_method(
        &mut self,
        class: &str,
        name: &str,
        descriptor: &str,
    ) -> Option<(String, Rc<Vec<u8>>)> {
        let mut candidates = vec![class.to_string()];
        candidates.extend(self.ancestors(class).0);
        for candidate in candidates {
            let Some((bytes, _)) = self.class_bytes(&candidate) else {
                continue;
            };
            let declares = ClassFile::parse(&bytes)
                .map(|c| {
                    c.methods.iter().any(|m| {
                        m.name == name
                            && m.descriptor == descriptor
                            && m.attribute("Code").is_some()
                    })
                })
                .unwrap_or(false);
            if declares {
                return Some((candidate, bytes));
            }
        }
        None
    }

    /// Whether `owner` (or a class it inherits from) declares the field or method, as the JVM
    /// resolves a symbolic reference. `Unknown` when part of the hierarchy cannot be read.
    pub fn has_member(&mut self, owner: &str, name: &str, descriptor: &str) -> Answer {
        let mut candidates = vec![owner.to_string()];
        let mut incomplete = false;
        if name != "<init>" {
            let (ancestors, missing) = self.ancestors(owner);
            candidates.extend(ancestors);
            incomplete = missing;
        }
        for candidate in &candidates {
            if candidate == "java/lang/Object" {
                if OBJECT_METHODS.contains(&name) {
                    return Answer::Yes;
                }
                continue;
            }
            if let Some((_, methods)) = JDK_TYPES.iter().find(|(class, _)| class == candidate) {
                if methods.contains(&name) {
                    return Answer::Yes;
                }
                continue;
            }
            if candidate.starts_with("java/")
                || candidate.starts_with("javax/")
                || candidate.starts_with("scala/")
            {
                incomplete = true;
                continue;
            }
            match self.members(candidate) {
                Some(members) if members.contains(&(name.to_string(), descriptor.to_string())) => {
                    return Answer::Yes
                }
                Some(_) => {}
                None => incomplete = true,
            }
        }
        if incomplete {
            Answer::Unknown
        } else {
            Answer::No
        }
    }

    fn members(&mut self, class: &str) -> Option<MemberSet> {
        if let Some(cached) = self.members.get(class) {
            return cached.clone();
        }
        let members = match self.class_bytes(class) {
            Some((bytes, _)) => ClassFile::parse(&bytes).ok().map(|parsed| {
                let all = parsed
                    .fields
                    .iter()
                    .chain(parsed.methods.iter())
                    .map(|m| (m.name.to_string(), m.descriptor.to_string()));
                Rc::new(all.collect::<HashSet<_>>())
            }),
            // The embedded class index lists members without class bytes.
            None => self
                .runtime
                .and_then(|r| r.members(class))
                .map(|m| Rc::new(m.iter().cloned().collect())),
        };
        self.members.insert(class.to_string(), members.clone());
        members
    }

    /// Values of a class's static fields after its initializer ran (evaluated once, cached).
    fn class_statics(&mut self, owner: &str) -> Option<Rc<HashMap<String, Value>>> {
        match self.statics.get(owner) {
            Some(StaticsState::Done(map)) => return Some(map.clone()),
            Some(StaticsState::InProgress) => return None,
            None => {}
        }
        if self.nesting >= MAX_NESTING || self.initialised >= MAX_INITIALISERS {
            return None;
        }
        let (bytes, _) = self.class_bytes(owner)?;
        let class = ClassFile::parse(&bytes).ok()?;
        self.statics
            .insert(owner.to_string(), StaticsState::InProgress);
        self.nesting += 1;
        self.initialised += 1;
        let mut values = match class.method("<clinit>", "()V") {
            Some(clinit) => eval::evaluate(&class, clinit, self).statics,
            None => HashMap::new(),
        };
        self.nesting -= 1;
        for field in class.fields.iter().filter(|f| f.is_static()) {
            let value = if field.access & ACC_ENUM != 0 {
                Some(Value::Enum {
                    owner: owner.to_string(),
                    name: field.name.to_string(),
                })
            } else {
                class.constant_value(field).map(eval::constant_value)
            };
            if let Some(value) = value {
                values.entry(field.name.to_string()).or_insert(value);
            }
        }
        let values = Rc::new(values);
        self.statics
            .insert(owner.to_string(), StaticsState::Done(values.clone()));
        Some(values)
    }
}

impl ClassPath<'_> {
    /// The class that declares the field `owner.name` resolves to, as the JVM resolves it
    /// (JVMS 5.4.3.2): `owner` itself, then its superinterfaces, then its superclass, each
    /// recursively. `None` when the hierarchy cannot be read up to the declaration.
    fn field_owner(&mut self, owner: &str, name: &str) -> Option<String> {
        // Each class is searched once: a hostile hierarchy of diamonds stays linear.
        let mut visited = HashSet::new();
        self.field_owner_within(owner, name, &mut visited)
    }

    fn field_owner_within(
        &mut self,
        class: &str,
        name: &str,
        visited: &mut HashSet<String>,
    ) -> Option<String> {
        if visited.len() > 256 || class.starts_with("java/") || !visited.insert(class.to_string()) {
            return None;
        }
        let declares = self
            .members(class)?
            .iter()
            .any(|(n, d)| n == name && !d.starts_with('('));
        if declares {
            return Some(class.to_string());
        }
        let header = self.header(class)?;
        for interface in &header.interfaces {
            if let Some(found) = self.field_owner_within(interface, name, visited) {
                return Some(found);
            }
        }
        let super_name = header.super_name.as_deref()?;
        self.field_owner_within(super_name, name, visited)
    }

    fn is_final(&mut self, owner: &str, name: &str) -> bool {
        self.class_bytes(owner)
            .and_then(|(bytes, _)| {
                let class = ClassFile::parse(&bytes).ok()?;
                class.field(name).map(|f| f.access & ACC_FINAL != 0)
            })
            .unwrap_or(false)
    }

    /// Which method assigns static field `owner.name` outside its class initialiser.
    fn reassignment(&mut self, owner: &str, name: &str) -> Option<String> {
        self.cached_mutation(owner, name, true)
    }

    fn cached_mutation(
        &mut self,
        owner: &str,
        name: &str,
        assignments_only: bool,
    ) -> Option<String> {
        let key = (owner.to_string(), name.to_string(), assignments_only);
        if let Some(cached) = self.mutations.get(&key) {
            return cached.clone();
        }
        let found = self.find_mutation(owner, name, assignments_only);
        self.mutations.insert(key, found.clone());
        found
    }

    /// Who else may write or change static field `owner.name` (see [`Statics::static_mutation`]);
    /// with `assignments_only`, only `putstatic` outside the class initialiser counts.
    fn find_mutation(&mut self, owner: &str, name: &str, assignments_only: bool) -> Option<String> {
        let Some((bytes, origin)) = self.class_bytes(owner) else {
            return Some(format!("{owner} cannot be read"));
        };
        let Ok(class) = ClassFile::parse(&bytes) else {
            return Some(format!("{owner} cannot be parsed"));
        };
        let private = class
            .field(name)
            .is_some_and(|f| f.access & ACC_PRIVATE != 0);
        let scan = |class: &ClassFile| -> Option<String> {
            let refers = class
                .pool
                .member_refs()
                .any(|m| m.owner == owner && m.name == name);
            if !refers {
                return None;
            }
            class
                .methods
                .iter()
                .filter(|m| !(class.name == owner && m.name == "<clinit>"))
                .find_map(|m| writes_static(class, m, owner, name, assignments_only))
        };
        if origin != Origin::Jar {
            // Runtime classes cannot be listed: only a private field of a class without
            // nest members is checkable (its own methods are all that can touch it).
            if !private || class.attribute("NestMembers").is_some() {
                return Some(format!(
                    "{owner}.{name} can be reached from runtime classes that are not scanned"
                ));
            }
            return scan(&class);
        }
        let nest = format!("{owner}$");
        let candidates: Vec<&str> = self
            .jar
            .entries()
            .iter()
            .filter(|e| e.is_class())
            .map(|e| e.name.trim_end_matches(".class"))
            .filter(|c| !private || *c == owner || c.starts_with(&nest))
            .collect();
        if candidates.len() > MAX_SCANNED {
            return Some(format!(
                "{owner}.{name} is not private and the jar has too many classes to check"
            ));
        }
        for candidate in candidates {
            // Read directly: caching every class of the jar would hold it all in memory.
            let Some(Ok(bytes)) = self
                .jar
                .read_named(&format!("{candidate}.class"), DEFAULT_ENTRY_CAP)
            else {
                continue;
            };
            if let Some(why) = ClassFile::parse(&bytes).ok().and_then(|c| scan(&c)) {
                return Some(why);
            }
        }
        None
    }
}

/// Whether `method` assigns static field `owner.name` or uses its value in a way that may
/// change it: anything but handing it to a JDK/Guava call as an argument, calling a read-only
/// method on it, or returning it from a factory's option method.
fn writes_static(
    class: &ClassFile,
    method: &Member,
    owner: &str,
    name: &str,
    assignments_only: bool,
) -> Option<String> {
    let code = class.code(method).ok().flatten()?;
    let insns: Vec<_> = instructions(code.bytecode).map_while(Result::ok).collect();
    let simple = owner.rsplit('/').next().unwrap_or(owner);
    let here = format!(
        "{}.{}",
        class.name.rsplit('/').next().unwrap_or(&class.name),
        method.name
    );
    for (i, insn) in insns.iter().enumerate() {
        if !matches!(insn.opcode, op::GETSTATIC | op::PUTSTATIC) {
            continue;
        }
        let Ok(field) = class.pool.member_ref(insn.pool_index()) else {
            continue;
        };
        if field.owner != owner || field.name != name {
            continue;
        }
        if insn.opcode == op::PUTSTATIC {
            return Some(format!("{simple}.{name} is assigned again in {here}"));
        }
        if assignments_only {
            continue;
        }
        let read_only = match insns.get(i + 1) {
            Some(next) if next.opcode == op::ARETURN => matches!(
                method.name.as_ref(),
                "requiredOptions" | "optionalOptions" | "forwardOptions"
            ),
            Some(next)
                if matches!(
                    next.opcode,
                    op::INVOKEVIRTUAL | op::INVOKEINTERFACE | op::INVOKESTATIC | op::INVOKESPECIAL
                ) =>
            {
                class.pool.member_ref(next.pool_index()).is_ok_and(|call| {
                    leaves_collection_alone(next.opcode, &call.owner, &call.name, &call.descriptor)
                })
            }
            _ => false,
        };
        if !read_only {
            return Some(format!(
                "{simple}.{name} is a mutable collection that {here} may change"
            ));
        }
    }
    None
}

/// A call that receives a collection as its last stack value and cannot change it.
fn leaves_collection_alone(opcode: u8, owner: &str, name: &str, descriptor: &str) -> bool {
    let no_args = descriptor.starts_with("()");
    if no_args && opcode != op::INVOKESTATIC {
        // The collection is the receiver.
        return matches!(
            name,
            "stream"
                | "iterator"
                | "size"
                | "isEmpty"
                | "toString"
                | "hashCode"
                | "spliterator"
                | "parallelStream"
                | "toArray"
        );
    }
    let library = owner.starts_with("java/util/") || owner.contains("com/google/common/collect/");
    let mutates_argument = owner == "java/util/Collections"
        && matches!(
            name,
            "sort" | "shuffle" | "reverse" | "fill" | "swap" | "rotate" | "addAll" | "copy"
        );
    library && !no_args && !mutates_argument
}

impl Statics for ClassPath<'_> {
    fn step_budget(&mut self) -> usize {
        MAX_TOTAL_STEPS.saturating_sub(self.steps)
    }

    fn spend(&mut self, steps: usize) {
        self.steps = self.steps.saturating_add(steps);
    }

    fn method_code(
        &mut self,
        class: &str,
        name: &str,
        descriptor: &str,
    ) -> Option<(String, Rc<Vec<u8>>)> {
        self.find_method(class, name, descriptor)
    }

    fn static_mutation(&mut self, owner: &str, name: &str) -> Option<String> {
        let declared = self.field_owner(owner, name);
        let declared = declared.as_deref().unwrap_or(owner);
        // Writers may name the field through either class.
        self.cached_mutation(declared, name, false).or_else(|| {
            (declared != owner)
                .then(|| self.cached_mutation(owner, name, false))
                .flatten()
        })
    }

    fn unreadable_static(&mut self, owner: &str, name: &str) -> String {
        let declared = self.field_owner(owner, name);
        // Not found: the named class, or an ancestor that could declare it, cannot be read.
        let unread = match &declared {
            Some(d) => self.class_bytes(d).is_none().then(|| d.clone()),
            None if self.class_bytes(owner).is_none() => Some(owner.to_string()),
            None => {
                let (ancestors, _) = self.ancestors(owner);
                ancestors.into_iter().find(|a| {
                    !a.starts_with("java/") && !a.starts_with("javax/") && self.header(a).is_none()
                })
            }
        };
        let owner = declared.as_deref().unwrap_or(owner);
        let simple = owner.rsplit('/').next().unwrap_or(owner);
        if let Some(unread) = unread {
            let looked = if self.runtime.is_some() {
                "neither in the jar nor in Flink's lib/ (it comes from another artifact)"
            } else {
                "not in the jar, and no Flink lib/ is cached to look in"
            };
            return format!(
                "static field {simple}.{name}: {} is {looked}",
                unread.replace('/', ".")
            );
        }
        if !self.is_final(owner, name) {
            if let Some(writer) = self.reassignment(owner, name) {
                return format!(
                    "static field {simple}.{name} is not final and is assigned again outside its \
                     class initialiser ({writer})"
                );
            }
        }
        format!("static field {simple}.{name}: its class initialiser cannot be evaluated exactly")
    }

    fn static_field(&mut self, owner: &str, name: &str, _descriptor: &str) -> Value {
        // `Sub.FIELD` may name a field `Sub` inherits (option holders extending a base holder).
        let declared = self.field_owner(owner, name);
        let owner = declared.as_deref().unwrap_or(owner);
        if let Some(value) = self
            .class_statics(owner)
            .and_then(|values| values.get(name).cloned())
        {
            // A field that is not final may be assigned again after the initialiser ran.
            if self.is_final(owner, name) || self.reassignment(owner, name).is_none() {
                return value;
            }
            return Value::Static {
                owner: owner.to_string(),
                name: name.to_string(),
            };
        }
        if let Some((_, _, key, ty, default)) = KNOWN_OPTIONS
            .iter()
            .find(|(o, f, ..)| *o == owner && *f == name)
        {
            return Value::Option(Rc::new(OptionSpec {
                key: Some(key.to_string()),
                ty: Some(ty.to_string()),
                default: Some(default.map(|d| Box::new(Value::Text(d.into())))),
                description: None,
                field: None,
            }));
        }
        Value::Static {
            owner: owner.to_string(),
            name: name.to_string(),
        }
    }
}
