//! Property tests of the escaping (src/escape.rs): arbitrary Unicode in every manifest text field
//! renders to Java that compiles with javac, whose string constants (option keys, defaults,
//! descriptions, the factory identifier) round-trip byte for byte through a real JVM; to a POM
//! that parses; to a README whose options table keeps its column count; and to a connector.toml
//! that parses back to the same manifest.
//!
//! Cases are generated with proptest and compiled in batches (one javac and one java run per
//! Flink version) to keep the test to a few minutes.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_flink_connector::flink::FlinkVersion;
use cargo_flink_connector::manifest::{Capabilities, Manifest, OptionDef, TemplateSource};
use cargo_flink_connector::render::{self, Extras, FileKind, TemplateTree};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// Snippets that broke out of their context before the escaping module existed.
const HOSTILE: &[&str] = &[
    "\\u002a/ static { if (true) throw new Error(\"injected\"); } /\\u002a",
    "*/ static { System.exit(7); } /*",
    "\"+System.exit(7)+\"",
    "\\u0022+x+\\u0022",
    "\\\\u0022",
    "\\",
    "*",
    "|",
    "`",
    "\n",
    "\r\n",
    "\u{2028}",
    "\u{202e}",
    "\u{feff}",
    "\0",
    "<!-- -->",
    "]]>",
    "&amp;",
    "@see",
    "{@code x}",
    "{{x}}",
    "${x}",
    "%s",
    "'",
    "😀",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        proptest::collection::vec(any::<char>(), 0..8).prop_map(|cs| cs.into_iter().collect()),
        proptest::sample::select(HOSTILE).prop_map(str::to_string),
        "[a-z ]{0,6}",
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|parts| parts.concat())
}

fn identifier() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._-]{0,20}"
}

#[derive(Debug, Clone)]
struct Case {
    identifier: String,
    description: String,
    option_description: String,
    default: String,
    license: String,
}

fn case() -> impl Strategy<Value = Case> {
    (identifier(), text(), text(), text(), text()).prop_map(
        |(identifier, description, option_description, default, license)| Case {
            identifier,
            description,
            option_description,
            default,
            license,
        },
    )
}

fn cases(n: usize) -> Vec<Case> {
    let mut runner = TestRunner::new(Config::default());
    let strategy = case();
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

fn manifest(i: usize, case: &Case, flink: &str, tree: &TemplateTree) -> Manifest {
    let defaults = tree.preset_defaults("blank").unwrap();
    let mut options = defaults.options;
    options.push(
        OptionDef::new(
            "probe.text",
            "string",
            Some(case.default.clone()),
            false,
            false,
            &case.option_description,
        )
        .unwrap(),
    );
    Manifest {
        name: format!("c{i}"),
        identifier: case.identifier.clone(),
        description: case.description.clone(),
        package: format!("org.example.c{i}"),
        class_prefix: format!("C{i}"),
        capabilities: Capabilities::ALL,
        group_id: "org.example".into(),
        artifact_id: format!("flink-connector-c{i}"),
        version: "0.1.0".into(),
        lines: Vec::new(),
        flink: FlinkVersion::parse(flink).unwrap(),
        template: TemplateSource {
            preset: "blank".into(),
            dir: None,
            version: "0".into(),
        },
        options,
        dependencies: Vec::new(),
        skip_files: Vec::new(),
    }
}

/// GFM table cells of one row: split at pipes not escaped with a backslash.
fn cells(row: &str) -> usize {
    let mut count = 0;
    let mut previous = ' ';
    for c in row.chars() {
        if c == '|' && previous != '\\' {
            count += 1;
        }
        previous = if previous == '\\' && c == '\\' {
            ' '
        } else {
            c
        };
    }
    count - 1
}

fn check_readme(readme: &str, case: &Case) {
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| Option |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(table.len() > 3, "no options table in:\n{readme}");
    for row in &table {
        assert_eq!(cells(row), 5, "row {row:?} of the README table ({case:?})");
    }
    assert!(
        table.iter().any(|r| r.starts_with("| `probe.text` |")),
        "the probe option is one row: {table:?}"
    );
}

fn check_pom(pom: &str) {
    let mut reader = quick_xml::Reader::from_str(pom);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("pom.xml does not parse: {e}\n{pom}"),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

const PROBE: &str = r#"
import java.nio.charset.StandardCharsets;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.TextElement;

public class Probe {
    public static void main(String[] args) throws Exception {
        for (String prefix : args) {
            Class<?> options = Class.forName(prefix + "Options");
            for (java.lang.reflect.Field f : options.getFields()) {
                ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                if (!o.key().equals("probe.text")) continue;
                System.out.println(prefix + " key " + hex(o.key()));
                System.out.println(prefix + " default " + hex(String.valueOf(o.defaultValue())));
                TextElement t = (TextElement) o.description().getBlocks().get(0);
                System.out.println(prefix + " description " + hex(t.getFormat()));
            }
            Object factory = Class.forName(prefix + "DynamicTableFactory").getConstructor().newInstance();
            Object id = factory.getClass().getMethod("factoryIdentifier").invoke(factory);
            System.out.println(prefix + " identifier " + hex((String) id));
        }
    }

    static String hex(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) out.append(String.format("%02x", b));
        return out.toString();
    }
}
"#;

fn run_batch(flink: &str, cases: &[Case]) {
    let Some(lib) = support::flink_lib(flink) else {
        return;
    };
    if !support::require_command("javac") {
        return;
    }
    let tree = TemplateTree::builtin();
    let tmp = tempfile::tempdir().unwrap();
    let mut sources: Vec<PathBuf> = Vec::new();
    let mut expected = BTreeMap::new();
    let mut prefixes = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let m = manifest(i, case, flink, &tree);
        // TOML: the manifest written by `new` reads back as the same manifest.
        let reparsed = Manifest::parse(Path::new("connector.toml"), &m.to_toml())
            .unwrap_or_else(|e| panic!("{case:?}: connector.toml does not parse back: {e}"));
        assert_eq!(reparsed, m, "connector.toml round trip of {case:?}");
        let extras = Extras {
            license_header: Some(case.license.clone()),
        };
        let files = render::render(&m, &tree, &extras)
            .unwrap_or_else(|e| panic!("{case:?}: render failed: {e}"));
        for f in &files {
            let text = String::from_utf8(f.contents.clone()).unwrap();
            if f.path == "README.md" {
                check_readme(&text, case);
            } else if f.path == "pom.xml" {
                check_pom(&text);
            } else if f.path.starts_with("src/main/java/") && f.path.ends_with(".java") {
                let path = tmp.path().join(format!("c{i}")).join(&f.path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &f.contents).unwrap();
                sources.push(path);
                assert!(f.kind == FileKind::Managed || f.path.ends_with("Client.java"));
            }
        }
        let prefix = format!("org.example.c{i}.C{i}");
        for (what, value) in [
            ("key", "probe.text"),
            ("default", case.default.as_str()),
            ("description", case.option_description.as_str()),
            ("identifier", case.identifier.as_str()),
        ] {
            expected.insert(format!("{prefix} {what}"), hex(value.as_bytes()));
        }
        prefixes.push(prefix);
    }
    let probe = tmp.path().join("Probe.java");
    std::fs::write(&probe, PROBE).unwrap();
    sources.push(probe);
    let classes = tmp.path().join("classes");
    let release = FlinkVersion::parse(flink).unwrap().line.java_release;
    support::javac_sources(
        &sources,
        &support::lib_classpath(&lib, &[]),
        release,
        &classes,
    )
    .unwrap_or_else(|e| panic!("generated Java does not compile (cases {cases:#?}):\n{e}"));
    let out = Command::new("java")
        .arg("-cp")
        .arg(support::lib_classpath(&lib, &[&classes]))
        .arg("Probe")
        .args(&prefixes)
        .output()
        .expect("run java");
    assert!(
        out.status.success(),
        "the probe failed (an injected initializer?): {}{}",
        support::stdout(&out),
        support::stderr(&out)
    );
    let mut actual = BTreeMap::new();
    for line in support::stdout(&out).lines() {
        let (name, value) = line.rsplit_once(' ').unwrap();
        actual.insert(name.to_string(), value.to_string());
    }
    for (i, prefix) in prefixes.iter().enumerate() {
        for what in ["key", "default", "description", "identifier"] {
            let k = format!("{prefix} {what}");
            assert_eq!(
                actual.get(&k),
                expected.get(&k),
                "{what} of case {i} does not round-trip: {:?}",
                cases[i]
            );
        }
    }
}

#[test]
fn arbitrary_text_compiles_and_round_trips_on_flink_1_20() {
    run_batch("1.20.5", &cases(40));
}

#[test]
fn arbitrary_text_compiles_and_round_trips_on_flink_2_2() {
    run_batch("2.2.1", &cases(40));
}

/// The reproductions of the issue, one by one, on the CLI: each is refused or rendered inert.
#[test]
fn hostile_manifest_values_from_the_issue() {
    let tmp = tempfile::tempdir().unwrap();
    let out = support::run_in(tmp.path(), &["new", "acme", "--identifier", "a\"+x+\""]);
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("invalid identifier"));

    let out = support::run_in(tmp.path(), &["new", "acme"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let project = tmp.path().join("flink-connector-acme");
    let out = support::run_in(
        &project,
        &[
            "option",
            "add",
            "token",
            "--type",
            "string",
            "--sensitive",
            "--default",
            "s3cret",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("sensitive, so it cannot have a default"));
    let out = support::run_in(
        &project,
        &[
            "option",
            "add",
            "note",
            "--type",
            "string",
            "--default",
            "a | b\nc",
            "--description",
            "\\u002a/ static { x(); } /\\u002a",
        ],
    );
    assert!(out.status.success(), "{}", support::stderr(&out));
    let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `note` |"))
        .unwrap();
    assert_eq!(cells(row), 5, "{row}");
    let options = std::fs::read_to_string(
        project.join("src/main/java/org/example/flink/connector/acme/AcmeOptions.java"),
    )
    .unwrap();
    // No backslash is left in the Javadoc, so javac sees no Unicode escape that could close it.
    assert!(
        options.contains("/** &#92;u002a/ static { x(); } /&#92;u002a */"),
        "{options}"
    );
    assert!(!support::stdout(&out).contains("s3cret"));
}
