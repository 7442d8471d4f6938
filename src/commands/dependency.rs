//! `cargo flink-connector dependency add|remove`: edit `[[dependencies]]` in connector.toml in
//! place and re-render, one transaction like `option`. A bundled dependency is shaded into the jar
//! and its `--relocate` packages moved under `<package>.shaded.`; `--test` adds a test-scope one.

use crate::cli::DependencyCommand;
use crate::errors::{Error, Result};
use crate::manifest::edit::LocalManifest;
use crate::manifest::MANIFEST_FILE;
use crate::project;

use super::generate::{apply_edit, lock_and_recover};

pub fn cmd_dependency(command: DependencyCommand) -> Result<u8> {
    let (path, allow_broken) = match &command {
        DependencyCommand::Add {
            path, allow_broken, ..
        }
        | DependencyCommand::Remove {
            path, allow_broken, ..
        } => (path.as_deref(), *allow_broken),
    };
    let root = project::find_root(path)?;
    let lock = lock_and_recover(&root, None)?;
    let mut local = LocalManifest::read(&root.join(MANIFEST_FILE))?;
    let summary = match &command {
        DependencyCommand::Add {
            coordinates,
            relocate,
            test,
            ..
        } => {
            let parts: Vec<&str> = coordinates.trim().split(':').collect();
            let [group, artifact, version] = parts[..] else {
                return Err(Error::usage(format!(
                    "'{coordinates}' is not GROUP:ARTIFACT:VERSION (e.g. org.apache.commons:commons-pool2:2.12.0)"
                )));
            };
            refuse_what_the_pom_declares(&root, group, artifact)?;
            local.add_dependency(group, artifact, version, relocate, *test)?
        }
        DependencyCommand::Remove { coordinates, .. } => {
            let mut parts = coordinates.trim().split(':');
            let (Some(group), Some(artifact)) = (parts.next(), parts.next()) else {
                return Err(Error::usage(format!(
                    "'{coordinates}' is not GROUP:ARTIFACT (e.g. org.apache.commons:commons-pool2)"
                )));
            };
            local.remove_dependency(group, artifact)?
        }
    };
    // Validated (coordinates, packages) with the whole manifest, before anything is written.
    local.manifest(Some(&summary))?;
    apply_edit(&lock, local, summary, allow_broken)
}

/// A dependency the generated pom.xml already declares (AssertJ, JUnit, Flink's own…) added again
/// would be declared twice: Maven warns and uses one of the two. Refused, naming the line.
fn refuse_what_the_pom_declares(root: &std::path::Path, group: &str, artifact: &str) -> Result<()> {
    let path = root.join("pom.xml");
    if !path.is_file() {
        return Ok(());
    }
    let pom = crate::pom::Pom::read(&path)?;
    let declared = pom.root.descendants().into_iter().any(|e| {
        e.name == "dependency"
            && e.text_of("groupId").map(str::trim) == Some(group)
            && e.text_of("artifactId").map(str::trim) == Some(artifact)
    });
    if declared {
        return Err(Error::usage(format!(
            "{group}:{artifact} is a dependency already: pom.xml declares it (set its version with the pom's version property, or remove it from the templates first)"
        )));
    }
    Ok(())
}
