//! JUnit XML via quick-junit: one suite per file, one test case per rule of the catalog; a case
//! fails when the rule reported something that fails the check (errors, or warnings with
//! `--deny warnings`); other findings go to the case's system-out.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use crate::check::finding::Rule;
use crate::check::{catalog, rules, Report};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = JunitReport::new("cargo-flink-connector check");
    for file in &report.files {
        if let Some(matrix) = &file.matrix {
            // One case per line: a failure names the first reasons.
            let mut suite = TestSuite::new(format!("{} compatibility", line(&file.path)));
            for verdict in matrix {
                let status = if verdict.runs {
                    TestCaseStatus::success()
                } else {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(format!("does not run on {}", verdict.target));
                    status.set_description(lines(&verdict.reasons.join("\n")));
                    status
                };
                let mut case = TestCase::new(verdict.target.clone(), status);
                case.set_classname("compatibility");
                suite.add_test_case(case);
            }
            junit.add_test_suite(suite);
            continue;
        }
        let mut suite = TestSuite::new(line(&file.path));
        let applicable = rules::all().filter(|r| {
            (r.family == "pom") == file.path.ends_with(".xml")
                || file.findings.iter().any(|f| f.rule == r.id)
        });
        for rule in applicable {
            let findings: Vec<_> = file.findings.iter().filter(|f| f.rule == rule.id).collect();
            let failing: Vec<_> = findings
                .iter()
                .filter(|f| report.fails(f.severity))
                .collect();
            let status = if failing.is_empty() {
                TestCaseStatus::success()
            } else {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(line(&failing[0].message));
                status.set_type(failing[0].severity.as_str());
                status.set_description(lines(
                    &failing
                        .iter()
                        .map(|f| {
                            format!(
                                "{}: {} ({}){}\nhelp: {}",
                                f.location,
                                f.message,
                                f.severity.as_str(),
                                super::occurrence_lines(f),
                                f.hint
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ));
                status
            };
            let mut case = TestCase::new(rule.id, status);
            case.set_classname(format!("{}.{}", rule.family, rule.id));
            if failing.is_empty() && !findings.is_empty() {
                case.set_system_out(lines(
                    &findings
                        .iter()
                        .map(|f| {
                            format!(
                                "{}: {}: {}{}",
                                f.severity.as_str(),
                                f.location,
                                f.message,
                                super::occurrence_lines(f)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ));
            }
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}

/// Jar text for one XML attribute: controls (which XML 1.0 cannot hold, and quick-junit drops
/// silently) shown as `\u{…}`, so the name stays recognisable.
fn line(text: &str) -> String {
    super::escape_controls(text)
}

/// Multi-line text for an element: the same, line breaks kept.
fn lines(text: &str) -> String {
    super::escape_controls_but(text, '\n')
}

/// The catalog alone: one passing case per rule, its explanation as system-out.
pub fn catalog(rules: &[&Rule], out: &mut dyn Write) -> io::Result<()> {
    let mut junit = JunitReport::new("cargo-flink-connector rules");
    let mut suite = TestSuite::new("rules");
    for rule in rules {
        let mut case = TestCase::new(rule.id, TestCaseStatus::success());
        case.set_classname(format!("{}.{}", rule.family, rule.id));
        case.set_system_out(catalog::explanation(rule));
        suite.add_test_case(case);
    }
    junit.add_test_suite(suite);
    junit.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}
