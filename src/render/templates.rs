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

    /// Overlays a team template directory: it must hold `base/` or `presets/` (so `/` or a home
    /// directory is refused instead of walked), and only those two subtrees are read, without
    /// following symbolic links.
    fn overlay(&mut self, dir: &Path) -> Result<()> {
        if !dir.is_dir() {
            return Err(Error::usage(format!(
                "template directory {} does not exist",
                dir.display()
            )));
        }
        let roots: Vec<PathBuf> = TEMPLATE_ROOTS
            .iter()
            .map(|r| dir.join(r))
            .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()))
            .collect();
        if roots.is_empty() {
            return Err(Error::usage(format!(
                "{} is not a template directory: it has neither base/ nor presets/ (start one with `cargo flink-connector templates export DIR`)",
                dir.display()
            )));
        }
        for root in roots {
            for entry in WalkDir::new(&root).sort_by_file_name() {
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
                refuse_reserved(&rel, entry.path())?;
                let bytes = std::fs::read(entry.path()).with_path("read", entry.path())?;
                self.files.insert(
                    rel,
                    TemplateFile {
                        bytes,
                        origin: entry.path().display().to_string(),
                    },
                );
            }
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

    /// Every file `templates export` writes: the tree and the templates README, by path.
    pub fn export_files(&self) -> Vec<(String, &[u8])> {
        let readme = BUILTIN
            .get_file(TEMPLATES_README)
            .map(|f| (TEMPLATES_README.to_string(), f.contents()));
        self.files
            .iter()
            .map(|(rel, file)| (rel.clone(), file.bytes.as_slice()))
            .chain(readme)
            .collect()
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

/// The two subtrees of a template set.
const TEMPLATE_ROOTS: [&str; 2] = ["base", "presets"];
/// The template set's documentation, exported with it.
const TEMPLATES_README: &str = "README.md";

fn is_template_path(rel: &str) -> bool {
    TEMPLATE_ROOTS.iter().any(|r| {
        rel.strip_prefix(r)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// A team template may not produce the manifest, the tool's state or anything in a VCS or tool
/// directory (a rendered path is checked again after rendering, see `project::trust`).
fn refuse_reserved(rel: &str, origin: &Path) -> Result<()> {
    let in_project = rel
        .strip_prefix("base/")
        .or_else(|| {
            rel.strip_prefix("presets/")?
                .split_once('/')
                .map(|(_, r)| r)
        })
        .unwrap_or(rel);
    let in_project = in_project.strip_suffix(".hbs").unwrap_or(in_project);
    let reserved = in_project.eq_ignore_ascii_case(crate::manifest::MANIFEST_FILE)
        || in_project.split('/').next() == Some(super::RESERVED_DIR)
        || crate::project::trust::untouchable(in_project).is_some();
    if reserved {
        return Err(Error::usage(format!(
            "template {} would write '{in_project}', which is the manifest, the tool's state or inside a version-control or tool directory; templates may only produce project files",
            origin.display()
        )));
    }
    Ok(())
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
