//! `cargo flink-connector package`: build with Maven, audit the jar with the `check` rules against
//! the manifest's Flink version, and write the connector's metadata beside the jar.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::build;
use crate::cli::PackageArgs;
use crate::errors::{Error, Result};
use crate::inspect::{factories, render};
use crate::jar::JarIndex;
use crate::manifest::{Manifest, MANIFEST_FILE};
use crate::project;

pub fn cmd_package(args: PackageArgs) -> Result<u8> {
    let root = project::find_root(args.path.as_deref())?;
    // Finish (or refuse) an interrupted command's journal before reading the manifest; the lock
    // is not held through the Maven build.
    drop(super::generate::lock_and_recover(&root, None)?);
    let manifest = Manifest::load(&root.join(MANIFEST_FILE))?;
    let lines = super::package_lines::selected_lines(&manifest, &args.line)?;
    if !manifest.lines.is_empty() {
        return super::package_lines::package_lines(&root, &manifest, &lines, &args);
    }
    crate::ui::status(format_args!(
        "Building {} (Flink {}) with {}…",
        manifest.artifact_id,
        manifest.flink,
        maven_name(&root)
    ));
    let started = SystemTime::now();
    build::maven_package(
        &root,
        &build::MavenOptions {
            offline: args.offline,
            args: args.maven_args,
        },
    )
    .inspect_err(|_| print_failed_tests(&root.join("target/surefire-reports"), started))?;
    let jar = root
        .join("target")
        .join(format!("{}-{}.jar", manifest.artifact_id, manifest.version));
    let size = std::fs::metadata(&jar)
        .map_err(|_| Error::Failed(format!("Maven succeeded but {} is missing", jar.display())))?
        .len();

    let metadata = write_metadata(&jar, &manifest.artifact_id)?;

    crate::ui::status(format_args!(
        "Auditing {} against flink-{}…",
        file_name(&jar),
        manifest.flink
    ));
    let audit = crate::check::audit(
        &[jar.clone(), root.join("pom.xml")],
        &crate::check::CheckOptions::for_target(crate::check::target::Target::parse(&format!(
            "flink-{}",
            manifest.flink
        ))?),
        crate::check::report::Format::Human,
        &mut std::io::stdout().lock(),
    )?;

    println!(
        "jar:        {} ({})",
        jar.display(),
        super::package_lines::human_size(size)
    );
    if let Some((found, meta, options_md)) = &metadata {
        let identifiers: Vec<String> = found
            .iter()
            .map(|f| f.identifier.clone().unwrap_or_else(|| "(computed)".into()))
            .collect();
        let option_count: Option<usize> = found
            .iter()
            .map(|f| Some(f.required_options.as_ref()?.len() + f.optional_options.as_ref()?.len()))
            .sum();
        println!(
            "identifier: {}",
            if identifiers.is_empty() {
                "none found".to_string()
            } else {
                identifiers.join(", ")
            }
        );
        match option_count {
            Some(count) => println!("options:    {count} (read from bytecode)"),
            None => println!("options:    not all known exactly (see the metadata files)"),
        }
        println!("metadata:   {}, {}", meta.display(), options_md.display());
    } else {
        println!("identifier: unknown (the factories services file cannot be read)");
        println!("metadata:   not written");
    }
    println!(
        "audit:      {}",
        if audit == 0 {
            "no errors"
        } else {
            "ERRORS (see above)"
        }
    );
    // Metadata that could not be written is a failure even when the audit passed.
    Ok(if metadata.is_none() {
        audit.max(1)
    } else {
        audit
    })
}

/// The factories, `connector-meta.yaml` and the options table [`write_metadata`] wrote.
pub(super) type Metadata = (Vec<factories::FactoryInfo>, PathBuf, PathBuf);

/// What a managed console would read from the upload — identifiers and options, read from
/// bytecode — written beside the jar as `connector-meta.yaml` and `<artifactId>-options.md`.
/// `None`, with a warning, when which factories the jar registers is unknown (its services
/// file cannot be read): an empty list would claim "no factories", so nothing is written and
/// an earlier build's files are removed, as they describe another jar.
pub(super) fn write_metadata(jar: &Path, artifact_id: &str) -> Result<Option<Metadata>> {
    let index =
        JarIndex::open(jar).map_err(|e| Error::Failed(format!("{}: {e}", jar.display())))?;
    let meta = jar.with_file_name("connector-meta.yaml");
    let options_md = jar.with_file_name(format!("{artifact_id}-options.md"));
    let found = match factories::inspect_jar_exact(&index, None) {
        Ok(found) => found,
        Err(why) => {
            for stale in [&meta, &options_md] {
                match std::fs::remove_file(stale) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io(format!("cannot remove {}", stale.display()), e))
                    }
                    _ => {}
                }
            }
            crate::ui::warn(format_args!(
                "{}: factories unknown: {why}; {} and {} not written",
                jar.display(),
                file_name(&meta),
                file_name(&options_md)
            ));
            return Ok(None);
        }
    };
    crate::project::fs::write_atomic(&meta, render::yaml(jar, &found).as_bytes(), false)?;
    crate::project::fs::write_atomic(&options_md, render::markdown(jar, &found).as_bytes(), false)?;
    Ok(Some((found, meta, options_md)))
}

/// `./mvnw` or `mvn`, for the status lines.
pub(super) fn maven_name(root: &Path) -> &'static str {
    if root.join("mvnw").is_file() {
        "./mvnw"
    } else {
        "mvn"
    }
}

/// Names each test that failed in this build (Surefire's reports written since `started`) and
/// the first line of its assertion, before the error line that ends the command.
pub(super) fn print_failed_tests(reports: &Path, started: SystemTime) {
    for test in crate::multiline::surefire::failures(reports, started) {
        eprintln!("failed test: {test}");
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
