//! The crate's one error type.

use fapiao_types::Suite;

/// Why a cryptographic operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The signature does not verify for this key and message, or is malformed
    /// (for SM2: `r` or `s` is zero or not below the group order; for Ed25519: `s`
    /// is not canonical or `R` is not a curve point).
    #[error("bad signature")]
    BadSignature,
    /// The bytes are not a valid key of `suite`: a public key that is not a curve
    /// point, or a secret scalar out of range.
    #[error("invalid {suite} key")]
    InvalidKey {
        /// The suite the key was meant for.
        suite: Suite,
    },
    /// The public key decodes but is unsafe to accept for an account: an Ed25519
    /// point of small order, for which ZIP-215 verification accepts forgeries.
    #[error("weak {suite} public key (small order)")]
    WeakKey {
        /// The suite of the key.
        suite: Suite,
    },
    /// A signing namespace is longer than the 255 bytes its one-byte length prefix
    /// can state.
    #[error("signing namespace of {len} bytes is longer than 255")]
    NamespaceTooLong {
        /// The namespace length in bytes.
        len: usize,
    },
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
