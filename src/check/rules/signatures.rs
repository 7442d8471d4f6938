//! F9: signature files of a signed dependency left in a shaded jar: the JVM verifies them
//! against the new manifest and throws SecurityException ("Invalid signature file digest").

use crate::check::context::JarContext;
use crate::check::finding::{Findings, Rule, Severity};
use crate::check::rules::services::BREAKS_ALL_DISCOVERY;

pub static SIGNATURE_FILE: Rule = Rule {
    id: "signature-file",
    family: "F9",
    severity: Severity::Error,
    needs_class_files: false,
    summary: "A leftover signature file (META-INF/*.SF, *.DSA, *.RSA, *.EC): SecurityException on load",
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
    for entry in ctx
        .jar
        .entries()
        .iter()
        .filter(|e| !e.is_dir && is_signature_file(&e.name))
    {
        out.add(
            &SIGNATURE_FILE,
            &entry.name,
            format!(
                "{} is a signature file of a bundled dependency: the JVM verifies it against this \
                 jar's manifest and throws SecurityException (\"Invalid signature file digest\") \
                 while ServiceLoader reads the jar; {BREAKS_ALL_DISCOVERY}",
                entry.name
            ),
        );
    }
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
}
