//! The five report formats; each writes the same [`Report`].

mod github;
mod human;
mod junit;
mod sarif;

use std::io::{self, Write};

use super::Report;

pub use junit::catalog as junit_catalog;
pub use sarif::catalog as sarif_catalog;

/// The version of the JSON shapes `check` and `inspect` write (schemas/*.schema.json): bumped
/// when a field is removed or changes meaning; new fields keep it.
pub const SCHEMA_VERSION: u32 = 1;

/// A JSON document with its `schema_version` first.
#[derive(serde::Serialize)]
struct Versioned<'a, T: serde::Serialize> {
    schema_version: u32,
    #[serde(flatten)]
    body: &'a T,
}

impl<'a, T: serde::Serialize> Versioned<'a, T> {
    fn new(body: &'a T) -> Self {
        Versioned {
            schema_version: SCHEMA_VERSION,
            body,
        }
    }
}

/// The report formats (the CLI maps its own `--format` onto these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
}

pub fn write(report: &Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => {
            // --color, CARGO_TERM_COLOR, NO_COLOR and the terminal, as every command; -q: findings only.
            let quiet = crate::ui::verbosity() == crate::ui::Verbosity::Quiet;
            human::write(report, crate::ui::color(), quiet, out)
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &Versioned::new(report))?;
            writeln!(out)
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif::sarif(report))?;
            writeln!(out)
        }
        Format::Junit => junit::write(report, out),
        Format::Github => github::write(
            report,
            out,
            std::env::var_os("GITHUB_STEP_SUMMARY")
                .map(std::path::PathBuf::from)
                .as_deref(),
        ),
    }
}

/// `path!entry` for a jar entry, `path` for the file itself, pom locations as they are.
fn display_location(path: &str, location: &str) -> String {
    if location.is_empty() || path.ends_with(location) {
        path.to_string()
    } else if location.starts_with("pom.xml:") {
        let dir = path.strip_suffix("pom.xml").unwrap_or("");
        format!("{dir}{location}")
    } else {
        format!("{path}!{location}")
    }
}

/// A grouped finding's occurrences, one `\n  - detail (location)` line each (empty for one).
fn occurrence_lines(f: &crate::check::finding::Finding) -> String {
    f.occurrences
        .iter()
        .map(|o| format!("\n  - {} ({})", o.detail, o.location))
        .collect()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Control characters (an entry name may hold ESC or newlines) as `\u{1b}`, so a hostile jar
/// cannot rewrite the terminal or forge CI annotations.
pub fn escape_controls(text: &str) -> String {
    escape_controls_but(text, '\0')
}

/// [`escape_controls`] keeping `kept` (a line break in multi-line text) as it is.
fn escape_controls_but(text: &str, kept: char) -> String {
    if !text.chars().any(|c| c.is_control() && c != kept) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != kept {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The matrix of a file as text rows: `flink-2.0  no   removed-flink-api: …`.
fn matrix_rows(matrix: &[super::LineVerdict]) -> Vec<String> {
    matrix
        .iter()
        .map(|v| {
            let verdict = if v.runs { "runs" } else { "fails" };
            let mut row = format!(
                "{:11} {verdict:5} {} errors, {} warnings",
                v.target, v.errors, v.warnings
            );
            for reason in &v.reasons {
                row.push_str(&format!("\n    - {}", escape_controls(reason)));
            }
            row
        })
        .collect()
}
