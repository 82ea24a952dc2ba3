//! Round trips, suites, namespaces and transaction signing.

use crate::{mixed_keys, rng};
use commonware_codec::Encode;
use fapiao_crypto::{
    namespaced_payload, validate_public_key, verify, verify_namespaced, verify_signed_tx,
    BatchVerifier, Error, SigningKey,
};
use fapiao_types::{Action, PublicKey, SignedTx, Suite, Tx, NAMESPACE_TX};

#[test]
fn sign_verify_round_trip_both_suites() {
    for key in mixed_keys(6, 10) {
        let pk = key.public_key();
        for msg in [&b""[..], b"x", &[0xAB; 1000]] {
            let sig = key.sign(msg);
            verify(&pk, msg, &sig).unwrap();
            let restored = SigningKey::from_bytes(key.suite(), &key.to_bytes()).unwrap();
            assert_eq!(restored.sign(msg), sig, "deterministic after a round trip");
        }
        assert_eq!(verify(&pk, b"y", &key.sign(b"x")), Err(Error::BadSignature));
    }
}

#[test]
fn signature_under_another_key_or_suite_fails() {
    let keys = mixed_keys(4, 11); // ed, sm2, ed, sm2
    let msg = b"invoice 26424000000104330311";
    for (i, signer) in keys.iter().enumerate() {
        let sig = signer.sign(msg);
        for (j, other) in keys.iter().enumerate() {
            let result = verify(&other.public_key(), msg, &sig);
            assert_eq!(result.is_ok(), i == j, "signer {i} checked under key {j}");
        }
    }
}

#[test]
fn wrong_suite_reading_of_a_key_fails() {
    // An Ed25519 signature presented with the signer's bytes read as an SM2 key
    // (and the reverse) must fail, as a key or as a signature.
    let mut r = rng(12);
    let ed = SigningKey::generate(Suite::Ed25519, &mut r);
    let sm = SigningKey::generate(Suite::Sm2, &mut r);
    let PublicKey::Ed25519(ed_bytes) = ed.public_key() else { unreachable!() };
    let PublicKey::Sm2(sm_bytes) = sm.public_key() else { unreachable!() };
    let mut as_sm2 = [2u8; 33];
    as_sm2[1..].copy_from_slice(&ed_bytes);
    assert!(verify(&PublicKey::Sm2(as_sm2), b"m", &ed.sign(b"m")).is_err());
    let as_ed: [u8; 32] = sm_bytes[1..].try_into().unwrap();
    assert!(verify(&PublicKey::Ed25519(as_ed), b"m", &sm.sign(b"m")).is_err());
}

#[test]
fn namespaces_separate_signatures() {
    for key in mixed_keys(2, 13) {
        let sig = key.sign_namespaced(b"_FAPIAO_A", b"msg").unwrap();
        verify_namespaced(&key.public_key(), b"_FAPIAO_A", b"msg", &sig).unwrap();
        assert!(verify_namespaced(&key.public_key(), b"_FAPIAO_B", b"msg", &sig).is_err());
        assert!(verify(&key.public_key(), b"msg", &sig).is_err());
        // The length prefix keeps (ns, msg) splits apart: "_A" + "Bmsg" vs "_AB" + "msg".
        let sig = key.sign_namespaced(b"_A", b"Bmsg").unwrap();
        assert!(verify_namespaced(&key.public_key(), b"_AB", b"msg", &sig).is_err());
        assert_eq!(key.sign_namespaced(&[0; 256], b"m"), Err(Error::NamespaceTooLong { len: 256 }));
    }
}

fn sample_tx(sender: PublicKey) -> Tx {
    Tx {
        chain_id: "fapiao-test".into(),
        sender,
        nonce: 42,
        expiry: 600,
        action: Action::RevokeAccount { account: [9; 32].into() },
    }
}

#[test]
fn namespaced_payload_matches_signed_tx_payload() {
    let key = SigningKey::generate(Suite::Ed25519, &mut rng(14));
    let tx = sample_tx(key.public_key());
    assert_eq!(
        namespaced_payload(NAMESPACE_TX, &tx.encode()).unwrap(),
        SignedTx::signing_payload(&tx)
    );
}

#[test]
fn signed_tx_round_trip_both_suites() {
    let keys = mixed_keys(2, 15);
    let mut batch = BatchVerifier::new();
    for key in &keys {
        let stx = key.sign_tx(sample_tx(key.public_key()));
        verify_signed_tx(&stx).unwrap();
        assert_eq!(stx.signature, key.sign_namespaced(NAMESPACE_TX, &stx.tx.encode()).unwrap());
        batch.add_signed_tx(&stx);
        // Signed by a key other than the declared sender.
        let forged = key.sign_tx(sample_tx(keys[0].public_key()));
        if key.public_key() != keys[0].public_key() {
            assert_eq!(verify_signed_tx(&forged), Err(Error::BadSignature));
            batch.add_signed_tx(&forged);
        }
        let mut tampered = stx.clone();
        tampered.tx.nonce += 1;
        assert_eq!(verify_signed_tx(&tampered), Err(Error::BadSignature));
    }
    assert_eq!(batch.verify(&mut rng(15)), Err(vec![2]));
}

#[test]
fn validate_public_key_refuses_small_order_and_non_points() {
    for key in mixed_keys(4, 16) {
        validate_public_key(&key.public_key()).unwrap();
    }
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        validate_public_key(&PublicKey::Ed25519(identity)),
        Err(Error::WeakKey { suite: Suite::Ed25519 })
    );
    let order_8: [u8; 32] =
        hex::decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
            .unwrap()
            .try_into()
            .unwrap();
    assert_eq!(
        validate_public_key(&PublicKey::Ed25519(order_8)),
        Err(Error::WeakKey { suite: Suite::Ed25519 })
    );
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2;
    assert_eq!(
        validate_public_key(&PublicKey::Ed25519(not_a_point)),
        Err(Error::InvalidKey { suite: Suite::Ed25519 })
    );
    assert_eq!(
        validate_public_key(&PublicKey::Sm2([0; 33])),
        Err(Error::InvalidKey { suite: Suite::Sm2 })
    );
}
