//! Test totals from Surefire's XML reports (`surefire-reports/TEST-*.xml`), so the per-line table
//! counts what really ran instead of scraping Maven's console.

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

/// Sums every `TEST-*.xml` in `dir`; `None` when there is no report (tests did not run).
pub fn totals(dir: &Path) -> Option<TestTotals> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut sum = TestTotals::default();
    let mut any = false;
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let is_report = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("TEST-") && n.ends_with(".xml"));
        if !is_report {
            continue;
        }
        if let Some(t) = std::fs::read_to_string(&path).ok().and_then(|x| suite(&x)) {
            sum.tests += t.tests;
            sum.failures += t.failures;
            sum.errors += t.errors;
            sum.skipped += t.skipped;
            any = true;
        }
    }
    any.then_some(sum)
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
}
