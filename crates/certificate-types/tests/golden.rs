//! Golden fixtures of the tax-certificate application: the canonical encodings of its
//! actions (inside a transaction) and records are frozen in `tests/fixtures/*.hex`
//! (docs/formats.md §20). A change here is a change of the chain format: update the
//! document, then regenerate with `FAPIAO_BLESS=1 cargo test -p fapiao-certificate-types`.
#![allow(clippy::inconsistent_digit_grouping)]

use commonware_codec::Encode;
use fapiao_certificate_types::*;
use fapiao_types::*;
use fapiao_values::{ChinaDate, Vin};

#[path = "../../types/tests/support/golden.rs"]
mod support;
use support::{check, sample_tx};

const CODECS: ActionCodecs = ActionCodecs(&[&CertificateBodies]);

fn date(s: &str) -> ChinaDate {
    ChinaDate::parse(s).unwrap()
}

/// The sample collection: a 1.6 L car bought 2024-05-06, 2025 as back tax (10 days late)
/// and 2026, collected 2026-01-10.
fn collection() -> RecordCollection {
    RecordCollection {
        policy_no: "PDAA202644030001000".into(),
        plate: "粤B8K2M6".into(),
        vin: Vin::parse("LSVAU2187N2123456").unwrap(),
        class: VehicleClass::Passenger,
        size: 1598,
        energy: Energy::Conventional,
        acquired: date("2024-05-06"),
        owner: AccountId([0x33; 32]),
        owner_name: "李伟".into(),
        owner_id_masked: "440305********1234".into(),
        owner_id_commitment: sha256(b"salt|440305199003071234"),
        tax_year: 2026,
        back_years: vec![2025],
        relief: Relief::None,
        lines: vec![
            TaxLine {
                year: 2025,
                months: 12,
                annual: 360_00,
                tax: 360_00,
                late_days: 10,
                late_fee: 1_80,
            },
            TaxLine {
                year: 2026,
                months: 12,
                annual: 360_00,
                tax: 360_00,
                late_days: 0,
                late_fee: 0,
            },
        ],
        total: 721_80,
    }
}

fn in_tx(action: CertificateAction) -> Vec<u8> {
    let tx = Tx { action: Action::from(action), ..sample_tx() };
    let bytes = tx.encode().to_vec();
    // Every fixture decodes back with the application's decoder, and only with it.
    assert_eq!(decode_exact::<Tx>(&bytes, &CODECS).unwrap(), tx);
    bytes
}

#[test]
fn action_encodings_are_frozen() {
    check("tx_record_collection", &in_tx(CertificateAction::RecordCollection(collection())));
    check(
        "tx_exchange_certificate",
        &in_tx(CertificateAction::ExchangeCertificate(CollectionRef { collection: [0xC1; 32] })),
    );
    check(
        "tx_record_refund",
        &in_tx(CertificateAction::RecordRefund(RecordRefund {
            collection: [0xC1; 32],
            event: RefundEvent::Stolen,
            event_date: date("2026-06-03"),
            months: 7,
            amount: 210_00,
        })),
    );
    check(
        "tx_submit_settlement",
        &in_tx(CertificateAction::SubmitSettlement(SubmitSettlement {
            collections: vec![[0xC1; 32], [0xC2; 32]],
            refunds: vec![[0xC3; 32]],
            collected: 1081_80,
            refunded: 210_00,
            net: 871_80,
        })),
    );
    check(
        "tx_confirm_settlement",
        &in_tx(CertificateAction::ConfirmSettlement(SettlementRef { settlement: [0x5E; 32] })),
    );
}

#[test]
fn record_encodings_are_frozen() {
    let refund = Refund {
        event: RefundEvent::Stolen,
        event_date: date("2026-06-03"),
        months: 7,
        amount: 210_00,
        recorded_on: date("2026-06-15"),
        settlement: None,
    };
    check(
        "collection_record",
        &CollectionRecord {
            collection: collection(),
            insurer: "pingan-insurance".into(),
            collector: AccountId([0x11; 32]),
            collected_on: date("2026-01-10"),
            height: 42,
            certificate: Some(2026_0000_0001),
            settlement: Some([0x5E; 32]),
            refund: Some(refund),
        }
        .encode(),
    );
    check(
        "certificate_public",
        &CertificatePublic {
            number: 2026_0000_0001,
            plate_tag: plate_tag(2026_0000_0001, "粤B8K2M6"),
            tax_year: 2026,
            owner_masked: "李* 440305********1234".into(),
            class: VehicleClass::Passenger,
            total: 721_80,
            relief: Relief::None,
            insurer: "pingan-insurance".into(),
            status: CertificateStatus::Refunded,
            refunded: 210_00,
            issued_on: date("2026-01-12"),
            collection: [0xC1; 32],
        }
        .encode(),
    );
    check(
        "settlement_record",
        &SettlementRecord {
            insurer: "pingan-insurance".into(),
            submitted_by: AccountId([0x11; 32]),
            submitted_on: date("2026-02-01"),
            collections: vec![[0xC1; 32], [0xC2; 32]],
            refunds: vec![],
            collected: 1081_80,
            refunded: 0,
            net: 1081_80,
            status: SettlementStatus::Confirmed,
            confirmed_by: Some(AccountId([0x55; 32])),
            confirmed_on: Some(date("2026-02-03")),
        }
        .encode(),
    );
}

/// Every key kind prints as its documented path and parses back; malformed paths fail.
#[test]
fn keys_print_and_parse_back() {
    let vin = Vin::parse("LSVAU2187N2123456").unwrap();
    let cases = [
        (CertificateKey::Collection([0xAB; 32]), format!("cert-collection/{}", "ab".repeat(32))),
        (CertificateKey::VehicleYear(vin, 2026), "cert-vehicle/LSVAU2187N2123456/2026".into()),
        (CertificateKey::Certificate(2026_0000_0001), "certificate/202600000001".into()),
        (CertificateKey::Serial(2026), "cert-serial/2026".into()),
        (CertificateKey::Settlement([0x01; 32]), format!("cert-settlement/{}", "01".repeat(32))),
    ];
    for (key, path) in cases {
        assert_eq!(key.to_string(), path);
        assert_eq!(CertificateKey::parse(&path).unwrap(), key);
        let state = StateKey::from(&key);
        assert_eq!(StateKey::parse(&path).unwrap(), state, "{path}");
        assert_eq!(CertificateKey::try_from(&state).unwrap(), key);
    }
    for bad in [
        "certificate/2026000000001",
        "certificate/202600000000",
        "certificate/199900000001",
        "cert-vehicle/LSVAU2180N2123456/2026",
        "cert-serial/26",
        "cert-collection/xyz",
        "invoice/26442000000000000001",
    ] {
        assert!(CertificateKey::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(CertificateKey::KINDS.len(), 5);
}

/// A plate tag binds number and plate: another plate or another number gives another tag.
#[test]
fn plate_tags_bind_number_and_plate() {
    let t = plate_tag(2026_0000_0001, "粤B8K2M6");
    assert_eq!(t, plate_tag(2026_0000_0001, " 粤B8K2M6 "), "surrounding blanks do not count");
    assert_ne!(t, plate_tag(2026_0000_0002, "粤B8K2M6"));
    assert_ne!(t, plate_tag(2026_0000_0001, "粤B8K2M7"));
    assert_eq!(certificate_number_text(2026_0000_0001), "202600000001");
    assert_eq!(parse_certificate_number("202600000001"), Some(2026_0000_0001));
}
