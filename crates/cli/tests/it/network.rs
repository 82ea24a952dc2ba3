//! Four validators as separate processes on 127.0.0.1, from `fapiao init`: they agree,
//! survive one crash, halt without forking when two are down, and converge again when
//! those restart. A write sent to any node reaches the chain.

use commonware_codec::Encode;
use fapiao_invoice_types::*;
use fapiao_invoice_types::{InvoiceAction, InvoiceKey};
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
    /// The certificates an `https://` node may present (a `--tls` network's).
    pins: Vec<PathBuf>,
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

    /// A client of this node, pinning the network's certificates if it has any.
    fn client(&self) -> reqwest::blocking::ClientBuilder {
        let c = reqwest::blocking::Client::builder().timeout(Duration::from_secs(5));
        if self.pins.is_empty() {
            return c;
        }
        let pins = fapiao_node::tls::read_pins(&self.pins).unwrap();
        c.use_preconfigured_tls(fapiao_node::tls::pinned_client_config(pins))
    }

    fn get(&self, path: &str) -> Option<Value> {
        let c = self.client().build().ok()?;
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

    /// Creates a token of `account` in this node's token store (`fapiao token create`)
    /// and reads as that account from now on.
    fn sign_in(&self, account: &str) {
        let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
            .args(["token", "create", "--config"])
            .arg(&self.config)
            .args(["--account", account])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        *self.token.lock().unwrap() = Some(v["token"].as_str().unwrap().to_string());
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

/// `fapiao init --out dir --base-port B <args>` with a random base port below the
/// ephemeral range (32768-60999), so a stopped node's ports cannot be taken by outgoing
/// connections before it restarts; returns the genesis and the first `count` nodes, not
/// yet started.
fn network(dir: &Path, args: &[&str], count: u16) -> (Genesis, Vec<Node>) {
    let base = 20_000 + (rand_core::OsRng.next_u32() % 12_000) as u16;
    let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
        .arg("init")
        .args(args)
        .args(["--base-port", &base.to_string()])
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let genesis =
        Genesis::from_json(&std::fs::read_to_string(dir.join("genesis.json")).unwrap()).unwrap();
    let tls = args.contains(&"--tls");
    let pins: Vec<PathBuf> = if tls {
        (0..count).map(|i| dir.join(format!("node{i}/tls.crt"))).collect()
    } else {
        Vec::new()
    };
    let scheme = if tls { "https" } else { "http" };
    let nodes = (0..count)
        .map(|i| Node {
            config: dir.join(format!("node{i}/config.toml")),
            url: format!("{scheme}://127.0.0.1:{}", base + 100 + i),
            child: None,
            log: dir.join(format!("node{i}.log")),
            token: Default::default(),
            pins: pins.clone(),
        })
        .collect();
    (genesis, nodes)
}

/// `fapiao init` of four validators in `dir`, all started; returns the genesis and nodes.
fn start_network(dir: &Path) -> (Genesis, Vec<Node>) {
    let (genesis, mut nodes) =
        network(dir, &["--validators", "4", "--block-interval-ms", "200"], 4);
    for n in nodes.iter_mut() {
        n.start();
    }
    (genesis, nodes)
}

/// `fapiao init --demo` of four validators (100 ms blocks) plus `extra` arguments in
/// `dir`, the first `count` nodes started, after node 0 has seeded the demo story; returns
/// the genesis, the nodes and `identities.json`.
fn seeded_demo_network(dir: &Path, extra: &[&str], count: u16) -> (Genesis, Vec<Node>, Vec<Value>) {
    let mut args = vec!["--validators", "4", "--demo", "--block-interval-ms", "100"];
    args.extend_from_slice(extra);
    let (genesis, mut nodes) = network(dir, &args, count);
    for n in nodes.iter_mut() {
        n.start();
    }
    let seeded = dir.join("node0/data/demo-seeded");
    wait_until(&nodes, "node 0 seeds the demo story", Duration::from_secs(180), || seeded.exists());
    let ids = serde_json::from_str(&std::fs::read_to_string(dir.join("identities.json")).unwrap())
        .unwrap();
    (genesis, nodes, ids)
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
    let Ok(client) = node.client().build() else { return 0 };
    client
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
        n.sign_in(&officer.account_id().to_string());
    }
    // The seller is node 3's enterprise: its issuer is an account of its organisation.
    let seller = genesis.organisations[3].tax_id.expect("node 3 is an enterprise");
    let seller = seller.as_str();
    let (e1, e2) = ("91440300708461136T", "91350100M000100Y43");
    let register = |uscc: &str, issuers: Vec<AccountId>| {
        signed(
            &officer,
            Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
                uscc: uscc.parse().unwrap(),
                name: uscc.into(),
                region: "440300".parse().unwrap(),
                seller_type: SellerType::General,
                issuers,
            })),
        )
    };
    commit(vec![
        register(seller, vec![issuer.account_id()]),
        register(e1, vec![]),
        register(e2, vec![]),
    ]);
    commit(vec![signed(
        &officer,
        Action::from(InvoiceAction::GrantCredit(GrantCredit {
            uscc: seller.parse().unwrap(),
            monthly_ceiling: 1_000_000,
        })),
    )]);
    let rounds = 8;
    let issues: Vec<SignedTx> = (0..rounds)
        .map(|_| {
            signed(
                &issuer,
                Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
                    seller: seller.parse().unwrap(),
                    kind: InvoiceKind::Ordinary,
                    type_code: "82".into(),
                    buyer: Buyer {
                        kind: BuyerKind::Person,
                        name: "李伟".into(),
                        tax_id: None,
                        holder: Some(holder.account_id()),
                    },
                    lines: vec![LineInput {
                        name: "*餐饮服务*餐费".into(),
                        tax_code: "3070401000000000000".into(),
                        spec: String::new(),
                        unit: String::new(),
                        quantity: None,
                        unit_price: None,
                        amount: None,
                        gross: Some(6_600),
                        rate: "0.06".parse().unwrap(),
                        tax: None,
                    }],
                    remarks: String::new(),
                    salt: rand_core::OsRng.next_u64().to_be_bytes().repeat(4).try_into().unwrap(),
                    industry: None,
                })),
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
                Action::from(InvoiceAction::SubmitInvoice(SubmitInvoice {
                    number: number.parse().unwrap(),
                    enterprise: e.parse().unwrap(),
                })),
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

/// Checks a state proof served by `node` for `path` (a `/v1/state/...` key) against a
/// header certified by the genesis validators; retries until the served header is
/// finalized by its own certificate (a block finalized through a descendant carries the
/// descendant's).
fn proof_verifies(nodes: &[Node], node: &Node, genesis: &Genesis, key: &StateKey, path: &str) {
    let keys: Vec<[u8; 32]> =
        genesis.validator_infos().unwrap().iter().map(|v| v.public_key).collect();
    wait_until(nodes, "a directly certified proof", Duration::from_secs(30), || {
        let Some(p) = node.get(&format!("/v1/state/{path}?proof=true")) else { return false };
        let proof = &p["proof"];
        let header_bytes = hex::decode(proof["header_hex"].as_str().unwrap()).unwrap();
        let header: Header = decode_exact(&header_bytes, &()).unwrap();
        let blob = hex::decode(proof["certificate_hex"].as_str().unwrap()).unwrap();
        let Some(finality) = fapiao_node::decode_finality(&blob) else { return false };
        if finality.digest != header.digest() {
            return false;
        }
        fapiao_consensus::verify_finalization(
            &keys,
            NAMESPACE_CONSENSUS,
            header.digest(),
            &finality.certificate,
        )
        .expect("the certificate verifies against the genesis validators");
        let value = hex::decode(p["value_hex"].as_str().unwrap()).unwrap();
        let bytes = hex::decode(proof["proof"].as_str().unwrap()).unwrap();
        fapiao_ledger::verify_state_proof(
            &header.state_root,
            &key.to_bytes(),
            Some(&value),
            &bytes,
        )
        .expect("the state proof verifies against the certified root");
        let mut forged = value.clone();
        forged[0] ^= 1;
        assert!(fapiao_ledger::verify_state_proof(
            &header.state_root,
            &key.to_bytes(),
            Some(&forged),
            &bytes
        )
        .is_err());
        true
    });
}

/// Blocks finalized quickly (10 ms interval) by four validators; a full node started
/// from genesis after 1,000 blocks fetches them from its peers, checks every
/// certificate, re-executes, reaches the same roots, and serves a proof that verifies.
#[test]
fn full_node_started_after_1000_blocks_catches_up_and_proves_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let (genesis, mut nodes) = network(
        tmp.path(),
        &["--validators", "4", "--full-nodes", "1", "--block-interval-ms", "10"],
        5,
    );
    for n in nodes[..4].iter_mut() {
        n.start();
    }
    wait_until(&nodes, "1,000 blocks", Duration::from_secs(300), || {
        nodes[0].height().is_some_and(|h| h >= 1_000)
    });
    nodes[4].start();
    let started = Instant::now();
    wait_until(&nodes, "the full node past height 1,000", Duration::from_secs(120), || {
        nodes[4].height().is_some_and(|h| h >= 1_000)
    });
    eprintln!("full node caught up 1,000+ blocks in {:?}", started.elapsed());
    let status = nodes[4].get("/v1/status").unwrap();
    assert_eq!(status["role"], "full");
    let all: Vec<&Node> = nodes.iter().collect();
    for h in [1, 500, 1_000] {
        same_block(&all, h);
    }
    // It keeps following.
    let h = nodes[0].height().unwrap();
    wait_until(&nodes, "the full node following the tip", Duration::from_secs(60), || {
        nodes[4].height().is_some_and(|f| f >= h + 20)
    });
    let org = &genesis.organisations[0].id;
    proof_verifies(&nodes, &nodes[4], &genesis, &StateKey::Org(org.clone()), &format!("org/{org}"));
    let node_key = nodes[4].config.parent().unwrap().join("node.key");
    tampered_sync_runs_are_refused(&nodes[0], &genesis, &node_key);
}

/// What a full node does with a run of blocks a peer serves: the honest run is accepted
/// up to its last certified block; a flipped certificate byte, a changed header, a
/// missing block or a certificate checked against other validators refuses the run.
fn tampered_sync_runs_are_refused(node: &Node, genesis: &Genesis, node_key: &Path) {
    use fapiao_node::follow::{check_run, SyncError};
    use fapiao_types::node_auth::*;
    let target = "/v1/sync/blocks?from=1&max=40";
    // Blocks carry private invoices: only a consortium node's signed request gets them.
    let anonymous = reqwest::blocking::get(format!("{}{target}", node.url)).unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let (secret, public) = fapiao_keystore::read_validator_key(node_key).unwrap();
    let key = fapiao_crypto::SigningKey::from_bytes(Suite::Ed25519, &secret).unwrap();
    let time = fapiao_node::now_ms();
    let msg = node_request_message("GET", target, b"", time);
    let sig = key.sign_namespaced(NAMESPACE_NODE_HTTP, &msg).unwrap();
    let body = reqwest::blocking::Client::new()
        .get(format!("{}{target}", node.url))
        .header(HEADER_NODE, hex::encode(public))
        .header(HEADER_TIME, time.to_string())
        .header(HEADER_SIGNATURE, hex::encode(sig.0))
        .send()
        .unwrap()
        .bytes()
        .unwrap()
        .to_vec();
    let frames = split_frames(&body, 1 << 26).unwrap();
    assert_eq!(frames.len(), 80, "40 blocks with their finality");
    let limits = BlockLimits {
        max_txs: genesis.consensus.max_block_txs as usize,
        actions: fapiao_ledger::apps::codecs(),
    };
    let keys: Vec<[u8; 32]> =
        genesis.validator_infos().unwrap().iter().map(|v| v.public_key).collect();
    let g = parse_hex32("digest", node.get("/v1/blocks/0").unwrap()["digest"].as_str().unwrap())
        .unwrap();
    let ok = check_run(&frames, &limits, &keys, 0, g).unwrap();
    assert!(!ok.is_empty() && ok.len() <= 40);
    assert_eq!(ok[0].0.header.height, 1);

    let with = |i: usize, f: &dyn Fn(&mut Vec<u8>)| {
        let mut owned: Vec<Vec<u8>> = frames.iter().map(|f| f.to_vec()).collect();
        f(&mut owned[i]);
        let refs: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
        check_run(&refs, &limits, &keys, 0, g)
    };
    // Block 1's certificate: its last byte is inside a signature.
    assert!(matches!(
        with(1, &|c| *c.last_mut().unwrap() ^= 1),
        Err(SyncError::BadCertificate { height: 1, .. })
    ));
    // Block 1's header time: its digest no longer matches the certificate, and block 2's
    // parent link breaks.
    assert!(with(0, &|b| b[80] ^= 1).is_err());
    // A missing block.
    let mut gap: Vec<&[u8]> = frames.clone();
    gap.drain(2..4);
    assert!(matches!(
        check_run(&gap, &limits, &keys, 0, g),
        Err(SyncError::NotLinked { height: 3, .. })
    ));
    // Another validator set.
    let mut other = keys.clone();
    other[1][0] ^= 1;
    assert!(matches!(
        check_run(&frames, &limits, &other, 0, g),
        Err(SyncError::BadCertificate { .. })
    ));
    // Not extending our tip.
    assert!(matches!(
        check_run(&frames, &limits, &keys, 5, g),
        Err(SyncError::NotLinked { height: 1, .. })
    ));
}

/// `fapiao init --demo`: the demo consortium over four validators (each organisation's
/// keys on one node) and a full node; node 0 seeds the story; invoices issued through
/// the nodes holding the merchants' keys and a client-signed one sent to the full node
/// reach the chain; every node ends with the same blocks and roots.
#[test]
fn demo_network_invoice_traffic_through_every_node_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let (genesis, nodes, ids) = seeded_demo_network(tmp.path(), &["--full-nodes", "1"], 5);
    let id = |name: &str| ids.iter().find(|i| i["name"] == name).unwrap().clone();
    let nodes_used: std::collections::BTreeSet<&str> =
        ids.iter().map(|i| i["node"].as_str().unwrap()).collect();
    assert_eq!(nodes_used.len(), 4, "keys spread over the four validators");

    let http =
        reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let pos = id("Restaurant POS");
    let holder = id("Li Wei")["account"].as_str().unwrap().to_string();
    let meal = serde_json::json!({
        "seller": "91440300555012347H",
        "kind": "ordinary",
        "buyer": {"name": "华为技术有限公司", "tax_id": "914403001922038216", "holder": holder},
        "lines": [{"name": "*餐饮服务*餐费", "tax_code": "3070401000000000000",
                   "gross": "66.00", "rate": "0.06"}],
    });
    // Custodial issuance on the node that holds the POS key.
    let mut numbers = Vec::new();
    for _ in 0..3 {
        let r = http
            .post(format!("{}/v1/invoices", pos["node"].as_str().unwrap()))
            .bearer_auth(pos["token"].as_str().unwrap())
            .json(&meal)
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = r.json().unwrap();
        numbers.push(v["invoice"]["number"].as_str().unwrap().to_string());
    }
    // A client-signed issuance sent to the full node, which relays it to the validators.
    let key = fapiao_keystore::read_key_file(pos["key_file"].as_str().unwrap()).unwrap();
    let h = nodes[4].height().unwrap();
    let stx = key.sign_tx(Tx {
        chain_id: genesis.chain_id.clone(),
        sender: key.public_key(),
        nonce: rand_core::OsRng.next_u64(),
        expiry: h + 300,
        action: Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
            seller: "91440300555012347H".parse().unwrap(),
            kind: InvoiceKind::Ordinary,
            type_code: "82".into(),
            buyer: Buyer {
                kind: BuyerKind::Person,
                name: "李伟".into(),
                tax_id: None,
                holder: None,
            },
            lines: vec![LineInput {
                name: "*餐饮服务*餐费".into(),
                tax_code: "3070401000000000000".into(),
                spec: String::new(),
                unit: String::new(),
                quantity: None,
                unit_price: None,
                amount: None,
                gross: Some(10_600),
                rate: "0.06".parse().unwrap(),
                tax: None,
            }],
            remarks: String::new(),
            salt: [7; 32],
            industry: None,
        })),
    });
    assert_eq!(post_tx(&nodes[4], &stx), 202, "the full node admits it");
    // Its receipt is private: read it as the merchant, on the POS's node.
    let pos_node = nodes.iter().find(|n| n.url == pos["node"].as_str().unwrap()).unwrap();
    *pos_node.token.lock().unwrap() = Some(pos["token"].as_str().unwrap().to_string());
    wait_until(&nodes, "the relayed issuance committed", Duration::from_secs(60), || {
        receipt_on(pos_node, &stx).is_some_and(|r| {
            assert_eq!(r["status"], "ok", "{r}");
            true
        })
    });

    // Every node, the full node too, answers public verification of every invoice.
    let target = nodes[0].height().unwrap() + 2;
    wait_until(&nodes, "all five past the traffic", Duration::from_secs(60), || {
        nodes.iter().all(|n| n.height().is_some_and(|h| h >= target))
    });
    same_block(&nodes.iter().collect::<Vec<_>>(), target);
    let date = issue_date(&http, pos_node, &numbers[0], pos["token"].as_str().unwrap());
    for n in &nodes {
        let v = n
            .get(&format!("/v1/verify?number={}&date={date}&total=66.00", numbers[0]))
            .unwrap_or_else(|| panic!("{} cannot verify", n.url));
        assert_eq!(v["genuine"], true, "{}: {v}", n.url);
    }
    // The merchant reads its invoice on the full node (with a token of that node) with a
    // proof that verifies against the genesis alone.
    nodes[4].sign_in(pos["account"].as_str().unwrap());
    let number = &numbers[0];
    // The full node holds no validator key: its QR payload is signed by a validator
    // peer, and verifies against the genesis.
    let qr = nodes[4].get(&format!("/v1/invoices/{number}/qr")).expect("the full node's QR");
    let signed = fapiao_verify::QrPayload::parse(qr["payload"].as_str().unwrap())
        .and_then(|p| p.verify(&genesis))
        .unwrap();
    assert_eq!(&signed.payload.number, number);
    proof_verifies(
        &nodes,
        &nodes[4],
        &genesis,
        &StateKey::from(InvoiceKey::Invoice(number.parse().unwrap())),
        &format!("invoice/{number}"),
    );
}

/// The issue date of invoice `number`, read by a party.
fn issue_date(http: &reqwest::blocking::Client, node: &Node, number: &str, token: &str) -> String {
    let v: Value = http
        .get(format!("{}/v1/invoices/{number}", node.url))
        .bearer_auth(token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    v["date"].as_str().unwrap().to_string()
}

/// No caller stalls a validator: four validators keep finalizing — no gap of more than two
/// seconds between finalized heights, and at least 40 % of their idle block rate — while
/// clients fire concurrent desk and dashboard reads at every node and batches of
/// transactions with bad signatures (from a known sender, so each one costs a signature
/// check) at all of them. The load generator shares the machine's cores with the four
/// validators, so part of any slowdown is the test's own signing and HTTP work (CI measured
/// 75 % of the idle rate, a run beside a compiler 54 %, both with gaps under 0.5 s); a
/// stalled read path or an unbatched signature check shows as a multi-second gap.
#[test]
fn validators_keep_finalizing_under_read_and_bad_signature_load_slow_() {
    use std::sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    };
    let tmp = tempfile::tempdir().unwrap();
    let (genesis, nodes, ids) = seeded_demo_network(tmp.path(), &[], 4);
    // Polls one validator's height every 100 ms for ten seconds: its finalization rate,
    // and the longest wait between two new heights.
    let watch = |node: &Node| {
        let (start, h0) = (std::time::Instant::now(), node.height().unwrap());
        let (mut last_h, mut last_t, mut longest_gap) = (h0, start, Duration::ZERO);
        while start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(100));
            if let Some(h) = node.height() {
                if h > last_h {
                    longest_gap = longest_gap.max(last_t.elapsed());
                    (last_h, last_t) = (h, std::time::Instant::now());
                }
            }
        }
        longest_gap = longest_gap.max(last_t.elapsed());
        ((last_h - h0) as f64 / start.elapsed().as_secs_f64(), longest_gap)
    };
    let (idle, _) = watch(&nodes[1]);
    assert!(idle > 1.0, "the network finalizes while idle: {idle} blocks/s");

    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicU64::new(0));
    let mut load = Vec::new();
    // Desk and dashboard readers: every identity on its own node, closed loop.
    for id in ids.iter().filter(|i| i["token"].is_string()).take(6) {
        let (url, token) =
            (id["node"].as_str().unwrap().to_string(), id["token"].as_str().unwrap().to_string());
        let (stop, answered) = (stop.clone(), answered.clone());
        load.push(std::thread::spawn(move || {
            let http = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap();
            while !stop.load(Ordering::Relaxed) {
                for path in ["/v1/desk", "/v1/dashboard", "/v1/alerts"] {
                    if let Ok(r) = http.get(format!("{url}{path}")).bearer_auth(&token).send() {
                        assert!(r.status().as_u16() < 500, "{path}: {}", r.status());
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    // Batches of 256 badly signed transactions from a known sender, at every node.
    let pos = ids.iter().find(|i| i["name"] == "Restaurant POS").unwrap();
    let key = fapiao_keystore::read_key_file(pos["key_file"].as_str().unwrap()).unwrap();
    let urls: Vec<String> = nodes.iter().map(|n| n.url.clone()).collect();
    let tip = nodes[0].height().unwrap();
    let chain_id = genesis.chain_id.clone();
    {
        let (stop, answered) = (stop.clone(), answered.clone());
        load.push(std::thread::spawn(move || {
            let http = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap();
            let mut nonce = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let mut body = Vec::new();
                for _ in 0..256 {
                    nonce += 1;
                    let mut stx = key.sign_tx(Tx {
                        chain_id: chain_id.clone(),
                        sender: key.public_key(),
                        nonce,
                        expiry: tip + 500,
                        action: Action::RevokeAccount { account: [nonce as u8; 32].into() },
                    });
                    stx.signature.0[10] ^= 0x55;
                    push_frame(&mut body, &stx.encode());
                }
                for url in &urls {
                    let r = http
                        .post(format!("{url}/v1/transactions/batch"))
                        .header("content-type", "application/octet-stream")
                        .body(body.clone())
                        .send();
                    if let Ok(r) = r {
                        let v: Value = r.json().unwrap_or(Value::Null);
                        if let Some(items) = v["results"].as_array() {
                            assert!(
                                items.iter().all(|i| i["admitted"] == false),
                                "a bad signature was admitted"
                            );
                        }
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_secs(2));
    let (loaded, longest_gap) = watch(&nodes[1]);
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    let requests = answered.load(Ordering::Relaxed);
    eprintln!(
        "idle {idle:.1} blocks/s, under load {loaded:.1} blocks/s (longest gap {longest_gap:?}), \
         {requests} requests answered"
    );
    assert!(requests > 100, "the load ran: {requests} requests");
    assert!(
        longest_gap <= Duration::from_secs(2),
        "finalization stalled for {longest_gap:?} under load\n{}",
        logs(&nodes)
    );
    assert!(
        loaded >= 0.4 * idle,
        "finalization fell to {loaded:.1} blocks/s under load from {idle:.1} idle\n{}",
        logs(&nodes)
    );
}

/// `fapiao init --tls`: every node serves HTTPS with its own self-signed certificate and
/// pins the others'. The validators finalize (their peer polls and relays go over
/// HTTPS), the full node syncs over HTTPS and relays a write to them, plain HTTP to a
/// node's port gets no answer, and a client pinning another certificate is refused —
/// as is the CLI without `--tls-cert`.
#[test]
fn tls_network_finalizes_syncs_over_https_and_refuses_plain_http_and_wrong_pins_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let (genesis, mut nodes) = network(
        tmp.path(),
        &["--validators", "4", "--full-nodes", "1", "--block-interval-ms", "200", "--tls"],
        5,
    );
    let cfg = fapiao_node::NodeConfig::load(&nodes[4].config).unwrap();
    let tls = cfg.tls.expect("a [tls] table");
    assert_eq!(tls.peer_certs.len(), 4);
    assert!(cfg.peers.iter().all(|p| p.starts_with("https://")), "{:?}", cfg.peers);
    for n in nodes.iter_mut() {
        n.start();
    }
    wait_until(&nodes, "validators at height 5", Duration::from_secs(120), || {
        nodes[..4].iter().all(|n| n.height().is_some_and(|h| h >= 5))
    });
    wait_until(&nodes, "the full node synced past 5", Duration::from_secs(60), || {
        nodes[4].height().is_some_and(|h| h >= 5)
    });
    same_block(&nodes.iter().collect::<Vec<_>>(), 5);
    assert_eq!(nodes[4].get("/v1/status").unwrap()["role"], "full");
    wait_until(&nodes, "peers reachable over HTTPS", Duration::from_secs(30), || {
        nodes[0].get("/v1/status").is_some_and(|s| {
            s["peers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["is_self"] == false)
                .all(|p| p["connected"] == true)
        })
    });

    // A write sent to the full node is relayed over HTTPS and committed everywhere.
    let admin = fapiao_keystore::read_key_file(tmp.path().join("node0/admin-key.json")).unwrap();
    let member = fapiao_crypto::SigningKey::generate(Suite::Ed25519, &mut rand_core::OsRng);
    let stx = admin.sign_tx(Tx {
        chain_id: genesis.chain_id.clone(),
        sender: admin.public_key(),
        nonce: rand_core::OsRng.next_u64(),
        expiry: nodes[0].height().unwrap() + 200,
        action: Action::AddAccount(NewAccount {
            public_key: member.public_key(),
            name: "officer".into(),
            roles: vec![Role::TaxOfficer],
        }),
    });
    assert_eq!(post_tx(&nodes[4], &stx), 202);
    wait_until(&nodes, "the relayed transaction on every node", Duration::from_secs(30), || {
        nodes.iter().all(|n| receipt_on(n, &stx).is_some_and(|r| r["status"] == "ok"))
    });

    // Plain HTTP to a TLS port: the handshake fails, nothing is served.
    let plain_url = nodes[1].url.replacen("https://", "http://", 1);
    let plain = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .get(format!("{plain_url}/v1/status"))
        .send();
    assert!(plain.is_err(), "plain HTTP answered: {plain:?}");

    // Another certificate for the same names: refused. So is no pin at all.
    let other = tempfile::tempdir().unwrap();
    fapiao_node::tls::write_self_signed(
        other.path(),
        "fapiao node1",
        &["127.0.0.1".into(), "localhost".into()],
    )
    .unwrap();
    let mut wrong = node_like(&nodes[1]);
    wrong.pins = vec![other.path().join("tls.crt")];
    assert!(wrong
        .client()
        .build()
        .unwrap()
        .get(format!("{}/v1/status", wrong.url))
        .send()
        .is_err());
    assert!(wrong.get("/v1/status").is_none());

    // The CLI pins with --tls-cert (or FAPIAO_TLS_CERT); without it, it refuses the node.
    let cli = |pin: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fapiao"));
        cmd.args(["status", "--node", &nodes[2].url]).env_remove("FAPIAO_TLS_CERT");
        if let Some(p) = pin {
            cmd.arg("--tls-cert").arg(p);
        }
        cmd.output().unwrap()
    };
    let ok = cli(Some(&tmp.path().join("node2/tls.crt")));
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let status: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert!(status["height"].as_u64().is_some_and(|h| h >= 5), "{status}");
    let unpinned = cli(None);
    assert!(!unpinned.status.success());
    assert!(String::from_utf8_lossy(&unpinned.stderr).contains("--tls-cert"));
    let mispinned = cli(Some(&other.path().join("tls.crt")));
    assert!(!mispinned.status.success());
}

/// A handle on `n`'s URL and files that starts nothing and stops nothing.
fn node_like(n: &Node) -> Node {
    Node {
        config: n.config.clone(),
        url: n.url.clone(),
        child: None,
        log: n.log.clone(),
        token: Default::default(),
        pins: n.pins.clone(),
    }
}

/// `fapiao init --demo --tls`: the demo story is seeded over HTTPS peers, and the
/// clients an operator uses with `identities.json` — the invoice commands and
/// `fapiao bench` — reach each identity's `https://` node pinning the network's
/// certificates (`FAPIAO_TLS_CERT`, comma-separated).
#[test]
fn tls_demo_network_serves_the_cli_and_bench_over_pinned_https_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let (_genesis, nodes, ids) = seeded_demo_network(tmp.path(), &["--tls"], 4);
    let li = ids.iter().find(|i| i["name"] == "Li Wei").unwrap();
    let all_certs = nodes[0].pins.iter().map(|p| p.display().to_string()).collect::<Vec<_>>();
    let fapiao = |args: &[&str], certs: &str| {
        Command::new(env!("CARGO_BIN_EXE_fapiao"))
            .args(args)
            .env("FAPIAO_TLS_CERT", certs)
            .env("FAPIAO_NODE", li["node"].as_str().unwrap())
            .env("FAPIAO_TOKEN", li["token"].as_str().unwrap())
            .output()
            .unwrap()
    };
    // Li Wei's wallet, from the node holding Li Wei's key, with only its certificate…
    let wallet = fapiao(&["invoice", "wallet"], li["tls_cert"].as_str().unwrap());
    assert!(wallet.status.success(), "{}", String::from_utf8_lossy(&wallet.stderr));
    let v: Value = serde_json::from_slice(&wallet.stdout).unwrap();
    assert!(v.is_array(), "{v}");
    // …or with all of them; not with none.
    assert!(fapiao(&["invoice", "wallet"], &all_certs.join(",")).status.success());
    assert!(!fapiao(&["invoice", "wallet"], "").status.success());

    let bench = fapiao(
        &[
            "bench",
            "--target",
            &nodes[0].url,
            "--identities",
            tmp.path().join("identities.json").to_str().unwrap(),
            "--workload",
            "issue",
            "--concurrency",
            "2",
            "--merchants",
            "2",
            "--pool",
            "300",
            "--duration",
            "2",
            "--drain",
            "20",
            "--json",
        ],
        &all_certs.join(","),
    );
    assert!(bench.status.success(), "{}\n{}", String::from_utf8_lossy(&bench.stderr), logs(&nodes));
    let report: Value = serde_json::from_slice(&bench.stdout).unwrap();
    assert!(report["committed"].as_u64().is_some_and(|c| c > 0), "{report}");
}

/// Governance on four validators, no restart: the tax bureau's admin changes the VAT
/// schedule (13% → 12% from today) and the block cap (one transaction from an activation
/// height). Invoices issued after the change use the new rate under rules version 1, a
/// 13% invoice is refused, and a red letter for the earlier 13% invoice keeps its rate and
/// version 0; from the activation height no block carries more than one transaction; every
/// validator ends with the same blocks and roots.
#[test]
fn governance_changes_vat_rates_and_block_cap_on_four_validators_without_restart_slow_() {
    const DAY: u64 = 86_400_000;
    let tmp = tempfile::tempdir().unwrap();
    let (_, nodes, ids) = seeded_demo_network(tmp.path(), &[], 4);
    let id = |name: &str| ids.iter().find(|i| i["name"] == name).unwrap().clone();
    let http =
        reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let post = |who: &Value, path: &str, body: Value| -> (u16, Value) {
        let r = http
            .post(format!("{}{path}", who["node"].as_str().unwrap()))
            .bearer_auth(who["token"].as_str().unwrap())
            .json(&body)
            .send()
            .unwrap();
        (r.status().as_u16(), r.json().unwrap())
    };
    let pos = id("Restaurant POS");
    let admin = id("sz-tax admin");
    let seller = pos["tax_id"].as_str().unwrap().to_string();
    let invoice = |rate: &str| {
        serde_json::json!({
            "seller": seller, "kind": "ordinary",
            "buyer": {"name": "李伟"},
            "lines": [{"name": "*餐饮服务*餐费", "tax_code": "3070401000000000000",
                       "amount": "100.00", "rate": rate}],
        })
    };
    let (status, blue) = post(&pos, "/v1/invoices", invoice("0.13"));
    assert_eq!(status, 200, "{blue}");
    let blue_number = blue["invoice"]["number"].as_str().unwrap().to_string();
    assert_eq!(blue["invoice"]["rules_version"], 0);

    // The schedule in force, changed: 13% ends yesterday, 12% from today.
    let params = nodes[0].get("/v1/params").unwrap();
    let today = params["date"].as_u64().unwrap();
    let height = params["height"].as_u64().unwrap();
    let time = nodes[0].get(&format!("/v1/blocks/{height}")).unwrap()["header"]["time_ms"]
        .as_u64()
        .unwrap();
    let yesterday = fapiao_invoice_rules::date_key(time - DAY);
    let rules = params["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "invoice/tax-rules")
        .unwrap();
    let mut value = rules["versions"][0]["value"].clone();
    let rates = value["rates"].as_array_mut().unwrap();
    let i =
        rates.iter().position(|e| e["code"] == "0.13" && e["effective_until"].is_null()).unwrap();
    rates[i]["effective_until"] = yesterday.into();
    let mut twelve = rates[i].clone();
    twelve["code"] = "0.12".into();
    twelve["effective_from"] = today.into();
    twelve["effective_until"] = Value::Null;
    rates.push(twelve);
    let (status, p) = post(
        &admin,
        "/v1/governance/proposals",
        serde_json::json!({"change": {"kind": "set_param", "param": "invoice/tax-rules",
                          "effective_date": today, "value": value},
                          "note": "VAT reform"}),
    );
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["proposal"]["status"], "enacted", "threshold 1 in the demo: {p}");

    // The block cap: one transaction per block from an activation height.
    let tip = nodes[0].height().unwrap();
    let activation = tip + 40;
    let (status, p) = post(
        &admin,
        "/v1/governance/proposals",
        serde_json::json!({"change": {"kind": "set_param", "param": "chain/mechanics",
                          "effective_height": activation,
                          "value": {"max_block_txs": 1, "expiry_window": 600,
                                    "max_clock_drift_ms": 2000}}}),
    );
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["proposal"]["status"], "enacted", "{p}");

    // Issued now: 12% under version 1; 13% refused; the red letter keeps 13%, version 0.
    let (status, v) = post(&pos, "/v1/invoices", invoice("0.12"));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["invoice"]["rules_version"], 1);
    assert_eq!(v["invoice"]["lines"][0]["tax"], "12.00");
    let (status, v) = post(&pos, "/v1/invoices", invoice("0.13"));
    assert_eq!((status, v["code"].as_str()), (422, Some("invoice.rate_not_effective")), "{v}");
    let (status, form) = post(
        &pos,
        "/v1/red-letter",
        serde_json::json!({"blue_number": blue_number, "reason": "01"}),
    );
    assert_eq!(status, 200, "{form}");
    let red = &form["red_invoice"];
    assert_eq!(red["rules_version"], 0, "{form}");
    assert_eq!(red["lines"][0]["rate"], "0.13", "{form}");

    // Every validator serves the same schedule.
    for n in &nodes {
        let v = n.get("/v1/params").unwrap();
        let rules = v["params"].as_array().unwrap().iter().find(|p| p["id"] == "invoice/tax-rules");
        assert_eq!(rules.unwrap()["versions"].as_array().unwrap().len(), 2, "{}", n.url);
    }

    // Past the activation height, a burst of invoices lands one per block.
    wait_until(&nodes, "the activation height", Duration::from_secs(60), || {
        nodes[0].height().is_some_and(|h| h >= activation)
    });
    for _ in 0..6 {
        let (status, v) = post(&pos, "/v1/invoices", invoice("0.06"));
        assert_eq!(status, 200, "{v}");
    }
    let end = nodes[0].height().unwrap() + 3;
    wait_until(&nodes, "all four past the burst", Duration::from_secs(60), || {
        nodes.iter().all(|n| n.height().is_some_and(|h| h >= end))
    });
    same_block(&nodes.iter().collect::<Vec<_>>(), end);
    for h in activation..=end {
        let b = nodes[1].get(&format!("/v1/blocks/{h}")).unwrap();
        assert!(b["header"]["tx_count"].as_u64().unwrap() <= 1, "block {h}: {b}");
    }
}
