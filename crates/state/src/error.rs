//! The one error enum of the state database.

/// A failure of the state database, or a change or call it refuses.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The engine failed during `op`. When `lost`, the operation consumed the database
    /// handle (`apply_batch`, `commit`, `prune`, `sync` take it by value) and every later
    /// call refuses with [`Error::Closed`] until the caller reopens it at its last durable
    /// commit ([`crate::QmdbState::reopen`]).
    #[error("state database, {op}: {reason}")]
    Engine {
        /// The operation that failed (`open`, `merkleize`, `apply_batch`, `commit`, ...).
        op: &'static str,
        /// The engine's message.
        reason: String,
        /// Whether the handle was lost with it.
        lost: bool,
    },
    /// The handle was lost by an earlier failure: reopen it.
    #[error("the state database was lost by an earlier failure and must be reopened")]
    Closed,
    /// A change the database cannot hold (a path or value beyond the bounds the offline
    /// verifier decodes proofs with), refused before anything is written.
    #[error("state change of {path}: {reason}")]
    Change {
        /// The path at fault (lossy UTF-8).
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A block was offered out of order (at or below the last committed height).
    #[error("block {got} is not above the state's height {executed}")]
    Gap {
        /// The height of the last commit.
        executed: u64,
        /// The height offered.
        got: u64,
    },
    /// The last commit's metadata is not a height.
    #[error("the state's commit metadata is not an 8-byte height")]
    Metadata,
}

impl Error {
    /// Whether the handle was lost with this failure (the caller must reopen).
    pub fn lost(&self) -> bool {
        matches!(self, Self::Engine { lost: true, .. } | Self::Closed)
    }
}

/// Result with the state database's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
