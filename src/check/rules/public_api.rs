//! Upgrade risks, in the spirit of Flink's own ArchUnit rule for connectors
//! (`ConnectorRules.CONNECTOR_CLASSES_ONLY_DEPEND_ON_PUBLIC_API`): references to Flink classes
//! that are not @Public/@PublicEvolving and to Flink's relocated libraries. They link today and
//! may break on any upgrade; each finding names the lines on which the API already differs.

use std::collections::BTreeMap;

use crate::check::context::{ClassFacts, JarContext, OwnedMemberRef};
use crate::check::finding::{Findings, Rule, Severity};
use crate::flink::index::{self, describe_lines, IndexedClass, LineIndex, Stability};
use crate::flink::runtime::{shaded_library_of, RuntimeLib};
use crate::flink::LINES;
use crate::jar::services::internal_to_binary;

use super::api_compat::{is_relocated_dependency, users_text};

pub static INTERNAL_API: Rule = Rule {
    id: "internal-flink-api",
    family: "api",
    severity: Severity::Warning,
    needs_class_files: true,
    summary: "Refers to a Flink class that is not @Public/@PublicEvolving (internal, unannotated or @Experimental), or to a member of a public class annotated @Internal/@VisibleForTesting/@Experimental: an upgrade risk, with the lines on which it already differs",
    why: "Flink promises compatibility only for @Public (across minor releases) and @PublicEvolving (within a minor release) APIs; anything else may change or vanish in any release, and the jar then fails with NoClassDefFoundError or NoSuchMethodError on the upgraded cluster. This follows Flink's own ArchUnit rule for its connectors (ConnectorRules): a connector may depend on non-Flink classes, on the connector packages org.apache.flink.connector.. and org.apache.flink.streaming.connectors.., on org.apache.flink.util.. (allowed since FLINK-35454), and on classes directly annotated @Public/@PublicEvolving or nested in one; classes marked @Deprecated are exempt. Two refinements. Flink's rule judges classes only, but a field or method of a public class that carries its own @Internal, @VisibleForTesting or @Experimental annotation is outside the API too (members without one share their class's stability; only members the referenced class itself declares are looked up). And a nested class takes the stability of the nearest annotated class around it, so a nested class annotated @Internal or @Experimental itself is reported (Flink's predicate accepts it because its outer class is public). What every later line still ships and the newest supported line declares public is not reported: it became public API, and upgrading is covered by Flink's promise (LookupOptions is unannotated on 1.17–1.18 and @PublicEvolving from 1.19); on the newest line nothing vouches for the future, so everything non-public is reported there. Only classes the target's distribution ships are judged (the stability is read from their class files, or from the built-in index of them); the jar's own classes, its relocated dependencies and other artifacts' packages are not. Planner classes hidden by flink-table-planner-loader are the error planner-internal-reference instead; a planner placed in lib/ is judged like any other class.",
    hint: "use the @Public/@PublicEvolving API (or copy the small helper into your own code); the message names the lines on which this class already differs",
};

pub static SHADED_LIBRARY: Rule = Rule {
    id: "flink-shaded-reference",
    family: "api",
    severity: Severity::Warning,
    needs_class_files: true,
    summary: "Refers to Flink's own relocated libraries (org.apache.flink.shaded.*): internal, with a package that changes across lines",
    why: "org.apache.flink.shaded.* is Flink's internal copy of Guava, Jackson, Netty, ASM and others; the library version is part of the package name (guava31 on 1.18–1.20, guava33 on 2.1+), so code using it breaks with NoClassDefFoundError when the cluster's Flink moves to another package. When the target itself lacks the package, foreign-shaded-library reports it as an error instead; this warning covers the packages the target still ships and names which package each line ships.",
    hint: "depend on the library yourself and relocate it with the shade plugin (or use the JDK)",
};

pub const RULES: &[&Rule] = &[&INTERNAL_API, &SHADED_LIBRARY];

/// Flink's connector rule lets connectors depend on anything in these packages.
const ALLOWED_PACKAGES: &[&str] = &[
    "org/apache/flink/connector/",
    "org/apache/flink/streaming/connectors/",
    "org/apache/flink/util/",
];

/// The stability that governs `class`, or `None` when `stability_of` does not know the class:
/// its own annotation, else that of the nearest annotated class enclosing it (`Outer$Inner`),
/// else none (internal by Flink's rules).
fn effective_stability(
    class: &str,
    stability_of: impl Fn(&str) -> Option<Stability>,
) -> Option<Stability> {
    let own = stability_of(class)?;
    if own != Stability::None {
        return Some(own);
    }
    let mut name = class;
    while let Some((outer, _)) = name.rsplit_once('$') {
        if outer.ends_with('/') || outer.is_empty() {
            break;
        }
        name = outer;
        if let Some(s) = stability_of(outer).filter(|s| *s != Stability::None) {
            return Some(s);
        }
    }
    Some(Stability::None)
}

fn stability_on_line(index: &LineIndex, class: &str) -> Option<Stability> {
    effective_stability(class, |c| index.class(c).map(|c| c.stability))
}

/// Every line but the target, grouped by how `state_of` describes it, where that differs from
/// `target_state`: "absent on 2.0–2.3; @PublicEvolving on 1.19–1.20", or "the same on every
/// line 1.17–2.3". Read from the embedded per-line index.
fn differences<T: PartialEq>(
    target_line: &str,
    target_state: &T,
    state_of: impl Fn(&'static LineIndex) -> T,
    label: impl Fn(&T) -> String,
) -> String {
    let mut indexed = Vec::new();
    let mut differing = Vec::new();
    for line in LINES {
        let Some(index) = index::line(line.line) else {
            continue;
        };
        indexed.push(line.line);
        let state = state_of(index);
        if line.line != target_line && state != *target_state {
            differing.push((label(&state), line.line));
        }
    }
    if indexed.is_empty() {
        return "no per-line index in this build to compare with".to_string();
    }
    if differing.is_empty() {
        return format!("the same on every line {}", describe_lines(&indexed));
    }
    describe_groups(&group_lines(differing))
}

/// (label, line) pairs grouped by label, in the order the labels first appear.
fn group_lines(
    labelled: impl IntoIterator<Item = (String, &'static str)>,
) -> Vec<(String, Vec<&'static str>)> {
    let mut groups: Vec<(String, Vec<&'static str>)> = Vec::new();
    for (text, line) in labelled {
        match groups.iter_mut().find(|(t, _)| *t == text) {
            Some((_, lines)) => lines.push(line),
            None => groups.push((text, vec![line])),
        }
    }
    groups
}

/// "guava30 on 1.17; guava31 on 1.18–1.20".
fn describe_groups(groups: &[(String, Vec<&'static str>)]) -> String {
    groups
        .iter()
        .map(|(text, lines)| format!("{text} on {}", describe_lines(lines)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn class_label(state: &Option<Stability>) -> String {
    match state {
        None => "absent".to_string(),
        Some(s) => s.label().to_string(),
    }
}

fn described(stability: Stability) -> &'static str {
    match stability {
        Stability::None => "internal (not annotated)",
        Stability::Internal => "@Internal",
        Stability::Experimental => "@Experimental",
        Stability::VisibleForTesting => "@VisibleForTesting",
        Stability::Public => "@Public",
        Stability::PublicEvolving => "@PublicEvolving",
    }
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let (Some(classes), Some(runtime)) = (&ctx.classes, ctx.runtime) else {
        return;
    };
    let shipped_shaded = runtime.shaded_libraries();
    // referenced class → (its stability on the target, the classes using it)
    let mut internal: BTreeMap<&str, (Stability, Vec<&str>)> = BTreeMap::new();
    // shaded library directory (guava31) → classes using it
    let mut shaded: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    // member of a public class → (its own annotation, the classes using it)
    let mut members: BTreeMap<&OwnedMemberRef, (Stability, Vec<&str>)> = BTreeMap::new();
    let mut known: BTreeMap<&str, Option<Stability>> = BTreeMap::new();
    // A bundled copy of a class the runtime ships is the bundled-* rules' finding (one cause,
    // one finding): what that copy refers to is the runtime's business, not the jar's.
    let bundled_flink = |c: &&ClassFacts| {
        c.name.starts_with("org/apache/flink/") && runtime.jar_of(&c.entry).is_some()
    };
    for class in classes
        .iter()
        .filter(|c| !c.deprecated && !bundled_flink(c))
    {
        for r in class
            .foreign_refs
            .iter()
            .filter(|r| r.starts_with("org/apache/flink/") && !is_relocated_dependency(r))
        {
            if let Some(key) = shaded_key(r) {
                // A versioned package the target lacks is foreign-shaded-library's error.
                let shipped = match shaded_library_of(r) {
                    Some((_, dir)) => shipped_shaded.iter().any(|s| s == dir),
                    None => runtime.has_class(r),
                };
                if shipped {
                    push_user(shaded.entry(key).or_default(), &class.name);
                }
                continue;
            }
            if ALLOWED_PACKAGES.iter().any(|p| r.starts_with(p)) {
                continue;
            }
            let stability = *known
                .entry(r)
                .or_insert_with(|| target_stability(runtime, r));
            // Absent on the target: removed-flink-api, missing-flink-class or
            // planner-internal-reference report it, or it is another artifact's class.
            let Some(stability) = stability.filter(|s| !s.is_public()) else {
                continue;
            };
            push_user(
                &mut internal.entry(r).or_insert((stability, Vec::new())).1,
                &class.name,
            );
        }
        for member in &class.foreign_member_refs {
            let owner = member.owner.as_str();
            if !owner.starts_with("org/apache/flink/")
                || is_relocated_dependency(owner)
                || shaded_key(owner).is_some()
                || ALLOWED_PACKAGES.iter().any(|p| owner.starts_with(p))
            {
                continue;
            }
            // Members count on public classes; an internal class is reported once, as a class.
            let public = known
                .entry(owner)
                .or_insert_with(|| target_stability(runtime, owner))
                .is_some_and(|s| s.is_public());
            let Some(stability) = public
                .then(|| runtime.member_stability(owner, &member.name, &member.descriptor))
                .flatten()
                .filter(|s| is_internal_member(*s))
            else {
                continue;
            };
            push_user(
                &mut members.entry(member).or_insert((stability, Vec::new())).1,
                &class.name,
            );
        }
    }
    let target_line = ctx.target.version.line.line;
    // One cause (the jar leans on Flink's non-public API), one finding: each class or member
    // used is an occurrence.
    let mut uses: Vec<(Severity, String, String)> = Vec::new();
    for (referenced, (stability, mut users)) in internal {
        if became_public(target_line, |index| {
            stability_on_line(index, referenced).map(Stability::is_public)
        }) {
            continue;
        }
        users.sort_unstable();
        users.dedup();
        let lines = differences(
            target_line,
            &Some(stability),
            |index| stability_on_line(index, referenced),
            class_label,
        );
        uses.push((
            INTERNAL_API.severity,
            format!("{}.class", users[0]),
            format!(
                "{} class {} used by {}: {lines}",
                described(stability),
                internal_to_binary(referenced),
                users_text(&users)
            ),
        ));
    }
    for (member, (stability, mut users)) in members {
        if became_public(target_line, |index| {
            let class_public =
                stability_on_line(index, &member.owner).is_some_and(|s| s.is_public());
            member_on_line(index, member).map(|(s, _)| class_public && !is_internal_member(s))
        }) {
            continue;
        }
        users.sort_unstable();
        users.dedup();
        let overloads = index::line(target_line)
            .and_then(|index| index.class(&member.owner))
            .map(|class| overloads_of(class, &member.name))
            .unwrap_or_default();
        let target_state = Some((stability, overloads));
        let lines = differences(
            target_line,
            &target_state,
            |index| member_on_line(index, member),
            |state| member_label(state, &target_state, &member.name),
        );
        uses.push((
            INTERNAL_API.severity,
            format!("{}.class", users[0]),
            format!(
                "{} {} of a public class, used by {}: {lines}",
                described(stability),
                member.java(),
                users_text(&users)
            ),
        ));
    }
    out.add_each(&INTERNAL_API, uses, |_, n| {
        format!("{n} Flink classes or members outside Flink's public API (@Public/@PublicEvolving) are used on Flink {target_line}; each may change or vanish in any release")
    });
    for (key, mut users) in shaded {
        users.sort_unstable();
        users.dedup();
        out.add(
            &SHADED_LIBRARY,
            format!("{}.class", users[0]),
            format!(
                "org.apache.flink.shaded.{} (Flink's internal relocated {}) used by {}: {}",
                key.replace('/', "."),
                library(key).replace('/', "."),
                users_text(&users),
                shaded_per_line(key)
            ),
        );
    }
}

/// What a class under org/apache/flink/shaded/ belongs to: its versioned library directory
/// (`guava31`), else the first two package levels of an unversioned relocation (`com/jayway`).
/// A package name needs a trailing `/`.
fn shaded_key(class: &str) -> Option<&str> {
    let rest = class.strip_prefix("org/apache/flink/shaded/")?;
    if let Some((_, dir)) = shaded_library_of(class) {
        return Some(dir);
    }
    let mut ends = rest.match_indices('/').map(|(i, _)| i);
    let first = ends.next()?;
    Some(&rest[..ends.next().unwrap_or(first)])
}

/// `guava31` → `guava`; an unversioned key is its own library.
fn library(key: &str) -> &str {
    key.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Whether every line after the target ships the API (`public_on` answers `Some`) and the
/// newest declares it public: it became Flink's public API (LookupOptions, unannotated on
/// 1.17–1.18, @PublicEvolving from 1.19), so upgrading is covered by Flink's promise. The
/// newest line itself has no later line to vouch for it.
fn became_public(
    target_line: &str,
    public_on: impl Fn(&'static LineIndex) -> Option<bool>,
) -> bool {
    let mut newest = None;
    for line in LINES.iter().skip_while(|l| l.line != target_line).skip(1) {
        let Some(public) = index::line(line.line).and_then(&public_on) else {
            return false;
        };
        newest = Some(public);
    }
    newest == Some(true)
}

/// A member's own annotation that takes it out of its public class's API (Flink's members
/// without one share their class's stability).
fn is_internal_member(stability: Stability) -> bool {
    matches!(
        stability,
        Stability::Internal | Stability::VisibleForTesting | Stability::Experimental
    )
}

/// A member on one line: absent (class or member), or its annotation and the signatures of all
/// the class's members of that name.
type MemberState = Option<(Stability, Vec<&'static str>)>;

fn member_on_line(index: &'static LineIndex, member: &OwnedMemberRef) -> MemberState {
    let class = index.class(&member.owner)?;
    let stability = class.member_stability(&member.name, &member.descriptor)?;
    Some((stability, overloads_of(class, &member.name)))
}

fn overloads_of<'i>(class: &'i IndexedClass, name: &str) -> Vec<&'i str> {
    let mut descriptors: Vec<&str> = class
        .members
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, d)| d.as_str())
        .collect();
    descriptors.sort_unstable();
    descriptors
}

fn member_label(state: &MemberState, target: &MemberState, name: &str) -> String {
    let (Some((stability, overloads)), Some((target_stability, target_overloads))) =
        (state, target)
    else {
        return "absent".to_string();
    };
    let mut parts = Vec::new();
    if stability != target_stability {
        parts.push(stability.label().to_string());
    }
    if overloads != target_overloads {
        parts.push(format!("other signatures of {name}"));
    }
    parts.join(" and ")
}

fn target_stability(runtime: &RuntimeLib, class: &str) -> Option<Stability> {
    if !runtime.has_class(class) {
        return None;
    }
    effective_stability(class, |c| {
        if runtime.has_class(c) {
            runtime.stability(c)
        } else {
            None
        }
    })
}

fn push_user<'a>(users: &mut Vec<&'a str>, user: &'a str) {
    if users.last() != Some(&user) {
        users.push(user);
    }
}

/// Which package of the library of `key` (guava31 → guava) each line ships: "guava30 on 1.17;
/// guava31 on 1.18–1.20; …", or "the same package on every line 1.17–2.3".
fn shaded_per_line(key: &str) -> String {
    let groups = group_lines(LINES.iter().filter_map(|line| {
        let index = index::line(line.line)?;
        let mut dirs: Vec<String> = index
            .shaded_packages
            .keys()
            .filter_map(|package| shaded_key(&format!("{package}/")).map(str::to_string))
            .filter(|k| library(k) == library(key))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        let text = if dirs.is_empty() {
            "none".to_string()
        } else {
            dirs.join(", ").replace('/', ".")
        };
        Some((text, line.line))
    }));
    match groups.as_slice() {
        [] => "no per-line index in this build to compare with".to_string(),
        [(_, lines)] => format!("the same package on every line {}", describe_lines(lines)),
        _ => describe_groups(&groups),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_classes_take_the_nearest_annotation() {
        let table = |c: &str| match c {
            "a/Outer" => Some(Stability::PublicEvolving),
            "a/Outer$Inner" | "a/Outer$Inner$Deep" | "a/Plain" => Some(Stability::None),
            "a/Outer$Hidden" => Some(Stability::Internal),
            _ => None,
        };
        for (class, expected) in [
            ("a/Outer$Inner$Deep", Some(Stability::PublicEvolving)),
            ("a/Outer$Hidden", Some(Stability::Internal)),
            ("a/Plain", Some(Stability::None)),
            ("a/Gone", None),
        ] {
            assert_eq!(effective_stability(class, table), expected, "{class}");
        }
    }

    #[test]
    fn shaded_classes_group_by_library() {
        for (class, key) in [
            (
                "org/apache/flink/shaded/guava31/com/google/common/base/X",
                "guava31",
            ),
            (
                "org/apache/flink/shaded/com/jayway/jsonpath/JsonPath",
                "com/jayway",
            ),
            ("org/apache/flink/shaded/com/jayway/", "com/jayway"),
            ("org/apache/flink/shaded/io/X", "io"),
        ] {
            assert_eq!(shaded_key(class), Some(key), "{class}");
        }
        assert_eq!(shaded_key("org/apache/flink/table/X"), None);
    }

    #[test]
    fn shaded_guava_differs_per_line() {
        // What the real distributions ship (flink-index.deflate); lines.rs names the lines.
        let text = shaded_per_line("guava31");
        assert!(
            text.contains("guava30 on 1.17")
                && text.contains("guava31 on 1.18–1.20")
                && text.contains("guava33 on 2.1–2.3"),
            "{text}"
        );
    }
}
