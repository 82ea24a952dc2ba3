//! What to run: the workload, the load shape and where to send it.

use crate::{Error, Result};
use serde::Serialize;
use std::{path::PathBuf, time::Duration};

/// What the measured phase sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// Merchants issue invoices (1–3 lines, person or enterprise buyer).
    Issue,
    /// A payment platform records orders; the consumer claims each one once it is
    /// committed, and the merchant's delegation issues the invoice at once.
    Claim,
    /// Huawei's finance office accepts reimbursements of invoices the consumer submitted
    /// (setup), with extra duplicate attempts of the same invoices.
    Reimburse,
    /// Reads: proof bundles (as the holder) and public verifications.
    Verify,
    /// A blend: 70 % issuance, 20 % reimbursement (with duplicates), 10 % reads.
    Mixed,
}

impl Workload {
    /// Parses `issue|claim|reimburse|verify|mixed`.
    ///
    /// # Errors
    /// [`Error::Option`] for anything else.
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "issue" => Workload::Issue,
            "claim" => Workload::Claim,
            "reimburse" => Workload::Reimburse,
            "verify" => Workload::Verify,
            "mixed" => Workload::Mixed,
            other => {
                return Err(Error::option(
                    "--workload",
                    format!("{other:?}: expected issue, claim, reimburse, verify or mixed"),
                ))
            }
        })
    }

    /// The name, as on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Workload::Issue => "issue",
            Workload::Claim => "claim",
            Workload::Reimburse => "reimburse",
            Workload::Verify => "verify",
            Workload::Mixed => "mixed",
        }
    }
}

/// How load is offered.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Load {
    /// Open loop: transactions (or reads) per second on a fixed schedule, whatever the
    /// system answers; latency counts from the scheduled send time.
    Open {
        /// Transactions (or reads) per second.
        rate: f64,
    },
    /// Closed loop: this many requests in flight. Against a node a request is one
    /// HTTP submission of `batch` transactions, in flight until every transaction in it
    /// is committed (seen in a block) or refused; against PostgreSQL it is one database
    /// transaction, in flight until it commits.
    Closed {
        /// Requests in flight.
        concurrency: usize,
    },
}

/// Everything one run needs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Node API URLs; submissions go round-robin, commits are followed on the first.
    pub targets: Vec<String>,
    /// The demo's `identities.json` (keys, tokens) — unused with `postgres`.
    pub identities: PathBuf,
    /// What to send.
    pub workload: Workload,
    /// Open or closed loop.
    pub load: Load,
    /// How long to send.
    pub duration: Duration,
    /// Transactions per HTTP request (1: one `POST /v1/transactions` each).
    pub batch: usize,
    /// Merchants: at most this many of the consortium's enterprise taxpayers, each
    /// with its own issuing key from the identities.
    pub merchants: usize,
    /// Reimbursement: extra attempts per invoice, as a fraction of the invoices.
    pub duplicate_rate: f64,
    /// Run the workload against PostgreSQL at this URL instead of the nodes.
    pub postgres: Option<String>,
    /// Operations prepared before the clock starts (default: derived from the load).
    pub pool: Option<usize>,
    /// How long to wait for stragglers after sending stops.
    pub drain: Duration,
    /// Print a progress line on stderr every second.
    pub progress: bool,
    /// TLS of the node clients (`https://` targets and identities): typically one that
    /// trusts only the nodes' pinned certificates. `None`: reqwest's, which trusts no
    /// certificate (no built-in roots), so only `http://` nodes can be reached.
    pub tls: Option<rustls::ClientConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            targets: vec!["http://127.0.0.1:8080".into()],
            identities: PathBuf::from("./fapiao-data/demo/identities.json"),
            workload: Workload::Issue,
            load: Load::Closed { concurrency: 16 },
            duration: Duration::from_secs(10),
            batch: 64,
            merchants: 16,
            duplicate_rate: 0.1,
            postgres: None,
            pool: None,
            drain: Duration::from_secs(30),
            progress: true,
            tls: None,
        }
    }
}

/// Most transactions one batch request carries (the node's limit).
pub const MAX_BATCH: usize = 4096;
/// Most operations prepared for one run, so that a closed loop's pool fits in memory
/// (a signed issuance is about 450 bytes).
pub const MAX_POOL: usize = 600_000;

impl Config {
    /// Checks ranges and combinations.
    ///
    /// # Errors
    /// [`Error::Option`] naming the first bad option.
    pub fn validate(&self) -> Result<()> {
        if self.targets.is_empty() || self.targets.iter().any(|t| t.trim().is_empty()) {
            return Err(Error::option("--target", "give at least one URL"));
        }
        match self.load {
            Load::Open { rate } if !(rate.is_finite() && rate > 0.0 && rate <= 1e7) => {
                return Err(Error::option("--rate", "must be between 0 and 10,000,000"))
            }
            Load::Closed { concurrency } if concurrency == 0 || concurrency > 65_536 => {
                return Err(Error::option("--concurrency", "must be 1 to 65536"))
            }
            _ => {}
        }
        if self.duration.is_zero() || self.duration > Duration::from_secs(3600) {
            return Err(Error::option("--duration", "must be 1 to 3600 seconds"));
        }
        if self.batch == 0 || self.batch > MAX_BATCH {
            return Err(Error::option("--batch", format!("must be 1 to {MAX_BATCH}")));
        }
        if self.merchants == 0 || self.merchants > 10_000 {
            return Err(Error::option("--merchants", "must be 1 to 10000"));
        }
        if !(0.0..=1.0).contains(&self.duplicate_rate) {
            return Err(Error::option("--duplicate-rate", "must be between 0 and 1"));
        }
        if self.pool.is_some_and(|p| p == 0 || p > MAX_POOL) {
            return Err(Error::option("--pool", format!("must be 1 to {MAX_POOL}")));
        }
        Ok(())
    }

    /// Operations (transactions or reads) the run may need: the open loop's schedule,
    /// or a closed loop's generous pool of `per_second` for the whole duration.
    pub(crate) fn wanted(&self, per_second: f64, floor: usize, cap: usize) -> usize {
        if let Some(p) = self.pool {
            return p;
        }
        let secs = self.duration.as_secs_f64();
        let n = match self.load {
            Load::Open { rate } => (rate * secs).ceil(),
            Load::Closed { .. } => (per_second * secs).ceil(),
        };
        // Float to count: n is finite and positive here; saturating cast.
        (n as usize).clamp(floor, cap)
    }
}
