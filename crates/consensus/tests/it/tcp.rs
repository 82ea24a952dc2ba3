//! Smoke test of the real wiring: tokio runtime, on-disk storage, authenticated TCP.

use crate::harness::{config, keys, MemLedger};
use commonware_runtime::{tokio, Clock, Runner as _, Supervisor as _};
use fapiao_consensus::start_lookup;
use std::time::Duration;

#[test]
fn single_validator_over_tcp_restarts_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = MemLedger::default();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let run = |target: u64| {
        let ledger = ledger.clone();
        let cfg_dir = dir.path().to_path_buf();
        tokio::Runner::new(tokio::Config::new().with_storage_directory(cfg_dir)).start(
            |ctx| async move {
                let keys = keys(1);
                let mut cfg = config(&keys, 0);
                let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
                cfg.validators[0].1 = addr;
                cfg.listen = addr;
                cfg.block_interval = Duration::from_millis(100);
                let engine =
                    start_lookup(ctx.child("consensus"), &cfg, ledger.clone()).await.unwrap();
                for _ in 0..300 {
                    if ledger.executed_height() >= target {
                        break;
                    }
                    ctx.sleep(Duration::from_millis(20)).await;
                }
                engine.abort();
            },
        );
    };
    run(3);
    let first = ledger.executed_height();
    assert!(first >= 3, "only {first} blocks");
    run(first + 3);
    assert!(ledger.executed_height() >= first + 3);
    let s = ledger.0.lock().unwrap();
    assert_eq!(s.effective_calls, s.executed);
}
