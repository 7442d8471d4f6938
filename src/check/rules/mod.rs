//! One module per failure family; each declares its rules (id, severity, summary, hint) and
//! checks one jar. `ALL` is the catalog the CLI, SARIF and JUnit reporters read.

pub mod api_compat;
pub mod archive;
pub mod bundled;
pub mod class_loader;
pub mod class_version;
pub mod identifiers;
pub mod legal;
pub mod logging;
pub mod multi_release;
pub mod pom;
pub mod project;
pub mod relocation;
pub mod scala;
pub mod services;
pub mod shaded;
pub mod signatures;

use super::context::JarContext;
use super::finding::{Findings, Rule};

type JarCheck = fn(&JarContext, &mut Findings);

/// Every jar-level family, in report order.
const JAR_CHECKS: &[JarCheck] = &[
    archive::check,
    services::check,
    identifiers::check,
    bundled::check,
    shaded::check,
    relocation::check,
    signatures::check,
    class_version::check,
    api_compat::check,
    scala::check,
    logging::check,
    multi_release::check,
    legal::check,
    class_loader::check,
];

pub fn check_jar(ctx: &JarContext, out: &mut Findings) {
    for check in JAR_CHECKS {
        check(ctx, out);
    }
}

/// The whole catalog, in family order.
pub fn all() -> Vec<&'static Rule> {
    [
        archive::RULES,
        services::RULES,
        identifiers::RULES,
        bundled::RULES,
        shaded::RULES,
        relocation::RULES,
        signatures::RULES,
        class_version::RULES,
        api_compat::RULES,
        scala::RULES,
        logging::RULES,
        multi_release::RULES,
        legal::RULES,
        class_loader::RULES,
        pom::RULES,
    ]
    .concat()
}

pub fn find(id: &str) -> Option<&'static Rule> {
    all().into_iter().find(|r| r.id == id)
}

/// Rules that read class files and do not run in layout mode.
pub const NEEDS_CLASS_FILES: &[&str] = &[
    "services-missing-factory",
    "no-factory",
    "foreign-shaded-library",
    "class-version-too-new",
    "class-version-above-line-minimum",
    "removed-flink-api",
    "missing-flink-class",
    "missing-flink-member",
    "planner-internal-reference",
    "scala-2-11-trait",
    "context-class-loader",
];
