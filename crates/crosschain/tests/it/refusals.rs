//! Every refusal of `crosschain_relay_header`, each with its own code.

use crate::*;

#[test]
fn every_refusal_has_its_own_code() {
    let tax = Source::new(SOURCE, 4, 1);
    let other = Source::new("fapiao-industry", 4, 50);
    let chain = tax.chain(3);
    let h2 = &chain[1];
    let good = tax.certify_all(h2);

    let mut flipped = h2.encode().to_vec();
    flipped[90] ^= 0x01; // inside tx_root
    let mut forged = relay_of(SOURCE, h2, good.clone());
    if let CrosschainAction::RelayHeader(r) = &mut forged {
        r.header = Blob(flipped);
    }
    let mut bad_sig = good.clone();
    let last = bad_sig.len() - 1;
    bad_sig[last] ^= 0x01;
    let mut truncated_header = relay_of(SOURCE, h2, good.clone());
    if let CrosschainAction::RelayHeader(r) = &mut truncated_header {
        r.header.0.pop();
    }
    // A height-1 header whose parent is another chain's genesis.
    let orphan = tax.header(1, [0xEE; 32], [1; 32]);
    // A header of another chain, relayed as the tax chain's (validly signed by its own).
    let foreign = other.chain(2)[1];

    let table: Vec<(&str, CrosschainAction, &str)> = vec![
        (
            "unregistered chain",
            relay_of("fapiao-nowhere", h2, good.clone()),
            "crosschain.unknown_chain",
        ),
        (
            "another chain's header",
            relay_of(SOURCE, &foreign, other.certify_all(&foreign)),
            "crosschain.wrong_chain",
        ),
        (
            "height 1 off another genesis",
            relay_of(SOURCE, &orphan, tax.certify_all(&orphan)),
            "crosschain.wrong_genesis",
        ),
        ("a truncated header", truncated_header, "crosschain.malformed"),
        (
            "a truncated certificate",
            relay_of(SOURCE, h2, good[..60].to_vec()),
            "crosschain.malformed",
        ),
        ("one header byte flipped", forged, "crosschain.not_certified"),
        (
            "another height's certificate",
            relay_of(SOURCE, h2, tax.certify_all(&chain[2])),
            "crosschain.not_certified",
        ),
        (
            "two of four signers",
            relay_of(SOURCE, h2, tax.certify(h2, &[0, 1])),
            "crosschain.too_few_signers",
        ),
        ("a signature byte flipped", relay_of(SOURCE, h2, bad_sig), "crosschain.bad_signature"),
        (
            "signed by the other chain's validators",
            relay_of(SOURCE, h2, other.certify_all(h2)),
            "crosschain.bad_signature",
        ),
    ];
    let mut codes = Vec::new();
    for (what, action, code) in table {
        let mut dest = Dest::new(&[&tax, &other], 8);
        assert_eq!(dest.send(&action), Err(code), "{what}");
        assert!(dest.heights(SOURCE).is_empty(), "{what}: nothing kept");
        codes.push(code);
    }
    let mut dest = Dest::new(&[&tax, &other], 8);
    assert_eq!(dest.send(&relay_of(SOURCE, h2, good)), Ok(()), "the genuine header is kept");
    assert_eq!(dest.heights(SOURCE), [2]);
    // Three of four is a quorum (n - (n-1)/3).
    assert_eq!(dest.send(&relay_of(SOURCE, &chain[2], tax.certify(&chain[2], &[0, 2, 3]))), Ok(()));
    assert_eq!(dest.heights(SOURCE), [2, 3]);
}

#[test]
fn stale_and_conflicting_headers_are_refused_with_their_codes() {
    let tax = Source::new(SOURCE, 4, 1);
    let chain = tax.chain(6);
    let mut dest = Dest::new(&[&tax], 3);
    for h in &chain[3..6] {
        dest.send(&relay_of(SOURCE, h, tax.certify_all(h))).unwrap();
    }
    assert_eq!(dest.heights(SOURCE), [4, 5, 6]);
    let h2 = &chain[1];
    assert_eq!(dest.send(&relay_of(SOURCE, h2, tax.certify_all(h2))), Err("crosschain.stale"));
    // The validators sign a second header at height 5 (equivocation).
    let twin = tax.header(5, chain[3].digest(), [0x77; 32]);
    assert_eq!(
        dest.send(&relay_of(SOURCE, &twin, tax.certify_all(&twin))),
        Err("crosschain.conflict")
    );
    // A forged twin without their signatures is not evidence of anything: not certified.
    assert_eq!(
        dest.send(&relay_of(SOURCE, &twin, tax.certify_all(&chain[4]))),
        Err("crosschain.not_certified")
    );
    assert_eq!(dest.heights(SOURCE), [4, 5, 6], "nothing changed");
}

#[test]
fn a_genesis_header_is_not_relayed_and_a_deregistered_chain_is_unknown() {
    let tax = Source::new(SOURCE, 1, 3);
    let mut genesis = tax.header(1, tax.genesis, [0; 32]);
    genesis.height = 0;
    genesis.state_height = 0;
    let mut dest = Dest::new(&[&tax], 4);
    assert_eq!(
        dest.send(&relay_of(SOURCE, &genesis, tax.certify_all(&tax.chain(1)[0]))),
        Err("crosschain.wrong_genesis")
    );
    let mut empty = Dest::new(&[], 4);
    let h = &tax.chain(1)[0];
    assert_eq!(
        empty.send(&relay_of(SOURCE, h, tax.certify_all(h))),
        Err("crosschain.unknown_chain")
    );
}
