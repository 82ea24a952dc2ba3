//! The crate's one error type.

/// Why a consensus operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The engine configuration is unusable; the text says which field and why.
    #[error("invalid consensus config: {0}")]
    InvalidConfig(String),
    /// A validator public key (at `index` in genesis order) is not a valid ed25519 key.
    #[error("validator {index} has an invalid ed25519 public key")]
    InvalidValidatorKey {
        /// Position in the genesis validator list.
        index: usize,
    },
    /// The same public key appears twice in the validator list.
    #[error("validator {index} duplicates an earlier validator key")]
    DuplicateValidator {
        /// Position of the second occurrence in the genesis validator list.
        index: usize,
    },
    /// The finalization certificate bytes do not decode.
    #[error("finalization does not decode: {0}")]
    CertificateDecode(String),
    /// The certificate finalizes a different block.
    #[error("finalization is for digest {found}, expected {expected}")]
    DigestMismatch {
        /// Hex of the digest the caller expected.
        expected: String,
        /// Hex of the digest the certificate finalizes.
        found: String,
    },
    /// The certificate's signer bitmap is sized for another validator set.
    #[error("finalization signer bitmap covers {found} validators, the set has {expected}")]
    ValidatorCountMismatch {
        /// Size of the genesis validator set.
        expected: usize,
        /// Size the certificate claims.
        found: usize,
    },
    /// Fewer distinct signers than the quorum.
    #[error("finalization has {signers} signers, quorum is {quorum}")]
    InsufficientSigners {
        /// Distinct signers in the certificate.
        signers: usize,
        /// Required quorum (`n - f` with `f = (n - 1) / 3`).
        quorum: usize,
    },
    /// A signature in the certificate does not verify.
    #[error("signature of validator {validator} (genesis index) does not verify")]
    InvalidSignature {
        /// Genesis index of the validator whose signature failed.
        validator: u32,
    },
    /// Opening consensus storage failed.
    #[error("consensus storage: {0}")]
    Storage(String),
}

/// Result with the crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
