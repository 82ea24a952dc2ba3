//! Batch verification: finding bad items, parallel chunks, ZIP-215 agreement.

use crate::{mixed_keys, rng};
use fapiao_crypto::{verify, BatchVerifier, PARALLEL_CHUNK};
use fapiao_types::{PublicKey, Signature};
use proptest::prelude::*;
use rand::RngCore;
use std::num::NonZeroUsize;

/// `n` items over mixed-suite keys; the ones in `bad` carry a signature on another message.
fn items(n: usize, bad: &[usize], seed: u64) -> Vec<(PublicKey, Vec<u8>, Signature)> {
    let keys = mixed_keys(n.min(8), seed);
    (0..n)
        .map(|i| {
            let key = &keys[i % keys.len()];
            let msg = format!("item {i}").into_bytes();
            let sig = if bad.contains(&i) { key.sign(b"something else") } else { key.sign(&msg) };
            (key.public_key(), msg, sig)
        })
        .collect()
}

fn batch_of(items: &[(PublicKey, Vec<u8>, Signature)]) -> BatchVerifier {
    let mut batch = BatchVerifier::with_capacity(items.len());
    for (pk, msg, sig) in items {
        batch.add(pk, msg, sig);
    }
    batch
}

#[test]
fn empty_batch_verifies() {
    assert_eq!(BatchVerifier::new().verify(&mut rng(0)), Ok(()));
    assert_eq!(BatchVerifier::new().verify_parallel(NonZeroUsize::new(2).unwrap()), Ok(()));
}

#[test]
fn twenty_valid_mixed_pass() {
    let items = items(20, &[], 1);
    assert_eq!(batch_of(&items).verify(&mut rng(1)), Ok(()));
}

#[test]
fn one_bad_among_twenty_mixed_is_found() {
    // Index 6 is an Ed25519 item (even), 13 an SM2 one (odd).
    for bad in [0, 6, 13, 19] {
        let items = items(20, &[bad], 2);
        assert_eq!(batch_of(&items).verify(&mut rng(2)), Err(vec![bad]), "bad index {bad}");
    }
}

#[test]
fn several_bad_are_all_found() {
    let bad = vec![0, 1, 2, 3, 8, 9, 30, 31, 62];
    let items = items(63, &bad, 3);
    assert_eq!(batch_of(&items).verify(&mut rng(3)), Err(bad));
    let all: Vec<usize> = (0..10).collect();
    let items = crate::batch::items(10, &all, 4);
    assert_eq!(batch_of(&items).verify(&mut rng(4)), Err(all));
}

#[test]
fn invalid_keys_are_reported_as_bad() {
    let mut items = items(10, &[], 5);
    // y = 2 is not the y coordinate of an Edwards point; SM2 prefix 05 is not SEC1.
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2;
    assert!(verify(&PublicKey::Ed25519(not_a_point), &items[4].1, &items[4].2).is_err());
    items[4].0 = PublicKey::Ed25519(not_a_point);
    items[7].0 = PublicKey::Sm2([5; 33]);
    assert_eq!(batch_of(&items).verify(&mut rng(5)), Err(vec![4, 7]));
}

#[test]
fn parallel_matches_sequential() {
    let n = PARALLEL_CHUNK * 3 + 5;
    let bad = vec![1, PARALLEL_CHUNK, PARALLEL_CHUNK + 1, 2 * PARALLEL_CHUNK + 7, n - 1];
    let items = items(n, &bad, 6);
    for threads in [1, 2, 8] {
        let threads = NonZeroUsize::new(threads).unwrap();
        assert_eq!(batch_of(&items).verify_parallel(threads), Err(bad.clone()));
    }
    let items = crate::batch::items(n, &[], 7);
    assert_eq!(batch_of(&items).verify_parallel(NonZeroUsize::new(2).unwrap()), Ok(()));
}

/// Encodings of the eight small-order points of edwards25519 (the torsion
/// subgroup), plus non-canonical encodings: `y = p + 1` and `y = p` (i.e. 1 and 0,
/// x sign bit clear and set), which ZIP-215 must accept.
const SMALL_ORDER: [&str; 11] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
];

fn small_order(i: usize) -> [u8; 32] {
    hex::decode(SMALL_ORDER[i % SMALL_ORDER.len()]).unwrap().try_into().unwrap()
}

/// ZIP-215 edge case: a small-order key with `R` of small order and `s = 0`
/// satisfies the cofactored equation for every message. Single and batch must
/// agree on it (both accept), which is why `validate_public_key` refuses such keys.
#[test]
fn small_order_edge_cases_agree() {
    let mut accepted = 0;
    for a in 0..SMALL_ORDER.len() {
        for r in 0..SMALL_ORDER.len() {
            let pk = PublicKey::Ed25519(small_order(a));
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(&small_order(r));
            let sig = Signature(sig);
            let single = verify(&pk, b"any message", &sig).is_ok();
            let mut batch = BatchVerifier::new();
            batch.add(&pk, b"any message", &sig);
            assert_eq!(single, batch.verify(&mut rng(8)).is_ok(), "A #{a}, R #{r}");
            accepted += usize::from(single);
        }
    }
    // At least the canonical identity pair is accepted.
    assert!(accepted > 0);
}

#[derive(Debug, Clone)]
enum EdCase {
    /// An honest signature, possibly with one bit flipped.
    Honest { seed: [u8; 32], msg: Vec<u8>, flip: Option<u16> },
    /// Small-order key and `R`, with `s` zero or random.
    SmallOrder { a: usize, r: usize, s: [u8; 32], zero_s: bool },
}

fn ed_case() -> impl Strategy<Value = EdCase> {
    prop_oneof![
        3 => (any::<[u8; 32]>(), proptest::collection::vec(any::<u8>(), 0..64), proptest::option::weighted(0.3, 0u16..512))
            .prop_map(|(seed, msg, flip)| EdCase::Honest { seed, msg, flip }),
        1 => (0..SMALL_ORDER.len(), 0..SMALL_ORDER.len(), any::<[u8; 32]>(), any::<bool>())
            .prop_map(|(a, r, s, zero_s)| EdCase::SmallOrder { a, r, s, zero_s }),
    ]
}

fn materialize(case: &EdCase) -> (PublicKey, Vec<u8>, Signature) {
    match case {
        EdCase::Honest { seed, msg, flip } => {
            let key =
                fapiao_crypto::SigningKey::from_bytes(fapiao_types::Suite::Ed25519, seed).unwrap();
            let mut sig = key.sign(msg);
            if let Some(bit) = flip {
                sig.0[usize::from(*bit) / 8] ^= 1 << (bit % 8);
            }
            (key.public_key(), msg.clone(), sig)
        }
        EdCase::SmallOrder { a, r, s, zero_s } => {
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(&small_order(*r));
            if !zero_s {
                sig[32..].copy_from_slice(s);
            }
            (PublicKey::Ed25519(small_order(*a)), b"m".to_vec(), Signature(sig))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// ZIP-215 agreement: the batch reports exactly the items single verification refuses.
    #[test]
    fn batch_agrees_with_single(cases in proptest::collection::vec(ed_case(), 1..24), seed in any::<u64>()) {
        let items: Vec<_> = cases.iter().map(materialize).collect();
        let expected: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(|(_, (pk, msg, sig))| verify(pk, msg, sig).is_err())
            .map(|(i, _)| i)
            .collect();
        let got = batch_of(&items).verify(&mut rng(seed));
        prop_assert_eq!(got.err().unwrap_or_default(), expected);
    }

    /// Each honest signature alone is accepted by single and by batch verification.
    #[test]
    fn honest_signature_accepted_by_both(seed in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..256)) {
        let (pk, msg, sig) = materialize(&EdCase::Honest { seed, msg, flip: None });
        prop_assert!(verify(&pk, &msg, &sig).is_ok());
        let mut batch = BatchVerifier::new();
        batch.add(&pk, &msg, &sig);
        prop_assert_eq!(batch.verify(&mut rng(u64::from(seed[0]))), Ok(()));
    }
}

#[test]
fn random_bytes_never_verify() {
    let mut r = rng(9);
    let keys = mixed_keys(2, 9);
    let mut batch = BatchVerifier::new();
    for _ in 0..16 {
        let mut sig = [0u8; 64];
        r.fill_bytes(&mut sig);
        for key in &keys {
            assert!(verify(&key.public_key(), b"m", &Signature(sig)).is_err());
            batch.add(&key.public_key(), b"m", &Signature(sig));
        }
    }
    assert_eq!(batch.verify(&mut r).unwrap_err().len(), 32);
}
