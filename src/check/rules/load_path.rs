//! F2: a listed factory whose load path needs classes that neither the jar nor the target line
//! provides. A connector's thin module (flink-connector-hbase-2.2, -elasticsearch7, -kudu, …)
//! leaves its base module and client library to Maven; dropped alone into Flink, its factory
//! fails with NoClassDefFoundError (Flink's discovery skips it: "Could not find any factory for
//! identifier"). Its flink-sql-connector-* uber jar bundles them and stays quiet.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::classfile::bytecode::{instructions, op};
use crate::classfile::{element_class, ClassFile, Constant};
use crate::flink::classloading::PROVIDED_OUTSIDE_FLINK;
use crate::jar::services::binary_to_internal;

pub static FACTORY_DEPENDENCY_MISSING: Rule = Rule {
    id: "factory-dependency-missing",
    family: "F2",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "A listed factory's load path needs classes that neither the jar nor the target's Flink provides (a thin connector jar without its base module or client library): it cannot load on its own",
    why: "Flink discovers factories with ServiceLoader in the user class loader, which sees only the jar and Flink's lib/. A class the factory links against that is in neither fails with NoClassDefFoundError, and Flink skips the factory: \"Could not find any factory for identifier\". Thin connector modules leave their base module and client library to Maven; their flink-sql-connector-* uber jar bundles them.",
    hint: "upload the connector's flink-sql-connector-* uber jar, or shade the missing dependency into the jar (or add its jar beside it)",
};

pub const RULES: &[&Rule] = &[&FACTORY_DEPENDENCY_MISSING];

/// Classes of the jar followed per factory at most (its super classes and the classes whose
/// static initialisers discovery runs).
const MAX_CLASSES: usize = 64;

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let (Some(runtime), Some(_)) = (ctx.runtime, ctx.classes.as_ref()) else {
        return;
    };
    for factory in ctx.listed_classes() {
        let factory = binary_to_internal(factory);
        let mut missing: BTreeSet<String> = BTreeSet::new();
        // (class, whether discovery runs its factory methods or only initialises it)
        let mut queue: Vec<(String, bool)> = vec![(factory.clone(), true)];
        let mut visited: BTreeSet<String> = BTreeSet::new();
        while let Some((class, discovered)) = queue.pop() {
            if visited.len() >= MAX_CLASSES || !visited.insert(class.clone()) {
                continue;
            }
            let Some(bytes) = super::class_bytes(ctx, &class) else {
                continue;
            };
            let Ok(parsed) = ClassFile::parse(&bytes) else {
                continue;
            };
            let methods: &[&str] = if discovered {
                DISCOVERY_METHODS
            } else {
                &["<clinit>"]
            };
            let (refs, initialised) = load_path_refs(&parsed, methods);
            for name in refs {
                let Some(name) = element_class(&name) else {
                    continue;
                };
                // Flink's namespace (base modules) is judged class by class against the
                // runtime; packages Flink owns are missing-flink-class's, relocated libraries
                // bundled-flink-shaded's. Other libraries (kudu-client, pulsar-client) by the
                // prefixes some line's lib/ or the JDK provides: the built-in index knows only
                // Flink's classes, and both modes must agree.
                let in_jar = ctx.jar.contains(&format!("{name}.class"));
                let unavailable = if name.starts_with("org/apache/flink/") {
                    !name.starts_with("org/apache/flink/shaded/")
                        && !in_jar
                        && !runtime.has_class(name)
                        && !runtime.owns_package(name)
                } else {
                    !in_jar
                        && name.contains('/')
                        && !PROVIDED_OUTSIDE_FLINK.iter().any(|p| name.starts_with(p))
                };
                if unavailable {
                    missing.insert(name.to_string());
                }
            }
            // The factory's super classes in the jar run the same discovery methods; a class
            // of the jar that these methods initialise (a static field read, a static call,
            // `new`) runs its static initialiser: PulsarTableOptions' names pulsar-client.
            if let Some(parent) = parsed
                .super_name
                .map(|s| s.to_string())
                .filter(|s| ctx.jar.contains(&format!("{s}.class")))
            {
                queue.push((parent, discovered));
            }
            for owner in initialised {
                if ctx.jar.contains(&format!("{owner}.class")) {
                    queue.push((owner.to_string(), false));
                }
            }
        }
        if missing.is_empty() {
            continue;
        }
        let mut by_package: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for name in &missing {
            let (package, simple) = name.rsplit_once('/').unwrap_or(("", name));
            by_package.entry(package).or_default().push(simple);
        }
        let packages: Vec<String> = by_package
            .iter()
            .map(|(p, classes)| format!("{} ({})", p.replace('/', "."), examples(classes, 2)))
            .collect();
        let providers = likely_providers(ctx, by_package.keys().copied());
        let mut provided_by = if providers.is_empty() {
            "from a dependency the jar does not bundle (its base module or client library)"
                .to_string()
        } else {
            format!(
                "likely from {}, which the jar does not bundle",
                providers.join(", ")
            )
        };
        // Apache's naming: flink-connector-X's uber jar is flink-sql-connector-X.
        if let Some(rest) = ctx.file_name.strip_prefix("flink-connector-") {
            provided_by += &format!("; its uber jar flink-sql-connector-{rest} bundles them");
        }
        out.add(
            &FACTORY_DEPENDENCY_MISSING,
            format!("{factory}.class"),
            format!(
                "{} references {} classes that neither the jar nor {} provides, in {}: {}; loaded \
                 alone (ADD JAR, -j, lib/) it fails with NoClassDefFoundError and Flink reports \
                 \"Could not find any factory for identifier\"",
                factory.replace('/', "."),
                missing.len(),
                runtime.describe(),
                if packages.len() == 1 {
                    "package"
                } else {
                    "packages"
                },
                examples(&packages, 4),
            ) + &format!("; they come {provided_by}"),
        );
    }
}

/// What discovery runs of a listed factory: ServiceLoader instantiates it (`<clinit>`, the
/// no-argument `<init>`), Flink reads its identifier and option sets. A class referenced only
/// from other methods (the Hive dialect's `create` naming the planner's CalciteContext) loads
/// when that method runs, not before: its factory loads alone (tests/corpus.rs proves both).
const DISCOVERY_METHODS: &[&str] = &[
    "<clinit>",
    "<init>",
    "factoryIdentifier",
    "requiredOptions",
    "optionalOptions",
    "forwardOptions",
];

/// The classes loading the class and running `methods` resolves: its super types and the classes
/// those methods' instructions name (owners of fields and methods called, `new`, casts, class
/// literals); and, second, the classes those instructions initialise (JVMS 5.5: `getstatic`,
/// `putstatic`, `invokestatic`, `new`).
pub(super) type Refs<'a> = (
    Vec<std::borrow::Cow<'a, str>>,
    Vec<std::borrow::Cow<'a, str>>,
);

pub(super) fn load_path_refs<'a>(class: &ClassFile<'a>, methods: &[&str]) -> Refs<'a> {
    let mut refs: Vec<std::borrow::Cow<'a, str>> = class.super_name.iter().cloned().collect();
    refs.extend(class.interfaces.iter().cloned());
    let mut initialised = Vec::new();
    let methods = class
        .methods
        .iter()
        .filter(|m| methods.contains(&m.name.as_ref()))
        .filter(|m| m.name != "<init>" || m.descriptor == "()V");
    for method in methods {
        let Ok(Some(code)) = class.code(method) else {
            continue;
        };
        for instruction in instructions(code.bytecode).map_while(Result::ok) {
            let index = instruction.pool_index();
            match instruction.opcode {
                op::GETSTATIC
                | op::PUTSTATIC
                | op::GETFIELD
                | op::PUTFIELD
                | op::INVOKEVIRTUAL
                | op::INVOKESPECIAL
                | op::INVOKESTATIC
                | op::INVOKEINTERFACE => {
                    if let Ok(member) = class.pool.member_ref(index) {
                        if matches!(
                            instruction.opcode,
                            op::GETSTATIC | op::PUTSTATIC | op::INVOKESTATIC
                        ) {
                            initialised.push(member.owner.clone());
                        }
                        refs.push(member.owner);
                    }
                }
                op::NEW
                | op::ANEWARRAY
                | op::MULTIANEWARRAY
                | op::CHECKCAST
                | op::INSTANCEOF
                | op::LDC
                | op::LDC_W => {
                    if let Ok(Constant::Class(name)) = class.pool.constant(index) {
                        if instruction.opcode == op::NEW {
                            initialised.push(name.clone());
                        }
                        refs.push(name);
                    }
                }
                _ => {}
            }
        }
    }
    (refs, initialised)
}

/// `group:artifact` of the dependencies declared in the jar's own META-INF/maven pom.xml files
/// (not provided, test or system scope) whose names best match `packages`: artifact id words
/// that are package segments, and a group id the package starts with.
fn likely_providers<'a>(ctx: &JarContext, packages: impl Iterator<Item = &'a str>) -> Vec<String> {
    let dependencies: Vec<(String, String)> = ctx
        .jar
        .entries()
        .iter()
        .filter(|e| e.name.starts_with("META-INF/maven/") && e.name.ends_with("/pom.xml"))
        .filter_map(|e| ctx.jar.read_named(&e.name, 1 << 20)?.ok())
        .flat_map(|bytes| pom_dependencies(&String::from_utf8_lossy(&bytes)))
        .collect();
    let mut out = BTreeSet::new();
    for package in packages {
        // Apache connectors keep shared classes in a base module: org.apache.flink.connector.X
        // (or the older streaming.connectors.X) → flink-connector-X-base.
        let base = package
            .strip_prefix("org/apache/flink/connector/")
            .or_else(|| package.strip_prefix("org/apache/flink/streaming/connectors/"))
            .and_then(|rest| rest.split('/').next());
        if let Some(name) = base.filter(|_| dependencies.is_empty()) {
            out.insert(format!("org.apache.flink:flink-connector-{name}-base"));
            continue;
        }
        // Another library and no pom.xml to name it: its groupId usually is the package's first
        // three levels (org.apache.kudu, org.apache.pulsar), a relocated copy's owner's too.
        if dependencies.is_empty() && !package.starts_with("org/apache/flink/") {
            let owner = package.split("/shaded/").next().unwrap_or(package);
            let group: Vec<&str> = owner.split('/').take(3).collect();
            out.insert(format!("an artifact of group {}", group.join(".")));
            continue;
        }
        let segments: Vec<&str> = package.split('/').collect();
        let score = |(group, artifact): &(String, String)| {
            let words = artifact
                .split(['-', '_', '.'])
                .filter(|w| segments.contains(w))
                .count();
            let group_match = package.starts_with(&group.replace('.', "/"));
            words + 2 * usize::from(group_match && group != "org.apache.flink")
        };
        if let Some(best) = dependencies.iter().max_by_key(|d| score(d)) {
            if score(best) >= 2 {
                out.insert(format!("{}:{}", best.0, best.1));
            }
        }
    }
    out.into_iter().collect()
}

/// `(groupId, artifactId)` of each `<dependency>` of `<project><dependencies>` whose scope is
/// compile or runtime (a pom's own text; properties are not needed for the names).
fn pom_dependencies(pom: &str) -> Vec<(String, String)> {
    // The project's dependencies, not dependencyManagement's or plugins'.
    let mut pom = pom.to_string();
    for section in ["dependencyManagement", "build", "profiles"] {
        let (open, close) = (format!("<{section}>"), format!("</{section}>"));
        while let Some(from) = pom.find(&open) {
            let Some(to) = pom[from..].find(&close) else {
                break;
            };
            pom.replace_range(from..from + to + close.len(), "");
        }
    }
    let Some(start) = pom.find("<dependencies>") else {
        return Vec::new();
    };
    let body = &pom[start..];
    let body = &body[..body.find("</dependencies>").unwrap_or(body.len())];
    let tag = |block: &str, name: &str| -> Option<String> {
        let open = format!("<{name}>");
        let from = block.find(&open)? + open.len();
        let to = from + block[from..].find(&format!("</{name}>"))?;
        Some(block[from..to].trim().to_string())
    };
    body.split("<dependency>")
        .skip(1)
        .filter_map(|block| {
            let scope = tag(block, "scope").unwrap_or_default();
            if matches!(scope.as_str(), "provided" | "test" | "system") {
                return None;
            }
            Some((tag(block, "groupId")?, tag(block, "artifactId")?))
        })
        .collect()
}
