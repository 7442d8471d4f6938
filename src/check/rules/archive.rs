//! Archive-level problems (F16 duplicate entries, and the robustness cases: unsafe names, zip
//! bombs, overlapping entries, nested jars, unreadable entries).

use crate::check::context::JarContext;
use crate::check::finding::{Findings, Rule, Severity};
use crate::jar::Anomaly;

pub static DUPLICATE_ENTRY: Rule = Rule {
    id: "duplicate-entry",
    family: "F16",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "The same entry name appears more than once; the JVM reads one copy, other tools another (an error for classes, services files and the manifest with different contents)",
    why: "A zip may hold two entries with one name. java.util.jar reads the first from the central directory, other tools (unzip, upload scanners) the last, so what is audited is not what runs.",
    hint: "merge the dependencies' resources (ServicesResourceTransformer, AppendingTransformer) or exclude one copy in the shade filters",
};
pub static UNSAFE_ENTRY_NAME: Rule = Rule {
    id: "unsafe-entry-name",
    family: "archive",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "An entry name is absolute or climbs out of the archive (`..`); uploads are rejected and extraction is unsafe",
    why: "Entry names like /etc/x or ../x escape the extraction directory (zip slip). Managed consoles and scanners reject such archives before Flink ever sees them.",
    hint: "rebuild the jar with the build tool; never add files by path from outside the project",
};
pub static ZIP_BOMB: Rule = Rule {
    id: "zip-bomb-suspect",
    family: "archive",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "An entry declares a size far above what its compressed data can hold, or entries share bytes",
    why: "A declared uncompressed size far above what the compressed bytes can produce, or entries sharing data, is how zip bombs look; upload scanners refuse them and the JVM may exhaust memory.",
    hint: "rebuild the jar; an archive like this is treated as hostile by upload scanners",
};
pub static NESTED_ARCHIVE: Rule = Rule {
    id: "nested-archive",
    family: "archive",
    severity: Severity::Note,
    needs_class_files: false,
    summary: "A jar inside the jar: Flink's class loader does not look inside it",
    why: "Flink's user-code class loader is a URLClassLoader over the jar itself; it never opens jars inside it, so their classes are missing at run time (ClassNotFoundException).",
    hint: "shade the dependency (maven-shade-plugin) instead of copying its jar into the connector",
};
pub static UNREADABLE_ENTRY: Rule = Rule {
    id: "unreadable-entry",
    family: "archive",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "An entry cannot be read (unsupported compression, encryption, corrupt data, or a malformed class file)",
    why: "An entry the audit cannot inflate or parse is one the JVM cannot load either: ZipException or ClassFormatError when the class is first used.",
    hint: "rebuild the jar with a standard tool (jar, maven-jar-plugin, maven-shade-plugin)",
};

pub const RULES: &[&Rule] = &[
    &DUPLICATE_ENTRY,
    &UNSAFE_ENTRY_NAME,
    &ZIP_BOMB,
    &NESTED_ARCHIVE,
    &UNREADABLE_ENTRY,
];

pub fn check(ctx: &JarContext, out: &mut Findings) {
    for anomaly in ctx.jar.anomalies() {
        match anomaly {
            Anomaly::DuplicateName {
                name,
                copies,
                contents_differ,
            } => {
                let (severity, detail) = if *contents_differ && loads_as_code(name) {
                    (
                        Severity::Error,
                        "with different contents: which one loads depends on the reader",
                    )
                } else if *contents_differ {
                    (
                        Severity::Warning,
                        "with different contents: which one a reader returns depends on the reader (a resource, not code or service registration)",
                    )
                } else {
                    (Severity::Warning, "with identical contents")
                };
                out.add_at(
                    &DUPLICATE_ENTRY,
                    severity,
                    name,
                    format!("{name} appears {copies} times {detail}"),
                );
            }
            Anomaly::UnsafeName { name, reason } => {
                out.add(
                    &UNSAFE_ENTRY_NAME,
                    name,
                    format!("entry name {name:?} has an {reason}"),
                );
            }
            Anomaly::HighRatio {
                name,
                size,
                compressed,
            } => {
                out.add(&ZIP_BOMB, name, format!("{name} declares {size} bytes from {compressed} compressed bytes (ratio {}:1)", size / (*compressed).max(1)));
            }
            Anomaly::Overlapping { name, other } => {
                out.add(
                    &ZIP_BOMB,
                    name,
                    format!("{name} overlaps the data of {other}"),
                );
            }
            Anomaly::NestedArchive { name } => {
                out.add(&NESTED_ARCHIVE, name, format!("{name} is an archive inside the jar; its classes are not on the class path"));
            }
            Anomaly::UnreadableMethod {
                name,
                method,
                encrypted,
            } => {
                let why = if *encrypted {
                    "is encrypted".to_string()
                } else {
                    format!("uses compression method {method}, which java.util.zip cannot read")
                };
                out.add(&UNREADABLE_ENTRY, name, format!("{name} {why}"));
            }
        }
    }
    for (entry, reason) in &ctx.unreadable {
        out.add(
            &UNREADABLE_ENTRY,
            entry,
            format!("{entry} {}", reason_text(reason)),
        );
    }
}

/// Entries whose duplicate copies change what runs: classes, service registrations and the
/// manifest. Other resources (LICENSE, NOTICE, docs) only differ in what a reader shows.
fn loads_as_code(name: &str) -> bool {
    name.ends_with(".class")
        || name.starts_with("META-INF/services/")
        || name == "META-INF/MANIFEST.MF"
}

fn reason_text(reason: &str) -> String {
    if reason.starts_with("declares") || reason.starts_with("cannot") {
        reason.to_string()
    } else {
        format!("is not a valid class file: {reason}")
    }
}
