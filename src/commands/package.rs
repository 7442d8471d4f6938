//! `cargo flink-connector package`: build with Maven, then report on the jar.

use crate::build;
use crate::cli::PackageArgs;
use crate::errors::{Error, Result};
use crate::manifest::{Manifest, MANIFEST_FILE};
use crate::project;

pub fn cmd_package(args: PackageArgs) -> Result<u8> {
    let root = project::find_root(args.path.as_deref())?;
    let manifest = Manifest::load(&root.join(MANIFEST_FILE))?;
    eprintln!(
        "Building {} (Flink {}) with Maven…",
        manifest.artifact_id, manifest.flink
    );
    build::maven_package(&root, args.offline, &args.maven_args)?;
    let jar = root
        .join("target")
        .join(format!("{}-{}.jar", manifest.artifact_id, manifest.version));
    let size = std::fs::metadata(&jar)
        .map_err(|_| Error::Failed(format!("Maven succeeded but {} is missing", jar.display())))?
        .len();
    println!("jar:        {} ({})", jar.display(), human_size(size));
    println!("identifier: {}", manifest.identifier);
    println!("options:    {}", manifest.options.len());
    Ok(0)
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
