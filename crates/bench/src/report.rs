//! The result of a run: one JSON object (`--json`) or a table for people.

use crate::{
    config::{Load, Workload},
    stats::{Latency, Measured},
};
use serde::Serialize;
use std::fmt::Write as _;

/// What the node's `/metrics` said around the run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NodeResources {
    /// `fapiao_resident_memory_bytes` before the clock started.
    pub rss_before_bytes: Option<u64>,
    /// … after the run.
    pub rss_after_bytes: Option<u64>,
    /// The largest value sampled (every second) during the run.
    pub rss_max_bytes: Option<u64>,
    /// Blocks executed during the run (`fapiao_block_execution_seconds_count`).
    pub blocks_executed: Option<u64>,
    /// Mean time to execute and durably commit one of them, in milliseconds.
    pub block_execution_mean_ms: Option<f64>,
}

/// Everything a run measured.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// `fapiao` (nodes over HTTP) or `postgres`.
    pub backend: &'static str,
    /// The workload.
    pub workload: Workload,
    /// Open or closed loop.
    pub load: Load,
    /// Transactions per HTTP request (nodes).
    pub batch: usize,
    /// Where the load went (PostgreSQL: the URL without its password).
    pub targets: Vec<String>,
    /// Database connections (PostgreSQL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connections: Option<usize>,
    /// Requested sending time, seconds.
    pub duration_s: f64,
    /// Measurement window, seconds from the first submission: the duration, or less
    /// when the prepared operations ran out first (then until the last one resolved).
    pub window_s: f64,
    /// The prepared operations ran out before the duration.
    pub pool_exhausted: bool,
    /// Operations (transactions and reads) prepared before the clock started.
    pub prepared: u64,
    /// Waiting for stragglers past the end of the duration, seconds.
    pub drain_s: f64,
    /// Setup (merchants, setup invoices, signing), seconds; not measured.
    pub setup_s: f64,
    /// Of which signing the measured transactions, seconds.
    pub signing_s: f64,
    /// Open loop: the most an operation started after its scheduled time, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_schedule_lag_ms: Option<f64>,
    /// Transactions admitted but never seen committed before the run ended.
    pub unresolved: u64,
    /// The counts, rates and latencies.
    #[serde(flatten)]
    pub measured: Measured,
    /// The node's memory and block execution (nodes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeResources>,
    /// CPU seconds the load generator itself used while sending (it shares the
    /// machine with what it measures).
    pub client_cpu_s: Option<f64>,
    /// Anything the reader should know (assumptions, unimplemented parts).
    pub notes: Vec<String>,
}

fn mib(b: Option<u64>) -> String {
    b.map(|b| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))).unwrap_or_else(|| "-".into())
}

fn latency(l: &Option<Latency>) -> String {
    match l {
        Some(l) => format!(
            "p50 {} / p95 {} / p99 {} / p99.9 {} / max {} ms ({} samples)",
            l.p50, l.p95, l.p99, l.p999, l.max, l.count
        ),
        None => "-".into(),
    }
}

fn codes(m: &std::collections::BTreeMap<String, u64>) -> String {
    if m.is_empty() {
        return "none".into();
    }
    m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
}

impl Report {
    /// One JSON object on one line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// A table for people.
    pub fn to_table(&self) -> String {
        let m = &self.measured;
        let mut out = String::new();
        let load = match self.load {
            Load::Open { rate } => format!("open loop, {rate} per second"),
            Load::Closed { concurrency } => format!("closed loop, {concurrency} in flight"),
        };
        let mut row = |k: &str, v: String| {
            let _ = writeln!(out, "  {k:<28} {v}");
        };
        row("backend", format!("{} ({})", self.backend, self.targets.join(", ")));
        row("workload", format!("{} — {load}, batch {}", self.workload.as_str(), self.batch));
        if let Some(c) = self.connections {
            row("connections", c.to_string());
        }
        row(
            "window",
            format!(
                "{:.2} s of {:.0} s requested{}; drained {:.2} s",
                self.window_s,
                self.duration_s,
                if self.pool_exhausted { " (prepared operations ran out)" } else { "" },
                self.drain_s
            ),
        );
        row(
            "prepared",
            format!(
                "{} (setup {:.1} s, signing {:.1} s)",
                self.prepared, self.setup_s, self.signing_s
            ),
        );
        row("submitted", m.submitted.to_string());
        row("admitted", m.admitted.to_string());
        row("refused", codes(&m.refused));
        row(
            "committed",
            format!(
                "{} in window, {} in all, {} unresolved",
                m.committed_in_window, m.committed, self.unresolved
            ),
        );
        row("committed tx/s (window)", format!("{:.1}", m.committed_per_s));
        row("invoices/s (window)", format!("{:.1}", m.invoices_per_s));
        row("success rate", format!("{:.2} % ({} ok)", m.success_rate * 100.0, m.ok));
        row("failed in blocks", codes(&m.failed));
        row("latency submit→commit", latency(&m.latency_ms));
        if let Some(e) = m.double_reimbursement_escapes {
            row(
                "double-reimb. escapes",
                format!(
                    "{e} (reimbursed {} invoices; {} duplicate attempts)",
                    m.reimbursed_invoices.unwrap_or(0),
                    m.duplicate_attempts.unwrap_or(0)
                ),
            );
        }
        if let Some(r) = &m.reads {
            row(
                "reads",
                format!(
                    "{} sent, {} ok, {:.1} ok/s, failed: {}",
                    r.sent,
                    r.ok,
                    r.ok_per_s,
                    codes(&r.failed)
                ),
            );
            row("read latency", latency(&r.latency_ms));
        }
        if let Some(b) = &m.blocks {
            row(
                "blocks (window)",
                format!(
                    "{} ({:.2}/s), {:.1} txs mean, {} max",
                    b.blocks, b.per_s, b.mean_txs, b.max_txs
                ),
            );
        }
        if let Some(n) = &self.node {
            row(
                "node RSS",
                format!(
                    "before {}, after {}, max {}",
                    mib(n.rss_before_bytes),
                    mib(n.rss_after_bytes),
                    mib(n.rss_max_bytes)
                ),
            );
            if let Some(ms) = n.block_execution_mean_ms {
                row(
                    "block execution",
                    format!("{ms:.1} ms mean over {} blocks", n.blocks_executed.unwrap_or(0)),
                );
            }
        }
        if let Some(lag) = self.max_schedule_lag_ms {
            row("max schedule lag", format!("{lag:.1} ms"));
        }
        if let Some(cpu) = self.client_cpu_s {
            row("load generator CPU", format!("{cpu:.1} s"));
        }
        for n in &self.notes {
            row("note", n.clone());
        }
        out
    }
}
