//! Trust no server: a proof bundle fetched from a demo node verifies with the node
//! stopped, and every tamper fails with the matching check; the signed QR payload, the
//! PDF (text extractable, QR decodable) and the public verification page.

use crate::harness::Demo;
use fapiao_types::Genesis;
use fapiao_verify::{verify_bundle, ProofBundle};
use serde_json::{json, Value};
use std::{
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

const RESTAURANT: &str = "91440300555012347H";

pub(crate) fn get_auth(
    demo: &Demo,
    path: &str,
    token: Option<&str>,
) -> reqwest::blocking::Response {
    let mut req = demo.http.get(format!("{}{path}", demo.url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().unwrap()
}

/// The bundle, retried while the latest change awaits a certified header.
pub(crate) fn fetch_bundle(demo: &Demo, path: &str, token: Option<&str>) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = get_auth(demo, path, token);
        let s = r.status().as_u16();
        if s == 200 {
            return r.json().unwrap();
        }
        assert_eq!(s, 503, "{}", r.text().unwrap_or_default());
        assert!(Instant::now() < deadline, "no certified bundle within 30 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

pub(crate) fn fapiao_verify(genesis: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
        .args(["verify", "--genesis"])
        .arg(genesis)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    match out.status.code() {
        Some(0) => (true, text),
        Some(1) => (false, text),
        other => panic!("fapiao verify exited {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

fn check_of(genesis: &Genesis, bundle: &ProofBundle) -> &'static str {
    match verify_bundle(genesis, bundle) {
        Ok(_) => "ok",
        Err(e) => e.check(),
    }
}

pub(crate) fn flip_hex(h: &str, byte: usize) -> String {
    let mut b = hex::decode(h).unwrap();
    b[byte] ^= 0x01;
    hex::encode(b)
}

/// Every tamper of `bundle` fails, each with the check it concerns.
fn every_tamper_fails(genesis: &Genesis, bundle: &ProofBundle) {
    assert_eq!(check_of(genesis, bundle), "ok");
    // Any byte of any record: a state record's proof fails (invoice, circulation); the body,
    // kept beside the state, no longer matches the public record's commitment.
    for (i, e) in bundle.entries.iter().enumerate() {
        let Some(v) = &e.value_hex else { continue };
        let in_state = fapiao_types::state_order::in_state(e.key.as_bytes());
        let (value_check, absent_check) =
            if in_state { ("proof", "proof") } else { ("record", "bundle") };
        for byte in 0..v.len() / 2 {
            let mut b = bundle.clone();
            b.entries[i].value_hex = Some(flip_hex(v, byte));
            assert_eq!(check_of(genesis, &b), value_check, "{} byte {byte}", e.key);
        }
        // Any byte of its proof.
        for byte in 0..e.proof_hex.len() / 2 {
            let mut b = bundle.clone();
            b.entries[i].proof_hex = flip_hex(&e.proof_hex, byte);
            assert_ne!(check_of(genesis, &b), "ok", "{} proof byte {byte}", e.key);
        }
        // The record proven absent, or under another key.
        let mut b = bundle.clone();
        b.entries[i].value_hex = None;
        assert_eq!(check_of(genesis, &b), absent_check, "{} claimed absent", e.key);
    }
    // Any byte of the header: another digest than the certificate's (or undecodable).
    for byte in 0..bundle.header_hex.len() / 2 {
        let mut b = bundle.clone();
        b.header_hex = flip_hex(&bundle.header_hex, byte);
        let c = check_of(genesis, &b);
        assert!(
            ["header", "header.chain_id", "certificate.digest"].contains(&c),
            "header byte {byte}: {c}"
        );
    }
    // The certificate: each signature byte, the certified digest, a truncation.
    let cert = hex::decode(&bundle.certificate_hex).unwrap();
    for byte in cert.len() - 64..cert.len() {
        let mut b = bundle.clone();
        b.certificate_hex = flip_hex(&bundle.certificate_hex, byte);
        assert_eq!(check_of(genesis, &b), "certificate.signature", "signature byte {byte}");
    }
    for byte in 8..40 {
        let mut b = bundle.clone();
        b.certificate_hex = flip_hex(&bundle.certificate_hex, byte);
        assert_eq!(check_of(genesis, &b), "certificate.digest", "certified digest byte {byte}");
    }
    for byte in 40..cert.len() {
        let mut b = bundle.clone();
        b.certificate_hex = flip_hex(&bundle.certificate_hex, byte);
        assert!(check_of(genesis, &b).starts_with("certificate."), "certificate byte {byte}");
    }
    let mut b = bundle.clone();
    b.certificate_hex = hex::encode(&cert[..cert.len() - 1]);
    assert!(check_of(genesis, &b).starts_with("certificate."));
    // A validator key in the genesis.
    let mut g = genesis.clone();
    let mut key = hex::decode(&g.validators[0].public_key).unwrap();
    key[7] ^= 1;
    g.validators[0].public_key = hex::encode(&key);
    let c = check_of(&g, bundle);
    assert!(["certificate.signature", "genesis"].contains(&c), "changed genesis key: {c}");
    // Another chain.
    let mut g = genesis.clone();
    g.chain_id.push('x');
    assert_eq!(check_of(&g, bundle), "header.chain_id");
    // Entries that do not belong.
    let mut b = bundle.clone();
    b.number = "26442000000000999999".into();
    assert_eq!(check_of(genesis, &b), "bundle");
    let mut b = bundle.clone();
    b.entries.retain(|e| !e.key.starts_with("invoice/"));
    assert_eq!(check_of(genesis, &b), "bundle");
    let mut b = bundle.clone();
    b.format = "fapiao-invoice-proof/0".into();
    assert_eq!(check_of(genesis, &b), "bundle");
}

#[test]
fn invoice_proofs_qr_pdf_and_verify_page_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let mut demo = Demo::start(tmp.path());
    let genesis_path = tmp.path().join("genesis.json");
    let genesis = demo.genesis();
    let pos = demo.identity("Restaurant POS")["token"].as_str().unwrap().to_string();
    let li_wei = demo.identity("Li Wei");
    let li = li_wei["token"].as_str().unwrap().to_string();
    let holder = li_wei["account"].as_str().unwrap().to_string();
    let metro = demo.identity("Metro finance")["token"].as_str().unwrap().to_string();
    let (s, r) = demo.post_json(
        "/v1/invoices",
        Some(&pos),
        json!({
            "seller": RESTAURANT,
            "kind": "special",
            "buyer": {"name": "华为技术有限公司", "tax_id": "914403001922038216", "holder": holder},
            "lines": [
                {"name": "*餐饮服务*餐费", "tax_code": "3070401000000000000", "gross": "66.00", "rate": "0.06"},
                {"name": "*家具*办公椅", "tax_code": "1050201990000000000", "quantity": "3", "unit_price": "120.00", "rate": "0.13"}
            ],
            "remarks": "团队午餐"
        }),
    );
    assert_eq!(s, 200, "{r}");
    let number = r["invoice"]["number"].as_str().unwrap().to_string();
    let date = r["invoice"]["date"].as_str().unwrap().to_string();

    // --- bundles: the party's full one, the public one, none for strangers ---
    let proof_path = format!("/v1/invoices/{number}/proof");
    let full: ProofBundle =
        serde_json::from_value(fetch_bundle(&demo, &proof_path, Some(&li))).unwrap();
    assert_eq!(full.entries.len(), 3, "public record, body and circulation");
    assert_eq!(get_auth(&demo, &proof_path, Some(&metro)).status().as_u16(), 404);
    assert_eq!(get_auth(&demo, &proof_path, None).status().as_u16(), 404);
    let wrong = format!("{proof_path}?date={date}&total=472.81");
    assert_eq!(get_auth(&demo, &wrong, None).status().as_u16(), 404);
    let public: ProofBundle = serde_json::from_value(fetch_bundle(
        &demo,
        &format!("{proof_path}?date={date}&total=472.80"),
        None,
    ))
    .unwrap();
    assert_eq!(public.entries.len(), 1, "only the public record");

    // --- the QR payload, the PDF and the page, while the node runs ---
    let r = get_auth(&demo, &format!("/v1/invoices/{number}/qr"), Some(&li));
    assert_eq!(r.status().as_u16(), 200);
    let qr: Value = r.json().unwrap();
    let payload = qr["payload"].as_str().unwrap().to_string();
    assert!(qr["url"].as_str().unwrap().ends_with(&format!("/verify?qr={payload}")));
    assert_eq!(get_auth(&demo, &format!("/v1/invoices/{number}/qr"), Some(&metro)).status(), 404);

    let r = get_auth(&demo, &format!("/v1/invoices/{number}/pdf"), Some(&li));
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().unwrap().to_vec();
    assert!(pdf.starts_with(b"%PDF"));
    let pdf_path = tmp.path().join("invoice.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let r = get_auth(&demo, &format!("/v1/invoices/{number}/print"), Some(&li));
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().unwrap();
    assert!(html.contains(&number) && html.contains("肆佰柒拾贰圆捌角整"), "print page");

    let (s, _, page) = demo.get_text(&format!("/verify?qr={payload}"));
    assert_eq!(s, 200);
    assert!(page.contains("发票真实有效") && page.contains("472.80"), "{page}");
    let (_, _, page) =
        demo.get_text(&format!("/verify?number={number}&date={date}&total=472.80&lang=en"));
    assert!(page.contains("Genuine invoice"), "{page}");
    let (_, _, page) = demo.get_text(&format!("/verify?number={number}&date={date}&total=1.00"));
    assert!(page.contains("查无此票"), "{page}");
    let other_number =
        format!("{}{}", &number[..19], if number.ends_with('0') { '1' } else { '0' });
    let forged = payload.replacen(&number, &other_number, 1);
    let (_, _, page) = demo.get_text(&format!("/verify?qr={forged}"));
    assert!(page.contains("二维码无效") || page.contains("查无此票"), "{page}");

    // --- a bundle certified through a descendant: header h proven, h+1 certified ---
    let header: fapiao_types::Header =
        fapiao_types::decode_exact(&hex::decode(&full.header_hex).unwrap(), &()).unwrap();
    let h = header.height;
    demo.wait_height(h + 2, Duration::from_secs(30));
    let next = demo.get(&format!("/v1/blocks/{}", h + 1)).1;
    let after = demo.get(&format!("/v1/blocks/{}", h + 2)).1;
    let mut via = full.clone();
    via.descendants_hex = vec![next["header_hex"].as_str().unwrap().to_string()];
    via.certificate_hex = next["certificate_hex"].as_str().unwrap().to_string();

    // --- everything below with the node stopped ---
    demo.kill();
    assert_eq!(check_of(&genesis, &via), "ok", "certified through its child");
    let mut gap = via.clone();
    gap.descendants_hex = vec![after["header_hex"].as_str().unwrap().to_string()];
    gap.certificate_hex = after["certificate_hex"].as_str().unwrap().to_string();
    assert_eq!(check_of(&genesis, &gap), "header", "a skipped header breaks the chain");
    let mut wrong_cert = via.clone();
    wrong_cert.certificate_hex = full.certificate_hex.clone();
    assert_eq!(check_of(&genesis, &wrong_cert), "certificate.digest");
    let bundle_path = tmp.path().join("bundle.json");
    std::fs::write(&bundle_path, serde_json::to_string_pretty(&full).unwrap()).unwrap();
    let (ok, out) = fapiao_verify(&genesis_path, &[bundle_path.to_str().unwrap()]);
    assert!(ok, "{out}");
    for want in [&number[..], RESTAURANT, "¥472.80", "肆佰柒拾贰圆捌角整", "issued", "quorum 1"]
    {
        assert!(out.contains(want), "{want} missing from:\n{out}");
    }
    let public_path = tmp.path().join("public.json");
    std::fs::write(&public_path, serde_json::to_string(&public).unwrap()).unwrap();
    let (ok, out) = fapiao_verify(&genesis_path, &[public_path.to_str().unwrap(), "--json"]);
    assert!(ok, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["number"].as_str(), v["body_verified"].as_bool()),
        (Some(&number[..]), Some(false))
    );

    every_tamper_fails(&genesis, &full);
    every_tamper_fails(&genesis, &public);
    // Through the command: the failed check is named and the exit code is 1.
    let mut b = full.clone();
    b.entries[0].value_hex = Some(flip_hex(b.entries[0].value_hex.as_ref().unwrap(), 3));
    std::fs::write(&bundle_path, serde_json::to_string(&b).unwrap()).unwrap();
    let (ok, out) = fapiao_verify(&genesis_path, &[bundle_path.to_str().unwrap()]);
    assert!(!ok && out.starts_with("FAILED (proof)"), "{out}");

    // QR: verifies offline; a changed digit anywhere is refused.
    let (ok, out) = fapiao_verify(&genesis_path, &["--qr", &payload]);
    assert!(ok, "{out}");
    assert!(out.contains(&number) && out.contains("¥472.80"), "{out}");
    for (i, c) in payload.char_indices().filter(|(_, c)| c.is_ascii_digit()) {
        let d = if c == '9' { '0' } else { (c as u8 + 1) as char };
        let mut changed = payload.clone();
        changed.replace_range(i..i + 1, &d.to_string());
        let p = fapiao_verify::QrPayload::parse(&changed).and_then(|p| p.verify(&genesis));
        assert!(p.is_err(), "digit {i} changed and still verified");
    }

    // PDF: text extractable, QR decodable to a payload `fapiao verify --qr` accepts.
    if std::env::var("FAPIAO_SKIP_PDF_TOOLS").is_ok_and(|v| v == "1") {
        return;
    }
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf_path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/run");
    let text = String::from_utf8_lossy(&text.stdout);
    for want in [&number[..], "472.80", "肆佰柒拾贰圆捌角整", "华为技术有限公司", RESTAURANT]
    {
        assert!(text.contains(want), "{want} missing from the PDF text:\n{text}");
    }
    let scanned = scan_qr(&pdf_path, tmp.path());
    assert!(scanned.contains(&format!("/verify?qr={payload}")), "scanned {scanned:?}");
    let (ok, out) = fapiao_verify(&genesis_path, &["--qr", &scanned]);
    assert!(ok, "{out}");
}

/// The QR code of the first page of `pdf`, as a phone would read it: rendered with
/// `pdftoppm` into `dir` and decoded with `zbarimg`.
pub(crate) fn scan_qr(pdf: &Path, dir: &Path) -> String {
    let png = dir.join("page");
    let st = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(st.success());
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.join("page.png"))
        .output()
        .expect("zbarimg (zbar-tools) is installed by .ci/run");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
