//! Running Maven for a connector project as a user does (`mvn -B package`: the POM's own versions,
//! the user's settings.xml and its mirrors). Off a terminal Maven's output is streamed as it comes;
//! on one a progress line says which module and goal run. Either way the log goes to
//! target/cargo-flink-connector-maven.log without escape codes, and a failure ends in one line
//! that names the cause (an artifact that cannot be downloaded, a compile error, failing tests).

mod diagnose;

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use crate::errors::{Error, IoContext, Result};

pub use diagnose::diagnose;

pub const LOG_FILE: &str = "target/cargo-flink-connector-maven.log";

/// How many of Maven's last lines `-q` shows when the build fails.
const QUIET_TAIL: usize = 40;

/// How `package` runs Maven.
#[derive(Debug, Clone, Default)]
pub struct MavenOptions {
    /// `-o`: only the local repository.
    pub offline: bool,
    /// Passed to Maven before the `package` goal.
    pub args: Vec<String>,
}

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

/// The Maven to run in `project`: its own wrapper `./mvnw` when it has one (the Maven version
/// the project pins), else `mvn` from PATH.
pub fn maven_command(project: &Path) -> Result<Command> {
    let wrapper = project.join("mvnw");
    if wrapper.is_file() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&wrapper)
                .with_path("read", &wrapper)?
                .permissions()
                .mode();
            // A checkout that lost the executable bit still runs: the wrapper is a sh script.
            if mode & 0o111 == 0 {
                let mut command = Command::new("sh");
                command.arg(&wrapper);
                return Ok(command);
            }
        }
        return Ok(Command::new(wrapper));
    }
    Ok(Command::new(require(
        "mvn",
        "install Maven 3.8+ (e.g. apt-get install maven), or add the Maven wrapper (./mvnw)",
    )?))
}

/// `mvn -B -Dstyle.color=never [-o] ARGS… verify` in `project` (or `./mvnw …`): `verify`, not
/// `package`, so the generated `*ITCase` classes (surefire's `integration-tests` execution, as in
/// Apache's connector parent) run too. With `-q` Maven's output is only logged, and its tail shown
/// when it fails.
pub fn maven_package(project: &Path, options: &MavenOptions) -> Result<()> {
    require(
        "java",
        "install a JDK (11 or 17, e.g. apt-get install openjdk-17-jdk-headless)",
    )?;
    let mut command = maven_command(project)?;
    let log_path = project.join(LOG_FILE);
    std::fs::create_dir_all(log_path.parent().expect("log has a parent"))
        .with_path("create", &log_path)?;
    let mut log = std::fs::File::create(&log_path).with_path("write", &log_path)?;

    // -B: no interactive prompts; style.color=never: Maven 3.8 colours even a pipe otherwise.
    command
        .current_dir(project)
        .args(["-B", "-Dstyle.color=never"]);
    if options.offline {
        command.arg("-o");
    }
    command
        .args(&options.args)
        .arg("verify")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().io_context(|| "cannot start mvn")?;
    // Both streams into one channel, line by line, in the order they arrive.
    let (tx, rx) = mpsc::channel::<String>();
    let readers = [
        forward_lines(child.stdout.take().expect("piped"), tx.clone()),
        forward_lines(child.stderr.take().expect("piped"), tx),
    ];
    let quiet = crate::ui::verbosity() == crate::ui::Verbosity::Quiet;
    let mut display = Display::new(std::io::stderr().is_terminal());
    let mut errors = Vec::new();
    let mut tail = std::collections::VecDeque::with_capacity(QUIET_TAIL);
    for raw in rx {
        let line = strip_escapes(&raw);
        writeln!(log, "{line}").ok();
        if quiet {
            if tail.len() == QUIET_TAIL {
                tail.pop_front();
            }
            tail.push_back(line.clone());
        } else {
            display.line(&line);
        }
        if line.starts_with("[ERROR]") && errors.len() < 200 {
            errors.push(line);
        }
    }
    for reader in readers {
        reader.join().ok();
    }
    let status = child.wait().io_context(|| "mvn did not finish")?;
    display.finish();
    if status.success() {
        return Ok(());
    }
    for line in &tail {
        eprintln!("{line}");
    }
    Err(Error::Failed(format!(
        "mvn package failed: {}; full log: {}",
        diagnose(&errors),
        log_path.display()
    )))
}

fn forward_lines(
    stream: impl Read + Send + 'static,
    tx: mpsc::Sender<String>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        // Lossy per line: a stray non-UTF-8 byte in a test's output must not end the stream.
        while reader
            .read_until(b'\n', &mut buf)
            .map(|n| n > 0)
            .unwrap_or(false)
        {
            let text = String::from_utf8_lossy(&buf);
            if tx
                .send(text.trim_end_matches(['\n', '\r']).to_string())
                .is_err()
            {
                return;
            }
            buf.clear();
        }
    })
}

/// Removes ANSI escape sequences (CSI `ESC [ … letter` and two-byte `ESC x`).
pub fn strip_escapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            _ => continue,
        }
    }
    out
}

/// What the user sees while Maven runs: every line (off a terminal), or one progress line that is
/// rewritten in place plus the test totals (on a terminal).
struct Display {
    terminal: bool,
    status: Option<String>,
    downloads: usize,
}

impl Display {
    fn new(terminal: bool) -> Self {
        Display {
            terminal,
            status: None,
            downloads: 0,
        }
    }

    fn line(&mut self, line: &str) {
        if !self.terminal {
            eprintln!("{line}");
            return;
        }
        if let Some(step) = progress_step(line) {
            self.show(step);
        } else if line.contains("Downloaded from ") {
            self.downloads += 1;
            let goal = self
                .status
                .as_deref()
                .map(|s| s.split(" · ").next().unwrap_or(s).to_string())
                .unwrap_or_else(|| "resolving".into());
            let downloads = self.downloads;
            self.show(format!("{goal} · {downloads} files downloaded"));
        } else if let Some(summary) = test_summary(line) {
            self.clear();
            eprintln!("  tests: {summary}");
            self.redraw();
        }
    }

    fn show(&mut self, status: String) {
        self.status = Some(status);
        self.redraw();
    }

    fn redraw(&self) {
        if let Some(status) = &self.status {
            let mut err = std::io::stderr().lock();
            write!(err, "\r\x1b[2K  maven: {status}").ok();
            err.flush().ok();
        }
    }

    fn clear(&self) {
        if self.status.is_some() {
            eprint!("\r\x1b[2K");
        }
    }

    fn finish(&mut self) {
        if self.terminal {
            self.clear();
        }
    }
}

/// "[INFO] --- maven-compiler-plugin:3.15.0:compile (default-compile) @ flink-connector-x ---"
/// (Maven 3.8) or "[INFO] --- compiler:3.15.0:compile (default-compile) @ x ---" (3.9) →
/// "flink-connector-x: compile (maven-compiler-plugin)".
fn progress_step(line: &str) -> Option<String> {
    let rest = line.strip_prefix("[INFO] --- ")?;
    let mut words = rest.split_whitespace();
    let mut parts = words.next()?.split(':');
    let plugin = parts.next()?;
    let goal = parts.nth(1)?;
    let module = words
        .skip_while(|w| *w != "@")
        .nth(1)
        .filter(|m| *m != "---");
    Some(match module {
        Some(module) => format!("{module}: {goal} ({plugin})"),
        None => format!("{goal} ({plugin})"),
    })
}

/// Surefire's totals line ("Tests run: 11, Failures: 0, …" without " in Class").
fn test_summary(line: &str) -> Option<&str> {
    let summary = line
        .strip_prefix("[INFO] ")
        .or_else(|| line.strip_prefix("[ERROR] "))
        .or_else(|| line.strip_prefix("[WARNING] "))?;
    (summary.starts_with("Tests run:") && !summary.contains(" in ")).then_some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_names_the_module_and_goal() {
        assert_eq!(
            progress_step(
                "[INFO] --- maven-shade-plugin:3.6.2:shade (shade-connector) @ flink-connector-redis ---"
            )
            .as_deref(),
            Some("flink-connector-redis: shade (maven-shade-plugin)")
        );
        assert_eq!(
            progress_step("[INFO] --- compiler:3.15.0:compile (default-compile) @ x ---")
                .as_deref(),
            Some("x: compile (compiler)")
        );
        assert_eq!(progress_step("[INFO] Building jar: x.jar"), None);
    }

    #[test]
    fn only_the_totals_of_surefire_count_as_a_summary() {
        assert_eq!(
            test_summary("[INFO] Tests run: 5, Failures: 0, Errors: 0, Skipped: 0"),
            Some("Tests run: 5, Failures: 0, Errors: 0, Skipped: 0")
        );
        assert_eq!(test_summary("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 3 s -- in x.YTest"), None);
        assert_eq!(test_summary("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 3 s - in x.YTest"), None);
    }

    #[test]
    fn escape_codes_are_stripped() {
        assert_eq!(
            strip_escapes("\u{1b}[1mApache Maven\u{1b}[m"),
            "Apache Maven"
        );
        assert_eq!(
            strip_escapes("[\u{1b}[1;34mINFO\u{1b}[m] ok \u{1b}[0m\u{1b}[0m"),
            "[INFO] ok "
        );
        assert_eq!(strip_escapes("plain — text"), "plain — text");
    }
}
