//! The synthetic invoice workload both engines run: deterministic, block by block.
//!
//! Sizes follow the real canonical encodings (golden fixtures of fapiao-types and
//! fapiao-invoice-types): a public invoice record of about 150 bytes, a private body of
//! about 320 (two lines), a circulation record of about 40. Keys are the real state paths
//! (`invoice/<20-digit number>`, …), so engines that hash keys and engines that keep them
//! ordered see the same inputs.

use sha2::{Digest, Sha256};

/// Invoices per block (the bench's closed loop fills blocks of about this size).
pub const INVOICES_PER_BLOCK: u64 = 1_000;
/// Size of the public record.
pub const PUBLIC_BYTES: usize = 150;
/// Size of the private body.
pub const BODY_BYTES: usize = 320;
/// Size of the circulation record.
pub const CIRC_BYTES: usize = 40;
/// Hot keys rewritten by every block (sequence, month totals, credit, accounts).
pub const HOT_KEYS: u64 = 8;
/// Size of a hot key's value.
pub const HOT_BYTES: usize = 64;

/// What a leaf is, so an engine can keep bodies out of its tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `invoice/<n>`: public, proven.
    Public,
    /// `invoice-body/<n>`: private; option (a) keeps it out of the tree, committed to by
    /// the public record's hash.
    Body,
    /// `invoice-circ/<n>`: who holds the invoice.
    Circulation,
    /// A key rewritten every block.
    Hot,
}

/// One write.
#[derive(Clone, Debug)]
pub struct Write {
    /// State path.
    pub key: Vec<u8>,
    /// Encoded value.
    pub value: Vec<u8>,
    /// What it is.
    pub kind: Kind,
}

/// The 20-digit number of invoice `i` (region 2695, channel 1, year 26).
pub fn number(i: u64) -> String {
    format!("2695100{i:013}")
}

/// The state path of invoice `i`'s public record.
pub fn public_key(i: u64) -> Vec<u8> {
    format!("invoice/{}", number(i)).into_bytes()
}

/// Deterministic pseudo-random bytes.
pub fn bytes(seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut counter = 0u32;
    while out.len() < len {
        let mut h = Sha256::new();
        h.update(seed);
        h.update(counter.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        counter += 1;
    }
    out.truncate(len);
    out
}

/// The writes of block `b` (0-based): invoices `b * INVOICES_PER_BLOCK ..` and every hot
/// key, in a deterministic order.
pub fn block(b: u64) -> Vec<Write> {
    let first = b * INVOICES_PER_BLOCK;
    let mut writes = Vec::with_capacity((INVOICES_PER_BLOCK * 3 + HOT_KEYS) as usize);
    for i in first..first + INVOICES_PER_BLOCK {
        let n = number(i);
        for (prefix, len, kind) in [
            ("invoice", PUBLIC_BYTES, Kind::Public),
            ("invoice-body", BODY_BYTES, Kind::Body),
            ("invoice-circ", CIRC_BYTES, Kind::Circulation),
        ] {
            let key = format!("{prefix}/{n}").into_bytes();
            let value = bytes(&key, len);
            writes.push(Write { key, value, kind });
        }
    }
    for k in 0..HOT_KEYS {
        let key = format!("hot/{k}").into_bytes();
        let value = bytes(&[key.as_slice(), &b.to_be_bytes()].concat(), HOT_BYTES);
        writes.push(Write { key, value, kind: Kind::Hot });
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_deterministic_and_sized() {
        let a = block(3);
        assert_eq!(a.len(), (INVOICES_PER_BLOCK * 3 + HOT_KEYS) as usize);
        assert_eq!(a[0].key, b"invoice/26951000000000003000".to_vec());
        assert_eq!(a[1].value.len(), BODY_BYTES);
        let b = block(3);
        assert!(a.iter().zip(&b).all(|(x, y)| x.key == y.key && x.value == y.value));
        assert_ne!(block(4)[3000].value, a[3000].value, "hot keys change every block");
    }
}
