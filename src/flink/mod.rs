//! What we know about each Flink line, in one place: the generator and the audit both read it.
//! `lines` (the releases), `factories`, `distribution` and `options` (per-line tables),
//! `index` (the embedded class index of each line's real distribution), `runtime` (what a jar
//! is checked against: lib/ or the index), `classloading` (which copy of a class loads).

pub mod classloading;
pub mod distribution;
pub mod factories;
pub mod index;
mod lines;
pub mod options;
pub mod runtime;
pub mod sensitive;

pub use lines::{find_line, version_from_jar_name, FlinkLine, FlinkVersion, SinkApi, LINES};

/// Whether `line` lies in `first..=last` (lines as `major.minor`).
fn line_in(line: &FlinkLine, first: &str, last: &str) -> bool {
    let key = |l: &str| -> (u32, u32) {
        let mut parts = l.split('.').map(|p| p.parse().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    (key(first)..=key(last)).contains(&key(line.line))
}
