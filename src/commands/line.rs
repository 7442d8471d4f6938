//! `cargo flink-connector line add|remove LINE`: edit `[flink] lines` in connector.toml in place
//! (comments and layout kept), validate the result, then re-render.

use toml_edit::{value, Array, DocumentMut};

use crate::cli::LineCommand;
use crate::errors::{Error, IoContext, Result};
use crate::flink::{FlinkVersion, LINES};
use crate::manifest::{locate, Manifest, MANIFEST_FILE};
use crate::project;

pub fn cmd_line(command: LineCommand) -> Result<u8> {
    let (LineCommand::Add { path, .. } | LineCommand::Remove { path, .. }) = &command;
    let root = project::find_root(path.as_deref())?;
    let manifest_path = root.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&manifest_path).with_path("read", &manifest_path)?;
    let manifest = Manifest::parse(&manifest_path, &text)?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        locate(&manifest_path, &text, e.span().unwrap_or(0..0), e.message())
    })?;
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
    if entries.len() == 1 {
        // Only the primary is left: a single-line project again (the plain layout).
        doc["flink"].as_table_like_mut().map(|t| t.remove("lines"));
    } else {
        doc["flink"]["lines"] = value(entries.iter().collect::<Array>());
    }
    let new_text = doc.to_string();
    Manifest::parse(&manifest_path, &new_text)?;
    std::fs::write(&manifest_path, new_text).with_path("write", &manifest_path)?;
    eprintln!("{summary} in {}", manifest_path.display());
    super::generate::regenerate(&root, None, false)
}

/// `2.2.0` → `2.2`.
fn line_of(entry: &str) -> &str {
    let entry = entry.trim();
    match entry.match_indices('.').nth(1) {
        Some((i, _)) => &entry[..i],
        None => entry,
    }
}
