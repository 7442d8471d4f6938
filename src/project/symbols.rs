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
        for line in String::from_utf8_lossy(contents).lines() {
            let Some(rest) = line.trim_start().strip_prefix("public static final ") else {
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

impl std::fmt::Display for BrokenUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.now {
            None => write!(
                f,
                "{}:{}: uses {}, which the manifest no longer generates",
                self.file, self.line, self.symbol
            ),
            Some(now) => write!(
                f,
                "{}:{}: uses {}, whose type changed from {} to {}",
                self.file, self.line, self.symbol, self.before, now
            ),
        }
    }
}

/// Uses, in the project's own Java files (every `.java` under `src/` that the render does not
/// manage), of symbols present in `before` but removed or retyped in `after`.
pub fn broken_uses(
    root: &Path,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    rendered: &[RenderedFile],
) -> Vec<BrokenUse> {
    let changed: Vec<(&String, &String, Option<&String>)> = before
        .iter()
        .filter_map(|(symbol, old)| match after.get(symbol) {
            None => Some((symbol, old, None)),
            Some(new) if new != old => Some((symbol, old, Some(new))),
            _ => None,
        })
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }
    let managed: Vec<&str> = rendered
        .iter()
        .filter(|f| f.kind == FileKind::Managed)
        .map(|f| f.path.as_str())
        .collect();
    let mut out = Vec::new();
    let src = root.join("src");
    for entry in walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "java"))
    {
        let rel = crate::render::templates::relative_slash_path(root, entry.path());
        if managed.contains(&rel.as_str()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for (symbol, old, new) in &changed {
            // A member is used as `Class.FIELD` (or FIELD after a static import of it).
            let (class, member) = match symbol.split_once('.') {
                Some((c, m)) => (c, Some(m)),
                None => (symbol.as_str(), None),
            };
            let line = match member {
                Some(m) => first_word(&text, &format!("{class}.{m}")).or_else(|| {
                    let imported = text.contains("import static ") && mentions(&text, class);
                    imported.then(|| first_word(&text, m)).flatten()
                }),
                None => first_word(&text, class),
            };
            if let Some(line) = line {
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
}
