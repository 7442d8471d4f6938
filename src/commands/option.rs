//! `cargo flink-connector option add|remove|set`: edit connector.toml's options (in place, see
//! [`LocalManifest`]) and re-render, as one transaction under the project lock.

use crate::cli::{OptionCommand, OptionSpec};
use crate::errors::Result;
use crate::manifest::edit::{LocalManifest, OptionEdit};
use crate::manifest::MANIFEST_FILE;
use crate::project;

use super::generate::{apply_edit, lock_and_recover};

pub fn cmd_option(command: OptionCommand) -> Result<u8> {
    let (path, allow_broken) = match &command {
        OptionCommand::Add(spec) | OptionCommand::Set(spec) => {
            (spec.path.as_deref(), spec.allow_broken)
        }
        OptionCommand::Remove {
            path, allow_broken, ..
        } => (path.as_deref(), *allow_broken),
    };
    let root = project::find_root(path)?;
    // The manifest is read under the lock (concurrent edits queue instead of overwriting each
    // other) and after recovery (a committed change of a killed command is never read stale).
    let lock = lock_and_recover(&root, None)?;
    let mut manifest = LocalManifest::read(&root.join(MANIFEST_FILE))?;
    let summary = match &command {
        OptionCommand::Add(spec) => manifest.add_option(&edit_of(spec))?,
        OptionCommand::Set(spec) => manifest.set_option(&edit_of(spec))?,
        OptionCommand::Remove { key, .. } => manifest.remove_option(key)?,
    };
    apply_edit(&lock, manifest, summary, allow_broken)
}

fn edit_of(spec: &OptionSpec) -> OptionEdit {
    OptionEdit {
        key: spec.key.clone(),
        type_: spec.type_.clone(),
        default: spec.default.clone(),
        values: spec.values.clone(),
        required: spec.required,
        sensitive: spec.sensitive,
        description: spec.description.clone(),
    }
}
