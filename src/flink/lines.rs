//! Per-line facts, verified against the jars of `apache-flink-libraries` (see shared docs).

use std::fmt;

use crate::errors::{Error, Result};

/// How a Sink V2 `Sink` creates its writer on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkApi {
    /// 1.17, 1.18: only `createWriter(Sink.InitContext)`.
    InitContext,
    /// 1.19, 1.20: `createWriter(InitContext)` still abstract, `createWriter(WriterInitContext)` a default.
    Both,
    /// 2.x: only `createWriter(WriterInitContext)`; `Sink.InitContext` is gone.
    WriterInitContext,
}

#[derive(Debug)]
pub struct FlinkLine {
    /// `major.minor`, e.g. "1.20".
    pub line: &'static str,
    /// Every released patch, oldest first.
    pub patches: &'static [u32],
    /// The patch a line means (`--flink 1.20`, the default of `new`): the newest one whose artifacts
    /// Maven Central serves completely, so a generated project builds. Checked with `mvn
    /// dependency:get` on 2026-11-29: 1.20.4–5, 2.0.1–2 and 2.1.2–3 lack flink-table-planner-loader
    /// (1.20.5 and 2.1.3 also flink-table-api-java-bridge, 1.20.5 flink-table-runtime).
    pub default_patch: u32,
    /// `maven.compiler.release` for connectors of this line (the oldest JDK the line runs on).
    pub java_release: u8,
    pub sink_api: SinkApi,
    /// `SourceProvider.of(source, parallelism)` and `scan.parallelism` (FLIP-367, 1.19+).
    pub source_parallelism: bool,
}

impl FlinkLine {
    /// The line's default version (see `default_patch`).
    pub fn latest(&'static self) -> FlinkVersion {
        FlinkVersion {
            line: self,
            patch: self.default_patch,
        }
    }

    pub fn major(&self) -> u32 {
        self.line
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0)
    }

    /// Class-file major version matching `java_release` (8 → 52, 11 → 55).
    pub fn class_major(&self) -> u16 {
        u16::from(self.java_release) + 44
    }
}

pub static LINES: &[FlinkLine] = &[
    line("1.17", &[0, 1, 2], 2, 8, SinkApi::InitContext, false),
    line("1.18", &[0, 1], 1, 8, SinkApi::InitContext, false),
    line("1.19", &[0, 1, 2, 3], 3, 8, SinkApi::Both, true),
    line("1.20", &[0, 1, 2, 3, 4, 5], 3, 8, SinkApi::Both, true),
    line("2.0", &[0, 1, 2], 0, 11, SinkApi::WriterInitContext, true),
    line(
        "2.1",
        &[0, 1, 2, 3],
        1,
        11,
        SinkApi::WriterInitContext,
        true,
    ),
    line("2.2", &[0, 1], 1, 11, SinkApi::WriterInitContext, true),
    line("2.3", &[0], 0, 11, SinkApi::WriterInitContext, true),
];

const fn line(
    line: &'static str,
    patches: &'static [u32],
    default_patch: u32,
    java_release: u8,
    sink_api: SinkApi,
    source_parallelism: bool,
) -> FlinkLine {
    FlinkLine {
        line,
        patches,
        default_patch,
        java_release,
        sink_api,
        source_parallelism,
    }
}

/// A concrete Flink release: a known line and one of its patches.
#[derive(Debug, Clone, Copy)]
pub struct FlinkVersion {
    pub line: &'static FlinkLine,
    pub patch: u32,
}

impl PartialEq for FlinkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.line.line == other.line.line && self.patch == other.patch
    }
}

impl fmt::Display for FlinkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.line.line, self.patch)
    }
}

impl FlinkVersion {
    /// The default for new projects: 1.20 (what most managed platforms run), its default patch.
    pub fn default_for_new() -> Self {
        find_line("1.20").expect("1.20 is a known line").latest()
    }

    /// Accepts a line (`2.2`, meaning its default patch) or a released version (`2.2.0`).
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let unknown = || {
            Error::usage(format!(
                "unknown Flink version '{text}'; supported: {}",
                supported_list()
            ))
        };
        let parts: Vec<&str> = text.split('.').collect();
        if !(2..=3).contains(&parts.len())
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(unknown());
        }
        let line = find_line(&format!("{}.{}", parts[0], parts[1])).ok_or_else(unknown)?;
        match parts.get(2) {
            None => Ok(line.latest()),
            Some(patch) => {
                let patch: u32 = patch.parse().map_err(|_| unknown())?;
                if line.patches.contains(&patch) {
                    Ok(FlinkVersion { line, patch })
                } else {
                    Err(unknown())
                }
            }
        }
    }
}

pub fn find_line(line: &str) -> Option<&'static FlinkLine> {
    LINES.iter().find(|l| l.line == line)
}

/// "1.17.0–1.17.2, 1.18.0–1.18.1, …" for error messages.
pub fn supported_list() -> String {
    LINES
        .iter()
        .map(|l| match l.patches {
            [only] => format!("{}.{only}", l.line),
            [first, .., last] => format!("{0}.{first}–{0}.{last}", l.line),
            [] => l.line.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Flink version at the end of a jar's file name: `flink-connector-files-2.2.1.jar`,
/// `flink-connector-jdbc-3.2.0-1.19.jar`.
pub fn version_from_jar_name(file_name: &str) -> Option<(FlinkVersion, bool)> {
    let stem = file_name.strip_suffix(".jar")?;
    let last = stem.rsplit('-').next()?;
    if last.split('.').count() < 2 || !last.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let exact = last.split('.').count() == 3;
    FlinkVersion::parse(last).ok().map(|v| (v, exact))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_means_its_newest_patch_on_maven_central() {
        assert_eq!(FlinkVersion::parse("2.2").unwrap().to_string(), "2.2.1");
        assert_eq!(FlinkVersion::parse("1.17").unwrap().to_string(), "1.17.2");
        assert_eq!(FlinkVersion::parse("1.20").unwrap().to_string(), "1.20.3");
        assert_eq!(FlinkVersion::parse("1.20.5").unwrap().to_string(), "1.20.5");
        for l in LINES {
            assert!(l.patches.contains(&l.default_patch), "{}", l.line);
        }
    }

    #[test]
    fn released_patches_are_accepted_and_others_refused() {
        assert_eq!(FlinkVersion::parse("2.2.0").unwrap().to_string(), "2.2.0");
        for bad in ["1.20.9", "1.16", "3.0", "2", "2.2.x", "", "1..2", "2.2.0.1"] {
            let err = FlinkVersion::parse(bad).unwrap_err().to_string();
            assert!(err.contains("supported: 1.17.0–1.17.2"), "{bad}: {err}");
        }
    }

    #[test]
    fn java_release_follows_the_line() {
        assert_eq!(FlinkVersion::parse("1.20").unwrap().line.class_major(), 52);
        assert_eq!(FlinkVersion::parse("2.0").unwrap().line.class_major(), 55);
        assert_eq!(FlinkVersion::default_for_new().to_string(), "1.20.3");
    }

    #[test]
    fn finds_versions_in_jar_names() {
        assert_eq!(
            version_from_jar_name("flink-connector-files-2.2.1.jar")
                .map(|(v, e)| (v.to_string(), e)),
            Some(("2.2.1".into(), true))
        );
        assert_eq!(
            version_from_jar_name("flink-connector-jdbc-3.2.0-1.19.jar").map(|(v, _)| v.line.line),
            Some("1.19")
        );
        assert!(version_from_jar_name("my-connector-1.0.0.jar").is_none());
        assert!(version_from_jar_name("x-SNAPSHOT.jar").is_none());
    }
}
