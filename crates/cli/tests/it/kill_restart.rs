//! Durability: a node SIGKILLed at random moments under load restarts with every
//! finalized block, the same header and state root at every old height, and goes on
//! producing blocks.

use crate::harness::Demo;
use commonware_codec::Encode;
use fapiao_types::*;
use rand_core::RngCore;
use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

fn headers(demo: &Demo, upto: u64) -> Vec<(String, String)> {
    (0..=upto)
        .map(|h| {
            let (s, b) = demo.get(&format!("/v1/blocks/{h}"));
            assert_eq!(s, 200, "block {h}: {b}");
            (
                b["header_hex"].as_str().unwrap().to_string(),
                b["header"]["state_root"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn kill_restart_under_load_keeps_every_header_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let mut demo = Demo::start(tmp.path());
    let admin_file = demo.identity("sz-metro admin")["key_file"].as_str().unwrap().to_string();
    let admin = fapiao_keystore::read_key_file(&admin_file).unwrap();

    // Load: a client signing add-account transactions and submitting without waiting,
    // following the node across restarts.
    let url = Arc::new(Mutex::new(demo.url.clone()));
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let load = {
        let (url, stop, sent) = (url.clone(), stop.clone(), sent.clone());
        std::thread::spawn(move || {
            let client = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            while !stop.load(Ordering::Relaxed) {
                let base = url.lock().unwrap().clone();
                let height = client
                    .get(format!("{base}/v1/status"))
                    .send()
                    .ok()
                    .and_then(|r| r.json::<serde_json::Value>().ok())
                    .and_then(|v| v["height"].as_u64());
                let Some(height) = height else {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                };
                for _ in 0..20 {
                    let member =
                        fapiao_crypto::SigningKey::generate(Suite::Ed25519, &mut rand_core::OsRng);
                    let stx = admin.sign_tx(Tx {
                        chain_id: "fapiao-demo".into(),
                        sender: admin.public_key(),
                        nonce: rand_core::OsRng.next_u64(),
                        expiry: height + 50,
                        action: Action::AddAccount(NewAccount {
                            public_key: member.public_key(),
                            name: "load".into(),
                            roles: vec![Role::MerchantIssuer],
                        }),
                    });
                    let ok = client
                        .post(format!("{base}/v1/transactions?wait=false"))
                        .header("content-type", "application/octet-stream")
                        .body(stx.encode().to_vec())
                        .send()
                        .is_ok_and(|r| r.status().is_success());
                    if ok {
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    let mut before_total = 0;
    for round in 0..3 {
        let delay = 1_000 + rand_core::OsRng.next_u64() % 2_500;
        std::thread::sleep(Duration::from_millis(delay));
        let h = demo.height();
        let before = headers(&demo, h);
        demo.kill();
        let committed_before = sent.load(Ordering::Relaxed);
        demo = Demo::start(tmp.path());
        *url.lock().unwrap() = demo.url.clone();
        // The node has every block it had before (it may have finalized more before dying).
        assert!(demo.height() >= h, "round {round}: restarted below {h}");
        let after = headers(&demo, h);
        assert_eq!(
            before, after,
            "round {round}: headers and state roots unchanged at every old height"
        );
        demo.wait_height(h + 3, Duration::from_secs(30));
        eprintln!("round {round}: killed after {delay} ms at height {h}, {committed_before} txs sent so far");
        before_total = h;
    }
    stop.store(true, Ordering::Relaxed);
    load.join().unwrap();
    assert!(sent.load(Ordering::Relaxed) > 0, "load reached the node");
    // Transactions really committed across the restarts.
    let tip = demo.height();
    assert!(tip > before_total);
    let mut txs = 0;
    for h in 1..=tip {
        txs += demo.get(&format!("/v1/blocks/{h}")).1["header"]["tx_count"].as_u64().unwrap();
    }
    assert!(txs > 0, "load transactions were committed");
}
