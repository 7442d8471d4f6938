//! One escaping function per output context. Every template helper and every escaped context
//! variable goes through here, so manifest text can never become code or markup.
//!
//! Java needs two layers: javac turns `\uXXXX` into characters *before* lexing (JLS §3.3), so
//! `\u002a/` closes a comment and `\u0022` ends a string literal. Each Java function below leaves no
//! backslash that javac could read as the start of a Unicode escape, except the ones it writes
//! itself for non-ASCII characters in string literals.

/// Characters that change how text is displayed without being visible (bidirectional overrides,
/// zero-width characters, the BOM): "Trojan Source" (CVE-2021-42574) hides code behind them.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Line terminators of any kind and other control characters.
fn is_control(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// The escapes Java string literals and TOML basic strings share.
fn backslash_escape(c: char) -> Option<&'static str> {
    Some(match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => return None,
    })
}

/// The body of a Java string literal (without quotes). ASCII only: non-ASCII becomes `\uXXXX`
/// (UTF-16 code units), which javac decodes inside the literal to the same character; control
/// characters become octal escapes (a `\u000a` would be a real line break before lexing).
pub fn java_string_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if let Some(escaped) = backslash_escape(c) {
            out.push_str(escaped);
            continue;
        }
        match c {
            c if c.is_ascii_control() => out.push_str(&format!("\\{:03o}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// A complete Java string literal: `"…"`.
pub fn java_string(text: &str) -> String {
    format!("\"{}\"", java_string_body(text))
}

/// Text inside a Javadoc comment (`/** … */`) or a `//` comment, on one line: HTML-escaped (Javadoc
/// is HTML), no tags (`@`), no `*/`, no backslash (so no Unicode escape), no line break, and
/// invisible formatting characters shown as numeric references.
pub fn javadoc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = '\0';
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '\\' => out.push_str("&#92;"),
            '/' if previous == '*' => out.push_str("&#47;"),
            c if is_control(c) => out.push(' '),
            c if is_invisible_format(c) => out.push_str(&format!("&#x{:x};", c as u32)),
            c => out.push(c),
        }
        previous = c;
    }
    // A trailing `*` would close the comment together with a template's following `/`.
    if out.ends_with('*') {
        out.pop();
        out.push_str("&#42;");
    }
    out
}

/// Plain (non-HTML) text as the lines of a `/* … */` block comment, e.g. a license header:
/// backslashes doubled (so no Unicode escape can start), `*/` broken, controls dropped.
pub fn java_block_comment(text: &str) -> String {
    let mut out = String::from("/*\n");
    for line in text.lines() {
        let mut clean = String::with_capacity(line.len());
        let mut previous = '\0';
        for c in line.chars() {
            match c {
                '\\' => clean.push_str("\\\\"),
                '/' if previous == '*' => clean.push_str(" /"),
                c if is_control(c) => clean.push(' '),
                c if is_invisible_format(c) => clean.push('\u{FFFD}'),
                c => clean.push(c),
            }
            previous = c;
        }
        out.push_str(if clean.is_empty() { " *" } else { " * " });
        out.push_str(&clean);
        out.push('\n');
    }
    out.push_str(" */\n");
    out
}

/// A Java identifier as this tool accepts it: ASCII letters, digits, `_`, `$`, not starting with a
/// digit. (Java allows any Unicode letter, but class and package names become file and directory
/// names, which differ in normalisation between file systems; ASCII keeps the jar portable.)
pub fn is_java_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// Characters XML 1.0 cannot hold at all, not even as character references.
fn xml_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x20)
        || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// XML character data (element text). Characters XML cannot hold become U+FFFD.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if xml_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An XML attribute value (inside `"…"` or `'…'`); whitespace other than space is written as a
/// character reference, which attribute-value normalisation would otherwise turn into spaces.
pub fn xml_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push_str(&xml_text(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// Text in a Markdown table cell (or any inline Markdown): one line, no column breaks, no markup.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if is_control(c) => out.push(' '),
            c if is_invisible_format(c) => out.push_str(&format!("&#x{:x};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A value shown as a Markdown code span in a table cell: `` `value` `` when it is plain, else as
/// escaped cell text (code spans cannot escape backticks, and GFM splits cells at pipes before it
/// reads code spans, so such values are not put in one).
pub fn markdown_code(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text
            .chars()
            .any(|c| matches!(c, '`' | '|' | '\\') || is_control(c) || is_invisible_format(c));
    if plain {
        format!("`{text}`")
    } else if text.is_empty() {
        "(empty)".to_string()
    } else {
        markdown_cell(text)
    }
}

/// Characters a YAML parser may read as a line break or rejects unescaped: C0/C1 controls (NEL
/// included), DEL, the line and paragraph separators (PyYAML breaks lines at them), the BOM and
/// invisible formatting characters.
fn yaml_unsafe(c: char) -> bool {
    is_control(c) || is_invisible_format(c) || c == '\u{FEFF}'
}

/// A YAML scalar: plain when that cannot be misread (letters, digits, `._-/<>`, not a keyword
/// or number), else a double-quoted string with `\uXXXX` escapes for everything a parser could
/// take as a break, so no value can end its line or start a document.
pub fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/<>".contains(c))
        && !text.starts_with("<<")
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        )
        && !text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.');
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if yaml_unsafe(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside a YAML `#` comment: one line (breaks and controls shown as `\u{…}`), so a file
/// name cannot end the comment and start a document.
pub fn yaml_comment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if yaml_unsafe(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A TOML basic string, quotes included: one line, any text.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match backslash_escape(c) {
            Some(escaped) => out.push_str(escaped),
            None if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            None => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_string_literals_leave_no_live_unicode_escape() {
        assert_eq!(java_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(java_string("\\u0022"), r#""\\u0022""#);
        assert_eq!(java_string("x\n\u{1}é😀"), r#""x\n\001\u00e9\ud83d\ude00""#);
    }

    #[test]
    fn javadoc_text_cannot_close_the_comment_or_start_tags() {
        assert_eq!(
            javadoc("ends */ here <b> @see \\u002a/"),
            "ends *&#47; here &lt;b&gt; &#64;see &#92;u002a/"
        );
        assert_eq!(javadoc("a*"), "a&#42;");
        assert_eq!(javadoc("x\n\u{202e}y"), "x &#x202e;y");
    }

    #[test]
    fn block_comments_break_closers_and_unicode_escapes() {
        assert_eq!(
            java_block_comment("A */ B\n\\u002a/"),
            "/*\n * A * / B\n * \\\\u002a/\n */\n"
        );
    }

    #[test]
    fn xml_and_markdown_contexts() {
        assert_eq!(xml_text("a<b&c\u{1}"), "a&lt;b&amp;c\u{FFFD}");
        assert_eq!(xml_attr("\"x'\n"), "&quot;x&apos;&#10;");
        assert_eq!(markdown_cell("a | b\nc"), "a \\| b c");
        assert_eq!(markdown_code("30 s"), "`30 s`");
        assert_eq!(markdown_code("a`b|c"), "a\\`b\\|c");
        assert_eq!(toml_string("a\"b\n"), r#""a\"b\n""#);
    }

    #[test]
    fn yaml_scalars_and_comments_stay_on_their_line() {
        assert_eq!(yaml_scalar("redis"), "redis");
        assert_eq!(yaml_scalar("Yes"), "\"Yes\"");
        assert_eq!(yaml_scalar("1.0"), "\"1.0\"");
        assert_eq!(
            yaml_scalar("a\"b\\\n---\u{2028}\u{85}"),
            r#""a\"b\\\u000A---\u2028\u0085""#
        );
        assert_eq!(yaml_comment("x.jar\n---\nk: v"), "x.jar\\u{a}---\\u{a}k: v");
    }
}
