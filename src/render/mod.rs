//! Render pipeline: manifest + template tree → a plan of files (managed or owned).

pub mod context;
pub mod reconcile;
pub mod templates;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::Value;

use crate::errors::{Error, Result};
use crate::manifest::Manifest;
pub use context::Extras;
pub use templates::TemplateTree;

/// First line of a template that generates an owned file.
const OWNED_MARKER: &str = "{{!-- owned --}}";
const TEMPLATE_SUFFIX: &str = ".hbs";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Derived entirely from connector.toml; re-rendered by `generate`.
    Managed,
    /// The team's code: created once, never rewritten.
    Owned,
}

#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// Path in the project, `/`-separated.
    pub path: String,
    pub contents: Vec<u8>,
    pub kind: FileKind,
}

/// Renders every template of the manifest's preset. Files that render to whitespace are left out
/// (that is how a template is made conditional on a capability).
pub fn render(
    manifest: &Manifest,
    tree: &TemplateTree,
    extras: &Extras,
) -> Result<Vec<RenderedFile>> {
    let files = tree.files_for(&manifest.template.preset)?;
    let registry = registry();
    let base_context = context::build(manifest, extras);
    let mut out = Vec::with_capacity(files.len());
    for (template_path, file) in files {
        let render_err = |e: handlebars::RenderError| Error::Template {
            template: file.origin.clone(),
            message: render_error_message(&e),
        };
        let path = registry
            .render_template(template_path.as_str(), &base_context)
            .map_err(render_err)?;
        let Some(path) = path.strip_suffix(TEMPLATE_SUFFIX).map(str::to_string) else {
            out.push(RenderedFile {
                path,
                contents: file.bytes.clone(),
                kind: FileKind::Managed,
            });
            continue;
        };
        let text = std::str::from_utf8(&file.bytes).map_err(|_| Error::Template {
            template: file.origin.clone(),
            message: "a .hbs template must be UTF-8".into(),
        })?;
        let (kind, body) = match text.strip_prefix(OWNED_MARKER) {
            Some(rest) => (
                FileKind::Owned,
                rest.strip_prefix("\r\n")
                    .or_else(|| rest.strip_prefix('\n'))
                    .unwrap_or(rest),
            ),
            None => (FileKind::Managed, text),
        };
        let mut file_context = base_context.clone();
        file_context["_file_kind"] = Value::from(if kind == FileKind::Owned {
            "owned"
        } else {
            "managed"
        });
        let rendered = registry
            .render_template(body, &file_context)
            .map_err(render_err)?;
        if rendered.trim().is_empty() {
            continue;
        }
        out.push(RenderedFile {
            path,
            contents: rendered.into_bytes(),
            kind,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// "missing variable `foo` (line 3, column 7)" rather than handlebars' multi-line text.
fn render_error_message(e: &handlebars::RenderError) -> String {
    let what = match e.reason() {
        RenderErrorReason::MissingVariable(Some(var)) => format!("missing variable '{var}'"),
        RenderErrorReason::TemplateError(t) => t.reason().to_string(),
        other => other.to_string(),
    };
    match (e.line_no, e.column_no) {
        (Some(l), Some(c)) => format!("{what} (line {l}, column {c})"),
        _ => what,
    }
}

fn registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("file_header", Box::new(file_header));
    hb
}

/// `{{file_header "//"}}` or `{{file_header "<!--" "-->"}}`: says whether the file is managed or owned.
fn file_header(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let open = h.param(0).and_then(|p| p.value().as_str()).unwrap_or("//");
    let close = h
        .param(1)
        .and_then(|p| p.value().as_str())
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    let text = match ctx.data().get("_file_kind").and_then(Value::as_str) {
        Some("owned") => "Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.",
        _ => "Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).",
    };
    out.write(&format!("{open} {text}{close}"))?;
    Ok(())
}
