//! F18 (heuristic): connector code that uses the thread context class loader. In Flink the
//! context loader is often not the user-code loader; factories should use
//! `DynamicTableFactory.Context#getClassLoader()`.

use crate::check::context::JarContext;
use crate::check::finding::{examples, Findings, Rule, Severity};
use crate::jar::services::{binary_to_internal, internal_to_binary};

pub static CONTEXT_CLASS_LOADER: Rule = Rule {
    id: "context-class-loader",
    family: "F18",
    severity: Severity::Warning,
    needs_class_files: true,
    summary: "Connector code calls Thread.getContextClassLoader() (heuristic: may load from the wrong class loader)",
    why: "Under Flink the thread context class loader is not always the user-code class loader (e.g. in factories and during planning), so loading by it can miss the connector's classes.",
    hint: "use the class loader of the factory Context (context.getClassLoader()) or of the connector's own classes",
};

pub const RULES: &[&Rule] = &[&CONTEXT_CLASS_LOADER];

/// The connector's own packages: those of its listed factories, one level up when the factory
/// sits in a `table`/`factory` subpackage.
fn own_packages(ctx: &JarContext) -> Vec<String> {
    let mut packages: Vec<String> = ctx
        .listed_classes()
        .into_iter()
        .filter_map(|c| {
            binary_to_internal(c)
                .rsplit_once('/')
                .map(|(p, _)| p.to_string())
        })
        .map(|p| match p.rsplit_once('/') {
            Some((parent, "table" | "factory" | "factories")) => parent.to_string(),
            _ => p,
        })
        .collect();
    packages.sort();
    packages.dedup();
    packages
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let Some(classes) = &ctx.classes else { return };
    let packages = own_packages(ctx);
    let users: Vec<String> = classes
        .iter()
        .filter(|c| c.uses_context_class_loader && !c.name.contains("/shaded/"))
        .filter(|c| {
            packages
                .iter()
                .any(|p| c.name.starts_with(&format!("{p}/")))
        })
        .map(|c| internal_to_binary(&c.name))
        .collect();
    if !users.is_empty() {
        out.add(
            &CONTEXT_CLASS_LOADER,
            format!("{}.class", binary_to_internal(&users[0])),
            format!(
                "{} classes call Thread.getContextClassLoader(): {}",
                users.len(),
                examples(&users, 3)
            ),
        );
    }
}
