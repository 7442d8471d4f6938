//! Findings and the rule metadata they come from. Every rule has a stable kebab-case id, a
//! catalog family (F1–F18 of packaging-failures.md, or `pom`/`archive`), a default severity,
//! a one-line summary and a fix hint.

use std::collections::HashMap;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One rule of the catalog, declared once as a `static` in its family's module and listed in
/// that module's `RULES`; [`crate::check::rules::FAMILIES`] is the whole registry.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id, used by `-A/-W/-D`, `--explain` and every report format.
    pub id: &'static str,
    /// `F1`…`F18` of the failure catalog, `pom`, `archive` or `api`.
    pub family: &'static str,
    pub severity: Severity,
    /// Reads every class file: skipped by `--layout-only`.
    pub needs_class_files: bool,
    /// What the rule finds (one line).
    pub summary: &'static str,
    /// Why it matters: what the JVM or Flink does with such a jar.
    pub why: &'static str,
    /// How to fix it.
    pub hint: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// The cause, once: a finding with several occurrences names what they share.
    pub message: String,
    /// The entry, class or pom element the finding is about (the first occurrence's).
    pub location: String,
    pub hint: String,
    /// 1-based line, for pom.xml findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Every place one cause shows up (issue 22: the Hive dialect's 17 hidden planner classes
    /// are one finding, not 17); empty when `location` is the only one.
    pub occurrences: Vec<Occurrence>,
}

/// One place of a finding with several: where, and what is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub location: String,
    pub detail: String,
}

/// `-A/-W/-D RULE` overrides: `None` silences a rule.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    overrides: HashMap<String, Option<Severity>>,
}

impl Levels {
    pub fn set(&mut self, rule: &str, level: Option<Severity>) {
        self.overrides.insert(rule.to_string(), level);
    }

    pub fn level(&self, rule: &Rule) -> Option<Severity> {
        match self.overrides.get(rule.id) {
            Some(level) => *level,
            None => Some(rule.severity),
        }
    }
}

/// Collects the findings of one file, applying the level overrides as they are added.
pub struct Findings<'l> {
    levels: &'l Levels,
    pub items: Vec<Finding>,
}

impl<'l> Findings<'l> {
    pub fn new(levels: &'l Levels) -> Self {
        Findings {
            levels,
            items: Vec::new(),
        }
    }

    /// Reports `rule` at `location` with the rule's own hint.
    pub fn add(
        &mut self,
        rule: &Rule,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Option<&mut Finding> {
        self.add_at(rule, rule.severity, location, message)
    }

    /// Reports `rule` with a severity other than its default (e.g. a weaker variant of the
    /// same problem); `-A/-W/-D` still win.
    pub fn add_at(
        &mut self,
        rule: &Rule,
        severity: Severity,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Option<&mut Finding> {
        let severity = match self.levels.overrides.get(rule.id) {
            Some(level) => (*level)?,
            None => severity,
        };
        self.items.push(Finding {
            rule: rule.id,
            severity,
            message: message.into(),
            location: location.into(),
            hint: rule.hint.to_string(),
            line: None,
            occurrences: Vec::new(),
        });
        self.items.last_mut()
    }

    /// Reports one cause found in several places as one finding: `message` names the cause,
    /// each occurrence the place and what is there. A single occurrence is an ordinary finding
    /// with that occurrence's own text (`single`), so one-place messages read as before.
    pub fn add_grouped(
        &mut self,
        rule: &Rule,
        severity: Severity,
        message: impl FnOnce(usize) -> String,
        single: impl FnOnce() -> String,
        occurrences: Vec<Occurrence>,
    ) -> Option<&mut Finding> {
        let first = occurrences.first()?.location.clone();
        if occurrences.len() == 1 {
            return self.add_at(rule, severity, first, single());
        }
        let count = occurrences.len();
        let finding = self.add_at(rule, severity, first, message(count))?;
        finding.occurrences = occurrences;
        Some(finding)
    }
}

pub trait FindingExt {
    fn with_line(self, line: usize) -> Self;
}

impl FindingExt for Option<&mut Finding> {
    fn with_line(mut self, line: usize) -> Self {
        if let Some(f) = self.as_deref_mut() {
            f.line = Some(line);
        }
        self
    }
}

/// A short list of examples for messages about many entries: "a, b, c and 12 more".
pub fn examples<S: AsRef<str>>(items: &[S], shown: usize) -> String {
    let mut text = items
        .iter()
        .take(shown)
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > shown {
        text.push_str(&format!(" and {} more", items.len() - shown));
    }
    text
}
