//! Test totals and failures from Surefire's XML reports (`surefire-reports/TEST-*.xml`), so the
//! per-line table counts what really ran, and a failing build names its failing tests, instead of
//! scraping Maven's console.

use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TestTotals {
    pub tests: u32,
    pub failures: u32,
    pub errors: u32,
    pub skipped: u32,
}

impl TestTotals {
    pub fn passed(&self) -> u32 {
        self.tests
            .saturating_sub(self.failures + self.errors + self.skipped)
    }

    pub fn failed(&self) -> u32 {
        self.failures + self.errors
    }
}

/// The text of every `TEST-*.xml` in `dir`, in file-name order (empty when there is none).
fn reports(dir: &Path) -> Vec<String> {
    reports_since(dir, std::time::SystemTime::UNIX_EPOCH)
}

/// The reports written at or after `since` (a failed build must not name an older run's tests).
fn reports_since(dir: &Path, since: std::time::SystemTime) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("TEST-") && n.ends_with(".xml"))
                && std::fs::metadata(path)
                    .and_then(|m| m.modified())
                    .is_ok_and(|m| m >= since)
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Sums every `TEST-*.xml` in `dir`; `None` when there is no report (tests did not run).
pub fn totals(dir: &Path) -> Option<TestTotals> {
    let mut sum = TestTotals::default();
    let mut any = false;
    for xml in reports(dir) {
        if let Some(t) = suite(&xml) {
            sum.tests += t.tests;
            sum.failures += t.failures;
            sum.errors += t.errors;
            sum.skipped += t.skipped;
            any = true;
        }
    }
    any.then_some(sum)
}

/// A test that failed or errored: `Class.method`, where it failed and the first line of why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedTest {
    /// `org.example.RedisTest.writes`.
    pub name: String,
    /// `RedisTest.java:42`: the first stack frame in the test's own class, when there is one.
    pub at: Option<String>,
    /// The first line of the failure's message (the assertion), else of its stack trace.
    pub message: String,
}

impl std::fmt::Display for FailedTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{} ({at}): {}", self.name, self.message),
            None => write!(f, "{}: {}", self.name, self.message),
        }
    }
}

/// Every failed or errored test case of the reports in `dir` written since `since`, in report
/// order.
pub fn failures(dir: &Path, since: std::time::SystemTime) -> Vec<FailedTest> {
    reports_since(dir, since)
        .iter()
        .flat_map(|x| failed_cases(x))
        .collect()
}

fn failed_cases(xml: &str) -> Vec<FailedTest> {
    let Ok(suite) = crate::pom::parse_xml(xml) else {
        return Vec::new();
    };
    let attribute = |e: &crate::pom::Element, key: &str| {
        e.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| unescape(v))
            .unwrap_or_default()
    };
    suite
        .children_named("testcase")
        .filter_map(|case| {
            let failure = case
                .children
                .iter()
                .find(|c| c.name == "failure" || c.name == "error")?;
            Some(failed_test(
                &attribute(case, "classname"),
                &attribute(case, "name"),
                &attribute(failure, "message"),
                &failure.text,
            ))
        })
        .collect()
}

/// XML's predefined entities and character references in an attribute value (the parser keeps
/// attribute values raw).
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let Some(end) = tail.find(';').filter(|&e| e <= 8) else {
            out.push('&');
            rest = tail;
            continue;
        };
        let decoded = match &tail[..end] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            other => other
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| other.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn failed_test(class: &str, method: &str, message: &str, body: &str) -> FailedTest {
    let first = |text: &str| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
    };
    let message = first(message)
        .or_else(|| first(body))
        .unwrap_or_else(|| "(no message)".into());
    // "at org.example.RedisTest.writes(RedisTest.java:42)" → "RedisTest.java:42".
    let at = body.lines().find_map(|l| {
        let frame = l.trim().strip_prefix("at ")?;
        let (method_path, rest) = frame.split_once('(')?;
        let owner = method_path.rsplit_once('.')?.0;
        (owner == class || owner.starts_with(&format!("{class}$")))
            .then(|| rest.trim_end_matches(')').to_string())
    });
    FailedTest {
        name: format!("{class}.{method}"),
        at,
        message,
    }
}

/// The counts on a report's root `<testsuite>` element.
fn suite(xml: &str) -> Option<TestTotals> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "testsuite" => {
                let mut t = TestTotals::default();
                for a in e.attributes().flatten() {
                    let value: u32 = a.value.trim().parse().unwrap_or(0);
                    match a.key.local_name().as_ref() {
                        "tests" => t.tests = value,
                        "failures" => t.failures = value,
                        "errors" => t.errors = value,
                        "skipped" => t.skipped = value,
                        _ => {}
                    }
                }
                return Some(t);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_the_suites_of_a_report_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(totals(dir.path()), None);
        std::fs::write(
            dir.path().join("TEST-a.ATest.xml"),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="x" name="a.ATest" time="1.2" tests="5" errors="1" skipped="1" failures="1">
<testcase name="t"/></testsuite>"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join("TEST-a.BTest.xml"),
            r#"<testsuite name="a.BTest" tests="3" errors="0" skipped="0" failures="0"/>"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("a.ATest.txt"), "Tests run: 99").unwrap();
        let t = totals(dir.path()).unwrap();
        assert_eq!((t.tests, t.passed(), t.failed(), t.skipped), (8, 5, 2, 1));
    }

    #[test]
    fn names_failed_tests_with_their_assertion_and_line() {
        let dir = tempfile::tempdir().unwrap();
        // As Surefire 3 writes a JUnit 5 failure and an error (tests/package_cli.rs uses it too).
        std::fs::write(
            dir.path().join("TEST-org.example.RedisTest.xml"),
            include_str!("../../tests/fixtures/surefire/TEST-org.example.RedisTest.xml"),
        )
        .unwrap();
        let names: Vec<String> = failures(dir.path(), std::time::SystemTime::UNIX_EPOCH)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            names,
            [
                "org.example.RedisTest.writes (RedisTest.java:42): expected: <1> but was: <2>",
                "org.example.RedisTest.connects (RedisTest.java:60): java.lang.IllegalStateException: no server",
            ]
        );
        // Reports older than the build are another run's.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        assert!(failures(dir.path(), later).is_empty());
    }
}
