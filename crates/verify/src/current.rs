//! Proofs of a key's current value, or of its absence, in Commonware's QMDB
//! (`qmdb::current::ordered::variable`, commonware-storage 2026.10.0), checked against a
//! 32-byte state root with SHA-256 alone — no Commonware crate, no runtime, no storage.
//!
//! The state database is configured as the issue-15 spike built it: MMR family, SHA-256,
//! bitmap chunks of [`CHUNK_BYTES`] = 32 bytes (256 operations per chunk, grafting height
//! [`GRAFTING_HEIGHT`] = 8), keys and values as byte strings with the variable encoding. This
//! module decodes the bytes the engine's `commonware_codec::Encode` produces for its
//! `KeyValueProof<mmr::Family, Vec<u8>, sha256::Digest, 32>` and
//! `ExclusionProof<mmr::Family, Vec<u8>, VariableEncoding<Vec<u8>>, sha256::Digest, 32>`, and
//! re-runs the engine's check. It is cross-checked against the engine on real proofs and on
//! every single-bit flip (`tests/current.rs`).
//!
//! # Notation
//!
//! `H(a ‖ b ‖ …)` is SHA-256 of the concatenation. `be8(n)` is `n` as 8 big-endian bytes.
//! `varint(n)` is unsigned LEB128 (7 data bits per byte, least significant group first, high
//! bit = "more bytes follow"), and **canonical**: a byte after the first may not be `0x00`,
//! and the last possible byte may not carry bits beyond the integer's width (`u32`: at most 5
//! bytes, the 5th < `0x10`; `u64`: at most 10 bytes, the 10th ≤ `0x01`). `bytes(x)` is
//! `varint_u32(len x) ‖ x`. `opt(x)` is `0x00` (absent) or `0x01 ‖ x`; any other byte is an
//! error. Every decode must consume the input exactly: trailing bytes are an error.
//!
//! # Wire format
//!
//! ```text
//! OperationProof  = varint_u64(loc)            -- the operation's index in the log, ≤ 2^62
//!                   chunk[32]                  -- the bitmap chunk holding loc's activity bit
//!                   varint_u64(leaves)         -- operations in the log (MMR leaves), ≤ 2^62
//!                   varint_u64(inactive_peaks) -- peaks folded as inactive into the root
//!                   varint_u32(n) digest[32]×n -- n ≤ MAX_PROOF_DIGESTS
//!                   opt(partial_chunk_digest[32])
//!                   ops_root[32]
//! ValueProof      = OperationProof bytes(next_key)                   -- len ≤ MAX_KEY_BYTES
//! AbsenceProof    = 0x00 OperationProof bytes(key) bytes(value) bytes(next_key)   -- a span
//!                 | 0x01 OperationProof opt(bytes(metadata))          -- an empty database
//! ```
//! (`value` and `metadata` lengths ≤ [`MAX_VALUE_BYTES`]. The MMR family has no "pending
//! chunk", so its slot between the digests and the partial-chunk option is empty.)
//!
//! # Algorithm
//!
//! 1. **The operation.** A value proof of `key` = `value` proves the operation
//!    `0xD2 ‖ bytes(key) ‖ bytes(value) ‖ bytes(next_key)` (an ordered update: the key, its value
//!    and the next active key, wrapping at the end). An absence proof of `key` of the span kind
//!    carries `(k, v, n)`; it requires `k ≠ key` and `key` in the cyclic span `[k, n)` — if
//!    `k < n`, `k ≤ key < n`, otherwise (`k ≥ n`) `key ≥ k or key < n`, bytes compared
//!    lexicographically — and proves `0xD2 ‖ bytes(k) ‖ bytes(v) ‖ bytes(n)`. The empty-database
//!    kind proves the commit `0xD3 ‖ opt(bytes(metadata)) ‖ varint_u64(loc)` (its inactivity
//!    floor equals its own location).
//! 2. **Activity bit.** `b = loc mod 256`; bit `b mod 8` (least significant first) of
//!    `chunk[b / 8]` must be 1.
//! 3. **Shape.** `loc + 1 ≤ leaves`. `complete = leaves / 256`, `next_bit = leaves mod 256`. If
//!    `next_bit ≠ 0` the partial-chunk digest must be present, and when `loc / 256 = complete`
//!    (the operation lies in the trailing partial chunk) it must equal `H(chunk)`; if
//!    `next_bit = 0` it must be absent.
//! 4. **Peaks.** The MMR over `leaves` leaves has one perfect tree per set bit of `leaves`,
//!    highest first; a tree of height `h` covers `2^h` leaves from `leaf_start` (the sum of the
//!    earlier trees' widths), its root is at position `P(leaf_start) + 2^(h+1) − 2` where
//!    `P(i) = 2i − popcount(i)`, and the children of a node at `pos`, height `h` are at
//!    `pos − 2^h` and `pos − 1`. The peaks split into `before` (ending at or before `loc`),
//!    the one `range` peak holding `loc`, and `after`. With `I = inactive_peaks` (must be ≤ the
//!    number of peaks): `fold = before[..min(I, |before|)]`, `active_before` = the rest of
//!    `before`; `listed_after = after[..min(I − (|before| + 1) saturating at 0, |after|)]`,
//!    `suffix` = the rest of `after`.
//! 5. **Digest layout.** The proof's digests are, in order: one fold accumulator if `fold` is
//!    non-empty; one digest per `active_before` peak; one per `listed_after` peak; one suffix
//!    accumulator if `suffix` is non-empty; then the path siblings. The count must match
//!    exactly.
//! 6. **The range peak.** Rebuild it recursively from its root: a node whose leaves do not
//!    include `loc` takes the next sibling digest (so siblings are consumed in left-first
//!    depth-first order); the leaf `loc` at position `p` is `H(be8(p) ‖ operation)`; an inner
//!    node at position `p` is `H(be8(p) ‖ left ‖ right)`, except at height 8 (the grafting
//!    height) where, with `c = leaf_start / 256`, if `c < complete` and `c = loc / 256` and
//!    `chunk` is not all zeros, it is `H(chunk ‖ H(be8(p) ‖ left ‖ right))` (the chunk grafted
//!    on the ops subtree).
//! 7. **Grafted root.** `peaks = [fold acc?] ++ active_before ++ [range peak] ++ listed_after ++
//!    [suffix acc?]`; `F = I` if `fold` is empty, else `(I − |fold|, saturating) + 1`.
//!    `acc = peaks[0]`; then `F − 1` times (saturating) `acc = H(acc ‖ next peak)` (too few
//!    peaks: reject). The remaining peaks `r_1 … r_m` are bagged backwards,
//!    `bag = H(r_1 ‖ H(r_2 ‖ … H(r_{m−1} ‖ r_m)))`, and if `m > 0`, `acc = H(acc ‖ bag)`. The
//!    grafted root is `H(0x00 ‖ 0x01 ‖ be8(leaves) ‖ acc)` if `I = 0`, else
//!    `H(0x00 ‖ 0x01 ‖ be8(leaves) ‖ be8(I) ‖ acc)` (`0x00` = MMR, `0x01` = backward bagging).
//! 8. **Canonical root.** `H(ops_root ‖ grafted_root)` if `next_bit = 0`, else
//!    `H(ops_root ‖ grafted_root ‖ be8(next_bit) ‖ partial_chunk_digest)`. The proof verifies
//!    iff this equals the trusted root. (`ops_root` is taken from the proof as is: it is bound
//!    only through this hash.)
//!
//! # What to know before relying on it
//!
//! * The decode bounds ([`MAX_PROOF_DIGESTS`], [`MAX_KEY_BYTES`], [`MAX_VALUE_BYTES`]) are part
//!   of the verdict, as they are for the engine's `decode_cfg`: the state must never hold a key
//!   or value longer than them, or valid proofs of it would be refused.
//! * A span absence proof carries the neighbouring key's **whole value** (its leaf pre-image
//!   needs it): proving that one key is absent discloses the record just before it.
//! * Proofs exist only against the database's current root (see ADR 0009's notes): a client
//!   checks one against root `h`, which a later certified header must commit to.

use crate::VerifyError;
use sha2::{Digest as _, Sha256};

/// Bytes in one activity-bitmap chunk (the database's `N`).
pub const CHUNK_BYTES: usize = 32;
/// Height in the operations tree at which bitmap chunks are grafted: log2(256 bits).
pub const GRAFTING_HEIGHT: u32 = 8;
/// Most digests a proof may carry (the spike's decode bound; a proof of one key needs at most
/// 122 in the largest possible tree).
pub const MAX_PROOF_DIGESTS: usize = 256;
/// Longest key a proof may carry: the longest key the state holds (an 8-byte order and a
/// path of at most 256 bytes, [`fapiao_types::state_order::MAX_QMDB_KEY`]).
pub const MAX_KEY_BYTES: usize = fapiao_types::state_order::MAX_QMDB_KEY;
/// Longest value (or commit metadata) a proof may carry
/// ([`fapiao_types::state_order::MAX_STATE_VALUE`]).
pub const MAX_VALUE_BYTES: usize = fapiao_types::state_order::MAX_STATE_VALUE;

const CHUNK_BITS: u64 = (CHUNK_BYTES * 8) as u64;
/// Largest leaf count of an MMR (`Family::MAX_LEAVES`).
const MAX_LEAVES: u64 = 1 << 62;
const UPDATE_CONTEXT: u8 = 0xD2;
const COMMIT_CONTEXT: u8 = 0xD3;
const SPAN_PROOF: u8 = 0;
const EMPTY_PROOF: u8 = 1;
/// Domain bytes of the ops and grafted roots: MMR family, backward bagging.
const ROOT_DOMAIN: [u8; 2] = [0, 1];

type Digest = [u8; 32];

/// Checks that `proof` (the engine's encoded `KeyValueProof`) shows that `key` currently holds
/// `value` in the QMDB state whose canonical root is `root`.
///
/// # Errors
/// [`VerifyError::QmdbMalformed`] when the bytes do not decode, [`VerifyError::QmdbProof`]
/// when they decode but do not prove `key` = `value` under `root`.
pub fn verify_current_value(
    root: &[u8; 32],
    key: &[u8],
    value: &[u8],
    proof: &[u8],
) -> Result<(), VerifyError> {
    let mut r = Reader::new(proof);
    let op_proof = OperationProof::read(&mut r)?;
    let next_key = r.bytes(MAX_KEY_BYTES)?;
    r.finish()?;
    op_proof.verify(&update_op(key, value, next_key), root)
}

/// Checks that `proof` (the engine's encoded ordered `ExclusionProof`) shows that `key` has no
/// value in the QMDB state whose canonical root is `root`.
///
/// # Errors
/// [`VerifyError::QmdbMalformed`] when the bytes do not decode, [`VerifyError::QmdbProof`]
/// when they decode but do not prove `key` absent under `root`.
pub fn verify_current_absence(
    root: &[u8; 32],
    key: &[u8],
    proof: &[u8],
) -> Result<(), VerifyError> {
    let mut r = Reader::new(proof);
    match r.u8()? {
        SPAN_PROOF => {
            let op_proof = OperationProof::read(&mut r)?;
            let span_key = r.bytes(MAX_KEY_BYTES)?;
            let span_value = r.bytes(MAX_VALUE_BYTES)?;
            let next_key = r.bytes(MAX_KEY_BYTES)?;
            r.finish()?;
            let in_span = if span_key < next_key {
                span_key <= key && key < next_key
            } else {
                key >= span_key || key < next_key
            };
            if span_key == key || !in_span {
                return Err(VerifyError::QmdbProof("key outside the proven span"));
            }
            op_proof.verify(&update_op(span_key, span_value, next_key), root)
        }
        EMPTY_PROOF => {
            let op_proof = OperationProof::read(&mut r)?;
            let metadata = if r.flag()? { Some(r.bytes(MAX_VALUE_BYTES)?) } else { None };
            r.finish()?;
            let mut op = vec![COMMIT_CONTEXT];
            match metadata {
                Some(m) => {
                    op.push(1);
                    put_bytes(&mut op, m);
                }
                None => op.push(0),
            }
            put_varint(&mut op, op_proof.loc);
            op_proof.verify(&op, root)
        }
        _ => Err(VerifyError::QmdbMalformed { at: 0, reason: "unknown proof kind" }),
    }
}

/// Checks that `proof` shows that state path `path` currently holds `record` under `root`:
/// [`verify_current_value`] of the path's QMDB key and stored value
/// ([`fapiao_types::state_order::qmdb_key`], [`fapiao_types::state_order::stored_value`]: a
/// private kind's record is checked through its commitment).
///
/// # Errors
/// As [`verify_current_value`].
pub fn verify_state_record(
    root: &[u8; 32],
    path: &[u8],
    record: &[u8],
    proof: &[u8],
) -> Result<(), VerifyError> {
    use fapiao_types::state_order::{qmdb_key, stored_value};
    verify_current_value(root, &qmdb_key(path), &stored_value(path, record), proof)
}

/// Checks that `proof` shows that state path `path` has no record under `root`:
/// [`verify_current_absence`] of the path's QMDB key.
///
/// # Errors
/// As [`verify_current_absence`].
pub fn verify_state_absence(root: &[u8; 32], path: &[u8], proof: &[u8]) -> Result<(), VerifyError> {
    verify_current_absence(root, &fapiao_types::state_order::qmdb_key(path), proof)
}

/// The encoded ordered update `key` = `value` whose next active key is `next_key`.
fn update_op(key: &[u8], value: &[u8], next_key: &[u8]) -> Vec<u8> {
    let mut op = Vec::with_capacity(16 + key.len() + value.len() + next_key.len());
    op.push(UPDATE_CONTEXT);
    put_bytes(&mut op, key);
    put_bytes(&mut op, value);
    put_bytes(&mut op, next_key);
    op
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn hash(parts: &[&[u8]]) -> Digest {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// A decoding cursor over untrusted bytes; every read is bounds-checked.
struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Self { buf, at: 0 }
    }

    fn malformed(&self, reason: &'static str) -> VerifyError {
        VerifyError::QmdbMalformed { at: self.at, reason }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], VerifyError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.buf.len());
        let Some(end) = end else {
            return Err(self.malformed("truncated"));
        };
        let out = &self.buf[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, VerifyError> {
        Ok(self.take(1)?[0])
    }

    fn digest(&mut self) -> Result<Digest, VerifyError> {
        let mut d = [0; 32];
        d.copy_from_slice(self.take(32)?);
        Ok(d)
    }

    fn flag(&mut self) -> Result<bool, VerifyError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.malformed("option tag is neither 0 nor 1")),
        }
    }

    /// A canonical varint of at most `bits` bits (32 or 64).
    fn varint(&mut self, bits: u32) -> Result<u64, VerifyError> {
        let mut value = 0u64;
        let mut shift = 0u32;
        loop {
            let byte = self.u8()?;
            if shift > 0 && byte == 0 {
                return Err(self.malformed("non-canonical varint"));
            }
            let remaining = bits - shift;
            if remaining <= 7 && 8 - byte.leading_zeros() > remaining {
                return Err(self.malformed("varint overflow"));
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    /// A length-prefixed byte string of at most `max` bytes.
    fn bytes(&mut self, max: usize) -> Result<&'a [u8], VerifyError> {
        let len = self.varint(32)?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= max)
            .ok_or_else(|| self.malformed("length out of range"))?;
        self.take(len)
    }

    fn finish(&self) -> Result<(), VerifyError> {
        if self.at == self.buf.len() {
            Ok(())
        } else {
            Err(self.malformed("trailing bytes"))
        }
    }
}

/// A decoded `current::proof::operation::Proof` (MMR, SHA-256, 32-byte chunk).
struct OperationProof {
    loc: u64,
    chunk: [u8; CHUNK_BYTES],
    leaves: u64,
    inactive_peaks: u64,
    digests: Vec<Digest>,
    partial_chunk_digest: Option<Digest>,
    ops_root: Digest,
}

impl OperationProof {
    fn read(r: &mut Reader<'_>) -> Result<Self, VerifyError> {
        let loc = r.varint(64)?;
        if loc > MAX_LEAVES {
            return Err(r.malformed("location beyond the largest tree"));
        }
        let mut chunk = [0; CHUNK_BYTES];
        chunk.copy_from_slice(r.take(CHUNK_BYTES)?);
        let leaves = r.varint(64)?;
        if leaves > MAX_LEAVES {
            return Err(r.malformed("leaf count beyond the largest tree"));
        }
        let inactive_peaks = r.varint(64)?;
        let count = r.varint(32)?;
        let count = usize::try_from(count)
            .ok()
            .filter(|&c| c <= MAX_PROOF_DIGESTS)
            .ok_or_else(|| r.malformed("too many digests"))?;
        let mut digests = Vec::with_capacity(count);
        for _ in 0..count {
            digests.push(r.digest()?);
        }
        let partial_chunk_digest = if r.flag()? { Some(r.digest()?) } else { None };
        let ops_root = r.digest()?;
        Ok(Self { loc, chunk, leaves, inactive_peaks, digests, partial_chunk_digest, ops_root })
    }

    /// Steps 2–8 of the module doc for the encoded operation `op`.
    fn verify(&self, op: &[u8], root: &Digest) -> Result<(), VerifyError> {
        let fail = |why| Err(VerifyError::QmdbProof(why));
        let bit = self.loc % CHUNK_BITS;
        if self.chunk[(bit / 8) as usize] & (1 << (bit % 8)) == 0 {
            return fail("operation is not active");
        }
        let loc = self.loc;
        if loc >= MAX_LEAVES || loc + 1 > self.leaves {
            return fail("location outside the tree");
        }
        let chunk_idx = loc / CHUNK_BITS;
        let complete = self.leaves / CHUNK_BITS;
        let next_bit = self.leaves % CHUNK_BITS;
        match (next_bit != 0, &self.partial_chunk_digest) {
            (true, None) => return fail("partial chunk digest missing"),
            (false, Some(_)) => return fail("unexpected partial chunk digest"),
            (true, Some(d)) if chunk_idx == complete && *d != hash(&[&self.chunk]) => {
                return fail("partial chunk digest does not match the chunk")
            }
            _ => {}
        }
        let grafted_root = self
            .grafted_root(op, complete)
            .ok_or(VerifyError::QmdbProof("digests do not fit the tree's shape"))?;
        let canonical = match &self.partial_chunk_digest {
            Some(partial) => {
                hash(&[&self.ops_root, &grafted_root, &next_bit.to_be_bytes(), partial])
            }
            None => hash(&[&self.ops_root, &grafted_root]),
        };
        if canonical == *root {
            Ok(())
        } else {
            fail("root mismatch")
        }
    }

    /// Steps 4–7: the grafted root, or `None` when the digests do not fit the tree.
    fn grafted_root(&self, op: &[u8], complete: u64) -> Option<Digest> {
        let loc = self.loc;
        // Peaks of the MMR over `leaves` leaves: (position, height, first leaf).
        let mut before = Vec::new();
        let mut range = None;
        let mut after = Vec::new();
        let mut leaf_start = 0u64;
        for height in (0..64u32).rev() {
            if self.leaves & (1 << height) == 0 {
                continue;
            }
            let width = 1u64 << height;
            let peak = Node { pos: position(leaf_start) + 2 * width - 2, height, leaf_start };
            if leaf_start + width <= loc {
                before.push(peak);
            } else if leaf_start > loc {
                after.push(peak);
            } else {
                range = Some(peak);
            }
            leaf_start += width;
        }
        let range = range?;
        let total = before.len() + 1 + after.len();
        let inactive = usize::try_from(self.inactive_peaks).ok().filter(|&i| i <= total)?;
        let fold = inactive.min(before.len());
        let listed_after = inactive.saturating_sub(before.len() + 1).min(after.len());
        let suffix = after.len() - listed_after;

        let mut digests = self.digests.iter();
        let mut peaks: Vec<Digest> = Vec::with_capacity(total);
        if fold > 0 {
            peaks.push(*digests.next()?);
        }
        for _ in fold..before.len() {
            peaks.push(*digests.next()?);
        }
        let mut tail = Vec::with_capacity(listed_after + 1);
        for _ in 0..listed_after {
            tail.push(*digests.next()?);
        }
        if suffix > 0 {
            tail.push(*digests.next()?);
        }
        let siblings = digests.as_slice();
        let mut cursor = 0;
        let ctx = Graft { loc, chunk: &self.chunk, chunk_idx: loc / CHUNK_BITS, complete };
        let range_digest = ctx.rebuild(range, op, siblings, &mut cursor)?;
        if cursor != siblings.len() {
            return None;
        }
        peaks.push(range_digest);
        peaks.extend(tail);

        let to_fold = if fold == 0 { inactive } else { inactive.saturating_sub(fold) + 1 };
        let mut rest = peaks.iter();
        let mut acc = *rest.next()?;
        for _ in 0..to_fold.saturating_sub(1) {
            acc = hash(&[&acc, rest.next()?]);
        }
        if let Some(bag) = rest.rev().copied().reduce(|bag, peak| hash(&[&peak, &bag])) {
            acc = hash(&[&acc, &bag]);
        }
        let leaves = self.leaves.to_be_bytes();
        Some(if inactive == 0 {
            hash(&[&ROOT_DOMAIN, &leaves, &acc])
        } else {
            hash(&[&ROOT_DOMAIN, &leaves, &(inactive as u64).to_be_bytes(), &acc])
        })
    }
}

/// A perfect subtree of the operations MMR.
#[derive(Clone, Copy)]
struct Node {
    pos: u64,
    height: u32,
    leaf_start: u64,
}

/// MMR position of the leaf at `loc`: `2·loc − popcount(loc)`.
fn position(loc: u64) -> u64 {
    2 * loc - u64::from(loc.count_ones())
}

/// What the path rebuild needs to graft the proven operation's chunk.
struct Graft<'a> {
    loc: u64,
    chunk: &'a [u8; CHUNK_BYTES],
    chunk_idx: u64,
    complete: u64,
}

impl Graft<'_> {
    /// Step 6: the digest of `node`, consuming sibling digests in left-first DFS order.
    fn rebuild(
        &self,
        node: Node,
        op: &[u8],
        siblings: &[Digest],
        cursor: &mut usize,
    ) -> Option<Digest> {
        let end = node.leaf_start + (1u64 << node.height);
        if end <= self.loc || node.leaf_start > self.loc {
            let d = siblings.get(*cursor)?;
            *cursor += 1;
            return Some(*d);
        }
        if node.height == 0 {
            return Some(hash(&[&node.pos.to_be_bytes(), op]));
        }
        let child = node.height - 1;
        let left = Node {
            pos: node.pos - (1u64 << node.height),
            height: child,
            leaf_start: node.leaf_start,
        };
        let right = Node {
            pos: node.pos - 1,
            height: child,
            leaf_start: node.leaf_start + (1u64 << child),
        };
        let l = self.rebuild(left, op, siblings, cursor)?;
        let r = self.rebuild(right, op, siblings, cursor)?;
        let digest = hash(&[&node.pos.to_be_bytes(), &l, &r]);
        if node.height != GRAFTING_HEIGHT {
            return Some(digest);
        }
        let c = node.leaf_start >> GRAFTING_HEIGHT;
        if c >= self.complete || c != self.chunk_idx || self.chunk.iter().all(|&b| b == 0) {
            Some(digest)
        } else {
            Some(hash(&[self.chunk, &digest]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_canonical_and_bounded() {
        let read = |b: &[u8], bits| Reader::new(b).varint(bits);
        assert_eq!(read(&[0x7f], 64), Ok(127));
        assert_eq!(read(&[0x80, 0x01], 64), Ok(128));
        assert!(read(&[0x80, 0x00], 64).is_err(), "overlong zero");
        assert!(read(&[0xff, 0xff, 0xff, 0xff, 0x10], 32).is_err(), "beyond u32");
        assert_eq!(read(&[0xff, 0xff, 0xff, 0xff, 0x0f], 32), Ok(u64::from(u32::MAX)));
        let mut max = vec![0xff; 9];
        max.push(0x01);
        assert_eq!(read(&max, 64), Ok(u64::MAX));
        max[9] = 0x02;
        assert!(read(&max, 64).is_err(), "beyond u64");
        assert!(read(&[0x80], 64).is_err(), "truncated");
        let mut out = Vec::new();
        put_varint(&mut out, u64::MAX);
        assert_eq!(read(&out, 64), Ok(u64::MAX));
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        let root = [0; 32];
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
            assert!(verify_current_value(&root, b"k", b"v", &bytes).is_err());
            assert!(verify_current_absence(&root, b"k", &bytes).is_err());
        }
        // A huge digest count is refused before anything is allocated.
        let mut bytes = vec![0x01];
        bytes.extend_from_slice(&[0xff; 32]);
        bytes.extend_from_slice(&[0x80, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(verify_current_value(&root, b"k", b"v", &bytes).is_err());
    }
}
