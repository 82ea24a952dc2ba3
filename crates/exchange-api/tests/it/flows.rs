//! The flows end to end over the routes, and who can read and open what.

use crate::*;

const RING: &str = "91440300MA5D1X2Q9B";
const PERSON_ID: &str = "440305199003071236";
const CHILD_ID: &str = "440305201805154324";

/// The day 300 days from now (a consent lasts at most 400).
fn in_300_days() -> String {
    ChinaDate::from_unix_ms(now_ms() + 300 * 86_400_000).to_string()
}

#[tokio::test]
async fn a_query_is_sealed_to_the_department_asked_and_only_the_asker_opens_the_answer() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    let asked = ok(&app, "POST", "/v1/exchange/queries", "police-desk", Some(json!({
        "to": "sz-customs", "item": "customs.export_declarations", "subject": RING,
        "purpose": "SZGA-2026-0042", "params": { "period_from": "2026-08", "period_to": "2026-10" } }))).await;
    let id = asked["record"].as_str().unwrap().to_string();

    // Customs' inbox holds it open, subject and parameters opened by the node.
    let inbox = ok(&app, "GET", "/v1/exchange/inbox", "customs-desk", None).await;
    let q = &inbox["queries"][0];
    assert_eq!(q["id"], id);
    assert_eq!(q["subject"], RING);
    assert_eq!(q["params"]["period_to"], "2026-10");
    assert_eq!(q["from"], "sz-police");

    // The chain's record names the tag, never the company.
    let raw =
        ok(&app, "GET", &format!("/v1/state/exchange-query/{id}"), "customs-desk", None).await;
    assert!(!raw.to_string().contains(RING));

    // A third department reads nothing of it.
    let (status, body) =
        call(&app, "GET", &format!("/v1/exchange/queries/{id}"), "pbc-desk", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) =
        call(&app, "GET", &format!("/v1/state/exchange-query/{id}"), "pbc-desk", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Customs answers with rows, sealed by the node to the police's key.
    let rows = json!([{ "declaration_no": "531620260000481207", "fob_fen": 486000000 }]);
    ok(
        &app,
        "POST",
        "/v1/exchange/answers",
        "customs-desk",
        Some(json!({ "query": id, "outcome": "found", "rows": rows })),
    )
    .await;
    let seen = ok(&app, "GET", &format!("/v1/exchange/queries/{id}"), "police-desk", None).await;
    assert_eq!(seen["answered"], true);
    assert_eq!(seen["outcome"], "found");
    assert_eq!(seen["rows"], rows);

    // A second answer is refused by the chain.
    let (status, body) = call(
        &app,
        "POST",
        "/v1/exchange/answers",
        "customs-desk",
        Some(json!({ "query": id, "outcome": "not_found", "rows": [] })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "exchange.already_answered");

    // Another node on the same chain keeps no key of the police: it cannot open the
    // answer (nor would a validator: the chain holds ciphertexts only).
    let elsewhere = tempfile::tempdir().unwrap();
    let other = c.app_with(Some(elsewhere.path().to_path_buf()));
    let seen = ok(&other, "GET", &format!("/v1/exchange/queries/{id}"), "police-desk", None).await;
    assert_eq!(seen["answered"], true);
    assert!(seen["rows"].is_null(), "{seen}");
    assert!(seen["subject"].is_null());
    // Nor can it ask: tagging needs the department's share of the watch key.
    let (status, body) = call(&other, "POST", "/v1/exchange/queries", "police-desk", Some(json!({
        "to": "sz-customs", "item": "customs.export_declarations", "subject": RING, "purpose": "x" }))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "exchange.key_not_held");

    // And the central bank's own key does not open the answer's envelope.
    let answer: Value =
        ok(&app, "GET", &format!("/v1/state/exchange-answer/{id}"), "police-desk", None).await;
    assert!(answer["value_hex"].is_string());
    let pbc_key =
        fapiao_envelope::read_key_file(&c.secrets.path().join("exchange/pbc/key-1.toml")).unwrap();
    let record: fapiao_exchange_types::AnswerRecord = {
        let bytes = hex::decode(answer["value_hex"].as_str().unwrap()).unwrap();
        fapiao_types::decode_exact::<fapiao_exchange_types::AnswerRecord>(&bytes, &()).unwrap()
    };
    let qid: Hash32 = hex::decode(&id).unwrap().try_into().unwrap();
    let opened = fapiao_envelope::open(
        &pbc_key.secret,
        fapiao_exchange_api::secrets::suite_of(record.envelope.suite),
        &record.envelope.enc,
        &record.envelope.ciphertext,
        &fapiao_envelope::binding::answer_info(&qid),
        b"",
    );
    assert!(opened.is_err());
}

#[tokio::test]
async fn an_item_refuses_a_department_it_does_not_allow_and_a_subject_of_the_wrong_kind() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    let (status, body) = call(&app, "POST", "/v1/exchange/queries", "pbc-desk", Some(json!({
        "to": "sz-customs", "item": "customs.export_declarations", "subject": RING, "purpose": "x" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "exchange.not_an_asker");
    let (status, body) = call(
        &app,
        "POST",
        "/v1/exchange/queries",
        "police-desk",
        Some(json!({
        "to": "sz-customs", "item": "customs.vehicle_owner", "subject": RING, "purpose": "x" })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "exchange.unknown_item");
    let (status, body) = call(&app, "POST", "/v1/exchange/queries", "police-desk", Some(json!({
        "to": "sz-customs", "item": "customs.export_declarations", "subject": "91440300MA5D1X2Q9C", "purpose": "x" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "bad_uscc");
    assert_eq!(body["field"], "subject");
    // Without the role: the person cannot ask at all.
    let (status, body) = call(&app, "POST", "/v1/exchange/queries", "person", Some(json!({
        "to": "sz-customs", "item": "customs.export_declarations", "subject": RING, "purpose": "x" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "missing_role");
}

#[tokio::test]
async fn two_departments_watching_one_subject_meet_in_a_joint_alert_raised_in_that_block() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    let first = ok(
        &app,
        "POST",
        "/v1/exchange/watch",
        "customs-desk",
        Some(json!({ "subject": RING, "category": "export_rebate_fraud" })),
    )
    .await;
    assert_eq!(first["alerts"], json!([]));
    let second = ok(
        &app,
        "POST",
        "/v1/exchange/watch",
        "tax-desk",
        Some(json!({ "subject": RING, "category": "invoice_mill", "note": "A→B→C→A" })),
    )
    .await;
    let alert = second["alert"].as_str().expect("an alert in the second watch's block").to_string();
    for desk in ["customs-desk", "tax-desk"] {
        let d = ok(&app, "GET", "/v1/exchange/desk", desk, None).await;
        let a = &d["alerts"][0];
        assert_eq!(a["id"], alert);
        assert_eq!(a["height"], second["height"]);
        assert_eq!(a["subject"], RING, "each opens the subject from its own sealed note");
    }
    // Police is not a party: no alert, and the record reads as absent.
    let d = ok(&app, "GET", "/v1/exchange/desk", "police-desk", None).await;
    assert_eq!(d["alerts"], json!([]));
    let (status, _) =
        call(&app, "GET", &format!("/v1/exchange/alerts/{alert}"), "police-desk", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A finding is sealed to both departments; the case is taken and closed.
    ok(
        &app,
        "POST",
        &format!("/v1/exchange/alerts/{alert}/findings"),
        "customs-desk",
        Some(json!({ "text": "出口额与进项不符" })),
    )
    .await;
    let t = ok(&app, "GET", &format!("/v1/exchange/alerts/{alert}"), "tax-desk", None).await;
    assert_eq!(t["findings"][0]["text"], "出口额与进项不符");
    ok(&app, "POST", &format!("/v1/exchange/alerts/{alert}/assign"), "tax-desk", Some(json!({})))
        .await;
    ok(
        &app,
        "POST",
        &format!("/v1/exchange/alerts/{alert}/close"),
        "tax-desk",
        Some(json!({ "outcome": "referred", "summary": "移送稽查局" })),
    )
    .await;
    let t = ok(&app, "GET", &format!("/v1/exchange/alerts/{alert}"), "customs-desk", None).await;
    assert_eq!(t["status"], "closed");
    assert_eq!(t["outcome"], "referred");
    assert_eq!(t["assignee_name"], "tax-desk");
    let (status, body) = call(
        &app,
        "POST",
        &format!("/v1/exchange/alerts/{alert}/findings"),
        "customs-desk",
        Some(json!({ "text": "again" })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "exchange.case_closed");
}

#[tokio::test]
async fn a_persons_data_is_answered_only_under_consent_and_every_read_is_in_the_access_log() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    ok(
        &app,
        "POST",
        "/v1/exchange/me/register",
        "person",
        Some(json!({ "resident_id": PERSON_ID })),
    )
    .await;
    let declared = ok(
        &app,
        "POST",
        "/v1/exchange/me/declarations",
        "person",
        Some(json!({
        "year": 2026, "withholding_agent": "huawei",
        "items": [{ "kind": "children_education", "details": format!("李小明 {CHILD_ID}") },
                  { "kind": "elderly_support", "share_bp": 5000, "details": "与姐妹均摊" }] })),
    )
    .await;
    let declaration = declared["record"].as_str().unwrap().to_string();
    let person = account("person").to_string();
    let ask = |purpose: &str| {
        json!({ "to": "sz-edu", "item": "education.enrolment", "subject": CHILD_ID,
        "purpose": purpose, "person": person })
    };

    // No consent yet: the question may be asked, but the answer is refused; the inbox
    // tells the department asked that no consent covers it.
    let q = ok(&app, "POST", "/v1/exchange/queries", "tax-desk", Some(ask("IIT-2026-1"))).await;
    let id = q["record"].as_str().unwrap().to_string();
    let inbox = ok(&app, "GET", "/v1/exchange/inbox", "edu-desk", None).await;
    assert_eq!(inbox["queries"][0]["covered"], false);
    let (status, body) = call(
        &app,
        "POST",
        "/v1/exchange/answers",
        "edu-desk",
        Some(json!({ "query": id, "outcome": "found", "rows": [{ "school": "南山二实验" }] })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "exchange.no_consent");

    // The person consents for that purpose: the answer goes through and is logged.
    ok(&app, "POST", "/v1/exchange/me/consents", "person", Some(json!({
        "department": "sz-tax", "item": "education.enrolment", "purpose": "IIT-2026-1", "expires": in_300_days() }))).await;
    let inbox = ok(&app, "GET", "/v1/exchange/inbox", "edu-desk", None).await;
    assert_eq!(inbox["queries"][0]["covered"], true);
    let answered = ok(
        &app,
        "POST",
        "/v1/exchange/answers",
        "edu-desk",
        Some(json!({ "query": id, "outcome": "found", "rows": [{ "school": "南山二实验" }] })),
    )
    .await;
    let me = ok(&app, "GET", "/v1/exchange/me", "person", None).await;
    assert_eq!(me["access_log"].as_array().unwrap().len(), 1);
    assert_eq!(me["access_log"][0]["query"], id);
    assert_eq!(me["access_log"][0]["asker"], "sz-tax");
    assert_eq!(me["access_log"][0]["answerer"], "sz-edu");
    assert_eq!(me["declarations"][0]["total"], "42000.00", "24,000 + 18,000");

    // Another purpose is not covered.
    let q2 = ok(&app, "POST", "/v1/exchange/queries", "tax-desk", Some(ask("AUDIT-7"))).await;
    let (status, body) = call(
        &app,
        "POST",
        "/v1/exchange/answers",
        "edu-desk",
        Some(json!({
        "query": q2["record"], "outcome": "found", "rows": [] })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "exchange.no_consent");

    // The bureau verifies the item on the answer; a revoked consent covers nothing more.
    let _ = answered;
    ok(
        &app,
        "POST",
        &format!("/v1/exchange/declarations/{declaration}/verify"),
        "tax-desk",
        Some(json!({ "item": 0, "result": "verified", "answers": [id] })),
    )
    .await;
    let me = ok(&app, "GET", "/v1/exchange/me", "person", None).await;
    assert_eq!(me["declarations"][0]["items"][0]["status"], "verified");
    let consent = me["consents"][0]["id"].as_str().unwrap().to_string();
    ok(&app, "POST", &format!("/v1/exchange/me/consents/{consent}/revoke"), "person", None).await;
    let q3 = ok(&app, "POST", "/v1/exchange/queries", "tax-desk", Some(ask("IIT-2026-1"))).await;
    let (status, _) = call(
        &app,
        "POST",
        "/v1/exchange/answers",
        "edu-desk",
        Some(json!({
        "query": q3["record"], "outcome": "found", "rows": [] })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The employer sees the amounts, not the facts; a stranger to the declaration nothing.
    let w = ok(&app, "GET", "/v1/exchange/withholding?year=2026", "finance", None).await;
    assert_eq!(w[0]["total"], "42000.00");
    assert_eq!(w[0]["items"][0]["status"], "verified");
    assert!(!w.to_string().contains(CHILD_ID));
    let (status, _) = call(
        &app,
        "GET",
        &format!("/v1/state/exchange-declaration/{declaration}"),
        "finance",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
