//! `inspect` over the real-world corpus (tests/corpus/jars.toml): every factory's identifier and
//! option keys, as read from bytecode, against what the JVM itself returns — ServiceLoader over
//! the jar with the lib/ of the line it was built for, and the factory's own
//! `factoryIdentifier()`, `requiredOptions()`, `optionalOptions()`. One JVM serves the whole
//! corpus (tests/fixtures/inspect/java/CorpusFactories.java: a class loader per jar over one per
//! line).
//!
//! The bar (issue 9): identifiers exact or unknown 100 %, option sets ≥ 99 % exact and none
//! wrong. Runs by default; with CI=true missing Java, Flink lib/ or corpus jars fail the test.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use cargo_flink_connector::flink::runtime::RuntimeLib;
use support::factories::{compare, corpus_service_loader_view, inspect_view, View};

#[test]
fn inspect_is_exact_or_unknown_on_every_corpus_factory() {
    if !support::require_jdk() {
        return;
    }
    // (lib/, jar, line) for every corpus jar; a jar Maven cannot fetch fails the test.
    let mut rows: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    let mut unresolved = Vec::new();
    for (coordinate, line) in support::corpus::list() {
        let Some(lib) = support::flink_lib(support::corpus::patch_of(&line)) else {
            return;
        };
        match support::corpus::fetch(&coordinate) {
            Ok(jar) => rows.push((lib, jar, line)),
            Err(e) => unresolved.push(e),
        }
    }
    if !support::require(
        &format!("corpus jars {unresolved:?}"),
        unresolved.is_empty(),
    ) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let _heavy = support::heavy();

    let started = Instant::now();
    let pairs: Vec<(PathBuf, PathBuf)> = rows
        .iter()
        .map(|(l, j, _)| (l.clone(), j.clone()))
        .collect();
    let truth = corpus_service_loader_view(&pairs, work.path());
    let jvm_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut runtimes: BTreeMap<&str, RuntimeLib> = BTreeMap::new();
    let mut actual = View::new();
    for (lib, jar, line) in &rows {
        let runtime = runtimes
            .entry(line.as_str())
            .or_insert_with(|| RuntimeLib::open(lib).unwrap());
        actual.extend(inspect_view(std::slice::from_ref(jar), Some(runtime)));
    }
    let inspect_seconds = started.elapsed().as_secs_f64();

    // A provider the JVM cannot load with lib/ alone (its optional dependencies are not there)
    // has no ground truth: counted apart, not compared.
    for (jar, class, _) in &truth.skipped {
        actual.remove(&(jar.clone(), class.clone()));
    }
    let tally = compare(&truth.view, &actual);
    let jars_with_factories = truth
        .view
        .keys()
        .map(|(jar, _)| jar)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let untestable_ids = tally
        .untestable
        .iter()
        .filter(|u| u.contains(" identifier: "))
        .count();
    let ids = tally.factories - untestable_ids;
    let sets = 2 * tally.factories - (tally.untestable.len() - untestable_ids);
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    eprintln!(
        "corpus inspect: {} factories in {jars_with_factories} of {} jars; identifiers {} exact \
         ({:.1} %), {} unknown, {} wrong of {ids}; option sets {} exact ({:.1} %), {} unknown, {} \
         wrong of {sets}; {} values the JVM could not compute (not counted); {} listed providers \
         not loadable with lib/ alone; JVM {jvm_seconds:.1} s, inspect {inspect_seconds:.1} s",
        tally.factories,
        rows.len(),
        tally.identifiers_exact,
        pct(tally.identifiers_exact, ids),
        tally.identifiers_unknown,
        ids - tally.identifiers_exact - tally.identifiers_unknown,
        tally.sets_exact,
        pct(tally.sets_exact, sets),
        tally.sets_unknown,
        sets - tally.sets_exact - tally.sets_unknown,
        tally.untestable.len(),
        truth.skipped.len(),
    );
    for u in &tally.untestable {
        eprintln!("  not computable by the JVM: {u}");
    }
    for (jar, class, why) in &truth.skipped {
        eprintln!("  not loadable: {jar} {class}: {why}");
    }
    for note in &tally.unknown_notes {
        eprintln!("  unknown: {note}");
    }
    assert!(
        tally.factories >= 100,
        "ServiceLoader found only {} factories in the corpus",
        tally.factories
    );
    assert!(
        tally.wrong.is_empty(),
        "inspect differs from the JVM:\n{}",
        tally.wrong.join("\n")
    );
    assert!(
        tally.sets_exact * 100 >= sets * 99,
        "option sets exact {} of {sets} (< 99 %):\n{}",
        tally.sets_exact,
        tally.unknown_notes.join("\n")
    );
}
