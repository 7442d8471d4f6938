//! Proof against real Flink: for every factory in the lib/ jars of every supported line (1.17–2.3),
//! `inspect` reads the identifier and option keys ServiceLoader sees, or says "unknown" with a
//! reason — never something different. The exact share is pinned so the evaluator cannot
//! quietly fall back to "unknown" for everything.

mod support;

use cargo_flink_connector::flink::runtime::RuntimeLib;
use support::factories::{compare, inspect_view, service_loader_view};

fn agree_on(version: &str) {
    let Some(lib) = support::flink_lib(version) else {
        return;
    };
    if !support::require_jdk() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let expected = service_loader_view(&lib, &[], work.path());
    let runtime = RuntimeLib::open(&lib).unwrap();
    let jars: Vec<_> = runtime.jars.iter().map(|(n, _, _)| lib.join(n)).collect();
    let actual = inspect_view(&jars, Some(&runtime));
    let tally = compare(&expected, &actual);
    eprintln!("Flink {version}: {tally}");
    for note in &tally.unknown_notes {
        eprintln!("  unknown: {note}");
    }
    assert!(
        tally.factories >= 15,
        "ServiceLoader found only {} factories in {version}",
        tally.factories
    );
    assert!(
        tally.wrong.is_empty(),
        "{version}:\n{}",
        tally.wrong.join("\n")
    );
    // planner-loader's two factories delegate everything to a planner created at run time from
    // a jar nested in the loader: no bytecode reader can know it. Everything else is exact.
    let computed = [
        "org.apache.flink.table.planner.loader.DelegateExecutorFactory",
        "org.apache.flink.table.planner.loader.DelegatePlannerFactory",
    ];
    let unexpected: Vec<&String> = tally
        .unknown_notes
        .iter()
        .filter(|n| !computed.iter().any(|c| n.starts_with(&format!("{c}:"))))
        .collect();
    assert!(unexpected.is_empty(), "{version}: {tally}\n{unexpected:#?}");
    assert_eq!(tally.identifiers_unknown, 2, "{version}: {tally}");
    assert_eq!(tally.sets_unknown, 4, "{version}: {tally}");
}

#[test]
fn inspect_agrees_with_service_loader_on_flink_1_x() {
    for version in support::FLINK_VERSIONS
        .iter()
        .filter(|v| v.starts_with("1."))
    {
        agree_on(version);
    }
}

#[test]
fn inspect_agrees_with_service_loader_on_flink_2_x() {
    for version in support::FLINK_VERSIONS
        .iter()
        .filter(|v| v.starts_with("2."))
    {
        agree_on(version);
    }
}

/// `inspect DIR` reads a project directory the way `check DIR` does: the connector jars Maven
/// built under target/ (not original-*.jar or -sources.jar), one JSON document per jar.
#[test]
fn inspect_dir_reads_the_jars_built_in_target() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    let project = tempfile::tempdir().unwrap();
    let root = project.path();
    std::fs::write(root.join("pom.xml"), "<project/>").unwrap();
    let inspect = |dir: &std::path::Path| {
        support::bin()
            .args(["flink-connector", "inspect"])
            .arg(dir)
            .output()
            .unwrap()
    };
    let none = inspect(root);
    assert_eq!(none.status.code(), Some(2));
    let err = support::stderr(&none);
    assert!(
        err.contains("no jar built in")
            && err.contains("target")
            && err.trim().lines().count() == 1,
        "{err}"
    );

    let target = root.join("target");
    std::fs::create_dir(&target).unwrap();
    let files = support::lib_jar(&lib, "flink-connector-files");
    std::fs::copy(&files, target.join("connector-1.0.jar")).unwrap();
    std::fs::copy(&files, target.join("original-connector-1.0.jar")).unwrap();
    std::fs::write(target.join("connector-1.0-sources.jar"), "not read").unwrap();
    let one = inspect(root);
    assert_eq!(one.status.code(), Some(0), "{}", support::stderr(&one));
    let doc: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(doc["jars"].as_array().map(Vec::len), Some(1), "{doc}");
    let doc = &doc["jars"][0];
    assert!(
        doc["jar"]
            .as_str()
            .unwrap()
            .ends_with("target/connector-1.0.jar"),
        "{doc}"
    );
    assert_eq!(doc["factories"][0]["identifier"], "filesystem");

    std::fs::copy(
        support::lib_jar(&lib, "flink-csv"),
        target.join("csv-1.0.jar"),
    )
    .unwrap();
    let two = inspect(root);
    let docs: serde_json::Value = serde_json::from_slice(&two.stdout).unwrap();
    // The same shape for two jars as for one (issue 21).
    assert_eq!(docs["schema_version"], 1);
    let jars: Vec<&str> = docs["jars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["jar"].as_str().unwrap())
        .collect();
    assert!(
        jars.len() == 2
            && jars[0].ends_with("connector-1.0.jar")
            && jars[1].ends_with("csv-1.0.jar"),
        "{jars:?}"
    );
}
