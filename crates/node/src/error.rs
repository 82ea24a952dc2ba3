//! The node's error type.

/// Why a node could not start or keep running.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is invalid.
    #[error("config: {0}")]
    Config(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] fapiao_ledger::Error),
    /// Consensus failed.
    #[error(transparent)]
    Consensus(#[from] fapiao_consensus::Error),
    /// The keystore or token store failed.
    #[error(transparent)]
    Keystore(#[from] fapiao_keystore::Error),
    /// A chain type was invalid.
    #[error(transparent)]
    Types(#[from] fapiao_types::Error),
    /// TLS material (certificate, key, pinned peer certificates) is unusable.
    #[error("tls: {0}")]
    Tls(String),
    /// The start-up hook of the code embedding the node failed.
    #[error("start-up hook: {0}")]
    Hook(String),
}

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Self::Io { path: path.as_ref().display().to_string(), source }
    }
}

/// Result with the node's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
