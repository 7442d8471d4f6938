//! JAR reader on arbitrary bytes (written to a file, as the reader takes paths): index,
//! anomalies, every entry read with a cap, class facts on all threads, services and manifest.
#![no_main]

use std::sync::OnceLock;

use cargo_flink_connector::check::context::{Depth, JarFacts};
use cargo_flink_connector::inspect::factories::inspect_jar;
use cargo_flink_connector::jar::JarIndex;
use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static std::path::Path {
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = if std::path::Path::new("/dev/shm").is_dir() { "/dev/shm".into() } else { std::env::temp_dir() };
        dir.join(format!("cfc-fuzz-{}.jar", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    let Ok(jar) = JarIndex::open(path) else { return };
    let _ = jar.anomalies().len();
    for i in 0..jar.entries().len().min(64) {
        let _ = jar.read(i, 1 << 20);
    }
    let facts = JarFacts::gather(&jar, Depth::Deep, 2);
    let _ = facts.max_base_major(&jar);
    let _ = inspect_jar(&jar, None);
});
