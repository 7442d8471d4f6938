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

    /// [`Findings::add_grouped`] for findings that each read well alone: `(location, message)`
    /// pairs of one cause per severity become one finding per severity, `cause(severity, n)` its
    /// message and each message an occurrence.
    pub fn add_each(
        &mut self,
        rule: &Rule,
        items: Vec<(Severity, String, String)>,
        cause: impl Fn(Severity, usize) -> String,
    ) {
        let mut by_severity: Vec<(Severity, Vec<Occurrence>)> = Vec::new();
        for (severity, location, detail) in items {
            let occurrence = Occurrence { location, detail };
            match by_severity.iter_mut().find(|(s, _)| *s == severity) {
                Some((_, list)) => list.push(occurrence),
                None => by_severity.push((severity, vec![occurrence])),
            }
        }
        for (severity, occurrences) in by_severity {
            let single = occurrences[0].detail.clone();
            self.add_grouped(
                rule,
                severity,
                |n| cause(severity, n),
                || single,
                occurrences,
            );
        }
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

/// A JVM field type (`Ljava/lang/Integer;`, `[I`, `Lorg/x/Sink$InitContext;`) as a Java developer
/// writes it: simple name, nested classes dotted, arrays as `[]` (`Integer`, `int[]`,
/// `Sink.InitContext`). Returns the rest of `descriptor`, or `None` when it is malformed.
fn java_type(descriptor: &str) -> Option<(String, &str)> {
    let dims = descriptor.len() - descriptor.trim_start_matches('[').len();
    let rest = &descriptor[dims..];
    let (name, rest) = match rest.chars().next()? {
        'L' => {
            let end = rest.find(';')?;
            let class = &rest[1..end];
            let simple = class.rsplit('/').next().unwrap_or(class);
            // `Outer$Inner` → `Outer.Inner`; an anonymous `Outer$1` keeps its binary name.
            let mut name = String::new();
            for (i, part) in simple.split('$').enumerate() {
                if i > 0 {
                    let anonymous = part.starts_with(|c: char| c.is_ascii_digit());
                    name.push(if anonymous { '$' } else { '.' });
                }
                name.push_str(part);
            }
            if name.is_empty() {
                return None;
            }
            (name, &rest[end + 1..])
        }
        c => {
            let primitive = match c {
                'B' => "byte",
                'C' => "char",
                'D' => "double",
                'F' => "float",
                'I' => "int",
                'J' => "long",
                'S' => "short",
                'Z' => "boolean",
                'V' if dims == 0 => "void",
                _ => return None,
            };
            (primitive.to_string(), &rest[1..])
        }
    };
    Some((name + &"[]".repeat(dims), rest))
}

/// A field or method of `owner` (an internal name) as Java source names it, instead of its JVM
/// descriptor: `org.x.SourceProvider.of(Source, Integer)`, `new org.x.Foo(int[])`,
/// `org.x.FactoryUtil.SOURCE_PARALLELISM (ConfigOption)`. A malformed descriptor is shown as it is.
pub fn java_member(owner: &str, name: &str, descriptor: &str) -> String {
    let owner = owner.replace('/', ".");
    let raw = || format!("{owner}.{name}{descriptor}");
    let Some(params) = descriptor.strip_prefix('(') else {
        return match java_type(descriptor) {
            Some((ty, "")) => format!("{owner}.{name} ({ty})"),
            _ => format!("{owner}.{name} (type {descriptor})"),
        };
    };
    let mut types = Vec::new();
    let mut rest = params;
    while !rest.starts_with(')') {
        match java_type(rest) {
            Some((ty, tail)) if ty != "void" => {
                types.push(ty);
                rest = tail;
            }
            _ => return raw(),
        }
    }
    if !matches!(java_type(&rest[1..]), Some((_, ""))) {
        return raw();
    }
    let params = types.join(", ");
    match name {
        "<init>" => format!("new {owner}({params})"),
        "<clinit>" => format!("{owner} static initializer"),
        _ => format!("{owner}.{name}({params})"),
    }
}

#[cfg(test)]
mod tests {
    use super::java_member;

    #[test]
    fn descriptors_read_as_java() {
        let m = |d: &str| java_member("org/x/SourceProvider", "of", d);
        assert_eq!(
            m("(Lorg/apache/flink/api/connector/source/Source;Ljava/lang/Integer;)Lorg/x/SourceProvider;"),
            "org.x.SourceProvider.of(Source, Integer)"
        );
        assert_eq!(m("()V"), "org.x.SourceProvider.of()");
        assert_eq!(
            m("([I[[Ljava/lang/String;JZDBCSF)[J"),
            "org.x.SourceProvider.of(int[], String[][], long, boolean, double, byte, char, short, float)"
        );
        assert_eq!(
            m("(Lorg/apache/flink/api/connector/sink2/Sink$InitContext;Lorg/x/A$1;)V"),
            "org.x.SourceProvider.of(Sink.InitContext, A$1)"
        );
        assert_eq!(
            java_member("org/x/Foo$Bar", "<init>", "(I)V"),
            "new org.x.Foo$Bar(int)"
        );
        assert_eq!(
            java_member("org/x/F", "SOURCE_PARALLELISM", "Lorg/x/ConfigOption;"),
            "org.x.F.SOURCE_PARALLELISM (ConfigOption)"
        );
        let member = |kind, name: &str, descriptor: &str| crate::check::context::OwnedMemberRef {
            kind,
            owner: "org/x/Foo".into(),
            name: name.into(),
            descriptor: descriptor.into(),
        };
        use crate::classfile::MemberKind::{Field, InterfaceMethod, Method};
        assert_eq!(
            member(Method, "<init>", "(I)V").java(),
            "constructor new org.x.Foo(int)"
        );
        assert_eq!(
            member(InterfaceMethod, "m", "()V").java(),
            "method org.x.Foo.m()"
        );
        assert_eq!(
            member(Field, "F", "[Z").java(),
            "field org.x.Foo.F (boolean[])"
        );
        // Malformed descriptors are shown as they are, never a panic.
        for bad in [
            "(", "(I", "(Q)V", "(V)V", "(L;)V", "()", "(I)VX", "[V", "L", "[[",
        ] {
            let shown = java_member("o/C", "m", bad);
            assert!(shown.contains(bad), "{bad}: {shown}");
        }
    }

    proptest::proptest! {
        /// Any well-formed method descriptor reads back as one Java type per parameter, with
        /// no JVM syntax left; any string at all gives an answer, never a panic.
        #[test]
        fn well_formed_descriptors_lose_their_jvm_syntax(
            params in proptest::collection::vec(
                (0usize..3, proptest::prop_oneof![
                    proptest::string::string_regex("[BCDFIJSZ]").unwrap(),
                    proptest::string::string_regex("L[a-z]{1,4}(/[a-z]{1,4}){0,3}/[A-Z][a-z]{0,4}(\\$[A-Z1-9][a-z]{0,3})?;").unwrap(),
                ]),
                0..6,
            ),
            noise in ".{0,12}",
        ) {
            let descriptor: String = params.iter().map(|(dims, t)| "[".repeat(*dims) + t).collect();
            let shown = java_member("p/C", "m", &format!("({descriptor})V"));
            let inside = shown.strip_prefix("p.C.m(").and_then(|s| s.strip_suffix(')'));
            let inside = inside.unwrap_or_else(|| panic!("{descriptor}: {shown}"));
            let count = if params.is_empty() { 0 } else { inside.split(", ").count() };
            proptest::prop_assert_eq!(count, params.len());
            proptest::prop_assert!(!inside.contains(['/', ';', '(']), "{}", shown);
            let _ = java_member("p/C", "m", &noise);
        }
    }
}
