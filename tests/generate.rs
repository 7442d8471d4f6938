//! The project lifecycle: `generate` (drift check, three-way merge, owned files), `option`,
//! team templates, workspace defaults, and the errors around them.

mod support;

use std::path::Path;

use support::{assert_no_drift, new_project, read, run_in, stderr, stdout};

const OPTIONS_JAVA: &str = "src/main/java/org/example/flink/connector/acme/AcmeOptions.java";
const CLIENT_JAVA: &str = "src/main/java/org/example/flink/connector/acme/AcmeClient.java";
const OPTIONS_TEMPLATE: &str =
    "base/src/main/java/{{package_path}}/{{class_prefix}}Options.java.hbs";

fn edit(p: &Path, f: impl FnOnce(String) -> String) {
    let text = read(p);
    std::fs::write(p, f(text)).unwrap();
}

#[test]
fn a_fresh_project_has_no_drift() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    assert_no_drift(&project, &[]);
}

#[test]
fn check_reports_drift_as_a_diff_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    // The manifest changes, the project is behind it: drift, shown as the diff `generate` would apply.
    edit(&project.join("connector.toml"), |t| {
        t.replace("key = \"namespace\"", "key = \"name-space\"")
    });
    let options_before = read(&project.join(OPTIONS_JAVA));
    let out = run_in(&project, &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("+            ConfigOptions.key(\"name-space\")"),
        "diff: {}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains(&format!("--- a/{OPTIONS_JAVA}"))
            && stderr(&out).contains(OPTIONS_JAVA)
            && stderr(&out).contains("run `cargo flink-connector generate`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        read(&project.join(OPTIONS_JAVA)),
        options_before,
        "--check must not write"
    );
    let out = run_in(&project, &["-q", "generate", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).is_empty(),
        "-q quiets the diff: {}",
        stdout(&out)
    );
    edit(&project.join("connector.toml"), |t| {
        t.replace("key = \"name-space\"", "key = \"namespace\"")
    });

    // A hand edit that `generate` keeps is reported, not failed (it would fail forever otherwise:
    // `generate` changes nothing); --strict fails it.
    edit(&project.join("pom.xml"), |t| {
        t.replace(
            "<packaging>jar</packaging>",
            "<packaging>jar</packaging>\n  <!-- hand edit -->",
        )
    });
    let out = run_in(&project, &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("keep hand edits that `generate` preserves: pom.xml"),
        "{}",
        stderr(&out)
    );
    let out = run_in(&project, &["generate", "--check", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = run_in(&project, &["generate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&project.join("pom.xml")).contains("<!-- hand edit -->"));
    // An owned file is the team's: editing it is not drift.
    edit(&project.join(CLIENT_JAVA), |t| t + "\n// team code\n");
    edit(&project.join("pom.xml"), |t| {
        t.replace("\n  <!-- hand edit -->", "")
    });
    assert_no_drift(&project, &[]);
}

#[test]
fn lifecycle_keeps_owned_edits_merges_managed_edits_and_adds_options() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    // A comment in connector.toml must survive `option add`.
    edit(&project.join("connector.toml"), |t| {
        t.replace("[flink]", "# pinned to our platform\n[flink]")
    });
    edit(&project.join(CLIENT_JAVA), |t| t + "\n// our client code\n");
    edit(&project.join(OPTIONS_JAVA), |t| {
        t.replacen(
            "public final class",
            "// reviewed by the platform team\npublic final class",
            1,
        )
    });

    let out = support::add_page_size_option(&project);
    assert!(out.status.success(), "{}", stderr(&out));
    let options = read(&project.join(OPTIONS_JAVA));
    assert!(
        options.contains("SCAN_PAGE_SIZE") && options.contains(".defaultValue(500)"),
        "{options}"
    );
    assert!(
        options.contains("// reviewed by the platform team"),
        "the hand edit was merged, not lost"
    );
    assert!(read(&project.join("README.md")).contains("scan.page-size"));
    assert!(read(&project.join("connector.toml")).contains("# pinned to our platform"));
    assert!(read(&project.join(CLIENT_JAVA)).ends_with("// our client code\n"));

    // A team upgrades its templates: export the built-ins, change one, re-render with them.
    let team = tmp.path().join("team");
    assert!(run_in(tmp.path(), &["templates", "export", "team"])
        .status
        .success());
    edit(&team.join(OPTIONS_TEMPLATE), |t| {
        t.replace(
            "    private {{class_prefix}}Options() {}",
            "    private {{class_prefix}}Options() {}\n\n    // team template v2",
        )
    });
    let out = run_in(&project, &["generate", "--templates", "../team"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let options = read(&project.join(OPTIONS_JAVA));
    assert!(
        options.contains("// team template v2")
            && options.contains("// reviewed by the platform team"),
        "{options}"
    );
    assert!(
        read(&project.join(CLIENT_JAVA)).ends_with("// our client code\n"),
        "owned files are never rewritten"
    );
    let out = run_in(&project, &["generate", "--check", "--templates", "../team"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a merged hand edit is kept, not drift: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(OPTIONS_JAVA), "{}", stderr(&out));

    // The same line edited by hand and by the templates: a conflict, never a silent overwrite.
    edit(&project.join(OPTIONS_JAVA), |t| {
        t.replace("    // team template v2", "    // our version of that line")
    });
    edit(&team.join(OPTIONS_TEMPLATE), |t| {
        t.replace("    // team template v2", "    // team template v3")
    });
    let out = run_in(&project, &["generate", "--templates", "../team"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("merge conflicts in") && stderr(&out).contains("AcmeOptions.java"),
        "{}",
        stderr(&out)
    );
    let conflicted = read(&project.join(OPTIONS_JAVA));
    assert!(
        conflicted.contains("<<<<<<<")
            && conflicted.contains("// our version of that line")
            && conflicted.contains("// team template v3")
    );

    // --force takes the templates' version; then the project is clean.
    assert!(
        run_in(&project, &["generate", "--force", "--templates", "../team"])
            .status
            .success()
    );
    assert_no_drift(&project, &["--templates", "../team"]);
}

#[test]
fn option_remove_and_set_edit_the_manifest_and_the_code() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    assert!(run_in(
        &project,
        &[
            "option",
            "add",
            "endpoint",
            "--type",
            "string",
            "--required",
            "--description",
            "Service URL",
            // The owned test's DDL does not set it yet (tests/manifest_walk.rs covers the refusal).
            "--allow-broken"
        ]
    )
    .status
    .success());
    assert!(read(&project.join("connector.toml")).contains("required = true"));
    let out = run_in(
        &project,
        &[
            "option",
            "set",
            "endpoint",
            "--required",
            "false",
            "--default",
            "http://127.0.0.1:8080",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&project.join(OPTIONS_JAVA)).contains(".defaultValue(\"http://127.0.0.1:8080\")"));
    assert!(run_in(&project, &["option", "remove", "endpoint"])
        .status
        .success());
    assert!(!read(&project.join(OPTIONS_JAVA)).contains("ENDPOINT"));
    // Refusals: unknown option, bad default, an option the generated code needs.
    for (args, expected) in [
        (
            vec!["option", "remove", "nope"],
            "no option 'nope' to remove",
        ),
        (
            vec![
                "option",
                "add",
                "batch",
                "--type",
                "int",
                "--default",
                "many",
            ],
            "default 'many' is not an int",
        ),
        (
            vec!["option", "add", "sink.parallelism", "--type", "int"],
            "Flink's own",
        ),
        (
            vec!["option", "remove", "sink.max-retries"],
            "needs option 'sink.max-retries'",
        ),
    ] {
        let out = run_in(&project, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_no_drift(&project, &[]);
}

#[test]
fn changing_the_flink_line_in_the_manifest_moves_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20"]);
    let sink = project.join("src/main/java/org/example/flink/connector/acme/AcmeSink.java");
    assert!(read(&sink).contains("InitContext context"));
    edit(&project.join("connector.toml"), |t| {
        t.replace("version = \"1.20.3\"", "version = \"2.2.1\"")
    });
    assert!(run_in(&project, &["generate"]).status.success());
    let pom = read(&project.join("pom.xml"));
    assert!(
        pom.contains("<flink.version>2.2.1</flink.version>")
            && pom.contains("<maven.compiler.release>11</maven.compiler.release>"),
        "{pom}"
    );
    assert!(
        !read(&sink).contains("Sink.InitContext") && !read(&sink).contains("(InitContext "),
        "2.x has no Sink.InitContext"
    );
    edit(&project.join("connector.toml"), |t| {
        t.replace("version = \"2.2.1\"", "version = \"1.20.3\"")
    });
    assert!(run_in(&project, &["generate"]).status.success());
    assert!(read(&project.join("pom.xml"))
        .contains("<maven.compiler.release>8</maven.compiler.release>"));
}

#[test]
fn workspace_metadata_supplies_defaults_and_the_command_line_wins() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n\n[workspace.metadata.flink-connector]\ngroup-id = \"com.acme\"\npackage-prefix = \"com.acme.connectors\"\nflink-version = \"2.2\"\nlicense-header = \"Copyright Acme Corp.\"\n",
    )
    .unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    let manifest = read(&project.join("connector.toml"));
    assert!(
        manifest.contains("group-id = \"com.acme\"")
            && manifest.contains("package = \"com.acme.connectors.acme\""),
        "{manifest}"
    );
    assert!(manifest.contains("version = \"2.2.1\""), "{manifest}");
    let options = read(&project.join("src/main/java/com/acme/connectors/acme/AcmeOptions.java"));
    assert!(options.contains("Copyright Acme Corp."), "{options}");

    let out = run_in(
        tmp.path(),
        &[
            "new",
            "acme",
            "--dir",
            "other",
            "--group-id",
            "org.cli",
            "--flink",
            "1.17",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = read(&tmp.path().join("other/connector.toml"));
    assert!(
        manifest.contains("group-id = \"org.cli\"") && manifest.contains("version = \"1.17.2\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("package = \"com.acme.connectors.acme\""),
        "the prefix still comes from the workspace: {manifest}"
    );
}

#[test]
fn bad_manifests_and_misplaced_runs_get_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no connector.toml in")
            && stderr(&out).contains(&tmp.path().display().to_string()),
        "{}",
        stderr(&out)
    );

    let project = new_project(tmp.path(), "acme", &[]);
    let original = read(&project.join("connector.toml"));
    for (edit_fn, expected) in [
        (
            Box::new(|t: &str| t.replace("[maven]", "colour = \"blue\"\n[maven]"))
                as Box<dyn Fn(&str) -> String>,
            "unknown field `colour`",
        ),
        (
            Box::new(|t: &str| t.replace("type = \"string\"", "type = \"text\"")),
            "unknown type 'text'",
        ),
        (
            Box::new(|t: &str| t.replace("default = 3\n", "default = \"three\"\n")),
            "is not an int",
        ),
        (
            Box::new(|t: &str| t.replace("capabilities = [", "capabilities = [\"stream\", ")),
            "unknown capability 'stream'",
        ),
        (
            Box::new(|t: &str| t.replace("version = \"1.20.3\"", "version = \"1.9\"")),
            "unknown Flink version '1.9'",
        ),
    ] {
        std::fs::write(project.join("connector.toml"), edit_fn(&original)).unwrap();
        let out = run_in(&project, &["generate"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{expected}: {err}");
        assert!(err.contains(expected), "expected {expected}: {err}");
        let located = err.trim().split(':').collect::<Vec<_>>();
        assert!(
            err.contains("connector.toml:")
                && located.len() >= 4
                && located[2].parse::<usize>().is_ok(),
            "needs file:line:col: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    std::fs::write(project.join("connector.toml"), &original).unwrap();

    // A team template that needs a variable the context lacks names the file and the variable.
    let team = tmp.path().join("team");
    std::fs::create_dir_all(team.join("base")).unwrap();
    std::fs::write(team.join("base/NOTES.md.hbs"), "owner: {{owner_team}}\n").unwrap();
    let out = run_in(&project, &["generate", "--templates", "../team"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("NOTES.md.hbs") && stderr(&out).contains("owner_team"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = run_in(tmp.path(), &["completions", shell]);
        assert!(out.status.success());
        assert!(stdout(&out).contains("flink-connector"), "{shell}");
    }
}

#[test]
fn a_team_directory_can_add_presets_and_the_manifest_remembers_it() {
    let tmp = tempfile::tempdir().unwrap();
    let preset = tmp.path().join("team/presets/ledger");
    std::fs::create_dir_all(&preset).unwrap();
    std::fs::write(
        preset.join("preset.toml"),
        "description = \"Ledger sink\"\ncapabilities = [\"sink\"]\n\n[[options]]\nkey = \"sink.buffer-flush.max-rows\"\ntype = \"int\"\ndefault = 10\n\n[[options]]\nkey = \"sink.buffer-flush.interval\"\ntype = \"duration\"\ndefault = \"1 s\"\n\n[[options]]\nkey = \"sink.max-retries\"\ntype = \"int\"\ndefault = 1\n\n[[options]]\nkey = \"ledger.account\"\ntype = \"string\"\nrequired = true\ndescription = \"Account to post to\"\n",
    )
    .unwrap();
    std::fs::write(
        preset.join("LEDGER.md.hbs"),
        "# {{name}} posts to a ledger\n",
    )
    .unwrap();

    let out = run_in(
        tmp.path(),
        &["new", "books", "--preset", "nosuch", "--templates", "team"],
    );
    assert!(
        stderr(&out).contains("available: blank, ledger, redis"),
        "{}",
        stderr(&out)
    );
    let mut args = vec![
        "new",
        "books",
        "--preset",
        "ledger",
        "--templates",
        "team",
        "--dir",
        "books",
    ];
    // The preset lacks the `namespace` option its (built-in) owned client reads, and the owned
    // test's DDL does not set the required `ledger.account`: `new` says so and creates nothing.
    let out = run_in(tmp.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for expected in [
        "BooksClient.java:",
        "uses BooksOptions.NAMESPACE",
        "BooksConnectorITCase.java:",
        "does not set required option 'ledger.account'",
    ] {
        assert!(
            stderr(&out).contains(expected),
            "{expected}: {}",
            stderr(&out)
        );
    }
    assert!(!tmp.path().join("books").exists());
    args.push("--allow-broken");
    let out = run_in(tmp.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let project = tmp.path().join("books");
    assert_eq!(
        read(&project.join("LEDGER.md")).trim_end(),
        "# books posts to a ledger"
    );
    let manifest = read(&project.join("connector.toml"));
    assert!(
        manifest.contains("preset = \"ledger\"") && manifest.contains("dir = \"../team\""),
        "{manifest}"
    );
    assert!(read(
        &project.join("src/main/java/org/example/flink/connector/books/BooksOptions.java")
    )
    .contains("LEDGER_ACCOUNT"));
    // The manifest's template dir is used without --templates, so the project is clean.
    assert_no_drift(&project, &[]);
}

#[test]
fn cargo_runs_the_tool_as_a_subcommand() {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cargo-flink-connector"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    for args in [
        vec!["flink-connector", "--help"],
        vec!["help", "flink-connector"],
    ] {
        let out = std::process::Command::new(env!("CARGO"))
            .args(&args)
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(out.status.success(), "cargo {args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Usage: cargo flink-connector [OPTIONS] <COMMAND>"),
            "cargo {args:?}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn generate_records_the_tool_version_that_rendered_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    let version_line = format!("version = \"{}\"", env!("CARGO_PKG_VERSION"));
    edit(&project.join("connector.toml"), |t| {
        t.replace(
            &format!("preset = \"blank\"\n{version_line}"),
            "preset = \"blank\"\nversion = \"0.0.1\" # rendered long ago",
        )
    });
    assert!(read(&project.join("connector.toml")).contains("0.0.1"));
    assert!(run_in(&project, &["generate"]).status.success());
    let manifest = read(&project.join("connector.toml"));
    assert!(
        manifest.contains(&format!("preset = \"blank\"\n{version_line}")),
        "{manifest}"
    );
}

#[test]
fn capability_options_the_code_reads_must_keep_a_default() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    edit(&project.join("connector.toml"), |t| {
        t.replacen("default = 3\n", "", 1)
    });
    let out = run_in(&project, &["generate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("needs a default"), "{}", stderr(&out));
}
