//! `check` on a project directory: with no built jar it says so and still audits the Factory
//! services file in src/main/resources against the classes src/main/java declares; with a
//! built jar it audits the jar and the POM. `check` without a path means `.`.
//!
//! The project is examples/redis (what `new redis` generates), copied and then broken the way
//! the QingCloud Redis connector was: its services file under resources/services/ (no
//! META-INF), naming a class that does not exist.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;

const SERVICES: &str =
    "src/main/resources/META-INF/services/org.apache.flink.table.factories.Factory";
const FACTORY: &str = "org.example.flink.connector.redis.RedisDynamicTableFactory";

fn copy_example(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/redis");
    for file in support::files_below(&from) {
        let target = to.join(file.strip_prefix(&from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}

fn check_in(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let out = support::bin()
        .current_dir(dir)
        .env("CARGO_FLINK_CONNECTOR_MVN", "none")
        .args(["flink-connector", "check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            support::stdout(&out),
            support::stderr(&out)
        )
    });
    (out.status.code(), report)
}

fn sources(report: &Value) -> Option<&Value> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("src/main"))
}

fn findings(file: &Value) -> Vec<(String, String, String)> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["location"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_project_without_a_jar_says_so_and_its_services_file_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_example(root);

    // `check` with no path is `check .`; the generated project is clean.
    let (code, report) = check_in(root, &[]);
    let src = sources(&report).expect("a sources report");
    assert_eq!(
        findings(src),
        Vec::<(String, String, String)>::new(),
        "{report:#}"
    );
    assert_eq!(code, Some(0), "{report:#}");
    let notes = src["notes"].as_array().unwrap();
    assert!(
        notes[0].as_str().unwrap().starts_with("no built jar under"),
        "{notes:?}"
    );

    // The QingCloud bug: services/ without META-INF, naming a class nobody declares.
    let wrong: PathBuf =
        root.join("src/main/resources/services/org.apache.flink.table.factories.Factory");
    std::fs::create_dir_all(wrong.parent().unwrap()).unwrap();
    std::fs::write(
        &wrong,
        "# factories\ncom.qingcloud.flink.redis.RedisDynamicTableFactory\n",
    )
    .unwrap();
    std::fs::remove_file(root.join(SERVICES)).unwrap();
    let (code, report) = check_in(root, &["."]);
    assert_eq!(code, Some(1));
    let src = sources(&report).unwrap();
    let location = "src/main/resources/services/org.apache.flink.table.factories.Factory";
    assert_eq!(
        findings(src),
        [
            (
                "error".into(),
                "services-file-misplaced".into(),
                location.into()
            ),
            (
                "error".into(),
                "services-provider-not-found".into(),
                format!("{location}:2")
            ),
        ],
        "{report:#}"
    );
    let message = src["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("Maven packages it as services/org.apache.flink.table.factories.Factory")
            && message.contains("Flink finds none of this project's factories"),
        "{message}"
    );
}

#[test]
fn listed_classes_are_matched_against_declarations_in_src_main_java() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_example(root);
    let services = root.join(SERVICES);
    // A nested class exists (binary name with $); a typo in the project's package does not;
    // a Flink class may be the runtime's; nothing is bundled (the pom has no compile
    // dependencies), so another package's class cannot come from anywhere.
    let java = root.join("src/main/java/org/example/flink/connector/redis/Extra.java");
    std::fs::write(
        &java,
        "package org.example.flink.connector.redis;\n/* class Ghost {} */\npublic final class Extra {\n  public static class NestedFactory {}\n}\n",
    )
    .unwrap();
    std::fs::write(
        &services,
        format!("{FACTORY}\norg.example.flink.connector.redis.Extra$NestedFactory\norg.example.flink.connector.redis.Ghost\norg.apache.flink.connector.datagen.table.DataGenTableSourceFactory\ncom.other.ThirdPartyFactory\nnot a class name\n"),
    )
    .unwrap();
    let (code, report) = check_in(root, &[]);
    assert_eq!(code, Some(1));
    let at = |line: usize| format!("{SERVICES}:{line}");
    assert_eq!(
        findings(sources(&report).unwrap()),
        [
            ("error".into(), "services-provider-not-found".into(), at(3)),
            (
                "warning".into(),
                "services-provider-not-found".into(),
                at(4)
            ),
            ("error".into(), "services-provider-not-found".into(), at(5)),
            ("error".into(), "services-invalid-line".into(), at(6)),
        ],
        "{report:#}"
    );
}

#[test]
fn with_a_built_jar_the_jar_and_pom_are_audited_not_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_example(root);
    std::fs::create_dir_all(root.join("target")).unwrap();
    let mut zip = support::RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n");
    zip.write_to(&root.join("target/flink-connector-redis-0.1.0-SNAPSHOT.jar"));
    let (_, report) = check_in(root, &[]);
    assert!(sources(&report).is_none(), "{report:#}");
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(
        paths[0].ends_with(".jar") && paths[1].ends_with("pom.xml"),
        "{paths:?}"
    );
}
