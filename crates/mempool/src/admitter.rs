//! Batched admission: concurrent submissions are gathered into one batch whose
//! signatures are verified together (the crypto crate's batch API, on a blocking
//! thread), then checked against the executed state and added to the pool.

use crate::{Mempool, MEMPOOL_FULL};
use fapiao_ledger::{Ledger, Rejection, Store};
use fapiao_types::{Hash32, SignedTx};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

struct Job {
    tx: SignedTx,
    size: usize,
    reply: oneshot::Sender<Result<Hash32, Rejection>>,
}

/// Handle to the admission worker. Cheap to clone.
#[derive(Clone)]
pub struct Admitter {
    jobs: mpsc::Sender<Job>,
}

impl Admitter {
    /// Starts the worker on the current tokio runtime. `max_batch` bounds one batch;
    /// `queue` bounds submissions waiting for the worker.
    pub fn spawn<S: Store>(
        ledger: Arc<Ledger<S>>,
        pool: Arc<Mempool>,
        max_batch: usize,
        queue: usize,
    ) -> Self {
        let (jobs, rx) = mpsc::channel(queue.max(1));
        tokio::spawn(worker(ledger, pool, rx, max_batch.max(1)));
        Self { jobs }
    }

    /// Admits one decoded transaction of `size` encoded bytes.
    ///
    /// # Errors
    /// The [`Rejection`] of the first failed check; [`MEMPOOL_FULL`] when the pool or
    /// the admission queue is full.
    pub async fn submit(&self, tx: SignedTx, size: usize) -> Result<Hash32, Rejection> {
        let (reply, rx) = oneshot::channel();
        self.jobs.try_send(Job { tx, size, reply }).map_err(|_| full())?;
        rx.await.map_err(|_| Rejection::new("internal", None, "admission worker stopped"))?
    }
}

fn full() -> Rejection {
    Rejection::new(MEMPOOL_FULL, None, "the admission queue is full; retry shortly")
}

async fn worker<S: Store>(
    ledger: Arc<Ledger<S>>,
    pool: Arc<Mempool>,
    mut rx: mpsc::Receiver<Job>,
    max_batch: usize,
) {
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
        let done = tokio::task::spawn_blocking(move || {
            let txs: Vec<SignedTx> = jobs.iter().map(|j| j.tx.clone()).collect();
            let verdicts = ledger.admit(&txs);
            for (job, verdict) in jobs.into_iter().zip(verdicts) {
                let result = verdict.and_then(|()| pool.insert(job.tx, job.size));
                let _ = job.reply.send(result);
            }
        })
        .await;
        if let Err(e) = done {
            tracing::error!(error = %e, "admission batch panicked");
        }
    }
}
