//! F4/F5: factory identifiers — unique per discovery interface within the jar, not taken by the
//! runtime's built-in factories, not a platform's preinstalled connector. Only classes
//! ServiceLoader can instantiate register an identifier; the others are the services rules' case.

use crate::check::context::JarContext;
use crate::check::finding::{Findings, Rule, Severity};
use crate::classfile::{ClassFile, ACC_ABSTRACT, ACC_INTERFACE, ACC_PUBLIC};
use crate::flink::runtime::{builtin_factories, PLATFORM_CONNECTORS};
use crate::inspect::factories::FactoryInfo;
use crate::jar::services::{binary_to_internal, internal_to_binary};

pub static DUPLICATE_IDENTIFIER: Rule = Rule {
    id: "duplicate-factory-identifier",
    family: "F4",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "Two factories share an identifier and a discovery interface: \"Multiple factories for identifier\"",
    why: "FactoryUtil.discoverFactory filters the factories by interface and identifier; two matches fail with \"Multiple factories for identifier\".",
    hint: "give each factory its own identifier (a catalog and a table factory may share one)",
};
pub static IDENTIFIER_COMPUTED: Rule = Rule {
    id: "factory-identifier-computed",
    family: "F4",
    severity: Severity::Note,
    needs_class_files: false,
    summary:
        "factoryIdentifier() computes its result, so it cannot be checked or shown before run time",
    why: "The identifier is read from bytecode; when factoryIdentifier() computes it (string building, fields set at run time), the audit and consoles cannot show or check it before run time.",
    hint:
        "return a string constant from factoryIdentifier() so consoles and this audit can read it",
};
pub static CLASHES_BUILTIN: Rule = Rule {
    id: "identifier-clashes-builtin",
    family: "F5",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "The identifier is already taken by a factory of the Flink runtime for the same interface",
    why: "The runtime's own factories (datagen, print, blackhole, filesystem, json, …) are always on the class path; a connector reusing an identifier for the same interface makes every lookup of it ambiguous.",
    hint: "choose another identifier; Flink fails with \"Multiple factories for identifier\" when both are on the class path",
};
pub static CLASHES_PLATFORM: Rule = Rule {
    id: "identifier-clashes-platform",
    family: "F5",
    severity: Severity::Warning,
    needs_class_files: false,
    summary: "The identifier is the name of a connector that managed platforms preinstall (one registration per type)",
    why: "Managed platforms preinstall connectors under these names and allow one registration per type, so an upload reusing the name is rejected or shadowed.",
    hint: "choose a distinct identifier, e.g. prefixed with your organisation",
};

pub const RULES: &[&Rule] = &[
    &DUPLICATE_IDENTIFIER,
    &IDENTIFIER_COMPUTED,
    &CLASHES_BUILTIN,
    &CLASHES_PLATFORM,
];

/// Interfaces two factories share (discovery looks them up per interface).
fn shared_interface<'a>(a: &'a FactoryInfo, b_interfaces: &[String]) -> Option<&'a str> {
    a.interfaces
        .iter()
        .find(|i| b_interfaces.contains(i))
        .map(String::as_str)
}

fn short(interface: &str) -> &str {
    interface.rsplit(['.', '/']).next().unwrap_or(interface)
}

/// Whether ServiceLoader could ever instantiate `class` (binary name): public, concrete, with a
/// public no-argument constructor. Classes that cannot register no identifier; the services rules
/// report them (services-provider-not-instantiable). Unreadable classes count as registering.
fn can_register(ctx: &JarContext, class: &str) -> bool {
    let Some((bytes, _)) = ctx
        .classpath
        .borrow_mut()
        .class_bytes(&binary_to_internal(class))
    else {
        return true;
    };
    let Ok(parsed) = ClassFile::parse(&bytes) else {
        return true;
    };
    parsed.access & (ACC_ABSTRACT | ACC_INTERFACE) == 0
        && parsed.access & ACC_PUBLIC != 0
        && parsed.has_public_no_arg_constructor()
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let location = |f: &FactoryInfo| format!("{}.class", binary_to_internal(&f.class));
    let registering: Vec<&FactoryInfo> = ctx
        .factories
        .iter()
        .filter(|f| can_register(ctx, &f.class))
        .collect();
    for (i, &a) in registering.iter().enumerate() {
        let Some(id) = &a.identifier else {
            out.add(
                &IDENTIFIER_COMPUTED,
                location(a),
                format!("the identifier of {} is computed at run time", a.class),
            );
            continue;
        };
        for b in registering[..i]
            .iter()
            .filter(|b| b.identifier.as_ref() == Some(id))
        {
            if let Some(interface) = shared_interface(a, &b.interfaces) {
                out.add(
                    &DUPLICATE_IDENTIFIER,
                    location(a),
                    format!(
                        "{} and {} both register '{id}' as {}",
                        b.class,
                        a.class,
                        short(interface)
                    ),
                );
            }
        }
        let builtin = builtin_factories(ctx.target.version.line);
        let clash = builtin.iter().find(|b| {
            &b.identifier == id
                && internal_to_binary(&b.class) != a.class
                && a.interfaces.contains(&internal_to_binary(&b.interface))
        });
        if let Some(b) = clash {
            out.add(
                &CLASHES_BUILTIN,
                location(a),
                format!(
                    "'{id}' of {} is also the identifier of {}'s built-in {} ({})",
                    a.class,
                    ctx.target,
                    short(&b.interface),
                    internal_to_binary(&b.class)
                ),
            );
        } else if (a.is_table_source() || a.is_table_sink())
            && PLATFORM_CONNECTORS.contains(&id.as_str())
        {
            let severity = if ctx.target.engine.is_some() {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.add_at(
                &CLASHES_PLATFORM,
                severity,
                location(a),
                format!(
                    "'{id}' of {} is a connector managed platforms preinstall",
                    a.class
                ),
            );
        }
    }
}
