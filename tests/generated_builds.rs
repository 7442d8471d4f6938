//! Generated projects against real Flink: every line compiles with javac at the line's Java
//! release, and `mvn -B verify` against Maven Central, as a user runs it (the unit tests, then the
//! `*ITCase` tests on a MiniCluster shared per class, as Apache's connector parent runs them),
//! passes on 1.17, 1.20 and 2.2 — all eight lines with FLINK_MVN_LINES=all — with no Maven warning
//! of the project's making.

mod support;

use std::path::{Path, PathBuf};

use support::*;

/// Renders `new NAME ARGS…` into a fresh temporary directory and returns (tempdir, project).
fn generate(name: &str, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = vec!["new", name, "--dir", "project"];
    all.extend_from_slice(args);
    let out = run_in(tmp.path(), &all);
    assert!(out.status.success(), "new {all:?} failed: {}", stderr(&out));
    let project = tmp.path().join("project");
    (tmp, project)
}

fn java_release(version: &str) -> u8 {
    if version.starts_with("1.") {
        8
    } else {
        11
    }
}

/// Bytes 6–7 of a class file.
fn class_major(class: &Path) -> u16 {
    let bytes = std::fs::read(class).unwrap();
    u16::from_be_bytes([bytes[6], bytes[7]])
}

fn first_class(dir: &Path) -> PathBuf {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "class"))
        .unwrap_or_else(|| panic!("no class under {}", dir.display()))
        .into_path()
}

fn compile_on_every_line(preset: &str) {
    if !require_command("javac") {
        return;
    }
    for version in FLINK_VERSIONS {
        let Some(lib) = flink_lib(version) else {
            return;
        };
        let (_tmp, project) = generate(preset, &["--flink", version]);
        let release = java_release(version);
        if let Err(e) = javac(&project, &lib, release) {
            panic!("{preset} on Flink {version} does not compile:\n{e}");
        }
        let major = class_major(&first_class(&project.join("target/javac-classes")));
        assert_eq!(major, u16::from(release) + 44, "{preset} on {version}");
    }
}

#[test]
fn blank_compiles_on_every_flink_line() {
    compile_on_every_line("acme");
}

#[test]
fn redis_compiles_on_every_flink_line() {
    compile_on_every_line("redis");
}

#[test]
fn every_capability_subset_compiles() {
    if !require_command("javac") {
        return;
    }
    for version in ["1.17.2", "2.2.1"] {
        let Some(lib) = flink_lib(version) else {
            return;
        };
        for caps in [
            "scan",
            "lookup",
            "sink",
            "scan,lookup",
            "scan,sink",
            "lookup,sink",
            "scan,lookup,sink",
        ] {
            let (_tmp, project) = generate("acme", &["--flink", version, "--capabilities", caps]);
            if let Err(e) = javac(&project, &lib, java_release(version)) {
                panic!("capabilities {caps} on Flink {version} do not compile:\n{e}");
            }
        }
    }
}

/// Maven `[WARNING]` lines that are not of the generated project's making, each with the reason.
/// Everything else (deprecated plugin parameters, overlapping shaded resources, platform encoding…)
/// fails the build test.
const FOREIGN_WARNINGS: &[(&str, &str)] = &[];

/// The `[WARNING]` lines of a Maven log that the allow-list does not explain.
fn project_warnings(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.starts_with("[WARNING]"))
        .filter(|l| !FOREIGN_WARNINGS.iter().any(|(w, _)| l.contains(w)))
        .collect()
}

/// Builds `name` with `mvn -B verify` on each Maven line; `itcases` are the ITCase classes (simple
/// names without the prefix) that must run in the integration-tests execution.
fn maven_build_with_tests(name: &str, extra_requirement: Option<&str>, itcases: &[&str]) {
    if !require_command("java") || !require_command("mvn") {
        return;
    }
    if let Some(cmd) = extra_requirement {
        if !require_command(cmd) {
            return;
        }
    }
    for line in maven_lines() {
        let (_tmp, project) = generate(name, &["--flink", line]);
        let _guard = heavy();
        let started = std::time::Instant::now();
        let out = mvn_verify(&project);
        let elapsed = started.elapsed().as_secs_f64();
        let log = tail(&out, 60);
        assert!(
            out.status.success(),
            "mvn verify of {name} on Flink {line} failed:\n{log}"
        );
        let text = stdout(&out);
        // Surefire's two executions, each with its own total: unit tests, then ITCases.
        let totals: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("Tests run:") && !l.contains(" - in ") && !l.contains(" -- in "))
            .collect();
        assert_eq!(totals.len(), 2, "{name} on {line}: {totals:?}\n{log}");
        for total in &totals {
            assert!(
                total.contains("Failures: 0, Errors: 0") && !total.contains("Tests run: 0,"),
                "{name} on {line}: {total}"
            );
        }
        let (unit, it) = (
            ran_classes(&text, "default-test"),
            ran_classes(&text, "integration-tests"),
        );
        assert!(
            !unit.is_empty() && unit.iter().all(|c| c.ends_with("Test")),
            "{name} on {line}: unit tests {unit:?}"
        );
        for arch in ["ProductionCodeArchitectureTest", "TestCodeArchitectureTest"] {
            assert!(
                unit.iter().any(|c| c == arch),
                "{name} on {line}: {arch} did not run: {unit:?}"
            );
        }
        assert!(
            it.iter().any(|c| c.ends_with("ConnectorITCase"))
                && it.iter().all(|c| c.ends_with("ITCase")),
            "{name} on {line}: integration tests {it:?}"
        );
        for expected in itcases {
            assert!(
                it.iter().any(|c| c.ends_with(expected)),
                "{name} on {line}: {expected} did not run: {it:?}"
            );
        }
        let summary = totals.join("; ");
        // Test logging is bound (log4j2-test.properties): no SLF4J fallback to its no-op logger.
        assert!(
            !text.contains("SLF4J: ") && !log.contains("SLF4J: "),
            "{name} on {line}: SLF4J is not bound in the tests:\n{log}"
        );
        let warnings = project_warnings(&text);
        assert!(
            warnings.is_empty(),
            "{name} on {line}: Maven warnings of the project's making:\n{}",
            warnings.join("\n")
        );
        let jar = project.join(format!("target/flink-connector-{name}-0.1.0-SNAPSHOT.jar"));
        assert!(jar.is_file(), "{} missing", jar.display());
        // The jar and its POM pass the audit against their own line, warnings denied.
        let audit = run_in(&project, &["check", ".", "--deny", "warnings"]);
        assert_eq!(
            audit.status.code(),
            Some(0),
            "check --deny warnings of {name} on {line}:\n{}{}",
            stdout(&audit),
            stderr(&audit)
        );
        eprintln!("{name} on Flink {line}: mvn -B verify {elapsed:.0} s; {summary}");
    }
}

/// `mvn -B verify` in `project`: the jar and every test (`mvn_package` stops before the ITCases).
fn mvn_verify(project: &Path) -> std::process::Output {
    std::process::Command::new("mvn")
        .current_dir(project)
        .args(["-B", "-Dstyle.color=never", "verify"])
        .output()
        .expect("run mvn")
}

/// The simple names of the test classes Surefire's execution `id` ran, from its per-class lines.
fn ran_classes(log: &str, id: &str) -> Vec<String> {
    let mut classes = Vec::new();
    let mut inside = false;
    for line in log.lines() {
        if line.contains("maven-surefire-plugin:") {
            inside = line.contains(&format!("({id})"));
        } else if inside && line.contains("Tests run:") {
            if let Some(class) = line.split(" -- in ").nth(1) {
                classes.push(class.rsplit('.').next().unwrap_or(class).trim().to_string());
            }
        }
    }
    classes
}

#[test]
fn blank_project_builds_and_its_tests_pass_with_maven() {
    // The blank preset has every capability: the FLIP-33 metrics (read through a metric
    // reporter), the sink's retries on the mailbox and the DataStream builders run as ITCases.
    maven_build_with_tests(
        "acme",
        None,
        &["ConnectorITCase", "MetricsITCase", "DataStreamITCase"],
    );
}

#[test]
fn redis_project_builds_and_its_tests_pass_with_maven() {
    maven_build_with_tests("redis", Some("redis-server"), &["ConnectorITCase"]);
}

fn set_flink_version(project: &Path, from: &str, to: &str) {
    let manifest = project.join("connector.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let needle = format!("version = \"{from}\"");
    assert!(text.contains(&needle), "{text}");
    std::fs::write(
        &manifest,
        text.replace(&needle, &format!("version = \"{to}\"")),
    )
    .unwrap();
}

#[test]
fn a_project_moved_between_lines_builds_each_time() {
    if !require_command("mvn") {
        return;
    }
    let (_tmp, project) = generate("acme", &["--flink", "1.20"]);
    let jar = project.join("target/flink-connector-acme-0.1.0-SNAPSHOT.jar");
    for (from, to, major) in [
        (None, "1.20.3", 52),
        (Some("1.20.3"), "2.2.1", 55),
        (Some("2.2.1"), "1.20.3", 52),
    ] {
        if let Some(from) = from {
            set_flink_version(&project, from, to);
            let out = run_in(&project, &["generate"]);
            assert!(out.status.success(), "generate to {to}: {}", stderr(&out));
        }
        let _guard = heavy();
        let out = mvn_package(&project, &["-DskipTests"]);
        assert!(
            out.status.success(),
            "build on {to} failed:\n{}",
            tail(&out, 40)
        );
        let classes = project.join("target/classes");
        assert_eq!(
            class_major(&first_class(&classes)),
            major,
            "classes built for {to}"
        );
        assert!(jar.is_file());
    }
}

/// `cargo-flink-connector flink-connector ARGS` in `cwd` under a pseudo-terminal (`script`), so
/// the tool sees a terminal on stdout and stderr; returns the exit status and what was shown.
fn run_on_terminal(cwd: &Path, args: &[&str]) -> (std::process::ExitStatus, String) {
    let mut line = format!(
        "'{}' flink-connector",
        env!("CARGO_BIN_EXE_cargo-flink-connector")
    );
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let out = std::process::Command::new("script")
        .current_dir(cwd)
        .args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script");
    (out.status, stdout(&out))
}

#[test]
fn package_builds_and_reports_the_jar() {
    if !require_command("mvn") || !require_command("script") {
        return;
    }
    let (_tmp, project) = generate("acme", &["--flink", "2.2"]);
    // An option added with `option add` must reach the bytecode that inspection reads.
    let out = support::add_page_size_option(&project);
    assert!(out.status.success(), "{}", stderr(&out));
    let args = ["package", "--", "-DskipTests"];
    let _guard = heavy();
    // On a terminal: a progress line naming module and goal instead of Maven's log.
    let (status, shown) = run_on_terminal(&project, &args);
    assert!(status.success(), "package failed:\n{shown}");
    assert!(
        shown.contains("maven: flink-connector-acme: shade (maven-shade-plugin)")
            && shown.contains("maven: flink-connector-acme: compile (maven-compiler-plugin)"),
        "progress on a terminal:\n{shown}"
    );
    assert!(
        !shown.contains("[INFO] Building jar"),
        "Maven's log is not streamed on a terminal:\n{shown}"
    );
    assert!(
        shown.contains("flink-connector-acme-0.1.0-SNAPSHOT.jar")
            && shown.contains("identifier: acme"),
        "{shown}"
    );
    assert!(shown.contains("audit:      no errors"), "{shown}");
    let meta = std::fs::read_to_string(project.join("target/connector-meta.yaml")).unwrap();
    assert!(
        meta.contains("acme")
            && meta.contains("sink.max-retries")
            && meta.contains("scan.page-size"),
        "{meta}"
    );
    assert!(project
        .join("target/flink-connector-acme-options.md")
        .is_file());
    let log = std::fs::read_to_string(project.join("target/cargo-flink-connector-maven.log"))
        .expect("package writes Maven's log");
    assert!(log.contains("[INFO] BUILD SUCCESS"), "{log}");
    assert!(!log.contains('\u{1b}'), "escape codes in the log");

    // Off a terminal: Maven's output streamed as it is, without escape codes; a broken build ends
    // in one line naming the compile error, exit 1.
    let factory =
        project.join("src/main/java/org/example/flink/connector/acme/AcmeDynamicTableFactory.java");
    std::fs::write(&factory, "this is not java").unwrap();
    let out = run_in(&project, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("[INFO] Building jar") || err.contains("[INFO] BUILD FAILURE"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "escape codes in streamed output:\n{err}"
    );
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: mvn package failed: compilation failed: src/main/java/")
            && last.contains("AcmeDynamicTableFactory.java:[1,1]")
            && last.contains("cargo-flink-connector-maven.log"),
        "{last}"
    );
}

/// `package` with Maven pointed (through a temporary settings file, as a user's ~/.m2/settings.xml
/// would) at a mirror it cannot use, and an empty local repository: exit 1 and one last line that
/// names the artifact and the cause.
fn package_through_mirror(mirror_url: &str) -> (String, String) {
    let (tmp, project) = generate("acme", &["--flink", "2.2"]);
    let settings = tmp.path().join("settings.xml");
    std::fs::write(
        &settings,
        format!(
            "<settings><mirrors><mirror><id>company-mirror</id><mirrorOf>*</mirrorOf>\
             <url>{mirror_url}</url></mirror></mirrors></settings>\n"
        ),
    )
    .unwrap();
    let repo = tmp.path().join("empty-local-repository");
    let out = run_in(
        &project,
        &[
            "package",
            "--",
            "-s",
            settings.to_str().unwrap(),
            &format!("-Dmaven.repo.local={}", repo.display()),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "escape codes:\n{err}");
    let log = std::fs::read_to_string(project.join("target/cargo-flink-connector-maven.log"))
        .expect("the log is written even when nothing resolves");
    assert!(!log.contains('\u{1b}'), "escape codes in the log");
    assert!(log.contains("[ERROR]"), "{log}");
    let last = err.lines().last().unwrap_or_default().to_string();
    (last, err)
}

#[test]
fn package_with_an_unreachable_mirror_ends_in_one_clear_line() {
    if !require_command("mvn") {
        return;
    }
    // A loopback port nobody listens on: what a cut network or a dead mirror looks like.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (last, err) = package_through_mirror(&format!("http://127.0.0.1:{port}/maven2"));
    assert!(
        last.starts_with(
            "error: mvn package failed: cannot download org.apache.maven.plugins:maven-"
        ) && last.contains(&format!(
            "from company-mirror (http://127.0.0.1:{port}/maven2)"
        )) && last.contains("Connection refused")
            && last.contains("offline")
            && last.contains("mirror or proxy in ~/.m2/settings.xml"),
        "{last}\n--- all of stderr:\n{err}"
    );
}

#[test]
fn package_with_a_mirror_that_lacks_an_artifact_says_so() {
    if !require_command("mvn") {
        return;
    }
    let empty = tempfile::tempdir().unwrap();
    let url = format!("file://{}", empty.path().display());
    let (last, err) = package_through_mirror(&url);
    assert!(
        last.starts_with("error: mvn package failed: org.apache.maven.plugins:maven-")
            && last.contains(&format!("is not in company-mirror ({url})"))
            && last.contains("a mirror that lacks it"),
        "{last}\n--- all of stderr:\n{err}"
    );
}

/// What Apache's connectors hold their tests to, on the rendered sources of both presets and
/// every capability subset: JUnit 5 with AssertJ (no JUnit 4 test API, no JUnit 5 `Assertions`),
/// and every `*ITCase` registers the shared MiniCluster as a static extension field.
#[test]
fn generated_tests_are_junit5_with_assertj_and_itcases_share_a_minicluster() {
    let mut renders = vec![generate("redis", &[])];
    for caps in ["scan", "lookup", "sink", "scan,lookup,sink"] {
        renders.push(generate("acme", &["--capabilities", caps]));
    }
    for (_tmp, project) in &renders {
        let mut itcases = 0;
        for file in walkdir::WalkDir::new(project.join("src/test/java"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "java"))
        {
            let path = file.path();
            let text = std::fs::read_to_string(path).unwrap();
            for banned in [
                "import org.junit.Test",
                "import org.junit.Assert",
                "import static org.junit.Assert",
                "org.junit.jupiter.api.Assertions",
            ] {
                assert!(!text.contains(banned), "{}: {banned}", path.display());
            }
            if text.contains("@Test") {
                assert!(
                    text.contains("import static org.assertj.core.api.Assertions."),
                    "{}: no AssertJ",
                    path.display()
                );
            }
            let name = path.file_stem().unwrap().to_string_lossy();
            if name.ends_with("ITCase") {
                itcases += 1;
                assert!(
                    text.contains(
                        "@RegisterExtension\n    static final MiniClusterExtension MINI_CLUSTER = "
                    ),
                    "{}: no shared MiniClusterExtension",
                    path.display()
                );
            } else {
                // A test class that runs jobs without the shared cluster fails at run time (the
                // test environment refuses); a unit test must not ask for one.
                assert!(
                    !text.contains("TestEnvironment.tableEnvironment("),
                    "{}: runs jobs but is no ITCase",
                    path.display()
                );
            }
        }
        assert!(itcases >= 1, "{}: no ITCase", project.display());
    }
}

/// Each architecture rule fails the build on the mistake it is there for (one per rule, in one
/// project): a Flink-facing class without a stability annotation, a call to another class's
/// `@VisibleForTesting` method, a non-public option, an ITCase without the shared MiniCluster, a
/// JUnit 4 import; the unchanged project passes them (the Maven build tests above).
#[test]
fn architecture_tests_fail_on_each_rules_mistake() {
    if !require_command("java") || !require_command("mvn") {
        return;
    }
    let (_tmp, project) = generate("acme", &["--flink", "1.20"]);
    let main = project.join("src/main/java/org/example/flink/connector/acme");
    let test = project.join("src/test/java/org/example/flink/connector/acme");
    let edit = |path: PathBuf, from: &str, to: &str| {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{}: {from}", path.display());
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        main.join("AcmeDynamicTableFactory.java"),
        "@Internal\npublic class",
        "public class",
    );
    edit(
        main.join("AcmeSplit.java"),
        "public final class AcmeSplit implements SourceSplit {",
        "public final class AcmeSplit implements SourceSplit {\n    @org.apache.flink.annotation.VisibleForTesting\n    public static void hook() {}",
    );
    edit(
        main.join("AcmeSplitState.java"),
        "public final class AcmeSplitState {",
        "public final class AcmeSplitState {\n    static { AcmeSplit.hook(); }",
    );
    edit(
        main.join("AcmeOptions.java"),
        "public static final ConfigOption",
        "static final ConfigOption",
    );
    edit(
        test.join("AcmeConnectorITCase.java"),
        "    @RegisterExtension\n    static final MiniClusterExtension",
        "    static final MiniClusterExtension",
    );
    edit(
        test.join("AcmeConnectorITCase.java"),
        "    private TableEnvironment tEnv;",
        "    private TableEnvironment tEnv;\n    private final Object junit4 = org.junit.Assert.class;",
    );
    let _guard = heavy();
    let out = std::process::Command::new("mvn")
        .current_dir(&project)
        .args([
            "-B",
            "-Dstyle.color=never",
            "test",
            "-Dtest=*ArchitectureTest",
        ])
        .output()
        .expect("run mvn");
    let text = stdout(&out);
    assert!(!out.status.success(), "{}", tail(&out, 60));
    for (rule, culprit) in [
        (
            "should have at least one API visibility annotation",
            "AcmeDynamicTableFactory",
        ),
        (
            "must not call methods annotated with @VisibleForTesting",
            "AcmeSplit.hook()",
        ),
        (
            "should reside in a consistent package and be public API",
            "AcmeOptions.NAMESPACE",
        ),
        (
            "ITCASE tests should use a MiniCluster resource or extension",
            "AcmeConnectorITCase does not register",
        ),
        ("not JUnit 4", "org.junit.Assert"),
    ] {
        let violated = text
            .split("Architecture Violation")
            .any(|v| v.contains(rule) && v.contains("was violated") && v.contains(culprit));
        assert!(
            violated,
            "rule '{rule}' did not name {culprit}:\n{}",
            tail(&out, 80)
        );
    }
    assert!(
        text.contains("Tests run: 5, Failures: 5"),
        "{}",
        tail(&out, 40)
    );
}
