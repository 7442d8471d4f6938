//! Proof against real Flink: a Java program loads every Factory through ServiceLoader and prints
//! identifier, option keys and interfaces; `inspect` must read the same from bytecode alone, for
//! every factory of the 1.20 and 2.2 lib/ jars.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_flink_connector::flink::runtime::{RuntimeLib, FACTORY_INTERFACES, GROUPING_INTERFACES};
use cargo_flink_connector::inspect::factories::inspect_jar;
use cargo_flink_connector::jar::JarIndex;

#[derive(Debug, PartialEq)]
struct Seen {
    identifier: String,
    required: BTreeSet<String>,
    optional: BTreeSet<String>,
    interfaces: BTreeSet<String>,
}

fn split(field: &str) -> BTreeSet<String> {
    field
        .split('|')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `(jar file, class)` → what ServiceLoader saw.
fn service_loader_view(lib: &Path, work: &Path) -> BTreeMap<(String, String), Seen> {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit/java/ListFactories.java");
    support::javac_sources(&[source], &support::lib_classpath(lib, &[]), 11, work)
        .unwrap_or_else(|e| panic!("{e}"));
    let discovery: Vec<String> = FACTORY_INTERFACES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !GROUPING_INTERFACES.contains(name))
        .map(|name| name.replace('/', "."))
        .collect();
    let output = Command::new("java")
        .arg("-cp")
        .arg(format!("{}:{}/*", work.display(), lib.display()))
        .arg("ListFactories")
        .args(&discovery)
        .output()
        .expect("java runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 6, "{line}");
            let seen = Seen {
                identifier: f[2].into(),
                required: split(f[3]),
                optional: split(f[4]),
                interfaces: split(f[5]),
            };
            ((f[0].to_string(), f[1].to_string()), seen)
        })
        .collect()
}

fn inspect_view(lib: &Path) -> BTreeMap<(String, String), Seen> {
    let runtime = RuntimeLib::open(lib).unwrap();
    let mut view = BTreeMap::new();
    for (file_name, _, _) in &runtime.jars {
        let jar = JarIndex::open(&lib.join(file_name)).unwrap();
        for f in inspect_jar(&jar, Some(&runtime)) {
            let keys = |options: &[cargo_flink_connector::inspect::OptionInfo]| {
                options
                    .iter()
                    .map(|o| o.key.clone().unwrap_or_else(|| format!("?{}", o.field)))
                    .collect()
            };
            let seen = Seen {
                identifier: f.identifier.clone().unwrap_or_else(|| "?".into()),
                required: keys(&f.required_options),
                optional: keys(&f.optional_options),
                interfaces: f.interfaces.iter().cloned().collect(),
            };
            view.insert((file_name.clone(), f.class.clone()), seen);
        }
    }
    view
}

/// planner-loader's factories return `delegate.factoryIdentifier()` of a planner class that
/// lives in a jar nested inside the loader and is created at run time: bytecode cannot know the
/// identifier, and `inspect` must say so (everything else must still match).
const COMPUTED_IDENTIFIERS: &[&str] = &[
    "org.apache.flink.table.planner.loader.DelegateExecutorFactory",
    "org.apache.flink.table.planner.loader.DelegatePlannerFactory",
];

fn agrees(key: &(String, String), expected: &Seen, actual: Option<&Seen>) -> bool {
    let Some(actual) = actual else { return false };
    if actual.identifier == "?" && COMPUTED_IDENTIFIERS.contains(&key.1.as_str()) {
        return actual.required == expected.required
            && actual.optional == expected.optional
            && actual.interfaces == expected.interfaces;
    }
    actual == expected
}

fn agree_on(version: &str) {
    let Some(lib) = support::flink_lib(version) else {
        return;
    };
    if !support::require(
        "javac and java (JDK 17)",
        support::has_command("javac") && support::has_command("java"),
    ) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let expected = service_loader_view(&lib, work.path());
    let actual = inspect_view(&lib);
    assert!(
        expected.len() >= 15,
        "ServiceLoader found only {} factories in {version}",
        expected.len()
    );
    let mismatches: Vec<String> = expected
        .iter()
        .filter(|(key, seen)| !agrees(key, seen, actual.get(*key)))
        .map(|(key, seen)| {
            format!(
                "{key:?}\n  ServiceLoader: {seen:?}\n  inspect:       {:?}",
                actual.get(key)
            )
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{version}:\n{}",
        mismatches.join("\n")
    );
    assert_eq!(
        actual.len(),
        expected.len(),
        "{version}: inspect found factories ServiceLoader did not: {:?}",
        actual
            .keys()
            .filter(|k| !expected.contains_key(*k))
            .collect::<Vec<_>>()
    );
}

#[test]
fn inspect_agrees_with_service_loader_on_flink_1_20() {
    agree_on("1.20.5");
}

#[test]
fn inspect_agrees_with_service_loader_on_flink_2_2() {
    agree_on("2.2.1");
}
