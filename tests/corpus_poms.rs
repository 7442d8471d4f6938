//! The POM corpus (tests/corpus/poms.toml): real POMs of connectors and formats that ship and
//! work, checked with their parents and imported BOMs resolved. No error-level finding may
//! come out of a shipped POM, and every parent must have been read (a check built on an unread
//! parent would prove nothing).
//!
//! Downloads go through Maven only: the corpus POMs with `dependency:copy` (one run for all)
//! into ~/.cache/cargo-flink-connector/corpus-poms/<group>/<artifact>/<version>/, their
//! ancestors into the local repository ~/.m2, in rounds (the audit, run offline, names the
//! parents it could not read; one Maven run fetches them all). A warm cache needs no network;
//! each test fetches what it reads itself (support::ensure_cached), so either runs alone.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Entry {
    gav: String,
    line: String,
}

fn corpus() -> Vec<Entry> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/poms.toml");
    let doc: toml_edit::DocumentMut = std::fs::read_to_string(path).unwrap().parse().unwrap();
    doc["poms"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(gav, line)| Entry {
            gav: gav.to_string(),
            line: line.as_str().unwrap().to_string(),
        })
        .collect()
}

fn split(gav: &str) -> (&str, &str, &str) {
    let mut parts = gav.split(':');
    (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    )
}

fn cached_pom(gav: &str) -> PathBuf {
    let (g, a, v) = split(gav);
    support::cache_dir()
        .join("corpus-poms")
        .join(g)
        .join(a)
        .join(v)
        .join(format!("{a}-{v}.pom"))
}

/// Resolves the POMs `gavs` (and so their parents and imported BOMs, which Maven reads to build
/// their models) into the local repository in one Maven run, and returns the coordinates Maven
/// could not resolve. Each module of a generated aggregator depends on at most one version of
/// an artifact (type pom, every transitive dependency excluded); `-fae` lets every module
/// report all it could not resolve.
fn resolve_poms(gavs: &[String]) -> Vec<String> {
    if gavs.is_empty() {
        return Vec::new();
    }
    let scratch = tempfile::tempdir().unwrap();
    let mut modules: Vec<Vec<&str>> = Vec::new();
    for gav in gavs {
        let (g, a, _) = split(gav);
        let slot = modules.iter().position(|m| {
            !m.iter().any(|other| {
                let (og, oa, _) = split(other);
                (og, oa) == (g, a)
            })
        });
        match slot {
            Some(i) => modules[i].push(gav),
            None => modules.push(vec![gav]),
        }
    }
    for (i, gavs) in modules.iter().enumerate() {
        let dependencies: String = gavs
            .iter()
            .map(|gav| {
                let (g, a, v) = split(gav);
                format!(
                    "<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version><type>pom</type>\
                     <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>"
                )
            })
            .collect();
        let dir = scratch.path().join(format!("m{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("pom.xml"),
            format!(
                "<project><modelVersion>4.0.0</modelVersion><groupId>corpus</groupId><artifactId>m{i}</artifactId>\
                 <version>1</version><packaging>pom</packaging><dependencies>{dependencies}</dependencies></project>"
            ),
        )
        .unwrap();
    }
    let module_list: String = (0..modules.len())
        .map(|i| format!("<module>m{i}</module>"))
        .collect();
    std::fs::write(
        scratch.path().join("pom.xml"),
        format!(
            "<project><modelVersion>4.0.0</modelVersion><groupId>corpus</groupId><artifactId>fetch</artifactId>\
             <version>1</version><packaging>pom</packaging><modules>{module_list}</modules></project>"
        ),
    )
    .unwrap();
    let out = Command::new("mvn")
        .current_dir(scratch.path())
        .args(["-B", "-q", "-fae", "dependency:resolve"])
        .output()
        .expect("run mvn");
    if out.status.success() {
        return Vec::new();
    }
    let log = format!("{}{}", support::stdout(&out), support::stderr(&out));
    let failed: Vec<String> = gavs
        .iter()
        .filter(|gav| {
            let (g, a, v) = split(gav);
            log.contains(&format!("{g}:{a}:pom:{v}"))
        })
        .cloned()
        .collect();
    assert!(
        !failed.is_empty(),
        "Maven failed without naming an artifact:\n{}",
        support::tail(&out, 40)
    );
    failed
}

fn local_repository() -> PathBuf {
    cargo_flink_connector::pom::ResolveOptions::from_env().local_repository
}

/// `check --format json` over `poms` against `target`, with `mvn` as the resolver.
fn check(poms: &[&Path], target: &str, mvn: &str) -> serde_json::Value {
    let out = support::bin()
        .env("CARGO_FLINK_CONNECTOR_MVN", mvn)
        .args([
            "flink-connector",
            "check",
            "--format",
            "json",
            "--target",
            target,
        ])
        .args(poms)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        support::stderr(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `G:A:V` named by "parent G:A:V could not be read" / "imported BOM G:A:V could not be read".
fn unread(report: &serde_json::Value) -> BTreeSet<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["notes"].as_array().unwrap())
        .filter_map(|n| {
            let n = n.as_str()?;
            let rest = n
                .strip_prefix("parent ")
                .or_else(|| n.strip_prefix("imported BOM "))?;
            let (gav, _) = rest.split_once(" could not be read")?;
            Some(gav.to_string())
        })
        .collect()
}

#[test]
fn shipped_poms_have_no_error_findings() {
    if !support::require_command("mvn") {
        return;
    }
    let _heavy = support::heavy();
    let entries = corpus();
    let missing: Vec<String> = entries
        .iter()
        .filter(|e| !cached_pom(&e.gav).is_file())
        .map(|e| e.gav.clone())
        .collect();
    let unavailable = resolve_poms(&missing);
    assert!(
        unavailable.is_empty(),
        "Maven could not resolve {unavailable:?}: move them to [unavailable] in tests/corpus/poms.toml"
    );
    let repository = local_repository();
    for gav in &missing {
        let (g, a, v) = split(gav);
        let gav = cargo_flink_connector::pom::Gav {
            group_id: g.into(),
            artifact_id: a.into(),
            version: v.into(),
        };
        let target = cached_pom(&gav.to_string());
        let source = gav.repository_path(&repository);
        support::ensure_cached(target.parent().unwrap(), |partial| {
            std::fs::copy(&source, partial.join(target.file_name().unwrap()))
                .map(drop)
                .map_err(|e| format!("{}: {e}", source.display()))
        })
        .unwrap();
    }

    let mut by_line: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for e in &entries {
        by_line
            .entry(e.line.clone())
            .or_default()
            .push(cached_pom(&e.gav));
    }
    // Ancestors Maven did not fetch with the POMs (normally none): what the offline audit
    // could not read, resolved in one Maven run per round.
    for _round in 0..10 {
        let mut wanted = BTreeSet::new();
        for (line, poms) in &by_line {
            let poms: Vec<&Path> = poms.iter().map(PathBuf::as_path).collect();
            wanted.extend(unread(&check(&poms, &format!("flink-{line}"), "none")));
        }
        if wanted.is_empty() {
            break;
        }
        let wanted: Vec<String> = wanted.into_iter().collect();
        let failed = resolve_poms(&wanted);
        assert!(
            failed.is_empty(),
            "Maven could not resolve the ancestors {failed:?}"
        );
    }

    let mut errors = Vec::new();
    let mut unresolved = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut checked = 0;
    for (line, poms) in &by_line {
        let poms: Vec<&Path> = poms.iter().map(PathBuf::as_path).collect();
        let report = check(&poms, &format!("flink-{line}"), "mvn");
        for file in report["files"].as_array().unwrap() {
            checked += 1;
            let path = file["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            for note in file["notes"].as_array().unwrap() {
                let note = note.as_str().unwrap();
                if note.contains("could not be read") || note.contains("unknown") {
                    unresolved.push(format!("{name}: {note}"));
                }
            }
            for f in file["findings"].as_array().unwrap() {
                let rule = f["rule"].as_str().unwrap();
                let severity = f["severity"].as_str().unwrap();
                *counts.entry(format!("{severity} {rule}")).or_default() += 1;
                if severity == "error" {
                    errors.push(format!(
                        "{name} (flink-{line}): {rule} at {}: {}",
                        f["location"], f["message"]
                    ));
                }
            }
        }
    }
    eprintln!("POM corpus: {checked} POMs checked; findings by severity and rule: {counts:#?}");
    assert_eq!(checked, entries.len());
    assert!(
        unresolved.is_empty(),
        "parts of the model unknown:\n{}",
        unresolved.join("\n")
    );
    assert!(
        errors.is_empty(),
        "{} false errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// The audit's effective model against Maven's own (`mvn help:effective-pom`) for corpus POMs
/// of every shape: a thin connector, a SQL uber jar, Flink CDC, a Flink module, an aggregator.
/// Compared: each dependency's scope, `flink.version`, and the shade executions that run with
/// the artifacts each includes. Not compared: transformers and filters, because help:effective-pom
/// prints elements without their attributes (`<transformer />`, no `combine.children`), so its
/// text cannot show what Maven merges at run time (tests/check_pom.rs judges those merges on
/// the plugin level, where Maven applies the attributes before printing). Published Flink
/// module POMs are themselves written without those attributes.
#[test]
fn effective_models_match_mavens() {
    use cargo_flink_connector::pom::{parse_xml, EffectivePom, Element, ResolveOptions, Resolver};
    if !support::require_command("mvn") {
        return;
    }
    let _heavy = support::heavy();
    let sample = [
        "org.apache.flink:flink-connector-kafka:3.3.0-1.20",
        "org.apache.flink:flink-sql-connector-kafka:4.0.1-2.0",
        "org.apache.flink:flink-sql-connector-mysql-cdc:3.3.0",
        "org.apache.flink:flink-sql-avro:1.18.1",
        "org.apache.paimon:paimon-flink-1.20:1.2.0",
    ];
    // (execution id, included artifacts)
    type Shade = Vec<(String, Vec<String>)>;
    fn shade_of(plugins: &[&Element], merged: bool) -> Shade {
        let Some(plugin) = plugins
            .iter()
            .find(|p| p.text_of("artifactId") == Some("maven-shade-plugin"))
        else {
            return Vec::new();
        };
        let mut out: Shade = plugin
            .child("executions")
            .into_iter()
            .flat_map(|e| e.children_named("execution"))
            .filter(|e| e.text_of("phase") != Some("none"))
            .map(|e| {
                let own = e.child("configuration").cloned().unwrap_or_default();
                let config = match (merged, plugin.child("configuration")) {
                    (true, Some(shared)) => {
                        cargo_flink_connector::pom::merge::merge_xml(&own, shared)
                    }
                    _ => own,
                };
                let mut includes: Vec<String> = config
                    .path("artifactSet/includes")
                    .map(|i| {
                        i.children
                            .iter()
                            .map(|c| c.text.trim().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                includes.sort();
                (e.text_of("id").unwrap_or("default").to_string(), includes)
            })
            .collect();
        out.sort();
        out
    }
    // Opted in to Maven, as CARGO_FLINK_CONNECTOR_MVN=mvn would (check runs none by default).
    let mut resolver = Resolver::new(ResolveOptions {
        mvn: Some("mvn".into()),
        ..ResolveOptions::from_env()
    });
    for gav in sample {
        let dir = tempfile::tempdir().unwrap();
        let pom = dir.path().join("pom.xml");
        // Fetched here if missing: this test must not depend on the other one's downloads.
        let cached = support::corpus::fetch_pom(gav).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(cached, &pom).unwrap();
        let output = dir.path().join("effective.xml");
        let out = Command::new("mvn")
            .current_dir(dir.path())
            .args(["-B", "-q", "help:effective-pom"])
            .arg(format!("-Doutput={}", output.display()))
            .output()
            .unwrap();
        assert!(out.status.success(), "{gav}: {}", support::tail(&out, 20));
        let maven = parse_xml(&std::fs::read_to_string(&output).unwrap()).unwrap();
        let ours = EffectivePom::load(&pom, &mut resolver).unwrap();
        assert!(ours.unresolved.is_empty(), "{gav}: {:?}", ours.unresolved);

        let mut maven_scopes: Vec<(String, String)> = maven
            .child("dependencies")
            .into_iter()
            .flat_map(|d| d.children_named("dependency"))
            .map(|d| {
                (
                    format!(
                        "{}:{}",
                        d.text_of("groupId").unwrap(),
                        d.text_of("artifactId").unwrap()
                    ),
                    d.text_of("scope").unwrap_or("compile").to_string(),
                )
            })
            .collect();
        let mut our_scopes: Vec<(String, String)> = ours
            .dependencies
            .iter()
            .map(|d| (d.coordinates(), d.scope.clone().unwrap()))
            .collect();
        maven_scopes.sort();
        our_scopes.sort();
        assert_eq!(our_scopes, maven_scopes, "{gav}: dependency scopes");

        let maven_flink = maven
            .path("properties/flink.version")
            .map(|p| p.text.trim().to_string());
        assert_eq!(
            ours.property("flink.version"),
            maven_flink,
            "{gav}: flink.version"
        );

        let maven_plugins: Vec<&Element> = maven
            .path("build/plugins")
            .map(|p| p.children_named("plugin").collect())
            .unwrap_or_default();
        let our_plugins: Vec<&Element> = ours.plugins.iter().collect();
        let mut ours_shade = shade_of(&our_plugins, true);
        for (_, includes) in &mut ours_shade {
            *includes = includes.iter().map(|i| ours.interpolate(i)).collect();
        }
        assert_eq!(
            ours_shade,
            shade_of(&maven_plugins, false),
            "{gav}: shade executions"
        );
    }
}

/// Two tests filling the same cache entry at once both get the whole entry, and nobody ever sees
/// a half-written one (each fills its own directory, renamed into place).
#[test]
fn concurrent_fills_of_one_cache_entry_are_safe() {
    let tmp = tempfile::tempdir().unwrap();
    let entry = tmp.path().join("corpus/g/a/1");
    let fills = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                support::ensure_cached(&entry, |partial| {
                    fills.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    std::fs::write(partial.join("a-1.pom"), "first half").unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    std::fs::write(partial.join("a-1.pom"), "<project/>").unwrap();
                    Ok(())
                })
                .unwrap();
                assert_eq!(support::read(&entry.join("a-1.pom")), "<project/>");
            });
        }
    });
    assert!(fills.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    // Only the entry remains: the losers' directories are gone.
    let left: Vec<_> = std::fs::read_dir(entry.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["1"]);
    // A filled entry is not filled again; a failed fill leaves nothing behind.
    support::ensure_cached(&entry, |_| panic!("filled twice")).unwrap();
    let other = tmp.path().join("corpus/g/a/2");
    assert!(support::ensure_cached(&other, |_| Err("no network".into())).is_err());
    assert!(!other.exists());
    assert_eq!(
        std::fs::read_dir(other.parent().unwrap()).unwrap().count(),
        1
    );
}
