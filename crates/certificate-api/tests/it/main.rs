//! The certificate routes over a real ledger (in-memory store) and mempool, served as
//! the node serves them (beside the platform's routes, one router, one OpenAPI
//! document), with custodial signing and a stand-in for consensus that executes what
//! the pool holds: collections previewed and recorded, exchanged, checked in public,
//! refunded and settled; every refusal with the HTTP status its code declares; who may
//! read what.

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use fapiao_api::{testing::NoCustody, ApiState, Caller, Custody};
use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::{sync::Arc, time::Duration};
use tower::ServiceExt;

mod flows;
mod refusals;

const CHAIN: &str = "certificate-api";

/// The people of the tests, each a key and the token `tok-<name>`.
const PEOPLE: &[(&str, u8)] = &[
    ("tax-admin", 7),
    ("pingan-admin", 8),
    ("picc-admin", 9),
    ("platform-admin", 10),
    ("collector", 11),
    ("other-collector", 12),
    ("owner", 13),
    ("stranger", 14),
    ("officer", 15),
];

pub(crate) fn key(name: &str) -> SigningKey {
    let seed = PEOPLE.iter().find(|(n, _)| *n == name).map(|(_, s)| *s).unwrap();
    SigningKey::from_bytes(Suite::Ed25519, &[seed; 32]).unwrap()
}

pub(crate) fn account(name: &str) -> AccountId {
    key(name).public_key().account_id()
}

/// Holds every test key; `tok-<name>` acts for `name`.
struct Keys;

impl Custody for Keys {
    fn authenticate(&self, bearer: &str) -> std::result::Result<Option<Caller>, String> {
        let name = bearer.strip_prefix("tok-").unwrap_or("");
        Ok(PEOPLE
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, _)| Caller { account: account(n), token_id: bearer.into() }))
    }
    fn sign(&self, a: &AccountId, t: Tx) -> std::result::Result<SignedTx, String> {
        let (name, _) = PEOPLE.iter().find(|(n, _)| account(n) == *a).ok_or("no such key")?;
        Ok(key(name).sign_tx(t))
    }
    fn generate(&self, n: &str, s: Suite) -> std::result::Result<PublicKey, String> {
        NoCustody.generate(n, s)
    }
    fn create_token(&self, a: &AccountId, n: &str) -> std::result::Result<String, String> {
        NoCustody.create_token(a, n)
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

fn org(id: &str, name: &str, kind: OrgKind, admin: &str) -> GenesisOrg {
    GenesisOrg {
        id: id.into(),
        name: name.into(),
        kind,
        tax_id: None,
        admins: vec![GenesisAdmin {
            name: format!("{id} admin"),
            suite: "ed25519".into(),
            public_key: key(admin).public_key().to_hex(),
        }],
    }
}

/// Executes `txs` in one block at the wall-clock time (the API computes with today's
/// date, as the chain does with its block's).
fn execute(ledger: &Ledger<MemStore>, txs: Vec<SignedTx>) -> Vec<Receipt> {
    let tip = ledger.executed_tip();
    let time = now_ms().max(tip.header.time_ms + 1);
    let block = Block::child(&tip.header, time, 0, (tip.height, tip.state_root), txs);
    ledger.execute_block(&block, b"cert").unwrap()
}

/// A chain with the tax bureau, two insurers and a wallet platform, their members
/// added; and the API over it, whose pool a background task executes every few
/// milliseconds, as consensus would.
pub(crate) fn app() -> (Router, Arc<Ledger<MemStore>>) {
    let genesis = Genesis {
        chain_id: CHAIN.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: now_ms() - 3_600_000,
        consensus: ConsensusParams::default(),
        organisations: vec![
            org("sz-tax", "深圳市税务局", OrgKind::TaxAuthority, "tax-admin"),
            org("pingan", "平安保险", OrgKind::Insurer, "pingan-admin"),
            org("picc", "人保财险", OrgKind::Insurer, "picc-admin"),
            org("wallet", "Wallet", OrgKind::Platform, "platform-admin"),
        ],
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
    let ledger = Arc::new(Ledger::open(MemStore::new(), genesis).unwrap());
    let add = |admin: &str, who: &str, role: Role| {
        key(admin).sign_tx(Tx {
            chain_id: CHAIN.into(),
            sender: key(admin).public_key(),
            nonce: 1,
            expiry: 50,
            action: Action::AddAccount(NewAccount {
                public_key: key(who).public_key(),
                name: who.into(),
                roles: vec![role],
            }),
        })
    };
    let receipts = execute(
        &ledger,
        vec![
            add("pingan-admin", "collector", Role::InsurerCollector),
            add("picc-admin", "other-collector", Role::InsurerCollector),
            add("platform-admin", "owner", Role::Consumer),
            add("platform-admin", "stranger", Role::Consumer),
            add("tax-admin", "officer", Role::TaxOfficer),
        ],
    );
    assert!(receipts.iter().all(|r| matches!(r.outcome, Outcome::Ok)), "{receipts:?}");
    let state = fapiao_api::testing::state(ledger.clone(), 64, Arc::new(Keys));
    let (exec_tx, executed) = tokio::sync::watch::channel(ledger.executed_tip().height);
    let state = ApiState { executed, wait_timeout: Duration::from_secs(10), ..state };
    let (pool, chain) = (state.pool.clone(), ledger.clone());
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let height = chain.executed_tip().height + 1;
            let txs = pool.select(height, 100);
            if txs.is_empty() {
                continue;
            }
            let hashes: Vec<Hash32> = txs.iter().map(SignedTx::hash).collect();
            execute(&chain, txs);
            pool.on_executed(height, &hashes);
            if exec_tx.send(height).is_err() {
                return;
            }
        }
    });
    let app = fapiao_api::router(Arc::new(state), &[fapiao_certificate_api::ROUTES]);
    (app, ledger)
}

/// Calls `method path` as `who` (`""`: no token) with `body`; the status and JSON.
pub(crate) async fn call(
    app: &Router,
    method: &str,
    path: &str,
    who: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if !who.is_empty() {
        req = req.header("authorization", format!("Bearer tok-{who}"));
    }
    let req = match body {
        Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// A 1.6 L petrol car bought in 2024, Li Wei's, its tax for this year: 360.00.
pub(crate) fn petrol() -> Value {
    json!({
        "policy_no": "PDZA202644030000001",
        "plate": "粤B12345",
        "vin": vin("LSVAU218N2123456"),
        "class": "passenger",
        "size": 1598,
        "energy": "conventional",
        "acquired": "2024-05-06",
        "owner": account("owner").to_string(),
        "owner_name": "李伟",
        "owner_id": "91440300708461136T",
    })
}

/// A VIN with a valid check digit built on `stem` (16 characters, position 9 left out).
pub(crate) fn vin(stem: &str) -> String {
    let (a, b) = stem.split_at(8);
    "0123456789X"
        .chars()
        .map(|c| format!("{a}{c}{b}"))
        .find(|v| fapiao_values::Vin::parse(v).is_ok())
        .unwrap()
}

/// Records `c` as the collector; its id.
pub(crate) async fn record(app: &Router, c: Value) -> String {
    let (status, body) = call(app, "POST", "/v1/collections", "collector", Some(c)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_openapi_document_lists_every_certificate_route() {
    let doc: Value =
        serde_json::from_str(&fapiao_api::openapi_json(&[fapiao_certificate_api::ROUTES])).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/certificates/preview",
        "/v1/collections",
        "/v1/collections/{id}",
        "/v1/collections/{id}/exchange",
        "/v1/collections/{id}/refund",
        "/v1/wallet/certificates",
        "/v1/certificates/{number}/check",
        "/v1/certificates/{number}/proof",
        "/v1/certificates/{number}/pdf",
        "/v1/settlements",
        "/v1/settlements/{id}/confirm",
        "/v1/tax/vehicle-tax",
    ] {
        assert!(paths.contains_key(p), "OpenAPI lists {p}");
    }
    assert!(doc["components"]["schemas"]["CheckJson"].is_object());
}
