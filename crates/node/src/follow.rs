//! A full node's sync: finalized blocks fetched from peers over HTTP (node-only
//! `GET /v1/sync/blocks`, signed with the full node's key), each checked — parent link, height, finalization
//! certificate against the genesis validators — and executed, trusting no peer.
//!
//! A block is accepted once a certificate covers it: its own, or that of a descendant
//! in the same fetched run whose parent links lead back to it. Before a block executes,
//! the state root its (certified) header reports for an earlier height must equal ours
//! at that height: a full node notices rather than serves a diverged state.

use crate::{
    chain::{decode_finality, NodeLedger},
    peer_client::{PeerClient, PeerError},
};
use fapiao_consensus::{verify_finalization, Ledger as _};
use fapiao_ledger::{Ledger, RedbStore};
use fapiao_types::{decode_exact, Block, BlockLimits, Hash32, NAMESPACE_CONSENSUS};
use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

/// Why a fetched run of blocks was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SyncError {
    /// The response was not frames of block and finality.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// A block did not extend the chain we hold.
    #[error("block {height} does not extend our chain: {reason}")]
    NotLinked {
        /// Height of the block at fault.
        height: u64,
        /// What did not match.
        reason: String,
    },
    /// A certificate did not verify against the genesis validators.
    #[error("certificate for block {height} does not verify: {reason}")]
    BadCertificate {
        /// Height of the certified block.
        height: u64,
        /// Why.
        reason: String,
    },
    /// Our execution disagrees with a certified header: stop rather than serve it.
    #[error(
        "state diverged: block {height} certifies root {certified} at height {at}, ours is {ours}"
    )]
    Diverged {
        /// The header's height.
        height: u64,
        /// The height whose root it reports.
        at: u64,
        /// The certified root.
        certified: String,
        /// Our root there.
        ours: String,
    },
    /// Execution failed locally.
    #[error("executing block {height}: {reason}")]
    Execution {
        /// Height.
        height: u64,
        /// Why.
        reason: String,
    },
}

/// The checked, certified prefix of a fetched run: blocks with their finality blobs,
/// in height order, ready to execute.
pub type Certified = Vec<(Block, Vec<u8>)>;

/// Checks a fetched run of `frames` (block, finality, block, finality, …) against our
/// tip (`tip_height`, `tip_digest`) and the genesis `validators`; returns the longest
/// prefix covered by a verified certificate. Uncovered blocks at the end are dropped
/// (fetched again later).
///
/// # Errors
/// The first [`SyncError`]: any fault in what a peer served refuses the whole run.
pub fn check_run(
    frames: &[&[u8]],
    limits: &BlockLimits,
    validators: &[[u8; 32]],
    tip_height: u64,
    tip_digest: Hash32,
) -> Result<Certified, SyncError> {
    if !frames.len().is_multiple_of(2) {
        return Err(SyncError::Malformed("an odd number of frames".into()));
    }
    let mut pending: Certified = Vec::new();
    let mut certified = 0;
    let (mut prev_height, mut prev_digest) = (tip_height, tip_digest);
    for pair in frames.chunks_exact(2) {
        let block = decode_exact::<Block>(pair[0], limits)
            .map_err(|e| SyncError::Malformed(format!("block after {prev_height}: {e}")))?;
        let height = block.header.height;
        if height != prev_height + 1 {
            return Err(SyncError::NotLinked {
                height,
                reason: format!("expected height {}", prev_height + 1),
            });
        }
        if block.header.parent != prev_digest {
            return Err(SyncError::NotLinked { height, reason: "parent digest differs".into() });
        }
        if !block.tx_root_matches() {
            return Err(SyncError::NotLinked {
                height,
                reason: "transactions do not match the header".into(),
            });
        }
        let digest = block.header.digest();
        if let Some(f) = decode_finality(pair[1]) {
            if f.height == height && f.digest == digest {
                verify_finalization(validators, NAMESPACE_CONSENSUS, digest, &f.certificate)
                    .map_err(|e| SyncError::BadCertificate { height, reason: e.to_string() })?;
                certified = pending.len() + 1;
            }
        }
        pending.push((block, pair[1].to_vec()));
        (prev_height, prev_digest) = (height, digest);
    }
    pending.truncate(certified);
    Ok(pending)
}

/// Executes a certified run, checking each header's reported state root first; returns
/// once the whole run is durable.
///
/// # Errors
/// [`SyncError::Diverged`] or [`SyncError::Execution`].
pub fn execute_run(
    ledger: &Ledger<RedbStore>,
    node: &NodeLedger,
    run: Certified,
) -> Result<u64, SyncError> {
    let mut executed = 0;
    let mut last = None;
    for (block, blob) in run {
        let height = block.header.height;
        let at = block.header.state_height;
        let ours = ledger
            .state_root_at(at)
            .map_err(|e| SyncError::Execution { height, reason: e.to_string() })?;
        if ours != Some(block.header.state_root) {
            return Err(SyncError::Diverged {
                height,
                at,
                certified: hex::encode(block.header.state_root),
                ours: ours.map(hex::encode).unwrap_or_else(|| "missing".into()),
            });
        }
        let finality = decode_finality(&blob);
        node.execute_finalized(&block, finality.as_ref())
            .map_err(|reason| SyncError::Execution { height, reason })?;
        executed += 1;
        last = Some(height);
    }
    // Each block is durable once executed (the ledger commits before it returns); this
    // publishes the last one to readers.
    if let Some(height) = last {
        node.wait_durable(height).map_err(|reason| SyncError::Execution { height, reason })?;
    }
    Ok(executed)
}

/// What one round over the peers did.
enum Round {
    /// A peer served blocks that were executed.
    Progressed,
    /// No peer had anything new (or none was usable).
    Idle,
    /// Our state diverged from a certified header: stop.
    Diverged,
}

/// One round: asks the peers in turn, from `turn`, for the blocks after our tip, and
/// executes the first certified run one serves.
async fn round(
    ledger: &Arc<Ledger<RedbStore>>,
    node: &NodeLedger,
    validators: &[[u8; 32]],
    peers: &[String],
    client: &PeerClient,
    finalized: &AtomicU64,
    turn: &mut usize,
) -> Round {
    let limits = ledger.block_limits();
    // A run is cut by the server past 16 MiB; one block more may follow.
    let max_frame = 64 * 1024 * 1024;
    let max_answer = 2 * max_frame;
    for i in 0..peers.len() {
        let peer = &peers[(*turn + i) % peers.len()];
        let tip = ledger.tip();
        let url = format!(
            "{peer}/v1/sync/blocks?from={}&max={}",
            tip.height + 1,
            fapiao_api::MAX_SYNC_BLOCKS
        );
        let body = match client
            .call(reqwest::Method::GET, &url, None, bytes::Bytes::new(), max_answer)
            .await
        {
            Ok(b) => b,
            Err(PeerError::Status(status)) => {
                tracing::warn!(%peer, %status, "sync: peer refused");
                continue;
            }
            Err(e) => {
                tracing::debug!(%peer, error = %e, "sync: peer unreachable");
                continue;
            }
        };
        let checked = fapiao_types::split_frames(&body, max_frame)
            .map_err(|e| SyncError::Malformed(e.to_string()))
            .and_then(|frames| {
                check_run(&frames, &limits, validators, tip.height, tip.header.digest())
            });
        let run = match checked {
            Ok(run) if run.is_empty() => continue,
            Ok(run) => run,
            Err(e) => {
                tracing::warn!(%peer, error = %e, "sync: refused what a peer served");
                continue;
            }
        };
        let last = run.last().map(|(b, _)| b.header.height).unwrap_or(tip.height);
        let (ledger2, node2) = (ledger.clone(), node.clone());
        match tokio::task::spawn_blocking(move || execute_run(&ledger2, &node2, run)).await {
            Ok(Ok(n)) => {
                finalized.fetch_max(last, Ordering::Relaxed);
                tracing::debug!(%peer, blocks = n, height = last, "sync: executed");
                *turn = (*turn + i) % peers.len();
                return Round::Progressed;
            }
            Ok(Err(e @ SyncError::Diverged { .. })) => {
                tracing::error!(error = %e, "sync stopped");
                return Round::Diverged;
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "sync: execution failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => tracing::error!(error = %e, "sync: execution task failed"),
        }
    }
    Round::Idle
}

/// Follows the chain from `peers` until the process stops; `finalized` is the highest
/// certified height seen. Stops (with an error log) on a divergence.
pub async fn follow(
    ledger: Arc<Ledger<RedbStore>>,
    node: NodeLedger,
    validators: Vec<[u8; 32]>,
    peers: Vec<String>,
    client: PeerClient,
    finalized: Arc<AtomicU64>,
) {
    if peers.is_empty() {
        tracing::error!("a full node needs `peers` to follow; none configured");
        return;
    }
    let mut turn = 0usize;
    loop {
        match round(&ledger, &node, &validators, &peers, &client, &finalized, &mut turn).await {
            Round::Progressed => {}
            Round::Idle => tokio::time::sleep(Duration::from_millis(250)).await,
            Round::Diverged => return,
        }
    }
}

/// Catches the ledger up from `peers` as [`follow`] does, and returns once a round over
/// them brings nothing new (or on a divergence): a validator further behind than its
/// peers' consensus block window runs this before consensus starts (ADR 0009 step 3).
/// Returns the executed height reached.
pub async fn catch_up(
    ledger: Arc<Ledger<RedbStore>>,
    node: NodeLedger,
    validators: Vec<[u8; 32]>,
    peers: Vec<String>,
    client: PeerClient,
) -> u64 {
    let finalized = AtomicU64::new(0);
    let mut turn = 0usize;
    while !peers.is_empty() {
        match round(&ledger, &node, &validators, &peers, &client, &finalized, &mut turn).await {
            Round::Progressed => {}
            Round::Idle | Round::Diverged => break,
        }
    }
    ledger.tip().height
}

/// The highest `finalized_height` the `peers` report in `GET /v1/status` (0 when none
/// answers within two seconds; asked all at once).
pub async fn peers_finalized(peers: &[String], client: &PeerClient) -> u64 {
    let mut asks = tokio::task::JoinSet::new();
    for peer in peers {
        let (url, client) = (format!("{peer}/v1/status"), client.clone());
        asks.spawn(async move {
            let body = client
                .call(reqwest::Method::GET, &url, None, bytes::Bytes::new(), 1 << 20)
                .await
                .ok()?;
            serde_json::from_slice::<serde_json::Value>(&body).ok()?["finalized_height"].as_u64()
        });
    }
    let mut best = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while let Ok(Some(answer)) = tokio::time::timeout_at(deadline, asks.join_next()).await {
        best = best.max(answer.ok().flatten().unwrap_or(0));
    }
    best
}
