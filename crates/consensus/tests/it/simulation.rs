//! Scenarios: agreement, determinism, a crashed validator, restart from a checkpoint, and
//! certificate verification.

use crate::harness::{
    config, keys, network, roots, start_validator, start_validator_with, validator_list,
    wait_for_height, MemLedger,
};
use commonware_runtime::{deterministic, Runner as _};
use fapiao_consensus::{verify_finalization, Error};
use std::time::Duration;

const SEED: u64 = 7;

fn runner(seed: u64) -> deterministic::Runner {
    deterministic::Runner::new(
        deterministic::Config::new().with_seed(seed).with_timeout(Some(Duration::from_secs(600))),
    )
}

/// Runs 4 validators until all executed `height`; returns the runtime audit and each
/// ledger's roots.
fn run_four(seed: u64, height: u64) -> (String, Vec<Vec<[u8; 32]>>, Vec<MemLedger>) {
    let ledgers: Vec<MemLedger> = (0..4).map(|_| MemLedger::default()).collect();
    let out = ledgers.clone();
    let audit = runner(seed).start(|ctx| async move {
        let keys = keys(4);
        let oracle = network(&ctx, &keys).await;
        let mut engines = Vec::new();
        for (i, ledger) in ledgers.iter().enumerate() {
            engines.push(start_validator(&ctx, &oracle, &keys, i, ledger.clone()).await);
        }
        wait_for_height(&ctx, &ledgers, height).await;
        for engine in &engines {
            let status = engine.status().snapshot();
            assert!(status.executed_height >= height);
            assert!(status.finalized_height >= height);
        }
        ctx.auditor().state()
    });
    let all_roots = out.iter().map(|l| roots(l, height)).collect();
    (audit, all_roots, out)
}

#[test]
fn four_validators_agree_on_state() {
    let (_, roots, ledgers) = run_four(SEED, 20);
    for r in &roots[1..] {
        assert_eq!(r, &roots[0], "validators disagree on state roots");
    }
    for ledger in &ledgers {
        let s = ledger.0.lock().unwrap();
        assert_eq!(s.effective_calls, s.executed, "a block was executed twice");
        // Every executed block came with a finalization certificate.
        assert!(s.finality.values().all(Option::is_some));
    }
}

#[test]
fn same_seed_same_run() {
    let (audit_a, roots_a, _) = run_four(SEED, 10);
    let (audit_b, roots_b, _) = run_four(SEED, 10);
    assert_eq!(roots_a, roots_b);
    assert_eq!(audit_a, audit_b, "the runtime did not replay identically");
}

#[test]
fn progresses_with_one_validator_crashed() {
    let ledgers: Vec<MemLedger> = (0..4).map(|_| MemLedger::default()).collect();
    let survivors = ledgers[..3].to_vec();
    let waiting = survivors.clone();
    runner(SEED).start(|ctx| async move {
        let keys = keys(4);
        let oracle = network(&ctx, &keys).await;
        let mut engines = Vec::new();
        for (i, ledger) in ledgers.iter().enumerate() {
            engines.push(start_validator(&ctx, &oracle, &keys, i, ledger.clone()).await);
        }
        wait_for_height(&ctx, &ledgers, 5).await;
        engines[3].abort();
        let crashed_at = ledgers[3].executed_height();
        wait_for_height(&ctx, &waiting, 20).await;
        assert!(ledgers[3].executed_height() <= crashed_at + 1);
    });
    let expected = roots(&survivors[0], 20);
    for l in &survivors[1..] {
        assert_eq!(roots(l, 20), expected);
    }
}

#[test]
fn restart_resumes_without_reexecution() {
    let ledgers: Vec<MemLedger> = (0..4).map(|_| MemLedger::default()).collect();
    let first = ledgers.clone();
    let ((), checkpoint) = runner(SEED).start_and_recover(|ctx| async move {
        let keys = keys(4);
        let oracle = network(&ctx, &keys).await;
        for (i, ledger) in first.iter().enumerate() {
            // The engines stay running until the runtime stops: an unclean crash.
            let engine = start_validator(&ctx, &oracle, &keys, i, ledger.clone()).await;
            std::mem::forget(engine.status());
        }
        wait_for_height(&ctx, &first, 8).await;
    });
    let before: Vec<u64> = ledgers.iter().map(MemLedger::executed_height).collect();

    let second = ledgers.clone();
    deterministic::Runner::from(checkpoint).start(|ctx| async move {
        let keys = keys(4);
        let oracle = network(&ctx, &keys).await;
        let mut engines = Vec::new();
        for (i, ledger) in second.iter().enumerate() {
            engines.push(start_validator(&ctx, &oracle, &keys, i, ledger.clone()).await);
        }
        let target = before.iter().max().unwrap() + 10;
        wait_for_height(&ctx, &second, target).await;
    });

    let height = ledgers.iter().map(MemLedger::executed_height).min().unwrap();
    let expected = roots(&ledgers[0], height);
    for ledger in &ledgers {
        assert_eq!(roots(ledger, height), expected);
        let s = ledger.0.lock().unwrap();
        assert_eq!(s.effective_calls, s.executed, "a block was executed twice");
    }
}

#[test]
fn certificates_verify_and_tampering_fails() {
    let (_, _, ledgers) = run_four(SEED, 6);
    let validators: Vec<[u8; 32]> = validator_list(&keys(4)).into_iter().map(|(k, _)| k).collect();
    let ns = fapiao_types::NAMESPACE_CONSENSUS;
    let s = ledgers[0].0.lock().unwrap();
    let finality = s.finality[&5].clone().expect("certificate for height 5");
    let digest = finality.digest;
    assert_eq!(finality.height, 5);
    assert_eq!(digest, s.digests[&5]);

    let info = verify_finalization(&validators, ns, digest, &finality.certificate).unwrap();
    assert!(info.signers.len() >= info.quorum as usize);
    assert_eq!(info.quorum, 3);
    assert_eq!(info.digest, digest);
    assert!(info
        .signers
        .iter()
        .all(|s| s.index < 4 && validators[s.index as usize] == s.public_key));
    let json = info.to_json();
    assert_eq!(json.digest, hex::encode(digest));

    // A flipped bit in the last signature.
    let mut bad = finality.certificate.clone();
    *bad.last_mut().unwrap() ^= 1;
    assert!(matches!(
        verify_finalization(&validators, ns, digest, &bad),
        Err(Error::InvalidSignature { .. })
    ));
    // The right certificate for the wrong block.
    assert!(matches!(
        verify_finalization(&validators, ns, s.digests[&4], &finality.certificate),
        Err(Error::DigestMismatch { .. })
    ));
    // Another namespace.
    assert!(matches!(
        verify_finalization(&validators, b"_OTHER", digest, &finality.certificate),
        Err(Error::InvalidSignature { .. })
    ));
    // Another validator set of the same size.
    let mut others = validators.clone();
    others[0] = validator_list(&keys(100))[99].0;
    assert!(verify_finalization(&others, ns, digest, &finality.certificate).is_err());
    // Truncated bytes.
    assert!(matches!(
        verify_finalization(&validators, ns, digest, &finality.certificate[..10]),
        Err(Error::CertificateDecode(_))
    ));
}

/// A validator that lost its consensus storage but kept its ledger: marshal starts again
/// from genesis, backfills and re-delivers blocks the ledger already executed, and the
/// executor acknowledges them without executing twice.
#[test]
fn redelivered_blocks_are_not_reexecuted() {
    let ledgers: Vec<MemLedger> = (0..4).map(|_| MemLedger::default()).collect();
    let first = ledgers.clone();
    let ((), checkpoint) = runner(SEED).start_and_recover(|ctx| async move {
        let keys = keys(4);
        let oracle = network(&ctx, &keys).await;
        let mut engines = Vec::new();
        for (i, ledger) in first.iter().enumerate() {
            engines.push(start_validator(&ctx, &oracle, &keys, i, ledger.clone()).await);
        }
        wait_for_height(&ctx, &first, 8).await;
    });
    let executed_before = ledgers[0].executed_height();

    let second = ledgers.clone();
    let redelivered = deterministic::Runner::from(checkpoint).start(|ctx| async move {
        let keys = keys(4);
        let oracle = network(&ctx, &keys).await;
        let mut engines = Vec::new();
        for (i, ledger) in second.iter().enumerate() {
            let mut cfg = config(&keys, i);
            if i == 0 {
                cfg.partition_prefix = "v0-fresh".into();
            }
            engines.push(start_validator_with(&ctx, &oracle, &keys, i, ledger.clone(), cfg).await);
        }
        wait_for_height(&ctx, &second, executed_before + 8).await;
        engines[0].status().snapshot().redelivered
    });

    assert_eq!(redelivered, executed_before, "every executed block is re-delivered once");
    let height = ledgers.iter().map(MemLedger::executed_height).min().unwrap();
    let expected = roots(&ledgers[1], height);
    for ledger in &ledgers {
        assert_eq!(roots(ledger, height), expected);
        let s = ledger.0.lock().unwrap();
        assert_eq!(s.effective_calls, s.executed, "a block was executed twice");
    }
}

/// The default demo: one validator makes empty blocks at the block interval.
#[test]
fn single_validator_paces_blocks() {
    let ledger = MemLedger::default();
    let inner = ledger.clone();
    let (times, elapsed) = runner(SEED).start(|ctx| async move {
        let keys = keys(1);
        let oracle = network(&ctx, &keys).await;
        let engine = start_validator(&ctx, &oracle, &keys, 0, inner.clone()).await;
        let start = commonware_runtime::Clock::current(&ctx);
        wait_for_height(&ctx, &[inner], 10).await;
        let elapsed = commonware_runtime::Clock::current(&ctx).duration_since(start).unwrap();
        let mut times = Vec::new();
        for h in 1..=10 {
            times.push(engine.finalized_block(h).await.unwrap().header.time_ms);
        }
        (times, elapsed)
    });
    for pair in times.windows(2) {
        assert!(pair[1] >= pair[0] + 500, "blocks closer than the interval: {times:?}");
    }
    assert!(elapsed >= Duration::from_millis(4_500), "10 blocks took only {elapsed:?}");
    assert_eq!(ledger.executed_height(), ledger.0.lock().unwrap().effective_calls);
}

/// Marshal's block archive is pruned behind the executed height minus the window, the
/// finalization certificates stay, and a validator restarts over a pruned archive.
#[test]
fn the_block_archive_keeps_a_window_and_every_certificate() {
    let ledger = MemLedger::default();
    let first = ledger.clone();
    let small = |keys: &[commonware_cryptography::ed25519::PrivateKey]| {
        let mut cfg = config(keys, 0);
        cfg.block_window = 8;
        cfg.block_archive_section = std::num::NonZeroU64::new(4).unwrap();
        cfg
    };
    let ((), checkpoint) = runner(SEED).start_and_recover(|ctx| async move {
        let keys = keys(1);
        let oracle = network(&ctx, &keys).await;
        let engine =
            start_validator_with(&ctx, &oracle, &keys, 0, first.clone(), small(&keys)).await;
        wait_for_height(&ctx, std::slice::from_ref(&first), 40).await;
        // Pruning is asynchronous: give marshal a moment.
        commonware_runtime::Clock::sleep(&ctx, Duration::from_secs(2)).await;
        let executed = first.executed_height();
        assert!(engine.finalized_block(1).await.is_none(), "block 1 pruned");
        assert!(engine.finalized_block(executed - 20).await.is_none(), "old blocks pruned");
        assert!(engine.finalized_block(executed - 2).await.is_some(), "the window is kept");
        for h in 1..=executed {
            assert!(engine.finalization(h).await.is_some(), "certificate {h} kept");
        }
    });
    let executed = ledger.executed_height();
    let second = ledger.clone();
    deterministic::Runner::from(checkpoint).start(|ctx| async move {
        let keys = keys(1);
        let oracle = network(&ctx, &keys).await;
        let _engine =
            start_validator_with(&ctx, &oracle, &keys, 0, second.clone(), small(&keys)).await;
        wait_for_height(&ctx, std::slice::from_ref(&second), executed + 10).await;
    });
    let s = ledger.0.lock().unwrap();
    assert_eq!(s.effective_calls, s.executed, "a block was executed twice");
}

/// A validator down for longer than its peers' block window: marshal cannot backfill what
/// they pruned, so it does not catch up through consensus; once its ledger caught up from
/// elsewhere (the node's block sync), marshal starts at the ledger's height and it follows
/// the chain again, agreeing with the others.
#[test]
fn a_validator_behind_the_window_catches_up_from_its_ledger() {
    let ledgers: Vec<MemLedger> = (0..4).map(|_| MemLedger::default()).collect();
    let all = ledgers.clone();
    runner(SEED).start(|ctx| async move {
        let keys = keys(4);
        let oracle = network(&ctx, &keys).await;
        let small = |i: usize| {
            let mut cfg = config(&keys, i);
            cfg.block_window = 8;
            cfg.block_archive_section = std::num::NonZeroU64::new(4).unwrap();
            cfg
        };
        let mut engines = Vec::new();
        for (i, ledger) in all.iter().enumerate().take(3) {
            engines.push(
                start_validator_with(&ctx, &oracle, &keys, i, ledger.clone(), small(i)).await,
            );
        }
        wait_for_height(&ctx, &all[..3], 60).await;
        // Started empty, the fourth must backfill from genesis: its peers pruned that.
        let late = start_validator_with(&ctx, &oracle, &keys, 3, all[3].clone(), small(3)).await;
        commonware_runtime::Clock::sleep(&ctx, Duration::from_secs(20)).await;
        assert!(all[3].executed_height() < 40, "caught up through pruned archives?");
        late.abort();
        // Its ledger catches up from a peer's (as block sync would); marshal then starts
        // at that height.
        all[3].catch_up_from(&all[0]);
        let from = all[3].executed_height();
        let _late = start_validator_with(&ctx, &oracle, &keys, 3, all[3].clone(), small(3)).await;
        wait_for_height(&ctx, &all, from + 15).await;
    });
    let height = ledgers.iter().map(MemLedger::executed_height).min().unwrap();
    let expected = roots(&ledgers[0], height);
    for ledger in &ledgers {
        assert_eq!(roots(ledger, height), expected);
        let s = ledger.0.lock().unwrap();
        assert_eq!(s.effective_calls, s.executed, "a block was executed twice");
    }
}
