//! F14/F15: multi-release jars and module descriptors. Versioned classes without
//! `Multi-Release: true` are ignored; versioned classes whose base class was relocated away
//! shadow nothing (or the wrong thing); a module-info.class left in a shaded jar describes a
//! module that no longer exists.

use std::collections::BTreeMap;

use crate::check::context::{versioned_release, JarContext};
use crate::check::finding::{examples, Findings, Rule, Severity};

pub static NOT_DECLARED: Rule = Rule {
    id: "multi-release-not-declared",
    family: "F14",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "META-INF/versions/ holds classes but the manifest lacks `Multi-Release: true`: they are ignored",
    why: "Without Multi-Release: true the JVM ignores META-INF/versions/, so version-specific classes never load. A lone META-INF/versions/9/module-info.class is only a module descriptor and is not counted.",
    hint: "add <Multi-Release>true</Multi-Release> to the manifest entries (shade: ManifestResourceTransformer)",
};
pub static ORPHAN: Rule = Rule {
    id: "multi-release-orphan",
    family: "F14",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "A versioned class has no base class at the same path (relocated without its versions?)",
    why: "A versioned class without a base class at the same path usually means relocation moved the base classes but not their versioned copies; on newer JVMs the wrong or no class is loaded.",
    hint: "relocate META-INF/versions/** together with the base classes (maven-shade-plugin ≥ 3.2.2 does) or drop the versioned copies",
};
pub static MODULE_INFO: Rule = Rule {
    id: "module-info-present",
    family: "F15",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "module-info.class left in a shaded jar describes a module the jar no longer is",
    why: "A root module-info.class left in a shaded jar describes the original module (its name, requires and exports), not the uber jar. META-INF/versions/9/module-info.class of an unmodified library is ignored on the class path and is not reported.",
    hint:
        "exclude module-info.class (and META-INF/versions/*/module-info.class) in the shade filters",
};

pub const RULES: &[&Rule] = &[&NOT_DECLARED, &ORPHAN, &MODULE_INFO];

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let versioned: Vec<&str> = ctx
        .jar
        .entries()
        .iter()
        // A versioned module-info.class only describes the module on Java 9+ module paths; on
        // the class path it is ignored, so alone it makes nothing multi-release.
        .filter(|e| {
            e.is_class()
                && versioned_release(&e.name).is_some()
                && !e.name.ends_with("/module-info.class")
        })
        .map(|e| e.name.as_str())
        .collect();
    let declared = ctx.manifest.as_ref().is_some_and(|m| m.is_multi_release());
    if !versioned.is_empty() && !declared {
        out.add(
            &NOT_DECLARED,
            "META-INF/MANIFEST.MF",
            format!(
                "{} classes under META-INF/versions/ but no `Multi-Release: true`: {}",
                versioned.len(),
                examples(&versioned, 2)
            ),
        );
    }
    let mut orphans: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in &versioned {
        let Some(base) = name.splitn(4, '/').nth(3) else {
            continue;
        };
        if !ctx.jar.contains(base) {
            let package = base.rsplit_once('/').map_or("", |(p, _)| p);
            orphans.entry(package).or_default().push(name);
        }
    }
    for (package, entries) in orphans {
        out.add(
            &ORPHAN,
            entries[0],
            format!(
                "{} versioned classes of {package} have no base class: {}",
                entries.len(),
                examples(&entries, 2)
            ),
        );
    }
    for entry in ctx
        .jar
        .entries()
        .iter()
        .filter(|e| e.name == "module-info.class")
    {
        out.add(
            &MODULE_INFO,
            &entry.name,
            format!(
                "{} is a module descriptor inside a (shaded) connector jar",
                entry.name
            ),
        );
    }
}
