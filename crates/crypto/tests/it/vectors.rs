//! Published reference values: SM3, the GB/T 32918 SM2 signature, RFC 8032.

use fapiao_crypto::{sm2_public_key_from_sec1, sm3, verify, BatchVerifier, Error, SigningKey};
use fapiao_types::{PublicKey, Signature, Suite};

fn hex_array<const N: usize>(s: &str) -> [u8; N] {
    hex::decode(s).unwrap().try_into().unwrap()
}

#[test]
fn sm3_abc() {
    assert_eq!(
        hex::encode(sm3(b"abc")),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
}

// GB/T 32918.5-2017 Annex A (curve sm2p256v1), as recorded in DOMAIN.md.
const SM2_PX: &str = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020";
const SM2_PY: &str = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
const SM2_R: &str = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3";
const SM2_S: &str = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";
// The same annex's secret key d_A, whose public key is (Px, Py).
const SM2_D: &str = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
const SM2_MSG: &[u8] = b"message digest";

fn sm2_vector() -> (PublicKey, Signature) {
    let uncompressed = hex::decode(format!("04{SM2_PX}{SM2_PY}")).unwrap();
    let pk = sm2_public_key_from_sec1(&uncompressed).unwrap();
    let sig = Signature(hex_array(&format!("{SM2_R}{SM2_S}")));
    (pk, sig)
}

#[test]
fn sm2_gbt32918_vector_verifies() {
    let (pk, sig) = sm2_vector();
    verify(&pk, SM2_MSG, &sig).unwrap();
    // Compressed form: parity of Py (…13, odd) gives prefix 03.
    assert_eq!(pk.to_hex(), format!("03{}", SM2_PX.to_lowercase()));
    let mut batch = BatchVerifier::new();
    batch.add(&pk, SM2_MSG, &sig);
    assert_eq!(batch.verify(&mut rand::rngs::OsRng), Ok(()));
}

#[test]
fn sm2_gbt32918_secret_key_gives_the_public_key() {
    let key = SigningKey::from_bytes(Suite::Sm2, &hex_array(SM2_D)).unwrap();
    assert_eq!(key.public_key(), sm2_vector().0);
    // Our (deterministic) nonce differs from the annex's k, but must verify.
    verify(&key.public_key(), SM2_MSG, &key.sign(SM2_MSG)).unwrap();
}

#[test]
fn sm2_gbt32918_vector_one_bit_flips_fail() {
    let (pk, sig) = sm2_vector();

    for bit in 0..SM2_MSG.len() * 8 {
        let mut msg = SM2_MSG.to_vec();
        msg[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(verify(&pk, &msg, &sig), Err(Error::BadSignature), "message bit {bit}");
    }
    // Bits 0..256 are r, 256..512 are s.
    for bit in 0..512 {
        let mut bad = sig;
        bad.0[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(verify(&pk, SM2_MSG, &bad), Err(Error::BadSignature), "signature bit {bit}");
    }
    let PublicKey::Sm2(key) = pk else { unreachable!() };
    for bit in 0..33 * 8 {
        let mut bad = key;
        bad[bit / 8] ^= 1 << (bit % 8);
        // Either not a point any more (InvalidKey) or another point (BadSignature).
        assert!(verify(&PublicKey::Sm2(bad), SM2_MSG, &sig).is_err(), "key bit {bit}");
    }
    // Flipping the parity prefix gives -P, a valid key: the signature must still fail.
    let mut negated = key;
    negated[0] ^= 1;
    assert_eq!(verify(&PublicKey::Sm2(negated), SM2_MSG, &sig), Err(Error::BadSignature));
}

#[test]
fn sm2_wrong_distid_does_not_verify() {
    // Z_A binds the distinguishing ID; a signature made with another ID must fail.
    use sm2::dsa::signature::Signer;
    let d: [u8; 32] = hex_array(SM2_D);
    let other = sm2::dsa::SigningKey::from_slice("ALICE123@YAHOO.COM", &d).unwrap();
    let sig: sm2::dsa::Signature = other.sign(SM2_MSG);
    let (pk, _) = sm2_vector();
    assert_eq!(verify(&pk, SM2_MSG, &Signature(sig.to_bytes())), Err(Error::BadSignature));
}

// RFC 8032 section 7.1, TEST 1.
const ED_SECRET: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const ED_PUBLIC: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const ED_SIG: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

#[test]
fn ed25519_rfc8032_test1_single_and_batch() {
    let key = SigningKey::from_bytes(Suite::Ed25519, &hex_array(ED_SECRET)).unwrap();
    let pk = PublicKey::Ed25519(hex_array(ED_PUBLIC));
    let sig = Signature(hex_array(ED_SIG));
    assert_eq!(key.public_key(), pk);
    assert_eq!(key.sign(b""), sig);

    verify(&pk, b"", &sig).unwrap();
    let mut batch = BatchVerifier::new();
    batch.add(&pk, b"", &sig);
    assert_eq!(batch.verify(&mut rand::rngs::OsRng), Ok(()));

    let mut bad = sig;
    bad.0[63] ^= 0x01;
    assert_eq!(verify(&pk, b"", &bad), Err(Error::BadSignature));
    assert_eq!(verify(&pk, b"x", &sig), Err(Error::BadSignature));
    let mut batch = BatchVerifier::new();
    batch.add(&pk, b"", &sig);
    batch.add(&pk, b"", &bad);
    assert_eq!(batch.verify(&mut rand::rngs::OsRng), Err(vec![1]));
}
