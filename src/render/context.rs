//! The variables templates see (documented in templates/README.md), built from a manifest.

use serde_json::{json, Value};

use crate::escape;
use crate::flink::SinkApi;
use crate::manifest::{Capabilities, Manifest, CAPABILITIES};

/// Default plugin versions for generated POMs: the newest releases on Maven Central (checked by
/// scripts/check-upstream-versions, 2026-11-29). Every one is a POM
/// property, so builds can override it (`-Dshade-plugin.version=…`).
pub const PLUGIN_VERSIONS: &[(&str, &str)] = &[
    ("shade", "3.6.2"),
    ("compiler", "3.16.0"),
    ("surefire", "3.6.1"),
    ("jar", "3.5.1"),
    ("resources", "3.5.0"),
    ("clean", "3.5.0"),
    ("install", "3.2.0"),
    ("enforcer", "3.7.0"),
    ("junit", "5.14.4"),
    // Only on the test class path for flink-test-utils' MiniCluster resource (no JUnit 4 test).
    ("junit4", "4.13.2"),
    // Generated tests assert with AssertJ, as Apache's connectors do.
    ("assertj", "3.27.5"),
    // Architecture tests; the release Apache's Kafka connector uses (Java 8 compatible).
    ("archunit", "1.4.1"),
    // Test logging behind SLF4J 1.7 (what every Flink line uses): the Log4j that Flink 2.2 ships.
    ("log4j", "2.24.3"),
    // Only multi-line projects use it (a per-line source root). 3.7.0+ require Maven 3.9; 3.6.1
    // runs on the Maven 3.8 that Debian 12 ships.
    ("build_helper", "3.6.1"),
    // Multi-line only: writes each line's consumer POM (`${revision}` resolved) for install/deploy.
    ("flatten", "1.7.3"),
    ("deploy", "3.1.4"),
];

/// Values that do not come from the manifest (organisation defaults).
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// License header text, one notice per line, without comment markers.
    pub license_header: Option<String>,
}

pub fn build(m: &Manifest, extras: &Extras) -> Value {
    let line = m.flink.line;
    let options: Vec<Value> = m
        .options
        .iter()
        .map(|o| {
            json!({
                "key": o.key,
                "constant": o.constant(),
                "type": o.ty.name(),
                "java_type": o.java_type(),
                "type_method": o.ty.type_method(),
                "type_args": o.type_args(),
                "default_method": o.ty.default_method(),
                "has_default": o.default.is_some(),
                "default_java": o.default.as_ref().map(|d| o.java_default(d).expect("validated default")),
                // An enum option's generated nested enum (empty for other types).
                "enum_class": (!o.values.is_empty()).then(|| o.enum_class()),
                "enum_values": o.values.iter().map(|v| json!({"value": v.value, "constant": v.constant})).collect::<Vec<_>>(),
                // Sensitive options have no default (the manifest refuses one), so nothing to redact.
                "default_display": o.default.clone().unwrap_or_default(),
                "required": o.required,
                "sensitive": o.sensitive,
                "description": o.description,
                "description_java": escape::java_string_body(&o.description),
                "description_doc": escape::javadoc(&o.description),
                "description_md": escape::markdown_cell(&o.description),
            })
        })
        .collect();
    let pick = |required: bool| -> Vec<Value> {
        options
            .iter()
            .filter(|o| o["required"] == json!(required))
            .cloned()
            .collect()
    };
    let dependencies: Vec<Value> = m
        .dependencies
        .iter()
        .filter(|d| !d.is_test())
        .map(|d| {
            json!({
                "group_id": d.group_id,
                "artifact_id": d.artifact_id,
                "version": d.version,
                "relocations": d.relocate.iter().map(|p| json!({
                    "pattern": p,
                    "shaded_pattern": format!("{}.shaded.{p}", m.package),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let test_dependencies: Vec<Value> = m
        .dependencies
        .iter()
        .filter(|d| d.is_test())
        .map(
            |d| json!({"group_id": d.group_id, "artifact_id": d.artifact_id, "version": d.version}),
        )
        .collect();
    let plugins: serde_json::Map<String, Value> = PLUGIN_VERSIONS
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    json!({
        "name": m.name,
        "identifier": m.identifier,
        "description": m.description,
        "class_prefix": m.class_prefix,
        "package": m.package,
        "package_path": m.package.replace('.', "/"),
        "group_id": m.group_id,
        "artifact_id": m.artifact_id,
        "version": m.version,
        "preset": m.template.preset,
        "flink": {
            "version": m.flink.to_string(),
            "line": line.line,
            "java_release": line.java_release,
            "v2": line.major() >= 2,
            "sink_init_context": line.sink_api != SinkApi::WriterInitContext,
            "sink_writer_init_context": line.sink_api != SinkApi::InitContext,
            "source_parallelism": line.source_parallelism,
        },
        "caps": caps_context(m.capabilities),
        "options": options,
        "required_options": pick(true),
        "optional_options": pick(false),
        "dependencies": dependencies,
        "test_dependencies": test_dependencies,
        "plugins": plugins,
        "license_header": extras.license_header.as_deref().map(escape::java_block_comment).unwrap_or_default(),
        "tool_version": env!("CARGO_PKG_VERSION"),
        "multiline": super::lines::context(m),
    })
}

/// `caps.<name>` for every declared capability, and `caps.source` (any capability that makes the
/// factory a source factory).
fn caps_context(caps: Capabilities) -> Value {
    let mut flags: serde_json::Map<String, Value> = CAPABILITIES
        .iter()
        .map(|c| (c.name.to_string(), json!(caps.has(c.name))))
        .collect();
    flags.insert("source".into(), json!(caps.defs().any(|c| c.source)));
    Value::Object(flags)
}
