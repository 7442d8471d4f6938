//! Project transactions: a command computes every file it will change, then commits them all or
//! none, under a project lock.
//!
//! Commit protocol (write-ahead journal in `.flink-connector/`):
//! 1. the new contents and the list of operations are written to `journal.tmp-*` and fsynced;
//! 2. renaming it to `journal` is the commit point;
//! 3. each operation is applied (a rename of the staged file over its target, or a removal), render
//!    record last; then the journal is removed.
//!
//! A process killed before 2 leaves the old state (the next run deletes the `journal.tmp-*`); killed
//! after 2, the next command that takes the lock finishes the journal (roll forward). Either way no
//! file is ever half-written, and the render record always matches the files it describes.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fs::{create_parents, open_no_follow, sync_dir, writable, write_atomic};
use crate::errors::{Error, IoContext, Result};

/// The tool's own directory in a project.
pub const STATE_DIR: &str = crate::render::RESERVED_DIR;
const LOCK_FILE: &str = "lock";
const JOURNAL: &str = "journal";
const JOURNAL_TMP_PREFIX: &str = "journal.tmp-";
const JOURNAL_DONE_PREFIX: &str = "journal.done-";
const OPS_FILE: &str = "ops.json";

/// An exclusive lock on one project, held until dropped. A second writer waits for it.
pub struct ProjectLock {
    _file: File,
    root: PathBuf,
}

impl ProjectLock {
    /// Takes the project's lock, waiting (and saying so) while another command holds it.
    pub fn acquire(root: &Path) -> Result<Self> {
        let state = state_dir(root, true)?;
        let path = state.join(LOCK_FILE);
        let file = open_no_follow(&path).with_path("open the lock file", &path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "Blocking: waiting for another cargo-flink-connector command to finish with {}",
                    root.display()
                );
                file.lock().with_path("lock", &path)?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io(format!("cannot lock {}", path.display()), e))
            }
        }
        Ok(ProjectLock {
            _file: file,
            root: root.to_path_buf(),
        })
    }

    /// A shared lock for readers (`generate --check`); none when the project has no lock file yet
    /// (creating one would be a write).
    pub fn shared(root: &Path) -> Result<Option<File>> {
        let path = root.join(STATE_DIR).join(LOCK_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        state_dir(root, false)?;
        let file = std::fs::File::open(&path).with_path("open the lock file", &path)?;
        file.lock_shared().with_path("lock", &path)?;
        Ok(Some(file))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// `.flink-connector/`, refused when it is a symbolic link (or not a directory).
fn state_dir(root: &Path, create: bool) -> Result<PathBuf> {
    let dir = root.join(STATE_DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::usage(format!(
            "{} is a symbolic link; refusing to write through it (make it a regular directory)",
            dir.display()
        ))),
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => Err(Error::usage(format!(
            "{} is not a directory",
            dir.display()
        ))),
        Err(_) if create => {
            std::fs::create_dir(&dir).with_path("create directory", &dir)?;
            Ok(dir)
        }
        Err(_) => Ok(dir),
    }
}

/// One file operation of a transaction.
#[derive(Debug, Clone)]
pub enum Op {
    Write { path: String, contents: Vec<u8> },
    Remove { path: String },
}

impl Op {
    pub fn path(&self) -> &str {
        match self {
            Op::Write { path, .. } | Op::Remove { path } => path,
        }
    }
}

#[derive(Serialize, Deserialize)]
enum JournalOp {
    /// Rename staged file `staged` (a number) over `path`.
    Write {
        path: String,
        staged: usize,
    },
    Remove {
        path: String,
    },
}

/// What a roll-forward of an interrupted command did.
#[derive(Debug, Default)]
pub struct Recovery {
    /// Files an interrupted command had committed and this run put in place.
    pub completed: usize,
    /// Uncommitted staging that was discarded.
    pub discarded: usize,
}

/// Finishes a committed journal and deletes uncommitted staging. Call with the lock held.
pub fn recover(lock: &ProjectLock) -> Result<Recovery> {
    let state = lock.root().join(STATE_DIR);
    let mut recovery = Recovery::default();
    let journal = state.join(JOURNAL);
    if journal.is_dir() {
        recovery.completed = apply(lock.root(), &journal)?;
        finish(&state, &journal)?;
    }
    for entry in std::fs::read_dir(&state).with_path("read", &state)? {
        let entry = entry.with_path("read", &state)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(JOURNAL_TMP_PREFIX) || name.starts_with(JOURNAL_DONE_PREFIX) {
            if name.starts_with(JOURNAL_TMP_PREFIX) {
                recovery.discarded += 1;
            }
            std::fs::remove_dir_all(entry.path()).with_path("remove", &entry.path())?;
        }
    }
    Ok(recovery)
}

/// Whether an interrupted command left a committed journal (readers report it as pending work).
pub fn pending(root: &Path) -> bool {
    root.join(STATE_DIR).join(JOURNAL).is_dir()
}

/// Commits `ops` as one transaction (see the module comment). Every path is checked first: a path
/// leaving the project or passing through a symbolic link refuses the whole transaction before
/// anything is written.
pub fn commit(lock: &ProjectLock, ops: &[Op]) -> Result<()> {
    if ops.is_empty() {
        return Ok(());
    }
    let root = lock.root();
    for op in ops {
        writable(root, op.path())?;
    }
    let state = root.join(STATE_DIR);
    let staging = tempfile::Builder::new()
        .prefix(JOURNAL_TMP_PREFIX)
        .tempdir_in(&state)
        .with_path("create a directory in", &state)?;
    let mut journal_ops = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        journal_ops.push(match op {
            Op::Write { path, contents } => {
                write_atomic(&staging.path().join(i.to_string()), contents, true)?;
                JournalOp::Write {
                    path: path.clone(),
                    staged: i,
                }
            }
            Op::Remove { path } => JournalOp::Remove { path: path.clone() },
        });
    }
    let list = serde_json::to_vec(&journal_ops).expect("journal operations serialize");
    write_atomic(&staging.path().join(OPS_FILE), &list, true)?;
    let staging = staging.keep();
    let journal = state.join(JOURNAL);
    std::fs::rename(&staging, &journal).with_path("commit the journal", &journal)?;
    sync_dir(&state);
    apply(root, &journal)?;
    finish(&state, &journal)
}

/// Applies a committed journal; idempotent (a staged file already renamed is skipped).
fn apply(root: &Path, journal: &Path) -> Result<usize> {
    let list_path = journal.join(OPS_FILE);
    let list = std::fs::read(&list_path).with_path("read", &list_path)?;
    let ops: Vec<JournalOp> = serde_json::from_slice(&list).map_err(|e| {
        Error::usage(format!(
            "{} is damaged ({e}); remove {} and run the command again",
            list_path.display(),
            journal.display()
        ))
    })?;
    let mut applied = 0;
    let mut dirs = std::collections::BTreeSet::new();
    for op in ops {
        match op {
            JournalOp::Write { path, staged } => {
                let staged = journal.join(staged.to_string());
                if !staged.exists() {
                    continue;
                }
                let target = writable(root, &path)?;
                create_parents(root, &path)?;
                if std::fs::rename(&staged, &target).is_err() {
                    // Another file system below the project: copy atomically instead.
                    let bytes = std::fs::read(&staged).with_path("read", &staged)?;
                    write_atomic(&target, &bytes, true)?;
                    std::fs::remove_file(&staged).with_path("remove", &staged)?;
                }
                dirs.insert(target.parent().map(Path::to_path_buf).unwrap_or_default());
                applied += 1;
            }
            JournalOp::Remove { path } => {
                let target = writable(root, &path)?;
                match std::fs::remove_file(&target) {
                    Ok(()) => applied += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(Error::io(format!("cannot remove {}", target.display()), e))
                    }
                }
                remove_emptied_dirs(root, &target);
            }
        }
    }
    for dir in dirs {
        sync_dir(&dir);
    }
    Ok(applied)
}

/// Removes the directories that removing `file` left empty, up to (not including) `root`: a
/// removed line's `src/main/java-flink-<line>/…` tree goes with its last file (issue 18).
fn remove_emptied_dirs(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break; // not empty (or not ours): stop
        }
        dir = d.parent();
    }
}

/// Retires an applied journal: renamed first (atomic), then deleted.
fn finish(state: &Path, journal: &Path) -> Result<()> {
    let done = state.join(format!("{JOURNAL_DONE_PREFIX}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&done);
    std::fs::rename(journal, &done).with_path("retire the journal", journal)?;
    sync_dir(state);
    std::fs::remove_dir_all(&done).with_path("remove", &done)
}
