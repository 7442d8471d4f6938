//! A long-lived javac (tests/support/JavacServer.java, javax.tools in one JVM) for tests that
//! compile many projects: the JVM starts once and javac stays warm. Falls back to a `javac`
//! process per compile when the helper cannot start.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub struct JavacServer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl JavacServer {
    /// Compiles the helper into `work` and starts it; `None` when that fails.
    pub fn start(work: &Path) -> Option<Self> {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/JavacServer.java");
        let classes = work.join("javac-server");
        super::javac_sources(&[source], "", 11, &classes).ok()?;
        let mut child = Command::new("java")
            .args([
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss4m",
                "-cp",
            ])
            .arg(&classes)
            .arg("JavacServer")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(JavacServer {
            child,
            stdin,
            stdout,
        })
    }

    /// `javac --release R -cp CLASSPATH -d OUT SOURCES`, as [`super::javac_sources`].
    pub fn compile(
        &mut self,
        sources: &[PathBuf],
        classpath: &str,
        release: u8,
        out: &Path,
    ) -> Result<(), String> {
        let classpath = expand_wildcards(classpath);
        let mut request = format!(
            "{release}\t{classpath}\t{}\t{}\n",
            out.display(),
            sources.len()
        );
        for s in sources {
            request.push_str(&format!("{}\n", s.display()));
        }
        self.stdin
            .write_all(request.as_bytes())
            .and_then(|_| self.stdin.flush())
            .map_err(|e| format!("javac server: {e}"))?;
        let mut header = String::new();
        self.stdout
            .read_line(&mut header)
            .map_err(|e| format!("javac server: {e}"))?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        let (Some(&"RESULT"), Some(code), Some(len)) =
            (fields.first(), fields.get(1), fields.get(2))
        else {
            return Err(format!("javac server: unexpected answer {header:?}"));
        };
        let len: usize = len
            .parse()
            .map_err(|_| format!("javac server: {header:?}"))?;
        let mut log = vec![0; len];
        self.stdout
            .read_exact(&mut log)
            .map_err(|e| format!("javac server: {e}"))?;
        if *code == "0" {
            Ok(())
        } else {
            Err(format!(
                "javac failed for {sources:?}:\n{}",
                String::from_utf8_lossy(&log)
            ))
        }
    }
}

/// `DIR/*` entries as the jars in DIR (the `javac` launcher expands them; javax.tools does not).
fn expand_wildcards(classpath: &str) -> String {
    classpath
        .split(':')
        .flat_map(|entry| match entry.strip_suffix("/*") {
            Some(dir) => {
                let mut jars: Vec<String> = std::fs::read_dir(dir)
                    .map(|d| {
                        d.filter_map(Result::ok)
                            .map(|e| e.path())
                            .filter(|p| p.extension().is_some_and(|x| x == "jar" || x == "JAR"))
                            .map(|p| p.display().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                jars.sort();
                jars
            }
            None => vec![entry.to_string()],
        })
        .collect::<Vec<_>>()
        .join(":")
}

impl Drop for JavacServer {
    fn drop(&mut self) {
        // Our own child, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
