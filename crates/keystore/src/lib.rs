//! Encrypted at-rest keystore for the member keys a node holds custodially, API
//! tokens for custodial signing, and plain key files.
//!
//! A node keeps its organisation's member keys in one JSON file (layout in the
//! `format` module docs, mode `0600`). The passphrase is stretched with Argon2id
//! ([`KdfParams`]) into a file key; each secret key is sealed with
//! XChaCha20-Poly1305 under a fresh random nonce, its account id, public key and
//! name bound as associated data. A sealed check block tells a wrong passphrase
//! ([`Error::WrongPassphrase`]) apart from a damaged entry ([`Error::Tampered`]).
//! Every change rewrites the file atomically (temporary file, fsync, rename) under
//! an exclusive lock on `<file>.lock`, after re-reading the file.
//!
//! What the file does not protect: an attacker who can write it can delete
//! entries or put back an older copy of the file; entries they did not have the
//! passphrase for cannot be forged or altered.
//!
//! Alongside the keystore: [`TokenStore`], the hashed bearer tokens that let
//! HTTP callers sign with one custodial account, and plain key files
//! ([`write_key_file`], [`read_key_file`] for
//! member keys signing client-side; [`write_validator_key`],
//! [`read_validator_key`], [`generate_validator_key`] for consensus keys).
//!
//! ```
//! use fapiao_keystore::{KdfParams, Keystore};
//! use fapiao_types::Suite;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("keys.json");
//! // Tests use the cheapest KDF; production uses `Keystore::create` (19 MiB, t = 2).
//! let mut store = Keystore::create_with_params(&path, "correct horse", KdfParams::INSECURE_FAST)?;
//! let alice = store.generate("alice", Suite::Sm2)?;
//! drop(store);
//!
//! // `Keystore::open` refuses a KDF below `KdfParams::FLOOR`; tests lower the floor.
//! let store = Keystore::open_with_floor(&path, "correct horse", KdfParams::INSECURE_FAST)?;
//! let sig = store.sign(&alice.account, b"payload")?;
//! fapiao_crypto::verify(&alice.public_key, b"payload", &sig)?;
//! assert!(Keystore::open_with_floor(&path, "wrong", KdfParams::INSECURE_FAST).is_err());
//! assert!(Keystore::open(&path, "correct horse").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod error;
mod format;
mod fs;
mod kdf;
mod keyfile;
mod store;
mod tokens;

pub use error::{Error, Result};
pub use kdf::KdfParams;
pub use keyfile::{
    generate_validator_key, read_key_file, read_validator_key, write_key_file, write_validator_key,
};
pub use store::{KeyInfo, Keystore, MAX_NAME_LEN};
pub use tokens::{TokenInfo, TokenStore, DEFAULT_TOKEN_TTL_MS, TOKEN_LEN, TOKEN_PREFIX};
/// The keystore passphrase of every demo (`fapiao demo`, `fapiao init --demo`), printed
/// in public: nodes and `fapiao keystore` accept it only on a chain whose genesis is
/// marked `demo`.
pub const DEMO_PASSPHRASE: &str = "fapiao-demo-passphrase";
/// Secret bytes wiped on drop, as returned by [`read_validator_key`].
pub use zeroize::Zeroizing;
