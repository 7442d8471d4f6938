//! What we know about each Flink line, in one place: the generator and the audit both read it.

pub mod index;
mod lines;
pub mod runtime;

pub use lines::{find_line, FlinkLine, FlinkVersion, SinkApi, LINES};
