//! F8: common libraries bundled without relocation; they clash with Flink's own copies or
//! other jobs' (NoSuchMethodError). Flink's tools/ci/shade.sh rejects these prefixes too.

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};

pub static UNRELOCATED: Rule = Rule {
    id: "unrelocated-library",
    family: "F8",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "A common library is bundled under its original package names",
    why: "Common libraries (Guava, Jackson, Netty, …) bundled under their own package names clash with the versions on Flink's or another connector's class path (child-first loading picks the connector's, parent-first the cluster's).",
    hint: "add a <relocation> for the package in maven-shade-plugin, e.g. com.google.common → <your.package>.shaded.com.google.common",
};

pub const RULES: &[&Rule] = &[&UNRELOCATED];

/// Packages that Flink, Hadoop and most clients also carry in some version.
pub const COMMON_LIBRARIES: &[&str] = &[
    "com/google/common/",
    "com/google/protobuf/",
    "com/google/gson/",
    // Annotations Guava, gson and Caffeine bring along (they reach a jar transitively).
    "com/google/errorprone/annotations/",
    "org/checkerframework/",
    "com/fasterxml/jackson/",
    "org/codehaus/jackson/",
    "io/netty/",
    "org/apache/commons/",
    "org/objectweb/asm/",
    "org/apache/zookeeper/",
    "org/apache/curator/",
    "org/apache/hadoop/",
    "org/apache/http/",
    "org/yaml/snakeyaml/",
    "okhttp3/",
    "okio/",
];

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for entry in ctx.jar.entries().iter().filter(|e| e.is_class()) {
        if let Some(prefix) = COMMON_LIBRARIES.iter().find(|p| entry.name.starts_with(*p)) {
            groups.entry(prefix).or_default().push(&entry.name);
        }
    }
    for (prefix, entries) in groups {
        let package = prefix.trim_end_matches('/').replace('/', ".");
        out.add(
            &UNRELOCATED,
            entries[0],
            format!(
                "{} classes of {package} are not relocated: {}",
                entries.len(),
                examples(&entries, 2)
            ),
        );
    }
}
