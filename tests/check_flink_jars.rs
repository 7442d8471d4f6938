//! Apache's own connector and format jars from Flink's lib/ are correct connectors: checked
//! against their own line they must produce no error-level finding. And the built-in tables the
//! audit falls back on must match the real jars of every provisioned line.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use cargo_flink_connector::check::context::Depth;
use cargo_flink_connector::check::finding::{Levels, Severity};
use cargo_flink_connector::check::target::Target;
use cargo_flink_connector::check::{run, CheckOptions};
use cargo_flink_connector::flink::runtime::{
    builtin_factories, shaded_libraries, RuntimeLib, GROUPING_INTERFACES,
};
use cargo_flink_connector::flink::{FlinkVersion, LINES};
use cargo_flink_connector::inspect::factories::inspect_jar;
use cargo_flink_connector::jar::JarIndex;

fn options(target: &str) -> CheckOptions {
    CheckOptions {
        target: Some(Target::parse(target).unwrap()),
        flink_lib: None,
        matrix: Vec::new(),
        provisioned: true,
        depth: Depth::Deep,
        levels: Levels::default(),
        deny_warnings: false,
        threads: 2,
    }
}

fn apache_jars_pass(version: &str) {
    let Some(lib) = support::flink_lib(version) else {
        return;
    };
    let jars: Vec<PathBuf> = ["flink-connector-files", "flink-json", "flink-csv"]
        .iter()
        .map(|p| support::lib_jar(&lib, p))
        .collect();
    let line = version.rsplit_once('.').unwrap().0;
    let report = run(&jars, &options(&format!("flink-{line}"))).unwrap();
    let errors: Vec<_> = report
        .files
        .iter()
        .flat_map(|f| f.findings.iter().map(move |x| (&f.path, x)))
        .filter(|(_, f)| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report.files.len(), 3);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn apache_connector_and_format_jars_of_1_20_have_no_errors() {
    apache_jars_pass("1.20.5");
}

#[test]
fn apache_connector_and_format_jars_of_2_2_have_no_errors() {
    apache_jars_pass("2.2.1");
}

#[test]
fn a_1_20_connector_jar_checked_against_2_2_is_flagged() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    if support::flink_lib("2.2.1").is_none() {
        return;
    }
    let jar = support::lib_jar(&lib, "flink-connector-files");
    let report = run(&[jar], &options("flink-2.2")).unwrap();
    let rules: BTreeSet<&str> = report.files[0]
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect();
    assert!(
        rules.contains("removed-flink-api")
            || rules.contains("missing-flink-member")
            || rules.contains("missing-flink-class"),
        "{rules:?}"
    );
    assert_eq!(report.exit_code(), 1);
}

/// Every provisioned line: the built-in factory table lists exactly the runtime's connector and
/// format factories (by identifier, discovery interface and class), and the shaded-library
/// table matches org/apache/flink/shaded/ of its jars.
#[test]
fn builtin_tables_match_every_provisioned_line() {
    let root = support::cache_dir().join("flink");
    let mut checked = 0;
    for line in LINES {
        for patch in line.patches.iter().rev() {
            let version = FlinkVersion::parse(&format!("{}.{patch}", line.line)).unwrap();
            let lib = root.join(version.to_string()).join("lib");
            if !lib.is_dir() {
                continue;
            }
            let runtime = RuntimeLib::open(&lib).unwrap();
            let mut actual = BTreeSet::new();
            for (name, _, _) in &runtime.jars {
                for f in inspect_jar(&JarIndex::open(&lib.join(name)).unwrap(), Some(&runtime)) {
                    for interface in &f.interfaces {
                        actual.insert((
                            f.identifier.clone().unwrap_or_default(),
                            interface.replace('.', "/"),
                            f.class.replace('.', "/"),
                        ));
                    }
                }
            }
            for b in builtin_factories(line) {
                assert!(
                    actual.contains(&(b.identifier.clone(), b.interface.clone(), b.class.clone())),
                    "{version}: {b:?} not in the jars"
                );
            }
            let builtin: BTreeSet<_> = builtin_factories(line)
                .into_iter()
                .map(|b| (b.identifier, b.interface, b.class))
                .collect();
            let connectors_and_formats: Vec<_> = actual
                .iter()
                .filter(|(_, interface, _)| {
                    interface.contains("TableSourceFactory")
                        || interface.contains("TableSinkFactory")
                        || interface.contains("SerializationFormatFactory")
                        || interface.contains("/Bulk")
                })
                .filter(|(id, _, _)| id != "legacy-csv")
                .filter(|t| !builtin.contains(*t))
                .collect();
            assert!(
                connectors_and_formats.is_empty(),
                "{version}: missing from the built-in table: {connectors_and_formats:?}"
            );
            let mut table = shaded_libraries(line);
            table.sort();
            assert_eq!(
                runtime
                    .shaded_libraries()
                    .into_iter()
                    .filter(|l| l != "io" && l != "com")
                    .collect::<Vec<_>>(),
                table,
                "{version}"
            );
            assert!(GROUPING_INTERFACES.iter().all(|g| runtime.has_class(g)
                || g.contains("FormatFactory")
                || g.ends_with("DynamicTableFactory")));
            checked += 1;
            break;
        }
    }
    support::require("at least one provisioned Flink line", checked > 0);
}
