//! F9: signature files of a signed dependency left in a shaded jar: the JVM verifies them
//! against the new manifest and throws SecurityException ("Invalid signature file digest").
//! An unmodified signed jar (its .SF digests still match the manifest, and the manifest's
//! digests match the entries) loads fine and is not reported.

use base64::Engine;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::check::context::JarContext;
use crate::check::finding::{Findings, Rule, Severity};
use crate::check::rules::services::BREAKS_ALL_DISCOVERY;
use crate::jar::DEFAULT_ENTRY_CAP;

pub static SIGNATURE_FILE: Rule = Rule {
    id: "signature-file",
    family: "F9",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "A signature file (META-INF/*.SF, *.DSA, *.RSA, *.EC) whose digests no longer match the jar: SecurityException on load",
    why: "A signed jar carries META-INF/*.SF digests of the manifest and of every entry. The JVM checks them when it opens the jar; once shading changed the manifest or the entries, verification fails with SecurityException (\"Invalid signature file digest\"). An unmodified signed jar whose digests still match is fine and is not reported.",
    hint: "exclude META-INF/*.SF, META-INF/*.DSA, META-INF/*.RSA and META-INF/*.EC in the shade plugin's <filters>",
};

pub const RULES: &[&Rule] = &[&SIGNATURE_FILE];

pub fn is_signature_file(name: &str) -> bool {
    let Some(file) = name.strip_prefix("META-INF/") else {
        return false;
    };
    if file.contains('/') {
        return false;
    }
    let upper = file.to_ascii_uppercase();
    [".SF", ".DSA", ".RSA", ".EC"]
        .iter()
        .any(|ext| upper.ends_with(ext))
        || upper.starts_with("SIG-")
}

pub fn check(ctx: &JarContext, out: &mut Findings) {
    let files: Vec<&str> = ctx
        .jar
        .entries()
        .iter()
        .filter(|e| !e.is_dir && is_signature_file(&e.name))
        .map(|e| e.name.as_str())
        .collect();
    if files.is_empty() {
        return;
    }
    let broken = match verify(ctx, &files) {
        Ok(()) => return,
        Err(why) => why,
    };
    for name in files {
        out.add(
            &SIGNATURE_FILE,
            name,
            format!(
                "{name} is a signature file that does not verify ({broken}): the JVM checks it \
                 against this jar's manifest and throws SecurityException (\"Invalid signature \
                 file digest\") while ServiceLoader reads the jar; {BREAKS_ALL_DISCOVERY}"
            ),
        );
    }
}

/// A manifest split into sections, each with its raw bytes (with and without the blank line
/// that ends it), the way the JDK's ManifestDigester digests them.
struct Section<'a> {
    name: Option<String>,
    attributes: Vec<(String, String)>,
    with_blank: &'a [u8],
    without_blank: &'a [u8],
}

fn sections(bytes: &[u8]) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    let mut lines: Vec<&[u8]> = Vec::new();
    let mut content_end = 0;
    while pos <= bytes.len() {
        let rest = &bytes[pos..];
        let (line, len) = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => {
                let eol = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                (&rest[..i], i + eol)
            }
            None => (rest, rest.len().max(1)),
        };
        let at_end = pos + len > bytes.len();
        if line.is_empty() || at_end {
            if !line.is_empty() {
                lines.push(line);
                content_end = bytes.len();
            }
            if !lines.is_empty() {
                let end = (pos + len).min(bytes.len());
                out.push(section(
                    &lines,
                    &bytes[start..end],
                    &bytes[start..content_end],
                ));
            }
            lines.clear();
            start = (pos + len).min(bytes.len());
            if at_end {
                break;
            }
        } else {
            lines.push(line);
            content_end = pos + len;
        }
        pos += len;
    }
    out
}

fn section<'a>(lines: &[&[u8]], with_blank: &'a [u8], without_blank: &'a [u8]) -> Section<'a> {
    let mut attributes: Vec<(String, String)> = Vec::new();
    for line in lines {
        let text = String::from_utf8_lossy(line);
        if let Some(continued) = text.strip_prefix(' ') {
            if let Some(last) = attributes.last_mut() {
                last.1.push_str(continued);
            }
        } else if let Some((key, value)) = text.split_once(':') {
            attributes.push((key.trim().to_string(), value.trim_start().to_string()));
        }
    }
    let name = attributes
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Name"))
        .map(|(_, v)| v.clone());
    Section {
        name,
        attributes,
        with_blank,
        without_blank,
    }
}

/// `SHA-256-Digest` → the digest of `bytes` with that algorithm, base64.
fn digest(algorithm: &str, bytes: &[u8]) -> Option<String> {
    let raw = match algorithm.to_ascii_uppercase().as_str() {
        "SHA-256" => Sha256::digest(bytes).to_vec(),
        "SHA-384" => Sha384::digest(bytes).to_vec(),
        "SHA-512" => Sha512::digest(bytes).to_vec(),
        "SHA1" | "SHA-1" => Sha1::digest(bytes).to_vec(),
        _ => return None,
    };
    Some(base64::engine::general_purpose::STANDARD.encode(raw))
}

/// Digest attributes (`<ALG><suffix>: value`) of a section.
fn digests<'s>(section: &'s Section, suffix: &str) -> Vec<(&'s str, &'s str)> {
    section
        .attributes
        .iter()
        .filter_map(|(k, v)| {
            let upper = k.to_ascii_uppercase();
            upper
                .ends_with(&suffix.to_ascii_uppercase())
                .then(|| (&k[..k.len() - suffix.len()], v.as_str()))
        })
        .collect()
}

/// Whether some digest of a known algorithm matches one of the candidate byte ranges.
fn matches(expected: &[(&str, &str)], candidates: &[&[u8]]) -> Option<bool> {
    let mut known = false;
    for (algorithm, value) in expected {
        for bytes in candidates {
            match digest(algorithm, bytes) {
                Some(actual) if actual == *value => return Some(true),
                Some(_) => known = true,
                None => {}
            }
        }
    }
    known.then_some(false)
}

/// Checks what the JVM checks with digests: each .SF against the manifest, and the manifest's
/// per-entry digests against the entries. The signature blocks' cryptography is not checked
/// (an unmodified jar's block signs its unmodified .SF).
fn verify(ctx: &JarContext, files: &[&str]) -> Result<(), String> {
    let read = |name: &str| match ctx.jar.read_named(name, DEFAULT_ENTRY_CAP) {
        Some(Ok(bytes)) => Ok(bytes),
        _ => Err(format!("{name} cannot be read")),
    };
    let manifest_bytes = read("META-INF/MANIFEST.MF")?;
    let manifest = sections(&manifest_bytes);
    let Some(main) = manifest.first() else {
        return Err("the manifest is empty".into());
    };
    let sf_files: Vec<&&str> = files
        .iter()
        .filter(|f| f.to_ascii_uppercase().ends_with(".SF"))
        .collect();
    if sf_files.is_empty() {
        return Err("signature blocks without a .SF file".into());
    }
    for sf_name in sf_files {
        let sf_bytes = read(sf_name)?;
        let sf = sections(&sf_bytes);
        let Some(sf_main) = sf.first() else {
            return Err(format!("{sf_name} is empty"));
        };
        let whole = digests(sf_main, "-Digest-Manifest");
        if matches(&whole, &[&manifest_bytes]) == Some(true) {
            continue;
        }
        let main_attributes = digests(sf_main, "-Digest-Manifest-Main-Attributes");
        match matches(&main_attributes, &[main.with_blank, main.without_blank]) {
            Some(true) => {}
            Some(false) => {
                return Err(format!(
                    "{sf_name}'s digest of the manifest's main attributes does not match"
                ))
            }
            None if whole.is_empty() => {
                return Err(format!("{sf_name} has no digest of the manifest"))
            }
            None => return Err(format!("{sf_name}'s digest of the manifest does not match")),
        }
        for entry in sf.iter().skip(1) {
            let Some(name) = &entry.name else { continue };
            let Some(section) = manifest.iter().find(|s| s.name.as_deref() == Some(name)) else {
                continue;
            };
            if matches(
                &digests(entry, "-Digest"),
                &[section.with_blank, section.without_blank],
            ) == Some(false)
            {
                return Err(format!(
                    "{sf_name}'s digest of the manifest section of {name} does not match"
                ));
            }
        }
    }
    for section in manifest.iter().skip(1) {
        let Some(name) = &section.name else { continue };
        let expected = digests(section, "-Digest");
        if expected.is_empty() || !ctx.jar.contains(name) {
            continue;
        }
        let bytes = read(name)?;
        if matches(&expected, &[&bytes]) == Some(false) {
            return Err(format!(
                "the content of {name} does not match its manifest digest"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn recognises_signature_files_only_directly_in_meta_inf() {
        for yes in [
            "META-INF/BC.SF",
            "META-INF/x.rsa",
            "META-INF/A.DSA",
            "META-INF/K.EC",
            "META-INF/SIG-X",
        ] {
            assert!(super::is_signature_file(yes), "{yes}");
        }
        for no in [
            "META-INF/MANIFEST.MF",
            "META-INF/maven/x.SF",
            "x/META-INF/A.SF",
            "A.SF",
        ] {
            assert!(!super::is_signature_file(no), "{no}");
        }
    }

    #[test]
    fn manifest_sections_keep_their_raw_bytes() {
        let text = b"Manifest-Version: 1.0\r\nCreated-By: x\r\n\r\nName: a/B.class\r\nSHA-256-Digest: q\r\n ux\r\n\r\n";
        let sections = super::sections(text);
        assert_eq!(sections.len(), 2);
        assert_eq!(
            sections[0].with_blank,
            b"Manifest-Version: 1.0\r\nCreated-By: x\r\n\r\n"
        );
        assert_eq!(
            sections[0].without_blank,
            b"Manifest-Version: 1.0\r\nCreated-By: x\r\n"
        );
        assert_eq!(sections[1].name.as_deref(), Some("a/B.class"));
        assert_eq!(
            sections[1].attributes[1],
            ("SHA-256-Digest".into(), "qux".into())
        );
    }
}
