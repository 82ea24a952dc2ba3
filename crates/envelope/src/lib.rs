//! Sealed envelopes for the department exchange: HPKE (RFC 9180) or SM2 + SM4-GCM
//! encryption of a payload to a recipient's public key.
//!
//! A department or a person registers an encryption public key on the chain; whoever
//! writes to them seals the payload to that key and the chain stores only the result,
//! an envelope `(suite, key_epoch, enc, ciphertext)`. This crate makes and opens the
//! `(enc, ciphertext)` part for the two suites the exchange admits:
//!
//! * [`Suite::HpkeX25519ChaCha20Poly1305`] (`hpke-x25519-chacha20poly1305`): RFC 9180
//!   base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305. `enc` is
//!   the 32-byte encapsulated key, `ciphertext` the AEAD output (payload ‖ 16-byte tag).
//! * [`Suite::Sm2Sm4Gcm`] (`sm2-sm4-gcm`): a fresh 16-byte SM4 key, encrypted to the
//!   recipient with SM2 public-key encryption (GB/T 32918.4, layout C1‖C3‖C2, C1
//!   uncompressed) as `enc`; `ciphertext` = 12-byte nonce ‖ SM4-GCM ciphertext ‖
//!   16-byte tag, the GCM's associated data being `u32be(len(info)) ‖ info ‖ aad`
//!   (SM2 encryption has no `info` of its own, so it is bound here).
//!
//! Both suites take an `info` (domain separation: [`binding::info`] puts the exchange's
//! label `fapiao-exchange-v1` in front of a caller's context) and an `aad` (the
//! transaction fields the envelope belongs to: [`binding::query_aad`],
//! [`binding::answer_aad`]). Opening with another key, info or aad, or after any byte
//! of `enc` or `ciphertext` changed, fails with [`Error::Open`]. Byte layouts and the
//! reference vectors are in `docs/formats.md`, "Sealed envelopes".
//!
//! ```
//! use fapiao_envelope::{binding, open, os_rng, seal, SecretKey, Suite};
//!
//! let mut rng = os_rng();
//! for suite in Suite::ALL {
//!     let department = SecretKey::generate(suite, &mut rng);
//!     let info = binding::info(b"query 42");
//!     let sealed = seal(suite, &department.public_key(), &info, b"aad", b"{\"rows\":[]}", &mut rng)?;
//!     let plain = open(&department, suite, &sealed.enc, &sealed.ciphertext, &info, b"aad")?;
//!     assert_eq!(plain, b"{\"rows\":[]}");
//!     assert!(open(&department, suite, &sealed.enc, &sealed.ciphertext, &info, b"other").is_err());
//! }
//! # Ok::<(), fapiao_envelope::Error>(())
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![deny(missing_docs)]

pub mod binding;
mod error;
mod hpke_suite;
mod keys;
mod sm_suite;

use std::{fmt, str::FromStr};

pub use error::{Error, Result};
pub use hpke::rand_core::CryptoRng;
pub use keys::{read_key_file, write_key_file, KeyFile, PublicKey, SecretKey};

/// An envelope suite: which public-key encryption seals the payload.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suite {
    /// RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.
    HpkeX25519ChaCha20Poly1305,
    /// SM2 public-key encryption (C1‖C3‖C2) of a fresh SM4 key; the payload under SM4-GCM.
    Sm2Sm4Gcm,
}

impl Suite {
    /// Every suite, in a fixed order.
    pub const ALL: [Suite; 2] = [Suite::HpkeX25519ChaCha20Poly1305, Suite::Sm2Sm4Gcm];

    /// The suite's name on the wire and in key files.
    pub const fn name(self) -> &'static str {
        match self {
            Suite::HpkeX25519ChaCha20Poly1305 => "hpke-x25519-chacha20poly1305",
            Suite::Sm2Sm4Gcm => "sm2-sm4-gcm",
        }
    }

    /// The suite named `name`.
    ///
    /// # Errors
    /// [`Error::UnknownSuite`] for any other name.
    pub fn from_name(name: &str) -> Result<Suite> {
        Suite::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| Error::UnknownSuite { name: name.chars().take(64).collect() })
    }
}

impl fmt::Display for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Suite {
    type Err = Error;
    fn from_str(s: &str) -> Result<Suite> {
        Suite::from_name(s)
    }
}

impl serde::Serialize for Suite {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Suite {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Suite, D::Error> {
        let name = String::deserialize(d)?;
        Suite::from_name(&name).map_err(serde::de::Error::custom)
    }
}

/// The two sealed parts of an envelope (the suite and key epoch travel beside them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    /// The encapsulated key: 32 bytes (HPKE) or an SM2 ciphertext of the SM4 key.
    pub enc: Vec<u8>,
    /// The encrypted payload with its tag (and, for SM4-GCM, its nonce in front).
    pub ciphertext: Vec<u8>,
}

/// Seal `plaintext` to `recipient` under `suite`, bound to `info` and `aad`.
///
/// # Errors
/// [`Error::SuiteMismatch`] when `recipient` is a key of another suite; [`Error::Seal`]
/// if the underlying primitive refuses (it does not for well-formed keys).
pub fn seal<R: CryptoRng + ?Sized>(
    suite: Suite,
    recipient: &PublicKey,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    rng: &mut R,
) -> Result<Sealed> {
    if recipient.suite() != suite {
        return Err(Error::SuiteMismatch { expected: suite, key: recipient.suite() });
    }
    match &recipient.0 {
        keys::Pk::X25519(pk) => hpke_suite::seal(pk, info, aad, plaintext, rng),
        keys::Pk::Sm2(pk) => sm_suite::seal(pk, info, aad, plaintext, rng),
    }
}

/// Open an envelope sealed under `suite` to `secret`'s public key.
///
/// # Errors
/// [`Error::SuiteMismatch`] when `secret` is a key of another suite; [`Error::Open`]
/// when the envelope was not sealed to this key with this `info` and `aad`, or was
/// altered (deliberately one error for all of these).
pub fn open(
    secret: &SecretKey,
    suite: Suite,
    enc: &[u8],
    ciphertext: &[u8],
    info: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>> {
    if secret.suite() != suite {
        return Err(Error::SuiteMismatch { expected: suite, key: secret.suite() });
    }
    match &secret.0 {
        keys::Sk::X25519(sk) => hpke_suite::open(sk, enc, ciphertext, info, aad),
        keys::Sk::Sm2(sk) => sm_suite::open(sk, enc, ciphertext, info, aad),
    }
}

/// The operating system's random number generator.
///
/// # Panics
/// Drawing from it panics if the operating system cannot supply randomness (there is
/// nothing safe to seal with then).
pub fn os_rng() -> impl CryptoRng {
    hpke::rand_core::UnwrapErr(getrandom::SysRng)
}
