//! Finding a parent or imported POM the way Maven does: the `<relativePath>` (default
//! `../pom.xml`) when it holds the same coordinates, then the local repository, then — only
//! when the user opts in with `CARGO_FLINK_CONNECTOR_MVN` — the user's own Maven
//! (`mvn dependency:get`), so their settings.xml, mirrors and credentials apply. A cloned
//! repository's POM must not make `check` download and run for minutes: Maven calls are off by
//! default and bounded in number and time ([`crate::bounds`]). No repository address is known
//! to this tool.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bounds::{MAVEN_CALL_TIMEOUT, MAVEN_MAX_CALLS, MAVEN_TOTAL_TIME};

/// `groupId:artifactId:version`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gav {
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
}

impl fmt::Display for Gav {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.group_id, self.artifact_id, self.version)
    }
}

impl Gav {
    /// Where Maven's local repository keeps this POM.
    pub fn repository_path(&self, repository: &Path) -> PathBuf {
        self.artifact_path(repository, "pom")
    }

    /// Where Maven's local repository keeps this artifact's file of type `extension`.
    pub fn artifact_path(&self, repository: &Path, extension: &str) -> PathBuf {
        let mut path = repository.to_path_buf();
        path.extend(self.group_id.split('.'));
        path.push(&self.artifact_id);
        path.push(&self.version);
        path.push(format!("{}-{}.{extension}", self.artifact_id, self.version));
        path
    }

    fn is_plain(&self) -> bool {
        [&self.group_id, &self.artifact_id, &self.version]
            .iter()
            .all(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
            })
    }
}

/// How POMs outside the project are found.
#[derive(Debug, Clone)]
pub struct ResolveOptions {
    /// Maven's local repository.
    pub local_repository: PathBuf,
    /// The `mvn` to ask for POMs the local repository lacks; `None` resolves offline.
    pub mvn: Option<PathBuf>,
}

/// `CARGO_FLINK_CONNECTOR_MVN` opts in to running Maven for POMs the local repository lacks and
/// names it (`mvn`: the one on PATH); unset, empty or `none`: Maven is not run.
pub const MVN_ENV: &str = "CARGO_FLINK_CONNECTOR_MVN";

impl ResolveOptions {
    /// The user's setup: `-Dmaven.repo.local` in MAVEN_ARGS/MAVEN_OPTS, else `localRepository`
    /// of ~/.m2/settings.xml, else ~/.m2/repository; and
    /// the Maven `CARGO_FLINK_CONNECTOR_MVN` names, if any (the opt-in).
    pub fn from_env() -> ResolveOptions {
        let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
        // `-Dmaven.repo.local=DIR` in MAVEN_OPTS/MAVEN_ARGS wins over settings.xml, as in mvn.
        let from_args = ["MAVEN_ARGS", "MAVEN_OPTS"].iter().find_map(|var| {
            let value = std::env::var(var).ok()?;
            value
                .split_whitespace()
                .find_map(|a| a.strip_prefix("-Dmaven.repo.local="))
                .map(PathBuf::from)
        });
        let local_repository = from_args
            .or_else(|| Self::settings_repository(&home))
            .unwrap_or_else(|| home.join(".m2/repository"));
        let mvn = match std::env::var_os(MVN_ENV) {
            Some(v) if v.is_empty() || v == "none" => None,
            Some(v) => Some(PathBuf::from(v)),
            None => None,
        };
        ResolveOptions {
            local_repository,
            mvn,
        }
    }

    /// `<localRepository>` of ~/.m2/settings.xml.
    fn settings_repository(home: &Path) -> Option<PathBuf> {
        std::fs::read_to_string(home.join(".m2/settings.xml"))
            .ok()
            .and_then(|text| super::parse_xml(&text).ok())
            .and_then(|settings| {
                let dir = settings.text_of("localRepository")?;
                let dir = dir
                    .replace("${user.home}", &home.to_string_lossy())
                    .replace("${env.HOME}", &home.to_string_lossy());
                (!dir.is_empty() && !dir.contains("${")).then(|| PathBuf::from(dir))
            })
    }
}

/// Resolves POMs by coordinates, remembering answers (and failures) for the run.
pub struct Resolver {
    pub options: ResolveOptions,
    answers: HashMap<(Gav, &'static str), Result<PathBuf, String>>,
    /// BOMs already modelled in this run, by file.
    pub(crate) imported: HashMap<PathBuf, Result<super::effective::Imported, String>>,
    /// Maven calls made so far, and their time together (bounded per run).
    calls: usize,
    spent: Duration,
}

impl Resolver {
    pub fn new(options: ResolveOptions) -> Resolver {
        Resolver {
            options,
            answers: HashMap::new(),
            imported: HashMap::new(),
            calls: 0,
            spent: Duration::ZERO,
        }
    }

    /// The local-repository file of `gav`, downloading it with the user's Maven if needed;
    /// `Err` says why it could not be had.
    pub fn resolve(&mut self, gav: &Gav) -> Result<PathBuf, String> {
        self.resolve_file(gav, "pom")
    }

    /// The local-repository jar of `gav`, as [`Resolver::resolve`] finds POMs.
    pub fn resolve_jar(&mut self, gav: &Gav) -> Result<PathBuf, String> {
        self.resolve_file(gav, "jar")
    }

    fn resolve_file(&mut self, gav: &Gav, extension: &'static str) -> Result<PathBuf, String> {
        let key = (gav.clone(), extension);
        if let Some(answer) = self.answers.get(&key) {
            return answer.clone();
        }
        let answer = self.find(gav, extension);
        self.answers.insert(key, answer.clone());
        answer
    }

    fn find(&mut self, gav: &Gav, extension: &str) -> Result<PathBuf, String> {
        if !gav.is_plain() {
            return Err(format!(
                "{gav} has an unresolved property or an unusual character"
            ));
        }
        let path = gav.artifact_path(&self.options.local_repository, extension);
        if path.is_file() {
            return Ok(path);
        }
        let Some(mvn) = self.options.mvn.clone() else {
            return Err(format!(
                "not in the local repository {} (Maven not run; {MVN_ENV}=mvn lets check fetch it)",
                self.options.local_repository.display()
            ));
        };
        if self.calls >= MAVEN_MAX_CALLS {
            return Err(format!(
                "not in the local repository, and this run already made the {MAVEN_MAX_CALLS} Maven calls it may"
            ));
        }
        let Some(left) = MAVEN_TOTAL_TIME
            .checked_sub(self.spent)
            .filter(|left| !left.is_zero())
        else {
            return Err(format!(
                "not in the local repository, and this run's {} s for Maven are spent",
                MAVEN_TOTAL_TIME.as_secs()
            ));
        };
        self.calls += 1;
        let started = Instant::now();
        let ran = run_mvn(&mvn, gav, extension, left.min(MAVEN_CALL_TIMEOUT));
        self.spent += started.elapsed();
        ran?;
        if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "Maven fetched it, but not into {} (another localRepository in the global settings?)",
                self.options.local_repository.display()
            ))
        }
    }
}

/// `mvn -B -q dependency:get -Dartifact=G:A:V:pom -Dtransitive=false` (or `:jar`), in an empty
/// directory (so no project's POM is read), bounded by a timeout.
fn run_mvn(mvn: &Path, gav: &Gav, extension: &str, timeout: Duration) -> Result<(), String> {
    let scratch = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    // Output goes to a file: a pipe nobody reads while we wait could fill and stall Maven.
    let log_path = scratch.path().join("mvn.log");
    let log = std::fs::File::create(&log_path).map_err(|e| format!("cannot create a log: {e}"))?;
    let log2 = log
        .try_clone()
        .map_err(|e| format!("cannot create a log: {e}"))?;
    let mut child = Command::new(mvn)
        .current_dir(scratch.path())
        .args(["-B", "-q", "dependency:get", "-Dtransitive=false"])
        .arg(format!("-Dartifact={gav}:{extension}"))
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log2))
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", mvn.display()))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} dependency:get timed out after {} s",
                    mvn.display(),
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("waiting for {}: {e}", mvn.display())),
        }
    };
    if status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&std::fs::read(&log_path).unwrap_or_default()).into_owned();
    let reason = text
        .lines()
        .map(|l| l.trim().trim_start_matches("[ERROR]").trim())
        .find(|l| l.contains("Could not") || l.contains("Failed"))
        .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("no output")
        .chars()
        .take(300)
        .collect::<String>();
    Err(format!("mvn dependency:get failed: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once the run's time for Maven is spent, no further call is made (a Maven that does not
    /// exist would fail differently), and the answer says why.
    #[test]
    fn no_maven_call_once_the_time_budget_is_spent() {
        let repo = tempfile::tempdir().unwrap();
        let mut resolver = Resolver::new(ResolveOptions {
            local_repository: repo.path().to_owned(),
            mvn: Some(PathBuf::from("/nonexistent/mvn")),
        });
        let gav = |a: &str| Gav {
            group_id: "g".into(),
            artifact_id: a.into(),
            version: "1".into(),
        };
        let first = resolver.resolve(&gav("a")).unwrap_err();
        assert!(first.contains("cannot run /nonexistent/mvn"), "{first}");
        resolver.spent = MAVEN_TOTAL_TIME;
        let second = resolver.resolve(&gav("b")).unwrap_err();
        assert!(second.contains("s for Maven are spent"), "{second}");
        assert_eq!(resolver.calls, 1);
    }
}
