//! Literal folding: a speed-up of template compilation that does not change any output.
//!
//! Handlebars parses every character of a template, and our Java templates are mostly literal
//! text, so compiling them dominated `new`. Here each long run of whole literal lines becomes one
//! `{{{@root._lit.lN}}}` lookup before compiling. The text next to every tag (the rest of the tag's
//! own lines) is left as it is, so Handlebars' standalone-line rules see what they saw before.
//! Templates using whitespace control (`~`), escapes (`\{{`) or raw blocks are not folded.

use serde_json::{Map, Value};

/// Folding a run shorter than this saves less than the lookup costs.
const MIN_FOLD: usize = 48;
pub const LITERALS_KEY: &str = "_lit";

/// The folded template and the literals it refers to (`{"l0": "…", …}`).
pub fn fold(template: &str) -> (String, Map<String, Value>) {
    let mut literals = Map::new();
    if template.contains("{{~")
        || template.contains("~}}")
        || template.contains("\\{{")
        || template.contains("{{{{")
    {
        return (template.to_string(), literals);
    }
    let mut out = String::with_capacity(template.len() / 4);
    let mut rest = template;
    loop {
        let (literal, tag_and_after) = match rest.find("{{") {
            Some(start) => rest.split_at(start),
            None => (rest, ""),
        };
        fold_literal(literal, &mut out, &mut literals);
        if tag_and_after.is_empty() {
            break;
        }
        let tag_end = tag_end(tag_and_after);
        let Some(tag_end) = tag_end else {
            // An unclosed tag: let Handlebars report it on the original text.
            return (template.to_string(), Map::new());
        };
        out.push_str(&tag_and_after[..tag_end]);
        rest = &tag_and_after[tag_end..];
    }
    (out, literals)
}

/// Length of the tag at the start of `text` (which starts with `{{`).
fn tag_end(text: &str) -> Option<usize> {
    let closer = if text.starts_with("{{!--") {
        "--}}"
    } else if text.starts_with("{{{") {
        "}}}"
    } else {
        "}}"
    };
    text[2..].find(closer).map(|i| i + 2 + closer.len())
}

/// Keeps the literal's first line (up to and including its first newline) and its last line
/// (from its last newline), which belong to the neighbouring tags' lines; folds what lies between.
fn fold_literal(literal: &str, out: &mut String, literals: &mut Map<String, Value>) {
    let (Some(first), Some(last)) = (literal.find('\n'), literal.rfind('\n')) else {
        out.push_str(literal);
        return;
    };
    if last <= first || last - first - 1 < MIN_FOLD {
        out.push_str(literal);
        return;
    }
    let middle = &literal[first + 1..last];
    let key = format!("l{}", literals.len());
    out.push_str(&literal[..=first]);
    out.push_str(&format!("{{{{{{@root.{LITERALS_KEY}.{key}}}}}}}"));
    out.push_str(&literal[last..]);
    literals.insert(key, Value::String(middle.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_whole_literal_lines_and_keeps_tag_lines() {
        let long = "a line that is long enough to be worth folding away, surely\n".repeat(2);
        let template = format!("{{{{#if x}}}}\n{long}tail {{{{y}}}}\n");
        let (folded, literals) = fold(&template);
        assert_eq!(folded, "{{#if x}}\n{{{@root._lit.l0}}}\ntail {{y}}\n");
        assert_eq!(
            literals["l0"],
            Value::String(long.trim_end_matches('\n').to_string())
        );
    }

    #[test]
    fn leaves_templates_with_whitespace_control_or_unclosed_tags_alone() {
        for t in ["a\n{{~x}}\n", "{{x}}\nlong\n{{y", "\\{{x}}"] {
            assert_eq!(fold(t).0, t);
        }
    }
}
