//! Organisation defaults from `[workspace.metadata.flink-connector]` of an enclosing Cargo
//! workspace. Precedence: command line > connector.toml > workspace metadata > built-in.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::errors::{Error, IoContext, Result};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    pub group_id: Option<String>,
    /// Packages become `<package-prefix>.<name>`.
    pub package_prefix: Option<String>,
    pub flink_version: Option<String>,
    /// Team template directory, relative to the workspace root.
    pub templates: Option<PathBuf>,
    /// License header for generated Java files, without comment markers.
    pub license_header: Option<String>,
}

impl Settings {
    /// Reads the settings of the Cargo workspace enclosing `dir`; none when there is no workspace.
    pub fn discover(dir: &Path) -> Self {
        Self::try_discover(dir).unwrap_or_else(|e| {
            eprintln!("warning: ignoring workspace metadata: {e}");
            Settings::default()
        })
    }

    /// Finds the workspace by reading Cargo.toml files itself, never by running `cargo metadata`:
    /// cargo would honour a `rust-toolchain.toml` in any parent directory and run the toolchain it
    /// names, so a repository could make this tool execute its binaries. Like cargo, the root is the
    /// nearest Cargo.toml above `dir` with a `[workspace]` table (or the one a `package.workspace`
    /// key points to); `[workspace.metadata.flink-connector]` of that file applies. Nothing is read
    /// when no Cargo.toml exists above `dir`.
    pub fn try_discover(dir: &Path) -> Result<Self> {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let Some((root, doc)) = workspace_root(&absolute)? else {
            return Ok(Settings::default());
        };
        let manifest = root.join("Cargo.toml");
        let Some(table) = doc
            .get("workspace")
            .and_then(|w| w.get("metadata"))
            .and_then(|m| m.get("flink-connector"))
        else {
            return Ok(Settings::default());
        };
        let mut settings: Settings = serde_json::from_value(table.clone()).map_err(|e| {
            Error::usage(format!(
                "[workspace.metadata.flink-connector] in {}: {e}",
                manifest.display()
            ))
        })?;
        if let Some(t) = &settings.templates {
            settings.templates = Some(root.join(t));
        }
        Ok(settings)
    }
}

/// The workspace root directory above `start` and its Cargo.toml, parsed.
fn workspace_root(start: &Path) -> Result<Option<(PathBuf, Value)>> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let doc = read_cargo_toml(&manifest)?;
        if doc.get("workspace").is_some() {
            return Ok(Some((dir.to_path_buf(), doc)));
        }
        if let Some(pointer) = doc
            .get("package")
            .and_then(|p| p.get("workspace"))
            .and_then(Value::as_str)
        {
            let root = dir.join(pointer);
            let doc = read_cargo_toml(&root.join("Cargo.toml"))?;
            return Ok(Some((root, doc)));
        }
    }
    Ok(None)
}

fn read_cargo_toml(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_path("read", path)?;
    toml_edit::de::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "{}: {}",
            path.display(),
            e.message().trim().replace('\n', " ")
        ))
    })
}
