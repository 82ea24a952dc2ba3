//! Batched admission: concurrent submissions are gathered into one batch whose
//! signatures are verified together (the crypto crate's batch API, on a blocking
//! thread), then checked against the executed state and added to the pool.
//!
//! Signature checks are the one expensive step, so they come last and are rationed:
//! replays are refused before any check, the ledger's state checks run before the
//! signatures, and a sender whose transactions keep failing the signature check
//! (the governed `chain/mechanics.bad_signatures_per_minute`) is refused with [`Platform::SignaturesThrottled`] without
//! verifying more of them — a known account sending forged or corrupt signatures cannot
//! make a validator spend its CPU on them.

use crate::{KeyedLimiter, Mempool};
use fapiao_app::Platform;
use fapiao_ledger::{Ledger, Rejection, Store};
use fapiao_types::{AccountId, Hash32, SignedTx};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

struct Job {
    tx: SignedTx,
    size: usize,
    /// Whether to pass the transaction on to the relay once admitted (false for
    /// transactions that arrived from a peer's relay).
    relay: bool,
    reply: oneshot::Sender<Result<Hash32, Rejection>>,
}

/// Handle to the admission worker. Cheap to clone.
#[derive(Clone)]
pub struct Admitter {
    jobs: mpsc::Sender<Job>,
}

/// Where admitted transactions go to reach the other nodes (the node's relay task).
pub type RelaySender = mpsc::Sender<SignedTx>;

impl Admitter {
    /// Starts the worker on the current tokio runtime. `max_batch` bounds one batch;
    /// `queue` bounds submissions waiting for the worker.
    pub fn spawn<S: Store>(
        ledger: Arc<Ledger<S>>,
        pool: Arc<Mempool>,
        max_batch: usize,
        queue: usize,
    ) -> Self {
        Self::spawn_relaying(ledger, pool, max_batch, queue, None)
    }

    /// Like [`Admitter::spawn`], and every transaction admitted through
    /// [`Admitter::submit`] is also sent to `relay` (dropped with a warning when the relay
    /// is behind: the transaction still waits in this node's pool).
    pub fn spawn_relaying<S: Store>(
        ledger: Arc<Ledger<S>>,
        pool: Arc<Mempool>,
        max_batch: usize,
        queue: usize,
        relay: Option<RelaySender>,
    ) -> Self {
        let (jobs, rx) = mpsc::channel(queue.max(1));
        tokio::spawn(worker(ledger, pool, rx, max_batch.max(1), relay));
        Self { jobs }
    }

    /// Admits one decoded transaction of `size` encoded bytes, and relays it to the other
    /// nodes once admitted.
    ///
    /// # Errors
    /// The [`Rejection`] of the first failed check; [`Platform::MempoolFull`] when the pool or
    /// the admission queue is full.
    pub async fn submit(&self, tx: SignedTx, size: usize) -> Result<Hash32, Rejection> {
        self.admit(tx, size, true).await
    }

    /// Admits a transaction that a peer relayed: the same checks, no further relay.
    ///
    /// # Errors
    /// As [`Admitter::submit`].
    pub async fn submit_relayed(&self, tx: SignedTx, size: usize) -> Result<Hash32, Rejection> {
        self.admit(tx, size, false).await
    }

    async fn admit(&self, tx: SignedTx, size: usize, relay: bool) -> Result<Hash32, Rejection> {
        let (reply, rx) = oneshot::channel();
        self.jobs.try_send(Job { tx, size, relay, reply }).map_err(|_| full())?;
        rx.await
            .map_err(|_| Rejection::new(Platform::Internal, None, "admission worker stopped"))?
    }
}

fn full() -> Rejection {
    Rejection::new(Platform::MempoolFull, None, "the admission queue is full; retry shortly")
}

async fn worker<S: Store>(
    ledger: Arc<Ledger<S>>,
    pool: Arc<Mempool>,
    mut rx: mpsc::Receiver<Job>,
    max_batch: usize,
    relay: Option<RelaySender>,
) {
    // The budget is the governed `chain/mechanics.bad_signatures_per_minute` (bursts of
    // twice that), followed at every batch.
    let per_minute = fapiao_ledger::params::BAD_SIGNATURES_PER_MINUTE;
    let bad: Arc<KeyedLimiter<AccountId>> = Arc::new(KeyedLimiter::new(2 * per_minute, per_minute));
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < max_batch {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let ledger = ledger.clone();
        let pool = pool.clone();
        let relay = relay.clone();
        let bad = bad.clone();
        let done = tokio::task::spawn_blocking(move || {
            match ledger.mechanics_at_tip() {
                Ok(m) => {
                    let n = m.bad_signatures_per_minute;
                    bad.set_rate(n.saturating_mul(2), n);
                }
                Err(e) => tracing::warn!(error = %e, "chain mechanics unreadable; keeping the last budget"),
            }
            // A transaction this pool already holds or included is a replay: refused
            // before any other check (and its signature is not verified again).
            let (replays, jobs): (Vec<Job>, Vec<Job>) =
                jobs.into_iter().partition(|j| pool.seen(&j.tx.hash()));
            for job in replays {
                let _ = job.reply.send(Err(Rejection::new(
                    Platform::Replayed,
                    Some("tx"),
                    "this transaction is already pending or was included",
                )));
            }
            // A sender with no bad-signature budget left is refused unverified.
            let (throttled, jobs): (Vec<Job>, Vec<Job>) =
                jobs.into_iter().partition(|j| bad.exhausted(&j.tx.tx.sender_account()));
            for job in throttled {
                let _ = job.reply.send(Err(Rejection::new(
                    Platform::SignaturesThrottled,
                    Some("signature"),
                    "this sender's recent transactions had bad signatures; retry later",
                )));
            }
            let txs: Vec<SignedTx> = jobs.iter().map(|j| j.tx.clone()).collect();
            let verdicts = ledger.admit(&txs);
            for (job, verdict) in jobs.iter().zip(&verdicts) {
                if verdict.as_ref().is_err_and(|r| r.code == Platform::BadSignature.code()) {
                    let _ = bad.check(&job.tx.tx.sender_account());
                }
            }
            let mut dropped = 0usize;
            for (job, verdict) in jobs.into_iter().zip(verdicts) {
                let forward = job.relay.then(|| job.tx.clone());
                let result = verdict.and_then(|()| pool.insert(job.tx, job.size));
                if let (Ok(_), Some(tx), Some(relay)) = (&result, forward, relay.as_ref()) {
                    if relay.try_send(tx).is_err() {
                        dropped += 1;
                    }
                }
                let _ = job.reply.send(result);
            }
            if dropped > 0 {
                tracing::warn!(dropped, "relay queue full: transactions wait for this node's turn");
            }
        })
        .await;
        if let Err(e) = done {
            tracing::error!(error = %e, "admission batch panicked");
        }
    }
}
