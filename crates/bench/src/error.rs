//! The crate's one error type.

use std::path::PathBuf;

/// Why a benchmark could not run (setup, connection, bad options). Refusals and
/// failures of the measured transactions are not errors: they are counted in the
/// [`crate::Report`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An option is out of range or options contradict each other.
    #[error("invalid option {option}: {reason}")]
    Option {
        /// The option, as on the command line.
        option: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Reading a file (identities, key file, genesis) failed.
    #[error("{}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The identities file lacks someone the workload needs, or is malformed.
    #[error("identities: {0}")]
    Identities(String),
    /// A key file could not be read.
    #[error("key file {}", path.display())]
    Key {
        /// The key file.
        path: PathBuf,
        /// The keystore's error.
        #[source]
        source: fapiao_keystore::Error,
    },
    /// An HTTP request to a node failed or answered something unexpected.
    #[error("node {url}: {message}")]
    Node {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A setup transaction was refused or failed, or did not commit in time.
    #[error("setup: {0}")]
    Setup(String),
    /// PostgreSQL refused a connection or a statement outside the measured phase.
    #[error("postgres")]
    Postgres(#[from] tokio_postgres::Error),
    /// Generating workload data failed (an invalid generated identifier or line).
    #[error("workload data: {0}")]
    Data(String),
    /// The async runtime could not be started.
    #[error("runtime")]
    Runtime(#[source] std::io::Error),
}

impl Error {
    pub(crate) fn node(url: &str, message: impl std::fmt::Display) -> Self {
        Error::Node { url: url.to_string(), message: message.to_string() }
    }

    pub(crate) fn option(option: &'static str, reason: impl Into<String>) -> Self {
        Error::Option { option, reason: reason.into() }
    }
}

/// Result alias of the crate.
pub type Result<T> = core::result::Result<T, Error>;
