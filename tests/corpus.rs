//! The real-world corpus: jars that ship and work (tests/corpus/jars.toml, fetched once with
//! Maven into ~/.cache/cargo-flink-connector/corpus/<group>/<artifact>/<version>/, plus the
//! connector and format jars of every provisioned line's lib/). Each is checked against the
//! line it was built for, twice: with the runtime's real lib/ and as a fresh install (the
//! embedded class index). Both must give no error-level finding and the same findings.
//! Prints the figures (jars, findings per rule, time) for the closing note.
//!
//! Findings proved true (the jar is broken on that line, shown by a real run in a test) are
//! listed under [expected] in jars.toml with the proving test; every other error fails.
//! Downloads are cached by version; with CI=true a missing one is fetched with Maven, never
//! skipped. One audit run per line and mode (each lib/ opened once).
//!
//! A method only later lines have, used solely by the class's own forwarder of that method
//! (paimon-flink-1.17's FlinkGenericCatalog.listProcedures → Catalog.listProcedures, 1.18+), is
//! a warning: 1.17 never calls the forwarder (tests/check_flink_jars.rs has the reproduction).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use cargo_flink_connector::check::context::Depth;
use cargo_flink_connector::check::finding::{Levels, Severity};
use cargo_flink_connector::check::target::Target;
use cargo_flink_connector::check::{run, CheckOptions, FileReport};
use cargo_flink_connector::flink::LINES;

fn options(line: &str, provisioned: bool) -> CheckOptions {
    CheckOptions {
        target: Some(Target::parse(&format!("flink-{line}")).unwrap()),
        flink_lib: None,
        matrix: Vec::new(),
        provisioned,
        depth: Depth::Deep,
        levels: Levels::default(),
        deny_warnings: false,
        threads: 2,
    }
}

/// The public-API rules, whose messages name the lines where the API differs: read from the
/// embedded per-line index in both modes, so their messages must agree too.
const UPGRADE_RISKS: &[&str] = &["internal-flink-api", "flink-shaded-reference"];

/// (rule, severity, location): what must agree between lib/ and the embedded index (messages
/// name their source and may differ), plus the message of the upgrade-risk rules.
fn key(report: &FileReport) -> Vec<(&'static str, Severity, String)> {
    let mut keys: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            let at = if UPGRADE_RISKS.contains(&f.rule) {
                let details: Vec<&str> = f.occurrences.iter().map(|o| o.detail.as_str()).collect();
                format!("{}: {} {details:?}", f.location, f.message)
            } else {
                f.location.clone()
            };
            (f.rule, f.severity, at)
        })
        .collect();
    keys.sort();
    keys
}

/// The patch of `line` that scripts/provision caches: the one the embedded index was built from
/// (the line's default patch may be another, e.g. 1.20.3 while lib/ is 1.20.5).
fn provisioned_patch(line: &str) -> String {
    cargo_flink_connector::flink::index::versions()
        .into_iter()
        .find(|v| v.rsplit_once('.').is_some_and(|(l, _)| l == line))
        .unwrap_or_else(|| panic!("the embedded index has no {line}"))
        .to_string()
}

/// `(coordinate, rule)` → the test that proves the finding true, from the [expected] table.
fn expected_findings() -> BTreeMap<(String, String), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/jars.toml");
    let doc: toml_edit::DocumentMut = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    let mut out = BTreeMap::new();
    if let Some(table) = doc.get("expected").and_then(|t| t.as_table()) {
        for (coordinate, rules) in table.iter() {
            let rules = rules.as_inline_table().expect("rule = \"proof test\"");
            for (rule, proof) in rules.iter() {
                out.insert(
                    (coordinate.to_string(), rule.to_string()),
                    proof.as_str().expect("a test name").to_string(),
                );
            }
        }
    }
    out
}

#[test]
fn shipped_jars_have_no_false_errors_fresh_or_provisioned() {
    let _heavy = support::heavy();
    if !support::require_command("mvn") {
        return;
    }
    let mut jars: Vec<(String, PathBuf, String)> = Vec::new();
    let mut unavailable = Vec::new();
    for (coordinate, line) in support::corpus::list() {
        match support::corpus::fetch(&coordinate) {
            Ok(jar) => jars.push((coordinate, jar, line)),
            Err(e) => unavailable.push(e),
        }
    }
    // Flink's own connector and format jars from each provisioned line's lib/.
    for line in LINES {
        let version = provisioned_patch(line.line);
        let Some(lib) = support::flink_lib(&version) else {
            continue;
        };
        for prefix in ["flink-connector-files", "flink-json", "flink-csv"] {
            let jar = support::lib_jar(&lib, prefix);
            jars.push((
                format!("lib/{prefix}-{version}"),
                jar,
                line.line.to_string(),
            ));
        }
    }
    assert!(
        unavailable.is_empty(),
        "coordinates Maven cannot resolve (move them to [unavailable]): {unavailable:#?}"
    );
    let expected = expected_findings();
    let started = Instant::now();
    let mut errors = Vec::new();
    let mut differences = Vec::new();
    let mut per_rule: BTreeMap<(&'static str, Severity), usize> = BTreeMap::new();
    let mut seen_expected = Vec::new();
    let mut compared = 0;
    // Upgrade risks: rule → jars with it; referenced internal class / shaded package → jars.
    let mut risky_jars: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut risky_jar_count = 0;
    let mut internal_apis: BTreeMap<String, usize> = BTreeMap::new();
    let mut internal_members: BTreeMap<String, usize> = BTreeMap::new();
    // One audit run per line and mode: each lib/ is opened once, as for a user checking many jars.
    let mut by_line: BTreeMap<&str, Vec<&(String, PathBuf, String)>> = BTreeMap::new();
    for jar in &jars {
        by_line.entry(jar.2.as_str()).or_default().push(jar);
    }
    for (line, group) in &by_line {
        let paths: Vec<PathBuf> = group.iter().map(|(_, p, _)| p.clone()).collect();
        let fresh = run(&paths, &options(line, false)).unwrap();
        let lib = support::flink_lib(&provisioned_patch(line));
        let provisioned = lib.map(|_| run(&paths, &options(line, true)).unwrap());
        for (label, path, _) in group {
            let of = |report: &'_ cargo_flink_connector::check::Report| {
                report
                    .files
                    .iter()
                    .find(|f| Path::new(&f.path) == path.as_path())
                    .map(key)
                    .unwrap_or_else(|| panic!("{label}: no report"))
            };
            let fresh_file = fresh
                .files
                .iter()
                .find(|f| Path::new(&f.path) == path.as_path())
                .unwrap();
            let mut rules_here = std::collections::BTreeSet::new();
            // A grouped finding (internal-flink-api) has one use per occurrence.
            let uses = fresh_file
                .findings
                .iter()
                .filter(|f| UPGRADE_RISKS.contains(&f.rule))
                .flat_map(|f| {
                    let texts: Vec<&str> = if f.occurrences.is_empty() {
                        vec![f.message.as_str()]
                    } else {
                        f.occurrences.iter().map(|o| o.detail.as_str()).collect()
                    };
                    texts.into_iter().map(move |text| (f.rule, text))
                });
            for (rule, message) in uses {
                rules_here.insert(rule);
                // "@Internal class org.x.Y used by …" / "org.apache.flink.shaded.guava31 (…"
                let head = message.split(" used by ").next().unwrap_or_default();
                let api = if rule == "flink-shaded-reference" {
                    head.split(" (").next().unwrap_or(head)
                } else if head.ends_with(" of a public class,") {
                    // "@Internal method org.x.Y.m(…) of a public class,"
                    head.split(' ').nth(2).unwrap_or(head)
                } else {
                    head.rsplit(' ').next().unwrap_or(head)
                };
                if head.ends_with(" of a public class,") {
                    *internal_members.entry(api.to_string()).or_default() += 1;
                } else {
                    *internal_apis.entry(api.to_string()).or_default() += 1;
                }
            }
            risky_jar_count += usize::from(!rules_here.is_empty());
            for rule in rules_here {
                *risky_jars.entry(rule).or_default() += 1;
            }
            for f in &fresh_file.findings {
                *per_rule.entry((f.rule, f.severity)).or_default() += 1;
                if f.severity != Severity::Error {
                    continue;
                }
                let finding = format!(
                    "{label} [{line}] {}: {} ({})",
                    f.rule, f.message, f.location
                );
                match expected.get(&(label.clone(), f.rule.to_string())) {
                    Some(proof) => seen_expected.push(format!("{finding} — proved by {proof}")),
                    None => errors.push(finding),
                }
            }
            if let Some(provisioned) = &provisioned {
                compared += 1;
                if of(provisioned) != of(&fresh) {
                    differences.push(format!(
                        "{label}: lib/ {:?}\n  index {:?}",
                        of(provisioned),
                        of(&fresh)
                    ));
                }
            }
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "corpus: {} jars ({} from Maven, {} from lib/), {compared} compared with lib/, \
         audited twice in {:.1} s",
        jars.len(),
        jars.iter().filter(|(l, ..)| !l.starts_with("lib/")).count(),
        jars.iter().filter(|(l, ..)| l.starts_with("lib/")).count(),
        elapsed.as_secs_f64()
    );
    for ((rule, severity), n) in &per_rule {
        eprintln!("  {n:4} {severity:?} {rule}");
    }
    for finding in &seen_expected {
        eprintln!("  true finding: {finding}");
    }
    eprintln!("upgrade risks: {risky_jar_count} of {} jars", jars.len());
    for (rule, n) in &risky_jars {
        eprintln!("  {n:4} jars with {rule}");
    }
    for (what, apis, shown) in [
        ("classes and shaded libraries", &internal_apis, 15),
        ("members of public classes", &internal_members, 5),
    ] {
        let mut common: Vec<(&String, &usize)> = apis.iter().collect();
        common.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        eprintln!(
            "  {} internal {what} ({} uses); the most used:",
            apis.len(),
            apis.values().sum::<usize>()
        );
        for (api, n) in common.iter().take(shown) {
            eprintln!("  {n:4} jars use {api}");
        }
    }
    let unproved: Vec<_> = expected
        .keys()
        .filter(|(c, r)| {
            !seen_expected
                .iter()
                .any(|s| s.starts_with(&format!("{c} [")) && s.contains(&format!("] {r}:")))
        })
        .collect();
    assert!(
        unproved.is_empty(),
        "[expected] findings the audit no longer reports: {unproved:?}"
    );
    eprintln!(
        "  {} false errors, {} jars whose findings differ between lib/ and the embedded index",
        errors.len(),
        differences.len()
    );
    assert!(
        errors.is_empty() && differences.is_empty(),
        "{} false errors:\n{}\nfresh install differs from lib/:\n{}",
        errors.len(),
        errors.join("\n"),
        differences.join("\n")
    );
}

/// Runs tests/fixtures/proof/SqlProbe.java on `version`'s lib/ with `jar` added by `ADD JAR`
/// (Flink's user class loader, as users load connectors); returns the probe's last line
/// (`OK` or `FAILED <cause chain>`).
fn sql_probe(version: &str, jar: &Path, statements: &[&str]) -> Option<String> {
    let lib = support::flink_lib(version)?;
    support::require("javac (JDK 17)", support::has_command("javac")).then_some(())?;
    let work = tempfile::tempdir().unwrap();
    let classes = work.path().join("probe");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proof/SqlProbe.java");
    support::javac_sources(&[source], &support::lib_classpath(&lib, &[]), 11, &classes)
        .unwrap_or_else(|e| panic!("{e}"));
    let tmp = work.path().join("jvm-tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let _heavy = support::heavy();
    let out = Command::new("java")
        .arg(format!("-Djava.io.tmpdir={}", tmp.display()))
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(support::lib_classpath(&lib, &[&classes]))
        .arg("SqlProbe")
        .arg(jar)
        .args(statements)
        .output()
        .expect("run java");
    let stdout = support::stdout(&out);
    assert!(
        out.status.success(),
        "SqlProbe: {stdout}\n{}",
        support::stderr(&out)
    );
    stdout
        .lines()
        .rfind(|l| *l == "OK" || l.starts_with("FAILED "))
        .map(str::to_string)
}

/// TRUE finding (jars.toml [expected]): flink-connector-jdbc 3.3.0-1.20 lists two catalog
/// factories that both register 'jdbc' (the old `…jdbc.catalog.factory.JdbcCatalogFactory` and
/// the new `…jdbc.core.database.catalog.factory.JdbcCatalogFactory`), so Flink 1.20 cannot
/// create a JDBC catalog from SQL: "Multiple factories for identifier 'jdbc'".
#[test]
fn proof_jdbc_3_3_0_1_20_cannot_create_a_jdbc_catalog() {
    if !support::require_command("mvn") {
        return;
    }
    let jar = support::corpus::fetch("org.apache.flink:flink-connector-jdbc:3.3.0-1.20").unwrap();
    // Discovery happens before any connection: the URL only has to parse (loopback, unused).
    let Some(verdict) = sql_probe(
        "1.20.5",
        &jar,
        &["CREATE CATALOG c WITH ('type' = 'jdbc', 'base-url' = 'jdbc:postgresql://127.0.0.1:9/', \
           'default-database' = 'd', 'username' = 'u', 'password' = 'p')"],
    ) else {
        return;
    };
    assert!(
        verdict.contains("Multiple factories for identifier 'jdbc'")
            && verdict.contains("CatalogFactory"),
        "{verdict}"
    );
}

/// tests/fixtures/proof/`file`, compiled against `lib` into a fresh directory.
fn compile_probe(lib: &Path, file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/proof")
        .join(file);
    support::javac_sources(&[source], &support::lib_classpath(lib, &[]), 11, dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Runs tests/fixtures/proof/FactoryAlone.java on `version`'s lib/ with `jar` alone in Flink's
/// user class loader (as `ADD JAR`/`-j` load it): `OK class id` or `FAILED class cause` per
/// factory class. The probe is compiled once per line into `compiled`.
fn factories_alone(
    compiled: &mut BTreeMap<String, tempfile::TempDir>,
    version: &str,
    jar: &Path,
    classes: &[String],
) -> Option<Vec<String>> {
    let lib = support::flink_lib(version)?;
    support::require("javac (JDK 17)", support::has_command("javac")).then_some(())?;
    if !compiled.contains_key(version) {
        compiled.insert(
            version.to_string(),
            compile_probe(&lib, "FactoryAlone.java"),
        );
    }
    let probe = compiled[version].path();
    let out = Command::new("java")
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(support::lib_classpath(&lib, &[probe]))
        .arg("FactoryAlone")
        .arg(jar)
        .args(classes)
        .output()
        .expect("run java");
    assert!(
        out.status.success(),
        "FactoryAlone: {}",
        support::stderr(&out)
    );
    Some(support::stdout(&out).lines().map(str::to_string).collect())
}

/// TRUE findings (jars.toml [expected]): every factory-dependency-missing error of the corpus is
/// a factory that cannot load alone. Each such jar is loaded by itself in its line's real lib/
/// with Flink's own user class loader; the factory must fail with NoClassDefFoundError for a
/// class the jar does not contain. Control: the uber jars of the same connectors
/// (flink-sql-connector-elasticsearch6/7) load their factories, and the audit is quiet on them.
#[test]
fn proof_thin_jars_cannot_load_their_factories_alone() {
    if !support::require_command("mvn") {
        return;
    }
    let lines: BTreeMap<String, String> = support::corpus::list().into_iter().collect();
    let thin: Vec<String> = expected_findings()
        .into_keys()
        .filter(|(_, rule)| rule == "factory-dependency-missing")
        .map(|(coordinate, _)| coordinate)
        .collect();
    assert!(thin.len() >= 7, "{thin:?}");
    let controls = [
        "org.apache.flink:flink-sql-connector-elasticsearch7:3.0.1-1.17",
        "org.apache.flink:flink-sql-connector-elasticsearch6:3.0.1-1.17",
    ];
    let mut compiled = BTreeMap::new();
    for coordinate in thin.iter().map(String::as_str).chain(controls) {
        let line = &lines[coordinate];
        let jar = support::corpus::fetch(coordinate).unwrap();
        let report = run(std::slice::from_ref(&jar), &options(line, false)).unwrap();
        let findings: Vec<_> = report.files[0]
            .findings
            .iter()
            .filter(|f| f.rule == "factory-dependency-missing")
            .collect();
        let reported: Vec<String> = findings
            .iter()
            .map(|f| f.location.trim_end_matches(".class").replace('/', "."))
            .collect();
        let thin_jar = !controls.contains(&coordinate);
        assert_eq!(thin_jar, !reported.is_empty(), "{coordinate}: {reported:?}");
        let index = cargo_flink_connector::jar::JarIndex::open(&jar).unwrap();
        let factories: Vec<String> = if thin_jar {
            reported.clone()
        } else {
            let services = index
                .read_named(
                    "META-INF/services/org.apache.flink.table.factories.Factory",
                    1 << 20,
                )
                .unwrap()
                .unwrap();
            String::from_utf8(services)
                .unwrap()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        };
        let Some(verdicts) =
            factories_alone(&mut compiled, &provisioned_patch(line), &jar, &factories)
        else {
            return;
        };
        eprintln!("{coordinate} [{line}]: {verdicts:?}");
        assert_eq!(verdicts.len(), factories.len(), "{verdicts:?}");
        for verdict in &verdicts {
            if !thin_jar {
                assert!(verdict.starts_with("OK "), "{coordinate}: {verdict}");
                continue;
            }
            // "FAILED f java.lang.NoClassDefFoundError: a/b/C | caused by: …"; a static
            // initialiser's failure names the class it could not initialise first and the
            // missing one last ("Could not initialize class …PulsarTableOptions | caused by: …
            // NoClassDefFoundError: org/apache/pulsar/client/api/SubscriptionType").
            let missing = verdict
                .strip_prefix("FAILED ")
                .and_then(|rest| rest.rsplit("NoClassDefFoundError: ").next())
                .and_then(|rest| rest.split([' ', '|']).next())
                .unwrap_or_else(|| panic!("{coordinate}: {verdict}"))
                .replace('.', "/");
            assert!(
                !index.contains(&format!("{missing}.class")),
                "{coordinate}: {verdict}"
            );
            // The class the real load misses is in a package the finding names.
            let package = missing.rsplit_once('/').unwrap().0.replace('/', ".");
            let class = verdict.split_whitespace().nth(1).unwrap();
            let finding = findings
                .iter()
                .zip(&reported)
                .find(|(_, factory)| *factory == class)
                .map(|(f, _)| f.message.as_str())
                .unwrap_or_else(|| panic!("{coordinate}: no finding for {class}"));
            assert!(
                finding.contains(&format!("{package} (")),
                "{coordinate}: {verdict}\n{finding}"
            );
        }
    }
}

/// Catalog-only table factories (issue 22 item 2): Fluss lists only its FlinkCatalogFactory;
/// FlinkTableFactory ('fluss') is returned by FlinkCatalog#getFactory. The audit says so in a
/// note on every release (0.7.0 under com.alibaba was an error, 0.9.1 silent), and a real load
/// proves both halves on the line's lib/: discovery of 'connector' = 'fluss' outside the catalog
/// fails, and the catalog created from the jar returns exactly the factory the note names.
#[test]
fn proof_catalog_only_factories_are_reached_through_their_catalog() {
    if !support::require_command("mvn") {
        return;
    }
    let lines: BTreeMap<String, String> = support::corpus::list().into_iter().collect();
    let coordinate = "com.alibaba.fluss:fluss-flink-1.20:0.7.0";
    let line = &lines[coordinate];
    let jar = support::corpus::fetch(coordinate).unwrap();
    let report = run(std::slice::from_ref(&jar), &options(line, false)).unwrap();
    let notes: Vec<_> = report.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "services-missing-factory")
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].severity, Severity::Note, "{notes:?}");
    let factory = notes[0]
        .location
        .trim_end_matches(".class")
        .replace('/', ".");
    let catalog = "com.alibaba.fluss.flink.catalog.FlinkCatalog";
    assert!(
        notes[0]
            .message
            .contains(&format!("the catalog {catalog} returns it")),
        "{}",
        notes[0].message
    );
    // The same layout one release later is judged the same (never an error).
    let later = "org.apache.fluss:fluss-flink-1.20:0.9.1-incubating";
    let report = run(
        &[support::corpus::fetch(later).unwrap()],
        &options(&lines[later], false),
    )
    .unwrap();
    assert!(
        !report.files[0]
            .findings
            .iter()
            .any(|f| f.rule == "services-missing-factory" && f.severity == Severity::Error),
        "{later}"
    );

    let version = provisioned_patch(line);
    let Some(lib) = support::flink_lib(&version) else {
        return;
    };
    if !support::require("javac (JDK 17)", support::has_command("javac")) {
        return;
    }
    let probe = compile_probe(&lib, "CatalogFactoryProbe.java");
    // The catalog is created, not opened: the loopback address is never contacted.
    let out = Command::new("java")
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(support::lib_classpath(&lib, &[probe.path()]))
        .arg("CatalogFactoryProbe")
        .arg(&jar)
        .args(["fluss", "bootstrap.servers=127.0.0.1:9123"])
        .output()
        .expect("run java");
    let stdout = support::stdout(&out);
    eprintln!("{coordinate} [{version}]: {stdout}");
    assert!(
        stdout.contains("DISCOVERY FAILED Could not find any factory for identifier 'fluss'"),
        "{stdout}{}",
        support::stderr(&out)
    );
    assert!(
        stdout.contains(&format!("CATALOG {catalog} GETFACTORY {factory}\n")),
        "{stdout}"
    );
}

/// TRUE findings (jars.toml [expected]): the missing-flink-member errors of the lakehouse jars
/// built for a line (Paimon 1.2.0 for 1.17 calling 1.19's `fromData`, Paimon for 2.0 calling
/// 2.1's `getVariant`/`keyOnlyDeletes`, Fluss 0.8 for 2.1 calling `getAttemptNumber`, gone in 2.x).
/// For each occurrence, `javap -c` (the JDK's reader, not this tool's) shows the jar's class
/// naming the member, and MemberProbe.java, run on the line's real lib/, finds no such member in
/// the owner or its super types: the call site throws NoSuchMethodError when it runs.
#[test]
fn proof_missing_flink_members_resolve_nowhere() {
    if !support::require_command("mvn") || !support::require_command("javap") {
        return;
    }
    let lines: BTreeMap<String, String> = support::corpus::list().into_iter().collect();
    let proven: Vec<String> = expected_findings()
        .into_keys()
        .filter(|(_, rule)| rule == "missing-flink-member")
        .map(|(coordinate, _)| coordinate)
        .collect();
    assert!(proven.len() >= 4, "{proven:?}");
    let mut compiled: BTreeMap<String, tempfile::TempDir> = BTreeMap::new();
    for coordinate in &proven {
        let line = &lines[coordinate];
        let jar = support::corpus::fetch(coordinate).unwrap();
        let report = run(std::slice::from_ref(&jar), &options(line, false)).unwrap();
        let details: Vec<String> = report.files[0]
            .findings
            .iter()
            .filter(|f| f.rule == "missing-flink-member" && f.severity == Severity::Error)
            .flat_map(|f| {
                if f.occurrences.is_empty() {
                    vec![f.message.clone()]
                } else {
                    f.occurrences.iter().map(|o| o.detail.clone()).collect()
                }
            })
            .collect();
        assert!(!details.is_empty(), "{coordinate}");
        let version = provisioned_patch(line);
        let Some(lib) = support::flink_lib(&version) else {
            return;
        };
        if !compiled.contains_key(&version) {
            compiled.insert(version.clone(), compile_probe(&lib, "MemberProbe.java"));
        }
        let mut specs = Vec::new();
        for detail in &details {
            // "a.B, c.D and 1 more uses method o.w.Ner$In.name(A, B[]) which flink-X does not have…"
            let user = detail.split([',', ' ']).next().unwrap();
            let (kind, rest) = ["method", "field"]
                .iter()
                .find_map(|k| {
                    detail
                        .split_once(&format!(" uses {k} "))
                        .map(|(_, rest)| (*k, rest))
                })
                .unwrap_or_else(|| panic!("{coordinate}: unparsed {detail}"));
            let member = rest.split([' ', '(']).next().unwrap();
            let (owner, name) = member.rsplit_once('.').unwrap();
            let params = if kind == "field" {
                "-".to_string()
            } else {
                rest.split_once('(')
                    .and_then(|(_, p)| p.split_once(')'))
                    .unwrap()
                    .0
                    .replace(' ', "")
            };
            let javap = Command::new("javap")
                .args(["-c", "-p", "-cp"])
                .arg(&jar)
                .arg(user)
                .output()
                .expect("run javap");
            let code = support::stdout(&javap);
            let reference = format!("{}.{name}:", owner.replace('.', "/"));
            assert!(
                code.contains(&reference),
                "{coordinate}: javap {user} names no {reference}"
            );
            specs.push(format!("{owner}#{name}#{params}"));
        }
        let out = Command::new("java")
            .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
            .arg(support::lib_classpath(&lib, &[compiled[&version].path()]))
            .arg("MemberProbe")
            .args(&specs)
            .output()
            .expect("run java");
        let verdicts = support::stdout(&out);
        eprintln!("{coordinate} [{version}]:\n{verdicts}");
        assert_eq!(
            verdicts
                .lines()
                .filter(|l| l.starts_with("ABSENT "))
                .count(),
            specs.len(),
            "{coordinate}: {verdicts}{}",
            support::stderr(&out)
        );
    }
}
