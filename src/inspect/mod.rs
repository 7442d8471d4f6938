//! `inspect JAR`: the factories a console would show after parsing an uploaded connector —
//! class, identifier, factory interfaces, required and optional options — read from bytecode.

pub mod classpath;
pub mod eval;
pub mod factories;
pub mod render;

use std::path::Path;

use crate::check::target::version_from_jar_name;
use crate::cli::{InspectArgs, InspectFormat};
use crate::errors::{Error, Result};
use crate::flink::runtime::RuntimeLib;
use crate::flink::LINES;
use crate::jar::JarIndex;

pub use factories::{FactoryInfo, OptionInfo, UNKNOWN};

pub fn cmd_inspect(args: InspectArgs) -> Result<u8> {
    let jar = JarIndex::open(&args.jar).map_err(|e| Error::usage(e.to_string()))?;
    let runtime = runtime_for(&args.jar);
    let factories = factories::inspect_jar(&jar, runtime.as_ref());
    let text = match args.format {
        InspectFormat::Json => render::json(&args.jar, &factories),
        InspectFormat::Yaml => render::yaml(&args.jar, &factories),
        InspectFormat::Markdown => render::markdown(&args.jar, &factories),
    };
    print!("{text}");
    Ok(0)
}

/// Flink's own option constants are the same on every line, so any cached runtime resolves
/// them; prefer the version the jar name states, else the newest cached line.
fn runtime_for(jar: &Path) -> Option<RuntimeLib> {
    let named = jar
        .file_name()
        .and_then(|n| version_from_jar_name(&n.to_string_lossy()))
        .map(|(v, _)| v);
    let candidates = named
        .into_iter()
        .chain(LINES.iter().rev().map(|l| l.latest()));
    candidates
        .filter_map(|v| RuntimeLib::cached_dir(&v))
        .find_map(|dir| RuntimeLib::open(&dir).ok())
}
