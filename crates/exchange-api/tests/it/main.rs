//! The exchange's routes over a real ledger (in-memory store) and mempool, served as the
//! node serves them, with custodial signing and a stand-in for consensus that executes
//! what the pool holds: departments register keys kept in the node's secrets directory,
//! publish catalogues, share the watch key, ask and answer sealed queries, meet on a
//! watch list in a joint alert; a person registers, declares, consents and reads the
//! access log; an employer sees amounts only. And who cannot read or open what: another
//! department, a node that does not keep the department's key.

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
use std::{path::PathBuf, sync::Arc, time::Duration};
use tower::ServiceExt;

mod flows;

const CHAIN: &str = "exchange-api";

/// The people of the tests, each a key and the token `tok-<name>`.
const PEOPLE: &[(&str, u8)] = &[
    ("tax-admin", 7),
    ("police-admin", 8),
    ("customs-admin", 9),
    ("pbc-admin", 10),
    ("edu-admin", 11),
    ("wallet-admin", 12),
    ("huawei-admin", 13),
    ("tax-desk", 21),
    ("police-desk", 22),
    ("customs-desk", 23),
    ("pbc-desk", 24),
    ("edu-desk", 25),
    ("person", 26),
    ("finance", 27),
    ("tax-officer", 28),
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

fn org(id: &str, name: &str, kind: OrgKind, admin: &str, tax_id: Option<&str>) -> GenesisOrg {
    GenesisOrg {
        id: id.into(),
        name: name.into(),
        kind,
        tax_id: tax_id.map(|t| t.parse().unwrap()),
        admins: vec![GenesisAdmin {
            name: format!("{id} admin"),
            suite: "ed25519".into(),
            public_key: key(admin).public_key().to_hex(),
        }],
    }
}

fn execute(ledger: &Ledger<MemStore>, txs: Vec<SignedTx>) -> Vec<Receipt> {
    let tip = ledger.executed_tip();
    let time = now_ms().max(tip.header.time_ms + 1);
    let block = Block::child(&tip.header, time, 0, (tip.height, tip.state_root), txs);
    ledger.execute_block(&block, b"exchange").unwrap()
}

/// The chain of the tests: a tax bureau, police, customs, the central bank's branch, an
/// education bureau, a wallet platform and an employer, their members added.
pub(crate) struct Chain {
    pub state: ApiState,
    pub secrets: tempfile::TempDir,
}

pub(crate) fn chain() -> Chain {
    let genesis = Genesis {
        chain_id: CHAIN.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: now_ms() - 3_600_000,
        consensus: ConsensusParams::default(),
        organisations: vec![
            org("sz-tax", "深圳市税务局", OrgKind::TaxAuthority, "tax-admin", None),
            org("sz-police", "深圳市公安局", OrgKind::Police, "police-admin", None),
            org("sz-customs", "深圳海关", OrgKind::Customs, "customs-admin", None),
            org("pbc", "人民银行深圳分行", OrgKind::CentralBank, "pbc-admin", None),
            org("sz-edu", "深圳市教育局", OrgKind::Education, "edu-admin", None),
            org("wallet", "Wallet", OrgKind::Platform, "wallet-admin", None),
            org(
                "huawei",
                "华为技术有限公司",
                OrgKind::Enterprise,
                "huawei-admin",
                Some("914403001922038216"),
            ),
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
            add("tax-admin", "tax-desk", Role::ExchangeOfficer),
            add("tax-admin", "tax-officer", Role::TaxOfficer),
            add("police-admin", "police-desk", Role::ExchangeOfficer),
            add("customs-admin", "customs-desk", Role::ExchangeOfficer),
            add("pbc-admin", "pbc-desk", Role::ExchangeOfficer),
            add("edu-admin", "edu-desk", Role::ExchangeOfficer),
            add("wallet-admin", "person", Role::Consumer),
            add("huawei-admin", "finance", Role::EnterpriseFinance),
        ],
    );
    assert!(receipts.iter().all(|r| matches!(r.outcome, Outcome::Ok)), "{receipts:?}");
    let secrets = tempfile::tempdir().unwrap();
    let state = fapiao_api::testing::state(ledger.clone(), 64, Arc::new(Keys));
    let (exec_tx, executed) = tokio::sync::watch::channel(ledger.executed_tip().height);
    let state = ApiState {
        executed,
        wait_timeout: Duration::from_secs(10),
        secrets: Some(secrets.path().to_path_buf()),
        ..state
    };
    let (pool, ch) = (state.pool.clone(), ledger.clone());
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let height = ch.executed_tip().height + 1;
            let txs = pool.select(height, 100);
            if txs.is_empty() {
                continue;
            }
            let hashes: Vec<Hash32> = txs.iter().map(SignedTx::hash).collect();
            execute(&ch, txs);
            pool.on_executed(height, &hashes);
            if exec_tx.send(height).is_err() {
                return;
            }
        }
    });
    Chain { state, secrets }
}

impl Chain {
    /// The node of the tests: it keeps every department's keys.
    pub fn app(&self) -> Router {
        self.app_with(Some(self.secrets.path().to_path_buf()))
    }

    /// Another node on the same chain, keeping the secrets in `secrets` (or none).
    pub fn app_with(&self, secrets: Option<PathBuf>) -> Router {
        let state = ApiState {
            reader: self.state.reader.clone(),
            pool: self.state.pool.clone(),
            admitter: self.state.admitter.clone(),
            executed: self.state.executed.clone(),
            chain: self.state.chain.clone(),
            custody: self.state.custody.clone(),
            metrics: self.state.metrics.clone(),
            wait_timeout: self.state.wait_timeout,
            max_body_bytes: self.state.max_body_bytes,
            qr_signer: None,
            peers: None,
            limits: self.state.limits.clone(),
            audit: self.state.audit.clone(),
            secrets,
        };
        fapiao_api::router(Arc::new(state), &[fapiao_exchange_api::ROUTES])
    }
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

/// `call`, expecting 200.
pub(crate) async fn ok(
    app: &Router,
    method: &str,
    path: &str,
    who: &str,
    body: Option<Value>,
) -> Value {
    let (status, v) = call(app, method, path, who, body).await;
    assert_eq!(status, StatusCode::OK, "{method} {path} as {who}: {v}");
    v
}

/// A catalogue item's JSON change.
pub(crate) fn item(id: &str, kind: &str, askers: &[&str], consent: bool) -> Value {
    json!({ "item": id, "entry": {
        "title": id, "subject_kind": kind, "answer_schema": ["a", "b"],
        "askers": askers, "legal_basis": "《税收征收管理法》第五条", "consent_required": consent } })
}

/// Every department registers a key on the node, publishes its catalogue, and the tax
/// bureau shares the watch key.
pub(crate) async fn set_up(app: &Router) {
    for (desk, suite) in [
        ("tax-desk", "sm2-sm4-gcm"),
        ("police-desk", "sm2-sm4-gcm"),
        ("customs-desk", "hpke-x25519-chacha20poly1305"),
        ("pbc-desk", "hpke-x25519-chacha20poly1305"),
        ("edu-desk", "hpke-x25519-chacha20poly1305"),
    ] {
        let k = ok(app, "POST", "/v1/exchange/keys", desk, Some(json!({ "suite": suite }))).await;
        assert_eq!(k["epoch"], 1);
    }
    for (desk, changes) in [
        (
            "customs-desk",
            vec![item("customs.export_declarations", "uscc", &["sz-police", "sz-tax"], false)],
        ),
        ("edu-desk", vec![item("education.enrolment", "resident_id", &["sz-tax"], true)]),
        ("police-desk", vec![item("police.identity", "resident_id", &["sz-tax"], false)]),
    ] {
        ok(
            app,
            "POST",
            "/v1/exchange/actions",
            desk,
            Some(json!({ "action": "publish_catalogue", "changes": changes })),
        )
        .await;
    }
    ok(app, "POST", "/v1/exchange/watch-key", "tax-desk", None).await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_exchange_route() {
    let doc: Value =
        serde_json::from_str(&fapiao_api::openapi_json(&[fapiao_exchange_api::ROUTES])).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in
        ["/v1/exchange/queries", "/v1/exchange/inbox", "/v1/exchange/answers", "/v1/exchange/me"]
    {
        assert!(paths.contains_key(p), "{p}");
    }
}
