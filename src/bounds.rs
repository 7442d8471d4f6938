//! Every limit on the work hostile input can cause, in one place. Jars and POMs come from
//! whoever wrote the last commit, lib/ jars from a cache anyone with the user's rights can
//! write: each bound below says what it limits and what the answer is past it (always
//! "unknown" with the reason, or a one-line error — never a crash, a hang or a guess).
//! docs/bounds.md is the table of these; keep the two in step.

use std::time::Duration;

// --- Jars (audited jars and a runtime's lib/ jars alike) ---

/// Entries in one jar's central directory. Past it: the jar is refused (exit 2; a lib/ jar:
/// the runtime is not used, the embedded index answers).
pub const MAX_ENTRIES: usize = 1_000_000;
/// Bytes of one central directory read into memory (Flink's largest lib/ jar has ~6 MiB).
/// Past it: as [`MAX_ENTRIES`].
pub const MAX_CENTRAL_DIRECTORY: u64 = 256 << 20;
/// Declared size of one class file, manifest or other entry read whole. Past it: that entry is
/// unreadable (reported), the rest of the jar is read.
pub const DEFAULT_ENTRY_CAP: u64 = 64 << 20;
/// Bytes all reads of one jar may inflate: this much …
pub const DECOMPRESSION_BASE: u64 = 256 << 20;
/// … plus this many times the bytes the jar really occupies on disk (real jars inflate 2–5×) …
pub const DECOMPRESSION_PER_DISK_BYTE: u64 = 16;
/// … and never more than this. Past it: the entries not read are listed ("not read: the jar's
/// decompression budget … was spent"), rules that needed them say unknown.
pub const DECOMPRESSION_MAX: u64 = 4 << 30;
/// Declared size of a manifest or other small text entry. Past it: the entry is unreadable
/// (reported as such).
pub const TEXT_ENTRY_CAP: u64 = 1 << 20;
/// Deflate cannot do better than ~1032:1; real class files stay far below this ratio.
pub const SUSPICIOUS_RATIO: u64 = 200;
/// Small entries with a high ratio (runs of zeros) are harmless.
pub const SUSPICIOUS_MIN_SIZE: u64 = 1 << 20;

// --- META-INF/services files ---

/// Declared size of a services file. ServiceLoader reads any size line by line, so comment
/// padding is legal; past this the file is unreadable for `check` and its factories unknown
/// (`null`) for `inspect`.
pub const SERVICES_FILE_MAX: u64 = 16 << 20;
/// Provider lines of one services file. Past it: as [`SERVICES_FILE_MAX`].
pub const SERVICES_MAX_PROVIDERS: usize = 10_000;

// --- A project's sources (`check` of a project without a built jar) ---

/// Bytes of one source file read for its class declarations (no hand-written class is that
/// big). Past it: the file is not read.
pub const SOURCE_FILE_MAX: u64 = 8 << 20;

// --- pom.xml ---

/// Bytes of one POM (the project's, a parent's, an imported BOM's; the largest on Maven
/// Central are a few hundred KiB). Past it: the project's own POM is refused (exit 2); a parent
/// or BOM is unread and what depends on it unknown.
pub const POM_MAX_BYTES: u64 = 8 << 20;
/// Elements of one POM, which bounds the tree built from it. Past it: as [`POM_MAX_BYTES`].
pub const POM_MAX_ELEMENTS: usize = 200_000;
/// Elements of a POM and its parents together (a chain of 32 parents each just below
/// [`POM_MAX_ELEMENTS`] would not fit in a GiB). Past it: the parent that passes it is unread
/// and what depends on it unknown.
pub const POM_CHAIN_MAX_ELEMENTS: usize = 400_000;
/// Element nesting of one POM. Past it: as [`POM_MAX_BYTES`].
pub const POM_MAX_NESTING: usize = 256;
/// Parents in one chain, and imports within imports. Past it: a parent loop (exit 2) or
/// the import is unknown.
pub const POM_MAX_ANCESTRY: usize = 32;
/// `<modules>` within `<modules>` that `check DIR` follows. Past it: deeper modules are not
/// checked.
pub const POM_MAX_MODULE_DEPTH: usize = 8;
/// Bytes of one interpolated value. Past it: the value stays as written (`${…}` unresolved),
/// which every rule treats as unknown.
pub const INTERPOLATION_MAX_LEN: usize = 64 << 10;
/// `${…}` substitutions in one value, nested ones included. Past it: as
/// [`INTERPOLATION_MAX_LEN`].
pub const INTERPOLATION_MAX_STEPS: usize = 1_000;
/// How deep a property may refer to a property that refers to …; Maven rejects cycles. Past
/// it: as [`INTERPOLATION_MAX_LEN`].
pub const INTERPOLATION_MAX_DEPTH: usize = 16;

// --- Running the user's Maven for parents and BOMs (only when opted in) ---

/// `mvn dependency:get` runs per command. Past it: the POM is unread ("unknown: at most N
/// Maven calls"), what depends on it unknown.
pub const MAVEN_MAX_CALLS: usize = 8;
/// Wall time of one `mvn dependency:get`. Past it: Maven is stopped, as [`MAVEN_MAX_CALLS`].
pub const MAVEN_CALL_TIMEOUT: Duration = Duration::from_secs(120);
/// Wall time of all Maven calls of one command together. Past it: as [`MAVEN_MAX_CALLS`].
pub const MAVEN_TOTAL_TIME: Duration = Duration::from_secs(240);

// --- Bytecode evaluation (`inspect`, the factory rules) ---

/// Instructions one top-level evaluation may execute, nested calls included.
pub const EVAL_MAX_STEPS: usize = 200_000;
/// Characters in one string; a longer one is unknown.
pub const EVAL_MAX_STRING: usize = 64 << 10;
/// Bytes of strings one evaluation may build in total.
pub const EVAL_MAX_STRING_BYTES: usize = 4 << 20;
/// Elements of one array or collection.
pub const EVAL_MAX_ELEMENTS: usize = 4_096;
/// Objects one evaluation may allocate.
pub const EVAL_MAX_HEAP: usize = 4_096;
/// Operand stack depth of one frame.
pub const EVAL_MAX_STACK: usize = 4_096;
/// How deep calls into helper methods are followed.
pub const EVAL_MAX_CALL_DEPTH: usize = 6;
/// Bytecode instructions one class path evaluates in total (real jars need a few thousand per
/// factory); past it every evaluation answers "unknown".
pub const EVAL_MAX_TOTAL_STEPS: usize = 5_000_000;
/// Class initialisers evaluated at once (one reads another's statics, which reads …).
pub const EVAL_MAX_NESTING: usize = 16;
/// Class initialisers one class path evaluates in total: option holders are few.
pub const EVAL_MAX_INITIALISERS: usize = 2_000;
/// Classes scanned for other writers of a static collection.
pub const EVAL_MAX_SCANNED: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(n: u64) -> String {
        match n {
            n if n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
            n if n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
            n => format!("{} KiB", n >> 10),
        }
    }

    fn count(n: usize) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    /// docs/bounds.md has a row for every bound of this file, stating its value.
    #[test]
    fn the_docs_table_states_every_bound_with_its_value() {
        let secs = |d: Duration| format!("{} s", d.as_secs());
        let stated = [
            ("MAX_ENTRIES", count(MAX_ENTRIES)),
            ("MAX_CENTRAL_DIRECTORY", bytes(MAX_CENTRAL_DIRECTORY)),
            ("DEFAULT_ENTRY_CAP", bytes(DEFAULT_ENTRY_CAP)),
            ("TEXT_ENTRY_CAP", bytes(TEXT_ENTRY_CAP)),
            ("DECOMPRESSION_BASE", bytes(DECOMPRESSION_BASE)),
            (
                "DECOMPRESSION_PER_DISK_BYTE",
                DECOMPRESSION_PER_DISK_BYTE.to_string(),
            ),
            ("DECOMPRESSION_MAX", bytes(DECOMPRESSION_MAX)),
            ("SUSPICIOUS_RATIO", SUSPICIOUS_RATIO.to_string()),
            ("SUSPICIOUS_MIN_SIZE", bytes(SUSPICIOUS_MIN_SIZE)),
            ("SERVICES_FILE_MAX", bytes(SERVICES_FILE_MAX)),
            ("SERVICES_MAX_PROVIDERS", count(SERVICES_MAX_PROVIDERS)),
            ("SOURCE_FILE_MAX", bytes(SOURCE_FILE_MAX)),
            ("POM_MAX_BYTES", bytes(POM_MAX_BYTES)),
            ("POM_MAX_ELEMENTS", count(POM_MAX_ELEMENTS)),
            ("POM_CHAIN_MAX_ELEMENTS", count(POM_CHAIN_MAX_ELEMENTS)),
            ("POM_MAX_NESTING", count(POM_MAX_NESTING)),
            ("POM_MAX_ANCESTRY", count(POM_MAX_ANCESTRY)),
            ("POM_MAX_MODULE_DEPTH", count(POM_MAX_MODULE_DEPTH)),
            ("INTERPOLATION_MAX_LEN", bytes(INTERPOLATION_MAX_LEN as u64)),
            ("INTERPOLATION_MAX_STEPS", count(INTERPOLATION_MAX_STEPS)),
            ("INTERPOLATION_MAX_DEPTH", count(INTERPOLATION_MAX_DEPTH)),
            ("MAVEN_MAX_CALLS", count(MAVEN_MAX_CALLS)),
            ("MAVEN_CALL_TIMEOUT", secs(MAVEN_CALL_TIMEOUT)),
            ("MAVEN_TOTAL_TIME", secs(MAVEN_TOTAL_TIME)),
            ("EVAL_MAX_STEPS", count(EVAL_MAX_STEPS)),
            ("EVAL_MAX_STRING", bytes(EVAL_MAX_STRING as u64)),
            ("EVAL_MAX_STRING_BYTES", bytes(EVAL_MAX_STRING_BYTES as u64)),
            ("EVAL_MAX_ELEMENTS", count(EVAL_MAX_ELEMENTS)),
            ("EVAL_MAX_HEAP", count(EVAL_MAX_HEAP)),
            ("EVAL_MAX_STACK", count(EVAL_MAX_STACK)),
            ("EVAL_MAX_CALL_DEPTH", count(EVAL_MAX_CALL_DEPTH)),
            ("EVAL_MAX_TOTAL_STEPS", count(EVAL_MAX_TOTAL_STEPS)),
            ("EVAL_MAX_NESTING", count(EVAL_MAX_NESTING)),
            ("EVAL_MAX_INITIALISERS", count(EVAL_MAX_INITIALISERS)),
            ("EVAL_MAX_SCANNED", count(EVAL_MAX_SCANNED)),
        ];
        let mut declared: Vec<&str> = include_str!("bounds.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("pub const "))
            .filter_map(|l| l.split(':').next())
            .collect();
        let mut listed: Vec<&str> = stated.iter().map(|(name, _)| *name).collect();
        declared.sort_unstable();
        listed.sort_unstable();
        assert_eq!(declared, listed, "a bound is missing from this test");
        let doc = include_str!("../docs/bounds.md");
        for (name, value) in &stated {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{name}` |")))
                .unwrap_or_else(|| panic!("docs/bounds.md has no row for {name}"));
            assert!(
                row.starts_with(&format!("| `{name}` | {value} |")),
                "docs/bounds.md states {name} as\n{row}\nbut it is {value}"
            );
        }
    }
}
