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
