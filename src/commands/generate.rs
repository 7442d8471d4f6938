//! `cargo flink-connector generate [--check] [--force]`: re-render a project from connector.toml,
//! as one transaction under the project lock. `option` edits go through the same transaction.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::cli::GenerateArgs;
use crate::errors::{Error, Result};
use crate::manifest::edit::LocalManifest;
use crate::manifest::{Manifest, MANIFEST_FILE};
use crate::project::reconcile::{self, Action, Change};
use crate::project::{self, symbols, trust, txn, Op, ProjectLock};
use crate::render::{self, Extras, RenderedFile, TemplateTree};
use crate::settings::Settings;
use crate::ui;

pub fn cmd_generate(args: GenerateArgs) -> Result<u8> {
    let root = project::find_root(args.path.as_deref())?;
    if args.check {
        return check(&root, args.templates.as_deref(), args.strict);
    }
    let lock = lock_and_recover(&root, args.templates.as_deref())?;
    update(
        &lock,
        args.templates.as_deref(),
        args.force,
        None,
        args.allow_broken,
    )
}

/// Takes the project lock and finishes (or refuses) what an interrupted command committed, before
/// anything else of the project — the manifest included — is read: every writing command starts
/// here, so none acts on the state a committed change was replacing.
pub fn lock_and_recover(root: &Path, templates: Option<&Path>) -> Result<ProjectLock> {
    let lock = ProjectLock::acquire(root)?;
    let managed = |staged: Option<&[u8]>| managed_paths(root, templates, staged);
    let recovery = txn::recover(&lock, &managed)?;
    if recovery.completed > 0 {
        ui::note(format_args!(
            "finished {} file operation(s) an interrupted command had committed",
            recovery.completed
        ));
    }
    if recovery.discarded > 0 {
        ui::note("discarded the uncommitted changes of an interrupted command");
    }
    Ok(lock)
}

/// The files the tool renders for the project from each of the manifests given (on disk, staged
/// in a journal, recorded with the last render) and the templates: what a journal may write and a
/// stale record copy may remove. Manifests that do not render add nothing; none at all is an error.
fn managed_paths(
    root: &Path,
    templates: Option<&Path>,
    staged: Option<&[u8]>,
) -> Result<BTreeSet<String>> {
    let on_disk = crate::project::fs::read_confined(root, MANIFEST_FILE)?;
    let mut paths = BTreeSet::new();
    let mut last_error = None;
    // With and without `--templates`: the interrupted command may have been run either way.
    let template_dirs = if templates.is_some() {
        vec![templates, None]
    } else {
        vec![None]
    };
    for text in [on_disk.as_deref(), staged].into_iter().flatten() {
        for dir in &template_dirs {
            match render_manifest_bytes(root, text, *dir) {
                Ok(files) => paths.extend(files.into_iter().map(|f| f.path)),
                Err(e) => last_error = Some(e),
            }
        }
    }
    match last_error {
        Some(e) if paths.is_empty() => Err(Error::usage(format!(
            "cannot tell which files the tool manages here: {e}"
        ))),
        _ => Ok(paths),
    }
}

fn render_manifest_bytes(
    root: &Path,
    text: &[u8],
    templates: Option<&Path>,
) -> Result<Vec<RenderedFile>> {
    let path = root.join(MANIFEST_FILE);
    let text = std::str::from_utf8(text)
        .map_err(|_| Error::usage(format!("{} is not UTF-8", path.display())))?;
    render_project(root, &Manifest::parse(&path, text)?, templates)
}

/// What `removable` of [`reconcile::plan`] needs: the renders of the manifest as it was before
/// this command (`before`, when an edit changes it) and as recorded with the last render.
fn previously_rendered(
    root: &Path,
    templates: Option<&Path>,
    before: Option<&[u8]>,
) -> Result<BTreeSet<String>> {
    let recorded = project::recorded(root, MANIFEST_FILE)?;
    let mut paths = BTreeSet::new();
    for text in [before, recorded.as_deref()].into_iter().flatten() {
        if let Ok(files) = render_manifest_bytes(root, text, templates) {
            paths.extend(files.into_iter().map(|f| f.path));
        }
    }
    Ok(paths)
}

/// Renders `manifest` with its template set (`--templates` > manifest > workspace). Workspace
/// settings come from reading Cargo.toml files (no `cargo metadata`, see [`Settings`]).
pub fn render_project(
    root: &Path,
    manifest: &Manifest,
    templates: Option<&Path>,
) -> Result<Vec<RenderedFile>> {
    let settings = Settings::discover(root);
    let template_dir: Option<PathBuf> = templates
        .map(Path::to_path_buf)
        .or_else(|| manifest.template.dir.as_ref().map(|d| root.join(d)))
        .or_else(|| settings.templates.clone());
    let tree = TemplateTree::with_overlay(template_dir.as_deref())?;
    let extras = Extras {
        license_header: settings.license_header.clone(),
    };
    let files = render::render(manifest, &tree, &extras)?;
    trust::check_rendered(&files)?;
    Ok(files)
}

fn check(root: &Path, templates: Option<&Path>, strict: bool) -> Result<u8> {
    let _shared = ProjectLock::shared(root)?;
    if txn::pending(root) {
        eprintln!(
            "{}: an interrupted command left committed changes unfinished; run `cargo flink-connector generate` to complete them",
            root.display()
        );
        return Ok(1);
    }
    let manifest = Manifest::load(&root.join(MANIFEST_FILE))?;
    let files = render_project(root, &manifest, templates)?;
    let markers = reconcile::unresolved_conflicts(root, &files)?;
    let changes = reconcile::plan(root, &files, false, &|| {
        previously_rendered(root, templates, None)
    })?;
    let (drift, kept): (Vec<&Change>, Vec<&Change>) = changes.iter().partition(|c| c.is_drift());
    if !kept.is_empty() {
        let verb = if strict { "error" } else { "note" };
        eprintln!(
            "{verb}: {} managed file(s) keep hand edits that `generate` preserves: {}",
            kept.len(),
            paths(&kept)
        );
    }
    if !markers.is_empty() {
        eprintln!(
            "unresolved merge-conflict markers in {}; resolve them",
            markers.join(", ")
        );
        return Ok(1);
    }
    let failing_kept = strict && !kept.is_empty();
    if drift.is_empty() && !failing_kept {
        ui::status(format_args!(
            "{}: up to date with {MANIFEST_FILE}",
            root.display()
        ));
        return Ok(0);
    }
    for c in &drift {
        ui::diff(&c.diff());
    }
    let missing_owned: Vec<&str> = drift
        .iter()
        .filter(|c| c.action == Action::Create)
        .filter(|c| {
            files
                .iter()
                .any(|f| f.path == c.path && f.kind == render::FileKind::Owned)
        })
        .map(|c| c.path.as_str())
        .collect();
    if !missing_owned.is_empty() {
        eprintln!(
            "note: your own file(s) {} are missing; `generate` would create them again. Deleted on purpose? List them in connector.toml: [files] skip = [\"{}\"]",
            missing_owned.join(", "),
            missing_owned.join("\", \"")
        );
    }
    if !drift.is_empty() {
        eprintln!(
            "{} file(s) differ from what {MANIFEST_FILE} renders: {}; run `cargo flink-connector generate`",
            drift.len(),
            paths(&drift)
        );
    }
    Ok(1)
}

fn paths(changes: &[&Change]) -> String {
    changes
        .iter()
        .map(|c| c.path.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A manifest edit made by `option`, applied in the same transaction as the re-render.
pub struct ManifestEdit {
    pub manifest: LocalManifest,
    pub summary: String,
}

/// What every manifest command ends with: `update` with its edit, the manifest's templates.
pub fn apply_edit(
    lock: &ProjectLock,
    manifest: LocalManifest,
    summary: String,
    allow_broken: bool,
) -> Result<u8> {
    update(
        lock,
        None,
        false,
        Some(ManifestEdit { manifest, summary }),
        allow_broken,
    )
}

/// Re-renders the project (with `edit` applied to its manifest first) and commits everything —
/// manifest, files, render record — as one transaction. Call with the project lock held.
pub fn update(
    lock: &ProjectLock,
    templates: Option<&Path>,
    force: bool,
    edit: Option<ManifestEdit>,
    allow_broken: bool,
) -> Result<u8> {
    let root = lock.root();
    let (mut local, summary) = match edit {
        Some(e) => (e.manifest, Some(e.summary)),
        // Read under the lock, so a concurrent `option` edit is never lost.
        None => (LocalManifest::read(&root.join(MANIFEST_FILE))?, None),
    };
    // Validated before the version is recorded: an invalid manifest is an error, not a panic.
    local.manifest(summary.as_deref())?;
    let before = local
        .is_changed()
        .then(|| local.original().as_bytes().to_vec());
    local.record_tool_version(env!("CARGO_PKG_VERSION"));
    let manifest = local.manifest(summary.as_deref())?;
    let files = render_project(root, &manifest, templates)?;
    if !force {
        let markers = reconcile::unresolved_conflicts(root, &files)?;
        if !markers.is_empty() {
            return Err(Error::Failed(format!(
                "unresolved merge-conflict markers in {}: resolve them first (or run `cargo flink-connector generate --force` to replace these files with the templates' version, discarding your edits in them)",
                markers.join(", ")
            )));
        }
    }
    let recorded = reconcile::recorded_java(root)?;
    // The manifest as last rendered (the render record's copy): what the owned code was last
    // reviewed against, also when connector.toml was edited by hand since.
    let last_text = project::recorded(root, MANIFEST_FILE)?;
    let previous = last_text
        .as_deref()
        .and_then(|t| std::str::from_utf8(t).ok())
        .and_then(|t| Manifest::parse(&root.join(MANIFEST_FILE), t).ok())
        .or_else(|| local.previous_manifest());
    // The owned files as the last render made them: untouched members follow this render.
    let last_render = last_text
        .and_then(|text| render_manifest_bytes(root, &text, templates).ok())
        .unwrap_or_default();
    let review = symbols::review_with_last_render(
        Some(root),
        &files,
        &recorded,
        &manifest,
        previous.as_ref(),
        &last_render,
    );
    if review.breaks() && !allow_broken {
        eprintln!("{}", symbols::report(&review.problems));
        return Err(Error::Failed(format!(
            "nothing was written: change the {} place(s) above first, or pass --allow-broken to apply the change and fix them afterwards",
            review.problems.len()
        )));
    }
    let changes = reconcile::plan(root, &files, force, &|| {
        previously_rendered(root, templates, before.as_deref())
    })?;
    let text = local.text().into_bytes();
    let mut ops: Vec<Op> = changes.iter().filter_map(Change::op).collect();
    ops.extend(
        review
            .owned_writes()
            .into_iter()
            .map(|(path, contents)| Op::Write { path, contents }),
    );
    // The record follows the files it describes; the manifest goes last, so a journal is
    // always validated against the manifest it replaces as well as the new one.
    ops.extend(reconcile::record_ops(root, &text, &files)?);
    if local.is_changed() {
        ops.push(Op::Write {
            path: MANIFEST_FILE.to_string(),
            contents: text,
        });
    }
    txn::commit(lock, &ops)?;

    if let Some(summary) = &summary {
        ui::status(format_args!("{summary} in {}", local.path.display()));
    }
    let mut conflicts = Vec::new();
    for c in &changes {
        if matches!(
            c.action,
            Action::Update | Action::Merge | Action::Overwrite | Action::Conflict
        ) {
            ui::diff(&c.diff());
        }
        ui::status(format_args!("{:>9} {}", c.action.label(), c.path));
        if c.action == Action::Conflict {
            conflicts.push(c.path.clone());
        }
    }
    for r in &review.refreshed {
        let mut what = Vec::new();
        if !r.removed.is_empty() {
            what.push(format!("removed {}", r.removed.join(", ")));
        }
        if !r.updated.is_empty() {
            what.push(format!("updated {}", r.updated.join(", ")));
        }
        if what.is_empty() {
            // Only text outside the members changed (Javadoc, imports).
            what.push("re-rendered".to_string());
        }
        ui::status(format_args!(
            "{}: {} (generated, never edited: they follow the manifest)",
            r.path,
            what.join("; ")
        ));
    }
    for c in &review.completions {
        ui::warn(format_args!(
            "{}: added {} as stubs that throw UnsupportedOperationException (the managed classes call them); implement them",
            c.path,
            c.added.join(", ")
        ));
    }
    if !review.problems.is_empty() {
        let why = if review.breaks() {
            "applied anyway: --allow-broken"
        } else {
            "left from an earlier change"
        };
        ui::warn(format_args!(
            "{} ({why})",
            symbols::report(&review.problems)
        ));
    }
    if !conflicts.is_empty() {
        return Err(Error::Failed(format!(
            "merge conflicts in {}: resolve the <<<<<<< markers, then run `cargo flink-connector generate` again (`generate --force` takes the templates' version instead)",
            conflicts.join(", ")
        )));
    }
    ui::detail(format_args!(
        "{} files rendered, {} changed, {} file operations committed",
        files.len(),
        changes.iter().filter(|c| c.is_drift()).count(),
        ops.len()
    ));
    if changes.iter().all(|c| !c.is_drift()) {
        ui::status(format_args!("{}: up to date", root.display()));
    }
    Ok(0)
}
