//! One module per failure family; each declares its rules (id, severity, summary, hint) and
//! checks one jar. `ALL` is the catalog the CLI, SARIF and JUnit reporters read.

pub mod api_compat;
pub mod archive;
pub mod bundled;
pub mod class_loader;
pub mod class_version;
pub mod identifiers;
pub mod legal;
pub mod load_path;
pub mod logging;
pub mod multi_release;
pub mod pom;
pub mod project;
pub mod public_api;
pub mod relocation;
pub mod scala;
pub mod services;
pub mod shaded;
pub mod signatures;

use super::context::JarContext;
use super::finding::{Findings, Rule};

type JarCheck = fn(&JarContext, &mut Findings);

/// One family: its rules and the check that reports them on a jar (`None` for pom rules,
/// which `check` runs on pom.xml files).
pub struct Family {
    pub rules: &'static [&'static Rule],
    pub check: Option<JarCheck>,
}

const fn family(rules: &'static [&'static Rule], check: JarCheck) -> Family {
    Family {
        rules,
        check: Some(check),
    }
}

/// The registry: every family in report order. A new family is one line here; a new rule is
/// one `static` in its module plus its name in that module's `RULES`.
pub static FAMILIES: &[Family] = &[
    family(archive::RULES, archive::check),
    family(services::RULES, services::check),
    family(load_path::RULES, load_path::check),
    family(identifiers::RULES, identifiers::check),
    family(bundled::RULES, bundled::check),
    family(shaded::RULES, shaded::check),
    family(relocation::RULES, relocation::check),
    family(signatures::RULES, signatures::check),
    family(class_version::RULES, class_version::check),
    family(api_compat::RULES, api_compat::check),
    family(public_api::RULES, public_api::check),
    family(scala::RULES, scala::check),
    family(logging::RULES, logging::check),
    family(multi_release::RULES, multi_release::check),
    family(legal::RULES, legal::check),
    family(class_loader::RULES, class_loader::check),
    Family {
        rules: pom::RULES,
        check: None,
    },
];

/// The bytes of the jar's class `internal_name` (`a/b/C`), when it has one that reads.
fn class_bytes(ctx: &JarContext, internal_name: &str) -> Option<Vec<u8>> {
    ctx.jar
        .read_named(
            &format!("{internal_name}.class"),
            crate::jar::DEFAULT_ENTRY_CAP,
        )?
        .ok()
}

pub fn check_jar(ctx: &JarContext, out: &mut Findings) {
    for check in FAMILIES.iter().filter_map(|f| f.check) {
        check(ctx, out);
    }
}

/// The whole catalog, in family order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|f| f.rules.iter().copied())
}

pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// Ids of the rules `--layout-only` skips.
pub fn needing_class_files() -> Vec<&'static str> {
    all()
        .filter(|r| r.needs_class_files)
        .map(|r| r.id)
        .collect()
}

/// The known id closest to `unknown` (edit distance ≤ 3, or a shared prefix/infix), for
/// "did you mean" in error messages.
pub fn closest(unknown: &str) -> Option<&'static str> {
    let unknown = unknown.to_ascii_lowercase();
    all()
        .map(|r| (distance(&unknown, r.id), r.id))
        .filter(|(d, id)| *d <= 3 || (unknown.len() >= 4 && id.contains(unknown.as_str())))
        .min()
        .map(|(_, id)| id)
}

/// Levenshtein distance over bytes (ids are ASCII).
fn distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_fully_explained() {
        let mut seen = HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                rule.id
            );
            for (field, text) in [
                ("summary", rule.summary),
                ("why", rule.why),
                ("hint", rule.hint),
            ] {
                assert!(text.len() > 20, "{}: {field} too short", rule.id);
            }
        }
    }

    /// Every id appears as a whole word in some test outside the registry: tests/*.rs or a
    /// rule module's own tests.
    #[test]
    fn every_rule_is_exercised_by_a_test() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = String::new();
        for dir in [root.join("tests"), root.join("src/check/rules")] {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "rs")
                    && path.file_name() != Some("mod.rs".as_ref())
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    // Only test code counts: the tests/ files, or a module's #[cfg(test)] part.
                    let tests = if dir.ends_with("tests") {
                        text.as_str()
                    } else {
                        text.split_once("#[cfg(test)]").map_or("", |(_, t)| t)
                    };
                    sources.push_str(tests);
                }
            }
        }
        let untested: Vec<&str> = all()
            .map(|r| r.id)
            .filter(|id| !mentions_whole_id(&sources, id))
            .collect();
        assert!(untested.is_empty(), "rules no test exercises: {untested:?}");
    }

    /// `id` occurs in `text` as a whole id (not as part of a longer one such as `id-suffix`).
    fn mentions_whole_id(text: &str, id: &str) -> bool {
        let is_id_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
        text.match_indices(id).any(|(at, _)| {
            !text[..at].ends_with(is_id_char) && !text[at + id.len()..].starts_with(is_id_char)
        })
    }

    #[test]
    fn unknown_ids_get_a_suggestion() {
        assert_eq!(closest("signature-files"), Some("signature-file"));
        assert_eq!(
            closest("bundled-flink-runtme"),
            Some("bundled-flink-runtime")
        );
        assert!(closest("planner").is_some_and(|id| id.contains("planner")));
        assert_eq!(closest("zzzzzzzzzzzzzz"), None);
    }
}
