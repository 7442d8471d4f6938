//! `inspect` output: JSON (the stable shape other tools read), Ververica Platform's
//! `connector-meta.yaml`, and Markdown for READMEs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::factories::{FactoryInfo, OptionInfo, UNKNOWN};

fn or_unknown(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| UNKNOWN.to_string())
}

/// The JSON shape (schemas/inspect.schema.json), field order as documented: the same object
/// for one jar or many.
#[derive(Serialize)]
struct InspectJson<'a> {
    schema_version: u32,
    jars: Vec<JarJson<'a>>,
}

#[derive(Serialize)]
struct JarJson<'a> {
    jar: String,
    /// `null` when the services file cannot be read (then `notes` says why) — never `[]`.
    factories: Option<Vec<FactoryJson<'a>>>,
    notes: Option<&'a str>,
}

#[derive(Serialize)]
struct FactoryJson<'a> {
    class: &'a str,
    /// `null` when not known exactly (then `notes` says why).
    identifier: Option<&'a str>,
    interfaces: &'a [String],
    /// What the YAML's `source`/`sink`/`lookup` say: `null` when not readable.
    scan: Option<bool>,
    lookup: Option<bool>,
    sink: bool,
    /// `null` when not known exactly — never a partial list.
    required_options: Option<Vec<OptionJson>>,
    optional_options: Option<Vec<OptionJson>>,
    /// Why something above is `null`; `null` when everything is exact.
    notes: Option<String>,
}

#[derive(Serialize)]
struct OptionJson {
    key: String,
    #[serde(rename = "type")]
    ty: String,
    /// `null` when the option has no default.
    default: Option<String>,
    /// The option's `withDescription` text; `null` when it has none or it is not readable.
    description: Option<String>,
}

fn option_json(option: &OptionInfo) -> OptionJson {
    OptionJson {
        key: option.key.clone(),
        ty: or_unknown(&option.ty),
        default: option.default.as_ref().map(or_unknown),
        description: option.description.clone(),
    }
}

/// Scan and lookup of a table source: `(false, false)` for a factory that is no source.
fn source_flags(f: &FactoryInfo) -> (Option<bool>, Option<bool>) {
    match (f.is_table_source(), f.source_kinds) {
        (false, _) => (Some(false), Some(false)),
        (true, Some(k)) => (Some(k.scan), Some(k.lookup)),
        (true, None) => (None, None),
    }
}

fn jar_json<'a>(jar: &Path, factories: &'a Result<Vec<FactoryInfo>, String>) -> JarJson<'a> {
    let options = |set: &Option<Vec<OptionInfo>>| {
        set.as_ref()
            .map(|options| options.iter().map(option_json).collect())
    };
    let factory = |f: &'a FactoryInfo| {
        let (scan, lookup) = source_flags(f);
        FactoryJson {
            class: &f.class,
            identifier: f.identifier.as_deref(),
            interfaces: &f.interfaces,
            scan,
            lookup,
            sink: f.is_table_sink(),
            required_options: options(&f.required_options),
            optional_options: options(&f.optional_options),
            notes: (!f.notes.is_empty()).then(|| f.notes.join("; ")),
        }
    };
    JarJson {
        jar: jar.display().to_string(),
        factories: factories
            .as_ref()
            .ok()
            .map(|list| list.iter().map(factory).collect()),
        notes: factories.as_ref().err().map(String::as_str),
    }
}

/// `{"schema_version": 1, "jars": [{"jar": …, "factories": […]}, …]}`, for one jar or several;
/// `factories: null` and `notes` for a jar whose services file cannot be read.
pub fn json(reports: &[(PathBuf, Result<Vec<FactoryInfo>, String>)]) -> String {
    let doc = InspectJson {
        schema_version: crate::check::report::SCHEMA_VERSION,
        jars: reports.iter().map(|(p, f)| jar_json(p, f)).collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

use crate::escape::{markdown_cell, markdown_code, yaml_comment, yaml_scalar as scalar};

fn yes_no(value: Option<bool>) -> String {
    value.map_or_else(|| scalar(UNKNOWN), |v| v.to_string())
}

/// One `connector-meta.yaml` document per table factory, `---`-separated; format and other
/// factories are listed in a comment (Ververica describes formats separately).
pub fn yaml(jar: &Path, factories: &[FactoryInfo]) -> String {
    let mut out = format!(
        "# connector-meta.yaml for {} (read from bytecode by cargo flink-connector inspect)\n",
        yaml_comment(&jar.display().to_string())
    );
    let others: Vec<&FactoryInfo> = factories
        .iter()
        .filter(|f| !f.is_table_source() && !f.is_table_sink())
        .collect();
    for f in &others {
        let _ = writeln!(
            out,
            "# not a table connector: {} ({})",
            yaml_comment(&f.class),
            yaml_comment(f.identifier.as_deref().unwrap_or(UNKNOWN))
        );
    }
    for f in factories
        .iter()
        .filter(|f| f.is_table_source() || f.is_table_sink())
    {
        let (scan, lookup) = source_flags(f);
        let identifier = f.identifier.as_deref().unwrap_or(UNKNOWN);
        let _ = writeln!(
            out,
            "---\n# factory: {}\nconnector:",
            yaml_comment(&f.class)
        );
        let _ = writeln!(out, "  type: {}", scalar(identifier));
        let _ = writeln!(
            out,
            "  packaged: true\n  source: {}\n  sink: {}\n  lookup: {}",
            yes_no(scan),
            f.is_table_sink(),
            yes_no(lookup)
        );
        let _ = writeln!(out, "  properties:");
        let _ = writeln!(
            out,
            "    - key: connector\n      required: true\n      description: {}",
            scalar(&format!(
                "Must be set to '{identifier}' to configure this connector."
            ))
        );
        for note in &f.notes {
            let _ = writeln!(out, "    # incomplete: {}", yaml_comment(note));
        }
        let listed = f
            .required_options
            .iter()
            .flatten()
            .map(|o| (o, true))
            .chain(f.optional_options.iter().flatten().map(|o| (o, false)));
        for (option, required) in listed.filter(|(o, _)| o.key != "connector") {
            let _ = writeln!(
                out,
                "    - key: {}\n      required: {required}",
                scalar(&option.key)
            );
            match &option.default {
                Some(Some(value)) => {
                    let _ = writeln!(out, "      defaultValue: {}", scalar(value));
                }
                Some(None) => {
                    let _ = writeln!(out, "      defaultValue: {}", scalar(UNKNOWN));
                }
                None => {}
            }
            if let Some(description) = &option.description {
                let _ = writeln!(out, "      description: {}", scalar(description));
            }
        }
    }
    out
}

pub fn markdown(jar: &Path, factories: &[FactoryInfo]) -> String {
    let name = jar
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Every jar-supplied string goes through escape.rs: a code span when it is plain, else
    // escaped text, so no identifier, key or default can open a heading, a tag or a new row.
    let mut out = format!("# Factories in {}\n", markdown_code(&name));
    if factories.is_empty() {
        out.push_str("\nNo factory is registered in META-INF/services/org.apache.flink.table.factories.Factory.\n");
    }
    for f in factories {
        let short: Vec<String> = f
            .interfaces
            .iter()
            .map(|i| markdown_cell(i.rsplit('.').next().unwrap_or(i)))
            .collect();
        let _ = writeln!(
            out,
            "\n## {}\n\nClass {}; implements {}.\n",
            markdown_code(f.identifier.as_deref().unwrap_or(UNKNOWN)),
            markdown_code(&f.class),
            short.join(", ")
        );
        for note in &f.notes {
            let _ = writeln!(out, "> Not read exactly: {}\n", markdown_cell(note));
        }
        out.push_str("| Option | Required | Type | Default |\n|---|---|---|---|\n");
        let listed = f
            .required_options
            .iter()
            .flatten()
            .map(|o| (o, "yes"))
            .chain(f.optional_options.iter().flatten().map(|o| (o, "no")));
        for (o, required) in listed {
            let default = match &o.default {
                None => "—".to_string(),
                Some(value) => markdown_code(value.as_deref().unwrap_or(UNKNOWN)),
            };
            let _ = writeln!(
                out,
                "| {} | {required} | {} | {default} |",
                markdown_code(&o.key),
                markdown_cell(o.ty.as_deref().unwrap_or(UNKNOWN))
            );
        }
    }
    out
}

/// YAML and Markdown for a jar whose services file cannot be read: which factories it
/// registers is unknown, said in place of the list (never an empty one).
pub fn yaml_unknown(jar: &Path, reason: &str) -> String {
    format!(
        "{}# factories unknown: {}\n",
        yaml(jar, &[]),
        reason.replace(['\n', '\r'], " ")
    )
}

pub fn markdown_unknown(jar: &Path, reason: &str) -> String {
    // The heading as `markdown` writes it, without its "no factory" sentence.
    let full = markdown(jar, &[]);
    let heading = full.lines().next().unwrap_or_default();
    format!(
        "{heading}\n\nWhich factories the jar registers is unknown: {}.\n",
        reason.replace(['\n', '\r'], " ")
    )
}
