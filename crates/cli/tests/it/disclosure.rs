//! Issue 18, the tax chain's side on a running demo node (real consensus, real
//! certificates): Huawei authorises a bank; its package's claims all verify against one
//! header that the demo's validator certified, every opening opens the proven
//! commitment, and the summary's clear values are the ones opened.

use crate::harness::Demo;
use crate::proofs::{fetch_bundle, get_auth};
use fapiao_invoice_types::{DisclosurePackage, SummaryField, SummaryMonth, SummaryStatus};
use fapiao_types::{decode_exact, Genesis, Header, StateKey, Uscc};
use serde_json::json;

const HUAWEI: &str = "914403001922038216";

#[test]
fn a_disclosure_package_from_a_demo_node_verifies_against_a_certified_header_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(tmp.path());
    let huawei = demo.identity("Huawei finance office")["token"].as_str().unwrap().to_string();
    let now = crate::procs::now_ms();
    let (s, g) = demo.post_json(
        "/v1/disclosures",
        Some(&huawei),
        json!({"uscc": HUAWEI, "chain_id": "fapiao-finance", "bank": "icbc-sz",
               "purpose": "working-capital loan", "fields": ["sales", "vat_paid", "on_time", "status"],
               "first_month": "2026-01", "last_month": "2026-10",
               "expires_ms": now + 30 * 86_400_000}),
    );
    assert_eq!(s, 200, "{g}");
    let id = g["id"].as_str().unwrap();
    let package: DisclosurePackage = serde_json::from_value(fetch_bundle(
        &demo,
        &format!("/v1/disclosures/{id}/package"),
        Some(&huawei),
    ))
    .unwrap();
    assert_eq!(package.records.len(), 10 + 1, "ten months and the status");
    // The header and its finality blob as anyone reads them, checked against the genesis.
    let genesis =
        Genesis::from_json(&std::fs::read_to_string(demo.dir.join("genesis.json")).unwrap())
            .unwrap();
    let height = package.grant.height;
    let block: serde_json::Value =
        get_auth(&demo, &format!("/v1/blocks/{height}"), None).json().unwrap();
    let header: Header =
        decode_exact(&hex::decode(block["header_hex"].as_str().unwrap()).unwrap(), &()).unwrap();
    let blob = hex::decode(block["certificate_hex"].as_str().unwrap()).unwrap();
    let validators: Vec<[u8; 32]> = genesis
        .validators
        .iter()
        .map(|v| hex::decode(&v.public_key).unwrap().try_into().unwrap())
        .collect();
    fapiao_verify::verify_certified_by(&validators, &header, &blob).expect("certified");
    let mut all = vec![package.grant.clone()];
    all.extend(package.records.iter().cloned());
    for claim in &all {
        assert_eq!((claim.chain_id.as_str(), claim.height), (genesis.chain_id.as_str(), height));
        let value = claim.value.as_ref().map(|v| hex::decode(v).unwrap());
        let key = StateKey::parse(&claim.key).unwrap().to_bytes();
        let proof = hex::decode(&claim.proof).unwrap();
        fapiao_verify::verify_state_proof(&header.state_root, &key, value.as_deref(), &proof)
            .unwrap_or_else(|e| panic!("{}: {e}", claim.key));
    }
    // Every opening opens its proven commitment.
    let uscc: Uscc = HUAWEI.parse().unwrap();
    let status: SummaryStatus =
        decode_exact(&hex::decode(all.last().unwrap().value.as_ref().unwrap()).unwrap(), &())
            .unwrap();
    for o in &package.openings {
        let c = match o.month {
            None => status.status,
            Some(m) => {
                let claim = all
                    .iter()
                    .find(|c| c.key == format!("tax-summary/{HUAWEI}/{m}"))
                    .expect("a proven record");
                let rec: SummaryMonth =
                    decode_exact(&hex::decode(claim.value.as_ref().unwrap()).unwrap(), &())
                        .unwrap();
                match o.field {
                    SummaryField::Sales => rec.sales,
                    SummaryField::VatPaid => rec.vat_paid,
                    _ => rec.on_time,
                }
            }
        };
        assert_eq!(o.opens(&uscc, &c).ok(), Some(true), "{o:?}");
    }
    assert!(package
        .openings
        .iter()
        .any(|o| o.field == SummaryField::Status && o.value == "active"));
}
