//! F7: references to Flink's relocated libraries of another version
//! (`org/apache/flink/shaded/guava30/…` on a runtime that ships guava33): NoClassDefFoundError.

use std::collections::BTreeMap;

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::flink::runtime::{shaded_libraries, shaded_library_of};

pub static FOREIGN_SHADED: Rule = Rule {
    id: "foreign-shaded-library",
    family: "F7",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Refers to a Flink-shaded library version the target runtime does not ship",
    why: "org.apache.flink.shaded.* holds Flink's relocated libraries with the major version in the package (guava31 → guava33 across lines); code compiled against another line's shaded package fails with NoClassDefFoundError.",
    hint: "do not use org.apache.flink.shaded.* from connector code; depend on the library yourself and relocate it, or build against the target's Flink version",
};

pub const RULES: &[&Rule] = &[&FOREIGN_SHADED];

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let Some(classes) = &ctx.classes else { return };
    let available = match ctx.runtime {
        Some(runtime) => runtime.shaded_libraries(),
        None => shaded_libraries(ctx.target.version.line),
    };
    // shaded dir (guava30) → classes referring to it
    let mut foreign: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for class in classes {
        for r in &class.foreign_refs {
            let Some((_, dir)) = shaded_library_of(r) else {
                continue;
            };
            if !available.iter().any(|a| a == dir) {
                let users = foreign.entry(dir).or_default();
                if users.last() != Some(&class.name.as_str()) {
                    users.push(&class.name);
                }
            }
        }
    }
    for (dir, users) in foreign {
        let lib = dir.trim_end_matches(|c: char| c.is_ascii_digit());
        let shipped: Vec<&String> = available
            .iter()
            .filter(|a| a.trim_end_matches(|c: char| c.is_ascii_digit()) == lib)
            .collect();
        let shipped = if shipped.is_empty() {
            "no such library".to_string()
        } else {
            examples(&shipped, 3)
        };
        out.add(
            &FOREIGN_SHADED,
            format!("{}.class", users[0]),
            format!(
                "{} classes refer to org/apache/flink/shaded/{dir}/ but {} ships {shipped}: {}",
                users.len(),
                ctx.target,
                examples(&users, 3)
            ),
        );
    }
}
