//! `package` as CI runs it: the project's own Maven wrapper (`./mvnw`) when there is one, `-q`
//! that keeps Maven's log out of the way unless the build fails, and a failing build that names
//! its failing tests and their first assertion line (read from Surefire's reports).

mod support;

use std::path::Path;

use support::*;

/// A stand-in `mvnw` that records its arguments and fails like a build would: it proves which
/// Maven `package` runs and with what, without Maven.
fn fake_wrapper(project: &Path, executable: bool) -> std::path::PathBuf {
    let record = project.join("mvnw-argv");
    let script = project.join("mvnw");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\necho '[ERROR] wrapper says no'\nexit 1\n",
            record.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if executable { 0o755 } else { 0o644 };
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    record
}

#[test]
fn package_runs_the_projects_maven_wrapper() {
    if !require_command("java") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    for executable in [true, false] {
        let record = fake_wrapper(&project, executable);
        let out = run_in(&project, &["package", "--offline", "--", "-DskipTests"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let argv = read(&record);
        assert_eq!(
            argv.lines().collect::<Vec<_>>(),
            ["-B", "-Dstyle.color=never", "-o", "-DskipTests", "verify"],
            "executable: {executable}"
        );
        let err = stderr(&out);
        assert!(err.contains("with ./mvnw"), "{err}");
        assert!(err.contains("wrapper says no"), "{err}");
        assert_eq!(
            err.lines()
                .last()
                .map(|l| l.starts_with("error: mvn package failed")),
            Some(true),
            "{err}"
        );
    }
}

/// A real Maven build whose one test fails: `package -q` prints no Maven progress, names the
/// test with its file line and assertion, shows Maven's tail and ends in one error line.
#[test]
fn a_failing_package_names_the_failing_test() {
    if !require_command("java") || !require_command("mvn") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    let dir = project.join("src/test/java/org/example/flink/connector/acme");
    std::fs::write(
        dir.join("AcmeArithmeticTest.java"),
        "package org.example.flink.connector.acme;\n\
         \n\
         import static org.junit.jupiter.api.Assertions.assertEquals;\n\
         \n\
         import org.junit.jupiter.api.Test;\n\
         \n\
         class AcmeArithmeticTest {\n\
         \x20   @Test\n\
         \x20   void addsUp() {\n\
         \x20       assertEquals(3, 1 + 1, \"one and one\");\n\
         \x20   }\n\
         }\n",
    )
    .unwrap();
    let _heavy = heavy();
    let out = run_in(
        &project,
        &[
            "package",
            "-q",
            "--",
            "-Dtest=AcmeArithmeticTest",
            "-Dsurefire.failIfNoSpecifiedTests=false",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // JUnit 5's own message for assertEquals(3, 2, "one and one"); line 10 of the file above.
    assert!(
        err.lines().any(|l| l
            == "failed test: org.example.flink.connector.acme.AcmeArithmeticTest.addsUp \
                (AcmeArithmeticTest.java:10): one and one ==> expected: <3> but was: <2>"),
        "{err}"
    );
    // -q: only Maven's tail, not its log (which has every line).
    let log = read(&project.join("target/cargo-flink-connector-maven.log"));
    let shown = err.lines().filter(|l| l.starts_with('[')).count();
    assert!(
        shown > 0 && shown <= 40 && log.lines().count() > shown,
        "{shown} Maven lines shown of {}:\n{err}",
        log.lines().count()
    );
    assert!(
        !err.lines().any(|l| l.starts_with("Building ")),
        "a status line with -q:\n{err}"
    );
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.starts_with("error: mvn package failed")),
        "{err}"
    );
}

/// Surefire's report of a failed and an errored test (tests/fixtures/surefire), moved to `class`.
fn failed_report(class: &str) -> String {
    read(&fixture_dir().join("../surefire/TEST-org.example.RedisTest.xml"))
        .replace("org.example.RedisTest", class)
}

/// Every line of a multi-line project names its failed tests (from that line's own reports);
/// reports an earlier build left behind are not this build's failures.
#[test]
fn a_failing_line_names_its_failed_tests() {
    if !require_command("java") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20,2.2"]);
    let class = "org.example.flink.connector.acme.AcmeConnectorTest";
    std::fs::write(project.join("report.xml"), failed_report(class)).unwrap();
    // An old run's failure of another test, in the 1.20 reports.
    let old = project.join("target/flink-1.20/surefire-reports");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("TEST-Old.xml"), failed_report("org.example.Old")).unwrap();
    let touched = std::process::Command::new("touch")
        .args(["-d", "2020-01-01"])
        .arg(old.join("TEST-Old.xml"))
        .status()
        .unwrap();
    assert!(touched.success());
    // The wrapper fails each line as Maven does when a test fails, leaving Surefire's report.
    let script = project.join("mvnw");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a; do case $a in -Pflink-*) line=${{a#-Pflink-}};; esac; done\n\
             mkdir -p target/flink-$line/surefire-reports\n\
             cp report.xml target/flink-$line/surefire-reports/TEST-{class}.xml\n\
             echo '[ERROR] There are test failures.'\nexit 1\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run_in(&project, &["package", "-q"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let named: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("failed test: "))
        .collect();
    // Both tests of the report, once per line; line numbers and messages as the report has them.
    let expected = [
        format!("failed test: {class}.writes (RedisTest.java:42): expected: <1> but was: <2>"),
        format!(
            "failed test: {class}.connects (RedisTest.java:60): java.lang.IllegalStateException: no server"
        ),
    ];
    assert_eq!(named, [&expected[..], &expected[..]].concat(), "{err}");
}
