//! F3/F6: classes the Flink runtime already provides, bundled into the connector. Flink loads
//! `org.apache.flink.*` parent-first, so bundled copies are at best dead weight and at worst a
//! different version: LinkageError, ClassCastException, "X is not a subtype of Factory".

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::flink::runtime::{is_runtime_package, LibJarKind};

pub static BUNDLED_RUNTIME: Rule = Rule {
    id: "bundled-flink-runtime",
    family: "F6",
    severity: Severity::Error,
    summary: "Classes of the Flink runtime are bundled (a Flink dependency not in provided scope)",
    hint: "set <scope>provided</scope> on Flink dependencies (flink-table-common, flink-streaming-java, …) and rebuild",
};
pub static BUNDLED_API: Rule = Rule {
    id: "bundled-flink-api",
    family: "F3",
    severity: Severity::Error,
    summary: "Flink's factory/table API classes are bundled: the jar's Factory is not the runtime's Factory",
    hint: "set <scope>provided</scope> on flink-table-common / flink-table-api-java* and rebuild",
};
pub static BUNDLED_CONNECTOR_BASE: Rule = Rule {
    id: "bundled-connector-base",
    family: "F6",
    severity: Severity::Note,
    summary: "flink-connector-base is bundled; allowed for SQL uber jars, but the runtime's copy wins (parent-first)",
    hint: "make flink-connector-base provided unless you build a flink-sql-connector-* uber jar",
};
pub static BUNDLED_LIB_JAR: Rule = Rule {
    id: "bundled-flink-lib-jar",
    family: "F6",
    severity: Severity::Warning,
    summary: "Classes of a connector or format jar that the runtime ships in lib/ are bundled",
    hint: "make that dependency provided; the runtime's lib/ already has it",
};

pub const RULES: &[&Rule] = &[
    &BUNDLED_RUNTIME,
    &BUNDLED_API,
    &BUNDLED_CONNECTOR_BASE,
    &BUNDLED_LIB_JAR,
];

/// Packages whose duplication breaks factory discovery itself (F3).
const API_PACKAGES: &[&str] = &[
    "org/apache/flink/table/factories/",
    "org/apache/flink/table/connector/",
    "org/apache/flink/table/api/",
    "org/apache/flink/configuration/",
];

pub fn check(ctx: &JarContext, out: &mut Findings) {
    // (rule, provider) → entries; provider is the lib/ jar, or the package for built-in prefixes.
    let mut groups: BTreeMap<(&'static str, String), Vec<&str>> = BTreeMap::new();
    for entry in ctx
        .jar
        .entries()
        .iter()
        .filter(|e| e.is_class() && e.name.starts_with("org/apache/flink/"))
    {
        let name = entry.name.as_str();
        let provider = match ctx.runtime {
            Some(runtime) => runtime
                .jar_of(name)
                .map(|(jar, kind)| (jar.to_string(), kind)),
            None => is_runtime_package(name)
                .then(|| ("the Flink runtime".to_string(), LibJarKind::Core)),
        };
        let Some((provider, kind)) = provider else {
            continue;
        };
        let rule = if name.starts_with("org/apache/flink/connector/base/") {
            BUNDLED_CONNECTOR_BASE.id
        } else if kind == LibJarKind::Optional {
            BUNDLED_LIB_JAR.id
        } else if API_PACKAGES.iter().any(|p| name.starts_with(p)) {
            BUNDLED_API.id
        } else {
            BUNDLED_RUNTIME.id
        };
        groups.entry((rule, provider)).or_default().push(name);
    }
    let source = match ctx.runtime {
        Some(runtime) => format!("lib/ of {}", runtime.dir.display()),
        None => "built-in package list; pass --flink-lib for an exact answer".to_string(),
    };
    for ((rule_id, provider), entries) in groups {
        let rule = RULES
            .iter()
            .find(|r| r.id == rule_id)
            .copied()
            .unwrap_or(&BUNDLED_RUNTIME);
        let message = format!(
            "{} classes also provided by {provider} ({source}): {}",
            entries.len(),
            examples(&entries, 3)
        );
        out.add(rule, entries[0], message);
    }
}
