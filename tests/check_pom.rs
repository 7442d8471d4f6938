//! `check` on POM trees written by hand: parent chains (relativePath), inheritance of the
//! shade configuration, submodules, the assembly plugin, scopes that do or do not ship,
//! unsupported Flink lines, unreadable parents, and bad input. Where the audit claims what
//! Maven's effective model holds, `mvn help:effective-pom` on the same tree is the judge.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const SHADE_GOAL: &str = "<executions><execution><id>shade-it</id><phase>package</phase><goals><goal>shade</goal></goals></execution></executions>";

fn project(xml_body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
{xml_body}
</project>"#
    )
}

fn write(root: &Path, files: &[(&str, String)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The tool with Maven resolution off unless a test turns it on: hand-written trees resolve
/// through relativePath, and a test must not depend on the network by accident.
fn check(args: &[&str], paths: &[&Path]) -> Output {
    let empty = tempfile::tempdir().unwrap();
    check_in_repo(args, paths, empty.path())
}

/// [`check`] with `repo` as Maven's local repository: the bundled dependencies' jars there are
/// what the relocation rule reads (an empty one: relocation unknown, whatever ~/.m2 holds).
fn check_in_repo(args: &[&str], paths: &[&Path], repo: &Path) -> Output {
    support::bin()
        .env("CARGO_FLINK_CONNECTOR_MVN", "none")
        .env(
            "MAVEN_OPTS",
            format!("-Dmaven.repo.local={}", repo.display()),
        )
        .args(["flink-connector", "check", "--format", "json"])
        .args(args)
        .args(paths)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            support::stdout(out),
            support::stderr(out)
        )
    })
}

/// The report of the file whose path ends with `suffix`.
fn file<'a>(report: &'a Value, suffix: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no report for {suffix}: {report:#}"))
}

fn file_pom(report: &Value) -> &Value {
    file(report, "pom.xml")
}

/// `(severity, rule)` of every finding of a file report.
fn rules(file: &Value) -> Vec<(&str, &str)> {
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["severity"].as_str().unwrap(), f["rule"].as_str().unwrap()))
        .collect()
}

fn notes(file: &Value) -> String {
    file["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

const PARENT_SHADE: &str = r#"<build><pluginManagement><plugins><plugin>
  <groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId><version>3.5.1</version>
  <configuration>
    <filters combine.children="append"><filter><artifact>*</artifact><excludes>
      <exclude>META-INF/*.SF</exclude><exclude>META-INF/*.DSA</exclude><exclude>META-INF/*.RSA</exclude>
    </excludes></filter></filters>
    <transformers combine.children="append">
      <transformer implementation="org.apache.maven.plugins.shade.resource.ServicesResourceTransformer"/>
    </transformers>
  </configuration>
  <executions><execution><id>shade-flink</id><phase>package</phase><goals><goal>shade</goal></goals></execution></executions>
</plugin></plugins></pluginManagement>
<plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId></plugin></plugins></build>"#;

/// A parent like flink-connector-parent (shade configured in pluginManagement, enabled in
/// build/plugins, flink.version as a property) and a child that only adds a dependency and a
/// relocation.
fn parent_and_child(root: &Path, child_shade_config: &str) {
    write(
        root,
        &[
            (
                "pom.xml",
                project(&format!(
                    "<groupId>org.example</groupId><artifactId>connector-parent</artifactId><version>1.0</version>
                     <packaging>pom</packaging><modules><module>child</module></modules>
                     <properties><flink.version>1.20.1</flink.version></properties>
                     <dependencyManagement><dependencies>
                       <dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-common</artifactId><version>${{flink.version}}</version><scope>provided</scope></dependency>
                     </dependencies></dependencyManagement>
                     {PARENT_SHADE}"
                )),
            ),
            (
                "child/pom.xml",
                project(&format!(
                    "<parent><groupId>org.example</groupId><artifactId>connector-parent</artifactId><version>1.0</version></parent>
                     <artifactId>flink-connector-acme</artifactId>
                     <dependencies>
                       <dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-common</artifactId></dependency>
                       <dependency><groupId>redis.clients</groupId><artifactId>jedis</artifactId><version>5.0.0</version></dependency>
                     </dependencies>
                     <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId>
                       <configuration>{child_shade_config}</configuration></plugin></plugins></build>"
                )),
            ),
        ],
    );
}

const RELOCATE_JEDIS: &str = "<relocations><relocation><pattern>redis.clients</pattern><shadedPattern>org.example.shaded.redis.clients</shadedPattern></relocation></relocations>";

#[test]
fn a_child_inherits_the_shade_configuration_scopes_and_flink_version_of_its_parent() {
    let dir = tempfile::tempdir().unwrap();
    parent_and_child(dir.path(), RELOCATE_JEDIS);
    let out = check(&[], &[&dir.path().join("child/pom.xml")]);
    assert_eq!(out.status.code(), Some(0), "{}", support::stdout(&out));
    let report = json(&out);
    let child = file(&report, "child/pom.xml");
    // flink-table-common is provided through the parent's dependencyManagement; the shade
    // plugin, its ServicesResourceTransformer and signature excludes come from the parent.
    assert_eq!(rules(child), Vec::<(&str, &str)>::new(), "{child:#}");
    assert_eq!(child["target"], "flink-1.20.1");
    assert!(notes(child).contains("flink.version = 1.20.1"), "{child:#}");
}

#[test]
fn a_childs_own_filter_replaces_the_parents_signature_excludes_as_maven_merges_them() {
    let dir = tempfile::tempdir().unwrap();
    // MSHADE-305: without combine.children="append" on the child's <filters>, Maven merges the
    // child's <filter> with the parent's pairwise and the parent's excludes are lost.
    parent_and_child(
        dir.path(),
        &format!("{RELOCATE_JEDIS}<filters><filter><artifact>redis.clients:jedis</artifact><excludes><exclude>README</exclude></excludes></filter></filters>"),
    );
    let report = json(&check(&[], &[&dir.path().join("child/pom.xml")]));
    let child = file(&report, "child/pom.xml");
    // The parent set combine.children="append" on <filters>, and Maven copies a recessive
    // element's attributes onto the dominant one: the excludes survive.
    assert_eq!(rules(child), Vec::<(&str, &str)>::new(), "{child:#}");
    if let Some(shade) = maven_effective_shade(&dir.path().join("child")) {
        assert!(shade.contains("META-INF/*.SF"), "{shade}");
    }

    // Without the parent's append attribute the excludes are lost, in Maven and in the audit.
    let parent = std::fs::read_to_string(dir.path().join("pom.xml")).unwrap();
    std::fs::write(
        dir.path().join("pom.xml"),
        parent.replace(r#"<filters combine.children="append">"#, "<filters>"),
    )
    .unwrap();
    let report = json(&check(&[], &[&dir.path().join("child/pom.xml")]));
    let child = file(&report, "child/pom.xml");
    assert_eq!(
        rules(child),
        [("warning", "pom-shade-no-signature-filter")],
        "{child:#}"
    );
    if let Some(shade) = maven_effective_shade(&dir.path().join("child")) {
        assert!(!shade.contains("META-INF/*.SF"), "{shade}");
        assert!(shade.contains("README"), "{shade}");
    }
}

/// The texts below the shade plugin of `<build><plugins>` in `mvn help:effective-pom` of the
/// project in `dir` (None where Maven is missing, outside CI).
fn maven_effective_shade(dir: &Path) -> Option<String> {
    if !support::require_command("mvn") {
        return None;
    }
    let _heavy = support::heavy();
    let output = dir.join("effective.xml");
    let out = Command::new("mvn")
        .current_dir(dir)
        .args(["-B", "-q", "help:effective-pom"])
        .arg(format!("-Doutput={}", output.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::tail(&out, 20));
    let text = std::fs::read_to_string(output).unwrap();
    let root = cargo_flink_connector::pom::parse_xml(&text).unwrap();
    let shade = root
        .path("build/plugins")
        .unwrap()
        .children_named("plugin")
        .find(|p| p.text_of("artifactId") == Some("maven-shade-plugin"))
        .unwrap();
    Some(
        shade
            .descendants()
            .iter()
            .map(|e| e.text.trim())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[test]
fn without_the_parent_the_same_child_is_unknown_not_wrong() {
    let dir = tempfile::tempdir().unwrap();
    parent_and_child(dir.path(), RELOCATE_JEDIS);
    std::fs::remove_file(dir.path().join("pom.xml")).unwrap();
    let out = check(&[], &[&dir.path().join("child/pom.xml")]);
    assert_eq!(out.status.code(), Some(0), "{}", support::stdout(&out));
    let report = json(&out);
    let child = file(&report, "child/pom.xml");
    assert_eq!(rules(child), Vec::<(&str, &str)>::new(), "{child:#}");
    let notes = notes(child);
    for expected in [
        "parent org.example:connector-parent:1.0 could not be read",
        "CARGO_FLINK_CONNECTOR_MVN=mvn lets check fetch it",
        "scope unknown",
        "org.apache.flink:flink-table-common",
        "fat-jar rules not run",
        "flink.version unknown",
    ] {
        assert!(notes.contains(expected), "{expected} not in {notes}");
    }
    // Never an assumed line for a POM whose flink.version lives in the unread parent.
    assert!(!notes.contains("assumed"), "{notes}");
}

#[test]
fn an_aggregator_is_expanded_into_its_modules_which_inherit_its_shade_plugin() {
    let dir = tempfile::tempdir().unwrap();
    parent_and_child(dir.path(), RELOCATE_JEDIS);
    let out = check(&[], &[dir.path()]);
    let report = json(&out);
    let poms = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with("pom.xml"))
        .count();
    assert_eq!(poms, 2, "{report:#}");
    let root = file(
        &report,
        &format!(
            "{}/pom.xml",
            dir.path().file_name().unwrap().to_string_lossy()
        ),
    );
    assert_eq!(rules(root), Vec::<(&str, &str)>::new());
    assert!(
        notes(root).contains("packaging pom: this POM builds no jar (modules: child)"),
        "{root:#}"
    );
    let child = file(&report, "child/pom.xml");
    assert!(
        !rules(child)
            .iter()
            .any(|(_, r)| *r == "pom-shade-plugin-missing"),
        "{child:#}"
    );

    // A module with no <build> at all gets the parent's shade plugin (build/plugins inherit):
    // not "no shade plugin", but the missing relocation of what the inherited plugin bundles.
    let child = std::fs::read_to_string(dir.path().join("child/pom.xml")).unwrap();
    let start = child.find("<build>").unwrap();
    let end = child.find("</build>").unwrap() + "</build>".len();
    std::fs::write(
        dir.path().join("child/pom.xml"),
        format!("{}{}", &child[..start], &child[end..]),
    )
    .unwrap();
    // Judged from jedis' jar and those it brings (its packages, commons-pool2's, gson's, …).
    let Some(repo) = support::corpus::maven_repo_with(&["redis.clients:jedis:5.0.0"]) else {
        return;
    };
    let report = json(&check_in_repo(
        &[],
        &[&dir.path().join("child/pom.xml")],
        &repo,
    ));
    let child = file(&report, "child/pom.xml");
    assert_eq!(
        rules(child),
        [("warning", "pom-dependency-not-relocated")],
        "{report:#}"
    );
    let message = child["findings"][0]["message"].as_str().unwrap();
    for package in ["redis.clients.jedis", "org.apache.commons.pool2"] {
        assert!(message.contains(package), "{message}");
    }
}

#[test]
fn assembly_jar_with_dependencies_bundles_runtime_scope_without_merging_services() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "pom.xml",
            project(
                r#"<groupId>org.example</groupId><artifactId>fat</artifactId><version>1</version>
  <properties><flink.version>1.20.1</flink.version></properties>
  <dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-streaming-java</artifactId><version>${flink.version}</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-common</artifactId><version>${flink.version}</version><scope>provided</scope></dependency>
    <dependency><groupId>com.zaxxer</groupId><artifactId>HikariCP</artifactId><version>5.1.0</version></dependency>
  </dependencies>
  <build><plugins><plugin><artifactId>maven-assembly-plugin</artifactId>
    <configuration><descriptorRefs><descriptorRef>jar-with-dependencies</descriptorRef></descriptorRefs></configuration>
    <executions><execution><id>make-assembly</id><phase>package</phase><goals><goal>single</goal></goals></execution></executions>
  </plugin></plugins></build>"#,
            ),
        )],
    );
    let report = json(&check(&[], &[&dir.path().join("pom.xml")]));
    let pom = file(&report, "pom.xml");
    assert_eq!(
        rules(pom),
        [
            ("error", "pom-flink-not-provided"),
            ("warning", "pom-assembly-fat-jar")
        ],
        "{pom:#}"
    );
    let message = pom["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("the connector jar bundles it"),
        "{message}"
    );

    // Without an execution running `single`, the assembly plugin builds nothing.
    let text = std::fs::read_to_string(dir.path().join("pom.xml")).unwrap();
    let start = text.find("<executions>").unwrap();
    let end = text.find("</executions>").unwrap() + "</executions>".len();
    std::fs::write(
        dir.path().join("pom.xml"),
        format!("{}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    let report = json(&check(&[], &[&dir.path().join("pom.xml")]));
    assert_eq!(
        rules(file(&report, "pom.xml")),
        [
            ("warning", "pom-flink-not-provided"),
            ("warning", "pom-shade-plugin-missing")
        ]
    );
}

/// `(severity, rule)` pairs a case must produce, in order.
type Expected = &'static [(&'static str, &'static str)];

#[test]
fn scala_suffixes_and_the_planner_count_only_where_they_ship() {
    let dir = tempfile::tempdir().unwrap();
    let deps = |planner_scope: &str, scala_scope: &str| {
        project(&format!(
            r#"<groupId>org.example</groupId><artifactId>s</artifactId><version>1</version>
  <properties><flink.version>1.20.1</flink.version></properties>
  <dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-planner_2.12</artifactId><version>${{flink.version}}</version><scope>{planner_scope}</scope></dependency>
    <dependency><groupId>org.scala-lang.modules</groupId><artifactId>scala-xml_2.13</artifactId><version>2.1.0</version><scope>{scala_scope}</scope></dependency>
  </dependencies>
  <build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration>
    <transformers><transformer implementation="org.apache.maven.plugins.shade.resource.ServicesResourceTransformer"/></transformers>
    <filters><filter><artifact>*:*</artifact><excludes><exclude>META-INF/*.SF</exclude></excludes></filter></filters>
    <relocations><relocation><pattern>scala.xml</pattern><shadedPattern>x.scala.xml</shadedPattern></relocation></relocations>
  </configuration>{SHADE_GOAL}</plugin></plugins></build>"#
        ))
    };
    let pom = dir.path().join("pom.xml");
    let cases: &[(&str, &str, Expected)] = &[
        ("test", "test", &[]),
        ("test", "provided", &[]),
        ("provided", "test", &[("note", "pom-planner-dependency")]),
        ("compile", "test", &[("error", "pom-planner-dependency")]),
        (
            "test",
            "compile",
            &[
                ("error", "scala-suffix-mismatch"),
                ("warning", "pom-dependency-not-relocated"),
            ],
        ),
    ];
    // scala-xml's own packages are relocated; the scala-library it brings is not.
    let Some(repo) =
        support::corpus::maven_repo_with(&["org.scala-lang.modules:scala-xml_2.13:2.1.0"])
    else {
        return;
    };
    for (planner, scala, expected) in cases {
        std::fs::write(&pom, deps(planner, scala)).unwrap();
        let report = json(&check_in_repo(&[], &[&pom], &repo));
        assert_eq!(
            rules(file(&report, "pom.xml")),
            *expected,
            "planner {planner}, scala {scala}"
        );
    }
}

#[test]
fn an_unsupported_flink_line_is_reported_never_replaced_by_an_assumed_one() {
    let dir = tempfile::tempdir().unwrap();
    let pom = dir.path().join("pom.xml");
    std::fs::write(
        &pom,
        project(
            r#"<groupId>org.example</groupId><artifactId>old</artifactId><version>1</version>
  <properties><flink.version>1.12.7</flink.version></properties>
  <dependencies><dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-common</artifactId><version>${flink.version}</version><scope>provided</scope></dependency></dependencies>"#,
        ),
    )
    .unwrap();
    let out = check(&[], &[&pom]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let file = file(&report, "pom.xml");
    assert_eq!(file["target"], "flink-1.12.7 (unsupported line)");
    assert_eq!(rules(file), [("warning", "pom-flink-version-unsupported")]);
    let message = file["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("1.12.7 is an unsupported line"),
        "{message}"
    );
    assert!(!notes(file).contains("1.20"), "{file:#}");

    // With a target the audit runs against it; the other major line is the finding.
    let report = json(&check(&["--target", "flink-2.2"], &[&pom]));
    assert_eq!(
        rules(file_pom(&report)),
        [("error", "pom-flink-version-mismatch")]
    );
}

#[test]
fn another_minor_line_is_a_warning_another_major_line_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let pom = dir.path().join("pom.xml");
    std::fs::write(
        &pom,
        project(r#"<groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties><flink.version>1.18.0</flink.version></properties>"#),
    )
    .unwrap();
    let minor = json(&check(&["--target", "flink-1.19"], &[&pom]));
    assert_eq!(
        rules(file_pom(&minor)),
        [("warning", "pom-flink-version-mismatch")]
    );
    let major = json(&check(&["--target", "flink-2.0"], &[&pom]));
    assert_eq!(
        rules(file_pom(&major)),
        [("error", "pom-flink-version-mismatch")]
    );
    let engine = json(&check(&["--target", "vvr-11.1"], &[&pom]));
    assert_eq!(
        rules(file_pom(&engine)),
        [("error", "pom-flink-version-mismatch")]
    );
}

#[test]
fn bad_poms_and_parent_loops_are_one_line_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            ("broken/pom.xml", "<project><dependencies></project>".to_string()),
            (
                "loop/a/pom.xml",
                project("<parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version><relativePath>../b/pom.xml</relativePath></parent><artifactId>a</artifactId>"),
            ),
            (
                "loop/b/pom.xml",
                project("<parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version><relativePath>../a/pom.xml</relativePath></parent><artifactId>b</artifactId>"),
            ),
            (
                "badparent/pom.xml",
                "<project><artifactId>p</artifactId><groupId>g</groupId><version>1</version>".to_string(),
            ),
            (
                "badparent/child/pom.xml",
                project("<parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent><artifactId>c</artifactId>"),
            ),
        ],
    );
    let cases = [
        (root.join("broken/pom.xml"), "not a readable pom.xml"),
        (
            root.join("loop/a/pom.xml"),
            "parent loop: g:a:1 → g:b:1 → g:a:1",
        ),
        (
            root.join("badparent/child/pom.xml"),
            "badparent/pom.xml: not a readable pom.xml",
        ),
        (root.join("missing/pom.xml"), "no such file"),
        (root.join("fifo/pom.xml"), "is a FIFO (named pipe)"),
    ];
    std::fs::create_dir(root.join("fifo")).unwrap();
    let made = Command::new("mkfifo")
        .arg(root.join("fifo/pom.xml"))
        .status()
        .unwrap();
    assert!(made.success());
    for (path, expected) in cases {
        let out = check(&[], &[&path]);
        let err = support::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", path.display());
        assert!(err.contains(expected), "{expected} not in {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// The third way to a parent: the user's own Maven, with a local repository of this test's
/// own (MAVEN_OPTS=-Dmaven.repo.local, which both mvn and the audit honour), from which the
/// parent is removed first so that Maven must fetch it.
#[test]
fn a_parent_missing_locally_is_fetched_with_the_users_maven() {
    if !support::require_command("mvn") {
        return;
    }
    let _heavy = support::heavy();
    let repo = support::cache_dir().join("test-m2-resolve");
    let parent_dir = repo.join("org/apache/flink/flink-connector-parent/1.0.0");
    let _ = std::fs::remove_dir_all(&parent_dir);
    let dir = tempfile::tempdir().unwrap();
    let pom = dir.path().join("pom.xml");
    std::fs::write(
        &pom,
        project(
            r#"<parent><groupId>org.apache.flink</groupId><artifactId>flink-connector-parent</artifactId><version>1.0.0</version><relativePath/></parent>
  <artifactId>flink-connector-acme</artifactId><version>1.0-1.20</version>
  <properties><flink.version>1.20.1</flink.version></properties>
  <dependencies><dependency><groupId>redis.clients</groupId><artifactId>jedis</artifactId><version>5.0.0</version></dependency></dependencies>
  <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId>
    <executions><execution><id>shade-flink</id><configuration><artifactSet><includes combine.children="append"><include>redis.clients:jedis</include></includes></artifactSet>
    </configuration></execution></executions></plugin></plugins></build>"#,
        ),
    )
    .unwrap();
    let out = support::bin()
        .env(
            "MAVEN_OPTS",
            format!("-Dmaven.repo.local={}", repo.display()),
        )
        // The opt-in: without it `check` never runs Maven.
        .env("CARGO_FLINK_CONNECTOR_MVN", "mvn")
        .args(["flink-connector", "check", "--format", "json"])
        .arg(&pom)
        .output()
        .unwrap();
    let report = json(&out);
    let file = file(&report, "pom.xml");
    assert!(
        parent_dir
            .join("flink-connector-parent-1.0.0.pom")
            .is_file(),
        "{file:#}"
    );
    // The parent's shade execution `shade-flink` (ServicesResourceTransformer, signature
    // excludes) now bundles jedis, which nothing relocates.
    assert_eq!(
        rules(file),
        [("warning", "pom-dependency-not-relocated")],
        "{file:#}"
    );
    assert!(!notes(file).contains("could not be read"), "{file:#}");
}

/// What the two fat-jar plugins really do with META-INF/services when the project and a
/// bundled dependency (flink-json) both have the Factory file: built with Maven, then read.
/// maven-assembly-plugin's jar-with-dependencies keeps flink-json's file and loses the
/// project's (so the connector's factories vanish: error); maven-shade-plugin without
/// ServicesResourceTransformer keeps the project's and loses flink-json's (warning).
#[test]
fn fat_jars_built_with_maven_keep_the_services_file_the_rules_say() {
    if !support::require_command("mvn") {
        return;
    }
    let _heavy = support::heavy();
    let factory = "META-INF/services/org.apache.flink.table.factories.Factory";
    let assembly = r#"<plugin><artifactId>maven-assembly-plugin</artifactId><version>3.7.1</version>
      <configuration><descriptorRefs><descriptorRef>jar-with-dependencies</descriptorRef></descriptorRefs></configuration>
      <executions><execution><id>make-assembly</id><phase>package</phase><goals><goal>single</goal></goals></execution></executions></plugin>"#;
    let shade = r#"<plugin><artifactId>maven-shade-plugin</artifactId><version>3.5.1</version>
      <executions><execution><phase>package</phase><goals><goal>shade</goal></goals></execution></executions></plugin>"#;
    let cases: &[(&str, &str, &str, Expected)] = &[
        (
            assembly,
            "target/fat-1-jar-with-dependencies.jar",
            "org.apache.flink.formats.json.JsonFormatFactory",
            &[
                ("error", "pom-flink-not-provided"),
                ("error", "pom-assembly-fat-jar"),
            ],
        ),
        (
            shade,
            "target/fat-1.jar",
            "com.example.OwnFactory",
            &[
                ("error", "pom-flink-not-provided"),
                ("warning", "pom-shade-no-services-transformer"),
                ("warning", "pom-shade-no-signature-filter"),
            ],
        ),
    ];
    for (plugin, jar, survivor, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "pom.xml",
                    project(&format!(
                        r#"<groupId>com.example</groupId><artifactId>fat</artifactId><version>1</version>
  <properties><flink.version>1.20.3</flink.version><maven.compiler.source>11</maven.compiler.source>
    <maven.compiler.target>11</maven.compiler.target><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <dependencies><dependency><groupId>org.apache.flink</groupId><artifactId>flink-json</artifactId><version>${{flink.version}}</version>
    <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency></dependencies>
  <build><plugins>{plugin}</plugins></build>"#
                    )),
                ),
                (
                    "src/main/java/com/example/OwnFactory.java",
                    "package com.example; public class OwnFactory {}\n".to_string(),
                ),
                (
                    &format!("src/main/resources/{factory}"),
                    "com.example.OwnFactory\n".to_string(),
                ),
            ],
        );
        let out = Command::new("mvn")
            .current_dir(dir.path())
            .args(["-B", "-q", "package"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", support::tail(&out, 30));
        let mut archive =
            zip::ZipArchive::new(std::fs::File::open(dir.path().join(jar)).unwrap()).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(factory).unwrap(), &mut text).unwrap();
        let listed: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert!(listed.contains(survivor), "{jar}: {listed:?}");
        let lost = if *survivor == "com.example.OwnFactory" {
            "org.apache.flink.formats.json.JsonFormatFactory"
        } else {
            "com.example.OwnFactory"
        };
        assert!(!listed.contains(&lost), "{jar}: {listed:?}");
        let report = json(&check(&[], &[&dir.path().join("pom.xml")]));
        assert_eq!(rules(file_pom(&report)), *expected, "{report:#}");
    }
}

/// Found by the POM corpus (Apache's Elasticsearch connectors, Flink CDC, flink-sql-avro):
/// flink-shaded-force-shading is an empty marker, a bundled flink-shaded-guava works (Flink
/// loads org.apache.flink.* parent-first, and a version the runtime lacks loads from the jar),
/// and flink-shaded-*'s own version (17.0) is not the Flink version.
#[test]
fn flink_shaded_artifacts_are_not_the_runtime_and_not_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let pom = dir.path().join("pom.xml");
    std::fs::write(
        &pom,
        project(&format!(
            r#"<groupId>org.apache.flink</groupId><artifactId>flink-sql-acme</artifactId><version>1.18.1</version>
  <dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-shaded-force-shading</artifactId><version>16.1</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-shaded-guava</artifactId><version>31.1-jre-17.0</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-core</artifactId><version>${{project.version}}</version><scope>provided</scope></dependency>
  </dependencies>
  <build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration>
    <transformers><transformer implementation="org.apache.maven.plugins.shade.resource.ServicesResourceTransformer"/></transformers>
    <filters><filter><artifact>*</artifact><excludes><exclude>META-INF/*.SF</exclude></excludes></filter></filters>
  </configuration>{SHADE_GOAL}</plugin></plugins></build>"#
        )),
    )
    .unwrap();
    let report = json(&check(&["--target", "flink-1.18"], &[&pom]));
    let file = file_pom(&report);
    assert_eq!(
        rules(file),
        [("note", "pom-flink-not-provided")],
        "{file:#}"
    );
    assert!(file["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("flink-shaded-guava"));
    let inferred = json(&check(&[], &[&pom]));
    assert_eq!(
        file_pom(&inferred)["target"],
        "flink-1.18.1",
        "{inferred:#}"
    );
}

/// Issue 17: six levels of `${p}` properties (683 bytes) took 23 s; interpolation is bounded
/// in length and substitutions, and a value past the bound stays unresolved.
#[test]
fn nested_properties_that_explode_are_bounded_and_unresolved() {
    let dir = tempfile::tempdir().unwrap();
    let mut props = "<p0>xxxxxxxxxx</p0>".to_string();
    for level in 1..=6 {
        let refs = format!("${{p{}}}", level - 1).repeat(10);
        props.push_str(&format!("<p{level}>{refs}</p{level}>"));
    }
    let xml = project(&format!(
        "<groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties>{props}</properties>\
         <dependencies><dependency><groupId>${{p6}}</groupId><artifactId>${{p6}}</artifactId><version>${{p6}}</version></dependency></dependencies>"
    ));
    assert!(xml.len() < 1000, "{}", xml.len());
    write(dir.path(), &[("pom.xml", xml)]);
    let started = std::time::Instant::now();
    let out = check(&[], &[&dir.path().join("pom.xml")]);
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        support::stderr(&out)
    );
    let report = json(&out);
    // Never expanded into a megabyte-long coordinate.
    assert!(out.stdout.len() < 200_000, "{} bytes", out.stdout.len());
    assert!(
        !report.to_string().contains(&"x".repeat(1000)),
        "{report:#}"
    );
}

/// A POM importing 40 BOMs that no repository has, and one dependency whose scope they
/// would manage.
fn forty_unresolvable_boms(dir: &Path) -> std::path::PathBuf {
    let imports: String = (0..40)
        .map(|i| format!("<dependency><groupId>org.example.nowhere</groupId><artifactId>bom-{i}</artifactId><version>1</version><type>pom</type><scope>import</scope></dependency>"))
        .collect();
    write(
        dir,
        &[(
            "pom.xml",
            project(&format!(
                "<groupId>g</groupId><artifactId>a</artifactId><version>1</version>\
                 <dependencyManagement><dependencies>{imports}</dependencies></dependencyManagement>\
                 <dependencies><dependency><groupId>org.apache.flink</groupId><artifactId>flink-table-common</artifactId></dependency></dependencies>"
            )),
        )],
    );
    dir.join("pom.xml")
}

/// A stand-in `mvn` that counts its calls in `count`, takes `seconds` and fails as Maven does
/// for an artifact no repository has.
fn counting_mvn(dir: &Path, count: &Path, seconds: &str) -> std::path::PathBuf {
    let mvn = dir.join("mvn");
    std::fs::write(
        &mvn,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nsleep {seconds}\necho '[ERROR] Could not find artifact (stand-in)'\nexit 1\n",
            count.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&mvn, std::fs::Permissions::from_mode(0o755)).unwrap();
    mvn
}

/// A POM's notes, after checking that the run succeeded and found nothing (unknown is never a
/// finding).
fn notes_without_findings(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(out));
    let report = json(out);
    let file = file_pom(&report);
    assert_eq!(rules(file), Vec::<(&str, &str)>::new(), "{file:#}");
    notes(file)
}

/// Issue 17: `check DIR` on a POM importing 40 unresolvable BOMs ran `mvn dependency:get` 40
/// times. Maven is now an explicit opt-in, and even then at most MAVEN_MAX_CALLS calls run;
/// the rest is unknown with the reason, never a finding.
#[test]
fn maven_runs_only_when_opted_in_and_at_most_the_bounded_number_of_times() {
    use cargo_flink_connector::bounds::MAVEN_MAX_CALLS;
    let dir = tempfile::tempdir().unwrap();
    let pom = forty_unresolvable_boms(&dir.path().join("project"));
    let empty_repo = dir.path().join("m2");
    let count = dir.path().join("calls");
    let mvn = counting_mvn(dir.path(), &count, "0.2");
    let run = |opt_in: Option<&Path>| {
        let mut cmd = support::bin();
        cmd.env(
            "MAVEN_OPTS",
            format!("-Dmaven.repo.local={}", empty_repo.display()),
        )
        .env_remove("CARGO_FLINK_CONNECTOR_MVN")
        .env(
            "PATH",
            format!(
                "{}:{}",
                dir.path().display(),
                std::env::var("PATH").unwrap()
            ),
        );
        if let Some(mvn) = opt_in {
            cmd.env("CARGO_FLINK_CONNECTOR_MVN", mvn);
        }
        let started = std::time::Instant::now();
        let out = cmd
            .args(["flink-connector", "check", "--format", "json"])
            .arg(&pom)
            .output()
            .unwrap();
        (out, started.elapsed())
    };
    let calls = || {
        std::fs::read_to_string(&count)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };

    // Default: no Maven at all (the stand-in is first on PATH, so a call would be counted).
    let (out, took) = run(None);
    assert_eq!(calls(), 0);
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    let said = notes_without_findings(&out);
    for expected in [
        "imported BOM org.example.nowhere:bom-0:1 could not be read",
        "imported BOM org.example.nowhere:bom-39:1 could not be read",
        "Maven not run; CARGO_FLINK_CONNECTOR_MVN=mvn lets check fetch it",
        "scope unknown",
    ] {
        assert!(said.contains(expected), "{expected} not in {said}");
    }

    // Opted in: the stand-in runs, but only MAVEN_MAX_CALLS times.
    let (out, _) = run(Some(&mvn));
    assert_eq!(calls(), MAVEN_MAX_CALLS);
    let said = notes_without_findings(&out);
    for expected in [
        "imported BOM org.example.nowhere:bom-0:1 could not be read: mvn dependency:get failed: Could not find artifact (stand-in)",
        &format!("imported BOM org.example.nowhere:bom-39:1 could not be read: not in the local repository, and this run already made the {MAVEN_MAX_CALLS} Maven calls it may"),
    ] {
        assert!(said.contains(expected), "{expected} not in {said}");
    }
    assert!(
        !empty_repo.join("org").exists(),
        "nothing written to the local repository"
    );
}

/// Runs `check POM` under an address-space limit (1 GiB), as the issue's reproduction did.
fn check_in_1_gib(pom: &Path) -> Output {
    Command::new("prlimit")
        .arg(format!("--as={}", 1u64 << 30))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_cargo-flink-connector"))
        .env("CARGO_FLINK_CONNECTOR_MVN", "none")
        .args(["flink-connector", "check", "--format", "json"])
        .arg(pom)
        .output()
        .unwrap()
}

/// Issue 17: a 60 MB POM peaked at 1 GB RSS and aborted under a 1 GiB limit. Past
/// POM_MAX_BYTES or POM_MAX_ELEMENTS a POM is one line, exit 2; just below them it is audited
/// within the same limit.
#[test]
fn huge_poms_are_refused_in_one_line_and_large_ones_fit_in_a_gibibyte() {
    use cargo_flink_connector::bounds::{POM_MAX_BYTES, POM_MAX_ELEMENTS};
    if !support::require_command("prlimit") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let big_text = project(&format!(
        "<groupId>g</groupId><artifactId>a</artifactId><version>1</version><description>{}</description>",
        "lorem ipsum ".repeat(5_000_000)
    ));
    let many_elements = project(&format!(
        "<groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties>{}</properties>",
        "<a/>".repeat(POM_MAX_ELEMENTS + 1)
    ));
    assert!(big_text.len() as u64 > 7 * POM_MAX_BYTES);
    assert!((many_elements.len() as u64) < POM_MAX_BYTES);
    for (name, xml, expected) in [
        (
            "big",
            big_text,
            format!("larger than {} MiB", POM_MAX_BYTES >> 20),
        ),
        (
            "many",
            many_elements,
            format!("more than {POM_MAX_ELEMENTS} elements"),
        ),
    ] {
        write(dir.path(), &[(&format!("{name}/pom.xml"), xml)]);
        let out = check_in_1_gib(&dir.path().join(name).join("pom.xml"));
        let err = support::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(&expected), "{expected} not in {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }

    // Just inside both bounds: as many properties and dependencies as fit, audited in 1 GiB.
    let props: String = (0..POM_MAX_ELEMENTS / 2 - 100)
        .map(|i| format!("<k{i}>${{k{}}}v</k{i}>", i / 2))
        .collect();
    let deps: String = (0..1_000)
        .map(|i| format!("<dependency><groupId>g{i}</groupId><artifactId>${{k{i}}}</artifactId><version>1</version></dependency>"))
        .collect();
    let near = project(&format!(
        "<groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties>{props}</properties><dependencies>{deps}</dependencies>"
    ));
    assert!((near.len() as u64) < POM_MAX_BYTES);
    write(dir.path(), &[("near/pom.xml", near)]);
    let out = check_in_1_gib(&dir.path().join("near/pom.xml"));
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        support::stderr(&out)
    );
    json(&out);
}

/// A chain of 32 parents (by relativePath, all in the repository), each just below
/// POM_MAX_ELEMENTS: together they would not fit in a GiB. Reading stops at
/// POM_CHAIN_MAX_ELEMENTS, the rest of the chain is unknown.
#[test]
fn a_long_chain_of_large_parents_stops_at_the_chain_bound() {
    use cargo_flink_connector::bounds::{POM_CHAIN_MAX_ELEMENTS, POM_MAX_ELEMENTS};
    if !support::require_command("prlimit") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let filler = "<a/>".repeat(POM_MAX_ELEMENTS - 100);
    let files: Vec<(String, String)> = (0..32)
        .map(|i| {
            let parent = if i < 31 {
                format!("<parent><groupId>g</groupId><artifactId>p{}</artifactId><version>1</version><relativePath>../p{}/pom.xml</relativePath></parent>", i + 1, i + 1)
            } else {
                String::new()
            };
            let xml = project(&format!(
                "{parent}<groupId>g</groupId><artifactId>p{i}</artifactId><version>1</version><properties>{filler}</properties>"
            ));
            (format!("p{i}/pom.xml"), xml)
        })
        .collect();
    let files: Vec<(&str, String)> = files.iter().map(|(n, x)| (n.as_str(), x.clone())).collect();
    write(dir.path(), &files);
    let out = check_in_1_gib(&dir.path().join("p0/pom.xml"));
    let said = notes_without_findings(&out);
    let expected = format!(
        "parent g:p2:1 could not be read: with it this chain of POMs holds more than {POM_CHAIN_MAX_ELEMENTS} elements"
    );
    assert!(said.contains(&expected), "{expected} not in {said}");
}

/// The issue's case, on a real generated project built by Maven: gson bundled with
/// `relocate = ["com.google.gson"]`. Its groupId (`com.google.code.gson`) is not its package;
/// the audit reads what gson's jar and the jars it brings really contribute. gson 2.11.0 brings
/// error_prone_annotations, which nothing relocates: both the POM and the built jar say so.
/// Relocating that package too, the POM and the jar pass `check --deny warnings`.
#[test]
fn relocation_is_judged_by_the_packages_a_dependency_really_contributes() {
    if !support::require_command("mvn") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = support::new_project(tmp.path(), "acme", &[]);
    let build_and_check = |relocate: &[&str]| -> (Value, Value, Option<i32>) {
        let mut args = vec!["dependency", "add", "com.google.code.gson:gson:2.11.0"];
        for package in relocate {
            args.extend(["--relocate", package]);
        }
        let _ = support::run_in(
            &project,
            &["dependency", "remove", "com.google.code.gson:gson"],
        );
        let out = support::run_in(&project, &args);
        assert!(out.status.success(), "{}", support::stderr(&out));
        let _heavy = support::heavy();
        let built = support::mvn_package(&project, &["-q", "-DskipTests"]);
        assert!(built.status.success(), "{}", support::tail(&built, 30));
        let jar = project.join("target/flink-connector-acme-0.1.0-SNAPSHOT.jar");
        let entries = list_jar(&jar);
        // What Maven really bundled: gson relocated, error_prone's annotations as they are.
        assert!(
            entries
                .iter()
                .any(|e| e.ends_with("shaded/com/google/gson/Gson.class")),
            "{entries:?}"
        );
        let out = support::bin()
            .args([
                "flink-connector",
                "check",
                "--deny",
                "warnings",
                "--format",
                "json",
            ])
            .arg(&jar)
            .arg(project.join("pom.xml"))
            .output()
            .unwrap();
        let report = json(&out);
        (
            file(&report, ".jar").clone(),
            file(&report, "pom.xml").clone(),
            out.status.code(),
        )
    };

    let (jar, pom, code) = build_and_check(&["com.google.gson"]);
    assert!(
        list_jar(&project.join("target/flink-connector-acme-0.1.0-SNAPSHOT.jar"))
            .iter()
            .any(|e| e == "com/google/errorprone/annotations/CanIgnoreReturnValue.class")
    );
    assert_eq!(
        rules(&pom),
        [("warning", "pom-dependency-not-relocated")],
        "{pom:#}"
    );
    let message = pom["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("com.google.errorprone.annotations")
            && message.contains("com.google.errorprone:error_prone_annotations")
            && !message.contains("com.google.gson")
            && !message.contains("com.google.code.gson,"),
        "{message}"
    );
    assert_eq!(rules(&jar), [("warning", "unrelocated-library")], "{jar:#}");
    assert!(jar["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("com.google.errorprone.annotations"));
    assert_eq!(code, Some(1));

    let (jar, pom, code) =
        build_and_check(&["com.google.gson", "com.google.errorprone.annotations"]);
    assert!(
        !list_jar(&project.join("target/flink-connector-acme-0.1.0-SNAPSHOT.jar"))
            .iter()
            .any(|e| e.starts_with("com/google/")),
        "everything bundled is relocated"
    );
    assert_eq!(rules(&pom), Vec::<(&str, &str)>::new(), "{pom:#}");
    assert_eq!(rules(&jar), Vec::<(&str, &str)>::new(), "{jar:#}");
    assert_eq!(code, Some(0));
}

/// Without the dependency's jar in the local repository (and Maven not run) the relocation is
/// unknown, with the reason: no finding built on a guess from the groupId.
#[test]
fn relocation_is_unknown_without_the_dependencys_jar() {
    let dir = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "pom.xml",
            project(&format!(
                r#"<groupId>org.example</groupId><artifactId>c</artifactId><version>1</version>
  <properties><flink.version>1.20.3</flink.version></properties>
  <dependencies><dependency><groupId>com.google.code.gson</groupId><artifactId>gson</artifactId><version>2.11.0</version></dependency></dependencies>
  <build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration>
    <transformers><transformer implementation="org.apache.maven.plugins.shade.resource.ServicesResourceTransformer"/></transformers>
    <filters><filter><artifact>*:*</artifact><excludes><exclude>META-INF/*.SF</exclude></excludes></filter></filters>
    <relocations><relocation><pattern>com.google.gson</pattern><shadedPattern>x.com.google.gson</shadedPattern></relocation></relocations>
  </configuration>{SHADE_GOAL}</plugin></plugins></build>"#
            )),
        )],
    );
    let out = support::bin()
        .env("CARGO_FLINK_CONNECTOR_MVN", "none")
        .env(
            "MAVEN_OPTS",
            format!("-Dmaven.repo.local={}", repo.path().display()),
        )
        .args(["flink-connector", "check", "--format", "json"])
        .arg(dir.path().join("pom.xml"))
        .output()
        .unwrap();
    let report = json(&out);
    let pom = file(&report, "pom.xml");
    assert_eq!(rules(pom), Vec::<(&str, &str)>::new(), "{pom:#}");
    let notes = notes(pom);
    assert!(
        notes.contains("relocation of com.google.code.gson:gson not judged for com.google.code.gson:gson:2.11.0: not in the local repository"),
        "{notes}"
    );
}

fn list_jar(jar: &Path) -> Vec<String> {
    let file = std::fs::File::open(jar).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}
