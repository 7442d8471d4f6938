//! Which generated Java symbols a render removes or retypes, and where the team's own code still
//! uses them. Read from source text (no JVM): managed classes are the managed `.java` files, their
//! members the `public static final TYPE NAME` declarations (the option constants).

use std::collections::BTreeMap;
use std::path::Path;

use crate::render::{FileKind, RenderedFile};

/// `Class` → type, and `Class.FIELD` → declared type, of a set of managed Java files.
pub fn declared(files: &[(String, Vec<u8>)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, contents) in files {
        let Some(class) = path
            .strip_suffix(".java")
            .map(|p| p.rsplit('/').next().unwrap_or(p))
        else {
            continue;
        };
        out.insert(class.to_string(), "class".to_string());
        // The nested enum being read (an enum option's values), as its constants are used:
        // `Mode.FAST` (also as `Options.Mode.FAST`).
        let mut nested: Option<String> = None;
        for line in String::from_utf8_lossy(contents).lines() {
            let trimmed = line.trim_start();
            if let Some(name) = trimmed
                .strip_prefix("public enum ")
                .and_then(|r| r.split_whitespace().next())
            {
                out.insert(format!("{class}.{name}"), "enum".to_string());
                nested = Some(name.to_string());
                continue;
            }
            if let Some(name) = &nested {
                let constant: String = trimmed
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if !constant.is_empty() && trimmed[constant.len()..].starts_with(['(', ',', ';']) {
                    out.insert(format!("{name}.{constant}"), format!("{class}.{name}"));
                }
                if trimmed.ends_with(';') {
                    nested = None;
                }
                continue;
            }
            let Some(rest) = trimmed.strip_prefix("public static final ") else {
                continue;
            };
            let declaration = rest.split(['=', ';']).next().unwrap_or("").trim();
            if let Some((ty, name)) = declaration.rsplit_once(' ') {
                out.insert(format!("{class}.{name}"), ty.trim().to_string());
            }
        }
    }
    out
}

/// One use of a symbol that a render removed or retyped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenUse {
    pub symbol: String,
    /// `None` when removed, else the new type.
    pub now: Option<String>,
    pub before: String,
    pub file: String,
    pub line: usize,
}

impl BrokenUse {
    /// Why the use breaks, without the location.
    pub fn why(&self) -> String {
        match &self.now {
            None => format!(
                "uses {}, which the manifest no longer generates",
                self.symbol
            ),
            Some(now) => format!(
                "uses {}, whose type changed from {} to {}",
                self.symbol, self.before, now
            ),
        }
    }
}

impl std::fmt::Display for BrokenUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.why())
    }
}

/// Uses, in the project's own Java files `owned`, of symbols present in `before` but removed or
/// retyped in `after`.
pub fn broken_uses(
    owned: &[(String, String)],
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<BrokenUse> {
    let changed: Vec<(&String, &String, Option<&String>)> = before
        .iter()
        .filter_map(|(symbol, old)| match after.get(symbol) {
            None => Some((symbol, old, None)),
            Some(new) if new != old => Some((symbol, old, Some(new))),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (rel, text) in owned {
        for (symbol, old, new) in &changed {
            // A member is used as `Class.FIELD` (or FIELD after a static import of it).
            let (class, member) = match symbol.split_once('.') {
                Some((c, m)) => (c, Some(m)),
                None => (symbol.as_str(), None),
            };
            let lines = match member {
                Some(m) => {
                    let qualified = word_lines(text, &format!("{class}.{m}"));
                    let imported = text.contains("import static ") && mentions(text, class);
                    if qualified.is_empty() && imported {
                        word_lines(text, m)
                    } else {
                        qualified
                    }
                }
                None => word_lines(text, class),
            };
            for line in lines {
                out.push(BrokenUse {
                    symbol: symbol.to_string(),
                    now: new.cloned(),
                    before: old.to_string(),
                    file: rel.clone(),
                    line,
                });
            }
        }
    }
    out
}

fn mentions(text: &str, word: &str) -> bool {
    first_word(text, word).is_some()
}

/// The 1-based lines where `word` occurs as a whole Java token.
fn word_lines(text: &str, word: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| first_word(line, word).is_some())
        .map(|(i, _)| i + 1)
        .collect()
}

/// The 1-based line of the first occurrence of `word` as a whole Java token.
fn first_word(text: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(at) = line[from..].find(word) {
            let start = from + at;
            let end = start + word.len();
            let before_ok = !line[..start].chars().next_back().is_some_and(is_ident);
            let after_ok = !line[end..].chars().next().is_some_and(is_ident);
            if before_ok && after_ok {
                return Some(i + 1);
            }
            from = end;
        }
    }
    None
}

// ---------------------------------------------------------------- the project-compiles review

/// Something in the team's own code that a render leaves behind: it would not compile, or its
/// tests would fail. `file:line: why`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub why: String,
    /// Already so before this change (accepted earlier with --allow-broken): reported, not
    /// refused, so that unrelated changes go through.
    pub known: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known = if self.known {
            " (already so before this change)"
        } else {
            ""
        };
        write!(f, "{}:{}: {}{known}", self.file, self.line, self.why)
    }
}

/// An owned file the tool completes itself: members the managed code calls, added as marked
/// stubs (nested classes the calls need are copied as rendered), so the project still compiles.
#[derive(Debug, Clone)]
pub struct Completion {
    pub path: String,
    pub contents: Vec<u8>,
    pub added: Vec<String>,
}

/// What a render means for the team's own code.
#[derive(Debug, Default)]
pub struct Review {
    pub problems: Vec<Problem>,
    pub completions: Vec<Completion>,
    /// Owned files whose untouched generated members follow the render (removed or updated).
    pub refreshed: Vec<Refresh>,
}

/// An owned file whose members the team never edited follow a render: a member the last render
/// generated that this one does not is removed, one it generates differently is replaced. A
/// member counts as untouched when its text is still exactly what the last render made.
#[derive(Debug, Clone)]
pub struct Refresh {
    pub path: String,
    pub contents: Vec<u8>,
    pub removed: Vec<String>,
    /// Members replaced, or added (a helper a replaced member now calls; any new member of a
    /// file never edited).
    pub updated: Vec<String>,
    /// The 1-based lines on disk of the members removed or replaced.
    pub lines: Vec<std::ops::Range<usize>>,
}

impl Review {
    /// The owned files to write: refreshed and/or completed, one entry per path (completion last).
    pub fn owned_writes(&self) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = self
            .refreshed
            .iter()
            .filter(|r| !self.completions.iter().any(|c| c.path == r.path))
            .map(|r| (r.path.clone(), r.contents.clone()))
            .collect();
        out.extend(
            self.completions
                .iter()
                .map(|c| (c.path.clone(), c.contents.clone())),
        );
        out
    }
}

impl Review {
    /// Whether the change itself breaks something (not only problems that were there before).
    pub fn breaks(&self) -> bool {
        self.problems.iter().any(|p| !p.known)
    }
}

/// The block that names every place to change, one per line.
pub fn report(problems: &[Problem]) -> String {
    let mut out = format!(
        "this change leaves the project's own code behind; {} place(s) must change:",
        problems.len()
    );
    for p in problems {
        out.push_str(&format!("\n  {p}"));
    }
    out
}

/// The marker every stub carries, so a team can find them (and the review can recognise them).
pub const STUB_MARKER: &str = "Stub added by cargo-flink-connector";

/// Reviews the project's own code against a fresh render `files` (before it is written):
/// symbols removed or retyped since `before` (the last render), option constants the managed
/// classes do not declare, members of owned classes that the managed code calls but the owned
/// file lacks (completed with stubs), and test DDL whose identifier or required options are
/// stale. `root` is `None` for a project not yet on disk (`new`).
pub fn review(
    root: Option<&Path>,
    files: &[RenderedFile],
    recorded: &[(String, Vec<u8>)],
    manifest: &crate::manifest::Manifest,
    previous: Option<&crate::manifest::Manifest>,
) -> Review {
    review_with_last_render(root, files, recorded, manifest, previous, &[])
}

/// [`review`], where `last_render` is the full render of the manifest as last rendered (its
/// owned files as the tool made them): owned members still exactly so follow this render
/// ([`Refresh`]) before the rest of the review looks at the owned code.
pub fn review_with_last_render(
    root: Option<&Path>,
    files: &[RenderedFile],
    recorded: &[(String, Vec<u8>)],
    manifest: &crate::manifest::Manifest,
    previous: Option<&crate::manifest::Manifest>,
    last_render: &[RenderedFile],
) -> Review {
    let refreshed = root
        .map(|root| refresh_owned(root, files, last_render))
        .unwrap_or_default();
    let before = declared(recorded);
    let old_identifier = identifier(recorded);
    let managed: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|f| f.kind == FileKind::Managed && f.path.ends_with(".java"))
        .map(|f| (f.path.clone(), f.contents.clone()))
        .collect();
    let after = declared(&managed);
    let owned = owned_sources(root, files, recorded);
    let mut problems: Vec<Problem> = broken_uses(&owned, &before, &after)
        .into_iter()
        .map(|b| Problem {
            why: format!("{}; change this use", b.why()),
            file: b.file,
            line: b.line,
            known: false,
        })
        .collect();
    problems.extend(undeclared_constants(&owned, &after));
    problems.extend(stale_test_ddl(&owned, manifest, old_identifier.as_deref()));
    // Lines of untouched members that follow the render are not the team's to change.
    problems.retain(|p| {
        !refreshed
            .iter()
            .any(|r| r.path == p.file && r.lines.iter().any(|l| l.contains(&p.line)))
    });
    let owned_after: Vec<(String, String)> = owned
        .iter()
        .map(
            |(path, text)| match refreshed.iter().find(|r| r.path == *path) {
                Some(r) => (
                    path.clone(),
                    String::from_utf8_lossy(&r.contents).into_owned(),
                ),
                None => (path.clone(), text.clone()),
            },
        )
        .collect();
    // What the last render already left behind (the previous manifest; for `generate`, whose
    // previous manifest is gone, the current one's required options).
    if !recorded.is_empty() {
        let mut known = undeclared_constants(&owned, &before);
        known.extend(stale_test_ddl(&owned, previous.unwrap_or(manifest), None));
        for p in &mut problems {
            p.known = known.iter().any(|k| k.file == p.file && k.line == p.line);
        }
    }
    let managed_text: String = managed
        .iter()
        .map(|(_, c)| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    let completions = root
        .map(|root| complete_owned(root, files, &managed_text, &owned_after))
        .unwrap_or_default();
    // Stable: of two reasons for one line, the first found (removed/retyped) is the one kept.
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    problems.dedup_by(|a, b| a.file == b.file && a.line == b.line);
    Review {
        problems,
        completions,
        refreshed,
    }
}

/// The project's own Java sources: owned files on disk (every `.java` under `src/` that neither
/// this render nor the last one manages) and owned files the render is about to create.
fn owned_sources(
    root: Option<&Path>,
    files: &[RenderedFile],
    recorded: &[(String, Vec<u8>)],
) -> Vec<(String, String)> {
    let managed: Vec<&str> = files
        .iter()
        .filter(|f| f.kind == FileKind::Managed)
        .map(|f| f.path.as_str())
        .chain(recorded.iter().map(|(p, _)| p.as_str()))
        .collect();
    let mut out: Vec<(String, String)> = Vec::new();
    if let Some(root) = root {
        for entry in walkdir::WalkDir::new(root.join("src"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "java")
            })
        {
            let rel = crate::render::templates::relative_slash_path(root, entry.path());
            if managed.contains(&rel.as_str()) {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                out.push((rel, text));
            }
        }
    }
    for f in files
        .iter()
        .filter(|f| f.kind == FileKind::Owned && f.path.ends_with(".java"))
    {
        if !out.iter().any(|(p, _)| *p == f.path) {
            out.push((
                f.path.clone(),
                String::from_utf8_lossy(&f.contents).into_owned(),
            ));
        }
    }
    out
}

/// `Class.CONSTANT` uses, in owned code, of a managed class that does not declare that constant
/// (a team preset without an option its owned client reads; an option removed by hand).
fn undeclared_constants(
    owned: &[(String, String)],
    after: &BTreeMap<String, String>,
) -> Vec<Problem> {
    let classes: Vec<&str> = after
        .keys()
        .filter_map(|k| k.split_once('.').map(|(c, _)| c))
        .collect();
    let mut out = Vec::new();
    for (file, text) in owned {
        for (i, line) in text.lines().enumerate() {
            for class in &classes {
                for constant in qualified_constants(line, class) {
                    let symbol = format!("{class}.{constant}");
                    if !after.contains_key(&symbol) {
                        out.push(Problem {
                            file: file.clone(),
                            line: i + 1,
                            why: format!(
                                "uses {symbol}, which the manifest does not generate; declare its option in connector.toml or change this use"
                            ),
                            known: false,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The `CONSTANT`s of `Class.CONSTANT` tokens on a line (upper-case names only: constants).
fn qualified_constants<'a>(line: &'a str, class: &str) -> Vec<&'a str> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let needle = format!("{class}.");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = line[from..].find(&needle) {
        let start = from + at;
        let rest = &line[start + needle.len()..];
        from = start + needle.len();
        if line[..start].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let name_len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        let name = &rest[..name_len];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            out.push(name);
        }
    }
    out
}

/// `'connector' = 'ID'` in owned tests: an old identifier, or a DDL of this connector that does
/// not set a required option, fails the tests at run time.
fn stale_test_ddl(
    owned: &[(String, String)],
    manifest: &crate::manifest::Manifest,
    old_identifier: Option<&str>,
) -> Vec<Problem> {
    let renamed = old_identifier.filter(|old| *old != manifest.identifier);
    let required: Vec<&str> = manifest
        .options
        .iter()
        .filter(|o| o.required)
        .map(|o| o.key.as_str())
        .collect();
    let mut out = Vec::new();
    for (file, text) in owned.iter().filter(|(p, _)| p.starts_with("src/test/")) {
        let mut first_ddl = None;
        for (i, line) in text.lines().enumerate() {
            for id in connector_values(line) {
                if Some(id) == renamed {
                    out.push(Problem {
                        file: file.clone(),
                        line: i + 1,
                        why: format!(
                            "the test DDL says 'connector' = '{id}', but the factory identifier is now '{}' (Flink: \"Could not find any factory for identifier '{id}'\")",
                            manifest.identifier
                        ),
                        known: false,
                    });
                }
                if id == manifest.identifier || Some(id) == renamed {
                    first_ddl.get_or_insert(i + 1);
                }
            }
        }
        let Some(line) = first_ddl else { continue };
        for key in &required {
            if !text.contains(&format!("'{key}'")) {
                out.push(Problem {
                    file: file.clone(),
                    line,
                    why: format!(
                        "the test DDL does not set required option '{key}' (Flink: \"Missing required options\"); add '{key}' = '…' to its WITH clause"
                    ),
                    known: false,
                });
            }
        }
    }
    out
}

/// The values of `'connector' = '…'` on a line (any spacing around `=`).
fn connector_values(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("'connector'") {
        rest = &rest[at + "'connector'".len()..];
        let Some(after_eq) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some(value) = after_eq.trim_start().strip_prefix('\'') else {
            continue;
        };
        if let Some(end) = value.find('\'') {
            out.push(&value[..end]);
        }
    }
    out
}

/// The factory identifier a set of managed Java files declares (`factoryIdentifier()`'s literal).
pub fn identifier(files: &[(String, Vec<u8>)]) -> Option<String> {
    files.iter().find_map(|(_, contents)| {
        let text = String::from_utf8_lossy(contents);
        let at = text.find("factoryIdentifier()")?;
        let rest = &text[at..];
        let ret = rest.find("return \"")?;
        let value = &rest[ret + "return \"".len()..];
        let end = value.find('"')?;
        Some(value[..end].to_string())
    })
}

/// Owned files on disk that lack members their fresh render declares and the managed code calls
/// (a capability added after the file was created): methods become marked stubs that throw,
/// nested classes are copied as rendered, and the imports they need are added.
fn complete_owned(
    root: &Path,
    files: &[RenderedFile],
    managed_text: &str,
    owned: &[(String, String)],
) -> Vec<Completion> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| {
        f.kind == FileKind::Owned && f.path.starts_with("src/main/") && f.path.ends_with(".java")
    }) {
        // On disk, as refreshed by this render.
        let Some(disk) = owned
            .iter()
            .find(|(p, _)| *p == f.path)
            .map(|(_, t)| t.clone())
            .filter(|_| root.join(&f.path).is_file())
        else {
            continue;
        };
        let fresh = String::from_utf8_lossy(&f.contents);
        let (Some(wanted), Some(have)) = (java::members(&fresh), java::members(&disk)) else {
            continue;
        };
        let present: Vec<&str> = have.members.iter().map(|m| m.name.as_str()).collect();
        let missing: Vec<&java::Member> = wanted
            .members
            .iter()
            .filter(|m| {
                m.kind != java::Kind::Field
                    && !m.private
                    && !present.contains(&m.name.as_str())
                    && first_word(managed_text, &m.name).is_some()
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut added_text = String::new();
        let mut names = Vec::new();
        for m in &missing {
            let body = &fresh[m.span.clone()];
            added_text.push('\n');
            added_text.push_str(&match m.kind {
                java::Kind::Method => stub(body, m.header_len, &m.name),
                _ => format!(
                    "    // {STUB_MARKER}: the managed classes use this type.\n{}\n",
                    body.trim_matches('\n')
                ),
            });
            if !names.contains(&m.name) {
                names.push(m.name.clone());
            }
        }
        let imports: String = fresh
            .lines()
            .filter(|l| l.starts_with("import ") && !disk.contains(l.trim()))
            .filter(|l| {
                let simple = l.trim_end_matches(';').rsplit('.').next().unwrap_or("");
                first_word(&added_text, simple).is_some()
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let mut text = disk.clone();
        text.insert_str(have.close, &added_text);
        if !imports.is_empty() {
            // After the last import (else after the package line).
            let at = text
                .rfind("\nimport ")
                .and_then(|i| text[i + 1..].find('\n').map(|n| i + n + 2))
                .or_else(|| text.find(";\n").map(|i| i + 2))
                .unwrap_or(0);
            text.insert_str(at, &imports);
        }
        out.push(Completion {
            path: f.path.clone(),
            contents: text.into_bytes(),
            added: names,
        });
    }
    out
}

/// Owned Java files on disk whose untouched members (still exactly as `last_render` made them)
/// differ from this render's: removed when this render lacks them, replaced when it renders them
/// otherwise. Imports the last render added that nothing uses any more go with them. Members the
/// team edited stay; the review names their uses of removed symbols.
fn refresh_owned(
    root: &Path,
    files: &[RenderedFile],
    last_render: &[RenderedFile],
) -> Vec<Refresh> {
    let mut out = Vec::new();
    for old in last_render
        .iter()
        .filter(|f| f.kind == FileKind::Owned && f.path.ends_with(".java"))
    {
        let Ok(disk) = std::fs::read_to_string(root.join(&old.path)) else {
            continue;
        };
        let old_text = String::from_utf8_lossy(&old.contents);
        let new_text = files
            .iter()
            .find(|f| f.path == old.path && f.kind == FileKind::Owned)
            .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
            .unwrap_or_default();
        let (Some(have), Some(was)) = (java::members(&disk), java::members(&old_text)) else {
            continue;
        };
        let will = java::members(&new_text);
        // A file never edited at all is rendered anew, members the render adds included.
        if disk == old_text && !new_text.is_empty() && new_text != old_text {
            let texts = |c: &java::Class, text: &str| -> Vec<(String, String)> {
                c.members
                    .iter()
                    .map(|m| (m.name.clone(), text[m.span.clone()].to_string()))
                    .collect()
            };
            let before = texts(&was, &old_text);
            let after = will
                .as_ref()
                .map(|c| texts(c, &new_text))
                .unwrap_or_default();
            let mut removed: Vec<String> = before
                .iter()
                .filter(|(n, _)| !after.iter().any(|(a, _)| a == n))
                .map(|(n, _)| n.clone())
                .collect();
            // Added or rendered otherwise.
            let mut updated: Vec<String> = after
                .iter()
                .filter(|m| !before.contains(m))
                .map(|(n, _)| n.clone())
                .collect();
            dedup(&mut removed);
            dedup(&mut updated);
            let whole_file = 1..disk.lines().count() + 2;
            out.push(Refresh {
                path: old.path.clone(),
                contents: new_text.into_bytes(),
                removed,
                updated,
                lines: vec![whole_file],
            });
            continue;
        }
        let nth = |class: &java::Class, text: &str, name: &str, kind, n: usize| {
            class
                .members
                .iter()
                .filter(|m| m.name == name && m.kind == kind)
                .nth(n)
                .map(|m| text[m.span.clone()].to_string())
        };
        // Edits from the end, so earlier spans stay valid.
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let (mut removed, mut updated) = (Vec::new(), Vec::new());
        for m in &have.members {
            let text = &disk[m.span.clone()];
            // Which of the last render's members of this name it is, if untouched.
            let Some(n) = was
                .members
                .iter()
                .filter(|w| w.name == m.name && w.kind == m.kind)
                .position(|w| old_text[w.span.clone()] == *text)
            else {
                continue;
            };
            let fresh = will
                .as_ref()
                .and_then(|c| nth(c, &new_text, &m.name, m.kind, n));
            match fresh {
                None => {
                    edits.push((m.span.clone(), String::new()));
                    removed.push(m.name.clone());
                }
                Some(f) if f != text => {
                    edits.push((m.span.clone(), f));
                    updated.push(m.name.clone());
                }
                Some(_) => {}
            }
        }
        if edits.is_empty() {
            continue;
        }
        // Members new in this render that a replaced member calls (a helper it now uses).
        let replaced: String = edits.iter().map(|(_, t)| t.as_str()).collect();
        let mut added_text = String::new();
        if let Some(will) = &will {
            for m in &will.members {
                let known = |c: &java::Class| c.members.iter().any(|x| x.name == m.name);
                if !known(&have) && !known(&was) && first_word(&replaced, &m.name).is_some() {
                    added_text.push_str(&new_text[m.span.clone()]);
                    updated.push(m.name.clone());
                }
            }
        }
        if !added_text.is_empty() {
            edits.push((have.close..have.close, added_text));
        }
        let replaced: String = edits.iter().map(|(_, t)| t.as_str()).collect();
        let line_of = |at: usize| disk[..at].matches('\n').count() + 1;
        let lines = edits
            .iter()
            .map(|(span, _)| line_of(span.start)..line_of(span.end) + 1)
            .collect();
        let mut text = disk.clone();
        for (span, with) in edits.into_iter().rev() {
            text.replace_range(span, &with);
        }
        // Imports the last render made, that this one does not and nothing uses any more.
        let body_at = text.find('{').unwrap_or(text.len());
        let unused: Vec<String> = old_text
            .lines()
            .filter(|l| l.starts_with("import ") && !new_text.lines().any(|n| n == *l))
            .filter(|l| {
                let simple = l.trim_end_matches(';').rsplit('.').next().unwrap_or("");
                first_word(&text[body_at..], simple).is_none()
            })
            .map(|l| format!("{l}\n"))
            .collect();
        for line in unused {
            if let Some(at) = text.find(&line) {
                text.replace_range(at..at + line.len(), "");
                // A group of imports that is now empty leaves no second blank line.
                if text[..at].ends_with("\n\n") && text[at..].starts_with('\n') {
                    text.remove(at);
                }
            }
        }
        // Imports this render has that the replaced or added members need.
        let needed: String = new_text
            .lines()
            .filter(|l| l.starts_with("import ") && !text.lines().any(|t| t == *l))
            .filter(|l| {
                let simple = l.trim_end_matches(';').rsplit('.').next().unwrap_or("");
                first_word(&replaced, simple).is_some()
            })
            .map(|l| format!("{l}\n"))
            .collect();
        if !needed.is_empty() {
            let at = text
                .rfind("\nimport ")
                .and_then(|i| text[i + 1..].find('\n').map(|n| i + n + 2))
                .unwrap_or(0);
            text.insert_str(at, &needed);
        }
        dedup(&mut removed);
        dedup(&mut updated);
        out.push(Refresh {
            path: old.path.clone(),
            contents: text.into_bytes(),
            removed,
            updated,
            lines,
        });
    }
    out
}

fn dedup(names: &mut Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
}

/// A method of a fresh render as a stub: its Javadoc and signature, a body that throws.
fn stub(member: &str, header_len: usize, name: &str) -> String {
    // Its Javadoc and signature, without the section comments before them.
    let header = &member[..header_len];
    let header = match header.rfind("/**") {
        Some(at) => &header[header[..at].rfind('\n').map_or(0, |n| n + 1)..],
        None => header,
    };
    let header = header.trim_matches('\n').trim_end();
    format!(
        "    // {STUB_MARKER}: the managed classes call it; replace the body.\n{header} {{\n        throw new UnsupportedOperationException(\"{name}: not implemented yet (a stub added by cargo-flink-connector)\");\n    }}\n"
    )
}

/// Just enough of Java's syntax to list the members of a file's first top-level class.
mod java {
    use std::ops::Range;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        Method,
        Class,
        Field,
    }

    #[derive(Debug)]
    pub struct Member {
        pub name: String,
        pub kind: Kind,
        pub private: bool,
        /// The member's text, from the end of the previous member (comments included).
        pub span: Range<usize>,
        /// Length of the text before the body's `{` (within `span`).
        pub header_len: usize,
    }

    #[derive(Debug)]
    pub struct Class {
        pub members: Vec<Member>,
        /// Offset of the class's closing `}`.
        pub close: usize,
    }

    /// `src` with comments, string and char literals blanked (same offsets), so braces and
    /// semicolons in them do not count.
    fn code_only(src: &str) -> Vec<u8> {
        let b = src.as_bytes();
        let mut out = b.to_vec();
        let mut i = 0;
        let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
            for c in &mut out[from..to] {
                if *c != b'\n' {
                    *c = b' ';
                }
            }
        };
        while i < b.len() {
            let end = match b[i] {
                b'/' if b.get(i + 1) == Some(&b'/') => b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p),
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    src[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2)
                }
                q @ (b'"' | b'\'') => {
                    let mut j = i + 1;
                    while j < b.len() && b[j] != q && b[j] != b'\n' {
                        j += if b[j] == b'\\' { 2 } else { 1 };
                    }
                    (j + 1).min(b.len())
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            blank(&mut out, i, end);
            i = end;
        }
        out
    }

    pub fn members(src: &str) -> Option<Class> {
        let code = code_only(src);
        let open = code.iter().position(|&c| c == b'{')?;
        let mut members = Vec::new();
        let mut depth = 1;
        let mut start = open + 1;
        let mut body_open: Option<usize> = None;
        for (i, &c) in code.iter().enumerate().skip(open + 1) {
            match c {
                b'{' => {
                    if depth == 1 {
                        body_open.get_or_insert(i);
                    }
                    depth += 1;
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(Class { members, close: i });
                    }
                    if depth == 1 {
                        let header_end = body_open.unwrap_or(i);
                        let header = String::from_utf8_lossy(&code[start..header_end]).to_string();
                        if !header.contains('=') {
                            members.push(member(&header, start..i + 1, header_end - start));
                            start = i + 1;
                            body_open = None;
                        }
                    }
                }
                b';' if depth == 1 => {
                    let header = String::from_utf8_lossy(&code[start..i]).to_string();
                    if !header.trim().is_empty() {
                        let header_len = body_open.unwrap_or(i) - start;
                        members.push(member(&header, start..i + 1, header_len));
                    }
                    start = i + 1;
                    body_open = None;
                }
                _ => {}
            }
        }
        None
    }

    fn member(header: &str, span: Range<usize>, header_len: usize) -> Member {
        let words: Vec<&str> = header
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .filter(|w| !w.is_empty())
            .collect();
        let signature = header.split('{').next().unwrap_or(header);
        let type_at = words
            .iter()
            .position(|w| matches!(*w, "class" | "interface" | "enum" | "record"));
        let paren = signature.find('(');
        let (kind, name) = match (type_at, paren) {
            (Some(at), _) if paren.is_none_or(|p| !signature[..p].contains('=')) => {
                (Kind::Class, words.get(at + 1).copied().unwrap_or(""))
            }
            (_, Some(p)) if !signature[..p].contains('=') => {
                let before = signature[..p].trim_end();
                let name_start = before
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .map_or(0, |i| i + 1);
                (Kind::Method, &before[name_start..])
            }
            _ => {
                let before = signature.split('=').next().unwrap_or("").trim_end();
                let name_start = before
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .map_or(0, |i| i + 1);
                (Kind::Field, &before[name_start..])
            }
        };
        Member {
            name: name.to_string(),
            kind,
            private: words.contains(&"private"),
            span,
            header_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_option_constants_and_whole_words() {
        let files = vec![(
            "src/main/java/p/AcmeOptions.java".to_string(),
            b"class X {\n    public static final ConfigOption<Integer> PORT =\n".to_vec(),
        )];
        let d = declared(&files);
        assert_eq!(d["AcmeOptions"], "class");
        assert_eq!(d["AcmeOptions.PORT"], "ConfigOption<Integer>");
        assert_eq!(
            first_word("a\nint x = AcmeOptions.PORT;", "AcmeOptions.PORT"),
            Some(2)
        );
        assert_eq!(first_word("AcmeOptions.PORTS", "AcmeOptions.PORT"), None);
    }

    #[test]
    fn lists_members_of_the_first_class_skipping_comments_and_strings() {
        let src = "package p;\nimport x.Y;\n/** { */\npublic class C {\n    private static final Map<String, Integer> M = new HashMap<String, Integer>() {{ put(\"}\", 1); }};\n    // a comment with { and ;\n    /** Docs. */\n    public static void check(int[] k) {\n        if (k.length == 0) { throw new IllegalStateException(\"{\"); }\n    }\n    public static final class Page {\n        public final int n;\n        Page(int n) { this.n = n; }\n    }\n    private int helper() { return '}'; }\n}\n";
        let class = java::members(src).unwrap();
        let names: Vec<(&str, java::Kind, bool)> = class
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.kind, m.private))
            .collect();
        assert_eq!(
            names,
            vec![
                ("M", java::Kind::Field, true),
                ("check", java::Kind::Method, false),
                ("Page", java::Kind::Class, false),
                ("helper", java::Kind::Method, true),
            ]
        );
        assert_eq!(&src[class.close..], "}\n");
        let check = &class.members[1];
        let stubbed = stub(&src[check.span.clone()], check.header_len, "check");
        assert!(stubbed.contains("    /** Docs. */\n    public static void check(int[] k) {\n        throw new UnsupportedOperationException("), "{stubbed}");
        assert!(!stubbed.contains("a comment"), "{stubbed}");
    }
}
