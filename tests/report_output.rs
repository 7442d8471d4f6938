//! What `check` and `inspect` write, as a consumer reads it (issues 17, 21, 22): every format
//! parses back to the hostile strings a jar carried (identifiers, option keys, defaults,
//! descriptions, entry names, the jar's file name) without them becoming markup, YAML documents
//! or workflow commands; the JSON documents validate against schemas/*.schema.json; one cause is
//! one finding, with its occurrences, in every format; and targets are taken the way users write
//! them.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use cargo_flink_connector::escape::java_string;
use support::RawZip;

const HOSTILE_ID: &str =
    "x\n# Owned <img src=x onerror=alert(1)> `a|b` \r\n::error::pwn\u{2028}---\ny: 1";
const HOSTILE_KEY: &str = "k<script>alert(1)</script>|`#";
const HOSTILE_DEFAULT: &str = "d\n---\nevil: true\r\n<script>x</script>` | # \u{85}end";
const HOSTILE_DESCRIPTION: &str =
    "desc\n## heading <b>bold</b> \"quote\" \\ %0A ::warning::x, ]]> </failure>";
/// A file name that tries to leave a YAML comment, a Markdown code span and a workflow command.
const HOSTILE_FILE: &str = "evil `x`\n---\nk: v\n::error::file <script>.jar";
/// A signature entry (an error finding) whose name tries the same in the check reports.
const HOSTILE_ENTRY: &str = "META-INF/e`|<img src=x onerror=1>\n## h\n::error::x%0A ]]>.SF";

fn tool() -> Command {
    let mut cmd = Command::cargo_bin("cargo-flink-connector").unwrap();
    cmd.env_remove("GITHUB_STEP_SUMMARY").env("NO_COLOR", "1");
    cmd
}

fn run(args: &[&str], path: &Path) -> Output {
    tool().args(args).arg(path).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn python_with(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    support::require(&format!("python3 with {module}"), ok)
}

/// Runs a Python `script` on `input` (written to a file, `sys.argv[1]`; `args` follow) and
/// returns what it prints; a failing script fails the test with its error and the input.
fn python(script: &str, input: &[u8], args: &[&Path]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input");
    std::fs::write(&file, input).unwrap();
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stderr),
        text(input)
    );
    out.stdout
}

/// Validates `doc` against schemas/`name`.schema.json (Draft 2020-12, the schema itself checked).
fn assert_valid(name: &str, doc: &[u8]) {
    if !python_with("jsonschema") {
        return;
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/{name}.schema.json"));
    let script = "import json,sys,jsonschema\nschema=json.load(open(sys.argv[2]))\n\
                  jsonschema.Draft202012Validator.check_schema(schema)\n\
                  jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[1])))";
    python(script, doc, &[&schema]);
}

/// Validates a SARIF log against the 2.1.0 schema (tests/fixtures/audit, draft-07).
fn assert_valid_sarif(doc: &[u8]) {
    if !python_with("jsonschema") {
        return;
    }
    let schema = support::fixture_dir().join("sarif-schema-2.1.0.json");
    python(
        "import json,sys,jsonschema\n\
         jsonschema.Draft7Validator(json.load(open(sys.argv[2]))).validate(json.load(open(sys.argv[1])))",
        doc,
        &[&schema],
    );
}

/// A factory compiled against Flink 1.20 whose identifier, option key, default and description
/// are the hostile strings, in a jar with a hostile file name and a hostile signature entry.
fn hostile_jar(work: &Path) -> Option<PathBuf> {
    let lib = support::flink_lib("1.20.5")?;
    support::require_jdk().then_some(())?;
    let source = format!(
        r#"package hostile;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;

public class HostileFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {{
    public static final ConfigOption<String> OPTION = ConfigOptions.key({key})
        .stringType().defaultValue({default}).withDescription({description});
    public String factoryIdentifier() {{ return {id}; }}
    public Set<ConfigOption<?>> requiredOptions() {{ return new HashSet<>(); }}
    public Set<ConfigOption<?>> optionalOptions() {{
        Set<ConfigOption<?>> options = new HashSet<>();
        options.add(OPTION);
        return options;
    }}
    public DynamicTableSource createDynamicTableSource(Context c) {{ throw new UnsupportedOperationException(); }}
    public DynamicTableSink createDynamicTableSink(Context c) {{ throw new UnsupportedOperationException(); }}
}}
"#,
        key = java_string(HOSTILE_KEY),
        default = java_string(HOSTILE_DEFAULT),
        description = java_string(HOSTILE_DESCRIPTION),
        id = java_string(HOSTILE_ID),
    );
    let src = work.join("src/hostile/HostileFactory.java");
    std::fs::create_dir_all(src.parent().unwrap()).unwrap();
    std::fs::write(&src, source).unwrap();
    let classes = work.join("classes");
    support::javac_sources(&[src], &support::lib_classpath(&lib, &[]), 8, &classes)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut zip = RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add(
            "META-INF/services/org.apache.flink.table.factories.Factory",
            b"hostile.HostileFactory\n",
        )
        .add(HOSTILE_ENTRY, b"x");
    for (name, bytes) in support::files_under(&classes) {
        zip.add(&name, &bytes);
    }
    let jar = work.join(HOSTILE_FILE);
    zip.write_to(&jar);
    Some(jar)
}

/// Code spans removed from one line, as CommonMark reads them: a backtick run not escaped by a
/// backslash opens one, closed by the next run of the same length (inside, backslashes are text).
fn without_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|c| **c == '`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                out.extend(&chars[i..(i + 2).min(chars.len())]);
                i += 2;
            }
            '`' => {
                let run = run_at(i);
                let mut j = i + run;
                let close = loop {
                    if j >= chars.len() {
                        break None;
                    }
                    if chars[j] == '`' {
                        let other = run_at(j);
                        if other == run {
                            break Some(j + run);
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                };
                match close {
                    Some(after) => i = after,
                    None => {
                        out.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Markdown that shows hostile text as text: outside code spans every `<`, `|` and backtick is
/// escaped, headings are only `expected_headings`, and table rows keep their column count.
fn assert_inert_markdown(md: &str, expected_headings: &[&str], columns: usize) {
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(headings.len(), expected_headings.len(), "{md}");
    for (line, prefix) in headings.iter().zip(expected_headings) {
        assert!(line.starts_with(prefix), "{line:?} in\n{md}");
    }
    for line in md.lines() {
        let outside = without_code_spans(line);
        let unescaped = |c: char| {
            let chars: Vec<char> = outside.chars().collect();
            (0..chars.len()).any(|i| chars[i] == c && (i == 0 || chars[i - 1] != '\\'))
        };
        assert!(
            !unescaped('<') || outside.contains("<br>"),
            "raw HTML: {line:?}"
        );
        assert!(!unescaped('`'), "a code span broken open: {line:?}");
        if line.starts_with('|') {
            let cells = outside
                .chars()
                .zip(std::iter::once(' ').chain(outside.chars()))
                .filter(|(c, before)| *c == '|' && *before != '\\')
                .count();
            assert_eq!(cells, columns + 1, "a row with other columns: {line:?}");
        }
    }
}

#[test]
fn inspect_formats_parse_back_to_the_hostile_strings() {
    let work = tempfile::tempdir().unwrap();
    let Some(jar) = hostile_jar(work.path()) else {
        return;
    };
    // JSON: the exact strings, and the published schema.
    let json = run(&["inspect"], &jar);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    assert_valid("inspect", &json.stdout);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["jars"][0]["jar"], jar.display().to_string());
    let factory = &doc["jars"][0]["factories"][0];
    assert_eq!(factory["identifier"], HOSTILE_ID, "{factory}");
    let option = &factory["optional_options"][0];
    assert_eq!(
        option,
        &serde_json::json!({"key": HOSTILE_KEY, "type": "String",
            "default": HOSTILE_DEFAULT, "description": HOSTILE_DESCRIPTION})
    );

    // YAML: one document, whose values are the strings (the file name stays in its comment).
    let yaml = run(&["inspect", "--format", "yaml"], &jar);
    assert_eq!(yaml.status.code(), Some(0));
    if python_with("yaml") {
        let parsed = python(
            "import json,sys,yaml\nprint(json.dumps(list(yaml.safe_load_all(open(sys.argv[1],encoding='utf-8')))))",
            &yaml.stdout,
            &[],
        );
        let docs: serde_json::Value = serde_json::from_slice(&parsed).unwrap();
        assert_eq!(
            docs.as_array().unwrap().len(),
            1,
            "{docs:#}\n{}",
            text(&yaml.stdout)
        );
        let connector = &docs[0]["connector"];
        assert_eq!(connector["type"], HOSTILE_ID);
        let properties = connector["properties"].as_array().unwrap();
        let hostile = properties.iter().find(|p| p["key"] == HOSTILE_KEY).unwrap();
        assert_eq!(hostile["defaultValue"], HOSTILE_DEFAULT);
        assert_eq!(hostile["description"], HOSTILE_DESCRIPTION);
        assert_eq!(
            properties[0]["description"],
            format!("Must be set to '{HOSTILE_ID}' to configure this connector.")
        );
    }

    // Markdown: the title and one heading per factory, nothing else; no tag, no broken row.
    let md = text(&run(&["inspect", "--format", "markdown"], &jar).stdout);
    assert_inert_markdown(&md, &["# Factories in ", "## "], 4);
    assert_eq!(md.lines().filter(|l| l.starts_with('|')).count(), 3, "{md}");
}

#[test]
fn check_formats_parse_back_to_the_hostile_strings() {
    let work = tempfile::tempdir().unwrap();
    let Some(jar) = hostile_jar(work.path()) else {
        return;
    };
    let check = |format: &str| run(&["check", "--target", "1.20", "--format", format], &jar);

    let json = check("json");
    assert_eq!(json.status.code(), Some(1), "{}", text(&json.stderr));
    assert_valid("check", &json.stdout);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["files"][0]["path"], jar.display().to_string());
    let signature = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "signature-file")
        .unwrap();
    assert_eq!(signature["location"], HOSTILE_ENTRY);

    let sarif = check("sarif");
    assert_valid_sarif(&sarif.stdout);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "signature-file")
        .unwrap();
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        HOSTILE_ENTRY
    );

    // JUnit: well-formed XML (read by Python's parser) whose failure text names the entry.
    let junit = check("junit").stdout;
    let parsed = python(
        "import json,sys,xml.etree.ElementTree as ET\n\
         cases=ET.parse(sys.argv[1]).getroot().iter('testcase')\n\
         print(json.dumps([c.find('failure').text for c in cases if c.get('name')=='signature-file']))",
        &junit,
        &[],
    );
    let failures: Vec<String> = serde_json::from_slice(&parsed).unwrap();
    assert!(failures[0].contains(HOSTILE_ENTRY), "{failures:?}");

    // GitHub: every line is one workflow command (or the summary), none forged; the step
    // summary is inert Markdown.
    let summary = work.path().join("summary.md");
    let github = tool()
        .args(["check", "--target", "1.20", "--format", "github"])
        .arg(&jar)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let commands = text(&github.stdout);
    for line in commands.lines() {
        let known = [
            "::error file=",
            "::warning file=",
            "::notice file=",
            "check: ",
        ];
        assert!(known.iter().any(|k| line.starts_with(k)), "{line:?}");
        let (properties, _) = line.split_once("::").map_or(("", ""), |(_, rest)| {
            rest.split_once("::").unwrap_or((rest, ""))
        });
        assert!(
            !properties.contains('\n') && !properties.contains("::"),
            "{line:?}"
        );
    }
    let md = std::fs::read_to_string(&summary).unwrap();
    assert_inert_markdown(&md, &["## Flink connector check", "### "], 4);

    // Human: no control character of the strings reaches the terminal.
    let human = text(&check("human").stdout);
    assert!(
        !human.contains('\r') && !human.lines().any(|l| l.starts_with("::")),
        "{human}"
    );
    assert!(human.contains("evil `x`\\u{a}---"), "{human}");
}

/// Flink 2.2's flink-connector-files checked against 1.17: 22 classes only later lines added are
/// one removed-flink-api finding, 15 fields and methods 1.17 lacks one missing-flink-member error
/// (each cause once, its places listed) — in every format. Members read as Java, not descriptors.
#[test]
fn one_cause_is_one_finding_with_its_occurrences_in_every_format() {
    let (Some(_), Some(lib)) = (support::flink_lib("1.17.2"), support::flink_lib("2.2.1")) else {
        return;
    };
    let jar = support::lib_jar(&lib, "flink-connector-files");
    let check = |format: &str| run(&["check", "--target", "1.17", "--format", format], &jar);
    let json = check("json");
    assert_valid("check", &json.stdout);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = report["files"][0]["findings"].as_array().unwrap();
    let of = |rule: &str| -> Vec<&serde_json::Value> {
        findings.iter().filter(|f| f["rule"] == rule).collect()
    };
    let members = of("missing-flink-member");
    let member_errors: Vec<_> = members
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(member_errors.len(), 1, "{members:#?}");
    let grouped = member_errors[0];
    let occurrences = grouped["occurrences"].as_array().unwrap();
    assert!(occurrences.len() >= 10, "{grouped:#}");
    assert!(
        grouped["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{} Flink fields and methods", occurrences.len())),
        "{grouped:#}"
    );
    let details: Vec<&str> = occurrences
        .iter()
        .map(|o| o["detail"].as_str().unwrap())
        .collect();
    // Read from javap: Path.serializeToDataOutputView(Path, DataOutputView), added in 1.19.
    assert!(
        details.iter().any(|d| d.contains(
            "method org.apache.flink.core.fs.Path.serializeToDataOutputView(Path, DataOutputView) which flink-1.17 does not have"
        )),
        "{details:#?}"
    );
    let descriptor = regex_free_descriptor;
    for f in findings {
        let texts = std::iter::once(&f["message"]).chain(
            f["occurrences"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| &o["detail"]),
        );
        for t in texts {
            assert!(!descriptor(t.as_str().unwrap()), "a JVM descriptor in {t}");
        }
    }
    let removed = of("removed-flink-api");
    assert_eq!(removed.len(), 1, "{removed:#?}");
    let removed = removed[0];
    let count = removed["occurrences"].as_array().unwrap().len();
    assert!(count >= 10, "{removed:#}");

    // The other formats carry the same finding once, with its occurrences.
    let human = text(&check("human").stdout);
    assert_eq!(
        human.matches("warning[removed-flink-api]").count(),
        1,
        "{human}"
    );
    assert!(
        human.contains(&format!("= {count} occurrences:")),
        "{human}"
    );
    let sarif_out = check("sarif").stdout;
    // relatedLocations and all: still SARIF 2.1.0.
    assert_valid_sarif(&sarif_out);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif_out).unwrap();
    let results: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "removed-flink-api")
        .collect();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["relatedLocations"].as_array().unwrap().len(),
        count
    );
    let github = text(&check("github").stdout);
    let annotations: Vec<&str> = github
        .lines()
        .filter(|l| l.contains("title=removed-flink-api"))
        .collect();
    assert_eq!(annotations.len(), 1, "{github}");
    assert_eq!(annotations[0].matches("%0A  - ").count(), count);
    let junit = text(&check("junit").stdout);
    let case = junit
        .split("<testcase ")
        .find(|c| c.starts_with("name=\"missing-flink-member\""))
        .unwrap();
    assert_eq!(case.matches("<failure").count(), 1, "{case}");
    assert!(
        case.matches("\n  - ").count() >= occurrences.len(),
        "{case}"
    );
}

/// `(Lorg/…;I)V`-style text: a descriptor's parameter list or a `L…;` class type.
fn regex_free_descriptor(text: &str) -> bool {
    text.split(['(', ' ', ','])
        .any(|part| part.starts_with('L') && part.contains('/') && part.contains(';'))
        || text.contains(";)")
}

/// A copy of a class flink-dist ships (StreamMap, which uses the @Internal StreamRecord) is one
/// bundled-flink-runtime error, not also an internal-flink-api warning for what the copy uses.
#[test]
fn a_bundled_flink_class_is_one_finding() {
    let Some(lib) = support::flink_lib("2.2.1") else {
        return;
    };
    let dist = support::lib_jar(&lib, "flink-dist");
    let class = "org/apache/flink/streaming/api/operators/StreamMap.class";
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&dist).unwrap()).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(class).unwrap(), &mut bytes).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("bundles-stream-map-1.0.jar");
    let mut zip = RawZip::new();
    zip.add("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n")
        .add(class, &bytes);
    zip.write_to(&jar);
    let out = run(&["check", "--target", "2.2", "--format", "json"], &jar);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"bundled-flink-runtime"), "{rules:?}");
    assert!(!rules.contains(&"internal-flink-api"), "{rules:?}");
}

/// `2.2`, `flink-2.2`, `2.2.1` and ranges `1.20..2.0` are taken alike; a jar Maven built inside a
/// project is checked against the project's line, as the project is.
#[test]
fn targets_are_taken_as_users_write_them() {
    let Some(lib) = support::flink_lib("2.2.1") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let target_dir = dir.path().join("target");
    std::fs::create_dir(&target_dir).unwrap();
    let jar = target_dir.join("acme-1.0.jar");
    std::fs::copy(support::lib_jar(&lib, "flink-csv"), &jar).unwrap();
    let label = |args: &[&str], path: &Path| -> (String, serde_json::Value) {
        let out = tool()
            .current_dir(dir.path())
            .arg("check")
            .args(args)
            .args(["--format", "json"])
            .arg(path)
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            text(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            report["files"][0]["target"].as_str().unwrap().to_string(),
            report,
        )
    };
    for (written, expected) in [
        ("2.2", "flink-2.2"),
        ("flink-2.2", "flink-2.2"),
        ("2.2.1", "flink-2.2.1"),
        ("flink-2.2.1", "flink-2.2.1"),
        ("1.20..2.0", "flink-1.20..flink-2.0"),
        ("flink-1.20..2.0", "flink-1.20..flink-2.0"),
    ] {
        assert_eq!(label(&["--target", written], &jar).0, expected, "{written}");
    }
    let (_, matrix) = label(&["--target", "1.20..2.0"], &jar);
    assert_valid("check", &serde_json::to_vec(&matrix).unwrap());

    // Outside a project the jar's bytecode decides (Java 11 classes: the newest 2.x line) ...
    let alone = label(&[], &jar).0;
    assert_ne!(alone, "flink-2.0.2", "{alone}");
    // ... inside one, its pom.xml does, from the project or from target/ itself.
    std::fs::write(
        dir.path().join("pom.xml"),
        "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId>\
         <version>1</version><properties><flink.version>2.0.2</flink.version></properties>\n\
         <dependencies><dependency><groupId>org.apache.flink</groupId>\
         <artifactId>flink-table-common</artifactId><version>${flink.version}</version>\
         </dependency></dependencies></project>",
    )
    .unwrap();
    let (inside, report) = label(&[], Path::new("target/acme-1.0.jar"));
    assert_eq!(inside, "flink-2.0.2");
    assert!(
        report["files"][0]["notes"][0]
            .as_str()
            .unwrap()
            .contains("from the project's pom.xml flink.version = 2.0.2"),
        "{report}"
    );
    // The project itself (its pom.xml findings carry lines): the same schema.
    let (project, report) = label(&[], Path::new("."));
    assert_eq!(project, "flink-2.0.2");
    assert!(
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["line"].is_u64())),
        "{report}"
    );
    assert_valid("check", &serde_json::to_vec(&report).unwrap());
    let from_target = tool()
        .current_dir(&target_dir)
        .args(["check", "--format", "json", "acme-1.0.jar"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&from_target.stdout).unwrap();
    assert_eq!(report["files"][0]["target"], "flink-2.0.2");
}

/// Issue 22's reproduction: the Hive dialect of flink-connector-hive 1.17.2 uses 17 planner
/// classes that flink-table-planner-loader hides on 1.17 — one error with 17 occurrences, not 17
/// errors (fetched from Maven Central into the corpus cache, like tests/corpus.rs's jars).
#[test]
fn the_hive_dialect_on_1_17_is_one_finding() {
    if support::flink_lib("1.17.2").is_none() || !support::require_command("mvn") {
        return;
    }
    let jar = match support::corpus::fetch("org.apache.flink:flink-connector-hive_2.12:1.17.2") {
        Ok(jar) => jar,
        Err(e) => {
            support::require(&e, false);
            return;
        }
    };
    let out = run(&["check", "--target", "1.17", "--format", "json"], &jar);
    assert_valid("check", &out.stdout);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let planner: Vec<&serde_json::Value> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "planner-internal-reference")
        .collect();
    assert_eq!(planner.len(), 1, "{planner:#?}");
    let occurrences = planner[0]["occurrences"].as_array().unwrap();
    assert_eq!(occurrences.len(), 17, "{:#}", planner[0]);
    assert!(planner[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("17 classes the jar refers to are Flink classes which flink-table-planner-loader hides on flink-1.17"));
    assert!(occurrences.iter().any(|o| o["detail"]
        .as_str()
        .unwrap()
        .starts_with("org.apache.flink.table.planner.delegation.ParserImpl used by org.apache.flink.table.planner.delegation.hive.HiveParser")));
}

/// `--list-rules` and `--explain` (a rule id or a family id) write one shape, the published one.
#[test]
fn the_rule_catalog_json_validates() {
    for args in [
        &["--list-rules"][..],
        &["--explain", "signature-file"],
        &["--explain", "F8"],
    ] {
        let out = tool()
            .arg("check")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_valid("rules", &out.stdout);
    }
}
