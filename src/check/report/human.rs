//! rustc-like text: one block per finding, grouped per file, a summary line per file and one
//! for the run. Colour as `ui::color()` decides; quiet (`-q`) prints only the error and warning
//! findings, as a CI log wants them.

use std::io::{self, Write};

use super::{display_location, escape_controls, matrix_rows, plural};
use crate::check::finding::{Finding, Severity};
use crate::check::Report;

/// A long list (170 internal classes) would bury the other findings; JSON has them all.
const SHOWN_OCCURRENCES: usize = 10;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

pub fn write(report: &Report, color: bool, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    let style = Style { color };
    if quiet {
        return write_findings(report, &style, out);
    }
    for file in &report.files {
        let engine = file
            .engine
            .as_deref()
            .map(|e| format!(", {e}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{} {} (target {}{engine})",
            style.paint("1;32", "Checking"),
            escape_controls(&file.path),
            escape_controls(&file.target)
        )?;
        for note in &file.notes {
            writeln!(
                out,
                "  {} {}",
                style.paint("2", "note:"),
                escape_controls(note)
            )?;
        }
        if let Some(matrix) = &file.matrix {
            writeln!(out, "  compatibility:")?;
            for row in matrix_rows(matrix) {
                writeln!(out, "  {row}")?;
            }
        }
        for f in &file.findings {
            write_finding(&style, &file.path, f, out)?;
        }
        let count = |s: Severity| file.findings.iter().filter(|f| f.severity == s).count();
        writeln!(
            out,
            "{}: {}, {}, {}\n",
            escape_controls(&file.path),
            plural(count(Severity::Error), "error"),
            plural(count(Severity::Warning), "warning"),
            plural(count(Severity::Note), "note")
        )?;
    }
    let s = &report.summary;
    let verdict = if report.exit_code() == 0 {
        style.paint("1;32", "passed")
    } else {
        style.paint("1;31", "failed")
    };
    writeln!(
        out,
        "check {verdict}: {}, {}, {} in {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note"),
        plural(report.files.len(), "file")
    )
}

fn write_finding(style: &Style, path: &str, f: &Finding, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}{}: {}",
        style.severity(f.severity),
        style.paint("1", &format!("[{}]", f.rule)),
        escape_controls(&f.message)
    )?;
    writeln!(
        out,
        "  {} {}",
        style.paint("1;34", "-->"),
        escape_controls(&display_location(path, &f.location))
    )?;
    if !f.occurrences.is_empty() {
        writeln!(
            out,
            "   {} {} occurrences:",
            style.paint("1;34", "="),
            f.occurrences.len()
        )?;
        for o in f.occurrences.iter().take(SHOWN_OCCURRENCES) {
            writeln!(
                out,
                "     - {} ({})",
                escape_controls(&o.detail),
                escape_controls(&o.location)
            )?;
        }
        if f.occurrences.len() > SHOWN_OCCURRENCES {
            writeln!(
                out,
                "     … and {} more (--format json lists every one)",
                f.occurrences.len() - SHOWN_OCCURRENCES
            )?;
        }
    }
    writeln!(out, "   {} {}", style.paint("1;34", "= help:"), f.hint)
}

/// `-q`: the errors and warnings alone (no headers, notes, matrices or summaries).
fn write_findings(report: &Report, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for f in file
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Note)
        {
            write_finding(style, &file.path, f, out)?;
        }
    }
    Ok(())
}
