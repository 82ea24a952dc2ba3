//! The flows: attest, correct, read by who may, take the package and check it as a bank
//! would (claims against the chain's header, openings against the proven commitments).

use super::*;
use fapiao_industry_types::{Metric, OperatingCommit, OperatingOpening};
use fapiao_values::Uscc;

fn attest(uscc: &str, month: &str, metric: &str, value: u64) -> Value {
    json!({ "action": "attest", "uscc": uscc, "month": month, "metric": metric, "value": value })
}

const ACT: &str = "/v1/industry/actions";

/// Huawei and BYD registered; September's electricity and October's three figures
/// attested, October's electricity corrected.
async fn set_up(app: &Router) {
    for (uscc, name) in [(HUAWEI, "华为技术有限公司"), (BYD, "比亚迪股份有限公司")]
    {
        let body = json!({ "action": "register_enterprise", "uscc": uscc, "name": name });
        ok(app, "POST", ACT, "park", Some(body)).await;
    }
    ok(app, "POST", ACT, "power", Some(attest(HUAWEI, "2026-09", "electricity_kwh", 1_100_000)))
        .await;
    ok(app, "POST", ACT, "power", Some(attest(HUAWEI, "2026-10", "electricity_kwh", 1_250_000)))
        .await;
    ok(app, "POST", ACT, "social", Some(attest(HUAWEI, "2026-10", "insured_headcount", 1200)))
        .await;
    ok(app, "POST", ACT, "logistics", Some(attest(HUAWEI, "2026-10", "logistics_tonnes", 830)))
        .await;
    let correct = json!({ "action": "correct", "uscc": HUAWEI, "month": "2026-10",
        "metric": "electricity_kwh", "value": 1_205_000, "reason": "抄表错误" });
    ok(app, "POST", ACT, "power", Some(correct)).await;
}

#[tokio::test]
async fn attesters_post_and_the_rules_refuse_with_their_codes() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    let reg = json!({ "action": "register_enterprise", "uscc": BYD, "name": "x" });
    refused(&app, "POST", ACT, "", Some(reg.clone()), 401, "unauthorized").await;
    refused(&app, "POST", ACT, "power", Some(reg.clone()), 403, "industry.not_park_operator").await;
    refused(&app, "POST", ACT, "park", Some(reg), 409, "industry.enterprise_exists").await;
    let again = attest(HUAWEI, "2026-10", "electricity_kwh", 1);
    refused(&app, "POST", ACT, "power2", Some(again), 409, "industry.already_attested").await;
    let wrong = attest(HUAWEI, "2026-08", "electricity_kwh", 1);
    refused(&app, "POST", ACT, "social", Some(wrong), 403, "industry.wrong_attester").await;
    let unknown = attest("914403002796543264", "2026-10", "electricity_kwh", 1);
    refused(&app, "POST", ACT, "power", Some(unknown), 404, "industry.unknown_enterprise").await;
    let bad_month = attest(HUAWEI, "2026-13", "electricity_kwh", 1);
    refused(&app, "POST", ACT, "power", Some(bad_month), 400, "malformed").await;
    // An enterprise's member holds no attester role.
    let own = attest(HUAWEI, "2026-08", "logistics_tonnes", 1);
    refused(&app, "POST", ACT, "huawei", Some(own), 403, "missing_role").await;
}

#[tokio::test]
async fn each_reader_sees_the_figures_it_may() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    let path = format!("/v1/industry/enterprises/{HUAWEI}/operating?months=2026-09,2026-10");
    let mine = ok(&app, "GET", &path, "huawei", None).await;
    assert_eq!(mine["enterprise"]["name"], "华为技术有限公司");
    let months = mine["months"].as_array().unwrap();
    assert_eq!(months.len(), 2);
    assert_eq!(months[1]["month"], "2026-10");
    let oct = months[1]["figures"].as_array().unwrap();
    let metrics: Vec<&str> = oct.iter().map(|f| f["metric"].as_str().unwrap()).collect();
    assert_eq!(metrics, ["electricity_kwh", "insured_headcount", "logistics_tonnes"]);
    assert_eq!(oct[0]["value"], 1_205_000);
    assert_eq!(oct[0]["corrections"][0]["previous"], 1_250_000);
    assert_eq!(oct[0]["corrections"][0]["reason"], "抄表错误");
    assert_eq!(oct[0]["commitment"].as_str().unwrap().len(), 64);
    // The park operator reads everything too.
    let park = ok(&app, "GET", &path, "park", None).await;
    assert_eq!(park["months"], mine["months"]);
    // An attester reads only its own figures.
    let power = ok(&app, "GET", &path, "power", None).await;
    let only: Vec<(&str, &str)> = power["months"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            m["figures"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |f| (m["month"].as_str().unwrap(), f["metric"].as_str().unwrap()))
        })
        .collect();
    assert_eq!(only, [("2026-09", "electricity_kwh"), ("2026-10", "electricity_kwh")]);
    let social = ok(&app, "GET", &path, "social", None).await;
    assert_eq!(social["months"].as_array().unwrap().len(), 1);
    assert_eq!(social["months"][0]["figures"][0]["value"], 1200);
    // Another enterprise, or nobody, reads nothing.
    refused(&app, "GET", &path, "byd", None, 404, "not_found").await;
    refused(&app, "GET", &path, "", None, 401, "unauthorized").await;
    // The same through GET /v1/state.
    let key = format!("/v1/state/operating/{HUAWEI}/202610/insured_headcount");
    ok(&app, "GET", &key, "huawei", None).await;
    ok(&app, "GET", &key, "social", None).await;
    refused(&app, "GET", &key, "power", None, 404, "not_found").await;
    refused(&app, "GET", &key, "byd", None, 404, "not_found").await;
    let commit = format!("/v1/state/operating-commit/{HUAWEI}/202610");
    for who in ["huawei", "park", "power2"] {
        ok(&app, "GET", &commit, who, None).await;
    }
    refused(&app, "GET", &commit, "byd", None, 404, "not_found").await;
    refused(&app, "GET", &commit, "", None, 404, "not_found").await;
    ok(&app, "GET", &format!("/v1/state/industry-enterprise/{HUAWEI}"), "", None).await;
    // Bad requests.
    let bad = "/v1/industry/enterprises/914403001922038217/operating";
    refused(&app, "GET", bad, "huawei", None, 422, "bad_uscc").await;
    let bad = format!("/v1/industry/enterprises/{HUAWEI}/operating?months=2026-13");
    refused(&app, "GET", &bad, "huawei", None, 400, "invalid_field").await;
    let many: Vec<String> =
        (1..=12).map(|m| format!("2025-{m:02}")).chain(["2026-01".into()]).collect();
    let bad = format!("/v1/industry/enterprises/{HUAWEI}/operating?months={}", many.join(","));
    refused(&app, "GET", &bad, "huawei", None, 400, "invalid_field").await;
    // The register is public.
    let e = ok(&app, "GET", &format!("/v1/industry/enterprises/{BYD}"), "", None).await;
    assert_eq!(e["registered_by"], "park-operator");
    let none = "/v1/industry/enterprises/914403002796543264";
    refused(&app, "GET", none, "", None, 404, "industry.unknown_enterprise").await;
}

#[tokio::test]
async fn the_package_verifies_as_a_bank_checks_it() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    let path = format!("/v1/industry/enterprises/{HUAWEI}/package?months=2026-08,2026-09,2026-10");
    // No later block comes: the state proven now is never certified, and the wait ends.
    let (s, e) = call(&app, "GET", &path, "huawei", None).await;
    assert_eq!((s.as_u16(), e["code"].as_str()), (503, Some("not_final_yet")), "{e}");
    // The next block certifies it while the request waits.
    let tip = c.ledger.tip().height;
    let tick = c.tick_soon();
    let p = ok(&app, "GET", &path, "huawei", None).await;
    tick.await.unwrap();
    let package: fapiao_industry_types::OperatingPackage = serde_json::from_value(p).unwrap();
    assert_eq!(package.uscc, HUAWEI);
    assert_eq!(package.records.len(), 3);
    let uscc = Uscc::parse(HUAWEI).unwrap();
    let mut commits = Vec::new();
    for r in &package.records {
        let claim = r.to_claim().unwrap();
        assert_eq!(claim.chain_id, "fapiao-industry");
        // The claims name the next header, the first whose state height is the tip asked at.
        assert_eq!(claim.height, tip + 1);
        let header = c.ledger.header(claim.height).unwrap().unwrap();
        assert_eq!(header.state_height, tip);
        fapiao_ledger::verify_state_proof(
            &header.state_root,
            claim.key.as_bytes(),
            claim.value.as_ref().map(|v| v.0.as_slice()),
            &claim.proof.0,
        )
        .unwrap();
        if let Some(v) = &claim.value {
            commits.push(decode_exact::<OperatingCommit>(&v.0, &()).unwrap());
        }
    }
    // August had nothing: proven absent, no opening.
    assert_eq!(package.records[0].key, format!("operating-commit/{HUAWEI}/202608"));
    assert_eq!(package.records[0].value, None);
    assert_eq!(commits.len(), 2);
    assert_eq!(package.openings.len(), 4);
    for o in &package.openings {
        let commit = commits.iter().find(|c| c.month.yyyymm() == o.month).unwrap();
        assert!(o.opens(&uscc, commit.get(o.metric).unwrap()).unwrap(), "{o:?}");
    }
    let oct_power = package
        .openings
        .iter()
        .find(|o| o.month == 202610 && o.metric == Metric::ElectricityKwh)
        .unwrap();
    assert_eq!(oct_power.value, "1205000");
    // A forged value does not open; a tampered proof does not verify.
    let forged = OperatingOpening { value: "2000000".into(), ..oct_power.clone() };
    let oct = commits.iter().find(|c| c.month.yyyymm() == 202610).unwrap();
    assert!(!forged.opens(&uscc, oct.get(Metric::ElectricityKwh).unwrap()).unwrap());
    let claim = package.records[2].to_claim().unwrap();
    let root = c.ledger.header(claim.height).unwrap().unwrap().state_root;
    let mut value = claim.value.clone().unwrap().0;
    value[30] ^= 1;
    assert!(fapiao_ledger::verify_state_proof(
        &root,
        claim.key.as_bytes(),
        Some(&value),
        &claim.proof.0
    )
    .is_err());
}

#[tokio::test]
async fn only_the_enterprise_takes_its_package_from_a_node_with_the_secret() {
    let c = chain();
    let app = c.app();
    set_up(&app).await;
    let path = format!("/v1/industry/enterprises/{HUAWEI}/package?months=2026-10");
    for who in ["byd", "power", "park"] {
        refused(&app, "GET", &path, who, None, 404, "not_found").await;
    }
    refused(&app, "GET", &path, "", None, 401, "unauthorized").await;
    // A node without the secret, or with another one, hands out no salts.
    let none = c.app_with(None);
    refused(&none, "GET", &path, "huawei", None, 409, "industry.no_secret").await;
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("chain-secret"), hex::encode([0x11u8; 32])).unwrap();
    let other = c.app_with(Some(other.path().to_path_buf()));
    refused(&other, "GET", &path, "huawei", None, 409, "industry.no_secret").await;
    let tick = c.tick_soon();
    ok(&app, "GET", &path, "huawei", None).await;
    tick.await.unwrap();
}
