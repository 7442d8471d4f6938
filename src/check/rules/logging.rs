//! F13: logging backends and their configuration bundled into the connector: multiple SLF4J
//! bindings, silent logs, or ClassCastException between two Log4j copies.

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};

pub static LOGGING_BACKEND: Rule = Rule {
    id: "bundled-logging-backend",
    family: "F13",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "A logging implementation is bundled; Flink provides Log4j 2 and the SLF4J binding",
    why: "Flink provides Log4j 2 and its SLF4J binding on the parent class path; a second backend or binding makes SLF4J pick one at random (\"multiple bindings\") or breaks log configuration.",
    hint: "make log4j/logback/slf4j bindings provided or exclude them in the shade plugin",
};
pub static LOGGING_CONFIG: Rule = Rule {
    id: "bundled-logging-config",
    family: "F13",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "A logging configuration file is bundled and may override the cluster's",
    why: "A log4j2.xml/logback.xml on the class path can take precedence over the cluster's configuration and silently change or stop logging.",
    hint:
        "keep log4j/logback configuration in src/test/resources, or exclude it from the shaded jar",
};

pub const RULES: &[&Rule] = &[&LOGGING_BACKEND, &LOGGING_CONFIG];

const BACKENDS: &[(&str, &str)] = &[
    ("org/slf4j/impl/", "an SLF4J 1.x binding"),
    ("org/apache/logging/slf4j/", "the Log4j SLF4J binding"),
    ("org/apache/logging/log4j/", "Log4j 2"),
    ("org/apache/log4j/", "Log4j 1.x"),
    ("ch/qos/logback/", "Logback"),
    ("org/slf4j/simple/", "slf4j-simple"),
    (
        "META-INF/services/org.slf4j.spi.SLF4JServiceProvider",
        "an SLF4J 2.x provider registration",
    ),
];

fn is_logging_config(name: &str) -> bool {
    let root_file = !name.contains('/');
    let lower = name.to_ascii_lowercase();
    root_file
        && (lower == "log4j.properties"
            || lower == "log4j.xml"
            || (lower.starts_with("log4j2")
                && (lower.ends_with(".xml")
                    || lower.ends_with(".properties")
                    || lower.ends_with(".yaml")
                    || lower.ends_with(".json")))
            || lower == "logback.xml"
            || lower == "logback-test.xml")
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let mut backends: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for entry in ctx.jar.entries().iter().filter(|e| !e.is_dir) {
        if let Some((_, what)) = BACKENDS
            .iter()
            .find(|(prefix, _)| entry.name.starts_with(prefix))
        {
            backends.entry(what).or_default().push(&entry.name);
        }
        if is_logging_config(&entry.name) {
            out.add(
                &LOGGING_CONFIG,
                &entry.name,
                format!("{} is a logging configuration at the jar root", entry.name),
            );
        }
    }
    for (what, entries) in backends {
        out.add(
            &LOGGING_BACKEND,
            entries[0],
            format!("bundles {what}: {}", examples(&entries, 2)),
        );
    }
}
