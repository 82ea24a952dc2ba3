//! The certificate routes over a real ledger (in-memory store) and mempool, served as
//! the node serves them (beside the platform's routes, one router, one OpenAPI
//! document), with custodial signing and a stand-in for consensus that executes what
//! the pool holds: collections previewed and recorded, exchanged, checked in public,
//! refunded and settled; every refusal with the HTTP status its code declares; who may
//! read what.

use axum::{http::StatusCode, Router};
pub(crate) use fapiao_api::testing::chain::{self as harness, People};
pub(crate) use fapiao_api::testing::chain::{call, now_ms};
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use serde_json::{json, Value};
use std::sync::Arc;

mod flows;
mod refusals;

const CHAIN: &str = "certificate-api";

/// The people of the tests, each a key and the token `tok-<name>`.
const PEOPLE: People = People(&[
    ("tax-admin", 7),
    ("pingan-admin", 8),
    ("picc-admin", 9),
    ("platform-admin", 10),
    ("collector", 11),
    ("other-collector", 12),
    ("owner", 13),
    ("stranger", 14),
    ("officer", 15),
]);

pub(crate) fn account(name: &str) -> AccountId {
    PEOPLE.account(name)
}

/// A chain with the tax bureau, two insurers and a wallet platform, their members
/// added; and the API over it, whose pool a background task executes every few
/// milliseconds, as consensus would.
pub(crate) fn app() -> (Router, Arc<Ledger<MemStore>>) {
    let genesis = harness::genesis(
        CHAIN,
        vec![
            PEOPLE.org("sz-tax", "深圳市税务局", OrgKind::TaxAuthority, "tax-admin", None),
            PEOPLE.org("pingan", "平安保险", OrgKind::Insurer, "pingan-admin", None),
            PEOPLE.org("picc", "人保财险", OrgKind::Insurer, "picc-admin", None),
            PEOPLE.org("wallet", "Wallet", OrgKind::Platform, "platform-admin", None),
        ],
    );
    let ledger = Arc::new(Ledger::open(MemStore::new(), genesis).unwrap());
    harness::add_members(
        PEOPLE,
        &ledger,
        &[
            ("pingan-admin", "collector", Role::InsurerCollector),
            ("picc-admin", "other-collector", Role::InsurerCollector),
            ("platform-admin", "owner", Role::Consumer),
            ("platform-admin", "stranger", Role::Consumer),
            ("tax-admin", "officer", Role::TaxOfficer),
        ],
    );
    let state = harness::serve(ledger.clone(), PEOPLE, None);
    let app = fapiao_api::router(Arc::new(state), &[fapiao_certificate_api::ROUTES]);
    (app, ledger)
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
