//! The seam's error: a refusal with a declared code and the field at fault, or a fatal
//! state failure.

use crate::{RefusalCode, Refused};

/// Why an application's action did not apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule refused the action; nothing was written.
    #[error("{code} ({field}): {message}")]
    Rejected {
        /// Stable code naming the rule (declared in a refusal table).
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
    /// A refusal with a declared `code`.
    pub fn reject(
        code: impl RefusalCode,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Rejected { code: code.code(), field: field.into(), message: message.into() }
    }
}

/// Any declared refusal of a lower crate (a value, a rule) becomes a rejection.
impl<E: Refused> From<E> for Error {
    fn from(e: E) -> Self {
        Error::Rejected {
            code: e.refusal().code,
            field: e.field().to_string(),
            message: e.to_string(),
        }
    }
}

/// Result with the seam's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
