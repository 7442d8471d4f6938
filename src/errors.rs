//! One error type for the whole tool. Every error prints as one line and maps to an exit code:
//! 2 for bad input or an unusable environment, 1 for a check that ran and failed.

use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user asked for something that cannot be done as asked (bad name, unknown version, …).
    #[error("{0}")]
    Usage(String),
    /// connector.toml (or another input file) is invalid at a known position.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Located {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    /// A template failed to render; names the template file.
    #[error("template {template}: {message}")]
    Template { template: String, message: String },
    /// A command ran and found a problem (drift, merge conflict, build failure).
    #[error("{0}")]
    Failed(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Failed(_) => 1,
            _ => 2,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// `result.io_context(|| format!("cannot read {}", path))` for std::io results.
pub trait IoContext<T> {
    fn io_context<C: Into<String>>(self, context: impl FnOnce() -> C) -> Result<T>;
    fn with_path(self, verb: &str, path: &Path) -> Result<T>
    where
        Self: Sized,
    {
        self.io_context(|| format!("cannot {verb} {}", path.display()))
    }
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn io_context<C: Into<String>>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|source| Error::io(context(), source))
    }
}
