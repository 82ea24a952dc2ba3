//! Signature suites (Ed25519 with ZIP-215 batch verification, SM2 with SM3), hashing and signing namespaces.
//!
//! An account declares one of two suites ([`Suite`]):
//!
//! * **Ed25519**, verified by [ZIP-215] rules (`ed25519-consensus`), so that single
//!   and batch verification accept exactly the same signatures and every node
//!   agrees on every signature;
//! * **SM2** with SM3 (GB/T 32918, 国密), with the standard default distinguishing
//!   ID [`SM2_DISTID`] in `Z_A`.
//!
//! Key and signature *bytes* are defined in `fapiao-types` ([`PublicKey`],
//! [`Signature`]); this crate signs and verifies them. Anything signed is first
//! prefixed with a namespace ([`namespaced_payload`]), the same layout as
//! [`fapiao_types::SignedTx::signing_payload`].
//!
//! ```
//! use fapiao_crypto::{verify_namespaced, SigningKey};
//! use fapiao_types::Suite;
//! use rand_core::OsRng;
//!
//! let key = SigningKey::generate(Suite::Sm2, &mut OsRng);
//! let sig = key.sign_namespaced(b"_FAPIAO_EXAMPLE", b"hello").unwrap();
//! verify_namespaced(&key.public_key(), b"_FAPIAO_EXAMPLE", b"hello", &sig).unwrap();
//! assert!(verify_namespaced(&key.public_key(), b"_FAPIAO_OTHER", b"hello", &sig).is_err());
//! ```
//!
//! [ZIP-215]: https://zips.z.cash/zip-0215
//! [`Suite`]: fapiao_types::Suite
//! [`PublicKey`]: fapiao_types::PublicKey
//! [`Signature`]: fapiao_types::Signature
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod batch;
mod error;
mod hash;
mod signing;
mod verify;

pub use batch::{BatchVerifier, PARALLEL_CHUNK, SINGLE_BELOW};
pub use error::{Error, Result};
pub use hash::{namespaced_payload, sm3};
pub use signing::SigningKey;
pub use verify::{
    sm2_public_key_from_sec1, validate_public_key, verify, verify_namespaced, verify_signed_tx,
};
pub use zeroize::Zeroizing;

/// The SM2 distinguishing ID used in `Z_A` for every Fapiao signature: the default
/// `1234567812345678` of GM/T 0009 and GB/T 35276.
pub const SM2_DISTID: &str = "1234567812345678";
