//! The industry chain's openings on the bank's node: an application carrying the
//! enterprise's `OperatingPackage` is refused, with its code and the field at fault and
//! nothing written, for every wrong opening (a wrong salt, a wrong value, a month the
//! package proves no record of, a month proven empty, a metric not committed, a figure
//! opened twice, a malformed salt, another enterprise's package, a record that is not an
//! `operating-commit`, a forged record, a header not yet relayed); with the right one the
//! node keeps the figures beside the tax openings and the loan shows them, each verified
//! against the record the loan cites — to that bank's node only.

use crate::*;

fn apply(pkg: &DisclosurePackage, industry: &OperatingPackage) -> Value {
    json!({ "package": pkg, "industry": industry, "amount": 300_000_000, "term_months": 24, "purpose": "new line" })
}

/// The loans icbc's node lists and the loan files it keeps: what a refusal must not
/// change.
async fn written(c: &Chain, app: &Router) -> (usize, usize) {
    let loans = ok(app, "GET", "/v1/finance/loans", "icbc", None).await;
    let dir = c.secrets.path().join("finance/icbc/loans");
    let files = std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    (loans.as_array().unwrap().len(), files)
}

#[tokio::test]
async fn each_wrong_industry_opening_is_refused_with_its_code_and_field_and_writes_nothing() {
    let mut c = chain();
    let app = c.app();
    let h = c.tax_commit();
    c.relay(&app, h).await;
    let ih = c.industry_commit();
    let pkg = package(&c.tax, 1, h);
    let good = operating_package(&c.industry, ih);
    assert_eq!(good.records.len(), 3);
    assert_eq!(good.openings.len(), 5, "April: 2 figures, May: 3, June: none");

    // The industry header is not relayed yet: 503, naming the records' height.
    let (status, v) =
        call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&pkg, &good))).await;
    assert_eq!(
        (status, v["code"].as_str(), v["field"].as_str()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Some("finance.header_pending"),
            Some("industry.records[0].height")
        ),
        "{v}"
    );
    assert_eq!(written(&c, &app).await, (0, 0));
    c.relay_of(&app, &c.industry, ih).await;

    type Case = (&'static str, fn(&mut OperatingPackage), StatusCode, &'static str, &'static str);
    let cases: &[Case] = &[
        (
            "a wrong salt",
            |p| p.openings[0].salt = hex::encode([0u8; 32]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.wrong_salt",
            "industry.openings[0]",
        ),
        (
            "a wrong value under the right salt",
            |p| p.openings[3].value = "1".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.wrong_salt",
            "industry.openings[3]",
        ),
        (
            "another month's salt",
            |p| p.openings[1].salt = p.openings[3].salt.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.wrong_salt",
            "industry.openings[1]",
        ),
        (
            "a month the package proves no record of",
            |p| {
                let o = OperatingOpening::new(
                    &INDUSTRY_SECRET,
                    &huawei(),
                    Metric::ElectricityKwh,
                    month(202603),
                    figure(Metric::ElectricityKwh, 202603),
                );
                p.openings.push(o);
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.undisclosed_field",
            "industry.openings[5]",
        ),
        (
            "a month proven to have no record",
            |p| {
                let o = OperatingOpening::new(
                    &INDUSTRY_SECRET,
                    &huawei(),
                    Metric::ElectricityKwh,
                    month(202606),
                    0,
                );
                p.openings.insert(0, o);
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.undisclosed_field",
            "industry.openings[0]",
        ),
        (
            "a metric the month's record does not commit",
            |p| {
                let o = OperatingOpening::new(
                    &INDUSTRY_SECRET,
                    &huawei(),
                    Metric::LogisticsTonnes,
                    month(202604),
                    figure(Metric::LogisticsTonnes, 202604),
                );
                p.openings.push(o);
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.undisclosed_field",
            "industry.openings[5]",
        ),
        (
            "a figure opened twice",
            |p| p.openings.push(p.openings[2].clone()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.duplicate_claim",
            "industry.openings[5]",
        ),
        (
            "a malformed salt",
            |p| p.openings[4].salt = "zz".into(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "industry.openings[4].salt",
        ),
        (
            "another enterprise's package",
            |p| p.uscc = "91440300555012347H".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.wrong_uscc",
            "industry.uscc",
        ),
        (
            "a record that is not an operating-commit",
            |p| p.records[2].key = format!("operating/{}/202606/electricity_kwh", huawei()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.wrong_key",
            "industry.records[2].key",
        ),
        (
            "another enterprise's record",
            |p| p.records[2].key = "operating-commit/91440300555012347H/202606".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "finance.wrong_uscc",
            "industry.records[2].key",
        ),
    ];
    for (what, mutate, status, code, field) in cases {
        let mut bad = good.clone();
        mutate(&mut bad);
        let (s, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&pkg, &bad))).await;
        assert_eq!(
            (s, v["code"].as_str(), v["field"].as_str()),
            (*status, Some(*code), Some(*field)),
            "{what}: {v}"
        );
        assert_eq!(written(&c, &app).await, (0, 0), "{what} changed something");
    }
    // A forged record whose figures are not opened passes the node and is refused by the
    // chain's light client: nothing written, the grant still unused.
    let mut forged = good.clone();
    let value = forged.records[0].value.as_mut().unwrap();
    let last = value.pop().unwrap();
    value.push(if last == '0' { '1' } else { '0' });
    forged.openings.retain(|o| o.month != 202604);
    let (s, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&pkg, &forged))).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("crosschain.bad_proof")),
        "{v}"
    );
    assert_eq!(written(&c, &app).await, (0, 0));

    // The right package: the figures are kept beside the tax openings.
    let applied = ok(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&pkg, &good))).await;
    assert_eq!(
        (applied["openings_kept"].as_u64(), applied["figures_kept"].as_u64()),
        (Some(19), Some(5))
    );
    let loan = applied["loan"].as_str().unwrap().to_string();
    assert_eq!(written(&c, &app).await, (1, 1));
    let file = c.secrets.path().join(format!("finance/icbc/loans/{loan}.json"));
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(kept["operating"].as_array().unwrap().len(), 5);
    assert_eq!(kept["operating_records"].as_array().unwrap().len(), 2, "June is proven absent");

    // The bank's desk shows every figure verified at the industry height.
    let l = ok(&app, "GET", &format!("/v1/finance/loans/{loan}"), "icbc", None).await;
    let operating = l["operating"].as_array().unwrap();
    assert_eq!(operating.len(), 3);
    assert!(operating.iter().all(|o| o["chain_id"] == INDUSTRY && o["height"] == ih));
    let figures: Vec<&Value> =
        operating.iter().flat_map(|o| o["figures"].as_array().unwrap()).collect();
    assert_eq!(figures.len(), 5);
    assert!(figures.iter().all(|f| f["verified"] == true), "{figures:?}");
    let may_power =
        figures.iter().find(|f| f["metric"] == "electricity_kwh" && f["month"] == 202605).unwrap();
    assert_eq!(may_power["value"], figure(Metric::ElectricityKwh, 202605).to_string());
    assert!(
        operating[2]["figures"].as_array().unwrap().is_empty()
            && operating[2]["value_hash"].is_null()
    );
    // The list shows the same.
    let list = ok(&app, "GET", "/v1/finance/loans", "icbc", None).await;
    assert_eq!(list[0]["operating"], l["operating"]);
    // The node restarted on the same secrets still holds them; a node without them, the
    // regulator and the chain's record hold none of the figures.
    let restarted = c.app_with(Some(c.secrets.path().to_path_buf()));
    let again = ok(&restarted, "GET", &format!("/v1/finance/loans/{loan}"), "icbc", None).await;
    assert_eq!(again["operating"], l["operating"]);
    for (app, who) in [(c.app_with(None), "icbc"), (c.app(), "pboc")] {
        let l = ok(&app, "GET", &format!("/v1/finance/loans/{loan}"), who, None).await;
        assert!(
            l["operating"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o["figures"].as_array().unwrap().is_empty()),
            "{who}: {l}"
        );
    }
    let state = ok(&app, "GET", &format!("/v1/state/loan/{loan}"), "icbc", None).await.to_string();
    assert!(!state.contains(&figure(Metric::ElectricityKwh, 202605).to_string()), "{state}");

    // A kept figure altered on disk no longer opens its commitment: shown unverified.
    let mut altered = kept.clone();
    altered["operating"][0]["value"] = json!("7");
    std::fs::write(&file, altered.to_string()).unwrap();
    let l = ok(&app, "GET", &format!("/v1/finance/loans/{loan}"), "icbc", None).await;
    let first = &l["operating"][0]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "7")
        .cloned();
    assert_eq!(first.as_ref().map(|f| f["verified"].clone()), Some(json!(false)), "{l}");
    // A kept record that is not the one the loan cites shows nothing of it.
    let mut swapped = kept.clone();
    swapped["operating_records"][0]["value"] = kept["operating_records"][1]["value"].clone();
    std::fs::write(&file, swapped.to_string()).unwrap();
    let l = ok(&app, "GET", &format!("/v1/finance/loans/{loan}"), "icbc", None).await;
    assert!(l["operating"][0]["figures"].as_array().unwrap().is_empty(), "{l}");
    assert_eq!(l["operating"][1]["figures"].as_array().unwrap().len(), 3);
}
