//! F17: LICENSE/NOTICE placement as Flink's JarFileChecker enforces it (META-INF/NOTICE and
//! META-INF/LICENSE present, no license files outside META-INF), and Maven metadata of bundled
//! dependencies left behind.

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};

pub static MISSING: Rule = Rule {
    id: "license-notice-missing",
    family: "F17",
    severity: Severity::Note,
    needs_class_files: false,
    summary: "META-INF/LICENSE or META-INF/NOTICE is missing (nothing fails at run time; a warning for Apache Flink's own artifacts, which Flink's JarFileChecker holds to it)",
    why: "Nothing fails at run time, but the Apache License requires redistributions to carry LICENSE and NOTICE, and Apache Flink's JarFileChecker rejects its own artifacts without them.",
    hint: "ship the project's LICENSE and NOTICE in META-INF (ApacheLicenseResourceTransformer/ApacheNoticeResourceTransformer)",
};
pub static OUTSIDE_META_INF: Rule = Rule {
    id: "license-outside-meta-inf",
    family: "F17",
    severity: Severity::Warning,
    needs_class_files: false,
    summary:
        "A LICENSE/NOTICE file outside META-INF: a dependency's license presented as the jar's",
    why: "A LICENSE/NOTICE at the jar root or in a package directory belongs to a bundled dependency and is presented as the jar's own.",
    hint:
        "exclude it in the shade filters and list the dependency's license under META-INF/licenses/",
};
pub static MAVEN_LEFTOVERS: Rule = Rule {
    id: "maven-metadata-leftover",
    family: "F17",
    severity: Severity::Note,
    needs_class_files: false,
    summary: "META-INF/maven/ metadata of bundled dependencies is left in the jar",
    why: "META-INF/maven/ of bundled dependencies misleads scanners (SBOM, vulnerability tools) into listing artifacts whose classes were relocated or trimmed.",
    hint: "exclude **/META-INF/maven/** of dependencies in the shade filters",
};

pub const RULES: &[&Rule] = &[&MISSING, &OUTSIDE_META_INF, &MAVEN_LEFTOVERS];

/// Why the jar counts as an Apache Flink artifact (META-INF/maven/org.apache.flink/**, or
/// an Apache Implementation-Vendor), or `None`.
fn apache_flink_artifact(ctx: &JarContext) -> Option<String> {
    if let Some(entry) = ctx
        .jar
        .entries()
        .iter()
        .find(|e| e.name.starts_with("META-INF/maven/org.apache.flink/") && !e.is_dir)
    {
        return Some(entry.name.clone());
    }
    let vendor = ctx.manifest.as_ref()?.get("Implementation-Vendor")?;
    vendor
        .contains("Apache")
        .then(|| format!("Implementation-Vendor: {vendor}"))
}

fn is_license_file(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    (file.contains("license") || file.contains("notice"))
        && !file.ends_with(".class")
        && !file.ends_with(".ftl")
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let missing: Vec<&str> = ["META-INF/LICENSE", "META-INF/NOTICE"]
        .into_iter()
        .filter(|n| !ctx.jar.contains(n))
        .collect();
    if !missing.is_empty() {
        let location = missing[0];
        let missing = missing.join(" and ");
        match apache_flink_artifact(ctx) {
            Some(why) => out.add_at(
                &MISSING,
                Severity::Warning,
                location,
                format!(
                    "{missing} missing in an Apache Flink artifact ({why}): Flink's JarFileChecker \
                     fails the release build without them"
                ),
            ),
            None => out.add(
                &MISSING,
                location,
                format!(
                    "{missing} missing: nothing fails at run time, but a redistributed jar \
                     should carry its license and notice"
                ),
            ),
        };
    }
    for entry in ctx
        .jar
        .entries()
        .iter()
        .filter(|e| !e.is_dir && !e.name.contains("META-INF") && is_license_file(&e.name))
    {
        out.add(
            &OUTSIDE_META_INF,
            &entry.name,
            format!("{} is a license file outside META-INF", entry.name),
        );
    }
    let artifacts = ctx.maven_artifacts();
    if artifacts.len() > 1 {
        out.add(
            &MAVEN_LEFTOVERS,
            format!("META-INF/maven/{}/", artifacts[0]),
            format!(
                "Maven metadata of {} artifacts: {}",
                artifacts.len(),
                examples(&artifacts, 3)
            ),
        );
    }
}
