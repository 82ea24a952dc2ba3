//! The load generator of `fapiao bench`: signed invoice workloads against nodes over
//! HTTP, and the same workloads against PostgreSQL as a baseline.
//!
//! A run has two phases. **Setup** (not measured) prepares the consortium's merchants on the
//! chain with the demo's keys (`identities.json`), creates whatever the workload acts
//! on (invoices to reimburse or to read) and signs every transaction the run will send.
//! The **measured phase** starts the clock at the first submission and sends them —
//! in batches through `POST /v1/transactions/batch`, or one by one with `batch = 1` —
//! open loop (a fixed rate) or closed loop (N requests in flight, each until its
//! transactions are committed), round-robin over the targets, while a follower polls
//! the first target's height and reads each new block's `tx_hashes` and `outcomes`: a
//! transaction is committed when its block is first seen. After the duration it stops
//! sending and waits (bounded) for stragglers.
//!
//! The [`Report`] gives committed transactions per second over the window, the success
//! rate, submit → commit latency percentiles, refusals and failures by code, the number
//! of invoices reimbursed more than once (must be 0), and the node's memory.
//!
//! ```no_run
//! let cfg = fapiao_bench::Config {
//!     workload: fapiao_bench::Workload::Issue,
//!     load: fapiao_bench::Load::Closed { concurrency: 32 },
//!     ..Default::default()
//! };
//! let report = fapiao_bench::run(cfg)?;
//! println!("{}", report.to_table());
//! # Ok::<(), fapiao_bench::Error>(())
//! ```
#![deny(missing_docs)]

mod config;
mod drive;
mod error;
mod follow;
mod gen;
mod identities;
mod node;
mod pg;
mod report;
mod setup;
mod stats;

pub use config::{Config, Load, Workload, MAX_BATCH, MAX_POOL};
pub use error::{Error, Result};
pub use report::{NodeResources, Report};
pub use stats::{BlockReport, Latency, Measured, ReadReport};

use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

/// Runs the benchmark `cfg` describes, on a runtime of its own.
///
/// # Errors
/// Bad options, an unreadable identities file, an unreachable node or database, a
/// setup transaction refused. What happens to measured transactions is in the report.
pub fn run(cfg: Config) -> Result<Report> {
    cfg.validate()?;
    let rt =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(Error::Runtime)?;
    rt.block_on(async move {
        match cfg.postgres.clone() {
            Some(url) => run_postgres(&cfg, &url).await,
            None => run_nodes(&cfg).await,
        }
    })
}

fn reimbursing(w: Workload) -> bool {
    matches!(w, Workload::Reimburse | Workload::Mixed)
}

async fn run_nodes(cfg: &Config) -> Result<Report> {
    let t_setup = Instant::now();
    let client = node::NodeClient::new(Duration::from_secs(60), cfg.tls.as_ref())?;
    let mut chain = setup::NodeSetup::connect(cfg, client.clone()).await?;
    let prepared = chain.prepare(cfg).await?;
    let from = chain.height().await?;
    let setup_s = t_setup.elapsed().as_secs_f64();

    let follow_url = cfg.targets[0].clone();
    let before = client.metrics(&follow_url).await.ok();
    let stats = Arc::new(stats::Stats::default());
    let backend = Arc::new(follow::NodeBackend::new(
        client.clone(),
        cfg.targets.clone(),
        cfg.batch == 1,
        stats.clone(),
        cfg.drain,
    ));
    let follower = tokio::spawn(backend.clone().follow(from));
    let rss_max = Arc::new(AtomicU64::new(before.and_then(|m| m.rss_bytes).unwrap_or(0)));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (client, url, rss_max, sampling) =
            (client.clone(), follow_url.clone(), rss_max.clone(), sampling.clone());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Ok(m) = client.metrics(&url).await {
                    rss_max.fetch_max(m.rss_bytes.unwrap_or(0), Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };
    let cpu0 = drive::cpu_seconds();
    let timing = drive::drive(
        backend.clone(),
        stats.clone(),
        prepared.ops,
        cfg.load,
        cfg.duration,
        cfg.drain,
        cfg.progress,
    )
    .await;
    let cpu = cpu0.zip(drive::cpu_seconds()).map(|(a, b)| b - a);
    backend.stop();
    let _ = follower.await;
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.await;
    let after = client.metrics(&follow_url).await.ok();
    if let Some(rss) = after.and_then(|m| m.rss_bytes) {
        rss_max.fetch_max(rss, Ordering::Relaxed);
    }
    let exec = match (before, after) {
        (Some(b), Some(a)) => match (b.exec_count, a.exec_count, b.exec_sum_s, a.exec_sum_s) {
            (Some(c0), Some(c1), Some(s0), Some(s1)) if c1 > c0 => {
                Some((c1 - c0, (s1 - s0) * 1000.0 / (c1 - c0) as f64))
            }
            _ => None,
        },
        _ => None,
    };
    let mut notes = prepared.notes;
    if cfg.workload == Workload::Claim {
        notes.push(
            "claim: each order is two transactions (record, then claim once the record is \
             committed); latency is per transaction"
                .into(),
        );
    }
    Ok(Report {
        backend: "fapiao",
        workload: cfg.workload,
        load: cfg.load,
        batch: cfg.batch,
        targets: cfg.targets.clone(),
        connections: None,
        duration_s: cfg.duration.as_secs_f64(),
        window_s: round3(timing.window.as_secs_f64()),
        pool_exhausted: timing.exhausted,
        prepared: prepared.units,
        drain_s: round3(timing.drained.as_secs_f64()),
        setup_s: round3(setup_s),
        signing_s: round3(prepared.signing.as_secs_f64()),
        max_schedule_lag_ms: timing.max_lag.map(|d| round3(d.as_secs_f64() * 1000.0)),
        unresolved: backend.unresolved() as u64,
        measured: stats.summarize(timing.window, reimbursing(cfg.workload)),
        node: Some(NodeResources {
            rss_before_bytes: before.and_then(|m| m.rss_bytes),
            rss_after_bytes: after.and_then(|m| m.rss_bytes),
            rss_max_bytes: Some(rss_max.load(Ordering::Relaxed)).filter(|r| *r > 0),
            blocks_executed: exec.map(|e| e.0),
            block_execution_mean_ms: exec.map(|e| round3(e.1)),
        }),
        client_cpu_s: cpu.map(round3),
        notes,
    })
}

async fn run_postgres(cfg: &Config, url: &str) -> Result<Report> {
    let t_setup = Instant::now();
    let stats = Arc::new(stats::Stats::default());
    let prepared = pg::prepare(cfg, url, stats.clone()).await?;
    let setup_s = t_setup.elapsed().as_secs_f64();
    let cpu0 = drive::cpu_seconds();
    let timing = drive::drive(
        prepared.backend.clone(),
        stats.clone(),
        prepared.ops,
        cfg.load,
        cfg.duration,
        cfg.drain,
        cfg.progress,
    )
    .await;
    let cpu = cpu0.zip(drive::cpu_seconds()).map(|(a, b)| b - a);
    let mut notes =
        vec!["one invoice per database transaction (autocommit), server defaults for durability; \
         --batch does not apply"
            .to_string()];
    if cfg.workload == Workload::Claim {
        notes.push(
            "claim: an order insert, then one statement claiming it and inserting its invoice"
                .into(),
        );
    }
    Ok(Report {
        backend: "postgres",
        workload: cfg.workload,
        load: cfg.load,
        batch: 1,
        targets: vec![pg::redact(url)],
        connections: Some(prepared.connections),
        duration_s: cfg.duration.as_secs_f64(),
        window_s: round3(timing.window.as_secs_f64()),
        pool_exhausted: timing.exhausted,
        prepared: prepared.units,
        drain_s: round3(timing.drained.as_secs_f64()),
        setup_s: round3(setup_s),
        signing_s: 0.0,
        max_schedule_lag_ms: timing.max_lag.map(|d| round3(d.as_secs_f64() * 1000.0)),
        unresolved: 0,
        measured: stats.summarize(timing.window, reimbursing(cfg.workload)),
        node: None,
        client_cpu_s: cpu.map(round3),
        notes,
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
