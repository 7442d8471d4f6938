//! `cargo flink-connector package` for a multi-line project: per line, `mvn -Pflink-<line>
//! package` (compile, the generated tests on that line's MiniCluster, shade), then the audit of
//! that line's jar against that line. A failing line fails the command, but every selected line
//! runs, and one table at the end reports them all.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build;
use crate::check::report::Format;
use crate::check::target::Target;
use crate::check::{self, CheckOptions, Report};
use crate::cli::PackageArgs;
use crate::errors::{Error, IoContext, Result};
use crate::flink::FlinkVersion;
use crate::manifest::Manifest;
use crate::multiline::{self, surefire};

/// What one line's build produced.
struct LineResult {
    line: &'static str,
    jar: Option<PathBuf>,
    size: Option<u64>,
    tests: Option<surefire::TestTotals>,
    /// (errors, warnings) of the audit, when the jar was audited.
    audit: Option<(usize, usize)>,
    failure: Option<String>,
    time: Duration,
}

impl LineResult {
    fn ok(&self) -> bool {
        self.failure.is_none() && self.audit.is_some_and(|(errors, _)| errors == 0)
    }
}

/// The lines `--line` selects (all when none is given); an unlisted line is bad input.
pub fn selected_lines(manifest: &Manifest, wanted: &[String]) -> Result<Vec<FlinkVersion>> {
    let all = manifest.build_lines();
    if wanted.is_empty() {
        return Ok(all);
    }
    let listed = || {
        all.iter()
            .map(|v| v.line.line)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    for w in wanted {
        let w = w.trim();
        let found = all
            .iter()
            .find(|v| v.line.line == w || v.to_string() == w)
            .ok_or_else(|| {
                Error::usage(format!(
                    "--line {w}: this project builds Flink {}; add a line with `cargo flink-connector line add {w}`",
                    listed()
                ))
            })?;
        if !out.contains(found) {
            out.push(*found);
        }
    }
    Ok(out)
}

pub fn package_lines(
    root: &Path,
    manifest: &Manifest,
    lines: &[FlinkVersion],
    args: &PackageArgs,
) -> Result<u8> {
    let mut results = Vec::new();
    for (i, version) in lines.iter().enumerate() {
        crate::ui::status(format_args!(
            "── Flink {} ({}/{}): {} -P{} package — compile, test, shade",
            version.line.line,
            i + 1,
            lines.len(),
            if root.join("mvnw").is_file() {
                "./mvnw"
            } else {
                "mvn"
            },
            multiline::profile(version.line.line)
        ));
        results.push(package_line(root, manifest, *version, args)?);
    }
    print!("{}", table(root, &results));
    let failed: Vec<&str> = results.iter().filter(|r| !r.ok()).map(|r| r.line).collect();
    if failed.is_empty() {
        Ok(0)
    } else {
        eprintln!("failed: Flink {}", failed.join(", "));
        Ok(1)
    }
}

fn package_line(
    root: &Path,
    manifest: &Manifest,
    version: FlinkVersion,
    args: &PackageArgs,
) -> Result<LineResult> {
    let line = version.line.line;
    let started = Instant::now();
    let build_dir = root.join(multiline::build_dir(line));
    let mut maven_args = vec![format!("-P{}", multiline::profile(line))];
    let build_started = std::time::SystemTime::now();
    maven_args.extend(args.maven_args.iter().cloned());
    let built = build::maven_package(
        root,
        &build::MavenOptions {
            offline: args.offline,
            args: maven_args,
        },
    );
    // Keep each line's Maven log beside its jar (the build writes one log per run).
    let log = root.join(build::LOG_FILE);
    if log.is_file() {
        std::fs::create_dir_all(&build_dir).with_path("create", &build_dir)?;
        std::fs::copy(&log, build_dir.join("maven.log")).with_path("copy", &log)?;
    }
    let failure = match built {
        Ok(()) => None,
        // No Maven or Java at all: no line can build, so stop here.
        Err(e @ (Error::Usage(_) | Error::Io { .. })) => return Err(e),
        Err(e) => {
            super::package::print_failed_tests(&build_dir.join("surefire-reports"), build_started);
            let text = e.to_string();
            let first = text.split("; full log").next().unwrap_or(&text);
            Some(format!(
                "{first}; log: {}/maven.log",
                multiline::build_dir(line)
            ))
        }
    };
    let tests = surefire::totals(&build_dir.join("surefire-reports"));
    let jar = build_dir.join(multiline::jar_name(
        &manifest.artifact_id,
        &manifest.version,
        line,
    ));
    let mut result = LineResult {
        line,
        size: None,
        jar: None,
        tests,
        audit: None,
        failure,
        time: Duration::ZERO,
    };
    if result.failure.is_none() {
        match std::fs::metadata(&jar) {
            Ok(meta) => {
                result.size = Some(meta.len());
                crate::ui::status(format_args!(
                    "── Flink {line}: audit {} against flink-{version}",
                    jar.display()
                ));
                let primary = line == manifest.flink.line.line;
                let report = audit(root, &jar, version, primary, &build_dir)?;
                // Each line's jar gets its own metadata: an upload is one line's jar.
                super::package::write_metadata(&jar, &manifest.artifact_id)?;
                result.audit = Some((report.summary.errors, report.summary.warnings));
                result.jar = Some(jar);
            }
            Err(_) => {
                result.failure = Some(format!("Maven succeeded but {} is missing", jar.display()))
            }
        }
    }
    result.time = started.elapsed();
    Ok(result)
}

/// Audits the line's jar against the line (and pom.xml once, with the primary line, whose
/// `flink.version` it declares); the human report goes to stdout when there are findings and
/// the SARIF report to `target/flink-<line>/audit.sarif` (what CI uploads).
fn audit(
    root: &Path,
    jar: &Path,
    version: FlinkVersion,
    with_pom: bool,
    build_dir: &Path,
) -> Result<Report> {
    let mut paths = vec![jar.to_path_buf()];
    if with_pom && root.join("pom.xml").is_file() {
        paths.push(root.join("pom.xml"));
    }
    let options = CheckOptions::for_target(Target::for_version(version, true, None));
    let report = check::run(&paths, &options)?;
    let sarif_path = build_dir.join("audit.sarif");
    let mut sarif = std::fs::File::create(&sarif_path).with_path("write", &sarif_path)?;
    check::report::write(&report, Format::Sarif, &mut sarif).with_path("write", &sarif_path)?;
    if report.summary.errors + report.summary.warnings > 0 {
        check::report::write(&report, Format::Human, &mut std::io::stdout().lock())
            .io_context(|| "cannot write the report")?;
    }
    Ok(report)
}

fn table(root: &Path, results: &[LineResult]) -> String {
    let header = ["line", "jar", "size", "tests", "audit", "time", "result"];
    let rows: Vec<[String; 7]> = results
        .iter()
        .map(|r| {
            [
                r.line.to_string(),
                r.jar
                    .as_deref()
                    .map(|j| j.strip_prefix(root).unwrap_or(j).display().to_string())
                    .unwrap_or_else(|| "-".into()),
                r.size.map(human_size).unwrap_or_else(|| "-".into()),
                match r.tests {
                    Some(t) if t.skipped > 0 => format!(
                        "{} passed, {} failed, {} skipped",
                        t.passed(),
                        t.failed(),
                        t.skipped
                    ),
                    Some(t) => format!("{} passed, {} failed", t.passed(), t.failed()),
                    None => "not run".into(),
                },
                r.audit
                    .map(|(e, w)| format!("{e} errors, {w} warnings"))
                    .unwrap_or_else(|| "-".into()),
                format!("{:.1} s", r.time.as_secs_f64()),
                match (&r.failure, r.audit) {
                    (Some(f), _) => format!("FAILED: {f}"),
                    (None, Some((e, _))) if e > 0 => "FAILED: audit errors".into(),
                    _ => "ok".into(),
                },
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(&header.map(String::from));
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_row_per_line_and_names_failures() {
        let root = Path::new("/p");
        let rows = [
            LineResult {
                line: "1.17",
                jar: Some(PathBuf::from("/p/target/flink-1.17/c-1-1.17.jar")),
                size: Some(2048),
                tests: Some(surefire::TestTotals {
                    tests: 5,
                    ..Default::default()
                }),
                audit: Some((0, 1)),
                failure: None,
                time: Duration::from_millis(1500),
            },
            LineResult {
                line: "2.2",
                jar: None,
                size: None,
                tests: None,
                audit: None,
                failure: Some("mvn package failed".into()),
                time: Duration::from_secs(3),
            },
        ];
        let text = table(root, &rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("line  jar"), "{text}");
        assert!(
            lines[1].contains("target/flink-1.17/c-1-1.17.jar")
                && lines[1].contains("2.0 KiB")
                && lines[1].contains("5 passed, 0 failed")
                && lines[1].contains("0 errors, 1 warnings")
                && lines[1].ends_with("ok"),
            "{text}"
        );
        assert!(
            lines[2].contains("not run") && lines[2].ends_with("FAILED: mvn package failed"),
            "{text}"
        );
        assert!(rows[0].ok() && !rows[1].ok());
    }
}
