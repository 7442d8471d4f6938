//! What a bundled dependency really puts into a shaded jar: the Java packages of its own jar
//! and of the dependencies Maven brings with it (compile/runtime, not optional, exclusions
//! honoured, the nearest declaration of an artifact wins), read from the jars of the local
//! repository. A groupId says little about packages (gson's is `com.google.code.gson`, its
//! classes are `com.google.gson`), and a dependency's own dependencies are bundled too.

use std::collections::{BTreeSet, HashSet, VecDeque};

use super::effective::{Dependency, EffectivePom};
use super::resolve::{Gav, Resolver};
use crate::jar::JarIndex;

/// Artifacts followed below one direct dependency; past this the rest is "unknown".
const MAX_ARTIFACTS: usize = 200;
/// Levels of dependencies followed below one direct dependency.
const MAX_DEPTH: usize = 12;

/// One artifact of the bundle and the packages of its classes.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub gav: Gav,
    /// The direct dependency's `groupId:artifactId` it comes through (`None`: it is the direct one).
    pub via: Option<String>,
    pub packages: BTreeSet<String>,
}

/// What a direct dependency contributes, and what could not be read (with the reason).
#[derive(Debug, Default)]
pub struct Bundle {
    pub artifacts: Vec<Contribution>,
    pub unknown: Vec<String>,
}

/// The artifacts `dep` bundles (itself first), keeping only those `included` accepts (the shade
/// plugin's artifactSet). `declared` are the project's own dependencies: Maven's nearest
/// declaration wins, so a transitive artifact the project declares itself is not followed here.
pub fn bundle(
    dep: &Dependency,
    declared: &[Dependency],
    included: &dyn Fn(&str, &str) -> bool,
    resolver: &mut Resolver,
) -> Bundle {
    let mut out = Bundle::default();
    let Some(version) = dep.version.clone() else {
        out.unknown
            .push(format!("{}: no version declared", dep.coordinates()));
        return out;
    };
    let mut seen: HashSet<(String, String)> = declared
        .iter()
        .map(|d| (d.group_id.clone(), d.artifact_id.clone()))
        .collect();
    let root = Gav {
        group_id: dep.group_id.clone(),
        artifact_id: dep.artifact_id.clone(),
        version,
    };
    // (artifact, exclusions in force along its path, depth)
    let mut queue = VecDeque::from([(root, dep.exclusions.clone(), 0usize)]);
    let via = dep.coordinates();
    while let Some((gav, exclusions, depth)) = queue.pop_front() {
        if out.artifacts.len() + out.unknown.len() >= MAX_ARTIFACTS {
            out.unknown.push(format!(
                "more than {MAX_ARTIFACTS} artifacts below {via}: the rest not read"
            ));
            break;
        }
        let is_root = depth == 0;
        if included(&gav.group_id, &gav.artifact_id) {
            match resolver.resolve_jar(&gav).and_then(|jar| packages(&jar)) {
                Ok(packages) => out.artifacts.push(Contribution {
                    gav: gav.clone(),
                    via: (!is_root).then(|| via.clone()),
                    packages,
                }),
                Err(reason) => out.unknown.push(format!("{gav}: {reason}")),
            }
        }
        if depth >= MAX_DEPTH {
            out.unknown.push(format!(
                "{gav}: dependencies deeper than {MAX_DEPTH} levels not read"
            ));
            continue;
        }
        let model = resolver
            .resolve(&gav)
            .and_then(|pom| EffectivePom::load(&pom, resolver).map_err(|e| e.to_string()));
        let model = match model {
            Ok(model) => model,
            Err(reason) => {
                out.unknown.push(format!(
                    "the dependencies of {gav}: its POM is unavailable ({reason})"
                ));
                continue;
            }
        };
        for child in &model.dependencies {
            let excluded = exclusions.iter().any(|(g, a)| {
                (g == "*" || *g == child.group_id) && (a == "*" || *a == child.artifact_id)
            });
            let transitive = child.ships() == Some(true);
            if excluded || !transitive {
                continue;
            }
            if !seen.insert((child.group_id.clone(), child.artifact_id.clone())) {
                continue;
            }
            let Some(version) = child.version.clone().filter(|v| is_plain_version(v)) else {
                out.unknown.push(format!(
                    "{}:{} (through {gav}): version {} not resolved",
                    child.group_id,
                    child.artifact_id,
                    child.version.as_deref().unwrap_or("unknown")
                ));
                continue;
            };
            let mut inherited = exclusions.clone();
            inherited.extend(child.exclusions.iter().cloned());
            queue.push_back((
                Gav {
                    group_id: child.group_id.clone(),
                    artifact_id: child.artifact_id.clone(),
                    version,
                },
                inherited,
                depth + 1,
            ));
        }
    }
    out
}

/// A version Maven would use as is (no range, no property left).
fn is_plain_version(version: &str) -> bool {
    !version.is_empty() && !version.contains(['[', '(', ',', '$'])
}

/// The Java packages of the classes in `jar` (META-INF, including multi-release copies, and
/// the unnamed package left out).
pub fn packages(jar: &std::path::Path) -> Result<BTreeSet<String>, String> {
    let index = JarIndex::open(jar).map_err(|e| e.to_string())?;
    Ok(index
        .entries()
        .iter()
        .filter(|e| e.is_class() && !e.name.starts_with("META-INF/"))
        .filter_map(|e| {
            e.name
                .rsplit_once('/')
                .map(|(dir, _)| dir.replace('/', "."))
        })
        .collect())
}

/// Whether a shade `<relocation>` pattern moves the classes of `package` (Maven's shade plugin
/// matches the pattern as a prefix of the class name).
pub fn relocated(package: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| {
        let p = p.trim_end_matches(".*").trim_end_matches('.');
        package == p || package.starts_with(&format!("{p}."))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_covers_its_package_and_those_below_only() {
        let patterns = vec!["com.google.gson".to_string()];
        assert!(relocated("com.google.gson", &patterns));
        assert!(relocated("com.google.gson.internal.bind", &patterns));
        assert!(!relocated("com.google.gsonx", &patterns));
        assert!(!relocated("com.google.errorprone.annotations", &patterns));
        assert!(!relocated("com.google", &patterns));
    }
}
