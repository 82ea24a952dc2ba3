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
        (InvoiceKey::SummaryMonth(u, m), format!("tax-summary/{USCC}/202603")),
        (InvoiceKey::SummaryStatus(u), format!("tax-status/{USCC}")),
        (InvoiceKey::Disclosure(h), format!("disclosure/{hex}")),
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

/// The frozen key bytes (moved from fapiao-types with their fixtures, bytes unchanged).
/// There is no blessing here: a change of these bytes is a change of the chain format.
fn check(name: &str, bytes: &[u8]) {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.hex"));
    let want =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing fixture {path:?}"));
    assert_eq!(want.trim(), hex(bytes), "encoding of {name} changed");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn order_keys_are_frozen() {
    let keys = [
        InvoiceKey::Order([0xAB; 32]),
        InvoiceKey::CatalogueItem(
            "91440300708461136T".parse().unwrap(),
            "beer.330".parse().unwrap(),
        ),
        InvoiceKey::AutoIssue("91440300708461136T".parse().unwrap()),
    ];
    let joined: Vec<u8> = keys
        .iter()
        .flat_map(|k| {
            let mut b = StateKey::from(k).to_bytes();
            b.push(b'\n');
            b
        })
        .collect();
    check("state_keys_orders", &joined);
    for k in &keys {
        let state = StateKey::parse(&k.to_string()).unwrap();
        assert_eq!(&InvoiceKey::try_from(&state).unwrap(), k);
    }
    for bad in [
        "order/abc",
        "catalogue/91440300708461136T",
        "catalogue/91440300708461136T/..",
        "catalogue/91440300708461136T/a b",
        "catalogue/91440300708461136T/a/b",
        &format!("catalogue/91440300708461136T/{}", "a".repeat(65)),
        "auto-issue/lower",
    ] {
        assert!(InvoiceKey::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn accepted_platforms_and_application_keys_are_frozen() {
    let key = InvoiceKey::AcceptedPlatforms("91440300555012347H".parse().unwrap());
    check("state_key_accepted_platforms", &StateKey::from(&key).to_bytes());
    assert_eq!(key.to_string(), "accepted-platforms/91440300555012347H");
    assert_eq!(InvoiceKey::parse(&key.to_string()).unwrap(), key);
    for bad in ["accepted-platforms/", "accepted-platforms/abc", "accepted-platforms/A/B"] {
        assert!(InvoiceKey::parse(bad).is_err(), "{bad}");
    }
    let key = InvoiceKey::Application([0x6A; 32]);
    assert_eq!(InvoiceKey::parse(&key.to_string()).unwrap(), key);
    let by = InvoiceKey::ApplicationByUscc("91350100M000100Y43".parse().unwrap());
    assert_eq!(by.to_string(), "application-uscc/91350100M000100Y43");
}
