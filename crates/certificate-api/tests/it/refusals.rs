//! Every refusal a certificate route can answer, with the HTTP status its code declares
//! (`GET /v1/refusals`) and the field at fault: refused by the API before anything is
//! signed (a missing role, a malformed value, a year the chain would refuse) or by the
//! chain (a second collection, an unknown owner).

use crate::{app, call, petrol, record, vin};
use axum::http::StatusCode;
use serde_json::{json, Value};

fn with(mut c: Value, field: &str, v: Value) -> Value {
    c[field] = v;
    c
}

#[tokio::test]
async fn each_refusal_answers_with_its_declared_status_code_and_field() {
    let (app, _) = app();
    let this_year = fapiao_values::ChinaDate::from_unix_ms(crate::now_ms()).year();
    let cases: Vec<(&str, &str, Value, StatusCode, &str, &str)> = vec![
        (
            "preview",
            "collector",
            with(petrol(), "tax_year", json!(this_year + 2)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate.bad_tax_year",
            "tax_year",
        ),
        (
            "preview",
            "collector",
            with(petrol(), "back_years", json!([this_year - 1, this_year - 2])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate.bad_back_years",
            "back_years",
        ),
        (
            "preview",
            "collector",
            with(petrol(), "back_years", json!([2020])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate.before_acquisition",
            "back_years[0]",
        ),
        (
            "preview",
            "collector",
            with(petrol(), "size", json!(0)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate.bad_size",
            "size",
        ),
        (
            "preview",
            "collector",
            with(petrol(), "class", json!("tank")),
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "class",
        ),
        (
            "preview",
            "collector",
            with(petrol(), "acquired", json!("2024-02-30")),
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "acquired",
        ),
        ("preview", "owner", petrol(), StatusCode::FORBIDDEN, "missing_role", "sender"),
        ("preview", "", petrol(), StatusCode::UNAUTHORIZED, "unauthorized", "authorization"),
        (
            "record",
            "collector",
            with(petrol(), "vin", json!("LSVAU2180N2123456")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_vin",
            "vin",
        ),
        (
            "record",
            "collector",
            with(petrol(), "plate", json!("B12345")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate.bad_plate",
            "plate",
        ),
        (
            "record",
            "collector",
            with(petrol(), "policy_no", json!("")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate.bad_policy_no",
            "policy_no",
        ),
        (
            "record",
            "collector",
            with(petrol(), "owner_name", json!(" ")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate.bad_owner",
            "owner_name",
        ),
        (
            "record",
            "collector",
            with(petrol(), "owner_id", json!("12345")),
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "owner_id",
        ),
        (
            "record",
            "collector",
            with(petrol(), "owner", json!(hex::encode([5u8; 32]))),
            StatusCode::NOT_FOUND,
            "certificate.unknown_owner",
            "owner",
        ),
        ("record", "owner", petrol(), StatusCode::FORBIDDEN, "missing_role", "sender"),
        ("record", "officer", petrol(), StatusCode::FORBIDDEN, "missing_role", "sender"),
    ];
    for (route, who, body, status, code, field) in cases {
        let path = if route == "preview" { "/v1/certificates/preview" } else { "/v1/collections" };
        let (s, e) = call(&app, "POST", path, who, Some(body)).await;
        assert_eq!(s, status, "{route} {code}: {e}");
        assert_eq!(e["code"], code, "{route}: {e}");
        assert_eq!(e["field"], field, "{route} {code}: {e}");
        // The status is the one the code declares.
        assert_eq!(fapiao_api::error::status_of(code), status, "{code}");
    }
    // Nothing was recorded by the refused attempts.
    let (_, list) = call(&app, "GET", "/v1/collections", "collector", None).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn the_chains_refusals_of_a_vehicle_year_and_of_items_pass_through() {
    let (app, _) = app();
    let id = record(&app, petrol()).await;
    // The same vehicle and year again, even under another policy.
    let again = with(petrol(), "policy_no", json!("PDZA202644030000002"));
    let (s, e) = call(&app, "POST", "/v1/collections", "collector", Some(again)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("certificate.already_collected"), Some("tax_year"))
    );
    // A refund of another insurer's collection: it cannot even read it.
    let refund = json!({"event": "stolen", "event_date": "2026-01-01"});
    let path = format!("/v1/collections/{id}/refund");
    let (s, e) = call(&app, "POST", &path, "other-collector", Some(refund)).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("certificate.unknown_collection"))
    );
    let (s, e) = call(
        &app,
        "POST",
        &path,
        "collector",
        Some(json!({"event": "melted", "event_date": "2026-01-01"})),
    )
    .await;
    assert_eq!((s, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("event")));
    let (s, e) = call(
        &app,
        "POST",
        &path,
        "collector",
        Some(json!({"event": "lost", "event_date": "1999-01-01"})),
    )
    .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("certificate.bad_event_date"))
    );
    // A batch of nothing; of someone else's collection; of a refund never recorded.
    let (s, e) = call(&app, "POST", "/v1/settlements", "collector", Some(json!({}))).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("certificate.empty_settlement"))
    );
    let theirs = json!({"collections": [id]});
    let (s, e) = call(&app, "POST", "/v1/settlements", "other-collector", Some(theirs)).await;
    assert_eq!(
        (s, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::NOT_FOUND, Some("certificate.unknown_collection"), Some("collections[0]"))
    );
    let (s, e) =
        call(&app, "POST", "/v1/settlements", "collector", Some(json!({"refunds": [id]}))).await;
    assert_eq!(
        (s, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("certificate.no_refund"), Some("refunds[0]"))
    );
    let twice = json!({"collections": [id, id]});
    let (s, e) = call(&app, "POST", "/v1/settlements", "collector", Some(twice)).await;
    assert_eq!(
        (s, e["code"].as_str(), e["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("certificate.duplicate_item"),
            Some("collections[1]")
        )
    );
    let unknown = format!("/v1/settlements/{}/confirm", hex::encode([1u8; 32]));
    let (s, e) = call(&app, "POST", &unknown, "officer", None).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("certificate.unknown_settlement"))
    );
    let (s, e) = call(&app, "POST", "/v1/collections/nothex/exchange", "owner", None).await;
    assert_eq!((s, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("id")));
    let _ = vin;
}
