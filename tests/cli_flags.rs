//! The global flags hold for every command (README: "Global flags"): `--color auto|always|never`,
//! `CARGO_TERM_COLOR` and `NO_COLOR`, piped and on a real terminal (a pty through `script`), and
//! `-q`/`-v`. Each command is run the way that makes it print something coloured, and the way that
//! makes it print a status line next to its results, warnings or errors.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Io {
    Piped,
    Terminal,
}

/// Runs the tool with `args` in `cwd` under `env` (NO_COLOR and CARGO_TERM_COLOR unset
/// otherwise); returns the exit code, stdout and stderr (on a terminal both are the screen).
fn run(cwd: &Path, args: &[String], env: &[(&str, &str)], io: Io) -> (i32, String, String) {
    let mut cmd = match io {
        Io::Piped => {
            let mut c = bin();
            c.arg("flink-connector").args(args);
            c
        }
        Io::Terminal => {
            let mut line = format!(
                "'{}' flink-connector",
                env!("CARGO_BIN_EXE_cargo-flink-connector")
            );
            for a in args {
                line.push_str(&format!(" '{a}'"));
            }
            let mut c = Command::new("script");
            c.args(["-qec", &line, "/dev/null"]);
            c
        }
    };
    cmd.current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("CARGO_TERM_COLOR")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null());
    let out = cmd.output().expect("run");
    (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
}

/// An SGR colour sequence (`ESC [ … m`); cursor control such as `ESC [2K` is not colour.
fn has_color(text: &str) -> bool {
    text.split('\u{1b}').skip(1).any(|rest| {
        rest.strip_prefix('[').is_some_and(|r| {
            let end = r.find(|c: char| !(c.is_ascii_digit() || c == ';'));
            end.is_some_and(|e| r[e..].starts_with('m'))
        })
    })
}

/// (flags, environment, io, coloured?): the expectations the README states.
type ColorCase = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    Io,
    bool,
);
const COLOR_CASES: &[ColorCase] = &[
    (&[], &[], Io::Piped, false),
    (&[], &[], Io::Terminal, true),
    (&["--color", "auto"], &[], Io::Terminal, true),
    (&["--color", "never"], &[], Io::Terminal, false),
    (&["--color=always"], &[], Io::Piped, true),
    (&[], &[("NO_COLOR", "1")], Io::Terminal, false),
    (
        &["--color", "always"],
        &[("NO_COLOR", "1")],
        Io::Piped,
        true,
    ),
    (&[], &[("CARGO_TERM_COLOR", "always")], Io::Piped, true),
    (&[], &[("CARGO_TERM_COLOR", "never")], Io::Terminal, false),
    (
        &["--color", "always"],
        &[("CARGO_TERM_COLOR", "never")],
        Io::Piped,
        true,
    ),
];

/// A fresh `acme` project in `tmp/project`.
fn project(tmp: &Path) -> PathBuf {
    new_project(tmp, "acme", &[])
}

/// A jar whose services file lists a class it does not contain: one error finding.
fn broken_jar(dir: &Path) -> PathBuf {
    let jar = dir.join("broken.jar");
    RawZip::new()
        .add(
            "META-INF/services/org.apache.flink.table.factories.Factory",
            b"com.example.MissingFactory\n",
        )
        .write_to(&jar);
    jar
}

/// A stand-in `./mvnw` that prints a Maven-like log and puts `jar` where Maven would (`ok`), or
/// fails.
fn wrapper(project: &Path, jar: Option<&Path>) {
    let mut script = String::from("#!/bin/sh\necho '[INFO] Scanning for projects...'\n");
    match jar {
        Some(jar) => script.push_str(&format!(
            "mkdir -p target && cp '{}' target/flink-connector-acme-0.1.0-SNAPSHOT.jar\n\
             echo '[INFO] BUILD SUCCESS'\n",
            jar.display()
        )),
        None => script.push_str("echo '[ERROR] BUILD FAILURE'\nexit 1\n"),
    }
    let path = project.join("mvnw");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Fresh numbered directories in one temporary directory: each run that writes gets its own.
#[derive(Default)]
struct Fresh {
    tmp: Option<tempfile::TempDir>,
    n: std::cell::Cell<usize>,
}

impl Fresh {
    fn new() -> Self {
        Fresh {
            tmp: Some(tempfile::tempdir().unwrap()),
            ..Fresh::default()
        }
    }

    fn dir(&self) -> PathBuf {
        self.n.set(self.n.get() + 1);
        let d = self
            .tmp
            .as_ref()
            .unwrap()
            .path()
            .join(self.n.get().to_string());
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// Per command: in a fresh directory, the working directory and arguments of a run that prints
/// something coloured when colour is on (a warning, an error, a diff or a report).
fn colored_run(command: &str, tmp: &Path) -> (PathBuf, Vec<String>) {
    match command {
        "new" => (tmp.to_path_buf(), strings(&["new", "redis", "--dir", "p"])),
        "generate" => {
            let p = project(tmp);
            // A managed file gone: `generate --check` shows the diff that brings it back.
            std::fs::remove_file(p.join("README.md")).unwrap();
            (p, strings(&["generate", "--check"]))
        }
        "option" => (
            project(tmp),
            strings(&["option", "add", "x.y", "--type", "string"]),
        ),
        "check" => {
            let jar = broken_jar(tmp);
            (
                tmp.to_path_buf(),
                vec!["check".into(), jar.display().to_string()],
            )
        }
        "inspect" => (tmp.to_path_buf(), strings(&["inspect", "missing.jar"])),
        "package" => {
            let p = project(tmp);
            wrapper(&p, None);
            (p, strings(&["package"]))
        }
        "line" => (project(tmp), strings(&["line", "add", "2.2"])),
        "templates" => {
            std::fs::write(tmp.join("taken"), "").unwrap();
            (
                tmp.to_path_buf(),
                vec![
                    "templates".into(),
                    "export".into(),
                    tmp.display().to_string(),
                ],
            )
        }
        // An unknown shell: clap's usage error, coloured by the same rules.
        "completions" => (tmp.to_path_buf(), strings(&["completions", "tcsh"])),
        other => panic!("no case for {other}"),
    }
}

fn check_colors(command: &str) {
    if command == "package" && !require_command("java") {
        return;
    }
    for (flags, env, io, colored) in COLOR_CASES {
        if *io == Io::Terminal && !require_command("script") {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let (cwd, mut args) = colored_run(command, tmp.path());
        args.extend(flags.iter().map(|f| f.to_string()));
        let (code, out, err) = run(&cwd, &args, env, *io);
        let shown = format!("{out}{err}");
        assert!(!shown.is_empty(), "{command} {args:?}: no output");
        assert_eq!(
            has_color(&shown),
            *colored,
            "{command} {args:?} env {env:?} {io:?} (exit {code}):\n{shown}"
        );
    }
}

#[test]
fn new_colors() {
    check_colors("new");
}
#[test]
fn generate_colors() {
    check_colors("generate");
}
#[test]
fn option_colors() {
    check_colors("option");
}
#[test]
fn check_colors_its_report() {
    check_colors("check");
}
#[test]
fn inspect_colors() {
    check_colors("inspect");
}
#[test]
fn package_colors() {
    check_colors("package");
}
#[test]
fn line_colors() {
    check_colors("line");
}
#[test]
fn templates_colors() {
    check_colors("templates");
}
#[test]
fn completions_colors() {
    check_colors("completions");
}

/// `args` in `cwd` piped, without and with `-q`.
fn normal_and_quiet(cwd: &dyn Fn() -> PathBuf, args: &[String]) -> [(i32, String, String); 2] {
    let normal = run(&cwd(), args, &[], Io::Piped);
    let mut quiet_args = args.to_vec();
    quiet_args.push("-q".into());
    let quiet = run(&cwd(), &quiet_args, &[], Io::Piped);
    assert_eq!(normal.0, quiet.0, "-q changed the exit code of {args:?}");
    [normal, quiet]
}

#[test]
fn new_quiet_keeps_warnings() {
    let fresh = Fresh::new();
    let [normal, quiet] =
        normal_and_quiet(&|| fresh.dir(), &strings(&["new", "redis", "--dir", "p"]));
    assert!(normal.2.contains("Created p/"), "{}", normal.2);
    assert!(!quiet.2.contains("Created"), "{}", quiet.2);
    for run in [&normal, &quiet] {
        assert!(run.2.contains("warning: identifier 'redis'"), "{}", run.2);
    }
}

#[test]
fn generate_quiet_and_verbose() {
    let tmp = tempfile::tempdir().unwrap();
    let p = project(tmp.path());
    let [normal, quiet] = normal_and_quiet(&|| p.clone(), &strings(&["generate"]));
    assert!(normal.2.contains("up to date"), "{}", normal.2);
    assert!(!normal.2.contains("files rendered"), "{}", normal.2);
    assert_eq!((quiet.1.as_str(), quiet.2.as_str()), ("", ""));
    let verbose = run(&p, &strings(&["generate", "-v"]), &[], Io::Piped);
    assert!(verbose.2.contains("files rendered"), "{}", verbose.2);
    // -q and -v contradict each other: a usage error.
    let both = run(&p, &strings(&["generate", "-q", "-v"]), &[], Io::Piped);
    assert_eq!(both.0, 2, "{}", both.2);
}

#[test]
fn option_and_line_quiet_print_nothing() {
    for args in [
        strings(&["option", "add", "x.y", "--type", "string"]),
        strings(&["line", "add", "2.2"]),
    ] {
        let fresh = Fresh::new();
        let [normal, quiet] = normal_and_quiet(&|| project(&fresh.dir()), &args);
        assert_eq!(normal.0, 0, "{}", normal.2);
        assert!(normal.1.contains("+++ b/"), "no diff: {}", normal.1);
        assert!(normal.2.contains("added"), "{}", normal.2);
        assert_eq!((quiet.1.as_str(), quiet.2.as_str()), ("", ""), "{args:?}");
    }
}

#[test]
fn check_quiet_prints_only_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let jar = broken_jar(tmp.path());
    let args = vec!["check".to_string(), jar.display().to_string()];
    let [normal, quiet] = normal_and_quiet(&|| tmp.path().to_path_buf(), &args);
    assert_eq!(normal.0, 1, "{}", normal.1);
    assert!(normal.1.contains("Checking ") && normal.1.contains("check failed"));
    assert!(
        !quiet.1.contains("Checking ") && !quiet.1.contains("check failed"),
        "{}",
        quiet.1
    );
    // The same error findings, line for line.
    let errors = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("error["))
            .map(str::to_string)
            .collect()
    };
    assert!(!errors(&normal.1).is_empty(), "{}", normal.1);
    assert_eq!(errors(&normal.1), errors(&quiet.1));
    // Machine formats are results: -q leaves them alone.
    let json = |extra: &[&str]| {
        let mut a = args.clone();
        a.extend(strings(&["--format", "json"]));
        a.extend(strings(extra));
        let (_, out, _) = run(tmp.path(), &a, &[], Io::Piped);
        let mut doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc.as_object_mut().unwrap().remove("elapsed_ms");
        doc
    };
    assert_eq!(json(&[]), json(&["-q"]));
}

#[test]
fn inspect_and_completions_results_are_not_silenced() {
    let tmp = tempfile::tempdir().unwrap();
    let p = project(tmp.path());
    for args in [
        strings(&["completions", "bash"]),
        strings(&["templates", "export", "--help"]),
    ] {
        let [normal, quiet] = normal_and_quiet(&|| p.clone(), &args);
        assert!(!normal.1.is_empty());
        assert_eq!(normal.1, quiet.1, "{args:?}");
    }
    // inspect: its result on stdout, an error on stderr either way.
    let [normal, quiet] = normal_and_quiet(&|| p.clone(), &strings(&["inspect", "missing.jar"]));
    assert_eq!(normal.0, 2);
    assert!(quiet.2.starts_with("error: "), "{}", quiet.2);
    assert_eq!(normal.2, quiet.2);
}

#[test]
fn templates_quiet_writes_silently() {
    let fresh = Fresh::new();
    let args = strings(&["templates", "export", "t"]);
    let [normal, quiet] = normal_and_quiet(&|| fresh.dir(), &args);
    assert!(normal.2.starts_with("Wrote "), "{}", normal.2);
    assert_eq!(quiet.2, "");
    let second = fresh.tmp.as_ref().unwrap().path().join("2/t/README.md");
    assert!(second.is_file(), "-q wrote nothing");
}

/// `package -q` with a wrapper that succeeds: no status lines and none of Maven's log, only the
/// result; when it fails, Maven's tail and the error.
#[test]
fn package_quiet_shows_maven_only_on_failure() {
    if !require_command("java") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let jar = broken_jar(tmp.path());
    let p = project(tmp.path());
    wrapper(&p, Some(&jar));
    let [normal, quiet] = normal_and_quiet(&|| p.clone(), &strings(&["package"]));
    assert!(
        normal.2.contains("Building flink-connector-acme"),
        "{}",
        normal.2
    );
    assert!(normal.2.contains("[INFO] BUILD SUCCESS"), "{}", normal.2);
    assert!(
        !quiet.2.contains("Building") && !quiet.2.contains("[INFO]"),
        "{}",
        quiet.2
    );
    for run in [&normal, &quiet] {
        assert!(run.1.contains("jar:        "), "{}", run.1);
        assert!(
            run.1.contains("error[services-"),
            "the audit's findings: {}",
            run.1
        );
    }
    wrapper(&p, None);
    let (code, _, err) = run(&p, &strings(&["package", "-q"]), &[], Io::Piped);
    assert_eq!(code, 1);
    assert!(err.contains("[ERROR] BUILD FAILURE"), "{err}");
    assert!(
        err.trim_end().ends_with(&format!(
            "full log: {}",
            p.join("target/cargo-flink-connector-maven.log").display()
        )),
        "{err}"
    );
}

/// On a terminal `package` shows a progress line instead of Maven's log; `-q` shows neither.
#[test]
fn package_quiet_on_a_terminal_shows_no_progress() {
    if !require_command("java") || !require_command("script") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let jar = broken_jar(tmp.path());
    let p = project(tmp.path());
    wrapper(&p, Some(&jar));
    let (_, normal, _) = run(&p, &strings(&["package"]), &[], Io::Terminal);
    assert!(normal.contains("Building flink-connector-acme"), "{normal}");
    let (_, quiet, _) = run(&p, &strings(&["package", "-q"]), &[], Io::Terminal);
    assert!(
        !quiet.contains("Building") && !quiet.contains("maven:") && !quiet.contains("[INFO]"),
        "{quiet}"
    );
    assert!(quiet.contains("jar:        "), "{quiet}");
}

/// `-v` only adds: every line a command prints without it, it prints with it too.
#[test]
fn verbose_keeps_every_line_of_every_command() {
    let has_java = has_command("java");
    for command in [
        "new",
        "generate",
        "option",
        "check",
        "inspect",
        "package",
        "line",
        "templates",
        "completions",
    ] {
        if command == "package" && !has_java {
            continue;
        }
        let shown = |verbose: bool| {
            let tmp = tempfile::tempdir().unwrap();
            let (cwd, mut args) = colored_run(command, tmp.path());
            if verbose {
                args.push("-v".into());
            }
            let (code, out, err) = run(&cwd, &args, &[], Io::Piped);
            let text = format!("{out}{err}").replace(&tmp.path().display().to_string(), "TMP");
            (code, text)
        };
        let (normal_code, normal) = shown(false);
        let (verbose_code, verbose) = shown(true);
        assert_eq!(normal_code, verbose_code, "{command}");
        // Timings differ from run to run.
        let missing: Vec<&str> = normal
            .lines()
            .filter(|l| !l.contains(" ms") && !verbose.lines().any(|v| v == *l))
            .collect();
        assert!(
            missing.is_empty(),
            "{command} -v lost {missing:?}:\n{verbose}"
        );
    }
}
