//! Multi-line projects (`[flink] lines`): one source tree, one jar per Flink line.
//!
//! Fast tests: the layout `new --flink A,B` renders, the manifest's errors, `line add|remove`,
//! every line compiling with javac, the CI workflow passing actionlint. Maven tests: `package`
//! builds, tests and audits each line with real Maven and ends with the table; `check .` audits
//! each jar against its line. The proof (`FLINK_MVN_LINES=all`): the redis preset on all eight
//! lines and the blank preset on four, each jar's generated tests green and the Redis example's
//! SQL run against a real redis-server in that line's MiniCluster, loading that line's jar.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

const PKG: &str = "org/example/flink/connector/acme";
const ALL_LINES: [&str; 8] = ["1.17", "1.18", "1.19", "1.20", "2.0", "2.1", "2.2", "2.3"];

/// `FLINK_MVN_LINES=all`: the long runs (every line) instead of the CI-sized ones.
fn all_lines() -> bool {
    std::env::var("FLINK_MVN_LINES").as_deref() == Ok("all")
}

fn new_project(tmp: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let mut args = vec!["new", name, "--dir", "project"];
    args.extend_from_slice(extra);
    let out = run_in(tmp, &args);
    assert!(out.status.success(), "new {args:?}: {}", stderr(&out));
    tmp.join("project")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The project's files (relative path → bytes), without the manifest.
fn tree(project: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = files_under(project);
    files.remove("connector.toml");
    files.retain(|k, _| !k.starts_with("target/"));
    files
}

fn assert_no_drift(project: &Path) {
    let out = run_in(project, &["generate", "--check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

fn sources_under(project: &Path, root: &str) -> Vec<String> {
    let dir = project.join(root);
    files_under(&dir).into_keys().collect()
}

#[test]
fn several_lines_share_the_sources_that_agree_and_split_the_ones_that_differ() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "2.2,1.17,1.20"]);
    let manifest = read(&project.join("connector.toml"));
    assert!(
        manifest.contains("version = \"1.20.5\"")
            && manifest.contains("lines = [\"1.17\", \"1.20\", \"2.2\"]"),
        "{manifest}"
    );
    let shared = sources_under(&project, "src/main/java");
    let lines = ["1.17", "1.20", "2.2"];
    let per_line: Vec<Vec<String>> = lines
        .iter()
        .map(|l| sources_under(&project, &format!("src/main/java-flink-{l}")))
        .collect();
    // The Sink's createWriter differs on each of these lines; the factory and table source
    // differ between 1.17 (no scan.parallelism) and the others.
    for (line, files) in lines.iter().zip(&per_line) {
        for class in [
            "AcmeSink",
            "AcmeDynamicTableFactory",
            "AcmeDynamicTableSource",
        ] {
            let path = format!("{PKG}/{class}.java");
            assert!(files.contains(&path), "{line}: {files:?}");
            assert!(!shared.contains(&path), "{path} is also shared");
        }
        assert_eq!(
            files, &per_line[0],
            "every line has the same per-line classes"
        );
    }
    // Owned code and the classes whose API did not change are shared, once.
    for class in ["AcmeClient", "AcmeOptions", "AcmeSinkWriter", "AcmeSource"] {
        assert!(
            shared.contains(&format!("{PKG}/{class}.java")),
            "{shared:?}"
        );
    }
    let sink =
        |line: &str| read(&project.join(format!("src/main/java-flink-{line}/{PKG}/AcmeSink.java")));
    assert!(
        sink("1.17").contains("createWriter(InitContext")
            && !sink("1.17").contains("WriterInitContext")
    );
    assert!(sink("2.2").contains("WriterInitContext") && !sink("2.2").contains("Sink.InitContext"));
    let pom = read(&project.join("pom.xml"));
    for line in lines {
        assert!(pom.contains(&format!("<id>flink-{line}</id>")), "{pom}");
    }
    assert!(
        pom.contains("<flink.version>1.20.5</flink.version>")
            && pom.contains("<flink.line>1.20</flink.line>")
            && pom.contains("<flink.version>2.2.1</flink.version>")
            && pom.contains("build-helper-maven-plugin")
            && pom.contains("${project.artifactId}-${project.version}-${flink.line}"),
        "{pom}"
    );
    let readme = read(&project.join("README.md"));
    assert!(
        readme.contains("## Flink lines") && readme.contains("`mvn -Pflink-2.2 package`"),
        "{readme}"
    );
    let ci = read(&project.join(".github/workflows/ci.yml"));
    assert!(
        ci.contains("line: [\"1.17\",\"1.20\",\"2.2\"]") && ci.contains("${{ matrix.line }}"),
        "{ci}"
    );
    assert_no_drift(&project);
}

#[test]
fn a_single_line_project_has_no_line_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "2.2"]);
    let files = tree(&project);
    assert!(
        files
            .keys()
            .all(|k| !k.contains("java-flink-") && !k.starts_with(".github")),
        "{:?}",
        files.keys()
    );
    let pom = read(&project.join("pom.xml"));
    assert!(
        !pom.contains("flink.line") && !pom.contains("<finalName>"),
        "{pom}"
    );
    assert!(!read(&project.join("connector.toml")).contains("lines"));
}

#[test]
fn adding_and_removing_lines_moves_sources_and_the_last_removal_restores_the_single_line_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20"]);
    let single = tree(&project);
    std::fs::create_dir(tmp.path().join("twin")).unwrap();
    let twin = new_project(&tmp.path().join("twin"), "acme", &["--flink", "1.20,2.2"]);

    let out = run_in(&project, &["line", "add", "2.2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&project.join("connector.toml")).contains("lines = [\"1.20\", \"2.2\"]"));
    assert_eq!(
        tree(&project),
        tree(&twin),
        "line add = new with both lines"
    );
    assert_no_drift(&project);

    let out = run_in(&project, &["line", "add", "1.17"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(project
        .join(format!("src/main/java-flink-1.17/{PKG}/AcmeSink.java"))
        .is_file());
    assert!(read(&project.join("connector.toml")).contains("lines = [\"1.17\", \"1.20\", \"2.2\"]"));

    for (args, message) in [
        (&["line", "add", "2.2"][..], "already a line"),
        (&["line", "add", "1.16"][..], "unknown Flink version '1.16'"),
        (&["line", "remove", "1.20"][..], "is the primary line"),
        (
            &["line", "remove", "2.1"][..],
            "is not a line of this project",
        ),
    ] {
        let before = read(&project.join("connector.toml"));
        let out = run_in(&project, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert_eq!(read(&project.join("connector.toml")), before);
    }

    for line in ["1.17", "2.2"] {
        let out = run_in(&project, &["line", "remove", line]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(!read(&project.join("connector.toml")).contains("lines"));
    assert_eq!(
        tree(&project),
        single,
        "back to one line, the project is byte for byte a single-line one"
    );
    assert_no_drift(&project);
}

#[test]
fn bad_line_lists_are_refused_with_their_position() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20,2.2"]);
    let manifest = project.join("connector.toml");
    let good = read(&manifest);
    for (lines, needle) in [
        (
            r#"lines = ["1.20", "1.16"]"#,
            "connector.toml:20:18: [flink] lines: unknown Flink version '1.16'",
        ),
        (
            r#"lines = ["1.20", "2.2", "2.2.0"]"#,
            "connector.toml:20:25: [flink] lines: Flink line 2.2 is listed twice",
        ),
        (
            r#"lines = ["1.17", "2.2"]"#,
            "connector.toml:20:9: [flink] lines: must include the primary line 1.20",
        ),
        (r#"lines = []"#, "lists no Flink line"),
        (r#"lines = "2.2""#, "invalid type"),
    ] {
        let text = good.replace(r#"lines = ["1.20", "2.2"]"#, lines);
        assert_ne!(text, good);
        std::fs::write(&manifest, &text).unwrap();
        let out = run_in(&project, &["generate"]);
        assert_eq!(out.status.code(), Some(2), "{lines}");
        let err = stderr(&out);
        assert!(err.contains(needle), "{lines}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    let out = run_in(
        tmp.path(),
        &["new", "x", "--dir", "x", "--flink", "1.20,1.20"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("listed twice"), "{}", stderr(&out));
    assert!(!tmp.path().join("x").exists());
}

/// javac over the shared sources plus one line's root, at the line's Java release, against the
/// line's Flink jars: each line's source set compiles (no Maven needed).
fn compile_lines(preset: &str, lines: &[&str]) {
    if !require_command("javac") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), preset, &["--flink", &lines.join(",")]);
    for line in lines {
        let version = FLINK_VERSIONS
            .iter()
            .find(|v| v.starts_with(&format!("{line}.")))
            .unwrap();
        let Some(lib) = flink_lib(version) else {
            return;
        };
        let mut sources = java_sources(&project.join("src/main/java"));
        sources.extend(java_sources(
            &project.join(format!("src/main/java-flink-{line}")),
        ));
        let release = if line.starts_with("1.") { 8 } else { 11 };
        let out = project.join(format!("target/javac-{line}"));
        if let Err(e) = javac_sources(&sources, &lib_classpath(&lib, &[]), release, &out) {
            panic!("{preset} on Flink {line} does not compile:\n{e}");
        }
    }
}

#[test]
fn every_line_of_a_multi_line_project_compiles_against_its_flink() {
    if all_lines() {
        compile_lines("acme", &ALL_LINES);
        compile_lines("redis", &ALL_LINES);
    } else {
        compile_lines("acme", &["1.17", "1.20", "2.2"]);
        compile_lines("redis", &["1.18", "2.3"]);
    }
}

/// actionlint (Go module proxy, installed by scripts/provision) accepts the generated workflow.
#[test]
fn the_generated_ci_workflow_passes_actionlint() {
    let actionlint = find_actionlint();
    if !require("actionlint", actionlint.is_some()) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "redis", &["--flink", "1.17,1.20,2.0,2.2"]);
    let out = Command::new(actionlint.unwrap())
        .current_dir(&project)
        .arg("-no-color")
        .arg(".github/workflows/ci.yml")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    // And it does find mistakes: a broken expression fails.
    let ci = project.join(".github/workflows/ci.yml");
    std::fs::write(&ci, read(&ci).replace("matrix.line }}", "matrix.lines }}")).unwrap();
    let out = Command::new(find_actionlint().unwrap())
        .current_dir(&project)
        .args(["-no-color", ".github/workflows/ci.yml"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "actionlint accepted matrix.lines");
}

fn find_actionlint() -> Option<PathBuf> {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let gopath = std::env::var_os("GOPATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join("go"));
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .chain([gopath.join("bin")])
        .map(|d| d.join("actionlint"))
        .find(|p| p.is_file())
}

/// `mvn -B -ntp ARGS… package` in `project` (the user's plain Maven, Maven Central).
fn mvn(project: &Path, args: &[&str]) -> std::process::Output {
    Command::new("mvn")
        .current_dir(project)
        .args(["-B", "-ntp"])
        .args(args)
        .arg("package")
        .output()
        .expect("run mvn")
}

/// Class-file major version of the first class of `package_dir` in a jar.
fn jar_class_major(jar: &Path, class: &str) -> u16 {
    let file = std::fs::File::open(jar).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut entry = zip.by_name(class).unwrap();
    let mut header = [0u8; 8];
    std::io::Read::read_exact(&mut entry, &mut header).unwrap();
    u16::from_be_bytes([header[6], header[7]])
}

fn table_row<'a>(report: &'a str, line: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.starts_with(&format!("{line} ")))
        .unwrap_or_else(|| panic!("no row for {line}:\n{report}"))
}

#[test]
fn package_builds_tests_and_audits_every_line_and_ends_with_one_table() {
    if !require_command("java") || !require_command("mvn") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.17,2.2"]);
    let _guard = heavy();
    let out = run_in(&project, &["package"]);
    let (report, progress) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{report}{progress}");
    assert!(report.starts_with("line  jar"), "{report}");
    for (line, major) in [("1.17", 52), ("2.2", 55)] {
        let row = table_row(&report, line);
        let jar = format!("target/flink-{line}/flink-connector-acme-0.1.0-SNAPSHOT-{line}.jar");
        assert!(row.contains(&jar) && row.ends_with("ok"), "{row}");
        assert!(row.contains("0 errors, 0 warnings"), "{row}");
        let tests = surefire_totals(&project.join(format!("target/flink-{line}/surefire-reports")));
        assert!(tests.0 > 0 && tests.1 == 0, "{line}: {tests:?}");
        assert!(
            row.contains(&format!("{} passed, 0 failed", tests.0)),
            "{row}"
        );
        let class = format!("{PKG}/AcmeSink.class");
        assert_eq!(
            jar_class_major(&project.join(&jar), &class),
            major,
            "{line}"
        );
        assert!(project
            .join(format!("target/flink-{line}/audit.sarif"))
            .is_file());
        assert!(
            progress.contains(&format!("── Flink {line} (")),
            "progress names the line: {progress}"
        );
    }
    assert!(
        progress.contains("maven: test (maven-surefire-plugin)"),
        "{progress}"
    );

    // check . audits each built jar against its own line.
    let audit = run_in(&project, &["check", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    assert_eq!(audit.status.code(), Some(0), "{json:#}");
    let targets: Vec<(String, String)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with(".jar"))
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            (name, f["target"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        targets,
        [
            (
                "flink-connector-acme-0.1.0-SNAPSHOT-1.17.jar".into(),
                "flink-1.17".into()
            ),
            (
                "flink-connector-acme-0.1.0-SNAPSHOT-2.2.jar".into(),
                "flink-2.2.1".into()
            ),
        ],
        "{json:#}"
    );

    // Plain Maven builds the primary line (2.2, the newest listed) into its own directory.
    let primary_jar = project.join("target/flink-2.2/flink-connector-acme-0.1.0-SNAPSHOT-2.2.jar");
    std::fs::remove_file(&primary_jar).unwrap();
    let out = mvn(&project, &["-DskipTests"]);
    assert!(out.status.success(), "{}", tail(&out, 40));
    assert!(primary_jar.is_file());

    // Owned code using an API one line lacks fails that line only; the other still runs.
    let client = project.join(format!("src/main/java/{PKG}/AcmeClient.java"));
    let text = read(&client);
    let at = text.rfind('}').unwrap();
    std::fs::write(
        &client,
        format!(
            "{}    static Class<?> legacy() {{ return org.apache.flink.api.connector.sink2.Sink.InitContext.class; }}\n}}\n",
            &text[..at]
        ),
    )
    .unwrap();
    let out = run_in(&project, &["package", "--", "-DskipTests"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}{}", stderr(&out));
    assert!(table_row(&report, "1.17").ends_with("ok"), "{report}");
    let failed = table_row(&report, "2.2");
    assert!(
        failed.contains("FAILED") && failed.contains("target/flink-2.2/maven.log"),
        "{report}"
    );
    let log = read(&project.join("target/flink-2.2/maven.log"));
    assert!(
        log.contains("InitContext"),
        "the compiler names the missing API:\n{log}"
    );
    assert!(
        stderr(&out).contains("failed: Flink 2.2"),
        "{}",
        stderr(&out)
    );

    // --line picks lines; an unlisted one is bad input.
    let out = run_in(&project, &["package", "--line", "2.1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("this project builds Flink 1.17, 2.2"),
        "{}",
        stderr(&out)
    );
}

/// (passed, failed) from Surefire's XML reports, read here independently of the tool.
fn surefire_totals(dir: &Path) -> (u32, u32) {
    let mut passed = 0;
    let mut failed = 0;
    for (name, bytes) in files_under(dir) {
        if !(name.starts_with("TEST-") && name.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let suite = &text[text.find("<testsuite").unwrap()..];
        let suite = &suite[..suite.find('>').unwrap()];
        let attr = |key: &str| -> u32 {
            let start = suite.find(&format!(" {key}=\"")).unwrap() + key.len() + 3;
            suite[start..].split('"').next().unwrap().parse().unwrap()
        };
        let bad = attr("failures") + attr("errors");
        passed += attr("tests") - bad - attr("skipped");
        failed += bad;
    }
    (passed, failed)
}
