//! The state path → QMDB key mapping (ADR 0009 Decision 1) on real invoice numbers: frozen
//! bytes (`tests/fixtures/state_order_keys.hex`; regenerate with `FAPIAO_BLESS=1`), issuance
//! order within a series, distinct 8-byte orders for distinct invoices of a series, and an
//! injective mapping even where orders coincide.

use fapiao_types::state_order::{
    is_private, kind_order, order, path_of, private_commitment, qmdb_key, stored_value, HASHED_TAG,
    KIND_ORDERS, MAX_QMDB_KEY, MAX_STATE_PATH, ORDER_BYTES,
};
use fapiao_types::{sha256, AccountId, InvoiceNumber, KeyOrder, StateKey};
use std::collections::BTreeSet;

#[path = "support/golden.rs"]
#[allow(dead_code)] // only `check` is used here
mod support;

/// The numbers of DOMAIN.md's example series: `26` (2026), region `42`, channel `4`.
fn number(sequence: u64) -> InvoiceNumber {
    InvoiceNumber::new(26, 42, 4, sequence).unwrap()
}

#[test]
fn order_keys_of_real_paths_are_frozen() {
    let paths = [
        "invoice/26424000000104330311".to_string(),
        "invoice-body/26424000000104330311".into(),
        "invoice-circ/26424000000104330311".into(),
        "invoice-red/26424000000104330311".into(),
        "invoice/25110000000000000001".into(),
        "invoice/26424999999999999999".into(),
        "org/sz-tax".into(),
        StateKey::Account(AccountId([0xCD; 32])).to_string(),
        "params/invoice/max-lines".into(),
        "taxpayer/91440300MA5FXXXX0X".into(),
        "invoice-seq/26424".into(),
    ];
    let mut joined = Vec::new();
    for p in &paths {
        joined.extend_from_slice(&qmdb_key(p.as_bytes()));
        joined.push(b'\n');
    }
    support::check("state_order_keys", &joined);

    // The example number: sequence 104330311, region 42, year 26, channel 4.
    let n = InvoiceNumber::parse("26424000000104330311").unwrap();
    let bits: u64 = (104_330_311 << 16) | (42 << 9) | (26 << 4) | 4;
    let mut want = vec![0x01];
    want.extend_from_slice(&bits.to_be_bytes()[1..]);
    assert_eq!(order(format!("invoice/{n}").as_bytes()).to_vec(), want);
    // A hashed kind: its tag and the first seven bytes of SHA-256 of the path.
    let mut want = vec![HASHED_TAG];
    want.extend_from_slice(&sha256(b"org/sz-tax")[..7]);
    assert_eq!(order(b"org/sz-tax").to_vec(), want);
    assert_eq!(&qmdb_key(b"org/sz-tax")[ORDER_BYTES..], b"org/sz-tax");
}

#[test]
fn order_is_issuance_key_order_within_a_series_and_orders_differ() {
    for kind in ["invoice", "invoice-body", "invoice-circ", "invoice-red"] {
        let keys: Vec<Vec<u8>> = (1..=5_000u64)
            .chain([1 << 39, (1 << 40) - 1])
            .map(|s| qmdb_key(format!("{kind}/{}", number(s)).as_bytes()))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{kind}: not in issuance order");
        let orders: BTreeSet<&[u8]> = keys.iter().map(|k| &k[..ORDER_BYTES]).collect();
        assert_eq!(orders.len(), keys.len(), "{kind}: two invoices share an order");
    }
    // Series interleave by sequence: invoice 7 of every series sorts before invoice 8 of any,
    // and series differ in their order bytes.
    let mut orders = BTreeSet::new();
    for yy in [25, 26, 30] {
        for rr in [0, 11, 42, 99] {
            for channel in [0, 4, 9] {
                let a = InvoiceNumber::new(yy, rr, channel, 7).unwrap();
                let b = InvoiceNumber::new(yy, rr, channel, 8).unwrap();
                assert!(orders.insert(order(format!("invoice/{a}").as_bytes())));
                let top = order(format!("invoice/{}", number(7)).as_bytes());
                assert!(order(format!("invoice/{b}").as_bytes()) > top);
            }
        }
    }
}

#[test]
fn order_mapping_is_injective_even_where_orders_coincide() {
    // Sequences beyond 40 bits saturate, and 1957 shares 2025's year bits: the orders
    // coincide, the keys do not.
    let saturated = [number(1 << 40), number(999_999_999_999_999)];
    let a = order(format!("invoice/{}", saturated[0]).as_bytes());
    let b = order(format!("invoice/{}", saturated[1]).as_bytes());
    assert_eq!(a, b);
    let y25 = InvoiceNumber::new(25, 42, 4, 9).unwrap();
    let y57 = InvoiceNumber::new(57, 42, 4, 9).unwrap();
    assert_eq!(
        order(format!("invoice/{y25}").as_bytes()),
        order(format!("invoice/{y57}").as_bytes())
    );

    let mut paths: Vec<String> = saturated.iter().map(|n| format!("invoice/{n}")).collect();
    paths.extend([format!("invoice/{y25}"), format!("invoice/{y57}")]);
    for i in 0..2_000u64 {
        paths.push(format!("invoice/{}", number(i)));
        paths.push(format!("invoice-circ/{}", number(i)));
        paths.push(format!("org/org-{i}"));
        paths.push(format!("taxpayer/{i:018}"));
        paths.push(format!("invoice/{i}")); // not a number: hashed
    }
    let keys: BTreeSet<Vec<u8>> = paths.iter().map(|p| qmdb_key(p.as_bytes())).collect();
    let distinct: BTreeSet<&String> = paths.iter().collect();
    assert_eq!(keys.len(), distinct.len(), "two paths share a key");
    for k in &keys {
        let path = path_of(k).unwrap();
        assert_eq!(qmdb_key(path), *k, "the key gives its path back");
    }
}

#[test]
fn order_private_kinds_store_a_commitment_and_the_longest_key_fits_the_bound() {
    let circ = format!("invoice-circ/{}", number(1));
    let record = b"holder: account 42, booked at 17".to_vec();
    assert!(is_private(circ.as_bytes()));
    let stored = stored_value(circ.as_bytes(), &record);
    assert_eq!(stored, private_commitment(circ.as_bytes(), &record).to_vec());
    assert_ne!(stored_value(format!("invoice-body/{}", number(1)).as_bytes(), &record), record);
    // The path is bound: the same record under another number commits differently.
    let other = format!("invoice-circ/{}", number(2));
    assert_ne!(stored_value(other.as_bytes(), &record), stored);
    let public = format!("invoice/{}", number(1));
    assert!(!is_private(public.as_bytes()));
    assert_eq!(stored_value(public.as_bytes(), &record), record);
    for (kind, layout) in KIND_ORDERS {
        assert_eq!(kind_order(kind), *layout);
        assert!(matches!(layout.order, KeyOrder::InvoiceNumber { .. }));
    }
    assert_eq!(qmdb_key(&[b'a'; MAX_STATE_PATH]).len(), MAX_QMDB_KEY);
}
