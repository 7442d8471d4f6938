//! A connector project on disk: finding it, writing a new one, and changing one as a transaction
//! (see [`txn`]) against the record of the last render (`.flink-connector/rendered/`) that
//! `generate` merges against.
//!
//! Depends on `render` (the files to write); `render` knows nothing of projects.

pub mod fs;
pub mod reconcile;
pub mod symbols;
pub mod trust;
pub mod txn;

use std::path::{Path, PathBuf};

use crate::errors::{Error, IoContext, Result};
use crate::manifest::MANIFEST_FILE;
use crate::render::{FileKind, RenderedFile};
pub use txn::{Op, ProjectLock, STATE_DIR};

/// Where the managed files of the last render are kept, as the base of three-way merges.
pub const RENDER_RECORD_DIR: &str = ".flink-connector/rendered";
/// Prefix of the sibling directory `new` builds a project in before moving it into place.
const NEW_STAGING_PREFIX: &str = ".flink-connector-staging-";
/// Written first into a staging directory (in its `.flink-connector/`): only a directory holding
/// it is ever taken for an abandoned staging copy and removed, never a user's look-alike.
const NEW_STAGING_MARKER: &str = "staging";

/// The path of a managed file's copy in the render record.
pub fn record_path(path: &str) -> String {
    format!("{RENDER_RECORD_DIR}/{path}")
}

/// The managed file as last rendered, if recorded (a symbolic link is an error, not followed).
pub fn recorded(project: &Path, path: &str) -> Result<Option<Vec<u8>>> {
    fs::read_confined(project, &record_path(path))
}

/// What `new` finds where it is asked to create a project.
pub enum Target {
    Missing,
    Empty,
    /// A directory holding other files.
    NonEmpty,
    /// A directory where a killed `new` committed its journal but did not finish applying it
    /// (no manifest yet): the next `new` finishes it.
    Pending,
}

/// Refuses a target that is a file, or that already holds a project (which `generate` maintains);
/// a non-empty directory needs `force`.
pub fn check_target(dir: &Path, force: bool) -> Result<Target> {
    match std::fs::symlink_metadata(dir) {
        Err(_) => return Ok(Target::Missing),
        Ok(m) if !m.is_dir() && !m.file_type().is_symlink() => {
            return Err(Error::usage(format!(
                "{} exists and is a file",
                dir.display()
            )))
        }
        Ok(_) => {}
    }
    if dir.join(MANIFEST_FILE).exists() {
        return Err(Error::usage(format!(
            "{} already holds a connector project ({MANIFEST_FILE}); `new` never replaces one: run `cargo flink-connector generate` in it to re-render it",
            dir.display()
        )));
    }
    if dir.join(STATE_DIR).join(txn::JOURNAL).is_dir() {
        return Ok(Target::Pending);
    }
    // Only the tool's own state (left by a `new` killed before it committed) counts as empty.
    let empty = std::fs::read_dir(dir)
        .with_path("read", dir)?
        .filter_map(std::result::Result::ok)
        .all(|e| e.file_name() == STATE_DIR);
    if empty {
        return Ok(Target::Empty);
    }
    if !force {
        return Err(Error::usage(format!(
            "{} is not empty; --force writes the project into it, keeping every file already there",
            dir.display()
        )));
    }
    Ok(Target::NonEmpty)
}

/// Every file of a new project: the manifest, the rendered files, the render record.
fn new_project_ops(manifest_toml: &str, files: &[RenderedFile]) -> Vec<Op> {
    let mut ops = vec![Op::Write {
        path: MANIFEST_FILE.to_string(),
        contents: manifest_toml.as_bytes().to_vec(),
    }];
    for f in files {
        ops.push(Op::Write {
            path: f.path.clone(),
            contents: f.contents.clone(),
        });
    }
    for f in files.iter().filter(|f| f.kind == FileKind::Managed) {
        ops.push(Op::Write {
            path: record_path(&f.path),
            contents: f.contents.clone(),
        });
    }
    ops.push(Op::Write {
        path: record_path(MANIFEST_FILE),
        contents: manifest_toml.as_bytes().to_vec(),
    });
    ops
}

/// Writes a new project. Into a missing directory everything is built in a sibling staging
/// directory and renamed into place (all or nothing); into an existing one (empty, or non-empty with
/// `force`) as one transaction, refusing any file that already exists. Notes about leftovers go to `notes`.
pub fn write_new(
    dir: &Path,
    manifest_toml: &str,
    files: &[RenderedFile],
    force: bool,
    notes: &mut Vec<String>,
) -> Result<()> {
    let target = check_target(dir, force)?;
    let ops = new_project_ops(manifest_toml, files);
    for op in &ops {
        fs::confined(dir, op.path())?;
    }
    if let Target::Pending = target {
        return finish_pending_new(dir, manifest_toml, files, notes);
    }
    // An existing directory (perhaps `.`, the staging's own parent) is written in place.
    if let Target::NonEmpty | Target::Empty = target {
        let clashes: Vec<&str> = ops
            .iter()
            .map(Op::path)
            .filter(|p| std::fs::symlink_metadata(dir.join(p)).is_ok())
            .collect();
        if !clashes.is_empty() {
            return Err(Error::usage(format!(
                "{} already has {}; `new` never replaces existing files: move them away first",
                dir.display(),
                clashes.join(", ")
            )));
        }
        let lock = ProjectLock::acquire(dir)?;
        // A journal a killed `new` left here may only write this project's files.
        let own: std::collections::BTreeSet<String> =
            files.iter().map(|f| f.path.clone()).collect();
        txn::recover(&lock, &|_| Ok(own.clone()))?;
        return txn::commit(&lock, &ops);
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_path("create directory", &parent)?;
    clean_leftover_staging(&parent, notes);
    let staging = tempfile::Builder::new()
        .prefix(NEW_STAGING_PREFIX)
        .tempdir_in(&parent)
        .with_path("create a directory in", &parent)?;
    // Held until the project is in place (a lock survives the rename), so a concurrent `new`
    // never takes this directory for a leftover and a killed one always leaves it unlocked.
    let _lock = ProjectLock::acquire(staging.path())?;
    let marker = staging.path().join(STATE_DIR).join(NEW_STAGING_MARKER);
    std::fs::write(&marker, b"").with_path("write", &marker)?;
    for op in &ops {
        if let Op::Write { path, contents } = op {
            fs::create_parents(staging.path(), path)?;
            let target = staging.path().join(path);
            fs::failpoint();
            std::fs::write(&target, contents).with_path("write", &target)?;
        }
    }
    fs::rename(staging.path(), dir).with_path("move the project to", dir)?;
    let _ = staging.keep();
    // Neither is part of the project (the lock is still held through its open file).
    // A `new` killed here leaves the marker in the project: the next command removes it.
    for name in [NEW_STAGING_MARKER, "lock"] {
        let _ = fs::remove_file(&dir.join(STATE_DIR).join(name));
    }
    fs::sync_dir(&parent);
    Ok(())
}

/// Finishes the journal a killed `new` committed in `dir` — it may only write the files this
/// `new` renders — and accepts the result only when it is the project this `new` asked for.
fn finish_pending_new(
    dir: &Path,
    manifest_toml: &str,
    files: &[RenderedFile],
    notes: &mut Vec<String>,
) -> Result<()> {
    let lock = ProjectLock::acquire(dir)?;
    let own: std::collections::BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let recovery = txn::recover(&lock, &|_| Ok(own.clone()))?;
    notes.push(format!(
        "finished {} file operation(s) an interrupted `new` had committed in {}",
        recovery.completed,
        dir.display()
    ));
    let written = fs::read_confined(dir, MANIFEST_FILE)?;
    if written.as_deref() != Some(manifest_toml.as_bytes()) {
        return Err(Error::usage(format!(
            "{} now holds the project an interrupted `new` had committed, which is not the one asked for now: run `cargo flink-connector generate` in it, or remove it and run `new` again",
            dir.display()
        )));
    }
    Ok(())
}

/// Removes staging directories a killed `new` left in `parent` and says so: those holding the
/// staging marker (or only the lock) whose lock nobody holds. Anything else with the prefix (a running `new`, a
/// user's directory) is left alone.
pub fn clean_leftover_staging(parent: &Path, notes: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(NEW_STAGING_PREFIX) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let state = entry.path().join(STATE_DIR);
        // The marker, or (killed before writing it) a directory holding nothing but the lock.
        let only = |dir: &Path, name: &str| {
            std::fs::read_dir(dir).is_ok_and(|d| {
                let names: Vec<_> = d.flatten().map(|e| e.file_name()).collect();
                names.len() == 1 && names[0] == name
            })
        };
        let is_staging = std::fs::symlink_metadata(&state).is_ok_and(|m| m.is_dir())
            && (std::fs::symlink_metadata(state.join(NEW_STAGING_MARKER))
                .is_ok_and(|m| m.is_file())
                || (only(&entry.path(), STATE_DIR) && only(&state, "lock")));
        let abandoned = is_staging
            && std::fs::File::open(state.join("lock")).is_ok_and(|f| f.try_lock().is_ok());
        if !abandoned {
            // A `new` killed before its lock existed leaves an empty directory (or an empty
            // state directory): too little to tell it from a user's, so it is only named.
            let empty = |dir: &Path| std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
            if empty(&entry.path()) || (only(&entry.path(), STATE_DIR) && empty(&state)) {
                notes.push(format!(
                    "{} is empty: perhaps left by an interrupted `new`; delete it if it is not yours",
                    entry.path().display()
                ));
            }
            continue;
        }
        match std::fs::remove_dir_all(entry.path()) {
            Ok(()) => notes.push(format!(
                "removed {}, left by an interrupted `new`",
                entry.path().display()
            )),
            Err(e) => notes.push(format!(
                "{} was left by an interrupted `new` and could not be removed ({e}); delete it",
                entry.path().display()
            )),
        }
    }
}

/// Finds the project: `dir` if given, else the current directory or its nearest parent with a
/// connector.toml.
pub fn find_root(dir: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = dir {
        return if dir.join(MANIFEST_FILE).is_file() {
            Ok(dir.to_path_buf())
        } else {
            Err(Error::usage(format!(
                "no {MANIFEST_FILE} in {}",
                dir.display()
            )))
        };
    }
    let cwd = std::env::current_dir().io_context(|| "cannot read the current directory")?;
    cwd.ancestors()
        .find(|d| d.join(MANIFEST_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            // A killed `new` may have committed its files but not yet written the manifest.
            let hint = if cwd.join(STATE_DIR).join(txn::JOURNAL).is_dir() {
                "; an interrupted `new` left its files half-written here: run the same `cargo flink-connector new` again to finish it"
            } else {
                "; run this inside a project made by `cargo flink-connector new`"
            };
            Error::usage(format!(
                "no {MANIFEST_FILE} in {} or any parent directory{hint}",
                cwd.display()
            ))
        })
}

/// `target` as seen from `project` (so a manifest can name a team template directory portably);
/// absolute when the two share no ancestor.
pub fn relative_to(target: &Path, project: &Path) -> PathBuf {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    };
    let (target, project) = (absolute(target), absolute(project));
    let common = target
        .components()
        .zip(project.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return target;
    }
    let mut rel = PathBuf::new();
    for _ in project.components().skip(common) {
        rel.push("..");
    }
    for c in target.components().skip(common) {
        rel.push(c);
    }
    rel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_dirs_are_recorded_relative_to_the_project() {
        assert_eq!(
            relative_to(Path::new("/w/team/tpl"), Path::new("/w/projects/x")),
            PathBuf::from("../../team/tpl")
        );
        assert_eq!(
            relative_to(Path::new("/w/x/tpl"), Path::new("/w/x")),
            PathBuf::from("tpl")
        );
        assert_eq!(
            relative_to(Path::new("/a/tpl"), Path::new("/b/x")),
            PathBuf::from("/a/tpl")
        );
    }
}
