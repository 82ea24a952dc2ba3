//! State proofs (QMDB proofs made at the durable tip) verify against its root, which the
//! next header certifies, and fail when any bit changes.

use crate::common::*;
use fapiao_ledger::{verify_state_proof, Ledger, MemStore, StateProof};
use fapiao_types::*;

/// Every single-bit flip of the value, key (of a present record), proof and root is
/// refused.
fn assert_tamper_proof(root: &Hash32, p: &StateProof) {
    let value = p.value.clone();
    verify_state_proof(root, &p.key, value.as_deref(), &p.proof).unwrap();
    if let Some(value) = &value {
        for i in 0..value.len() * 8 {
            let mut v = value.clone();
            v[i / 8] ^= 1 << (i % 8);
            assert!(verify_state_proof(root, &p.key, Some(&v), &p.proof).is_err(), "value bit {i}");
        }
        assert!(verify_state_proof(root, &p.key, None, &p.proof).is_err());
    } else {
        assert!(verify_state_proof(root, &p.key, Some(b"x"), &p.proof).is_err());
    }
    // An absence proof proves every key between its two neighbours absent: another absent
    // key in the same gap verifies with it, rightly. Only a present key's proof names it.
    let key_bits = if value.is_some() { p.key.len() * 8 } else { 0 };
    for i in 0..key_bits {
        let mut k = p.key.clone();
        k[i / 8] ^= 1 << (i % 8);
        assert!(verify_state_proof(root, &k, value.as_deref(), &p.proof).is_err(), "key bit {i}");
    }
    for i in 0..p.proof.len() * 8 {
        let mut pr = p.proof.clone();
        pr[i / 8] ^= 1 << (i % 8);
        assert!(verify_state_proof(root, &p.key, value.as_deref(), &pr).is_err(), "proof bit {i}");
    }
    for i in 0..256 {
        let mut r = *root;
        r[i / 8] ^= 1 << (i % 8);
        assert!(
            verify_state_proof(&r, &p.key, value.as_deref(), &p.proof).is_err(),
            "root bit {i}"
        );
    }
}

#[test]
fn proofs_of_presence_and_absence_verify_and_resist_tampering() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let m = key(70, Suite::Ed25519);
    run(&l, vec![add(&o.tax_admin, 1, &m, vec![Role::TaxOfficer])]);
    let account = StateKey::Account(m.account_id());
    let absent = StateKey::Account(key_of(71));
    let proven = l.prove(&[account.clone(), absent]).unwrap();
    // At the durable tip, against its root.
    assert_eq!(proven.height, 1);
    assert_eq!(Some(proven.root), l.state_root_at(1).unwrap());
    let [present, absent] = &proven.proofs[..] else { panic!("two proofs") };
    assert_eq!(present.key, account.to_bytes());
    assert_eq!(present.value, l.get_raw(&account).unwrap());
    assert!(present.value.is_some() && absent.value.is_none());
    assert_tamper_proof(&proven.root, present);
    assert_tamper_proof(&proven.root, absent);
    // Certified by the next header, whose state_height is the proof's height; the proofs
    // stay valid against that root after the state moves on.
    run(&l, vec![add(&o.tax_admin, 2, &key(72, Suite::Ed25519), vec![Role::TaxOfficer])]);
    let header = l.header(2).unwrap().unwrap();
    assert_eq!((header.state_height, header.state_root), (1, proven.root));
    verify_state_proof(&header.state_root, &present.key, present.value.as_deref(), &present.proof)
        .unwrap();
    assert_ne!(l.prove(&[]).unwrap().root, proven.root);
    // Transaction records are not in the state.
    assert!(matches!(l.prove(&[StateKey::Tx([1; 32])]), Err(fapiao_ledger::Error::NotInTree(_))));
}

fn key_of(seed: u8) -> AccountId {
    crate::common::key(seed, Suite::Ed25519).account_id()
}

/// Keys written long before, across empty blocks, stay provable.
#[test]
fn keys_stay_in_the_state_across_empty_blocks() {
    let (g, o) = genesis();
    let l = Ledger::open(MemStore::new(), g).unwrap();
    let (a, b) = (key(71, Suite::Ed25519), key(72, Suite::Ed25519));
    run(&l, vec![add(&o.tax_admin, 1, &a, vec![Role::TaxOfficer])]);
    run(&l, vec![]);
    run(&l, vec![]);
    run(&l, vec![add(&o.tax_admin, 2, &b, vec![Role::TaxOfficer])]);
    run(&l, vec![]);
    let keys = [
        StateKey::Org("sz-tax".into()),
        StateKey::Account(a.account_id()),
        StateKey::Account(b.account_id()),
    ];
    let proven = l.prove(&keys).unwrap();
    assert_eq!(proven.height, 5);
    for (k, p) in keys.iter().zip(&proven.proofs) {
        let value = p.value.clone().unwrap_or_else(|| panic!("{k} vanished from the state"));
        verify_state_proof(&proven.root, &p.key, Some(&value), &p.proof).unwrap();
        assert_eq!(l.get_raw(k).unwrap(), Some(value), "{k}: proof and read agree");
    }
}

/// What the light client's `proven` sees from a source chain's real proofs: a ledger's
/// `prove` output (a present account, an absent one) against the header it names, kept
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
    run(&source, vec![]);
    // Proven at the tip (2), certified by header 3 (state height 2).
    let at_tip =
        source.prove(&[StateKey::Account(m.account_id()), StateKey::Account(key_of(74))]).unwrap();
    assert_eq!(at_tip.height, 2);
    run(&source, vec![]);
    let certifying = source.header(3).unwrap().unwrap();
    assert_eq!((certifying.state_height, certifying.state_root), (2, at_tip.root));
    let (present, absent) = (&at_tip.proofs[0], &at_tip.proofs[1]);
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
    assert_eq!(check(present, h, present.value.as_deref()), Ok(2));
    assert_eq!(check(absent, h, None), Ok(2));
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
