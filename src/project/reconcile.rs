//! Bringing a project in line with a fresh render without losing anyone's work.
//!
//! Managed files are compared three ways: the last render (recorded in the project), the file on
//! disk, and the new render. Unedited files are replaced; edited files are merged; overlapping edits
//! become conflicts with standard markers. Owned files are only ever created.

use std::collections::BTreeSet;
use std::path::Path;

use super::{fs, record_path, recorded, Op, RENDER_RECORD_DIR};
use crate::errors::Result;
use crate::manifest::MANIFEST_FILE;
use crate::render::{FileKind, RenderedFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// New file (or a managed file someone deleted).
    Create,
    /// Managed file not edited by hand: replaced by the new render.
    Update,
    /// Managed file edited by hand: the edit and the template change merged cleanly.
    Merge,
    /// Managed file edited by hand where the render changed the same lines (markers written).
    Conflict,
    /// Managed file edited by hand, replaced because of --force.
    Overwrite,
    /// Managed file from the last render that the manifest no longer renders, unedited: removed.
    Remove,
    /// Such a file, but edited by hand: left in place.
    KeepStale,
    /// Managed file edited by hand where the render did not change: the edit is kept as it is.
    Kept,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "created",
            Action::Update => "updated",
            Action::Merge => "merged",
            Action::Conflict => "CONFLICT",
            Action::Overwrite => "replaced",
            Action::Remove => "removed",
            Action::KeepStale => "kept",
            Action::Kept => "kept",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Change {
    pub path: String,
    pub action: Action,
    /// What is on disk now (empty when missing).
    pub before: Vec<u8>,
    /// What the file becomes (empty for Remove/KeepStale; `before` for Kept).
    pub after: Vec<u8>,
}

impl Change {
    /// Whether `generate` would change the file (kept hand edits are not drift).
    pub fn is_drift(&self) -> bool {
        !matches!(self.action, Action::KeepStale | Action::Kept)
    }

    /// Unified diff before → after, labelled with the path.
    pub fn diff(&self) -> String {
        let before = String::from_utf8_lossy(&self.before);
        let after = String::from_utf8_lossy(&self.after);
        similar::TextDiff::from_lines(before.as_ref(), after.as_ref())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", self.path), &format!("b/{}", self.path))
            .to_string()
    }

    /// The file operation that carries the change out, if it writes anything.
    pub fn op(&self) -> Option<Op> {
        match self.action {
            Action::Remove => Some(Op::Remove {
                path: self.path.clone(),
            }),
            Action::KeepStale | Action::Kept => None,
            _ => Some(Op::Write {
                path: self.path.clone(),
                contents: self.after.clone(),
            }),
        }
    }
}

/// Works out what `generate` has to do; reads the project (never through a symbolic link), writes
/// nothing. `removable` gives the files the tool rendered for the project before this change
/// (from the manifest and templates, see [`super::trust`]; asked only when the record lists
/// files the new render lacks): only those are ever removed as stale, whatever the record lists.
pub fn plan(
    project_dir: &Path,
    files: &[RenderedFile],
    force: bool,
    removable: &dyn Fn() -> Result<BTreeSet<String>>,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for f in files {
        let on_disk = fs::read_confined(project_dir, &f.path)?;
        let change = |action, after: Vec<u8>| Change {
            path: f.path.clone(),
            action,
            before: on_disk.clone().unwrap_or_default(),
            after,
        };
        let Some(current) = on_disk.as_deref() else {
            changes.push(change(Action::Create, f.contents.clone()));
            continue;
        };
        if f.kind == FileKind::Owned || current == f.contents.as_slice() {
            continue;
        }
        let base = recorded(project_dir, &f.path)?;
        if base.as_deref() == Some(current) {
            changes.push(change(Action::Update, f.contents.clone()));
        } else if force {
            changes.push(change(Action::Overwrite, f.contents.clone()));
        } else {
            let (action, merged) = merge(base.as_deref().unwrap_or_default(), current, &f.contents);
            let action = if merged == current {
                Action::Kept
            } else {
                action
            };
            changes.push(change(action, merged));
        }
    }
    changes.extend(stale_files(project_dir, files, removable)?);
    Ok(changes)
}

/// The render-record updates that go with a new render of `manifest_text`: changed copies
/// written (the manifest's too: it tells a later `generate` which files the tool rendered),
/// copies of files no longer rendered removed.
pub fn record_ops(
    project_dir: &Path,
    manifest_text: &[u8],
    files: &[RenderedFile],
) -> Result<Vec<Op>> {
    let mut ops = Vec::new();
    if recorded(project_dir, MANIFEST_FILE)?.as_deref() != Some(manifest_text) {
        ops.push(Op::Write {
            path: record_path(MANIFEST_FILE),
            contents: manifest_text.to_vec(),
        });
    }
    for f in files.iter().filter(|f| f.kind == FileKind::Managed) {
        if recorded(project_dir, &f.path)?.as_deref() != Some(f.contents.as_slice()) {
            ops.push(Op::Write {
                path: record_path(&f.path),
                contents: f.contents.clone(),
            });
        }
    }
    for rel in recorded_paths(project_dir) {
        if rel != MANIFEST_FILE
            && !files
                .iter()
                .any(|f| f.kind == FileKind::Managed && f.path == rel)
        {
            ops.push(Op::Remove {
                path: record_path(&rel),
            });
        }
    }
    Ok(ops)
}

/// Lines that start a merge-conflict marker (`<<<<<<<`, `>>>>>>>`), 1-based.
pub fn conflict_marker_lines(text: &[u8]) -> Vec<usize> {
    text.split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| line.starts_with(b"<<<<<<<") || line.starts_with(b">>>>>>>"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Managed files on disk that still hold conflict markers, as `path:line`.
pub fn unresolved_conflicts(project_dir: &Path, files: &[RenderedFile]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.kind == FileKind::Managed) {
        if let Some(current) = fs::read_confined(project_dir, &f.path)? {
            if let Some(line) = conflict_marker_lines(&current).first() {
                out.push(format!("{}:{line}", f.path));
            }
        }
    }
    Ok(out)
}

/// Three-way merge, line by line on bytes (any encoding is kept as it is); the result and
/// whether it conflicted. A file the user converted to CRLF is merged as LF and converted back,
/// so the line ending alone is never a conflict.
fn merge(base: &[u8], ours: &[u8], theirs: &[u8]) -> (Action, Vec<u8>) {
    let crlf = is_crlf(ours) && !is_crlf(theirs);
    let ours_lf = if crlf {
        crlf_to_lf(ours)
    } else {
        ours.to_vec()
    };
    let (action, merged) = match diffy::merge_bytes(base, &ours_lf, theirs) {
        Ok(merged) => (Action::Merge, merged),
        Err(with_markers) => (Action::Conflict, with_markers),
    };
    (action, if crlf { lf_to_crlf(&merged) } else { merged })
}

/// Whether every line of `text` ends in CRLF (and there is at least one).
fn is_crlf(text: &[u8]) -> bool {
    let lf = text.iter().filter(|&&b| b == b'\n').count();
    lf > 0 && text.windows(2).filter(|w| w == b"\r\n").count() == lf
}

fn crlf_to_lf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for (i, &b) in text.iter().enumerate() {
        if !(b == b'\r' && text.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

fn lf_to_crlf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' && (i == 0 || text[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// The Java files of the render record (the managed classes as last generated), by project path.
pub fn recorded_java(project_dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for rel in recorded_paths(project_dir) {
        if rel.ends_with(".java") {
            if let Some(bytes) = recorded(project_dir, &rel)? {
                out.push((rel, bytes));
            }
        }
    }
    Ok(out)
}

/// The paths the render record holds (regular files only; links are not followed; a path the
/// tool could never have rendered, e.g. into `.git/`, is ignored).
fn recorded_paths(project_dir: &Path) -> Vec<String> {
    let record = project_dir.join(RENDER_RECORD_DIR);
    if std::fs::symlink_metadata(&record).is_ok_and(|m| m.file_type().is_symlink()) {
        return Vec::new();
    }
    walkdir::WalkDir::new(&record)
        .sort_by_file_name()
        .into_iter()
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| crate::render::templates::relative_slash_path(&record, e.path()))
        .filter(|rel| fs::confined(project_dir, rel).is_ok())
        .collect()
}

/// Managed files of the last render that the new render no longer produces (only those in
/// `removable`: a record copy of any other file is the record's problem, not the file's).
fn stale_files(
    project_dir: &Path,
    files: &[RenderedFile],
    removable: &dyn Fn() -> Result<BTreeSet<String>>,
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    let mut known: Option<BTreeSet<String>> = None;
    for rel in recorded_paths(project_dir) {
        if rel == MANIFEST_FILE || files.iter().any(|f| f.path == rel) {
            continue;
        }
        if known.is_none() {
            known = Some(removable()?);
        }
        if !known.as_ref().is_some_and(|k| k.contains(&rel)) {
            continue;
        }
        let Some(current) = fs::read_confined(project_dir, &rel)? else {
            continue;
        };
        let base = recorded(project_dir, &rel)?.unwrap_or_default();
        let action = if current == base {
            Action::Remove
        } else {
            Action::KeepStale
        };
        out.push(Change {
            path: rel,
            action,
            before: current,
            after: Vec::new(),
        });
    }
    Ok(out)
}
