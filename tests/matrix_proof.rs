//! Proof of `check --target all`'s compatibility matrix (issue 9, item 6): a connector built for
//! Flink 1.20 with real Maven (`new acme --flink 1.20`, `mvn package`) is loaded with `ADD JAR`
//! into the MiniCluster of every supported line and its factory exercised by SQL (CREATE TABLE,
//! INSERT through its sink, SELECT through its source). The matrix's verdict for each line must
//! be the run's outcome: "runs" ⇔ the SQL succeeds; for a line it says fails, the run must fail
//! with a linkage error naming one of the Flink classes or members the matrix gives as reasons.

mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use support::minicluster::{compile_probe, run_sql};

const STATEMENTS: &[&str] = &[
    "CREATE TABLE gen (id INT, name STRING) WITH ('connector' = 'datagen', \
     'number-of-rows' = '5', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', \
     'fields.id.end' = '5', 'fields.name.length' = '4')",
    // No primary key: 2.3 refuses an upsert into one without ON CONFLICT, which earlier lines
    // cannot parse (the connector keys rows by their first column then).
    "CREATE TABLE t (id INT, name STRING) WITH ('connector' = 'acme', 'namespace' = 'proof')",
    "INSERT INTO t SELECT id, name FROM gen",
    "SELECT id, name FROM t",
];

/// Errors the JVM raises when a class refers to Flink API its runtime lacks or changed.
const LINKAGE_ERRORS: &[&str] = &[
    "java.lang.NoClassDefFoundError",
    "java.lang.ClassNotFoundException",
    "java.lang.NoSuchFieldError",
    "java.lang.NoSuchMethodError",
    "java.lang.AbstractMethodError",
    "java.lang.IncompatibleClassChangeError",
    "java.lang.UnsupportedClassVersionError",
];

/// The simple names of the Flink classes and members a matrix reason names
/// (`org.apache.flink.api.connector.sink2.Sink$InitContext` → `Sink$InitContext`, `InitContext`;
/// `FactoryUtil.SOURCE_PARALLELISM` → `SOURCE_PARALLELISM`).
fn named_api(reason: &str) -> Vec<String> {
    let mut names = Vec::new();
    for word in reason.split_whitespace() {
        if !word.contains("org.apache.flink.") && !word.contains("org/apache/flink/") {
            continue;
        }
        // Drop a method or field descriptor glued to the name.
        let word = word.trim_end_matches([',', '.', ':']);
        let word = word.split(['(', ';']).next().unwrap_or(word);
        let word = word.split("Lorg/").next().unwrap_or(word);
        let word = word.split("Ljava/").next().unwrap_or(word);
        let last = word.rsplit(['.', '/']).next().unwrap_or(word);
        if last.len() >= 4 {
            names.push(last.to_string());
            if let Some((_, inner)) = last.rsplit_once('$') {
                names.push(inner.to_string());
            }
        }
    }
    names
}

fn build_1_20_jar(work: &Path) -> PathBuf {
    let out = support::run_in(
        work,
        &["new", "acme", "--flink", "1.20", "--dir", "acme-1.20"],
    );
    assert!(out.status.success(), "{}", support::stderr(&out));
    let project = work.join("acme-1.20");
    let out = {
        let _guard = support::heavy();
        // The generated tests run in generated_builds.rs; here only the jar matters.
        support::mvn_package(&project, &["-q", "-DskipTests"])
    };
    assert!(
        out.status.success(),
        "mvn package failed:\n{}",
        support::tail(&out, 40)
    );
    cargo_flink_connector::jar::connector_jars_in(&project.join("target"))
        .unwrap()
        .into_iter()
        .next()
        .expect("a connector jar in target/")
}

#[test]
fn the_matrix_of_a_jar_built_for_1_20_matches_real_runs_on_every_line() {
    if !support::require_command("java")
        || !support::require_command("javac")
        || !support::require_command("mvn")
    {
        return;
    }
    let mut libs = Vec::new();
    for line in support::ALL_LINES {
        let Some(lib) = support::flink_lib(support::corpus::patch_of(line)) else {
            return;
        };
        libs.push((*line, lib));
    }
    let started = Instant::now();
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("matrix_proof");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let jar = build_1_20_jar(&work);
    let built = started.elapsed().as_secs_f64();

    let out = support::bin()
        .args(["flink-connector", "check"])
        .arg(&jar)
        .args(["--target", "all", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check JSON: {e}\n{}", support::stderr(&out)));
    let matrix = doc["files"][0]["matrix"]
        .as_array()
        .unwrap_or_else(|| panic!("no matrix in {doc}"));

    let probe = compile_probe(&libs[3].1, &work);
    let mut disagreements = Vec::new();
    let mut table = Vec::new();
    for (line, lib) in &libs {
        let target = format!("flink-{line}");
        let entry = matrix
            .iter()
            .find(|e| e["target"] == target.as_str())
            .unwrap_or_else(|| panic!("{target} missing from the matrix: {doc}"));
        let runs = entry["runs"].as_bool().expect("runs: bool");
        let reasons: Vec<String> = entry["reasons"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|r| r.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let run = run_sql(lib, &probe, &jar, STATEMENTS, &work);
        table.push(format!(
            "{target}: matrix {} | run {:.1} s: {}",
            if runs { "runs" } else { "fails" },
            run.seconds,
            run.verdict
        ));
        if runs != run.ok() {
            disagreements.push(format!(
                "{target}: matrix says {}, the run says {}\n  reasons: {reasons:?}\n{}",
                if runs { "runs" } else { "fails" },
                run.verdict,
                run.stderr_tail
            ));
            continue;
        }
        if !runs {
            let linkage = LINKAGE_ERRORS.iter().any(|e| run.verdict.contains(e));
            let names: Vec<String> = reasons.iter().flat_map(|r| named_api(r)).collect();
            let named = names.iter().any(|n| run.verdict.contains(n.as_str()));
            if !linkage || !named {
                disagreements.push(format!(
                    "{target}: the run fails for another reason than the matrix gives\n  \
                     run: {}\n  reasons: {reasons:?}",
                    run.verdict
                ));
            }
        }
    }
    eprintln!(
        "matrix proof ({}; built with Maven in {built:.1} s, total {:.1} s):",
        jar.file_name().unwrap().to_string_lossy(),
        started.elapsed().as_secs_f64()
    );
    for row in &table {
        eprintln!("  {row}");
    }
    assert!(
        disagreements.is_empty(),
        "the matrix disagrees with real runs:\n{}",
        disagreements.join("\n")
    );
    // Both verdicts are exercised: the jar works on its own line and fails somewhere.
    assert!(table
        .iter()
        .any(|r| r.starts_with("flink-1.20: matrix runs")));
    assert!(table.iter().any(|r| r.contains("matrix fails")));
}
