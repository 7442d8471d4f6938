//! Confined, atomic file operations inside a project.
//!
//! Every path a command writes is `/`-separated, relative and made of plain names; no component
//! below the project root may be a symbolic link (checked before anything is written), and every
//! file is written to a temporary file in its own directory and renamed over the target, so a
//! reader (or a kill -9) only ever sees the old or the new file.

use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::errors::{Error, IoContext, Result};

/// Checks that `rel` is a plain relative path ([`crate::render::path_problem`]) and returns it
/// joined to `root`. Says why not, naming the path.
pub fn confined(root: &Path, rel: &str) -> Result<PathBuf> {
    let problem = crate::render::path_problem(rel).or_else(|| super::trust::untouchable(rel));
    if let Some(why) = problem {
        return Err(Error::usage(format!(
            "refusing path '{}': it {why}; every generated path must stay inside the project",
            rel.escape_debug()
        )));
    }
    let path = root.join(rel);
    debug_assert!(path
        .strip_prefix(root)
        .unwrap()
        .components()
        .all(|c| matches!(c, Component::Normal(_))));
    Ok(path)
}

/// Refuses when `rel` (below `root`) is, or passes through, a symbolic link. Missing components
/// are fine (they will be created as directories).
pub fn refuse_symlinks(root: &Path, rel: &str) -> Result<()> {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let what = if i + 1 == parts.len() {
                    "file"
                } else {
                    "directory"
                };
                return Err(Error::usage(format!(
                    "{} is a symbolic link; refusing to write or delete through it (make it a regular {what})",
                    path.display()
                )));
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// `confined` and `refuse_symlinks` together: the path a command may write or delete.
pub fn writable(root: &Path, rel: &str) -> Result<PathBuf> {
    let path = confined(root, rel)?;
    refuse_symlinks(root, rel)?;
    Ok(path)
}

/// Reads a file below `root` without following a symbolic link (a link reads as an error).
pub fn read_confined(root: &Path, rel: &str) -> Result<Option<Vec<u8>>> {
    let path = writable(root, rel)?;
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => Err(Error::usage(format!(
            "{} is a directory where a file is generated",
            path.display()
        ))),
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
    }
}

/// Creates the directories of `rel`'s parent below `root`, refusing symbolic links on the way.
pub fn create_parents(root: &Path, rel: &str) -> Result<()> {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Error::usage(format!(
                    "{} is a symbolic link; refusing to write through it",
                    path.display()
                )))
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::usage(format!(
                    "{} is a file where a directory is needed",
                    path.display()
                )))
            }
            Err(_) => match std::fs::create_dir(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(Error::io(
                        format!("cannot create directory {}", path.display()),
                        e,
                    ))
                }
            },
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed (and
/// fsynced when `durable`), renamed over the target. An existing file's permissions are kept.
pub fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cfc-tmp-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode new files get from open(2) (masked by the umask), or the target's own.
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o666);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_path("create a temporary file in", dir)?;
    failpoint();
    tmp.write_all(bytes).with_path("write", path)?;
    if durable {
        failpoint();
        tmp.as_file().sync_all().with_path("flush", path)?;
    }
    failpoint();
    tmp.persist(path)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e.error))?;
    if durable {
        sync_dir(dir);
    }
    Ok(())
}

/// Flushes a directory's entries (renames) to disk; best effort (not every platform can).
pub fn sync_dir(dir: &Path) {
    failpoint();
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The environment variable naming the durable operation (1-based: each write, fsync, rename or
/// removal of a project file) at which the process aborts, as a kill -9 would; tests use it to
/// interrupt a command at every step (the process kills itself with SIGKILL). Unset (always, outside tests) it does nothing.
pub const FAILPOINT_ENV: &str = "FLINK_CONNECTOR_FAILPOINT";

/// Counts one durable operation and aborts the process when it is the one `FAILPOINT_ENV` names.
pub fn failpoint() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static AT: OnceLock<Option<u64>> = OnceLock::new();
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let Some(at) = *AT.get_or_init(|| std::env::var(FAILPOINT_ENV).ok()?.parse().ok()) else {
        return;
    };
    if COUNT.fetch_add(1, Ordering::SeqCst) + 1 == at {
        // SIGKILL, exactly what `kill -9` does (abort() could leave a core file in the project).
        #[cfg(unix)]
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}

/// Renames `from` over `to`, a durable operation (see [`failpoint`]).
pub fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    failpoint();
    std::fs::rename(from, to)
}

/// Removes a file, a durable operation (see [`failpoint`]).
pub fn remove_file(path: &Path) -> std::io::Result<()> {
    failpoint();
    std::fs::remove_file(path)
}

/// Removes a directory tree, a durable operation (see [`failpoint`]).
pub fn remove_dir_all(path: &Path) -> std::io::Result<()> {
    failpoint();
    std::fs::remove_dir_all(path)
}

/// Opens (creating) a file without following a symbolic link at its last component.
pub fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_project_are_refused() {
        let root = Path::new("/p");
        for bad in [
            "",
            "/etc/x",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\b",
            "a/.",
        ] {
            assert!(confined(root, bad).is_err(), "{bad}");
        }
        assert_eq!(
            confined(root, "src/A.java").unwrap(),
            Path::new("/p/src/A.java")
        );
    }
}
