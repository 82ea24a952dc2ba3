//! The demo's error type.

/// Why a demo could not be laid out, started or seeded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The node failed (config, start-up, custody, files).
    #[error(transparent)]
    Node(#[from] fapiao_node::Error),
    /// The ledger failed while a story read it.
    #[error(transparent)]
    Ledger(#[from] fapiao_ledger::Error),
    /// A keystore, token store or key file failed.
    #[error(transparent)]
    Keystore(#[from] fapiao_keystore::Error),
    /// A chain type (genesis, key) was invalid.
    #[error(transparent)]
    Types(#[from] fapiao_types::Error),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The stories or the requested layout do not fit together (e.g. two stories
    /// describe one organisation differently, or more validators than organisations).
    #[error("demo layout: {0}")]
    Layout(String),
    /// A seeding step was refused, failed, or did not execute in time.
    #[error("demo seeding: {0}")]
    Seed(String),
}

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Self::Io { path: path.as_ref().display().to_string(), source }
    }
}

/// Result with the demo's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
