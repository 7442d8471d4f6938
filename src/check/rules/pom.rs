//! pom.xml rules: Flink dependencies provided, the planner kept to tests, the shade plugin
//! merging service files, dropping signatures and relocating what it bundles, and
//! `flink.version` equal to the target runtime's.

use crate::check::finding::{examples, FindingExt, Findings, Rule, Severity};
use crate::check::target::{version_from_text, Target};
use crate::pom::{Dependency, Element, Pom};

use super::scala::{foreign_scala_suffix, SUFFIX_MISMATCH};

pub static FLINK_NOT_PROVIDED: Rule = Rule {
    id: "pom-flink-not-provided",
    family: "F6",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "A Flink runtime dependency is not in provided/test scope, so it is bundled",
    why: "Flink dependencies in compile scope are shaded into the connector jar and then conflict with the runtime (see bundled-flink-runtime).",
    hint: "add <scope>provided</scope> (managed platforms reject runtime-layer jars)",
};
pub static CONNECTOR_BASE_BUNDLED: Rule = Rule {
    id: "pom-connector-base-bundled",
    family: "F6",
    severity: Severity::Note,
    needs_class_files: false,
    summary:
        "flink-connector-base in compile scope: fine for a SQL uber jar, otherwise make it provided",
    why: "flink-connector-base ships in flink-dist; bundling it is the convention only for flink-sql-connector-* uber jars.",
    hint: "use <scope>provided</scope> unless this is a flink-sql-connector-* uber jar",
};
pub static PLANNER_DEPENDENCY: Rule = Rule {
    id: "pom-planner-dependency",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "flink-table-planner (not the loader) outside test scope: planner internals are hidden at run time",
    why: "flink-table-planner_2.12 is hidden behind planner-loader at run time, so production code must not depend on it.",
    hint: "depend on flink-table-planner-loader (provided) or keep flink-table-planner_2.12 in test scope",
};
pub static VERSION_MISMATCH: Rule = Rule {
    id: "pom-flink-version-mismatch",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "flink.version differs from the target runtime's Flink version",
    why: "Code compiled against another Flink version may use APIs the runtime lacks, and managed platforms require flink.version to equal the engine's.",
    hint: "set flink.version to the runtime's version (managed platforms require them to be equal)",
};
pub static SHADE_MISSING: Rule = Rule {
    id: "pom-shade-plugin-missing",
    family: "F1",
    severity: Severity::Warning,
    needs_class_files: false,
    summary:
        "Compile-scope dependencies but no maven-shade-plugin: they are not in the connector jar",
    why: "Without maven-shade-plugin (or an equivalent assembly), compile-scope dependencies are not in the jar Flink loads: ClassNotFoundException at run time.",
    hint: "add maven-shade-plugin with ServicesResourceTransformer and relocations",
};
pub static SHADE_NO_SERVICES_TRANSFORMER: Rule = Rule {
    id: "pom-shade-no-services-transformer",
    family: "F1",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "maven-shade-plugin without ServicesResourceTransformer: the last dependency's services file wins",
    why: "Without ServicesResourceTransformer the shade plugin keeps one dependency's services file and drops the others, so factories go missing.",
    hint: "add <transformer implementation=\"org.apache.maven.plugins.shade.resource.ServicesResourceTransformer\"/>",
};
pub static SHADE_NO_SIGNATURE_FILTER: Rule = Rule {
    id: "pom-shade-no-signature-filter",
    family: "F9",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "maven-shade-plugin does not exclude META-INF/*.SF, *.DSA, *.RSA: signed dependencies break the jar",
    why: "Shading a signed dependency copies its signature files; they no longer match the shaded jar (see signature-file).",
    hint: "add a <filter> for *:* excluding META-INF/*.SF, META-INF/*.DSA, META-INF/*.RSA",
};
pub static NOT_RELOCATED: Rule = Rule {
    id: "pom-dependency-not-relocated",
    family: "F8",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "A bundled dependency's packages are not covered by a shade <relocation>",
    why: "Unrelocated bundled packages clash with other copies on the class path (see unrelocated-library).",
    hint: "add <relocation><pattern>the.package</pattern><shadedPattern>your.package.shaded.the.package</shadedPattern></relocation>",
};

pub const RULES: &[&Rule] = &[
    &FLINK_NOT_PROVIDED,
    &CONNECTOR_BASE_BUNDLED,
    &PLANNER_DEPENDENCY,
    &VERSION_MISMATCH,
    &SHADE_MISSING,
    &SHADE_NO_SERVICES_TRANSFORMER,
    &SHADE_NO_SIGNATURE_FILTER,
    &NOT_RELOCATED,
];

/// Artifacts of the Flink runtime (flink-dist, the table uber jar, lib/) or its shaded libraries.
fn is_runtime_artifact(artifact: &str) -> bool {
    const EXACT: &[&str] = &[
        "flink-core",
        "flink-java",
        "flink-streaming-java",
        "flink-clients",
        "flink-runtime",
        "flink-annotations",
        "flink-metrics-core",
        "flink-table-common",
        "flink-table-api-java",
        "flink-table-api-java-bridge",
        "flink-table-api-bridge-base",
        "flink-table-runtime",
        "flink-table-planner-loader",
        "flink-cep",
        "flink-dist",
        "flink-connector-files",
        "flink-json",
        "flink-csv",
        "flink-rpc-core",
        "flink-core-api",
        "flink-datastream-api",
        "flink-table-api-java-uber",
    ];
    EXACT.contains(&artifact)
        || artifact.starts_with("flink-shaded-")
        || artifact.starts_with("flink-streaming-scala")
        || artifact.starts_with("flink-table-api-scala")
        || artifact.starts_with("flink-scala")
}

fn bundled_scope(dep: &Dependency) -> bool {
    matches!(dep.scope.as_str(), "compile" | "runtime") && !dep.optional
}

fn location(pom: &Pom, line: usize) -> String {
    format!(
        "{}:{line}",
        pom.path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    )
}

pub fn check(pom: &Pom, target: &Target, out: &mut Findings) {
    let dependencies = pom.dependencies();
    for dep in &dependencies {
        let at = location(pom, dep.line);
        let coordinates = format!("{}:{}", dep.group_id, dep.artifact_id);
        if let Some(suffix) = foreign_scala_suffix(&dep.artifact_id) {
            out.add(
                &SUFFIX_MISMATCH,
                at.clone(),
                format!(
                    "{coordinates} is built for Scala {}; Flink uses 2.12",
                    &suffix[1..]
                ),
            )
            .with_line(dep.line);
        }
        if dep.group_id != "org.apache.flink" {
            continue;
        }
        if dep.artifact_id.starts_with("flink-table-planner_") && dep.scope != "test" {
            out.add(
                &PLANNER_DEPENDENCY,
                at,
                format!("{coordinates} has scope {}", dep.scope),
            )
            .with_line(dep.line);
        } else if dep.artifact_id == "flink-connector-base" && bundled_scope(dep) {
            out.add(
                &CONNECTOR_BASE_BUNDLED,
                at,
                format!("{coordinates} has scope {}", dep.scope),
            )
            .with_line(dep.line);
        } else if is_runtime_artifact(&dep.artifact_id) && bundled_scope(dep) {
            out.add(
                &FLINK_NOT_PROVIDED,
                at,
                format!(
                    "{coordinates} has scope {}, so the runtime's classes are bundled",
                    dep.scope
                ),
            )
            .with_line(dep.line);
        }
    }
    check_version(pom, &dependencies, target, out);
    check_shading(pom, &dependencies, out);
}

fn check_version(pom: &Pom, dependencies: &[Dependency], target: &Target, out: &mut Findings) {
    let declared = pom
        .property("flink.version")
        .map(|v| {
            (
                v,
                pom.root
                    .child("properties")
                    .and_then(|p| p.child("flink.version"))
                    .map_or(1, |e| e.line),
            )
        })
        .or_else(|| {
            dependencies
                .iter()
                .find(|d| d.group_id == "org.apache.flink" && is_runtime_artifact(&d.artifact_id))
                .and_then(|d| Some((d.version.clone()?, d.line)))
        });
    let Some((declared, line)) = declared else {
        return;
    };
    let Some((version, exact)) = version_from_text(&declared) else {
        return;
    };
    let line_differs = version.line.line != target.version.line.line;
    let patch_differs = exact && target.exact_patch && version.patch != target.version.patch;
    if line_differs || patch_differs {
        let severity = if line_differs {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.add_at(
            &VERSION_MISMATCH,
            severity,
            location(pom, line),
            format!("flink.version is {declared} but the target is {target}"),
        )
        .with_line(line);
    }
}

/// Whether `needle` is in the text or an attribute of `e` or below (shade transformers are
/// usually written `<transformer implementation="…"/>`).
fn text_contains(e: &Element, needle: &str) -> bool {
    e.descendants()
        .iter()
        .any(|d| d.text.contains(needle) || d.attributes.iter().any(|(_, v)| v.contains(needle)))
}

/// Whether shading (if configured) takes `dep` into the jar, honouring `<artifactSet>`.
fn is_shaded(shade: &Element, dep: &Dependency) -> bool {
    let matches = |pattern: &str| {
        let (g, a) = pattern
            .trim()
            .split_once(':')
            .unwrap_or((pattern.trim(), "*"));
        (g == "*" || g == dep.group_id) && (a == "*" || a == dep.artifact_id)
    };
    let sets: Vec<&Element> = shade
        .descendants()
        .into_iter()
        .filter(|e| e.name == "artifactSet")
        .collect();
    let listed = |kind: &str| {
        sets.iter()
            .flat_map(|s| s.child(kind))
            .flat_map(|l| l.children.iter())
            .any(|i| matches(&i.text))
    };
    let has_includes = sets
        .iter()
        .any(|s| s.child("includes").is_some_and(|i| !i.children.is_empty()));
    (!has_includes || listed("includes")) && !listed("excludes")
}

/// Java package a groupId's classes usually live in.
fn package_of(group_id: &str) -> String {
    match group_id {
        "com.google.guava" => "com.google.common".into(),
        g if g.starts_with("com.fasterxml.jackson") => "com.fasterxml.jackson".into(),
        g => g.to_string(),
    }
}

fn check_shading(pom: &Pom, dependencies: &[Dependency], out: &mut Findings) {
    let bundled: Vec<&Dependency> = dependencies
        .iter()
        .filter(|d| bundled_scope(d) && d.group_id != "org.apache.flink")
        .collect();
    let Some(shade) = pom.plugin("maven-shade-plugin") else {
        if !bundled.is_empty() {
            let names: Vec<String> = bundled
                .iter()
                .map(|d| format!("{}:{}", d.group_id, d.artifact_id))
                .collect();
            out.add(
                &SHADE_MISSING,
                location(pom, bundled[0].line),
                format!(
                    "no maven-shade-plugin, but compile dependencies {}",
                    examples(&names, 3)
                ),
            )
            .with_line(bundled[0].line);
        }
        return;
    };
    let at = location(pom, shade.line);
    if !text_contains(shade, "ServicesResourceTransformer") {
        out.add(
            &SHADE_NO_SERVICES_TRANSFORMER,
            at.clone(),
            "maven-shade-plugin has no ServicesResourceTransformer",
        )
        .with_line(shade.line);
    }
    if !text_contains(shade, "*.SF") {
        out.add(
            &SHADE_NO_SIGNATURE_FILTER,
            at,
            "maven-shade-plugin has no filter excluding META-INF/*.SF",
        )
        .with_line(shade.line);
    }
    let patterns: Vec<String> = shade
        .descendants()
        .into_iter()
        .filter(|e| e.name == "relocation")
        .filter_map(|r| r.text_of("pattern").map(|p| pom.interpolate(p)))
        .collect();
    for dep in bundled.into_iter().filter(|d| is_shaded(shade, d)) {
        let package = package_of(&dep.group_id);
        let covered = patterns
            .iter()
            .any(|p| p.starts_with(&package) || package.starts_with(p.as_str()));
        if !covered {
            out.add(
                &NOT_RELOCATED,
                location(pom, dep.line),
                format!(
                    "{}:{} is bundled but no <relocation> covers {package}",
                    dep.group_id, dep.artifact_id
                ),
            )
            .with_line(dep.line);
        }
    }
}
