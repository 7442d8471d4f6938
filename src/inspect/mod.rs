//! `inspect JAR|DIR`: the factories a console would show after parsing an uploaded connector —
//! class, identifier, factory interfaces, required and optional options — read from bytecode.
//! Every identifier and option set is exact or reported unknown with the reason, never guessed.

pub mod classpath;
pub mod eval;
pub mod factories;
pub mod render;

use std::path::{Path, PathBuf};

use crate::errors::{Error, Result};
use crate::flink::runtime::RuntimeLib;
use crate::flink::{version_from_jar_name, LINES};
use crate::jar::JarIndex;

pub use factories::{FactoryInfo, OptionInfo, UNKNOWN};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Markdown,
}

#[derive(Debug, Clone)]
pub struct InspectOptions {
    /// A jar, or a project directory whose `target/` holds the built jars.
    pub path: PathBuf,
    pub format: Format,
}

/// `inspect`'s exit code when it could not answer: which factories some jar registers is
/// unknown (its services file cannot be read). Exact or unknown, in the exit code too: a
/// script must not read the `null` report as "no factories".
pub const EXIT_UNKNOWN: u8 = 3;

/// The rendered report, and warnings about what could not be read.
#[derive(Debug)]
pub struct Inspection {
    pub text: String,
    pub warnings: Vec<String>,
    /// Some jar's factories are unknown (the report says `null` and why).
    pub unknown: bool,
}

/// The rendered report for every jar `options.path` names.
pub fn run(options: &InspectOptions) -> Result<Inspection> {
    let jars = jars_of(&options.path)?;
    let mut reports = Vec::new();
    let mut warnings = Vec::new();
    for path in &jars {
        let jar = JarIndex::open(path).map_err(|e| Error::usage(e.to_string()))?;
        let runtime = runtime_for(path);
        let found = factories::inspect_jar_exact(&jar, runtime.as_ref());
        if let Err(why) = &found {
            warnings.push(format!("{}: factories unknown: {why}", path.display()));
        }
        reports.push((path.clone(), found));
        if let Some(skipped) = jar.skipped() {
            warnings.push(format!("{}: {skipped}", path.display()));
        }
    }
    let text = match options.format {
        Format::Json => render::json(&reports),
        Format::Yaml => reports
            .iter()
            .map(|(p, f)| match f {
                Ok(f) => render::yaml(p, f),
                Err(why) => render::yaml_unknown(p, why),
            })
            .collect(),
        Format::Markdown => reports
            .iter()
            .map(|(p, f)| match f {
                Ok(f) => render::markdown(p, f),
                Err(why) => render::markdown_unknown(p, why),
            })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let unknown = reports.iter().any(|(_, found)| found.is_err());
    Ok(Inspection {
        text,
        warnings,
        unknown,
    })
}

/// A jar is itself; a directory means the connector jars Maven built in its `target/` (or, for
/// a directory that is no project, the jars in it) — as `check DIR` reads it.
fn jars_of(path: &Path) -> Result<Vec<PathBuf>> {
    let is_dir = path.is_dir() && path.extension().is_none_or(|e| e != "jar");
    if !is_dir {
        crate::jar::ensure_regular_file(path).map_err(|e| Error::usage(e.to_string()))?;
        return Ok(vec![path.to_owned()]);
    }
    let list = |dir: &Path| {
        crate::jar::connector_jars_in(dir)
            .map_err(|e| Error::io(format!("cannot list {}", dir.display()), e))
    };
    let is_project = path.join("pom.xml").is_file() || path.join("connector.toml").is_file();
    let mut jars = list(&path.join("target"))?;
    // A multi-line project builds one jar per line under target/flink-<line>/.
    for dir in crate::multiline::line_build_dirs(path) {
        jars.extend(list(&dir)?);
    }
    if jars.is_empty() && !is_project {
        jars = list(path)?;
    }
    if jars.is_empty() {
        return Err(Error::usage(if is_project {
            format!(
                "{}: no jar built in {} (run `cargo flink-connector package` or `mvn package` first)",
                path.display(),
                path.join("target").display()
            )
        } else {
            format!(
                "{}: no jar to inspect (neither target/*.jar nor *.jar)",
                path.display()
            )
        }));
    }
    Ok(jars)
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
