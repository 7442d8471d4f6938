//! `cargo flink-connector line add|remove LINE`: edit `[flink] lines` in connector.toml in place
//! (comments and layout kept), validate the result, and re-render — one transaction, like `option`.

use crate::cli::LineCommand;
use crate::errors::{Error, Result};
use crate::flink::{FlinkVersion, LINES};
use crate::manifest::edit::LocalManifest;
use crate::manifest::MANIFEST_FILE;
use crate::project;

use super::generate::{apply_edit, lock_and_recover};

pub fn cmd_line(command: LineCommand) -> Result<u8> {
    let (LineCommand::Add {
        path, allow_broken, ..
    }
    | LineCommand::Remove {
        path, allow_broken, ..
    }) = &command;
    let allow_broken = *allow_broken;
    let root = project::find_root(path.as_deref())?;
    // Read and edited under the lock and after recovery, like `option`.
    let lock = lock_and_recover(&root, None)?;
    let mut local = LocalManifest::read(&root.join(MANIFEST_FILE))?;
    let manifest = local.manifest(None)?;
    let primary = manifest.flink.line.line;
    let mut entries = if manifest.lines.is_empty() {
        vec![primary.to_string()]
    } else {
        manifest.line_entries()
    };
    let summary = match &command {
        LineCommand::Add { line, .. } => {
            let version = FlinkVersion::parse(line)?;
            if entries.iter().any(|e| line_of(e) == version.line.line) {
                return Err(Error::usage(format!(
                    "Flink {} is already a line of this project",
                    version.line.line
                )));
            }
            entries.push(line.trim().to_string());
            format!("added Flink line {}", version.line.line)
        }
        LineCommand::Remove { line, .. } => {
            let version = FlinkVersion::parse(line)?;
            let wanted = version.line.line;
            if wanted == primary {
                return Err(Error::usage(format!(
                    "Flink {wanted} is the primary line ([flink] version = {}); set another version there first",
                    manifest.flink
                )));
            }
            let before = entries.len();
            entries.retain(|e| line_of(e) != wanted);
            if entries.len() == before {
                return Err(Error::usage(format!(
                    "Flink {wanted} is not a line of this project"
                )));
            }
            format!("removed Flink line {wanted}")
        }
    };
    entries.sort_by_key(|e| LINES.iter().position(|l| l.line == line_of(e)));
    // Only the primary left: a single-line project again (the plain layout).
    local.set_flink_lines((entries.len() > 1).then_some(entries.as_slice()));
    apply_edit(&lock, local, summary, allow_broken)
}

/// `2.2.0` → `2.2`.
fn line_of(entry: &str) -> &str {
    let entry = entry.trim();
    match entry.match_indices('.').nth(1) {
        Some((i, _)) => &entry[..i],
        None => entry,
    }
}
