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
    let discovery: Vec<String> = FACTORY_INTERFACES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !GROUPING_INTERFACES.contains(name))
        .map(|name| name.replace('/', "."))
        .collect();
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
        .map(|line| {
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
        })
        .collect()
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
    pub wrong: Vec<String>,
    /// Unknown answers with inspect's reason, `class: note`.
    pub unknown_notes: Vec<String>,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} factories; identifiers {} exact, {} unknown; option sets {} exact, {} unknown; {} wrong",
            self.factories,
            self.identifiers_exact,
            self.identifiers_unknown,
            self.sets_exact,
            self.sets_unknown,
            self.wrong.len()
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
        match &seen.identifier {
            None => tally.identifiers_unknown += 1,
            Some(id) if Some(id) == truth.identifier.as_ref() => tally.identifiers_exact += 1,
            Some(id) => tally.wrong.push(format!(
                "{key:?} identifier: ServiceLoader {:?}, inspect {id:?}",
                truth.identifier
            )),
        }
        for (what, t, s) in [
            ("required", &truth.required, &seen.required),
            ("optional", &truth.optional, &seen.optional),
        ] {
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
