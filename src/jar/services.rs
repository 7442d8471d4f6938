//! `META-INF/services/*` files, parsed the way `java.util.ServiceLoader` parses them: UTF-8,
//! `#` starts a comment, spaces and tabs trimmed, blank lines ignored, one binary class name per
//! line. A malformed name makes ServiceLoader throw for the whole file. ServiceLoader reads any
//! size line by line (a megabyte of comments before the factory is legal), so the file is read
//! up to [`SERVICES_FILE_MAX`], far above the text cap for other small entries.

use crate::bounds::{SERVICES_FILE_MAX, SERVICES_MAX_PROVIDERS};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    /// 1-based line number in the file.
    pub line: usize,
    /// The provider class (binary name, `a.b.C$D`), or why ServiceLoader rejects the line.
    pub class: Result<String, String>,
}

/// The services file `name` of `jar`, read within the bounds and parsed: `None` when the jar
/// has no such file, `Err` (why) when it cannot be read or parsed.
pub fn read_services(
    jar: &super::JarIndex,
    name: &str,
) -> Option<Result<Vec<ServiceLine>, String>> {
    Some(match jar.read_named(name, SERVICES_FILE_MAX)? {
        Ok(bytes) => parse_services(&bytes),
        Err(e) => Err(e.to_string()),
    })
}

pub fn parse_services(bytes: &[u8]) -> Result<Vec<ServiceLine>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("is not valid UTF-8 ({e})"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<ServiceLine> = text
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let name = raw
                .split('#')
                .next()
                .unwrap_or("")
                .trim_matches([' ', '\t', '\r']);
            (!name.is_empty()).then(|| ServiceLine {
                line: i + 1,
                class: check_name(name),
            })
        })
        .take(SERVICES_MAX_PROVIDERS + 1)
        .collect();
    if lines.len() > SERVICES_MAX_PROVIDERS {
        return Err(format!(
            "lists more than {SERVICES_MAX_PROVIDERS} providers, the limit this tool reads"
        ));
    }
    Ok(lines)
}

fn check_name(name: &str) -> Result<String, String> {
    if name.contains([' ', '\t']) {
        return Err(format!("'{name}' contains whitespace"));
    }
    let valid_start = |c: char| c.is_alphabetic() || c == '_' || c == '$';
    let valid_part = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let ok = name.split('.').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(valid_start) && chars.all(valid_part)
    });
    if ok {
        Ok(name.to_string())
    } else {
        Err(format!("'{name}' is not a legal Java class name"))
    }
}

/// `a.b.C$D` → `a/b/C$D` (the class's entry is that plus `.class`).
pub fn binary_to_internal(name: &str) -> String {
    name.replace('.', "/")
}

pub fn internal_to_binary(name: &str) -> String {
    name.replace('/', ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_service_loader() {
        let text =
            "\u{feff}# header\n com.x.A  # trailing\n\n\tcom.x.B$Inner\r\ncom.x.1Bad\ncom x.C\n";
        let lines = parse_services(text.as_bytes()).unwrap();
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[0],
            ServiceLine {
                line: 2,
                class: Ok("com.x.A".into())
            }
        );
        assert_eq!(lines[1].class, Ok("com.x.B$Inner".into()));
        assert!(lines[2].class.is_err());
        assert!(lines[3].class.as_ref().unwrap_err().contains("whitespace"));
        assert!(parse_services(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn comment_padding_is_read_through_and_providers_are_bounded() {
        let padded = format!("{}com.x.A\n", "# padding padding padding\n".repeat(50_000));
        assert!(padded.len() > 1 << 20);
        let lines = parse_services(padded.as_bytes()).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].class, Ok("com.x.A".into()));
        assert_eq!(lines[0].line, 50_001);
        let many = "a.B\n".repeat(SERVICES_MAX_PROVIDERS + 1);
        let err = parse_services(many.as_bytes()).unwrap_err();
        assert!(err.contains("more than 10000 providers"), "{err}");
        assert!(parse_services("a.B\n".repeat(SERVICES_MAX_PROVIDERS).as_bytes()).is_ok());
    }
}
