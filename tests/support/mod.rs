//! Shared plumbing for integration tests: the tool binary, the real toolchain (Java, Maven,
//! Flink jars from PyPI, redis-server) that `scripts/provision` installs, javac, file trees, and
//! a raw ZIP writer that can build archives the `zip` crate refuses to write (duplicates, lying
//! sizes, odd names).
//!
//! A test that needs a missing prerequisite skips with a message locally, and fails in CI
//! (`CI=true`), where a skip would hide a broken install step.
#![allow(dead_code)]

pub mod corpus;
pub mod factories;
pub mod javac_server;
pub mod minicluster;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

/// The patch of each line that `scripts/provision` downloads.
pub const FLINK_VERSIONS: &[&str] = &[
    "1.17.2", "1.18.1", "1.19.3", "1.20.5", "2.0.2", "2.1.3", "2.2.1", "2.3.0",
];

/// The lines built with Maven by default (`FLINK_MVN_LINES=all`: every line). A line means its
/// default patch, the newest whose artifacts Maven Central serves.
pub const MAVEN_LINES: &[&str] = &["1.17", "1.20", "2.2"];
pub const ALL_LINES: &[&str] = &["1.17", "1.18", "1.19", "1.20", "2.0", "2.1", "2.2", "2.3"];

/// Lines to build with Maven: MAVEN_LINES, every line with FLINK_MVN_LINES=all, or the lines
/// FLINK_MVN_LINES lists (`1.18,2.3`).
pub fn maven_lines() -> Vec<&'static str> {
    match std::env::var("FLINK_MVN_LINES").as_deref() {
        Ok("all") => ALL_LINES.to_vec(),
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(|x| {
                let x = x.trim();
                *ALL_LINES
                    .iter()
                    .find(|l| **l == x)
                    .unwrap_or_else(|| panic!("FLINK_MVN_LINES: unknown line '{x}'"))
            })
            .collect(),
        _ => MAVEN_LINES.to_vec(),
    }
}

/// The tool, with CI's or the user's `CARGO_TERM_COLOR` removed: colour follows the pipe unless a
/// test asks for it (a CI exporting `CARGO_TERM_COLOR=always` colours every command's output).
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-flink-connector"));
    cmd.env_remove("CARGO_TERM_COLOR");
    cmd
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
/// In a function returning `Option`, `require(…).then_some(())?` skips the same way.
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

/// Makes sure the cache directory `dir` exists, filling it with `fill` when it does not: `fill`
/// writes into a fresh sibling directory that is renamed into place, so a reader never sees a
/// half-written entry and two tests filling the same entry at once both succeed (the loser's copy
/// is dropped). Every test fills what it reads through this, never relying on another test.
pub fn ensure_cached(
    dir: &Path,
    fill: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    if dir.is_dir() {
        return Ok(());
    }
    let parent = dir.parent().expect("a cache entry has a parent");
    std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let partial = tempfile::Builder::new()
        .prefix(".partial-")
        .tempdir_in(parent)
        .map_err(|e| format!("{}: {e}", parent.display()))?;
    fill(partial.path())?;
    match std::fs::rename(partial.path(), dir) {
        Ok(()) => Ok(()),
        // Another test renamed its copy into place first: use that one.
        Err(_) if dir.is_dir() => Ok(()),
        Err(e) => Err(format!("{}: {e}", dir.display())),
    }
}

pub fn flink_lib(version: &str) -> Option<PathBuf> {
    let lib = cache_dir().join("flink").join(version).join("lib");
    require(
        &format!("Flink {version} jars ({})", lib.display()),
        lib.join("../.complete").exists(),
    )
    .then_some(lib)
}

pub fn has_command(cmd: &str) -> bool {
    Command::new(cmd).arg("-version").output().is_ok()
        || Command::new(cmd).arg("--version").output().is_ok()
}

pub fn require_command(cmd: &str) -> bool {
    require(&format!("`{cmd}`"), has_command(cmd))
}

/// A JDK: `javac` to compile test classes and `java` to run them.
pub fn require_jdk() -> bool {
    require(
        "javac and java (JDK 17)",
        has_command("javac") && has_command("java"),
    )
}

/// Maven builds and MiniCluster jobs are heavy; run one at a time on a 2-core machine.
pub fn heavy() -> MutexGuard<'static, ()> {
    static HEAVY: Mutex<()> = Mutex::new(());
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

/// The `.jar` in `lib` whose file name starts with `prefix` (panics when there is none).
pub fn lib_jar(lib: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(lib)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}* in {}", lib.display()))
}

/// Every file below `dir`, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

/// Files below `dir` as (name relative to `dir` with '/', bytes): a class directory as jar
/// entries, or a generated tree to compare.
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir)
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(dir)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(&path).unwrap();
            (name, bytes)
        })
        .collect()
}

/// Every `.java` file below `dir`, sorted.
pub fn java_sources(dir: &Path) -> Vec<PathBuf> {
    files_below(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "java"))
        .collect()
}

/// `"LIB/*"` plus `extra` entries, as a javac/java class path.
pub fn lib_classpath(lib: &Path, extra: &[&Path]) -> String {
    let mut cp = format!("{}/*", lib.display());
    for p in extra {
        cp.push(':');
        cp.push_str(&p.display().to_string());
    }
    cp
}

/// `javac --release R -cp CLASSPATH -d OUT SOURCES`; returns javac's output on failure.
pub fn javac_sources(
    sources: &[PathBuf],
    classpath: &str,
    release: u8,
    out: &Path,
) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let output = Command::new("javac")
        .args([
            "-nowarn",
            "-Xlint:none",
            "-encoding",
            "UTF-8",
            "--release",
            &release.to_string(),
            "-cp",
            classpath,
            "-d",
        ])
        .arg(out)
        .args(sources)
        .output()
        .expect("run javac");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "javac failed for {sources:?}:\n{}{}",
            stdout(&output),
            stderr(&output)
        ))
    }
}

/// `javac --release R -cp "LIB/*"` over every main source file of a project into
/// `target/javac-classes`; returns javac's output on failure.
pub fn javac(project: &Path, lib: &Path, release: u8) -> Result<(), String> {
    let sources = java_sources(&project.join("src/main/java"));
    assert!(
        !sources.is_empty(),
        "no Java sources under {}",
        project.display()
    );
    javac_sources(
        &sources,
        &lib_classpath(lib, &[]),
        release,
        &project.join("target/javac-classes"),
    )
}

/// `mvn -B package` in `project`, as a user runs it: the POM's own plugin and dependency
/// versions, Maven Central (or the mirror in ~/.m2/settings.xml), the local repository ~/.m2.
/// `-Dstyle.color=never` only keeps escape codes out of the log the tests read.
pub fn mvn_package(project: &Path, extra: &[&str]) -> Output {
    Command::new("mvn")
        .current_dir(project)
        .args(["-B", "-Dstyle.color=never"])
        .args(extra)
        .arg("package")
        .output()
        .expect("run mvn")
}

/// The last `n` lines of Maven's output, for assertion messages.
pub fn tail(o: &Output, n: usize) -> String {
    let text = format!("{}{}", stdout(o), stderr(o));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

/// A ZIP archive written byte by byte: stored or deflated entries, optional lies.
#[derive(Default)]
pub struct RawZip {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u64,
}

pub struct RawEntry<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
    pub deflate: bool,
    /// Overrides the uncompressed size written to both headers.
    pub declared_size: Option<u32>,
    pub method: Option<u16>,
}

impl<'a> RawEntry<'a> {
    pub fn new(name: &'a str, data: &'a [u8]) -> Self {
        RawEntry {
            name,
            data,
            deflate: true,
            declared_size: None,
            method: None,
        }
    }
}

impl RawZip {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: &str, data: &[u8]) -> &mut Self {
        self.add_entry(RawEntry::new(name, data))
    }

    pub fn add_entry(&mut self, e: RawEntry) -> &mut Self {
        let payload = if e.deflate {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(e.data).unwrap();
            enc.finish().unwrap()
        } else {
            e.data.to_vec()
        };
        let method = e.method.unwrap_or(if e.deflate { 8 } else { 0 });
        let crc = crc32fast::hash(e.data);
        let size = e.declared_size.unwrap_or(e.data.len() as u32);
        let offset = self.out.len() as u32;
        let name = e.name.as_bytes();
        let mut local = Vec::new();
        local.extend(0x04034b50u32.to_le_bytes());
        local.extend(20u16.to_le_bytes());
        local.extend(0u16.to_le_bytes()); // flags
        local.extend(method.to_le_bytes());
        local.extend([0u8; 4]); // time, date
        local.extend(crc.to_le_bytes());
        local.extend((payload.len() as u32).to_le_bytes());
        local.extend(size.to_le_bytes());
        local.extend((name.len() as u16).to_le_bytes());
        local.extend(0u16.to_le_bytes());
        local.extend(name);
        self.out.extend(&local);
        self.out.extend(&payload);
        let c = &mut self.central;
        c.extend(0x02014b50u32.to_le_bytes());
        c.extend(20u16.to_le_bytes());
        c.extend(20u16.to_le_bytes());
        c.extend(0u16.to_le_bytes());
        c.extend(method.to_le_bytes());
        c.extend([0u8; 4]);
        c.extend(crc.to_le_bytes());
        c.extend((payload.len() as u32).to_le_bytes());
        c.extend(size.to_le_bytes());
        c.extend((name.len() as u16).to_le_bytes());
        c.extend([0u8; 8]); // extra len, comment len, disk, internal attrs
        c.extend(0u32.to_le_bytes()); // external attrs
        c.extend(offset.to_le_bytes());
        c.extend(name);
        self.count += 1;
        self
    }

    /// Archive bytes; more than 65,535 entries get the ZIP64 end records.
    pub fn finish(&self) -> Vec<u8> {
        let mut out = self.out.clone();
        let cd_start = out.len() as u64;
        out.extend(&self.central);
        let cd_len = self.central.len() as u64;
        let zip64 = self.count > 0xFFFF;
        if zip64 {
            let record_at = out.len() as u64;
            out.extend(0x06064b50u32.to_le_bytes());
            out.extend(44u64.to_le_bytes());
            out.extend(45u16.to_le_bytes());
            out.extend(45u16.to_le_bytes());
            out.extend([0u8; 8]); // disk numbers
            out.extend(self.count.to_le_bytes());
            out.extend(self.count.to_le_bytes());
            out.extend(cd_len.to_le_bytes());
            out.extend(cd_start.to_le_bytes());
            out.extend(0x07064b50u32.to_le_bytes());
            out.extend(0u32.to_le_bytes());
            out.extend(record_at.to_le_bytes());
            out.extend(1u32.to_le_bytes());
        }
        let short_count = if zip64 { 0xFFFF } else { self.count as u16 };
        out.extend(0x06054b50u32.to_le_bytes());
        out.extend([0u8; 4]);
        out.extend(short_count.to_le_bytes());
        out.extend(short_count.to_le_bytes());
        out.extend((cd_len as u32).to_le_bytes());
        out.extend((cd_start as u32).to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    pub fn write_to(&self, path: &Path) {
        std::fs::write(path, self.finish()).unwrap();
    }
}

/// `new PRESET --dir project EXTRA…` in `tmp`; the new project's directory.
pub fn new_project(tmp: &Path, preset: &str, extra: &[&str]) -> PathBuf {
    let mut args = vec!["new", preset, "--dir", "project"];
    args.extend_from_slice(extra);
    let out = run_in(tmp, &args);
    assert!(out.status.success(), "new {args:?}: {}", stderr(&out));
    tmp.join("project")
}

/// `option add scan.page-size --type int --default 500 --description "Rows per page"` in
/// `project`: the option several tests add, then look for in the code, docs and jar.
pub fn add_page_size_option(project: &Path) -> Output {
    run_in(
        project,
        &[
            "option",
            "add",
            "scan.page-size",
            "--type",
            "int",
            "--default",
            "500",
            "--description",
            "Rows per page",
        ],
    )
}

/// A file's text; a missing or unreadable file fails the test naming the path.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `generate --check ARGS…` finds the project exactly as its manifest renders it.
pub fn assert_no_drift(project: &Path, args: &[&str]) {
    let mut all = vec!["generate", "--check"];
    all.extend_from_slice(args);
    let out = run_in(project, &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// xorshift64*: randomness for property tests, reproducible from the seed they print.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// In `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// An index into a collection of `len` elements (0 when it is empty).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }
}

/// The seed the environment variable `var` names, else one from the clock.
pub fn env_seed(var: &str) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        })
}
