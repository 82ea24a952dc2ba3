//! Salted commitments to low-entropy facts (ADR 0012): a fact is committed on the chain
//! as SHA-256(`COMMIT_DOMAIN` ‖ salt ‖ subject ‖ 0 ‖ field ‖ 0 ‖ period ‖ 0 ‖ value), never
//! in clear, under a salt HMAC-SHA256(secret, `SALT_DOMAIN` ‖ subject ‖ 0 ‖ field ‖ 0 ‖
//! period) that only holders of the chain secret can derive. The tax summary
//! (`fapiao-invoice-types`) and the industry chain's operating data commit this way; the
//! subject is a USCC, the field a name unique across applications, the period a month
//! `yyyymm` or `-`, the value its canonical text.

use crate::Hash32;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Domain of the salt derivation (HMAC message prefix).
pub const SALT_DOMAIN: &[u8] = b"fapiao/commit/salt/v1\0";
/// Domain of a commitment (hash prefix).
pub const COMMIT_DOMAIN: &[u8] = b"fapiao/commit/commit/v1\0";
/// Domain of the secret's public identifier (hash prefix).
pub const SECRET_ID_DOMAIN: &[u8] = b"fapiao/commit/secret-id/v1\0";

/// The salt of `field` of `subject` for `period`, derived from the chain secret.
pub fn salt(secret: &[u8; 32], subject: &str, field: &str, period: &str) -> Hash32 {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else {
        // HMAC accepts a key of any length.
        unreachable!("HMAC-SHA256 takes any key length")
    };
    for part in [SALT_DOMAIN, subject.as_bytes(), &[0], field.as_bytes(), &[0], period.as_bytes()] {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The commitment to `value` (canonical text) of `field` of `subject` for `period` under
/// `salt`.
pub fn commitment(salt: &Hash32, subject: &str, field: &str, period: &str, value: &str) -> Hash32 {
    let mut h = Sha256::new();
    for part in [
        COMMIT_DOMAIN,
        salt.as_slice(),
        subject.as_bytes(),
        &[0],
        field.as_bytes(),
        &[0],
        period.as_bytes(),
        &[0],
        value.as_bytes(),
    ] {
        h.update(part);
    }
    h.finalize().into()
}

/// The public identifier of a chain secret: what a chain's parameter pins, so that a node
/// configured with another secret refuses to start rather than compute other commitments.
pub fn secret_id(secret: &[u8; 32]) -> Hash32 {
    let mut h = Sha256::new();
    h.update(SECRET_ID_DOMAIN);
    h.update(secret);
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_salt_is_hmac_sha256_of_the_domain_and_parts() {
        // RFC 4231 test case 2 checks the HMAC itself; here the message layout: the same
        // parts joined by hand give the same salt, and a moved separator does not.
        let secret = [0x0b; 32];
        let s = salt(&secret, "914403001922038216", "sales", "202608");
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("key");
        mac.update(b"fapiao/commit/salt/v1\x00914403001922038216\x00sales\x00202608");
        assert_eq!(s, <[u8; 32]>::from(mac.finalize().into_bytes()));
        assert_ne!(s, salt(&secret, "914403001922038216s", "ales", "202608"));
    }

    #[test]
    fn a_commitment_binds_every_part() {
        let salt = [1u8; 32];
        let c = commitment(&salt, "u", "sales", "202608", "100");
        assert_ne!(c, commitment(&[2u8; 32], "u", "sales", "202608", "100"));
        assert_ne!(c, commitment(&salt, "u", "sales", "202608", "1000"));
        assert_ne!(c, commitment(&salt, "u", "vat_paid", "202608", "100"));
        assert_ne!(c, commitment(&salt, "u", "sales", "202609", "100"));
    }
}
