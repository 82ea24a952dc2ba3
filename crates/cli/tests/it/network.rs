//! Four validators as separate processes on 127.0.0.1, from `fapiao init`: they agree,
//! survive one crash, halt without forking when two are down, and converge again when
//! those restart. A write sent to any node reaches the chain.

use commonware_codec::Encode;
use fapiao_types::*;
use rand_core::RngCore;
use serde_json::Value;
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

struct Node {
    config: PathBuf,
    url: String,
    child: Option<Child>,
    log: PathBuf,
}

impl Node {
    fn start(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).unwrap();
        self.child = Some(
            Command::new(env!("CARGO_BIN_EXE_fapiao"))
                .args(["node", "--config"])
                .arg(&self.config)
                .env("FAPIAO_LOG", "info,commonware=warn")
                .stdout(Stdio::from(log.try_clone().unwrap()))
                .stderr(Stdio::from(log))
                .spawn()
                .unwrap(),
        );
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn get(&self, path: &str) -> Option<Value> {
        let c =
            reqwest::blocking::Client::builder().timeout(Duration::from_secs(5)).build().ok()?;
        let r = c.get(format!("{}{path}", self.url)).send().ok()?;
        if !r.status().is_success() {
            return None;
        }
        r.json().ok()
    }

    fn height(&self) -> Option<u64> {
        self.get("/v1/status")?["height"].as_u64()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

fn logs(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(&n.log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(15).collect();
            format!("--- {}\n{}", n.url, tail.into_iter().rev().collect::<Vec<_>>().join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn wait_until(nodes: &[Node], what: &str, within: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}\n{}", logs(nodes));
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Header digest and state root of block `h` on every listed node (all must have it).
fn same_block(nodes: &[&Node], h: u64) {
    let views: Vec<(String, String)> = nodes
        .iter()
        .map(|n| {
            let b = n
                .get(&format!("/v1/blocks/{h}"))
                .unwrap_or_else(|| panic!("{} lacks block {h}", n.url));
            (
                b["digest"].as_str().unwrap().into(),
                b["header"]["state_root"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(views.windows(2).all(|w| w[0] == w[1]), "nodes disagree at height {h}: {views:?}");
}

fn init(dir: &Path, base: u16) {
    let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
        .args(["init", "--validators", "4", "--block-interval-ms", "200", "--base-port"])
        .arg(base.to_string())
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn four_validators_agree_survive_one_crash_halt_at_two_and_converge_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let base = 30_000 + (rand_core::OsRng.next_u32() % 20_000) as u16;
    init(tmp.path(), base);
    let genesis =
        Genesis::from_json(&std::fs::read_to_string(tmp.path().join("genesis.json")).unwrap())
            .unwrap();
    let mut nodes: Vec<Node> = (0..4)
        .map(|i| Node {
            config: tmp.path().join(format!("node{i}/config.toml")),
            url: format!("http://127.0.0.1:{}", base + 100 + i),
            child: None,
            log: tmp.path().join(format!("node{i}.log")),
        })
        .collect();
    for n in nodes.iter_mut() {
        n.start();
    }
    wait_until(&nodes, "all four at height 5", Duration::from_secs(120), || {
        nodes.iter().all(|n| n.height().is_some_and(|h| h >= 5))
    });
    same_block(&nodes.iter().collect::<Vec<_>>(), 5);

    // A write sent to one node is committed and visible on all.
    let admin = fapiao_keystore::read_key_file(tmp.path().join("node0/admin-key.json")).unwrap();
    let member = fapiao_crypto::SigningKey::generate(Suite::Ed25519, &mut rand_core::OsRng);
    let height = nodes[2].height().unwrap();
    let stx = admin.sign_tx(Tx {
        chain_id: genesis.chain_id.clone(),
        sender: admin.public_key(),
        nonce: rand_core::OsRng.next_u64(),
        expiry: height + 200,
        action: Action::AddAccount(NewAccount {
            public_key: member.public_key(),
            name: "officer".into(),
            roles: vec![Role::TaxOfficer],
        }),
    });
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/transactions?wait=false", nodes[2].url))
        .header("content-type", "application/octet-stream")
        .body(stx.encode().to_vec())
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    let path = format!("/v1/transactions/{}", hex::encode(stx.hash()));
    wait_until(&nodes, "the transaction on every node", Duration::from_secs(30), || {
        nodes.iter().all(|n| n.get(&path).is_some_and(|t| t["receipt"]["status"] == "ok"))
    });

    // One validator down: the others keep finalizing.
    nodes[3].kill();
    let h1 = nodes[0].height().unwrap();
    wait_until(&nodes, "progress with one validator down", Duration::from_secs(30), || {
        nodes[0].height().is_some_and(|h| h >= h1 + 3)
    });

    // Two down: no quorum, no new blocks, no divergence.
    nodes[2].kill();
    std::thread::sleep(Duration::from_secs(2));
    let stalled = nodes[0].height().unwrap();
    std::thread::sleep(Duration::from_secs(4));
    let after = nodes[0].height().unwrap();
    assert!(after <= stalled + 1, "no quorum, yet height moved {stalled} → {after}");
    let common = nodes[0].height().unwrap().min(nodes[1].height().unwrap());
    same_block(&[&nodes[0], &nodes[1]], common);

    // Restart both: all four catch up and the chain moves again.
    nodes[2].start();
    nodes[3].start();
    let target = after + 5;
    wait_until(&nodes, "all four converge past the stall", Duration::from_secs(120), || {
        nodes.iter().all(|n| n.height().is_some_and(|h| h >= target))
    });
    let all: Vec<&Node> = nodes.iter().collect();
    for h in [1, common, target] {
        same_block(&all, h);
    }
    // The restarted nodes executed the transaction they missed nothing of.
    assert!(nodes[3].get(&path).is_some_and(|t| t["receipt"]["status"] == "ok"));
}
