//! The invoice story through the HTTP API of a real demo node: issue → wallet holder
//! reads it, strangers get 404 → submit → reimburse → second reimbursement refused →
//! book → VAT return; verification; preview; many clients racing to reimburse or
//! submit the same invoice: exactly one wins.

use crate::harness::Demo;
use serde_json::{json, Value};
use std::{sync::Arc, thread};

const RESTAURANT: &str = "91440300555012347H";
const HUAWEI: &str = "914403001922038216";
const METRO: &str = "914403002796543264";

fn token(demo: &Demo, name: &str) -> String {
    demo.identity(name)["token"].as_str().unwrap().to_string()
}

fn get_auth(demo: &Demo, path: &str, token: &str) -> (u16, Value) {
    let resp = demo.http.get(format!("{}{path}", demo.url)).bearer_auth(token).send().unwrap();
    let s = resp.status().as_u16();
    (s, resp.json().unwrap_or(Value::Null))
}

/// `"1506.80"` → 150680.
fn fen(v: &Value) -> i64 {
    let s = v.as_str().unwrap();
    let neg = s.starts_with('-');
    let (y, f) = s.trim_start_matches('-').split_once('.').unwrap();
    let v = y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

fn meal(holder: &str, kind: &str) -> Value {
    json!({
        "seller": RESTAURANT,
        "kind": kind,
        "buyer": {"name": "华为技术有限公司", "tax_id": HUAWEI, "holder": holder},
        "lines": [
            {"name": "*餐饮服务*餐费", "tax_code": "3070401000000000000", "gross": "66.00", "rate": "0.06"},
            {"name": "*家具*办公椅", "tax_code": "1050201990000000000", "quantity": "3", "unit_price": "120.00", "rate": "0.13"}
        ],
        "remarks": "团队午餐"
    })
}

fn issue(demo: &Demo, pos: &str, holder: &str, kind: &str) -> Value {
    let (s, r) = demo.post_json("/v1/invoices", Some(pos), meal(holder, kind));
    assert_eq!(s, 200, "{r}");
    r["invoice"].clone()
}

#[test]
fn the_invoice_story_through_the_api_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(tmp.path());
    let pos = token(&demo, "Restaurant POS");
    let li_wei = demo.identity("Li Wei");
    let li = li_wei["token"].as_str().unwrap().to_string();
    let holder = li_wei["account"].as_str().unwrap().to_string();
    let huawei = token(&demo, "Huawei finance office");
    let officer = token(&demo, "Officer Chen");

    // The demo registered its taxpayers by transactions of the tax bureau.
    let (s, t) = demo.get(&format!("/v1/taxpayers/{RESTAURANT}"));
    assert_eq!((s, t["status"].clone()), (200, json!("active")), "{t}");

    // Preview computes without committing; the worked arithmetic.
    let (s, p) = demo.post_json("/v1/invoices/preview", None, meal(&holder, "special"));
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["total_with_tax"], "472.80");
    assert_eq!(p["lines"][0]["amount"], "62.26");
    assert_eq!(p["lines"][0]["tax"], "3.74");
    assert_eq!(p["total_with_tax_in_capitals"], "肆佰柒拾贰圆捌角整");

    // Issue a special invoice to Huawei, held in Li Wei's wallet.
    let inv = issue(&demo, &pos, &holder, "special");
    let number = inv["number"].as_str().unwrap().to_string();
    assert_eq!(number.len(), 20);
    assert_eq!(inv["status"], "issued");
    assert_eq!(inv["total_with_tax"], "472.80");
    assert_eq!(inv["total_with_tax_in_capitals"], "肆佰柒拾贰圆捌角整");

    // Parties see it; anyone else gets the answer of a number that does not exist.
    assert_eq!(get_auth(&demo, &format!("/v1/invoices/{number}"), &li).0, 200);
    assert_eq!(get_auth(&demo, &format!("/v1/invoices/{number}"), &huawei).0, 200);
    assert_eq!(get_auth(&demo, &format!("/v1/invoices/{number}"), &officer).0, 200);
    let metro = token(&demo, "Metro finance");
    let (s, stranger) = get_auth(&demo, &format!("/v1/invoices/{number}"), &metro);
    let (s2, missing) = get_auth(&demo, "/v1/invoices/26951000000000009999", &metro);
    assert_eq!((s, s2), (404, 404));
    assert_eq!(stranger, missing, "same answer as for a number that does not exist");
    assert_eq!(demo.get(&format!("/v1/invoices/{number}")).0, 404, "no token, no invoice");
    assert_eq!(demo.get(&format!("/v1/state/invoice-body/{number}")).0, 404);
    assert_eq!(get_auth(&demo, &format!("/v1/state/invoice-body/{number}"), &li).0, 200);

    // Li Wei's wallet holds it; the history shows who did what, where.
    let (s, w) = get_auth(&demo, "/v1/wallet", &li);
    assert_eq!(s, 200, "{w}");
    assert!(w.as_array().unwrap().iter().any(|i| i["number"] == number.as_str()), "{w}");
    assert_eq!(get_auth(&demo, "/v1/wallet", &metro).1, json!([]));

    // Public verification reveals only genuineness, status and seller.
    let date = inv["date"].as_str().unwrap();
    let (s, v) = demo.get(&format!("/v1/verify?number={number}&date={date}&total=472.80"));
    assert_eq!(s, 200);
    assert_eq!(v["genuine"], true);
    assert_eq!(v["seller_name"], "深圳市老街餐饮有限公司");
    assert!(v.get("buyer").is_none() && v.get("lines").is_none());
    let (_, v) = demo.get(&format!("/v1/verify?number={number}&date={date}&total=472.81"));
    assert_eq!(v["genuine"], false);
    assert_eq!(demo.get("/v1/verify?number=123&date=2026-01-01&total=1.00").0, 400);

    // Circulation: submit, racing reimbursements, second reimbursement refused.
    let (s, r) = demo.post_json(
        &format!("/v1/invoices/{number}/submit"),
        Some(&li),
        json!({"enterprise": HUAWEI}),
    );
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["invoice"]["status"], "submitted");
    let (s, r) = demo.post_json(
        &format!("/v1/invoices/{number}/submit"),
        Some(&li),
        json!({"enterprise": METRO}),
    );
    assert_eq!((s, r["code"].clone()), (409, json!("invoice.already_submitted")), "{r}");
    let url = Arc::new(format!("{}/v1/invoices/{number}/reimburse", demo.url));
    let racers: Vec<_> = (0..12)
        .map(|_| {
            let (url, huawei) = (url.clone(), huawei.clone());
            thread::spawn(move || {
                let c = reqwest::blocking::Client::new();
                let r = c.post(url.as_str()).bearer_auth(huawei).json(&json!({})).send().unwrap();
                let s = r.status().as_u16();
                (s, r.json::<Value>().unwrap())
            })
        })
        .collect();
    let results: Vec<(u16, Value)> = racers.into_iter().map(|t| t.join().unwrap()).collect();
    let wins = results.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(wins, 1, "exactly one reimbursement wins: {results:?}");
    for (s, r) in results.iter().filter(|(s, _)| *s != 200) {
        assert_eq!((*s, r["code"].as_str().unwrap()), (409, "invoice.already_reimbursed"), "{r}");
    }
    let (_, r) = get_auth(&demo, &format!("/v1/invoices/{number}"), &li);
    assert_eq!(r["status"], "reimbursed");
    // A merchant cannot reimburse (wrong role), and nobody can twice.
    let (s, r) = demo.post_json(&format!("/v1/invoices/{number}/reimburse"), Some(&pos), json!({}));
    assert_eq!((s, r["code"].clone()), (403, json!("missing_role")), "{r}");

    let (s, h) = get_auth(&demo, &format!("/v1/invoices/{number}/history"), &li);
    assert_eq!(s, 200, "{h}");
    let actions: Vec<&str> =
        h.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["issue_invoice", "submit_invoice", "accept_reimbursement"]);
    assert_eq!(h[0]["signer"], demo.identity("Restaurant POS")["account"]);
    assert_eq!(get_auth(&demo, &format!("/v1/invoices/{number}/history"), &metro).0, 404);

    let month = inv["date"].as_str().unwrap()[..7].to_string();
    let vat = |who: &str, uscc: &str| {
        let (s, r) = get_auth(&demo, &format!("/v1/taxpayers/{uscc}/vat-returns/{month}"), who);
        assert_eq!(s, 200, "{r}");
        r
    };
    let input_before = fen(&vat(&huawei, HUAWEI)["input_tax"]);

    // Booking for deduction, once, by the buyer only.
    let (s, r) = demo.post_json(&format!("/v1/invoices/{number}/book"), Some(&metro), json!({}));
    assert_eq!((s, r["code"].clone()), (403, json!("invoice.not_buyer")), "{r}");
    let (s, r) = demo.post_json(&format!("/v1/invoices/{number}/book"), Some(&huawei), json!({}));
    assert_eq!(s, 200, "{r}");
    let (s, r) = demo.post_json(&format!("/v1/invoices/{number}/book"), Some(&huawei), json!({}));
    assert_eq!((s, r["code"].clone()), (409, json!("invoice.already_booked")), "{r}");

    // The VAT returns the chain computes for the month.
    let buyer = vat(&huawei, HUAWEI);
    assert_eq!(fen(&buyer["input_tax"]) - input_before, 50_54, "the booked invoice's tax: {buyer}");
    for r in [&buyer, &vat(&officer, RESTAURANT)] {
        // payable − carry forward = output − input − carried in, and neither is negative.
        let (out, inp, carried) =
            (fen(&r["output_tax"]), fen(&r["input_tax"]), fen(&r["carried_in"]));
        assert_eq!(fen(&r["payable"]) - fen(&r["carry_forward"]), out - inp - carried, "{r}");
        assert!(fen(&r["payable"]) >= 0 && fen(&r["carry_forward"]) >= 0);
    }
    assert!(fen(&vat(&officer, RESTAURANT)["output_tax"]) >= 50_54);
    let (s, _) =
        get_auth(&demo, &format!("/v1/taxpayers/{RESTAURANT}/vat-returns/{month}"), &huawei);
    assert_eq!(s, 404, "another taxpayer's return is private");
    let (s, r) = demo.post_json(
        &format!("/v1/taxpayers/{HUAWEI}/vat-returns/{month}"),
        Some(&huawei),
        json!({}),
    );
    assert_eq!((s, r["code"].clone()), (409, json!("invoice.month_not_closed")), "{r}");

    // Racing submissions of one invoice to two enterprises: exactly one wins.
    let second = issue(&demo, &pos, &holder, "ordinary")["number"].as_str().unwrap().to_string();
    let racers: Vec<_> = [HUAWEI, METRO, HUAWEI, METRO, HUAWEI, METRO]
        .into_iter()
        .map(|to| {
            let url = format!("{}/v1/invoices/{second}/submit", demo.url);
            let li = li.clone();
            thread::spawn(move || {
                let c = reqwest::blocking::Client::new();
                c.post(url)
                    .bearer_auth(li)
                    .json(&json!({"enterprise": to}))
                    .send()
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let statuses: Vec<u16> = racers.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");

    // Bad input: the rule and the field are named, nothing changes.
    let mut bad = meal(&holder, "special");
    bad["lines"][1]["tax"] = json!("47.00");
    let (s, r) = demo.post_json("/v1/invoices", Some(&pos), bad);
    assert_eq!((s, r["field"].clone()), (422, json!("lines[1].tax")), "{r}");
    let mut bad = meal(&holder, "special");
    bad["buyer"]["tax_id"] = json!("");
    let (s, r) = demo.post_json("/v1/invoices", Some(&pos), bad);
    assert_eq!(
        (s, r["code"].clone(), r["field"].clone()),
        (422, json!("invoice.buyer_tax_id_required"), json!("buyer.tax_id")),
        "{r}"
    );
    let (s, r) = demo.post_json("/v1/invoices", Some(&li), meal(&holder, "ordinary"));
    assert_eq!(
        (s, r["code"].clone()),
        (403, json!("missing_role")),
        "a consumer cannot issue: {r}"
    );
    let (s, r) = demo.post_json(
        "/v1/taxpayers",
        Some(&officer),
        json!({"uscc": "91350100M000100Y4Z", "name": "x", "region": "440300", "seller_type": "general"}),
    );
    assert_eq!(
        (s, r["code"].clone(), r["field"].clone()),
        (422, json!("bad_uscc"), json!("uscc")),
        "{r}"
    );

    // Freezing the seller stops issuance.
    let (s, r) = demo.post_json(
        &format!("/v1/taxpayers/{RESTAURANT}/status"),
        Some(&officer),
        json!({"status": "frozen", "reason": "audit"}),
    );
    assert_eq!(s, 200, "{r}");
    let (s, r) = demo.post_json("/v1/invoices", Some(&pos), meal(&holder, "ordinary"));
    assert_eq!((s, r["code"].clone()), (409, json!("invoice.seller_frozen")), "{r}");
}

/// 交易即开票 through the API: the platform records an order, the consumer claims it with
/// the receipt's code, the invoice is issued at once into the wallet; then a red-letter
/// story with the buyer's confirmation; and the ring the demo seeded is on the tax
/// authority's alert list.
#[test]
fn claims_red_letter_and_alerts_through_the_api_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(tmp.path());
    let gateway = token(&demo, "Payments gateway");
    let li = token(&demo, "Li Wei");
    let pos = token(&demo, "Restaurant POS");
    let huawei = token(&demo, "Huawei finance office");
    let officer = token(&demo, "Officer Chen");

    // The platform records the payment; the receipt carries the order id and code.
    let order = json!({"merchant": RESTAURANT, "amount": "66.00", "items": [{"sku": "LUNCH", "amount": "66.00"}]});
    let (s, o) = demo.post_json("/v1/orders", Some(&li), order.clone());
    assert_eq!(
        (s, o["code"].clone()),
        (403, json!("missing_role")),
        "a consumer cannot record orders: {o}"
    );
    let (s, o) = demo.post_json("/v1/orders", Some(&gateway), order);
    assert_eq!(s, 200, "{o}");
    let (id, code) = (o["order_id"].as_str().unwrap(), o["claim_code"].as_str().unwrap());
    assert!(code.len() >= 32, "an unguessable code");

    // A wrong code is refused; the right one issues at once (automatic issuing).
    let claim =
        |c: &str| json!({"claim_code": c, "buyer": {"name": "华为技术有限公司", "tax_id": HUAWEI}});
    let (s, r) = demo.post_json(&format!("/v1/orders/{id}/claim"), Some(&li), claim("nope"));
    assert_eq!(
        (s, r["code"].clone(), r["field"].clone()),
        (403, json!("invoice.wrong_claim_code"), json!("claim_code")),
        "{r}"
    );
    let (s, r) = demo.post_json(&format!("/v1/orders/{id}/claim"), Some(&li), claim(code));
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "invoiced");
    let inv = &r["invoice"];
    let number = inv["number"].as_str().unwrap().to_string();
    assert_eq!(&number[4..5], "2", "self-service channel");
    assert_eq!(inv["total_with_tax"], "66.00");
    assert_eq!(inv["lines"][0]["amount"], "62.26");
    assert_eq!(inv["lines"][0]["tax"], "3.74");
    assert_eq!(inv["lines"][0]["name"], "*餐饮服务*餐费", "from the merchant's catalogue");
    let (s, r) = demo.post_json(&format!("/v1/orders/{id}/claim"), Some(&li), claim(code));
    assert_eq!(
        (s, r["code"].clone()),
        (409, json!("invoice.order_already_claimed")),
        "one order, one invoice: {r}"
    );
    let (_, wallet) = get_auth(&demo, "/v1/wallet", &li);
    assert!(wallet.as_array().unwrap().iter().any(|i| i["number"] == number.as_str()));

    // Wallet → submit → reimburse → second reimbursement refused.
    let (s, _) = demo.post_json(
        &format!("/v1/invoices/{number}/submit"),
        Some(&li),
        json!({"enterprise": HUAWEI}),
    );
    assert_eq!(s, 200);
    let (s, _) =
        demo.post_json(&format!("/v1/invoices/{number}/reimburse"), Some(&huawei), json!({}));
    assert_eq!(s, 200);
    let (s, r) =
        demo.post_json(&format!("/v1/invoices/{number}/reimburse"), Some(&huawei), json!({}));
    assert_eq!((s, r["code"].clone()), (409, json!("invoice.already_reimbursed")));

    // Red letter on the used invoice: the seller raises a partial allowance, the buyer
    // confirms, the seller issues the red invoice with negative lines.
    let form = json!({"blue_number": number, "reason": "04",
        "lines": [{"line": 0, "amount": "-10.00", "tax": "-0.60"}]});
    let (s, f) = demo.post_json("/v1/red-letter", Some(&pos), form.clone());
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["status"], "seller_entered_awaiting_buyer");
    let fid = f["id"].as_str().unwrap();
    let (s, r) = demo.post_json(&format!("/v1/red-letter/{fid}/confirm"), Some(&pos), json!({}));
    assert_eq!((s, r["code"].clone()), (403, json!("invoice.not_the_other_party")), "{r}");
    let (s, f) = demo.post_json(&format!("/v1/red-letter/{fid}/confirm"), Some(&huawei), json!({}));
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["status"], "confirmed");
    assert!(f.get("red_invoice").is_none(), "the seller issues it: {f}");
    let (s, r) = demo.post_json(&format!("/v1/red-letter/{fid}/issue"), Some(&huawei), json!({}));
    assert_eq!((s, r["code"].clone()), (403, json!("invoice.not_the_seller")), "{r}");
    let (s, f) = demo.post_json(&format!("/v1/red-letter/{fid}/issue"), Some(&pos), json!({}));
    assert_eq!(s, 200, "{f}");
    let red = &f["red_invoice"];
    assert_eq!(red["total_with_tax"], "-10.60");
    assert_eq!(red["red_of"], number.as_str());
    assert!(red["total_with_tax_in_capitals"].as_str().unwrap().contains("负数"));
    let (_, blue) = get_auth(&demo, &format!("/v1/invoices/{number}"), &li);
    assert_eq!(blue["remaining"], "55.40");
    // Reason 01 must be a full reversal; over the blue amount is refused.
    let (s, r) = demo.post_json(
        "/v1/red-letter",
        Some(&pos),
        json!({"blue_number": number, "reason": "01",
        "lines": [{"line": 0, "amount": "-1.00", "tax": "-0.06"}]}),
    );
    assert_eq!((s, r["code"].clone()), (422, json!("invoice.full_reversal_required")), "{r}");
    let (s, r) = demo.post_json(
        "/v1/red-letter",
        Some(&pos),
        json!({"blue_number": number, "reason": "02",
        "lines": [{"line": 0, "amount": "-60.00", "tax": "-3.60"}]}),
    );
    assert_eq!(
        (s, r["code"].clone(), r["field"].clone()),
        (422, json!("invoice.red_exceeds_blue"), json!("lines[0].amount")),
        "{r}"
    );
    // The form is visible to the parties, not to others.
    assert_eq!(get_auth(&demo, &format!("/v1/red-letter/{fid}"), &li).0, 200);
    assert_eq!(
        get_auth(&demo, &format!("/v1/red-letter/{fid}"), &token(&demo, "Metro finance")).0,
        404
    );

    // The history records every step with its signer.
    let (_, h) = get_auth(&demo, &format!("/v1/invoices/{number}/history"), &li);
    let actions: Vec<&str> =
        h.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "claim_order",
            "submit_invoice",
            "accept_reimbursement",
            "raise_red_form",
            "confirm_red_form",
            "issue_red_invoice"
        ]
    );

    // The tax authority sees the circular ring the demo seeded; nobody else sees alerts.
    let (s, alerts) = get_auth(&demo, "/v1/alerts?rule=circular_ring", &officer);
    assert_eq!(s, 200, "{alerts}");
    let ring = &alerts[0];
    assert_eq!(ring["subjects"].as_array().unwrap().len(), 3, "{ring}");
    assert_eq!(get_auth(&demo, "/v1/alerts", &huawei).0, 404);
    // Flagging one of the ring's invoices stops it circulating.
    let ring_invoice = ring["numbers"][0].as_str().unwrap();
    let (s, r) = demo.post_json(
        &format!("/v1/invoices/{ring_invoice}/flag"),
        Some(&officer),
        json!({"reason": "circular invoicing ring"}),
    );
    assert_eq!(s, 200, "{r}");
    let (_, v) = demo.get(&format!(
        "/v1/verify?number={ring_invoice}&date={}&total={}",
        r["invoice"]["date"].as_str().unwrap(),
        r["invoice"]["total_with_tax"].as_str().unwrap()
    ));
    assert_eq!((v["genuine"].clone(), v["flagged"].clone()), (json!(true), json!(true)));
}

/// The express edition through the API of a real demo node: a merchant with no account
/// applies online, the tax officer approves with a credit ceiling, and the token the
/// application returned now issues invoices; the application page is served.
#[test]
fn express_edition_apply_review_and_issue_through_the_api_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(tmp.path());
    let officer = token(&demo, "Officer Chen");
    const NEW: &str = "91350100M000100Y43";
    let application = json!({"uscc": NEW, "name": "福州示例商贸有限公司", "region": "350100",
        "seller_type": "general", "contact": "王经理 13800000000", "requested_ceiling": "50000.00"});
    let (s, r) = demo.post_json(
        "/v1/express/applications",
        None,
        json!({"uscc": "91350100M000100Y4Z", "name": "x", "region": "350100",
            "seller_type": "general", "contact": "x", "requested_ceiling": "1.00"}),
    );
    assert_eq!((s, r["code"].clone()), (422, json!("bad_uscc")), "{r}");
    let (s, a) = demo.post_json("/v1/express/applications", None, application.clone());
    assert_eq!(s, 200, "{a}");
    let (id, applicant) = (a["id"].as_str().unwrap(), a["token"].as_str().unwrap());
    let (s, r) = demo.post_json("/v1/express/applications", None, application);
    assert_eq!((s, r["code"].clone()), (409, json!("invoice.application_pending")), "{r}");
    // The applicant sees its own application, pending; it cannot issue yet.
    let (s, list) = get_auth(&demo, "/v1/express/applications", applicant);
    assert_eq!(s, 200, "{list}");
    assert_eq!((list[0]["id"].as_str(), list[0]["status"].as_str()), (Some(id), Some("pending")));
    let invoice = json!({"seller": NEW, "kind": "special",
        "buyer": {"name": "华为技术有限公司", "tax_id": HUAWEI},
        "lines": [{"name": "*现代服务*咨询服务", "tax_code": "3040201010000000000", "amount": "1000.00", "rate": "0.06"}]});
    let (s, r) = demo.post_json("/v1/invoices", Some(applicant), invoice.clone());
    assert_eq!((s, r["code"].clone()), (403, json!("missing_role")), "{r}");
    // Only the tax authority reviews; it approves with a ceiling.
    let review = json!({"approve": true, "monthly_ceiling": "30000.00"});
    let path = format!("/v1/express/applications/{id}/review");
    let (s, r) = demo.post_json(&path, Some(applicant), review.clone());
    assert_eq!((s, r["code"].clone()), (403, json!("missing_role")), "{r}");
    let (s, r) = demo.post_json(&path, Some(&officer), review.clone());
    assert_eq!(s, 200, "{r}");
    let (s, r) = demo.post_json(&path, Some(&officer), review);
    assert_eq!((s, r["code"].clone()), (409, json!("invoice.already_decided")), "{r}");
    let (_, list) = get_auth(&demo, "/v1/express/applications", &officer);
    let mine = list.as_array().unwrap().iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(
        (mine["status"].as_str(), mine["granted_ceiling"].as_str()),
        (Some("approved"), Some("30000.00"))
    );
    // Registered, with rights and credit: the applicant's token issues.
    let (s, r) = demo.post_json("/v1/invoices", Some(applicant), invoice);
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["invoice"]["total_with_tax"], "1060.00");
    let (s, desk) = get_auth(&demo, "/v1/desk", applicant);
    assert_eq!(s, 200);
    assert_eq!(desk["tax_id"], NEW);
    assert_eq!(desk["credit"]["used"], "1060.00");
    let page = demo.http.get(format!("{}/apply", demo.url)).send().unwrap();
    assert_eq!(page.status().as_u16(), 200);
}
