//! The JAR reader under hostile input: not a zip, truncated, zip bombs, lying sizes, unsafe
//! names, nested jars, duplicates, 100k entries. Always a finding or a one-line error, bounded
//! memory and time, never a panic.

mod support;

use std::time::Instant;

use cargo_flink_connector::jar::{Anomaly, EntryError, JarIndex};
use support::{RawEntry, RawZip};

fn write(zip: &RawZip) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jar");
    zip.write_to(&path);
    (dir, path)
}

#[test]
fn not_a_zip_and_truncated_archives_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("text.jar");
    std::fs::write(&text, "just text, no central directory").unwrap();
    let err = JarIndex::open(&text).unwrap_err().to_string();
    assert!(err.contains("not a readable ZIP/JAR"), "{err}");
    assert!(!err.contains('\n'));

    let mut zip = RawZip::new();
    zip.add("a.txt", b"hello").add("b.txt", b"world");
    let bytes = zip.finish();
    for cut in [bytes.len() - 1, bytes.len() - 30, bytes.len() / 2, 10, 0] {
        let path = dir.path().join(format!("cut{cut}.jar"));
        std::fs::write(&path, &bytes[..cut]).unwrap();
        assert!(JarIndex::open(&path).is_err(), "truncated at {cut} opened");
    }
    assert!(JarIndex::open(&dir.path().join("missing.jar"))
        .unwrap_err()
        .to_string()
        .contains("cannot open"));
}

#[test]
fn entries_are_read_lazily_with_caps_and_size_checks() {
    let mut zip = RawZip::new();
    zip.add("small.txt", b"abc");
    zip.add_entry(RawEntry {
        declared_size: Some(10),
        ..RawEntry::new("short.txt", b"abc")
    });
    zip.add_entry(RawEntry {
        declared_size: Some(3_000_000_000),
        ..RawEntry::new("bomb.bin", b"tiny")
    });
    let (_dir, path) = write(&zip);
    let jar = JarIndex::open(&path).unwrap();
    assert_eq!(jar.read_named("small.txt", 10).unwrap().unwrap(), b"abc");
    assert!(matches!(
        jar.read_named("small.txt", 2).unwrap(),
        Err(EntryError::TooLarge {
            declared: 3,
            cap: 2
        })
    ));
    assert!(matches!(
        jar.read_named("short.txt", 100).unwrap(),
        Err(EntryError::Corrupt(_))
    ));
    assert!(matches!(
        jar.read_named("bomb.bin", 1 << 20).unwrap(),
        Err(EntryError::TooLarge { .. })
    ));
    assert!(jar
        .anomalies()
        .iter()
        .any(|a| matches!(a, Anomaly::HighRatio { name, .. } if name == "bomb.bin")));
}

#[test]
fn a_real_deflate_bomb_is_reported_and_never_inflated() {
    let zeros = vec![0u8; 64 << 20];
    let mut zip = RawZip::new();
    zip.add("zeros.bin", &zeros);
    let (_dir, path) = write(&zip);
    let jar = JarIndex::open(&path).unwrap();
    let ratio = jar.anomalies().iter().find_map(|a| match a {
        Anomaly::HighRatio {
            size, compressed, ..
        } => Some(size / compressed),
        _ => None,
    });
    assert!(ratio.is_some_and(|r| r > 200), "{:?}", jar.anomalies());
    assert!(matches!(
        jar.read_named("zeros.bin", 1 << 20).unwrap(),
        Err(EntryError::TooLarge { .. })
    ));
}

#[test]
fn unsafe_names_nested_jars_odd_methods_and_duplicates_are_anomalies() {
    let mut zip = RawZip::new();
    zip.add("../../etc/passwd", b"x")
        .add("/abs/file", b"x")
        .add("C:/windows/x", b"x")
        .add("a\\b.class", b"x")
        .add("lib/inner.jar", b"PK")
        .add("dup.txt", b"one")
        .add("dup.txt", b"two")
        .add("same.txt", b"same")
        .add("same.txt", b"same")
        .add_entry(RawEntry {
            method: Some(12),
            deflate: false,
            ..RawEntry::new("bz.bin", b"x")
        });
    let (_dir, path) = write(&zip);
    let jar = JarIndex::open(&path).unwrap();
    let anomalies = jar.anomalies();
    let unsafe_names: Vec<&str> = anomalies
        .iter()
        .filter_map(|a| match a {
            Anomaly::UnsafeName { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        unsafe_names,
        vec![
            "../../etc/passwd",
            "/abs/file",
            "C:/windows/x",
            "a\\b.class"
        ]
    );
    assert!(anomalies.contains(&Anomaly::NestedArchive {
        name: "lib/inner.jar".into()
    }));
    assert!(anomalies.contains(&Anomaly::DuplicateName {
        name: "dup.txt".into(),
        copies: 2,
        contents_differ: true
    }));
    assert!(anomalies.contains(&Anomaly::DuplicateName {
        name: "same.txt".into(),
        copies: 2,
        contents_differ: false
    }));
    assert!(anomalies
        .iter()
        .any(|a| matches!(a, Anomaly::UnreadableMethod { method: 12, .. })));
    assert!(jar.read_named("bz.bin", 100).unwrap().is_err());
}

#[test]
fn a_hundred_thousand_entries_index_quickly() {
    let mut zip = RawZip::new();
    for i in 0..100_000 {
        zip.add_entry(RawEntry {
            deflate: false,
            ..RawEntry::new(&format!("p{}/C{i}.class", i % 100), b"")
        });
    }
    let (_dir, path) = write(&zip);
    let started = Instant::now();
    let jar = JarIndex::open(&path).unwrap();
    assert_eq!(jar.entries().len(), 100_000);
    assert!(jar.anomalies().is_empty(), "{:?}", &jar.anomalies()[..1]);
    assert!(
        started.elapsed().as_secs() < 10,
        "indexing took {:?}",
        started.elapsed()
    );
    let read = jar.map_entries(
        2,
        1 << 10,
        |e| e.name.ends_with("7.class"),
        |e, bytes| Some((e.name.clone(), bytes.map(|b| b.len()))),
    );
    assert_eq!(read.len(), 10_000);
    assert!(read.iter().all(|(_, r)| *r == Ok(0)));
}
