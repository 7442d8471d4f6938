//! `connector.toml`: the single source of truth a project is rendered from.
//!
//! Parsing keeps spans so that every error points at a line and column of the file.

pub mod edit;
pub mod names;
pub mod options;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::errors::{Error, IoContext, Result};
use crate::flink::FlinkVersion;
pub use options::{OptionDef, OptionType};

pub const MANIFEST_FILE: &str = "connector.toml";

/// One capability: everything the tool knows about it, in one place. Adding a capability is one
/// entry in [`CAPABILITIES`] plus its templates (wrapped in `{{#if caps.<name>}}`) and the defaults of
/// its options in the blank preset's `preset.toml` (what `capability add` declares).
#[derive(Debug)]
pub struct CapabilityDef {
    /// The name in `[connector] capabilities` and `capability add|remove`; also the template flag
    /// `caps.<name>`.
    pub name: &'static str,
    /// One line for `--help`-style listings and docs.
    pub doc: &'static str,
    /// Options its managed code reads, so the manifest must declare them.
    pub options: &'static [(&'static str, OptionType)],
    /// It makes the factory a `DynamicTableSourceFactory` (template flag `caps.source`).
    pub source: bool,
}

/// Every capability, in manifest order.
pub const CAPABILITIES: &[CapabilityDef] = &[
    CapabilityDef {
        name: "scan",
        doc: "a bounded FLIP-27 scan source (SELECT reads the whole table)",
        options: &[],
        source: true,
    },
    CapabilityDef {
        name: "lookup",
        doc: "a lookup source for lookup joins, sync or async, with Flink's FLIP-221 cache",
        options: &[("lookup.async", OptionType::Boolean)],
        source: true,
    },
    CapabilityDef {
        name: "sink",
        doc: "a Sink V2 upsert sink that writes in batches, with FLIP-33 sink metrics",
        options: &[
            ("sink.buffer-flush.max-rows", OptionType::Int),
            ("sink.buffer-flush.interval", OptionType::Duration),
            ("sink.max-retries", OptionType::Int),
        ],
        source: false,
    },
];

/// A set of [`CAPABILITIES`] (bit `i` is entry `i`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities(u32);

impl Capabilities {
    pub const ALL: Capabilities = Capabilities((1 << CAPABILITIES.len()) - 1);

    fn expected() -> String {
        CAPABILITIES
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Parses `["scan", "sink"]`; an unknown name is an error message.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> std::result::Result<Self, String> {
        let mut caps = Capabilities::default();
        for name in names {
            let name = name.as_ref().trim();
            match CAPABILITIES.iter().position(|c| c.name == name) {
                Some(i) => caps.0 |= 1 << i,
                None => {
                    return Err(format!(
                        "unknown capability '{name}' (expected {})",
                        Self::expected()
                    ))
                }
            }
        }
        if caps == Capabilities::default() {
            return Err(format!(
                "at least one capability is needed ({})",
                Self::expected()
            ));
        }
        Ok(caps)
    }

    /// The declarations of the capabilities in the set, in manifest order.
    pub fn defs(self) -> impl Iterator<Item = &'static CapabilityDef> {
        CAPABILITIES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, c)| c)
    }

    pub fn has(self, name: &str) -> bool {
        self.defs().any(|c| c.name == name)
    }

    pub fn names(self) -> Vec<&'static str> {
        self.defs().map(|c| c.name).collect()
    }

    /// Options the generated managed code reads, so the manifest must declare them.
    pub fn required_options(self) -> Vec<(&'static str, OptionType)> {
        self.defs()
            .flat_map(|c| c.options.iter().copied())
            .collect()
    }
}

/// A bundled third-party dependency, relocated under `<package>.shaded.`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Dependency {
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
    /// Java package prefixes to relocate, e.g. `org.apache.commons.pool2`.
    #[serde(default)]
    pub relocate: Vec<String>,
    /// `test`: on the test class path only (AssertJ, Testcontainers), never bundled.
    #[serde(default)]
    pub scope: Option<String>,
}

impl Dependency {
    pub fn is_test(&self) -> bool {
        self.scope.as_deref() == Some("test")
    }
}

/// Where the templates came from: a preset, and optionally a team template directory.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSource {
    pub preset: String,
    /// Team template directory, relative to the project (as written) or absolute.
    pub dir: Option<PathBuf>,
    /// The cargo-flink-connector version that last rendered the project.
    pub version: String,
}

/// The validated manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub name: String,
    pub identifier: String,
    pub description: String,
    pub package: String,
    pub class_prefix: String,
    pub capabilities: Capabilities,
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
    pub flink: FlinkVersion,
    /// `[flink] lines`: every line the project builds (the primary's included), in line order;
    /// empty for a single-line project (see [`crate::multiline`]).
    pub lines: Vec<FlinkVersion>,
    pub template: TemplateSource,
    pub options: Vec<OptionDef>,
    pub dependencies: Vec<Dependency>,
    /// `[files] skip`: rendered paths the project does without (an owned file deleted on
    /// purpose); never written, never reported as missing.
    pub skip_files: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    #[serde(default)]
    skip: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawManifest {
    connector: RawConnector,
    maven: RawMaven,
    flink: RawFlink,
    template: RawTemplate,
    #[serde(default)]
    options: Vec<Spanned<RawOption>>,
    #[serde(default)]
    dependencies: Vec<Spanned<Dependency>>,
    #[serde(default)]
    files: RawFiles,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConnector {
    name: Spanned<String>,
    identifier: Spanned<String>,
    #[serde(default)]
    description: String,
    package: Spanned<String>,
    class_prefix: Spanned<String>,
    capabilities: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMaven {
    group_id: Spanned<String>,
    artifact_id: Spanned<String>,
    version: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlink {
    version: Spanned<String>,
    lines: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    preset: String,
    dir: Option<PathBuf>,
    version: String,
}

/// One `[[options]]` entry, shared by connector.toml and a preset's preset.toml.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    key: String,
    #[serde(rename = "type")]
    ty: String,
    default: Option<options::DefaultValue>,
    /// An enum option's allowed values.
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    description: String,
}

/// A preset's defaults (`presets/NAME/preset.toml`).
#[derive(Debug, Clone)]
pub struct PresetDefaults {
    pub description: String,
    pub capabilities: Capabilities,
    pub options: Vec<OptionDef>,
    pub dependencies: Vec<Dependency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPreset {
    #[serde(default)]
    description: String,
    capabilities: Spanned<Vec<String>>,
    #[serde(default)]
    options: Vec<Spanned<RawOption>>,
    #[serde(default)]
    dependencies: Vec<Spanned<Dependency>>,
}

/// Parses `text` (read from `path`) into `T`, turning serde's errors into `path:line:col: message`.
fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml_edit::de::from_str(text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        locate(path, text, e.span().unwrap_or(0..0), message)
    })
}

/// An error at a byte range of a file, as `path:line:column: message`.
pub fn locate(path: &Path, text: &str, span: Range<usize>, message: impl Into<String>) -> Error {
    let start = span.start.min(text.len());
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    Error::Located {
        path: path.to_path_buf(),
        line,
        column,
        message: message.into(),
    }
}

fn validate_options(
    path: &Path,
    text: &str,
    raw: Vec<Spanned<RawOption>>,
) -> Result<Vec<OptionDef>> {
    let mut out: Vec<OptionDef> = Vec::with_capacity(raw.len());
    for spanned in raw {
        let span = spanned.span();
        let o = spanned.into_inner();
        let def = OptionDef::with_values(
            &o.key,
            &o.ty,
            &o.values,
            o.default.map(|d| d.as_text()),
            o.required,
            o.sensitive,
            &o.description,
        )
        .map_err(|m| locate(path, text, span.clone(), m))?;
        if let Some(other) = out.iter().find(|d| d.constant() == def.constant()) {
            let what = if other.key == def.key {
                "is declared twice".to_string()
            } else {
                format!(
                    "clashes with '{}' (both become {})",
                    other.key,
                    def.constant()
                )
            };
            return Err(locate(
                path,
                text,
                span,
                format!("option '{}' {what}", def.key),
            ));
        }
        out.push(def);
    }
    Ok(out)
}

fn validate_dependencies(
    path: &Path,
    text: &str,
    raw: Vec<Spanned<Dependency>>,
) -> Result<Vec<Dependency>> {
    raw.into_iter()
        .map(|spanned| {
            let span = spanned.span();
            let dep = spanned.into_inner();
            let check = names::validate_maven_id("groupId", &dep.group_id)
                .and_then(|_| names::validate_maven_id("artifactId", &dep.artifact_id))
                .and_then(|_| names::validate_maven_id("version", &dep.version))
                .and_then(|_| {
                    dep.relocate
                        .iter()
                        .try_for_each(|p| names::validate_package(p))
                });
            let check = check.and_then(|_| match dep.scope.as_deref() {
                None => Ok(()),
                Some("test") if dep.relocate.is_empty() => Ok(()),
                Some("test") => Err(Error::usage(
                    "a test-scope dependency is not bundled, so it has nothing to relocate",
                )),
                Some(other) => Err(Error::usage(format!(
                    "dependency scope '{other}' is not supported (only \"test\"; without scope a dependency is bundled)"
                ))),
            });
            check.map_err(|e| locate(path, text, span, e.to_string()))?;
            Ok(dep)
        })
        .collect()
}

/// A sensitive option must be one whose value Flink itself masks in logs and error messages, on
/// every line the project builds: `(index of the option, why)` otherwise.
fn check_sensitive_masking(
    primary: FlinkVersion,
    lines: &[FlinkVersion],
    options: &[OptionDef],
) -> std::result::Result<(), (usize, String)> {
    let build: Vec<&str> = if lines.is_empty() {
        vec![primary.line.line]
    } else {
        lines.iter().map(|v| v.line.line).collect()
    };
    for (i, o) in options.iter().enumerate().filter(|(_, o)| o.sensitive) {
        let unmasked: Vec<&str> = build
            .iter()
            .copied()
            .filter(|l| !crate::flink::sensitive::is_masked(l, &o.key))
            .collect();
        if let Some(first) = unmasked.first() {
            return Err((
                i,
                format!(
                    "option '{}' is sensitive, but Flink {} masks a value only when its key contains {}: Flink would print this one in plain text in logs and error messages; rename it (e.g. '{}.secret')",
                    o.key,
                    unmasked.join(", "),
                    crate::flink::sensitive::patterns(first).join(", "),
                    o.key.rsplit_once('.').map_or(o.key.as_str(), |(head, _)| head)
                ),
            ));
        }
    }
    Ok(())
}

impl PresetDefaults {
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let raw: RawPreset = parse_toml(path, text)?;
        let capabilities = Capabilities::parse(raw.capabilities.get_ref())
            .map_err(|m| locate(path, text, raw.capabilities.span(), m))?;
        Ok(PresetDefaults {
            description: raw.description,
            capabilities,
            options: validate_options(path, text, raw.options)?,
            dependencies: validate_dependencies(path, text, raw.dependencies)?,
        })
    }
}

impl Manifest {
    /// Every line the project builds: `[flink] lines`, or the primary alone.
    pub fn build_lines(&self) -> Vec<FlinkVersion> {
        if self.lines.is_empty() {
            vec![self.flink]
        } else {
            self.lines.clone()
        }
    }

    /// `[flink] lines` as written: a line (`2.2`) unless a non-primary line is pinned to an
    /// older patch (`2.2.0`).
    pub fn line_entries(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|v| {
                if v.line.line == self.flink.line.line || *v == v.line.latest() {
                    v.line.line.to_string()
                } else {
                    v.to_string()
                }
            })
            .collect()
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_path("read", path)?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let raw: RawManifest = parse_toml(path, text)?;
        let at = |span: Range<usize>| move |e: Error| locate(path, text, span, e.to_string());
        let c = raw.connector;
        names::validate_connector_name(c.name.get_ref()).map_err(at(c.name.span()))?;
        names::validate_identifier(c.identifier.get_ref()).map_err(at(c.identifier.span()))?;
        names::validate_package(c.package.get_ref()).map_err(at(c.package.span()))?;
        names::validate_class_prefix(c.class_prefix.get_ref())
            .map_err(at(c.class_prefix.span()))?;
        let capabilities = Capabilities::parse(c.capabilities.get_ref())
            .map_err(|m| locate(path, text, c.capabilities.span(), m))?;
        let m = raw.maven;
        names::validate_maven_id("groupId", m.group_id.get_ref()).map_err(at(m.group_id.span()))?;
        names::validate_maven_id("artifactId", m.artifact_id.get_ref())
            .map_err(at(m.artifact_id.span()))?;
        names::validate_maven_id("version", m.version.get_ref()).map_err(at(m.version.span()))?;
        let flink = FlinkVersion::parse(raw.flink.version.get_ref())
            .map_err(at(raw.flink.version.span()))?;
        let lines = match &raw.flink.lines {
            None => Vec::new(),
            Some(list) => {
                let entries: Vec<String> =
                    list.get_ref().iter().map(|e| e.get_ref().clone()).collect();
                crate::multiline::validate(flink, &entries).map_err(|(i, m)| {
                    let span = i.map_or(list.span(), |i| list.get_ref()[i].span());
                    locate(path, text, span, format!("[flink] lines: {m}"))
                })?
            }
        };
        let option_spans: Vec<Range<usize>> = raw.options.iter().map(|o| o.span()).collect();
        let options = validate_options(path, text, raw.options)?;
        check_sensitive_masking(flink, &lines, &options)
            .map_err(|(i, m)| locate(path, text, option_spans[i].clone(), m))?;
        let mut skip_files = Vec::new();
        for entry in raw.files.skip {
            if let Some(why) = crate::render::path_problem(entry.get_ref()) {
                return Err(locate(
                    path,
                    text,
                    entry.span(),
                    format!("[files] skip: '{}' {why}; give a path relative to the project, e.g. 'src/test/java/…/AcmeConnectorITCase.java'", entry.get_ref()),
                ));
            }
            skip_files.push(entry.into_inner());
        }
        let manifest = Manifest {
            name: c.name.into_inner(),
            identifier: c.identifier.into_inner(),
            description: c.description,
            package: c.package.into_inner(),
            class_prefix: c.class_prefix.into_inner(),
            capabilities,
            group_id: m.group_id.into_inner(),
            artifact_id: m.artifact_id.into_inner(),
            version: m.version.into_inner(),
            flink,
            lines,
            template: TemplateSource {
                preset: raw.template.preset,
                dir: raw.template.dir,
                version: raw.template.version,
            },
            options,
            dependencies: validate_dependencies(path, text, raw.dependencies)?,
            skip_files,
        };
        manifest
            .check_capability_options()
            .map_err(|m| locate(path, text, c.capabilities.span(), m))?;
        Ok(manifest)
    }

    /// The generated code reads some options per capability; refuse a manifest that lacks them.
    pub fn check_capability_options(&self) -> std::result::Result<(), String> {
        for (key, ty) in self.capabilities.required_options() {
            match self.options.iter().find(|o| o.key == key) {
                None => return Err(format!("the generated code needs option '{key}' ({}) for these capabilities; declare it in [[options]]", ty.name())),
                Some(o) if o.ty != ty => return Err(format!("option '{key}' must have type {} (the generated code reads it so)", ty.name())),
                Some(o) if o.default.is_none() => return Err(format!("option '{key}' needs a default: the generated code reads it when a table does not set it")),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The manifest as a fresh, commented connector.toml.
    pub fn to_toml(&self) -> String {
        use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, Table};
        let mut doc = DocumentMut::new();
        doc.decor_mut().set_prefix(
            "# connector.toml: the single source of truth of this connector project.\n\
             # `cargo flink-connector generate` re-renders the managed files from it;\n\
             # `cargo flink-connector generate --check` fails when the project has drifted.\n\n",
        );
        let mut connector = Table::new();
        connector["name"] = value(&self.name);
        connector["identifier"] = value(&self.identifier);
        connector["description"] = value(&self.description);
        connector["package"] = value(&self.package);
        connector["class-prefix"] = value(&self.class_prefix);
        connector["capabilities"] = value(self.capabilities.names().into_iter().collect::<Array>());
        doc["connector"] = Item::Table(connector);
        let mut maven = Table::new();
        maven["group-id"] = value(&self.group_id);
        maven["artifact-id"] = value(&self.artifact_id);
        maven["version"] = value(&self.version);
        doc["maven"] = Item::Table(maven);
        let mut flink = Table::new();
        flink["version"] = value(self.flink.to_string());
        if !self.lines.is_empty() {
            flink["lines"] = value(self.line_entries().into_iter().collect::<Array>());
        }
        doc["flink"] = Item::Table(flink);
        let mut template = Table::new();
        template["preset"] = value(&self.template.preset);
        if let Some(dir) = &self.template.dir {
            template["dir"] = value(dir.display().to_string());
        }
        template["version"] = value(&self.template.version);
        doc["template"] = Item::Table(template);
        let mut options = ArrayOfTables::new();
        for o in &self.options {
            options.push(option_table(o));
        }
        doc["options"] = Item::ArrayOfTables(options);
        if !self.dependencies.is_empty() {
            let mut deps = ArrayOfTables::new();
            for d in &self.dependencies {
                let mut t = Table::new();
                t["group-id"] = value(&d.group_id);
                t["artifact-id"] = value(&d.artifact_id);
                t["version"] = value(&d.version);
                if let Some(scope) = &d.scope {
                    t["scope"] = value(scope);
                } else {
                    t["relocate"] = value(d.relocate.iter().collect::<Array>());
                }
                deps.push(t);
            }
            doc["dependencies"] = Item::ArrayOfTables(deps);
        }
        if !self.skip_files.is_empty() {
            let mut files = Table::new();
            files["skip"] = value(self.skip_files.iter().collect::<Array>());
            doc["files"] = Item::Table(files);
        }
        doc.to_string()
    }
}

/// One `[[options]]` table, with the default in its natural TOML type.
pub fn option_table(o: &OptionDef) -> toml_edit::Table {
    use toml_edit::{value, Table};
    let mut t = Table::new();
    t["key"] = value(&o.key);
    t["type"] = value(o.ty.name());
    if let Some(d) = &o.default {
        t["default"] = match o.ty {
            OptionType::Int | OptionType::Long => d
                .trim()
                .parse::<i64>()
                .map(value)
                .unwrap_or_else(|_| value(d)),
            OptionType::Boolean => value(d.trim() == "true"),
            OptionType::Double => d
                .trim()
                .parse::<f64>()
                .map(value)
                .unwrap_or_else(|_| value(d)),
            OptionType::String
            | OptionType::Duration
            | OptionType::Memory
            | OptionType::List
            | OptionType::Map
            | OptionType::Enum => value(d),
        };
    }
    if !o.values.is_empty() {
        t["values"] = value(
            o.values
                .iter()
                .map(|v| v.value.as_str())
                .collect::<toml_edit::Array>(),
        );
    }
    if o.required {
        t["required"] = value(true);
    }
    if o.sensitive {
        t["sensitive"] = value(true);
    }
    t["description"] = value(&o.description);
    t
}

#[cfg(test)]
mod capability_tests {
    use super::*;

    #[test]
    fn names_parse_back_to_the_same_set_in_table_order() {
        let all: Vec<&str> = CAPABILITIES.iter().map(|c| c.name).collect();
        assert_eq!(Capabilities::ALL.names(), all);
        let reversed: Vec<&str> = all.iter().rev().copied().collect();
        assert_eq!(Capabilities::parse(&reversed).unwrap(), Capabilities::ALL);
        let err = Capabilities::parse(&["stream"]).unwrap_err();
        assert!(err.contains("unknown capability 'stream'"), "{err}");
        assert!(Capabilities::parse::<&str>(&[]).is_err());
    }

    /// `capability add` declares a capability's options with the blank preset's defaults, so the
    /// blank preset must declare every one with the type the managed code reads.
    #[test]
    fn blank_preset_declares_every_capability_option_with_its_type() {
        let blank = crate::render::TemplateTree::builtin()
            .preset_defaults("blank")
            .unwrap();
        for (key, ty) in Capabilities::ALL.required_options() {
            let def = blank.options.iter().find(|o| o.key == key);
            assert_eq!(def.map(|o| o.ty), Some(ty), "blank preset option {key}");
        }
    }
}
