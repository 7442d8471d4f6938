//! Issue 18: every manifest change leaves a project that compiles and passes its tests, or names
//! the owned file:line to change and exits non-zero (unless `--allow-broken`).
//!
//! The reproductions of the issue, each checked with `javac` against the line's real Flink jars,
//! and a seeded random walk of manifest commands on both presets (`MANIFEST_WALK_SEQUENCES`,
//! `MANIFEST_WALK_STEPS`, `MANIFEST_WALK_SEED`; `MANIFEST_WALK_FIRST` resumes at a sequence;
//! `MANIFEST_WALK_MVN=N` runs `mvn -B package` on N end states).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use support::javac_server::JavacServer;
use support::{files_under, new_project, read, run_in, stderr};

const PKG: &str = "src/main/java/org/example/flink/connector/acme";
const TEST_JAVA: &str = "src/test/java/org/example/flink/connector/acme/AcmeConnectorITCase.java";

/// The provisioned lib/ of a line (`1.20`) and its Java release.
fn line_lib(line: &str) -> Option<(PathBuf, u8)> {
    let version = support::FLINK_VERSIONS
        .iter()
        .find(|v| v.starts_with(&format!("{line}.")))?;
    let release = if line.starts_with("1.") { 8 } else { 11 };
    support::flink_lib(version).map(|lib| (lib, release))
}

/// JUnit's API jars from the local Maven repository (the generated tests compile against them);
/// looked up once per test binary.
fn junit_jars() -> Vec<PathBuf> {
    static JARS: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    JARS.get_or_init(find_junit_jars).clone()
}

/// The version the generated pom uses for `name` (its `PLUGIN_VERSIONS` entry).
fn pom_version(name: &str) -> &'static str {
    cargo_flink_connector::render::context::PLUGIN_VERSIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no version for {name}"))
}

/// The local repository mvn itself uses (MAVEN_OPTS' -Dmaven.repo.local on a cold run).
fn local_repository() -> PathBuf {
    cargo_flink_connector::pom::ResolveOptions::from_env().local_repository
}

fn find_junit_jars() -> Vec<PathBuf> {
    // On a machine that never built a project, JUnit's API and what it brings are fetched first.
    let repo = local_repository();
    if !repo.join("org/junit/jupiter/junit-jupiter-api").is_dir() {
        let junit = pom_version("junit");
        let got = std::process::Command::new("mvn")
            .args(["-B", "-q", "dependency:get", "-Dtransitive=true"])
            .arg(format!(
                "-Dartifact=org.junit.jupiter:junit-jupiter-api:{junit}"
            ))
            .output()
            .expect("run mvn");
        assert!(got.status.success(), "{}", support::tail(&got, 20));
    }
    [
        "org/junit/jupiter/junit-jupiter-api",
        "org/opentest4j/opentest4j",
        "org/apiguardian/apiguardian-api",
        "org/junit/platform/junit-platform-commons",
    ]
    .iter()
    .filter_map(|dir| {
        support::files_below(&repo.join(dir))
            .into_iter()
            .filter(|p| {
                p.extension().is_some_and(|e| e == "jar")
                    && !p.to_string_lossy().contains("-sources")
            })
            .max()
    })
    .collect()
}

/// The jars the generated tests use beside JUnit, from the local Maven repository (fetched with
/// `mvn dependency:get` when absent): AssertJ, ArchUnit, and the line's flink-test-utils
/// (MiniClusterExtension, TestStreamEnvironment) with flink-runtime's test jar
/// (MiniClusterResourceConfiguration).
fn test_utils_jars(line: &str) -> Result<Vec<PathBuf>, String> {
    let version = cargo_flink_connector::flink::FlinkVersion::parse(line)
        .map_err(|e| e.to_string())?
        .to_string();
    let repo = local_repository();
    let wanted = [
        ("org.assertj", "assertj-core", pom_version("assertj"), ""),
        (
            "com.tngtech.archunit",
            "archunit",
            pom_version("archunit"),
            "",
        ),
        (
            "com.tngtech.archunit",
            "archunit-junit5-api",
            pom_version("archunit"),
            "",
        ),
        ("org.apache.flink", "flink-test-utils", version.as_str(), ""),
        (
            "org.apache.flink",
            "flink-runtime",
            version.as_str(),
            "tests",
        ),
    ];
    let mut jars = Vec::new();
    for (group, artifact, v, classifier) in wanted {
        let suffix = if classifier.is_empty() {
            String::new()
        } else {
            format!("-{classifier}")
        };
        let jar = repo
            .join(group.replace('.', "/"))
            .join(artifact)
            .join(v)
            .join(format!("{artifact}-{v}{suffix}.jar"));
        if !jar.is_file() {
            let coordinate = if classifier.is_empty() {
                format!("{group}:{artifact}:{v}")
            } else {
                format!("{group}:{artifact}:{v}:jar:{classifier}")
            };
            let got = std::process::Command::new("mvn")
                .args(["-B", "-q", "dependency:get", "-Dtransitive=false"])
                .arg(format!("-Dartifact={coordinate}"))
                .output()
                .map_err(|e| format!("mvn: {e}"))?;
            if !got.status.success() || !jar.is_file() {
                return Err(format!(
                    "cannot fetch {coordinate}: {}",
                    support::stdout(&got)
                ));
            }
        }
        jars.push(jar);
    }
    Ok(jars)
}

/// `javac` over the main sources of `line` (the shared tree and that line's own tree) and the
/// tests, against the line's real Flink jars; javac's output on failure.
fn javac_line(project: &Path, line: &str, lib: &Path, release: u8) -> Result<(), String> {
    let mut sources = support::java_sources(&project.join("src/main/java"));
    let per_line = project.join(format!("src/main/java-flink-{line}"));
    if per_line.is_dir() {
        sources.extend(support::java_sources(&per_line));
    }
    sources.extend(support::java_sources(&project.join("src/test/java")));
    let mut junit = junit_jars();
    junit.extend(test_utils_jars(line)?);
    let extra: Vec<&Path> = junit.iter().map(PathBuf::as_path).collect();
    let out = project.join(format!("target/walk-classes-{line}"));
    let _ = std::fs::remove_dir_all(&out);
    let classpath = support::lib_classpath(lib, &extra);
    // One warm javac for every compile of this test binary (a JVM per compile cost more than
    // the compile); a `javac` process when it cannot start.
    static SERVER: std::sync::Mutex<Option<Option<JavacServer>>> = std::sync::Mutex::new(None);
    let mut server = SERVER.lock().unwrap_or_else(|e| e.into_inner());
    let server =
        server.get_or_insert_with(|| JavacServer::start(Path::new(env!("CARGO_TARGET_TMPDIR"))));
    match server {
        Some(server) => server.compile(&sources, &classpath, release, &out),
        None => support::javac_sources(&sources, &classpath, release, &out),
    }
}

/// The project's lines (`[flink] lines`, else the primary), read from connector.toml.
fn project_lines(project: &Path) -> Vec<String> {
    let doc: toml_edit::DocumentMut = read(&project.join("connector.toml")).parse().unwrap();
    let line_of = |v: &str| v.split('.').take(2).collect::<Vec<_>>().join(".");
    match doc["flink"].get("lines").and_then(|l| l.as_array()) {
        Some(list) => list.iter().map(|v| line_of(v.as_str().unwrap())).collect(),
        None => vec![line_of(doc["flink"]["version"].as_str().unwrap())],
    }
}

fn compiles(project: &Path) -> Result<(), String> {
    for line in project_lines(project) {
        let (lib, release) = line_lib(&line).ok_or(format!("no jars for {line}"))?;
        javac_line(project, &line, &lib, release).map_err(|e| format!("Flink {line}: {e}"))?;
    }
    Ok(())
}

/// The project files, without build output and the tool's own state.
fn snapshot(project: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(project)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("target/") && !p.starts_with(".flink-connector/"))
        .collect()
}

/// The `file:line` entries of a refusal's block, each with the text of that line on disk.
fn named_places(project: &Path, out: &Output) -> Vec<(String, usize, String)> {
    stderr(out)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let (file, rest) = l.split_once(".java:")?;
            let (line, _) = rest.split_once(": ")?;
            let file = format!("{file}.java");
            let line: usize = line.parse().ok()?;
            let text = read(&project.join(&file))
                .lines()
                .nth(line - 1)
                .unwrap_or("")
                .to_string();
            Some((file, line, text))
        })
        .collect()
}

/// A new blank project, when the JDK and Flink 1.20's jars are there.
fn fresh_blank() -> Option<(tempfile::TempDir, PathBuf)> {
    ready()?;
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    Some((tmp, project))
}

fn ready() -> Option<(PathBuf, u8)> {
    support::require_jdk().then_some(())?;
    line_lib("1.20")
}

#[test]
fn adding_lookup_stubs_the_client_methods_and_the_project_still_compiles() {
    let Some((lib, release)) = ready() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // A client never edited is rendered anew: the real in-memory lookups, no stubs.
    let untouched = new_project(
        &tmp.path().join("u").tap_dir(),
        "acme",
        &["--capabilities", "scan,sink"],
    );
    let out = run_in(&untouched, &["capability", "add", "lookup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let client = read(&untouched.join(PKG).join("AcmeClient.java"));
    assert!(
        client.contains("public Collection<RowData> lookup("),
        "{client}"
    );
    assert!(
        !client.contains("Stub added by cargo-flink-connector"),
        "{client}"
    );
    compiles(&untouched).unwrap();
    support::assert_no_drift(&untouched, &[]);
    // The team's own client (edited) gets marked stubs instead.
    let project = new_project(tmp.path(), "acme", &["--capabilities", "scan,sink"]);
    let client = project.join(PKG).join("AcmeClient.java");
    let edited = read(&client).replacen("table = null;", "table = null; // ours", 1);
    std::fs::write(&client, &edited).unwrap();
    let before = read(&client);
    let out = run_in(&project, &["-q", "capability", "add", "lookup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // -q keeps the warning: the user must implement the stubs.
    let err = stderr(&out);
    assert!(
        err.contains("AcmeClient.java: added validateLookupKeys, lookup, lookupAsync as stubs"),
        "{err}"
    );
    let after = read(&client);
    assert!(after.starts_with(&before[..before.rfind('}').unwrap()].replace(
        "import java.util.concurrent.ConcurrentSkipListMap;\n",
        "import java.util.concurrent.ConcurrentSkipListMap;\nimport org.apache.flink.table.api.ValidationException;\nimport java.util.Collection;\nimport java.util.concurrent.CompletableFuture;\n"
    )), "the team's code before the stubs is kept as it was");
    assert_eq!(
        after.matches("Stub added by cargo-flink-connector").count(),
        3
    );
    assert!(read(&project.join("connector.toml")).contains("\"lookup\""));
    compiles(&project).unwrap();
    support::assert_no_drift(&project, &[]);
    // Without the stubs the managed lookup classes do not compile: the stubs are what keeps it.
    std::fs::write(&client, &before).unwrap();
    let broken = javac_line(&project, "1.20", &lib, release).unwrap_err();
    assert!(broken.contains("cannot find symbol"), "{broken}");
}

#[test]
fn changes_that_break_owned_code_are_refused_naming_each_place() {
    let Some((_tmp, project)) = fresh_blank() else {
        return;
    };
    let untouched = snapshot(&project);
    // (command, what the named line must contain, what the reason says)
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &[
                "option",
                "add",
                "hostname",
                "--type",
                "string",
                "--required",
            ],
            "'connector' = 'acme'",
            "does not set required option 'hostname'",
        ),
        (
            &["option", "remove", "namespace"],
            "AcmeOptions.NAMESPACE",
            "uses AcmeOptions.NAMESPACE",
        ),
        (
            &[
                "option",
                "set",
                "namespace",
                "--type",
                "int",
                "--default",
                "1",
            ],
            "AcmeOptions.NAMESPACE",
            "whose type changed from ConfigOption<String> to ConfigOption<Integer>",
        ),
    ];
    for (args, on_line, why) in cases {
        let mut quiet = vec!["-q"];
        quiet.extend_from_slice(args);
        let out = run_in(&project, &quiet);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("--allow-broken"), "{}", stderr(&out));
        let places = named_places(&project, &out);
        assert!(!places.is_empty(), "{args:?}: {}", stderr(&out));
        for (file, line, text) in &places {
            assert!(
                text.contains(on_line),
                "{args:?}: {file}:{line} is `{text}`"
            );
        }
        assert!(snapshot(&project) == untouched, "{args:?} wrote something");
    }
    // Every use in code the team edited is named: here every scan method of the client (a
    // comment added to each), which use AcmeSplit on several lines.
    let client = project.join(PKG).join("AcmeClient.java");
    let text = read(&client);
    std::fs::write(
        &client,
        text.replace("AcmeSplit split)", "AcmeSplit split /* ours */)")
            .replace(
                "listSplits() throws IOException {",
                "listSplits() throws IOException { // ours",
            ),
    )
    .unwrap();
    let out = run_in(&project, &["capability", "remove", "scan"]);
    let client_uses = read(&client)
        .lines()
        .filter(|l| l.contains("AcmeSplit"))
        .count();
    assert_eq!(
        named_places(&project, &out).len(),
        client_uses,
        "{}",
        stderr(&out)
    );
    std::fs::write(&client, text).unwrap();
    // The user says they will fix it: applied, with the block as a warning (even with -q).
    let out = run_in(
        &project,
        &[
            "-q",
            "option",
            "add",
            "hostname",
            "--type",
            "string",
            "--required",
            "--allow-broken",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("applied anyway: --allow-broken"),
        "{}",
        stderr(&out)
    );
    compiles(&project).unwrap();
}

#[test]
fn a_renamed_identifier_names_the_test_ddl_and_a_retyped_int_keeps_its_default() {
    let Some((_tmp, project)) = fresh_blank() else {
        return;
    };
    let manifest = project.join("connector.toml");
    let text = read(&manifest);
    let rename = |from: &str, to: &str| {
        let text = read(&manifest);
        std::fs::write(
            &manifest,
            text.replace(
                &format!("identifier = \"{from}\""),
                &format!("identifier = \"{to}\""),
            ),
        )
        .unwrap();
    };
    // The test DDL as generated (never edited) follows the identifier.
    rename("acme", "acme-one");
    let out = run_in(&project, &["generate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("AcmeConnectorITCase.java: updated ddl"),
        "{}",
        stderr(&out)
    );
    assert!(read(&project.join(TEST_JAVA)).contains("'connector' = 'acme-one'"));
    compiles(&project).unwrap();
    // Once the team edited the DDL helper, it is theirs: the stale identifier is named.
    let test = project.join(TEST_JAVA);
    std::fs::write(
        &test,
        read(&test).replace(
            "'connector' = 'acme-one'",
            "'connector' = 'acme' /* ours */",
        ),
    )
    .unwrap();
    std::fs::write(&manifest, &text).unwrap();
    run_in(&project, &["generate"]);
    rename("acme", "acme-two");
    let out = run_in(&project, &["generate"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let places = named_places(&project, &out);
    assert_eq!(places.len(), 1, "{}", stderr(&out));
    assert_eq!(places[0].0, TEST_JAVA);
    assert!(places[0].2.contains("'connector' = '"), "{:?}", places[0]);
    assert!(stderr(&out).contains("the factory identifier is now 'acme-two'"));
    // Fixed by the user: generate goes through and the project compiles.
    std::fs::write(
        &test,
        read(&test).replace("'connector' = 'acme'", "'connector' = 'acme-two'"),
    )
    .unwrap();
    assert!(read(&test).contains("'connector' = 'acme-two'"));
    let out = run_in(&project, &["generate"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // int → long keeps 8443 (it still parses); a default that no longer parses is refused.
    assert!(run_in(
        &project,
        &[
            "option",
            "add",
            "port",
            "--type",
            "int",
            "--default",
            "8443"
        ]
    )
    .status
    .success());
    let out = run_in(&project, &["-q", "option", "set", "port", "--type", "long"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&project.join(PKG).join("AcmeOptions.java")).contains(".defaultValue(8443L)"));
    assert!(read(&manifest).contains("default = 8443"));
    let before = snapshot(&project);
    let out = run_in(
        &project,
        &["-q", "option", "set", "port", "--type", "boolean"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "option 'port' cannot become boolean: its default '8443' is not true or false"
        ),
        "{}",
        stderr(&out)
    );
    assert!(snapshot(&project) == before);
    compiles(&project).unwrap();
}

#[test]
fn a_team_preset_whose_client_uses_an_undeclared_option_is_refused_at_new() {
    let tmp = tempfile::tempdir().unwrap();
    let preset = tmp.path().join("team/presets/lean");
    std::fs::create_dir_all(&preset).unwrap();
    // The blank preset without its `namespace` option, which the blank owned client reads.
    let blank = read(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates/presets/blank/preset.toml"),
    );
    let start = blank.find("[[options]]\nkey = \"namespace\"").unwrap();
    let end = start + 5 + blank[start + 5..].find("[[options]]").unwrap();
    std::fs::write(
        preset.join("preset.toml"),
        format!("{}{}", &blank[..start], &blank[end..]),
    )
    .unwrap();
    let args = [
        "new",
        "lean",
        "--preset",
        "lean",
        "--templates",
        "team",
        "--dir",
        "lean",
    ];
    let out = run_in(tmp.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("LeanClient.java:")
            && stderr(&out).contains("uses LeanOptions.NAMESPACE"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("lean").exists());
    let mut anyway = args.to_vec();
    anyway.push("--allow-broken");
    let out = run_in(tmp.path(), &anyway);
    assert!(out.status.success(), "{}", stderr(&out));
    // And javac agrees that it does not compile.
    if let Some((lib, release)) = ready() {
        let err = javac_line(&tmp.path().join("lean"), "1.20", &lib, release).unwrap_err();
        assert!(err.contains("NAMESPACE"), "{err}");
    }
}

#[test]
fn dependency_add_and_remove_edit_the_manifest_and_the_pom() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    let out = run_in(
        &project,
        &[
            "dependency",
            "add",
            "org.apache.commons:commons-pool2:2.12.0",
            "--relocate",
            "org.apache.commons.pool2",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run_in(
        &project,
        &["dependency", "add", "org.hamcrest:hamcrest:3.0", "--test"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pom = read(&project.join("pom.xml"));
    assert!(pom.contains("<artifactId>commons-pool2</artifactId>"));
    assert!(pom.contains("<shadedPattern>org.example.flink.connector.acme.shaded.org.apache.commons.pool2</shadedPattern>"), "{pom}");
    let hamcrest = pom.find("<artifactId>hamcrest</artifactId>").unwrap();
    assert!(pom[hamcrest..]
        .split("</dependency>")
        .next()
        .unwrap()
        .contains("<scope>test</scope>"));
    support::assert_no_drift(&project, &[]);
    for (args, expected) in [
        (
            vec!["dependency", "add", "org.hamcrest:hamcrest:3.0", "--test"],
            "is a dependency already",
        ),
        // The generated pom's own test dependency: adding it would declare it twice.
        (
            vec![
                "dependency",
                "add",
                "org.assertj:assertj-core:3.27.5",
                "--test",
            ],
            "pom.xml declares it",
        ),
        (
            vec!["dependency", "add", "commons-pool2"],
            "is not GROUP:ARTIFACT:VERSION",
        ),
        (
            vec!["dependency", "add", "a:b:1", "--relocate", "Not A Package"],
            "dependency",
        ),
        (
            vec!["dependency", "remove", "x:y"],
            "no dependency x:y to remove",
        ),
        (
            vec!["capability", "add", "scan"],
            "has capability 'scan' already",
        ),
        (
            vec!["capability", "add", "stream"],
            "unknown capability 'stream'",
        ),
    ] {
        assert_rejected(&project, &args, expected);
    }
    assert!(
        run_in(&project, &["dependency", "remove", "org.hamcrest:hamcrest"])
            .status
            .success()
    );
    assert!(run_in(
        &project,
        &["dependency", "remove", "org.apache.commons:commons-pool2"]
    )
    .status
    .success());
    assert!(!read(&project.join("connector.toml")).contains("dependencies"));
    assert!(!read(&project.join("pom.xml")).contains("commons-pool2"));
}

// ---------------------------------------------------------------- the random walk

/// SplitMix64: a seeded, reproducible sequence without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// An array of connector.toml as strings (`connector.capabilities`), or the options' keys.
fn manifest_list(project: &Path, what: &str) -> Vec<String> {
    let doc: toml_edit::DocumentMut = read(&project.join("connector.toml")).parse().unwrap();
    let strings = |item: Option<&toml_edit::Item>| -> Vec<String> {
        item.and_then(|i| i.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    match what {
        "capabilities" => strings(doc["connector"].get("capabilities")),
        "lines" => strings(doc["flink"].get("lines")),
        _ => doc
            .get("options")
            .and_then(|o| o.as_array_of_tables())
            .map(|t| {
                t.iter()
                    .filter_map(|t| t.get("key")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Mostly one of `wanted`, one time in five any of `all` (a command that should be refused).
fn sometimes_wrong(rng: &mut Rng, wanted: Vec<&'static str>, all: &[&'static str]) -> &'static str {
    if wanted.is_empty() || rng.below(5) == 0 {
        rng.pick(all)
    } else {
        rng.pick(&wanted)
    }
}

/// `COMMAND add X` for an X not `present`, or `COMMAND remove X` for one that is (mostly).
fn add_or_remove(
    rng: &mut Rng,
    command: &str,
    present: &[String],
    all: &[&'static str],
) -> Vec<String> {
    let add = rng.below(2) == 0;
    let wanted: Vec<&'static str> = all
        .iter()
        .copied()
        .filter(|x| present.iter().any(|p| p == x) != add)
        .collect();
    let item = sometimes_wrong(rng, wanted, all);
    let verb = if add { "add" } else { "remove" };
    vec![command.to_string(), verb.to_string(), item.to_string()]
}

/// The command is refused as bad input (exit 2) with `expected` in its one-line error.
fn assert_rejected(project: &Path, args: &[&str], expected: &str) {
    let out = run_in(project, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(
        stderr(&out).contains(expected),
        "{args:?}: {}",
        stderr(&out)
    );
}

/// One random manifest command (as arguments), mostly one that applies to the project as it
/// is (an absent key to add, a present capability to remove), sometimes one that does not.
fn random_step(rng: &mut Rng, project: &Path) -> Vec<String> {
    let keys = manifest_list(project, "options");
    let caps = manifest_list(project, "capabilities");
    let lines = manifest_list(project, "lines");
    let types = [
        "string", "int", "long", "boolean", "double", "duration", "memory", "list", "map", "enum",
    ];
    let defaults: BTreeMap<&str, &[&str]> = [
        ("string", &["x", "a b"][..]),
        ("int", &["7", "8443"][..]),
        ("long", &["7", "9000000000"][..]),
        ("boolean", &["true"][..]),
        ("double", &["0.5"][..]),
        ("duration", &["30 s", "100"][..]),
        ("memory", &["64 mb", "100"][..]),
        ("list", &["a;b", "x"][..]),
        ("map", &["k:v"][..]),
        ("enum", &["fast", "x"][..]),
    ]
    .into_iter()
    .collect();

    let fresh = [
        "endpoint",
        "port",
        "hostname",
        "batch.size",
        "read.timeout-ms",
        "api.token",
    ];
    let absent: Vec<&'static str> = fresh
        .iter()
        .copied()
        .filter(|k| !keys.iter().any(|x| x == k))
        .collect();
    let all_caps = ["scan", "lookup", "sink"];
    let all_lines = ["1.17", "1.19", "1.20", "2.0", "2.2", "2.3"];
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    match rng.below(12) {
        0..=2 => {
            let ty = rng.pick(&types);
            let key = sometimes_wrong(rng, absent, &fresh);
            let mut args = s(&["option", "add", key, "--type", ty]);
            if ty == "enum" {
                args.extend(s(&[
                    "--values",
                    rng.pick(&["fast,safe", "fast", "a-b,a_b"]),
                ]));
            }
            match rng.below(3) {
                0 => args.extend(s(&["--default", rng.pick(defaults[ty])])),
                1 => args.push("--required".into()),
                _ => {}
            }
            args
        }
        3 if !key_refs.is_empty() => s(&["option", "remove", rng.pick(&key_refs)]),
        4 if !key_refs.is_empty() => {
            let ty = rng.pick(&types);
            let mut args = s(&["option", "set", rng.pick(&key_refs), "--type", ty]);
            if ty == "enum" || rng.below(8) == 0 {
                args.extend(s(&["--values", rng.pick(&["fast,safe", "safe", "x,fast"])]));
            }
            if rng.below(2) == 0 {
                args.extend(s(&["--default", rng.pick(defaults[ty])]));
            }
            args
        }
        5 | 6 => add_or_remove(rng, "capability", &caps, &all_caps),
        7 | 8 => add_or_remove(rng, "line", &lines, &all_lines),
        9 => s(&["dependency", "add", "org.hamcrest:hamcrest:3.0", "--test"]),
        10 => s(&["dependency", "remove", "org.hamcrest:hamcrest"]),
        _ => s(&["generate"]),
    }
}

#[test]
fn random_manifest_walks_leave_compiling_projects_or_refuse() {
    if ready().is_none() {
        return;
    }
    let sequences = env_number("MANIFEST_WALK_SEQUENCES", 2);
    let steps = env_number("MANIFEST_WALK_STEPS", 10);
    let seed = env_number("MANIFEST_WALK_SEED", 18) as u64;
    let mvn_samples = env_number("MANIFEST_WALK_MVN", 0);
    // The first sequence to run, so a long walk can be resumed (or split) with the same seed.
    let first = env_number("MANIFEST_WALK_FIRST", 0);
    // A wall-time budget: no sequence starts after it (the figures say how many ran).
    let budget = std::time::Duration::from_secs(env_number("MANIFEST_WALK_SECONDS", 0) as u64);
    let started = std::time::Instant::now();
    let mut ran = 0;
    let (mut applied, mut refused, mut rejected, mut compiled, mut cached) = (0, 0, 0, 0, 0);
    let mut compiled_trees: std::collections::HashSet<u64> = Default::default();
    let mut ends: Vec<PathBuf> = Vec::new();
    let tmp = tempfile::tempdir().unwrap();
    for sequence in first..sequences {
        if !budget.is_zero() && started.elapsed() > budget {
            break;
        }
        ran += 1;
        let preset = if sequence % 2 == 0 { "acme" } else { "redis" };
        let dir = tmp.path().join(format!("walk-{sequence}"));
        std::fs::create_dir_all(&dir).unwrap();
        // Start from fewer capabilities now and then, so that adding one is exercised.
        let start: &[&str] = match sequence % 4 {
            0 => &["--capabilities", "scan,sink"],
            2 => &["--capabilities", "sink"],
            _ => &[],
        };
        let project = new_project(&dir, preset, start);
        let mut rng = Rng(seed.wrapping_mul(1_000_003).wrapping_add(sequence as u64));
        for step in 0..steps {
            let args = random_step(&mut rng, &project);
            let before = snapshot(&project);
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run_in(&project, &argv);
            let at = format!("seed {seed} sequence {sequence} ({preset}) step {step}: {args:?}");
            if std::env::var_os("MANIFEST_WALK_TRACE").is_some() {
                let last = stderr(&out).lines().last().unwrap_or("").to_string();
                eprintln!("{at}: exit {:?} {last}", out.status.code());
            }
            match out.status.code() {
                Some(0) => {
                    applied += 1;
                    let tree = {
                        use std::hash::{Hash, Hasher};
                        let mut h = std::collections::hash_map::DefaultHasher::new();
                        snapshot(&project).hash(&mut h);
                        h.finish()
                    };
                    if compiled_trees.insert(tree) {
                        compiles(&project).unwrap_or_else(|e| panic!("{at}: exit 0 but {e}"));
                        compiled += 1;
                    } else {
                        cached += 1;
                    }
                }
                Some(code @ (1 | 2)) => {
                    let err = stderr(&out);
                    assert!(
                        snapshot(&project) == before,
                        "{at}: refused (exit {code}) but wrote: {err}"
                    );
                    assert_eq!(
                        err.trim_end()
                            .lines()
                            .last()
                            .map(|l| l.starts_with("error: ")),
                        Some(true),
                        "{at}: {err}"
                    );
                    if code == 1 {
                        assert!(err.contains("place(s) must change"), "{at}: {err}");
                        assert!(!named_places(&project, &out).is_empty(), "{at}: {err}");
                        refused += 1;
                    } else {
                        rejected += 1;
                    }
                }
                other => panic!("{at}: exit {other:?}: {}", stderr(&out)),
            }
        }
        ends.push(project);
        if std::env::var_os("MANIFEST_WALK_TRACE").is_some() {
            eprintln!(
                "after sequence {sequence}: {applied} applied ({compiled} compiled), {refused} refused, {rejected} rejected, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!(
        "manifest walk: seed {seed}, {ran} of sequences {first}..{sequences} x {steps} steps in {:.0} s: {applied} applied ({compiled} compiled with javac, {cached} trees seen before), {refused} refused naming owned code, {rejected} rejected as invalid",
        started.elapsed().as_secs_f64()
    );
    for project in ends.iter().step_by(2).take(mvn_samples) {
        support::require_command("mvn").then_some(()).unwrap();
        let _heavy = support::heavy();
        let out = support::mvn_package(project, &[]);
        assert!(
            out.status.success(),
            "mvn -B package in {}:\n{}",
            project.display(),
            support::tail(&out, 60)
        );
    }
}

/// Every directory below `root` (build output and the tool's state left out).
fn dirs_below(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk_dirs(root)
        .into_iter()
        .map(|d| d.strip_prefix(root).unwrap().to_string_lossy().into_owned())
        .filter(|d| !d.starts_with("target") && !d.starts_with(".flink-connector"))
        .collect();
    out.sort();
    out
}

fn walk_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.push(path.clone());
            out.extend(walk_dirs(&path));
        }
    }
    out
}

#[test]
fn line_and_capability_removal_take_their_emptied_trees_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20,2.2"]);
    // A directory of the user's, empty, is not the tool's to remove.
    std::fs::create_dir_all(project.join("docs/notes")).unwrap();
    let dirs = dirs_below(&project);
    let files = snapshot(&project);
    let out = run_in(&project, &["line", "add", "2.1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(project.join("src/main/java-flink-2.1").is_dir());
    let out = run_in(&project, &["line", "remove", "2.1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(dirs_below(&project), dirs);
    assert!(snapshot(&project) == files);
    // The tool's render record does not keep the removed line's tree either.
    assert!(!project
        .join(".flink-connector/rendered/src/main/java-flink-2.1")
        .exists());
    support::assert_no_drift(&project, &[]);
}

#[test]
fn a_deleted_owned_test_stays_deleted_once_listed_in_files_skip() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    std::fs::remove_file(project.join(TEST_JAVA)).unwrap();
    // Not yet recorded: --check says what `generate` would do and how to keep the deletion.
    let out = run_in(&project, &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("[files] skip = [\"{TEST_JAVA}\"]")),
        "{}",
        stderr(&out)
    );
    let manifest = project.join("connector.toml");
    std::fs::write(
        &manifest,
        format!("{}\n[files]\nskip = [\"{TEST_JAVA}\"]\n", read(&manifest)),
    )
    .unwrap();
    let out = run_in(&project, &["generate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!project.join(TEST_JAVA).exists());
    assert!(!read(&project.join("README.md")).contains("AcmeConnectorITCase.java"));
    support::assert_no_drift(&project, &[]);
    // Another manifest change keeps it deleted, and the rest of the project compiles.
    let out = run_in(&project, &["option", "add", "endpoint", "--type", "string"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!project.join(TEST_JAVA).exists());
    if ready().is_some() {
        compiles(&project).unwrap();
    }
    // A skip entry must be a project path.
    let text = read(&manifest);
    std::fs::write(
        &manifest,
        text.replace(&format!("\"{TEST_JAVA}\""), "\"../x\""),
    )
    .unwrap();
    let out = run_in(&project, &["generate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("[files] skip: '../x' contains '..'"),
        "{}",
        stderr(&out)
    );
}

/// Runs a tiny Table API program on Flink `line`'s real jars: a `datagen` table with extra
/// options fails validation, and Flink's own message lists the table's options, masking the
/// sensitive ones. Returns that message.
fn flink_options_message(line: &str, keys: &[&str], work: &Path) -> Option<String> {
    let (lib, _) = line_lib(line)?;
    let with: String = keys
        .iter()
        .map(|k| format!(", '{k}'='topsecret'"))
        .collect();
    let source = format!(
        r#"import org.apache.flink.table.api.*;
public class MaskProbe {{
    public static void main(String[] args) {{
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        t.executeSql("CREATE TABLE t (x INT) WITH ('connector'='datagen', 'number-of-rows'='1'{with})");
        try {{
            t.executeSql("SELECT * FROM t").collect().close();
            System.out.println("NO ERROR");
        }} catch (Exception e) {{
            for (Throwable c = e; c != null; c = c.getCause()) System.out.println(c.getMessage());
        }}
    }}
}}
"#
    );
    let dir = work.join(format!("mask-{line}"));
    std::fs::create_dir_all(&dir).unwrap();
    let java = dir.join("MaskProbe.java");
    std::fs::write(&java, source).unwrap();
    support::javac_sources(&[java], &support::lib_classpath(&lib, &[]), 11, &dir).unwrap();
    let _heavy = support::heavy();
    let out = std::process::Command::new("java")
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(support::lib_classpath(&lib, &[&dir]))
        .arg("MaskProbe")
        .output()
        .unwrap();
    Some(support::stdout(&out))
}

#[test]
fn sensitive_options_are_those_flink_itself_masks_on_each_line() {
    if !support::require_jdk() {
        return;
    }
    let keys = [
        "password",
        "api.credential",
        "service.api-key",
        "auth.token",
    ];
    let tmp = tempfile::tempdir().unwrap();
    for line in ["1.20", "2.2"] {
        let Some(message) = flink_options_message(line, &keys, tmp.path()) else {
            return;
        };
        assert!(message.contains("Table options are"), "{line}: {message}");
        for key in keys {
            let masked = message.contains(&format!("'{key}'='******'"));
            let plain = message.contains(&format!("'{key}'='topsecret'"));
            assert!(masked != plain, "{line} {key}: {message}");
            // The tool's per-line table says what Flink really does.
            assert_eq!(
                cargo_flink_connector::flink::sensitive::is_masked(line, key),
                masked,
                "{line} {key}: {message}"
            );
        }
    }
    // So the tool refuses `--sensitive` for a key Flink prints in plain text on a line it builds.
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20,2.2"]);
    let add = |key: &str| {
        run_in(
            &project,
            &["option", "add", key, "--type", "string", "--sensitive"],
        )
    };
    let out = add("api.credential");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Flink 1.20, 2.2 masks a value only when its key contains"),
        "{}",
        stderr(&out)
    );
    let out = add("service.api-key"); // masked from 2.1 only
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("but Flink 1.20 masks"),
        "{}",
        stderr(&out)
    );
    let out = add("auth.token");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn memory_list_and_map_options_become_flinks_own_types_and_compile() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    for args in [
        &[
            "option",
            "add",
            "buffer.size",
            "--type",
            "memory",
            "--default",
            "64 mb",
        ][..],
        &[
            "option",
            "add",
            "hosts",
            "--type",
            "list",
            "--default",
            "a;b",
        ][..],
        &["option", "add", "headers", "--type", "map"][..],
    ] {
        let out = run_in(&project, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let options = read(&project.join(PKG).join("AcmeOptions.java"));
    for expected in [
        "ConfigOption<org.apache.flink.configuration.MemorySize> BUFFER_SIZE",
        ".memoryType()",
        ".defaultValue(org.apache.flink.configuration.MemorySize.parse(\"64 mb\"))",
        "ConfigOption<java.util.List<String>> HOSTS",
        ".stringType().asList()",
        ".defaultValues(\"a\", \"b\")",
        "ConfigOption<java.util.Map<String, String>> HEADERS",
        ".mapType()",
    ] {
        assert!(options.contains(expected), "{expected}:\n{options}");
    }
    for (args, expected) in [
        (
            &[
                "option",
                "add",
                "cache",
                "--type",
                "memory",
                "--default",
                "lots",
            ][..],
            "default 'lots' is not a memory size",
        ),
        (
            &[
                "option",
                "add",
                "labels",
                "--type",
                "map",
                "--default",
                "k:v",
            ][..],
            "a map option cannot have a default",
        ),
        (
            &["option", "set", "hosts", "--type", "map"][..],
            "option 'hosts' cannot become map",
        ),
    ] {
        assert_rejected(&project, args, expected);
    }
    support::assert_no_drift(&project, &[]);
    if ready().is_some() {
        compiles(&project).unwrap();
    }
}

/// Runs a Table API program on Flink `line`'s real jars with the project's main classes (and its
/// services file) on the class path: for each value, a table of the 'acme' connector with
/// `'scan.startup-mode' = value` is read. One output line per value: `OK` or Flink's causes.
fn enum_probe(project: &Path, line: &str, values: &[&str], work: &Path) -> Option<Vec<String>> {
    let (lib, release) = line_lib(line)?;
    let classes = work.join(format!("classes-{line}"));
    let mut sources = support::java_sources(&project.join("src/main/java"));
    let per_line = project.join(format!("src/main/java-flink-{line}"));
    if per_line.is_dir() {
        sources.extend(support::java_sources(&per_line));
    }
    support::javac_sources(
        &sources,
        &support::lib_classpath(&lib, &[]),
        release,
        &classes,
    )
    .unwrap();
    let services = "META-INF/services/org.apache.flink.table.factories.Factory";
    std::fs::create_dir_all(classes.join("META-INF/services")).unwrap();
    std::fs::copy(
        project.join("src/main/resources").join(services),
        classes.join(services),
    )
    .unwrap();
    let source = r#"import org.apache.flink.table.api.*;
public class EnumProbe {
    public static void main(String[] args) throws Exception {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        int i = 0;
        for (String value : args) {
            String table = "t" + i++;
            t.executeSql("CREATE TABLE " + table + " (id INT, name STRING, amount BIGINT) WITH ("
                    + "'connector'='acme', 'namespace'='n', 'scan.startup-mode'='" + value + "')");
            try {
                t.executeSql("SELECT * FROM " + table).collect().close();
                System.out.println("OK");
            } catch (Exception e) {
                StringBuilder causes = new StringBuilder("FAILED");
                for (Throwable c = e; c != null; c = c.getCause()) causes.append(" | ").append(c.getMessage());
                System.out.println(causes.toString().replace('\n', ' '));
            }
        }
    }
}
"#;
    let probe = work.join(format!("probe-{line}"));
    std::fs::create_dir_all(&probe).unwrap();
    std::fs::write(probe.join("EnumProbe.java"), source).unwrap();
    support::javac_sources(
        &[probe.join("EnumProbe.java")],
        &support::lib_classpath(&lib, &[]),
        11,
        &probe,
    )
    .unwrap();
    let _heavy = support::heavy();
    let out = std::process::Command::new("java")
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(support::lib_classpath(&lib, &[&probe, &classes]))
        .arg("EnumProbe")
        .args(values)
        .output()
        .unwrap();
    let lines: Vec<String> = support::stdout(&out)
        .lines()
        .filter(|l| *l == "OK" || l.starts_with("FAILED"))
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), values.len(), "{}", stderr(&out));
    Some(lines)
}

#[test]
fn an_enum_option_is_a_java_enum_that_flink_itself_validates() {
    if ready().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &["--flink", "1.20,2.2"]);
    let add = run_in(
        &project,
        &[
            "option",
            "add",
            "scan.startup-mode",
            "--type",
            "enum",
            "--values",
            "earliest-offset,latest",
            "--default",
            "latest",
        ],
    );
    assert!(add.status.success(), "{}", stderr(&add));
    let toml = read(&project.join("connector.toml"));
    assert!(
        toml.contains("values = [\"earliest-offset\", \"latest\"]")
            && toml.contains("type = \"enum\""),
        "{toml}"
    );
    compiles(&project).unwrap();
    for line in ["1.20", "2.2"] {
        let Some(results) = enum_probe(
            &project,
            line,
            &[
                "latest",
                "earliest-offset",
                "LATEST",
                "newest",
                "earliest_offset",
            ],
            tmp.path(),
        ) else {
            return;
        };
        // Inside the set (Flink ignores case): the table is read.
        assert_eq!(results[..3], ["OK", "OK", "OK"], "{line}: {results:?}");
        // Outside: Flink's own message, naming the key and the allowed values.
        for (value, result) in ["newest", "earliest_offset"].iter().zip(&results[3..]) {
            assert!(
                result.contains(&format!(
                    "Could not parse value '{value}' for key 'scan.startup-mode'"
                )) && result.contains("Expected one of: [")
                    && result.contains("[earliest-offset, latest]"),
                "{line} {value}: {result}"
            );
        }
    }
}

#[test]
fn retyping_to_and_from_enum_keeps_the_default_or_says_why_and_removed_values_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let project = new_project(tmp.path(), "acme", &[]);
    let ok = |args: &[&str]| {
        let out = run_in(&project, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    ok(&[
        "option",
        "add",
        "mode",
        "--type",
        "string",
        "--default",
        "fast",
    ]);
    ok(&[
        "option",
        "set",
        "mode",
        "--type",
        "enum",
        "--values",
        "fast,safe",
    ]);
    let toml = read(&project.join("connector.toml"));
    assert!(
        toml.contains("default = \"fast\"") && toml.contains("values = [\"fast\", \"safe\"]"),
        "{toml}"
    );
    let options = read(&project.join(PKG).join("AcmeOptions.java"));
    assert!(options.contains(".defaultValue(Mode.FAST)"), "{options}");
    let before = snapshot(&project);
    let refused = |args: &[&str], code: i32, why: &str| {
        let out = run_in(&project, args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
        assert_eq!(snapshot(&project), before, "{args:?} changed the project");
        out
    };
    // The default is no longer a value, or no longer parses as the new type: refused with why.
    let out = refused(
        &["option", "set", "mode", "--values", "safe,careful"],
        2,
        "option 'mode' cannot become enum (safe, careful): its default 'fast' is not one of the values safe, careful",
    );
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    refused(
        &["option", "set", "mode", "--type", "int"],
        2,
        "cannot become int: its default 'fast' is not an int",
    );
    // Bad values: one line each.
    for (values, why) in [
        ("1st,2nd", "must start with a letter"),
        ("fast,FAST", "the same to Flink"),
    ] {
        let out = refused(&["option", "set", "mode", "--values", values], 2, why);
        assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    }
    // Owned code that uses a value: removing it is named with file:line.
    let client = project.join(PKG).join("AcmeClient.java");
    let text = read(&client);
    let at = text.rfind('}').unwrap();
    let used = format!(
        "{}    static final Object MODE = AcmeOptions.Mode.SAFE;\n{}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&client, &used).unwrap();
    let line = used.lines().position(|l| l.contains("Mode.SAFE")).unwrap() + 1;
    let before = snapshot(&project);
    let out = run_in(
        &project,
        &["option", "set", "mode", "--values", "fast,careful"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "AcmeClient.java:{line}: uses Mode.SAFE, which the manifest no longer generates"
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&project), before);
    // Back to a string: the default stays, and the owned use of the enum is named.
    let out = run_in(&project, &["option", "set", "mode", "--type", "string"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("AcmeClient.java:{line}: uses AcmeOptions.Mode,")),
        "{}",
        stderr(&out)
    );
    std::fs::write(&client, &text).unwrap();
    ok(&["option", "set", "mode", "--type", "string"]);
    let toml = read(&project.join("connector.toml"));
    assert!(
        toml.contains("default = \"fast\"") && !toml.contains("values"),
        "{toml}"
    );
    if let Some((lib, release)) = ready() {
        javac_line(&project, "1.20", &lib, release).unwrap();
    }
}

/// The capabilities a fresh blank project has (read from its connector.toml, not a fixed list).
fn capabilities(project: &Path) -> Vec<String> {
    let doc: toml_edit::DocumentMut = read(&project.join("connector.toml")).parse().unwrap();
    doc["connector"]["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn removing_a_capability_removes_the_untouched_owned_code_it_generated() {
    let Some((lib, release)) = ready() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = |name: &str| {
        let d = tmp.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let first = new_project(&dir("probe"), "acme", &[]);
    let all = capabilities(&first);
    assert!(all.len() >= 3, "{all:?}");
    for cap in &all {
        let project = new_project(&dir(cap), "acme", &[]);
        let owned_before: Vec<(String, String)> =
            [format!("{PKG}/AcmeClient.java"), TEST_JAVA.to_string()]
                .into_iter()
                .map(|p| {
                    let text = read(&project.join(&p));
                    (p, text)
                })
                .collect();
        let out = run_in(&project, &["capability", "remove", cap]);
        assert!(out.status.success(), "{cap}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("(generated, never edited: they follow the manifest)"),
            "{cap}: {}",
            stderr(&out)
        );
        // The owned files shrank (their capability's members went), and the rest compiles.
        let changed = owned_before
            .iter()
            .filter(|(p, text)| read(&project.join(p)).len() < text.len())
            .count();
        assert!(changed >= 1, "{cap}: no owned file changed");
        javac_line(&project, "1.20", &lib, release)
            .unwrap_or_else(|e| panic!("{cap} removed: {e}"));
        support::assert_no_drift(&project, &[]);
    }
}

#[test]
fn removing_scan_refuses_only_owned_code_the_team_edited() {
    let Some((_tmp, project)) = fresh_blank() else {
        return;
    };
    // The team edited listSplits: it is theirs now, and it uses AcmeSplit.
    let client = project.join(PKG).join("AcmeClient.java");
    let text = read(&client);
    let edited = text.replacen(
        "for (int i = 0; i < SPLITS; i++) {",
        "for (int i = 0; i < SPLITS; i++) { // our own bucketing",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&client, &edited).unwrap();
    let (start, end) = {
        let lines: Vec<&str> = edited.lines().collect();
        let start = lines
            .iter()
            .position(|l| l.contains("listSplits()"))
            .unwrap()
            + 1;
        let end = start + lines[start..].iter().position(|l| *l == "    }").unwrap() + 1;
        (start, end)
    };
    let before = snapshot(&project);
    let out = run_in(&project, &["capability", "remove", "scan"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let places = named_places(&project, &out);
    assert!(!places.is_empty(), "{}", stderr(&out));
    // Only the edited method is named (the untouched scan members would be removed).
    for (file, line, text) in &places {
        assert!(file.ends_with("AcmeClient.java"), "{file}:{line}");
        assert!(
            (start..=end).contains(line),
            "{line} outside {start}..{end}: {text}"
        );
        assert!(text.contains("AcmeSplit"), "{text}");
    }
    assert_eq!(snapshot(&project), before, "a refusal writes nothing");
}

/// The refusal block of a command: its `file:line: why` lines, in order.
fn refusal_block(out: &Output) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| l.starts_with("  src/"))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn hand_edits_of_connector_toml_are_reviewed_like_their_commands() {
    let tmp = tempfile::tempdir().unwrap();
    // Two identical projects: one changed by command, one by hand then `generate`.
    let by_command = new_project(&tmp.path().join("a").tap_dir(), "acme", &[]);
    let by_hand = new_project(&tmp.path().join("b").tap_dir(), "acme", &[]);
    let manifest = by_hand.join("connector.toml");
    let original = read(&manifest);
    let edit_by_hand = |from: &str, to: &str| {
        assert!(original.contains(from), "{from}");
        std::fs::write(&manifest, original.replacen(from, to, 1)).unwrap();
    };
    let cases: [(&[&str], &str, &str); 2] = [
        (
            &[
                "option",
                "add",
                "hostname",
                "--type",
                "string",
                "--required",
            ],
            "[[options]]",
            "[[options]]\nkey = \"hostname\"\ntype = \"string\"\nrequired = true\n\n[[options]]",
        ),
        (
            &[
                "option",
                "set",
                "namespace",
                "--type",
                "int",
                "--default",
                "1",
            ],
            "type = \"string\"\ndefault = \"default\"",
            "type = \"int\"\ndefault = 1",
        ),
    ];
    for (command, from, to) in cases {
        let before = snapshot(&by_command);
        let out = run_in(&by_command, command);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {}", stderr(&out));
        let expected = refusal_block(&out);
        assert!(!expected.is_empty(), "{command:?}: {}", stderr(&out));
        assert_eq!(snapshot(&by_command), before);

        edit_by_hand(from, to);
        let hand_before = snapshot(&by_hand);
        let out = run_in(&by_hand, &["generate"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{command:?} by hand: {}",
            stderr(&out)
        );
        assert_eq!(refusal_block(&out), expected, "{command:?} by hand");
        assert!(stderr(&out).contains("--allow-broken"), "{}", stderr(&out));
        assert_eq!(
            snapshot(&by_hand),
            hand_before,
            "a refused generate writes nothing"
        );
        // --allow-broken applies it, with the same block as a warning; `--check` then passes.
        let out = run_in(&by_hand, &["-q", "generate", "--allow-broken"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("applied anyway: --allow-broken"),
            "{}",
            stderr(&out)
        );
        for place in &expected {
            assert!(
                stderr(&out).contains(place.as_str()),
                "{place}: {}",
                stderr(&out)
            );
        }
        // Back to the manifest as it was, for the next case (a retype back is a retype too).
        std::fs::write(&manifest, &original).unwrap();
        let out = run_in(&by_hand, &["generate", "--allow-broken"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // A required option by hand, named at the test's DDL line.
    edit_by_hand(
        "[[options]]",
        "[[options]]\nkey = \"hostname\"\ntype = \"string\"\nrequired = true\n\n[[options]]",
    );
    let out = run_in(&by_hand, &["generate"]);
    let places = named_places(&by_hand, &out);
    assert_eq!(places.len(), 1, "{}", stderr(&out));
    assert_eq!(places[0].0, TEST_JAVA);
    assert!(
        places[0].2.contains("'connector' = 'acme'"),
        "{:?}",
        places[0]
    );
}

trait TapDir {
    fn tap_dir(self) -> Self;
}

impl TapDir for PathBuf {
    /// The directory, created.
    fn tap_dir(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}
