//! The seam's error: a refusal with a stable code and field path, or a fatal state
//! failure.

/// Why an application's action did not apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule refused the action; nothing was written.
    #[error("{code} ({field}): {message}")]
    Rejected {
        /// Stable code naming the rule (declared in the application's refusal table).
        code: &'static str,
        /// The field at fault, as a path (`lines[2].tax`, `buyer.tax_id`).
        field: String,
        /// Human-readable explanation.
        message: String,
    },
    /// The state could not be read or decoded; the block must not be applied.
    #[error("state failure: {0}")]
    Fatal(String),
}

impl Error {
    /// A refusal.
    pub fn reject(
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Rejected { code, field: field.into(), message: message.into() }
    }
}

/// Result with the seam's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
