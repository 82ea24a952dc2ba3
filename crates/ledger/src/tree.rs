//! The Jellyfish Merkle tree over a [`Store`], and state proofs.
//!
//! Keys are hashed with SHA-256 (`KeyHash::with::<Sha256>(key_bytes)`); tree versions
//! count the blocks that changed the state (consecutive: jmt builds version v on the
//! root of v − 1), and the `roots` table maps each height to its version. A proof is the
//! borsh encoding of jmt's `SparseMerkleProof<Sha256>` and proves presence or absence
//! of a key against a root.

use crate::{
    store::{ReadStore, Table},
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
///
/// Values are stored under their state key, not its hash (`store::value_key`), so the
/// reader can serve the value of one known key: the key being proven (jmt reads no
/// other value — a tree update reads nodes only).
pub(crate) struct Reader<'a, S: ?Sized> {
    store: &'a S,
    /// The key a proof is being built for, with its hash.
    proving: Option<(KeyHash, &'a [u8])>,
}

impl<S: ReadStore + ?Sized> TreeReader for Reader<'_, S> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let k = borsh::to_vec(node_key)?;
        match self.store.get(Table::Nodes, &k)? {
            Some(bytes) => Ok(Some(Node::try_from_slice(&bytes)?)),
            None => Ok(None),
        }
    }

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        match self.proving {
            Some((hash, key)) if hash == key_hash => Ok(self.store.get_value(max_version, key)?),
            _ => anyhow::bail!("the tree asked for the value of an unexpected key"),
        }
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        anyhow::bail!("tree restoration is not supported")
    }
}

/// Computes the new root and the writes for `changes` (state key bytes → value or
/// deletion) at `version`.
pub(crate) fn apply_changes<S: ReadStore + ?Sized>(
    store: &S,
    version: Version,
    changes: impl IntoIterator<Item = (Vec<u8>, Option<Vec<u8>>)>,
) -> Result<([u8; 32], crate::store::WriteBatch)> {
    apply_changes_with(store, version, changes, true)
}

/// [`apply_changes`], with the one-pass batch insert allowed or not.
fn apply_changes_with<S: ReadStore + ?Sized>(
    store: &S,
    version: Version,
    changes: impl IntoIterator<Item = (Vec<u8>, Option<Vec<u8>>)>,
    batched: bool,
) -> Result<([u8; 32], crate::store::WriteBatch)> {
    let reader = Reader { store, proving: None };
    let tree = Sha256Jmt::new(&reader);
    let changes: Vec<(Vec<u8>, Option<Vec<u8>>)> = changes.into_iter().collect();
    let mut batch = crate::store::WriteBatch {
        values: changes.iter().map(|(k, v)| (k.clone(), version, v.clone())).collect(),
        ..Default::default()
    };
    let changes: Vec<(KeyHash, Option<Vec<u8>>)> =
        changes.into_iter().map(|(k, v)| (KeyHash::with::<Sha256>(&k), v)).collect();
    // Without deletions (the rules never delete a key) the whole set goes in one sorted
    // pass that builds each touched node once; `put_value_set` walks the tree once per key
    // and rehashes the path every time. Both give the same tree (a test checks it).
    let only_puts = batched && !changes.is_empty() && changes.iter().all(|(_, v)| v.is_some());
    let (root, update) = if only_puts {
        let puts = changes.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
        tree.batch_put_value_sets(vec![puts], None, version)
            .map(|(roots, update)| (roots.first().copied(), update))
            .and_then(|(root, update)| {
                root.map(|r| (r, update)).ok_or_else(|| anyhow::anyhow!("no root computed"))
            })
    } else {
        tree.put_value_set(changes, version)
    }
    .map_err(|e| Error::Tree(e.to_string()))?;
    // One scratch buffer, and rows allocated at their exact size: `borsh::to_vec` starts
    // every encoding with a 1 KiB allocation, which dominated this loop.
    let mut scratch = Vec::with_capacity(1024);
    let mut encode = |value: &dyn BorshSerializeDyn| -> Result<Vec<u8>> {
        scratch.clear();
        value.encode_into(&mut scratch).map_err(|e| Error::Tree(e.to_string()))?;
        Ok(scratch.as_slice().to_vec())
    };
    batch.puts.reserve(update.node_batch.nodes().len());
    for (k, node) in update.node_batch.nodes() {
        let key = encode(k)?;
        let val = encode(node)?;
        batch.put(Table::Nodes, key, val);
    }
    Ok((root.0, batch))
}

/// Borsh encoding into a caller's buffer, usable as a trait object.
trait BorshSerializeDyn {
    fn encode_into(&self, out: &mut Vec<u8>) -> std::io::Result<()>;
}

impl<T: borsh::BorshSerialize> BorshSerializeDyn for T {
    fn encode_into(&self, out: &mut Vec<u8>) -> std::io::Result<()> {
        self.serialize(out)
    }
}

/// Reads `key` with a proof at `version`.
pub(crate) fn prove<S: ReadStore + ?Sized>(
    store: &S,
    version: Version,
    key: &[u8],
) -> Result<(Option<Vec<u8>>, Vec<u8>)> {
    let hash = KeyHash::with::<Sha256>(key);
    let reader = Reader { store, proving: Some((hash, key)) };
    let tree = Sha256Jmt::new(&reader);
    let (value, proof) =
        tree.get_with_proof(hash, version).map_err(|e| Error::Tree(e.to_string()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemStore, Store};
    use proptest::prelude::*;

    /// A few rounds of key writes: key index (from a small space, so rounds overwrite
    /// earlier keys) and value.
    fn rounds() -> impl Strategy<Value = Vec<Vec<(u16, Vec<u8>)>>> {
        prop::collection::vec(
            prop::collection::vec((0u16..600, prop::collection::vec(any::<u8>(), 1..40)), 1..120),
            1..6,
        )
    }

    /// The worked example of docs/formats.md §9.1: the genesis org and admin account,
    /// then the member account added by the transaction of §4.6 (its record is kept
    /// beside the tree). Root, key hash and proof bytes are the document's.
    #[test]
    fn formats_doc_example() {
        let h = |s: &str| hex::decode(s).unwrap();
        let org = (
            b"org/sz-tax".to_vec(),
            h("06737a2d746178 12e6b7b1e59cb3e5b882e7a88ee58aa1e5b180 00 00"
                .replace(' ', "")
                .as_str()),
        );
        let admin = (
            b"account/c5f42d4c9e0de03550f6ad9d4fd8028b6f2b500cdc41bec19bfe11ad29a70b9f".to_vec(),
            h("008a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c06737a2d7461780561646d696e0100000000000000000000"),
        );
        let member = (
            b"account/1d067ea12d430b1e3e1ab05708e62e73fb593a255798303284026b5dbb6d2ed0".to_vec(),
            h("008139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b39406737a2d746178016d0101000000000000000100"),
        );
        let store = MemStore::new();
        let put = |version, kvs: &[&(Vec<u8>, Vec<u8>)]| {
            let changes = kvs.iter().map(|(k, v)| (k.clone(), Some(v.clone())));
            let (root, batch) = apply_changes(&store, version, changes).unwrap();
            store.commit(&batch).unwrap();
            root
        };
        put(0, &[&org, &admin]);
        let root = put(1, &[&member]);
        let (value, proof) = prove(&store, 1, &member.0).unwrap();
        assert_eq!(value.as_ref(), Some(&member.1));
        verify_state_proof(&root, &member.0, Some(&member.1), &proof).unwrap();
        assert_eq!(
            hex::encode(key_hash(&member.0)),
            "2589a80c35f28ab531592aae3b8607b50fd54b0fa14f7a5180f805cf29fc42bf"
        );
        assert_eq!(
            hex::encode(root),
            "aac71f498404607f49569010214fc19922c79954d076f85a12e7e86f07882371"
        );
        let expected = concat!(
            "01",
            "2589a80c35f28ab531592aae3b8607b50fd54b0fa14f7a5180f805cf29fc42bf",
            "8653fb7b20dfc7fae8bcb75b7f24822077147ed90db193044d580da4d82c5cee",
            "02000000",
            "02",
            "593cb95e94b4b11d976bde39692552de0a2edbda5449dae7db4fdb79f44f6116",
            "762df8101b7dfeae403f476de92d01b3311e95d220d9d51437276cdfac061b43",
            "02",
            "da607263de2ddf519e0fe7b7313f1963793f8bbc9303542f0acb91c2aadc17ba",
            "98965e921182c156d9fca0e9c8a8d6dba814b2a9c333ed1f868f42afb13cce04",
        );
        assert_eq!(hex::encode(&proof), expected);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The one-pass batch insert builds exactly the tree that inserting key by key
        /// builds: same root at every version, and proofs from either verify.
        #[test]
        fn batch_insert_builds_the_same_tree(rounds in rounds()) {
            let (one_pass, by_key) = (MemStore::default(), MemStore::default());
            for (i, round) in rounds.iter().enumerate() {
                let version = i as u64;
                let changes: std::collections::BTreeMap<Vec<u8>, Option<Vec<u8>>> = round
                    .iter()
                    .map(|(k, v)| (k.to_be_bytes().to_vec(), Some(v.clone())))
                    .collect();
                let (a, batch_a) =
                    apply_changes_with(&one_pass, version, changes.clone(), true).unwrap();
                let (b, batch_b) = apply_changes_with(&by_key, version, changes, false).unwrap();
                prop_assert_eq!(a, b, "roots differ at version {}", version);
                one_pass.commit(&batch_a).unwrap();
                by_key.commit(&batch_b).unwrap();
                let k = round[0].0;
                let latest = round.iter().rev().find(|(k2, _)| *k2 == k).map(|(_, v)| v).unwrap();
                for store in [&one_pass, &by_key] {
                    let (value, proof) = prove(store, version, &k.to_be_bytes()).unwrap();
                    prop_assert_eq!(value.as_ref(), Some(latest));
                    prop_assert!(
                        verify_state_proof(&a, &k.to_be_bytes(), Some(latest), &proof).is_ok()
                    );
                }
            }
        }
    }
}
