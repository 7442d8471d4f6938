//! The main section of `META-INF/MANIFEST.MF`: `Name: value` lines, continuation lines start
//! with one space, the main section ends at the first blank line.

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    attributes: Vec<(String, String)>,
}

impl Manifest {
    pub fn parse(bytes: &[u8]) -> Manifest {
        let text = String::from_utf8_lossy(bytes);
        let mut attributes: Vec<(String, String)> = Vec::new();
        for line in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
            if line.is_empty() {
                break;
            }
            if let Some(more) = line.strip_prefix(' ') {
                if let Some((_, value)) = attributes.last_mut() {
                    value.push_str(more);
                }
            } else if let Some((name, value)) = line.split_once(':') {
                attributes.push((name.trim().to_string(), value.trim_start().to_string()));
            }
        }
        Manifest { attributes }
    }

    /// Attribute names are case-insensitive.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_multi_release(&self) -> bool {
        self.get("Multi-Release")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_main_section_with_continuations() {
        let m = Manifest::parse(b"Manifest-Version: 1.0\r\nmulti-release: TRUE\r\nLong: abc\r\n def\r\n\r\nName: x\r\nMulti-Release: false\r\n");
        assert!(m.is_multi_release());
        assert_eq!(m.get("long"), Some("abcdef"));
        assert_eq!(m.get("Name"), None);
    }
}
