//! Per-line facts about the distribution and the platforms that run it: the libraries Flink
//! relocates under org/apache/flink/shaded/, the JVMs each line supports, and Alibaba VVR engines.

use super::line_in;
use super::lines::{find_line, FlinkLine, FlinkVersion};

/// Libraries Flink relocates under `org/apache/flink/shaded/<lib><major>/`, per line.
const SHADED_LIBRARIES: &[(&str, &str, &[&str])] = &[
    (
        "1.17",
        "1.17",
        &[
            "asm9",
            "curator5",
            "guava30",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
    (
        "1.18",
        "1.20",
        &[
            "asm9",
            "curator5",
            "guava31",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
    (
        "2.0",
        "2.0",
        &[
            "asm9",
            "curator5",
            "guava32",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
    (
        "2.1",
        "2.3",
        &[
            "asm9",
            "curator5",
            "guava33",
            "jackson2",
            "netty4",
            "zookeeper3",
        ],
    ),
];

/// Highest Java release each line supports (Flink's documented JVMs); the line's minimum is
/// `FlinkLine::java_release`.
const MAX_JAVA: &[(&str, u8)] = &[
    ("1.17", 11),
    ("1.18", 17),
    ("1.19", 17),
    ("1.20", 17),
    ("2.0", 21),
    ("2.1", 21),
    ("2.2", 21),
    ("2.3", 21),
];

pub fn shaded_libraries(line: &FlinkLine) -> Vec<String> {
    SHADED_LIBRARIES
        .iter()
        .filter(|(first, last, _)| line_in(line, first, last))
        .flat_map(|(_, _, libs)| libs.iter().map(|l| l.to_string()))
        .collect()
}

pub fn max_java(line: &FlinkLine) -> u8 {
    MAX_JAVA
        .iter()
        .find(|(l, _)| *l == line.line)
        .map(|(_, j)| *j)
        .unwrap_or(line.java_release)
}

/// Splits `org/apache/flink/shaded/guava31/com/...` into `("guava", "guava31")`.
pub fn shaded_library_of(class: &str) -> Option<(&str, &str)> {
    let rest = class.strip_prefix("org/apache/flink/shaded/")?;
    let dir = rest.split('/').next()?;
    let name = dir.trim_end_matches(|c: char| c.is_ascii_digit());
    (name.len() < dir.len() && !name.is_empty()).then_some((name, dir))
}

/// Alibaba Realtime Compute (VVR) engines: `(prefix, Flink version, default JDK)`.
pub(crate) const VVR_ENGINES: &[(&str, &str, u8)] = &[
    ("8.0", "1.17.2", 8),
    ("11.1", "1.20.1", 11),
    ("11.2", "1.20.2", 11),
    ("11.3", "1.20.2", 11),
    ("11.4", "1.20.2", 11),
    ("11.5", "1.20.2", 11),
    ("11.6", "1.20.2", 11),
    ("11.7", "1.20.2", 11),
];

/// `vvr-11.1` / `vvr-8.0.11-jdk11` → (Flink version, JDK the engine runs, whether the JDK was given).
pub fn vvr_engine(name: &str) -> Option<(FlinkVersion, u8, bool)> {
    let rest = name.strip_prefix("vvr-")?;
    let (version, jdk) = match rest.split_once("-jdk") {
        Some((v, jdk)) => (v, Some(jdk.parse::<u8>().ok()?)),
        None => (rest, None),
    };
    let (_, flink, default_jdk) = VVR_ENGINES.iter().find(|(prefix, ..)| {
        version == *prefix
            || version.strip_prefix(prefix).is_some_and(|r| {
                r.starts_with('.') && r[1..].bytes().all(|b| b.is_ascii_digit()) && r.len() > 1
            })
    })?;
    let flink = FlinkVersion::parse(flink).ok()?;
    Some((flink, jdk.unwrap_or(*default_jdk), jdk.is_some()))
}

pub fn line(line: &str) -> Option<&'static FlinkLine> {
    find_line(line)
}
