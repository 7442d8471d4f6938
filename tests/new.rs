//! `cargo flink-connector new`: what it writes, and how it refuses bad input (exit 2, one line,
//! nothing written).

mod support;

use std::path::Path;

use support::{run_in, stderr, stdout};

fn assert_refused(dir: &Path, args: &[&str], expected: &str) {
    let out = run_in(dir, args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should exit 2; stderr: {err}"
    );
    assert!(
        err.contains(expected),
        "{args:?}: expected '{expected}' in: {err}"
    );
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: error must be one line: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn bad_names_versions_and_capabilities_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (vec!["new", ""], "it is empty; try 'my-connector'"),
        (vec!["new", "9lives"], "starts with a digit; try 'c9lives'"),
        (
            vec!["new", "class"],
            "is a Java keyword; try 'class-connector'",
        ),
        (vec!["new", "my store!"], "try 'my-store'"),
        (
            vec!["new", "acme", "--flink", "1.16"],
            "supported: 1.17.0–1.17.2",
        ),
        (
            vec!["new", "acme", "--flink", "2.2.7"],
            "unknown Flink version '2.2.7'",
        ),
        (
            vec!["new", "acme", "--capabilities", "scan,stream"],
            "unknown capability 'stream'",
        ),
        (
            vec!["new", "acme", "--package", "org.example.int"],
            "invalid Java package",
        ),
        (
            vec!["new", "acme", "--preset", "nosuch"],
            "unknown preset 'nosuch'; available: blank",
        ),
    ] {
        assert_refused(tmp.path(), &args, expected);
    }
    assert!(
        entries(tmp.path()).is_empty(),
        "nothing may be written: {:?}",
        entries(tmp.path())
    );
}

#[test]
fn a_non_empty_directory_is_refused_without_force_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("flink-connector-acme");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    assert_refused(
        tmp.path(),
        &["new", "acme"],
        "is not empty; --force writes the project into it",
    );
    assert_eq!(entries(&dir), ["notes.txt"]);

    let out = run_in(tmp.path(), &["new", "acme", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine",
        "--force keeps unrelated files"
    );
    assert!(dir.join("pom.xml").is_file());
    assert_eq!(
        entries(tmp.path()),
        ["flink-connector-acme"],
        "no staging directory is left behind"
    );
}

#[test]
fn an_unwritable_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // Root ignores permission bits, so use a path below a regular file.
    std::fs::write(tmp.path().join("file"), "").unwrap();
    assert_refused(
        tmp.path(),
        &["new", "acme", "--dir", "file/acme"],
        "cannot create directory",
    );
    assert_refused(
        tmp.path(),
        &["new", "acme", "--dir", "file"],
        "exists and is a file",
    );
}

#[test]
fn dry_run_lists_the_tree_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["new", "acme", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = stdout(&out);
    for expected in [
        "connector.toml",
        "pom.xml",
        "src/main/resources/META-INF/services/org.apache.flink.table.factories.Factory",
        "src/main/java/org/example/flink/connector/acme/AcmeDynamicTableFactory.java",
        "src/main/java/org/example/flink/connector/acme/AcmeClient.java  (owned)",
    ] {
        assert!(
            listing.contains(expected),
            "missing {expected} in:\n{listing}"
        );
    }
    assert!(entries(tmp.path()).is_empty());
}

#[test]
fn a_template_that_fails_midway_leaves_no_partial_project() {
    let tmp = tempfile::tempdir().unwrap();
    let team = tmp.path().join("team");
    let broken = team.join("base/src/main/java/{{package_path}}/Broken.java.hbs");
    std::fs::create_dir_all(broken.parent().unwrap()).unwrap();
    std::fs::write(&broken, "class Broken { {{no_such_variable}} }\n").unwrap();
    let out = run_in(tmp.path(), &["new", "acme", "--templates", "team"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Broken.java.hbs") && err.contains("no_such_variable"),
        "{err}"
    );
    assert_eq!(
        entries(tmp.path()),
        ["team"],
        "no project and no staging directory may remain"
    );
}

#[test]
fn capabilities_select_the_generated_classes_and_options() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["new", "acme", "--capabilities", "sink"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let src = tmp
        .path()
        .join("flink-connector-acme/src/main/java/org/example/flink/connector/acme");
    assert!(src.join("AcmeSinkWriter.java").is_file());
    assert!(!src.join("AcmeLookupFunction.java").exists());
    assert!(!src.join("AcmeSplitReader.java").exists());
    let manifest =
        std::fs::read_to_string(tmp.path().join("flink-connector-acme/connector.toml")).unwrap();
    assert!(manifest.contains("capabilities = [\"sink\"]"), "{manifest}");
    assert!(
        manifest.contains("sink.buffer-flush.max-rows") && !manifest.contains("lookup.async"),
        "{manifest}"
    );
}

#[test]
fn a_closed_stdout_pipe_ends_the_tool_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = support::bin()
        .current_dir(tmp.path())
        .args(["flink-connector", "completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before the tool writes its output
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn a_project_can_be_created_in_the_current_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["new", "acme", "--dir", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("connector.toml").is_file());
    let out = run_in(tmp.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let staging: Vec<String> = entries(tmp.path())
        .into_iter()
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(staging.is_empty(), "{staging:?}");
}
