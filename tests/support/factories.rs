//! Ground truth for `inspect`: a Java program loads every table Factory through ServiceLoader
//! and prints identifier, option keys and interfaces; [`compare`] checks that what `inspect`
//! read from bytecode is the same, or honestly unknown — never different.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_flink_connector::flink::runtime::{RuntimeLib, FACTORY_INTERFACES, GROUPING_INTERFACES};
use cargo_flink_connector::inspect::factories::inspect_jar;
use cargo_flink_connector::inspect::OptionInfo;
use cargo_flink_connector::jar::JarIndex;

/// One factory: `None` where `inspect` said "unknown".
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub identifier: Option<String>,
    pub required: Option<BTreeSet<String>>,
    pub optional: Option<BTreeSet<String>>,
    pub interfaces: BTreeSet<String>,
    pub notes: Vec<String>,
}

/// `(jar file name, factory class)` → what was seen.
pub type View = BTreeMap<(String, String), Seen>;

fn split(field: &str) -> BTreeSet<String> {
    field
        .split('|')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs ListFactories with `LIB/*` and `extra` on the class path.
pub fn service_loader_view(lib: &Path, extra: &[&Path], work: &Path) -> View {
    let source = super::fixture_dir().join("java/ListFactories.java");
    let classes = work.join("list-factories");
    super::javac_sources(&[source], &super::lib_classpath(lib, &[]), 11, &classes)
        .unwrap_or_else(|e| panic!("{e}"));
    let discovery = discovery_interfaces();
    let mut extra_cp: Vec<&Path> = vec![&classes];
    extra_cp.extend(extra);
    let output = Command::new("java")
        .arg("-cp")
        .arg(super::lib_classpath(lib, &extra_cp))
        .arg("ListFactories")
        .args(&discovery)
        .output()
        .expect("java runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(parse_factory_line)
        .collect()
}

/// One factory line of ListFactories/CorpusFactories: jar, class, identifier, keys, interfaces.
fn parse_factory_line(line: &str) -> ((String, String), Seen) {
    let f: Vec<&str> = line.split('\t').collect();
    assert_eq!(f.len(), 6, "{line}");
    let seen = Seen {
        identifier: Some(f[2].into()),
        required: Some(split(f[3])),
        optional: Some(split(f[4])),
        interfaces: split(f[5]),
        notes: Vec::new(),
    };
    ((f[0].to_string(), f[1].to_string()), seen)
}

/// The interfaces ServiceLoader's side tests (the discovery interfaces, as binary names).
fn discovery_interfaces() -> Vec<String> {
    FACTORY_INTERFACES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !GROUPING_INTERFACES.contains(name))
        .map(|name| name.replace('/', "."))
        .collect()
}

/// What one JVM running CorpusFactories saw over many jars.
pub struct CorpusTruth {
    pub view: View,
    /// `(jar file, class, why)`: listed providers the JVM could not load or instantiate with
    /// that line's lib/ alone (an optional dependency the jar expects on the class path).
    pub skipped: Vec<(String, String, String)>,
    pub jars: usize,
}

/// Runs CorpusFactories once for every `(Flink lib/, jar)`: each jar gets its own class loader
/// over a shared one per lib/, so one JVM serves the whole corpus.
pub fn corpus_service_loader_view(rows: &[(PathBuf, PathBuf)], work: &Path) -> CorpusTruth {
    use std::io::Write;
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inspect/java/CorpusFactories.java");
    let classes = work.join("corpus-factories");
    super::javac_sources(&[source], "", 11, &classes).unwrap_or_else(|e| panic!("{e}"));
    let tmp = work.join("jvm-tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut child = Command::new("java")
        .arg(format!("-Djava.io.tmpdir={}", tmp.display()))
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"])
        .arg(&classes)
        .arg("CorpusFactories")
        .args(discovery_interfaces())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("java runs");
    let mut input = String::new();
    for (lib, jar) in rows {
        input.push_str(&format!("{}\t{}\n", lib.display(), jar.display()));
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("java runs");
    writer.join().unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "CorpusFactories failed:\n{stderr}");
    let mut truth = CorpusTruth {
        view: View::new(),
        skipped: Vec::new(),
        jars: 0,
    };
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        if let Some(rest) = line.strip_prefix("#skip\t") {
            let f: Vec<&str> = rest.splitn(3, '\t').collect();
            assert_eq!(f.len(), 3, "{line}");
            truth.skipped.push((f[0].into(), f[1].into(), f[2].into()));
        } else if line.starts_with("#done\t") {
            truth.jars += 1;
        } else {
            let (key, seen) = parse_factory_line(line);
            truth.view.insert(key, seen);
        }
    }
    assert_eq!(
        truth.jars,
        rows.len(),
        "CorpusFactories stopped early:\n{stderr}"
    );
    truth
}

fn keys(options: &Option<Vec<OptionInfo>>) -> Option<BTreeSet<String>> {
    options
        .as_ref()
        .map(|o| o.iter().map(|o| o.key.clone()).collect())
}

/// What `inspect` reads from each of `jars` (the runtime, if given, resolves Flink's constants).
pub fn inspect_view(jars: &[PathBuf], runtime: Option<&RuntimeLib>) -> View {
    let mut view = BTreeMap::new();
    for path in jars {
        let jar = JarIndex::open(path).unwrap();
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        for f in inspect_jar(&jar, runtime) {
            let seen = Seen {
                identifier: f.identifier.clone(),
                required: keys(&f.required_options),
                optional: keys(&f.optional_options),
                interfaces: f.interfaces.iter().cloned().collect(),
                notes: f.notes.clone(),
            };
            view.insert((file_name.clone(), f.class.clone()), seen);
        }
    }
    view
}

/// Exact and unknown answers, and every answer that differs from ServiceLoader's.
#[derive(Debug, Default)]
pub struct Tally {
    pub factories: usize,
    pub identifiers_exact: usize,
    pub identifiers_unknown: usize,
    pub sets_exact: usize,
    pub sets_unknown: usize,
    /// Identifiers and option sets the JVM itself could not compute (the call threw, e.g. an
    /// optional dependency missing from the class path): no ground truth, not counted above.
    pub untestable: Vec<String>,
    pub wrong: Vec<String>,
    /// Unknown answers with inspect's reason, `class: note`.
    pub unknown_notes: Vec<String>,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} factories; identifiers {} exact, {} unknown; option sets {} exact, {} unknown; \
             {} wrong; {} not computable by the JVM",
            self.factories,
            self.identifiers_exact,
            self.identifiers_unknown,
            self.sets_exact,
            self.sets_unknown,
            self.wrong.len(),
            self.untestable.len()
        )
    }
}

pub fn compare(expected: &View, actual: &View) -> Tally {
    let mut tally = Tally::default();
    for (key, truth) in expected {
        tally.factories += 1;
        let Some(seen) = actual.get(key) else {
            tally
                .wrong
                .push(format!("{key:?}: ServiceLoader found it, inspect did not"));
            continue;
        };
        let threw = |v: Option<&String>| v.and_then(|v| v.strip_prefix('!').map(str::to_owned));
        if let Some(why) = threw(truth.identifier.as_ref()) {
            tally.untestable.push(format!("{key:?} identifier: {why}"));
        } else {
            match &seen.identifier {
                None => tally.identifiers_unknown += 1,
                Some(id) if Some(id) == truth.identifier.as_ref() => tally.identifiers_exact += 1,
                Some(id) => tally.wrong.push(format!(
                    "{key:?} identifier: ServiceLoader {:?}, inspect {id:?}",
                    truth.identifier
                )),
            }
        }
        for (what, t, s) in [
            ("required", &truth.required, &seen.required),
            ("optional", &truth.optional, &seen.optional),
        ] {
            // ListFactories/CorpusFactories print a set whose call threw as one "!…" key.
            let one = t.as_ref().filter(|t| t.len() == 1).and_then(|t| t.first());
            if let Some(why) = threw(one) {
                tally
                    .untestable
                    .push(format!("{key:?} {what} options: {why}"));
                continue;
            }
            match s {
                None => tally.sets_unknown += 1,
                Some(s) if Some(s) == t.as_ref() => tally.sets_exact += 1,
                Some(s) => tally.wrong.push(format!(
                    "{key:?} {what} options: ServiceLoader {t:?}, inspect {s:?}"
                )),
            }
        }
        // ServiceLoader's side only tests the interfaces FACTORY_INTERFACES names (a newer
        // line may add one, e.g. 2.3's SecretStoreFactory): compare within that list.
        let asked: BTreeSet<String> = seen
            .interfaces
            .iter()
            .filter(|i| {
                FACTORY_INTERFACES
                    .iter()
                    .any(|(name, _)| name.replace('/', ".") == **i)
            })
            .cloned()
            .collect();
        if asked != truth.interfaces {
            tally.wrong.push(format!(
                "{key:?} interfaces: ServiceLoader {:?}, inspect {:?}",
                truth.interfaces, asked
            ));
        }
        for note in &seen.notes {
            tally.unknown_notes.push(format!("{}: {note}", key.1));
        }
    }
    for key in actual.keys().filter(|k| !expected.contains_key(*k)) {
        tally
            .wrong
            .push(format!("{key:?}: inspect found it, ServiceLoader did not"));
    }
    tally
}
