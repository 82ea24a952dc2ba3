//! The load shapes, independent of what receives the load: an open loop that starts
//! operations on a fixed schedule, and a closed loop that keeps N of them in flight.
//! A [`Backend`] runs one operation (a node submission, a database transaction, a read)
//! and records what happened in the shared [`Stats`].

use crate::{config::Load, stats::Stats};
use parking_lot::Mutex;
use std::{
    future::Future,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};
use tokio::sync::Semaphore;

/// Most operations the open loop keeps in flight before it falls behind its schedule
/// (the lag is reported).
const MAX_IN_FLIGHT: usize = 8192;

/// What receives the load.
pub(crate) trait Backend: Send + Sync + 'static {
    /// One unit of work (a batch of transactions, a transaction, a read).
    type Op: Send + 'static;

    /// How many transactions or reads `op` counts for the open loop's rate.
    fn units(op: &Self::Op) -> u64;

    /// Runs `op`, scheduled (open loop) or started (closed loop) at `intended`. With
    /// `wait`, returns only when its transactions are resolved (committed or refused);
    /// otherwise as soon as they are handed over.
    fn run(
        self: Arc<Self>,
        op: Self::Op,
        intended: Instant,
        wait: bool,
    ) -> impl Future<Output = ()> + Send;

    /// After sending stopped: waits until nothing is outstanding or `deadline`.
    fn drain(self: Arc<Self>, deadline: Instant) -> impl Future<Output = ()> + Send;
}

/// When the run sent and how long it waited afterwards.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timing {
    /// Length of the measurement window, from the first submission.
    pub window: Duration,
    /// The prepared operations ran out before the duration.
    pub exhausted: bool,
    /// Time spent waiting for stragglers past the nominal end of the run.
    pub drained: Duration,
    /// Open loop: the most an operation started after its scheduled time.
    pub max_lag: Option<Duration>,
}

/// Runs `ops` under `load` for `duration`, then waits up to `drain` for stragglers.
pub(crate) async fn drive<B: Backend>(
    backend: Arc<B>,
    stats: Arc<Stats>,
    ops: Vec<B::Op>,
    load: Load,
    duration: Duration,
    drain: Duration,
    progress: bool,
) -> Timing {
    let stop_progress = Arc::new(AtomicBool::new(false));
    let t0 = stats.start();
    let end = t0 + duration;
    let progress_task =
        progress.then(|| tokio::spawn(report_progress(stats.clone(), stop_progress.clone())));
    let (exhausted, max_lag) = match load {
        Load::Closed { concurrency } => {
            (closed_loop(&backend, ops, concurrency, end, drain).await, None)
        }
        Load::Open { rate } => {
            let (ex, lag) = open_loop(&backend, ops, rate, t0, end, drain).await;
            (ex, Some(lag))
        }
    };
    let sending_stopped = Instant::now();
    backend.clone().drain(end.max(sending_stopped) + drain).await;
    let done = Instant::now();
    stop_progress.store(true, Ordering::Relaxed);
    if let Some(t) = progress_task {
        let _ = t.await;
    }
    let window = if exhausted { (done - t0).min(duration) } else { duration };
    Timing { window, exhausted, drained: done.saturating_duration_since(end), max_lag }
}

/// `concurrency` workers, each taking the next operation and running it to completion,
/// until `end` or until the operations run out. Returns whether they ran out.
async fn closed_loop<B: Backend>(
    backend: &Arc<B>,
    ops: Vec<B::Op>,
    concurrency: usize,
    end: Instant,
    drain: Duration,
) -> bool {
    let queue = Arc::new(Mutex::new(ops.into_iter()));
    let exhausted = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (queue, exhausted, backend) = (queue.clone(), exhausted.clone(), backend.clone());
        workers.push(tokio::spawn(async move {
            while Instant::now() < end {
                let next = queue.lock().next();
                let Some(op) = next else {
                    exhausted.store(true, Ordering::Relaxed);
                    break;
                };
                backend.clone().run(op, Instant::now(), true).await;
            }
        }));
    }
    let all = futures::future::join_all(workers.iter_mut());
    if tokio::time::timeout_at((end + drain).into(), all).await.is_err() {
        for w in &workers {
            w.abort();
        }
    }
    exhausted.load(Ordering::Relaxed)
}

/// Starts operation k at `t0 + (units before k) / rate` until `end`. Returns whether
/// the operations ran out first, and the largest lag behind the schedule.
async fn open_loop<B: Backend>(
    backend: &Arc<B>,
    ops: Vec<B::Op>,
    rate: f64,
    t0: Instant,
    end: Instant,
    drain: Duration,
) -> (bool, Duration) {
    let permits = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut units = 0u64;
    let mut max_lag = Duration::ZERO;
    let mut tasks = Vec::new();
    let mut exhausted = true;
    for op in ops {
        let due = t0 + Duration::from_secs_f64(units as f64 / rate);
        if due >= end {
            exhausted = false;
            break;
        }
        tokio::time::sleep_until(due.into()).await;
        let Ok(permit) = permits.clone().acquire_owned().await else { break };
        max_lag = max_lag.max(Instant::now().saturating_duration_since(due));
        units += B::units(&op);
        let backend = backend.clone();
        tasks.push(tokio::spawn(async move {
            backend.run(op, due, false).await;
            drop(permit);
        }));
    }
    if exhausted && Instant::now() >= end {
        exhausted = false;
    }
    let all = futures::future::join_all(tasks.iter_mut());
    if tokio::time::timeout_at((end + drain).into(), all).await.is_err() {
        for t in &tasks {
            t.abort();
        }
    }
    (exhausted, max_lag)
}

async fn report_progress(stats: Arc<Stats>, stop: Arc<AtomicBool>) {
    let t0 = stats.start();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.tick().await;
    let mut last = (0u64, 0u64);
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let (_, committed, pending, reads) = stats.progress();
        let rate = committed.saturating_sub(last.0);
        let read_rate = reads.saturating_sub(last.1);
        last = (committed, reads);
        let reads_part =
            if reads > 0 { format!("  reads {reads} ({read_rate}/s)") } else { String::new() };
        eprintln!(
            "[bench] {:>4}s  committed {committed}  {rate} tx/s  pending {pending}{reads_part}",
            t0.elapsed().as_secs()
        );
    }
}

/// CPU seconds (user + system) this process used so far, from `/proc/self/stat`
/// (Linux; clock ticks at the usual 100 Hz). `None` elsewhere.
pub(crate) fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After the command name: state is field 3 of the file, utime 14 and stime 15.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Merges operation lists in proportion to their units: at every step the list that
/// has used the smallest share of its units goes next.
pub(crate) fn interleave<T>(lists: Vec<Vec<T>>, units: impl Fn(&T) -> u64) -> Vec<T> {
    let totals: Vec<u64> = lists.iter().map(|l| l.iter().map(&units).sum::<u64>().max(1)).collect();
    let mut used = vec![0u64; lists.len()];
    let mut iters: Vec<_> = lists.into_iter().map(|l| l.into_iter().peekable()).collect();
    let mut out = Vec::new();
    loop {
        let next = (0..iters.len()).filter(|&i| iters[i].peek().is_some()).min_by(|&a, &b| {
            let fa = used[a] as f64 / totals[a] as f64;
            let fb = used[b] as f64 / totals[b] as f64;
            fa.total_cmp(&fb)
        });
        let Some(i) = next else { break };
        let Some(op) = iters[i].next() else { break };
        used[i] += units(&op);
        out.push(op);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaving_keeps_the_proportions() {
        let a = vec![10u64; 7];
        let b = vec![1u64; 20];
        let out = interleave(vec![a, b], |x| *x);
        assert_eq!(out.len(), 27);
        // After the first half of the units of each, both lists are half used.
        let first: u64 = out.iter().take(14).sum();
        assert!((40..=50).contains(&first), "{first}");
    }
}
