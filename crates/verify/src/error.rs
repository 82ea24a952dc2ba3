//! [`VerifyError`]: the first check that failed, with a stable [`VerifyError::check`]
//! name for scripts.

/// Why a verification failed. Each variant names one check; the message says what was
/// expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The genesis file does not parse or lists an invalid validator key.
    #[error("genesis: {0}")]
    Genesis(String),
    /// The certificate bytes do not decode as a finalization for this validator set.
    #[error("certificate: malformed: {0}")]
    CertificateMalformed(String),
    /// The certificate finalizes another header.
    #[error("certificate: finalizes header {found}, not {expected}")]
    CertificateDigest {
        /// The header digest the certificate should finalize (hex).
        expected: String,
        /// The one it finalizes (hex).
        found: String,
    },
    /// The certificate's signer bitmap is sized for another validator set.
    #[error("certificate: made for {found} validators, genesis has {expected}")]
    CertificateValidatorCount {
        /// Validators in genesis.
        expected: usize,
        /// Validators the certificate assumes.
        found: usize,
    },
    /// Fewer distinct signers than a quorum.
    #[error("certificate: {signers} distinct signers, quorum is {quorum}")]
    CertificateQuorum {
        /// Signers present.
        signers: usize,
        /// Signers required.
        quorum: usize,
    },
    /// A signature does not verify under its validator's genesis key and the consensus
    /// namespace.
    #[error("certificate: signature of validator {validator} does not verify")]
    CertificateSignature {
        /// Genesis index of the validator.
        validator: u32,
    },
    /// A header does not decode, or the chain of headers to the certified one breaks.
    #[error("header: {0}")]
    Header(String),
    /// A header belongs to another chain.
    #[error("header: chain id differs from the genesis")]
    ChainId,
    /// A Merkle proof does not verify.
    #[error("proof of {key}: {reason}")]
    Proof {
        /// The state key (`invoice/…`).
        key: String,
        /// Why.
        reason: String,
    },
    /// A leaf value does not decode or contradicts another.
    #[error("record {key}: {reason}")]
    Record {
        /// The state key.
        key: String,
        /// Why.
        reason: String,
    },
    /// The bundle is not well formed (missing entry, bad hex, wrong format tag).
    #[error("bundle: {0}")]
    Bundle(String),
    /// A QMDB `current` proof does not decode (see [`crate::current`] for its wire format).
    #[error("qmdb proof: malformed at byte {at}: {reason}")]
    QmdbMalformed {
        /// Offset in the proof bytes where decoding stopped.
        at: usize,
        /// What was wrong there.
        reason: &'static str,
    },
    /// A QMDB `current` proof decodes but does not prove the claim under the root.
    #[error("qmdb proof: {0}")]
    QmdbProof(&'static str),
    /// The QR payload does not parse.
    #[error("qr: malformed: {0}")]
    QrMalformed(String),
    /// The QR signature does not verify.
    #[error("qr: signature of validator {validator} does not verify")]
    QrSignature {
        /// Genesis index of the signer named in the payload.
        validator: u32,
    },
}

impl VerifyError {
    /// A stable name of the failed check (`certificate.signature`, `proof`, …).
    pub fn check(&self) -> &'static str {
        match self {
            Self::Genesis(_) => "genesis",
            Self::CertificateMalformed(_) => "certificate.malformed",
            Self::CertificateDigest { .. } => "certificate.digest",
            Self::CertificateValidatorCount { .. } => "certificate.validators",
            Self::CertificateQuorum { .. } => "certificate.quorum",
            Self::CertificateSignature { .. } => "certificate.signature",
            Self::Header(_) => "header",
            Self::ChainId => "header.chain_id",
            Self::Proof { .. } => "proof",
            Self::Record { .. } => "record",
            Self::Bundle(_) => "bundle",
            Self::QmdbMalformed { .. } => "qmdb.malformed",
            Self::QmdbProof(_) => "qmdb.proof",
            Self::QrMalformed(_) => "qr.malformed",
            Self::QrSignature { .. } => "qr.signature",
        }
    }
}
