//! `cargo flink-connector new NAME`.

use std::path::{Path, PathBuf};

use crate::cli::NewArgs;
use crate::errors::{Error, Result};
use crate::flink::runtime::PLATFORM_CONNECTORS;
use crate::flink::FlinkVersion;
use crate::manifest::{names, Capabilities, Manifest, TemplateSource};
use crate::multiline;
use crate::project;
use crate::render::{self, Extras, FileKind, TemplateTree};
use crate::settings::Settings;
use crate::ui;

const DEFAULT_GROUP_ID: &str = "org.example";
const BLANK_PRESET: &str = "blank";

pub fn cmd_new(args: NewArgs) -> Result<u8> {
    names::validate_connector_name(&args.name)?;
    let identifier = args.identifier.clone().unwrap_or_else(|| args.name.clone());
    names::validate_identifier(&identifier)?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("flink-connector-{}", args.name)));
    let settings = Settings::try_discover(
        dir.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )?;
    let requested = args.flink.as_ref().or(settings.flink_version.as_ref());
    // `--flink 1.19,2.2`: a multi-line project (see crate::multiline).
    let (flink, lines) = match requested {
        Some(v) if v.contains(',') => multiline_versions(v)?,
        Some(v) => (FlinkVersion::parse(v)?, Vec::new()),
        None => (FlinkVersion::default_for_new(), Vec::new()),
    };
    let requested_caps = match &args.capabilities {
        Some(list) => Some(Capabilities::parse(list).map_err(Error::usage)?),
        None => None,
    };
    let group_id = args
        .group_id
        .clone()
        .or_else(|| settings.group_id.clone())
        .unwrap_or_else(|| DEFAULT_GROUP_ID.to_string());
    names::validate_maven_id("groupId", &group_id)?;
    let package = match &args.package {
        Some(p) => p.clone(),
        None => {
            let prefix = settings
                .package_prefix
                .clone()
                .unwrap_or_else(|| format!("{group_id}.flink.connector"));
            format!("{prefix}.{}", names::package_segment(&args.name))
        }
    };
    names::validate_package(&package)?;
    // A dry run into a non-empty directory shows what a run with --force would write.
    let target_note = match project::check_target(&dir, args.force || args.dry_run)? {
        project::Target::NonEmpty if !args.force => Some(format!(
            "{} is not empty: writing into it needs --force (existing files are kept; a clash is refused)",
            dir.display()
        )),
        _ => None,
    };
    let tree = TemplateTree::with_overlay(args.templates.as_deref())?;
    let (preset, preset_note) = choose_preset(&args, &tree)?;
    let defaults = tree.preset_defaults(&preset)?;
    let capabilities = requested_caps.unwrap_or(defaults.capabilities);

    // Keep the preset's options, less the capability options of capabilities left out.
    let unused: Vec<&str> = Capabilities::ALL
        .required_options()
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| !capabilities.required_options().iter().any(|(r, _)| r == k))
        .collect();
    let options = defaults
        .options
        .into_iter()
        .filter(|o| !unused.contains(&o.key.as_str()))
        .collect();
    let manifest = Manifest {
        identifier: identifier.clone(),
        description: defaults.description,
        class_prefix: names::class_prefix(&args.name),
        artifact_id: format!("flink-connector-{}", args.name),
        name: args.name.clone(),
        package,
        capabilities,
        group_id,
        version: "0.1.0-SNAPSHOT".to_string(),
        flink,
        lines,
        template: TemplateSource {
            preset: preset.clone(),
            dir: args
                .templates
                .as_deref()
                .map(|t| project::relative_to(t, &dir)),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        options,
        dependencies: defaults.dependencies,
        skip_files: Vec::new(),
    };
    manifest
        .check_capability_options()
        .map_err(|m| Error::usage(format!("preset '{preset}': {m}")))?;

    let extras = Extras {
        license_header: settings.license_header.clone(),
    };
    let files = render::render(&manifest, &tree, &extras)?;
    project::trust::check_rendered(&files)?;
    // A team preset whose owned code uses what its manifest does not generate: say so now.
    let review = crate::project::symbols::review(None, &files, &[], &manifest, None);
    if !review.problems.is_empty() {
        let report = crate::project::symbols::report(&review.problems);
        if !args.allow_broken {
            eprintln!("{report}");
            return Err(Error::Failed(format!(
                "nothing was written: preset '{preset}' renders a project that does not compile or pass its tests; fix the preset, or pass --allow-broken to create it anyway"
            )));
        }
        ui::warn(format_args!("{report} (created anyway: --allow-broken)"));
    }
    if let Some(note) = preset_note {
        ui::status(note);
    }
    warn_platform_clash(&identifier, &manifest.group_id, &args.name);
    let summary = format!(
        "connector '{}', preset {}, Flink {} (Java {})",
        manifest.identifier, preset, manifest.flink, manifest.flink.line.java_release
    );
    if args.dry_run {
        println!("{}/ (dry run: nothing written) — {summary}", dir.display());
        println!("  connector.toml");
        for f in &files {
            let exists = dir.join(&f.path).exists();
            let mark = match (f.kind == FileKind::Owned, exists) {
                (_, true) => "  (exists: the real run refuses to replace it)",
                (true, false) => "  (owned)",
                (false, false) => "",
            };
            println!("  {}{mark}", f.path);
        }
        if let Some(note) = target_note {
            ui::note(note);
        }
        return Ok(0);
    }
    let mut notes = Vec::new();
    let written = project::write_new(&dir, &manifest.to_toml(), &files, args.force, &mut notes);
    for note in notes {
        ui::note(note);
    }
    written?;
    ui::status(format_args!(
        "Created {}/ — {summary}, {} files",
        dir.display(),
        files.len() + 1
    ));
    if manifest.lines.is_empty() {
        ui::status(format_args!("Next: cd {} && mvn package", dir.display()));
    } else {
        let lines: Vec<&str> = manifest.lines.iter().map(|v| v.line.line).collect();
        ui::status(format_args!(
            "Lines: {} (primary {}). Next: cd {} && cargo flink-connector package",
            lines.join(", "),
            manifest.flink.line.line,
            dir.display()
        ));
    }
    Ok(0)
}

/// The primary version and every line of `--flink A,B,…`.
fn multiline_versions(list: &str) -> Result<(FlinkVersion, Vec<FlinkVersion>)> {
    let entries: Vec<String> = list.split(',').map(|e| e.trim().to_string()).collect();
    let primary = multiline::primary_of(&entries).map_err(Error::usage)?;
    let lines = multiline::validate(primary, &entries)
        .map_err(|(_, m)| Error::usage(format!("--flink {list}: {m}")))?;
    Ok((primary, lines))
}

/// Managed platforms preinstall connectors under some identifiers; a second factory with the same
/// identifier is rejected on upload or clashes at run time, so say so and how to pick another.
fn warn_platform_clash(identifier: &str, group_id: &str, name: &str) {
    if !PLATFORM_CONNECTORS.contains(&identifier) {
        return;
    }
    let org = group_id.rsplit('.').next().unwrap_or("my");
    ui::warn(format_args!(
        "identifier '{identifier}' is also the identifier of a connector that managed platforms (Alibaba VVR, Ververica Platform) or many clusters preinstall; there a second '{identifier}' factory is rejected on upload or clashes at run time. To deploy there, pick another identifier: `cargo flink-connector new {name} --identifier {org}-{identifier}` (or edit `identifier` in connector.toml and run `generate`)"
    ));
}

/// `--preset` wins; else a preset named like the connector; else the blank skeleton.
fn choose_preset(args: &NewArgs, tree: &TemplateTree) -> Result<(String, Option<String>)> {
    if let Some(p) = &args.preset {
        if !tree.has_preset(p) {
            return Err(Error::usage(format!(
                "unknown preset '{p}'; available: {}",
                tree.presets().join(", ")
            )));
        }
        return Ok((p.clone(), None));
    }
    if args.name != BLANK_PRESET && tree.has_preset(&args.name) {
        let note = format!(
            "Using the built-in '{0}' preset (a complete {0} connector); --preset blank gives a bare skeleton.",
            args.name
        );
        return Ok((args.name.clone(), Some(note)));
    }
    Ok((BLANK_PRESET.to_string(), None))
}
