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
    let key = StateKey::Account(m.account_id());
    let proven = l.prove(std::slice::from_ref(&key)).unwrap();
    assert_eq!((proven.height, Some(proven.root)), (1, l.state_root_at(1).unwrap()));
    let p = &proven.proofs[0];
    let value = p.value.clone().expect("present");
    let root = proven.root;
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
    let p = &l.prove(&[absent]).unwrap().proofs[0];
    assert!(p.value.is_none());
    verify_state_proof(&root, &p.key, None, &p.proof).unwrap();
    assert!(verify_state_proof(&root, &p.key, Some(b"x"), &p.proof).is_err());
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
        let proven = l.prove(std::slice::from_ref(&k)).unwrap();
        assert_eq!(proven.height, 5);
        let p = &proven.proofs[0];
        let value = p.value.clone().unwrap_or_else(|| panic!("{who} vanished from the tree"));
        verify_state_proof(&proven.root, &p.key, Some(&value), &p.proof).unwrap();
        assert_eq!(l.get_raw(&k).unwrap(), Some(value), "{who}: tree and values agree");
    }
}

/// What the light client's `proven` sees from a source chain's real proofs: a ledger's
/// `prove` output (a present account, an absent one) against the header certifying it (the
/// next one, whose `state_height` is the proven height), kept
/// in another chain's window, checks; a wrong value, or a proof against another kept
/// header, does not.
#[test]
fn a_source_ledgers_proofs_check_with_the_light_client_against_a_kept_header() {
    use commonware_codec::Encode;
    use fapiao_crosschain::{proven, Claim};
    use fapiao_crosschain_types::{CrosschainKey, HeaderWindow, WindowEntry};
    use std::collections::BTreeMap;

    #[derive(Default)]
    struct Mem(BTreeMap<String, Vec<u8>>);
    impl fapiao_app::StateAccess for Mem {
        fn read(&self, key: &StateKey) -> core::result::Result<Option<Vec<u8>>, String> {
            Ok(self.0.get(&key.to_string()).cloned())
        }
        fn write(&mut self, key: &StateKey, value: Vec<u8>) {
            self.0.insert(key.to_string(), value);
        }
    }

    let (g, o) = genesis();
    let chain_id = g.chain_id.clone();
    let source = Ledger::open(MemStore::new(), g).unwrap();
    let m = key(73, Suite::Ed25519);
    run(&source, vec![add(&o.tax_admin, 1, &m, vec![Role::TaxOfficer])]);
    let state =
        source.prove(&[StateKey::Account(m.account_id()), StateKey::Account(key_of(74))]).unwrap();
    assert_eq!(state.height, 1);
    run(&source, vec![]);
    let certifying = source.header(2).unwrap().unwrap();
    assert_eq!((certifying.state_height, certifying.state_root), (1, state.root));
    let (present, absent) = (&state.proofs[0], &state.proofs[1]);
    let older = source.header(1).unwrap().unwrap();

    // The destination: the source registered, its headers 1 and the proofs' kept.
    let mut dest = Mem::default();
    let chains = serde_json::json!({"chains": [{
        "chain_id": chain_id,
        "genesis_hash": hex::encode(source.header(0).unwrap().unwrap().digest()),
        "validators": [hex::encode([0x11; 32])],
    }]});
    let schedule = ParamSchedule {
        versions: vec![ParamVersion {
            version: 0,
            effective: Effective::AtHeight(0),
            value: ParamValue(chains.to_string()),
            enacted_at: 0,
            proposal: 0,
        }],
    };
    fapiao_app::StateAccess::write(
        &mut dest,
        &StateKey::Param("crosschain/chains".into()),
        schedule.encode().to_vec(),
    );
    let entry = |h: &Header| WindowEntry {
        height: h.height,
        digest: h.digest(),
        parent: h.parent,
        time_ms: h.time_ms,
        state_height: h.state_height,
        state_root: h.state_root,
        verified_at: 1,
    };
    let window = HeaderWindow { entries: vec![entry(&older), entry(&certifying)] };
    fapiao_app::StateAccess::write(
        &mut dest,
        &StateKey::from(CrosschainKey::window(&chain_id)),
        window.encode().to_vec(),
    );

    let check = |p: &fapiao_ledger::StateProof, height: u64, value: Option<&[u8]>| {
        let claim = Claim { chain_id: &chain_id, height, key: &p.key, value, proof: &p.proof };
        match proven(&dest, 5, &claim) {
            Ok(found) => Ok(found.header.state_height),
            Err(fapiao_app::Error::Rejected { code, .. }) => Err(code),
            Err(e) => panic!("{e}"),
        }
    };
    let h = certifying.height;
    assert_eq!(check(present, h, present.value.as_deref()), Ok(1));
    assert_eq!(check(absent, h, None), Ok(1));
    assert_eq!(check(absent, h, Some(b"x")), Err("crosschain.bad_proof"));
    let mut wrong = present.value.clone().unwrap();
    wrong[0] ^= 1;
    assert_eq!(check(present, h, Some(&wrong)), Err("crosschain.bad_proof"));
    assert_eq!(
        check(present, older.height, present.value.as_deref()),
        Err("crosschain.bad_proof"),
        "the account did not exist in header 1's state"
    );
    assert_eq!(check(present, h + 1, present.value.as_deref()), Err("crosschain.unknown_header"));
}
