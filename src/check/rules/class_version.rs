//! F10: class files newer than the target JVM: UnsupportedClassVersionError. Classes under
//! META-INF/versions/N/ only load on Java N+, and module-info is ignored below Java 9.

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};

pub static TOO_NEW: Rule = Rule {
    id: "class-version-too-new",
    family: "F10",
    severity: Severity::Error,
    summary: "Class files need a newer Java than the target runtime runs: UnsupportedClassVersionError",
    hint: "compile with --release matching the target (maven.compiler.release 8 for Flink 1.x, 11 for 2.x)",
};
pub static ABOVE_MINIMUM: Rule = Rule {
    id: "class-version-above-line-minimum",
    family: "F10",
    severity: Severity::Warning,
    summary: "Class files need a newer Java than the oldest JVM the Flink line supports",
    hint: "compile with the line's Java release (8 for 1.x, 11 for 2.x) unless every cluster runs a newer JVM",
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
    for (major, entries) in too_new {
        out.add(&TOO_NEW, entries[0], format!(
            "{} classes have class-file version {major} (Java {}) but {} runs at most Java {} (version {}): {}",
            entries.len(), java(major), target, java(target.max_class_major), target.max_class_major, examples(&entries, 3)
        ));
    }
    for (major, entries) in above_minimum {
        out.add(
            &ABOVE_MINIMUM,
            entries[0],
            format!(
                "{} classes need Java {} but {} also runs on Java {}: {}",
                entries.len(),
                java(major),
                target,
                java(target.min_class_major()),
                examples(&entries, 3)
            ),
        );
    }
}
