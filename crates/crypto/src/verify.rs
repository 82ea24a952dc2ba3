//! Single signature verification and public-key checks.
//!
//! Ed25519 follows [ZIP-215] through `ed25519-consensus`: cofactored equation,
//! non-canonical point encodings accepted, `s` must be canonical. Single and batch
//! verification accept exactly the same signatures, which is what makes the
//! batch verifier safe in consensus code. SM2 follows GB/T 32918.2 with SM3 and
//! the default distinguishing ID [`SM2_DISTID`].
//!
//! [ZIP-215]: https://zips.z.cash/zip-0215

use crate::{hash::namespaced_payload, signing::sm2_compressed, Error, Result, SM2_DISTID};
use fapiao_types::{PublicKey, Signature, SignedTx, Suite};
use sm2::dsa::signature::Verifier as _;

/// Verifies `sig` on `msg` (taken as is) under `pk`.
///
/// # Errors
/// [`Error::InvalidKey`] when `pk` is not a curve point of its suite;
/// [`Error::BadSignature`] when the signature is malformed or does not verify.
pub fn verify(pk: &PublicKey, msg: &[u8], sig: &Signature) -> Result<()> {
    match pk {
        PublicKey::Ed25519(bytes) => ed25519_key(bytes)?
            .verify(&ed25519_consensus::Signature::from(sig.0), msg)
            .map_err(|_| Error::BadSignature),
        PublicKey::Sm2(bytes) => {
            let sig = sm2::dsa::Signature::from_bytes(&sig.0).map_err(|_| Error::BadSignature)?;
            sm2_key(bytes)?.verify(msg, &sig).map_err(|_| Error::BadSignature)
        }
    }
}

/// Verifies `sig` on `len(namespace) ‖ namespace ‖ msg` under `pk`.
///
/// # Errors
/// As [`verify`], plus [`Error::NamespaceTooLong`].
pub fn verify_namespaced(
    pk: &PublicKey,
    namespace: &[u8],
    msg: &[u8],
    sig: &Signature,
) -> Result<()> {
    verify(pk, &namespaced_payload(namespace, msg)?, sig)
}

/// Verifies a transaction's signature by its sender over
/// [`SignedTx::signing_payload`].
///
/// # Errors
/// As [`verify`].
pub fn verify_signed_tx(stx: &SignedTx) -> Result<()> {
    verify(&stx.tx.sender, &SignedTx::signing_payload(&stx.tx), &stx.signature)
}

/// Checks that `pk` is acceptable as an account or validator key: it decodes to a
/// curve point and, for Ed25519, is not of small order.
///
/// ZIP-215 verification accepts a signature `(R = identity, s = 0)` on *any*
/// message under a small-order key, so such keys must be refused when an account
/// is registered; [`verify`] itself cannot refuse them without breaking
/// batch/single agreement.
///
/// # Errors
/// [`Error::InvalidKey`] for bytes that are not a point of the suite;
/// [`Error::WeakKey`] for a small-order Ed25519 point.
pub fn validate_public_key(pk: &PublicKey) -> Result<()> {
    match pk {
        PublicKey::Ed25519(bytes) => {
            let key = ed25519_key(bytes)?;
            // `[8][s]B = [8]R + [8][k]A` with R = identity and s = 0 reduces to
            // `[8][k]A = identity`. For A of small order that holds for every k; for
            // any other A it needs k ≡ 0 mod l, which happens with probability 2^-252.
            let mut forged = [0u8; 64];
            forged[0] = 1; // y = 1: the identity point
            match key.verify(&ed25519_consensus::Signature::from(forged), b"fapiao small order") {
                Ok(()) => Err(Error::WeakKey { suite: Suite::Ed25519 }),
                Err(_) => Ok(()),
            }
        }
        PublicKey::Sm2(bytes) => sm2_key(bytes).map(|_| ()),
    }
}

/// Converts an SM2 public key in any SEC1 encoding (65-byte uncompressed
/// `04 ‖ x ‖ y`, or 33-byte compressed) into the compressed [`PublicKey::Sm2`]
/// used on chain, checking that it is a point of sm2p256v1.
///
/// # Errors
/// [`Error::InvalidKey`] when the bytes are not a valid SEC1 point on the curve.
pub fn sm2_public_key_from_sec1(sec1: &[u8]) -> Result<PublicKey> {
    let key = sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, sec1)
        .map_err(|_| Error::InvalidKey { suite: Suite::Sm2 })?;
    Ok(PublicKey::Sm2(sm2_compressed(&key)))
}

pub(crate) fn ed25519_key(bytes: &[u8; 32]) -> Result<ed25519_consensus::VerificationKey> {
    ed25519_consensus::VerificationKey::try_from(*bytes)
        .map_err(|_| Error::InvalidKey { suite: Suite::Ed25519 })
}

pub(crate) fn sm2_key(bytes: &[u8; 33]) -> Result<sm2::dsa::VerifyingKey> {
    sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, bytes)
        .map_err(|_| Error::InvalidKey { suite: Suite::Sm2 })
}
