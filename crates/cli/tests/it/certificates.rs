//! Trust no server, for tax-payment certificates: on a demo node, Li Wei's insurer invoiced
//! his collection with the vehicle-tax block, his certificate
//! prints as a PDF whose text and QR code say what it certifies, the public check needs
//! the right plate, and its proof bundle verifies with the node stopped — every tampered
//! byte failing the check it concerns, and `fapiao verify --plate` agreeing.

use crate::harness::Demo;
use crate::proofs::{fapiao_verify, fetch_bundle, flip_hex, get_auth, scan_qr};
use fapiao_types::Genesis;
use fapiao_verify::{verify_certificate_bundle, ProofBundle};
use serde_json::Value;
use std::process::Command;

fn check_of(genesis: &Genesis, bundle: &ProofBundle, plate: Option<&str>) -> &'static str {
    match verify_certificate_bundle(genesis, bundle, plate) {
        Ok(_) => "ok",
        Err(e) => e.check(),
    }
}

/// Every byte of the record, its proof, the header and the certificate, and every field
/// that names what is proven.
fn every_tamper_fails(genesis: &Genesis, bundle: &ProofBundle, plate: &str) {
    assert_eq!(check_of(genesis, bundle, Some(plate)), "ok");
    let e = &bundle.entries[0];
    let value = e.value_hex.as_deref().unwrap();
    for byte in 0..value.len() / 2 {
        let mut b = bundle.clone();
        b.entries[0].value_hex = Some(flip_hex(value, byte));
        assert_eq!(check_of(genesis, &b, None), "proof", "record byte {byte}");
    }
    for byte in 0..e.proof_hex.len() / 2 {
        let mut b = bundle.clone();
        b.entries[0].proof_hex = flip_hex(&e.proof_hex, byte);
        assert_ne!(check_of(genesis, &b, None), "ok", "proof byte {byte}");
    }
    let mut b = bundle.clone();
    b.entries[0].value_hex = None;
    assert_ne!(check_of(genesis, &b, None), "ok", "claimed absent");
    for byte in 0..bundle.header_hex.len() / 2 {
        let mut b = bundle.clone();
        b.header_hex = flip_hex(&bundle.header_hex, byte);
        let c = check_of(genesis, &b, None);
        assert!(
            ["header", "header.chain_id", "certificate.digest"].contains(&c),
            "header byte {byte}: {c}"
        );
    }
    let cert = hex::decode(&bundle.certificate_hex).unwrap();
    for byte in 0..cert.len() {
        let mut b = bundle.clone();
        b.certificate_hex = flip_hex(&bundle.certificate_hex, byte);
        assert!(check_of(genesis, &b, None).starts_with("certificate."), "certificate byte {byte}");
    }
    let mut g = genesis.clone();
    g.chain_id.push('x');
    assert_eq!(check_of(&g, bundle, None), "header.chain_id");
    // What the bundle claims to be about.
    let mut b = bundle.clone();
    let n: u64 = bundle.number.parse().unwrap();
    b.number = format!("{:012}", n + 1);
    assert_eq!(check_of(genesis, &b, None), "bundle", "another number");
    let mut b = bundle.clone();
    b.format = "fapiao-invoice-proof/1".into();
    assert_eq!(check_of(genesis, &b, None), "bundle", "another format");
    let mut b = bundle.clone();
    b.entries.push(b.entries[0].clone());
    assert_eq!(check_of(genesis, &b, None), "bundle", "two entries");
    // Another vehicle's plate.
    assert_eq!(check_of(genesis, bundle, Some("粤B00000")), "record");
}

#[test]
fn certificate_pdf_check_and_offline_proof_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let mut demo = Demo::start(tmp.path());
    let genesis_path = tmp.path().join("genesis.json");
    let genesis = demo.genesis();
    let li = demo.identity("Li Wei")["token"].as_str().unwrap().to_string();
    let metro = demo.identity("Metro finance")["token"].as_str().unwrap().to_string();

    // Li Wei's certificates, from his wallet.
    let r = get_auth(&demo, "/v1/wallet/certificates", Some(&li));
    assert_eq!(r.status().as_u16(), 200);
    let wallet: Vec<Value> = r.json().unwrap();
    let held = wallet
        .iter()
        .find(|c| c["plate"] == "粤B8K2M6" && c["certificate"].is_object())
        .unwrap_or_else(|| panic!("the demo exchanged Li Wei's 1.5 L car: {wallet:?}"));
    let number = held["certificate"]["number"].as_str().unwrap().to_string();
    let plate = "粤B8K2M6";

    // The insurer's invoice for the policy, in the same wallet, carries the vehicle-tax
    // block with the collection's figures.
    let r = get_auth(&demo, "/v1/wallet", Some(&li));
    let invoices: Vec<Value> = r.json().unwrap();
    let invoice = invoices
        .iter()
        .find(|i| i["industry"]["type"] == "vehicle_vessel_tax" && i["industry"]["plate"] == plate)
        .unwrap_or_else(|| panic!("no vehicle-tax invoice for {plate} in Li Wei's wallet"));
    let block = &invoice["industry"];
    assert_eq!(block["policy_no"], held["policy_no"]);
    assert_eq!(block["vin"], held["vin"]);
    assert_eq!(block["total"], held["total"]);
    assert_eq!(invoice["total_with_tax"], held["total"]);
    assert_eq!(invoice["seller"]["name"], "中国平安财产保险深圳分公司");

    // The public check needs the plate.
    let (s, v) = demo.get(&format!("/v1/certificates/{number}/check?plate=%E7%B2%A4B8K2M6"));
    assert_eq!((s, v["genuine"].as_bool()), (200, Some(true)), "{v}");
    let (s, v) = demo.get(&format!("/v1/certificates/{number}/check?plate=%E7%B2%A4B00000"));
    assert_eq!((s, v["genuine"].as_bool()), (200, Some(false)), "{v}");

    // The PDF: the owner's, not a stranger's.
    let pdf_path = format!("/v1/certificates/{number}/pdf");
    assert_eq!(get_auth(&demo, &pdf_path, Some(&metro)).status().as_u16(), 404);
    let r = get_auth(&demo, &pdf_path, Some(&li));
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().unwrap().to_vec();
    let pdf_file = tmp.path().join("certificate.pdf");
    std::fs::write(&pdf_file, &pdf).unwrap();

    // The bundle, then everything with the node stopped.
    let bundle: ProofBundle = serde_json::from_value(fetch_bundle(
        &demo,
        &format!("/v1/certificates/{number}/proof"),
        None,
    ))
    .unwrap();
    demo.kill();
    every_tamper_fails(&genesis, &bundle, plate);
    let bundle_file = tmp.path().join("certificate.json");
    std::fs::write(&bundle_file, serde_json::to_string(&bundle).unwrap()).unwrap();
    let file = bundle_file.to_str().unwrap();
    let (ok, out) = fapiao_verify(&genesis_path, &["--plate", plate, file]);
    assert!(ok, "{out}");
    for want in [&number[..], "plate matches", "李*", "pingan-insurance"] {
        assert!(out.contains(want), "{want} missing from:\n{out}");
    }
    let (ok, out) = fapiao_verify(&genesis_path, &["--plate", "粤B00000", file]);
    assert!(!ok && out.contains("FAILED (record)"), "{out}");

    if std::env::var("FAPIAO_SKIP_PDF_TOOLS").is_ok_and(|v| v == "1") {
        return;
    }
    let text = Command::new("pdftotext")
        .arg(&pdf_file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/run");
    let text = String::from_utf8_lossy(&text.stdout);
    for want in ["中华人民共和国税收完税证明", &number[..], plate, "李*"] {
        assert!(text.contains(want), "{want} missing from the PDF text:\n{text}");
    }
    let scanned = scan_qr(&pdf_file, tmp.path());
    assert!(scanned.contains(&number), "the QR code names the certificate: {scanned:?}");
}
