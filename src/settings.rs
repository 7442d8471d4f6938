//! Organisation defaults from `[workspace.metadata.flink-connector]` of an enclosing Cargo
//! workspace. Precedence: command line > connector.toml > workspace metadata > built-in.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::errors::{Error, Result};

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
    /// Cheap when there is no Cargo.toml above `dir` (no `cargo metadata` run).
    pub fn discover(dir: &Path) -> Self {
        Self::try_discover(dir).unwrap_or_else(|e| {
            eprintln!("warning: ignoring workspace metadata: {e}");
            Settings::default()
        })
    }

    pub fn try_discover(dir: &Path) -> Result<Self> {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !absolute.ancestors().any(|d| d.join("Cargo.toml").is_file()) {
            return Ok(Settings::default());
        }
        let start = absolute
            .ancestors()
            .find(|d| d.is_dir())
            .unwrap_or(Path::new("."));
        let metadata = cargo_metadata::MetadataCommand::new()
            .no_deps()
            .current_dir(start)
            .exec()
            .map_err(|e| {
                Error::usage(format!(
                    "cargo metadata failed: {}",
                    e.to_string().lines().next().unwrap_or("")
                ))
            })?;
        let Some(value) = metadata.workspace_metadata.get("flink-connector") else {
            return Ok(Settings::default());
        };
        let mut settings: Settings = serde_json::from_value(value.clone()).map_err(|e| {
            Error::usage(format!(
                "[workspace.metadata.flink-connector] in {}/Cargo.toml: {e}",
                metadata.workspace_root
            ))
        })?;
        if let Some(t) = &settings.templates {
            settings.templates = Some(metadata.workspace_root.as_std_path().join(t));
        }
        Ok(settings)
    }
}
