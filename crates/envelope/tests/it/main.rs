//! Envelope properties over the public API, for both suites: round trips, and every
//! way of opening what was not sealed for you fails.

use fapiao_envelope::{binding, open, os_rng, seal, Error, PublicKey, Sealed, SecretKey, Suite};

const AAD: &[u8] = b"fapiao-exchange-v1/query fields";
const PLAIN: &[u8] = br#"{"subject":"91310000MA1K4XXX0X","params":{}}"#;

fn sealed(suite: Suite) -> (SecretKey, Sealed, Vec<u8>) {
    let mut rng = os_rng();
    let sk = SecretKey::generate(suite, &mut rng);
    let info = binding::query_info();
    let s = seal(suite, &sk.public_key(), &info, AAD, PLAIN, &mut rng).unwrap();
    (sk, s, info)
}

#[test]
fn round_trip_both_suites_and_sizes() {
    let mut rng = os_rng();
    for suite in Suite::ALL {
        let sk = SecretKey::generate(suite, &mut rng);
        for len in [0usize, 1, 15, 16, 17, 1000] {
            let plain = vec![0x5a; len];
            let info = binding::answer_info(&[9; 32]);
            let s = seal(suite, &sk.public_key(), &info, AAD, &plain, &mut rng).unwrap();
            assert_eq!(open(&sk, suite, &s.enc, &s.ciphertext, &info, AAD).unwrap(), plain);
        }
    }
}

#[test]
fn sizes_are_as_documented() {
    let (_, s, _) = sealed(Suite::HpkeX25519ChaCha20Poly1305);
    assert_eq!(s.enc.len(), 32);
    assert_eq!(s.ciphertext.len(), PLAIN.len() + 16);
    let (_, s, _) = sealed(Suite::Sm2Sm4Gcm);
    assert_eq!(s.enc.len(), 65 + 32 + 16);
    assert_eq!(s.enc[0], 0x04);
    assert_eq!(s.ciphertext.len(), 12 + PLAIN.len() + 16);
}

#[test]
fn a_wrong_key_fails() {
    let mut rng = os_rng();
    for suite in Suite::ALL {
        let (_, s, info) = sealed(suite);
        let other = SecretKey::generate(suite, &mut rng);
        assert!(matches!(open(&other, suite, &s.enc, &s.ciphertext, &info, AAD), Err(Error::Open)));
    }
}

#[test]
fn every_flipped_byte_fails() {
    for suite in Suite::ALL {
        let (sk, s, info) = sealed(suite);
        for i in 0..s.enc.len() {
            let mut enc = s.enc.clone();
            enc[i] ^= 0x01;
            assert!(open(&sk, suite, &enc, &s.ciphertext, &info, AAD).is_err(), "{suite} enc[{i}]");
        }
        for i in 0..s.ciphertext.len() {
            let mut ct = s.ciphertext.clone();
            ct[i] ^= 0x80;
            assert!(open(&sk, suite, &s.enc, &ct, &info, AAD).is_err(), "{suite} ct[{i}]");
        }
        // Truncated and extended.
        assert!(
            open(&sk, suite, &s.enc, &s.ciphertext[..s.ciphertext.len() - 1], &info, AAD).is_err()
        );
        let mut longer = s.ciphertext.clone();
        longer.push(0);
        assert!(open(&sk, suite, &s.enc, &longer, &info, AAD).is_err());
        assert!(open(&sk, suite, &s.enc[..s.enc.len() - 1], &s.ciphertext, &info, AAD).is_err());
        assert!(open(&sk, suite, &[], &[], &info, AAD).is_err());
    }
}

#[test]
fn wrong_aad_or_info_fails() {
    for suite in Suite::ALL {
        let (sk, s, info) = sealed(suite);
        assert!(open(&sk, suite, &s.enc, &s.ciphertext, &info, b"other fields").is_err());
        assert!(open(&sk, suite, &s.enc, &s.ciphertext, &info, &[]).is_err());
        let answer = binding::answer_info(&[0; 32]);
        assert!(open(&sk, suite, &s.enc, &s.ciphertext, &answer, AAD).is_err());
        // The SM2 suite binds info through the GCM's associated data: info and aad
        // cannot trade bytes.
        let mut shifted_info = info.clone();
        shifted_info.push(AAD[0]);
        assert!(open(&sk, suite, &s.enc, &s.ciphertext, &shifted_info, &AAD[1..]).is_err());
    }
}

#[test]
fn keys_of_another_suite_are_refused() {
    let mut rng = os_rng();
    let hpke = SecretKey::generate(Suite::HpkeX25519ChaCha20Poly1305, &mut rng);
    let sm2 = SecretKey::generate(Suite::Sm2Sm4Gcm, &mut rng);
    let err = seal(Suite::Sm2Sm4Gcm, &hpke.public_key(), b"", b"", b"x", &mut rng).unwrap_err();
    assert!(matches!(err, Error::SuiteMismatch { .. }));
    let (_, s, info) = sealed(Suite::HpkeX25519ChaCha20Poly1305);
    let err = open(&sm2, Suite::HpkeX25519ChaCha20Poly1305, &s.enc, &s.ciphertext, &info, AAD);
    assert!(matches!(err, Err(Error::SuiteMismatch { .. })));
    // A 32-byte X25519 key is not an SM2 public key.
    assert!(PublicKey::from_bytes(Suite::Sm2Sm4Gcm, &hpke.public_key().to_bytes()).is_err());
}

#[test]
fn suite_names() {
    for suite in Suite::ALL {
        assert_eq!(Suite::from_name(suite.name()).unwrap(), suite);
        assert_eq!(suite.to_string().parse::<Suite>().unwrap(), suite);
    }
    assert_eq!(Suite::HpkeX25519ChaCha20Poly1305.name(), "hpke-x25519-chacha20poly1305");
    assert_eq!(Suite::Sm2Sm4Gcm.name(), "sm2-sm4-gcm");
    assert!(Suite::from_name("hpke").is_err());
}
