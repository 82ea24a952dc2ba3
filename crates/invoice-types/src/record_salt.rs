//! The per-invoice salt of the private records kept in the state as commitments
//! (`invoice-circ/<n>` and `invoice-red/<n>`, ADR 0009 "private kinds").
//!
//! The state database stores `SHA-256(domain ‖ path ‖ record)` for a private record
//! ([`fapiao_types::state_order::private_commitment`]). A circulation record has little
//! entropy (a holder, an enterprise, a few heights), so without a secret in the record
//! anyone could confirm a guessed one against a proof. Each such record therefore starts
//! with a 32-byte salt, [`record_salt`] of the chain secret and the record's path: derived
//! at execution when the record is first written and kept unchanged on every update, so
//! that the validators (who hold the secret) compute the same state and nobody else can.

use fapiao_types::{sha256, Hash32};

/// The domain tag of [`record_salt`].
pub const RECORD_SALT_DOMAIN: &[u8] = b"fapiao/record-salt/v1";

/// `SHA-256(RECORD_SALT_DOMAIN ‖ secret ‖ path)`: the salt of the private record at state
/// path `path` (e.g. `invoice-circ/<n>`) under chain secret `secret`.
pub fn record_salt(secret: &[u8; 32], path: &[u8]) -> Hash32 {
    let mut pre = Vec::with_capacity(RECORD_SALT_DOMAIN.len() + 32 + path.len());
    pre.extend_from_slice(RECORD_SALT_DOMAIN);
    pre.extend_from_slice(secret);
    pre.extend_from_slice(path);
    sha256(&pre)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_salt_depends_on_the_secret_and_the_path() {
        let a = record_salt(&[1; 32], b"invoice-circ/26951000000000000001");
        assert_eq!(a, record_salt(&[1; 32], b"invoice-circ/26951000000000000001"));
        assert_ne!(a, record_salt(&[2; 32], b"invoice-circ/26951000000000000001"));
        assert_ne!(a, record_salt(&[1; 32], b"invoice-red/26951000000000000001"));
        let mut pre = b"fapiao/record-salt/v1".to_vec();
        pre.extend_from_slice(&[1; 32]);
        pre.extend_from_slice(b"invoice-circ/26951000000000000001");
        assert_eq!(a, sha256(&pre));
    }
}
