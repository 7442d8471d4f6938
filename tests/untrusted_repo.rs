//! The reproductions of issue 17: a cloned repository is untrusted input. Each test plants what an
//! attacker or a careless user could commit (a journal, a render record, team templates, a broken
//! manifest) and runs the real binary on a real project.

#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};
use support::{run_in, stderr};

const OPTIONS_JAVA: &str = "src/main/java/org/example/flink/connector/acme/AcmeOptions.java";
const FACTORY_JAVA: &str =
    "src/main/java/org/example/flink/connector/acme/AcmeDynamicTableFactory.java";

fn new_project(tmp: &Path) -> PathBuf {
    let out = run_in(tmp, &["new", "acme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    tmp.join("flink-connector-acme")
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    let out = run_in(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

/// A refusal: exit 2, one line on stderr, no panic.
fn refused(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    err
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Plants a committed journal writing `path` (correct size and hash, as a forger would make it).
fn plant_journal(project: &Path, path: &str, contents: &[u8]) {
    let journal = project.join(".flink-connector/journal");
    std::fs::create_dir_all(&journal).unwrap();
    std::fs::write(journal.join("0"), contents).unwrap();
    let ops = serde_json::json!([{"Write": {"path": path, "staged": 0,
        "len": contents.len(), "sha256": hex(contents)}}]);
    std::fs::write(journal.join("ops.json"), ops.to_string()).unwrap();
}

#[test]
fn a_journal_may_only_write_files_the_tool_manages() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    std::fs::create_dir(project.join(".git")).unwrap();
    let hook = b"[core]\n\tfsmonitor = \"touch /tmp/pwned\"\n";
    for target in [
        ".git/config",
        "NOTES.md",
        ".flink-connector/lock2",
        "target/x.jar",
    ] {
        plant_journal(&project, target, hook);
        for args in [&["generate"][..], &["option", "add", "x", "--type", "int"]] {
            let err = refused(&run_in(&project, args));
            assert!(
                err.contains("Delete") && err.contains(".flink-connector/journal"),
                "{target}: no way out in {err}"
            );
            assert!(!project.join(target).exists(), "{target} was written");
        }
        // `generate --check` reports the pending journal instead of reading around it.
        assert_eq!(
            run_in(&project, &["generate", "--check"]).status.code(),
            Some(1)
        );
        std::fs::remove_dir_all(project.join(".flink-connector/journal")).unwrap();
    }
    ok(&project, &["generate", "--check"]);

    // A managed path with contents that do not match the listed hash, and an unlisted file.
    let readme = project.join("README.md");
    let before = std::fs::read(&readme).unwrap();
    plant_journal(&project, "README.md", b"forged");
    std::fs::write(project.join(".flink-connector/journal/0"), b"FORGED").unwrap();
    refused(&run_in(&project, &["generate"]));
    plant_journal(&project, "README.md", b"forged");
    std::fs::write(project.join(".flink-connector/journal/7"), b"x").unwrap();
    refused(&run_in(&project, &["generate"]));
    std::fs::write(
        project.join(".flink-connector/journal/ops.json"),
        b"{not json",
    )
    .unwrap();
    refused(&run_in(&project, &["generate"]));
    assert_eq!(std::fs::read(&readme).unwrap(), before);

    // A journal for a file the tool does manage is finished (the validation is not a blanket no).
    std::fs::remove_dir_all(project.join(".flink-connector/journal")).unwrap();
    plant_journal(&project, "README.md", b"rolled forward\n");
    let out = ok(&project, &["generate"]);
    assert!(
        stderr(&out).contains("finished 1 file operation"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn team_templates_cannot_write_vcs_files_the_manifest_or_the_tools_state() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    for (i, planted) in [
        "base/.git/config",
        "base/connector.toml",
        "base/connector.toml.hbs",
        "presets/blank/.flink-connector/rendered/README.md",
        "base/.mvn/jvm.config",
        // The path is a template too: it renders to `.git/hooks/post-checkout`.
        "base/{{#if true}}.git{{/if}}/hooks/post-checkout.hbs",
    ]
    .iter()
    .enumerate()
    {
        let tpl = tmp.path().join(format!("tpl{i}"));
        let file = tpl.join(planted);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "[core]\n\thooksPath = /tmp\n").unwrap();
        let out = run_in(
            tmp.path(),
            &[
                "new",
                "other",
                "--dir",
                &format!("new{i}"),
                "--templates",
                tpl.to_str().unwrap(),
            ],
        );
        refused(&out);
        assert!(!tmp.path().join(format!("new{i}")).exists(), "{planted}");
        let manifest = std::fs::read(project.join("connector.toml")).unwrap();
        refused(&run_in(
            &project,
            &["generate", "--templates", tpl.to_str().unwrap()],
        ));
        // The `--force` a conflict message suggests installs nothing either.
        refused(&run_in(
            &project,
            &["generate", "--force", "--templates", tpl.to_str().unwrap()],
        ));
        assert_eq!(
            std::fs::read(project.join("connector.toml")).unwrap(),
            manifest
        );
        assert!(
            !project.join(".git").exists() && !project.join(".mvn").exists(),
            "{planted}"
        );
    }
}

#[test]
fn the_render_record_never_deletes_files_the_tool_did_not_render() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    std::fs::create_dir(project.join(".git")).unwrap();
    for (path, text) in [
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("NOTES.md", "mine\n"),
    ] {
        std::fs::write(project.join(path), text).unwrap();
        let copy = project.join(".flink-connector/rendered").join(path);
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::write(copy, text).unwrap();
    }
    ok(&project, &["generate"]);
    ok(&project, &["option", "add", "x", "--type", "int"]);
    assert!(project.join(".git/HEAD").exists() && project.join("NOTES.md").exists());

    // Files the tool did render are still removed when the manifest stops rendering them, also
    // when connector.toml was edited by hand (the recorded manifest tells what was rendered).
    let lookup = "src/main/java/org/example/flink/connector/acme/AcmeLookupFunction.java";
    assert!(project.join(lookup).exists());
    let manifest = std::fs::read_to_string(project.join("connector.toml")).unwrap();
    let edited = manifest.replace(r#"["scan", "lookup", "sink"]"#, r#"["scan", "sink"]"#);
    assert_ne!(edited, manifest);
    let edited = edited.replace("[[options]]\nkey = \"lookup.async\"\ntype = \"boolean\"\ndefault = false\ndescription = \"Look up asynchronously (many lookups in flight) instead of one at a time.\"\n", "");
    std::fs::write(project.join("connector.toml"), edited).unwrap();
    let out = ok(&project, &["generate"]);
    assert!(!project.join(lookup).exists(), "{}", stderr(&out));
    ok(&project, &["generate", "--check", "--strict"]);
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in support::files_under(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Runs `args` with the failpoint at every few durable operations (fewer than a journal applies)
/// until one leaves a committed journal.
fn kill_after_commit(project: &Path, args: &[&str]) {
    let backup = project.with_extension("backup");
    copy_tree(project, &backup);
    for n in (1..).step_by(3) {
        let out = support::bin()
            .current_dir(project)
            .env("FLINK_CONNECTOR_FAILPOINT", n.to_string())
            .arg("flink-connector")
            .args(args)
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "{args:?} never left a committed journal"
        );
        if project.join(".flink-connector/journal").is_dir() {
            return;
        }
        std::fs::remove_dir_all(project).unwrap();
        copy_tree(&backup, project);
    }
}

#[test]
fn a_committed_change_survives_a_crash_and_the_next_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    kill_after_commit(&project, &["option", "add", "first", "--type", "string"]);
    ok(&project, &["option", "add", "second", "--type", "string"]);
    let manifest = std::fs::read_to_string(project.join("connector.toml")).unwrap();
    assert!(manifest.contains("key = \"first\"") && manifest.contains("key = \"second\""));
    let options = std::fs::read_to_string(project.join(OPTIONS_JAVA)).unwrap();
    assert!(options.contains("key(\"first\")") && options.contains("key(\"second\")"));
    ok(&project, &["generate", "--check", "--strict"]);

    kill_after_commit(&project, &["line", "add", "2.2"]);
    ok(&project, &["option", "add", "x", "--type", "int"]);
    let manifest = std::fs::read_to_string(project.join("connector.toml")).unwrap();
    assert!(manifest.contains("lines = ["), "{manifest}");
    assert!(manifest.contains("key = \"x\""));
    ok(&project, &["generate", "--check", "--strict"]);
    // Every per-line source tree holds sources (none left empty behind).
    for e in std::fs::read_dir(project.join("src/main")).unwrap() {
        let dir = e.unwrap().path();
        assert!(
            !support::files_below(&dir).is_empty(),
            "{} is empty",
            dir.display()
        );
    }
}

#[test]
fn hand_edited_bytes_modes_and_line_endings_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let readme = project.join("README.md");
    // Latin-1 (not UTF-8) in a hand edit: a plain generate keeps every byte.
    let mut latin1 = std::fs::read(&readme).unwrap();
    latin1.extend_from_slice(b"\nCaf\xe9 notes\n");
    std::fs::write(&readme, &latin1).unwrap();
    ok(&project, &["generate"]);
    assert_eq!(std::fs::read(&readme).unwrap(), latin1);
    // And a merge with a template change keeps it too.
    ok(&project, &["option", "add", "latin", "--type", "int"]);
    let merged = std::fs::read(&readme).unwrap();
    assert!(merged.windows(10).any(|w| w == b"Caf\xe9 notes"));
    assert!(merged.windows(10).any(|w| w == b"| `latin` "));

    // Modes survive a re-render that rewrites the files.
    let factory = project.join(FACTORY_JAVA);
    let options = project.join(OPTIONS_JAVA);
    std::fs::set_permissions(&factory, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&options, std::fs::Permissions::from_mode(0o444)).unwrap();
    ok(&project, &["option", "add", "modes", "--type", "int"]);
    assert!(std::fs::read_to_string(&options)
        .unwrap()
        .contains("key(\"modes\")"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&factory), 0o755);
    assert_eq!(mode(&options), 0o444);

    // A managed file converted to CRLF, with a hand edit, merges with a template change.
    let crlf = std::fs::read_to_string(&factory)
        .unwrap()
        .replace("package org.", "// kept by hand\npackage org.")
        .replace('\n', "\r\n");
    std::fs::write(&factory, &crlf).unwrap();
    ok(&project, &["option", "add", "crlf", "--type", "int"]);
    let merged = std::fs::read_to_string(&factory).unwrap();
    assert!(!merged.contains("<<<<<<<"), "{merged}");
    assert!(merged.contains("// kept by hand\r\n") && merged.contains("AcmeOptions.CRLF);\r\n"));
    assert_eq!(merged.matches('\n').count(), merged.matches("\r\n").count());
}

#[test]
fn a_manifest_without_template_or_empty_is_an_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let manifest = std::fs::read_to_string(project.join("connector.toml")).unwrap();
    let start = manifest.find("[template]").unwrap();
    let end = start + manifest[start..].find("\n\n").unwrap();
    let without_template = format!("{}{}", &manifest[..start], &manifest[end..]);
    for text in [
        String::new(),
        without_template,
        "template = 5\n".to_string(),
        manifest.replace("[template]", "[template.x]"),
        "[flink]\nversion = 1\n".to_string(),
    ] {
        std::fs::write(project.join("connector.toml"), &text).unwrap();
        for args in [
            &["generate"][..],
            &["generate", "--check"],
            &["option", "add", "k", "--type", "string"],
            &["line", "add", "2.2"],
        ] {
            let out = run_in(&project, args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?} on {text:?}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(project.join("connector.toml")).unwrap(),
            text
        );
    }
}

#[test]
fn a_killed_new_leaves_staging_that_the_next_new_removes_but_never_a_users_directory() {
    let tmp = tempfile::tempdir().unwrap();
    // A user's directories that only look like staging.
    let mine = tmp.path().join(".flink-connector-staging-mine");
    std::fs::create_dir_all(mine.join(".flink-connector")).unwrap();
    std::fs::write(mine.join(".flink-connector/lock"), "").unwrap();
    std::fs::write(mine.join("notes.txt"), "mine").unwrap();
    let mine2 = tmp.path().join(".flink-connector-staging-other");
    std::fs::create_dir(&mine2).unwrap();
    let staging = |tmp: &Path| -> Vec<String> {
        std::fs::read_dir(tmp)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.starts_with(".flink-connector-staging-")
                    && !n.ends_with("mine")
                    && !n.ends_with("other")
            })
            .collect()
    };
    let mut killed = 0;
    for n in [1, 2, 10, 30, 50] {
        let out = support::bin()
            .current_dir(tmp.path())
            .env("FLINK_CONNECTOR_FAILPOINT", n.to_string())
            .args(["flink-connector", "new", "acme"])
            .output()
            .unwrap();
        if out.status.success() {
            break;
        }
        killed += 1;
        assert!(!tmp.path().join("flink-connector-acme").exists());
        assert_eq!(staging(tmp.path()).len(), 1, "failpoint {n}");
        // The same `new` again cleans it and succeeds.
        let out = ok(tmp.path(), &["new", "acme"]);
        assert!(stderr(&out).contains("removed"), "{}", stderr(&out));
        assert!(staging(tmp.path()).is_empty());
        ok(
            &tmp.path().join("flink-connector-acme"),
            &["generate", "--check", "--strict"],
        );
        std::fs::remove_dir_all(tmp.path().join("flink-connector-acme")).unwrap();
    }
    assert!(killed >= 4, "only {killed} runs were interrupted");
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(mine2.is_dir());
}

#[test]
fn numeric_defaults_must_fit_their_java_type() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    for (ty, default) in [
        ("duration", "18446744073709551615"),
        ("duration", "9223372036854775808 ms"),
        ("duration", "106751991167301 d"),
        ("int", "2147483648"),
        ("long", "9223372036854775808"),
        ("double", "1e400"),
    ] {
        let out = run_in(
            &project,
            &["option", "add", "n", "--type", ty, "--default", default],
        );
        refused(&out);
    }
    // The same defaults written into connector.toml by hand: `generate` refuses them too and
    // leaves the project as it was.
    let manifest = std::fs::read_to_string(project.join("connector.toml")).unwrap();
    let java = std::fs::read(project.join(OPTIONS_JAVA)).unwrap();
    for default in [
        "\"18446744073709551615\"",
        "\"18446744073709551615 ms\"",
        "18446744073709551615",
    ] {
        let edited = manifest.replace("default = \"1 s\"", &format!("default = {default}"));
        assert_ne!(edited, manifest);
        std::fs::write(project.join("connector.toml"), &edited).unwrap();
        refused(&run_in(&project, &["generate"]));
        assert_eq!(std::fs::read(project.join(OPTIONS_JAVA)).unwrap(), java);
    }
    std::fs::write(project.join("connector.toml"), &manifest).unwrap();
    ok(
        &project,
        &[
            "option",
            "add",
            "n",
            "--type",
            "duration",
            "--default",
            "9223372036854775807",
        ],
    );
    let options = std::fs::read_to_string(project.join(OPTIONS_JAVA)).unwrap();
    assert!(options.contains("Duration.ofMillis(9223372036854775807L)"));
    // The largest accepted default compiles.
    if support::require_jdk() {
        let java = tmp.path().join("Max.java");
        std::fs::write(
            &java,
            "class Max { java.time.Duration d = java.time.Duration.ofMillis(9223372036854775807L); }",
        )
        .unwrap();
        let status = std::process::Command::new("javac")
            .arg("-d")
            .arg(tmp.path())
            .arg(&java)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// Values and lines a hostile or careless manifest holds.
const HOSTILE_VALUES: &[&str] = &[
    "\"\"",
    "-1",
    "18446744073709551615",
    "9223372036854775808",
    "1e400",
    "nan",
    "[]",
    "{}",
    "[[1], \"a\"]",
    "\"../../x\"",
    "\".git\"",
    "\"/etc\"",
    "\"2.2,1.17\"",
    "[\"9.9\"]",
    "true",
    "\"\\u0000\"",
    "\"a\\nb\"",
    "{ version = 1 }",
    "\"1.20.3\"",
    "[\"1.17\", \"1.17\"]",
];
const HOSTILE_LINES: &[&str] = &[
    "[template]",
    "[[options]]",
    "[options]",
    "[flink]\nlines = [\"2.2\"]",
    "template = 1",
    "[connector.x]",
    "key = \"\"",
    "type = \"duration\"",
    "default = 18446744073709551615",
    "dir = \"/\"",
    "\u{feff}",
    "[[dependencies]]",
    "x = [",
];

fn mutated(base: &str, edits: &[(u8, usize, &str, &str)]) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for &(kind, at, value, line) in edits {
        let i = at % lines.len().max(1);
        match kind % 5 {
            0 if !lines.is_empty() => {
                lines.remove(i);
            }
            1 if !lines.is_empty() => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 if !lines.is_empty() => {
                if let Some((k, _)) = lines[i].split_once('=') {
                    lines[i] = format!("{k}= {value}");
                }
            }
            3 => lines.insert(i.min(lines.len()), line.to_string()),
            _ => {
                let text = lines.join("\n");
                let mut cut = at % (text.len() + 1);
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                lines = text[..cut].lines().map(str::to_string).collect();
            }
        }
    }
    lines.join("\n") + "\n"
}

fn seeded_runner(cases: u32) -> (proptest::test_runner::TestRunner, u64) {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let seed = std::env::var("UNTRUSTED_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(17u64);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    (TestRunner::new_with_rng(config, rng), seed)
}

fn edits_strategy(
) -> impl proptest::strategy::Strategy<Value = Vec<(u8, usize, &'static str, &'static str)>> {
    use proptest::prelude::*;
    proptest::collection::vec(
        (
            any::<u8>(),
            any::<usize>(),
            proptest::sample::select(HOSTILE_VALUES),
            proptest::sample::select(HOSTILE_LINES),
        ),
        1..5,
    )
}

/// Every command that reads connector.toml, on mutated manifests: exit 0, 1 or 2, never a panic,
/// and a refused command leaves the manifest as it was. `UNTRUSTED_MANIFEST_CASES` (default 24)
/// and `UNTRUSTED_SEED` (default 17) tune it.
#[test]
fn commands_never_panic_on_a_mutated_manifest() {
    let cases: u32 = std::env::var("UNTRUSTED_MANIFEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let base = std::fs::read_to_string(project.join("connector.toml")).unwrap();
    let (mut runner, seed) = seeded_runner(cases);
    let (errors, accepted) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let result = runner.run(&edits_strategy(), |edits| {
        let text = mutated(&base, &edits);
        for args in [
            &["generate", "--check"][..],
            &[
                "option",
                "add",
                "k",
                "--type",
                "duration",
                "--default",
                "1 s",
            ],
            &["line", "add", "2.2"],
            &["generate"],
        ] {
            std::fs::write(project.join("connector.toml"), &text).unwrap();
            let out = run_in(&project, args);
            let err = stderr(&out);
            assert!(
                !err.contains("panicked"),
                "seed {seed}, {args:?} on {text:?}: {err}"
            );
            match out.status.code() {
                Some(0) | Some(1) => accepted.set(accepted.get() + 1),
                Some(2) => {
                    errors.set(errors.get() + 1);
                    let now = std::fs::read_to_string(project.join("connector.toml")).unwrap();
                    assert_eq!(
                        now, text,
                        "seed {seed}: {args:?} refused yet changed the manifest"
                    );
                }
                other => panic!("seed {seed}, {args:?} on {text:?}: exit {other:?}: {err}"),
            }
        }
        Ok(())
    });
    result.unwrap();
    eprintln!(
        "{cases} mutated manifests × 4 commands: {} ran, {} refused; 0 panics",
        accepted.get(),
        errors.get()
    );
}

/// The manifest reader and editor in process, on many more mutations (the cargo-fuzz target
/// fuzz/fuzz_targets/manifest.rs goes further). `UNTRUSTED_PARSE_CASES` (default 1000).
#[test]
fn the_manifest_reader_and_editor_never_panic() {
    use cargo_flink_connector::manifest::edit::{LocalManifest, OptionEdit};
    use cargo_flink_connector::manifest::Manifest;
    let cases: u32 = std::env::var("UNTRUSTED_PARSE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/redis/connector.toml"),
    )
    .unwrap();
    let path = Path::new("connector.toml");
    let (mut runner, _) = seeded_runner(cases);
    let valid = std::cell::Cell::new(0);
    runner
        .run(&edits_strategy(), |edits| {
            let text = mutated(&base, &edits);
            if Manifest::parse(path, &text).is_ok() {
                valid.set(valid.get() + 1);
            }
            if let Ok(mut local) = LocalManifest::from_text(path, text) {
                let ok = local.manifest(None).is_ok();
                let edit = OptionEdit {
                    key: "k".into(),
                    type_: Some("duration".into()),
                    default: Some("18446744073709551615".into()),
                    ..OptionEdit::default()
                };
                assert!(local.add_option(&edit).is_err() || !ok);
                let _ = local.remove_option("host");
                local.set_flink_lines(Some(&["1.20".to_string(), "2.2".to_string()]));
                if ok {
                    local.record_tool_version("9.9.9");
                }
                let _ = local.manifest(Some("edit"));
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "{cases} mutated manifests ({} still valid) read and edited; 0 panics",
        valid.get()
    );
}
