//! F1/F2 on a project's sources, for a project directory with no built jar: the Factory
//! services file where Maven packages it (src/main/resources/META-INF/services/), and every
//! class it lists declared in src/main/java. The Java sources are read as text (package and
//! class declarations, comments and literals skipped); no JVM, no build.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::check::finding::{FindingExt, Findings, Levels, Severity};
use crate::check::input::Project;
use crate::check::FileReport;
use crate::flink::runtime::FACTORY_SERVICES;
use crate::jar::services::parse_services;
use crate::pom::EffectivePom;

use super::services::{
    BREAKS_ALL_DISCOVERY, PROVIDER_NOT_FOUND, SERVICES_FILE_MISPLACED, SERVICES_INVALID_LINE,
};

/// Service file names of Flink's factory SPIs (the current one and the legacy TableFactory).
const FACTORY_SPIS: &[&str] = &[
    "org.apache.flink.table.factories.Factory",
    "org.apache.flink.table.factories.TableFactory",
];

use crate::bounds::SOURCE_FILE_MAX as MAX_SOURCE;

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .max_depth(32)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// Binary names (`a.b.Outer$Inner`) of the classes, interfaces, enums and records declared in
/// one Java source.
pub fn declared_classes(source: &str) -> Vec<String> {
    let code = strip_comments_and_literals(source);
    let tokens = tokenize(&code);
    let mut package = String::new();
    let mut out = Vec::new();
    // (binary name, brace depth of its body)
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut pending: Option<String> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        match t {
            "package" if depth == 0 => {
                let mut name = String::new();
                i += 1;
                while i < tokens.len() && tokens[i] != ";" {
                    name.push_str(tokens[i]);
                    i += 1;
                }
                package = name;
            }
            // `record` is only a keyword before `Name(` or `Name<`; `X.class` is a literal.
            "class" | "interface" | "enum" | "record"
                if tokens.get(i + 1).is_some_and(|n| is_identifier(n))
                    && i.checked_sub(1).is_none_or(|p| tokens[p] != ".")
                    && (t != "record"
                        || tokens.get(i + 2).is_some_and(|n| *n == "(" || *n == "<")) =>
            {
                let simple = tokens[i + 1];
                let name = match stack.last() {
                    Some((outer, _)) => format!("{outer}${simple}"),
                    None if package.is_empty() => simple.to_string(),
                    None => format!("{package}.{simple}"),
                };
                out.push(name.clone());
                pending = Some(name);
                i += 1;
            }
            "{" => {
                depth += 1;
                if let Some(name) = pending.take() {
                    stack.push((name, depth));
                }
            }
            "}" => {
                if stack.last().is_some_and(|(_, d)| *d == depth) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_identifier(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && t.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// Comments, string/char literals and text blocks replaced by spaces.
fn strip_comments_and_literals(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
            out.push(' ');
        } else if c == '"' && next == Some('"') && chars.get(i + 2) == Some(&'"') {
            i += 3;
            while i < chars.len()
                && !(chars[i] == '"'
                    && chars.get(i + 1) == Some(&'"')
                    && chars.get(i + 2) == Some(&'"'))
            {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 3;
            out.push_str("\"\"");
        } else if c == '"' || c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != c && chars[i] != '\n' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn tokenize(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in code.char_indices() {
        let word = c.is_alphanumeric() || c == '_' || c == '$';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&code[s..i]);
                start = None;
            }
            _ => {}
        }
        if !word && !c.is_whitespace() {
            out.push(&code[i..i + c.len_utf8()]);
        }
    }
    if let Some(s) = start {
        out.push(&code[s..]);
    }
    out
}

/// The sources report of a project directory without a built jar, or `None`.
/// `pom` (when the project has one) tells whether a listed class could come from a bundled
/// dependency instead of the sources.
pub fn check_sources(
    project: &Project,
    pom: Option<&EffectivePom>,
    levels: &Levels,
) -> Option<FileReport> {
    if !project.is_dir || !project.jars.is_empty() {
        return None;
    }
    let main = project.dir.join("src/main");
    let mut notes = vec![format!(
        "no built jar under {} (run `mvn package` to audit the jar itself); checked the sources' services files",
        project.dir.join("target").display()
    )];
    let mut out = Findings::new(levels);
    if !main.is_dir() {
        notes.push(format!("{} does not exist", main.display()));
        return Some(report(project, notes, out));
    }
    let files = files_below(&main);
    let java: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "java"))
        .collect();
    let other_jvm: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            f.extension()
                .is_some_and(|e| e == "scala" || e == "kt" || e == "groovy")
        })
        .collect();
    let mut declared: HashSet<String> = HashSet::new();
    let mut packages: HashSet<String> = HashSet::new();
    for file in &java {
        let Some(text) = std::fs::metadata(file)
            .ok()
            .filter(|m| m.len() <= MAX_SOURCE)
            .and_then(|_| std::fs::read(file).ok())
        else {
            notes.push(format!("{} could not be read", file.display()));
            continue;
        };
        for class in declared_classes(&String::from_utf8_lossy(&text)) {
            if let Some((package, _)) = class.rsplit_once('.') {
                packages.insert(package.to_string());
            }
            declared.insert(class);
        }
    }
    if !other_jvm.is_empty() {
        notes.push(format!(
            "{} Scala/Kotlin/Groovy sources not read: classes they declare count as unknown",
            other_jvm.len()
        ));
    }
    let resources = main.join("resources");
    let relative = |f: &Path| {
        f.strip_prefix(&project.dir)
            .unwrap_or(f)
            .display()
            .to_string()
    };
    let services: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| FACTORY_SPIS.iter().any(|s| n.to_string_lossy() == *s))
        })
        .collect();
    let packaged = |f: &Path| f.parent() == Some(&resources.join("META-INF/services"));
    let has_packaged = services
        .iter()
        .any(|f| packaged(f) && f.ends_with(FACTORY_SERVICES));
    for file in &services {
        let shown = relative(file);
        if !packaged(file) {
            let packaged_as = file
                .strip_prefix(&resources)
                .map(|p| format!("Maven packages it as {}", p.display()))
                .unwrap_or_else(|_| {
                    "Maven does not package files outside src/main/resources".into()
                });
            let also = if has_packaged {
                format!("; {FACTORY_SERVICES} exists as well")
            } else {
                format!("; there is no src/main/resources/{FACTORY_SERVICES}, so Flink finds none of this project's factories")
            };
            out.add(
                &SERVICES_FILE_MISPLACED,
                shown.clone(),
                format!("{shown} is not read by ServiceLoader: {packaged_as}, not under META-INF/services/{also}"),
            );
        }
        let Ok(bytes) = std::fs::read(file) else {
            notes.push(format!("{shown} could not be read"));
            continue;
        };
        let lines = match parse_services(&bytes) {
            Ok(lines) => lines,
            Err(reason) => {
                out.add(
                    &SERVICES_INVALID_LINE,
                    shown.clone(),
                    format!("{shown} {reason}"),
                );
                continue;
            }
        };
        for line in lines {
            let at = format!("{shown}:{}", line.line);
            match &line.class {
                Err(reason) => {
                    out.add(
                        &SERVICES_INVALID_LINE,
                        at,
                        format!("line {}: {reason}", line.line),
                    )
                    .with_line(line.line);
                }
                Ok(class) if !declared.contains(class) && other_jvm.is_empty() => {
                    let own_package = class
                        .rsplit_once('.')
                        .is_some_and(|(p, _)| packages.contains(p));
                    let from_flink = class.starts_with("org.apache.flink.");
                    // Only a bundled dependency could provide a class the sources lack.
                    let bundled: Option<Vec<String>> = pom
                        .and_then(super::pom::bundled_dependencies)
                        .map(|deps| deps.iter().map(|d| d.coordinates()).collect());
                    let (severity, message) = match &bundled {
                        _ if from_flink => (Severity::Warning, format!("{class} is listed but is not this project's: the Flink runtime may provide it, and then its factory is registered by the runtime, not by this jar")),
                        Some(deps) if !own_package && !deps.is_empty() => (Severity::Warning, format!("{class} is listed but src/main/java does not declare it; unless a bundled dependency ({}) provides it, \"Provider {class} not found\" breaks factory discovery", crate::check::finding::examples(deps, 3))),
                        None if !own_package => (Severity::Warning, format!("{class} is listed but src/main/java does not declare it; unless a bundled dependency provides it (the POM's packaging is unknown), \"Provider {class} not found\" breaks factory discovery")),
                        _ => (Severity::Error, format!("{class} is listed but no source in src/main/java declares it and nothing bundled provides it (\"Provider {class} not found\"); {BREAKS_ALL_DISCOVERY}")),
                    };
                    out.add_at(&PROVIDER_NOT_FOUND, severity, at, message)
                        .with_line(line.line);
                }
                Ok(_) => {}
            }
        }
    }
    Some(report(project, notes, out))
}

fn report(project: &Project, notes: Vec<String>, out: Findings) -> FileReport {
    FileReport {
        path: project.dir.join("src/main").display().to_string(),
        target: "none (sources only)".to_string(),
        engine: None,
        notes,
        findings: out.items,
        matrix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_and_nested_declarations() {
        let source = r#"
// class Commented {}
package com.example.redis;
import java.util.List;
/* interface Hidden {} */
public class RedisFactory implements DynamicTableSourceFactory {
    String s = "class NotOne {";
    char c = '{';
    Class<?> k = String.class;
    static class Options { enum Mode { A, B } }
    void f() { new Runnable() { public void run() {} }; }
    record Pair(int a, int b) {}
    int record = 1;
}
interface Second {}
"#;
        assert_eq!(
            declared_classes(source),
            [
                "com.example.redis.RedisFactory",
                "com.example.redis.RedisFactory$Options",
                "com.example.redis.RedisFactory$Options$Mode",
                "com.example.redis.RedisFactory$Pair",
                "com.example.redis.Second",
            ]
        );
    }

    #[test]
    fn text_blocks_and_default_package() {
        let source = "class A { String t = \"\"\"\n class B {\n\"\"\"; }\nenum C { X }";
        assert_eq!(declared_classes(source), ["A", "C"]);
    }
}
