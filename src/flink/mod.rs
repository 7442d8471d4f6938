//! What we know about each Flink line, in one place: the generator and the audit both read it.

mod lines;
pub mod runtime;

pub use lines::{find_line, version_from_jar_name, FlinkLine, FlinkVersion, SinkApi, LINES};
