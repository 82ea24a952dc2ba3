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
    assert_eq!((s, r["code"].clone()), (422, json!("already_submitted")), "{r}");
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
        assert_eq!((*s, r["code"].as_str().unwrap()), (422, "already_reimbursed"), "{r}");
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

    // Booking for deduction, once, by the buyer only.
    let (s, r) = demo.post_json(&format!("/v1/invoices/{number}/book"), Some(&metro), json!({}));
    assert_eq!((s, r["code"].clone()), (422, json!("not_buyer")), "{r}");
    let (s, r) = demo.post_json(&format!("/v1/invoices/{number}/book"), Some(&huawei), json!({}));
    assert_eq!(s, 200, "{r}");
    let (s, r) = demo.post_json(&format!("/v1/invoices/{number}/book"), Some(&huawei), json!({}));
    assert_eq!((s, r["code"].clone()), (422, json!("already_booked")), "{r}");

    // The VAT returns the chain computes for the month.
    let month = &date[..7];
    let (s, buyer) =
        get_auth(&demo, &format!("/v1/taxpayers/{HUAWEI}/vat-returns/{month}"), &huawei);
    assert_eq!(s, 200, "{buyer}");
    assert_eq!(buyer["input_tax"], "50.54");
    assert_eq!(buyer["carry_forward"], "50.54");
    let (s, _) =
        get_auth(&demo, &format!("/v1/taxpayers/{RESTAURANT}/vat-returns/{month}"), &huawei);
    assert_eq!(s, 404, "another taxpayer's return is private");
    let (s, seller) =
        get_auth(&demo, &format!("/v1/taxpayers/{RESTAURANT}/vat-returns/{month}"), &officer);
    assert_eq!((s, seller["output_tax"].clone()), (200, json!("50.54")), "{seller}");
    let (s, r) = demo.post_json(
        &format!("/v1/taxpayers/{HUAWEI}/vat-returns/{month}"),
        Some(&huawei),
        json!({}),
    );
    assert_eq!((s, r["code"].clone()), (422, json!("month_not_closed")), "{r}");

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
        (422, json!("buyer_tax_id_required"), json!("buyer.tax_id")),
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
    assert_eq!((s, r["code"].clone()), (422, json!("seller_frozen")), "{r}");
}
