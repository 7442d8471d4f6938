//! Generates src/flink/flink-index.deflate from the provisioned lib/ of every Flink line
//! (scripts/gen-flink-index runs it). Usage: gen_flink_index CACHE_DIR OUT_FILE

use std::path::PathBuf;

use cargo_flink_connector::flink::{index, LINES};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cache, out] = &args[..] else {
        eprintln!("usage: gen_flink_index CACHE_DIR OUT_FILE");
        std::process::exit(2);
    };
    let mut dirs: Vec<(String, PathBuf)> = Vec::new();
    for line in LINES {
        // The newest patch, as scripts/provision caches it (not the `new` default, which may be
        // an older patch Maven Central serves completely).
        let patch = line.patches.last().copied().unwrap_or(0);
        let version = format!("{}.{patch}", line.line);
        let dir = PathBuf::from(cache)
            .join("flink")
            .join(&version)
            .join("lib");
        if !dir.join("../.complete").exists() && !dir.is_dir() {
            eprintln!(
                "error: {} is missing (run scripts/provision)",
                dir.display()
            );
            std::process::exit(1);
        }
        dirs.push((version, dir));
    }
    let refs: Vec<(String, &std::path::Path)> =
        dirs.iter().map(|(v, d)| (v.clone(), d.as_path())).collect();
    let text = index::build(&refs).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let bytes = index::compress(&text);
    std::fs::write(out, &bytes).expect("write the index");
    eprintln!(
        "{out}: {} lines, {} bytes of text, {} bytes deflated",
        refs.len(),
        text.len(),
        bytes.len()
    );
}
