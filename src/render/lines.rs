//! Rendering a multi-line project: the Flink-facing managed sources are rendered once per line;
//! a source that comes out the same on every line stays in `src/main/java` (or `src/test/java`),
//! one that differs goes to each line's own root (`src/main/java-flink-<line>`, see
//! [`crate::multiline`]). Everything else — pom.xml, README, owned code — is rendered once, for
//! the primary line, and shared.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::{FileKind, RenderedFile};
use crate::errors::Result;
use crate::flink::FlinkVersion;
use crate::manifest::Manifest;
use crate::multiline;

/// A shared source root and the function naming a line's root beside it.
type SourceRoot = (&'static str, fn(&str) -> String);

const SOURCE_ROOTS: [SourceRoot; 2] = [
    ("src/main/java/", multiline::main_source_root),
    ("src/test/java/", multiline::test_source_root),
];

/// The `multiline` template variable: `false` for a single-line project, else the lines.
pub fn context(m: &Manifest) -> Value {
    if m.lines.is_empty() {
        return Value::Bool(false);
    }
    let lines: Vec<Value> = m
        .lines
        .iter()
        .map(|v| {
            let l = v.line;
            json!({
                "line": l.line,
                "version": v.to_string(),
                "java_release": l.java_release,
                "v2": l.major() >= 2,
                "primary": l.line == m.flink.line.line,
                "profile": multiline::profile(l.line),
                "main_root": multiline::main_source_root(l.line),
                "test_root": multiline::test_source_root(l.line),
                "build_dir": multiline::build_dir(l.line),
                "maven_version": multiline::line_version(&m.version, l.line),
                "jar": multiline::jar_name(&m.artifact_id, &m.version, l.line),
            })
        })
        .collect();
    let names: Vec<&str> = m.lines.iter().map(|v| v.line.line).collect();
    json!({
        "lines": lines,
        "list": names.join(", "),
        "json_list": serde_json::to_string(&names).expect("strings serialize"),
        "primary_jar": multiline::jar_name(&m.artifact_id, &m.version, m.flink.line.line),
        "primary_maven_version": multiline::line_version(&m.version, m.flink.line.line),
        "primary_build_dir": multiline::build_dir(m.flink.line.line),
    })
}

/// Renders `manifest` for every line with `render_one` and splits the sources as described above.
pub fn render_lines(
    manifest: &Manifest,
    mut render_one: impl FnMut(&Manifest) -> Result<Vec<RenderedFile>>,
) -> Result<Vec<RenderedFile>> {
    let mut shared = render_one(manifest)?;
    // path → (line → contents), for the managed sources of every line.
    let mut sources: BTreeMap<String, BTreeMap<&'static str, Vec<u8>>> = BTreeMap::new();
    for version in &manifest.lines {
        let line_files = if version.line.line == manifest.flink.line.line {
            shared.clone()
        } else {
            render_one(&Manifest {
                flink: *version,
                ..manifest.clone()
            })?
        };
        for f in line_files {
            if f.kind == FileKind::Managed && is_source(&f.path) {
                sources
                    .entry(f.path)
                    .or_default()
                    .insert(version.line.line, f.contents);
            }
        }
    }
    let per_line: BTreeSet<&String> = sources
        .iter()
        .filter(|(_, by_line)| !same_on_every_line(by_line, &manifest.lines))
        .map(|(path, _)| path)
        .collect();
    shared.retain(|f| !per_line.contains(&f.path));
    for path in per_line {
        for (line, contents) in &sources[path] {
            shared.push(RenderedFile {
                path: line_path(path, line),
                contents: contents.clone(),
                kind: FileKind::Managed,
            });
        }
    }
    shared.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(shared)
}

fn is_source(path: &str) -> bool {
    SOURCE_ROOTS.iter().any(|(root, _)| path.starts_with(root))
}

fn same_on_every_line(by_line: &BTreeMap<&str, Vec<u8>>, lines: &[FlinkVersion]) -> bool {
    let mut contents = by_line.values();
    by_line.len() == lines.len()
        && contents
            .next()
            .is_some_and(|first| contents.all(|c| c == first))
}

/// `src/main/java/a/B.java` on 2.2 → `src/main/java-flink-2.2/a/B.java`.
fn line_path(path: &str, line: &str) -> String {
    for (root, line_root) in SOURCE_ROOTS {
        if let Some(rest) = path.strip_prefix(root) {
            return format!("{}/{rest}", line_root(line));
        }
    }
    unreachable!("only sources are split per line: {path}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::LINES;
    use crate::render::tests::test_manifest;
    use crate::render::{render, Extras, TemplateTree};

    fn manifest(tree: &TemplateTree, preset: &str, lines: &[FlinkVersion]) -> Manifest {
        Manifest {
            lines: lines.to_vec(),
            ..test_manifest(tree, preset)
        }
    }

    /// Owned files are rendered once, for the primary line, and shared: no built-in owned
    /// template may depend on the line.
    #[test]
    fn builtin_owned_files_are_the_same_on_every_line() {
        let tree = TemplateTree::builtin();
        for preset in tree.presets() {
            let mut seen: Option<Vec<RenderedFile>> = None;
            for line in LINES {
                let mut m = manifest(&tree, &preset, &[]);
                m.flink = line.latest();
                let owned: Vec<RenderedFile> = render(&m, &tree, &Extras::default())
                    .unwrap()
                    .into_iter()
                    .filter(|f| f.kind == FileKind::Owned)
                    .collect();
                if let Some(first) = &seen {
                    assert_eq!(first.len(), owned.len(), "{preset} {}", line.line);
                    for (a, b) in first.iter().zip(&owned) {
                        assert!(
                            a.contents == b.contents,
                            "{preset}: {} differs on {}",
                            a.path,
                            line.line
                        );
                    }
                } else {
                    seen = Some(owned);
                }
            }
        }
    }

    /// Every managed source of every line is either shared (the same on all lines) or present
    /// under each line's own root, never both; and the per-line copies really differ.
    #[test]
    fn a_source_is_shared_exactly_when_it_is_the_same_on_every_line() {
        let tree = TemplateTree::builtin();
        let all: Vec<FlinkVersion> = LINES.iter().map(|l| l.latest()).collect();
        for preset in tree.presets() {
            let files = render(&manifest(&tree, &preset, &all), &tree, &Extras::default()).unwrap();
            let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
            let split: Vec<&str> = paths
                .iter()
                .filter_map(|p| p.strip_prefix("src/main/java-flink-1.17/"))
                .collect();
            assert!(
                split.iter().any(|p| p.ends_with("AcmeSink.java")),
                "{split:?}"
            );
            for rest in &split {
                assert!(!paths.contains(format!("src/main/java/{rest}").as_str()));
                let copies: BTreeSet<&[u8]> = LINES
                    .iter()
                    .map(|l| {
                        let path = format!("src/main/java-flink-{}/{rest}", l.line);
                        files
                            .iter()
                            .find(|f| f.path == path)
                            .unwrap()
                            .contents
                            .as_slice()
                    })
                    .collect();
                assert!(copies.len() > 1, "{rest} is the same on every line");
            }
        }
    }

    #[test]
    fn sources_move_to_their_lines_root() {
        assert_eq!(
            line_path("src/main/java/org/x/XSink.java", "2.2"),
            "src/main/java-flink-2.2/org/x/XSink.java"
        );
        assert_eq!(
            line_path("src/test/java/org/x/XTest.java", "1.17"),
            "src/test/java-flink-1.17/org/x/XTest.java"
        );
        assert!(!is_source("src/main/resources/META-INF/services/x"));
    }
}
