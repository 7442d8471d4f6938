//! SQL in an embedded Flink MiniCluster bound to 127.0.0.1: tests/fixtures/proof/SqlProbe.java
//! loads a connector jar with `ADD JAR '…'` (Flink's child-first user class loader) and runs
//! statements to completion, one JVM per run. Reports "OK" or the failure's cause chain.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// SqlProbe compiled once into `work` (against `lib`; it uses only the Table API every line has).
pub fn compile_probe(lib: &Path, work: &Path) -> PathBuf {
    let classes = work.join("probe-classes");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proof/SqlProbe.java");
    super::javac_sources(&[source], &super::lib_classpath(lib, &[]), 11, &classes)
        .unwrap_or_else(|e| panic!("SqlProbe.java does not compile:\n{e}"));
    classes
}

#[derive(Debug)]
pub struct Run {
    /// "OK" or "FAILED class: message | caused by: …".
    pub verdict: String,
    /// The statements started, in order (0 is the ADD JAR).
    pub steps: Vec<String>,
    pub rows: Vec<String>,
    pub stderr_tail: String,
    pub seconds: f64,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.verdict == "OK"
    }
}

/// Runs `statements` after `ADD JAR 'jar'` on the Flink whose lib/ is `lib`.
pub fn run_sql(lib: &Path, probe: &Path, jar: &Path, statements: &[&str], work: &Path) -> Run {
    let tmp = work.join("jvm-tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let _guard = super::heavy();
    let started = Instant::now();
    let out = Command::new("java")
        .arg(format!("-Djava.io.tmpdir={}", tmp.display()))
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(super::lib_classpath(lib, &[probe]))
        .arg("SqlProbe")
        .arg(jar)
        .args(statements.iter().map(|s| one_line(s)))
        .output()
        .expect("run java");
    let seconds = started.elapsed().as_secs_f64();
    let (stdout, stderr) = (super::stdout(&out), super::stderr(&out));
    assert!(
        out.status.success(),
        "SqlProbe exited with {:?}\n{stdout}\n{stderr}",
        out.status.code()
    );
    let mut run = Run {
        verdict: String::new(),
        steps: Vec::new(),
        rows: Vec::new(),
        stderr_tail: stderr
            .lines()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n"),
        seconds,
    };
    for line in stdout.lines() {
        if let Some(step) = line.strip_prefix("STEP ") {
            run.steps
                .push(step.split_once(' ').map(|(_, s)| s).unwrap_or("").into());
        } else if let Some(row) = line.strip_prefix("ROW ") {
            run.rows.push(row.into());
        } else if line == "OK" || line.starts_with("FAILED ") {
            run.verdict = line.into();
        }
    }
    assert!(
        !run.verdict.is_empty(),
        "SqlProbe gave no verdict\n{stdout}\n{stderr}"
    );
    run
}

pub fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}
