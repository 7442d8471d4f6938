//! Helpers shared by the audit's integration tests: the provisioned Flink cache, Java tools,
//! and a raw ZIP writer that can build archives the `zip` crate refuses to write (duplicates,
//! lying sizes, odd names).
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Skips the calling test (returns `None`) when a prerequisite is missing locally; on CI
/// (`CI=true`) a missing prerequisite fails the test instead.
pub fn require(what: &str, available: bool) -> Option<()> {
    if available {
        return Some(());
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is required on CI (run scripts/provision)");
    }
    eprintln!("skipped: {what} is not available (run scripts/provision)");
    None
}

pub fn cache_root() -> PathBuf {
    match std::env::var_os("FLINK_CONNECTOR_CACHE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".cache/cargo-flink-connector"),
    }
}

/// `lib/` of a provisioned Flink version, or `None` (after `require`) when not provisioned.
pub fn flink_lib(version: &str) -> Option<PathBuf> {
    let dir = cache_root().join("flink").join(version).join("lib");
    require(
        &format!("Flink {version} in {}", dir.display()),
        dir.is_dir(),
    )?;
    Some(dir)
}

pub fn lib_jar(lib: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(lib)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}* in {}", lib.display()))
}

pub fn have_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Compiles Java sources with `javac --release N` against `classpath` into `out`.
pub fn javac(sources: &[PathBuf], classpath: &str, release: u8, out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    let output = Command::new("javac")
        .args([
            "-nowarn",
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
        .expect("javac runs");
    assert!(
        output.status.success(),
        "javac failed for {sources:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file below `dir`, sorted.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Every `.java` file below `dir`.
pub fn java_sources(dir: &Path) -> Vec<PathBuf> {
    files_below(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "java"))
        .collect()
}

/// Files below `dir` as (entry name relative to `dir`, bytes).
pub fn class_entries(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_below(dir)
        .into_iter()
        .map(|path| {
            (
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect()
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
