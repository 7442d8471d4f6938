//! Bringing a project in line with a fresh render without losing anyone's work.
//!
//! Managed files are compared three ways: the last render (recorded in the project), the file on
//! disk, and the new render. Unedited files are replaced; edited files are merged; overlapping edits
//! become conflicts with standard markers. Owned files are only ever created.

use std::path::Path;

use crate::project;
use crate::render::{FileKind, RenderedFile};

#[derive(Debug, Clone, PartialEq, Eq)]
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
}

#[derive(Debug, Clone)]
pub struct Change {
    pub path: String,
    pub action: Action,
    /// What is on disk now (empty when missing).
    pub before: Vec<u8>,
    /// What the file becomes (empty for Remove/KeepStale).
    pub after: Vec<u8>,
}

impl Change {
    pub fn is_drift(&self) -> bool {
        self.action != Action::KeepStale
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
}

/// Works out what `generate` has to do; reads the project, writes nothing.
pub fn plan(project_dir: &Path, files: &[RenderedFile], force: bool) -> Vec<Change> {
    let mut changes = Vec::new();
    for f in files {
        let on_disk = std::fs::read(project_dir.join(&f.path)).ok();
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
        let base = project::recorded(project_dir, &f.path);
        if base.as_deref() == Some(current) {
            changes.push(change(Action::Update, f.contents.clone()));
        } else if force {
            changes.push(change(Action::Overwrite, f.contents.clone()));
        } else {
            let (action, merged) = merge(base.as_deref().unwrap_or_default(), current, &f.contents);
            changes.push(change(action, merged));
        }
    }
    changes.extend(stale_files(project_dir, files));
    changes
}

/// Three-way merge of text; the result and whether it conflicted.
fn merge(base: &[u8], ours: &[u8], theirs: &[u8]) -> (Action, Vec<u8>) {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match diffy::merge(&text(base), &text(ours), &text(theirs)) {
        Ok(merged) => (Action::Merge, merged.into_bytes()),
        Err(with_markers) => (Action::Conflict, with_markers.into_bytes()),
    }
}

/// Managed files of the last render that the new render no longer produces.
fn stale_files(project_dir: &Path, files: &[RenderedFile]) -> Vec<Change> {
    let record = project_dir.join(project::RENDER_RECORD_DIR);
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&record)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::render::templates::relative_slash_path(&record, entry.path());
        if files.iter().any(|f| f.path == rel) {
            continue;
        }
        let Ok(current) = std::fs::read(project_dir.join(&rel)) else {
            continue;
        };
        let base = std::fs::read(entry.path()).unwrap_or_default();
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
    out
}
