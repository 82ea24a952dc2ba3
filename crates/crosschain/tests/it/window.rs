//! The window: racing relayers, gaps filled, the lowest dropped, and proofs against a
//! kept header.

use crate::*;
use fapiao_crosschain::{proven, Claim};

#[test]
fn racing_relayers_leave_the_same_window_as_one_and_it_keeps_the_most_recent() {
    let tax = Source::new(SOURCE, 4, 1);
    let chain = tax.chain(8);
    let actions: Vec<CrosschainAction> =
        chain.iter().map(|h| relay_of(SOURCE, h, tax.certify_all(h))).collect();

    let mut one = Dest::new(&[&tax], 4);
    for a in &actions {
        one.send(a).unwrap();
    }
    assert_eq!(one.heights(SOURCE), [5, 6, 7, 8]);

    // Two relayers, each carrying every header, in different orders, interleaved: every
    // duplicate is a no-op, a header below the full window is stale, the rest is kept.
    let mut two = Dest::new(&[&tax], 4);
    let mut outcomes = Vec::new();
    for i in 0..actions.len() {
        outcomes.push(two.send(&actions[i]));
        outcomes.push(two.send(&actions[actions.len() - 1 - i]));
    }
    assert_eq!(two.heights(SOURCE), [5, 6, 7, 8]);
    assert!(outcomes.iter().all(|o| matches!(o, Ok(()) | Err("crosschain.stale"))), "{outcomes:?}");
    let windows = |d: &Dest| fapiao_crosschain::window(&d.state, SOURCE).unwrap().entries;
    let strip = |mut e: Vec<fapiao_crosschain_types::WindowEntry>| {
        e.iter_mut().for_each(|e| e.verified_at = 0);
        e
    };
    assert_eq!(strip(windows(&one)), strip(windows(&two)), "same headers, same roots");

    // A replay of a kept header is a no-op and writes nothing.
    let before = two.state.0.clone();
    assert_eq!(two.send(&actions[7]), Ok(()));
    assert_eq!(two.state.0, before);
}

#[test]
fn a_gap_below_the_newest_is_filled_while_the_window_has_room() {
    let tax = Source::new(SOURCE, 1, 5);
    let chain = tax.chain(5);
    let mut dest = Dest::new(&[&tax], 4);
    for i in [4usize, 1, 2] {
        dest.send(&relay_of(SOURCE, &chain[i], tax.certify_all(&chain[i]))).unwrap();
    }
    assert_eq!(dest.heights(SOURCE), [2, 3, 5]);
    dest.send(&relay_of(SOURCE, &chain[0], tax.certify_all(&chain[0]))).unwrap();
    assert_eq!(dest.heights(SOURCE), [1, 2, 3, 5], "the window had room for height 1");
}

/// A real QMDB proof of a member account (built by `fapiao_crosschain::testing::Source` on
/// the state database the chain runs), checked against the certified root of a relayed
/// header: accepted there, refused for another value, for absence, at an unknown height
/// and below the window.
#[test]
fn a_proof_against_a_kept_header_is_checked_against_its_certified_root() {
    let key = b"account/1d067ea12d430b1e3e1ab05708e62e73fb593a255798303284026b5dbb6d2ed0";
    let mut source = fapiao_crosschain::testing::Source::new(SOURCE, 4, 1);
    source.state.insert(String::from_utf8(key.to_vec()).unwrap(), b"a member account".to_vec());
    source.state.insert("org/bank".into(), b"an organisation".to_vec());
    source.commit(1_796_184_000_000);
    source.commit(1_796_184_000_500);
    let claim = source.claim(2, String::from_utf8(key.to_vec()).unwrap());
    let value = claim.value.clone().unwrap().0;
    let proof = claim.proof.0.clone();
    let chain = [*source.header(1), *source.header(2)];
    let tax = Source::new(SOURCE, 4, 1);
    let mut dest = Dest::new(&[&tax], 1);
    dest.send(&relay_of(SOURCE, &chain[1], tax.certify_all(&chain[1]))).unwrap();
    let check = |dest: &Dest, height: u64, value: Option<&[u8]>, proof: &[u8]| {
        let c = Claim { chain_id: SOURCE, height, key, value, proof };
        match proven(&dest.state, dest.height, &c) {
            Ok(p) => Ok(p.header.height),
            Err(fapiao_app::Error::Rejected { code, .. }) => Err(code),
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(check(&dest, 2, Some(&value), &proof), Ok(2));
    let mut other = value.clone();
    other[1] ^= 1;
    assert_eq!(check(&dest, 2, Some(&other), &proof), Err("crosschain.bad_proof"));
    assert_eq!(check(&dest, 2, None, &proof), Err("crosschain.bad_proof"));
    assert_eq!(check(&dest, 3, Some(&value), &proof), Err("crosschain.unknown_header"));
    assert_eq!(check(&dest, 1, Some(&value), &proof), Err("crosschain.stale"));
    let c =
        Claim { chain_id: "fapiao-nowhere", height: 2, key, value: Some(&value), proof: &proof };
    assert!(matches!(
        proven(&dest.state, dest.height, &c),
        Err(fapiao_app::Error::Rejected { code: "crosschain.unknown_chain", .. })
    ));
}

#[test]
fn registrations_are_checked_when_proposed() {
    use fapiao_app::Param;
    let tax = Source::new(SOURCE, 2, 1);
    let ok = RegisteredChains { chains: vec![tax.registration()] };
    assert!(ok.check().is_ok());
    let twice = RegisteredChains { chains: vec![tax.registration(), tax.registration()] };
    assert!(twice.check().unwrap_err().contains("twice"));
    let mut bad = tax.registration();
    bad.genesis_hash = "00".into();
    assert!(RegisteredChains { chains: vec![bad] }.check().is_err());
    let mut dup = tax.registration();
    dup.validators.push(dup.validators[0].clone());
    assert!(RegisteredChains { chains: vec![dup] }.check().unwrap_err().contains("twice"));
    let mut none = tax.registration();
    none.validators.clear();
    assert!(RegisteredChains { chains: vec![none] }.check().is_err());
    assert!(WindowPolicy { headers: 0 }.check().is_err());
    assert!(WindowPolicy::default().check().is_ok());
}

/// The testing source's claims are real QMDB proofs at the state each relayed header
/// certifies: a private record (`invoice-circ`, stored as its salted commitment) is claimed
/// by the record itself, an absent invoice by its absence proof; both verify against the
/// kept header, and a claim is refused with the commitment in place of the record, with
/// another record, against the other header, or as absent.
#[test]
fn private_records_and_absences_are_proven_against_kept_headers() {
    let circ = "invoice-circ/26951000000000000001";
    let absent = "invoice/26951000000000000009";
    let mut source = fapiao_crosschain::testing::Source::new(SOURCE, 4, 1);
    source.state.insert("invoice/26951000000000000001".into(), b"public record".to_vec());
    source.state.insert(circ.into(), b"salt, holder, not reimbursed".to_vec());
    source.commit(1_796_184_000_000);
    source.state.insert(circ.into(), b"salt, holder, reimbursed at 2".to_vec());
    source.commit(1_796_184_000_500);
    assert_eq!(source.header(2).state_height, 2, "a header certifies the state of its height");
    let mut dest = Dest::new(&[&Source::new(SOURCE, 4, 1)], 2);
    dest.send(&source.relay(1)).unwrap();
    dest.send(&source.relay(2)).unwrap();
    let check = |c: &fapiao_crosschain_types::StateClaim| match proven(
        &dest.state,
        dest.height,
        &Claim::from(c),
    ) {
        Ok(p) => Ok(p.header.height),
        Err(fapiao_app::Error::Rejected { code, .. }) => Err(code),
        Err(e) => panic!("{e}"),
    };
    let at = |h: u64, key: &str| source.claim(h, key);
    for h in [1, 2] {
        assert_eq!(check(&at(h, circ)), Ok(h));
        assert_eq!(check(&at(h, absent)), Ok(h));
        assert!(at(h, absent).value.is_none());
    }
    let bad = "crosschain.bad_proof";
    // The record of height 1 against height 2's proof, and the other way round.
    let (mut old, mut new) = (at(1, circ), at(2, circ));
    std::mem::swap(&mut old.value, &mut new.value);
    assert_eq!((check(&old), check(&new)), (Err(bad), Err(bad)));
    // A proof against the other header.
    let mut moved = at(1, circ);
    moved.height = 2;
    assert_eq!(check(&moved), Err(bad));
    // The stored commitment is not the record.
    let mut commitment = at(2, circ);
    let record = commitment.value.take().unwrap();
    commitment.value = Some(fapiao_crosschain_types::Blob(
        fapiao_types::state_order::private_commitment(circ.as_bytes(), &record.0).to_vec(),
    ));
    assert_eq!(check(&commitment), Err(bad));
    // Present claimed absent.
    let mut gone = at(2, circ);
    gone.value = None;
    assert_eq!(check(&gone), Err(bad));
}
