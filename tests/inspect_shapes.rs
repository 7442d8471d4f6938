//! `inspect` on factories written in the shapes real connectors use (option holder classes,
//! HashSet + add/remove, static final sets built in `static {}`, Set.of, streams, Guava's
//! ImmutableSet, helper methods, base classes with hooks) and in shapes no bytecode reader can
//! decide (branches, loops, ternaries, reflection, a static set another class mutates).
//! Compiled with javac against Flink 1.20's lib/; ServiceLoader and the factories' own
//! `requiredOptions()`/`optionalOptions()` are the ground truth: inspect must agree or say
//! "unknown" — and for each shape the test pins which of the two it is.

mod support;

use std::path::{Path, PathBuf};

use cargo_flink_connector::flink::runtime::RuntimeLib;
use support::factories::{compare, inspect_view, service_loader_view, Seen};
use support::RawZip;

const FACTORIES: &[&str] = &[
    "shapes.HashSetFactory",
    "shapes.StaticSetFactory",
    "shapes.ImmutableFactory",
    "shapes.HelperFactory",
    "shapes.SubclassHookFactory",
    "shapes.ConditionalFactory",
    "shapes.MutatedElsewhereFactory",
    "shapes.ReflectiveFactory",
    "shapes.NonFinalFactory",
    "shapes.InheritedOptionsFactory",
];

/// (class, identifier exact, required options exact, optional options exact)
const EXPECTED: &[(&str, bool, bool, bool)] = &[
    ("shapes.HashSetFactory", true, true, true),
    ("shapes.StaticSetFactory", true, true, true),
    ("shapes.ImmutableFactory", true, true, true),
    ("shapes.HelperFactory", true, true, true),
    ("shapes.SubclassHookFactory", true, true, true),
    // A ternary identifier, an option added under `if`, options added in a loop.
    ("shapes.ConditionalFactory", false, false, false),
    // Registry.register() (run by the constructor) adds to the public static set.
    ("shapes.MutatedElsewhereFactory", true, false, false),
    // toLowerCase is not modelled; optional options come from reflection.
    ("shapes.ReflectiveFactory", false, true, false),
    // Static fields that are not final, assigned again by the constructor.
    ("shapes.NonFinalFactory", false, true, false),
    // Options named through a holder that inherits them from base holders and an interface.
    ("shapes.InheritedOptionsFactory", true, true, true),
];

fn build_jar(lib: &Path, work: &Path) -> PathBuf {
    build_jar_without(lib, work, &[])
}

/// The shapes jar without the class files `leave_out` names (as a jar that expects them from
/// another artifact).
fn build_jar_without(lib: &Path, work: &Path, leave_out: &[&str]) -> PathBuf {
    let sources = support::java_sources(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inspect/shapes"),
    );
    let classes = work.join("classes");
    support::javac_sources(&sources, &support::lib_classpath(lib, &[]), 11, &classes)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut zip = RawZip::new();
    for (name, bytes) in support::files_under(&classes) {
        if !leave_out.contains(&name.as_str()) {
            zip.add(&name, &bytes);
        }
    }
    let services = FACTORIES.join("\n") + "\n";
    zip.add(
        "META-INF/services/org.apache.flink.table.factories.Factory",
        services.as_bytes(),
    );
    let jar = work.join("shapes.jar");
    zip.write_to(&jar);
    jar
}

#[test]
fn inspect_is_exact_or_unknown_on_real_world_factory_shapes() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    if !support::require_jdk() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let jar = build_jar(&lib, work.path());
    let all = service_loader_view(&lib, &[&jar], work.path());
    let expected: support::factories::View = all
        .into_iter()
        .filter(|((file, _), _)| file == "shapes.jar")
        .collect();
    assert_eq!(expected.len(), FACTORIES.len(), "{expected:#?}");
    let runtime = RuntimeLib::open(&lib).unwrap();
    let actual = inspect_view(std::slice::from_ref(&jar), Some(&runtime));
    let tally = compare(&expected, &actual);
    eprintln!("shapes: {tally}");
    for note in &tally.unknown_notes {
        eprintln!("  {note}");
    }
    assert!(tally.wrong.is_empty(), "{}", tally.wrong.join("\n"));
    for (class, identifier, required, optional) in EXPECTED {
        let seen: &Seen = &actual[&("shapes.jar".to_string(), class.to_string())];
        assert_eq!(
            (
                seen.identifier.is_some(),
                seen.required.is_some(),
                seen.optional.is_some()
            ),
            (*identifier, *required, *optional),
            "{class}: {seen:#?}"
        );
        let unknowns = [*identifier, *required, *optional]
            .iter()
            .filter(|exact| !**exact)
            .count();
        assert_eq!(
            seen.notes.len(),
            unknowns,
            "{class}: a reason per unknown: {seen:#?}"
        );
    }
}

#[test]
fn inspect_json_shows_unknown_sets_as_null_with_notes() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    if !support::require("javac", support::has_command("javac")) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let jar = build_jar(&lib, work.path());
    let out = support::bin()
        .args(["flink-connector", "inspect"])
        .arg(&jar)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let factories = doc["jars"][0]["factories"].as_array().unwrap();
    let by_class = |class: &str| {
        factories
            .iter()
            .find(|f| f["class"] == class)
            .unwrap_or_else(|| panic!("{class} in {doc}"))
    };
    let conditional = by_class("shapes.ConditionalFactory");
    assert!(conditional["identifier"].is_null(), "{conditional}");
    assert!(conditional["required_options"].is_null(), "{conditional}");
    assert!(conditional["optional_options"].is_null(), "{conditional}");
    let notes = conditional["notes"].as_str().unwrap();
    assert!(notes.contains("required options unknown"), "{notes}");
    let exact = by_class("shapes.HelperFactory");
    assert_eq!(exact["identifier"], "with-helper");
    assert_eq!(exact["optional_options"], serde_json::json!([]));
    assert!(exact["notes"].is_null(), "{exact}");
}

/// Flink's non-uber connector jars (flink-connector-hbase-2.2, -opensearch2) name option holders
/// that ship in a -base artifact: the options are unknown, and the note says where it looked.
#[test]
fn an_option_holder_from_another_artifact_is_unknown_and_the_note_says_so() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    if !support::require("javac", support::has_command("javac")) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let jar = build_jar_without(&lib, work.path(), &["shapes/BaseSourceOptions.class"]);
    let runtime = RuntimeLib::open(&lib).unwrap();
    let view = inspect_view(std::slice::from_ref(&jar), Some(&runtime));
    let seen = &view[&(
        "shapes.jar".to_string(),
        "shapes.InheritedOptionsFactory".to_string(),
    )];
    // The required options live in classes the jar has; the optional ones do not.
    assert!(seen.required.is_some(), "{seen:#?}");
    assert_eq!(seen.optional, None, "{seen:#?}");
    assert_eq!(seen.notes.len(), 1, "{seen:#?}");
    assert!(
        seen.notes[0].contains(
            "shapes.BaseSourceOptions is neither in the jar nor in Flink's lib/ (it comes from \
             another artifact)"
        ),
        "{seen:#?}"
    );
}
