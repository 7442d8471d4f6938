//! The rule catalog as output: `check --list-rules`, `check --explain ID` (in every report
//! format) and docs/rules.md, all rendered from the registry ([`rules::FAMILIES`]).

use std::io::{self, Write};

use serde::Serialize;

use super::finding::Rule;
use super::report::Format;
use super::rules;

#[derive(Serialize)]
struct RuleDoc {
    id: &'static str,
    family: &'static str,
    severity: &'static str,
    needs_class_files: bool,
    summary: &'static str,
    why: &'static str,
    fix: &'static str,
}

fn doc(rule: &Rule) -> RuleDoc {
    RuleDoc {
        id: rule.id,
        family: rule.family,
        severity: rule.severity.as_str(),
        needs_class_files: rule.needs_class_files,
        summary: rule.summary,
        why: rule.why,
        fix: rule.hint,
    }
}

pub fn list(format: Format, out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<&Rule> = rules::all().collect();
    write_rules(&all, format, false, out)
}

/// `--explain ID`: one rule by its id, or every rule of a family (`F8`, `pom`), in full.
pub fn explain(rules: &[&'static Rule], format: Format, out: &mut dyn Write) -> io::Result<()> {
    write_rules(rules, format, true, out)
}

/// The rules `--explain` takes `id` for: the rule of that id, else the family's rules
/// (`f8` and `F8` alike); `None` when neither exists.
pub fn explained(id: &str) -> Option<Vec<&'static Rule>> {
    if let Some(rule) = rules::find(id) {
        return Some(vec![rule]);
    }
    let family: Vec<&'static Rule> = rules::all()
        .filter(|r| r.family.eq_ignore_ascii_case(id.trim()))
        .collect();
    (!family.is_empty()).then_some(family)
}

/// `--list-rules`/`--explain` as JSON: one shape whatever the number of rules.
#[derive(Serialize)]
struct RulesJson {
    schema_version: u32,
    rules: Vec<RuleDoc>,
}

fn write_rules(rules: &[&Rule], format: Format, long: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human if long => {
            for rule in rules {
                writeln!(out, "{}", explanation(rule))?;
            }
            Ok(())
        }
        Format::Human => {
            let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in rules {
                let deep = if r.needs_class_files { "deep" } else { "" };
                writeln!(
                    out,
                    "{:width$}  {:7}  {:7}  {:4}  {}",
                    r.id,
                    r.family,
                    r.severity.as_str(),
                    deep,
                    r.summary
                )?;
            }
            writeln!(
                out,
                "\n{} rules; `check --explain ID` for one in full, `--explain FAMILY` (F8) for a family",
                rules.len()
            )
        }
        Format::Json => {
            let json = RulesJson {
                schema_version: super::report::SCHEMA_VERSION,
                rules: rules.iter().map(|r| doc(r)).collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &super::report::sarif_catalog(rules))?;
            writeln!(out)
        }
        Format::Junit => super::report::junit_catalog(rules, out),
        Format::Github => {
            if long {
                for rule in rules {
                    writeln!(out, "{}", markdown_rule(rule))?;
                }
                Ok(())
            } else {
                writeln!(out, "{}", markdown_table(rules))
            }
        }
    }
}

/// The plain-text explanation `--explain` prints.
pub fn explanation(rule: &Rule) -> String {
    format!(
        "{id} ({family}, {severity} by default{deep})\n\nWhat: {what}\n\nWhy: {why}\n\nFix: {fix}\n",
        id = rule.id,
        family = rule.family,
        severity = rule.severity.as_str(),
        deep = if rule.needs_class_files {
            "; reads class files, skipped by --layout-only"
        } else {
            ""
        },
        what = rule.summary,
        why = rule.why,
        fix = rule.hint,
    )
}

fn markdown_table(rules: &[&Rule]) -> String {
    let mut md =
        String::from("| Rule | Family | Default | Class files | What |\n|---|---|---|---|---|\n");
    for r in rules {
        md.push_str(&format!(
            "| [`{id}`](#{id}) | {} | {} | {} | {} |\n",
            r.family,
            r.severity.as_str(),
            if r.needs_class_files { "yes" } else { "no" },
            escape_cell(r.summary),
            id = r.id,
        ));
    }
    md
}

fn markdown_rule(rule: &Rule) -> String {
    format!(
        "### {id}\n\n{family} · {severity} by default · {deep}\n\n**What.** {what}\n\n**Why.** {why}\n\n**Fix.** {fix}\n",
        id = rule.id,
        family = rule.family,
        severity = rule.severity.as_str(),
        deep = if rule.needs_class_files {
            "reads class files (skipped by `--layout-only`)"
        } else {
            "layout rule (runs with `--layout-only`)"
        },
        what = rule.summary,
        why = rule.why,
        fix = rule.hint,
    )
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// docs/rules.md: generated from the registry, kept in sync by a test.
pub fn rules_markdown() -> String {
    let all: Vec<&Rule> = rules::all().collect();
    let mut md = String::from(
        "# `check` rules\n\n\
         <!-- Generated from the rule registry (src/check/rules); regenerate with \
         `UPDATE_RULES_DOC=1 cargo test --test check_cli rules_doc`. Do not edit by hand. -->\n\n\
         Every rule has a stable id for `-A/--allow`, `-W/--warn` and `-D/--deny-rule`; \
         `cargo flink-connector check --explain ID` prints one entry. \
         Rules marked *class files* read every class and are skipped by `--layout-only`.\n\n",
    );
    md.push_str(&markdown_table(&all));
    md.push_str("\n## Rules\n\n");
    for rule in &all {
        md.push_str(&markdown_rule(rule));
        md.push('\n');
    }
    md
}
