//! [`NodeLedger`]: the node's side of the consensus seam — proposals come from the
//! mempool, finalized blocks go through the redb ledger, and everyone waiting on
//! execution (HTTP requests, metrics) hears about it.

use fapiao_api::Metrics;
use fapiao_consensus::Finality;
use fapiao_ledger::{Ledger, RedbStore};
use fapiao_mempool::Mempool;
use fapiao_types::{Block, SignedTx};
use std::{sync::Arc, time::Instant};
use tokio::sync::watch;

/// Encodes what the ledger stores as a block's certificate:
/// `height (u64 BE) ‖ digest (32) ‖ certificate` of the block the certificate signs
/// (the block itself or, when finalized through a descendant, that descendant).
pub fn encode_finality(f: &Finality) -> Vec<u8> {
    let mut out = Vec::with_capacity(40 + f.certificate.len());
    out.extend_from_slice(&f.height.to_be_bytes());
    out.extend_from_slice(&f.digest);
    out.extend_from_slice(&f.certificate);
    out
}

/// Decodes [`encode_finality`]; `None` for an empty or short blob.
pub fn decode_finality(blob: &[u8]) -> Option<Finality> {
    if blob.len() < 40 {
        return None;
    }
    let height = u64::from_be_bytes(blob[..8].try_into().ok()?);
    let digest: [u8; 32] = blob[8..40].try_into().ok()?;
    Some(Finality { height, digest, certificate: blob[40..].to_vec() })
}

/// The node's implementation of [`fapiao_consensus::Ledger`].
#[derive(Clone)]
pub struct NodeLedger {
    inner: Arc<Inner>,
}

struct Inner {
    ledger: Arc<Ledger<RedbStore>>,
    pool: Arc<Mempool>,
    genesis: Block,
    executed: watch::Sender<u64>,
    metrics: Arc<Metrics>,
}

impl NodeLedger {
    /// Wraps the ledger and pool; `executed` is told each executed height.
    ///
    /// # Errors
    /// When the genesis block cannot be read.
    pub fn new(
        ledger: Arc<Ledger<RedbStore>>,
        pool: Arc<Mempool>,
        executed: watch::Sender<u64>,
        metrics: Arc<Metrics>,
    ) -> fapiao_ledger::Result<Self> {
        let genesis = ledger.genesis_block()?;
        metrics.height.set(ledger.tip().height as i64);
        Ok(Self { inner: Arc::new(Inner { ledger, pool, genesis, executed, metrics }) })
    }
}

impl fapiao_consensus::Ledger for NodeLedger {
    fn genesis(&self) -> Block {
        self.inner.genesis.clone()
    }

    fn select_txs(&self, height: u64, max: usize) -> Vec<SignedTx> {
        self.inner.pool.select(height, max)
    }

    fn select_txs_at(&self, height: u64, max: usize, state_height: u64) -> Vec<SignedTx> {
        // Admitted against an earlier tip, a sender may have been revoked since: a block
        // carrying it would be refused by every validator (senders are checked at the
        // block's state height), so it stays out.
        // The governed cap at this height, as the state at `state_height` schedules it:
        // what every validator checks the block against. Likewise a sender whose
        // organisation was suspended since admission stays out.
        let ledger = &self.inner.ledger;
        let max = ledger.block_tx_cap(state_height, height).map_or(max, |cap| cap.min(max));
        let mut txs = self.inner.pool.select(height, max);
        let mut orgs: std::collections::BTreeMap<String, bool> = Default::default();
        txs.retain(|stx| {
            let a = match ledger.account_at(state_height, &stx.tx.sender_account()) {
                Ok(Some(Some(a))) => a,
                // An applicant's fresh key (express edition) has no account yet.
                Ok(Some(None)) => return fapiao_ledger::may_send_without_account(&stx.tx.action),
                _ => return false,
            };
            if a.revoked_at.is_some() {
                return false;
            }
            *orgs.entry(a.org.clone()).or_insert_with(|| {
                let key = fapiao_types::StateKey::Org(a.org.clone());
                matches!(
                    ledger.record_at::<fapiao_types::OrgRecord>(state_height, &key),
                    Ok(Some(Some(o))) if o.status == fapiao_types::OrgStatus::Active
                )
            })
        });
        txs
    }

    fn executed(&self) -> (u64, [u8; 32]) {
        let tip = self.inner.ledger.executed_tip();
        (tip.height, tip.state_root)
    }

    fn state_root_at(&self, h: u64) -> Option<[u8; 32]> {
        match self.inner.ledger.state_root_at(h) {
            Ok(root) => root,
            Err(e) => {
                tracing::error!(error = %e, height = h, "reading a state root failed");
                None
            }
        }
    }

    fn clock_drift_ms(&self, state_height: u64, height: u64) -> Option<u64> {
        match self.inner.ledger.mechanics_at(state_height, height) {
            Ok(Some(m)) => Some(m.max_clock_drift_ms),
            _ => None,
        }
    }

    fn check_txs(&self, block: &Block) -> bool {
        let pool = &self.inner.pool;
        let ok = self.inner.ledger.check_block_txs_except(block, |stx| pool.holds_verified(stx));
        if ok {
            // Relayed copies of these transactions wait in our pool too: do not propose
            // them again while this block may still be finalized.
            self.inner.pool.mark_proposed(block.header.height, &block.tx_hashes());
        }
        ok
    }

    fn execute_finalized(&self, block: &Block, finality: Option<&Finality>) -> Result<(), String> {
        let started = Instant::now();
        let blob = finality.map(encode_finality).unwrap_or_default();
        let receipts = self.inner.ledger.stage_block(block, &blob).map_err(|e| e.to_string())?;
        let h = block.header.height;
        let m = &self.inner.metrics;
        m.sync_execution_faults(self.inner.ledger.execution_faults());
        if !receipts.is_empty() || block.txs.is_empty() {
            m.block_execution_seconds.observe(started.elapsed().as_secs_f64());
            m.txs_committed.inc_by(receipts.len() as u64);
            m.txs_failed.inc_by(receipts.iter().filter(|r| !r.outcome.is_ok()).count() as u64);
            let now = crate::now_ms();
            m.finalization_latency_seconds
                .observe(now.saturating_sub(block.header.time_ms) as f64 / 1000.0);
        }
        self.inner.pool.on_executed(h, &block.tx_hashes());
        m.mempool_size.set(self.inner.pool.stats().pending as i64);
        tracing::debug!(height = h, txs = block.txs.len(), "executed block");
        Ok(())
    }

    fn wait_durable(&self, height: u64) -> Result<(), String> {
        let started = Instant::now();
        self.inner.ledger.wait_durable(height).map_err(|e| e.to_string())?;
        let m = &self.inner.metrics;
        m.commit_wait_seconds.observe(started.elapsed().as_secs_f64());
        m.height.set(height as i64);
        // Readers (and `?wait=true` submitters) see the block from here on.
        self.inner.executed.send_replace(height);
        Ok(())
    }

    fn finality(&self, height: u64) -> Option<Finality> {
        let blob = self.inner.ledger.certificate(height).ok().flatten()?;
        decode_finality(&blob)
    }
}
