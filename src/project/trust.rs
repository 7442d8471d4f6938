//! The trust boundary for repository state (docs/trust.md): a cloned project's `connector.toml`,
//! `.flink-connector/` (journal, render record) and team templates are input from whoever wrote
//! the last commit. The tool only ever writes or deletes the files it manages for the project —
//! derived from the manifest and the templates, never from the journal or the record — and never
//! anything inside a version-control or tool directory.

use std::collections::BTreeSet;

use super::{record_path, STATE_DIR};
use crate::errors::{Error, Result};
use crate::manifest::MANIFEST_FILE;
use crate::render::RenderedFile;

/// Directories whose files run code or hold other tools' state (VCS hooks and config, IDE tasks,
/// Maven's `.mvn/jvm.config` and extensions, build output): no path through them is ever written,
/// deleted or rendered, whatever a journal, a record or a template says.
const UNTOUCHABLE_DIRS: [&str; 13] = [
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    "_darcs",
    ".jj",
    ".pijul",
    ".idea",
    ".vscode",
    ".mvn",
    ".cargo",
    "target",
    "node_modules",
];

/// Why `rel` may never be touched: a component names one of [`UNTOUCHABLE_DIRS`] (compared
/// ignoring case, as case-insensitive file systems do).
pub fn untouchable(rel: &str) -> Option<&'static str> {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop(); // the file name itself (`.gitignore`, a file called `target`) is fine
    parts
        .iter()
        .any(|part| {
            UNTOUCHABLE_DIRS
                .iter()
                .any(|d| part.eq_ignore_ascii_case(d))
        })
        .then_some("leads into a version-control, IDE, Maven or build directory")
}

/// Refuses a render that would produce the manifest, the tool's own state or a file in an
/// untouchable directory (a team template can name any path).
pub fn check_rendered(files: &[RenderedFile]) -> Result<()> {
    for f in files {
        let why = if f.path.eq_ignore_ascii_case(MANIFEST_FILE) {
            Some("is the manifest")
        } else if f.path == STATE_DIR || f.path.starts_with(&format!("{STATE_DIR}/")) {
            Some("is the tool's own state directory")
        } else {
            untouchable(&f.path)
        };
        if let Some(why) = why {
            return Err(Error::usage(format!(
                "a template renders '{}', which {why}; templates may only produce project files",
                f.path.escape_debug()
            )));
        }
    }
    Ok(())
}

/// The paths the tool may write or delete for a project whose renders produce `managed`: the
/// manifest, those files and their copies in the render record.
pub fn allowed_paths<'a>(managed: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut out = BTreeSet::from([MANIFEST_FILE.to_string(), record_path(MANIFEST_FILE)]);
    for p in managed {
        out.insert(record_path(p));
        out.insert(p.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcs_and_tool_directories_are_untouchable() {
        for bad in [
            ".git/config",
            "a/.GIT/hooks/x",
            ".mvn/jvm.config",
            "target/x.jar",
        ] {
            assert!(untouchable(bad).is_some(), "{bad}");
        }
        for ok in [
            ".gitignore",
            ".github/workflows/ci.yml",
            "src/target",
            "docs/git.md",
        ] {
            assert!(untouchable(ok).is_none(), "{ok}");
        }
    }
}
