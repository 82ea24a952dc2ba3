//! Cheap progress counters for metrics and `/status`, and the execution watch that lets
//! verification wait for our own execution to catch up.

use futures::channel::oneshot;
use serde::Serialize;
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc, Mutex,
};

/// Shared progress counters of one engine. Cloning shares them.
#[derive(Clone, Debug, Default)]
pub struct Status(Arc<Counters>);

#[derive(Debug, Default)]
struct Counters {
    finalized_height: AtomicU64,
    finalized_view: AtomicU64,
    executed_height: AtomicU64,
    latest_view: AtomicU64,
    proposed: AtomicU64,
    verified: AtomicU64,
    rejected: AtomicU64,
    redelivered: AtomicU64,
}

/// A point-in-time copy of [`Status`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusSnapshot {
    /// Highest height known finalized (may be ahead of `executed_height`).
    pub finalized_height: u64,
    /// View of the finalization of `finalized_height`.
    pub finalized_view: u64,
    /// Highest height durably executed by the ledger through this engine.
    pub executed_height: u64,
    /// Highest view seen in a notarization, nullification or finalization.
    pub latest_view: u64,
    /// Blocks this validator proposed since start.
    pub proposed: u64,
    /// Blocks of others this validator accepted since start.
    pub verified: u64,
    /// Blocks of others this validator rejected since start.
    pub rejected: u64,
    /// Finalized blocks marshal delivered again that were already executed (after a restart).
    pub redelivered: u64,
}

impl Status {
    /// Copies the counters.
    pub fn snapshot(&self) -> StatusSnapshot {
        let c = &self.0;
        StatusSnapshot {
            finalized_height: c.finalized_height.load(Ordering::Relaxed),
            finalized_view: c.finalized_view.load(Ordering::Relaxed),
            executed_height: c.executed_height.load(Ordering::Relaxed),
            latest_view: c.latest_view.load(Ordering::Relaxed),
            proposed: c.proposed.load(Ordering::Relaxed),
            verified: c.verified.load(Ordering::Relaxed),
            rejected: c.rejected.load(Ordering::Relaxed),
            redelivered: c.redelivered.load(Ordering::Relaxed),
        }
    }

    /// Highest height known finalized.
    pub fn finalized_height(&self) -> u64 {
        self.0.finalized_height.load(Ordering::Relaxed)
    }

    /// Highest height executed through this engine.
    pub fn executed_height(&self) -> u64 {
        self.0.executed_height.load(Ordering::Relaxed)
    }

    pub(crate) fn set_finalized(&self, height: u64, view: u64) {
        let c = &self.0;
        if c.finalized_height.fetch_max(height, Ordering::Relaxed) < height {
            c.finalized_view.store(view, Ordering::Relaxed);
        }
        c.latest_view.fetch_max(view, Ordering::Relaxed);
    }

    pub(crate) fn set_executed(&self, height: u64) {
        self.0.executed_height.fetch_max(height, Ordering::Relaxed);
    }

    pub(crate) fn saw_view(&self, view: u64) {
        self.0.latest_view.fetch_max(view, Ordering::Relaxed);
    }

    pub(crate) fn count_redelivered(&self) {
        self.0.redelivered.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_proposed(&self) {
        self.0.proposed.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_verdict(&self, ok: bool) {
        let counter = if ok { &self.0.verified } else { &self.0.rejected };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Executed height plus waiters for a height to be reached.
///
/// Runtime-agnostic: a waiter is a oneshot resolved by [`ExecWatch::advance`], so the
/// deterministic runtime drives it like any other future.
#[derive(Clone, Debug, Default)]
pub(crate) struct ExecWatch(Arc<Mutex<WatchState>>);

#[derive(Debug, Default)]
struct WatchState {
    height: u64,
    waiters: Vec<(u64, oneshot::Sender<()>)>,
}

impl ExecWatch {
    pub(crate) fn new(height: u64) -> Self {
        Self(Arc::new(Mutex::new(WatchState { height, waiters: Vec::new() })))
    }

    /// Records that `height` is executed and wakes waiters at or below it.
    pub(crate) fn advance(&self, height: u64) {
        let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if height <= state.height {
            return;
        }
        state.height = height;
        let waiters = std::mem::take(&mut state.waiters);
        for (target, tx) in waiters {
            if target <= height {
                let _ = tx.send(());
            } else if !tx.is_canceled() {
                state.waiters.push((target, tx));
            }
        }
    }

    /// Resolves once `height` is executed.
    pub(crate) async fn wait_for(&self, height: u64) {
        let rx = {
            let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if state.height >= height {
                return;
            }
            let (tx, rx) = oneshot::channel();
            state.waiters.push((height, tx));
            rx
        };
        // The sender is only dropped unsent when the watch itself is dropped (shutdown);
        // then the verification is abandoned anyway.
        if rx.await.is_err() {
            futures::future::pending::<()>().await;
        }
    }
}
