//! Shared plumbing for integration tests: the tool binary, and the real toolchain (Java, Maven,
//! Flink jars from PyPI, redis-server) that `scripts/provision` installs.
//!
//! A test that needs a missing prerequisite skips with a message locally, and fails in CI
//! (`CI=true`), where a skip would hide a broken install step.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

/// The patch of each line that `scripts/provision` downloads.
pub const FLINK_VERSIONS: &[&str] = &[
    "1.17.2", "1.18.1", "1.19.3", "1.20.5", "2.0.2", "2.1.3", "2.2.1", "2.3.0",
];

/// Debian's Maven plugins, passed as the POM's overridable version properties.
pub const OFFLINE_PLUGIN_VERSIONS: &[(&str, &str)] = &[
    ("shade-plugin.version", "3.4.1"),
    ("compiler-plugin.version", "3.10.1"),
    ("surefire-plugin.version", "2.22.3"),
    ("jar-plugin.version", "3.3.0"),
    ("resources-plugin.version", "3.3.0"),
    ("clean-plugin.version", "3.2.0"),
    ("install-plugin.version", "3.1.0"),
    ("junit.version", "5.9.2"),
];

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cargo-flink-connector"))
}

/// Runs `cargo-flink-connector flink-connector ARGS` in `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(cwd)
        .arg("flink-connector")
        .args(args)
        .output()
        .expect("run cargo-flink-connector")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn in_ci() -> bool {
    std::env::var("CI").map(|v| v == "true").unwrap_or(false)
}

/// Returns false (test should return early) when `what` is missing outside CI; panics in CI.
pub fn require(what: &str, available: bool) -> bool {
    if available {
        return true;
    }
    if in_ci() {
        panic!("{what} is missing, and CI=true forbids skipping: run scripts/provision");
    }
    eprintln!("SKIPPED: {what} is missing (run scripts/provision)");
    false
}

pub fn cache_dir() -> PathBuf {
    std::env::var_os("FLINK_CONNECTOR_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/cargo-flink-connector")
        })
}

pub fn flink_lib(version: &str) -> Option<PathBuf> {
    let lib = cache_dir().join("flink").join(version).join("lib");
    require(
        &format!("Flink {version} jars ({})", lib.display()),
        lib.join("../.complete").exists(),
    )
    .then_some(lib)
}

pub fn offline_m2() -> Option<PathBuf> {
    let m2 = cache_dir().join("m2");
    require(
        &format!("the offline Maven repository {}", m2.display()),
        m2.join(".debian-copied").exists(),
    )
    .then_some(m2)
}

pub fn has_command(cmd: &str) -> bool {
    Command::new(cmd).arg("-version").output().is_ok()
        || Command::new(cmd).arg("--version").output().is_ok()
}

pub fn require_command(cmd: &str) -> bool {
    require(&format!("`{cmd}`"), has_command(cmd))
}

/// Maven builds and MiniCluster jobs are heavy; run one at a time on a 2-core machine.
pub fn heavy() -> MutexGuard<'static, ()> {
    static HEAVY: Mutex<()> = Mutex::new(());
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

/// `javac --release R -cp "LIB/*"` over every main source file of a project; returns javac's output on failure.
pub fn javac(project: &Path, lib: &Path, release: u8) -> Result<(), String> {
    let out = project.join("target/javac-classes");
    let sources: Vec<PathBuf> = walkdir::WalkDir::new(project.join("src/main/java"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "java"))
        .map(|e| e.into_path())
        .collect();
    assert!(
        !sources.is_empty(),
        "no Java sources under {}",
        project.display()
    );
    let output = Command::new("javac")
        .args([
            "-nowarn",
            "-Xlint:none",
            "--release",
            &release.to_string(),
            "-cp",
        ])
        .arg(format!("{}/*", lib.display()))
        .arg("-d")
        .arg(&out)
        .args(&sources)
        .output()
        .expect("run javac");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", stdout(&output), stderr(&output)))
    }
}

/// `mvn -B -o package` with the offline repository and Debian's plugin versions.
pub fn mvn_package(project: &Path, m2: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new("mvn");
    cmd.current_dir(project)
        .args(["-B", "-ntp", "-o"])
        .arg(format!("-Dmaven.repo.local={}", m2.display()));
    for (k, v) in OFFLINE_PLUGIN_VERSIONS {
        cmd.arg(format!("-D{k}={v}"));
    }
    cmd.args(extra).arg("package");
    cmd.output().expect("run mvn")
}

/// The last `n` lines of Maven's output, for assertion messages.
pub fn tail(o: &Output, n: usize) -> String {
    let text = format!("{}{}", stdout(o), stderr(o));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
