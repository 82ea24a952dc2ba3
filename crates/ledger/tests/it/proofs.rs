//! State proofs verify against the header root, and fail when any byte changes.

use crate::common::*;
use fapiao_ledger::{verify_state_proof, Ledger, MemStore};
use fapiao_types::*;

#[test]
fn proofs_of_presence_and_absence_verify_and_resist_tampering() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let m = key(70, Suite::Ed25519);
    run(&l, vec![add(&o.tax_admin, 1, &m, vec![Role::TaxOfficer])]);
    run(&l, vec![]); // a later header commits to the state after block 1
    let key = StateKey::Account(m.account_id());
    let p = l.prove(&key).unwrap();
    assert_eq!(p.header.state_height, 1);
    let value = p.value.clone().expect("present");
    let root = p.header.state_root;
    verify_state_proof(&root, &p.key, Some(&value), &p.proof).unwrap();

    for i in 0..value.len() {
        let mut v = value.clone();
        v[i] ^= 1;
        assert!(verify_state_proof(&root, &p.key, Some(&v), &p.proof).is_err(), "value byte {i}");
    }
    for i in 0..p.key.len() {
        let mut k = p.key.clone();
        k[i] ^= 1;
        assert!(verify_state_proof(&root, &k, Some(&value), &p.proof).is_err(), "key byte {i}");
    }
    for i in 0..p.proof.len() {
        let mut pr = p.proof.clone();
        pr[i] ^= 0x40;
        assert!(verify_state_proof(&root, &p.key, Some(&value), &pr).is_err(), "proof byte {i}");
    }
    let mut r = root;
    r[3] ^= 1;
    assert!(verify_state_proof(&r, &p.key, Some(&value), &p.proof).is_err());
    assert!(verify_state_proof(&root, &p.key, None, &p.proof).is_err());

    // Absence of an unknown account.
    let absent = StateKey::Account(key_of(71));
    let p = l.prove(&absent).unwrap();
    assert!(p.value.is_none());
    verify_state_proof(&p.header.state_root, &p.key, None, &p.proof).unwrap();
    assert!(verify_state_proof(&p.header.state_root, &p.key, Some(b"x"), &p.proof).is_err());
}

fn key_of(seed: u8) -> AccountId {
    crate::common::key(seed, Suite::Ed25519).account_id()
}

/// Regression: a block that writes after blocks that wrote nothing must build on the
/// latest tree, not on an empty one — keys written long before stay provable.
#[test]
fn keys_stay_in_the_tree_across_empty_blocks() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let (a, b) = (key(71, Suite::Ed25519), key(72, Suite::Ed25519));
    run(&l, vec![add(&o.tax_admin, 1, &a, vec![Role::TaxOfficer])]);
    run(&l, vec![]);
    run(&l, vec![]);
    run(&l, vec![add(&o.tax_admin, 2, &b, vec![Role::TaxOfficer])]);
    run(&l, vec![]);
    for (who, k) in [
        ("genesis org", StateKey::Org("sz-tax".into())),
        ("a", StateKey::Account(a.account_id())),
        ("b", StateKey::Account(b.account_id())),
    ] {
        let p = l.prove(&k).unwrap();
        assert_eq!(p.header.state_height, 4);
        let value = p.value.clone().unwrap_or_else(|| panic!("{who} vanished from the tree"));
        verify_state_proof(&p.header.state_root, &p.key, Some(&value), &p.proof).unwrap();
        assert_eq!(l.get_raw(&k).unwrap(), Some(value), "{who}: tree and values agree");
    }
}
