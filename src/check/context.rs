//! Everything the rules read about one jar, gathered once: the index, manifest, services file,
//! per-class facts (deep mode, on all cores), the factories, and a class path for hierarchy
//! questions that reaches into the runtime's lib/.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::classfile::{element_class, peek_version, ClassFile, MemberKind};
use crate::flink::runtime::{RuntimeLib, FACTORY_SERVICES};
use crate::inspect::classpath::ClassPath;
use crate::inspect::factories::{self, FactoryInfo};
use crate::jar::manifest::Manifest;
use crate::jar::services::{parse_services, ServiceLine};
use crate::jar::{EntryError, JarIndex, DEFAULT_ENTRY_CAP};

use super::target::Target;

use crate::bounds::TEXT_ENTRY_CAP as TEXT_CAP;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OwnedMemberRef {
    pub kind: MemberKind,
    pub owner: String,
    pub name: String,
    pub descriptor: String,
}

impl OwnedMemberRef {
    /// The member as a Java developer reads it: `method org.x.Y.of(Source, Integer)`,
    /// `field org.x.F.OPTION (ConfigOption)`, `constructor new org.x.Y(int)`.
    pub fn java(&self) -> String {
        let what = match self.kind {
            MemberKind::Field => "field",
            _ if self.name == "<init>" => "constructor",
            _ => "method",
        };
        let shown = super::finding::java_member(&self.owner, &self.name, &self.descriptor);
        format!("{what} {shown}")
    }
}

/// What the rules need from one class file.
#[derive(Debug, Clone)]
pub struct ClassFacts {
    pub entry: String,
    pub name: String,
    pub major: u16,
    pub access: u16,
    pub super_name: Option<String>,
    pub interfaces: Vec<String>,
    pub public_no_arg_ctor: bool,
    /// Classes named in the constant pool under org/apache/flink/ or scala/ that the jar does
    /// not define itself (array types unwrapped).
    pub foreign_refs: Vec<String>,
    /// Field and method references to such classes.
    pub foreign_member_refs: Vec<OwnedMemberRef>,
    /// The method references of `foreign_member_refs` that this class invokes only from its own
    /// method of the same name and descriptor: a forwarding implementation
    /// (`listProcedures(db) { return inner.listProcedures(db); }`).
    pub forwarded_member_refs: Vec<OwnedMemberRef>,
    pub uses_context_class_loader: bool,
    /// Marked `@Deprecated` (javac writes the `Deprecated` attribute for it): Flink's connector
    /// rule exempts such classes from the public-API check.
    pub deprecated: bool,
}

impl ClassFacts {
    /// `META-INF/versions/N/…` classes load only on Java N+.
    pub fn release_dir(&self) -> Option<u16> {
        versioned_release(&self.entry)
    }
}

pub fn versioned_release(entry: &str) -> Option<u16> {
    entry
        .strip_prefix("META-INF/versions/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

fn is_interesting_ref(class: &str) -> bool {
    class.starts_with("org/apache/flink/") || class.starts_with("scala/")
}

fn class_facts(entry: &str, bytes: &[u8], own: &HashSet<String>) -> Result<ClassFacts, String> {
    let class = ClassFile::parse(bytes).map_err(|e| e.to_string())?;
    let foreign = |name: &str| is_interesting_ref(name) && !own.contains(name);
    let mut foreign_refs: Vec<String> = class
        .pool
        .class_refs()
        .filter_map(|c| element_class(&c).filter(|c| foreign(c)).map(str::to_string))
        .collect();
    foreign_refs.sort();
    foreign_refs.dedup();
    let mut uses_context_class_loader = false;
    let mut foreign_member_refs = Vec::new();
    for member in class.pool.member_refs() {
        if member.owner == "java/lang/Thread" && member.name == "getContextClassLoader" {
            uses_context_class_loader = true;
        }
        if foreign(&member.owner) {
            foreign_member_refs.push(OwnedMemberRef {
                kind: member.kind,
                owner: member.owner.into_owned(),
                name: member.name.into_owned(),
                descriptor: member.descriptor.into_owned(),
            });
        }
    }
    let forwarded_member_refs = forwarded_refs(&class, &foreign_member_refs);
    Ok(ClassFacts {
        entry: entry.to_string(),
        name: class.name.to_string(),
        major: class.major,
        access: class.access,
        super_name: class.super_name.as_ref().map(|s| s.to_string()),
        interfaces: class.interfaces.iter().map(|i| i.to_string()).collect(),
        public_no_arg_ctor: class.has_public_no_arg_constructor(),
        foreign_refs,
        foreign_member_refs,
        forwarded_member_refs,
        uses_context_class_loader,
        deprecated: class.attribute("Deprecated").is_some(),
    })
}

/// The method references in `refs` that `class` invokes, and only from its own methods of the
/// same name and descriptor. Such a forwarder runs only when its caller has that method — when a
/// Flink line lacks it, that line's Flink never calls the forwarder. Cheap for most classes: the
/// bytecode is decoded only when the class declares a method shaped like one it references.
fn forwarded_refs(class: &ClassFile, refs: &[OwnedMemberRef]) -> Vec<OwnedMemberRef> {
    use crate::classfile::bytecode::{instructions, op};
    let declares = |r: &OwnedMemberRef| class.method(&r.name, &r.descriptor).is_some();
    let candidates: Vec<&OwnedMemberRef> = refs
        .iter()
        .filter(|r| r.kind != MemberKind::Field && declares(r))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // Constant-pool index → candidate (a class may name the same member at several indices).
    let mut at_index = std::collections::HashMap::new();
    for i in 1..class.pool.len() as u16 {
        if let Ok(m) = class.pool.member_ref(i) {
            if let Some(c) = candidates.iter().position(|c| {
                c.owner == m.owner && c.name == m.name && c.descriptor == m.descriptor
            }) {
                at_index.insert(i, c);
            }
        }
    }
    let mut invoked = vec![false; candidates.len()];
    let mut elsewhere = vec![false; candidates.len()];
    // A method handle (`inner::listProcedures` in a lambda) can be invoked from anywhere.
    for i in 1..class.pool.len() as u16 {
        if let Some(&c) = class
            .pool
            .method_handle_target(i)
            .and_then(|target| at_index.get(&target))
        {
            elsewhere[c] = true;
        }
    }
    for method in &class.methods {
        let Ok(Some(code)) = class.code(method) else {
            continue;
        };
        for ins in instructions(code.bytecode) {
            let Ok(ins) = ins else {
                // Undecodable code: no claim about where anything is called from.
                return Vec::new();
            };
            if !matches!(
                ins.opcode,
                op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE
            ) {
                continue;
            }
            if let Some(&c) = at_index.get(&ins.pool_index()) {
                invoked[c] = true;
                let r = candidates[c];
                if method.name != r.name.as_str() || method.descriptor != r.descriptor.as_str() {
                    elsewhere[c] = true;
                }
            }
        }
    }
    candidates
        .into_iter()
        .enumerate()
        .filter(|(c, _)| invoked[*c] && !elsewhere[*c])
        .map(|(_, r)| r.clone())
        .collect()
}

/// How deep the audit reads: `Layout` reads the central directory, manifest, services file and
/// the listed factory classes; `Deep` also parses every class file's constant pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Layout,
    Deep,
}

pub struct JarContext<'a> {
    pub jar: &'a JarIndex,
    pub file_name: String,
    pub target: Target,
    pub runtime: Option<&'a RuntimeLib>,
    pub manifest: Option<Manifest>,
    /// `None` when the jar has no Factory services file; `Some(Err)` when it cannot be read.
    pub services: Option<Result<Vec<ServiceLine>, String>>,
    /// Facts of every class file (`None` in layout mode).
    pub classes: Option<Vec<ClassFacts>>,
    /// Entries that could not be read or parsed, with the reason.
    pub unreadable: Vec<(String, String)>,
    /// Internal names of the classes the jar defines (outside META-INF/versions).
    pub own_classes: HashSet<String>,
    pub factories: Vec<FactoryInfo>,
    pub classpath: RefCell<ClassPath<'a>>,
}

/// Facts that do not depend on the target: gathered before the target is inferred.
pub struct JarFacts {
    pub manifest: Option<Manifest>,
    pub services: Option<Result<Vec<ServiceLine>, String>>,
    pub classes: Option<Vec<ClassFacts>>,
    pub unreadable: Vec<(String, String)>,
    pub own_classes: HashSet<String>,
}

impl JarFacts {
    pub fn gather(jar: &JarIndex, depth: Depth, threads: usize) -> JarFacts {
        let mut unreadable = Vec::new();
        let mut read_text = |name: &str, cap: u64| match jar.read_named(name, cap)? {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                unreadable.push((name.to_string(), e.to_string()));
                None
            }
        };
        let manifest = read_text("META-INF/MANIFEST.MF", TEXT_CAP).map(|b| Manifest::parse(&b));
        // ServiceLoader reads comment-padded services files of any size: a larger bound.
        let services = read_text(FACTORY_SERVICES, crate::bounds::SERVICES_FILE_MAX)
            .map(|b| parse_services(&b));
        let own_classes: HashSet<String> = jar
            .entries()
            .iter()
            .filter(|e| e.is_class() && !e.name.starts_with("META-INF/"))
            .map(|e| e.name.trim_end_matches(".class").to_string())
            .collect();
        let classes = (depth == Depth::Deep).then(|| {
            let results = jar.map_entries(
                threads,
                DEFAULT_ENTRY_CAP,
                |e| e.is_class(),
                |entry, bytes| {
                    Some(
                        bytes
                            .map_err(|e: EntryError| e.to_string())
                            .and_then(|b| class_facts(&entry.name, &b, &own_classes))
                            .map_err(|e| (entry.name.clone(), e)),
                    )
                },
            );
            let mut facts = Vec::with_capacity(results.len());
            for result in results {
                match result {
                    Ok(f) => facts.push(f),
                    Err(bad) => unreadable.push(bad),
                }
            }
            facts
        });
        JarFacts {
            manifest,
            services,
            classes,
            unreadable,
            own_classes,
        }
    }

    /// The highest class major among base (non-versioned) classes, reading only headers when
    /// the deep facts are not there.
    pub fn max_base_major(&self, jar: &JarIndex) -> Option<u16> {
        match &self.classes {
            Some(classes) => classes
                .iter()
                .filter(|c| c.release_dir().is_none() && !c.entry.ends_with("module-info.class"))
                .map(|c| c.major)
                .max(),
            None => jar
                .entries()
                .iter()
                .filter(|e| e.is_class() && !e.name.starts_with("META-INF/"))
                .take(64)
                .filter_map(|e| jar.read(jar.index_of(&e.name)?, DEFAULT_ENTRY_CAP).ok())
                .filter_map(|b| peek_version(&b).ok().map(|(major, _)| major))
                .max(),
        }
    }
}

impl<'a> JarContext<'a> {
    pub fn new(
        jar: &'a JarIndex,
        facts: JarFacts,
        target: Target,
        runtime: Option<&'a RuntimeLib>,
    ) -> JarContext<'a> {
        let file_name = jar
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut classpath = ClassPath::new(jar, runtime);
        let factories = factories::read_factories(&mut classpath);
        JarContext {
            jar,
            file_name,
            target,
            runtime,
            manifest: facts.manifest,
            services: facts.services,
            classes: facts.classes,
            unreadable: facts.unreadable,
            own_classes: facts.own_classes,
            factories,
            classpath: RefCell::new(classpath),
        }
    }

    /// Classes listed in the services file (binary names), valid lines only.
    pub fn listed_classes(&self) -> Vec<&str> {
        match &self.services {
            Some(Ok(lines)) => lines
                .iter()
                .filter_map(|l| l.class.as_deref().ok())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `group/artifact` of every META-INF/maven/*/*/pom.properties in the jar, sorted.
    pub fn maven_artifacts(&self) -> Vec<&str> {
        let mut artifacts: Vec<&str> = self
            .jar
            .entries()
            .iter()
            .filter_map(|e| {
                e.name
                    .strip_prefix("META-INF/maven/")?
                    .strip_suffix("/pom.properties")
            })
            .collect();
        artifacts.sort();
        artifacts
    }

    /// Base classes (not under META-INF/versions).
    pub fn base_classes(&self) -> impl Iterator<Item = &ClassFacts> {
        self.classes
            .iter()
            .flatten()
            .filter(|c| c.release_dir().is_none())
    }
}
