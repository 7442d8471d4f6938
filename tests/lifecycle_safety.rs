//! The reproductions of issue 10 (no lost work, confinement, cargo-plugin ergonomics), each as a
//! test of the real binary on a real project.

mod support;

use std::path::{Path, PathBuf};

use support::{read, run_in, stderr, stdout};

const OPTIONS_JAVA: &str = "src/main/java/org/example/flink/connector/acme/AcmeOptions.java";
const CLIENT_JAVA: &str = "src/main/java/org/example/flink/connector/acme/AcmeClient.java";

fn new_project(tmp: &Path) -> PathBuf {
    let out = run_in(tmp, &["new", "acme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    tmp.join("flink-connector-acme")
}

fn edit(p: &Path, f: impl FnOnce(String) -> String) {
    let text = read(p);
    std::fs::write(p, f(text)).unwrap();
}

/// Every file below `dir` (but the lock file, which holds no content) as path and length:hash,
/// so a failed comparison names the files that differ.
fn snapshot(dir: &Path) -> Vec<String> {
    use std::hash::{Hash, Hasher};
    support::files_under(dir)
        .into_iter()
        .filter(|(p, _)| p != ".flink-connector/lock")
        .map(|(p, c)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            c.hash(&mut h);
            format!("{p} {}:{:x}", c.len(), h.finish())
        })
        .collect()
}

fn namespace_javadoc_line(options: &str) -> String {
    let lines: Vec<&str> = options.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("ConfigOptions.key(\"namespace\")"))
        .unwrap();
    lines[i - 2].to_string()
}

#[test]
fn generate_refuses_to_run_while_conflict_markers_remain() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let options = project.join(OPTIONS_JAVA);
    let ours = namespace_javadoc_line(&read(&options));
    edit(&options, |t| t.replace(&ours, "    /** Our namespace. */"));
    let out = run_in(
        &project,
        &[
            "option",
            "set",
            "namespace",
            "--description",
            "Their namespace.",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("CONFLICT"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("run with --force"),
        "`option` has no --force: {}",
        stderr(&out)
    );
    let with_markers = read(&options);
    assert!(with_markers.contains("<<<<<<<"));

    // The second run used to say "merged" and exit 0 with the markers still in the file.
    let out = run_in(&project, &["generate"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let line = with_markers
        .lines()
        .position(|l| l.starts_with("<<<<<<<"))
        .unwrap()
        + 1;
    assert!(
        stderr(&out).contains(&format!(
            "unresolved merge-conflict markers in {OPTIONS_JAVA}:{line}"
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&options), with_markers, "nothing written");
    let out = run_in(&project, &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // Resolved by hand (keeping ours): generate and --check are content.
    let resolved: String = {
        let mut keep = true;
        let mut out = String::new();
        for l in with_markers.lines() {
            if l.starts_with("<<<<<<<") {
                keep = true;
                continue;
            }
            if l.starts_with("|||||||") || l.starts_with("=======") {
                keep = false;
                continue;
            }
            if l.starts_with(">>>>>>>") {
                keep = true;
                continue;
            }
            if keep {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    };
    std::fs::write(&options, &resolved).unwrap();
    let out = run_in(&project, &["generate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&options).contains("/** Our namespace. */"));
    let out = run_in(&project, &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn new_never_replaces_a_project_or_an_existing_file() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    edit(&project.join(CLIENT_JAVA), |t| t + "// our client\n");
    edit(&project.join("connector.toml"), |t| t + "# our notes\n");
    let before = snapshot(&project);
    for args in [&["new", "acme"][..], &["new", "acme", "--force"]] {
        let out = run_in(tmp.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("already holds a connector project")
                && stderr(&out).contains("cargo flink-connector generate"),
            "{}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("use --force"), "{}", stderr(&out));
    }
    assert_eq!(snapshot(&project), before, "the project is untouched");

    // A non-project directory: --force writes into it but never replaces a file.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("README.md"), "our readme").unwrap();
    let out = run_in(tmp.path(), &["new", "acme", "--dir", "other", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("README.md"), "{}", stderr(&out));
    assert_eq!(read(&other.join("README.md")), "our readme");
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
}

#[test]
fn rendered_paths_outside_the_project_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let outside = tempfile::tempdir().unwrap();
    let before = snapshot(&project);
    // `..{{!-- --}}` renders to `..`; an empty first component makes the path absolute.
    let up = tmp.path().join("team-up");
    let dir = up.join("presets/blank/..{{!-- a --}}/..{{!-- b --}}");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("escaped.txt.hbs"), "pwned").unwrap();
    let absolute = tmp.path().join("team-abs");
    let mut dir = absolute.join("presets/blank/{{!-- root --}}");
    for c in outside.path().components().skip(1) {
        dir.push(c);
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pwned.txt.hbs"), "pwned").unwrap();
    for team in [&up, &absolute] {
        let out = run_in(
            &project,
            &["generate", "--templates", team.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("must stay inside the project"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!tmp.path().parent().unwrap().join("escaped.txt").exists());
    assert!(!outside.path().join("pwned.txt").exists());
    assert_eq!(snapshot(&project), before);
}

#[cfg(unix)]
#[test]
fn nothing_is_written_or_deleted_through_a_symbolic_link() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let manifest = read(&project.join("connector.toml"));
    std::fs::remove_file(project.join("README.md")).unwrap();
    std::os::unix::fs::symlink(&victim, project.join("README.md")).unwrap();
    let out = run_in(
        &project,
        &["option", "add", "extra", "--type", "int", "--default", "1"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(read(&victim), "precious");
    assert_eq!(
        read(&project.join("connector.toml")),
        manifest,
        "the whole transaction is refused before any write"
    );
    std::fs::remove_file(project.join("README.md")).unwrap();

    // .flink-connector/ itself a link to somewhere else.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::rename(project.join(".flink-connector"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, project.join(".flink-connector")).unwrap();
    let before = snapshot(&elsewhere);
    let out = run_in(&project, &["generate"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(snapshot(&elsewhere), before);
    assert!(!project.join("README.md").exists());
}

#[test]
fn a_template_directory_must_hold_templates() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let out = run_in(&project, &["generate", "--templates", "/"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a template directory"),
        "{}",
        stderr(&out)
    );
    edit(&project.join("connector.toml"), |t| {
        t.replace("[template]\n", "[template]\ndir = \"/\"\n")
    });
    let out = run_in(&project, &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not a template directory"));
}

/// Workspace defaults come from reading Cargo.toml, never from running cargo: a
/// rust-toolchain.toml above the project could otherwise make the tool run any binary.
#[cfg(unix)]
#[test]
fn workspace_settings_never_run_cargo_or_a_toolchain() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let evil = tmp.path().join("evil/bin");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::create_dir_all(&evil).unwrap();
    let marker = tmp.path().join("ran");
    for tool in ["cargo", "rustc"] {
        let script = evil.join(tool);
        std::fs::write(
            &script,
            format!("#!/bin/sh\necho \"$0 $*\" >> {}\n", marker.display()),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::write(
        ws.join("Cargo.toml"),
        "[workspace]\n\n[workspace.metadata.flink-connector]\nlicense-header = \"Copyright Acme\"\ngroup-id = \"com.acme\"\n",
    )
    .unwrap();
    std::fs::write(
        ws.join("rust-toolchain.toml"),
        format!(
            "[toolchain]\npath = \"{}\"\n",
            evil.parent().unwrap().display()
        ),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        evil.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |dir: &Path, args: &[&str]| {
        let out = support::bin()
            .current_dir(dir)
            .args(args)
            .env("PATH", &path)
            .env("CARGO", evil.join("cargo"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    run(&ws, &["new", "acme"]);
    let project = ws.join("flink-connector-acme");
    run(&project, &["generate", "--check"]);
    run(
        &project,
        &["option", "add", "extra", "--type", "int", "--default", "1"],
    );
    run(&project, &["generate"]);
    assert!(!marker.exists(), "ran: {}", read(&marker));
    let client = read(&project.join("src/main/java/com/acme/flink/connector/acme/AcmeClient.java"));
    assert!(
        client.contains(" * Copyright Acme"),
        "workspace metadata applies"
    );
}

#[test]
fn removed_or_retyped_symbols_still_used_by_owned_code_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let client = read(&project.join(CLIENT_JAVA));
    let line = client
        .lines()
        .position(|l| l.contains("AcmeOptions.NAMESPACE"))
        .expect("the blank client reads the namespace option")
        + 1;
    // Refused (issue 18) unless --allow-broken; named either way.
    let retype = [
        "option",
        "set",
        "namespace",
        "--type",
        "int",
        "--default",
        "3",
    ];
    for allow in [false, true] {
        let mut args = retype.to_vec();
        if allow {
            args.push("--allow-broken");
        }
        let out = run_in(&project, &args);
        assert_eq!(out.status.success(), allow, "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "{CLIENT_JAVA}:{line}: uses AcmeOptions.NAMESPACE, whose type changed from ConfigOption<String> to ConfigOption<Integer>"
            )),
            "{}",
            stderr(&out)
        );
    }
    let out = run_in(
        &project,
        &["option", "remove", "namespace", "--allow-broken"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "{CLIENT_JAVA}:{line}: uses AcmeOptions.NAMESPACE, which the manifest no longer generates"
        )),
        "{}",
        stderr(&out)
    );
    // Unrelated edits go through; the use left broken above is still named, as such.
    let out = run_in(&project, &["option", "add", "extra", "--type", "int"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("AcmeOptions.NAMESPACE")
            && stderr(&out).contains("(already so before this change)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn option_keys_get_did_you_mean() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path());
    let out = run_in(&project, &["option", "remove", "namespac"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no option 'namespac' to remove; did you mean 'namespace'?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn dry_run_works_into_an_existing_directory_and_names_flink_and_java() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("flink-connector-acme");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("pom.xml"), "mine").unwrap();
    let out = run_in(tmp.path(), &["new", "acme", "--flink", "2.2", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Flink 2.2.1 (Java 11)"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("pom.xml  (exists"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("needs --force"), "{}", stderr(&out));
    assert_eq!(read(&dir.join("pom.xml")), "mine");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn templates_export_includes_the_templates_readme() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["templates", "export", "team"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ours = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/README.md"));
    assert_eq!(read(&tmp.path().join("team/README.md")), ours);
    // The export is a working template directory.
    let out = run_in(tmp.path(), &["new", "acme", "--templates", "team"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_readme_layout_table_lists_exactly_the_owned_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["new", "redis", "--dir", "r"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let project = tmp.path().join("r");
    let readme = read(&project.join("README.md"));
    let listed: Vec<String> = readme
        .lines()
        .filter(|l| l.contains("**Yours.**"))
        .map(|l| l.split('`').nth(1).unwrap().to_string())
        .collect();
    // Owned files are the ones whose first line says so, and the legal texts (LICENSE, NOTICE),
    // which carry no header: they are owned when the render record holds no managed copy.
    let record = project.join(".flink-connector/rendered");
    let mut owned: Vec<String> = support::files_under(&project)
        .into_iter()
        .filter(|(p, c)| {
            !p.starts_with(".flink-connector")
                && (c.starts_with(b"// Owned:")
                    || c.starts_with(b"<!-- Owned:")
                    || (matches!(p.as_str(), "LICENSE" | "NOTICE") && !record.join(p).exists()))
        })
        .map(|(p, _)| p)
        .collect();
    owned.sort();
    assert!(owned.len() > 5, "{owned:?}");
    assert_eq!(listed, owned);
    // … and the warning that a platform preinstalls 'redis', with the way out.
    assert!(
        stderr(&out).contains("--identifier example-redis"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        tmp.path(),
        &[
            "new",
            "redis",
            "--dir",
            "r2",
            "--identifier",
            "example-redis",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert!(read(&tmp.path().join("r2/connector.toml")).contains("identifier = \"example-redis\""));
}

#[test]
fn version_color_quiet_and_deny_warnings_behave_like_cargo_plugins() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["--version"]);
    assert_eq!(
        stdout(&out).trim(),
        format!("cargo-flink-connector {}", env!("CARGO_PKG_VERSION"))
    );

    let project = new_project(tmp.path());
    edit(&project.join("connector.toml"), |t| {
        t.replace(
            "description = \"Name of the table",
            "description = \"The name of the table",
        )
    });
    let colored = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = support::bin();
        cmd.current_dir(&project).args(args);
        cmd.env_remove("NO_COLOR").env_remove("CARGO_TERM_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        stdout(&out).contains("\x1b[32m+")
    };
    assert!(colored(&["generate", "--check", "--color", "always"], &[]));
    assert!(!colored(
        &["generate", "--check", "--color", "never"],
        &[("CARGO_TERM_COLOR", "always")]
    ));
    assert!(colored(
        &["generate", "--check"],
        &[("CARGO_TERM_COLOR", "always")]
    ));
    assert!(!colored(&["generate", "--check"], &[("NO_COLOR", "1")]));
    assert!(!colored(&["generate", "--check"], &[]), "not a terminal");

    let out = run_in(&project, &["generate", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).is_empty() && stderr(&out).is_empty(),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );

    // `-D warnings` as clippy users write it.
    let out = run_in(tmp.path(), &["check", "missing.jar", "-D", "warnings"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.jar"), "{}", stderr(&out));
    assert!(
        !stderr(&out).to_lowercase().contains("rule"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_flag_and_argument_has_help_text() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() && sub.get_name() != "help" {
                missing.push(format!("{path} {} (about)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(
        &cargo_flink_connector::cli::Cargo::command(),
        "cargo",
        &mut missing,
    );
    assert!(missing.is_empty(), "without help text: {missing:?}");
}

/// The bash completion extends cargo's: `cargo flink-connector …` completes our commands and
/// everything else still goes to cargo's completion function.
#[test]
fn bash_completions_extend_cargos() {
    if !support::require_command("bash") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["completions", "bash"]);
    assert!(out.status.success());
    std::fs::write(tmp.path().join("ours.bash"), &out.stdout).unwrap();
    let script = r#"
_cargo() { COMPREPLY=(cargos-own); }
complete -F _cargo cargo
source ./ours.bash
COMP_WORDS=(cargo bu); COMP_CWORD=1; COMP_LINE="cargo bu"; COMP_POINT=8
__cargo_flink_connector_complete cargo bu cargo
echo "other: ${COMPREPLY[*]}"
COMP_WORDS=(cargo flink-connector gen); COMP_CWORD=2; COMP_LINE="cargo flink-connector gen"; COMP_POINT=25
__cargo_flink_connector_complete cargo gen flink-connector
echo "ours: ${COMPREPLY[*]}"
complete -p cargo
"#;
    let out = std::process::Command::new("bash")
        .current_dir(tmp.path())
        .args(["--norc", "-c", script])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("other: cargos-own"), "{text}{}", stderr(&out));
    assert!(text.contains("ours: generate"), "{text}{}", stderr(&out));
    assert!(
        text.contains("-F __cargo_flink_connector_complete"),
        "{text}"
    );
}

/// Hints name commands as `cargo flink-connector CMD --flag`; every such flag must exist on that
/// command (a hint once sent `option` users to an `--force` that only `generate` has).
#[test]
fn hints_only_name_flags_their_command_has() {
    use clap::CommandFactory;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = vec![read(&root.join("README.md"))];
    texts.extend(
        support::files_below(&root.join("src"))
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| read(p)),
    );
    let cli = cargo_flink_connector::cli::Cargo::command();
    let ours = cli.find_subcommand("flink-connector").unwrap().clone();
    let mut checked = 0;
    for text in &texts {
        for mention in text.split("`cargo flink-connector ").skip(1) {
            let Some(mention) = mention.split('`').next() else {
                continue;
            };
            let mut cmd = &ours;
            let mut words = mention.split_whitespace().peekable();
            while let Some(sub) = words.peek().and_then(|w| cmd.find_subcommand(w)) {
                cmd = sub;
                words.next();
            }
            for word in words {
                let Some(flag) = word.trim_matches(['[', ']']).strip_prefix("--") else {
                    continue;
                };
                let flag = flag.split('=').next().unwrap();
                let known = cmd
                    .get_arguments()
                    .chain(ours.get_arguments())
                    .any(|a| a.get_long() == Some(flag));
                assert!(
                    known,
                    "`cargo flink-connector {mention}`: `{}` has no --{flag}",
                    cmd.get_name()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "only {checked} flags checked");
}
