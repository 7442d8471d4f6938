//! examples/redis is exactly what `cargo flink-connector new redis` generates.
//! Refresh it with scripts/update-examples after a deliberate template change.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::{files_under, run_in, stderr};

#[test]
fn examples_redis_is_what_new_redis_generates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["new", "redis"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let generated = files_under(&tmp.path().join("flink-connector-redis"));
    let example = files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/redis"));
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&example),
        names(&generated),
        "file lists differ: run scripts/update-examples"
    );
    for (path, bytes) in &generated {
        if example[path] != *bytes {
            let diff = similar::TextDiff::from_lines(
                String::from_utf8_lossy(&example[path]).as_ref(),
                String::from_utf8_lossy(bytes).as_ref(),
            )
            .unified_diff()
            .header("examples/redis", "new redis")
            .to_string();
            panic!("{path} differs from what `new redis` generates (run scripts/update-examples):\n{diff}");
        }
    }
}
