//! Issue 15's spike, side by side: option (a), today's Jellyfish tree with pruning, and
//! option (b), QMDB, at 100k and 1M invoices.
//!
//! ```text
//! cargo bench -p fapiao-state-spike --bench state_engines
//! SPIKE_SIZES=20000,100000 SPIKE_ENGINES=qmdb cargo bench -p fapiao-state-spike --bench state_engines
//! ```
//!
//! `SPIKE_JMT_MODES` and `SPIKE_QMDB_VARIANTS` pick the variants. The memory figure is this
//! process's RSS growth, so it holds only for the first variant a process runs: for the
//! figures of ADR 0009 run each variant in its own process, as BENCHMARKS.md shows.

fn main() -> anyhow::Result<()> {
    let sizes: Vec<u64> = std::env::var("SPIKE_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let engines = std::env::var("SPIKE_ENGINES").unwrap_or_else(|_| "jmt,qmdb".into());
    for engine in engines.split(',') {
        let dir = tempfile::tempdir()?;
        let figures = match engine.trim() {
            "jmt" => fapiao_state_spike::jmt_pruned::measure(dir.path(), &sizes)?,
            "qmdb" => fapiao_state_spike::qmdb::measure(dir.path(), &sizes)?,
            other => anyhow::bail!("unknown engine {other}: jmt or qmdb"),
        };
        for f in figures {
            println!("{f}");
        }
    }
    Ok(())
}
