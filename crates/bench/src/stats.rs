//! Counting what happened — submissions, admissions, commits with their latency and
//! outcome, reads — and turning it into the [`Report`].

use parking_lot::Mutex;
use serde::Serialize;
use std::{
    collections::{BTreeMap, HashMap},
    sync::{
        atomic::{AtomicU64, Ordering},
        OnceLock,
    },
    time::{Duration, Instant},
};

/// What a measured transaction does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxKind {
    /// `issue_invoice`.
    Issue,
    /// `record_order`.
    Record,
    /// `claim_order` (issues the invoice under the merchant's delegation).
    Claim,
    /// `accept_reimbursement`, the first attempt for an invoice.
    Reimburse,
    /// `accept_reimbursement`, an extra attempt for an invoice already sent.
    Duplicate,
}

impl TxKind {
    fn creates_invoice(self) -> bool {
        matches!(self, TxKind::Issue | TxKind::Claim)
    }

    fn reimburses(self) -> bool {
        matches!(self, TxKind::Reimburse | TxKind::Duplicate)
    }
}

#[derive(Clone, Copy)]
struct Commit {
    /// Since the clock started.
    at: Duration,
    latency: Duration,
    kind: TxKind,
    ok: bool,
}

#[derive(Clone, Copy)]
struct Read {
    at: Duration,
    latency: Duration,
    ok: bool,
}

#[derive(Default)]
struct Inner {
    refused: BTreeMap<String, u64>,
    failed: BTreeMap<String, u64>,
    commits: Vec<Commit>,
    reads: Vec<Read>,
    read_failures: BTreeMap<String, u64>,
    /// Successful reimbursements per invoice (key).
    reimbursed: HashMap<u32, u32>,
    blocks: Vec<BlockSeen>,
}

/// A block seen by the follower.
#[derive(Clone, Copy, Debug)]
pub struct BlockSeen {
    /// Since the clock started.
    pub at: Duration,
    /// Transactions in it (ours or not).
    pub txs: usize,
}

/// Shared counters of one run (cheap to update from many tasks).
#[derive(Default)]
pub struct Stats {
    t0: OnceLock<Instant>,
    submitted: AtomicU64,
    admitted: AtomicU64,
    refused_n: AtomicU64,
    committed: AtomicU64,
    duplicates: AtomicU64,
    reads_n: AtomicU64,
    inner: Mutex<Inner>,
}

impl Stats {
    /// Starts the clock (the first call wins) and returns its start.
    pub fn start(&self) -> Instant {
        *self.t0.get_or_init(Instant::now)
    }

    /// Time since the clock started (zero before it did).
    fn since(&self, t: Instant) -> Duration {
        self.t0.get().map(|t0| t.saturating_duration_since(*t0)).unwrap_or_default()
    }

    /// `n` transactions of `kind` sent.
    pub fn submitted(&self, kind: TxKind, n: u64) {
        self.submitted.fetch_add(n, Ordering::Relaxed);
        if kind == TxKind::Duplicate {
            self.duplicates.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// One transaction admitted into a pool.
    pub fn admitted(&self) {
        self.admitted.fetch_add(1, Ordering::Relaxed);
    }

    /// One transaction refused at admission (or its request failed) with `code`.
    pub fn refused(&self, code: &str) {
        self.refused_n.fetch_add(1, Ordering::Relaxed);
        *self.inner.lock().refused.entry(code.to_string()).or_default() += 1;
    }

    /// A transaction committed at `seen` after being sent at `sent`, with `outcome`
    /// (`ok` or a failure code); `key` names its invoice for reimbursements.
    pub fn committed(&self, kind: TxKind, key: u32, sent: Instant, seen: Instant, outcome: &str) {
        let ok = outcome == "ok";
        let c = Commit {
            at: self.since(seen),
            latency: seen.saturating_duration_since(sent),
            kind,
            ok,
        };
        self.committed.fetch_add(1, Ordering::Relaxed);
        let mut inner = self.inner.lock();
        inner.commits.push(c);
        if !ok {
            *inner.failed.entry(outcome.to_string()).or_default() += 1;
        }
        if ok && kind.reimburses() {
            *inner.reimbursed.entry(key).or_default() += 1;
        }
    }

    /// A read answered at `done` after being started (or scheduled) at `start`.
    pub fn read(&self, start: Instant, done: Instant, outcome: Result<(), &str>) {
        self.reads_n.fetch_add(1, Ordering::Relaxed);
        let r = Read {
            at: self.since(done),
            latency: done.saturating_duration_since(start),
            ok: outcome.is_ok(),
        };
        let mut inner = self.inner.lock();
        inner.reads.push(r);
        if let Err(code) = outcome {
            *inner.read_failures.entry(code.to_string()).or_default() += 1;
        }
    }

    /// A block the follower saw at `seen` (ignored before the clock started).
    pub fn block(&self, seen: Instant, txs: usize) {
        if self.t0.get().is_none() {
            return;
        }
        let b = BlockSeen { at: self.since(seen), txs };
        self.inner.lock().blocks.push(b);
    }

    /// (submitted, committed, admitted-or-sent but unresolved, reads) for progress.
    pub fn progress(&self) -> (u64, u64, u64, u64) {
        let s = self.submitted.load(Ordering::Relaxed);
        let c = self.committed.load(Ordering::Relaxed);
        let r = self.refused_n.load(Ordering::Relaxed);
        (s, c, s.saturating_sub(c + r), self.reads_n.load(Ordering::Relaxed))
    }

    /// The report's measured part, over the window `[0, window]` since the clock.
    pub fn summarize(&self, window: Duration, reimbursing: bool) -> Measured {
        let inner = self.inner.lock();
        let submitted = self.submitted.load(Ordering::Relaxed);
        let in_window = |at: Duration| at <= window;
        let committed_in_window = inner.commits.iter().filter(|c| in_window(c.at)).count() as u64;
        let ok = inner.commits.iter().filter(|c| c.ok).count() as u64;
        let invoices_in_window = inner
            .commits
            .iter()
            .filter(|c| c.ok && c.kind.creates_invoice() && in_window(c.at))
            .count() as u64;
        let secs = window.as_secs_f64().max(1e-9);
        let last_commit = inner.commits.iter().map(|c| c.at).max();
        let latencies: Vec<Duration> = inner.commits.iter().map(|c| c.latency).collect();
        let reads = (!inner.reads.is_empty()).then(|| {
            let ok = inner.reads.iter().filter(|r| r.ok).count() as u64;
            let done_in_window = inner.reads.iter().filter(|r| in_window(r.at)).count() as u64;
            let ok_in_window =
                inner.reads.iter().filter(|r| r.ok && in_window(r.at)).count() as u64;
            ReadReport {
                sent: inner.reads.len() as u64,
                ok,
                ok_per_s: round2(ok_in_window as f64 / secs),
                answered_per_s: round2(done_in_window as f64 / secs),
                failed: inner.read_failures.clone(),
                latency_ms: Latency::of(inner.reads.iter().map(|r| r.latency).collect()),
            }
        });
        let blocks: Vec<&BlockSeen> = inner.blocks.iter().filter(|b| in_window(b.at)).collect();
        let block_report = (!blocks.is_empty()).then(|| BlockReport {
            blocks: blocks.len() as u64,
            txs: blocks.iter().map(|b| b.txs as u64).sum(),
            max_txs: blocks.iter().map(|b| b.txs as u64).max().unwrap_or(0),
            mean_txs: round2(
                blocks.iter().map(|b| b.txs as f64).sum::<f64>() / blocks.len() as f64,
            ),
            per_s: round2(blocks.len() as f64 / secs),
        });
        Measured {
            submitted,
            admitted: self.admitted.load(Ordering::Relaxed),
            refused: inner.refused.clone(),
            committed: inner.commits.len() as u64,
            committed_in_window,
            committed_per_s: round2(committed_in_window as f64 / secs),
            invoices_per_s: round2(invoices_in_window as f64 / secs),
            ok,
            failed: inner.failed.clone(),
            success_rate: if submitted == 0 { 0.0 } else { round4(ok as f64 / submitted as f64) },
            latency_ms: Latency::of(latencies),
            last_commit_s: last_commit.map(|d| round2(d.as_secs_f64())),
            double_reimbursement_escapes: reimbursing
                .then(|| inner.reimbursed.values().filter(|n| **n > 1).count() as u64),
            reimbursed_invoices: reimbursing.then(|| inner.reimbursed.len() as u64),
            duplicate_attempts: reimbursing.then(|| self.duplicates.load(Ordering::Relaxed)),
            reads,
            blocks: block_report,
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Latency percentiles, in milliseconds.
#[derive(Clone, Debug, Serialize)]
pub struct Latency {
    /// Samples.
    pub count: u64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Largest.
    pub max: f64,
    /// Mean.
    pub mean: f64,
}

impl Latency {
    /// Percentiles of `samples` (nearest rank); `None` without samples.
    pub fn of(mut samples: Vec<Duration>) -> Option<Latency> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let n = samples.len();
        let ms = |d: Duration| round2(d.as_secs_f64() * 1000.0);
        let at = |q: f64| {
            // Nearest rank: the smallest sample with at least q of them at or below it.
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            ms(samples[rank - 1])
        };
        let total: Duration = samples.iter().sum();
        Some(Latency {
            count: n as u64,
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            p999: at(0.999),
            max: ms(samples[n - 1]),
            mean: round2(total.as_secs_f64() * 1000.0 / n as f64),
        })
    }
}

/// Reads of a run.
#[derive(Clone, Debug, Serialize)]
pub struct ReadReport {
    /// Requests sent.
    pub sent: u64,
    /// Answered 2xx.
    pub ok: u64,
    /// 2xx answers per second of the window.
    pub ok_per_s: f64,
    /// Answers of any kind per second of the window.
    pub answered_per_s: f64,
    /// Error answers by code (`rate_limited`, `not_final_yet`, `http_error`, …).
    pub failed: BTreeMap<String, u64>,
    /// Request latency.
    pub latency_ms: Option<Latency>,
}

/// Blocks seen during the window.
#[derive(Clone, Debug, Serialize)]
pub struct BlockReport {
    /// Blocks executed.
    pub blocks: u64,
    /// Transactions in them (anyone's).
    pub txs: u64,
    /// Most in one block.
    pub max_txs: u64,
    /// Mean per block.
    pub mean_txs: f64,
    /// Blocks per second.
    pub per_s: f64,
}

/// The measured counts of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Measured {
    /// Transactions sent (for PostgreSQL: database transactions started).
    pub submitted: u64,
    /// Admitted into a node's pool (PostgreSQL: equal to `submitted` less errors).
    pub admitted: u64,
    /// Refused at admission, or failed requests, by code.
    pub refused: BTreeMap<String, u64>,
    /// Committed, successful or not, including stragglers after the window.
    pub committed: u64,
    /// Committed within the measurement window.
    pub committed_in_window: u64,
    /// `committed_in_window` ÷ window length.
    pub committed_per_s: f64,
    /// Invoices created (issue, claim) successfully within the window, per second.
    pub invoices_per_s: f64,
    /// Committed with outcome `ok`.
    pub ok: u64,
    /// Committed with a failure, by code.
    pub failed: BTreeMap<String, u64>,
    /// `ok ÷ submitted`.
    pub success_rate: f64,
    /// Submit → committed, in milliseconds (open loop: from the scheduled time).
    pub latency_ms: Option<Latency>,
    /// When the last commit was seen, seconds after the clock started.
    pub last_commit_s: Option<f64>,
    /// Invoices reimbursed successfully more than once (must be 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub double_reimbursement_escapes: Option<u64>,
    /// Invoices reimbursed successfully.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reimbursed_invoices: Option<u64>,
    /// Extra reimbursement attempts sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_attempts: Option<u64>,
    /// Reads, when the workload has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reads: Option<ReadReport>,
    /// Blocks executed during the window (nodes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocks: Option<BlockReport>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=1000).map(Duration::from_millis).collect();
        let l = Latency::of(samples).unwrap();
        assert_eq!((l.p50, l.p95, l.p99, l.p999, l.max), (500.0, 950.0, 990.0, 999.0, 1000.0));
        assert_eq!(Latency::of(vec![]).map(|l| l.count), None);
        let one = Latency::of(vec![Duration::from_millis(7)]).unwrap();
        assert_eq!((one.p50, one.p999), (7.0, 7.0));
    }

    #[test]
    fn escapes_count_invoices_reimbursed_twice() {
        let s = Stats::default();
        let t = s.start();
        s.submitted(TxKind::Reimburse, 3);
        s.submitted(TxKind::Duplicate, 2);
        s.committed(TxKind::Reimburse, 1, t, t, "ok");
        s.committed(TxKind::Duplicate, 1, t, t, "invoice.already_reimbursed");
        s.committed(TxKind::Reimburse, 2, t, t, "ok");
        s.committed(TxKind::Duplicate, 2, t, t, "ok");
        s.committed(TxKind::Reimburse, 3, t, t, "ok");
        let m = s.summarize(Duration::from_secs(1), true);
        assert_eq!(m.double_reimbursement_escapes, Some(1));
        assert_eq!(m.reimbursed_invoices, Some(3));
        assert_eq!(m.duplicate_attempts, Some(2));
        assert_eq!(m.failed.get("invoice.already_reimbursed"), Some(&1));
        assert_eq!(m.ok, 4);
    }
}
