//! F3/F6: classes the Flink runtime already provides, bundled into the connector. Flink loads
//! `org.apache.flink.*` parent-first, so under ADD JAR the runtime's copies win and bundled ones
//! are dead weight; with the jar on the class path (lib/) a bundled copy can win, and one that
//! differs from the runtime's breaks: NoSuchMethodError, "X is not a subtype of Factory".
//! API classes are compared with the runtime's copy (CRC-32 of the central directory).

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::flink::runtime::LibJarKind;

pub static BUNDLED_RUNTIME: Rule = Rule {
    id: "bundled-flink-runtime",
    family: "F6",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "Classes of the Flink runtime are bundled (a Flink dependency not in provided scope)",
    why: "Flink loads org.apache.flink.* parent-first: bundled runtime classes never run under ADD JAR, and with the jar on the class path (lib/) a copy of another version wins and breaks with NoSuchMethodError or LinkageError. Only classes the target distribution actually ships count (its class index), not package prefixes.",
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
}

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
            Contents::NotCompared => (
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
