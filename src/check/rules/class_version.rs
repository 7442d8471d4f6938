//! F10: class files newer than the target JVM: UnsupportedClassVersionError. Classes under
//! META-INF/versions/N/ only load on Java N+, and module-info is ignored below Java 9.

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::check::rules::services::BREAKS_ALL_DISCOVERY;
use crate::jar::services::binary_to_internal;

pub static TOO_NEW: Rule = Rule {
    id: "class-version-too-new",
    family: "F10",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Class files need a newer Java than the target runtime runs: UnsupportedClassVersionError",
    why: "The JVM refuses class files with a major version above its own (UnsupportedClassVersionError), and the target runtime's JVM is known.",
    hint: "compile with --release matching the target (maven.compiler.release 8 for Flink 1.x, 11 for 2.x)",
};
pub static ABOVE_MINIMUM: Rule = Rule {
    id: "class-version-above-line-minimum",
    family: "F10",
    severity: Severity::Warning,
    needs_class_files: true,
    summary: "Class files need a newer Java than the oldest JVM the Flink line supports: UnsupportedClassVersionError on clusters running that JVM",
    why: "Each Flink line supports several JVMs; classes compiled for a newer Java than the line's oldest one fail on clusters still running it.",
    hint: "compile with the line's Java release (maven.compiler.release 8 for 1.x, 11 for 2.x), or, when every cluster runs a newer JVM, say so with a JDK-fixed target such as vvr-…-jdk17",
};

pub const RULES: &[&Rule] = &[&TOO_NEW, &ABOVE_MINIMUM];

fn java(major: u16) -> u16 {
    major.saturating_sub(44)
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let Some(classes) = &ctx.classes else { return };
    let target = &ctx.target;
    let mut too_new: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    let mut above_minimum: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    for class in classes
        .iter()
        .filter(|c| !c.entry.ends_with("module-info.class"))
    {
        if let Some(release) = class.release_dir() {
            // Loaded only on Java `release`+; within that, it must not exceed the JVM either.
            if release + 44 > target.max_class_major || class.major <= release.max(8) + 44 {
                continue;
            }
        }
        if class.major > target.max_class_major {
            too_new.entry(class.major).or_default().push(&class.entry);
        } else if class.major > target.min_class_major() && !target.jvm_fixed {
            above_minimum
                .entry(class.major)
                .or_default()
                .push(&class.entry);
        }
    }
    let listed: Vec<String> = ctx
        .listed_classes()
        .iter()
        .map(|c| format!("{}.class", binary_to_internal(c)))
        .collect();
    for (major, entries) in too_new {
        let factories: Vec<&str> = entries
            .iter()
            .copied()
            .filter(|e| listed.iter().any(|l| l == e))
            .collect();
        let effect = if factories.is_empty() {
            format!(
                "each fails with UnsupportedClassVersionError where it is first loaded, and when \
                 ServiceLoader loads one while instantiating a factory, {BREAKS_ALL_DISCOVERY}"
            )
        } else {
            format!(
                "the listed factory {} fails with UnsupportedClassVersionError in ServiceLoader; \
                 {BREAKS_ALL_DISCOVERY}",
                examples(&factories, 3)
            )
        };
        out.add(
            &TOO_NEW,
            entries[0],
            format!(
                "{} classes have class-file version {major} (Java {}) but {} runs at most Java {} \
                 (version {}): {}; {effect}",
                entries.len(),
                java(major),
                target,
                java(target.max_class_major),
                target.max_class_major,
                examples(&entries, 3)
            ),
        );
    }
    for (major, entries) in above_minimum {
        let older = older_jdks(target.min_class_major(), major);
        out.add(
            &ABOVE_MINIMUM,
            entries[0],
            format!(
                "{} classes need Java {} (class-file version {major}) but {} also runs on JDK {}, \
                 where loading them fails with UnsupportedClassVersionError: {}; state the JVM with \
                 a JDK-fixed target (--target vvr-…-jdk17) or compile with --release {}",
                entries.len(),
                java(major),
                target,
                older,
                examples(&entries, 3),
                java(target.min_class_major()),
            ),
        );
    }
}

/// The LTS JDKs from the line's oldest up to (not including) the one `major` needs: "11/17".
fn older_jdks(min_major: u16, major: u16) -> String {
    let jdks: Vec<String> = [8u16, 11, 17, 21, 25]
        .iter()
        .filter(|&&jdk| jdk + 44 >= min_major && jdk + 44 < major)
        .map(u16::to_string)
        .collect();
    if jdks.is_empty() {
        java(min_major).to_string()
    } else {
        jdks.join("/")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_the_jdks_that_cannot_load_the_classes() {
        assert_eq!(super::older_jdks(55, 65), "11/17");
        assert_eq!(super::older_jdks(52, 55), "8");
        assert_eq!(super::older_jdks(52, 61), "8/11");
        assert_eq!(super::older_jdks(55, 56), "11");
    }
}
