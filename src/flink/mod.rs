//! What we know about each Flink line, in one place: the generator and the audit both read it.

mod lines;

pub use lines::{FlinkLine, FlinkVersion, SinkApi, LINES};
