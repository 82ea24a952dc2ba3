//! The router over a real ledger (in-memory store) and mempool, without consensus:
//! what the API answers when the pool is full, bodies are too large, a wait times out.

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use commonware_codec::Encode;
use fapiao_api::{
    testing::{chain::People, NoCustody},
    ApiState,
};
use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use http_body_util::BodyExt;
use std::{sync::Arc, time::Duration};
use tower::ServiceExt;

mod state_proofs;

/// The key of the consortium's full node (listed in the genesis).
fn node_key() -> SigningKey {
    SigningKey::from_bytes(Suite::Ed25519, &[9; 32]).unwrap()
}

fn admin() -> SigningKey {
    SigningKey::from_bytes(Suite::Ed25519, &[7; 32]).unwrap()
}

fn app(max_txs: usize, max_body: usize) -> Router {
    app_with(max_txs, max_body, fapiao_api::limits::Limits::default(), Duration::from_millis(100))
}

fn app_with(
    max_txs: usize,
    max_body: usize,
    limits: fapiao_api::limits::Limits,
    wait_timeout: Duration,
) -> Router {
    app_over(test_ledger(), max_txs, max_body, limits, wait_timeout)
}

fn test_ledger() -> Arc<Ledger<MemStore>> {
    let a = admin();
    let genesis = Genesis {
        chain_id: "api-test".into(),
        full_nodes: vec![GenesisNode {
            name: "full-node".into(),
            org: String::new(),
            public_key: node_key().public_key().to_hex(),
        }],
        genesis_time_ms: 0,
        consensus: ConsensusParams::default(),
        organisations: vec![GenesisOrg {
            id: "tax".into(),
            name: "Tax".into(),
            kind: OrgKind::TaxAuthority,
            tax_id: None,
            admins: vec![GenesisAdmin {
                name: "admin".into(),
                suite: "ed25519".into(),
                public_key: a.public_key().to_hex(),
            }],
        }],
        validators: vec![GenesisValidator {
            name: "v".into(),
            org: String::new(),
            public_key: hex::encode([3u8; 32]),
            p2p_address: "127.0.0.1:1".into(),
        }],
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    };
    Arc::new(Ledger::open(MemStore::new(), genesis).unwrap())
}

fn app_over(
    ledger: Arc<Ledger<MemStore>>,
    max_txs: usize,
    max_body: usize,
    limits: fapiao_api::limits::Limits,
    wait_timeout: Duration,
) -> Router {
    let state = fapiao_api::testing::state(ledger, max_txs, Arc::new(NoCustody));
    let state = ApiState { max_body_bytes: max_body, limits, wait_timeout, ..state };
    fapiao_api::router(Arc::new(state), &[])
}

fn tx(nonce: u64) -> Vec<u8> {
    let a = admin();
    let member = SigningKey::from_bytes(Suite::Ed25519, &[nonce as u8 + 10; 32]).unwrap();
    a.sign_tx(Tx {
        chain_id: "api-test".into(),
        sender: a.public_key(),
        nonce,
        expiry: 10,
        action: Action::AddAccount(NewAccount {
            public_key: member.public_key(),
            name: "m".into(),
            roles: vec![],
        }),
    })
    .encode()
    .to_vec()
}

async fn get_json(app: &Router, path: &str) -> (u16, serde_json::Value) {
    let resp = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn post(
    app: &Router,
    path: &str,
    body: Vec<u8>,
) -> (StatusCode, Option<String>, serde_json::Value) {
    let req = Request::post(path)
        .header("content-type", "application/octet-stream")
        .body(Body::from(body))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, retry, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn a_full_mempool_answers_503_with_retry_after() {
    let app = app(1, 1 << 20);
    let (s, _, body) = post(&app, "/v1/transactions?wait=false", tx(1)).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    let (s, retry, body) = post(&app, "/v1/transactions?wait=false", tx(2)).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(retry.as_deref(), Some("1"));
    assert_eq!(body["code"], "mempool_full");
}

#[tokio::test]
async fn a_wait_that_times_out_answers_202_with_the_hash() {
    let app = app(10, 1 << 20);
    let bytes = tx(3);
    let hash = hex::encode(fapiao_ledger::decode_tx(&bytes, 1 << 16).unwrap().hash());
    let (s, _, body) = post(&app, "/v1/transactions", bytes).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["hash"], hash);
    assert_eq!(body["status"], "pending");
}

#[tokio::test]
async fn oversized_bodies_bad_queries_and_unknown_routes_get_json_errors() {
    let app = app(10, 4096);
    let (s, _, body) = post(&app, "/v1/transactions", vec![0u8; 10_000]).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["code"], "too_large");
    let (s, _, body) = post(&app, "/v1/transactions?wait=maybe", tx(4)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["field"], "wait");
    let (s, _, body) = post(&app, "/v1/nowhere", vec![]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
    let (s, _, body) = post(&app, "/v1/accounts", b"{}".to_vec()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
}

/// `GET /v1/refusals` serves the tables the node maps codes with, and every error this
/// test provokes answers with a declared code at its declared status.
#[tokio::test]
async fn refusals_lists_every_declared_code_with_the_status_the_node_answers() {
    let app = app(10, 4096);
    let (s, table) = get_json(&app, "/v1/refusals").await;
    assert_eq!(s, 200);
    let find = |code: &str| {
        table.as_array().unwrap().iter().find(|r| r["code"] == code).cloned().unwrap_or_default()
    };
    assert_eq!(find("bad_uscc")["owner"], "values");
    assert_eq!(
        (find("missing_role")["owner"].clone(), find("missing_role")["status"].clone()),
        (serde_json::json!("platform"), serde_json::json!(403))
    );
    assert_eq!(find("invoice.already_reimbursed")["status"], 409);
    assert_eq!(find("invoice.already_reimbursed")["owner"], "invoice");
    // What the node answers agrees with what it lists.
    for (path, body) in [("/v1/transactions", vec![0u8; 10_000]), ("/v1/nowhere", vec![])] {
        let (s, _, err) = post(&app, path, body).await;
        let code = err["code"].as_str().unwrap();
        assert_eq!(find(code)["status"], s.as_u16(), "{code}");
    }
}

#[tokio::test]
async fn params_lists_every_parameter_with_its_genesis_version() {
    let app = app(10, 1 << 20);
    let (status, v) = get_json(&app, "/v1/params").await;
    assert_eq!(status, 200, "{v}");
    let ids: Vec<&str> =
        v["params"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "chain/mechanics",
            "risk/rules",
            "invoice/tax-rules",
            "invoice/tax-summary",
            "certificate/vehicle-tax",
            "cowbank/policy",
            "exchange/deductions",
            "exchange/limits",
            "crosschain/chains",
            "crosschain/window",
            "industry/secret",
            "finance/financing"
        ]
    );
    let vehicle_tax = &v["params"][4];
    assert_eq!(vehicle_tax["timing"], "date");
    assert_eq!(vehicle_tax["versions"][0]["value"]["passenger"][0]["annual"], "60.00");
    let rules = &v["params"][2];
    assert_eq!(rules["timing"], "date");
    assert_eq!(rules["in_force"], 0);
    assert_eq!(rules["versions"][0]["value"]["document_tax_tolerance_fen"], 127);
    let summary = &v["params"][3];
    assert_eq!(summary["timing"], "height");
    assert_eq!(summary["versions"][0]["value"]["enabled"], false, "disabled by default");
    let mechanics = &v["params"][0];
    assert_eq!(mechanics["versions"][0]["effective_height"], 0);
    let (status, v) = get_json(&app, "/v1/governance/proposals").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["proposals"].as_array().unwrap().len(), 0);
    let (status, v) = get_json(&app, "/v1/governance/proposals?status=maybe").await;
    assert_eq!((status, v["code"].as_str()), (400, Some("invalid_field")), "{v}");
}

/// A request to `target` signed as a consortium node would sign it, at `time_ms`.
fn node_request(
    key: &SigningKey,
    method: &str,
    target: &str,
    body: Vec<u8>,
    time_ms: u64,
) -> Request<Body> {
    use fapiao_types::node_auth::*;
    let msg = node_request_message(method, target, &body, time_ms);
    let sig = key.sign_namespaced(NAMESPACE_NODE_HTTP, &msg).unwrap();
    Request::builder()
        .method(method)
        .uri(target)
        .header(HEADER_NODE, key.public_key().to_hex())
        .header(HEADER_TIME, time_ms.to_string())
        .header(HEADER_SIGNATURE, hex::encode(sig.0))
        .header("content-type", "application/octet-stream")
        .body(Body::from(body))
        .unwrap()
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

/// Regression: `GET /v1/sync/blocks` answered anyone with whole blocks — buyers, lines,
/// remarks and commitment salts of every private invoice — and `POST /v1/relay` was open
/// too. They answer only signed requests of genesis nodes (`POST /v1/attest`, the
/// invoice application's node route, is checked in `fapiao-invoice-api`).
#[tokio::test]
async fn node_routes_answer_only_signed_requests_of_consortium_nodes() {
    let app = app(10, 1 << 20);
    let status = |req: Request<Body>| {
        let app = app.clone();
        async move {
            let resp = app.oneshot(req).await.unwrap();
            let s = resp.status();
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            (s, bytes)
        }
    };
    let sync = "/v1/sync/blocks?from=0&max=1";
    for (method, target) in [("GET", sync), ("POST", "/v1/relay")] {
        let req = Request::builder().method(method).uri(target).body(Body::empty()).unwrap();
        let (s, body) = status(req).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "anonymous {method} {target}");
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], "node_auth");
        // A key the genesis does not list (an organisation's admin) is refused too.
        let (s, _) = status(node_request(&admin(), method, target, vec![], now_ms())).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "stranger {method} {target}");
    }
    let t = now_ms();
    let (s, body) = status(node_request(&node_key(), "GET", sync, vec![], t)).await;
    assert_eq!(s, StatusCode::OK);
    let frames = fapiao_types::split_frames(&body, 1 << 20).unwrap();
    assert_eq!(frames.len(), 2, "the genesis block and its (empty) finality");
    // The same signed request again is a replay; an old one is out of the window.
    let (s, _) = status(node_request(&node_key(), "GET", sync, vec![], t)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = status(node_request(&node_key(), "GET", sync, vec![], t - 120_000)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // A relay from the node is admitted like a submission.
    let mut frames = Vec::new();
    fapiao_types::push_frame(&mut frames, &tx(40));
    let (s, body) = status(node_request(&node_key(), "POST", "/v1/relay", frames, now_ms())).await;
    assert_eq!(s, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["admitted"], 1, "{body}");
    // A relay is bounded by count as well as bytes.
    let mut many = Vec::new();
    for _ in 0..=fapiao_api::MAX_BATCH_TXS {
        fapiao_types::push_frame(&mut many, b"x");
    }
    let (s, body) = status(node_request(&node_key(), "POST", "/v1/relay", many, now_ms())).await;
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((s, body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("body")), "{body}");
}

/// A full node listed by governance may call the node routes from the block that lists
/// it, and not after the block that unlists it; no restart.
#[tokio::test]
async fn full_nodes_listed_by_governance_are_let_in_and_out() {
    let ledger = test_ledger();
    let app = app_over(ledger.clone(), 10, 1 << 20, Default::default(), Duration::from_millis(100));
    let newcomer = SigningKey::from_bytes(Suite::Ed25519, &[42; 32]).unwrap();
    let key: [u8; 32] = newcomer.public_key().key_bytes().try_into().unwrap();
    let sync = "/v1/sync/blocks?from=0&max=1";
    let status = |app: &Router, t: u64| {
        let app = app.clone();
        let req = node_request(&newcomer, "GET", sync, vec![], t);
        async move { app.oneshot(req).await.unwrap().status() }
    };
    assert_eq!(status(&app, now_ms()).await, StatusCode::UNAUTHORIZED);
    let govern = |nonce: u64, change: Change| {
        let a = admin();
        let stx = a.sign_tx(Tx {
            chain_id: "api-test".into(),
            sender: a.public_key(),
            nonce,
            expiry: 100,
            action: Action::Propose(Propose { change, note: String::new() }),
        });
        let tip = ledger.executed_tip();
        let b = Block::child(
            &tip.header,
            tip.header.time_ms + 1,
            0,
            (tip.height, tip.state_root),
            vec![stx],
        );
        let r = ledger.execute_block(&b, b"cert").unwrap();
        assert!(r[0].outcome.is_ok(), "{r:?}");
    };
    govern(
        1,
        Change::AddFullNode { name: "audit node".into(), org: "tax".into(), public_key: key },
    );
    assert_eq!(status(&app, now_ms()).await, StatusCode::OK);
    govern(2, Change::RemoveFullNode { public_key: key });
    assert_eq!(status(&app, now_ms() + 1).await, StatusCode::UNAUTHORIZED);
}

/// Every caller gets a budget: per bearer token, per client address (loopback exempt
/// unless configured), a bound on requests in flight and a timeout — 429 or 503 with
/// `Retry-After`, never a queue that grows.
#[tokio::test]
async fn tokens_and_addresses_are_rate_limited_and_long_requests_time_out() {
    use axum::extract::ConnectInfo;
    use fapiao_api::limits::Limits;
    let limits = Limits {
        per_token_per_second: 1,
        per_ip_per_second: 1,
        request_timeout: Duration::from_millis(30),
        ..Limits::default()
    };
    // The wait for execution (which never comes here) outlasts the request timeout.
    let app = app_with(10, 1 << 20, limits, Duration::from_secs(60));
    let get = |token: Option<&str>, ip: Option<[u8; 4]>| {
        let mut req = Request::get("/v1/status");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let mut req = req.body(Body::empty()).unwrap();
        if let Some(ip) = ip {
            req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from((ip, 40_000))));
        }
        let app = app.clone();
        async move { app.oneshot(req).await.unwrap() }
    };
    // A token: a burst of two, then 429.
    for _ in 0..2 {
        assert_eq!(get(Some("tok-a"), None).await.status(), StatusCode::OK);
    }
    let resp = get(Some("tok-a"), None).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let body: serde_json::Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(
        (body["code"].as_str(), body["field"].as_str()),
        (Some("rate_limited"), Some("authorization"))
    );
    assert_eq!(get(Some("tok-b"), None).await.status(), StatusCode::OK, "another token");
    // An address (TEST-NET-3, RFC 5737: a value, never contacted).
    for _ in 0..2 {
        assert_eq!(get(None, Some([203, 0, 113, 7])).await.status(), StatusCode::OK);
    }
    assert_eq!(get(None, Some([203, 0, 113, 7])).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // Loopback is exempt by default.
    for _ in 0..5 {
        assert_eq!(get(None, Some([127, 0, 0, 1])).await.status(), StatusCode::OK);
    }
    // A request that outlives the timeout (waiting for execution that never comes).
    let (s, retry, body) = post(&app, "/v1/transactions", tx(50)).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("timeout")));
    assert_eq!(retry.as_deref(), Some("1"));
}

/// A known sender whose transactions keep failing the signature check is refused
/// unverified for a while: it cannot make the node spend CPU on forged signatures.
#[tokio::test]
async fn a_sender_sending_bad_signatures_is_throttled() {
    let app = app(100, 1 << 20);
    let bad_batch = |from: u64| {
        let mut body = Vec::new();
        for n in from..from + 20 {
            let mut bytes = tx(n);
            let at = bytes.len() - 5; // inside the signature, the last 64 bytes
            bytes[at] ^= 1;
            fapiao_types::push_frame(&mut body, &bytes);
        }
        body
    };
    let codes = |v: &serde_json::Value| -> Vec<String> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    let (s, _, first) = post(&app, "/v1/transactions/batch", bad_batch(100)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(codes(&first).iter().all(|c| c == "bad_signature"), "{first}");
    let (_, _, second) = post(&app, "/v1/transactions/batch", bad_batch(200)).await;
    assert!(codes(&second).iter().all(|c| c == "signatures_throttled"), "{second}");
    // Even a good transaction of that sender waits; a single refusal is 429.
    let (s, retry, body) = post(&app, "/v1/transactions?wait=false", tx(300)).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("signatures_throttled"))
    );
    assert!(retry.is_some());
}

/// Admission runs the cheap checks before the signature: a transaction from a sender the
/// chain does not know is refused as such, without verifying its (bad) signature, and
/// a replay of a pending transaction is refused before anything else.
#[tokio::test]
async fn cheap_checks_come_before_the_signature() {
    let app = app(10, 1 << 20);
    let stranger = SigningKey::from_bytes(Suite::Ed25519, &[77; 32]).unwrap();
    let mut stx = stranger.sign_tx(Tx {
        chain_id: "api-test".into(),
        sender: stranger.public_key(),
        nonce: 1,
        expiry: 10,
        action: Action::RevokeAccount { account: [1; 32].into() },
    });
    stx.signature.0[3] ^= 1;
    let (s, _, body) = post(&app, "/v1/transactions?wait=false", stx.encode().to_vec()).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("unknown_account")),
        "{body}"
    );
    // A pending transaction sent again with a corrupted signature is a replay, not a
    // bad signature: the pool's memory answers first.
    let good = tx(60);
    let (s, _, _) = post(&app, "/v1/transactions?wait=false", good.clone()).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let mut again = good;
    let at = again.len() - 5;
    again[at] ^= 1;
    let (s, _, body) = post(&app, "/v1/transactions?wait=false", again).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::CONFLICT, Some("replayed")), "{body}");
}

/// A node without the index by hash (`[storage] tx_index = false`): a submission that
/// waits still gets its receipt (found through the replay set by hash and expiry), the
/// lookup by hash answers 501 `not_indexed`, and a resubmission is refused as before.
#[tokio::test]
async fn without_the_tx_index_waits_still_answer_and_the_lookup_says_not_indexed() {
    for indexed in [true, false] {
        let ledger = test_ledger();
        let ledger = Arc::new(Arc::into_inner(ledger).unwrap().with_tx_index(indexed));
        let state = fapiao_api::testing::chain::serve(ledger, People(&[]), None);
        let app = fapiao_api::router(Arc::new(state), &[]);
        let (s, _, body) = post(&app, "/v1/transactions?wait=true", tx(1)).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(
            (body["status"].as_str(), body["height"].as_u64()),
            (Some("committed"), Some(1))
        );
        assert_eq!(body["receipt"]["status"], "ok", "{body}");
        let hash = body["hash"].as_str().unwrap().to_string();
        let (s, found) = get_json(&app, &format!("/v1/transactions/{hash}")).await;
        if indexed {
            assert_eq!(s, 200, "{found}");
            assert_eq!(found["receipt"]["height"], 1);
        } else {
            assert_eq!((s, found["code"].as_str()), (501, Some("not_indexed")), "{found}");
            assert!(found["message"].as_str().unwrap().contains("tx_index"), "{found}");
        }
        let (s, _, body) = post(&app, "/v1/transactions?wait=true", tx(1)).await;
        assert_eq!((s, body["code"].as_str()), (StatusCode::CONFLICT, Some("replayed")), "{body}");
    }
}
