//! The binary Merkle tree over a block's transaction hashes.
//!
//! RFC 6962 shape: `leaf = SHA-256(0x00 ‖ tx_hash)`, `node = SHA-256(0x01 ‖ left ‖ right)`;
//! an odd node at the end of a level is promoted unchanged; the root of no
//! transactions is `SHA-256("")`. A proof for one transaction is the list of sibling
//! hashes from leaf to root, so proving one transaction never needs the others.

use crate::{hash::sha256, Hash32};
use sha2::{Digest, Sha256};

fn leaf(h: &Hash32) -> Hash32 {
    let mut s = Sha256::new();
    s.update([0u8]);
    s.update(h);
    s.finalize().into()
}

fn node(l: &Hash32, r: &Hash32) -> Hash32 {
    let mut s = Sha256::new();
    s.update([1u8]);
    s.update(l);
    s.update(r);
    s.finalize().into()
}

fn next_level(level: &[Hash32]) -> Vec<Hash32> {
    level
        .chunks(2)
        .map(|pair| match pair {
            [l, r] => node(l, r),
            [one] => *one,
            _ => unreachable!("chunks(2) yields one or two items"),
        })
        .collect()
}

/// The Merkle root of `tx_hashes` in block order.
pub fn merkle_root(tx_hashes: &[Hash32]) -> Hash32 {
    if tx_hashes.is_empty() {
        return sha256(&[]);
    }
    let mut level: Vec<Hash32> = tx_hashes.iter().map(leaf).collect();
    while level.len() > 1 {
        level = next_level(&level);
    }
    level[0]
}

/// An inclusion proof of one transaction hash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MerkleProof {
    /// Position of the transaction in its block.
    pub index: u32,
    /// Number of transactions in the block.
    pub count: u32,
    /// Sibling hashes from the leaf level upwards (levels where the node was promoted
    /// have no sibling and contribute nothing).
    #[serde(with = "hex_list")]
    pub siblings: Vec<Hash32>,
}

/// Builds the proof for `tx_hashes[index]`, or `None` when out of range.
pub fn merkle_proof(tx_hashes: &[Hash32], index: usize) -> Option<MerkleProof> {
    if index >= tx_hashes.len() {
        return None;
    }
    let mut level: Vec<Hash32> = tx_hashes.iter().map(leaf).collect();
    let mut i = index;
    let mut siblings = Vec::new();
    while level.len() > 1 {
        let sib = i ^ 1;
        if sib < level.len() {
            siblings.push(level[sib]);
        }
        level = next_level(&level);
        i /= 2;
    }
    Some(MerkleProof { index: index as u32, count: tx_hashes.len() as u32, siblings })
}

/// Checks that `tx_hash` sits at `proof.index` under `root`.
pub fn verify_merkle_proof(root: &Hash32, tx_hash: &Hash32, proof: &MerkleProof) -> bool {
    if proof.index >= proof.count {
        return false;
    }
    let mut acc = leaf(tx_hash);
    let (mut i, mut width) = (proof.index as usize, proof.count as usize);
    let mut sibs = proof.siblings.iter();
    while width > 1 {
        let sib = i ^ 1;
        if sib < width {
            let Some(s) = sibs.next() else { return false };
            acc = if i % 2 == 0 { node(&acc, s) } else { node(s, &acc) };
        }
        i /= 2;
        width = width.div_ceil(2);
    }
    sibs.next().is_none() && &acc == root
}

mod hex_list {
    use crate::Hash32;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[Hash32], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(hex::encode))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hash32>, D::Error> {
        let v = Vec::<String>::deserialize(d)?;
        v.iter()
            .map(|h| crate::parse_hex32("siblings", h).map_err(serde::de::Error::custom))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_of_every_size_proves() {
        for n in 0..40u8 {
            let hashes: Vec<Hash32> = (0..n).map(|i| sha256(&[i])).collect();
            let root = merkle_root(&hashes);
            for i in 0..n as usize {
                let p = merkle_proof(&hashes, i).unwrap();
                assert!(verify_merkle_proof(&root, &hashes[i], &p), "n={n} i={i}");
                let mut bad = p.clone();
                bad.index = (bad.index + 1) % n as u32;
                if n > 1 {
                    assert!(!verify_merkle_proof(&root, &hashes[i], &bad));
                }
                for s in 0..p.siblings.len() {
                    let mut t = p.clone();
                    t.siblings[s][0] ^= 1;
                    assert!(!verify_merkle_proof(&root, &hashes[i], &t));
                }
                let mut extra = p.clone();
                extra.siblings.push([0; 32]);
                assert!(!verify_merkle_proof(&root, &hashes[i], &extra));
            }
            assert!(merkle_proof(&hashes, n as usize).is_none());
        }
    }

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            hex::encode(merkle_root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn leaf_and_node_are_domain_separated() {
        let a = sha256(b"a");
        let b = sha256(b"b");
        // A two-leaf root is not the hash of the raw concatenation.
        let mut cat = a.to_vec();
        cat.extend_from_slice(&b);
        assert_ne!(merkle_root(&[a, b]), sha256(&cat));
    }
}
