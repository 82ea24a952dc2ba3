//! How a state path becomes a key of the QMDB state database, and what the database stores
//! for it (ADR 0009, Decision 1 and the "absence proof discloses its neighbour" finding).
//!
//! This is a pure function of the path, written once here so that the ledger (which writes
//! the database) and `fapiao-verify` (which checks its proofs with the genesis alone)
//! compute the same bytes.
//!
//! # The key: `order (8 bytes) ‖ path`
//!
//! QMDB's ordered index keeps only the first 8 bytes of each key in memory (`EightCap`), and
//! a create rewrites the `next_key` link of the key just before it. Both favour keys whose
//! first 8 bytes are distinct and grow in creation order: then a block of new invoices
//! appends near the end of each kind (about one operation per write) instead of touching
//! random predecessors (about three). So the first 8 bytes, the **order**, are a kind tag
//! byte and seven bytes the kind chooses ([`KeyOrder`]):
//!
//! * [`KeyOrder::InvoiceNumber`] — kinds keyed by an invoice number (`invoice/…`,
//!   `invoice-body/…`, `invoice-circ/…`, `invoice-red/…`): the 56 bits are the number's
//!   15-digit sequence in 40 bits (saturating at 2⁴⁰ − 1, about 1.1 × 10¹² per series),
//!   then its region `RR` in 7 bits, its year `YY` modulo 32 in 5 bits and its channel `C`
//!   in 4 bits. Within one series (`YYRRC`) order is issuance order; series interleave by
//!   sequence.
//! * [`KeyOrder::Hashed`] — every other kind (rare creates: accounts, organisations,
//!   taxpayers, parameters): tag [`HASHED_TAG`], then the first seven bytes of SHA-256 of
//!   the path.
//!
//! The whole path follows the order, so the mapping is injective whatever the order bytes
//! are (two keys are equal only if their paths are); a shared order prefix only costs the
//! index a second candidate read, never a wrong answer. A path of an ordered kind whose rest
//! is not an invoice number (no application writes one) falls back to the hashed order.
//!
//! Which kind has which order is the table [`KIND_ORDERS`]. Applications declare the same
//! through the seam (`fapiao_app::Application::key_order`, default [`KindOrder::DEFAULT`]);
//! the ledger's registry test checks that every declaration matches this table, which is
//! the copy the offline verifier reads.
//!
//! # The value: the record, or a commitment to it for private kinds
//!
//! An ordered absence proof carries the whole value of the key just before the absent one
//! (it is part of the hashed leaf). For the private kinds (`invoice-body`, `invoice-circ`,
//! `invoice-red`, ADR 0004) the database therefore stores [`private_commitment`] — SHA-256
//! of a domain tag, the path and the record — never the record: an absence proof next to a
//! private record carries 32 bytes that reveal no byte of it, and a party holding the record
//! checks a proof of it by recomputing the commitment ([`stored_value`]). The records
//! themselves live beside the state (the ledger's redb, with the bodies, ADR 0009 Decision 2).
//! A commitment without a secret salt lets someone who can guess a record entirely (a
//! circulation record has little entropy) confirm the guess; the body starts with a random
//! salt, the others do not — see ADR 0009's step 2 notes.

use crate::{sha256, InvoiceNumber, MAX_APP_KEY};

/// Bytes of the order prefix of a QMDB key.
pub const ORDER_BYTES: usize = 8;
/// Longest state path: application keys are at most [`MAX_APP_KEY`] bytes and every platform
/// key is shorter.
pub const MAX_STATE_PATH: usize = MAX_APP_KEY;
/// Longest QMDB key: the order and the longest path. The verifier decodes proofs with this
/// bound, so the state never holds a longer key.
pub const MAX_QMDB_KEY: usize = ORDER_BYTES + MAX_STATE_PATH;
/// Longest value the state database stores (a record, or a private kind's 32-byte
/// commitment). The verifier decodes an absence proof's neighbouring value with this bound,
/// so the state never holds a longer one. It covers the longest record the platform writes:
/// a parameter schedule of [`crate::governance::MAX_PARAM_VERSIONS`] versions of up to
/// [`crate::governance::MAX_PARAM_VALUE`] bytes each (64 bytes per version for the rest of
/// its encoding). 4,096 was too small: one governed change of `invoice/tax-rules` makes a
/// 7 KB schedule (ADR 0009, "what the switch-over found").
pub const MAX_STATE_VALUE: usize =
    crate::governance::MAX_PARAM_VERSIONS * (crate::governance::MAX_PARAM_VALUE + 64);
/// Tag byte of every hashed-order key.
pub const HASHED_TAG: u8 = 0x00;
/// Domain tag hashed before a private record ([`private_commitment`]).
pub const PRIVATE_DOMAIN: &[u8] = b"fapiao/private-record/v1";

/// How a key kind fills the seven order bytes after its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrder {
    /// [`HASHED_TAG`], then the first seven bytes of SHA-256 of the path.
    Hashed,
    /// `tag`, then the invoice number in the path's rest as sequence (40 bits), region
    /// (7), year modulo 32 (5) and channel (4).
    InvoiceNumber {
        /// The kind's tag byte: unique among ordered kinds, never [`HASHED_TAG`].
        tag: u8,
    },
}

/// A key kind's layout in the state database: its order and whether its records are
/// private (stored as a commitment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindOrder {
    /// How its keys are ordered.
    pub order: KeyOrder,
    /// Whether the database stores [`private_commitment`] instead of its records.
    pub private: bool,
}

impl KindOrder {
    /// The default of every kind not in [`KIND_ORDERS`]: hashed order, public records.
    pub const DEFAULT: KindOrder = KindOrder { order: KeyOrder::Hashed, private: false };

    /// A kind keyed by invoice number with tag `tag`.
    pub const fn invoice_number(tag: u8, private: bool) -> KindOrder {
        KindOrder { order: KeyOrder::InvoiceNumber { tag }, private }
    }
}

/// Every kind whose layout is not [`KindOrder::DEFAULT`]: the invoice application's
/// per-invoice kinds. Tags are never reused (a changed table is a chain format change).
pub const KIND_ORDERS: &[(&str, KindOrder)] = &[
    ("invoice", KindOrder::invoice_number(0x01, false)),
    ("invoice-body", KindOrder::invoice_number(0x02, true)),
    ("invoice-circ", KindOrder::invoice_number(0x03, true)),
    ("invoice-red", KindOrder::invoice_number(0x04, true)),
];

/// The layout of key kind `kind` (the first segment of a path).
pub fn kind_order(kind: &str) -> KindOrder {
    KIND_ORDERS.iter().find(|(k, _)| *k == kind).map_or(KindOrder::DEFAULT, |(_, o)| *o)
}

/// The kind of `path` (its bytes up to the first `/`, or the whole path) and what follows
/// the `/`.
fn split(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().position(|&b| b == b'/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (path, &[]),
    }
}

fn layout(path: &[u8]) -> KindOrder {
    let (kind, _) = split(path);
    core::str::from_utf8(kind).map_or(KindOrder::DEFAULT, kind_order)
}

/// The seven order bytes of invoice number `n`.
pub fn invoice_order_bits(n: &InvoiceNumber) -> [u8; 7] {
    const SEQ_MAX: u64 = (1 << 40) - 1;
    let bits = (n.sequence().min(SEQ_MAX) << 16)
        | (u64::from(n.rr() & 0x7f) << 9)
        | (u64::from(n.yy() % 32) << 4)
        | u64::from(n.channel() & 0x0f);
    let be = bits.to_be_bytes();
    [be[1], be[2], be[3], be[4], be[5], be[6], be[7]]
}

/// The 8-byte order of state path `path`.
pub fn order(path: &[u8]) -> [u8; ORDER_BYTES] {
    let mut out = [0; ORDER_BYTES];
    if let KeyOrder::InvoiceNumber { tag } = layout(path).order {
        let (_, rest) = split(path);
        let number = core::str::from_utf8(rest).ok().and_then(|s| InvoiceNumber::parse(s).ok());
        if let Some(n) = number {
            out[0] = tag;
            out[1..].copy_from_slice(&invoice_order_bits(&n));
            return out;
        }
    }
    out[0] = HASHED_TAG;
    out[1..].copy_from_slice(&sha256(path)[..ORDER_BYTES - 1]);
    out
}

/// The QMDB key of state path `path`: `order(path) ‖ path`.
pub fn qmdb_key(path: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(ORDER_BYTES + path.len());
    key.extend_from_slice(&order(path));
    key.extend_from_slice(path);
    key
}

/// The state path a QMDB key was made from: the bytes after its order.
pub fn path_of(key: &[u8]) -> Option<&[u8]> {
    key.get(ORDER_BYTES..)
}

/// Kinds kept beside the state, never in it (ADR 0009 Decision 2): an invoice body is
/// authenticated by the public record's `commitment` (SHA-256 of the body, which starts
/// with a random salt), so it needs no state key of its own; the ledger keeps it in redb.
pub const OFF_STATE_KINDS: &[&str] = &["invoice-body"];

/// Whether records under `path` live in the authenticated state (everything but
/// [`OFF_STATE_KINDS`]): only those have state proofs.
pub fn in_state(path: &[u8]) -> bool {
    let (kind, _) = split(path);
    !OFF_STATE_KINDS.iter().any(|k| k.as_bytes() == kind)
}

/// Whether the records of `path`'s kind are private (stored as a commitment).
pub fn is_private(path: &[u8]) -> bool {
    layout(path).private
}

/// SHA-256(`PRIVATE_DOMAIN` ‖ be32(len path) ‖ path ‖ record): what the database stores for
/// a private record.
pub fn private_commitment(path: &[u8], record: &[u8]) -> [u8; 32] {
    let len = u32::try_from(path.len()).unwrap_or(u32::MAX).to_be_bytes();
    let mut pre = Vec::with_capacity(PRIVATE_DOMAIN.len() + 4 + path.len() + record.len());
    pre.extend_from_slice(PRIVATE_DOMAIN);
    pre.extend_from_slice(&len);
    pre.extend_from_slice(path);
    pre.extend_from_slice(record);
    sha256(&pre)
}

/// What the database stores for `record` at `path`: the record, or its
/// [`private_commitment`] when the kind is private.
pub fn stored_value(path: &[u8], record: &[u8]) -> Vec<u8> {
    if is_private(path) {
        private_commitment(path, record).to_vec()
    } else {
        record.to_vec()
    }
}

/// Why the state database cannot hold a record of `len` bytes (`None`: a deletion) at
/// `path` — the bounds the offline verifier decodes proofs with: a path of 1 to
/// [`MAX_STATE_PATH`] bytes, a stored value (a private kind's is its 32-byte commitment) of
/// at most [`MAX_STATE_VALUE`]. `None` when it can. The database refuses a block holding
/// such a change; execution refuses the transaction that writes it first.
pub fn out_of_bounds(path: &[u8], len: Option<usize>) -> Option<String> {
    if path.is_empty() || path.len() > MAX_STATE_PATH {
        return Some(format!("a state key has 1 to {MAX_STATE_PATH} bytes, not {}", path.len()));
    }
    let stored = len.map_or(0, |l| if is_private(path) { 32 } else { l });
    (stored > MAX_STATE_VALUE)
        .then(|| format!("a stored state value has at most {MAX_STATE_VALUE} bytes, not {stored}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_unique_and_never_the_hashed_tag() {
        let mut tags: Vec<u8> = KIND_ORDERS
            .iter()
            .filter_map(|(_, o)| match o.order {
                KeyOrder::InvoiceNumber { tag } => Some(tag),
                KeyOrder::Hashed => None,
            })
            .collect();
        assert!(!tags.contains(&HASHED_TAG));
        let n = tags.len();
        tags.sort_unstable();
        tags.dedup();
        assert_eq!(tags.len(), n);
        assert_eq!(kind_order("org"), KindOrder::DEFAULT);
    }

    #[test]
    fn a_malformed_number_falls_back_to_the_hashed_order() {
        assert_eq!(order(b"invoice/12")[0], HASHED_TAG);
        assert_eq!(order(b"invoice/2642400000010433031x")[0], HASHED_TAG);
        assert_eq!(order(b"invoice")[0], HASHED_TAG);
        assert_eq!(order(b"")[0], HASHED_TAG);
        assert_eq!(order(b"invoice/26424000000104330311")[0], 0x01);
    }
}
