//! F11: compiled against another Flink line — references to classes removed in 2.0 (always
//! checked), to planner internals hidden by planner-loader, and, when the runtime's lib/ is
//! available, to any Flink class or member the target does not have.

use std::collections::BTreeMap;

use crate::check::context::{JarContext, OwnedMemberRef};
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::classfile::MemberKind;
use crate::flink::runtime::{is_removed_in_2_0, shaded_library_of};
use crate::inspect::classpath::Answer;
use crate::jar::services::internal_to_binary;

pub static REMOVED_API: Rule = Rule {
    id: "removed-flink-api",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Refers to a Flink class removed in 2.0 (SinkFunction, Sink$InitContext, TableSchema, …): NoClassDefFoundError",
    why: "Classes that the target line's distribution no longer ships (for example SinkFunction, Sink$InitContext and TableSchema in 2.0) fail with NoClassDefFoundError when the referring class is loaded. Which classes are gone is read per line from the real distributions.",
    hint: "build against the target's Flink version: Sink V2 with WriterInitContext, FLIP-27 sources, ResolvedSchema",
};
pub static MISSING_CLASS: Rule = Rule {
    id: "missing-flink-class",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Refers to a Flink class the target runtime does not have: NoClassDefFoundError",
    why: "A referenced org.apache.flink class that the target's distribution does not contain fails with NoClassDefFoundError. Classes the jar relocated under its own org/apache/flink/**/shaded/** package are its own optional dependencies, not Flink API, and are not reported.",
    hint: "build against the target's Flink version (flink.version in pom.xml)",
};
pub static MISSING_MEMBER: Rule = Rule {
    id: "missing-flink-member",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Calls a Flink method or reads a field the target runtime does not have: NoSuchMethodError/NoSuchFieldError",
    why: "The JVM resolves field and method references by name and descriptor when first used; a signature changed between lines fails with NoSuchMethodError/NoSuchFieldError.",
    hint: "build against the target's Flink version (flink.version in pom.xml)",
};
pub static PLANNER_INTERNAL: Rule = Rule {
    id: "planner-internal-reference",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Refers to org.apache.flink.table.planner classes, which flink-table-planner-loader hides from user code",
    why: "Since 1.15 flink-table-planner-loader loads the planner in its own class loader; org.apache.flink.table.planner classes are not visible to user code (NoClassDefFoundError).",
    hint: "use only the public table API (org.apache.flink.table.api/connector/factories/data)",
};

pub const RULES: &[&Rule] = &[
    &REMOVED_API,
    &MISSING_CLASS,
    &MISSING_MEMBER,
    &PLANNER_INTERNAL,
];

/// `org/apache/flink/<anything>/shaded/…` outside Flink's own `org/apache/flink/shaded/`: a
/// connector's relocated (often optional) dependency, not Flink API.
pub fn is_relocated_dependency(class: &str) -> bool {
    class
        .strip_prefix("org/apache/flink/")
        .is_some_and(|rest| !rest.starts_with("shaded/") && rest.contains("/shaded/"))
}

fn is_planner_internal(class: &str) -> bool {
    class.starts_with("org/apache/flink/table/planner/")
        && !class.starts_with("org/apache/flink/table/planner/loader/")
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let Some(classes) = &ctx.classes else { return };
    // referenced class → classes referring to it, per rule
    let mut removed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut planner: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for class in classes {
        for r in class
            .foreign_refs
            .iter()
            .filter(|r| r.starts_with("org/apache/flink/") && !is_relocated_dependency(r))
        {
            let bucket = if ctx.target.is_2x() && is_removed_in_2_0(r) {
                &mut removed
            } else if is_planner_internal(r) {
                &mut planner
            } else if ctx.runtime.is_some_and(|rt| !rt.has_class(r))
                && shaded_library_of(r).is_none()
            {
                &mut missing
            } else {
                continue;
            };
            bucket.entry(r).or_default().push(&class.name);
        }
    }
    let target = ctx.target.to_string();
    report(
        out,
        &REMOVED_API,
        removed,
        &format!("which was removed in Flink 2.0; the target is {target}"),
    );
    report(
        out,
        &PLANNER_INTERNAL,
        planner,
        &format!("which flink-table-planner-loader hides on {target}"),
    );
    report(
        out,
        &MISSING_CLASS,
        missing,
        &format!("which {target} does not have"),
    );
    if ctx.runtime.is_some() {
        check_members(ctx, classes, out);
    }
}

fn users_text(users: &[&str]) -> String {
    examples(
        &users
            .iter()
            .map(|u| internal_to_binary(u))
            .collect::<Vec<_>>(),
        2,
    )
}

fn report(out: &mut Findings, rule: &Rule, groups: BTreeMap<&str, Vec<&str>>, why: &str) {
    for (referenced, users) in groups {
        let message = format!(
            "{} refers to {} {why}",
            users_text(&users),
            internal_to_binary(referenced)
        );
        out.add(rule, format!("{}.class", users[0]), message);
    }
}

fn check_members(
    ctx: &JarContext,
    classes: &[crate::check::context::ClassFacts],
    out: &mut Findings,
) {
    let runtime = ctx.runtime.expect("checked by caller");
    let mut missing: BTreeMap<&OwnedMemberRef, Vec<&str>> = BTreeMap::new();
    let mut answers: BTreeMap<&OwnedMemberRef, Answer> = BTreeMap::new();
    let mut classpath = ctx.classpath.borrow_mut();
    for class in classes {
        for member in &class.foreign_member_refs {
            if !runtime.has_class(&member.owner)
                || shaded_library_of(&member.owner).is_some()
                || is_relocated_dependency(&member.owner)
            {
                continue;
            }
            let answer = *answers.entry(member).or_insert_with(|| {
                classpath.has_member(&member.owner, &member.name, &member.descriptor)
            });
            if answer == Answer::No {
                missing.entry(member).or_default().push(&class.name);
            }
        }
    }
    for (member, users) in missing {
        let what = if member.kind == MemberKind::Field {
            "field"
        } else {
            "method"
        };
        out.add(
            &MISSING_MEMBER,
            format!("{}.class", users[0]),
            format!(
                "{} uses {what} {}.{}{} which {} does not have",
                users_text(&users),
                internal_to_binary(&member.owner),
                member.name,
                member.descriptor,
                ctx.target
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn relocated_dependencies_are_not_flink_api() {
        for yes in [
            "org/apache/flink/kafka/shaded/org/apache/kafka/common/X",
            "org/apache/flink/connector/jdbc/shaded/com/zaxxer/Y",
        ] {
            assert!(super::is_relocated_dependency(yes), "{yes}");
        }
        for no in [
            "org/apache/flink/shaded/guava31/com/google/common/base/Z",
            "org/apache/flink/table/factories/Factory",
        ] {
            assert!(!super::is_relocated_dependency(no), "{no}");
        }
    }
}
