//! connector.toml reader and in-place editor on arbitrary text, as `generate`, `option` and `line`
//! use them: parse and validate, then each edit (option add/set/remove, `[flink] lines`, the tool
//! version) and validation of the result. Any input must give a value or an error, never a panic.
//! Seed it with examples/redis/connector.toml.
#![no_main]

use std::path::Path;

use cargo_flink_connector::manifest::edit::{LocalManifest, OptionEdit};
use cargo_flink_connector::manifest::Manifest;
use libfuzzer_sys::fuzz_target;

const TYPES: [&str; 8] = [
    "string", "int", "long", "boolean", "double", "duration", "enum", "x",
];

fuzz_target!(|data: &[u8]| {
    // The first byte picks the edit and its arguments; the rest is the manifest.
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
        let again = Manifest::parse(path, &manifest.to_toml()).expect("to_toml parses");
        assert_eq!(again.to_toml(), manifest.to_toml());
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
});
