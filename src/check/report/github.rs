//! GitHub Actions workflow commands (`::error file=…,title=…::message`) and a Markdown step
//! summary appended to $GITHUB_STEP_SUMMARY.

use std::io::{self, Write};
use std::path::Path;

use super::plural;
use crate::check::finding::Severity;
use crate::check::Report;

/// Workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`.
fn escape_data(text: &str) -> String {
    let text = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    super::escape_controls(&text)
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(report: &Report, out: &mut dyn Write, step_summary: Option<&Path>) -> io::Result<()> {
    for file in &report.files {
        for verdict in file.matrix.iter().flatten() {
            let command = if verdict.runs { "notice" } else { "error" };
            let text = if verdict.runs {
                format!("runs on {}", verdict.target)
            } else {
                format!(
                    "does not run on {}: {}",
                    verdict.target,
                    verdict.reasons.join("; ")
                )
            };
            writeln!(
                out,
                "::{command} file={},title={}::{}",
                escape_property(&file.path),
                escape_property(&format!("compatibility {}", verdict.target)),
                escape_data(&text)
            )?;
        }
        for f in &file.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let line = f.line.map(|l| format!(",line={l}")).unwrap_or_default();
            writeln!(
                out,
                "::{command} file={}{line},title={}::{} ({}){} — {}",
                escape_property(&file.path),
                escape_property(&format!("{} [{}]", f.rule, f.location)),
                escape_data(&f.message),
                escape_data(&f.location),
                escape_data(&super::occurrence_lines(f)),
                escape_data(&f.hint)
            )?;
        }
    }
    let s = &report.summary;
    writeln!(
        out,
        "check: {}, {}, {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note")
    )?;
    if let Some(path) = step_summary {
        let mut summary = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        summary.write_all(markdown(report).as_bytes())?;
    }
    Ok(())
}

use crate::escape::{markdown_cell as cell, markdown_code};

/// A grouped finding's occurrences inside its table cell, `<br>`-separated (a cell is one line).
fn occurrence_cell(f: &crate::check::finding::Finding) -> String {
    f.occurrences
        .iter()
        .map(|o| format!("<br>• {} ({})", cell(&o.detail), cell(&o.location)))
        .collect()
}

fn markdown(report: &Report) -> String {
    let s = &report.summary;
    let verdict = if report.exit_code() == 0 {
        "passed"
    } else {
        "failed"
    };
    let mut md = format!(
        "## Flink connector check {verdict}\n\n{}, {}, {} in {}\n\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note"),
        plural(report.files.len(), "file")
    );
    for file in &report.files {
        md.push_str(&format!(
            "### {} (target {})\n\n",
            markdown_code(&file.path),
            cell(&file.target)
        ));
        if file.findings.is_empty() {
            md.push_str("No findings.\n\n");
            continue;
        }
        md.push_str("| Severity | Rule | Location | Message |\n|---|---|---|---|\n");
        for f in &file.findings {
            md.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                f.severity.as_str(),
                f.rule,
                markdown_code(&f.location),
                cell(&f.message) + &occurrence_cell(f)
            ));
        }
        md.push('\n');
    }
    md
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_workflow_command_text() {
        assert_eq!(super::escape_data("50%\na"), "50%25%0Aa");
        assert_eq!(super::escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
