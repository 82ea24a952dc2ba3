//! The crate's one error enum.

use std::path::PathBuf;

use crate::Suite;

/// Why a key could not be read or an envelope not be sealed or opened.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A suite name that is not one of [`Suite::ALL`].
    #[error("unknown envelope suite {name:?}")]
    UnknownSuite {
        /// The name given (at most 64 characters of it).
        name: String,
    },
    /// A key of one suite used with another.
    #[error("envelope suite {expected} given a key of suite {key}")]
    SuiteMismatch {
        /// The suite asked for.
        expected: Suite,
        /// The key's suite.
        key: Suite,
    },
    /// Key bytes that do not decode as a key of the suite.
    #[error("not a {suite} {what} key")]
    BadKey {
        /// The suite the bytes were read for.
        suite: Suite,
        /// `"public"` or `"secret"`.
        what: &'static str,
    },
    /// The primitive refused to seal (never for well-formed keys).
    #[error("sealing under {suite} failed")]
    Seal {
        /// The suite.
        suite: Suite,
    },
    /// The envelope does not open with this key, info and aad, or was altered.
    #[error("the envelope does not open with this key, info and aad")]
    Open,
    /// A key file that does not parse.
    #[error("key file {path}: {reason}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Reading or writing a key file failed.
    #[error("key file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// The crate's result type.
pub type Result<T> = core::result::Result<T, Error>;
