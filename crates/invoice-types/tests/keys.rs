//! The invoice application's state keys: every kind's path is frozen (the tree keys and
//! proofs of existing chains depend on it), parses back, and converts to and from the
//! platform's `StateKey` without change.

use fapiao_invoice_types::InvoiceKey;
use fapiao_types::{AppKey, StateKey};
use fapiao_values::{InvoiceNumber, Month, Uscc};

const USCC: &str = "91440300708461136T";
const NUMBER: &str = "26424000000104330311";

/// One key of every kind, with its path.
fn every_kind() -> Vec<(InvoiceKey, String)> {
    let u: Uscc = USCC.parse().unwrap();
    let n = InvoiceNumber::parse(NUMBER).unwrap();
    let m = Month::from_yyyymm(202603).unwrap();
    let h = [0xAB; 32];
    let hex = "ab".repeat(32);
    vec![
        (InvoiceKey::Taxpayer(u), format!("taxpayer/{USCC}")),
        (InvoiceKey::Credit(u), format!("credit/{USCC}")),
        (InvoiceKey::CreditRequest(h), format!("credit-request/{hex}")),
        (InvoiceKey::Invoice(n), format!("invoice/{NUMBER}")),
        (InvoiceKey::InvoiceBody(n), format!("invoice-body/{NUMBER}")),
        (InvoiceKey::InvoiceCirc(n), format!("invoice-circ/{NUMBER}")),
        (InvoiceKey::InvoiceSeq("26424".into()), "invoice-seq/26424".into()),
        (InvoiceKey::MonthTotals(u, m), format!("vat-month/{USCC}/202603")),
        (InvoiceKey::VatReturn(u, m), format!("vat-return/{USCC}/202603")),
        (InvoiceKey::Order(h), format!("order/{hex}")),
        (InvoiceKey::CatalogueItem(u, "beer.330".into()), format!("catalogue/{USCC}/beer.330")),
        (InvoiceKey::AutoIssue(u), format!("auto-issue/{USCC}")),
        (InvoiceKey::RedForm(h), format!("red-form/{hex}")),
        (InvoiceKey::RedTotals(n), format!("invoice-red/{NUMBER}")),
        (InvoiceKey::AcceptedPlatforms(u), format!("accepted-platforms/{USCC}")),
        (InvoiceKey::CreditAuto(u), format!("credit-auto/{USCC}")),
        (InvoiceKey::CreditAdjustment(h), format!("credit-adjustment/{hex}")),
        (InvoiceKey::Application(h), format!("application/{hex}")),
        (InvoiceKey::ApplicationByUscc(u), format!("application-uscc/{USCC}")),
    ]
}

#[test]
fn every_kind_has_its_frozen_path_and_round_trips() {
    let keys = every_kind();
    assert_eq!(keys.len(), InvoiceKey::KINDS.len());
    for (key, path) in keys {
        assert_eq!(key.to_string(), path);
        assert!(path.starts_with(&format!("{}/", key.kind())), "{path}");
        assert!(InvoiceKey::KINDS.contains(&key.kind()), "{path}");
        assert_eq!(InvoiceKey::parse(&path).unwrap(), key, "{path}");
        let state = StateKey::from(key.clone());
        assert_eq!(state.to_string(), path);
        assert_eq!(state.to_bytes(), path.as_bytes());
        assert_eq!(StateKey::parse(&path).unwrap(), state, "{path}");
        assert_eq!(InvoiceKey::try_from(&state).unwrap(), key, "{path}");
        let app = AppKey::parse(&path).unwrap();
        assert_eq!(app.kind(), key.kind());
        assert_eq!(InvoiceKey::try_from(&app).unwrap(), key, "{path}");
    }
}

#[test]
fn foreign_and_malformed_keys_are_refused_naming_key() {
    let bad = [
        "org/sz-tax".to_string(),
        "tx/".to_string() + &"ab".repeat(32),
        "cowbank/cow-1".into(),
        "invoice/abc".into(),
        "order/abc".into(),
        format!("catalogue/{USCC}"),
        format!("catalogue/{USCC}/.."),
        format!("vat-month/{USCC}/202613"),
        "invoice-seq/12a".into(),
        "taxpayer".into(),
    ];
    for path in bad {
        let e = InvoiceKey::parse(&path).unwrap_err();
        assert!(matches!(e, fapiao_types::Error::Invalid { field: "key", .. }), "{path}: {e}");
        if let Ok(state) = StateKey::parse(&path) {
            let e = InvoiceKey::try_from(&state).unwrap_err();
            assert!(matches!(e, fapiao_types::Error::Invalid { field: "key", .. }), "{path}: {e}");
        }
    }
}

#[test]
fn every_kind_is_a_well_formed_application_kind() {
    for kind in InvoiceKey::KINDS {
        assert!(fapiao_types::valid_key_kind(kind), "{kind}");
        assert!(!fapiao_types::PLATFORM_KINDS.contains(kind), "{kind}");
    }
}
