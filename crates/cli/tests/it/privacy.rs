//! No route leaks a private invoice to anyone but its parties.
//!
//! Regression: `GET /v1/sync/blocks` answered anyone with whole blocks, so an anonymous
//! client read every private invoice's buyer, lines and remarks and could open its
//! commitment with the salt. This test issues invoices with random buyer names, line
//! names and remarks, records and claims an order and raises a red-letter form, then
//! calls every route of the node's route table (its OpenAPI document, generated from
//! the same table as the router) with every path parameter filled with real invoice
//! numbers, order ids, form ids, taxpayer codes, accounts, transaction hashes, state
//! keys and heights — anonymously and with a stranger organisation's token — and
//! searches every answer for the private strings, the salts and the claim code as raw
//! bytes, hex and base64.

use crate::harness::Demo;
use base64::Engine as _;
use fapiao_invoice_types::InvoiceBody;
use fapiao_types::decode_exact;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const RESTAURANT: &str = "91440300555012347H";
const HUAWEI: &str = "914403001922038216";

fn token(demo: &Demo, name: &str) -> String {
    demo.identity(name)["token"].as_str().unwrap().to_string()
}

fn random_tag() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Every form in which `secret` could appear in an answer: raw, hex (both cases), and
/// base64 (standard and URL-safe) at each of the three alignments inside a longer
/// encoded string (the characters touched by neighbouring bytes are dropped).
fn encodings(secret: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![
        secret.to_vec(),
        hex::encode(secret).into_bytes(),
        hex::encode_upper(secret).into_bytes(),
    ];
    for engine in
        [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE]
    {
        for shift in 0..3usize {
            let mut padded = vec![0u8; shift];
            padded.extend_from_slice(secret);
            let enc = engine.encode(&padded);
            let enc = enc.trim_end_matches('=');
            // Skip the characters that carry bits of the padding, and the last two,
            // which depend on whatever follows the secret.
            let skip = (shift * 8).div_ceil(6);
            if enc.len() > skip + 2 + 8 {
                out.push(enc.as_bytes()[skip..enc.len() - 2].to_vec());
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_route_leaks_a_private_invoice_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(tmp.path());
    let pos = token(&demo, "Restaurant POS");
    let li_wei = demo.identity("Li Wei");
    let li = li_wei["token"].as_str().unwrap().to_string();
    let holder = li_wei["account"].as_str().unwrap().to_string();
    let gateway = token(&demo, "Payments gateway");

    // Private strings: what a party sees and nobody else may.
    let mut secrets: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut numbers = Vec::new();
    let mut tx_hashes = Vec::new();
    let mut heights = Vec::new();
    for i in 0..3 {
        let buyer = format!("买方{}", random_tag());
        let line = format!("*餐饮服务*{}", random_tag());
        let remarks = format!("备注{}", random_tag());
        let (s, r) = demo.post_json(
            "/v1/invoices",
            Some(&pos),
            json!({
                "seller": RESTAURANT,
                "kind": if i == 0 { "special" } else { "ordinary" },
                "buyer": {"name": buyer, "tax_id": HUAWEI, "holder": holder},
                "lines": [{"name": line, "tax_code": "3070401000000000000", "gross": "88.00", "rate": "0.06"}],
                "remarks": remarks
            }),
        );
        assert_eq!(s, 200, "{r}");
        let number = r["invoice"]["number"].as_str().unwrap().to_string();
        secrets.insert(format!("buyer name of {number}"), buyer.into_bytes());
        secrets.insert(format!("line name of {number}"), line.into_bytes());
        secrets.insert(format!("remarks of {number}"), remarks.into_bytes());
        if let Some(h) = r["tx_hash"].as_str() {
            tx_hashes.push(h.to_string());
        }
        if let Some(h) = r["height"].as_u64() {
            heights.push(h);
        }
        numbers.push(number);
    }
    // The salts, read as a party from the private leaf.
    for n in &numbers {
        let resp = demo
            .http
            .get(format!("{}/v1/state/invoice-body/{n}", demo.url))
            .bearer_auth(&li)
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let v: Value = resp.json().unwrap();
        let bytes = hex::decode(v["value_hex"].as_str().unwrap()).unwrap();
        let body = decode_exact::<InvoiceBody>(&bytes, &()).unwrap();
        secrets.insert(format!("salt of {n}"), body.salt.to_vec());
    }
    // An order and its claim code, claimed under another random name.
    let (s, o) = demo.post_json(
        "/v1/orders",
        Some(&gateway),
        json!({"merchant": RESTAURANT, "amount": "66.00", "items": [{"sku": "LUNCH", "amount": "66.00"}]}),
    );
    assert_eq!(s, 200, "{o}");
    let order_id = o["order_id"].as_str().unwrap().to_string();
    let code = o["claim_code"].as_str().unwrap().to_string();
    secrets.insert("claim code".into(), code.clone().into_bytes());
    let claimant = format!("李{}", random_tag());
    let (s, c) = demo.post_json(
        &format!("/v1/orders/{order_id}/claim"),
        Some(&li),
        json!({"claim_code": code, "buyer": {"name": claimant}}),
    );
    assert_eq!(s, 200, "{c}");
    secrets.insert("claimant's name".into(), claimant.into_bytes());
    if let Some(n) = c["invoice"]["number"].as_str() {
        numbers.push(n.to_string());
    }
    // The first invoice submitted to the buyer and reimbursed, then a red-letter form on it awaiting the
    // buyer's confirmation.
    let (s, r) = demo.post_json(
        &format!("/v1/invoices/{}/submit", numbers[0]),
        Some(&li),
        json!({"enterprise": HUAWEI}),
    );
    assert_eq!(s, 200, "{r}");
    let huawei = token(&demo, "Huawei finance office");
    let (s, r) =
        demo.post_json(&format!("/v1/invoices/{}/reimburse", numbers[0]), Some(&huawei), json!({}));
    assert_eq!(s, 200, "{r}");
    let (s, f) = demo.post_json(
        "/v1/red-letter",
        Some(&pos),
        json!({"blue_number": numbers[0], "reason": "04",
               "lines": [{"line": 0, "amount": "-10.00", "tax": "-0.60"}]}),
    );
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["status"], "seller_entered_awaiting_buyer", "{f}");
    let form_id = f["id"].as_str().unwrap().to_string();
    // Huawei authorises a bank to receive its tax summary (issue 18): the chain secret and
    // the salts of the months it covers are Huawei's own (its package) and its node's.
    let chain_secret = std::fs::read_to_string(demo.dir.join("secrets/chain-secret")).unwrap();
    let chain_secret: [u8; 32] = hex::decode(chain_secret.trim()).unwrap().try_into().unwrap();
    secrets.insert("chain secret".into(), chain_secret.to_vec());
    let (s, g) = demo.post_json(
        "/v1/disclosures",
        Some(&huawei),
        json!({"uscc": HUAWEI, "chain_id": "fapiao-finance", "bank": "icbc-sz",
               "purpose": "loan", "fields": ["sales", "vat_paid", "on_time", "status"],
               "first_month": "2026-01", "last_month": "2026-10",
               "expires_ms": demo_now_ms() + 86_400_000}),
    );
    assert_eq!(s, 200, "{g}");
    let grant_id = g["id"].as_str().unwrap().to_string();
    let huawei_uscc: fapiao_types::Uscc = HUAWEI.parse().unwrap();
    for m in [202610, 202611, 202612] {
        let month = fapiao_types::Month::from_yyyymm(m).unwrap();
        for field in
            [fapiao_invoice_types::SummaryField::Sales, fapiao_invoice_types::SummaryField::OnTime]
        {
            let salt = fapiao_invoice_types::salt(&chain_secret, &huawei_uscc, field, Some(month));
            secrets.insert(format!("salt of {field} {m}"), salt.to_vec());
        }
    }
    let status = fapiao_invoice_types::SummaryField::Status;
    secrets.insert(
        "salt of the status".into(),
        fapiao_invoice_types::salt(&chain_secret, &huawei_uscc, status, None).to_vec(),
    );

    // Values for every path parameter.
    let height = demo.height();
    let mut values: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    values.insert("number", numbers.clone());
    values.insert("order_id", vec![order_id.clone()]);
    values.insert("id", vec![form_id.clone(), grant_id.clone()]);
    values.insert("uscc", vec![RESTAURANT.into(), HUAWEI.into()]);
    values.insert("account", vec![holder.clone()]);
    values.insert("hash", tx_hashes.clone());
    values.insert("month", vec!["2026-11".into(), "2026-12".into()]);
    // The other applications' path parameters: a certificate number beside the invoice
    // numbers, and the cow bank's village, report year and a cattle ear tag (its books are
    // public; the search is for invoice secrets in their answers).
    values.get_mut("number").unwrap().push("202600000001".into());
    values.insert("village", vec!["wutong-village".into()]);
    values.insert("year", vec!["2026".into()]);
    values.insert("tag", vec!["244030300000001".into()]);
    // The light client's registered chains (none in the demo: a 404) are other chains'
    // public headers.
    values.insert("chain_id", vec!["fapiao-tax".into()]);
    // The exchange's departments (their keys are public) and, for the alert, query and
    // consent routes, the `id` above (none of them: a 404).
    values.insert("org", vec!["sz-police".into(), "sz-customs".into()]);
    let mut hs: Vec<String> = heights.iter().map(u64::to_string).collect();
    hs.extend((1..=height.min(5)).map(|h| h.to_string()));
    hs.push(height.to_string());
    values.insert("height", hs);
    let mut keys = Vec::new();
    for n in &numbers {
        for k in ["invoice", "invoice-body", "invoice-circ", "red-totals"] {
            keys.push(format!("{k}/{n}"));
        }
    }
    keys.push(format!("order/{order_id}"));
    keys.push(format!("disclosure/{grant_id}"));
    keys.push(format!("tax-status/{HUAWEI}"));
    keys.push(format!("red-form/{form_id}"));
    for h in &tx_hashes {
        keys.push(format!("tx/{h}"));
    }
    values.insert("key", keys);
    // Query strings the routes take, filled with the same values.
    let date = invoice_date(&demo, &numbers[0]);
    let queries = |path: &str, n: &str| -> Vec<String> {
        match path {
            "/v1/verify" | "/verify" => vec![
                format!("?number={n}&date={date}&total=88.00"),
                format!("?number={n}"),
                String::new(),
            ],
            "/v1/invoices/{number}/proof" => {
                vec![String::new(), format!("?date={date}&total=88.00")]
            }
            "/v1/sync/blocks" => {
                vec![format!("?from=1&max=256"), format!("?from={}", height.saturating_sub(3))]
            }
            "/v1/orders/{order_id}" => vec![String::new(), format!("?code={code}")],
            _ => vec![String::new(), "?proof=true".into()],
        }
    };

    let doc: Value =
        demo.http.get(format!("{}/v1/openapi.json", demo.url)).send().unwrap().json().unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() > 40, "the route table");
    let stranger = token(&demo, "Metro finance");
    let mut calls = 0;
    let mut leaks = Vec::new();
    for (template, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            for url_path in expand(template, &values) {
                for query in queries(template, &numbers[0]) {
                    for who in [None, Some(stranger.as_str())] {
                        let url = format!("{}{url_path}{query}", demo.url);
                        let mut req = match method.as_str() {
                            "get" => demo.http.get(&url),
                            "post" => demo.http.post(&url).json(&json!({})),
                            other => panic!("unexpected method {other}"),
                        };
                        if let Some(t) = who {
                            req = req.bearer_auth(t);
                        }
                        let resp = req.send().unwrap();
                        let status = resp.status().as_u16();
                        let body = resp.bytes().unwrap();
                        calls += 1;
                        assert!(status < 500, "{method} {url_path}{query}: {status}");
                        for (what, secret) in &secrets {
                            if encodings(secret).iter().any(|e| contains(&body, e)) {
                                leaks.push(format!(
                                    "{method} {url_path}{query} ({}) → {what}",
                                    if who.is_some() { "stranger" } else { "anonymous" }
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{} of {calls} answers leak:\n{}", leaks.len(), leaks.join("\n"));
    // The parties themselves still read what is theirs (the search finds real data).
    let resp = demo
        .http
        .get(format!("{}/v1/invoices/{}", demo.url, numbers[0]))
        .bearer_auth(&li)
        .send()
        .unwrap();
    let body = resp.bytes().unwrap();
    let buyer = secrets.iter().find(|(k, _)| k.starts_with("buyer name of")).unwrap().1;
    assert!(contains(&body, buyer), "the holder sees the buyer name");
}

/// `template` with every combination of its parameters' values.
fn demo_now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

fn expand(template: &str, values: &BTreeMap<&str, Vec<String>>) -> Vec<String> {
    let mut out = vec![String::new()];
    for segment in template.split('/').skip(1) {
        let choices: Vec<String> = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
        {
            Some(name) => values
                .get(name.trim_start_matches('*'))
                .unwrap_or_else(|| panic!("no values for path parameter {name} of {template}"))
                .clone(),
            None => vec![segment.to_string()],
        };
        out = out
            .iter()
            .flat_map(|prefix| choices.iter().map(move |c| format!("{prefix}/{c}")))
            .collect();
    }
    out
}

/// The invoice's date, as its holder reads it.
fn invoice_date(demo: &Demo, number: &str) -> String {
    let li = token(demo, "Li Wei");
    let resp = demo
        .http
        .get(format!("{}/v1/invoices/{number}", demo.url))
        .bearer_auth(&li)
        .send()
        .unwrap();
    let v: Value = resp.json().unwrap();
    v["date"].as_str().unwrap().to_string()
}
