//! `cargo flink-connector capability add|remove NAME`: edit `[connector] capabilities` in place
//! and re-render, one transaction like `option`. Options the managed code of a new capability
//! reads are declared with their defaults; an owned client gets marked stubs for the methods the
//! new managed classes call (see `project::symbols::review`).

use crate::cli::{CapabilityArgs, CapabilityCommand};
use crate::errors::{Error, Result};
use crate::manifest::edit::LocalManifest;
use crate::manifest::{Capabilities, MANIFEST_FILE};
use crate::project;

use super::generate::{apply_edit, lock_and_recover};

pub fn cmd_capability(command: CapabilityCommand) -> Result<u8> {
    let (adding, args): (bool, &CapabilityArgs) = match &command {
        CapabilityCommand::Add(a) => (true, a),
        CapabilityCommand::Remove(a) => (false, a),
    };
    let name = args.capability.trim();
    Capabilities::parse(&[name]).map_err(Error::usage)?;
    let root = project::find_root(args.path.as_deref())?;
    let lock = lock_and_recover(&root, None)?;
    let mut local = LocalManifest::read(&root.join(MANIFEST_FILE))?;
    let manifest = local.manifest(None)?;
    let mut names: Vec<&str> = manifest.capabilities.names();
    let present = names.contains(&name);
    let summary = if adding {
        if present {
            return Err(Error::usage(format!(
                "the connector has capability '{name}' already"
            )));
        }
        names.push(name);
        let new_caps = Capabilities::parse(&names).map_err(Error::usage)?;
        // The managed code of the new capability reads these options: declare the missing ones
        // with the built-in preset's defaults, so the manifest stays valid.
        let blank = crate::render::TemplateTree::builtin().preset_defaults("blank")?;
        for (key, _) in new_caps.required_options() {
            if manifest.options.iter().any(|o| o.key == key) {
                continue;
            }
            if let Some(def) = blank.options.iter().find(|o| o.key == key) {
                local.add_option_def(def)?;
            }
        }
        format!("added capability '{name}'")
    } else {
        if !present {
            return Err(Error::usage(format!(
                "the connector has no capability '{name}' (it has {})",
                names.join(", ")
            )));
        }
        names.retain(|n| *n != name);
        if names.is_empty() {
            return Err(Error::usage(format!(
                "'{name}' is the connector's only capability; a connector needs at least one"
            )));
        }
        format!("removed capability '{name}'")
    };
    let caps = Capabilities::parse(&names).map_err(Error::usage)?;
    local.set_capabilities(&caps.names());
    apply_edit(&lock, local, summary, args.allow_broken)
}
