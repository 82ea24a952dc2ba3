//! The happy paths and who may read what: a collection previewed, recorded, read by its
//! parties only, exchanged by its owner, checked by anyone by number and plate (and
//! nothing more), refunded after a theft, settled and confirmed, and the bureau's view.

use crate::{app, call, harness, now_ms, petrol, record};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn a_collection_is_previewed_recorded_and_read_by_its_parties_only() {
    let (app, _) = app();
    let (s, p) = call(&app, "POST", "/v1/certificates/preview", "collector", Some(petrol())).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["total"], "360.00");
    assert_eq!(p["lines"][0]["months"], 12);
    assert_eq!(p["relief"]["code"], "none");
    // A live preview needs only the vehicle: no owner, plate or VIN yet.
    let bare = json!({"class": "passenger", "size": 1998, "acquired": "2024-05-06",
        "energy": "energy_saving"});
    let (s, p) = call(&app, "POST", "/v1/certificates/preview", "collector", Some(bare)).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["total"], "210.00", "half of 420.00");
    assert_eq!(p["relief"]["label_zh"], "节能汽车减半征收");

    let (s, c) = call(&app, "POST", "/v1/collections", "collector", Some(petrol())).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let id = c["id"].as_str().unwrap();
    assert_eq!(c["collection"]["total"], "360.00");
    assert_eq!(c["collection"]["owner_id_masked"], "914403********136T");
    assert_eq!(c["collection"]["insurer_name"], "平安保险");
    assert_eq!(c["salt"].as_str().unwrap().len(), 64);
    let path = format!("/v1/collections/{id}");
    for (who, status) in [
        ("owner", StatusCode::OK),
        ("collector", StatusCode::OK),
        ("officer", StatusCode::OK),
        ("stranger", StatusCode::NOT_FOUND),
        ("other-collector", StatusCode::NOT_FOUND),
        ("", StatusCode::NOT_FOUND),
    ] {
        let (s, body) = call(&app, "GET", &path, who, None).await;
        assert_eq!(s, status, "{who}: {body}");
    }
    // The same rules through the platform's state route.
    let state = format!("/v1/state/cert-collection/{id}");
    assert_eq!(call(&app, "GET", &state, "owner", None).await.0, StatusCode::OK);
    assert_eq!(call(&app, "GET", &state, "stranger", None).await.0, StatusCode::NOT_FOUND);
    // Lists: the insurer's own, the owner's wallet; nobody else's.
    let (_, mine) = call(&app, "GET", "/v1/collections", "collector", None).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let (_, theirs) = call(&app, "GET", "/v1/collections", "other-collector", None).await;
    assert_eq!(theirs, json!([]));
    let (_, wallet) = call(&app, "GET", "/v1/wallet/certificates", "owner", None).await;
    assert_eq!(wallet[0]["id"], id);
    let (_, none) = call(&app, "GET", "/v1/wallet/certificates", "stranger", None).await;
    assert_eq!(none, json!([]));
    let (s, _) = call(&app, "GET", "/v1/wallet/certificates", "", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

/// The keys a genuine check answers with: nothing more.
const CHECK_KEYS: &[&str] = &[
    "amount",
    "genuine",
    "height",
    "insurer",
    "label_en",
    "label_zh",
    "number",
    "owner_masked",
    "status",
    "tax_year",
];

#[tokio::test]
async fn the_owner_exchanges_and_anyone_checks_by_number_and_plate() {
    let (app, ledger) = app();
    let id = record(&app, petrol()).await;
    let exchange = format!("/v1/collections/{id}/exchange");
    let (s, e) = call(&app, "POST", &exchange, "stranger", None).await;
    assert_eq!((s, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("certificate.not_owner")));
    let (s, e) = call(&app, "POST", &exchange, "owner", None).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let number = e["number"].as_str().unwrap().to_string();
    assert_eq!(number.len(), 12);
    assert_eq!(e["collection"]["certificate"]["number"], number);
    let (s, again) = call(&app, "POST", &exchange, "owner", None).await;
    assert_eq!(s, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["code"], "certificate.already_exchanged");

    let check = |plate: &str| format!("/v1/certificates/{number}/check?plate={}", urlencode(plate));
    let (s, c) = call(&app, "GET", &check("粤B12345"), "", None).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["genuine"], true);
    assert_eq!(c["amount"], "360.00");
    assert_eq!(c["owner_masked"], "李* 914403********136T");
    assert_eq!(c["insurer"], "平安保险");
    assert_eq!((c["status"].as_str(), c["label_zh"].as_str()), (Some("valid"), Some("有效")));
    let mut keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, CHECK_KEYS, "nothing more than listed");
    // A wrong plate answers as an unknown number does.
    let (_, wrong_plate) = call(&app, "GET", &check("粤B54321"), "", None).await;
    let unknown = "/v1/certificates/209900000001/check?plate=%E7%B2%A4B12345";
    let (_, wrong_number) = call(&app, "GET", unknown, "", None).await;
    assert_eq!(wrong_plate, wrong_number);
    assert_eq!(wrong_plate, json!({"genuine": false, "height": wrong_plate["height"]}));
    let (s, e) = call(&app, "GET", "/v1/certificates/12/check?plate=x", "", None).await;
    assert_eq!((s, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("number")));
    let (s, e) = call(&app, "GET", &format!("/v1/certificates/{number}/check"), "", None).await;
    assert_eq!((s, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("plate")));
    // The public record is public; the owner's wallet shows the certificate.
    let (s, _) = call(&app, "GET", &format!("/v1/state/certificate/{number}"), "", None).await;
    assert_eq!(s, StatusCode::OK);
    let (_, wallet) = call(&app, "GET", "/v1/wallet/certificates", "owner", None).await;
    assert_eq!(wallet[0]["certificate"]["number"], number);
    // The printable certificate, for the collection's parties only.
    let pdf = format!("/v1/certificates/{number}/pdf");
    for (who, status) in [
        ("owner", StatusCode::OK),
        ("collector", StatusCode::OK),
        ("officer", StatusCode::OK),
        ("stranger", StatusCode::NOT_FOUND),
        ("", StatusCode::NOT_FOUND),
    ] {
        assert_eq!(call(&app, "GET", &pdf, who, None).await.0, status, "{who}");
    }
    // Its proof bundle is proven at the tip and waits for the header certifying that
    // state: with no later block, the wait ends in 503.
    let proof = format!("/v1/certificates/{number}/proof");
    let (s, e) = call(&app, "GET", &proof, "", None).await;
    assert_eq!((s, e["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("not_final_yet")));
    // The next block, certified, comes while the request waits: the bundle verifies
    // offline with the genesis and the plate.
    let tip = ledger.tip().height;
    let next = harness::certify_later(ledger.clone(), now_ms(), Duration::from_millis(300));
    let (s, b) = call(&app, "GET", &proof, "", None).await;
    next.await.unwrap();
    assert_eq!(s, StatusCode::OK, "{b}");
    let bundle: fapiao_verify::ProofBundle = serde_json::from_value(b).unwrap();
    let v = fapiao_verify::verify_certificate_bundle(ledger.genesis(), &bundle, Some("粤B12345"))
        .unwrap();
    assert_eq!((v.state_height, v.certified_height, v.plate_checked), (tip, tip + 1, true));
    assert_eq!(fapiao_certificate_types::certificate_number_text(v.public.number), number);
    assert!(fapiao_verify::verify_certificate_bundle(ledger.genesis(), &bundle, Some("粤B54321"))
        .is_err());
    let (s, _) = call(&app, "GET", "/v1/certificates/209900000001/proof", "", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = call(&app, "GET", "/v1/certificates/x/proof", "", None).await;
    assert_eq!((s, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("number")));
}

#[tokio::test]
async fn the_public_check_is_rate_limited_per_number() {
    let (app, _) = app();
    let get = |n: &str| format!("/v1/certificates/{n}/check?plate=%E7%B2%A4B12345");
    for _ in 0..fapiao_api::VERIFY_PER_MINUTE {
        assert_eq!(call(&app, "GET", &get("202600000001"), "", None).await.0, StatusCode::OK);
    }
    let (s, body) = call(&app, "GET", &get("202600000001"), "", None).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")));
    // Another spelling of the same number buys no new budget; another number has its own.
    let (s, _) = call(&app, "GET", &get("%32%30%32600000001"), "", None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(call(&app, "GET", &get("202600000002"), "", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_refund_shows_on_the_certificate_and_batches_settle_it_for_the_bureau() {
    let (app, _) = app();
    let id = record(&app, petrol()).await;
    let (_, e) = call(&app, "POST", &format!("/v1/collections/{id}/exchange"), "owner", None).await;
    let number = e["number"].as_str().unwrap().to_string();
    let today = fapiao_values::ChinaDate::from_unix_ms(crate::now_ms());
    let refund = json!({"event": "stolen", "event_date": today.to_string()});
    let path = format!("/v1/collections/{id}/refund");
    let (s, r) = call(&app, "POST", &path, "collector", Some(refund.clone())).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let months = 13 - today.month().month_of_year();
    let fen = (36_000 * months + 6) / 12;
    assert_eq!(r["collection"]["refund"]["months"], months);
    assert_eq!(r["collection"]["refund"]["amount"], format!("{}.{:02}", fen / 100, fen % 100));
    let (s, again) = call(&app, "POST", &path, "collector", Some(refund)).await;
    assert_eq!(
        (s, again["code"].as_str()),
        (StatusCode::CONFLICT, Some("certificate.already_refunded"))
    );
    let check = format!("/v1/certificates/{number}/check?plate=%E7%B2%A4B12345");
    let (_, c) = call(&app, "GET", &check, "", None).await;
    assert_eq!((c["status"].as_str(), c["label_zh"].as_str()), (Some("refunded"), Some("已退税")));

    // The bureau sees it outstanding, then settled, then confirmed.
    let view = |app: axum::Router| async move {
        let (s, v) = call(&app, "GET", "/v1/tax/vehicle-tax", "officer", None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    };
    let v = view(app.clone()).await;
    assert_eq!(v["insurers"][0]["insurer"], "pingan");
    assert_eq!(v["insurers"][0]["outstanding"], "360.00");
    assert_eq!(v["insurers"][0]["outstanding_by_age"]["days_0_30"], "360.00");
    assert_eq!(v["total"]["collected"], "360.00");
    let (s, e) = call(&app, "GET", "/v1/tax/vehicle-tax", "collector", None).await;
    assert_eq!((s, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("missing_role")));

    let batch = json!({"collections": [id], "refunds": [id]});
    let (s, b) = call(&app, "POST", "/v1/settlements", "collector", Some(batch.clone())).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let net = 36_000 - fen;
    assert_eq!(b["settlement"]["net"], format!("{}.{:02}", net / 100, net % 100));
    assert_eq!(b["settlement"]["status"], "submitted");
    let sid = b["id"].as_str().unwrap().to_string();
    let (s, again) = call(&app, "POST", "/v1/settlements", "collector", Some(batch)).await;
    assert_eq!(
        (s, again["code"].as_str()),
        (StatusCode::CONFLICT, Some("certificate.already_settled"))
    );
    let v = view(app.clone()).await;
    assert_eq!(
        (v["insurers"][0]["settled"].as_str(), v["insurers"][0]["outstanding"].as_str()),
        (Some("360.00"), Some("0.00"))
    );
    for (who, n) in [("collector", 1), ("officer", 1), ("other-collector", 0)] {
        let (_, list) = call(&app, "GET", "/v1/settlements", who, None).await;
        assert_eq!(list.as_array().map(Vec::len), Some(n), "{who}: {list}");
    }
    let confirm = format!("/v1/settlements/{sid}/confirm");
    let (s, e) = call(&app, "POST", &confirm, "collector", None).await;
    assert_eq!((s, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("missing_role")));
    let (s, c) = call(&app, "POST", &confirm, "officer", None).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["settlement"]["status"], "confirmed");
    let (s, e) = call(&app, "POST", &confirm, "officer", None).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("certificate.already_confirmed"))
    );
    let v: Value = view(app.clone()).await;
    assert_eq!(v["insurers"][0]["confirmed"], "360.00");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(
            |b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            },
        )
        .collect()
}
