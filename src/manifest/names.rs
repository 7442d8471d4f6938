//! Turning a connector name into Java and Maven names, and refusing names that cannot become them.

use crate::errors::{Error, Result};

const JAVA_RESERVED: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
    "_",
    "var",
    "record",
    "yield",
    "sealed",
    "permits",
];

/// A connector name: lower-case words of letters and digits joined by hyphens, starting with a letter
/// (`redis`, `my-store`). It becomes the identifier, a package segment and the class prefix.
pub fn validate_connector_name(name: &str) -> Result<()> {
    let problem = if name.is_empty() {
        Some("is empty")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Some("starts with a digit")
    } else if !is_kebab(name) {
        Some("must be lower-case letters and digits, words joined by single hyphens")
    } else if JAVA_RESERVED.contains(&package_segment(name).as_str()) {
        Some("is a Java keyword")
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(why) => Err(Error::usage(format!(
            "invalid connector name '{name}': it {why}; try '{}'",
            suggest_name(name)
        ))),
    }
}

fn is_kebab(s: &str) -> bool {
    s.split('-').all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    }) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The closest valid name: lower-cased, other characters folded into hyphens, a leading letter.
pub fn suggest_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        return "my-connector".to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'c');
    }
    if JAVA_RESERVED.contains(&package_segment(&out).as_str()) {
        out.push_str("-connector");
    }
    out
}

/// `my-store` → `mystore` (Java package segments have no hyphens).
pub fn package_segment(name: &str) -> String {
    name.replace('-', "")
}

/// `my-store` → `MyStore`.
pub fn class_prefix(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

pub fn validate_package(package: &str) -> Result<()> {
    let bad = package
        .split('.')
        .find(|seg| !is_java_identifier(seg) || JAVA_RESERVED.contains(seg));
    match bad {
        None => Ok(()),
        Some(seg) => Err(Error::usage(format!(
            "invalid Java package '{package}': segment '{seg}' is not a Java identifier"
        ))),
    }
}

pub fn validate_class_prefix(prefix: &str) -> Result<()> {
    if is_java_identifier(prefix) && prefix.starts_with(|c: char| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "invalid class prefix '{prefix}': it must be a Java identifier starting with an upper-case letter"
        )))
    }
}

pub use crate::escape::is_java_identifier;

/// A factory identifier (`'connector' = '…'`): a lower-case ASCII letter or digit, then lower-case
/// letters, digits, `-`, `.` and `_`, at most 64 characters. Flink compares identifiers as plain
/// strings, but every identifier it ships fits this set (`upsert-kafka`, `hbase-2.2`,
/// `generic_in_memory`), and the identifier is written unescaped-safe into SQL string literals
/// (`'connector' = 'x'`), Java string literals, service files, file names and Markdown; characters
/// outside the set would need a different escape in each. Upper case is refused because Flink's
/// lookup is case-sensitive while SQL users expect `'Redis'` and `'redis'` to be one connector.
pub fn validate_identifier(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "invalid identifier '{}': use lower-case letters, digits, '-', '.' and '_', starting with a letter or digit (at most 64), e.g. '{}'",
            id.escape_debug(),
            suggest_name(id)
        )))
    }
}

/// Maven groupId/artifactId: letters, digits, `.`, `-`, `_`.
pub fn validate_maven_id(what: &str, id: &str) -> Result<()> {
    if !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "invalid Maven {what} '{id}': use letters, digits, '.', '-' and '_'"
        )))
    }
}

/// Option keys follow Flink's conventions: lower case, `.` between levels, `-` between words
/// (`sink.buffer-flush.max-rows`). Only ASCII lower-case letters and digits form words, because a
/// key also becomes a Java constant name (`SINK_BUFFER_FLUSH_MAX_ROWS`) and appears in SQL string
/// literals and Markdown without escaping.
pub fn is_option_key(key: &str) -> bool {
    key.split('.').all(is_kebab)
}

/// `sink.buffer-flush.max-rows` → `SINK_BUFFER_FLUSH_MAX_ROWS`.
pub fn option_constant(key: &str) -> String {
    key.to_ascii_uppercase().replace(['.', '-'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names_pass_and_map_to_java_names() {
        for n in ["redis", "my-store", "s3", "kafka2"] {
            validate_connector_name(n).unwrap();
        }
        assert_eq!(class_prefix("my-store"), "MyStore");
        assert_eq!(package_segment("my-store"), "mystore");
    }

    #[test]
    fn bad_names_are_refused_with_a_valid_suggestion() {
        for (bad, suggestion) in [
            ("", "my-connector"),
            ("3d", "c3d"),
            ("class", "class-connector"),
            ("My Store!", "my-store"),
            ("a--b", "a-b"),
            ("redis_", "redis"),
        ] {
            let err = validate_connector_name(bad).unwrap_err().to_string();
            assert!(
                err.ends_with(&format!("try '{suggestion}'")),
                "{bad:?}: {err}"
            );
            validate_connector_name(suggestion).unwrap();
        }
    }

    #[test]
    fn option_keys_follow_flink_conventions() {
        assert!(is_option_key("sink.buffer-flush.max-rows"));
        for bad in ["Sink.x", "sink..x", "sink.-x", "sink_x", "", ".x"] {
            assert!(!is_option_key(bad), "{bad}");
        }
        assert_eq!(
            option_constant("sink.buffer-flush.max-rows"),
            "SINK_BUFFER_FLUSH_MAX_ROWS"
        );
    }

    #[test]
    fn packages_must_be_java_identifiers() {
        validate_package("org.example.flink.connector.redis").unwrap();
        assert!(validate_package("org.example.int").is_err());
        assert!(validate_package("org.2x").is_err());
        assert!(validate_package("org..x").is_err());
    }
}
