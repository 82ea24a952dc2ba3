//! Test scaffolding (feature `testing`) for the light client and the applications built on
//! it (the finance chain's): a source chain whose state is a real QMDB state database
//! ([`fapiao_state::QmdbState`], run on Commonware's deterministic runtime) and whose
//! headers are certified by real Ed25519 validator keys, laid out as
//! `fapiao_verify::certificate` documents, so every claim a test carries is proven the way
//! a node's `GET /v1/state/{key}?proof=true` proves it; and a destination state in memory
//! with the source chains registered.
//!
//! Block `h` of a source applies the difference between the state at `h - 1` and the state
//! at `h` as one QMDB block at height `h`; header `h` certifies that state (`state_height =
//! h`, `state_root` = the database's root after it), as a header of the real chain certifies
//! the state its proofs were made at. QMDB proves only at its current root, so a claim at
//! an older height replays the blocks up to it on a fresh deterministic runtime (the same
//! blocks give the same root): each claim costs a few milliseconds, which a test source can
//! afford.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use crate::{RegisteredChain, RegisteredChains, WindowPolicy};
use commonware_codec::Encode;
use commonware_runtime::{deterministic, Runner as _};
use ed25519_consensus::SigningKey;
use fapiao_app::StateAccess;
use fapiao_crosschain_types::{chain_key, Blob, CrosschainAction, RelayHeader, StateClaim};
use fapiao_state::{Changes, QmdbProof, QmdbState};
use fapiao_types::{
    sha256, Effective, Hash32, Header, ParamSchedule, ParamValue, ParamVersion, StateKey,
    HEADER_VERSION, NAMESPACE_CONSENSUS,
};
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

/// The QMDB block turning state `before` into state `after`: every changed or new path
/// with its record, every dropped one deleted; kinds kept beside the state
/// ([`fapiao_types::state_order::in_state`]) left out.
fn block(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Changes {
    let in_state = |k: &String| fapiao_types::state_order::in_state(k.as_bytes());
    let mut changes: Changes = after
        .iter()
        .filter(|(k, v)| in_state(k) && before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone().into_bytes(), Some(v.clone())))
        .collect();
    changes.extend(
        before
            .keys()
            .filter(|k| in_state(k) && !after.contains_key(*k))
            .map(|k| (k.clone().into_bytes(), None)),
    );
    changes
}

/// Replays the states `states[0..]` as QMDB blocks 1, 2, … on a fresh deterministic
/// runtime; returns the root after the last and the proofs of `paths` there.
///
/// The runtime runs on a thread of its own: called from a tokio task (an API test), the
/// engine's futures would otherwise spend that task's cooperative budget, then wait for a
/// tokio wake-up the blocked thread never gives, and the deterministic runtime would stall.
pub fn replay(
    states: &[BTreeMap<String, Vec<u8>>],
    paths: &[String],
) -> ([u8; 32], Vec<QmdbProof>) {
    let states = states.to_vec();
    let paths = paths.to_vec();
    std::thread::spawn(move || replay_here(&states, &paths))
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn replay_here(
    states: &[BTreeMap<String, Vec<u8>>],
    paths: &[String],
) -> ([u8; 32], Vec<QmdbProof>) {
    let states = states.to_vec();
    let paths = paths.to_vec();
    deterministic::Runner::seeded(0).start(|ctx| async move {
        let mut db = QmdbState::open(ctx, "source").await.unwrap();
        let empty = BTreeMap::new();
        let mut before = &empty;
        for (i, after) in states.iter().enumerate() {
            db.apply_block(i as u64 + 1, block(before, after)).await.unwrap();
            before = after;
        }
        let root = db.root().unwrap();
        let mut proofs = Vec::with_capacity(paths.len());
        for p in &paths {
            proofs.push(db.prove(p.as_bytes()).await.unwrap());
        }
        (root, proofs)
    })
}

/// A source chain: validators, headers, and the state under each header.
pub struct Source {
    pub chain_id: String,
    pub keys: Vec<SigningKey>,
    pub genesis: Hash32,
    /// Its current state (key path → canonical record).
    pub state: BTreeMap<String, Vec<u8>>,
    headers: Vec<Header>,
    /// The state each header certifies (`states[h - 1]` under header `h`).
    states: Vec<BTreeMap<String, Vec<u8>>>,
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
            states: Vec::new(),
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
        self.states.push(self.state.clone());
        let (root, _) = replay(&self.states, &[]);
        self.headers.push(Header {
            version: HEADER_VERSION,
            chain_id: chain_key(&self.chain_id),
            height,
            parent,
            time_ms,
            proposer: 0,
            tx_root: sha256(b""),
            tx_count: 0,
            state_height: height,
            state_root: root,
        });
        height
    }

    /// The header at `height`.
    pub fn header(&self, height: u64) -> &Header {
        &self.headers[height as usize - 1]
    }

    /// A claim of `key` (present or absent) proven against the header at `height`: its
    /// record (a private kind's record, whose commitment the database stores) and the QMDB
    /// proof at the state that header certifies.
    pub fn claim(&self, height: u64, key: impl ToString) -> StateClaim {
        let key = key.to_string();
        let states = &self.states[..height as usize];
        let (root, proofs) = replay(states, std::slice::from_ref(&key));
        assert_eq!(root, self.header(height).state_root, "replay of {height} is deterministic");
        let proof = proofs.into_iter().next().unwrap();
        let value = states[height as usize - 1].get(&key).cloned();
        assert_eq!(
            proof.value,
            value.as_ref().map(|v| fapiao_types::state_order::stored_value(key.as_bytes(), v))
        );
        StateClaim {
            chain_id: self.chain_id.clone(),
            height,
            key,
            value: value.map(Blob),
            proof: Blob(proof.proof),
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
