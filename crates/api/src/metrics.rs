//! Prometheus metrics of a node, served as text at `GET /metrics`.

use prometheus_client::{
    encoding::text::encode,
    metrics::{counter::Counter, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

/// The node's metrics. The node updates them; the API renders them.
pub struct Metrics {
    registry: Registry,
    /// Latest executed height.
    pub height: Gauge,
    /// Latest finalized height known to consensus.
    pub finalized_height: Gauge,
    /// Transactions committed (executed in finalized blocks), successful or not.
    pub txs_committed: Counter,
    /// Transactions committed with a failure receipt.
    pub txs_failed: Counter,
    /// Transactions pending in the mempool.
    pub mempool_size: Gauge,
    /// Transactions refused at admission.
    pub txs_rejected: Counter,
    /// Transactions whose execution panicked and failed with `execution_fault` (a bug
    /// caught; see [`Metrics::sync_execution_faults`]).
    pub execution_faults: Counter,
    /// Seconds to execute one block and stage its commit (waiting, if need be, for the
    /// previous block's commit to land).
    pub block_execution_seconds: Histogram,
    /// Seconds from a block's staging to its commit being durable, beyond execution.
    pub commit_wait_seconds: Histogram,
    /// Milliseconds from a block's proposal time to its execution here.
    pub finalization_latency_seconds: Histogram,
    /// HTTP requests served.
    pub http_requests: Counter,
    /// Peers that answered the latest status poll.
    pub peers: Gauge,
    /// Highest consensus view (round) seen.
    pub consensus_view: Gauge,
    /// View of the latest finalization.
    pub finalized_view: Gauge,
    /// Resident memory of the node process, bytes (read at each scrape; Linux).
    pub resident_memory_bytes: Gauge,
    /// Reads of private records by someone not a party to them (see
    /// [`crate::audit`]).
    pub audit_reads: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric under the `fapiao_` prefix.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("fapiao");
        let m = Self {
            height: Gauge::default(),
            finalized_height: Gauge::default(),
            txs_committed: Counter::default(),
            txs_failed: Counter::default(),
            mempool_size: Gauge::default(),
            txs_rejected: Counter::default(),
            execution_faults: Counter::default(),
            block_execution_seconds: Histogram::new([
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            commit_wait_seconds: Histogram::new([
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
            ]),
            finalization_latency_seconds: Histogram::new([
                0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0,
            ]),
            http_requests: Counter::default(),
            peers: Gauge::default(),
            consensus_view: Gauge::default(),
            finalized_view: Gauge::default(),
            resident_memory_bytes: Gauge::default(),
            audit_reads: Counter::default(),
            registry: Registry::default(),
        };
        registry.register("height", "Latest executed block height", m.height.clone());
        registry.register(
            "finalized_height",
            "Latest finalized height known to consensus",
            m.finalized_height.clone(),
        );
        registry.register(
            "txs_committed",
            "Transactions executed in finalized blocks",
            m.txs_committed.clone(),
        );
        registry.register(
            "txs_failed",
            "Transactions executed with a failure receipt",
            m.txs_failed.clone(),
        );
        registry.register(
            "mempool_size",
            "Transactions pending in the mempool",
            m.mempool_size.clone(),
        );
        registry.register(
            "txs_rejected",
            "Transactions refused at admission",
            m.txs_rejected.clone(),
        );
        registry.register(
            "execution_faults",
            "Transactions whose execution panicked (failed with execution_fault, nothing applied)",
            m.execution_faults.clone(),
        );
        registry.register(
            "block_execution_seconds",
            "Time to execute one block and stage its commit (after the previous one landed)",
            m.block_execution_seconds.clone(),
        );
        registry.register(
            "commit_wait_seconds",
            "Time from staging a block to its commit being durable, waited for before acknowledging it",
            m.commit_wait_seconds.clone(),
        );
        registry.register(
            "finalization_latency_seconds",
            "Time from a block's proposal to its execution on this node",
            m.finalization_latency_seconds.clone(),
        );
        registry.register("http_requests", "HTTP requests served", m.http_requests.clone());
        registry.register(
            "audit_reads",
            "Reads of private records by non-parties (tax officers, auditors), each in the audit log",
            m.audit_reads.clone(),
        );
        registry.register("peers", "Peers that answered the latest status poll", m.peers.clone());
        registry.register(
            "consensus_view",
            "Highest consensus view seen",
            m.consensus_view.clone(),
        );
        registry.register(
            "finalized_view",
            "View of the latest finalization",
            m.finalized_view.clone(),
        );
        registry.register(
            "resident_memory_bytes",
            "Resident memory of the node process",
            m.resident_memory_bytes.clone(),
        );
        Self { registry, ..m }
    }

    /// Raises [`Metrics::execution_faults`] to `total`, the ledger's own count
    /// (`Ledger::execution_faults`): idempotent, so every path that executes blocks (the
    /// executor, full-node sync, a scrape) may call it.
    pub fn sync_execution_faults(&self, total: u64) {
        let seen = self.execution_faults.get();
        if total > seen {
            self.execution_faults.inc_by(total - seen);
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        if let Some(rss) = resident_bytes() {
            self.resident_memory_bytes.set(i64::try_from(rss).unwrap_or(i64::MAX));
        }
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// `VmRSS` of `/proc/self/status`, in bytes; `None` where there is no such file.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
