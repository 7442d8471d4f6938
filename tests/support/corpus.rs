//! The real-world jar corpus (tests/corpus/jars.toml): the list, and each jar cached under
//! ~/.cache/cargo-flink-connector/corpus/<group>/<artifact>/<version>/, fetched once with Maven.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `(coordinate, line)` from the [jars] table, in file order.
pub fn list() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/jars.toml");
    let doc: toml_edit::DocumentMut = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    doc["jars"]
        .as_table()
        .expect("[jars]")
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_str().expect("a line").to_string()))
        .collect()
}

/// The cached jar of `G:A:V`, fetched with Maven (`dependency:copy`) when missing.
pub fn fetch(coordinate: &str) -> Result<PathBuf, String> {
    fetch_artifact(coordinate, "corpus", "jar")
}

/// The cached POM of `G:A:V` (under corpus-poms/), fetched with Maven when missing, so a test
/// that reads a corpus POM never depends on another test having downloaded it.
pub fn fetch_pom(coordinate: &str) -> Result<PathBuf, String> {
    fetch_artifact(coordinate, "corpus-poms", "pom")
}

/// `<cache>/<folder>/<group>/<artifact>/<version>/<artifact>-<version>.<kind>`, copied there by
/// `mvn dependency:copy` through [`super::ensure_cached`] (safe when two tests want it at once).
fn fetch_artifact(coordinate: &str, folder: &str, kind: &str) -> Result<PathBuf, String> {
    let parts: Vec<&str> = coordinate.split(':').collect();
    let [group, artifact, version] = parts[..] else {
        return Err(format!("{coordinate}: not G:A:V"));
    };
    let dir = super::cache_dir()
        .join(folder)
        .join(group)
        .join(artifact)
        .join(version);
    super::ensure_cached(&dir, |partial| {
        let out = Command::new("mvn")
            .args(["-B", "-q", "dependency:copy"])
            .arg(format!("-Dartifact={coordinate}:{kind}"))
            .arg(format!("-DoutputDirectory={}", partial.display()))
            .output()
            .map_err(|e| format!("mvn: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{coordinate}: Maven could not resolve it"))
        }
    })?;
    Ok(dir.join(format!("{artifact}-{version}.{kind}")))
}

/// The provisioned patch of `line` ("1.20" → "1.20.5").
pub fn patch_of(line: &str) -> &'static str {
    super::FLINK_VERSIONS
        .iter()
        .find(|v| {
            v.strip_prefix(line)
                .is_some_and(|rest| rest.starts_with('.'))
        })
        .unwrap_or_else(|| panic!("no provisioned patch for line {line}"))
}

/// A Maven local repository of the tests' own (`<cache>/test-m2-jars`) holding `artifacts`
/// (`G:A:V`) and the artifacts they bring, fetched with the user's Maven (settings, mirrors);
/// `None` without Maven. The relocation rule reads bundled dependencies' jars from it.
pub fn maven_repo_with(artifacts: &[&str]) -> Option<PathBuf> {
    if !super::require_command("mvn") {
        return None;
    }
    let repo = super::cache_dir().join("test-m2-jars");
    std::fs::create_dir_all(&repo).unwrap();
    for artifact in artifacts {
        let out = Command::new("mvn")
            .args(["-B", "-q", "dependency:get", "-Dtransitive=true"])
            .arg(format!("-Dartifact={artifact}"))
            .arg(format!("-Dmaven.repo.local={}", repo.display()))
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", super::tail(&out, 20));
    }
    Some(repo)
}
