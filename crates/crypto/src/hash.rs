//! Hashing (SM3) and signing namespaces.
//!
//! Every signed byte string on a Fapiao chain starts with a namespace so that a
//! signature made for one purpose can never be replayed as another:
//!
//! ```text
//! payload = len(namespace) as u8 ‖ namespace ‖ message
//! ```
//!
//! This is exactly the layout of [`fapiao_types::SignedTx::signing_payload`] with
//! the `_FAPIAO_TX` namespace.

use crate::{Error, Result};
use sm3::{Digest, Sm3};

/// SM3 digest (GB/T 32905) of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    Sm3::digest(data).into()
}

/// Builds `len(namespace) as u8 ‖ namespace ‖ msg`, the bytes that are actually
/// signed for `msg` under `namespace`.
///
/// # Errors
/// [`Error::NamespaceTooLong`] when `namespace` is longer than 255 bytes.
pub fn namespaced_payload(namespace: &[u8], msg: &[u8]) -> Result<Vec<u8>> {
    let len = u8::try_from(namespace.len())
        .map_err(|_| Error::NamespaceTooLong { len: namespace.len() })?;
    let mut out = Vec::with_capacity(1 + namespace.len() + msg.len());
    out.push(len);
    out.extend_from_slice(namespace);
    out.extend_from_slice(msg);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm3_abc_reference_value() {
        // GB/T 32905 example 1.
        assert_eq!(
            hex::encode(sm3(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn sm3_abcd_times_16_reference_value() {
        // GB/T 32905 example 2: "abcd" repeated 16 times (512 bits, two blocks once padded).
        assert_eq!(
            hex::encode(sm3("abcd".repeat(16).as_bytes())),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    #[test]
    fn namespaced_payload_layout() {
        assert_eq!(namespaced_payload(b"_NS", b"msg").unwrap(), b"\x03_NSmsg");
        assert_eq!(namespaced_payload(b"", b"").unwrap(), b"\x00");
        assert_eq!(namespaced_payload(&[0; 255], b"").unwrap().len(), 256);
        assert_eq!(namespaced_payload(&[0; 256], b"x"), Err(Error::NamespaceTooLong { len: 256 }));
    }
}
