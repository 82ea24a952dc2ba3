//! The error type of this crate.

/// Why a value could not be decoded, parsed or validated.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
#[non_exhaustive]
pub enum Error {
    /// The canonical binary encoding was malformed.
    #[error("malformed encoding: {0}")]
    Codec(String),
    /// A field had an invalid value.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which field.
        field: &'static str,
        /// Why.
        reason: String,
    },
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid { field, reason: reason.into() }
    }
}

impl From<commonware_codec::Error> for Error {
    fn from(e: commonware_codec::Error) -> Self {
        Self::Codec(e.to_string())
    }
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
