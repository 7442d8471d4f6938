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

/// The project's files (relative path → bytes), without the manifest.
fn tree(project: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = files_under(project);
    files.remove("connector.toml");
    // The tool's own bookkeeping (lock, journal) is not part of the rendered tree.
    files.retain(|k, _| {
        !k.starts_with("target/")
            && !k.starts_with(".flink-connector/lock")
            && !k.starts_with(".flink-connector/journal")
    });
    files
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
        manifest.contains("version = \"1.20.")
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
        pom.contains("<flink.version>1.20.")
            && pom.contains("<flink.line>1.20</flink.line>")
            && pom.contains("<flink.version>2.2.1</flink.version>")
            && pom.contains("build-helper-maven-plugin")
            && pom.contains("<version>${revision}</version>")
            && pom.contains("<revision>0.1.0-1.17-SNAPSHOT</revision>")
            && pom.contains("flatten-maven-plugin"),
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
    assert_no_drift(&project, &[]);
    // generate --check covers every line's sources.
    let sink_2_2 = format!("src/main/java-flink-2.2/{PKG}/AcmeSink.java");
    std::fs::write(project.join(&sink_2_2), sink("2.2") + "// edited\n").unwrap();
    let out = run_in(&project, &["generate", "--check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains(&sink_2_2), "{said}");
}

#[test]
fn a_single_line_project_has_no_line_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "2.2"]);
    let files = tree(&project);
    assert!(
        files.keys().all(|k| !k.contains("java-flink-")),
        "{:?}",
        files.keys()
    );
    // Its CI workflow is a one-line matrix building with plain `package`.
    let ci = read(&project.join(".github/workflows/ci.yml"));
    assert!(ci.contains("line: [\"2.2\"]"), "{ci}");
    assert!(ci.contains("path: target/*.jar"), "{ci}");
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
    assert_no_drift(&project, &[]);

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
    assert_no_drift(&project, &[]);
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

/// actionlint (Go module proxy, installed by scripts/provision) accepts the generated workflow of
/// a multi-line and of a single-line project; both check for drift and install the tool from a
/// pinned git revision when the variables are set.
#[test]
fn the_generated_ci_workflow_passes_actionlint() {
    let actionlint = find_actionlint();
    if !require("actionlint", actionlint.is_some()) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("single")).unwrap();
    let single = new_project(&tmp.path().join("single"), "acme", &["--flink", "1.20"]);
    let project = new_project(tmp.path(), "redis", &["--flink", "1.17,1.20,2.0,2.2"]);
    for dir in [&single, &project] {
        let out = Command::new(actionlint.as_ref().unwrap())
            .current_dir(dir)
            .arg("-no-color")
            .arg(".github/workflows/ci.yml")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "actionlint {}:\n{}{}",
            dir.display(),
            stdout(&out),
            stderr(&out)
        );
        let ci = read(&dir.join(".github/workflows/ci.yml"));
        assert!(
            ci.contains("run: cargo flink-connector generate --check")
                && ci.contains("cargo install --locked --git \"$TOOL_GIT\" ${TOOL_REV:+--rev \"$TOOL_REV\"} cargo-flink-connector")
                && ci.contains("vars.CARGO_FLINK_CONNECTOR_REV")
                && ci.contains("--format sarif > audit.sarif"),
            "{ci}"
        );
    }
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
        let jar = format!("target/flink-{line}/flink-connector-acme-0.1.0-{line}-SNAPSHOT.jar");
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
        // Each line's jar has its own upload metadata beside it, read from that jar.
        let meta = read(&project.join(format!("target/flink-{line}/connector-meta.yaml")));
        assert!(
            meta.contains(&format!("{line}-SNAPSHOT.jar")) && meta.contains("  type: acme\n"),
            "{meta}"
        );
        assert!(project
            .join(format!(
                "target/flink-{line}/flink-connector-acme-options.md"
            ))
            .is_file());
        assert!(
            progress.contains(&format!("── Flink {line} (")),
            "progress names the line: {progress}"
        );
    }
    assert!(
        // Off a terminal Maven's own log is streamed; each line's surefire run is in it.
        progress.contains("maven-surefire-plugin") && progress.contains("Tests run:"),
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
                "flink-connector-acme-0.1.0-1.17-SNAPSHOT.jar".into(),
                "flink-1.17".into()
            ),
            (
                "flink-connector-acme-0.1.0-2.2-SNAPSHOT.jar".into(),
                "flink-2.2.1".into()
            ),
        ],
        "{json:#}"
    );

    // Plain Maven builds the primary line (2.2, the newest listed) into its own directory.
    let primary_jar = project.join("target/flink-2.2/flink-connector-acme-0.1.0-2.2-SNAPSHOT.jar");
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

// ------------------------------------------------------------------------------------------------
// The proof: real Maven per line, the generated tests green, and SQL in that line's MiniCluster
// (Flink's own lib/ from PyPI) loading the jar built for that line with ADD JAR.

/// Lines pinned to patches Maven Central serves completely (1.20.4+, 2.0.1+, 2.1.2+ lack artifacts
/// there; see notes of issue 8), so the proof builds whatever a bare line means.
const PROOF_ALL: &str = "1.17,1.18,1.19,1.20.3,2.0.0,2.1.1,2.2,2.3";
const PROOF_BLANK: &str = "1.17,1.20.3,2.0.0,2.2";
const PROOF_DEFAULT: &str = "1.17,2.2";
const REDIS_PASSWORD: &str = "123456";
const JAVA17_OPENS: &[&str] = &[
    "java.lang",
    "java.net",
    "java.io",
    "java.nio",
    "sun.nio.ch",
    "java.lang.reflect",
    "java.text",
    "java.time",
    "java.util",
    "java.util.concurrent",
    "java.util.concurrent.atomic",
    "java.util.concurrent.locks",
];

/// The proof's lines: every line with `FLINK_MVN_LINES=all`, the listed ones with a list
/// (`FLINK_MVN_LINES=2.3`), else `default` (`None`: not run by default).
fn proof_lines(all: &str, default: Option<&str>) -> Option<String> {
    match std::env::var("FLINK_MVN_LINES") {
        Ok(v) if v == "all" => Some(all.to_string()),
        Ok(v) if !v.trim().is_empty() => Some(v),
        _ => default.map(str::to_string),
    }
}

#[test]
fn proof_redis_every_line_builds_tests_and_runs_the_example_sql_against_redis_server() {
    let lines = proof_lines(PROOF_ALL, Some(PROOF_DEFAULT)).unwrap();
    proof("redis", &lines);
}

#[test]
fn proof_blank_builds_tests_and_runs_sql_on_four_lines() {
    let Some(lines) = proof_lines(PROOF_BLANK, None) else {
        eprintln!("SKIPPED: FLINK_MVN_LINES=all runs this (the default suite proves acme on two lines in package_builds_…)");
        return;
    };
    proof("acme", &lines);
}

fn proof(preset: &str, lines: &str) {
    let mut needs = vec!["java", "javac", "mvn"];
    if preset == "redis" {
        needs.push("redis-server");
    }
    if !needs.into_iter().all(require_command) {
        return;
    }
    let started = std::time::Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), preset, &["--flink", lines]);
    let line_names: Vec<String> = lines
        .split(',')
        .map(|l| l.split('.').take(2).collect::<Vec<_>>().join("."))
        .collect();
    let libs: Vec<PathBuf> = line_names
        .iter()
        .map(|line| {
            let version = FLINK_VERSIONS
                .iter()
                .find(|v| v.starts_with(&format!("{line}.")))
                .unwrap();
            flink_lib(version)
        })
        .collect::<Option<_>>()
        .unwrap_or_default();
    if libs.len() != line_names.len() {
        return;
    }
    let package = {
        let _guard = heavy();
        run_in(&project, &["package"])
    };
    let report = stdout(&package);
    assert_eq!(
        package.status.code(),
        Some(0),
        "{report}{}",
        stderr(&package)
    );
    let built = started.elapsed();
    let server = (preset == "redis").then(RedisServer::start);
    let artifact = format!("flink-connector-{preset}");
    for (line, lib) in line_names.iter().zip(&libs) {
        let row = table_row(&report, line);
        assert!(row.ends_with("ok"), "{report}");
        let (passed, failed) =
            surefire_totals(&project.join(format!("target/flink-{line}/surefire-reports")));
        assert!(
            passed > 0 && failed == 0,
            "{preset} {line}: {passed}/{failed}"
        );
        let jar = project.join(format!(
            "target/flink-{line}/{artifact}-0.1.0-{line}-SNAPSHOT.jar"
        ));
        let sql_started = std::time::Instant::now();
        let probe = probe(
            &tmp.path().join(format!("probe-{line}")),
            lib,
            &jar,
            &|| match &server {
                Some(s) => {
                    s.command("FLUSHALL");
                    redis_statements(s.port)
                }
                None => blank_statements(),
            },
        );
        match &server {
            Some(s) => {
                let mut joined = probe.rows_of(5);
                joined.sort();
                assert_eq!(
                    joined,
                    ["+I[1, Alice, Woman]", "+I[2, Bob, null]"],
                    "{preset} {line}: lookup join\n{}",
                    probe.output
                );
                let ttl: i64 = s.command("TTL 1").trim_start_matches(':').parse().unwrap();
                assert!((1..=60).contains(&ttl), "{line}: TTL of key 1 is {ttl}");
                assert_eq!(s.command("TTL female"), ":-1", "redis_dim has no ttl");
                assert_eq!(s.command("HGET 1 name"), "$5 Alice");
            }
            None => {
                let joined = probe.rows_of(5);
                assert_eq!(joined.len(), 4, "{line}: one row per key\n{}", probe.output);
            }
        }
        eprintln!(
            "proof {preset} Flink {line}: {passed} generated tests passed; SQL on {} with {} in {:.1} s",
            lib.display(),
            jar.file_name().unwrap().to_string_lossy(),
            sql_started.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "proof {preset} on {lines}: package (all lines) {:.0} s, total {:.0} s\n{report}",
        built.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

fn redis_statements(port: u16) -> Vec<String> {
    let with = |extra: &str| {
        format!(
            "'connector'='redis','hostname'='127.0.0.1','port'='{port}','password'='{REDIS_PASSWORD}'{extra}"
        )
    };
    vec![
        format!(
            "CREATE TABLE redis_dim (sex STRING, `desc` STRING, rt AS PROCTIME()) WITH ({})",
            with("")
        ),
        format!(
            "CREATE TABLE redis (id STRING, name STRING, sex STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ({})",
            with(",'ttl'='60'")
        ),
        "INSERT INTO redis VALUES ('1', 'Alice', 'female'), ('2', 'Bob', 'male')".into(),
        "INSERT INTO redis_dim (sex, `desc`) VALUES ('female', 'Woman')".into(),
        "SELECT r.id, r.name, d.`desc` FROM (SELECT *, PROCTIME() AS pt FROM redis) AS r \
         LEFT JOIN redis_dim FOR SYSTEM_TIME AS OF r.pt AS d ON r.sex = d.sex"
            .into(),
    ]
}

/// The blank preset's in-memory client lives per class loader (one per job under ADD JAR), so
/// the proof is the lookup join: discovery, planning, the lookup function on the line's runtime.
fn blank_statements() -> Vec<String> {
    vec![
        "CREATE TABLE gen (id INT, name STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '5', \
         'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '5')"
            .into(),
        "CREATE TABLE t (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'acme', 'namespace' = 'proof')".into(),
        "INSERT INTO t SELECT id, name FROM gen".into(),
        "CREATE TABLE keys (id INT, pt AS PROCTIME()) WITH ('connector' = 'datagen', \
         'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '4', 'number-of-rows' = '4')"
            .into(),
        "SELECT k.id, t.name FROM keys AS k LEFT JOIN t FOR SYSTEM_TIME AS OF k.pt ON k.id = t.id".into(),
    ]
}

struct ProbeRun {
    /// (statement index, row) — index 0 is the ADD JAR.
    rows: Vec<(usize, String)>,
    output: String,
}

impl ProbeRun {
    fn rows_of(&self, step: usize) -> Vec<&str> {
        self.rows
            .iter()
            .filter(|(s, _)| *s == step)
            .map(|(_, r)| r.as_str())
            .collect()
    }
}

/// tests/fixtures/proof/SqlProbe.java, compiled against `lib` and run on `lib/*` with `jar`
/// loaded by ADD JAR; asserts that every statement succeeded.
fn probe(work: &Path, lib: &Path, jar: &Path, statements: &dyn Fn() -> Vec<String>) -> ProbeRun {
    let classes = work.join("probe-classes");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proof/SqlProbe.java");
    javac_sources(&[source], &lib_classpath(lib, &[]), 11, &classes)
        .unwrap_or_else(|e| panic!("SqlProbe on {}: {e}", lib.display()));
    let jvm_tmp = work.join("jvm-tmp");
    std::fs::create_dir_all(&jvm_tmp).unwrap();
    let _guard = heavy();
    let out = Command::new("java")
        .arg(format!("-Djava.io.tmpdir={}", jvm_tmp.display()))
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"])
        // Flink's own JVM flags for Java 17 (1.17's runtime reflects into java.lang).
        .args(
            JAVA17_OPENS
                .iter()
                .map(|p| format!("--add-opens=java.base/{p}=ALL-UNNAMED")),
        )
        .arg("-cp")
        .arg(lib_classpath(lib, &[&classes]))
        .arg("SqlProbe")
        .arg(jar)
        .args(statements())
        .output()
        .expect("run java");
    let text = stdout(&out);
    let output = format!("{text}\n--- stderr (tail) ---\n{}", tail(&out, 30));
    assert!(
        out.status.success() && text.trim_end().ends_with("OK"),
        "SqlProbe on {} with {}:\n{output}",
        lib.display(),
        jar.display()
    );
    let mut step = 0;
    let mut rows = Vec::new();
    for l in text.lines() {
        if let Some(rest) = l.strip_prefix("STEP ") {
            step = rest.split(' ').next().unwrap().parse().unwrap();
        } else if let Some(row) = l.strip_prefix("ROW ") {
            rows.push((step, row.to_string()));
        }
    }
    ProbeRun { rows, output }
}

/// A redis-server on a free loopback port with a password, stopped by its PID.
struct RedisServer {
    port: u16,
    dir: tempfile::TempDir,
}

impl RedisServer {
    fn start() -> RedisServer {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pidfile = dir.path().join("redis.pid");
        let status = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "yes"])
            .args(["--requirepass", REDIS_PASSWORD, "--dir"])
            .arg(dir.path())
            .arg("--pidfile")
            .arg(&pidfile)
            .status()
            .unwrap();
        assert!(status.success());
        let server = RedisServer { port, dir };
        for _ in 0..100 {
            if pidfile.is_file() && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                assert_eq!(server.command("PING"), "+PONG");
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("redis-server did not start on port {port}");
    }

    /// One inline command after AUTH; the reply's first line (a bulk string's payload appended).
    fn command(&self, command: &str) -> String {
        use std::io::{BufRead, BufReader, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "AUTH {REDIS_PASSWORD}\r\n{command}\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert_eq!(line.trim_end(), "+OK", "AUTH");
        line.clear();
        reader.read_line(&mut line).unwrap();
        let mut reply = line.trim_end().to_string();
        if reply.starts_with('$') && reply != "$-1" {
            line.clear();
            reader.read_line(&mut line).unwrap();
            reply = format!("{reply} {}", line.trim_end());
        }
        reply
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.path().join("redis.pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
    }
}

/// `mvn ARGS…` in `dir`, batch mode, no colours (the tests read the log).
fn mvn_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("mvn")
        .current_dir(dir)
        .args(["-B", "-ntp", "-Dstyle.color=never"])
        .args(args)
        .output()
        .expect("run mvn")
}

/// A Maven project that depends on `group:artifact:version` from the file repository `repo`
/// only, and compiles a class naming the connector's factory at Java `release`.
fn consumer_project(dir: &Path, repo: &Path, gav: (&str, &str, &str), release: u8) {
    let (group, artifact, version) = gav;
    let src = dir.join("src/main/java/consumer");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("UsesConnector.java"),
        "package consumer;\n\npublic class UsesConnector {\n    \
         public static final Class<?> FACTORY = org.example.flink.connector.acme.AcmeDynamicTableFactory.class;\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("pom.xml"),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>consumer</groupId>
  <artifactId>uses-connector</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>{release}</maven.compiler.release>
  </properties>
  <repositories>
    <repository>
      <id>deploy-proof</id>
      <url>file://{repo}</url>
    </repository>
  </repositories>
  <dependencies>
    <dependency>
      <groupId>{group}</groupId>
      <artifactId>{artifact}</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.5.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.16.0</version>
      </plugin>
    </plugins>
  </build>
</project>
"#,
            repo = repo.display()
        ),
    )
    .unwrap();
}

/// Apache's per-line coordinates, end to end: each line of a multi-line project deploys its own
/// `<version>-<line>` to a real file:// repository (nothing installed locally), and another Maven
/// project resolves each line by its coordinates alone — the 1.17 jar (Java 8 classes, compiled
/// against at release 8, which a Java 11 class would fail), the 2.2 jar (Java 11 classes), each
/// with a consumer POM that names that line's Flink; an undeployed line does not resolve.
#[test]
fn each_line_deploys_its_own_coordinates_and_a_consumer_resolves_each() {
    if !require_command("java") || !require_command("mvn") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // A group no other build installs: the consumer can only find it in the deployed repository.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let group = format!("org.example.deployproof{}x{nanos}", std::process::id());
    let project = new_project(
        tmp.path(),
        "acme",
        &[
            "--flink",
            "1.17,2.2",
            "--group-id",
            &group,
            "--package",
            "org.example.flink.connector.acme",
        ],
    );
    let repo = tmp.path().join("repository");
    let _guard = heavy();
    for line in ["1.17", "2.2"] {
        let out = mvn_in(
            &project,
            &[
                &format!("-Pflink-{line}"),
                "-DskipTests",
                "-Dmaven.install.skip=true",
                &format!(
                    "-DaltDeploymentRepository=deploy-proof::file://{}",
                    repo.display()
                ),
                "deploy",
            ],
        );
        assert!(out.status.success(), "deploy {line}:\n{}", tail(&out, 40));
    }
    let artifact_dir = repo
        .join(group.replace('.', "/"))
        .join("flink-connector-acme");
    let mut deployed: Vec<String> = std::fs::read_dir(&artifact_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    deployed.sort();
    assert_eq!(deployed, ["0.1.0-1.17-SNAPSHOT", "0.1.0-2.2-SNAPSHOT"]);

    let mut local_group = LocalGroup(None);
    for (line, release, major, flink) in [("1.17", 8, 52, "1.17.2"), ("2.2", 11, 55, "2.2.1")] {
        let version = format!("0.1.0-{line}-SNAPSHOT");
        let consumer = tmp.path().join(format!("consumer-{line}"));
        consumer_project(
            &consumer,
            &repo,
            (&group, "flink-connector-acme", &version),
            release,
        );
        let out = mvn_in(
            &consumer,
            &[
                "compile",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list",
                "-DoutputAbsoluteArtifactFilename=true",
                &format!("-DincludeGroupIds={group}"),
            ],
        );
        let log = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            out.status.success(),
            "consumer of {version}:\n{}",
            tail(&out, 40)
        );
        let jar = log
            .lines()
            .find_map(|l| {
                let at = l.find(&format!("{group}:flink-connector-acme:jar:{version}"))?;
                l[at..]
                    .split(':')
                    .next_back()
                    .map(|p| PathBuf::from(p.trim().split(" -- ").next().unwrap()))
            })
            .unwrap_or_else(|| panic!("the consumer did not resolve {version}:\n{log}"));
        assert!(jar.is_file(), "{}", jar.display());
        let class = format!("{PKG}/AcmeDynamicTableFactory.class");
        assert_eq!(jar_class_major(&jar, &class), major, "{}", jar.display());
        // The POM a consumer reads is that line's: its version, that line's Flink, no profiles.
        let pom = read(&jar.with_extension("pom"));
        assert!(
            pom.contains(&format!("<version>{version}</version>"))
                && pom.contains(&format!("<version>{flink}</version>"))
                && !pom.contains("${")
                && !pom.contains("<profiles>"),
            "{pom}"
        );
        // jar → version → artifact → group directory in the local repository.
        let group_dir = jar.ancestors().nth(3).unwrap().to_path_buf();
        assert!(group_dir.ends_with(group.rsplit('.').next().unwrap()));
        local_group.0 = Some(group_dir);
    }

    // A line that was never deployed is not there to resolve.
    let consumer = tmp.path().join("consumer-1.20");
    consumer_project(
        &consumer,
        &repo,
        (&group, "flink-connector-acme", "0.1.0-1.20-SNAPSHOT"),
        8,
    );
    let out = mvn_in(&consumer, &["compile"]);
    assert!(!out.status.success(), "an undeployed line resolved");
    assert!(
        stdout(&out).contains("0.1.0-1.20-SNAPSHOT"),
        "{}",
        tail(&out, 20)
    );
}

/// Removes a test's unique group from the shared local repository, pass or fail.
struct LocalGroup(Option<PathBuf>);

impl Drop for LocalGroup {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The docs in Apache's connector layout (`docs/content/docs/connectors/table/<name>.md`,
/// `docs/data/<name>.yml`) follow the manifest: an option added with `option add` appears in the
/// options table with its type and default, a line added with `line add` in the compatibility
/// list and the per-line coordinates, and a hand edit is drift that `generate --check --strict`
/// reports by path.
#[test]
fn the_docs_in_apaches_layout_follow_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20"]);
    let page_path = "docs/content/docs/connectors/table/acme.md";
    let data_path = "docs/data/acme.yml";
    let out = support::add_page_size_option(&project);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&project.join(page_path));
    assert!(page.starts_with("---\n# Managed:"), "{page}");
    assert!(
        page.contains("| `scan.page-size` | optional | no | `500` | Integer | Rows per page |")
            && page.contains("| `sink.max-retries` | optional | no |")
            && page.contains("'connector' = 'acme'")
            && page.contains("`org.example:flink-connector-acme:0.1.0-SNAPSHOT`"),
        "{page}"
    );
    let data = read(&project.join(data_path));
    assert!(
        data.contains("version: 0.1.0-SNAPSHOT\nflink_compatibility: [\"1.20\"]\n")
            && data.contains("  - maven: flink-connector-acme\n"),
        "{data}"
    );

    let out = run_in(&project, &["line", "add", "2.2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let data = read(&project.join(data_path));
    assert!(
        data.contains("flink_compatibility: [\"1.20\", \"2.2\"]"),
        "{data}"
    );
    let page = read(&project.join(page_path));
    assert!(
        page.contains("| 2.2 | `org.example:flink-connector-acme:0.1.0-2.2-SNAPSHOT` |")
            && page.contains("| 1.20 | `org.example:flink-connector-acme:0.1.0-1.20-SNAPSHOT` |"),
        "{page}"
    );
    assert_no_drift(&project, &["--strict"]);

    std::fs::write(
        project.join(page_path),
        page.replace("Rows per page", "Rows"),
    )
    .unwrap();
    let out = run_in(&project, &["generate", "--check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains(page_path), "{said}");
}
