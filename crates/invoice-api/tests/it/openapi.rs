//! The OpenAPI document against what the server really does: the submit route takes
//! both content types it declares, and the state read answers only fields its schema
//! lists, with every field the schema requires (`value_hex`, and `value` only for the
//! keys the server decodes).

use super::desk::{get, history, history_chain, key};
use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use commonware_codec::Encode;
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::*;
use fapiao_types::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn doc() -> Value {
    serde_json::from_str(&fapiao_api::openapi_json(&[fapiao_invoice_api::ROUTES])).unwrap()
}

/// The component schema `name`.
fn schema(doc: &Value, name: &str) -> Value {
    doc["components"]["schemas"][name].clone()
}

/// Checks `body` against the object schema: no field the schema does not list, every
/// field it requires.
fn conforms(schema: &Value, body: &Value, what: &str) {
    let properties = schema["properties"].as_object().unwrap();
    let fields = body.as_object().unwrap();
    for field in fields.keys() {
        assert!(properties.contains_key(field), "{what}: `{field}` is not in the schema");
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        let required = required.as_str().unwrap();
        assert!(fields.contains_key(required), "{what}: required `{required}` missing: {body}");
    }
}

async fn post(app: &Router, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let req = Request::post(path).header("content-type", content_type).body(Body::from(body));
    let resp = app.clone().oneshot(req.unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn signed_tx(admin: &SigningKey, nonce: u64) -> Vec<u8> {
    let member = SigningKey::from_bytes(Suite::Ed25519, &[nonce as u8 + 100; 32]).unwrap();
    admin
        .sign_tx(Tx {
            chain_id: "api-desk".into(),
            sender: admin.public_key(),
            nonce: 10_000 + nonce,
            expiry: 50,
            action: Action::AddAccount(NewAccount {
                public_key: member.public_key(),
                name: "m".into(),
                roles: vec![],
            }),
        })
        .encode()
        .to_vec()
}

#[tokio::test]
async fn submit_takes_both_declared_content_types() {
    let doc = doc();
    let body = &doc["paths"]["/v1/transactions"]["post"]["requestBody"];
    let content = body["content"].as_object().unwrap();
    let mut types: Vec<&str> = content.keys().map(String::as_str).collect();
    types.sort_unstable();
    assert_eq!(types, ["application/json", "application/octet-stream"], "{body}");
    assert_eq!(content["application/json"]["schema"]["$ref"], "#/components/schemas/SubmitJson");
    assert_eq!(schema(&doc, "SubmitJson")["required"], json!(["tx"]));
    // Raw bytes, not a JSON array of numbers.
    for (path, content_type) in [
        ("/v1/transactions", "application/octet-stream"),
        ("/v1/transactions/batch", "application/octet-stream"),
        ("/v1/relay", "application/octet-stream"),
    ] {
        let body = &doc["paths"][path]["post"]["requestBody"]["content"][content_type];
        assert!(body.is_object(), "{path} takes {content_type}");
        assert!(body.get("schema").is_none(), "{path}: {body}");
    }

    let (app, _, _) = history(0);
    let admin = key(1);
    let (s, raw) =
        post(&app, "/v1/transactions?wait=false", "application/octet-stream", signed_tx(&admin, 1))
            .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{raw}");
    let as_json = json!({"tx": hex::encode(signed_tx(&admin, 2))}).to_string().into_bytes();
    let (s, hexed) = post(&app, "/v1/transactions?wait=false", "application/json", as_json).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{hexed}");
    let response = schema(&doc, "SubmitResponse");
    conforms(&response, &raw, "raw submit");
    conforms(&response, &hexed, "JSON submit");
    assert_ne!(raw["hash"], hexed["hash"]);
    assert_eq!(
        (raw["status"].as_str(), hexed["status"].as_str()),
        (Some("pending"), Some("pending"))
    );

    // docs/formats.md §4.4 tells an integrator the same.
    let formats = include_str!("../../../../docs/formats.md");
    let section = formats.split("\n### 4.4 ").nth(1).unwrap().split("\n### ").next().unwrap();
    for needle in [
        "`Content-Type: application/octet-stream`",
        "`Content-Type: application/json`",
        "`{\"tx\": \"<hex of the bytes>\"}`",
    ] {
        assert!(section.contains(needle), "formats.md §4.4 says {needle}");
    }
}

#[tokio::test]
async fn state_reads_answer_what_the_schema_says() {
    let doc = doc();
    let state = schema(&doc, "StateResponse");
    assert_eq!(state["required"], json!(["key"]), "value and value_hex are optional: {state}");
    let value = &state["properties"]["value"];
    let described = value["description"].as_str().unwrap_or_default();
    assert!(described.contains("only") && described.contains("org/"), "{value}");
    assert!(state["properties"]["value_hex"].is_object());
    let proof = schema(&doc, "ProofJson");
    assert!(
        !proof["required"].as_array().unwrap().iter().any(|f| f == "certificate"),
        "the decoded certificate is optional: {proof}"
    );

    let (app, _, _, mut chain) = history_chain(0);
    // A decoded record: `value` and `value_hex`.
    let (s, org) = get(&app, "/v1/state/org/sz-tax", "officer").await;
    assert_eq!(s, StatusCode::OK, "{org}");
    conforms(&state, &org, "org/");
    assert!(org["value"].is_object() && org["value_hex"].is_string(), "{org}");
    // Any other record: `value_hex` only, which is the canonical encoding.
    let (s, taxpayer) = get(&app, "/v1/state/taxpayer/91440300708461136T", "officer").await;
    assert_eq!(s, StatusCode::OK, "{taxpayer}");
    conforms(&state, &taxpayer, "taxpayer/");
    assert!(taxpayer.get("value").is_none(), "{taxpayer}");
    let bytes = hex::decode(taxpayer["value_hex"].as_str().unwrap()).unwrap();
    let record: TaxpayerRecord = decode_exact(&bytes, &()).unwrap();
    assert_eq!(record.uscc.to_string(), "91440300708461136T");
    // With a proof: at the tip, certified by the next block's header, which comes while
    // the request waits.
    let tip = chain.ledger.tip().height;
    let next = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        chain.block(vec![]);
    });
    let (s, proven) =
        get(&app, "/v1/state/taxpayer/91440300708461136T?proof=true", "officer").await;
    next.await.unwrap();
    assert_eq!(s, StatusCode::OK, "{proven}");
    conforms(&state, &proven, "taxpayer/ with proof");
    conforms(&proof, &proven["proof"], "proof");
    assert_eq!(proven["value_hex"], taxpayer["value_hex"]);
    let p = &proven["proof"];
    assert_eq!(
        (p["state_height"].as_u64(), p["header"]["height"].as_u64()),
        (Some(tip), Some(tip + 1))
    );
    assert_eq!(p["descendants_hex"], json!([]));
}

/// A route that refuses by a rule documents every status a refusal code may carry there:
/// reimbursing twice is a 409, an unknown invoice a 404, a party that may not act a 403.
#[test]
fn refusing_routes_document_the_statuses_of_their_codes() {
    let doc = doc();
    let responses = &doc["paths"]["/v1/invoices/{number}/reimburse"]["post"]["responses"];
    for status in ["403", "404", "409", "422", "429", "503"] {
        assert!(responses[status].is_object(), "reimburse documents {status}: {responses}");
    }
    let error = &doc["components"]["schemas"]["ErrorBody"]["properties"]["code"]["description"];
    assert!(error.as_str().unwrap().contains("/v1/refusals"), "{error}");
}
