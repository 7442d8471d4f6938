//! Hostile input costs bounded time and memory, and gives a clear answer: a factory whose
//! bytecode doubles a string 40 times, overlapping ZIP entries that share one large deflate
//! stream, thousands of high-ratio entries, and FIFOs, devices and directories named `*.jar`.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::RawZip;

/// Runs the tool with `args` under an address-space limit; fails the test if it takes longer
/// than `limit` (and kills it). Output goes to files, so a large report cannot fill a pipe.
fn run_bounded(args: &[&str], limit: Duration, memory_kib: u64) -> (Output, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -v {memory_kib}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_cargo-flink-connector"))
        .arg("flink-connector")
        .args(args)
        .stdout(Stdio::from(std::fs::File::create(&out_path).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_path).unwrap()));
    let start = Instant::now();
    let mut child = command.spawn().unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{args:?} still running after {limit:?}; stderr: {}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let output = Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    };
    (output, elapsed)
}

const GIB: u64 = 1 << 20; // in KiB, for ulimit -v

#[test]
fn a_factory_doubling_a_string_40_times_is_unknown_in_bounded_memory() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    if !support::require("javac", support::has_command("javac")) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let sources = support::java_sources(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inspect/hostile"),
    );
    let classes = work.path().join("classes");
    support::javac_sources(&sources, &support::lib_classpath(&lib, &[]), 11, &classes)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut zip = RawZip::new();
    for (name, bytes) in support::files_under(&classes) {
        zip.add(&name, &bytes);
    }
    zip.add(
        "META-INF/services/org.apache.flink.table.factories.Factory",
        b"hostile.Doubling\n",
    );
    let jar = work.path().join("doubling.jar");
    zip.write_to(&jar);
    let size = std::fs::metadata(&jar).unwrap().len();
    assert!(size < 4096, "the hostile jar is small: {size} bytes");

    let jar_arg = jar.to_str().unwrap();
    let (out, elapsed) = run_bounded(&["inspect", jar_arg], Duration::from_secs(60), GIB);
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let factory = &doc["jars"][0]["factories"][0];
    assert!(factory["identifier"].is_null(), "{factory}");
    assert!(factory["required_options"].is_null(), "{factory}");
    assert!(factory["optional_options"].is_null(), "{factory}");
    let notes = factory["notes"].as_str().unwrap();
    assert!(notes.contains("grows beyond"), "{notes}");
    eprintln!("inspect on the doubling jar: {elapsed:?}");

    // The audit evaluates identifiers too.
    let (out, _) = run_bounded(
        &[
            "check",
            jar_arg,
            "--target",
            "flink-1.20",
            "--format",
            "json",
        ],
        Duration::from_secs(60),
        GIB,
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        support::stderr(&out)
    );
}

/// A deflate stream of `size` zero bytes, compressed once.
fn zeros_deflated(size: usize) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..size >> 20 {
        enc.write_all(&chunk).unwrap();
    }
    enc.finish().unwrap()
}

/// A ZIP whose `names` all point at local headers holding `stream` (deflated `size` zeros):
/// one shared header when `shared`, else one header per name (each a separate copy).
fn zip_of_streams(names: &[String], stream: &[u8], size: u32, shared: bool) -> Vec<u8> {
    let crc = crc32fast::hash(&vec![0u8; size as usize]);
    let local = |name: &str| {
        let mut h = Vec::new();
        h.extend(0x04034b50u32.to_le_bytes());
        h.extend(20u16.to_le_bytes());
        h.extend(0u16.to_le_bytes());
        h.extend(8u16.to_le_bytes());
        h.extend([0u8; 4]);
        h.extend(crc.to_le_bytes());
        h.extend((stream.len() as u32).to_le_bytes());
        h.extend(size.to_le_bytes());
        h.extend((name.len() as u16).to_le_bytes());
        h.extend(0u16.to_le_bytes());
        h.extend(name.as_bytes());
        h.extend(stream);
        h
    };
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if shared && i > 0 {
            offsets.push(0u32);
            continue;
        }
        offsets.push(out.len() as u32);
        out.extend(local(name));
    }
    let cd_start = out.len() as u32;
    for (name, offset) in names.iter().zip(&offsets) {
        out.extend(0x02014b50u32.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(8u16.to_le_bytes());
        out.extend([0u8; 4]);
        out.extend(crc.to_le_bytes());
        out.extend((stream.len() as u32).to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend((name.len() as u16).to_le_bytes());
        out.extend([0u8; 8]);
        out.extend(0u32.to_le_bytes());
        out.extend(offset.to_le_bytes());
        out.extend(name.as_bytes());
    }
    let cd_len = out.len() as u32 - cd_start;
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((names.len() as u16).to_le_bytes());
    out.extend((names.len() as u16).to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn check_json(jar: &Path, limit: Duration) -> (serde_json::Value, Duration) {
    let (out, elapsed) = run_bounded(
        &[
            "check",
            jar.to_str().unwrap(),
            "--target",
            "flink-1.20",
            "--format",
            "json",
        ],
        limit,
        4 * GIB,
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        support::stderr(&out)
    );
    (serde_json::from_slice(&out.stdout).unwrap(), elapsed)
}

fn notes(report: &serde_json::Value) -> String {
    report["files"][0]["notes"].to_string()
}

#[test]
fn overlapping_entries_sharing_one_deflate_stream_are_read_once() {
    const SIZE: usize = 32 << 20;
    let stream = zeros_deflated(SIZE);
    let names: Vec<String> = (0..2_000).map(|i| format!("p/C{i}.class")).collect();
    let work = tempfile::tempdir().unwrap();
    let jar = work.path().join("overlap.jar");
    std::fs::write(&jar, zip_of_streams(&names, &stream, SIZE as u32, true)).unwrap();
    // Read naively, this is 2,000 × 32 MiB = 62.5 GiB of inflating.
    let (report, elapsed) = check_json(&jar, Duration::from_secs(120));
    let notes = notes(&report);
    assert!(
        notes.contains("1999 entries share their compressed data with an earlier entry"),
        "{notes}"
    );
    eprintln!("check on 2,000 entries sharing one 32 MiB stream: {elapsed:?}");
}

/// 200 entries of 32 MiB of zeros each, each with its own copy of the deflated stream.
const HIGH_RATIO_DECLARED: u64 = 200 * (32 << 20);

fn high_ratio_zip() -> Vec<u8> {
    const SIZE: usize = 32 << 20;
    let names: Vec<String> = (0..200).map(|i| format!("p/C{i}.class")).collect();
    zip_of_streams(&names, &zeros_deflated(SIZE), SIZE as u32, false)
}

#[test]
fn high_ratio_entries_stop_at_the_decompression_budget() {
    let work = tempfile::tempdir().unwrap();
    let jar = work.path().join("ratio.jar");
    let bytes = high_ratio_zip();
    let budget = cargo_flink_connector::jar::decompression_budget(bytes.len() as u64);
    std::fs::write(&jar, bytes).unwrap();
    // 200 × 32 MiB = 6.25 GiB declared; the budget allows a fraction of it.
    assert!(budget < HIGH_RATIO_DECLARED / 8, "budget {budget}");
    let (report, elapsed) = check_json(&jar, Duration::from_secs(180));
    let notes = notes(&report);
    assert!(
        notes.contains("were not read: the jar's decompression budget"),
        "{notes}"
    );
    eprintln!("check on 200 high-ratio entries: {elapsed:?}");
}

/// `inspect`, `check` and `check --flink-lib` on a path that is not a regular file: exit 2
/// with a message naming what it is, never a hang.
fn refuses(path: &Path, kind: &str, lib_with_it: &Path, good_jar: &Path) {
    let p = path.to_str().unwrap();
    for args in [vec!["inspect", p], vec!["check", p]] {
        let (out, _) = run_bounded(&args, Duration::from_secs(20), 4 * GIB);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            support::stderr(&out)
        );
        let err = support::stderr(&out);
        assert!(err.contains(kind) && err.contains(p), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    let (out, _) = run_bounded(
        &[
            "check",
            good_jar.to_str().unwrap(),
            "--flink-lib",
            lib_with_it.to_str().unwrap(),
        ],
        Duration::from_secs(20),
        4 * GIB,
    );
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    let err = support::stderr(&out);
    assert!(err.contains("--flink-lib") && err.contains(kind), "{err}");
}

#[test]
fn fifos_devices_and_directories_named_jar_are_refused_without_hanging() {
    if !support::require_command("mkfifo") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let good = work.path().join("good.jar");
    RawZip::new().add("a.txt", b"x").write_to(&good);

    let fifo_lib = work.path().join("fifo-lib");
    std::fs::create_dir(&fifo_lib).unwrap();
    let fifo = fifo_lib.join("pipe.jar");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    refuses(&fifo, "FIFO", &fifo_lib, &good);

    let device_lib = work.path().join("device-lib");
    std::fs::create_dir(&device_lib).unwrap();
    let device = device_lib.join("zero.jar");
    std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
    refuses(&device, "device", &device_lib, &good);

    let dir_lib = work.path().join("dir-lib");
    let dir = dir_lib.join("classes.jar");
    std::fs::create_dir_all(&dir).unwrap();
    refuses(&dir, "directory", &dir_lib, &good);
}

/// Writes `bytes` at `offset` of a new sparse file: the hole before them takes no disk space.
fn sparse_file(path: &Path, offset: u64, bytes: &[u8]) {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::create(path).unwrap();
    file.seek(SeekFrom::Start(offset)).unwrap();
    file.write_all(bytes).unwrap();
}

/// Bytes a file really occupies (the budgets' measure).
fn on_disk(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    meta.len().min(meta.blocks() * 512)
}

/// Issue 17: the decompression budget grew with a sparse file's apparent size (24 MB on disk,
/// 100 GiB apparent: 50 s). The same 200 high-ratio entries behind a 100 GiB hole get the
/// budget of their real size on disk.
#[test]
fn a_sparse_jar_gets_the_budget_of_its_size_on_disk_not_its_apparent_size() {
    let work = tempfile::tempdir().unwrap();
    let jar = work.path().join("sparse.jar");
    sparse_file(&jar, 100 << 30, &high_ratio_zip());
    let apparent = std::fs::metadata(&jar).unwrap().len();
    let real = on_disk(&jar);
    assert!(apparent > 100 << 30 && real < 64 << 20, "{apparent} {real}");
    let budget = cargo_flink_connector::jar::decompression_budget(real);
    assert!(budget < 1 << 30, "budget {budget}");
    let (report, elapsed) = check_json(&jar, Duration::from_secs(180));
    let notes = notes(&report);
    assert!(
        notes.contains(&format!(
            "were not read: the jar's decompression budget of {} MiB was spent",
            budget >> 20
        )),
        "{notes}"
    );
    eprintln!("check on a 100 GiB sparse jar ({real} bytes on disk): {elapsed:?}");
}

/// Issue 17: a lib/ jar in FLINK_CONNECTOR_CACHE claiming a 50 GiB central directory (zip64,
/// behind a 50 GiB hole) aborted the audit with an allocation failure. It is refused like an
/// audited jar would be; the audit goes on with the built-in tables and says so.
#[test]
fn a_cached_lib_jar_claiming_a_50_gib_central_directory_is_not_read() {
    const CLAIM: u64 = 50 << 30;
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let lib = cache.join("flink/1.20.3/lib");
    std::fs::create_dir_all(&lib).unwrap();
    // zip64 end record, its locator, then the classic end record pointing at them.
    let mut tail = Vec::new();
    tail.extend(0x06064b50u32.to_le_bytes());
    tail.extend(44u64.to_le_bytes());
    tail.extend([45u8, 0, 45, 0]);
    tail.extend([0u8; 8]);
    tail.extend(1000u64.to_le_bytes());
    tail.extend(1000u64.to_le_bytes());
    tail.extend(CLAIM.to_le_bytes());
    tail.extend(0u64.to_le_bytes());
    tail.extend(0x07064b50u32.to_le_bytes());
    tail.extend(0u32.to_le_bytes());
    tail.extend(CLAIM.to_le_bytes());
    tail.extend(1u32.to_le_bytes());
    tail.extend(0x06054b50u32.to_le_bytes());
    tail.extend([0u8; 4]);
    tail.extend([0xff; 4]);
    tail.extend([0xff; 8]);
    tail.extend(0u16.to_le_bytes());
    sparse_file(&lib.join("flink-dist-1.20.3.jar"), CLAIM, &tail);
    let good = work.path().join("good.jar");
    RawZip::new().add("a.txt", b"x").write_to(&good);
    let (out, elapsed) = {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(
            &script,
            format!(
                "ulimit -v {}; FLINK_CONNECTOR_CACHE='{}' exec '{}' flink-connector check '{}' --target flink-1.20.3 --format json",
                4 * GIB,
                cache.display(),
                env!("CARGO_BIN_EXE_cargo-flink-connector"),
                good.display()
            ),
        )
        .unwrap();
        let started = Instant::now();
        let out = Command::new("sh").arg(&script).output().unwrap();
        (out, started.elapsed())
    };
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?} {}",
        out.status,
        support::stderr(&out)
    );
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = notes(&report);
    assert!(
        notes.contains(&format!("{} could not be read", lib.display())),
        "{notes}"
    );
}

const FACTORY_FILE: &str = "META-INF/services/org.apache.flink.table.factories.Factory";

/// flink-csv's own jar rebuilt entry by entry, its Factory services file replaced by
/// `services(original)`; `encrypt` sets that entry's "encrypted" flag (its bytes stay).
fn csv_jar_with(lib: &Path, out: &Path, services: impl Fn(&[u8]) -> Vec<u8>, encrypt: bool) {
    let original = std::fs::File::open(lib.join("flink-csv-1.20.5.jar")).unwrap();
    let mut archive = zip::ZipArchive::new(original).unwrap();
    let mut zip = RawZip::new();
    // The services file first, so its local header is at offset 0 (for `encrypt`).
    let mut entries: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
            (entry.name().unwrap().to_string(), data)
        })
        .collect();
    entries.sort_by_key(|(name, _)| name != FACTORY_FILE);
    assert_eq!(entries[0].0, FACTORY_FILE);
    entries[0].1 = services(&entries[0].1);
    for (name, data) in &entries {
        zip.add(name, data);
    }
    let mut bytes = zip.finish();
    if encrypt {
        bytes[6] |= 1;
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 8] |= 1;
    }
    std::fs::write(out, bytes).unwrap();
}

/// `inspect PATH`'s JSON report (every jar) and stderr; `code` is the exit code it must give.
fn inspect_json_all(path: &Path, code: i32) -> (serde_json::Value, String) {
    let (out, _) = run_bounded(
        &["inspect", path.to_str().unwrap()],
        Duration::from_secs(60),
        4 * GIB,
    );
    assert_eq!(out.status.code(), Some(code), "{}", support::stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", support::stdout(&out)));
    assert_eq!(json["schema_version"], 1, "{json:#}");
    (json["jars"].clone(), support::stderr(&out))
}

fn inspect_json(jar: &Path, code: i32) -> (serde_json::Value, String) {
    let (jars, stderr) = inspect_json_all(jar, code);
    (jars[0].clone(), stderr)
}

/// What `inspect` exits with when a jar's factories are unknown (README's exit-code table).
const EXIT_UNKNOWN: i32 = 3;

/// Issue 17: `inspect` answered `"factories": []` for a services file it could not read. A
/// file ServiceLoader reads (1.1 MB of comments, then the factories) is now read; one that
/// cannot be read (encrypted, beyond SERVICES_FILE_MAX) is `null` with a note, never `[]`.
#[test]
fn inspect_reads_padded_services_files_and_says_unknown_for_unreadable_ones() {
    use cargo_flink_connector::bounds::SERVICES_FILE_MAX;
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let jar_in = |case: &str| {
        let dir = work.path().join(case);
        std::fs::create_dir(&dir).unwrap();
        dir.join("flink-csv-1.20.5.jar")
    };
    let (plain, _) = inspect_json(&lib.join("flink-csv-1.20.5.jar"), 0);
    let identifiers: Vec<&str> = plain["factories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(identifiers, ["csv", "csv"], "{plain:#}");

    let padded = jar_in("padded");
    let pad = |lines: usize| {
        move |original: &[u8]| {
            let mut text = "# padding, as ServiceLoader allows\n"
                .repeat(lines)
                .into_bytes();
            text.extend(original);
            text
        }
    };
    csv_jar_with(&lib, &padded, pad(32_000), false);
    let (report, _) = inspect_json(&padded, 0);
    assert_eq!(report["factories"], plain["factories"], "{report:#}");
    // The judge: ServiceLoader finds the factories in the padded file (lib/ without its own
    // flink-csv, so they can only come from there).
    if support::require_jdk() {
        let lib_without_csv = work.path().join("lib");
        std::fs::create_dir(&lib_without_csv).unwrap();
        for entry in std::fs::read_dir(&lib).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_owned();
            if !name.to_string_lossy().starts_with("flink-csv") {
                std::os::unix::fs::symlink(&path, lib_without_csv.join(name)).unwrap();
            }
        }
        let view =
            support::factories::service_loader_view(&lib_without_csv, &[&padded], work.path());
        let loaded: Vec<(&str, Option<&str>)> = view
            .iter()
            .filter(|((_, class), _)| class.starts_with("org.apache.flink.formats.csv."))
            .map(|((_, class), seen)| (class.as_str(), seen.identifier.as_deref()))
            .collect();
        assert_eq!(
            loaded,
            [
                (
                    "org.apache.flink.formats.csv.CsvFileFormatFactory",
                    Some("csv")
                ),
                ("org.apache.flink.formats.csv.CsvFormatFactory", Some("csv"))
            ]
        );
    }

    let too_large = jar_in("too-large");
    csv_jar_with(
        &lib,
        &too_large,
        pad(SERVICES_FILE_MAX as usize / 30),
        false,
    );
    let encrypted = jar_in("encrypted");
    csv_jar_with(&lib, &encrypted, |original| original.to_vec(), true);
    for (jar, why) in [
        (&too_large, "above the 16777216-byte limit".to_string()),
        (&encrypted, "cannot be decompressed".to_string()),
    ] {
        // Unknown in the report and in the exit code, never a plain 0 with `null` inside.
        let (report, stderr) = inspect_json(jar, EXIT_UNKNOWN);
        assert!(report["factories"].is_null(), "{report:#}");
        let notes = report["notes"].as_str().unwrap();
        assert!(
            notes.contains(FACTORY_FILE) && notes.contains(&why),
            "{notes}"
        );
        assert!(stderr.contains("factories unknown"), "{stderr}");
        for format in ["yaml", "markdown"] {
            let (out, _) = run_bounded(
                &["inspect", jar.to_str().unwrap(), "--format", format],
                Duration::from_secs(60),
                4 * GIB,
            );
            assert_eq!(out.status.code(), Some(EXIT_UNKNOWN), "{format}");
            let text = support::stdout(&out);
            assert!(text.contains("unknown") && text.contains(&why), "{text}");
            assert!(!text.contains("No factory is registered"), "{text}");
        }
    }
    // A directory of jars: one unknown makes the whole answer unknown, and the readable jar
    // is still reported in full.
    let both = work.path().join("both");
    std::fs::create_dir(&both).unwrap();
    std::fs::copy(&padded, both.join("a-flink-csv-1.20.5.jar")).unwrap();
    std::fs::copy(&encrypted, both.join("b-flink-csv-1.20.5.jar")).unwrap();
    let (jars, _) = inspect_json_all(&both, EXIT_UNKNOWN);
    let by_name = |name: &str| {
        jars.as_array()
            .unwrap()
            .iter()
            .find(|j| j["jar"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in {jars:#}"))
            .clone()
    };
    assert_eq!(
        by_name("a-flink-csv-1.20.5.jar")["factories"],
        plain["factories"]
    );
    assert!(
        by_name("b-flink-csv-1.20.5.jar")["factories"].is_null(),
        "{jars:#}"
    );
}

/// A stand-in `./mvnw` that "builds" by copying `jar` to the project's jar path: `package`
/// then reads exactly that jar, without a Maven run.
fn wrapper_building(project: &Path, jar: &Path) {
    let built = project.join("target/flink-connector-acme-0.1.0-SNAPSHOT.jar");
    let script = project.join("mvnw");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nmkdir -p '{}' && cp '{}' '{}'\n",
            built.parent().unwrap().display(),
            jar.display(),
            built.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Issue 17: `package` wrote a `connector-meta.yaml` listing no factories for a jar whose
/// services file it could not read. Now it writes neither metadata file (and removes an
/// earlier build's, which describe another jar), warns with the reason and exits non-zero;
/// a readable jar still gets both files.
#[test]
fn package_writes_no_metadata_claiming_no_factories_for_an_unreadable_services_file() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    if !support::require_command("java") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let project = support::new_project(work.path(), "acme", &[]);
    let meta = project.join("target/connector-meta.yaml");
    let options = project.join("target/flink-connector-acme-options.md");

    let encrypted = work.path().join("encrypted.jar");
    csv_jar_with(&lib, &encrypted, |original| original.to_vec(), true);
    std::fs::create_dir_all(project.join("target")).unwrap();
    for stale in [&meta, &options] {
        std::fs::write(stale, "an earlier build's metadata\n").unwrap();
    }
    wrapper_building(&project, &encrypted);
    let out = support::run_in(&project, &["package", "--offline"]);
    let (stdout, stderr) = (support::stdout(&out), support::stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("factories unknown")
            && stderr.contains("cannot be decompressed")
            && stderr
                .contains("connector-meta.yaml and flink-connector-acme-options.md not written"),
        "{stderr}"
    );
    assert!(stdout.contains("metadata:   not written"), "{stdout}");
    assert!(!stdout.contains("none found"), "{stdout}");
    assert!(!meta.exists() && !options.exists(), "stale metadata kept");

    // The control: the same jar, readable, gets both files naming its factories.
    wrapper_building(&project, &lib.join("flink-csv-1.20.5.jar"));
    let out = support::run_in(&project, &["package", "--offline"]);
    assert!(
        support::stdout(&out).contains("metadata:   "),
        "{}",
        support::stderr(&out)
    );
    let yaml = support::read(&meta);
    assert!(
        yaml.contains("org.apache.flink.formats.csv.CsvFormatFactory"),
        "{yaml}"
    );
    assert!(support::read(&options).contains("CsvFormatFactory"));
}
