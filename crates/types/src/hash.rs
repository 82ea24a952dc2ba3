//! SHA-256, the one hash of chain structures in this version, and hex helpers.

use sha2::{Digest, Sha256};

/// A 32-byte SHA-256 digest.
pub type Hash32 = [u8; 32];

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Hash32 {
    Sha256::digest(data).into()
}

/// Lower-case hex of a 32-byte digest.
pub fn hex32(h: &Hash32) -> String {
    hex::encode(h)
}

/// Parses 64 hex characters into 32 bytes.
///
/// # Errors
/// [`crate::Error::Invalid`] naming `field` when the text is not 64 hex characters.
pub fn parse_hex32(field: &'static str, s: &str) -> crate::Result<Hash32> {
    let v = hex::decode(s).map_err(|e| crate::Error::invalid(field, e.to_string()))?;
    v.try_into().map_err(|_| crate::Error::invalid(field, "expected 32 bytes (64 hex characters)"))
}
