//! Secret keys of both suites and signing.
//!
//! Ed25519 signatures are deterministic (RFC 8032). SM2 signatures use SM3 with
//! the standard default distinguishing ID [`SM2_DISTID`] and a deterministic
//! RFC 6979-style nonce, so signing the same message twice gives the same bytes.

use crate::{hash::namespaced_payload, Error, Result, SM2_DISTID};
use core::fmt;
use fapiao_types::{PublicKey, Signature, SignedTx, Suite, Tx};
use rand_core::{CryptoRngCore, OsRng};
use sm2::{
    dsa::signature::{RandomizedSigner, Signer},
    elliptic_curve::sec1::ToEncodedPoint,
    NonZeroScalar,
};
use zeroize::{Zeroize, Zeroizing};

/// A secret key of one of the two suites.
///
/// The secret is 32 bytes for both: the Ed25519 seed, or the SM2 secret scalar
/// (big-endian, in `[1, n-2]`). `Debug` prints only the public key.
///
/// The Ed25519 secret is wiped when the key is dropped. The SM2 key is held by
/// `sm2::dsa::SigningKey`, which (in sm2 0.13) does not wipe its scalar on drop and
/// offers no way to reach it without `unsafe`; hold SM2 keys only as long as needed.
#[derive(Clone)]
pub struct SigningKey(Inner);

#[derive(Clone)]
enum Inner {
    Ed25519(ed25519_consensus::SigningKey),
    Sm2(sm2::dsa::SigningKey),
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        if let Inner::Ed25519(key) = &mut self.0 {
            key.zeroize();
        }
    }
}

impl SigningKey {
    /// Generates a fresh key of `suite` from `rng`.
    pub fn generate(suite: Suite, rng: &mut impl CryptoRngCore) -> Self {
        match suite {
            Suite::Ed25519 => SigningKey(Inner::Ed25519(ed25519_consensus::SigningKey::new(rng))),
            Suite::Sm2 => loop {
                // `d = n - 1` is the one non-zero scalar SM2 cannot sign with (1 + d
                // is not invertible); drawing it has probability 2^-256.
                let d = NonZeroScalar::random(&mut *rng);
                if let Ok(key) = sm2_from_scalar(d) {
                    return SigningKey(Inner::Sm2(key));
                }
            },
        }
    }

    /// Rebuilds a key from its 32 secret bytes (see [`SigningKey::to_bytes`]).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for an SM2 scalar that is zero, not below the group
    /// order `n`, or equal to `n - 1`. Every 32-byte string is an Ed25519 seed.
    pub fn from_bytes(suite: Suite, bytes: &[u8; 32]) -> Result<Self> {
        match suite {
            Suite::Ed25519 => {
                Ok(SigningKey(Inner::Ed25519(ed25519_consensus::SigningKey::from(*bytes))))
            }
            Suite::Sm2 => {
                let d = NonZeroScalar::try_from(&bytes[..])
                    .map_err(|_| Error::InvalidKey { suite: Suite::Sm2 })?;
                sm2_from_scalar(d).map(|k| SigningKey(Inner::Sm2(k)))
            }
        }
    }

    /// The suite of this key.
    pub fn suite(&self) -> Suite {
        match &self.0 {
            Inner::Ed25519(_) => Suite::Ed25519,
            Inner::Sm2(_) => Suite::Sm2,
        }
    }

    /// The 32 secret bytes, wiped when the returned value is dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        match &self.0 {
            Inner::Ed25519(key) => out.copy_from_slice(key.as_bytes()),
            Inner::Sm2(key) => {
                let mut bytes = key.to_bytes();
                out.copy_from_slice(&bytes);
                bytes.as_mut_slice().zeroize();
            }
        }
        out
    }

    /// The public key (SM2 keys SEC1-compressed).
    pub fn public_key(&self) -> PublicKey {
        match &self.0 {
            Inner::Ed25519(key) => PublicKey::Ed25519(key.verification_key().to_bytes()),
            Inner::Sm2(key) => PublicKey::Sm2(sm2_compressed(key.verifying_key())),
        }
    }

    /// The account this key controls.
    pub fn account_id(&self) -> fapiao_types::AccountId {
        self.public_key().account_id()
    }

    /// Signs `msg` as is. Prefer [`SigningKey::sign_namespaced`] for anything that
    /// is not already namespaced.
    pub fn sign(&self, msg: &[u8]) -> Signature {
        match &self.0 {
            Inner::Ed25519(key) => Signature(key.sign(msg).to_bytes()),
            Inner::Sm2(key) => Signature(sm2_sign(key, msg).to_bytes()),
        }
    }

    /// Signs `len(namespace) ‖ namespace ‖ msg` (see [`crate::namespaced_payload`]).
    ///
    /// # Errors
    /// [`Error::NamespaceTooLong`] when `namespace` is longer than 255 bytes.
    pub fn sign_namespaced(&self, namespace: &[u8], msg: &[u8]) -> Result<Signature> {
        Ok(self.sign(&namespaced_payload(namespace, msg)?))
    }

    /// Signs a transaction over [`SignedTx::signing_payload`]. The result verifies
    /// only if `tx.sender` is this key's public key.
    pub fn sign_tx(&self, tx: Tx) -> SignedTx {
        let signature = self.sign(&SignedTx::signing_payload(&tx));
        SignedTx { tx, signature }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("public_key", &self.public_key()).finish_non_exhaustive()
    }
}

/// Builds an SM2 signing key, refusing `d = n - 1` (for which `1 + d` has no inverse).
fn sm2_from_scalar(d: NonZeroScalar) -> Result<sm2::dsa::SigningKey> {
    let one_plus_d = *d + sm2::Scalar::ONE;
    if bool::from(one_plus_d.is_zero()) {
        return Err(Error::InvalidKey { suite: Suite::Sm2 });
    }
    sm2::dsa::SigningKey::from_nonzero_scalar(SM2_DISTID, d)
        .map_err(|_| Error::InvalidKey { suite: Suite::Sm2 })
}

/// The 33-byte SEC1-compressed encoding of an SM2 key.
pub(crate) fn sm2_compressed(key: &sm2::dsa::VerifyingKey) -> [u8; 33] {
    let point = key.to_encoded_point(true);
    let mut out = [0u8; 33];
    out.copy_from_slice(point.as_bytes());
    out
}

/// SM2 signature of `msg` (Z_A ‖ msg hashed with SM3).
///
/// The deterministic nonce fails only when it yields `r = 0`, `r + k = n` or
/// `s = 0`, each with probability about 2^-256; the retries then mix in fresh
/// randomness so that a different nonce is drawn.
fn sm2_sign(key: &sm2::dsa::SigningKey, msg: &[u8]) -> sm2::dsa::Signature {
    let mut result = key.try_sign(msg);
    for _ in 0..16 {
        if result.is_ok() {
            break;
        }
        result = key.try_sign_with_rng(&mut OsRng, msg);
    }
    result.expect("SM2 signing fails with probability ~2^-256 per attempt; 17 failures in a row mean broken arithmetic or RNG")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify;

    #[test]
    fn round_trip_bytes_both_suites() {
        for suite in [Suite::Ed25519, Suite::Sm2] {
            let key = SigningKey::generate(suite, &mut OsRng);
            let again = SigningKey::from_bytes(suite, &key.to_bytes()).unwrap();
            assert_eq!(key.public_key(), again.public_key());
            assert_eq!(key.suite(), suite);
            assert_eq!(key.public_key().suite(), suite);
        }
    }

    #[test]
    fn sm2_rejects_out_of_range_scalars() {
        let zero = [0u8; 32];
        assert_eq!(
            SigningKey::from_bytes(Suite::Sm2, &zero).unwrap_err(),
            Error::InvalidKey { suite: Suite::Sm2 }
        );
        // n (the group order of sm2p256v1) and n - 1.
        let n = hex::decode("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123")
            .unwrap();
        let mut n_minus_1: [u8; 32] = n.clone().try_into().unwrap();
        n_minus_1[31] -= 1;
        assert!(SigningKey::from_bytes(Suite::Sm2, &n.try_into().unwrap()).is_err());
        assert!(SigningKey::from_bytes(Suite::Sm2, &n_minus_1).is_err());
        n_minus_1[31] -= 1;
        let key = SigningKey::from_bytes(Suite::Sm2, &n_minus_1).unwrap();
        verify(&key.public_key(), b"m", &key.sign(b"m")).unwrap();
    }

    #[test]
    fn signatures_are_deterministic() {
        for suite in [Suite::Ed25519, Suite::Sm2] {
            let key = SigningKey::generate(suite, &mut OsRng);
            assert_eq!(key.sign(b"same"), key.sign(b"same"));
        }
    }

    #[test]
    fn debug_does_not_print_the_secret() {
        for suite in [Suite::Ed25519, Suite::Sm2] {
            let key = SigningKey::generate(suite, &mut OsRng);
            let shown = format!("{key:?}");
            assert!(!shown.contains(&hex::encode(*key.to_bytes())), "{shown}");
            assert!(shown.contains(&key.public_key().to_hex()), "{shown}");
        }
    }
}
