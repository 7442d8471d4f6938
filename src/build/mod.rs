//! Running Maven for a connector project: progress while it runs, the tail of its log on failure.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::errors::{Error, IoContext, Result};

const TAIL_LINES: usize = 40;
pub const LOG_FILE: &str = "target/cargo-flink-connector-maven.log";

/// Finds `program` on PATH.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn require(program: &str, install_hint: &str) -> Result<PathBuf> {
    find_on_path(program)
        .ok_or_else(|| Error::usage(format!("`{program}` not found on PATH; {install_hint}")))
}

/// `mvn -B [-o] package ARGS…` in `project`. Prints one progress line per plugin execution and the
/// test summaries; the whole log goes to target/cargo-flink-connector-maven.log.
pub fn maven_package(project: &Path, offline: bool, args: &[String]) -> Result<()> {
    require(
        "java",
        "install a JDK (11 or 17, e.g. apt-get install openjdk-17-jdk-headless)",
    )?;
    let mvn = require("mvn", "install Maven 3.8+ (e.g. apt-get install maven)")?;
    let log_path = project.join(LOG_FILE);
    std::fs::create_dir_all(log_path.parent().expect("log has a parent"))
        .with_path("create", &log_path)?;
    let mut log = std::fs::File::create(&log_path).with_path("write", &log_path)?;

    let mut command = Command::new(mvn);
    command.current_dir(project).args(["-B", "-ntp"]);
    if offline {
        command.arg("-o");
    }
    command
        .args(args)
        .arg("package")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().io_context(|| "cannot start mvn")?;
    // Maven writes almost everything to stdout; fold stderr into the log from a second thread.
    let stderr = child.stderr.take().expect("piped");
    let stderr_lines = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(|l| l.ok())
            .collect::<Vec<_>>()
    });
    let mut tail = std::collections::VecDeque::with_capacity(TAIL_LINES);
    for line in BufReader::new(child.stdout.take().expect("piped"))
        .lines()
        .map_while(|l| l.ok())
    {
        writeln!(log, "{line}").ok();
        if let Some(progress) = progress_line(&line) {
            eprintln!("  {progress}");
        }
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line);
    }
    let status = child.wait().io_context(|| "mvn did not finish")?;
    for line in stderr_lines.join().unwrap_or_default() {
        writeln!(log, "{line}").ok();
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line);
    }
    if status.success() {
        return Ok(());
    }
    for line in &tail {
        eprintln!("  | {line}");
    }
    Err(Error::Failed(format!(
        "mvn package failed ({status}); full log: {}",
        log_path.display()
    )))
}

/// "[INFO] --- maven-compiler-plugin:3.10.1:compile (default-compile) @ x ---" → "compile (maven-compiler-plugin)".
fn progress_line(line: &str) -> Option<String> {
    if let Some(rest) = line.strip_prefix("[INFO] --- ") {
        let mut parts = rest.split_whitespace().next()?.split(':');
        let plugin = parts.next()?;
        let goal = parts.nth(1)?;
        return Some(format!("maven: {goal} ({plugin})"));
    }
    let summary = line
        .strip_prefix("[INFO] ")
        .or_else(|| line.strip_prefix("[ERROR] "))
        .unwrap_or(line);
    (summary.starts_with("Tests run:") && !summary.contains(" - in "))
        .then(|| format!("tests: {summary}"))
}

#[cfg(test)]
mod tests {
    use super::progress_line;

    #[test]
    fn progress_shows_plugin_goals_and_test_totals_only() {
        assert_eq!(
            progress_line(
                "[INFO] --- maven-shade-plugin:3.4.1:shade (default) @ flink-connector-redis ---"
            )
            .as_deref(),
            Some("maven: shade (maven-shade-plugin)")
        );
        assert_eq!(
            progress_line("[INFO] Tests run: 5, Failures: 0, Errors: 0, Skipped: 0").as_deref(),
            Some("tests: Tests run: 5, Failures: 0, Errors: 0, Skipped: 0")
        );
        assert_eq!(progress_line("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 3 s - in x.YTest"), None);
        assert_eq!(progress_line("[INFO] Building jar: x.jar"), None);
    }
}
