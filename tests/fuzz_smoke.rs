//! The fuzz targets, reduced, on stable Rust (so CI needs no nightly): each target's body —
//! `cargo_flink_connector::fuzzing::{manifest, classfile, jar}`, exactly what
//! `fuzz/fuzz_targets/*.rs` call — runs over its seeds (`fuzz/seeds/<target>/`, crashes the full
//! fuzzer found in `fuzz/regressions/<target>/`, and for class files and jars Flink's own
//! flink-csv jar) and then over inputs mutated from them: bit flips, byte and chunk insertions,
//! deletions, duplications, splices between seeds, truncations and format tokens. A panic fails
//! the test and saves the input to the file the message names (`cargo +nightly fuzz run TARGET
//! FILE` replays it). `FUZZ_SMOKE_SEED` (printed) reproduces a run; `FUZZ_SMOKE_SCALE` multiplies
//! the number of mutated inputs (default 1: about 15 s in a debug build).

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use cargo_flink_connector::fuzzing;
use support::Rng;

fn seed() -> u64 {
    support::env_seed("FUZZ_SMOKE_SEED") | 1
}

fn scaled(runs: usize) -> usize {
    let scale: usize = std::env::var("FUZZ_SMOKE_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    runs * scale
}

/// Every file of `fuzz/<kind>/<target>/` (none when the directory does not exist).
fn files_of(kind: &str, target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Changes `data` by one to eight random edits, taking tokens from `dictionary` and chunks
/// from `others`.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, others: &[Vec<u8>], dictionary: &[&[u8]]) {
    for _ in 0..1 + rng.index(8) {
        let at = rng.index(data.len() + 1);
        match rng.index(9) {
            0 if !data.is_empty() => {
                let i = rng.index(data.len());
                data[i] ^= 1 << rng.index(8);
            }
            1 if !data.is_empty() => {
                let i = rng.index(data.len());
                data[i] = [0, 0xff, 0x7f, 0x80, b'"', b'\n', rng.next_u64() as u8][rng.index(7)];
            }
            2 => {
                let end = (at + 1 + rng.index(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 => {
                let bytes: Vec<u8> = (0..1 + rng.index(16))
                    .map(|_| rng.next_u64() as u8)
                    .collect();
                data.splice(at..at, bytes);
            }
            4 | 5 => {
                let token = dictionary[rng.index(dictionary.len())];
                data.splice(at..at, token.iter().copied());
            }
            6 if !data.is_empty() => {
                let from = rng.index(data.len());
                let end = (from + 1 + rng.index(256)).min(data.len());
                let chunk = data[from..end].to_vec();
                data.splice(at..at, chunk);
            }
            7 => {
                let other = &others[rng.index(others.len())];
                let from = rng.index(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            _ => data.truncate(at),
        }
    }
}

/// Runs `body` on every seed, then on `runs` mutants; a panic saves the input and fails.
fn smoke(target: &str, body: fn(&[u8]), seeds: &[Vec<u8>], runs: usize, dictionary: &[&[u8]]) {
    assert!(!seeds.is_empty(), "{target}: no seeds");
    let seed = seed();
    let mut rng = Rng(seed);
    let started = Instant::now();
    let check = |input: &[u8], what: &str| {
        if std::panic::catch_unwind(|| body(input)).is_err() {
            let saved =
                Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-smoke-{target}-{seed}"));
            std::fs::write(&saved, input).unwrap();
            panic!(
                "fuzzing::{target} panicked on {what} (FUZZ_SMOKE_SEED={seed}); input saved to {}",
                saved.display()
            );
        }
    };
    for (i, input) in seeds.iter().enumerate() {
        check(input, &format!("seed {i}"));
    }
    for i in 0..runs {
        let mut input = seeds[rng.index(seeds.len())].clone();
        mutate(&mut rng, &mut input, seeds, dictionary);
        check(&input, &format!("mutant {i}"));
    }
    eprintln!(
        "fuzzing::{target}: {} seeds and {runs} mutants in {:.1?}, no panic (FUZZ_SMOKE_SEED={seed})",
        seeds.len(),
        started.elapsed()
    );
}

/// Flink's flink-csv jar of the 1.20 line (Flink's own class files, a real jar's layout).
fn flink_csv() -> Option<PathBuf> {
    let jar = support::flink_lib("1.20.5")?.join("flink-csv-1.20.5.jar");
    support::require(&jar.display().to_string(), jar.is_file()).then_some(jar)
}

#[test]
fn manifest_reader_and_editor_survive_mutated_manifests() {
    let mut seeds = files_of("seeds", "manifest");
    seeds.extend(files_of("regressions", "manifest"));
    let dictionary: &[&[u8]] = &[
        b"\n[template]\n",
        b"\n[[options]]\nkey = \"a.b\"\ntype = \"duration\"\n",
        b"\n[flink]\nlines = [\"1.17\", \"2.2\"]\n",
        b"default = 18446744073709551615\n",
        b"default = -9223372036854775808\n",
        b"default = 1e309\n",
        b"type = \"map\"\n",
        b"sensitive = true\n",
        b"required = true\n",
        b"version = \"2.2.1\"\n",
        b"preset = \"redis\"\n",
        b"[files]\nskip = [\"x\"]\n",
        b"[[dependencies]]\ngroup-id = \"g\"\nartifact-id = \"a\"\nversion = \"1\"\n",
        b"\"",
        b"'''",
        b"\"\"\"",
        b" = ",
        b"\\u0000",
        b"\r\n",
        "é\u{feff}\u{202e}".as_bytes(),
        b"{ a = 1 }",
        b"[[",
        b"]]",
    ];
    smoke(
        "manifest",
        fuzzing::manifest,
        &seeds,
        scaled(6000),
        dictionary,
    );
}

const BINARY_TOKENS: &[&[u8]] = &[
    b"\xca\xfe\xba\xbe",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"\xff\xff\xff\xff",
    b"\x00\x00\x00\x00",
    b"\x7f\xff",
    b"META-INF/services/org.apache.flink.table.factories.Factory",
    b"factoryIdentifier",
    b"Code",
    b"\x01\x00\x04Code",
];

#[test]
fn class_file_reader_and_evaluator_survive_mutated_classes() {
    let Some(csv) = flink_csv() else {
        return;
    };
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&csv).unwrap()).unwrap();
    let mut seeds: Vec<Vec<u8>> = (0..archive.len())
        .filter_map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            if !entry.name().unwrap().ends_with(".class") {
                return None;
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            Some(bytes)
        })
        .collect();
    assert!(seeds.len() > 20, "{} classes", seeds.len());
    seeds.extend(files_of("regressions", "classfile"));
    smoke(
        "classfile",
        fuzzing::classfile,
        &seeds,
        scaled(15000),
        BINARY_TOKENS,
    );
}

#[test]
fn jar_reader_survives_mutated_jars() {
    let Some(csv) = flink_csv() else {
        return;
    };
    let mut seeds = vec![std::fs::read(&csv).unwrap()];
    // A jar of one factory services file and one class, so mutations often hit the structure.
    let mut small = support::RawZip::new();
    small.add(
        "META-INF/services/org.apache.flink.table.factories.Factory",
        b"# a comment\norg.apache.flink.formats.csv.CsvFormatFactory\n",
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&csv).unwrap()).unwrap();
    let mut class = Vec::new();
    archive
        .by_name("org/apache/flink/formats/csv/CsvFormatFactory.class")
        .unwrap()
        .read_to_end(&mut class)
        .unwrap();
    small.add(
        "org/apache/flink/formats/csv/CsvFormatFactory.class",
        &class,
    );
    seeds.push(small.finish());
    seeds.extend(files_of("regressions", "jar"));
    smoke("jar", fuzzing::jar, &seeds, scaled(600), BINARY_TOKENS);
    fuzzing::jar_cleanup();
}

/// The harness itself: a body that panics on any mutated input fails the run and names it.
#[test]
#[should_panic(expected = "fuzzing::selftest panicked on mutant 0")]
fn a_panicking_body_fails_the_smoke_run() {
    let seeds = vec![b"seed".to_vec()];
    smoke(
        "selftest",
        |input| assert_eq!(input, b"seed"),
        &seeds,
        10,
        &[b"x"],
    );
}
