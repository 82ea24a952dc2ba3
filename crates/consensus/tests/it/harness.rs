//! A test-only in-memory [`Ledger`] and a deterministic 4-validator network builder.

use commonware_cryptography::Signer as _;
use commonware_p2p::simulated::{self, Link};
use commonware_runtime::{deterministic, Clock, Quota, Supervisor as _};
use commonware_utils::{probability, NZUsize, NZU32};
use fapiao_consensus::{
    public_key_bytes, start, Channels, Engine, EngineConfig, Finality, Ledger, NetworkParts,
    PrivateKey, CHANNEL_BACKFILL, CHANNEL_BLOCKS, CHANNEL_CERTIFICATES, CHANNEL_RESOLVER,
    CHANNEL_VOTES,
};
use fapiao_types::{
    merkle_root, sha256, AccountId, Action, ActionCodecs, Block, Header, PublicKey, Signature,
    SignedTx, Tx, HEADER_VERSION,
};
use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

pub const CHAIN_ID: [u8; 32] = [0xC1; 32];
pub const GENESIS_ROOT: [u8; 32] = [0x77; 32];

/// What one fake ledger did. Lives outside the runtime, so it survives a simulated crash
/// (it stands for durable storage).
#[derive(Default, Debug)]
pub struct LedgerState {
    pub executed: u64,
    pub roots: BTreeMap<u64, [u8; 32]>,
    pub digests: BTreeMap<u64, [u8; 32]>,
    pub finality: BTreeMap<u64, Option<Finality>>,
    /// Calls that changed state (must equal `executed`: nothing executed twice).
    pub effective_calls: u64,
    /// Calls for already executed heights (re-delivery after restart).
    pub repeated_calls: u64,
}

/// In-memory ledger: state root of height h = sha256(root(h-1) ‖ digest(h)).
#[derive(Clone, Default)]
pub struct MemLedger(pub Arc<Mutex<LedgerState>>);

pub fn dummy_tx(height: u64) -> SignedTx {
    SignedTx {
        tx: Tx {
            chain_id: "fapiao-test".into(),
            sender: PublicKey::Ed25519([7; 32]),
            nonce: height,
            expiry: height + 100,
            action: Action::RevokeAccount { account: AccountId([9; 32]) },
        },
        signature: Signature([1; 64]),
    }
}

impl Ledger for MemLedger {
    fn genesis(&self) -> Block {
        Block {
            header: Header {
                version: HEADER_VERSION,
                chain_id: CHAIN_ID,
                height: 0,
                parent: [0; 32],
                time_ms: 0,
                proposer: 0,
                tx_root: merkle_root(&[]),
                tx_count: 0,
                state_height: 0,
                state_root: GENESIS_ROOT,
            },
            txs: vec![],
        }
    }

    fn select_txs(&self, height: u64, _max: usize) -> Vec<SignedTx> {
        // Every third block carries a transaction, to exercise tx_root and the codec.
        if height.is_multiple_of(3) {
            vec![dummy_tx(height)]
        } else {
            vec![]
        }
    }

    fn executed(&self) -> (u64, [u8; 32]) {
        let s = self.0.lock().unwrap();
        (s.executed, s.roots.get(&s.executed).copied().unwrap_or(GENESIS_ROOT))
    }

    fn state_root_at(&self, h: u64) -> Option<[u8; 32]> {
        if h == 0 {
            return Some(GENESIS_ROOT);
        }
        self.0.lock().unwrap().roots.get(&h).copied()
    }

    fn check_txs(&self, block: &Block) -> bool {
        block.txs.iter().all(|tx| tx.signature.0 == [1; 64])
    }

    fn execute_finalized(&self, block: &Block, finality: Option<&Finality>) -> Result<(), String> {
        let mut s = self.0.lock().unwrap();
        let h = block.header.height;
        if h <= s.executed {
            s.repeated_calls += 1;
            return Ok(());
        }
        if h != s.executed + 1 {
            return Err(format!("gap: executed {} got {h}", s.executed));
        }
        let prev = s.roots.get(&s.executed).copied().unwrap_or(GENESIS_ROOT);
        let digest = block.header.digest();
        let root = sha256(&[prev.as_slice(), digest.as_slice()].concat());
        s.roots.insert(h, root);
        s.digests.insert(h, digest);
        s.finality.insert(h, finality.cloned());
        s.executed = h;
        s.effective_calls += 1;
        Ok(())
    }

    fn finality(&self, height: u64) -> Option<Finality> {
        self.0.lock().unwrap().finality.get(&height).cloned().flatten()
    }
}

impl MemLedger {
    pub fn executed_height(&self) -> u64 {
        self.0.lock().unwrap().executed
    }

    /// Makes this ledger hold what `other` executed, as a node's block sync would (every
    /// block checked and executed, outside consensus).
    pub fn catch_up_from(&self, other: &MemLedger) {
        let o = other.0.lock().unwrap();
        let mut s = self.0.lock().unwrap();
        s.executed = o.executed;
        s.roots = o.roots.clone();
        s.digests = o.digests.clone();
        s.finality = o.finality.clone();
        s.effective_calls = o.executed;
    }
}

pub fn keys(n: u64) -> Vec<PrivateKey> {
    (0..n).map(PrivateKey::from_seed).collect()
}

pub fn validator_list(keys: &[PrivateKey]) -> Vec<([u8; 32], SocketAddr)> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            let addr: SocketAddr = format!("127.0.0.1:{}", 30_000 + i).parse().unwrap();
            (public_key_bytes(k), addr)
        })
        .collect()
}

pub fn config(keys: &[PrivateKey], index: usize) -> EngineConfig {
    let validators = validator_list(keys);
    let mut cfg = EngineConfig::new(
        keys[index].clone(),
        validators.clone(),
        validators[index].1,
        CHAIN_ID,
        ActionCodecs::default(),
    );
    cfg.partition_prefix = format!("v{index}");
    cfg.max_message_size = 1024 * 1024;
    cfg
}

/// The oracle of a simulated network of ed25519 validators.
pub type Oracle =
    simulated::Oracle<commonware_cryptography::ed25519::PublicKey, deterministic::Context>;

/// A reliable 50 ms (±5 ms) link.
pub fn default_link(_from: usize, _to: usize) -> Link {
    Link {
        latency: Duration::from_millis(50),
        jitter: Duration::from_millis(5),
        success_rate: probability!(1.0),
    }
}

/// A lossy link: latency between 10 and 50 ms (fixed per ordered pair), 5 ms jitter and
/// 7% of messages lost.
pub fn lossy_link(from: usize, to: usize) -> Link {
    let latency = 10 + ((from * 7 + to * 13) % 41) as u64;
    Link {
        latency: Duration::from_millis(latency),
        jitter: Duration::from_millis(5),
        success_rate: probability!(93, 100),
    }
}

/// The simulated network for `keys`, all linked with [`default_link`].
pub async fn network(ctx: &deterministic::Context, keys: &[PrivateKey]) -> Oracle {
    network_with(ctx, keys, default_link).await
}

/// The simulated network for `keys`, validator `i` linked to `j` with `link(i, j)`.
pub async fn network_with(
    ctx: &deterministic::Context,
    keys: &[PrivateKey],
    link: fn(usize, usize) -> Link,
) -> Oracle {
    let pks: Vec<_> = keys.iter().map(|k| k.public_key()).collect();
    let (network, oracle) = simulated::Network::new_with_peers(
        ctx.child("network"),
        simulated::Config {
            max_size: 1024 * 1024,
            max_peers_per_set: NZUsize!(pks.len()),
            disconnect_on_block: true,
            tracked_peer_sets: NZUsize!(1),
        },
        pks.clone(),
    )
    .await;
    network.start();
    connect(&oracle, keys, &(0..keys.len()).collect::<Vec<_>>(), link).await;
    oracle
}

/// Links every pair of distinct validators in `members` (both directions) with `link`.
/// The links must not exist yet (the simulated network rejects a duplicate).
pub async fn connect(
    oracle: &Oracle,
    keys: &[PrivateKey],
    members: &[usize],
    link: fn(usize, usize) -> Link,
) {
    for &a in members {
        for &b in members {
            if a != b {
                oracle
                    .add_link(keys[a].public_key(), keys[b].public_key(), link(a, b))
                    .await
                    .unwrap();
            }
        }
    }
}

/// Restores every link between `left` and `right` (both directions) cut by [`partition`].
pub async fn heal(
    oracle: &Oracle,
    keys: &[PrivateKey],
    left: &[usize],
    right: &[usize],
    link: fn(usize, usize) -> Link,
) {
    for &a in left {
        for &b in right {
            oracle.add_link(keys[a].public_key(), keys[b].public_key(), link(a, b)).await.unwrap();
            oracle.add_link(keys[b].public_key(), keys[a].public_key(), link(b, a)).await.unwrap();
        }
    }
}

/// Cuts every link between `left` and `right` (both directions).
pub async fn partition(oracle: &Oracle, keys: &[PrivateKey], left: &[usize], right: &[usize]) {
    for &a in left {
        for &b in right {
            oracle.remove_link(keys[a].public_key(), keys[b].public_key()).await.unwrap();
            oracle.remove_link(keys[b].public_key(), keys[a].public_key()).await.unwrap();
        }
    }
}

/// Starts validator `index` on the simulated network.
pub async fn start_validator(
    ctx: &deterministic::Context,
    oracle: &Oracle,
    keys: &[PrivateKey],
    index: usize,
    ledger: MemLedger,
) -> Engine {
    start_validator_with(ctx, oracle, keys, index, ledger, config(keys, index)).await
}

/// Starts validator `index` with an explicit configuration.
pub async fn start_validator_with(
    ctx: &deterministic::Context,
    oracle: &Oracle,
    keys: &[PrivateKey],
    index: usize,
    ledger: MemLedger,
    cfg: EngineConfig,
) -> Engine {
    let control = oracle.control(keys[index].public_key());
    let quota = Quota::per_second(NZU32!(10_000));
    let channels = Channels {
        votes: control.register(CHANNEL_VOTES, quota).await.unwrap(),
        certificates: control.register(CHANNEL_CERTIFICATES, quota).await.unwrap(),
        resolver: control.register(CHANNEL_RESOLVER, quota).await.unwrap(),
        blocks: control.register(CHANNEL_BLOCKS, quota).await.unwrap(),
        backfill: control.register(CHANNEL_BACKFILL, quota).await.unwrap(),
    };
    let parts = NetworkParts { channels, peer_provider: oracle.manager(), blocker: control };
    start(ctx.child("validator").with_attribute("index", index), &cfg, ledger, parts).await.unwrap()
}

/// Sleeps (virtual time) until every ledger in `ledgers` executed `height`.
pub async fn wait_for_height(ctx: &deterministic::Context, ledgers: &[MemLedger], height: u64) {
    while ledgers.iter().any(|l| l.executed_height() < height) {
        ctx.sleep(Duration::from_millis(50)).await;
    }
}

/// Roots of `ledger` up to `height`.
pub fn roots(ledger: &MemLedger, height: u64) -> Vec<[u8; 32]> {
    let s = ledger.0.lock().unwrap();
    (1..=height).map(|h| s.roots[&h]).collect()
}

/// Starts every validator of `ledgers` (validator `i` keeps `ledgers[i]`).
pub async fn start_all(
    ctx: &deterministic::Context,
    oracle: &Oracle,
    keys: &[PrivateKey],
    ledgers: &[MemLedger],
) -> Vec<Engine> {
    let mut engines = Vec::new();
    for (i, ledger) in ledgers.iter().enumerate() {
        engines.push(start_validator(ctx, oracle, keys, i, ledger.clone()).await);
    }
    engines
}

/// Executed height of each ledger.
pub fn heights(ledgers: &[MemLedger]) -> Vec<u64> {
    ledgers.iter().map(MemLedger::executed_height).collect()
}

/// Panics unless every ledger that executed a height has the same root and block digest
/// there as every other (no divergence, whatever each one's progress), and no block was
/// executed twice.
pub fn assert_consistent(ledgers: &[MemLedger]) {
    let states: Vec<_> = ledgers.iter().map(|l| l.0.lock().unwrap()).collect();
    let top = states.iter().map(|s| s.executed).max().unwrap_or(0);
    for h in 1..=top {
        let mut seen: Option<([u8; 32], [u8; 32])> = None;
        for (i, s) in states.iter().enumerate() {
            if let (Some(root), Some(digest)) = (s.roots.get(&h), s.digests.get(&h)) {
                match seen {
                    None => seen = Some((*root, *digest)),
                    Some(first) => {
                        assert_eq!(first, (*root, *digest), "validator {i} diverged at height {h}");
                    }
                }
            }
        }
    }
    for (i, s) in states.iter().enumerate() {
        assert_eq!(s.effective_calls, s.executed, "validator {i} executed a block twice");
        assert!(
            s.finality.values().all(Option::is_some),
            "validator {i}: block without certificate"
        );
    }
}
