//! A jar of a runtime's lib/, read lean: its central directory is read in one piece and indexed
//! in place (no allocation per entry), and an entry is inflated straight from its local header.
//! A Flink lib/ holds ~56,000 entries that an audit looks up by name but never audits; going
//! through [`super::JarIndex`] (the `zip` crate's per-entry metadata, anomaly checks) cost
//! more than the audit of a small connector. Every read is bounds-checked and size-capped.

use std::collections::HashMap;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{
    decompression_budget, open_regular, EntryError, JarError, SharedFile, MAX_CENTRAL_DIRECTORY,
    MAX_ENTRIES,
};

/// One central-directory record, by offsets into [`LibJar::directory`].
#[derive(Debug, Clone, Copy)]
struct Record {
    name_start: u32,
    name_len: u16,
    method: u16,
    crc32: u32,
    compressed: u64,
    size: u64,
    header: u64,
}

pub struct LibJar {
    path: PathBuf,
    file: SharedFile,
    /// Added to every stored offset: bytes prepended to the archive (a launcher script).
    offset: u64,
    directory: Vec<u8>,
    records: Vec<Record>,
    /// Hash of a name → its record (the last one of a duplicated name); names whose hash is
    /// taken by another name go to `collisions`.
    by_hash: HashMap<u64, u32, foldhash::fast::FixedState>,
    collisions: Vec<u32>,
    hasher: foldhash::fast::FixedState,
    budget: u64,
    spent: AtomicU64,
}

impl std::fmt::Debug for LibJar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LibJar")
            .field("path", &self.path)
            .field("entries", &self.records.len())
            .finish()
    }
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn read_exact_at(file: &SharedFile, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    let mut reader = file.clone();
    reader.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0u8; len];
    reader.read_exact(&mut buf)?;
    Ok(buf)
}

impl LibJar {
    pub fn open(path: &Path) -> Result<LibJar, JarError> {
        let not_a_zip = |reason: &str| JarError::NotAZip {
            path: path.to_owned(),
            reason: reason.to_string(),
        };
        let io = |source: std::io::Error| JarError::Open {
            path: path.to_owned(),
            source,
        };
        let file: File = open_regular(path)?;
        let file = SharedFile::new(file).map_err(io)?;
        let len = file.len();
        // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KiB.
        let tail_len = len.min(22 + 0xFFFF) as usize;
        let tail_start = len - tail_len as u64;
        let tail = read_exact_at(&file, tail_start, tail_len).map_err(io)?;
        let eocd = (0..tail_len.saturating_sub(21))
            .rev()
            .find(|&i| tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
            .ok_or_else(|| not_a_zip("no end-of-central-directory record"))?;
        let field = |at| le32(&tail, eocd + at).unwrap_or(0);
        let (mut count, mut cd_size, mut cd_offset) = (
            u64::from(le16(&tail, eocd + 10).unwrap_or(0)),
            u64::from(field(12)),
            u64::from(field(16)),
        );
        let eocd_at = tail_start + eocd as u64;
        let mut cd_end = eocd_at;
        if count == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
            // Zip64: a locator right before the record points at the zip64 record.
            let locator = eocd_at
                .checked_sub(20)
                .map(|at| read_exact_at(&file, at, 20))
                .transpose()
                .map_err(io)?
                .filter(|l| l[..4] == [0x50, 0x4b, 0x06, 0x07])
                .ok_or_else(|| not_a_zip("no zip64 end-of-central-directory locator"))?;
            let record_at = le64(&locator, 8).unwrap_or(u64::MAX);
            let record = read_exact_at(&file, record_at, 56)
                .ok()
                .filter(|r| r[..4] == [0x50, 0x4b, 0x06, 0x06])
                .ok_or_else(|| not_a_zip("no zip64 end-of-central-directory record"))?;
            count = le64(&record, 32).unwrap_or(0);
            cd_size = le64(&record, 40).unwrap_or(0);
            cd_offset = le64(&record, 48).unwrap_or(0);
            cd_end = record_at;
        }
        if count > MAX_ENTRIES as u64 {
            return Err(JarError::TooManyEntries {
                path: path.to_owned(),
                count: count as usize,
            });
        }
        // Where the directory really is, against where the record says: the difference is
        // data prepended to the archive.
        let cd_start = cd_end
            .checked_sub(cd_size)
            .ok_or_else(|| not_a_zip("central directory larger than the file"))?;
        let offset = cd_start
            .checked_sub(cd_offset)
            .ok_or_else(|| not_a_zip("central directory offset past its position"))?;
        // The same bounds as an audited jar: a directory claiming more than the limit is
        // refused before anything is allocated for it (a sparse file can claim 50 GiB).
        if cd_size > MAX_CENTRAL_DIRECTORY {
            return Err(not_a_zip(&format!(
                "its central directory claims {cd_size} bytes, above the limit of {MAX_CENTRAL_DIRECTORY}"
            )));
        }
        let directory = read_exact_at(&file, cd_start, cd_size as usize).map_err(io)?;
        let mut records = Vec::with_capacity(count.min(1 << 20) as usize);
        let mut at = 0usize;
        while records.len() < count as usize {
            let record = parse_record(&directory, at)
                .ok_or_else(|| not_a_zip("truncated or corrupt central directory"))?;
            at = record.1;
            records.push(record.0);
        }
        let hasher = foldhash::fast::FixedState::with_seed(0x5eed);
        let budget = decompression_budget(file.on_disk());
        let mut jar = LibJar {
            path: path.to_owned(),
            file,
            offset,
            directory,
            by_hash: HashMap::with_capacity_and_hasher(records.len(), hasher.clone()),
            records,
            collisions: Vec::new(),
            hasher,
            budget,
            spent: AtomicU64::new(0),
        };
        for i in 0..jar.records.len() as u32 {
            let hash = jar.hasher.hash_one(jar.name_bytes(i as usize));
            match jar.by_hash.insert(hash, i) {
                Some(old) if jar.name_bytes(old as usize) != jar.name_bytes(i as usize) => {
                    // Another name with the same hash: keep it findable.
                    jar.by_hash.insert(hash, old);
                    jar.collisions.push(i);
                }
                _ => {}
            }
        }
        Ok(jar)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn name_bytes(&self, i: usize) -> &[u8] {
        let r = &self.records[i];
        let start = r.name_start as usize;
        &self.directory[start..start + usize::from(r.name_len)]
    }

    /// The record of `name`, if the jar has it.
    fn find(&self, name: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(name.as_bytes());
        if let Some(&i) = self.by_hash.get(&hash) {
            if self.name_bytes(i as usize) == name.as_bytes() {
                return Some(i as usize);
            }
        }
        // The last record of that name, as `by_hash` keeps the last one.
        self.collisions
            .iter()
            .rev()
            .map(|&i| i as usize)
            .find(|&i| self.name_bytes(i) == name.as_bytes())
    }

    /// Whether the jar has the file (not directory) `name`.
    pub fn has_file(&self, name: &str) -> bool {
        self.find(name).is_some() && !name.ends_with('/')
    }

    pub fn crc32(&self, name: &str) -> Option<u32> {
        self.find(name).map(|i| self.records[i].crc32)
    }

    /// Every entry name (names that are not UTF-8 are skipped: no class has one).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        (0..self.records.len()).filter_map(|i| std::str::from_utf8(self.name_bytes(i)).ok())
    }

    /// Reads the entry `name` whole, refusing one declared larger than `cap`; the inflated size
    /// and CRC must match the directory's.
    pub fn read_named(&self, name: &str, cap: u64) -> Option<Result<Vec<u8>, EntryError>> {
        let i = self.find(name)?;
        Some(self.read(&self.records[i], cap))
    }

    fn read(&self, r: &Record, cap: u64) -> Result<Vec<u8>, EntryError> {
        let corrupt = |what: &str| EntryError::Corrupt(what.to_string());
        if r.size > cap {
            return Err(EntryError::TooLarge {
                declared: r.size,
                cap,
            });
        }
        let spent = self.spent.fetch_add(r.size, Ordering::Relaxed);
        if spent.saturating_add(r.size) > self.budget {
            return Err(EntryError::OverBudget {
                budget: self.budget,
            });
        }
        let header_at = self
            .offset
            .checked_add(r.header)
            .ok_or_else(|| corrupt("local header offset overflows"))?;
        let header = read_exact_at(&self.file, header_at, 30)
            .map_err(|e| EntryError::Corrupt(e.to_string()))?;
        if header[..4] != [0x50, 0x4b, 0x03, 0x04] {
            return Err(corrupt("no local file header"));
        }
        let skip = 30
            + u64::from(le16(&header, 26).unwrap_or(0))
            + u64::from(le16(&header, 28).unwrap_or(0));
        let mut reader = self.file.clone();
        reader
            .seek(SeekFrom::Start(header_at.saturating_add(skip)))
            .map_err(|e| EntryError::Corrupt(e.to_string()))?;
        let data = reader.take(r.compressed);
        let mut out = Vec::with_capacity(r.size as usize);
        let limit = cap.saturating_add(1);
        let result = match r.method {
            0 => data.take(limit).read_to_end(&mut out),
            8 => flate2::read::DeflateDecoder::new(data)
                .take(limit)
                .read_to_end(&mut out),
            other => return Err(EntryError::Corrupt(format!("compression method {other}"))),
        };
        result.map_err(|e| EntryError::Corrupt(e.to_string()))?;
        if out.len() as u64 != r.size {
            return Err(EntryError::Corrupt(format!(
                "declares {} bytes but holds {}",
                r.size,
                out.len()
            )));
        }
        if crc32fast::hash(&out) != r.crc32 {
            return Err(corrupt("CRC-32 mismatch"));
        }
        Ok(out)
    }
}

/// The record at `at` of a central directory and the offset of the next one.
fn parse_record(d: &[u8], at: usize) -> Option<(Record, usize)> {
    if d.get(at..at + 4)? != [0x50, 0x4b, 0x01, 0x02] {
        return None;
    }
    let flags = le16(d, at + 8)?;
    let method = le16(d, at + 10)?;
    let crc32 = le32(d, at + 16)?;
    let mut compressed = u64::from(le32(d, at + 20)?);
    let mut size = u64::from(le32(d, at + 24)?);
    let name_len = le16(d, at + 28)?;
    let extra_len = usize::from(le16(d, at + 30)?);
    let comment_len = usize::from(le16(d, at + 32)?);
    let mut header = u64::from(le32(d, at + 42)?);
    let name_start = at + 46;
    let extra_start = name_start + usize::from(name_len);
    let next = extra_start + extra_len + comment_len;
    d.get(name_start..next)?;
    if flags & 1 != 0 {
        return Some((
            Record {
                name_start: u32::try_from(name_start).ok()?,
                name_len,
                // Encrypted: unreadable, like an unknown method.
                method: 0xFFFF,
                crc32,
                compressed,
                size,
                header,
            },
            next,
        ));
    }
    // Zip64 extra field: the 64-bit values of the fields stored as 0xFFFFFFFF, in order.
    let mut extra = &d[extra_start..extra_start + extra_len];
    while extra.len() >= 4 {
        let (id, len) = (le16(extra, 0)?, usize::from(le16(extra, 2)?));
        let body = extra.get(4..4 + len)?;
        if id == 0x0001 {
            let mut values = body.chunks_exact(8).map(|c| le64(c, 0));
            for slot in [&mut size, &mut compressed, &mut header] {
                if *slot == 0xFFFF_FFFF {
                    *slot = values.next().flatten()?;
                }
            }
        }
        extra = &extra[4 + len..];
    }
    Some((
        Record {
            name_start: u32::try_from(name_start).ok()?,
            name_len,
            method,
            crc32,
            compressed,
            size,
            header,
        },
        next,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jar::{JarIndex, DEFAULT_ENTRY_CAP};

    /// The lean reader and the `zip` crate see the same entries, CRCs and contents in every jar
    /// of a provisioned Flink lib/ (skipped when it is not cached, a failure under CI=true).
    #[test]
    fn reads_what_the_zip_crate_reads() {
        let Some(lib) = crate::flink::runtime::provisioned_lib_dir("2.2") else {
            return;
        };
        let mut compared = 0;
        for path in std::fs::read_dir(&lib).unwrap().map(|e| e.unwrap().path()) {
            let (lean, full) = (LibJar::open(&path).unwrap(), JarIndex::open(&path).unwrap());
            let names: Vec<&str> = lean.names().collect();
            let expected: Vec<&str> = full.entries().iter().map(|e| e.name.as_str()).collect();
            assert_eq!(names, expected, "{}", path.display());
            for (i, entry) in full.entries().iter().enumerate() {
                assert_eq!(lean.crc32(&entry.name), Some(entry.crc32));
                assert_eq!(lean.has_file(&entry.name), !entry.is_dir);
                if i % 97 == 0 {
                    let bytes = lean.read_named(&entry.name, DEFAULT_ENTRY_CAP).unwrap();
                    assert_eq!(bytes, full.read(i, DEFAULT_ENTRY_CAP), "{}", entry.name);
                    compared += 1;
                }
            }
            assert!(lean.crc32("no/such/Entry.class").is_none());
        }
        assert!(compared > 500, "{compared}");
        let empty = tempfile::NamedTempFile::new().unwrap();
        assert!(matches!(
            LibJar::open(empty.path()),
            Err(JarError::NotAZip { .. })
        ));
    }
}
