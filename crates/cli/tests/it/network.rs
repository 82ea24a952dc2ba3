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
    /// Bearer token for reads of private records (a tax officer's).
    token: std::sync::Mutex<Option<String>>,
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
        let mut req = c.get(format!("{}{path}", self.url));
        if let Some(t) = self.token.lock().unwrap().as_ref() {
            req = req.bearer_auth(t);
        }
        let r = req.send().ok()?;
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

/// `fapiao init` of four validators in `dir`, all started; returns the genesis and nodes.
fn start_network(dir: &Path) -> (Genesis, Vec<Node>) {
    // Below the ephemeral range (32768-60999): a stopped node's ports cannot be taken by
    // outgoing connections before it restarts.
    let base = 20_000 + (rand_core::OsRng.next_u32() % 12_000) as u16;
    init(dir, base);
    let genesis =
        Genesis::from_json(&std::fs::read_to_string(dir.join("genesis.json")).unwrap()).unwrap();
    let mut nodes: Vec<Node> = (0..4)
        .map(|i| Node {
            config: dir.join(format!("node{i}/config.toml")),
            url: format!("http://127.0.0.1:{}", base + 100 + i),
            child: None,
            log: dir.join(format!("node{i}.log")),
            token: Default::default(),
        })
        .collect();
    for n in nodes.iter_mut() {
        n.start();
    }
    (genesis, nodes)
}

#[test]
fn four_validators_agree_survive_one_crash_halt_at_two_and_converge_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let (genesis, mut nodes) = start_network(tmp.path());
    wait_until(&nodes, "all four at height 5", Duration::from_secs(120), || {
        nodes.iter().all(|n| n.height().is_some_and(|h| h >= 5))
    });
    same_block(&nodes.iter().collect::<Vec<_>>(), 5);
    // Status shows the other validators, reachable, with their heights.
    wait_until(&nodes, "peers reported with heights", Duration::from_secs(30), || {
        nodes[0].get("/v1/status").is_some_and(|s| {
            let peers = s["peers"].as_array().unwrap().clone();
            peers.len() == 4
                && peers
                    .iter()
                    .filter(|p| p["is_self"] == false)
                    .all(|p| p["connected"] == true && p["height"].as_u64().is_some_and(|h| h >= 5))
        })
    });

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

    wait_until(&nodes, "the stopped peer shown unreachable", Duration::from_secs(30), || {
        nodes[0].get("/v1/status").is_some_and(|s| {
            s["peers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["is_self"] == false && p["connected"] == false)
        })
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

fn post_tx(node: &Node, stx: &SignedTx) -> u16 {
    reqwest::blocking::Client::new()
        .post(format!("{}/v1/transactions?wait=false", node.url))
        .header("content-type", "application/octet-stream")
        .body(stx.encode().to_vec())
        .send()
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

fn receipt_on(node: &Node, stx: &SignedTx) -> Option<Value> {
    node.get(&format!("/v1/transactions/{}", hex::encode(stx.hash()))).map(|t| t["receipt"].clone())
}

/// The holder of an invoice signs two conflicting submissions — to two different
/// enterprises — and sends them to two different validators at the same moment, many
/// times: exactly one wins each time, the same one on every node.
#[test]
fn conflicting_submissions_through_two_nodes_one_wins_everywhere_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let (genesis, nodes) = start_network(tmp.path());
    wait_until(&nodes, "all four at height 3", Duration::from_secs(120), || {
        nodes.iter().all(|n| n.height().is_some_and(|h| h >= 3))
    });
    let admin = |i: usize| {
        fapiao_keystore::read_key_file(tmp.path().join(format!("node{i}/admin-key.json"))).unwrap()
    };
    let fresh = || fapiao_crypto::SigningKey::generate(Suite::Ed25519, &mut rand_core::OsRng);
    let signed = |key: &fapiao_crypto::SigningKey, action: Action| {
        let h = nodes[0].height().unwrap();
        key.sign_tx(Tx {
            chain_id: genesis.chain_id.clone(),
            sender: key.public_key(),
            nonce: rand_core::OsRng.next_u64(),
            expiry: h + 300,
            action,
        })
    };
    // Commits `txs` through node 0 and waits until every one has an ok receipt there.
    let commit = |txs: Vec<SignedTx>| {
        for t in &txs {
            assert_eq!(post_tx(&nodes[0], t), 202);
        }
        wait_until(&nodes, "setup committed", Duration::from_secs(60), || {
            txs.iter().all(|t| {
                let r = receipt_on(&nodes[0], t);
                if let Some(r) = &r {
                    assert_eq!(r["status"], "ok", "setup transaction failed: {r}");
                }
                r.is_some()
            })
        });
    };
    let add = |admin: &fapiao_crypto::SigningKey, who: &fapiao_crypto::SigningKey, role: Role| {
        signed(
            admin,
            Action::AddAccount(NewAccount {
                public_key: who.public_key(),
                name: "m".into(),
                roles: vec![role],
            }),
        )
    };
    let (officer, issuer, holder) = (fresh(), fresh(), fresh());
    commit(vec![
        add(&admin(0), &officer, Role::TaxOfficer),
        add(&admin(3), &issuer, Role::MerchantIssuer),
        add(&admin(1), &holder, Role::Consumer),
    ]);
    // Transactions beyond membership are private: read receipts as the tax officer, with a
    // token on every node.
    for n in &nodes {
        let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
            .args(["token", "create", "--config"])
            .arg(&n.config)
            .args(["--account", &officer.account_id().to_string()])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        *n.token.lock().unwrap() = Some(v["token"].as_str().unwrap().to_string());
    }
    let (seller, e1, e2) = ("914403001922038216", "91440300708461136T", "91350100M000100Y43");
    let register = |uscc: &str, issuers: Vec<AccountId>| {
        signed(
            &officer,
            Action::RegisterTaxpayer(RegisterTaxpayer {
                uscc: uscc.into(),
                name: uscc.into(),
                region: "440300".into(),
                seller_type: SellerType::General,
                issuers,
            }),
        )
    };
    commit(vec![
        register(seller, vec![issuer.account_id()]),
        register(e1, vec![]),
        register(e2, vec![]),
    ]);
    commit(vec![signed(
        &officer,
        Action::GrantCredit(GrantCredit { uscc: seller.into(), monthly_ceiling: 1_000_000 }),
    )]);
    let rounds = 8;
    let issues: Vec<SignedTx> = (0..rounds)
        .map(|_| {
            signed(
                &issuer,
                Action::IssueInvoice(IssueInvoice {
                    seller: seller.into(),
                    kind: InvoiceKind::Ordinary,
                    type_code: "82".into(),
                    buyer: Buyer {
                        kind: BuyerKind::Person,
                        name: "李伟".into(),
                        tax_id: String::new(),
                        holder: Some(holder.account_id()),
                    },
                    lines: vec![LineInput {
                        name: "*餐饮服务*餐费".into(),
                        tax_code: "3070401000000000000".into(),
                        spec: String::new(),
                        unit: String::new(),
                        quantity: String::new(),
                        unit_price: String::new(),
                        amount: None,
                        gross: Some(6_600),
                        rate: "0.06".into(),
                        tax: None,
                    }],
                    remarks: String::new(),
                    salt: rand_core::OsRng.next_u64().to_be_bytes().repeat(4).try_into().unwrap(),
                    industry: None,
                }),
            )
        })
        .collect();
    commit(issues.clone());
    let numbers: Vec<String> = issues
        .iter()
        .map(|t| {
            receipt_on(&nodes[0], t).unwrap()["output"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert!(numbers.iter().all(|n| n.len() == 20), "{numbers:?}");

    for number in &numbers {
        let to = |e: &str| {
            signed(
                &holder,
                Action::SubmitInvoice(InvoiceRef { number: number.clone(), text: e.into() }),
            )
        };
        let (a, b) = (to(e1), to(e2));
        let (ra, rb) = std::thread::scope(|s| {
            let ha = s.spawn(|| post_tx(&nodes[0], &a));
            let hb = s.spawn(|| post_tx(&nodes[1], &b));
            (ha.join().unwrap(), hb.join().unwrap())
        });
        assert_eq!((ra, rb), (202, 202), "both admitted by their nodes");
        wait_until(&nodes, "both submissions executed everywhere", Duration::from_secs(60), || {
            nodes.iter().all(|n| receipt_on(n, &a).is_some() && receipt_on(n, &b).is_some())
        });
        let outcome = |n: &Node| {
            (
                receipt_on(n, &a).unwrap()["status"].clone(),
                receipt_on(n, &b).unwrap()["status"].clone(),
            )
        };
        let first = outcome(&nodes[0]);
        assert!((first.0 == "ok") != (first.1 == "ok"), "exactly one submission wins: {first:?}");
        for n in &nodes {
            assert_eq!(outcome(n), first, "the same winner on every node");
        }
    }
}
