//! The `check` and `inspect` commands end to end: exit codes, rule overrides, and all output
//! formats (SARIF validated against the 2.1.0 schema, JUnit parsed as XML, GitHub commands and
//! step summary).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use support::RawZip;

fn tool() -> Command {
    let mut cmd = Command::cargo_bin("cargo-flink-connector").unwrap();
    cmd.env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("CARGO_TERM_COLOR")
        .env("NO_COLOR", "1");
    cmd
}

fn check(args: &[&str], paths: &[&Path]) -> Output {
    tool().arg("check").args(args).args(paths).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A jar without factories, table classes or license files: an error (signature-file) and notes
/// (no-factory: not a SQL connector; license-notice-missing).
fn broken_jar(dir: &Path) -> PathBuf {
    let path = dir.join("broken-1.0.jar");
    let mut zip = RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add("META-INF/BAD.SF", b"x")
        .add("readme.txt", b"hi");
    zip.write_to(&path);
    path
}

#[test]
fn usage_errors_and_unreadable_input_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let not_zip = dir.path().join("not.jar");
    std::fs::write(&not_zip, "plain text").unwrap();
    let jar = broken_jar(dir.path());
    let cases: Vec<(Vec<&str>, &Path, &str)> = vec![
        (vec![], &not_zip, "not a readable ZIP/JAR"),
        (vec![], Path::new("/nonexistent/x.jar"), "no such file"),
        (
            vec!["--target", "flink-1.16"],
            &jar,
            "unknown Flink version",
        ),
        (vec!["--target", "spark-3"], &jar, "unknown --target"),
        (
            vec!["-A", "no-such-rule"],
            &jar,
            "unknown rule 'no-such-rule'",
        ),
        (vec!["--flink-lib", "/nonexistent"], &jar, "not a directory"),
    ];
    for (args, path, expected) in cases {
        let out = check(&args, &[path]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}

#[test]
fn errors_exit_1_and_overrides_change_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let jar = broken_jar(dir.path());
    let out = check(&["--target", "flink-2.2"], &[&jar]);
    assert_eq!(out.status.code(), Some(1));
    let human = text(&out.stdout);
    assert!(
        human.contains("error[signature-file]: META-INF/BAD.SF is a signature file"),
        "{human}"
    );
    assert!(
        human.contains("--> ") && human.contains("broken-1.0.jar!META-INF/BAD.SF"),
        "{human}"
    );
    assert!(human.contains("= help: exclude META-INF/*.SF"), "{human}");
    assert!(
        human.contains("check failed: 1 error, 0 warnings, 2 notes in 1 file"),
        "{human}"
    );
    assert!(!human.contains('\x1b'), "colour on a pipe");

    // Overrides on top of `--target flink-2.2`: -A silences, -W demotes, -D promotes.
    let cases: [(&[&str], i32); 3] = [
        (&["-A", "signature-file", "-W", "no-factory"], 0),
        (
            &[
                "-A",
                "signature-file",
                "-W",
                "no-factory",
                "--deny",
                "warnings",
            ],
            1,
        ),
        (
            &[
                "-A",
                "signature-file",
                "-A",
                "no-factory",
                "-D",
                "license-notice-missing",
            ],
            1,
        ),
    ];
    for (overrides, code) in cases {
        let args: Vec<&str> = ["--target", "flink-2.2"]
            .iter()
            .chain(overrides)
            .copied()
            .collect();
        let out = check(&args, &[&jar]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{overrides:?}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn json_has_the_documented_shape_and_says_what_was_assumed() {
    let dir = tempfile::tempdir().unwrap();
    let jar = broken_jar(dir.path());
    let out = check(&["--format", "json"], &[&jar]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["target"], "flink-1.20");
    let file = &report["files"][0];
    assert!(file["path"].as_str().unwrap().ends_with("broken-1.0.jar"));
    assert!(
        file["notes"][0].as_str().unwrap().contains("assumed 1.20"),
        "{file}"
    );
    let finding = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "signature-file")
        .unwrap();
    for key in ["rule", "severity", "message", "location", "hint"] {
        assert!(finding[key].is_string(), "{key} in {finding}");
    }
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["location"], "META-INF/BAD.SF");
    // One place: no occurrence list; absent values are null, never missing keys.
    assert_eq!(finding["occurrences"], serde_json::json!([]));
    assert!(
        finding["line"].is_null() && file["matrix"].is_null(),
        "{file}"
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({"errors": 1, "warnings": 0, "notes": 2})
    );
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    let jar = broken_jar(dir.path());
    let out = check(&["--target", "vvr-11.1", "--format", "sarif"], &[&jar]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 40);
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "signature-file")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        "signature-file"
    );
    let sarif_path = dir.path().join("out.sarif");
    std::fs::write(&sarif_path, &out.stdout).unwrap();
    let python_ok = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .is_ok_and(|s| s.success());
    if !support::require("python3 with jsonschema", python_ok) {
        return;
    }
    let schema = support::fixture_dir().join("sarif-schema-2.1.0.json");
    let script = "import json,sys,jsonschema\nschema=json.load(open(sys.argv[1]))\njsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.load(open(sys.argv[2])))";
    let validated = Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .arg(&sarif_path)
        .output()
        .unwrap();
    assert!(validated.status.success(), "{}", text(&validated.stderr));
}

#[test]
fn junit_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    let jar = broken_jar(dir.path());
    let junit = check(&["--target", "flink-2.2", "--format", "junit"], &[&jar]);
    let xml = text(&junit.stdout);
    let root = cargo_flink_connector::pom::parse_xml(&xml).unwrap();
    assert_eq!(root.name, "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .into_iter()
        .filter(|e| e.name == "testcase")
        .collect();
    let failed: Vec<_> = cases
        .iter()
        .filter(|c| c.child("failure").is_some())
        .collect();
    // signature-file; no-factory is a note for a jar without table classes.
    assert_eq!(failed.len(), 1, "{xml}");
    assert!(cases.len() > 30);

    let summary = dir.path().join("summary.md");
    let github = tool()
        .args(["check", "--target", "flink-2.2", "--format", "github"])
        .arg(&jar)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(github.status.code(), Some(1));
    let commands = text(&github.stdout);
    assert!(
        commands.lines().any(|l| l.starts_with("::error file=")
            && l.contains("title=signature-file [META-INF/BAD.SF]::")),
        "{commands}"
    );
    assert!(
        commands.lines().any(|l| l.starts_with("::notice file=")
            && l.contains("title=license-notice-missing [META-INF/LICENSE]::")),
        "{commands}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("## Flink connector check failed")
            && md.contains("| error | `signature-file` |"),
        "{md}"
    );
}

#[test]
fn a_project_directory_checks_its_pom_and_built_jars() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("pom.xml"), r#"<project><modelVersion>4.0.0</modelVersion>
  <properties><flink.version>1.20.1</flink.version></properties>
  <dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-common</artifactId><version>${flink.version}</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-planner_2.12</artifactId><version>${flink.version}</version><scope>provided</scope></dependency>
    <dependency><groupId>redis.clients</groupId><artifactId>jedis</artifactId><version>5.0.0</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-connector-base</artifactId><version>${flink.version}</version></dependency>
    <dependency><groupId>org.scala-lang.modules</groupId><artifactId>scala-xml_2.13</artifactId><version>2.1.0</version></dependency>
  </dependencies>
  <build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration><relocations/></configuration>
    <executions><execution><phase>package</phase><goals><goal>shade</goal></goals></execution></executions></plugin></plugins></build>
</project>"#).unwrap();
    std::fs::create_dir(root.join("target")).unwrap();
    broken_jar(&root.join("target"));
    // Relocation is judged from the bundled jars: scala-xml's (and jedis') in a local repository.
    let Some(repo) =
        support::corpus::maven_repo_with(&["org.scala-lang.modules:scala-xml_2.13:2.1.0"])
    else {
        return;
    };
    let out = tool()
        .env(
            "MAVEN_OPTS",
            format!("-Dmaven.repo.local={}", repo.display()),
        )
        .args(["check", "--target", "flink-2.2", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let pom_rules: Vec<&str> = files[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "pom-flink-not-provided",
        "pom-planner-dependency",
        "pom-flink-version-mismatch",
        "pom-shade-no-services-transformer",
        "pom-shade-no-signature-filter",
        "pom-dependency-not-relocated",
        "pom-connector-base-bundled",
        "scala-suffix-mismatch",
    ] {
        assert!(pom_rules.contains(&rule), "{rule} not in {pom_rules:?}");
    }
    let first = &files[1]["findings"][0];
    assert!(
        first["location"].as_str().unwrap().starts_with("pom.xml:"),
        "{first}"
    );
    assert!(first["line"].is_u64());

    // Without --target, the pom's flink.version is the target and says so.
    let inferred = check(&["--format", "json"], &[root]);
    let report: serde_json::Value = serde_json::from_slice(&inferred.stdout).unwrap();
    assert_eq!(report["target"], "flink-1.20.1");
    assert!(
        report["files"][0]["notes"][0]
            .as_str()
            .unwrap()
            .contains("pom.xml flink.version = 1.20.1"),
        "{report}"
    );
}

#[test]
fn inspect_prints_json_yaml_and_markdown() {
    let Some(lib) = support::flink_lib("2.2.1") else {
        return;
    };
    let jar = support::lib_jar(&lib, "flink-connector-files");
    let json = tool().args(["inspect"]).arg(&jar).output().unwrap();
    assert_eq!(json.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let doc = &doc["jars"][0];
    assert!(doc["jar"]
        .as_str()
        .unwrap()
        .ends_with("flink-connector-files-2.2.1.jar"));
    let factory = &doc["factories"][0];
    assert_eq!(
        factory["class"],
        "org.apache.flink.connector.file.table.FileSystemTableFactory"
    );
    assert_eq!(factory["identifier"], "filesystem");
    assert_eq!(
        factory["required_options"][0],
        serde_json::json!({"key": "path", "type": "String", "default": null,
            "description": "The path of a directory"})
    );
    // What the YAML says about the factory, the JSON says too.
    assert_eq!(
        (&factory["scan"], &factory["lookup"], &factory["sink"]),
        (
            &serde_json::json!(true),
            &serde_json::json!(false),
            &serde_json::json!(true)
        )
    );
    let yaml = text(
        &tool()
            .args(["inspect", "--format", "yaml"])
            .arg(&jar)
            .output()
            .unwrap()
            .stdout,
    );
    for line in [
        "connector:",
        "  type: filesystem",
        "  source: true",
        "  sink: true",
        "    - key: path\n      required: true",
    ] {
        assert!(yaml.contains(line), "{line:?} in\n{yaml}");
    }
    let md = text(
        &tool()
            .args(["inspect", "--format", "markdown"])
            .arg(&jar)
            .output()
            .unwrap()
            .stdout,
    );
    assert!(
        md.contains("## `filesystem`") && md.contains("| `path` | yes | String | — |"),
        "{md}"
    );
    let missing = tool()
        .args(["inspect", "/nonexistent.jar"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn list_rules_and_explain_in_every_format() {
    let list = tool().args(["check", "--list-rules"]).output().unwrap();
    assert_eq!(list.status.code(), Some(0), "{}", text(&list.stderr));
    let listed = text(&list.stdout);
    for id in [
        "services-file-missing",
        "signature-file",
        "pom-shade-plugin-missing",
    ] {
        assert!(listed.lines().any(|l| l.starts_with(id)), "{id}: {listed}");
    }
    let json = tool()
        .args(["check", "--list-rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rules["schema_version"], 1);
    let rules = rules["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        listed.lines().filter(|l| l.contains("  ")).count()
    );
    let signature = rules.iter().find(|r| r["id"] == "signature-file").unwrap();
    assert_eq!(signature["severity"], "error");
    assert_eq!(signature["needs_class_files"], false);
    assert!(rules
        .iter()
        .any(|r| r["id"] == "removed-flink-api" && r["needs_class_files"] == true));

    let explain = tool()
        .args(["check", "--explain", "signature-file"])
        .output()
        .unwrap();
    let explained = text(&explain.stdout);
    assert_eq!(explain.status.code(), Some(0));
    for part in ["signature-file (F9, error", "What: ", "Why: ", "Fix: "] {
        assert!(explained.contains(part), "{part}: {explained}");
    }
    for (format, marker) in [
        ("json", "\"why\""),
        ("sarif", "\"fullDescription\""),
        ("junit", "<testcase name=\"signature-file\""),
        ("github", "### signature-file"),
    ] {
        let out = tool()
            .args(["check", "--explain", "signature-file", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(
            text(&out.stdout).contains(marker),
            "{format}: {}",
            text(&out.stdout)
        );
    }

    // A family id explains every rule of the family, in one shape with a single rule's.
    let family = tool()
        .args(["check", "--explain", "f8", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(family.status.code(), Some(0), "{}", text(&family.stderr));
    let family: serde_json::Value = serde_json::from_slice(&family.stdout).unwrap();
    let in_f8: Vec<&str> = family["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let listed_f8: Vec<&str> = rules
        .iter()
        .filter(|r| r["family"] == "F8")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(in_f8.contains(&"unrelocated-library"), "{in_f8:?}");
    assert_eq!(in_f8, listed_f8);
    let one: serde_json::Value = serde_json::from_slice(
        &tool()
            .args(["check", "--explain", "signature-file", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(one["rules"].as_array().map(Vec::len), Some(1), "{one}");
    let human_f8 = text(
        &tool()
            .args(["check", "--explain", "F8"])
            .output()
            .unwrap()
            .stdout,
    );
    assert!(
        human_f8.contains("unrelocated-library (F8, warning"),
        "{human_f8}"
    );

    let unknown = tool()
        .args(["check", "--explain", "signature-files"])
        .output()
        .unwrap();
    let stderr = text(&unknown.stderr);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr.contains("did you mean 'signature-file'?"),
        "{stderr}"
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

/// docs/rules.md is the registry rendered; `UPDATE_RULES_DOC=1` rewrites it.
#[test]
fn rules_doc_is_generated_from_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let expected = cargo_flink_connector::check::catalog::rules_markdown();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run UPDATE_RULES_DOC=1 cargo test --test check_cli rules_doc"
    );
    for rule in cargo_flink_connector::check::rules::all() {
        assert!(
            actual.contains(&format!("### {}\n", rule.id)),
            "{}",
            rule.id
        );
    }
}

/// Findings of one rule for `jar` (JSON report), with their severities.
fn findings_of(jar: &Path, args: &[&str], rule: &str) -> Vec<String> {
    let out = check(&[&["--format", "json"], args].concat(), &[jar]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect()
}

/// A jar signed with jarsigner loads fine as long as nothing changed: no signature-file. The same
/// jar re-packed the way the shade plugin does (fresh manifest) or with one entry changed is the
/// SecurityException case: an error.
#[test]
fn signed_jars_that_verify_are_fine_and_modified_ones_are_errors() {
    if !support::require_command("jarsigner") || !support::require_command("keytool") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("signed-lib-1.0.jar");
    let mut zip = RawZip::new();
    zip.add(
        "META-INF/MANIFEST.MF",
        b"Manifest-Version: 1.0\r\nCreated-By: test\r\n\r\n",
    )
    .add("META-INF/LICENSE", b"Apache License 2.0")
    .add("META-INF/NOTICE", b"signed lib")
    .add("org/example/lib/data.txt", b"payload");
    zip.write_to(&jar);
    let keystore = dir.path().join("ks.p12");
    let keytool = Command::new("keytool")
        .args(["-genkeypair", "-keystore"])
        .arg(&keystore)
        .args([
            "-storepass",
            "secret1",
            "-keypass",
            "secret1",
            "-alias",
            "k",
            "-keyalg",
            "RSA",
            "-dname",
            "CN=test",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
        ])
        .output()
        .unwrap();
    assert!(keytool.status.success(), "{}", text(&keytool.stderr));
    let signed = Command::new("jarsigner")
        .args(["-keystore"])
        .arg(&keystore)
        .args(["-storepass", "secret1"])
        .arg(&jar)
        .arg("k")
        .output()
        .unwrap();
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    // The JDK's own verifier is the oracle: it accepts this jar and rejects both re-packs.
    let verifies = |path: &Path| {
        let out = Command::new("jarsigner")
            .arg("-verify")
            .arg(path)
            .output()
            .unwrap();
        out.status.success() && !text(&out.stderr).contains("SecurityException")
    };
    assert!(verifies(&jar));
    assert_eq!(
        findings_of(&jar, &[], "signature-file"),
        Vec::<String>::new()
    );

    // Re-pack: every entry kept, the manifest replaced (what maven-shade-plugin writes), or one
    // entry's bytes changed.
    let entries = zip_entries(&jar);
    for (label, changed) in [
        ("fresh manifest", "META-INF/MANIFEST.MF"),
        ("changed entry", "org/example/lib/data.txt"),
    ] {
        let mut repacked = RawZip::new();
        for (name, bytes) in &entries {
            let bytes: &[u8] = if name == changed {
                if name.ends_with(".MF") {
                    b"Manifest-Version: 1.0\r\nCreated-By: shade\r\n\r\n"
                } else {
                    b"changed"
                }
            } else {
                bytes
            };
            repacked.add(name, bytes);
        }
        let path = dir
            .path()
            .join(format!("repacked-{}.jar", label.replace(' ', "-")));
        repacked.write_to(&path);
        assert!(!verifies(&path), "{label}: jarsigner accepts it");
        let found = findings_of(&path, &[], "signature-file");
        assert!(
            !found.is_empty() && found.iter().all(|s| s == "error"),
            "{label}: {found:?}"
        );
    }
}

/// Every file entry of a zip with its bytes, in archive order.
fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .filter(|(name, _)| !name.ends_with('/'))
        .collect()
}

/// A fresh install (no lib/ anywhere) answers from the embedded class index: a connector in
/// org.apache.flink.streaming.connectors.* or a metrics reporter is not the runtime, while a
/// class flink-dist really ships is.
#[test]
fn bundled_runtime_classes_come_from_the_distribution_not_package_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("flink-connector-acme-1.0.jar");
    let mut zip = RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add(
            "org/apache/flink/streaming/connectors/acme/AcmeSink.class",
            b"x",
        )
        .add("org/apache/flink/metrics/acme/AcmeReporter.class", b"x");
    zip.write_to(&jar);
    let fresh = |jar: &Path| {
        let out = tool()
            .env("FLINK_CONNECTOR_CACHE", dir.path().join("empty-cache"))
            .args([
                "check",
                "--layout-only",
                "--target",
                "flink-1.20",
                "--format",
                "json",
            ])
            .arg(jar)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let notes = report["files"][0]["notes"].to_string();
        assert!(
            notes.contains("built-in class index of Flink 1.20"),
            "{notes}"
        );
        report["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let rules = fresh(&jar);
    assert!(
        !rules.iter().any(|r| r.starts_with("bundled-")),
        "{rules:?}"
    );
    let dist = dir.path().join("bundles-dist-1.0.jar");
    let mut zip = RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add("org/apache/flink/util/Preconditions.class", b"x");
    zip.write_to(&dist);
    assert!(fresh(&dist).contains(&"bundled-flink-runtime".to_string()));
}

/// `--target all` and ranges print one verdict per line in every format; a jar of Flink 1.20's
/// lib/ (it uses Sink$InitContext, which 2.0 removed) runs on 1.20 and fails on 2.0.
#[test]
fn compatibility_matrix_in_every_format() {
    let Some(lib) = support::flink_lib("1.20.5") else {
        return;
    };
    let jar = support::lib_jar(&lib, "flink-connector-files");
    let out = check(
        &["--target", "flink-1.20..flink-2.0", "--format", "json"],
        &[&jar],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let matrix = report["files"][0]["matrix"].as_array().unwrap();
    let verdicts: Vec<(&str, bool)> = matrix
        .iter()
        .map(|v| (v["target"].as_str().unwrap(), v["runs"].as_bool().unwrap()))
        .collect();
    assert_eq!(verdicts, [("flink-1.20", true), ("flink-2.0", false)]);
    let reasons = matrix[1]["reasons"].to_string();
    assert!(reasons.contains("removed-flink-api"), "{reasons}");
    for (format, marker) in [
        ("human", "flink-2.0   fails"),
        ("sarif", "compatibilityMatrix"),
        ("junit", "does not run on flink-2.0"),
        (
            "github",
            "title=compatibility flink-2.0::does not run on flink-2.0",
        ),
    ] {
        let out = check(
            &["--target", "flink-1.20..flink-2.0", "--format", format],
            &[&jar],
        );
        assert!(
            text(&out.stdout).contains(marker),
            "{format}: {}",
            text(&out.stdout)
        );
    }
    let bad = check(&["--target", "flink-2.2..flink-1.17"], &[&jar]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Entry names are data: control characters (ESC, newlines) are escaped in human and GitHub
/// output, so a hostile jar cannot rewrite the terminal or forge annotations.
#[test]
fn control_characters_in_entry_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("hostile-1.0.jar");
    let mut zip = RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add("META-INF/\u{1b}[2Jx\n::error::forged.SF", b"x")
        .add("lib/\u{1b}]0;title\u{7}.jar", b"PK");
    zip.write_to(&jar);
    for format in ["human", "github"] {
        let out = check(&["--target", "flink-2.2", "--format", format], &[&jar]);
        let stdout = text(&out.stdout);
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
            "{format}: {stdout:?}"
        );
        assert!(stdout.contains("\\u{1b}"), "{format}: {stdout}");
        assert!(
            !stdout.lines().any(|l| l.starts_with("::error::forged")),
            "{format}: {stdout}"
        );
    }
    // JUnit: XML 1.0 cannot hold ESC or BEL at all; they are shown, not dropped, and the
    // document stays well-formed.
    let junit = text(&check(&["--target", "flink-2.2", "--format", "junit"], &[&jar]).stdout);
    assert!(
        !junit.contains('\u{1b}') && junit.contains("\\u{1b}[2Jx"),
        "{junit}"
    );
    cargo_flink_connector::pom::parse_xml(&junit).unwrap();
}
