//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*.rs`), here so that the nightly
//! cargo-fuzz run and the stable `tests/fuzz_smoke.rs` (seeds plus random inputs in CI)
//! drive exactly the same code. Each takes arbitrary bytes and must return, never panic;
//! a panic is the finding. `manifest` also asserts that a valid manifest written back
//! reads as itself.

use std::path::{Path, PathBuf};

use crate::check::context::{Depth, JarFacts};
use crate::classfile::bytecode::instructions;
use crate::classfile::ClassFile;
use crate::inspect::eval::{evaluate, method_result, Statics, Value};
use crate::inspect::factories::inspect_jar;
use crate::jar::JarIndex;
use crate::manifest::edit::{LocalManifest, OptionEdit};
use crate::manifest::Manifest;

/// Static fields stay symbolic: the evaluator sees no other class.
struct NoStatics;

impl Statics for NoStatics {
    fn static_field(&mut self, owner: &str, name: &str, _descriptor: &str) -> Value {
        Value::Static {
            owner: owner.into(),
            name: name.into(),
        }
    }
}

/// Class-file reader and bytecode evaluator: every accessor the audit uses.
pub fn classfile(data: &[u8]) {
    let Ok(class) = ClassFile::parse(data) else {
        return;
    };
    let _ = class.pool.class_refs().count();
    let _ = class.pool.member_refs().count();
    let _ = class.pool.strings().count();
    let _ = class.has_public_no_arg_constructor();
    for field in &class.fields {
        let _ = class.constant_value(field);
    }
    for method in &class.methods {
        if let Ok(Some(code)) = class.code(method) {
            let _ = instructions(code.bytecode).count();
        }
        let _ = evaluate(&class, method, &mut NoStatics);
        let _ = method_result(&class, method, Some(&class.name), &mut NoStatics);
    }
    for i in 0..4 {
        let _ = class.bootstrap_method(i);
    }
}

/// One scratch file per thread (the JAR reader takes paths), in RAM where there is one.
fn jar_scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    dir.join(format!("cfc-fuzz-{}-{thread}.jar", std::process::id()))
}

/// JAR reader: index, anomalies, every entry read with a cap, class facts on two threads,
/// services and manifest.
pub fn jar(data: &[u8]) {
    let path = jar_scratch();
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(jar) = JarIndex::open(&path) else {
        return;
    };
    let _ = jar.anomalies().len();
    for i in 0..jar.entries().len().min(64) {
        let _ = jar.read(i, 1 << 20);
    }
    let facts = JarFacts::gather(&jar, Depth::Deep, 2);
    let _ = facts.max_base_major(&jar);
    let _ = inspect_jar(&jar, None);
}

/// Removes the scratch file `jar` wrote on this thread (a test calls this when done).
pub fn jar_cleanup() {
    let _ = std::fs::remove_file(jar_scratch());
}

const TYPES: [&str; 11] = [
    "string", "int", "long", "boolean", "double", "duration", "memory", "list", "map", "enum", "x",
];

/// connector.toml reader and in-place editor, as `generate`, `option` and `line` use them:
/// parse and validate, then one edit (option add/set/remove, `[flink] lines`, the tool
/// version) and validation of the result. The first byte picks the edit and its arguments;
/// the rest is the manifest.
pub fn manifest(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = Path::new("connector.toml");
    if let Ok(manifest) = Manifest::parse(path, text) {
        let _ = manifest.line_entries();
        // A valid manifest written back reads as itself.
        let written = manifest.to_toml();
        let again = match Manifest::parse(path, &written) {
            Ok(again) => again,
            Err(err) => panic!("to_toml output does not parse: {err}\n{written}"),
        };
        assert_eq!(again.to_toml(), written, "to_toml is not a fixed point");
    }
    let Ok(mut local) = LocalManifest::from_text(path, text.to_string()) else {
        return;
    };
    let valid = local.manifest(None).is_ok();
    // Keys and defaults taken from the text, so edits hit existing options too.
    let words: Vec<&str> = text
        .split(|c: char| c == '"' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let word = |i: usize| words.get(i % words.len().max(1)).copied().unwrap_or("k");
    let edit = OptionEdit {
        key: word(pick as usize).to_string(),
        type_: (pick & 8 != 0).then(|| TYPES[(pick as usize >> 4) % TYPES.len()].to_string()),
        default: (pick & 16 != 0).then(|| word(pick as usize / 3).to_string()),
        required: (pick & 32 != 0).then_some(pick & 64 != 0),
        sensitive: (pick & 128 != 0).then_some(true),
        description: (pick & 1 != 0).then(|| word(7).to_string()),
        values: (pick & 2 != 0).then(|| vec![word(pick as usize / 5).to_string()]),
    };
    let _ = match pick % 4 {
        0 => local.add_option(&edit).map(drop),
        1 => local.set_option(&edit).map(drop),
        2 => local.remove_option(&edit.key).map(drop),
        _ => {
            let lines = vec!["1.20".to_string(), word(pick as usize).to_string()];
            local.set_flink_lines((pick & 4 != 0).then_some(lines.as_slice()));
            Ok(())
        }
    };
    if valid {
        local.record_tool_version("0.1.0");
    }
    let _ = local.manifest(Some("the edit"));
    let _ = local.is_changed();
}
