//! F3/F6: classes the Flink runtime already provides, bundled into the connector. Flink loads
//! `org.apache.flink.*` parent-first, so under ADD JAR the runtime's copies win and bundled ones
//! are dead weight; with the jar on the class path (lib/) a bundled copy can win, and one that
//! differs from the runtime's breaks: NoSuchMethodError, "X is not a subtype of Factory".
//! API classes are compared with the runtime's copy (CRC-32 of the central directory). In a deep
//! audit every bundled copy is also judged as Flink really loads it ([`crate::flink::classloading`]):
//! a copy with the runtime's super types and members links the same whichever loads, and one the
//! runtime's copy shadows both as a user jar (parent-first) and in lib/ (class-path order) never
//! loads, so it matters only when the jar's own code uses a member only that copy has.

use std::collections::{BTreeMap, HashSet};

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::classfile::bytecode::{instructions, op};
use crate::classfile::ClassFile;
use crate::flink::classloading::{class_loading, Deployment};
use crate::flink::runtime::{class_api, LibJarKind};

pub static BUNDLED_RUNTIME: Rule = Rule {
    id: "bundled-flink-runtime",
    family: "F6",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "Classes of the Flink runtime are bundled (a Flink dependency not in provided scope)",
    why: "Flink loads org.apache.flink.* parent-first: bundled runtime classes never run under ADD JAR, and with the jar on the class path (lib/) a copy of another version can win (every flink-dist class, or one of a lib/ jar the jar's name sorts before) and breaks with NoSuchMethodError or LinkageError. Only classes the target distribution actually ships count (its class index), not package prefixes. In a deep audit a copy with the runtime's super types and members, or one that never loads (docs/classloading.md) and whose extra members the jar calls only from same-named forwarders, is a warning.",
    hint: "set <scope>provided</scope> on Flink dependencies (flink-table-common, flink-streaming-java, …) and rebuild",
};
pub static BUNDLED_API: Rule = Rule {
    id: "bundled-flink-api",
    family: "F3",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "Flink's factory/table API classes are bundled: an error when they differ from the runtime's copies (NoSuchMethodError on the class path), a warning when identical",
    why: "Bundled copies of Factory, ConfigOption and the table API shadow the runtime's. Identical copies are dead weight; different ones fail with NoSuchMethodError or \"X is not a subtype of Factory\" when the jar is on the class path.",
    hint: "set <scope>provided</scope> on flink-table-common / flink-table-api-java* and rebuild",
};
pub static BUNDLED_CONNECTOR_BASE: Rule = Rule {
    id: "bundled-connector-base",
    family: "F6",
    severity: Severity::Note,
    needs_class_files: false,
    summary: "flink-connector-base is bundled; allowed for SQL uber jars, but the runtime's copy wins (parent-first)",
    why: "flink-connector-base is part of flink-dist; the runtime's copy wins (parent-first). SQL uber jars (flink-sql-connector-*) bundle it by convention, so this is only a note.",
    hint: "make flink-connector-base provided unless you build a flink-sql-connector-* uber jar",
};
pub static BUNDLED_LIB_JAR: Rule = Rule {
    id: "bundled-flink-lib-jar",
    family: "F6",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "Classes of a connector or format jar that the runtime ships in lib/ are bundled (a note when the jar is itself Flink's own module of the target line)",
    why: "The distribution already ships this connector/format jar in lib/; the bundled copy is shadowed or conflicts with it.",
    hint: "make that dependency provided; the runtime's lib/ already has it",
};

pub static BUNDLED_SHADED: Rule = Rule {
    id: "bundled-flink-shaded",
    family: "F6",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "Classes of Flink's relocated libraries (org/apache/flink/shaded/<lib><N>, the flink-shaded-* artifacts) that the runtime also ships are bundled",
    why: "flink-shaded-guava, -jackson, -netty … are separate artifacts, not the runtime's own classes. The runtime ships the same library directory, so its copy wins (org.apache.flink. loads parent-first) and the bundled one is dead weight; only on the class path (lib/) can a copy of another flink-shaded release win.",
    hint: "make the flink-shaded-* dependency provided (the runtime ships it), or relocate it under your own package",
};

pub const RULES: &[&Rule] = &[
    &BUNDLED_RUNTIME,
    &BUNDLED_API,
    &BUNDLED_CONNECTOR_BASE,
    &BUNDLED_LIB_JAR,
    &BUNDLED_SHADED,
];

/// Packages whose duplication breaks factory discovery itself (F3).
const API_PACKAGES: &[&str] = &[
    "org/apache/flink/table/factories/",
    "org/apache/flink/table/connector/",
    "org/apache/flink/table/api/",
    "org/apache/flink/configuration/",
];

/// How a bundled API class compares with the runtime's copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Contents {
    /// No lib/ index: the built-in prefix list matched, nothing to compare with.
    NotCompared,
    /// Same CRC-32 as the runtime's copy.
    Identical,
    Different,
    /// Not the runtime's bytes, but the same super types and members: links the same whichever
    /// copy loads.
    SameApi,
    /// Differs, but the runtime's copy loads both under ADD JAR and in lib/; the jar's own code
    /// uses no member only the bundled copy has, except from a method of that member's name.
    NeverLoads,
}

/// Bundled classes compared member by member at most (a jar bundling the whole runtime is
/// reported as before, without reading thousands of copies).
const COMPARED_CAP: usize = 400;

/// The jar's identity when it is one of Flink's own modules released for the target's line
/// (`flink-cep-1.20.3.jar`, `flink-connector-datagen-2.1.1.jar`): Flink's build writes
/// `Implementation-Vendor-Id: org.apache.flink`, `Implementation-Title: Flink : …` and the Flink
/// version into every module's manifest (maven-shade keeps the project's own manifest, not its
/// dependencies'). Such a jar does not bundle the runtime: it is a module the distribution itself
/// packs into lib/ (flink-dist includes several). Externalized connectors and Flink CDC carry
/// their own versions (`3.3.0-1.20`, `3.3.0`), which are not of a Flink line.
fn own_flink_module(ctx: &JarContext) -> Option<(String, String)> {
    let manifest = ctx.manifest.as_ref()?;
    let title = manifest.get("Implementation-Title")?;
    let version = manifest.get("Implementation-Version")?;
    let line = ctx.target.version.line.line;
    let of_line = version.strip_prefix(line).is_some_and(|patch| {
        patch.starts_with('.') && patch[1..].chars().all(|c| c.is_ascii_digit())
    });
    (manifest.get("Implementation-Vendor-Id") == Some("org.apache.flink")
        && title.starts_with("Flink : ")
        && of_line)
        .then(|| (title.to_string(), version.to_string()))
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    if let Some((artifact, version)) = own_flink_module(ctx) {
        return own_module(ctx, out, &artifact, &version);
    }
    // (rule, provider, contents) → entries; provider is the lib/ jar, or the package for
    // built-in prefixes.
    let mut groups: BTreeMap<(&'static str, String, Contents), Vec<&str>> = BTreeMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    for entry in ctx
        .jar
        .entries()
        .iter()
        .filter(|e| e.is_class() && e.name.starts_with("org/apache/flink/"))
    {
        let name = entry.name.as_str();
        // Only what the target's distribution really ships (lib/ or the embedded index).
        let provider = ctx.runtime.and_then(|runtime| {
            runtime
                .jar_of(name)
                .map(|(jar, kind)| (jar.to_string(), kind))
        });
        let Some((provider, kind)) = provider else {
            continue;
        };
        let rule = if name.starts_with("org/apache/flink/shaded/") {
            BUNDLED_SHADED.id
        } else if name.starts_with("org/apache/flink/connector/base/") {
            BUNDLED_CONNECTOR_BASE.id
        } else if kind == LibJarKind::Optional {
            BUNDLED_LIB_JAR.id
        } else if API_PACKAGES.iter().any(|p| name.starts_with(p)) {
            BUNDLED_API.id
        } else {
            BUNDLED_RUNTIME.id
        };
        let contents = match ctx.runtime.and_then(|r| r.crc_of(name)) {
            _ if rule != BUNDLED_API.id => Contents::NotCompared,
            Some(crc) if crc == entry.crc32 => Contents::Identical,
            Some(_) => Contents::Different,
            None => Contents::NotCompared,
        };
        let rule = match (rule, contents) {
            (r, Contents::NotCompared | Contents::Different)
                if r == BUNDLED_API.id || r == BUNDLED_RUNTIME.id =>
            {
                // API-level verdicts go through BUNDLED_API's severities; the rule id stays.
                pending.push((r, provider, name, contents));
                continue;
            }
            (r, _) => r,
        };
        groups
            .entry((rule, provider, contents))
            .or_default()
            .push(name);
    }
    let verdicts = judge_loading(ctx, &pending);
    for ((rule, provider, name, _), contents) in pending.into_iter().zip(verdicts) {
        groups
            .entry((rule, provider, contents))
            .or_default()
            .push(name);
    }
    let source = ctx.runtime.map(|r| r.describe()).unwrap_or_default();
    for ((rule_id, provider, contents), entries) in groups {
        let rule = RULES
            .iter()
            .find(|r| r.id == rule_id)
            .copied()
            .unwrap_or(&BUNDLED_RUNTIME);
        let listed = examples(&entries, 3);
        let count = entries.len();
        if matches!(contents, Contents::SameApi | Contents::NeverLoads) {
            let message = loading_verdict(ctx, contents, count, &provider, &listed);
            out.add_at(
                rule,
                Severity::Warning,
                entries[0],
                format!("{message} ({source})"),
            );
            continue;
        }
        if rule_id != BUNDLED_API.id {
            let message =
                format!("{count} classes also provided by {provider} ({source}): {listed}");
            out.add(rule, entries[0], message);
            continue;
        }
        let (severity, message) = match contents {
            Contents::Identical => (
                Severity::Warning,
                format!(
                    "{count} Flink API classes are identical to the copies in {provider} ({source}): \
                     {listed}; each is shadowed by the runtime's identical class (org.apache.flink. \
                     loads parent-first), so it only adds weight and risk: remove it"
                ),
            ),
            Contents::Different => (
                Severity::Error,
                format!(
                    "{count} Flink API classes differ from the runtime's copies in {provider} \
                     ({source}): {listed}; harmless under ADD JAR (parent-first), but with the jar \
                     on the class path (lib/, as managed platforms deploy it) a copy that wins \
                     fails with NoSuchMethodError or \"X is not a subtype of Factory\""
                ),
            ),
            Contents::NotCompared | Contents::SameApi | Contents::NeverLoads => (
                Severity::Error,
                format!(
                    "{count} Flink API classes are also provided by {provider} ({source}): \
                     {listed}; their contents could not be compared with the runtime's, and \
                     copies that differ fail with NoSuchMethodError when the jar is on the class \
                     path (lib/)"
                ),
            ),
        };
        out.add_at(rule, severity, entries[0], message);
    }
}

/// A bundled runtime or API class to judge: rule, providing lib/ jar, entry, CRC verdict.
type Pending<'a> = (&'static str, String, &'a str, Contents);

/// A member of a bundled class: owner, name, descriptor (internal names).
type MemberKey = (String, String, String);

/// The message of a copy judged harmless by how Flink loads it (a warning: dead weight).
fn loading_verdict(
    ctx: &JarContext,
    contents: Contents,
    count: usize,
    provider: &str,
    listed: &str,
) -> String {
    let line = ctx.target.version.line.line;
    match contents {
        Contents::SameApi => format!(
            "{count} bundled Flink classes have the same super types and members as the copies \
             in {provider}: {listed}; whichever copy loads, code links the same, so they are dead \
             weight, not a failure: remove them"
        ),
        Contents::NeverLoads => format!(
            "{count} bundled Flink classes differ from the copies in {provider}: {listed}; on \
             {line} they never load: org.apache.flink. is parent-first for ADD JAR/-j, and in \
             lib/ {provider} precedes {} on the class path bin/config.sh builds, and the jar \
             calls their extra members only from methods of the same name (forwarders the line \
             never reaches): remove them",
            ctx.file_name
        ),
        _ => String::new(),
    }
}

/// Judges each pending copy by Flink's class loading and its members (deep audits only; a
/// layout audit keeps the CRC verdict).
fn judge_loading(ctx: &JarContext, pending: &[Pending]) -> Vec<Contents> {
    let mut verdicts: Vec<Contents> = pending.iter().map(|p| p.3).collect();
    let Some(runtime) = ctx.runtime else {
        return verdicts;
    };
    if ctx.classes.is_none() || pending.len() > COMPARED_CAP {
        return verdicts;
    }
    let loading = class_loading(ctx.target.version.line);
    let mut extras: Vec<(usize, Vec<MemberKey>)> = Vec::new();
    for (i, (_, provider, entry, _)) in pending.iter().enumerate() {
        let internal = entry.strip_suffix(".class").unwrap_or(entry);
        let bundled = ctx
            .jar
            .read_named(entry, crate::jar::DEFAULT_ENTRY_CAP)
            .and_then(Result::ok)
            .and_then(|bytes| class_api(&bytes));
        let (Some(bundled), Some(theirs)) = (bundled, runtime.api_of(internal)) else {
            continue;
        };
        if bundled == theirs {
            verdicts[i] = Contents::SameApi;
            continue;
        }
        let shadowed = [Deployment::UserJar, Deployment::Lib]
            .into_iter()
            .all(|d| loading.runtime_copy_wins(internal, provider, &ctx.file_name, d));
        if shadowed {
            let only_ours = bundled
                .2
                .iter()
                .filter(|m| theirs.2.binary_search(m).is_err())
                .map(|(n, d)| (internal.to_string(), n.clone(), d.clone()))
                .collect();
            extras.push((i, only_ours));
        }
    }
    let wanted: HashSet<&MemberKey> = extras.iter().flat_map(|(_, e)| e).collect();
    let skip: HashSet<&str> = pending.iter().map(|p| p.2).collect();
    let reached = reached_extras(ctx, &wanted, &skip);
    for (i, only_ours) in extras {
        if !only_ours.iter().any(|m| reached.contains(m)) {
            verdicts[i] = Contents::NeverLoads;
        }
    }
    verdicts
}

/// The members of `wanted` that a class of the jar (other than the bundled copies `skip`) uses
/// from a method of another name, or through a method handle: calls that fail with
/// NoSuchMethodError/NoSuchFieldError when the runtime's copy, which lacks them, is the one that
/// loads. A use from a method of the member's own name is a forwarder: reached only through that
/// member, which the runtime's class does not declare.
fn reached_extras(
    ctx: &JarContext,
    wanted: &HashSet<&MemberKey>,
    skip: &HashSet<&str>,
) -> HashSet<MemberKey> {
    if wanted.is_empty() {
        return HashSet::new();
    }
    let per_class = ctx.jar.map_entries(
        2,
        crate::jar::DEFAULT_ENTRY_CAP,
        |e| e.is_class() && !skip.contains(e.name.as_str()),
        |_, bytes| {
            let bytes = bytes.ok()?;
            let class = ClassFile::parse(&bytes).ok()?;
            let key = |m: &crate::classfile::MemberRef| {
                (
                    m.owner.to_string(),
                    m.name.to_string(),
                    m.descriptor.to_string(),
                )
            };
            let mut at_index = std::collections::HashMap::new();
            for i in 1..class.pool.len() as u16 {
                if let Ok(m) = class.pool.member_ref(i) {
                    let k = key(&m);
                    if wanted.contains(&k) {
                        at_index.insert(i, k);
                    }
                }
            }
            if at_index.is_empty() {
                return None;
            }
            // Method handles to a wanted member, by the bootstrap entry whose arguments name them
            // (a lambda `RowData::getVariant` is reached from the method that runs its
            // invokedynamic); a handle outside any bootstrap entry (ldc) counts as reached.
            let handles: std::collections::HashMap<u16, &MemberKey> = (1..class.pool.len() as u16)
                .filter_map(|i| Some((i, at_index.get(&class.pool.method_handle_target(i)?)?)))
                .collect();
            let mut found = Vec::new();
            let mut by_bootstrap: std::collections::HashMap<u16, Vec<&MemberKey>> =
                std::collections::HashMap::new();
            let mut in_bootstrap = HashSet::new();
            if !handles.is_empty() {
                let Some(args) = bootstrap_arguments(&class) else {
                    return Some(handles.into_values().cloned().collect());
                };
                for (b, indices) in args.iter().enumerate() {
                    for i in indices {
                        if let Some(k) = handles.get(i) {
                            by_bootstrap.entry(b as u16).or_default().push(k);
                            in_bootstrap.insert(*i);
                        }
                    }
                }
                found.extend(
                    handles
                        .iter()
                        .filter(|(i, _)| !in_bootstrap.contains(*i))
                        .map(|(_, k)| (*k).clone()),
                );
            }
            for method in &class.methods {
                let Ok(Some(code)) = class.code(method) else {
                    continue;
                };
                for ins in instructions(code.bytecode) {
                    let Ok(ins) = ins else {
                        // Undecodable code: count every wanted member it names as reached.
                        return Some(at_index.into_values().collect());
                    };
                    let named: Vec<&MemberKey> = if ins.opcode == op::INVOKEDYNAMIC {
                        let Ok((b, ..)) = class.pool.invoke_dynamic(ins.pool_index()) else {
                            continue;
                        };
                        by_bootstrap.get(&b).cloned().unwrap_or_default()
                    } else if (op::GETSTATIC..=op::INVOKEINTERFACE).contains(&ins.opcode) {
                        at_index.get(&ins.pool_index()).into_iter().collect()
                    } else {
                        continue;
                    };
                    found.extend(
                        named
                            .into_iter()
                            .filter(|k| method.name != k.1.as_str())
                            .cloned(),
                    );
                }
            }
            Some(found)
        },
    );
    per_class.into_iter().flatten().collect()
}

/// The constant-pool indices of each `BootstrapMethods` entry's static arguments (`None` when
/// the attribute is malformed).
fn bootstrap_arguments(class: &ClassFile) -> Option<Vec<Vec<u16>>> {
    let raw = class.attribute("BootstrapMethods")?;
    let u16_at = |at: usize| Some(u16::from_be_bytes([*raw.get(at)?, *raw.get(at + 1)?]));
    let mut at = 2;
    let mut out = Vec::new();
    for _ in 0..u16_at(0)? {
        let argc = u16_at(at + 2)? as usize;
        out.push(
            (0..argc)
                .map(|a| u16_at(at + 4 + 2 * a))
                .collect::<Option<_>>()?,
        );
        at += 4 + 2 * argc;
    }
    Some(out)
}

/// Flink's own module of the target line: the runtime already has its classes; a note, since
/// adding the jar again is unnecessary but not a packaging mistake.
fn own_module(ctx: &JarContext, out: &mut Findings, artifact: &str, version: &str) {
    let Some(runtime) = ctx.runtime else { return };
    let mut providers: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for entry in ctx
        .jar
        .entries()
        .iter()
        .filter(|e| e.is_class() && e.name.starts_with("org/apache/flink/"))
    {
        if let Some((jar, _)) = runtime.jar_of(&entry.name) {
            providers
                .entry(jar.to_string())
                .or_default()
                .push(&entry.name);
        }
    }
    for (provider, entries) in providers {
        out.add_at(
            &BUNDLED_LIB_JAR,
            Severity::Note,
            entries[0],
            format!(
                "{} is Flink's own module \"{artifact}\" {version}; {} of its classes already ship in {provider} ({}): {}",
                ctx.file_name,
                entries.len(),
                runtime.describe(),
                examples(&entries, 3)
            ),
        );
    }
}
