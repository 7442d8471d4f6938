//! The runtime a jar is checked against: a Flink line (optionally a patch) or an Alibaba VVR
//! engine, with the JVM it implies. Given with `--target` or inferred, and then the report says
//! what was assumed.

use std::fmt;

use crate::errors::{Error, Result};
use crate::flink::runtime::{max_java, vvr_engine};
use crate::flink::FlinkVersion;

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub version: FlinkVersion,
    /// `flink-2.2.1` names a patch; `flink-2.2` the line (the newest patch stands in for it).
    pub exact_patch: bool,
    /// The managed engine, e.g. `vvr-11.1`, when the target was given that way.
    pub engine: Option<String>,
    /// Highest class-file major version the target's JVM loads.
    pub max_class_major: u16,
    /// True when the JVM is fixed (a `-jdkNN` engine); false when the line supports several JVMs.
    pub jvm_fixed: bool,
    /// How the target was chosen when `--target` was not given.
    pub assumed: Option<String>,
}

impl Target {
    /// `flink-2.2`, `2.2`, `flink-2.2.1`, `2.2.1` (as `new --flink` takes it) or `vvr-11.1[-jdk17]`.
    pub fn parse(text: &str) -> Result<Target> {
        let text = text.trim();
        let bare = text
            .starts_with(|c: char| c.is_ascii_digit())
            .then_some(text);
        if let Some(version) = text.strip_prefix("flink-").or(bare) {
            let exact_patch = version.split('.').count() == 3;
            let version = FlinkVersion::parse(version)
                .map_err(|e| Error::usage(format!("--target {text}: {e}")))?;
            return Ok(Target::for_version(version, exact_patch, None));
        }
        if let Some((version, jdk, jdk_given)) = vvr_engine(text) {
            let mut target = Target::for_version(version, true, None);
            target.engine = Some(text.to_string());
            target.max_class_major = u16::from(jdk) + 44;
            target.jvm_fixed = jdk_given;
            if !jdk_given {
                target.assumed = Some(format!(
                    "{text} runs JDK {jdk} unless its name ends in -jdk11/-jdk17"
                ));
            }
            return Ok(target);
        }
        Err(Error::usage(format!(
            "unknown --target '{text}'; expected a Flink line 1.17 … 2.3 (flink-2.2, 2.2, or with a patch: 2.2.1), \
             vvr-8.0, vvr-11.1 … vvr-11.7 (optionally -jdk11/-jdk17), a range (1.17..2.3) or all"
        )))
    }

    /// `all`, or a range of lines `flink-1.17..flink-2.3` (each line's newest patch): the
    /// targets of a compatibility matrix. `None` when `text` is a single target.
    pub fn parse_many(text: &str) -> Option<Result<Vec<Target>>> {
        use crate::flink::LINES;
        let text = text.trim();
        let every = || {
            LINES
                .iter()
                .map(|l| Target::for_version(l.latest(), false, None))
        };
        if text == "all" {
            return Some(Ok(every().collect()));
        }
        let (from, to) = text.split_once("..")?;
        let line_of = |t: &str| -> Result<&'static str> {
            let target =
                Target::parse(t).map_err(|e| Error::usage(format!("--target {text}: {e}")))?;
            if target.engine.is_some() {
                return Err(Error::usage(format!(
                    "--target {text}: a range takes Flink lines (1.17..2.3 or flink-1.17..flink-2.3)"
                )));
            }
            Ok(target.version.line.line)
        };
        let result = (|| {
            let (from, to) = (line_of(from)?, line_of(to)?);
            let position = |l: &str| LINES.iter().position(|x| x.line == l).unwrap_or(0);
            let (a, b) = (position(from), position(to));
            if a > b {
                return Err(Error::usage(format!("--target {text}: the range is empty")));
            }
            Ok(every().skip(a).take(b - a + 1).collect())
        })();
        Some(result)
    }

    pub fn for_version(
        version: FlinkVersion,
        exact_patch: bool,
        assumed: Option<String>,
    ) -> Target {
        Target {
            version,
            exact_patch,
            engine: None,
            max_class_major: u16::from(max_java(version.line)) + 44,
            jvm_fixed: false,
            assumed,
        }
    }

    /// `flink-2.2` or `flink-2.2.1`.
    pub fn label(&self) -> String {
        if self.exact_patch {
            format!("flink-{}", self.version)
        } else {
            format!("flink-{}", self.version.line.line)
        }
    }

    pub fn is_2x(&self) -> bool {
        self.version.line.major() >= 2
    }

    /// The class major of the line's oldest supported JVM (52 for 1.x, 55 for 2.x).
    pub fn min_class_major(&self) -> u16 {
        self.version.line.class_major()
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.engine {
            Some(engine) => write!(f, "{engine} ({})", self.label()),
            None => f.write_str(&self.label()),
        }
    }
}

/// A Flink version found in a jar or project (`1.20.1`, `2.2`), if it names a known release.
pub fn version_from_text(text: &str) -> Option<(FlinkVersion, bool)> {
    let text = text.trim();
    let exact = text.split('.').count() == 3;
    FlinkVersion::parse(text)
        .ok()
        .map(|v| (v, exact))
        .or_else(|| {
            // `2.2-SNAPSHOT`, `1.20.1-vvr`: take the numeric prefix's line.
            let numeric: String = text
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let line: Vec<&str> = numeric.split('.').take(2).collect();
            FlinkVersion::parse(&line.join("."))
                .ok()
                .map(|v| (v, false))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flink_and_vvr_targets() {
        let t = Target::parse("flink-2.2").unwrap();
        assert_eq!(
            (t.label(), t.max_class_major, t.min_class_major()),
            ("flink-2.2".into(), 65, 55)
        );
        assert_eq!(
            Target::parse("flink-1.20.1").unwrap().label(),
            "flink-1.20.1"
        );
        let vvr = Target::parse("vvr-11.2-jdk11").unwrap();
        assert_eq!(
            (vvr.to_string(), vvr.max_class_major, vvr.jvm_fixed),
            ("vvr-11.2-jdk11 (flink-1.20.2)".into(), 55, true)
        );
        let vvr8 = Target::parse("vvr-8.0").unwrap();
        assert_eq!(
            (vvr8.label(), vvr8.max_class_major),
            ("flink-1.17.2".into(), 52)
        );
        assert!(vvr8.assumed.is_some());
        // Users write a line the way `new --flink` takes it, with or without `flink-`.
        for (written, label) in [
            ("2.2", "flink-2.2"),
            (" flink-2.2 ", "flink-2.2"),
            ("2.2.1", "flink-2.2.1"),
            ("1.20.1", "flink-1.20.1"),
        ] {
            assert_eq!(Target::parse(written).unwrap().label(), label, "{written}");
        }
        for bad in [
            "flink-1.16",
            "flink-2.2.9",
            "2.9",
            "2",
            "vvr-12.0",
            "flink-",
            "-2.2",
            "",
        ] {
            let err = Target::parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn ranges_and_all_are_matrices() {
        let labels = |t: &str| -> Vec<String> {
            Target::parse_many(t)
                .unwrap()
                .unwrap()
                .iter()
                .map(|t| t.label())
                .collect()
        };
        assert_eq!(
            labels("flink-1.20..flink-2.1"),
            ["flink-1.20", "flink-2.0", "flink-2.1"]
        );
        assert_eq!(labels("all").len(), crate::flink::LINES.len());
        assert_eq!(labels("1.20..2.1"), labels("flink-1.20..2.1.0"));
        assert!(Target::parse_many("flink-2.2").is_none());
        for bad in [
            "flink-2.2..flink-1.17",
            "flink-1.16..flink-2.2",
            "vvr-8.0..flink-2.2",
        ] {
            assert_eq!(
                Target::parse_many(bad).unwrap().unwrap_err().exit_code(),
                2,
                "{bad}"
            );
        }
    }

    #[test]
    fn finds_versions_in_text() {
        assert_eq!(
            version_from_text("1.20-SNAPSHOT").map(|(v, _)| v.line.line),
            Some("1.20")
        );
    }
}
