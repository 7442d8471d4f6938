//! A connector project on disk: writing a render atomically, and the record of the last render
//! (`.flink-connector/rendered/`) that `generate` merges against.

use std::path::{Path, PathBuf};

use crate::errors::{Error, IoContext, Result};
use crate::manifest::MANIFEST_FILE;
use crate::render::{FileKind, RenderedFile};

/// Where the managed files of the last render are kept, as the base of three-way merges.
pub const RENDER_RECORD_DIR: &str = ".flink-connector/rendered";

/// Refuses a target that exists as a file, or a non-empty directory unless `force`.
pub fn check_target(dir: &Path, force: bool) -> Result<()> {
    if dir.is_file() {
        return Err(Error::usage(format!(
            "{} exists and is a file",
            dir.display()
        )));
    }
    if dir.is_dir()
        && !force
        && std::fs::read_dir(dir)
            .with_path("read", dir)?
            .next()
            .is_some()
    {
        return Err(Error::usage(format!(
            "{} is not empty; use --force to write into it",
            dir.display()
        )));
    }
    Ok(())
}

/// Writes a new project: everything goes to a temporary sibling directory first and is moved into
/// place at the end, so a failure leaves nothing half-written.
pub fn write_new(
    dir: &Path,
    manifest_toml: &str,
    files: &[RenderedFile],
    force: bool,
) -> Result<()> {
    check_target(dir, force)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_path("create directory", &parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".flink-connector-staging-")
        .tempdir_in(&parent)
        .with_path("create a directory in", &parent)?;
    write_file(staging.path(), MANIFEST_FILE, manifest_toml.as_bytes())?;
    for f in files {
        write_file(staging.path(), &f.path, &f.contents)?;
    }
    record_render(staging.path(), files)?;
    if !dir.exists() {
        std::fs::rename(staging.path(), dir).with_path("move the project to", dir)?;
    } else {
        move_contents(staging.path(), dir)?;
    }
    Ok(())
}

/// Stores the managed files as rendered, the base of later three-way merges.
pub fn record_render(project: &Path, files: &[RenderedFile]) -> Result<()> {
    let record = project.join(RENDER_RECORD_DIR);
    if record.exists() {
        std::fs::remove_dir_all(&record).with_path("clear", &record)?;
    }
    for f in files.iter().filter(|f| f.kind == FileKind::Managed) {
        write_file(&record, &f.path, &f.contents)?;
    }
    Ok(())
}

/// The managed file as last rendered, if recorded.
pub fn recorded(project: &Path, path: &str) -> Option<Vec<u8>> {
    std::fs::read(project.join(RENDER_RECORD_DIR).join(path)).ok()
}

pub fn write_file(root: &Path, rel: &str, contents: &[u8]) -> Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_path("create directory", parent)?;
    }
    std::fs::write(&path, contents).with_path("write", &path)
}

/// Moves every file of `from` into `to` (same file system), replacing files of the same name.
fn move_contents(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry =
            entry.map_err(|e| Error::usage(format!("cannot read {}: {e}", from.display())))?;
        let target = to.join(entry.path().strip_prefix(from).expect("walked below from"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).with_path("create directory", &target)?;
        } else {
            std::fs::rename(entry.path(), &target).with_path("write", &target)?;
        }
    }
    Ok(())
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
            Error::usage(format!(
                "no {MANIFEST_FILE} in {} or any parent directory; run this inside a project made by `cargo flink-connector new`",
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
