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

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::fs::{
    create_parents, open_no_follow, remove_dir_all, remove_file, rename, sync_dir, writable,
    write_atomic,
};
use crate::errors::{Error, IoContext, Result};
use crate::manifest::MANIFEST_FILE;

/// The tool's own directory in a project.
pub const STATE_DIR: &str = crate::render::RESERVED_DIR;
const LOCK_FILE: &str = "lock";
pub(crate) const JOURNAL: &str = "journal";
const JOURNAL_TMP_PREFIX: &str = "journal.tmp-";
const JOURNAL_DONE_PREFIX: &str = "journal.done-";
const OPS_FILE: &str = "ops.json";
/// Bounds of a journal this tool writes (a rendered project is a few hundred small files);
/// anything larger is not ours.
const MAX_OPS_BYTES: u64 = 8 << 20;
const MAX_OPS: usize = 100_000;
const MAX_STAGED_BYTES: u64 = 64 << 20;

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
#[serde(deny_unknown_fields)]
enum JournalOp {
    /// Rename staged file `staged` (a number) over `path`; `len` and `sha256` are its contents'.
    Write {
        path: String,
        staged: usize,
        len: u64,
        sha256: String,
    },
    Remove {
        path: String,
    },
}

impl JournalOp {
    fn path(&self) -> &str {
        match self {
            JournalOp::Write { path, .. } | JournalOp::Remove { path } => path,
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The files the tool manages for the project, as judged by the caller from the manifest and the
/// templates (never from the journal): given the manifest a pending journal would write (when its
/// staged copy is still there), the project paths (not record paths) of every render it accepts.
pub type ManagedPaths<'a> = &'a dyn Fn(Option<&[u8]>) -> Result<BTreeSet<String>>;

/// What a roll-forward of an interrupted command did.
#[derive(Debug, Default)]
pub struct Recovery {
    /// Files an interrupted command had committed and this run put in place.
    pub completed: usize,
    /// Uncommitted staging that was discarded.
    pub discarded: usize,
}

/// Finishes a committed journal and deletes uncommitted staging. Call with the lock held, before
/// reading anything else of the project. The journal is validated first (see [`validate`]); one
/// that is not what this tool would have written is refused, and nothing of it applied.
pub fn recover(lock: &ProjectLock, managed: ManagedPaths) -> Result<Recovery> {
    let state = lock.root().join(STATE_DIR);
    let mut recovery = Recovery::default();
    let journal = state.join(JOURNAL);
    if std::fs::symlink_metadata(&journal).is_ok() {
        let ops = validate(lock.root(), &journal, managed).map_err(|why| {
            Error::usage(format!(
                "refusing the journal an interrupted command left in {}: {why}; nothing of it was applied. Delete {} to discard it (the interrupted change is lost), then run the command again",
                journal.display(),
                journal.display()
            ))
        })?;
        recovery.completed = apply(lock.root(), &journal, ops)?;
        finish(&state, &journal)?;
    }
    for entry in std::fs::read_dir(&state).with_path("read", &state)? {
        let entry = entry.with_path("read", &state)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(JOURNAL_TMP_PREFIX) || name.starts_with(JOURNAL_DONE_PREFIX) {
            if name.starts_with(JOURNAL_TMP_PREFIX) {
                recovery.discarded += 1;
            }
            remove_dir_all(&entry.path()).with_path("remove", &entry.path())?;
        } else if name == super::NEW_STAGING_MARKER && entry.file_type().is_ok_and(|t| t.is_file())
        {
            // A `new` killed right after renaming its staging directory into place left its
            // marker (meaningless in a project).
            remove_file(&entry.path()).with_path("remove", &entry.path())?;
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
                    len: contents.len() as u64,
                    sha256: sha256_hex(contents),
                }
            }
            Op::Remove { path } => JournalOp::Remove { path: path.clone() },
        });
    }
    let list = serde_json::to_vec(&journal_ops).expect("journal operations serialize");
    write_atomic(&staging.path().join(OPS_FILE), &list, true)?;
    let staging = staging.keep();
    let journal = state.join(JOURNAL);
    rename(&staging, &journal).with_path("commit the journal", &journal)?;
    sync_dir(&state);
    apply(root, &journal, journal_ops)?;
    finish(&state, &journal)
}

/// Checks a committed journal before anything of it is applied: a directory (not a link) holding
/// only `ops.json` and staged files that are regular files; the list parses, within size bounds;
/// every staged file is listed once, with the listed size and SHA-256; every path is confined and
/// one the tool manages for this project ([`ManagedPaths`]). A target that already exists must be
/// a regular file. Says why not.
fn validate(
    root: &Path,
    journal: &Path,
    managed: ManagedPaths,
) -> std::result::Result<Vec<JournalOp>, String> {
    let meta = std::fs::symlink_metadata(journal).map_err(|e| e.to_string())?;
    if !meta.is_dir() {
        return Err("it is not a directory".into());
    }
    let list_path = journal.join(OPS_FILE);
    let list_meta = std::fs::symlink_metadata(&list_path).map_err(|_| format!("no {OPS_FILE}"))?;
    if !list_meta.is_file() || list_meta.len() > MAX_OPS_BYTES {
        return Err(format!(
            "{OPS_FILE} is not a regular file of at most {MAX_OPS_BYTES} bytes"
        ));
    }
    let list = std::fs::read(&list_path).map_err(|e| e.to_string())?;
    let ops: Vec<JournalOp> =
        serde_json::from_slice(&list).map_err(|e| format!("{OPS_FILE}: {e}"))?;
    if ops.len() > MAX_OPS {
        return Err(format!("more than {MAX_OPS} operations"));
    }
    let mut staged_seen = BTreeSet::new();
    let mut staged_manifest = None;
    for op in &ops {
        let JournalOp::Write {
            path,
            staged,
            len,
            sha256,
        } = op
        else {
            continue;
        };
        if !staged_seen.insert(*staged) {
            return Err(format!("staged file {staged} is listed twice"));
        }
        let file = journal.join(staged.to_string());
        let Ok(m) = std::fs::symlink_metadata(&file) else {
            continue; // already applied
        };
        if !m.is_file() || m.len() != *len || *len > MAX_STAGED_BYTES {
            return Err(format!(
                "staged file {staged} is not a regular file of {len} bytes"
            ));
        }
        let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
        if sha256_hex(&bytes) != *sha256 {
            return Err(format!("staged file {staged} does not match its SHA-256"));
        }
        if path == MANIFEST_FILE {
            staged_manifest = Some(bytes);
        }
    }
    for entry in std::fs::read_dir(journal).map_err(|e| e.to_string())? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        let listed = name
            .parse::<usize>()
            .is_ok_and(|n| staged_seen.contains(&n))
            && name.parse::<usize>().map(|n| n.to_string()).as_deref() == Ok(&*name);
        if name != OPS_FILE && !listed {
            return Err(format!(
                "it holds '{}', which no operation lists",
                name.escape_debug()
            ));
        }
    }
    let mut allowed: Option<BTreeSet<String>> = None;
    for op in &ops {
        let rel = op.path();
        let target = writable(root, rel).map_err(|e| e.to_string())?;
        if let JournalOp::Remove { .. } = op {
            if std::fs::symlink_metadata(&target).is_err() {
                continue; // nothing to delete
            }
        }
        if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_file()) {
            return Err(format!("'{}' is not a regular file", rel.escape_debug()));
        }
        if allowed.is_none() {
            let paths = managed(staged_manifest.as_deref()).map_err(|e| e.to_string())?;
            allowed = Some(super::trust::allowed_paths(
                paths.iter().map(String::as_str),
            ));
        }
        if !allowed.as_ref().is_some_and(|a| a.contains(rel)) {
            return Err(format!(
                "it names '{}', which is not a file the tool manages for this project",
                rel.escape_debug()
            ));
        }
    }
    Ok(ops)
}

/// Applies a committed, validated journal; idempotent (a staged file already renamed is
/// skipped). A replaced file keeps its permissions.
fn apply(root: &Path, journal: &Path, ops: Vec<JournalOp>) -> Result<usize> {
    let mut applied = 0;
    let mut dirs = std::collections::BTreeSet::new();
    for op in ops {
        match op {
            JournalOp::Write { path, staged, .. } => {
                let staged = journal.join(staged.to_string());
                if !staged.exists() {
                    continue;
                }
                let target = writable(root, &path)?;
                create_parents(root, &path)?;
                keep_mode(&target, &staged)?;
                if rename(&staged, &target).is_err() {
                    // Another file system below the project: copy atomically instead.
                    let bytes = std::fs::read(&staged).with_path("read", &staged)?;
                    write_atomic(&target, &bytes, true)?;
                    remove_file(&staged).with_path("remove", &staged)?;
                }
                dirs.insert(target.parent().map(Path::to_path_buf).unwrap_or_default());
                applied += 1;
            }
            JournalOp::Remove { path } => {
                let target = writable(root, &path)?;
                match remove_file(&target) {
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

/// Gives the staged file the permissions of the file it replaces (a read-only or executable
/// file stays so); a new file keeps the mode `write_atomic` gave it.
fn keep_mode(target: &Path, staged: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Ok(m) = std::fs::symlink_metadata(target) {
        std::fs::set_permissions(staged, m.permissions()).with_path("set the mode of", staged)?;
    }
    #[cfg(not(unix))]
    let _ = (target, staged);
    Ok(())
}

/// Retires an applied journal: renamed first (atomic), then deleted.
fn finish(state: &Path, journal: &Path) -> Result<()> {
    let done = state.join(format!("{JOURNAL_DONE_PREFIX}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&done);
    rename(journal, &done).with_path("retire the journal", journal)?;
    sync_dir(state);
    remove_dir_all(&done).with_path("remove", &done)
}
