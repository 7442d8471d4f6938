//! README.md's "A short tour" runs top to bottom, as written: its `sh` block is executed in a fresh
//! directory with `cargo flink-connector` being this build and `mvn` real Maven against Maven
//! Central (the POM's own versions; the generated tests are skipped here, tests/generated_builds.rs
//! runs them).

mod support;

use std::path::Path;
use std::process::Command;

fn tour() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("## A short tour")
        .nth(1)
        .expect("README.md has a tour");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the tour has an sh block");
    block.to_string()
}

#[test]
fn the_readme_tour_runs_top_to_bottom() {
    let tour = tour();
    assert!(tour.contains("cargo flink-connector new"), "{tour}");
    let uses_maven = tour.lines().any(|l| l.trim_start().starts_with("mvn "));
    if uses_maven && !support::require_command("mvn") {
        return;
    }
    let _heavy = support::heavy();
    let tmp = tempfile::tempdir().unwrap();
    let prelude = format!(
        r#"set -eu
cargo() {{ if [ "$1" = flink-connector ]; then shift; "{bin}" flink-connector "$@"; else command cargo "$@"; fi; }}
mvn() {{ command mvn -B -ntp -q -Dstyle.color=never -DskipTests "$@"; }}
"#,
        bin = env!("CARGO_BIN_EXE_cargo-flink-connector"),
    );
    // Each line is echoed first, so a failure names the step.
    let mut script = prelude;
    for line in tour.lines().filter(|l| !l.trim().is_empty()) {
        script.push_str(&format!(
            "echo '+ {}' >&2\n{line}\n",
            line.replace('\'', "'\\''")
        ));
    }
    let out = Command::new("sh")
        .current_dir(tmp.path())
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the tour stopped:\n{}\n{}",
        support::stdout(&out),
        support::stderr(&out)
    );
}
