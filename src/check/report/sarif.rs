//! SARIF 2.1.0 via serde-sarif: the rule catalog as `tool.driver.rules` (with default levels
//! and help), each finding a `result` located in the checked file (a jar entry or a pom line).

use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::check::finding::{Rule, Severity};
use crate::check::{rules, Report};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

fn text(text: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder()
        .text(text.into())
        .build()
}

/// A file path as a URI reference: relative paths stay relative (resolved against the
/// repository by code-scanning tools), absolute ones become `file://` URIs.
fn uri(path: &str) -> String {
    let path = path
        .replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20");
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        path
    }
}

fn descriptor(r: &Rule) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(r.id)
        .name(r.id.replace('-', " "))
        .short_description(text(r.summary))
        .full_description(text(r.why))
        .help(text(r.hint))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(r.severity.as_str()))
                .build(),
        )
        .properties(
            serde_sarif::sarif::PropertyBag::builder()
                .additional_properties(std::collections::BTreeMap::from([
                    ("family".to_string(), serde_json::json!(r.family)),
                    (
                        "needsClassFiles".to_string(),
                        serde_json::json!(r.needs_class_files),
                    ),
                ]))
                .build(),
        )
        .build()
}

fn log(rules: &[&Rule], results: Vec<SarifResult>) -> Sarif {
    let driver = ToolComponent::builder()
        .name("cargo-flink-connector")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://crates.io/crates/cargo-flink-connector")
        .rules(rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The catalog alone (`--list-rules`/`--explain` with `--format sarif`): rules, no results.
pub fn catalog(rules: &[&Rule]) -> Sarif {
    log(rules, Vec::new())
}

pub fn sarif(report: &Report) -> Sarif {
    let catalog: Vec<&Rule> = rules::all().collect();
    let results: Vec<SarifResult> = report
        .files
        .iter()
        .flat_map(|file| file.findings.iter().map(move |f| (file, f)))
        .map(|(file, f)| {
            let mut physical = PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(uri(&file.path)).build())
                .build();
            if let Some(line) = f.line {
                physical.region = Some(Region::builder().start_line(line as i64).build());
            }
            let logical = LogicalLocation::builder()
                .fully_qualified_name(f.location.clone())
                .kind("member")
                .build();
            let location = Location::builder()
                .physical_location(physical)
                .logical_locations(vec![logical])
                .build();
            // Each occurrence of a grouped finding is a related location with its own text.
            let related: Vec<Location> = f
                .occurrences
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    Location::builder()
                        .id(i as i64)
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(
                                    ArtifactLocation::builder().uri(uri(&file.path)).build(),
                                )
                                .build(),
                        )
                        .logical_locations(vec![LogicalLocation::builder()
                            .fully_qualified_name(o.location.clone())
                            .kind("member")
                            .build()])
                        .message(Message::builder().text(o.detail.clone()).build())
                        .build()
                })
                .collect();
            let mut result = SarifResult::builder()
                .rule_id(f.rule)
                .rule_index(catalog.iter().position(|r| r.id == f.rule).unwrap_or(0) as i64)
                .level(level(f.severity))
                .message(
                    Message::builder()
                        .text(format!("{} ({})", f.message, f.location))
                        .build(),
                )
                .locations(vec![location])
                .build();
            if !related.is_empty() {
                result.related_locations = Some(related);
            }
            result
        })
        .collect();
    let mut log = log(&catalog, results);
    let matrices: Vec<serde_json::Value> = report
        .files
        .iter()
        .filter_map(|f| {
            let matrix = f.matrix.as_ref()?;
            Some(serde_json::json!({ "path": f.path, "lines": matrix }))
        })
        .collect();
    if !matrices.is_empty() {
        log.runs[0].properties = Some(
            serde_sarif::sarif::PropertyBag::builder()
                .additional_properties(std::collections::BTreeMap::from([(
                    "compatibilityMatrix".to_string(),
                    serde_json::json!(matrices),
                )]))
                .build(),
        );
    }
    log
}
