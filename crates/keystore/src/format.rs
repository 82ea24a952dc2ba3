//! The on-disk JSON layout (version 1).
//!
//! ```json
//! {
//!   "version": 1,
//!   "kdf": { "algorithm": "argon2id-v19", "m_cost_kib": 19456, "t_cost": 2, "p_cost": 1,
//!            "salt": "<16 bytes hex>" },
//!   "cipher": "xchacha20poly1305",
//!   "check": { "nonce": "<24 bytes hex>", "ciphertext": "<hex>" },
//!   "keys": [
//!     { "account": "<32 bytes hex>", "suite": "ed25519", "public_key": "<hex>",
//!       "name": "alice", "nonce": "<24 bytes hex>", "ciphertext": "<48 bytes hex>" }
//!   ]
//! }
//! ```
//!
//! The file key is `Argon2id(passphrase, salt)`. `check` seals a known block
//! under the file key, so a wrong passphrase is told apart from a damaged entry.
//! Each entry seals its 32 secret bytes with a fresh random nonce and the
//! associated data of [`entry_aad`], binding the account, public key and name.

use fapiao_types::{AccountId, PublicKey};
use serde::{Deserialize, Serialize};

/// The format version this crate reads and writes.
pub(crate) const VERSION: u32 = 1;
/// The KDF this format version uses.
pub(crate) const KDF_ALGORITHM: &str = "argon2id-v19";
/// The AEAD this format version uses.
pub(crate) const CIPHER: &str = "xchacha20poly1305";
/// Salt length in bytes.
pub(crate) const SALT_LEN: usize = 16;
/// Plaintext of the check block.
pub(crate) const CHECK_PLAINTEXT: &[u8; 32] = b"fapiao-keystore v1 check block..";
/// Associated data of the check block.
pub(crate) const CHECK_AAD: &[u8] = b"fapiao-keystore/v1/check";
/// Domain prefix of an entry's associated data.
const ENTRY_AAD: &[u8] = b"fapiao-keystore/v1/key";

/// The whole file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct File {
    pub version: u32,
    pub kdf: Kdf,
    pub cipher: String,
    pub check: SealedHex,
    pub keys: Vec<EntryHex>,
}

/// KDF section.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Kdf {
    pub algorithm: String,
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    pub salt: String,
}

/// A sealed block: nonce and ciphertext with its tag.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SealedHex {
    pub nonce: String,
    pub ciphertext: String,
}

/// One key.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryHex {
    pub account: String,
    pub suite: String,
    pub public_key: String,
    pub name: String,
    pub nonce: String,
    pub ciphertext: String,
}

/// `"fapiao-keystore/v1/key" ‖ account ‖ suite tag ‖ key bytes ‖ u32 BE name length ‖ name`.
pub(crate) fn entry_aad(account: &AccountId, pk: &PublicKey, name: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(ENTRY_AAD.len() + 32 + 34 + 4 + name.len());
    aad.extend_from_slice(ENTRY_AAD);
    aad.extend_from_slice(&account.0);
    aad.push(match pk.suite() {
        fapiao_types::Suite::Ed25519 => 0,
        fapiao_types::Suite::Sm2 => 1,
    });
    aad.extend_from_slice(pk.key_bytes());
    // Names are at most MAX_NAME_LEN bytes, so the length fits.
    aad.extend_from_slice(&(name.len() as u32).to_be_bytes());
    aad.extend_from_slice(name.as_bytes());
    aad
}
