//! The loan and financing flows over the routes: openings checked off the chain (a wrong
//! salt, an undisclosed field), a tax header not yet relayed (503 with Retry-After), the
//! openings kept by the bank's node only, who reads what, review and decision, a second
//! financing refused, a relayed reversal alerting the bank.

use crate::*;

#[tokio::test]
async fn a_bank_applies_with_the_package_reviews_decides_and_finances_an_invoice() {
    let mut c = chain();
    let app = c.app();
    let h1 = c.tax_commit();
    let pkg = package(&c.tax, 1, h1);
    let apply = |pkg: &DisclosurePackage| json!({ "package": pkg, "amount": 500_000_000, "term_months": 12, "purpose": "working capital" });

    // A package of an unregistered chain is refused at once.
    let mut other = pkg.clone();
    other.grant.chain_id = "fapiao-nowhere".into();
    let (status, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&other))).await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("crosschain.unknown_chain"))
    );
    // The tax header is not relayed yet: after a short wait, 503 with Retry-After.
    let (status, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&pkg))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["code"], "finance.header_pending");
    assert_eq!(v["retry_after_header"], true);
    c.relay(&app, h1).await;

    // A wrong salt, checked by the bank's node before anything is submitted.
    let mut bad = pkg.clone();
    bad.openings[0].salt = hex::encode([0u8; 32]);
    let (status, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&bad))).await;
    assert_eq!(
        (status, v["code"].as_str(), v["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("finance.wrong_salt"), Some("openings[0]"))
    );
    // A wrong value under the right salt.
    let mut bad = pkg.clone();
    bad.openings[3].value = "1".into();
    let (_, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&bad))).await;
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("finance.wrong_salt"), Some("openings[3]"))
    );
    // An opening of a month the grant does not cover.
    let mut bad = pkg.clone();
    bad.openings.push(Opening::new(
        &SECRET,
        &huawei(),
        SummaryField::Sales,
        Some(month(202607)),
        &SummaryValue::Fen(0),
    ));
    let (status, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&bad))).await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("finance.undisclosed_field"))
    );
    // The regulator does not lend; another bank is not the grantee (refused by the chain).
    let (_, v) = call(&app, "POST", "/v1/finance/loans", "pboc", Some(apply(&pkg))).await;
    assert_eq!(v["code"], "finance.not_a_bank");
    let (status, v) = call(&app, "POST", "/v1/finance/loans", "ccb", Some(apply(&pkg))).await;
    assert_eq!((status, v["code"].as_str()), (StatusCode::FORBIDDEN, Some("finance.not_grantee")));

    // The genuine package.
    let applied = ok(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&pkg))).await;
    let loan = applied["loan"].as_str().unwrap().to_string();
    assert_eq!(applied["openings_kept"], 19);
    let kept =
        std::fs::read_to_string(c.secrets.path().join(format!("finance/icbc/loans/{loan}.json")))
            .unwrap();
    assert!(kept.contains("\"salt\""));
    // A replay of the same grant.
    let (status, v) = call(&app, "POST", "/v1/finance/loans", "icbc", Some(apply(&pkg))).await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("finance.duplicate_application"))
    );

    // The bank's desk: every fact verified against the commitment proven at tax height h1.
    let list = ok(&app, "GET", "/v1/finance/loans", "icbc", None).await;
    let l = &list[0];
    assert_eq!((l["id"].as_str(), l["tax_height"].as_u64()), (Some(loan.as_str()), Some(h1)));
    let facts = l["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 19);
    assert!(facts.iter().all(|f| f["verified"] == true), "{facts:?}");
    let may = facts.iter().find(|f| f["field"] == "sales" && f["month"] == 202605).unwrap();
    assert_eq!(may["value"], "617285");
    // The bank's node restarted on the same secrets directory still holds the facts.
    let restarted = c.app_with(Some(c.secrets.path().to_path_buf()));
    let l = ok(&restarted, "GET", &format!("/v1/finance/loans/{loan}"), "icbc", None).await;
    assert!(l["facts"].as_array().unwrap().iter().all(|f| f["verified"] == true));
    // Another node of the same bank without its secrets: commitments, no values.
    let bare = c.app_with(None);
    let l = ok(&bare, "GET", &format!("/v1/finance/loans/{loan}"), "icbc", None).await;
    assert!(l["facts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f.get("value").is_none() && f["verified"] == false));
    // Another bank sees nothing; the regulator sees the commitments, never the values.
    assert_eq!(
        ok(&app, "GET", "/v1/finance/loans", "ccb", None).await.as_array().unwrap().len(),
        0
    );
    let (status, _) = call(&app, "GET", &format!("/v1/finance/loans/{loan}"), "ccb", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = ok(&app, "GET", &format!("/v1/finance/loans/{loan}"), "pboc", None).await;
    assert!(r["facts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f.get("value").is_none() && f["commitment"].is_string() || f["month"] == 202606));
    // No disclosed value is on the chain: the loan record's bytes hold commitments only.
    let state = ok(&app, "GET", &format!("/v1/state/loan/{loan}"), "icbc", None).await;
    assert!(
        state.to_string().contains("commitment") || state.to_string().contains("value"),
        "{state}"
    );
    assert!(!state.to_string().contains("617285"));
    // The record through GET /v1/state: its bank and the regulator, nobody else.
    let (status, _) = call(&app, "GET", &format!("/v1/state/loan/{loan}"), "ccb", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    ok(&app, "GET", &format!("/v1/state/loan/{loan}"), "pboc", None).await;

    // Review and decide.
    ok(
        &app,
        "POST",
        &format!("/v1/finance/loans/{loan}/review"),
        "icbc",
        Some(json!({ "notes": "steady sales" })),
    )
    .await;
    let (status, v) = call(
        &app,
        "POST",
        &format!("/v1/finance/loans/{loan}/decision"),
        "ccb",
        Some(json!({ "approve": false, "reasons": "no" })),
    )
    .await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("finance.not_your_loan"))
    );
    ok(&app, "POST", &format!("/v1/finance/loans/{loan}/decision"), "icbc",
        Some(json!({ "approve": true, "amount": 400_000_000, "rate_bp": 385, "term_months": 12, "reasons": "filed on time" }))).await;
    let l = ok(&app, "GET", &format!("/v1/finance/loans/{loan}"), "icbc", None).await;
    assert_eq!(
        (l["status"].as_str(), l["decision"]["rate_bp"].as_u64()),
        (Some("approved"), Some(385))
    );

    // Finance invoice 1 under the loan; a second financing by another bank is refused.
    let claim = ClaimJson::from(&c.tax.claim(h1, InvoiceKey::Invoice(number(1))));
    let finance = |bank_loan: Option<&str>| json!({ "uscc": huawei().as_str(), "loan": bank_loan, "amount": 10_000_000, "invoice": claim });
    ok(&app, "POST", "/v1/finance/financings", "icbc", Some(finance(Some(&loan)))).await;
    let (status, v) =
        call(&app, "POST", "/v1/finance/financings", "ccb", Some(finance(None))).await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("finance.already_financed"))
    );
    let fs = ok(&app, "GET", "/v1/finance/financings", "icbc", None).await;
    assert_eq!(
        (fs[0]["number"].as_str(), fs[0]["status"].as_str()),
        (Some(number(1).as_str()), Some("active"))
    );
    assert_eq!(
        ok(&app, "GET", "/v1/finance/financings", "ccb", None).await.as_array().unwrap().len(),
        0
    );

    // Invoice 2 financed by the other bank from the enterprise's invoice proof bundle
    // (the header and certificate `fapiao verify` reads; the header is in the window).
    let entry = c.tax.claim(h1, InvoiceKey::Invoice(number(2)));
    let bundle = json!({
        "format": "fapiao-invoice-proof/2",
        "chain_id": TAX,
        "number": number(2).as_str(),
        "entries": [{ "key": entry.key, "value_hex": entry.value.as_ref().map(|v| hex::encode(&v.0)), "proof_hex": hex::encode(&entry.proof.0) }],
        "header_hex": hex::encode(c.tax.header(h1).encode()),
        "certificate_hex": hex::encode(c.tax.certificate(h1)),
    });
    ok(
        &app,
        "POST",
        "/v1/finance/financings",
        "ccb",
        Some(json!({ "uscc": huawei().as_str(), "amount": 2_000_000, "bundle": bundle })),
    )
    .await;
    let fs = ok(&app, "GET", "/v1/finance/financings", "ccb", None).await;
    assert_eq!(
        (fs[0]["number"].as_str(), fs[0]["bank"].as_str()),
        (Some(number(2).as_str()), Some("ccb"))
    );
    // The regulator sees both banks' financings.
    assert_eq!(
        ok(&app, "GET", "/v1/finance/financings", "pboc", None).await.as_array().unwrap().len(),
        2
    );

    // The tax chain reverses the invoice; the regulator relays the header and the proof.
    c.tax.put(InvoiceKey::Invoice(number(1)), &invoice(1, 11_300_000, InvoiceStatus::Reversed));
    let h2 = c.tax_commit();
    c.relay(&app, h2).await;
    let reversal =
        json!({ "invoice": ClaimJson::from(&c.tax.claim(h2, InvoiceKey::Invoice(number(1)))) });
    let path = format!("/v1/finance/financings/{}/reversal", number(1).as_str());
    ok(&app, "POST", &path, "pboc", Some(reversal.clone())).await;
    let alerts = ok(&app, "GET", "/v1/finance/alerts", "icbc", None).await;
    assert_eq!(
        (alerts[0]["reason"].as_str(), alerts[0]["tax_height"].as_u64()),
        (Some("reversed"), Some(h2))
    );
    assert_eq!(
        ok(&app, "GET", "/v1/finance/alerts", "ccb", None).await.as_array().unwrap().len(),
        0
    );
    assert_eq!(
        ok(&app, "GET", "/v1/finance/financings", "icbc", None).await[0]["status"],
        "at_risk"
    );
    // Settlement with a fresh proof showing it reversed is refused.
    let settle = json!({ "repaid": true, "invoice": ClaimJson::from(&c.tax.claim(h2, InvoiceKey::Invoice(number(1)))) });
    let (status, v) = call(
        &app,
        "POST",
        &format!("/v1/finance/financings/{}/settle", number(1).as_str()),
        "icbc",
        Some(settle),
    )
    .await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("finance.invoice_reversed"))
    );
    // A relayed header again is a no-op; the report again is refused.
    c.relay(&app, h2).await;
    let (status, v) = call(&app, "POST", &path, "pboc", Some(reversal)).await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("finance.already_at_risk"))
    );
    // Without a token: 401.
    let (status, _) = call(&app, "GET", "/v1/finance/loans", "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
