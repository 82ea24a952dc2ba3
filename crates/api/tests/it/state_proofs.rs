//! `GET /v1/state/{key}?proof=true` proves the record as it is now, at the executed tip, and
//! answers once the first header committing to that state (the next block's) is certified:
//! the proof then checks against that header's root, and its certificate against the
//! genesis validators; with no later block the wait ends in 503 `not_final_yet`.

use axum::{body::Body, http::Request, Router};
use fapiao_api::testing::chain::{call, certify_later, genesis, now_ms, People};
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::{decode_exact, Header, OrgKind, StateKey};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tower::ServiceExt;

const PEOPLE: People = People(&[("admin", 7)]);

fn chain() -> (Router, Arc<Ledger<MemStore>>) {
    let org = PEOPLE.org("tax", "Tax", OrgKind::TaxAuthority, "admin", None);
    let ledger = Arc::new(Ledger::open(MemStore::new(), genesis("api-proofs", vec![org])).unwrap());
    let state = fapiao_api::testing::state(ledger.clone(), 64, Arc::new(PEOPLE));
    (fapiao_api::router(Arc::new(state), &[]), ledger)
}

#[tokio::test]
async fn a_state_proof_waits_for_the_header_certifying_the_tip_and_verifies() {
    let (app, ledger) = chain();
    // Nothing executed yet: the genesis state is proven, block 1's header certifies it.
    let asked = Instant::now();
    let next = certify_later(ledger.clone(), now_ms(), Duration::from_millis(300));
    let (s, r) = call(&app, "GET", "/v1/state/org/tax?proof=true", "", None).await;
    next.await.unwrap();
    assert_eq!(s, 200, "{r}");
    assert!(asked.elapsed() >= Duration::from_millis(300), "it waited for block 1");
    let p = &r["proof"];
    let header: Header =
        decode_exact(&hex::decode(p["header_hex"].as_str().unwrap()).unwrap(), &()).unwrap();
    assert_eq!((p["state_height"].as_u64(), header.height, header.state_height), (Some(0), 1, 0));
    assert_eq!(p["descendants_hex"], serde_json::json!([]));
    let value = hex::decode(r["value_hex"].as_str().unwrap()).unwrap();
    let proof = hex::decode(p["proof"].as_str().unwrap()).unwrap();
    let key = StateKey::Org("tax".into()).to_bytes();
    fapiao_verify::verify_state_proof(&header.state_root, &key, Some(&value), &proof).unwrap();
    let blob = hex::decode(p["certificate_hex"].as_str().unwrap()).unwrap();
    fapiao_verify::bundle::verify_certified_header(ledger.genesis(), &header, &blob).unwrap();
    // The header named is the ledger's own block 1.
    assert_eq!(ledger.header(1).unwrap(), Some(header));
}

#[tokio::test]
async fn with_no_later_block_a_state_proof_is_not_final_yet() {
    let (app, _ledger) = chain();
    let asked = Instant::now();
    let req = Request::get("/v1/state/org/tax?proof=true").body(Body::empty()).unwrap();
    let resp = app.oneshot(req).await.unwrap();
    fapiao_api::testing::chain::assert_not_final_yet(resp, asked).await;
}
