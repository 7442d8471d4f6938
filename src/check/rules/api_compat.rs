//! F11: compiled against another Flink line — references to classes removed in 2.0 (always
//! checked), to planner internals hidden by planner-loader, and, when the runtime's lib/ is
//! available, to any Flink class or member the target does not have.

use std::collections::BTreeMap;

use crate::check::context::{JarContext, OwnedMemberRef};
use crate::check::finding::{examples, Findings, Occurrence, Rule, Severity};
use crate::classfile::MemberKind;
use crate::flink::index::{describe_lines, lines_with};
use crate::flink::runtime::shaded_library_of;
use crate::inspect::classpath::Answer;
use crate::jar::services::internal_to_binary;

pub static REMOVED_API: Rule = Rule {
    id: "removed-flink-api",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Refers to a Flink class that other lines ship but the target line does not: an error when the target removed it (e.g. SinkFunction, Sink$InitContext on 2.x), a warning when only later lines added it: NoClassDefFoundError where it runs",
    why: "Classes that the target line's distribution no longer ships (for example SinkFunction, Sink$InitContext and TableSchema in 2.0) fail with NoClassDefFoundError when the referring code runs: an error. A class only later lines added means the jar was compiled against a newer Flink; connectors built for several lines (Paimon's per-line jars) call such APIs only where the runtime has them, so it is a warning. Which lines ship a class is read per line from the real distributions.",
    hint: "build against the target's Flink version: Sink V2 with WriterInitContext, FLIP-27 sources, ResolvedSchema",
};
pub static MISSING_CLASS: Rule = Rule {
    id: "missing-flink-class",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Refers to a class of a package the target's Flink distribution owns, which no supported line ships: NoClassDefFoundError",
    why: "A referenced class in a package the target's distribution owns (it ships classes of exactly that package), but which no line's distribution contains, fails with NoClassDefFoundError. Packages the distribution does not own belong to other artifacts (externalized connectors, Flink CDC, formats, modules outside lib/) and are not judged; classes a jar relocated under org/apache/flink/**/shaded/** are its own dependencies.",
    hint: "build against the target's Flink version (flink.version in pom.xml)",
};
pub static MISSING_MEMBER: Rule = Rule {
    id: "missing-flink-member",
    family: "F11",
    severity: Severity::Error,
    needs_class_files: true,
    summary: "Calls a Flink method or reads a field the target runtime does not have: NoSuchMethodError/NoSuchFieldError",
    why: "The JVM resolves field and method references by name and descriptor when first used; a signature changed, removed or only added in a later line fails with NoSuchMethodError/NoSuchFieldError (a 1.20 connector reading FactoryUtil.SOURCE_PARALLELISM fails on 1.17 this way). Resolution happens when the calling code runs, so a later line's method used only inside the class's own forwarder of that very method (an override the target's Flink never calls) is a warning.",
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

/// A Scala package object (`org/apache/flink/table/api/package$`) belongs to the Scala module
/// that declares it (flink-table-api-scala), not to the owner of the Java package it lands in.
fn is_scala_package_object(class: &str) -> bool {
    matches!(class.rsplit('/').next(), Some("package" | "package$"))
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
    let target_line = ctx.target.version.line.line;
    for class in classes {
        for r in class
            .foreign_refs
            .iter()
            .filter(|r| r.starts_with("org/apache/flink/") && !is_relocated_dependency(r))
        {
            if shaded_library_of(r).is_some() {
                continue;
            }
            let in_target = match ctx.runtime {
                Some(runtime) => runtime.has_class(r),
                None => lines_with(r).contains(&target_line),
            };
            let bucket = if in_target {
                continue;
            } else if is_planner_internal(r) {
                &mut planner
            } else if !lines_with(r).is_empty() {
                // Another line's distribution ships it: Flink's class, absent on the target.
                &mut removed
            } else if ctx.runtime.is_some_and(|rt| rt.owns_package(r))
                && !is_scala_package_object(r)
            {
                // A class of a package the target's distribution owns, which it lacks.
                &mut missing
            } else {
                // A package of another artifact (an externalized connector, Flink CDC, a
                // format or module outside lib/): not the runtime's to judge.
                continue;
            };
            bucket.entry(r).or_default().push(&class.name);
        }
    }
    let target = ctx.target.to_string();
    let mut found = Vec::new();
    for (referenced, users) in removed {
        let lines = lines_with(referenced);
        let message = format!(
            "{} refers to {}, {}",
            users_text(&users),
            internal_to_binary(referenced),
            shipped_elsewhere(&lines, target_line, &target),
        );
        let severity = severity_by_direction(&lines, target_line);
        found.push((severity, format!("{}.class", users[0]), message));
    }
    // One cause per direction: classes only later lines add, or classes the target lost.
    out.add_each(&REMOVED_API, found, |severity, n| match severity {
        Severity::Warning => format!("{n} Flink classes the jar refers to were added after {target} (built against a later Flink?)"),
        _ => format!("{n} Flink classes the jar refers to are not in {target}, though other lines ship them"),
    });
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

/// Why a class other lines ship is missing on the target, in the direction it went: added in a
/// later line, removed after an earlier one, or both.
fn shipped_elsewhere(lines: &[&str], target_line: &str, target: &str) -> String {
    let (later, earlier): (Vec<&str>, Vec<&str>) = lines
        .iter()
        .partition(|l| line_order(l) > line_order(target_line));
    match (earlier.is_empty(), later.is_empty()) {
        (true, _) => format!(
            "which Flink {} added ({} does not have it yet)",
            describe_lines(&later),
            target
        ),
        (false, true) => format!(
            "which Flink {} shipped and {target} no longer does (removed)",
            describe_lines(&earlier)
        ),
        (false, false) => format!(
            "which Flink {} ship(s) and {target} does not",
            describe_lines(lines)
        ),
    }
}

/// An API the target's line and every earlier one lack, that only later lines have, was
/// compiled in from a newer Flink: the code using it fails only when it runs, and connectors built
/// for several lines (Paimon's per-line jars) call it only where the runtime has it. A warning;
/// an API that earlier lines had and the target lost (removed) is an error.
fn severity_by_direction(lines: &[&str], target_line: &str) -> Severity {
    if !lines.is_empty()
        && lines
            .iter()
            .all(|l| line_order(l) > line_order(target_line))
    {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// The lines whose distribution declares `name descriptor` on `owner` itself.
fn lines_with_member(owner: &str, name: &str, descriptor: &str) -> Vec<&'static str> {
    crate::flink::LINES
        .iter()
        .filter(|l| {
            crate::flink::index::line(l.line)
                .and_then(|index| index.class(owner))
                .is_some_and(|c| c.members.iter().any(|(n, d)| n == name && d == descriptor))
        })
        .map(|l| l.line)
        .collect()
}

/// A line's position in LINES (unknown lines sort first).
fn line_order(line: &str) -> usize {
    crate::flink::LINES
        .iter()
        .position(|l| l.line == line)
        .unwrap_or(0)
}

pub(super) fn users_text(users: &[&str]) -> String {
    examples(
        &users
            .iter()
            .map(|u| internal_to_binary(u))
            .collect::<Vec<_>>(),
        2,
    )
}

/// One finding per cause (`why`), listing each referenced class and its users.
fn report(out: &mut Findings, rule: &Rule, groups: BTreeMap<&str, Vec<&str>>, why: &str) {
    let single = groups.iter().next().map(|(referenced, users)| {
        format!(
            "{} refers to {} {why}",
            users_text(users),
            internal_to_binary(referenced)
        )
    });
    let referenced: Vec<String> = groups.keys().map(|r| internal_to_binary(r)).collect();
    let occurrences = groups
        .iter()
        .map(|(referenced, users)| Occurrence {
            location: format!("{}.class", users[0]),
            detail: format!(
                "{} used by {}",
                internal_to_binary(referenced),
                users_text(users)
            ),
        })
        .collect();
    out.add_grouped(
        rule,
        rule.severity,
        |n| {
            format!(
                "{n} classes the jar refers to are Flink classes {why}: {}",
                examples(&referenced, 3)
            )
        },
        || single.unwrap_or_default(),
        occurrences,
    );
}

fn check_members(
    ctx: &JarContext,
    classes: &[crate::check::context::ClassFacts],
    out: &mut Findings,
) {
    let runtime = ctx.runtime.expect("checked by caller");
    // member → (class using it, whether only from a forwarder of the same method)
    let mut missing: BTreeMap<&OwnedMemberRef, Vec<(&str, bool)>> = BTreeMap::new();
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
                let forwarded = class.forwarded_member_refs.contains(member);
                missing
                    .entry(member)
                    .or_default()
                    .push((&class.name, forwarded));
            }
        }
    }
    let target_line = ctx.target.version.line.line;
    let mut found = Vec::new();
    for (member, uses) in missing {
        let users: Vec<&str> = uses.iter().map(|(class, _)| *class).collect();
        // An error even when the member was only added later: a 1.20 connector's
        // optionalOptions() reading FactoryUtil.SOURCE_PARALLELISM (1.19+) fails on 1.17 with
        // NoSuchFieldError (tests/matrix_proof.rs). The one exception: every use sits in the
        // class's own forwarder of that very method (Paimon's FlinkGenericCatalog.listProcedures
        // calling Catalog.listProcedures): a line without the method never calls the forwarder,
        // and the JVM resolves a reference only when it runs.
        let lines = lines_with_member(&member.owner, &member.name, &member.descriptor);
        let later = severity_by_direction(&lines, target_line) == Severity::Warning;
        let added = if later {
            format!(" (Flink {} added it)", describe_lines(&lines))
        } else {
            String::new()
        };
        let all_forwarded = uses.iter().all(|(_, forwarded)| *forwarded);
        let only_forwarded = later && all_forwarded;
        // A forwarder the line never calls is harmless only when it does nothing else: one
        // that also initialises fields (Paimon's `open(OpenContext)` on 1.17, where Flink
        // calls `open(Configuration)`) leaves them null, and the class fails with a
        // NullPointerException when it runs, not with NoSuchMethodError.
        let initialised = if all_forwarded && member.kind != MemberKind::Field {
            forwarder_field_writes(ctx, &users, member)
        } else {
            Vec::new()
        };
        // …and a forwarder whose own signature names a class the target lacks (OpenContext on
        // 1.17) fails before that: listing the class's methods (Flink's closure cleaner, Java
        // serialization) throws NoClassDefFoundError (tests/check_flink_jars.rs runs it).
        // Only for user functions, which Flink's closure cleaner and serialization reflect on
        // (Paimon 0.9's FlinkGenericCatalog.getProcedure on 1.17 names Procedure and works).
        let function = |name: &str| {
            name.starts_with("org/apache/flink/api/common/functions/")
                || name.starts_with("org/apache/flink/streaming/api/functions/")
        };
        let reflected = classes.iter().any(|c| {
            users.contains(&c.name.as_str())
                && (c.super_name.as_deref().is_some_and(function)
                    || c.interfaces.iter().any(|i| function(i)))
        });
        let absent_type = (all_forwarded && reflected && member.kind != MemberKind::Field)
            .then(|| descriptor_classes(&member.descriptor))
            .into_iter()
            .flatten()
            .find(|c| c.starts_with("org/apache/flink/") && !runtime.has_class(c));
        let (severity, reach) = if let Some(absent) = absent_type {
            (
                Severity::Error,
                format!(
                    "; only from its own {name} of the same signature, which {target} never \
                     calls, but that signature names {}, which {target} does not ship: listing \
                     the class's methods (Flink's closure cleaner, Java serialization) fails \
                     with NoClassDefFoundError",
                    internal_to_binary(absent),
                    name = member.name,
                    target = ctx.target
                ),
            )
        } else if !initialised.is_empty() {
            (
                Severity::Error,
                format!(
                    "; only from its own {name} of the same signature, which {target} never \
                     calls, but that {name} also initialises {}: on {target} they stay null and \
                     the class fails with a NullPointerException when it runs",
                    examples(&initialised, 3),
                    name = member.name,
                    target = ctx.target
                ),
            )
        } else if only_forwarded {
            (
                Severity::Warning,
                format!(
                    "; only from its own {} of the same signature, which {} never calls",
                    member.name, ctx.target
                ),
            )
        } else {
            (MISSING_MEMBER.severity, String::new())
        };
        found.push((
            severity,
            format!("{}.class", users[0]),
            format!(
                "{} uses {} which {} does not have{added}{reach}",
                users_text(&users),
                member.java(),
                ctx.target
            ),
        ));
    }
    out.add_each(&MISSING_MEMBER, found, |severity, n| {
        let reach = if severity == Severity::Warning {
            " (each used only where that line never calls it)"
        } else {
            ""
        };
        format!(
            "{n} Flink fields and methods the jar uses are not in {}{reach}",
            ctx.target
        )
    });
}

/// The classes a method descriptor names (`(Lx/Y;[Lz/W;)V` → x/Y, z/W).
fn descriptor_classes(descriptor: &str) -> Vec<&str> {
    descriptor
        .split('L')
        .skip(1)
        .filter_map(|rest| rest.split_once(';').map(|(class, _)| class))
        .collect()
}

/// Fields (`Class.field`) that the users' own forwarders of `member` (a method of the same name
/// and descriptor) assign.
fn forwarder_field_writes(
    ctx: &JarContext,
    users: &[&str],
    member: &OwnedMemberRef,
) -> Vec<String> {
    use crate::classfile::bytecode::{instructions, op};
    use crate::classfile::ClassFile;
    let mut fields = Vec::new();
    for user in users {
        let Some(bytes) = super::class_bytes(ctx, user) else {
            continue;
        };
        let Ok(class) = ClassFile::parse(&bytes) else {
            continue;
        };
        let Some(method) = class.method(&member.name, &member.descriptor) else {
            continue;
        };
        let Ok(Some(code)) = class.code(method) else {
            continue;
        };
        for ins in instructions(code.bytecode).map_while(Result::ok) {
            if ins.opcode != op::PUTFIELD {
                continue;
            }
            if let Ok(field) = class.pool.member_ref(ins.pool_index()) {
                let name = format!("{}.{}", internal_to_binary(&field.owner), field.name);
                if !fields.contains(&name) {
                    fields.push(name);
                }
            }
        }
    }
    fields
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
