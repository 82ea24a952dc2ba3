//! Checking a stored finalization certificate against the genesis validator set.
//!
//! A certificate is `Finalization<ed25519::Scheme, sha256::Digest>` in Commonware's
//! encoding: the finalized proposal (round, parent view, header digest), a bitmap of signer
//! positions and one ed25519 signature per signer over the proposal, in the `_FINALIZE`
//! namespace derived from the consensus namespace.
//!
//! Signer positions in the bitmap index the validator keys **sorted by key bytes** (how
//! Commonware orders a participant set), not genesis order; [`CertificateInfo`] reports
//! genesis indices.

use crate::{
    error::{Error, Result},
    Digest, Finalization,
};
use commonware_codec::{Copying, Decode as _, DecodeExt as _, Encode};
use commonware_consensus::simplex::{scheme::Namespace, types::Subject};
use commonware_cryptography::{certificate::Subject as _, ed25519, Verifier as _};
use commonware_utils::{ordered::Set, Faults, N3f1};
use serde::Serialize;

/// What a verified finalization says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Consensus epoch (always 0 in this version).
    pub epoch: u64,
    /// View in which the block was finalized.
    pub view: u64,
    /// View of the finalized block's parent.
    pub parent_view: u64,
    /// Header digest the certificate finalizes.
    pub digest: [u8; 32],
    /// Signers: genesis index, public key and signature, by ascending genesis index.
    pub signers: Vec<SignerInfo>,
    /// Signatures required (`n - f`, `f = (n - 1) / 3`).
    pub quorum: u32,
    /// Size of the validator set.
    pub validators: u32,
}

/// One signature in a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerInfo {
    /// Index of the signer in the genesis validator list.
    pub index: u32,
    /// The signer's ed25519 public key.
    pub public_key: [u8; 32],
    /// The signer's ed25519 signature over the finalize message.
    pub signature: [u8; 64],
}

/// JSON view of a [`CertificateInfo`] for the API (hex strings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateJson {
    /// Consensus epoch.
    pub epoch: u64,
    /// Finalization view.
    pub view: u64,
    /// Parent view.
    pub parent_view: u64,
    /// Hex header digest.
    pub digest: String,
    /// Required signatures.
    pub quorum: u32,
    /// Validator set size.
    pub validators: u32,
    /// The signatures.
    pub signers: Vec<SignerJson>,
}

/// JSON view of a [`SignerInfo`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignerJson {
    /// Genesis index.
    pub index: u32,
    /// Hex public key.
    pub public_key: String,
    /// Hex signature.
    pub signature: String,
}

impl CertificateInfo {
    /// The JSON-friendly view.
    pub fn to_json(&self) -> CertificateJson {
        CertificateJson {
            epoch: self.epoch,
            view: self.view,
            parent_view: self.parent_view,
            digest: hex::encode(self.digest),
            quorum: self.quorum,
            validators: self.validators,
            signers: self
                .signers
                .iter()
                .map(|s| SignerJson {
                    index: s.index,
                    public_key: hex::encode(s.public_key),
                    signature: hex::encode(s.signature),
                })
                .collect(),
        }
    }
}

/// Parses genesis-order validator keys into Commonware keys.
pub(crate) fn parse_validators(validators: &[[u8; 32]]) -> Result<Vec<ed25519::PublicKey>> {
    let mut keys = Vec::with_capacity(validators.len());
    for (index, bytes) in validators.iter().enumerate() {
        let key = ed25519::PublicKey::decode(Copying(bytes))
            .map_err(|_| Error::InvalidValidatorKey { index })?;
        if keys.contains(&key) {
            return Err(Error::DuplicateValidator { index });
        }
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(Error::InvalidConfig("validator set is empty".into()));
    }
    Ok(keys)
}

/// Decodes and verifies a stored finalization certificate.
///
/// `validators` are the ed25519 public keys in genesis order, `namespace` the consensus
/// namespace (e.g. [`fapiao_types::NAMESPACE_CONSENSUS`]) and `header_digest` the digest of
/// the header the certificate is expected to finalize. Every signature is checked
/// individually (no batch randomness needed).
///
/// # Errors
/// [`Error::CertificateDecode`] for malformed bytes, [`Error::DigestMismatch`],
/// [`Error::ValidatorCountMismatch`], [`Error::InsufficientSigners`] below quorum,
/// [`Error::InvalidSignature`] naming the first bad signer, and the key errors of a bad
/// validator list.
pub fn verify_finalization(
    validators: &[[u8; 32]],
    namespace: &[u8],
    header_digest: [u8; 32],
    cert: &[u8],
) -> Result<CertificateInfo> {
    let genesis = parse_validators(validators)?;
    let n = genesis.len();
    let sorted = Set::try_from(genesis.clone())
        .map_err(|_| Error::InvalidConfig("duplicate validator".into()))?;
    let finalization = Finalization::decode_cfg(Copying(cert), &n)
        .map_err(|e| Error::CertificateDecode(e.to_string()))?;
    let payload: Digest = finalization.proposal.payload;
    if payload.0 != header_digest {
        return Err(Error::DigestMismatch {
            expected: hex::encode(header_digest),
            found: hex::encode(payload.0),
        });
    }
    let certificate = &finalization.certificate;
    if certificate.signers.len() != n {
        return Err(Error::ValidatorCountMismatch {
            expected: n,
            found: certificate.signers.len(),
        });
    }
    let validators_u32 =
        u32::try_from(n).map_err(|_| Error::InvalidConfig("too many validators".into()))?;
    let quorum = N3f1::quorum(validators_u32);
    let count = certificate.signers.count();
    if count != certificate.signatures.len() || count < quorum as usize {
        return Err(Error::InsufficientSigners {
            signers: count.min(certificate.signatures.len()),
            quorum: quorum as usize,
        });
    }

    let derived = Namespace::new(namespace);
    let subject = Subject::Finalize { proposal: &finalization.proposal };
    let message = subject.message();
    let signing_namespace = subject.namespace(&derived);

    let mut signers = Vec::with_capacity(count);
    for (position, signature) in certificate.signers.iter().zip(&certificate.signatures) {
        let key = sorted.get(usize::from(position)).ok_or(Error::ValidatorCountMismatch {
            expected: n,
            found: usize::from(position) + 1,
        })?;
        let index = genesis
            .iter()
            .position(|k| k == key)
            .and_then(|i| u32::try_from(i).ok())
            .ok_or(Error::InvalidConfig("signer not in genesis".into()))?;
        let signature = signature.get().ok_or(Error::InvalidSignature { validator: index })?;
        if !key.verify(signing_namespace, &message, signature) {
            return Err(Error::InvalidSignature { validator: index });
        }
        let mut public_key = [0u8; 32];
        public_key.copy_from_slice(&key.encode());
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&signature.encode());
        signers.push(SignerInfo { index, public_key, signature: sig });
    }
    signers.sort_by_key(|s| s.index);

    Ok(CertificateInfo {
        epoch: finalization.proposal.round.epoch().get(),
        view: finalization.proposal.round.view().get(),
        parent_view: finalization.proposal.parent.get(),
        digest: payload.0,
        signers,
        quorum,
        validators: validators_u32,
    })
}
