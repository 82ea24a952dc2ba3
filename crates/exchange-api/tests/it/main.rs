//! The exchange's routes over a real ledger (in-memory store) and mempool, served as the
//! node serves them, with custodial signing and a stand-in for consensus that executes
//! what the pool holds: departments register keys kept in the node's secrets directory,
//! publish catalogues, share the watch key, ask and answer sealed queries, meet on a
//! watch list in a joint alert; a person registers, declares, consents and reads the
//! access log; an employer sees amounts only. And who cannot read or open what: another
//! department, a node that does not keep the department's key.

use axum::{http::StatusCode, Router};
pub(crate) use fapiao_api::testing::chain::{call, now_ms};
use fapiao_api::{
    testing::chain::{self as harness, another_node, People},
    ApiState,
};
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use serde_json::{json, Value};
use std::{path::PathBuf, sync::Arc};

mod flows;

const CHAIN: &str = "exchange-api";

/// The people of the tests, each a key and the token `tok-<name>`.
const PEOPLE: People = People(&[
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
]);

pub(crate) fn account(name: &str) -> AccountId {
    PEOPLE.account(name)
}

/// The chain of the tests: a tax bureau, police, customs, the central bank's branch, an
/// education bureau, a wallet platform and an employer, their members added.
pub(crate) struct Chain {
    pub state: ApiState,
    pub secrets: tempfile::TempDir,
}

pub(crate) fn chain() -> Chain {
    let genesis = harness::genesis(
        CHAIN,
        vec![
            PEOPLE.org("sz-tax", "深圳市税务局", OrgKind::TaxAuthority, "tax-admin", None),
            PEOPLE.org("sz-police", "深圳市公安局", OrgKind::Police, "police-admin", None),
            PEOPLE.org("sz-customs", "深圳海关", OrgKind::Customs, "customs-admin", None),
            PEOPLE.org("pbc", "人民银行深圳分行", OrgKind::CentralBank, "pbc-admin", None),
            PEOPLE.org("sz-edu", "深圳市教育局", OrgKind::Education, "edu-admin", None),
            PEOPLE.org("wallet", "Wallet", OrgKind::Platform, "wallet-admin", None),
            PEOPLE.org(
                "huawei",
                "华为技术有限公司",
                OrgKind::Enterprise,
                "huawei-admin",
                Some("914403001922038216"),
            ),
        ],
    );
    let ledger = Arc::new(Ledger::open(MemStore::new(), genesis).unwrap());
    harness::add_members(
        PEOPLE,
        &ledger,
        &[
            ("tax-admin", "tax-desk", Role::ExchangeOfficer),
            ("tax-admin", "tax-officer", Role::TaxOfficer),
            ("police-admin", "police-desk", Role::ExchangeOfficer),
            ("customs-admin", "customs-desk", Role::ExchangeOfficer),
            ("pbc-admin", "pbc-desk", Role::ExchangeOfficer),
            ("edu-admin", "edu-desk", Role::ExchangeOfficer),
            ("wallet-admin", "person", Role::Consumer),
            ("huawei-admin", "finance", Role::EnterpriseFinance),
        ],
    );
    let secrets = tempfile::tempdir().unwrap();
    let state = harness::serve(ledger, PEOPLE, Some(secrets.path().to_path_buf()));
    Chain { state, secrets }
}

impl Chain {
    /// The node of the tests: it keeps every department's keys.
    pub fn app(&self) -> Router {
        self.app_with(Some(self.secrets.path().to_path_buf()))
    }

    /// Another node on the same chain, keeping the secrets in `secrets` (or none).
    pub fn app_with(&self, secrets: Option<PathBuf>) -> Router {
        let state = another_node(&self.state, secrets);
        fapiao_api::router(Arc::new(state), &[fapiao_exchange_api::ROUTES])
    }
}

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
