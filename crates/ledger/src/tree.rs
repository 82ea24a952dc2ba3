//! The Jellyfish Merkle tree over a [`Store`], and state proofs.
//!
//! Keys are hashed with SHA-256 (`KeyHash::with::<Sha256>(key_bytes)`); tree versions
//! count the blocks that changed the state (consecutive: jmt builds version v on the
//! root of v − 1), and the `roots` table maps each height to its version. A proof is the
//! borsh encoding of jmt's `SparseMerkleProof<Sha256>` and proves presence or absence
//! of a key against a root.

use crate::{
    store::{Store, Table},
    Error, Result,
};
use borsh::BorshDeserialize;
use jmt::{
    storage::{LeafNode, Node, NodeKey, TreeReader},
    KeyHash, OwnedValue, Sha256Jmt, Version,
};
use sha2::Sha256;

/// Hash of a state key in the tree.
pub fn key_hash(key: &[u8]) -> [u8; 32] {
    KeyHash::with::<Sha256>(key).0
}

/// Adapts a [`Store`] to jmt's reader trait.
pub(crate) struct Reader<'a, S: ?Sized>(pub &'a S);

impl<S: Store + ?Sized> TreeReader for Reader<'_, S> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let k = borsh::to_vec(node_key)?;
        match self.0.get(Table::Nodes, &k)? {
            Some(bytes) => Ok(Some(Node::try_from_slice(&bytes)?)),
            None => Ok(None),
        }
    }

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        Ok(self.0.get_value(max_version, &key_hash.0)?)
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        anyhow::bail!("tree restoration is not supported")
    }
}

/// Computes the new root and the writes for `changes` at `version`.
pub(crate) fn apply_changes<S: Store + ?Sized>(
    store: &S,
    version: Version,
    changes: impl IntoIterator<Item = ([u8; 32], Option<Vec<u8>>)>,
) -> Result<([u8; 32], crate::store::WriteBatch)> {
    let reader = Reader(store);
    let tree = Sha256Jmt::new(&reader);
    let (root, update) = tree
        .put_value_set(changes.into_iter().map(|(k, v)| (KeyHash(k), v)), version)
        .map_err(|e| Error::Tree(e.to_string()))?;
    let mut batch = crate::store::WriteBatch::default();
    for (k, node) in update.node_batch.nodes() {
        let key = borsh::to_vec(k).map_err(|e| Error::Tree(e.to_string()))?;
        let val = borsh::to_vec(node).map_err(|e| Error::Tree(e.to_string()))?;
        batch.put(Table::Nodes, key, val);
    }
    for ((v, kh), value) in update.node_batch.values() {
        batch.values.push((kh.0, *v, value.clone()));
    }
    Ok((root.0, batch))
}

/// Reads `key` with a proof at `version`.
pub(crate) fn prove<S: Store + ?Sized>(
    store: &S,
    version: Version,
    key: &[u8],
) -> Result<(Option<Vec<u8>>, Vec<u8>)> {
    let reader = Reader(store);
    let tree = Sha256Jmt::new(&reader);
    let (value, proof) = tree
        .get_with_proof(KeyHash::with::<Sha256>(key), version)
        .map_err(|e| Error::Tree(e.to_string()))?;
    let bytes = borsh::to_vec(&proof).map_err(|e| Error::Tree(e.to_string()))?;
    Ok((value, bytes))
}

/// Checks a state proof: `key` has `value` (or is absent when `None`) under `root`
/// (the offline verifier's check, [`fapiao_verify::verify_state_proof`]).
///
/// # Errors
/// A message saying why the proof does not verify (undecodable, wrong root, wrong
/// value).
pub fn verify_state_proof(
    root: &[u8; 32],
    key: &[u8],
    value: Option<&[u8]>,
    proof: &[u8],
) -> core::result::Result<(), String> {
    fapiao_verify::verify_state_proof(root, key, value, proof)
}
