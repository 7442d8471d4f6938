//! Class files store strings as "modified UTF-8": NUL as C0 80 and supplementary characters as
//! two encoded surrogates. Plain ASCII (nearly every name) is borrowed without copying.

use std::borrow::Cow;

pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    // ASCII (nearly every name) and other valid UTF-8: one validating pass, no copy.
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (unit, width) = if b < 0x80 {
            (u16::from(b), 1)
        } else if b & 0xE0 == 0xC0 && i + 1 < bytes.len() {
            (
                (u16::from(b & 0x1F) << 6) | u16::from(bytes[i + 1] & 0x3F),
                2,
            )
        } else if b & 0xF0 == 0xE0 && i + 2 < bytes.len() {
            (
                (u16::from(b & 0x0F) << 12)
                    | (u16::from(bytes[i + 1] & 0x3F) << 6)
                    | u16::from(bytes[i + 2] & 0x3F),
                3,
            )
        } else {
            (0xFFFD, 1)
        };
        units.push(unit);
        i += width;
    }
    Cow::Owned(String::from_utf16_lossy(&units))
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_nul_and_surrogate_pairs() {
        assert_eq!(decode(b"a/b/C"), "a/b/C");
        assert_eq!(decode(&[0x61, 0xC0, 0x80]), "a\0");
        // U+1F600 as modified UTF-8: two 3-byte surrogates.
        assert_eq!(decode(&[0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]), "\u{1F600}");
        assert_eq!(decode(&[0xFF, 0x41]), "\u{FFFD}A");
    }
}
