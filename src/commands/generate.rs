//! `cargo flink-connector generate [--check] [--force]`: re-render a project from connector.toml.

use std::path::{Path, PathBuf};

use crate::cli::GenerateArgs;
use crate::errors::{Error, IoContext, Result};
use crate::manifest::{Manifest, MANIFEST_FILE};
use crate::project;
use crate::render::reconcile::{self, Action};
use crate::render::{self, Extras, TemplateTree};
use crate::settings::Settings;

pub fn cmd_generate(args: GenerateArgs) -> Result<u8> {
    let root = project::find_root(args.path.as_deref())?;
    if args.check {
        return check(&root, args.templates.as_deref());
    }
    regenerate(&root, args.templates.as_deref(), args.force)
}

/// Renders the project's manifest with its template set (`--templates` > manifest > workspace).
pub fn render_project(
    root: &Path,
    templates: Option<&Path>,
) -> Result<(Manifest, Vec<render::RenderedFile>)> {
    let manifest = Manifest::load(&root.join(MANIFEST_FILE))?;
    let settings = Settings::discover(root);
    let template_dir: Option<PathBuf> = templates
        .map(Path::to_path_buf)
        .or_else(|| manifest.template.dir.as_ref().map(|d| root.join(d)))
        .or_else(|| settings.templates.clone());
    let tree = TemplateTree::with_overlay(template_dir.as_deref())?;
    let extras = Extras {
        license_header: settings.license_header.clone(),
    };
    let files = render::render(&manifest, &tree, &extras)?;
    Ok((manifest, files))
}

fn check(root: &Path, templates: Option<&Path>) -> Result<u8> {
    let (_, files) = render_project(root, templates)?;
    // --check ignores the merge: any managed file that differs from the render is drift.
    let drift: Vec<_> = reconcile::plan(root, &files, true)
        .into_iter()
        .filter(|c| c.is_drift())
        .collect();
    if drift.is_empty() {
        println!("{}: up to date with {MANIFEST_FILE}", root.display());
        return Ok(0);
    }
    for c in &drift {
        print!("{}", c.diff());
    }
    eprintln!(
        "{} file(s) differ from what {MANIFEST_FILE} renders: {}; run `cargo flink-connector generate`",
        drift.len(),
        drift.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(1)
}

pub fn regenerate(root: &Path, templates: Option<&Path>, force: bool) -> Result<u8> {
    let (_, files) = render_project(root, templates)?;
    let changes = reconcile::plan(root, &files, force);
    let mut conflicts = Vec::new();
    for c in &changes {
        let path = root.join(&c.path);
        match c.action {
            Action::Remove => std::fs::remove_file(&path).with_path("remove", &path)?,
            Action::KeepStale => {}
            _ => project::write_file(root, &c.path, &c.after)?,
        }
        if c.action == Action::Conflict {
            conflicts.push(c.path.clone());
        }
        if matches!(
            c.action,
            Action::Update | Action::Merge | Action::Overwrite | Action::Conflict
        ) {
            print!("{}", c.diff());
        }
        eprintln!("{:>9} {}", label(&c.action), c.path);
    }
    project::record_render(root, &files)?;
    record_tool_version(root)?;
    if !conflicts.is_empty() {
        return Err(Error::Failed(format!(
            "merge conflicts in {}: resolve the <<<<<<< markers (or run with --force to take the templates' version)",
            conflicts.join(", ")
        )));
    }
    if changes.is_empty() {
        eprintln!("{}: up to date", root.display());
    }
    Ok(0)
}

fn label(action: &Action) -> &'static str {
    match action {
        Action::Create => "created",
        Action::Update => "updated",
        Action::Merge => "merged",
        Action::Conflict => "CONFLICT",
        Action::Overwrite => "replaced",
        Action::Remove => "removed",
        Action::KeepStale => "kept",
    }
}

/// `[template] version` says which cargo-flink-connector last rendered the project; edited in
/// place so the manifest keeps its comments and layout.
fn record_tool_version(root: &Path) -> Result<()> {
    let path = root.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).with_path("read", &path)?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        Error::usage(format!("{}: {}", path.display(), e.message()))
    })?;
    let current = env!("CARGO_PKG_VERSION");
    if doc["template"]["version"].as_str() == Some(current) {
        return Ok(());
    }
    doc["template"]["version"] = toml_edit::value(current);
    std::fs::write(&path, doc.to_string()).with_path("write", &path)
}
