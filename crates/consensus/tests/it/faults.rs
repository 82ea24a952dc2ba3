//! Faulty networks: 7 validators over lossy, jittery links; partitions with and without a
//! quorum; crashed validators that restart. Every honest validator must end with the same
//! state roots, and the same seed must give the same run.

use crate::harness::{
    assert_consistent, heal, heights, keys, lossy_link, network_with, partition, roots, start_all,
    start_validator, wait_for_height, MemLedger,
};
use commonware_runtime::{deterministic, Clock as _, Runner as _};
use std::time::Duration;

const SEED: u64 = 42;

fn runner(seed: u64) -> deterministic::Runner {
    deterministic::Runner::new(
        deterministic::Config::new().with_seed(seed).with_timeout(Some(Duration::from_secs(900))),
    )
}

fn ledgers(n: usize) -> Vec<MemLedger> {
    (0..n).map(|_| MemLedger::default()).collect()
}

/// Panics unless every ledger has exactly `expected` as its roots up to `height`.
fn assert_same_roots(ledgers: &[MemLedger], height: u64) {
    let expected = roots(&ledgers[0], height);
    for (i, ledger) in ledgers.iter().enumerate() {
        assert_eq!(roots(ledger, height), expected, "validator {i} disagrees up to {height}");
    }
    assert_consistent(ledgers);
}

/// Time for messages already in flight when the network changed to arrive (well above
/// the 50 ms + jitter links, a leader timeout and a fetch timeout).
const SETTLE: Duration = Duration::from_secs(5);

/// Runs 7 validators over [`lossy_link`]s until all executed `height`; returns the
/// runtime's audit and every validator's roots.
fn run_seven_lossy(seed: u64, height: u64) -> (String, Vec<Vec<[u8; 32]>>) {
    let ledgers = ledgers(7);
    let inner = ledgers.clone();
    let audit = runner(seed).start(|ctx| async move {
        let keys = keys(7);
        let oracle = network_with(&ctx, &keys, lossy_link).await;
        let engines = start_all(&ctx, &oracle, &keys, &inner).await;
        wait_for_height(&ctx, &inner, height).await;
        for engine in &engines {
            assert!(engine.status().snapshot().finalized_height >= height);
        }
        ctx.auditor().state()
    });
    assert_same_roots(&ledgers, height);
    (audit, ledgers.iter().map(|l| roots(l, height)).collect())
}

#[test]
fn seven_validators_over_lossy_links_agree_and_replay() {
    let (audit_a, roots_a) = run_seven_lossy(SEED, 15);
    let (audit_b, roots_b) = run_seven_lossy(SEED, 15);
    assert_eq!(roots_a, roots_b, "the same seed produced another chain");
    assert_eq!(audit_a, audit_b, "the runtime did not replay identically");
}

/// 4 validators split 2|2: neither side has a quorum (3), so nothing is finalized and
/// nothing diverges; once healed, all finalize again and agree.
#[test]
fn four_validators_split_in_half_halt_then_recover() {
    let ledgers = ledgers(4);
    let inner = ledgers.clone();
    let (halted, target) = runner(SEED).start(|ctx| async move {
        let keys = keys(4);
        let oracle = network_with(&ctx, &keys, lossy_link).await;
        let engines = start_all(&ctx, &oracle, &keys, &inner).await;
        wait_for_height(&ctx, &inner, 5).await;

        partition(&oracle, &keys, &[0, 1], &[2, 3]).await;
        ctx.sleep(SETTLE).await;
        let executed = heights(&inner);
        let finalized: Vec<u64> =
            engines.iter().map(|e| e.status().snapshot().finalized_height).collect();
        ctx.sleep(Duration::from_secs(30)).await;
        assert_eq!(heights(&inner), executed, "a height was executed without a quorum");
        let after: Vec<u64> =
            engines.iter().map(|e| e.status().snapshot().finalized_height).collect();
        assert_eq!(after, finalized, "a height was finalized without a quorum");
        assert_consistent(&inner);

        heal(&oracle, &keys, &[0, 1], &[2, 3], lossy_link).await;
        let target = executed.iter().max().unwrap() + 10;
        wait_for_height(&ctx, &inner, target).await;
        (executed, target)
    });
    assert!(halted.iter().all(|&h| h >= 5));
    assert_same_roots(&ledgers, target);
}

/// 7 validators (f = 2): 2 crash and the other 5 keep finalizing; the 2 restart from
/// their storage and converge on the same roots.
#[test]
fn seven_validators_survive_two_crashes_and_restart() {
    let ledgers = ledgers(7);
    let inner = ledgers.clone();
    let target = runner(SEED).start(|ctx| async move {
        let keys = keys(7);
        let oracle = network_with(&ctx, &keys, lossy_link).await;
        let mut engines = start_all(&ctx, &oracle, &keys, &inner).await;
        wait_for_height(&ctx, &inner, 4).await;

        engines[5].abort();
        engines[6].abort();
        let crashed = heights(&inner[5..]);
        let resumed = heights(&inner[..5]).into_iter().max().unwrap() + 10;
        wait_for_height(&ctx, &inner[..5], resumed).await;
        assert_eq!(heights(&inner[5..]), crashed, "a crashed validator executed");
        assert_consistent(&inner);

        for i in [5, 6] {
            engines[i] = start_validator(&ctx, &oracle, &keys, i, inner[i].clone()).await;
        }
        let target = heights(&inner).into_iter().max().unwrap() + 5;
        wait_for_height(&ctx, &inner, target).await;
        for engine in &engines {
            assert!(engine.status().snapshot().finalized_height >= target);
        }
        target
    });
    assert_same_roots(&ledgers, target);
}

/// 7 validators split 5|2: the 5 are a quorum and keep finalizing, the 2 stall; after
/// healing, the 2 fetch the blocks they missed (marshal backfill) and agree.
#[test]
fn seven_validators_minority_partition_catches_up() {
    let ledgers = ledgers(7);
    let inner = ledgers.clone();
    let (majority_gain, target) = runner(SEED).start(|ctx| async move {
        let keys = keys(7);
        let oracle = network_with(&ctx, &keys, lossy_link).await;
        let engines = start_all(&ctx, &oracle, &keys, &inner).await;
        wait_for_height(&ctx, &inner, 4).await;

        partition(&oracle, &keys, &[0, 1, 2, 3, 4], &[5, 6]).await;
        ctx.sleep(SETTLE).await;
        let stalled = heights(&inner[5..]);
        let before = heights(&inner[..5]).into_iter().min().unwrap();
        let majority_target = heights(&inner[..5]).into_iter().max().unwrap() + 20;
        wait_for_height(&ctx, &inner[..5], majority_target).await;
        assert_eq!(heights(&inner[5..]), stalled, "the minority executed without a quorum");
        assert_consistent(&inner);

        heal(&oracle, &keys, &[0, 1, 2, 3, 4], &[5, 6], lossy_link).await;
        let target = heights(&inner).into_iter().max().unwrap() + 3;
        wait_for_height(&ctx, &inner, target).await;
        for engine in &engines {
            assert!(engine.status().snapshot().finalized_height >= target);
        }
        (majority_target - before, target)
    });
    assert!(majority_gain >= 20);
    assert_same_roots(&ledgers, target);
}
