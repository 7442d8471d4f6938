//! A JAR's central directory, read once through the `zip` crate. Entry contents are read on
//! demand and size-capped, so a hostile archive (zip bomb, overlapping entries, 100k entries)
//! costs bounded memory and time. Archive-level oddities are collected as [`Anomaly`] values;
//! the check rules turn them into findings.

mod lib_jar;
pub mod manifest;
pub mod services;
mod shared_file;

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use zip::result::ZipError;
use zip::ZipArchive;

pub use lib_jar::LibJar;
pub use shared_file::SharedFile;

// The limits live in crate::bounds (documented there and in docs/bounds.md).
pub use crate::bounds::{
    DEFAULT_ENTRY_CAP, MAX_CENTRAL_DIRECTORY, MAX_ENTRIES, SUSPICIOUS_MIN_SIZE, SUSPICIOUS_RATIO,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub size: u64,
    pub compressed_size: u64,
    pub crc32: u32,
    pub is_dir: bool,
    /// ZIP compression method (0 stored, 8 deflated); the JVM reads no other.
    pub method: u16,
    pub encrypted: bool,
    header_start: u64,
}

impl Entry {
    pub fn is_class(&self) -> bool {
        !self.is_dir && self.name.ends_with(".class")
    }
}

/// Something about the archive itself that a rule may report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anomaly {
    /// The central directory names the same entry more than once.
    DuplicateName {
        name: String,
        copies: usize,
        contents_differ: bool,
    },
    /// `..` segments, absolute paths, drive letters or backslashes.
    UnsafeName { name: String, reason: &'static str },
    /// Declared size far above the compressed size: a possible zip bomb.
    HighRatio {
        name: String,
        size: u64,
        compressed: u64,
    },
    /// Two entries claim overlapping bytes of the file (the "overlapping zip bomb" construction).
    Overlapping { name: String, other: String },
    /// A JAR or ZIP inside the JAR; class loaders do not look inside it.
    NestedArchive { name: String },
    /// Neither stored nor deflated, or encrypted: `java.util.zip` cannot read it.
    UnreadableMethod {
        name: String,
        method: u16,
        encrypted: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum JarError {
    #[error("cannot open {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is {kind}, not a jar file", path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} is not a readable ZIP/JAR archive: {reason}", path.display())]
    NotAZip { path: PathBuf, reason: String },
    #[error("{} has {count} entries, more than the {MAX_ENTRIES} this tool reads", path.display())]
    TooManyEntries { path: PathBuf, count: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("declares {declared} bytes, above the {cap}-byte limit for this kind of entry")]
    TooLarge { declared: u64, cap: u64 },
    #[error("cannot be decompressed: {0}")]
    Corrupt(String),
    /// Its data overlaps an earlier entry's: reading it would decompress the same bytes again.
    #[error("not read: its data overlaps entry {0}")]
    Overlaps(String),
    #[error("not read: the jar's decompression budget of {budget} bytes is spent")]
    OverBudget { budget: u64 },
}

/// Bytes all reads of one jar may decompress together: generous for real jars (they inflate
/// 2–5×), small enough that high-ratio entries cannot cost minutes. `on_disk` is what the file
/// really occupies ([`SharedFile::on_disk`]): a sparse file's holes buy nothing.
pub fn decompression_budget(on_disk: u64) -> u64 {
    use crate::bounds::{DECOMPRESSION_BASE, DECOMPRESSION_MAX, DECOMPRESSION_PER_DISK_BYTE};
    DECOMPRESSION_BASE
        .saturating_add(on_disk.saturating_mul(DECOMPRESSION_PER_DISK_BYTE))
        .min(DECOMPRESSION_MAX)
}

/// What a jar's reads left out, for the report.
#[derive(Debug, Default)]
struct Skipped {
    overlapping: Vec<String>,
    over_budget: Vec<String>,
}

pub struct JarIndex {
    path: PathBuf,
    archive: ZipArchive<SharedFile>,
    entries: Vec<Entry>,
    by_name: foldhash::HashMap<String, usize>,
    file_len: u64,
    /// Found on first use: a runtime's lib/ jars are only looked up, never audited.
    anomalies: OnceLock<Vec<Anomaly>>,
    /// Entry index → the earlier entry (by file offset) whose data it overlaps; found on the
    /// first read.
    overlaps: OnceLock<HashMap<usize, usize>>,
    budget: u64,
    /// Bytes decompressed so far, over all threads.
    spent: AtomicU64,
    skipped: Mutex<Skipped>,
}

impl fmt::Debug for JarIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JarIndex")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .finish()
    }
}

/// Build by-products that are not the connector: the pre-shade jar and attached artifacts.
pub fn is_connector_jar(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with(".jar")
        && !name.starts_with("original-")
        && ![
            "-sources.jar",
            "-javadoc.jar",
            "-tests.jar",
            "-test-sources.jar",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

/// The connector jars directly in `dir` (Maven's `target/`), sorted; none when `dir` is missing.
/// Only regular files count: a FIFO or directory named `*.jar` is not a build output.
pub fn connector_jars_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut jars: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_connector_jar(p))
        .collect();
    jars.sort();
    Ok(jars)
}

/// What a path is, when it is not a regular file (symbolic links followed).
pub(crate) fn irregular_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Fails unless `path` is a regular file; reads only its metadata, so a FIFO cannot block.
pub fn ensure_regular_file(path: &Path) -> Result<(), JarError> {
    let metadata = std::fs::metadata(path).map_err(|source| JarError::Open {
        path: path.to_owned(),
        source,
    })?;
    match irregular_kind(&metadata.file_type()) {
        None => Ok(()),
        Some(kind) => Err(JarError::NotRegular {
            path: path.to_owned(),
            kind,
        }),
    }
}

/// Fails on the first `*.jar` in `dir` that is not a regular file (a runtime's `lib/`).
pub fn ensure_regular_jars_in(dir: &Path) -> Result<(), JarError> {
    let entries = std::fs::read_dir(dir).map_err(|source| JarError::Open {
        path: dir.to_owned(),
        source,
    })?;
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_some_and(|e| e == "jar") {
            ensure_regular_file(&path)?;
        }
    }
    Ok(())
}

/// Opens a regular file without blocking: `O_NONBLOCK` keeps a FIFO swapped in after the
/// metadata check from hanging the open, and the opened file's own type is checked again.
fn open_regular(path: &Path) -> Result<File, JarError> {
    ensure_regular_file(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|source| JarError::Open {
        path: path.to_owned(),
        source,
    })?;
    let metadata = file.metadata().map_err(|source| JarError::Open {
        path: path.to_owned(),
        source,
    })?;
    match irregular_kind(&metadata.file_type()) {
        None => Ok(file),
        Some(kind) => Err(JarError::NotRegular {
            path: path.to_owned(),
            kind,
        }),
    }
}

impl JarIndex {
    pub fn open(path: &Path) -> Result<JarIndex, JarError> {
        let file = open_regular(path)?;
        let shared = SharedFile::new(file).map_err(|source| JarError::Open {
            path: path.to_owned(),
            source,
        })?;
        let file_len = shared.len();
        let on_disk = shared.on_disk();
        let archive = ZipArchive::new(shared).map_err(|e| JarError::NotAZip {
            path: path.to_owned(),
            reason: zip_reason(&e),
        })?;
        if archive.len() > MAX_ENTRIES {
            return Err(JarError::TooManyEntries {
                path: path.to_owned(),
                count: archive.len(),
            });
        }
        let metadata = archive.metadata();
        let mut entries = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let e = metadata.entry(i).map_err(|e| JarError::NotAZip {
                path: path.to_owned(),
                reason: zip_reason(&e),
            })?;
            entries.push(Entry {
                name: match std::str::from_utf8(e.name_raw()) {
                    Ok(name) => name.to_owned(),
                    Err(_) => String::from_utf8_lossy(e.name_raw()).into_owned(),
                },
                size: e.size(),
                compressed_size: e.compressed_size(),
                crc32: e.crc32(),
                is_dir: e.is_dir(),
                method: compression_code(e.compression()),
                encrypted: e.encrypted(),
                header_start: e.header_start(),
            });
        }
        let by_name = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.clone(), i))
            .collect();
        Ok(JarIndex {
            path: path.to_owned(),
            archive,
            entries,
            by_name,
            file_len,
            anomalies: OnceLock::new(),
            overlaps: OnceLock::new(),
            budget: decompression_budget(on_disk),
            spent: AtomicU64::new(0),
            skipped: Mutex::new(Skipped::default()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Entries in central-directory order; a duplicated name appears once (see [`Anomaly`]).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn anomalies(&self) -> &[Anomaly] {
        self.anomalies
            .get_or_init(|| self.find_anomalies(self.file_len))
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.index_of(name).map(|i| &self.entries[i])
    }

    /// Reads a whole entry, refusing entries declared larger than `cap`; the decompressed
    /// size must equal the declared one and the CRC must match.
    pub fn read(&self, index: usize, cap: u64) -> Result<Vec<u8>, EntryError> {
        self.read_with(&mut self.archive.clone(), index, cap)
    }

    pub fn read_named(&self, name: &str, cap: u64) -> Option<Result<Vec<u8>, EntryError>> {
        self.index_of(name).map(|i| self.read(i, cap))
    }

    fn read_with(
        &self,
        archive: &mut ZipArchive<SharedFile>,
        index: usize,
        cap: u64,
    ) -> Result<Vec<u8>, EntryError> {
        let declared = self
            .entries
            .get(index)
            .map(|e| e.size)
            .ok_or_else(|| EntryError::Corrupt("no such entry".into()))?;
        if declared > cap {
            return Err(EntryError::TooLarge { declared, cap });
        }
        let overlaps = self.overlaps.get_or_init(|| self.overlapping_data());
        if let Some(&first) = overlaps.get(&index) {
            let other = self.entries[first].name.clone();
            self.note_skipped(index, false);
            return Err(EntryError::Overlaps(other));
        }
        let spent = self.spent.fetch_add(declared, Ordering::Relaxed);
        if spent.saturating_add(declared) > self.budget {
            self.note_skipped(index, true);
            return Err(EntryError::OverBudget {
                budget: self.budget,
            });
        }
        let file = archive
            .by_index(index)
            .map_err(|e| EntryError::Corrupt(zip_reason(&e)))?;
        let mut buf = Vec::with_capacity(declared as usize);
        file.take(cap.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| EntryError::Corrupt(e.to_string()))?;
        if buf.len() as u64 != declared {
            return Err(EntryError::Corrupt(format!(
                "declares {declared} bytes but holds {}",
                buf.len()
            )));
        }
        Ok(buf)
    }

    fn note_skipped(&self, index: usize, over_budget: bool) {
        let Ok(mut skipped) = self.skipped.lock() else {
            return;
        };
        let list = if over_budget {
            &mut skipped.over_budget
        } else {
            &mut skipped.overlapping
        };
        let name = &self.entries[index].name;
        if !list.contains(name) {
            list.push(name.clone());
        }
    }

    /// What reads of this jar left out so far (overlapping data, the decompression budget), as
    /// one sentence for a report; `None` when everything asked for was read.
    pub fn skipped(&self) -> Option<String> {
        let skipped = self.skipped.lock().ok()?;
        let describe = |names: &[String], why: String| {
            let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
            let more = names.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("{} entries {why} ({}{tail})", names.len(), shown.join(", "))
        };
        let mut parts = Vec::new();
        if !skipped.overlapping.is_empty() {
            parts.push(describe(
                &skipped.overlapping,
                "share their compressed data with an earlier entry and were read once".into(),
            ));
        }
        if !skipped.over_budget.is_empty() {
            parts.push(describe(
                &skipped.over_budget,
                format!(
                    "were not read: the jar's decompression budget of {} MiB was spent",
                    self.budget >> 20
                ),
            ));
        }
        (!parts.is_empty()).then(|| format!("not read: {}", parts.join("; ")))
    }

    /// Calls `visit` with every entry accepted by `select`, read on `threads` threads; results come
    /// back in entry order. Memory stays bounded by `threads` entries in flight plus the results.
    pub fn map_entries<T, S, F>(&self, threads: usize, cap: u64, select: S, visit: F) -> Vec<T>
    where
        T: Send,
        S: Fn(&Entry) -> bool + Sync,
        F: Fn(&Entry, Result<Vec<u8>, EntryError>) -> Option<T> + Sync,
    {
        let selected: Vec<usize> = (0..self.entries.len())
            .filter(|&i| select(&self.entries[i]))
            .collect();
        let next = AtomicUsize::new(0);
        let threads = threads.clamp(1, 64).min(selected.len().max(1));
        let work = |mut archive: ZipArchive<SharedFile>| {
            let mut out = Vec::new();
            loop {
                let slot = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = selected.get(slot) else {
                    break;
                };
                let entry = &self.entries[index];
                if let Some(value) = visit(entry, self.read_with(&mut archive, index, cap)) {
                    out.push((slot, value));
                }
            }
            out
        };
        let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let archive = self.archive.clone();
                    scope.spawn(move || work(archive))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        results.sort_by_key(|(slot, _)| *slot);
        results.into_iter().map(|(_, v)| v).collect()
    }

    fn find_anomalies(&self, file_len: u64) -> Vec<Anomaly> {
        let mut found = Vec::new();
        for e in &self.entries {
            if let Some(reason) = unsafe_name_reason(&e.name) {
                found.push(Anomaly::UnsafeName {
                    name: e.name.clone(),
                    reason,
                });
            }
            if !e.is_dir
                && e.size >= SUSPICIOUS_MIN_SIZE
                && e.size / e.compressed_size.max(1) >= SUSPICIOUS_RATIO
            {
                found.push(Anomaly::HighRatio {
                    name: e.name.clone(),
                    size: e.size,
                    compressed: e.compressed_size,
                });
            }
            if !e.is_dir
                && (ends_with_ignore_case(&e.name, ".jar")
                    || ends_with_ignore_case(&e.name, ".zip"))
            {
                found.push(Anomaly::NestedArchive {
                    name: e.name.clone(),
                });
            }
            if !e.is_dir && (e.encrypted || !matches!(e.method, 0 | 8)) {
                found.push(Anomaly::UnreadableMethod {
                    name: e.name.clone(),
                    method: e.method,
                    encrypted: e.encrypted,
                });
            }
        }
        found.extend(self.overlapping_entries());
        if self.archive.has_duplicate_names() {
            found.extend(self.duplicate_names(file_len));
        }
        found
    }

    /// Entries whose data starts inside an earlier entry's (by file offset), mapped to that
    /// entry: one deflate stream shared by many names is then decompressed once.
    fn overlapping_data(&self) -> HashMap<usize, usize> {
        let mut by_offset: Vec<usize> = (0..self.entries.len())
            .filter(|&i| !self.entries[i].is_dir || self.entries[i].compressed_size > 0)
            .collect();
        by_offset.sort_by_key(|&i| self.entries[i].header_start);
        let mut overlaps = HashMap::new();
        let mut reach: Option<(u64, usize)> = None;
        for i in by_offset {
            let e = &self.entries[i];
            match reach {
                Some((end, owner)) if e.header_start < end => {
                    overlaps.insert(i, owner);
                }
                _ => {}
            }
            // The local header is at least 30 bytes plus the name.
            let end = e
                .header_start
                .saturating_add(30 + e.name.len() as u64)
                .saturating_add(e.compressed_size);
            if reach.is_none_or(|(r, _)| end > r) {
                reach = Some((end, overlaps.get(&i).copied().unwrap_or(i)));
            }
        }
        overlaps
    }

    /// An entry's data starts after its 30-byte local header, so if `header + compressed size`
    /// already reaches the next entry's header, the two certainly share bytes.
    fn overlapping_entries(&self) -> Vec<Anomaly> {
        let mut by_offset: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| !e.is_dir || e.compressed_size > 0)
            .collect();
        by_offset.sort_by_key(|e| e.header_start);
        by_offset
            .windows(2)
            .filter(|w| {
                w[0].header_start.saturating_add(w[0].compressed_size) > w[1].header_start
                    || w[0].header_start == w[1].header_start
            })
            .take(100)
            .map(|w| Anomaly::Overlapping {
                name: w[1].name.clone(),
                other: w[0].name.clone(),
            })
            .collect()
    }

    /// The `zip` crate keeps one entry per name, so duplicates are counted from the raw central
    /// directory (46-byte headers followed by name, extra field and comment).
    fn duplicate_names(&self, file_len: u64) -> Vec<Anomaly> {
        let start = self
            .archive
            .central_directory_start()
            .saturating_add(self.archive.offset());
        let len = file_len.saturating_sub(start).min(MAX_CENTRAL_DIRECTORY) as usize;
        let mut directory = vec![0u8; len];
        let mut reader = self.archive.clone().into_inner();
        if std::io::Seek::seek(&mut reader, std::io::SeekFrom::Start(start)).is_err()
            || reader.read_exact(&mut directory).is_err()
        {
            return Vec::new();
        }
        let mut seen: HashMap<&[u8], (usize, Vec<u32>)> = HashMap::new();
        let mut order = Vec::new();
        let mut at = 0usize;
        while let Some(header) = directory.get(at..at + 46) {
            if header[..4] != [0x50, 0x4b, 0x01, 0x02] {
                break;
            }
            let le16 = |o: usize| usize::from(u16::from_le_bytes([header[o], header[o + 1]]));
            let crc = u32::from_le_bytes([header[16], header[17], header[18], header[19]]);
            let (name_len, extra_len, comment_len) = (le16(28), le16(30), le16(32));
            let Some(name) = directory.get(at + 46..at + 46 + name_len) else {
                break;
            };
            let slot = seen.entry(name).or_insert_with(|| {
                order.push(name);
                (0, Vec::new())
            });
            slot.0 += 1;
            slot.1.push(crc);
            at += 46 + name_len + extra_len + comment_len;
        }
        order
            .into_iter()
            .filter_map(|name| {
                let (copies, crcs) = &seen[name];
                (*copies > 1).then(|| Anomaly::DuplicateName {
                    name: String::from_utf8_lossy(name).into_owned(),
                    copies: *copies,
                    contents_differ: crcs.iter().any(|c| *c != crcs[0]),
                })
            })
            .collect()
    }
}

fn ends_with_ignore_case(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

fn unsafe_name_reason(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.starts_with('\\') {
        Some("absolute path")
    } else if name.as_bytes().get(1) == Some(&b':') && name.as_bytes()[0].is_ascii_alphabetic() {
        Some("drive-letter path")
    } else if name.split(['/', '\\']).any(|segment| segment == "..") {
        Some("`..` path segment")
    } else if name.contains('\\') {
        Some("backslash in the name")
    } else if name.contains('\0') {
        Some("NUL byte in the name")
    } else {
        None
    }
}

fn compression_code(method: zip::CompressionMethod) -> u16 {
    #[allow(deprecated)]
    match method {
        zip::CompressionMethod::Stored => 0,
        zip::CompressionMethod::Deflated => 8,
        zip::CompressionMethod::Unsupported(code) => code,
        _ => 0xffff,
    }
}

fn zip_reason(err: &ZipError) -> String {
    match err {
        ZipError::Io(e) => format!("I/O error ({e})"),
        other => other.to_string(),
    }
}
