//! Render pipeline: manifest + template tree → a plan of files (managed or owned).

pub mod context;
mod fold;
pub mod lines;
pub mod templates;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::Value;

use crate::errors::{Error, Result};
use crate::escape;
use crate::manifest::Manifest;
pub use context::Extras;
pub use templates::{TemplateFile, TemplateTree};

/// First line of a template that generates an owned file.
const OWNED_MARKER: &str = "{{!-- owned --}}";
const TEMPLATE_SUFFIX: &str = ".hbs";
/// The tool's own directory in a project (render record, lock, journal); no template may render
/// into it.
pub const RESERVED_DIR: &str = ".flink-connector";

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
    let mut files = if manifest.lines.is_empty() {
        render_with(manifest, tree, extras, true)?
    } else {
        lines::render_lines(manifest, |m| render_with(m, tree, extras, true))?
    };
    files.retain(|f| !manifest.skip_files.contains(&f.path));
    Ok(files)
}

fn render_with(
    manifest: &Manifest,
    tree: &TemplateTree,
    extras: &Extras,
    fold_literals: bool,
) -> Result<Vec<RenderedFile>> {
    let files: Vec<(String, &TemplateFile)> = tree
        .files_for(&manifest.template.preset)?
        .into_iter()
        .collect();
    let registry = registry();
    let mut context = context::build(manifest, extras);
    // Owned files first: the managed README lists them.
    let (owned, managed): (Vec<_>, Vec<_>) = files.iter().partition(|(_, f)| is_owned(f));
    let mut out = render_all(&registry, &context, &owned, fold_literals)?;
    // Skipped owned files are not listed in the README either.
    out.retain(|f| !manifest.skip_files.contains(&f.path));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    context["owned_files"] = out.iter().map(|f| Value::from(f.path.clone())).collect();
    out.extend(render_all(&registry, &context, &managed, fold_literals)?);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = out.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(Error::usage(format!(
            "two templates render to the same path '{}'",
            pair[0].path
        )));
    }
    Ok(out)
}

fn is_owned(file: &TemplateFile) -> bool {
    file.bytes.starts_with(OWNED_MARKER.as_bytes())
}

/// Renders `files` on every core (compiling templates dominates the run time of `new`).
fn render_all(
    registry: &Handlebars<'static>,
    context: &Value,
    files: &[&(String, &TemplateFile)],
    fold_literals: bool,
) -> Result<Vec<RenderedFile>> {
    // Built once: render_template(&Value) would serialize a deep copy on every call.
    let path_context = Context::from(context.clone());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Result<Option<RenderedFile>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                let path_context = &path_context;
                scope.spawn(move || {
                    part.iter()
                        .map(|(path, file)| {
                            render_file(registry, context, path_context, path, file, fold_literals)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a render thread panicked"))
            .collect()
    });
    let mut out = Vec::with_capacity(results.len());
    for result in results {
        out.extend(result?);
    }
    Ok(out)
}

/// Why a rendered path may not be written: it must be relative, `/`-separated plain names (no
/// `..`, `.`, empty part, backslash or NUL), and outside the tool's own `.flink-connector/`.
pub fn path_problem(rel: &str) -> Option<&'static str> {
    if rel.is_empty() {
        Some("is empty")
    } else if rel.starts_with('/') || std::path::Path::new(rel).is_absolute() {
        Some("is absolute")
    } else if rel.contains('\\') || rel.contains('\0') {
        Some("contains a backslash or NUL")
    } else if rel.split('/').any(|part| part == "..") {
        Some("contains '..'")
    } else if rel.split('/').any(|part| part.is_empty() || part == ".") {
        Some("has an empty or '.' component")
    } else {
        None
    }
}

/// Renders one template (its path too); `None` when it renders to whitespace.
fn render_file(
    registry: &Handlebars<'static>,
    context: &Value,
    path_context: &Context,
    template_path: &str,
    file: &TemplateFile,
    fold_literals: bool,
) -> Result<Option<RenderedFile>> {
    let render_err = |e: handlebars::RenderError| Error::Template {
        template: file.origin.clone(),
        message: render_error_message(&e),
    };
    let path = registry
        .render_template_with_context(template_path, path_context)
        .map_err(render_err)?;
    let outside = |why: &str| Error::Template {
        template: file.origin.clone(),
        message: format!(
            "its path renders to '{}', which {why}; generated paths must stay inside the project",
            path.escape_debug()
        ),
    };
    if let Some(why) = path_problem(&path) {
        return Err(outside(why));
    }
    if path == RESERVED_DIR || path.starts_with(&format!("{RESERVED_DIR}/")) {
        return Err(outside("is the tool's own state directory"));
    }
    let Some(path) = path.strip_suffix(TEMPLATE_SUFFIX).map(str::to_string) else {
        return Ok(Some(RenderedFile {
            path,
            contents: file.bytes.clone(),
            kind: FileKind::Managed,
        }));
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
    let (folded, literals) = if fold_literals {
        fold::fold(body)
    } else {
        (body.to_string(), Default::default())
    };
    let mut file_context = context.clone();
    file_context["_file_kind"] = Value::from(if kind == FileKind::Owned {
        "owned"
    } else {
        "managed"
    });
    file_context[fold::LITERALS_KEY] = Value::Object(literals);
    let rendered = registry
        .render_template_with_context(&folded, &Context::from(file_context))
        .map_err(render_err)?;
    if rendered.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(RenderedFile {
        path,
        contents: rendered.into_bytes(),
        kind,
    }))
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
    // One helper per output context (src/escape.rs); templates wrap every manifest value in one.
    let contexts: [(&str, EscapeFn); 8] = [
        ("java_str", escape::java_string),
        ("java_str_body", escape::java_string_body),
        ("javadoc", escape::javadoc),
        ("xml", escape::xml_text),
        ("xml_attr", escape::xml_attr),
        ("md_cell", escape::markdown_cell),
        ("md_code", escape::markdown_code),
        ("toml", escape::toml_string),
    ];
    for (name, escape_fn) in contexts {
        hb.register_helper(name, Box::new(EscapeHelper(escape_fn)));
    }
    hb
}

/// `{{java_str description}}`: the parameter (a string, or a number/bool as text) escaped for one
/// output context.
type EscapeFn = fn(&str) -> String;
struct EscapeHelper(EscapeFn);

impl handlebars::HelperDef for EscapeHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let value = h
            .param(0)
            .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("escape helper", 0))?
            .value();
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        out.write(&(self.0)(&text))?;
        Ok(())
    }
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::flink::FlinkVersion;
    use crate::manifest::{Capabilities, TemplateSource};

    /// A manifest of `preset` with its defaults (every capability, the default line, no extra
    /// lines): the render tests of this module and of `lines` start from it.
    pub(crate) fn test_manifest(tree: &TemplateTree, preset: &str) -> Manifest {
        let defaults = tree.preset_defaults(preset).unwrap();
        Manifest {
            name: "acme".into(),
            identifier: "acme".into(),
            description: defaults.description,
            package: "org.example.acme".into(),
            class_prefix: "Acme".into(),
            capabilities: Capabilities::ALL,
            group_id: "org.example".into(),
            artifact_id: "flink-connector-acme".into(),
            version: "1.0".into(),
            flink: FlinkVersion::default_for_new(),
            lines: Vec::new(),
            template: TemplateSource {
                preset: preset.into(),
                dir: None,
                version: "0".into(),
            },
            options: defaults.options,
            dependencies: defaults.dependencies,
            skip_files: Vec::new(),
        }
    }

    fn manifest(tree: &TemplateTree, preset: &str, flink: &str, caps: Capabilities) -> Manifest {
        Manifest {
            flink: FlinkVersion::parse(flink).unwrap(),
            capabilities: caps,
            dependencies: vec![crate::manifest::Dependency {
                group_id: "org.apache.commons".into(),
                artifact_id: "commons-pool2".into(),
                version: "2.12.0".into(),
                relocate: vec!["org.apache.commons.pool2".into()],
                scope: None,
            }],
            ..test_manifest(tree, preset)
        }
    }

    /// Folding is an optimisation only: every built-in template renders byte for byte the same.
    #[test]
    fn folded_rendering_equals_plain_rendering_for_every_builtin_template() {
        let tree = TemplateTree::builtin();
        let extras = Extras {
            license_header: Some("Copyright Acme".into()),
        };
        let mut compared = 0;
        for preset in tree.presets() {
            for flink in ["1.17", "1.20", "2.2"] {
                for names in [
                    &["scan", "lookup", "sink"][..],
                    &["scan"],
                    &["lookup"],
                    &["sink"],
                ] {
                    let caps = Capabilities::parse(names).unwrap();
                    let m = manifest(&tree, &preset, flink, caps);
                    let folded = render_with(&m, &tree, &extras, true).unwrap();
                    let plain = render_with(&m, &tree, &extras, false).unwrap();
                    assert_eq!(folded.len(), plain.len());
                    for (f, p) in folded.iter().zip(&plain) {
                        assert_eq!(f.path, p.path);
                        assert!(
                            f.contents == p.contents,
                            "{preset} {flink}: {} differs when folded",
                            f.path
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 100, "compared only {compared} files");
    }
}
