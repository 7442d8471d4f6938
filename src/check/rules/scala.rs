//! F12: Scala — a binary-version suffix other than Flink's 2.12, a bundled Scala library, or
//! references to Scala 2.11's trait encoding (`scala/…$class`), which 2.12 does not have.

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::jar::services::internal_to_binary;

pub static SUFFIX_MISMATCH: Rule = Rule {
    id: "scala-suffix-mismatch",
    family: "F12",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "Built for a Scala binary version other than Flink's 2.12 (_2.11 / _2.13 artifacts)",
    why: "Flink ships Scala 2.12; artifacts built for _2.11 or _2.13 use an incompatible Scala library (binary incompatible collections, traits).",
    hint: "use the _2.12 artifacts, or Scala-free ones (Flink's Java APIs need no suffix)",
};
pub static BUNDLED_SCALA: Rule = Rule {
    id: "bundled-scala-library",
    family: "F12",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "The Scala library is bundled; Flink loads scala.* parent-first, so another version breaks at run time",
    why: "scala.* is loaded parent-first from Flink's own scala-library; a bundled copy of another version is shadowed, and code compiled against it may call methods that do not exist.",
    hint: "make scala-library provided (Flink ships it in flink-scala_2.12)",
};
pub static SCALA_211_TRAIT: Rule = Rule {
    id: "scala-2-11-trait",
    family: "F12",
    severity: Severity::Error,
    needs_class_files: true,
    summary:
        "Refers to Scala 2.11 trait implementation classes (scala/…$class), absent in Scala 2.12",
    why: "Scala 2.11 compiled trait bodies into separate scala/…$class classes; 2.12 uses default methods and has none of them (NoClassDefFoundError).",
    hint: "rebuild the dependency for Scala 2.12",
};

pub const RULES: &[&Rule] = &[&SUFFIX_MISMATCH, &BUNDLED_SCALA, &SCALA_211_TRAIT];

/// `_2.11` or `_2.13` in an artifact or jar name.
pub fn foreign_scala_suffix(name: &str) -> Option<&'static str> {
    ["_2.10", "_2.11", "_2.13", "_3"].into_iter().find(|s| {
        name.match_indices(s).any(|(i, _)| {
            name[i + s.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_digit())
        })
    })
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    if let Some(suffix) = foreign_scala_suffix(&ctx.file_name) {
        out.add(
            &SUFFIX_MISMATCH,
            ctx.file_name.clone(),
            format!("{} is built for Scala {}", ctx.file_name, &suffix[1..]),
        );
    }
    let bundled_artifacts: Vec<&str> = ctx
        .maven_artifacts()
        .into_iter()
        .filter(|artifact| foreign_scala_suffix(artifact).is_some())
        .collect();
    if !bundled_artifacts.is_empty() {
        out.add(
            &SUFFIX_MISMATCH,
            format!("META-INF/maven/{}", bundled_artifacts[0]),
            format!(
                "bundles artifacts for another Scala version: {}",
                examples(&bundled_artifacts, 3)
            ),
        );
    }
    let scala: Vec<&str> = ctx
        .jar
        .entries()
        .iter()
        .filter(|e| e.is_class() && e.name.starts_with("scala/"))
        .map(|e| e.name.as_str())
        .collect();
    if !scala.is_empty() {
        out.add(
            &BUNDLED_SCALA,
            scala[0],
            format!(
                "{} scala/ classes are bundled: {}",
                scala.len(),
                examples(&scala, 2)
            ),
        );
    }
    let Some(classes) = &ctx.classes else { return };
    let mut trait_refs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for class in classes {
        for r in class
            .foreign_refs
            .iter()
            .filter(|r| r.starts_with("scala/") && r.ends_with("$class"))
        {
            trait_refs.entry(r).or_default().push(&class.name);
        }
    }
    for (referenced, users) in trait_refs {
        out.add(
            &SCALA_211_TRAIT,
            format!("{}.class", users[0]),
            format!(
                "{} refers to {}",
                examples(&users, 2),
                internal_to_binary(referenced)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_foreign_scala_suffixes() {
        assert_eq!(
            super::foreign_scala_suffix("flink-connector-x_2.11-1.0.jar"),
            Some("_2.11")
        );
        assert_eq!(super::foreign_scala_suffix("org.x/lib_2.13"), Some("_2.13"));
        assert_eq!(
            super::foreign_scala_suffix("flink-scala_2.12-1.20.5.jar"),
            None
        );
        assert_eq!(super::foreign_scala_suffix("x_2.110"), None);
    }
}
