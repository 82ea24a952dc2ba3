//! Test scaffolding (feature `testing`) for the light client and the applications built on
//! it (the finance chain's): a source chain whose state is a real Jellyfish
//! Merkle tree and whose headers are certified by real Ed25519 validator keys, laid out
//! as `fapiao_verify::certificate` documents, so every claim a test carries is proven
//! the way a node's `GET /v1/state/{key}?proof=true` proves it; and a destination state
//! in memory with the source chains registered.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use crate::{RegisteredChain, RegisteredChains, WindowPolicy};
use commonware_codec::Encode;
use ed25519_consensus::SigningKey;
use fapiao_app::StateAccess;
use fapiao_crosschain_types::{chain_key, Blob, CrosschainAction, RelayHeader, StateClaim};
use fapiao_types::{
    sha256, Effective, Hash32, Header, ParamSchedule, ParamValue, ParamVersion, StateKey,
    HEADER_VERSION, NAMESPACE_CONSENSUS,
};
use jmt::storage::{LeafNode, Node, NodeKey, TreeReader};
use jmt::{KeyHash, OwnedValue, Sha256Jmt, Version};
use sha2::Sha256;
use std::collections::BTreeMap;

/// A state in memory.
#[derive(Clone, Default, Debug)]
pub struct Mem(pub BTreeMap<String, Vec<u8>>);

impl StateAccess for Mem {
    fn read(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.get(&key.to_string()).cloned())
    }
    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.0.insert(key.to_string(), value);
    }
}

/// One state's tree, built whole at version 0.
#[derive(Default)]
struct Tree {
    nodes: BTreeMap<NodeKey, Node>,
    values: BTreeMap<KeyHash, OwnedValue>,
}

impl TreeReader for Tree {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        Ok(self.nodes.get(node_key).cloned())
    }
    fn get_value_option(
        &self,
        _: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        Ok(self.values.get(&key_hash).cloned())
    }
    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        anyhow::bail!("not needed")
    }
}

impl Tree {
    fn of(state: &BTreeMap<String, Vec<u8>>) -> (Tree, Hash32) {
        let mut tree = Tree::default();
        let set: Vec<(KeyHash, Option<OwnedValue>)> = state
            .iter()
            .map(|(k, v)| (KeyHash::with::<Sha256>(k.as_bytes()), Some(v.clone())))
            .collect();
        let (root, batch) = Sha256Jmt::new(&tree).put_value_set(set, 0).unwrap();
        for (k, n) in batch.node_batch.nodes() {
            tree.nodes.insert(k.clone(), n.clone());
        }
        for ((_, kh), v) in batch.node_batch.values() {
            if let Some(v) = v {
                tree.values.insert(*kh, v.clone());
            }
        }
        (tree, root.0)
    }

    fn proof(&self, key: &str) -> (Option<Vec<u8>>, Vec<u8>) {
        let (value, proof) = Sha256Jmt::new(self)
            .get_with_proof(KeyHash::with::<Sha256>(key.as_bytes()), 0)
            .unwrap();
        (value, borsh::to_vec(&proof).unwrap())
    }
}

/// A source chain: validators, headers, and the state under each header.
pub struct Source {
    pub chain_id: String,
    pub keys: Vec<SigningKey>,
    pub genesis: Hash32,
    /// Its current state (key path → canonical value).
    pub state: BTreeMap<String, Vec<u8>>,
    headers: Vec<Header>,
    trees: Vec<Tree>,
}

impl Source {
    /// A chain of `n` validators (keys from `seed`).
    pub fn new(chain_id: &str, n: usize, seed: u8) -> Source {
        let keys = (0..n)
            .map(|i| SigningKey::from([seed.wrapping_add(i as u8).wrapping_mul(7) | 1; 32]))
            .collect();
        Source {
            chain_id: chain_id.into(),
            keys,
            genesis: sha256(chain_id.as_bytes()),
            state: BTreeMap::new(),
            headers: Vec::new(),
            trees: Vec::new(),
        }
    }

    /// Its registration (`crosschain/chains` entry).
    pub fn registration(&self) -> RegisteredChain {
        RegisteredChain {
            chain_id: self.chain_id.clone(),
            genesis_hash: hex::encode(self.genesis),
            validators: self
                .keys
                .iter()
                .map(|k| hex::encode(k.verification_key().to_bytes()))
                .collect(),
        }
    }

    /// Puts a record into its current state.
    pub fn put(&mut self, key: impl ToString, value: &impl Encode) {
        self.state.insert(key.to_string(), value.encode().to_vec());
    }

    /// Finalizes a block at time `time_ms` over the current state; returns its height.
    pub fn commit(&mut self, time_ms: u64) -> u64 {
        let height = self.headers.len() as u64 + 1;
        let parent = self.headers.last().map_or(self.genesis, Header::digest);
        let (tree, root) = Tree::of(&self.state);
        self.headers.push(Header {
            version: HEADER_VERSION,
            chain_id: chain_key(&self.chain_id),
            height,
            parent,
            time_ms,
            proposer: 0,
            tx_root: sha256(b""),
            tx_count: 0,
            state_height: height - 1,
            state_root: root,
        });
        self.trees.push(tree);
        height
    }

    /// The header at `height`.
    pub fn header(&self, height: u64) -> &Header {
        &self.headers[height as usize - 1]
    }

    /// A claim of `key` (present or absent) proven against the header at `height`.
    pub fn claim(&self, height: u64, key: impl ToString) -> StateClaim {
        let key = key.to_string();
        let (value, proof) = self.trees[height as usize - 1].proof(&key);
        StateClaim {
            chain_id: self.chain_id.clone(),
            height,
            key,
            value: value.map(Blob),
            proof: Blob(proof),
        }
    }

    /// The relay of the header at `height`, certified by the validators at `signers`.
    pub fn relay_by(&self, height: u64, signers: &[usize]) -> CrosschainAction {
        let header = self.header(height);
        CrosschainAction::RelayHeader(RelayHeader {
            chain: self.chain_id.clone(),
            header: Blob(header.encode().to_vec()),
            certificate: Blob(certificate(&self.keys, header, signers)),
        })
    }

    /// The relay of the header at `height`, certified by every validator.
    pub fn relay(&self, height: u64) -> CrosschainAction {
        self.relay_by(height, &(0..self.keys.len()).collect::<Vec<_>>())
    }

    /// `GET /v1/blocks/{height}`'s finality blob of the header at `height`.
    pub fn certificate(&self, height: u64) -> Vec<u8> {
        certificate(&self.keys, self.header(height), &(0..self.keys.len()).collect::<Vec<_>>())
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// `height ‖ digest ‖ certificate` signed by the validators at `signers` (positions in
/// ascending key order), the certificate laid out as `fapiao_verify::certificate`
/// documents it.
pub fn certificate(keys: &[SigningKey], header: &Header, signers: &[usize]) -> Vec<u8> {
    let digest = header.digest();
    let mut proposal = Vec::new();
    varint(&mut proposal, 0);
    varint(&mut proposal, header.height);
    varint(&mut proposal, header.height - 1);
    proposal.extend_from_slice(&digest);
    let mut ns = NAMESPACE_CONSENSUS.to_vec();
    ns.extend_from_slice(b"_FINALIZE");
    let mut signed = Vec::new();
    varint(&mut signed, ns.len() as u64);
    signed.extend_from_slice(&ns);
    signed.extend_from_slice(&proposal);
    let mut sorted: Vec<&SigningKey> = keys.iter().collect();
    sorted.sort_by_key(|k| k.verification_key().to_bytes());
    let n = keys.len();
    let mut cert = proposal;
    cert.extend_from_slice(&(n as u64).to_be_bytes());
    let mut bitmap = vec![0u8; n.div_ceil(8)];
    let mut positions = signers.to_vec();
    positions.sort_unstable();
    for &p in &positions {
        bitmap[p / 8] |= 1 << (p % 8);
    }
    cert.extend_from_slice(&bitmap);
    varint(&mut cert, positions.len() as u64);
    for &p in &positions {
        cert.extend_from_slice(&sorted[p].sign(&signed).to_bytes());
    }
    let mut blob = header.height.to_be_bytes().to_vec();
    blob.extend_from_slice(&digest);
    blob.extend_from_slice(&cert);
    blob
}

/// Writes version 0 (in force from height 0) of parameter `id`.
pub fn param<T: serde::Serialize>(state: &mut impl StateAccess, id: &str, value: &T) {
    let schedule = ParamSchedule {
        versions: vec![ParamVersion {
            version: 0,
            effective: Effective::AtHeight(0),
            value: ParamValue(serde_json::to_string(value).unwrap()),
            enacted_at: 0,
            proposal: 0,
        }],
    };
    state.write(&StateKey::Param(id.into()), schedule.encode().to_vec());
}

/// The registration parameters of `sources` with a window of `window` headers.
pub fn register(state: &mut impl StateAccess, sources: &[&Source], window: u32) {
    let chains = RegisteredChains { chains: sources.iter().map(|s| s.registration()).collect() };
    param(state, "crosschain/chains", &chains);
    param(state, "crosschain/window", &WindowPolicy { headers: window });
}
