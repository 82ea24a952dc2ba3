//! Sending prepared transactions to nodes and following their commits.
//!
//! Every transaction is registered as pending (with its send time) just before its
//! request leaves, so a commit can never be seen before it is known. The follower
//! polls one node's status height and fetches each new block's `tx_hashes` and
//! `outcomes`: a transaction's commit time is when its block was first seen.

use crate::{
    drive::Backend,
    node::{Admission, NodeClient, ReadOutcome},
    stats::{Stats, TxKind},
};
use bytes::Bytes;
use fapiao_types::Hash32;
use parking_lot::Mutex;
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};
use tokio::sync::Notify;

/// How often the follower asks for the height.
const POLL: Duration = Duration::from_millis(20);

/// A transaction as the follower knows it.
#[derive(Clone, Copy, Debug)]
pub struct TxMeta {
    /// Its hash.
    pub hash: Hash32,
    /// What it does.
    pub kind: TxKind,
    /// The invoice it concerns (reimbursements), for counting escapes.
    pub key: u32,
}

/// Transactions sent in one request: the request body and what it carries.
#[derive(Clone, Debug)]
pub struct Stage {
    /// Frames (batch) or the raw transaction (single submission).
    pub body: Bytes,
    /// The transactions, in body order.
    pub txs: Vec<TxMeta>,
}

/// A read request.
#[derive(Clone, Debug)]
pub struct ReadOp {
    /// Path and query.
    pub path: String,
    /// Bearer token, for party reads.
    pub token: Option<Arc<str>>,
    /// The node to ask (the token's node); `None`: the next target.
    pub node: Option<Arc<str>>,
}

/// One operation against nodes.
#[derive(Clone, Debug)]
pub enum NodeOp {
    /// Requests sent one after another, each once the previous one's transactions are
    /// committed (a claim needs its order recorded first).
    Txs(Vec<Stage>),
    /// One GET.
    Read(ReadOp),
}

struct Waiter {
    remaining: AtomicUsize,
    done: Notify,
}

impl Waiter {
    fn resolve_one(&self) {
        if self.remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.done.notify_one();
        }
    }
}

struct Pending {
    sent: Instant,
    kind: TxKind,
    key: u32,
    waiter: Option<Arc<Waiter>>,
}

/// Sends to nodes round-robin and follows commits on the first.
pub(crate) struct NodeBackend {
    client: NodeClient,
    targets: Vec<String>,
    next: AtomicUsize,
    single: bool,
    stats: Arc<Stats>,
    pending: Mutex<HashMap<Hash32, Pending>>,
    /// Longest a closed-loop request waits for its commits.
    stage_timeout: Duration,
    stopping: AtomicBool,
}

impl NodeBackend {
    pub(crate) fn new(
        client: NodeClient,
        targets: Vec<String>,
        single: bool,
        stats: Arc<Stats>,
        stage_timeout: Duration,
    ) -> Self {
        Self {
            client,
            targets,
            next: AtomicUsize::new(0),
            single,
            stats,
            pending: Mutex::new(HashMap::new()),
            stage_timeout,
            stopping: AtomicBool::new(false),
        }
    }

    fn target(&self) -> &str {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.targets.len();
        &self.targets[i]
    }

    /// Admitted transactions never seen in a block.
    pub(crate) fn unresolved(&self) -> usize {
        self.pending.lock().len()
    }

    async fn send_stage(&self, stage: Stage, sent: Instant, wait: bool) {
        let waiter = wait.then(|| {
            Arc::new(Waiter { remaining: AtomicUsize::new(stage.txs.len()), done: Notify::new() })
        });
        {
            let mut pending = self.pending.lock();
            for t in &stage.txs {
                pending.insert(
                    t.hash,
                    Pending { sent, kind: t.kind, key: t.key, waiter: waiter.clone() },
                );
            }
        }
        for t in &stage.txs {
            self.stats.submitted(t.kind, 1);
        }
        let answers =
            self.client.submit(self.target(), stage.body, stage.txs.len(), self.single).await;
        for (t, a) in stage.txs.iter().zip(answers) {
            match a {
                Admission::Admitted => self.stats.admitted(),
                Admission::Refused(code) => {
                    // Never in a block: resolve it here (unless a block already did,
                    // which would mean the refusal answer was wrong).
                    if let Some(p) = self.pending.lock().remove(&t.hash) {
                        self.stats.refused(&code);
                        if let Some(w) = p.waiter {
                            w.resolve_one();
                        }
                    }
                }
            }
        }
        if let Some(w) = waiter {
            let all = w.done.notified();
            if w.remaining.load(Ordering::Acquire) > 0 {
                let _ = tokio::time::timeout(self.stage_timeout, all).await;
            }
        }
    }

    /// Records every pending transaction of `block`.
    fn resolve(&self, block: &crate::node::BlockView, seen: Instant) {
        self.stats.block(seen, block.tx_hashes.len());
        let mut pending = self.pending.lock();
        for (hash, outcome) in block.tx_hashes.iter().zip(&block.outcomes) {
            if let Some(p) = pending.remove(hash) {
                self.stats.committed(p.kind, p.key, p.sent, seen, outcome);
                if let Some(w) = p.waiter {
                    w.resolve_one();
                }
            }
        }
    }

    /// Follows blocks after `from` on the first target until [`Self::stop`] (and then
    /// once more, for the last blocks).
    pub(crate) async fn follow(self: Arc<Self>, from: u64) {
        let url = self.targets[0].clone();
        let mut next = from + 1;
        loop {
            let stopping = self.stopping.load(Ordering::Relaxed);
            if let Ok(status) = self.client.status(&url).await {
                while next <= status.height {
                    match self.client.block(&url, next).await {
                        Ok(Some(b)) => {
                            self.resolve(&b, Instant::now());
                            next += 1;
                        }
                        // Not served yet, or a transient error: try again next poll.
                        Ok(None) | Err(_) => break,
                    }
                }
            }
            if stopping {
                return;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Tells the follower to finish.
    pub(crate) fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }
}

impl Backend for NodeBackend {
    type Op = NodeOp;

    fn units(op: &NodeOp) -> u64 {
        match op {
            NodeOp::Txs(stages) => stages.iter().map(|s| s.txs.len() as u64).sum(),
            NodeOp::Read(_) => 1,
        }
    }

    async fn run(self: Arc<Self>, op: NodeOp, intended: Instant, wait: bool) {
        match op {
            NodeOp::Read(r) => {
                let node = match &r.node {
                    Some(n) => n.to_string(),
                    None => self.target().to_string(),
                };
                let out = self.client.read(&node, &r.path, r.token.as_deref()).await;
                let done = Instant::now();
                match out {
                    ReadOutcome::Ok(_) => self.stats.read(intended, done, Ok(())),
                    ReadOutcome::Failed(code) => self.stats.read(intended, done, Err(&code)),
                }
            }
            NodeOp::Txs(stages) => {
                let n = stages.len();
                for (i, stage) in stages.into_iter().enumerate() {
                    let sent = if i == 0 { intended } else { Instant::now() };
                    // Later stages need the earlier ones committed; the closed loop also
                    // waits for the last.
                    self.send_stage(stage, sent, wait || i + 1 < n).await;
                }
            }
        }
    }

    async fn drain(self: Arc<Self>, deadline: Instant) {
        while Instant::now() < deadline && self.unresolved() > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
