//! Multi-line projects: one source tree that builds a connector jar per Flink line.
//!
//! `connector.toml` names the primary version (`[flink] version`, what a plain `mvn package` and an
//! IDE build) and, optionally, every line to build (`[flink] lines`). This module holds the layout
//! those projects share with Maven (source roots, build directories, jar names), so the renderer,
//! `package` and `check` answer "where is line X" the same way.

pub mod surefire;

use std::path::{Path, PathBuf};

use crate::flink::{find_line, FlinkVersion};

/// Where the Flink-facing managed sources that differ per line live, relative to the project:
/// beside `src/main/java`, named like sbt's cross-build roots (`src/main/scala-2.13`).
pub fn main_source_root(line: &str) -> String {
    format!("src/main/java-flink-{line}")
}

pub fn test_source_root(line: &str) -> String {
    format!("src/test/java-flink-{line}")
}

/// Maven's build directory for a line: lines never overwrite each other, so switching needs no clean.
pub fn build_dir(line: &str) -> String {
    format!("target/flink-{line}")
}

/// A line's Maven version, Apache's `<version>-<line>` (`flink-connector-kafka:3.3.0-1.20`); a
/// snapshot stays one: `0.1.0-SNAPSHOT` on 1.20 → `0.1.0-1.20-SNAPSHOT`.
pub fn line_version(version: &str, line: &str) -> String {
    match version.strip_suffix("-SNAPSHOT") {
        Some(release) => format!("{release}-{line}-SNAPSHOT"),
        None => format!("{version}-{line}"),
    }
}

/// Maven's default jar name for a line's coordinates: `flink-connector-kafka-3.3.0-1.20.jar`.
pub fn jar_name(artifact_id: &str, version: &str, line: &str) -> String {
    format!("{artifact_id}-{}.jar", line_version(version, line))
}

/// The Maven profile that selects a line.
pub fn profile(line: &str) -> String {
    format!("flink-{line}")
}

/// The Flink line a built jar belongs to: its `target/flink-<line>/` directory, else a
/// `-<line>.jar` suffix (a copied jar).
pub fn line_of_jar(path: &Path) -> Option<&'static str> {
    let from_dir = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|d| d.to_str())
        .and_then(|d| d.strip_prefix("flink-"));
    let from_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".jar"))
        .map(|n| n.strip_suffix("-SNAPSHOT").unwrap_or(n))
        .and_then(|n| n.rsplit('-').next());
    [from_dir, from_name]
        .into_iter()
        .flatten()
        .find_map(|l| find_line(l).map(|l| l.line))
}

/// The per-line build directories below a project's `target/` (`target/flink-1.20`, …), sorted.
pub fn line_build_dirs(project: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(project.join("target")) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_prefix("flink-"))
                    .is_some_and(|l| find_line(l).is_some())
        })
        .collect();
    dirs.sort();
    dirs
}

/// Validates `[flink] lines` against the primary version. Entries are lines (`2.2`, its newest
/// patch) or released versions (`2.2.0`); the result is in line order. Errors name the entry
/// (its index) so the caller can point at it.
pub fn validate(
    primary: FlinkVersion,
    entries: &[String],
) -> Result<Vec<FlinkVersion>, (Option<usize>, String)> {
    if entries.is_empty() {
        return Err((
            None,
            format!(
                "lists no Flink line; name at least the primary line {} (or remove `lines`)",
                primary.line.line
            ),
        ));
    }
    let mut out: Vec<FlinkVersion> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let version = FlinkVersion::parse(entry).map_err(|e| (Some(i), e.to_string()))?;
        if out.iter().any(|v| v.line.line == version.line.line) {
            return Err((
                Some(i),
                format!("Flink line {} is listed twice", version.line.line),
            ));
        }
        let version = if version.line.line == primary.line.line {
            // A bare line means "the primary's patch"; a patch must agree with [flink] version.
            if entry.trim().split('.').count() == 3 && version != primary {
                return Err((
                    Some(i),
                    format!(
                        "lists {version} but [flink] version is {primary}; list the line as \"{}\"",
                        primary.line.line
                    ),
                ));
            }
            primary
        } else {
            version
        };
        out.push(version);
    }
    if !out.iter().any(|v| v.line.line == primary.line.line) {
        return Err((
            None,
            format!(
                "must include the primary line {} ([flink] version = {primary})",
                primary.line.line
            ),
        ));
    }
    out.sort_by_key(|v| {
        crate::flink::LINES
            .iter()
            .position(|l| l.line == v.line.line)
    });
    Ok(out)
}

/// `--flink 1.19,2.2` for `new`: the primary is the default line (1.20) when listed, else the
/// newest listed line. Returns (primary, every line as written).
pub fn primary_of(entries: &[String]) -> Result<FlinkVersion, String> {
    let mut parsed = Vec::new();
    for e in entries {
        parsed.push(FlinkVersion::parse(e).map_err(|e| e.to_string())?);
    }
    let default = FlinkVersion::default_for_new();
    parsed
        .iter()
        .find(|v| v.line.line == default.line.line)
        .or_else(|| {
            parsed.iter().max_by_key(|v| {
                crate::flink::LINES
                    .iter()
                    .position(|l| l.line == v.line.line)
            })
        })
        .copied()
        .ok_or_else(|| "--flink lists no line".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> FlinkVersion {
        FlinkVersion::parse(text).unwrap()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lines_are_validated_sorted_and_take_the_primary_patch() {
        let lines = validate(v("1.20.3"), &strings(&["2.2", "1.17", "1.20"])).unwrap();
        let shown: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["1.17.2", "1.20.3", "2.2.1"]);
        let pinned = validate(v("1.20"), &strings(&["1.20", "2.2.0"])).unwrap();
        assert_eq!(pinned[1].to_string(), "2.2.0");
    }

    #[test]
    fn bad_line_lists_name_the_entry() {
        let primary = v("1.20.5");
        let err = |items: &[&str]| validate(primary, &strings(items)).unwrap_err();
        assert_eq!(err(&["1.20", "1.16"]).0, Some(1));
        assert!(err(&["1.20", "1.16"])
            .1
            .contains("unknown Flink version '1.16'"));
        assert_eq!(err(&["1.20", "2.2", "2.2.0"]).0, Some(2));
        assert!(err(&["1.20", "2.2", "2.2.0"]).1.contains("listed twice"));
        assert!(err(&["2.2"])
            .1
            .contains("must include the primary line 1.20"));
        assert!(err(&["1.20.3"]).1.contains("[flink] version is 1.20.5"));
        assert!(err(&[]).1.contains("lists no Flink line"));
    }

    #[test]
    fn the_primary_of_a_new_project_is_1_20_when_listed_else_the_newest() {
        assert_eq!(
            primary_of(&strings(&["1.17", "1.20", "2.2"]))
                .unwrap()
                .line
                .line,
            "1.20"
        );
        assert_eq!(
            primary_of(&strings(&["2.2", "1.19"])).unwrap().line.line,
            "2.2"
        );
        assert!(primary_of(&strings(&["1.19", "9.9"])).is_err());
    }

    #[test]
    fn only_known_lines_build_directories_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(line_build_dirs(dir.path()).is_empty());
        for d in [
            "target/flink-2.2",
            "target/flink-1.17",
            "target/flink-9.9",
            "target/classes",
        ] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("target/flink-2.0"), "a file").unwrap();
        assert_eq!(
            line_build_dirs(dir.path()),
            [
                dir.path().join("target/flink-1.17"),
                dir.path().join("target/flink-2.2")
            ]
        );
    }

    #[test]
    fn jars_know_their_line() {
        assert_eq!(
            line_of_jar(Path::new("p/target/flink-2.2/c-0.1.0-2.2.jar")),
            Some("2.2")
        );
        assert_eq!(
            line_of_jar(Path::new("dist/c-0.1.0-1.17.jar")),
            Some("1.17")
        );
        assert_eq!(
            line_of_jar(Path::new("dist/c-0.1.0-2.2-SNAPSHOT.jar")),
            Some("2.2")
        );
        assert_eq!(line_of_jar(Path::new("target/c-0.1.0-SNAPSHOT.jar")), None);
        assert_eq!(
            jar_name("flink-connector-redis", "0.1.0", "1.20"),
            "flink-connector-redis-0.1.0-1.20.jar"
        );
        assert_eq!(
            jar_name("flink-connector-redis", "0.1.0-SNAPSHOT", "2.2"),
            "flink-connector-redis-0.1.0-2.2-SNAPSHOT.jar"
        );
    }
}
