//! Proof that the audit's run-time claims are real (issue 4, item 5).
//!
//! From a good connector jar (`new acme --flink 2.2`, compiled with javac, zipped here) the tests
//! build one broken jar per rule family that claims a run-time failure and run each through
//! tests/fixtures/proof/SqlProbe.java on Flink 2.2.1: a TableEnvironment on an embedded
//! MiniCluster bound to 127.0.0.1 that loads the jar the way users do (`ADD JAR '…'`, Flink's
//! child-first user class loader) and runs CREATE TABLE … 'connector' = 'acme' / INSERT / SELECT.
//! Each test asserts the exact failure Flink reports (the good jar must work), and that the
//! static audit (`check --format json`) flags the same jar.
//!
//! What Flink really does, as these tests pin it down:
//! - A services file that is missing or not under META-INF/ → "Could not find any factory for
//!   identifier 'acme'" at the first statement that needs the table.
//! - A services file listing an absent or an abstract class, a signature that does not match the
//!   manifest, a class file too new for the JVM: ServiceLoader throws, Flink's FactoryUtil turns it
//!   into "Unexpected error when trying to load service provider." — and since discovery is
//!   all-or-nothing, even built-in connectors (datagen) fail in that session, not only 'acme'.
//! - A listed class that exists but cannot be linked (missing superclass) is skipped silently
//!   (FactoryUtil swallows NoClassDefFoundError): the jar's other factories work.
//! - Bundled copies of Flink's own classes are harmless under ADD JAR (org.apache.flink. is in
//!   `classloader.parent-first-patterns.default`, so the runtime's copies win, even when the bundled
//!   ones come from another line); they break when the jar is put on the class path (lib/), where
//!   a jar sorted before Flink's own wins: a 1.20 copy on 2.2 → NoSuchMethodError.
//! - Signature files copied from a signed jar (a real PKCS#7 block) → SecurityException "Invalid
//!   signature file digest for Manifest main attributes"; a garbage .RSA block is ignored by the
//!   JDK (the jar is treated as unsigned and works).
//! - A jar built against 1.20 fails on 2.2 when the INSERT's job graph is built:
//!   NoClassDefFoundError Sink$InitContext (and runs on 1.20.5).
//! - The in-memory stand-in of the generated client does not carry rows from the INSERT job to
//!   the SELECT job under ADD JAR: each job gets its own user class loader, hence its own statics.

mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use support::*;

/// The runtime every broken jar is run on.
const RUNTIME: &str = "2.2.1";
/// The other line: a jar built against it must fail on [`RUNTIME`].
const OTHER_LINE: &str = "1.20.5";

const SERVICES: &str = "META-INF/services/org.apache.flink.table.factories.Factory";
const MANIFEST: &str = "META-INF/MANIFEST.MF";

// ------------------------------------------------------------------------------------------------
// The static side

/// The audit rule a broken jar must trigger, and the severities its findings may have: every
/// finding of that rule must be at one of them. The ids are those of src/check/rules. Where Flink
/// tolerates the jar (or only fails on some deployments) the severity is a warning, to keep the
/// audit matching reality; where Flink fails, an error.
struct Expect {
    family: &'static str,
    id: &'static str,
    severities: &'static [&'static str],
}

const ERROR: &[&str] = &["error"];
const WARNING: &[&str] = &["warning"];
/// An error (the copies that differ), beside warnings for copies identical to the runtime's.
const ERROR_BESIDE_SAME_API_WARNINGS: &[&str] = &["error", "warning"];

const SERVICES_MISSING: Expect = Expect {
    family: "F1 services file missing",
    id: "services-file-missing",
    severities: ERROR,
};
const SERVICES_MISPLACED: Expect = Expect {
    family: "F1 services file not at META-INF/services/…",
    id: "services-file-misplaced",
    severities: ERROR,
};
const SERVICES_ABSENT_CLASS: Expect = Expect {
    family: "F2 services file lists an absent class",
    id: "services-provider-not-found",
    severities: ERROR,
};
const SERVICES_ABSTRACT_CLASS: Expect = Expect {
    family: "F2 services file lists an abstract class",
    id: "services-provider-not-instantiable",
    severities: ERROR,
};
/// A listed class whose superclass is missing: Flink skips it silently and runs the jar's other
/// factories (see `proof_services_entry_with_a_missing_superclass…`), so an error would be wrong.
const SERVICES_UNLINKABLE: Expect = Expect {
    family: "F2 services file lists a class whose superclass is not resolvable",
    id: "services-provider-not-factory",
    severities: WARNING,
};
/// Same-line copies of Flink's API classes, identical to the runtime's: shadowed by them under
/// ADD JAR and harmless on the class path too (see `proof_bundled_flink_api_classes…`): a warning.
const BUNDLED_FLINK_SAME_LINE: Expect = Expect {
    family: "F3/F6 bundled Flink API classes (copies of the target's own)",
    id: "bundled-flink-api",
    severities: WARNING,
};
/// Copies from another line that differ from the runtime's: NoSuchMethodError on the class path
/// (an error); the jar's copies identical to the runtime's are dead weight (warnings).
const BUNDLED_FLINK_OTHER_LINE: Expect = Expect {
    family: "F3/F6 bundled Flink API classes (from another line)",
    id: "bundled-flink-api",
    severities: ERROR_BESIDE_SAME_API_WARNINGS,
};
const SIGNATURE: Expect = Expect {
    family: "F9 signature files (a valid block of another jar)",
    id: "signature-file",
    severities: ERROR,
};
/// Not a PKCS#7 block: the JDK ignores it and Flink runs the jar. The audit does not parse
/// signature blocks, so it cannot tell this one from a real one and reports it as an error.
const SIGNATURE_GARBAGE: Expect = Expect {
    family: "F9 signature files (a garbage block)",
    id: "signature-file",
    severities: ERROR,
};
/// Java 21 classes for flink-2.2, which runs on Java 11, 17 and 21: fails on 11 and 17 (proved
/// here on 17), works on 21. `--target flink-2.2` does not say which JVM, so a warning is what
/// the audit can say (its message names JDK 11/17 and UnsupportedClassVersionError); on a target
/// whose JVM is known to be older it is class-version-too-new, an error.
const CLASS_VERSION_ABOVE_LINE_MINIMUM: Expect = Expect {
    family: "F10 class major version above the oldest JDK of the line",
    id: "class-version-above-line-minimum",
    severities: WARNING,
};
/// Java 22 classes: above every JVM flink-2.2 supports.
const CLASS_VERSION_TOO_NEW: Expect = Expect {
    family: "F10 class major version above every JDK of the line",
    id: "class-version-too-new",
    severities: ERROR,
};
const OTHER_LINE_API: Expect = Expect {
    family: "F11 reference to an API removed in 2.0 (Sink$InitContext)",
    id: "removed-flink-api",
    severities: ERROR,
};
const DUPLICATE_IDENTIFIER: Expect = Expect {
    family: "F4 two factories with the same identifier",
    id: "duplicate-factory-identifier",
    severities: ERROR,
};

fn check_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cargo-flink-connector"))
}

/// Every finding `check --format json` reports for `jar`, as (rule, severity, message).
fn static_findings(jar: &Path) -> (serde_json::Value, Vec<(String, String, String)>) {
    let out = Command::new(check_bin())
        .arg("flink-connector")
        .arg("check")
        .arg(jar)
        .args(["--target", "flink-2.2", "--format", "json"])
        .output()
        .expect("run check");
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "check {} exited with {code:?}:\n{}{}",
        jar.display(),
        stdout(&out),
        stderr(&out)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json printed no JSON ({e}):\n{}",
            stdout(&out)
        )
    });
    let mut findings = Vec::new();
    for file in report["files"].as_array().expect("files[]") {
        for f in file["findings"].as_array().expect("findings[]") {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            findings.push((s("rule"), s("severity"), s("message")));
        }
    }
    (report, findings)
}

fn assert_flagged(jar: &Path, expect: &Expect) {
    let (report, findings) = static_findings(jar);
    let severities: Vec<&str> = findings
        .iter()
        .filter(|(rule, _, _)| rule == expect.id)
        .map(|(_, severity, _)| severity.as_str())
        .collect();
    assert!(
        // The first severity listed must be reported; the others may be.
        severities.contains(&expect.severities[0])
            && severities.iter().all(|s| expect.severities.contains(s)),
        "{} ({}): expected rule {} at {:?}, check reported:\n{report:#}",
        jar.display(),
        expect.family,
        expect.id,
        expect.severities
    );
}

/// `rule` reports nothing for `jar` (e.g. a class that can never register has no identifier).
fn assert_not_flagged(jar: &Path, rule: &str) {
    let (report, findings) = static_findings(jar);
    assert!(
        !findings.iter().any(|(r, _, _)| r == rule),
        "{}: expected no {rule} finding, check reported:\n{report:#}",
        jar.display()
    );
}

fn assert_clean(jar: &Path) {
    let (report, findings) = static_findings(jar);
    let errors: Vec<_> = findings.iter().filter(|(_, s, _)| s == "error").collect();
    assert!(
        errors.is_empty() && report["summary"]["errors"] == 0,
        "the good jar must have no error-level finding:\n{report:#}"
    );
}

// ------------------------------------------------------------------------------------------------
// Jars as entry lists

/// A jar's entries in write order (MANIFEST.MF first, like `jar` and Maven write it).
#[derive(Clone)]
struct Jar(Vec<(String, Vec<u8>)>);

impl Jar {
    fn read(path: &Path) -> Jar {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut entries = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            if entry.is_dir() {
                continue;
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            entries.push((entry.name().unwrap().into_owned(), data));
        }
        Jar(entries)
    }

    fn write(&self, path: &Path) -> PathBuf {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in &self.0 {
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        path.to_owned()
    }

    fn get(&self, name: &str) -> Option<&Vec<u8>> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    fn put(&mut self, name: &str, data: Vec<u8>) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = data,
            None => self.0.push((name.to_owned(), data)),
        }
    }

    fn remove(&mut self, name: &str) -> Vec<u8> {
        let i = self
            .0
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name} in the jar"));
        self.0.remove(i).1
    }
}

/// A jar of a project compiled by [`javac`]: manifest, classes, src/main/resources.
fn package(project: &Path, jar: &Path) -> PathBuf {
    let mut entries = vec![(
        MANIFEST.to_owned(),
        b"Manifest-Version: 1.0\r\nCreated-By: cargo-flink-connector audit_proof\r\n\r\n".to_vec(),
    )];
    entries.extend(files_under(&project.join("target/javac-classes")));
    entries.extend(files_under(&project.join("src/main/resources")));
    Jar(entries).write(jar)
}

// ------------------------------------------------------------------------------------------------
// The kit every test shares: probe, good jar, the 1.20 jar

struct Kit {
    work: PathBuf,
    lib: PathBuf,
    other_lib: PathBuf,
    probe_classes: PathBuf,
    project: PathBuf,
    good: PathBuf,
    /// The factory class the good jar's services file lists, e.g. org.example….AcmeDynamicTableFactory.
    factory: String,
}

impl Kit {
    fn factory_entry(&self) -> String {
        format!("{}.class", self.factory.replace('.', "/"))
    }

    fn package(&self) -> &str {
        self.factory.rsplit_once('.').map(|(p, _)| p).unwrap_or("")
    }

    fn jar(&self, name: &str) -> PathBuf {
        self.work.join("jars").join(name)
    }
}

static KIT: OnceLock<Result<Kit, String>> = OnceLock::new();

/// The shared kit; None when Java or the Flink jars are missing outside CI.
fn kit() -> Option<&'static Kit> {
    if !require_command("java") || !require_command("javac") {
        return None;
    }
    let lib = flink_lib(RUNTIME)?;
    let other_lib = flink_lib(OTHER_LINE)?;
    match KIT.get_or_init(|| build_kit(lib, other_lib)) {
        Ok(kit) => Some(kit),
        Err(e) => panic!("{e}"),
    }
}

fn build_kit(lib: PathBuf, other_lib: PathBuf) -> Result<Kit, String> {
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("audit_proof");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("jars")).unwrap();
    let _guard = heavy();

    let probe_classes = work.join("probe-classes");
    let probe_src =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proof/SqlProbe.java");
    javac_sources(&[probe_src], &lib_classpath(&lib, &[]), 11, &probe_classes)
        .map_err(|e| format!("SqlProbe.java does not compile against Flink {RUNTIME}:\n{e}"))?;

    let out = run_in(
        &work,
        &["new", "acme", "--flink", "2.2", "--dir", "acme-2.2"],
    );
    if !out.status.success() {
        return Err(format!(
            "`new acme --flink 2.2` failed:\n{}{}",
            stdout(&out),
            stderr(&out)
        ));
    }
    let project = work.join("acme-2.2");
    javac(&project, &lib, 11).map_err(|e| {
        format!("the generated 'acme' project does not compile against {RUNTIME}:\n{e}")
    })?;
    let good = package(&project, &work.join("jars/good.jar"));

    let services = String::from_utf8(
        Jar::read(&good)
            .get(SERVICES)
            .cloned()
            .ok_or("no services file in good.jar")?,
    )
    .unwrap();
    let factory = services
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .find(|l| !l.is_empty())
        .ok_or("the services file lists no class")?
        .to_owned();
    Ok(Kit {
        work,
        lib,
        other_lib,
        probe_classes,
        project,
        good,
        factory,
    })
}

/// Compiles `class NAME` (`body` is the declaration) in the factory's package against the good
/// project's classes, and returns (entry name, bytes).
fn compile_extra(kit: &Kit, name: &str, declaration: &str) -> (String, Vec<u8>) {
    let src_dir = kit.work.join("extra-src").join(name);
    let classes = kit.work.join("extra-classes").join(name);
    std::fs::create_dir_all(&src_dir).unwrap();
    let src = src_dir.join(format!("{name}.java"));
    std::fs::write(
        &src,
        format!("package {};\n\n{declaration}\n", kit.package()),
    )
    .unwrap();
    let project_classes = kit.project.join("target/javac-classes");
    let _guard = heavy();
    javac_sources(
        &[src],
        &lib_classpath(&kit.lib, &[&project_classes]),
        11,
        &classes,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let entry = format!("{}/{name}.class", kit.package().replace('.', "/"));
    let data = std::fs::read(classes.join(&entry)).unwrap();
    (entry, data)
}

// ------------------------------------------------------------------------------------------------
// Running the probe

const CREATE_GEN: &str = "CREATE TABLE gen (id INT, name STRING) WITH ('connector' = 'datagen', \
     'number-of-rows' = '5', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', \
     'fields.id.end' = '5', 'fields.name.length' = '4')";
const CREATE_ACME: &str = "CREATE TABLE t (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) \
     WITH ('connector' = 'acme', 'namespace' = 'proof')";
const INSERT: &str = "INSERT INTO t SELECT id, name FROM gen";
const SELECT: &str = "SELECT id, name FROM t";
const CREATE_KEYS: &str =
    "CREATE TABLE keys (id INT, pt AS PROCTIME()) WITH ('connector' = 'datagen', \
     'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '4', \
     'number-of-rows' = '4')";
const LOOKUP_JOIN: &str = "SELECT k.id, t.name FROM keys AS k \
     LEFT JOIN t FOR SYSTEM_TIME AS OF k.pt ON k.id = t.id";

/// What every broken jar is put through (the first statement that touches 'acme' is the INSERT).
const ROUND_TRIP: &[&str] = &[CREATE_GEN, CREATE_ACME, INSERT, SELECT];
/// For jars Flink tolerates: discovery, planning and the sink's job are what a broken jar would
/// break; one job instead of two keeps those runs short.
const INSERT_ONLY: &[&str] = &[CREATE_GEN, CREATE_ACME, INSERT];

#[derive(Debug)]
struct Probe {
    /// The statements that were started, in order (0 is the ADD JAR unless on the class path).
    steps: Vec<String>,
    /// Rows the queries returned, with the index of their statement in `steps`.
    rows: Vec<(usize, String)>,
    /// "OK" or "FAILED class: message | caused by: …".
    verdict: String,
    stdout: String,
    stderr: String,
    seconds: f64,
}

impl Probe {
    fn rows_of(&self, step: usize) -> Vec<&str> {
        self.rows
            .iter()
            .filter(|(s, _)| *s == step)
            .map(|(_, r)| r.as_str())
            .collect()
    }

    fn context(&self) -> String {
        let tail: Vec<&str> = self
            .stderr
            .lines()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!(
            "probe stdout:\n{}\nprobe stderr (tail):\n{}",
            self.stdout,
            tail.join("\n")
        )
    }

    fn assert_ok(&self) {
        assert_eq!(
            self.verdict,
            "OK",
            "expected the jar to work\n{}",
            self.context()
        );
    }

    /// The run failed at `statement` and the cause chain contains every needle.
    fn assert_failed(&self, statement: &str, needles: &[&str]) {
        assert!(
            self.verdict.starts_with("FAILED "),
            "expected a failure, got {}\n{}",
            self.verdict,
            self.context()
        );
        assert_eq!(
            self.steps.last().map(String::as_str),
            Some(one_line(statement).as_str()),
            "failed at another statement than expected: {}\n{}",
            self.verdict,
            self.context()
        );
        for needle in needles {
            assert!(
                self.verdict.contains(needle),
                "missing {needle:?} in:\n{}\n{}",
                self.verdict,
                self.context()
            );
        }
    }
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs SqlProbe on `lib` with `jar` loaded by ADD JAR (or, `on_class_path`, on the application
/// class path like a jar in Flink's lib/), one JVM for all statements.
fn probe_with(
    kit: &Kit,
    lib: &Path,
    jar: &Path,
    on_class_path: bool,
    statements: &[&str],
) -> Probe {
    let mut cp = String::new();
    if on_class_path {
        cp.push_str(&format!("{}:", jar.display()));
    }
    cp.push_str(&format!(
        "{}/*:{}",
        lib.display(),
        kit.probe_classes.display()
    ));
    let tmp = kit.work.join("jvm-tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let _guard = heavy();
    let start = Instant::now();
    let out = Command::new("java")
        .arg(format!("-Djava.io.tmpdir={}", tmp.display()))
        .args([
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            &cp,
            "SqlProbe",
        ])
        .arg(if on_class_path {
            "-".into()
        } else {
            jar.display().to_string()
        })
        .args(statements.iter().map(|s| one_line(s)))
        .output()
        .expect("run java");
    let seconds = start.elapsed().as_secs_f64();
    let (so, se) = (stdout(&out), stderr(&out));
    assert!(
        out.status.success(),
        "SqlProbe exited with {:?}\n{so}\n{se}",
        out.status.code()
    );
    let mut probe = Probe {
        steps: Vec::new(),
        rows: Vec::new(),
        verdict: String::new(),
        stdout: so.clone(),
        stderr: se,
        seconds,
    };
    for line in so.lines() {
        if let Some(step) = line.strip_prefix("STEP ") {
            let sql = step.split_once(' ').map(|(_, s)| s).unwrap_or("");
            probe.steps.push(sql.to_owned());
        } else if let Some(row) = line.strip_prefix("ROW ") {
            probe
                .rows
                .push((probe.steps.len().saturating_sub(1), row.to_owned()));
        } else if line == "OK" || line.starts_with("FAILED ") {
            probe.verdict = line.to_owned();
        }
    }
    eprintln!(
        "[{:.1} s] {} on Flink {}{}: {}",
        probe.seconds,
        jar.file_name().unwrap().to_string_lossy(),
        lib.parent().unwrap().file_name().unwrap().to_string_lossy(),
        if on_class_path {
            " (class path)"
        } else {
            " (ADD JAR)"
        },
        probe.verdict
    );
    probe
}

fn probe(kit: &Kit, jar: &Path, statements: &[&str]) -> Probe {
    probe_with(kit, &kit.lib, jar, false, statements)
}

// ------------------------------------------------------------------------------------------------
// The tests

#[test]
fn proof_good_jar_round_trips_on_flink_2_2() {
    let Some(kit) = kit() else { return };
    let run = probe(
        kit,
        &kit.good,
        &[
            CREATE_GEN,
            CREATE_ACME,
            INSERT,
            SELECT,
            CREATE_KEYS,
            LOOKUP_JOIN,
        ],
    );
    run.assert_ok();
    assert_eq!(run.steps.len(), 7, "{}", run.context());
    // The lookup join (a LEFT join) emits one row per key. The scan's rows depend on whether the
    // stand-in store outlives the INSERT's job: it does not under ADD JAR (one user class loader,
    // hence one copy of the client's statics, per job), so they are only reported.
    let joined = run.rows_of(6);
    assert_eq!(
        joined.len(),
        4,
        "the lookup join must return one row per key\n{}",
        run.context()
    );
    eprintln!(
        "scan returned {:?}; lookup join returned {joined:?}",
        run.rows_of(4)
    );
    assert_clean(&kit.good);
}

#[test]
fn proof_services_file_missing_finds_no_factory() {
    let Some(kit) = kit() else { return };
    let mut jar = Jar::read(&kit.good);
    jar.remove(SERVICES);
    let path = jar.write(&kit.jar("services-missing.jar"));
    probe(kit, &path, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "Could not find any factory for identifier 'acme' that implements \
           'org.apache.flink.table.factories.DynamicTableFactory' in the classpath.",
        ],
    );
    assert_flagged(&path, &SERVICES_MISSING);
}

#[test]
fn proof_services_file_outside_meta_inf_finds_no_factory() {
    let Some(kit) = kit() else { return };
    let mut jar = Jar::read(&kit.good);
    let services = jar.remove(SERVICES);
    jar.put(
        "services/org.apache.flink.table.factories.Factory",
        services,
    );
    let path = jar.write(&kit.jar("services-outside-meta-inf.jar"));
    probe(kit, &path, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "Could not find any factory for identifier 'acme' that implements \
           'org.apache.flink.table.factories.DynamicTableFactory' in the classpath.",
        ],
    );
    assert_flagged(&path, &SERVICES_MISPLACED);
}

/// ServiceLoader throws ServiceConfigurationError (Flink only swallows NoClassDefFoundError), and
/// FactoryUtil fails the whole discovery: the first table of the session fails, even datagen.
#[test]
fn proof_services_file_listing_an_absent_class_breaks_all_discovery() {
    let Some(kit) = kit() else { return };
    let mut jar = Jar::read(&kit.good);
    let missing = format!("{}.AcmeMissingFactory", kit.package());
    jar.put(
        SERVICES,
        format!("{missing}\n{}\n", kit.factory).into_bytes(),
    );
    let path = jar.write(&kit.jar("services-absent-class.jar"));
    probe(kit, &path, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "Unable to create a source for reading table 'default_catalog.default_database.gen'",
            "org.apache.flink.table.api.TableException: Unexpected error when trying to load service provider.",
            &format!(
                "java.util.ServiceConfigurationError: org.apache.flink.table.factories.Factory: \
                 Provider {missing} not found"
            ),
        ],
    );
    assert_flagged(&path, &SERVICES_ABSENT_CLASS);
}

#[test]
fn proof_services_file_listing_an_abstract_class_breaks_all_discovery() {
    let Some(kit) = kit() else { return };
    let simple = kit.factory.rsplit('.').next().unwrap();
    let (entry, class) = compile_extra(
        kit,
        "AcmeAbstractFactory",
        &format!("public abstract class AcmeAbstractFactory extends {simple} {{}}"),
    );
    let mut jar = Jar::read(&kit.good);
    jar.put(&entry, class);
    let abstract_class = format!("{}.AcmeAbstractFactory", kit.package());
    jar.put(
        SERVICES,
        format!("{abstract_class}\n{}\n", kit.factory).into_bytes(),
    );
    let path = jar.write(&kit.jar("services-abstract-class.jar"));
    probe(kit, &path, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "org.apache.flink.table.api.TableException: Unexpected error when trying to load service provider.",
            &format!(
                "java.util.ServiceConfigurationError: org.apache.flink.table.factories.Factory: \
                 Provider {abstract_class} could not be instantiated | caused by: java.lang.InstantiationException"
            ),
        ],
    );
    assert_flagged(&path, &SERVICES_ABSTRACT_CLASS);
    // It inherits 'acme' but ServiceLoader never instantiates it: no second 'acme' registers.
    assert_not_flagged(&path, DUPLICATE_IDENTIFIER.id);
}

/// A listed class that exists but cannot be linked (its superclass is not in the jar) throws
/// NoClassDefFoundError inside ServiceLoader, which Flink's FactoryUtil.discoverFactories swallows
/// (logged at DEBUG: "expected when trying to load a format dependency…"): the entry is skipped
/// and the jar's other factories work. Alone, such an entry would end as "Could not find any
/// factory" (F1); next to a good factory Flink runs the job.
#[test]
fn proof_services_entry_with_a_missing_superclass_is_skipped_silently() {
    let Some(kit) = kit() else { return };
    let simple = kit.factory.rsplit('.').next().unwrap();
    let (entry, class) = compile_extra(
        kit,
        "AcmeOrphanFactory",
        &format!(
            "abstract class AcmeMissingBase extends {simple} {{}}\n\n\
             public class AcmeOrphanFactory extends AcmeMissingBase {{}}"
        ),
    );
    let orphan = format!("{}.AcmeOrphanFactory", kit.package());
    let mut jar = Jar::read(&kit.good);
    jar.put(&entry, class); // without AcmeMissingBase.class
    jar.put(
        SERVICES,
        format!("{orphan}\n{}\n", kit.factory).into_bytes(),
    );
    let path = jar.write(&kit.jar("services-unlinkable-class.jar"));
    probe(kit, &path, INSERT_ONLY).assert_ok();
    assert_flagged(&path, &SERVICES_UNLINKABLE);
}

/// Copies of Flink's own org/apache/flink/table/factories classes do NOT break a jar loaded with
/// ADD JAR: `org.apache.flink.` is parent-first in Flink's child-first user class loader, so the
/// runtime's classes win — even copies from another line. They do break a jar on the class path
/// (Flink's lib/), where the bundled copies can shadow the runtime's: 1.20's FactoryUtil family
/// on 2.2 → NoSuchMethodError.
#[test]
fn proof_bundled_flink_api_classes_are_shadowed_under_add_jar_but_break_on_the_class_path() {
    let Some(kit) = kit() else { return };
    let bundle = |uber_lib: &Path, version: &str, name: &str| {
        let uber = Jar::read(&uber_lib.join(format!("flink-table-api-java-uber-{version}.jar")));
        let mut jar = Jar::read(&kit.good);
        let mut copied = 0;
        for (entry, data) in &uber.0 {
            if let Some(rest) = entry.strip_prefix("org/apache/flink/table/factories/") {
                if !rest.contains('/') && rest.ends_with(".class") {
                    jar.put(entry, data.clone());
                    copied += 1;
                }
            }
        }
        assert!(
            copied > 20,
            "only {copied} classes under org/apache/flink/table/factories in {version}"
        );
        jar.write(&kit.jar(name))
    };
    let same_line = bundle(&kit.lib, RUNTIME, "bundled-flink-2.2.1.jar");
    probe(kit, &same_line, INSERT_ONLY).assert_ok();
    assert_flagged(&same_line, &BUNDLED_FLINK_SAME_LINE);

    let other_line = bundle(&kit.other_lib, OTHER_LINE, "bundled-flink-1.20.5.jar");
    probe(kit, &other_line, INSERT_ONLY).assert_ok();
    probe_with(kit, &kit.lib, &other_line, true, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "java.lang.NoSuchMethodError: ",
            "org.apache.flink.table.factories.TableFactoryUtil",
        ],
    );
    assert_flagged(&other_line, &BUNDLED_FLINK_OTHER_LINE);
}

/// A jar signed by someone (e.g. a shaded dependency's META-INF/X.SF + X.RSA, a valid PKCS#7 block)
/// whose digests do not match this jar's manifest: SecurityException as soon as the class loader
/// opens it. A garbage signature block, by contrast, makes the JDK treat the jar as unsigned.
#[test]
fn proof_foreign_signature_files_fail_with_invalid_signature_file_digest() {
    let Some(kit) = kit() else { return };
    if !require_command("keytool") || !require_command("jarsigner") {
        return;
    }
    // A "dependency" signed with a throwaway key, like a vendor-signed jar that got shaded in.
    let dir = kit.work.join("signed-dependency");
    std::fs::create_dir_all(&dir).unwrap();
    let dep = Jar(vec![
        (
            MANIFEST.to_owned(),
            b"Manifest-Version: 1.0\r\nCreated-By: a vendor\r\n\r\n".to_vec(),
        ),
        ("vendor/Thing.txt".to_owned(), b"thing\n".to_vec()),
    ])
    .write(&dir.join("dependency.jar"));
    let keystore = dir.join("vendor.p12");
    let _ = std::fs::remove_file(&keystore);
    {
        let _guard = heavy();
        let keytool = Command::new("keytool")
            .args(["-genkeypair", "-keystore"])
            .arg(&keystore)
            .args([
                "-storetype",
                "PKCS12",
                "-storepass",
                "proof-only",
                "-keypass",
                "proof-only",
                "-alias",
                "x",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=audit-proof",
                "-validity",
                "3650",
            ])
            .output()
            .expect("run keytool");
        assert!(keytool.status.success(), "keytool: {}", stderr(&keytool));
        let jarsigner = Command::new("jarsigner")
            .arg("-keystore")
            .arg(&keystore)
            .args(["-storepass", "proof-only"])
            .arg(&dep)
            .arg("x")
            .output()
            .expect("run jarsigner");
        assert!(
            jarsigner.status.success(),
            "jarsigner: {}{}",
            stdout(&jarsigner),
            stderr(&jarsigner)
        );
    }
    let signed = Jar::read(&dep);
    let mut jar = Jar::read(&kit.good);
    for name in ["META-INF/X.SF", "META-INF/X.RSA"] {
        jar.put(
            name,
            signed
                .get(name)
                .unwrap_or_else(|| panic!("jarsigner wrote no {name}"))
                .clone(),
        );
    }
    let path = jar.write(&kit.jar("signature-foreign.jar"));
    probe(kit, &path, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "org.apache.flink.table.api.TableException: Unexpected error when trying to load service provider.",
            "java.lang.SecurityException: Invalid signature file digest for Manifest main attributes",
        ],
    );
    assert_flagged(&path, &SIGNATURE);

    // A bogus digest in X.SF with a block that is not PKCS#7: the JDK ignores both.
    let mut bogus = Jar::read(&kit.good);
    bogus.put(
        "META-INF/X.SF",
        b"Signature-Version: 1.0\r\nSHA-256-Digest-Manifest-Main-Attributes: \
          AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"
            .to_vec(),
    );
    bogus.put(
        "META-INF/X.RSA",
        (0..1200u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect(),
    );
    let bogus_path = bogus.write(&kit.jar("signature-bogus-block.jar"));
    probe(kit, &bogus_path, INSERT_ONLY).assert_ok();
    assert_flagged(&bogus_path, &SIGNATURE_GARBAGE);
}

/// The factory class patched to class-file version 65 (Java 21: flink-2.2 supports it, but not
/// only it) and 66 (Java 22: above every JVM flink-2.2 supports). On the Java 17 these tests run
/// on, both break discovery with UnsupportedClassVersionError.
#[test]
fn proof_class_version_above_the_runtime_jdk_fails_with_unsupported_class_version() {
    let Some(kit) = kit() else { return };
    let java = Command::new("java")
        .arg("-XshowSettings:properties")
        .arg("-version")
        .output()
        .unwrap();
    let spec = stderr(&java)
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("java.class.version = ")
                .map(|v| v.trim().to_owned())
        })
        .expect("java.class.version");
    let runtime_major: u16 = spec.split('.').next().unwrap().parse().unwrap();
    let entry = kit.factory_entry();
    for (major, expect) in [
        (65u16, &CLASS_VERSION_ABOVE_LINE_MINIMUM),
        (66, &CLASS_VERSION_TOO_NEW),
    ] {
        let mut jar = Jar::read(&kit.good);
        let mut class = jar.get(&entry).unwrap().clone();
        class[6..8].copy_from_slice(&major.to_be_bytes());
        jar.put(&entry, class);
        let path = jar.write(&kit.jar(&format!("class-version-{major}.jar")));
        if runtime_major >= major {
            eprintln!(
                "run of class-version-{major}.jar skipped: this JVM reads version {runtime_major}"
            );
        } else {
            probe(kit, &path, ROUND_TRIP).assert_failed(
                INSERT,
                &[
                    "org.apache.flink.table.api.TableException: Unexpected error when trying to load service provider.",
                    &format!(
                        "java.lang.UnsupportedClassVersionError: {} has been compiled by a more recent version of \
                         the Java Runtime (class file version {major}.0), this version of the Java Runtime only \
                         recognizes class file versions up to {runtime_major}.0",
                        entry.trim_end_matches(".class")
                    ),
                ],
            );
        }
        assert_flagged(&path, expect);
    }
}

/// The same connector generated for 1.20 and compiled against 1.20.5 runs on 1.20.5 and fails on
/// 2.2 while the INSERT's job graph is serialized: its sink implements createWriter(InitContext).
#[test]
fn proof_jar_built_for_1_20_fails_on_2_2_with_sink_init_context() {
    let Some(kit) = kit() else { return };
    let out = run_in(
        &kit.work,
        &["new", "acme", "--flink", "1.20", "--dir", "acme-1.20"],
    );
    assert!(
        out.status.success(),
        "`new acme --flink 1.20` failed:\n{}",
        stderr(&out)
    );
    let project = kit.work.join("acme-1.20");
    {
        let _guard = heavy();
        javac(&project, &kit.other_lib, 8)
            .unwrap_or_else(|e| panic!("1.20 project does not compile:\n{e}"));
    }
    let path = package(&project, &kit.jar("built-for-1.20.jar"));
    probe_with(kit, &kit.other_lib, &path, false, INSERT_ONLY).assert_ok();
    probe(kit, &path, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "java.lang.NoClassDefFoundError: org/apache/flink/api/connector/sink2/Sink$InitContext",
            "java.lang.ClassNotFoundException: org.apache.flink.api.connector.sink2.Sink$InitContext",
        ],
    );
    assert_flagged(&path, &OTHER_LINE_API);
}

#[test]
fn proof_duplicate_identifier_fails_with_multiple_factories() {
    let Some(kit) = kit() else { return };
    let simple = kit.factory.rsplit('.').next().unwrap();
    let (entry, class) = compile_extra(
        kit,
        "AcmeDuplicateFactory",
        &format!("public class AcmeDuplicateFactory extends {simple} {{}}"),
    );
    let duplicate = format!("{}.AcmeDuplicateFactory", kit.package());
    let mut jar = Jar::read(&kit.good);
    jar.put(&entry, class);
    let mut services = String::from_utf8(jar.get(SERVICES).unwrap().clone()).unwrap();
    services.push_str(&format!("{duplicate}\n"));
    jar.put(SERVICES, services.into_bytes());
    let path = jar.write(&kit.jar("duplicate-identifier.jar"));
    probe(kit, &path, ROUND_TRIP).assert_failed(
        INSERT,
        &[
            "Multiple factories for identifier 'acme' that implement \
             'org.apache.flink.table.factories.DynamicTableFactory' found in the classpath.",
            &duplicate,
            &kit.factory,
        ],
    );
    assert_flagged(&path, &DUPLICATE_IDENTIFIER);
}
