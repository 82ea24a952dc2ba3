//! Finalization certificates, checked without the consensus engine.
//!
//! A certificate is a Commonware simplex `Finalization<ed25519::Scheme, sha256::Digest>`
//! (commonware `=2026.10.0`) in Commonware's encoding. This module decodes it with its own
//! small reader and verifies every signature with [`ed25519_consensus`], so it needs neither
//! the consensus engine nor its runtime; `crates/verify/tests/certificate.rs` cross-checks
//! it against `fapiao_consensus::verify_finalization` byte for byte.
//!
//! # Encoding
//!
//! `varint` is an unsigned LEB128 varint that must be canonical (no trailing `0x00` byte,
//! no bits beyond the integer's width); `u64be` is 8 bytes big-endian.
//!
//! ```text
//! proposal    = epoch:varint(u64) view:varint(u64) parent_view:varint(u64) digest:[32]
//! signers     = bits:u64be bitmap:[ceil(bits / 8)]   bit i = byte i/8, mask 1 << (i % 8);
//!                                                    padding bits of the last byte are 0
//! signatures  = count:varint(u32) (R:[32] s:[32]) * count
//! certificate = proposal signers signatures          (nothing may follow)
//! ```
//!
//! Bit `i` of the bitmap stands for the `i`-th validator key in **ascending byte order** of
//! the keys (Commonware's participant set), not genesis order; the signatures follow in
//! ascending `i`. Decoding requires `bits <= n`, at least one signer, `count <= n` and
//! `count` equal to the number of set bits; verification then requires the proposal digest
//! to be the header digest, `bits == n` and `count >= n - (n - 1) / 3`.
//!
//! Every signer signs, with ed25519 under the ZIP-215 rules (cofactored equation; `s` must
//! be canonical; non-canonical and small-order points are accepted), the bytes
//!
//! ```text
//! varint(u32)(len(ns)) ‖ ns ‖ proposal      where ns = namespace ‖ "_FINALIZE"
//! ```
//!
//! with `proposal` the canonical proposal encoding above (the certificate's first bytes).

use crate::VerifyError;
use ed25519_consensus::{Signature, VerificationKey};

/// Suffix Commonware appends to the consensus namespace for finalize votes.
const FINALIZE_SUFFIX: &[u8] = b"_FINALIZE";

/// Bytes of an ed25519 signature.
const SIGNATURE_LEN: usize = 64;

/// What a verified finalization certificate says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certified {
    /// Consensus epoch.
    pub epoch: u64,
    /// View in which the header was finalized.
    pub view: u64,
    /// View of its parent.
    pub parent_view: u64,
    /// The finalized header digest.
    pub digest: [u8; 32],
    /// Genesis indices of the signers, ascending.
    pub signers: Vec<u32>,
    /// Signatures required.
    pub quorum: u32,
    /// Validators in genesis.
    pub validators: u32,
}

/// Verifies `cert` finalizes `header_digest` with a quorum of `validators` (genesis
/// order) in `namespace`.
///
/// Checks run in the order of `fapiao_consensus::verify_finalization` (validator keys,
/// decoding, digest, bitmap size, quorum, then each signature by ascending key order), so
/// both report the same first failure.
///
/// # Errors
/// The first failed check.
pub fn verify_finalization(
    validators: &[[u8; 32]],
    namespace: &[u8],
    header_digest: [u8; 32],
    cert: &[u8],
) -> Result<Certified, VerifyError> {
    let keys = parse_validators(validators)?;
    let n = keys.len();
    let validators_u32 =
        u32::try_from(n).map_err(|_| VerifyError::Genesis("too many validators".into()))?;

    let decoded = decode(cert, n)?;
    if decoded.digest != header_digest {
        return Err(VerifyError::CertificateDigest {
            expected: hex::encode(header_digest),
            found: hex::encode(decoded.digest),
        });
    }
    if decoded.bits != n {
        return Err(VerifyError::CertificateValidatorCount { expected: n, found: decoded.bits });
    }
    let quorum = quorum(validators_u32);
    let count = decoded.positions.len();
    if count < quorum as usize {
        return Err(VerifyError::CertificateQuorum { signers: count, quorum: quorum as usize });
    }

    // Commonware indexes the participant set sorted by key bytes.
    let mut sorted: Vec<usize> = (0..n).collect();
    sorted.sort_by_key(|&index| validators.get(index));

    let signed = signed_bytes(namespace, &cert[..decoded.proposal_len])?;
    let mut signers = Vec::with_capacity(count);
    for (&position, signature) in decoded.positions.iter().zip(decoded.signatures) {
        let (index, key) = sorted
            .get(position)
            .and_then(|&index| Some((index, keys.get(index)?)))
            .ok_or(VerifyError::CertificateValidatorCount { expected: n, found: position + 1 })?;
        let validator =
            u32::try_from(index).map_err(|_| VerifyError::Genesis("too many validators".into()))?;
        if key.verify(&Signature::from(signature), &signed).is_err() {
            return Err(VerifyError::CertificateSignature { validator });
        }
        signers.push(validator);
    }
    signers.sort_unstable();

    Ok(Certified {
        epoch: decoded.epoch,
        view: decoded.view,
        parent_view: decoded.parent_view,
        digest: decoded.digest,
        signers,
        quorum,
        validators: validators_u32,
    })
}

/// Signatures required of `n` validators: `n - f` with `f = (n - 1) / 3` (Commonware's
/// `N3f1::quorum`).
fn quorum(n: u32) -> u32 {
    n - n.saturating_sub(1) / 3
}

/// Parses the genesis-order validator keys: each must decode as an ed25519 point (as
/// Commonware decodes a public key) and appear once; the set must not be empty.
fn parse_validators(validators: &[[u8; 32]]) -> Result<Vec<VerificationKey>, VerifyError> {
    let mut keys = Vec::with_capacity(validators.len());
    for (index, bytes) in validators.iter().enumerate() {
        let key = VerificationKey::try_from(*bytes).map_err(|_| {
            VerifyError::Genesis(format!("validator {index} has an invalid ed25519 public key"))
        })?;
        if validators[..index].contains(bytes) {
            return Err(VerifyError::Genesis(format!(
                "validator {index} duplicates an earlier validator key"
            )));
        }
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(VerifyError::Genesis("validator set is empty".into()));
    }
    Ok(keys)
}

/// The bytes each signer signed: `varint(u32)(len(ns)) ‖ ns ‖ proposal`, with
/// `ns = namespace ‖ "_FINALIZE"` (Commonware's `union_unique` of the finalize namespace and
/// the encoded proposal).
pub(crate) fn signed_bytes(namespace: &[u8], proposal: &[u8]) -> Result<Vec<u8>, VerifyError> {
    let ns_len = namespace.len() + FINALIZE_SUFFIX.len();
    let ns_len_u32 = u32::try_from(ns_len)
        .map_err(|_| VerifyError::Genesis("consensus namespace is too long".into()))?;
    let mut out = Vec::with_capacity(5 + ns_len + proposal.len());
    write_varint(&mut out, u64::from(ns_len_u32));
    out.extend_from_slice(namespace);
    out.extend_from_slice(FINALIZE_SUFFIX);
    out.extend_from_slice(proposal);
    Ok(out)
}

/// Appends `value` as an unsigned LEB128 varint.
fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        // Truncation intended: the low 7 bits plus the continuation bit.
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A decoded (not yet verified) finalization.
#[derive(Debug)]
struct Decoded {
    epoch: u64,
    view: u64,
    parent_view: u64,
    digest: [u8; 32],
    /// Length of the proposal encoding at the start of the certificate.
    proposal_len: usize,
    /// Bitmap length in bits.
    bits: usize,
    /// Set bit positions, ascending.
    positions: Vec<usize>,
    /// One signature per position, in the same order.
    signatures: Vec<[u8; SIGNATURE_LEN]>,
}

/// Decodes `cert` as Commonware does with codec config `n`: anything Commonware's decoder
/// refuses is [`VerifyError::CertificateMalformed`].
fn decode(cert: &[u8], n: usize) -> Result<Decoded, VerifyError> {
    let mut r = Reader { buf: cert, pos: 0 };

    let epoch = r.varint(64, "epoch")?;
    let view = r.varint(64, "view")?;
    let parent_view = r.varint(64, "parent view")?;
    let digest = r.array::<32>("proposal digest")?;
    let proposal_len = r.pos;

    let bits = r.array::<8>("signer bitmap length").map(u64::from_be_bytes)?;
    let bits = usize::try_from(bits)
        .ok()
        .filter(|&bits| bits <= n)
        .ok_or_else(|| malformed(format!("signer bitmap has {bits} bits, more than {n}")))?;
    let bitmap = r.take(bits.div_ceil(8), "signer bitmap")?;
    if let (Some(&last), tail @ 1..=7) = (bitmap.last(), bits % 8) {
        if last >> tail != 0 {
            return Err(malformed("signer bitmap has non-zero padding bits".into()));
        }
    }
    let positions: Vec<usize> = (0..bits)
        .filter(|&i| bitmap.get(i / 8).is_some_and(|byte| byte & (1 << (i % 8)) != 0))
        .collect();
    if positions.is_empty() {
        return Err(malformed("certificate has no signers".into()));
    }

    let count = usize::try_from(r.varint(32, "signature count")?)
        .map_err(|_| malformed("signature count does not fit in usize".into()))?;
    if count > n {
        return Err(malformed(format!("{count} signatures, more than {n}")));
    }
    if count != positions.len() {
        return Err(malformed(format!("{} signers but {count} signatures", positions.len())));
    }
    let mut signatures = Vec::with_capacity(count);
    for _ in 0..count {
        signatures.push(r.array::<SIGNATURE_LEN>("signature")?);
    }

    let trailing = cert.len() - r.pos;
    if trailing > 0 {
        return Err(malformed(format!("{trailing} trailing bytes")));
    }

    Ok(Decoded { epoch, view, parent_view, digest, proposal_len, bits, positions, signatures })
}

fn malformed(reason: String) -> VerifyError {
    VerifyError::CertificateMalformed(reason)
}

/// A cursor over the certificate bytes.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// The next `len` bytes.
    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8], VerifyError> {
        let bytes = self
            .pos
            .checked_add(len)
            .and_then(|end| self.buf.get(self.pos..end))
            .ok_or_else(|| malformed(format!("{what}: unexpected end of data")))?;
        self.pos += len;
        Ok(bytes)
    }

    /// The next byte.
    fn byte(&mut self, what: &str) -> Result<u8, VerifyError> {
        let byte = self
            .buf
            .get(self.pos)
            .copied()
            .ok_or_else(|| malformed(format!("{what}: unexpected end of data")))?;
        self.pos += 1;
        Ok(byte)
    }

    /// The next `N` bytes as an array.
    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], VerifyError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    /// A canonical LEB128 varint of an integer `width` bits wide (at most 64): a byte after
    /// the first may not be `0x00`, and no bit may lie beyond `width`.
    fn varint(&mut self, width: u32, what: &str) -> Result<u64, VerifyError> {
        let mut value = 0u64;
        let mut shift = 0u32;
        loop {
            let byte = self.byte(what)?;
            if shift > 0 && byte == 0 {
                return Err(malformed(format!("{what}: non-canonical varint")));
            }
            let room = width.saturating_sub(shift);
            if room <= 7 && 8 - byte.leading_zeros() > room {
                return Err(malformed(format!("{what}: varint overflows {width} bits")));
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(bytes: &[u8], width: u32) -> Result<u64, VerifyError> {
        let mut r = Reader { buf: bytes, pos: 0 };
        let value = r.varint(width, "test")?;
        if r.pos != bytes.len() {
            return Err(malformed("left over".into()));
        }
        Ok(value)
    }

    #[test]
    fn varint_matches_commonware() {
        use commonware_codec::{varint::UInt, Copying, DecodeExt as _, Encode as _};
        let values =
            [0u64, 1, 127, 128, 300, 16_383, 16_384, u32::MAX.into(), u64::MAX - 1, u64::MAX];
        for value in values {
            let encoded = UInt(value).encode();
            assert_eq!(varint(&encoded, 64).unwrap(), value);
            let mut ours = Vec::new();
            write_varint(&mut ours, value);
            assert_eq!(ours, encoded.to_vec());
        }
        // Every 1- and 2-byte string and a selection of longer ones: accept exactly what
        // commonware accepts, with the same value.
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            inputs.push(vec![a]);
            for b in 0..=255u8 {
                inputs.push(vec![a, b]);
            }
        }
        for last in 0..=255u8 {
            inputs.push(vec![0xff, 0xff, 0xff, 0xff, last]);
            inputs.push(vec![0x80, 0x80, 0x80, 0x80, last]);
            let mut long = vec![0xff; 9];
            long.push(last);
            inputs.push(long.clone());
            long[0] = 0x80;
            inputs.push(long);
        }
        for input in &inputs {
            let theirs64 = UInt::<u64>::decode(Copying(input)).ok().map(u64::from);
            let theirs32 = UInt::<u32>::decode(Copying(input)).ok().map(u32::from);
            assert_eq!(varint(input, 64).ok(), theirs64, "u64 {input:02x?}");
            assert_eq!(varint(input, 32).ok(), theirs32.map(u64::from), "u32 {input:02x?}");
        }
    }

    #[test]
    fn signed_bytes_match_commonware_union_unique() {
        for namespace in [&b""[..], b"_FAPIAO_CONSENSUS", &[7u8; 200][..]] {
            let proposal = [1u8, 2, 3, 4];
            let derived = commonware_consensus::simplex::scheme::Namespace::new(namespace);
            let expected = commonware_utils::union_unique(&derived.finalize, &proposal);
            assert_eq!(signed_bytes(namespace, &proposal).unwrap(), expected);
        }
    }

    #[test]
    fn quorum_is_n_minus_f() {
        use commonware_utils::{Faults as _, N3f1};
        for n in 1..=100u32 {
            assert_eq!(quorum(n), N3f1::quorum(n), "n = {n}");
        }
    }
}
