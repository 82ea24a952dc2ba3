//! [`Error`]: why the relayer cannot go on (a bad configuration or key), or why one
//! poll of one pair failed (it is retried at the next poll).

/// Why the relayer failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration file cannot be read or parsed, or says something impossible.
    #[error("config: {0}")]
    Config(String),
    /// The key file cannot be read.
    #[error("key: {0}")]
    Key(String),
    /// A node did not answer, or answered something unexpected.
    #[error("{url}: {message}")]
    Node {
        /// The URL asked.
        url: String,
        /// What went wrong.
        message: String,
    },
}

/// The relayer's result.
pub type Result<T> = core::result::Result<T, Error>;
