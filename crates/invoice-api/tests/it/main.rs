//! The invoice routes over a real ledger (in-memory store) and mempool, without
//! consensus, served as the node serves them: beside the platform's routes, in one
//! router and one OpenAPI document.

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use tower::ServiceExt;

mod auth;
mod desk;
mod disclosure;
mod openapi;
mod proofs;

#[tokio::test]
async fn the_openapi_document_is_openapi_3_and_lists_every_route() {
    let doc: serde_json::Value =
        serde_json::from_str(&fapiao_api::openapi_json(&[fapiao_invoice_api::ROUTES])).unwrap();
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
        "/v1/red-letter/{id}/issue",
        "/v1/express/applications",
        "/v1/express/applications/{id}/review",
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
        "/verify",
        "/v1/params",
        "/v1/governance/proposals",
        "/v1/governance/proposals/{id}/approve",
        "/v1/governance/proposals/{id}/withdraw",
        "/v1/enterprises",
        "/v1/refusals",
        "/v1/tax-summary/{uscc}",
        "/v1/disclosures",
        "/v1/disclosures/{id}/revoke",
        "/v1/disclosures/{id}/package",
    ] {
        assert!(paths.contains_key(p), "OpenAPI lists {p}");
    }
    assert_eq!(paths.len(), 64, "and nothing it does not serve");
    assert!(doc["components"]["securitySchemes"]["node"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn verification_is_rate_limited_per_invoice() {
    let app = auth::plain_app(auth::ledger(), false);
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
    // A token comes back every 60 / VERIFY_PER_MINUTE seconds.
    let retry: u64 = resp.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert_eq!(retry, 60 / u64::from(fapiao_api::VERIFY_PER_MINUTE));
    let body: serde_json::Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["code"], "rate_limited");
    // Another invoice is not affected.
    let resp = app.clone().oneshot(get("26951000000000000002")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

/// The budget is the governed `chain/mechanics.verify_per_minute`, not a constant: a
/// chain whose parameter says 3 answers the fourth verification with 429.
#[tokio::test]
async fn the_verification_budget_is_the_governed_one() {
    let mechanics = serde_json::json!({"max_block_txs": 1000, "expiry_window": 600,
        "max_clock_drift_ms": 2000, "verify_per_minute": 3, "bad_signatures_per_minute": 8});
    let ledger = auth::ledger_with([("chain/mechanics".to_string(), mechanics)].into());
    let app = auth::plain_app(ledger, false);
    let get = || {
        Request::get("/v1/verify?number=26951000000000000001&date=2026-11-26&total=1.00")
            .body(Body::empty())
            .unwrap()
    };
    for _ in 0..3 {
        assert_eq!(app.clone().oneshot(get()).await.unwrap().status(), StatusCode::OK);
    }
    let resp = app.clone().oneshot(get()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: serde_json::Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(body["message"].as_str().unwrap().contains("at most 3 "), "{body}");
}

/// Regression (issue #12): `0000-01` parsed as month 1 of year 0, whose return looks up
/// the month before it — `(0 − 1) × 100 + 12` in `u32`, a panic in debug builds. A year
/// before 1900 is not a month the chain keeps returns for: 400 naming `month`.
#[tokio::test]
async fn a_vat_return_of_year_zero_is_a_bad_month() {
    let app = auth::plain_app(auth::ledger(), false);
    for month in ["0000-01", "1899-12", "2026-00", "2026-13"] {
        let req = Request::get(format!("/v1/taxpayers/91440300708461136T/vat-returns/{month}"))
            .body(Body::empty())
            .unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{month}: {body}");
        assert_eq!(body["field"], "month", "{month}");
    }
}

/// `POST /v1/attest` signs with the validator's key: it answers only signed requests of
/// genesis nodes, like the platform's node routes.
#[tokio::test]
async fn the_attestation_route_answers_only_consortium_nodes() {
    let app = auth::plain_app(auth::ledger(), false);
    let req = Request::post("/v1/attest").body(Body::empty()).unwrap();
    let resp = app.oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["code"], "node_auth");
}
