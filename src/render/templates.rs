//! Template sets: the built-in templates (embedded) with a team directory overlaid file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::errors::{Error, IoContext, Result};
use crate::manifest::PresetDefaults;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

pub const PRESET_FILE: &str = "preset.toml";

/// One template file and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub bytes: Vec<u8>,
    pub origin: String,
}

/// All template files under `base/` and `presets/`, keyed by their path in the template tree.
#[derive(Debug, Clone)]
pub struct TemplateTree {
    files: BTreeMap<String, TemplateFile>,
}

impl TemplateTree {
    pub fn builtin() -> Self {
        let mut files = BTreeMap::new();
        collect_builtin(&BUILTIN, &mut files);
        TemplateTree { files }
    }

    /// The built-in tree with `dir` (same layout) overlaid file by file.
    pub fn with_overlay(dir: Option<&Path>) -> Result<Self> {
        let mut tree = Self::builtin();
        if let Some(dir) = dir {
            tree.overlay(dir)?;
        }
        Ok(tree)
    }

    fn overlay(&mut self, dir: &Path) -> Result<()> {
        if !dir.is_dir() {
            return Err(Error::usage(format!(
                "template directory {} does not exist",
                dir.display()
            )));
        }
        for entry in WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Error::usage(format!(
                    "cannot read template directory {}: {e}",
                    dir.display()
                ))
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = relative_slash_path(dir, entry.path());
            if !is_template_path(&rel) {
                continue;
            }
            let bytes = std::fs::read(entry.path()).with_path("read", entry.path())?;
            self.files.insert(
                rel,
                TemplateFile {
                    bytes,
                    origin: entry.path().display().to_string(),
                },
            );
        }
        Ok(())
    }

    pub fn presets(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .files
            .keys()
            .filter_map(|p| {
                p.strip_prefix("presets/")?
                    .split_once('/')
                    .map(|(n, _)| n.to_string())
            })
            .collect();
        names.dedup();
        names
    }

    pub fn has_preset(&self, preset: &str) -> bool {
        self.presets().iter().any(|p| p == preset)
    }

    pub fn preset_defaults(&self, preset: &str) -> Result<PresetDefaults> {
        let key = format!("presets/{preset}/{PRESET_FILE}");
        let file = self
            .files
            .get(&key)
            .ok_or_else(|| Error::usage(format!("preset '{preset}' has no {PRESET_FILE}")))?;
        let text = String::from_utf8(file.bytes.clone())
            .map_err(|_| Error::usage(format!("{} is not UTF-8", file.origin)))?;
        PresetDefaults::parse(Path::new(&file.origin), &text)
    }

    /// The files of one preset, by their path in the generated project (still templated):
    /// base files, replaced or extended by the preset's.
    pub fn files_for(&self, preset: &str) -> Result<BTreeMap<String, &TemplateFile>> {
        if !self.has_preset(preset) {
            return Err(Error::usage(format!(
                "unknown preset '{preset}'; available: {}",
                self.presets().join(", ")
            )));
        }
        let mut out = BTreeMap::new();
        let preset_prefix = format!("presets/{preset}/");
        for (path, file) in &self.files {
            if let Some(rel) = path.strip_prefix("base/") {
                out.entry(rel.to_string()).or_insert(file);
            }
        }
        for (path, file) in &self.files {
            if let Some(rel) = path.strip_prefix(&preset_prefix) {
                if rel != PRESET_FILE {
                    out.insert(rel.to_string(), file);
                }
            }
        }
        Ok(out)
    }

    /// Writes the tree (as `templates export` does), refusing to overwrite unless `force`.
    pub fn export(&self, dir: &Path, force: bool) -> Result<usize> {
        if dir.exists()
            && std::fs::read_dir(dir)
                .with_path("read", dir)?
                .next()
                .is_some()
            && !force
        {
            return Err(Error::usage(format!(
                "{} is not empty; use --force to overwrite",
                dir.display()
            )));
        }
        for (rel, file) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_path("create", parent)?;
            }
            std::fs::write(&path, &file.bytes).with_path("write", &path)?;
        }
        Ok(self.files.len())
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

fn is_template_path(rel: &str) -> bool {
    rel.starts_with("base/") || rel.starts_with("presets/")
}

fn collect_builtin(dir: &'static Dir<'static>, out: &mut BTreeMap<String, TemplateFile>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        if is_template_path(&rel) {
            out.insert(
                rel.clone(),
                TemplateFile {
                    bytes: file.contents().to_vec(),
                    origin: format!("builtin:{rel}"),
                },
            );
        }
    }
    for sub in dir.dirs() {
        collect_builtin(sub, out);
    }
}

pub fn relative_slash_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
