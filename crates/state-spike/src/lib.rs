//! Issue 15's spike: two candidate state engines behind one synthetic invoice workload.
//!
//! * [`workload`] generates what issuing invoices writes to the state, block by block:
//!   three new leaves per invoice (public record, private body, circulation) and a few hot
//!   keys rewritten every block (the number sequence, the month's totals, the seller's
//!   credit, the issuer's account). Values are pseudo-random bytes of the sizes the real
//!   encodings have, so no engine gains from compression the real data would not give.
//! * `jmt_pruned` — option (a): today's Jellyfish tree over redb, with stale-node pruning
//!   and invoice bodies out of the tree.
//! * `qmdb` — option (b): `commonware_storage::qmdb::current::ordered::variable`.
//!
//! `cargo bench -p fapiao-state-spike` runs both at 100k and 1M invoices and prints, per
//! engine and size: execution CPU per invoice, disk bytes per invoice, commit latency per
//! block, memory per key, restart time, proof size and verification time. The figures
//! and the decision are in docs/adr/0009-state-engine.md.

pub mod jmt_pruned;
pub mod qmdb;
pub mod workload;

/// The figures one engine reports at one state size.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    /// Engine name.
    pub engine: &'static str,
    /// Invoices in the state when measured.
    pub invoices: u64,
    /// Wall-clock microseconds per invoice to apply, merkleize and commit a block,
    /// measured over blocks added at this size.
    pub us_per_invoice: f64,
    /// Bytes on disk (`du`, blocks actually used) divided by invoices.
    pub disk_bytes_per_invoice: f64,
    /// Median and worst commit latency of one block, milliseconds.
    pub commit_ms_p50: f64,
    /// Worst commit latency of one block, milliseconds.
    pub commit_ms_max: f64,
    /// Resident memory growth divided by live keys, bytes.
    pub memory_bytes_per_key: f64,
    /// Time to reopen the database, milliseconds.
    pub restart_ms: f64,
    /// Encoded proof of one invoice's public record, bytes.
    pub proof_bytes: usize,
    /// Time to verify that proof, microseconds.
    pub verify_us: f64,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<12} {:>9} invoices: {:>7.1} µs/invoice, {:>7.0} B/invoice on disk, \
             commit p50 {:.1} ms max {:.1} ms, {:.0} B/key memory, restart {:.0} ms, \
             proof {} B verified in {:.1} µs",
            self.engine,
            self.invoices,
            self.us_per_invoice,
            self.disk_bytes_per_invoice,
            self.commit_ms_p50,
            self.commit_ms_max,
            self.memory_bytes_per_key,
            self.restart_ms,
            self.proof_bytes,
            self.verify_us,
        )
    }
}

/// Bytes a directory uses on disk (allocated blocks, like `du`): the ledger's own count.
pub use fapiao_ledger::store::disk_bytes;

/// This process's resident set size in bytes (Linux `/proc/self/statm`).
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}
