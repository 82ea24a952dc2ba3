//! The router over a real ledger (in-memory store) and mempool, without consensus:
//! what the API answers when the pool is full, bodies are too large, a wait times out.

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use commonware_codec::Encode;
use fapiao_api::{ApiState, Caller, ChainView, Custody, Metrics, PeerStatus};
use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_mempool::{Admitter, Mempool, MempoolLimits};
use fapiao_types::*;
use http_body_util::BodyExt;
use std::{sync::Arc, time::Duration};
use tower::ServiceExt;

mod auth;

/// Consensus is not running in these tests: no peers, nothing finalized.
struct NoConsensus;

impl ChainView for NoConsensus {
    fn peers(&self) -> Vec<PeerStatus> {
        Vec::new()
    }
    fn finalized_height(&self) -> u64 {
        0
    }
    fn certificate_json(&self, _: u64, _: &[u8]) -> Option<serde_json::Value> {
        None
    }
}

/// A node that holds no keys and knows no tokens.
struct NoCustody;

impl Custody for NoCustody {
    fn authenticate(&self, _: &str) -> std::result::Result<Option<Caller>, String> {
        Ok(None)
    }
    fn sign(&self, _: &AccountId, _: Tx) -> std::result::Result<SignedTx, String> {
        Err("no keys".into())
    }
    fn generate(&self, _: &str, _: Suite) -> std::result::Result<PublicKey, String> {
        Err("no keystore".into())
    }
    fn create_token(&self, _: &AccountId, _: &str) -> std::result::Result<String, String> {
        Err("no tokens".into())
    }
}

fn admin() -> SigningKey {
    SigningKey::from_bytes(Suite::Ed25519, &[7; 32]).unwrap()
}

fn app(max_txs: usize, max_body: usize) -> Router {
    let a = admin();
    let genesis = Genesis {
        chain_id: "api-test".into(),
        genesis_time_ms: 0,
        consensus: ConsensusParams::default(),
        organisations: vec![GenesisOrg {
            id: "tax".into(),
            name: "Tax".into(),
            kind: OrgKind::TaxAuthority,
            tax_id: String::new(),
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
    };
    let ledger = Arc::new(Ledger::open(MemStore::new(), genesis).unwrap());
    let pool = Arc::new(Mempool::new(MempoolLimits { max_txs, max_bytes: 1 << 20 }));
    let admitter = Admitter::spawn(ledger.clone(), pool.clone(), 64, 64);
    let (_tx, executed) = tokio::sync::watch::channel(0);
    fapiao_api::router(Arc::new(ApiState {
        ledger,
        pool,
        admitter,
        executed,
        chain: Arc::new(NoConsensus),
        custody: Arc::new(NoCustody),
        metrics: Arc::new(Metrics::new()),
        wait_timeout: Duration::from_millis(100),
        max_body_bytes: max_body,
        qr_signer: None,
        attestor: None,
        audit: Arc::new(fapiao_api::AuditLog::without_file(Default::default())),
    }))
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

#[tokio::test]
async fn the_openapi_document_is_openapi_3_and_lists_every_route() {
    let doc: serde_json::Value = serde_json::from_str(&fapiao_api::openapi_json()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/status",
        "/v1/transactions",
        "/v1/transactions/{hash}",
        "/v1/blocks/{height}",
        "/v1/state/{key}",
        "/v1/accounts",
        "/v1/accounts/{account}/revoke",
        "/v1/taxpayers",
        "/v1/taxpayers/{uscc}",
        "/v1/taxpayers/{uscc}/status",
        "/v1/taxpayers/{uscc}/credit",
        "/v1/taxpayers/{uscc}/vat-returns/{month}",
        "/v1/credit-requests",
        "/v1/credit-requests/{id}/decision",
        "/v1/invoices",
        "/v1/invoices/preview",
        "/v1/invoices/{number}",
        "/v1/invoices/{number}/history",
        "/v1/wallet",
        "/v1/invoices/{number}/submit",
        "/v1/invoices/{number}/reimburse",
        "/v1/invoices/{number}/reject",
        "/v1/invoices/{number}/book",
        "/v1/invoices/{number}/flag",
        "/v1/verify",
        "/v1/alerts",
        "/v1/vat-returns",
        "/v1/orders",
        "/v1/orders/{order_id}/claim",
        "/v1/orders/{order_id}/issue",
        "/v1/taxpayers/{uscc}/catalogue",
        "/v1/taxpayers/{uscc}/auto-issue",
        "/v1/red-letter",
        "/v1/red-letter/{id}",
        "/v1/red-letter/{id}/confirm",
        "/v1/red-letter/{id}/refuse",
        "/v1/red-letter/{id}/withdraw",
        "/v1/relay",
        "/v1/transactions/batch",
        "/v1/sync/blocks",
        "/v1/invoices/{number}/proof",
        "/v1/invoices/{number}/qr",
        "/v1/attest",
        "/v1/invoices/{number}/pdf",
        "/v1/invoices/{number}/print",
        "/metrics",
        "/v1/openapi.json",
        "/v1/orders/{order_id}",
        "/v1/desk",
        "/v1/dashboard",
    ] {
        assert!(paths.contains_key(p), "OpenAPI lists {p}");
    }
    assert_eq!(paths.len(), 50, "and nothing it does not serve");
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn verification_is_rate_limited_per_invoice() {
    let app = app(10, 1 << 20);
    let get = |n: &str| {
        Request::get(format!("/v1/verify?number={n}&date=2026-11-26&total=1.00"))
            .body(Body::empty())
            .unwrap()
    };
    let a = "26951000000000000001";
    for _ in 0..fapiao_api::VERIFY_PER_MINUTE {
        let resp = app.clone().oneshot(get(a)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let resp = app.clone().oneshot(get(a)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers().get("retry-after").unwrap(), "60");
    let body: serde_json::Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["code"], "rate_limited");
    // Another invoice is not affected.
    let resp = app.clone().oneshot(get("26951000000000000002")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}
