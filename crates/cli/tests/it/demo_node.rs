//! One demo node, end to end: status, OpenAPI, metrics, certified blocks, admission
//! refusals, state proofs, custodial signing.

use crate::harness::Demo;
use commonware_codec::Encode;
use fapiao_crypto::SigningKey;
use fapiao_types::*;
use serde_json::{json, Value};
use std::time::Duration;

fn key_of(demo: &Demo, name: &str) -> SigningKey {
    let id = demo.identity(name);
    fapiao_keystore::read_key_file(id["key_file"].as_str().unwrap()).unwrap()
}

fn signed(demo: &Demo, key: &SigningKey, expiry_in: i64, action: Action) -> SignedTx {
    let h = demo.height() as i64;
    key.sign_tx(Tx {
        chain_id: "fapiao-demo".into(),
        sender: key.public_key(),
        nonce: rand_core::RngCore::next_u64(&mut rand_core::OsRng),
        expiry: (h + expiry_in).max(0) as u64,
        action,
    })
}

fn add_action(new: &SigningKey, roles: Vec<Role>) -> Action {
    Action::AddAccount(NewAccount {
        public_key: new.public_key(),
        name: "e2e member".into(),
        roles,
    })
}

fn fresh(suite: Suite) -> SigningKey {
    SigningKey::generate(suite, &mut rand_core::OsRng)
}

fn check_certified_blocks(demo: &Demo, upto: u64) {
    let g = demo.genesis();
    let keys: Vec<[u8; 32]> = g.validator_infos().unwrap().iter().map(|v| v.public_key).collect();
    let mut parent = None;
    for h in 0..=upto {
        let (status, b) = demo.get(&format!("/v1/blocks/{h}"));
        assert_eq!(status, 200, "block {h}: {b}");
        let header_bytes = hex::decode(b["header_hex"].as_str().unwrap()).unwrap();
        let digest = sha256(&header_bytes);
        assert_eq!(b["digest"], hex::encode(digest), "block {h} digest is the header hash");
        let header: Header = decode_exact(&header_bytes, &()).unwrap();
        assert_eq!(header.height, h);
        if let Some(p) = parent {
            assert_eq!(header.parent, p, "block {h} links to its parent");
        }
        parent = Some(digest);
        if h == 0 {
            continue;
        }
        let blob = hex::decode(b["certificate_hex"].as_str().unwrap()).unwrap();
        let finality = fapiao_node::decode_finality(&blob).expect("every block has a certificate");
        fapiao_consensus::verify_finalization(
            &keys,
            NAMESPACE_CONSENSUS,
            finality.digest,
            &finality.certificate,
        )
        .unwrap_or_else(|e| panic!("certificate of block {h}: {e}"));
        assert_eq!(finality.digest, digest, "one validator finalizes every block directly");
        assert_eq!(b["certificate"]["verified"], true);
        // A certificate from another validator set does not verify.
        let mut other = keys.clone();
        other[0][5] ^= 1;
        assert!(fapiao_consensus::verify_finalization(
            &other,
            NAMESPACE_CONSENSUS,
            digest,
            &finality.certificate
        )
        .is_err());
    }
}

#[test]
fn demo_node_end_to_end_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(tmp.path());

    // --- status, liveness ---
    let (s, status) = demo.get("/v1/status");
    assert_eq!(s, 200);
    assert_eq!(status["chain_id"], "fapiao-demo");
    assert_eq!(status["validators"].as_array().unwrap().len(), 1);
    let h0 = status["height"].as_u64().unwrap();
    demo.wait_height(h0 + 3, Duration::from_secs(30));

    // --- identities ---
    let ids = demo.identities();
    assert!(ids.len() >= 16, "admins and members of eight organisations");
    // The demo serves them to the start page's one-click sign-in (a static file it
    // hands the node; a node not started by the demo serves no such path), and its
    // genesis marks a demo chain.
    let (s, served) = demo.get("/demo/identities.json");
    assert_eq!(s, 200);
    assert_eq!(served.as_array().map(Vec::len), Some(ids.len()));
    assert!(demo.genesis().demo);
    for id in &ids {
        for field in
            ["name", "org", "org_kind", "roles", "account", "suite", "token", "node", "key_file"]
        {
            assert!(!id[field].is_null(), "identity lacks {field}: {id}");
        }
        let (s, acct) = demo.get(&format!("/v1/state/account/{}", id["account"].as_str().unwrap()));
        assert_eq!(s, 200, "{} is on chain", id["name"]);
        assert_eq!(acct["value"]["org"], id["org"]);
    }
    assert!(ids.iter().any(|i| i["suite"] == "sm2"), "both suites are in use");

    // --- what a newcomer finds: the pages' address, and the claim codes of the orders
    // the demo left unclaimed (in the banner, in a file, served to the start page) ---
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !demo.log().contains("Stop with Ctrl-C") {
        assert!(std::time::Instant::now() < deadline, "no banner; log:\n{}", demo.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    let banner = demo.log();
    assert!(banner.contains(&format!("Pages:      {}/\n", demo.url)), "{banner}");
    let unclaimed_file = demo.dir.join("demo/unclaimed-orders.json");
    assert!(banner.contains(&unclaimed_file.display().to_string()), "{banner}");
    let unclaimed: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&unclaimed_file).unwrap()).unwrap();
    assert_eq!(unclaimed.len(), 40, "220 orders recorded, 180 claimed");
    assert!(banner.contains(&format!(
        "{}{}",
        demo.url,
        unclaimed[0]["claim_url"].as_str().unwrap()
    )));
    let (s, served) = demo.get("/demo/unclaimed-orders.json");
    assert_eq!(s, 200);
    assert_eq!(served.as_array().map(Vec::len), Some(unclaimed.len()));
    for o in &unclaimed {
        let (id, code) = (o["order_id"].as_str().unwrap(), o["claim_code"].as_str().unwrap());
        assert_eq!(o["claim_url"], format!("/claim/{id}?code={code}"));
        let (s, order) = demo.get(&format!("/v1/orders/{id}?code={code}"));
        assert_eq!(s, 200, "{order}");
        assert_eq!(order["status"], "open", "{order}");
        assert_eq!(order["amount"], o["amount"]);
        assert_eq!(order["merchant"], o["merchant"]);
    }

    // --- OpenAPI and metrics ---
    let (s, doc) = demo.get("/v1/openapi.json");
    assert_eq!(s, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for route in [
        "/v1/status",
        "/v1/transactions",
        "/v1/transactions/{hash}",
        "/v1/blocks/{height}",
        "/v1/state/{key}",
        "/v1/accounts",
        "/v1/accounts/{account}/revoke",
        "/metrics",
        "/v1/openapi.json",
    ] {
        assert!(doc["paths"].get(route).is_some(), "OpenAPI lists {route}");
    }
    let (s, ct, text) = demo.get_text("/metrics");
    assert_eq!(s, 200);
    assert!(ct.starts_with("application/openmetrics-text"), "{ct}");
    for metric in [
        "fapiao_height ",
        "fapiao_txs_committed_total",
        "fapiao_mempool_size",
        "fapiao_block_execution_seconds_bucket",
        "fapiao_consensus_view ",
        "fapiao_finalization_latency_seconds_bucket",
    ] {
        assert!(text.contains(metric), "metrics have {metric}:\n{text}");
    }

    // --- a valid transaction commits, by raw bytes and by JSON ---
    let admin = key_of(&demo, "sz-tax admin");
    let member = fresh(Suite::Sm2);
    let ok_tx =
        signed(&demo, &admin, 50, add_action(&member, vec![Role::OrgAdmin, Role::TaxOfficer]));
    let (s, r, _) = demo.post_bytes("/v1/transactions", ok_tx.encode().to_vec());
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "committed");
    assert_eq!(r["receipt"]["status"], "ok");
    let added_at = r["height"].as_u64().unwrap();
    let json_tx = signed(&demo, &admin, 50, add_action(&fresh(Suite::Ed25519), vec![]));
    let (s, r) =
        demo.post_json("/v1/transactions", None, json!({"tx": hex::encode(json_tx.encode())}));
    assert_eq!(s, 200, "{r}");
    let (s, r, _) = demo.post_bytes(
        "/v1/transactions?wait=false",
        signed(&demo, &admin, 50, add_action(&fresh(Suite::Ed25519), vec![])).encode().to_vec(),
    );
    assert_eq!(s, 202, "{r}");
    assert_eq!(r["status"], "pending");

    // The member revokes a fresh account of its own, then is revoked itself.
    let victim = fresh(Suite::Ed25519);
    let (s, r, _) = demo.post_bytes(
        "/v1/transactions",
        signed(&demo, &member, 50, add_action(&victim, vec![])).encode().to_vec(),
    );
    assert_eq!((s, r["receipt"]["status"].clone()), (200, json!("ok")), "{r}");
    let revoke = Action::RevokeAccount { account: member.account_id() };
    let (s, r, _) =
        demo.post_bytes("/v1/transactions", signed(&demo, &admin, 50, revoke).encode().to_vec());
    assert_eq!((s, r["receipt"]["status"].clone()), (200, json!("ok")), "{r}");

    // --- every bad transaction is refused at admission with its own code ---
    let officer = key_of(&demo, "Officer Chen");
    let mut bad_sig = signed(&demo, &admin, 50, add_action(&fresh(Suite::Ed25519), vec![]));
    bad_sig.signature.0[10] ^= 0x01;
    let mut wrong_chain = signed(&demo, &admin, 50, add_action(&fresh(Suite::Ed25519), vec![])).tx;
    wrong_chain.chain_id = "another-chain".into();
    let wrong_chain = admin.sign_tx(wrong_chain);
    let stranger = fresh(Suite::Ed25519);
    let mut oversized = NewAccount {
        public_key: fresh(Suite::Ed25519).public_key(),
        name: "x".into(),
        roles: vec![],
    };
    oversized.name = "x".repeat(100);
    let mut big = signed(&demo, &admin, 50, Action::AddAccount(oversized)).encode().to_vec();
    big.extend(std::iter::repeat_n(0u8, 70 * 1024));
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("bad signature", bad_sig.encode().to_vec(), 401, "bad_signature"),
        ("wrong chain id", wrong_chain.encode().to_vec(), 400, "wrong_chain"),
        (
            "unknown account",
            signed(&demo, &stranger, 50, add_action(&fresh(Suite::Ed25519), vec![]))
                .encode()
                .to_vec(),
            403,
            "unknown_account",
        ),
        (
            "revoked account",
            signed(&demo, &member, 50, add_action(&fresh(Suite::Ed25519), vec![]))
                .encode()
                .to_vec(),
            403,
            "revoked_account",
        ),
        (
            "missing role",
            signed(&demo, &officer, 50, add_action(&fresh(Suite::Ed25519), vec![]))
                .encode()
                .to_vec(),
            403,
            "missing_role",
        ),
        (
            "expired",
            signed(&demo, &admin, -1, add_action(&fresh(Suite::Ed25519), vec![])).encode().to_vec(),
            400,
            "expired",
        ),
        (
            "expiry too far",
            signed(&demo, &admin, 100_000, add_action(&fresh(Suite::Ed25519), vec![]))
                .encode()
                .to_vec(),
            400,
            "expiry_too_far",
        ),
        ("replayed", ok_tx.encode().to_vec(), 409, "replayed"),
        ("oversized", big, 413, "too_large"),
        ("garbage", b"garbage".to_vec(), 400, "malformed"),
    ];
    let mut codes = std::collections::BTreeSet::new();
    for (desc, body, want_status, want_code) in cases {
        let hash = fapiao_ledger::decode_tx(&body, usize::MAX).ok().map(|t| t.hash());
        let (s, r, _) = demo.post_bytes("/v1/transactions", body);
        assert_eq!(s, want_status, "{desc}: {r}");
        assert_eq!(r["code"], want_code, "{desc}: {r}");
        assert!(r["message"].as_str().is_some_and(|m| !m.is_empty()), "{desc}: {r}");
        codes.insert(want_code);
        if let (Some(hash), true) = (hash, want_code != "replayed") {
            let h = demo.height();
            demo.wait_height(h + 2, Duration::from_secs(30));
            let (s, _) = demo.get(&format!("/v1/transactions/{}", hex::encode(hash)));
            assert_eq!(s, 404, "{desc}: a refused transaction never reaches a block");
        }
    }
    assert_eq!(codes.len(), 10, "distinct codes");
    let (s, r) = demo.get("/v1/transactions/nothex");
    assert_eq!((s, r["field"].clone()), (400, json!("hash")));
    let (s, _) = demo.get(&format!("/v1/transactions/{}", "00".repeat(32)));
    assert_eq!(s, 404);
    let (s, _) = demo.get("/v1/blocks/999999999");
    assert_eq!(s, 404);
    // Transaction records are kept beside the state tree: readable, but no state proof.
    let tx_path = format!("/v1/state/tx/{}", hex::encode(ok_tx.hash()));
    let (s, r) = demo.get(&tx_path);
    assert_eq!((s, r["value"]["outcome"]["status"].clone()), (200, json!("ok")), "{r}");
    let (s, r) = demo.get(&format!("{tx_path}?proof=true"));
    assert_eq!((s, r["field"].clone()), (400, json!("proof")), "{r}");

    // --- certified blocks ---
    let h = demo.height();
    check_certified_blocks(&demo, h);

    // --- a state proof verifies against a certified header, and tampering fails ---
    let path = format!("/v1/state/account/{}?proof=true", member.account_id());
    let mut proof = Value::Null;
    for _ in 0..100 {
        let (s, p) = demo.get(&path);
        assert_eq!(s, 200, "{p}");
        if p["proof"]["state_height"].as_u64().unwrap() >= added_at {
            proof = p;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let p = &proof["proof"];
    let header_bytes = hex::decode(p["header_hex"].as_str().unwrap()).unwrap();
    assert_eq!(hex::encode(sha256(&header_bytes)), p["header_digest"]);
    let header: Header = decode_exact(&header_bytes, &()).unwrap();
    let finality =
        fapiao_node::decode_finality(&hex::decode(p["certificate_hex"].as_str().unwrap()).unwrap())
            .unwrap();
    let keys: Vec<[u8; 32]> =
        demo.genesis().validator_infos().unwrap().iter().map(|v| v.public_key).collect();
    fapiao_consensus::verify_finalization(
        &keys,
        NAMESPACE_CONSENSUS,
        header.digest(),
        &finality.certificate,
    )
    .unwrap();
    let value = hex::decode(proof["value_hex"].as_str().unwrap()).unwrap();
    let key = StateKey::Account(member.account_id()).to_bytes();
    let proof_bytes = hex::decode(p["proof"].as_str().unwrap()).unwrap();
    fapiao_ledger::verify_state_proof(&header.state_root, &key, Some(&value), &proof_bytes)
        .unwrap();
    let record: AccountRecord = decode_exact(&value, &()).unwrap();
    assert_eq!(record.public_key, member.public_key());
    for i in [0, value.len() / 2, value.len() - 1] {
        let mut v = value.clone();
        v[i] ^= 1;
        assert!(fapiao_ledger::verify_state_proof(
            &header.state_root,
            &key,
            Some(&v),
            &proof_bytes
        )
        .is_err());
    }
    let mut k = key.clone();
    k[9] ^= 1;
    assert!(fapiao_ledger::verify_state_proof(&header.state_root, &k, Some(&value), &proof_bytes)
        .is_err());
    for i in (0..proof_bytes.len()).step_by(7) {
        let mut pb = proof_bytes.clone();
        pb[i] ^= 0x10;
        assert!(
            fapiao_ledger::verify_state_proof(&header.state_root, &key, Some(&value), &pb).is_err(),
            "proof byte {i}"
        );
    }

    // --- custodial signing: the node signs with the member's own key ---
    let admin_token = demo.identity("sz-tax admin")["token"].as_str().unwrap().to_string();
    let (s, r) =
        demo.post_json("/v1/accounts", None, json!({"name": "Deputy", "roles": ["org.admin"]}));
    assert_eq!((s, r["code"].clone()), (401, json!("unauthorized")));
    let (s, r) =
        demo.post_json("/v1/accounts", Some("fpt_nope"), json!({"name": "Deputy", "roles": []}));
    assert_eq!(s, 401, "{r}");
    let consumer = demo.identity("Li Wei")["token"].as_str().unwrap().to_string();
    let (s, r) = demo.post_json("/v1/accounts", Some(&consumer), json!({"name": "x", "roles": []}));
    assert_eq!((s, r["code"].clone()), (403, json!("missing_role")), "{r}");
    let (s, r) = demo.post_json(
        "/v1/accounts",
        Some(&admin_token),
        json!({"name": "Deputy", "roles": ["bank.officer"]}),
    );
    assert_eq!((s, r["code"].clone()), (422, json!("role_not_allowed")), "{r}");
    let (s, r) = demo.post_json(
        "/v1/accounts",
        Some(&admin_token),
        json!({"name": "Deputy", "roles": ["no.such"]}),
    );
    assert_eq!((s, r["field"].clone()), (400, json!("roles")), "{r}");
    let (s, deputy) = demo.post_json(
        "/v1/accounts",
        Some(&admin_token),
        json!({"name": "Deputy", "roles": ["org.admin"], "suite": "sm2"}),
    );
    assert_eq!(s, 200, "{deputy}");
    let deputy_token = deputy["token"].as_str().unwrap();
    let deputy_pk = deputy["public_key"].as_str().unwrap();
    let (s, r) = demo.post_json(
        &format!("/v1/accounts/{}/revoke", victim.account_id()),
        Some(deputy_token),
        json!({}),
    );
    assert_eq!(s, 200, "{r}");
    let (s, t) = demo.get(&format!("/v1/transactions/{}", r["tx_hash"].as_str().unwrap()));
    assert_eq!(s, 200);
    assert_eq!(t["tx"]["sender"], deputy_pk, "signed with the member's own key");
    assert_eq!(t["tx"]["suite"], "sm2");
    let stx = SignedTx::decode_limited(
        &hex::decode(t["tx"]["encoded"].as_str().unwrap()).unwrap(),
        &TxLimits::with_actions(fapiao_ledger::apps::codecs()),
    )
    .unwrap();
    fapiao_crypto::verify_signed_tx(&stx).unwrap();
    assert_eq!(stx.tx.sender.to_hex(), deputy_pk);

    // The keystore holds the deputy's key encrypted: its secret bytes are not in the file,
    // and a wrong passphrase does not open it.
    let ks_path = demo.dir.join("keystore.json");
    let file = std::fs::read(&ks_path).unwrap();
    let ks = fapiao_keystore::Keystore::open(&ks_path, fapiao_demo::DEMO_PASSPHRASE).unwrap();
    let account = AccountId::from_hex(deputy["account"].as_str().unwrap()).unwrap();
    let secret = ks.get(&account).expect("deputy key held").to_bytes();
    assert!(!file.windows(32).any(|w| w == &secret[..]));
    let text = String::from_utf8_lossy(&file).to_lowercase();
    assert!(!text.contains(&hex::encode(&secret[..])));
    assert!(matches!(
        fapiao_keystore::Keystore::open(&ks_path, "wrong passphrase"),
        Err(fapiao_keystore::Error::WrongPassphrase)
    ));
}
