//! SM2 vectors made by an independent implementation (gmssl 3.2.2, pure Python, from
//! PyPI) with `tests/fixtures/sm2_gmssl.py`, which follows only `docs/formats.md`:
//! fapiao-crypto must verify them, recompute the documented `Z_A` and digest, and
//! decode the transaction; and `docs/formats.md` §3.4 must show the same values.

use fapiao_crypto::{sm3, verify, verify_signed_tx, SigningKey, SM2_DISTID};
use fapiao_types::{decode_exact, PublicKey, Signature, SignedTx, Suite};
use sm2::elliptic_curve::sec1::ToEncodedPoint as _;

const FIXTURE: &str = include_str!("fixtures/sm2-gmssl.json");
const FORMATS: &str = include_str!("../../../docs/formats.md");

/// sm2p256v1 (GB/T 32918.5): `a`, `b`, `xG`, `yG`.
const CURVE: [&str; 4] = [
    "fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc",
    "28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93",
    "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7",
    "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0",
];

/// The string value of `"name": "…"` in the flat fixture.
fn field(name: &str) -> &'static str {
    let tag = format!("\"{name}\": \"");
    let start = FIXTURE.find(&tag).unwrap_or_else(|| panic!("fixture has {name}")) + tag.len();
    let len = FIXTURE[start..].find('"').unwrap();
    &FIXTURE[start..start + len]
}

fn bytes(name: &str) -> Vec<u8> {
    hex::decode(field(name)).unwrap()
}

fn signature(name: &str) -> Signature {
    Signature(bytes(name).try_into().unwrap())
}

fn public_key() -> PublicKey {
    PublicKey::Sm2(bytes("public_key_compressed").try_into().unwrap())
}

#[test]
fn signer_id_is_the_16_ascii_bytes_1234567812345678() {
    assert_eq!(SM2_DISTID.as_bytes(), bytes("signer_id_hex"));
    assert_eq!((SM2_DISTID.len() * 8).to_string(), field("entl"));
    assert_eq!(field("entl"), "128");
}

#[test]
fn the_secret_gives_the_fixture_key() {
    let secret: [u8; 32] = bytes("secret_key").try_into().unwrap();
    let key = SigningKey::from_bytes(Suite::Sm2, &secret).unwrap();
    assert_eq!(key.public_key(), public_key());
    // The uncompressed form is the point the compressed key names.
    let PublicKey::Sm2(compressed) = public_key() else { unreachable!() };
    let point = sm2::PublicKey::from_sec1_bytes(&compressed).unwrap();
    assert_eq!(point.to_encoded_point(false).as_bytes(), bytes("public_key_uncompressed"));
}

/// `Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)` over the **uncompressed**
/// coordinates, and `e = SM3(Z_A ‖ M)`, as formats.md §3.2 says.
#[test]
fn z_a_and_digest_follow_the_documented_formula() {
    let mut input = 128u16.to_be_bytes().to_vec();
    input.extend_from_slice(SM2_DISTID.as_bytes());
    for part in CURVE {
        input.extend(hex::decode(part).unwrap());
    }
    input.extend_from_slice(&bytes("public_key_uncompressed")[1..]);
    let z_a = sm3(&input);
    assert_eq!(hex::encode(z_a), field("z_a"));
    for (message, e) in [("message_hex", "message_e"), ("tx_signing_payload_hex", "tx_e")] {
        let mut m = z_a.to_vec();
        m.extend(bytes(message));
        assert_eq!(hex::encode(sm3(&m)), field(e), "{message}");
    }
}

#[test]
fn fapiao_crypto_verifies_the_gmssl_message_signature() {
    let pk = public_key();
    let message = bytes("message_hex");
    assert_eq!(message, b"message digest");
    let sig = signature("message_signature");
    verify(&pk, &message, &sig).unwrap();
    assert!(verify(&pk, b"message digesT", &sig).is_err());
    let mut flipped = sig;
    flipped.0[63] ^= 1;
    assert!(verify(&pk, &message, &flipped).is_err());
}

#[test]
fn fapiao_decodes_and_verifies_the_gmssl_transaction() {
    let signed = bytes("signed_tx_hex");
    let stx: SignedTx = decode_exact(&signed, &fapiao_types::ActionCodecs::default()).unwrap();
    assert_eq!(stx.tx.sender, public_key());
    assert_eq!(stx.signature, signature("tx_signature"));
    assert_eq!(commonware_codec::Encode::encode(&stx.tx).to_vec(), bytes("tx_hex"));
    assert_eq!(SignedTx::signing_payload(&stx.tx), bytes("tx_signing_payload_hex"));
    assert_eq!(hex::encode(stx.hash()), field("tx_hash"));
    assert_eq!(signed.len(), 100 + 64);
    verify_signed_tx(&stx).unwrap();
    let mut other = stx.clone();
    other.tx.nonce = 2;
    assert!(verify_signed_tx(&other).is_err());
}

/// formats.md §3.4 shows the fixture's values, so the document and the code cannot drift.
#[test]
fn formats_md_shows_the_vectors() {
    let section = FORMATS
        .split("### 3.4 ")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("formats.md has §3.4");
    let public = field("public_key_uncompressed");
    let (msg_sig, tx_sig) = (field("message_signature"), field("tx_signature"));
    for (what, value) in [
        ("secret", field("secret_key")),
        ("xA", &public[2..66]),
        ("yA", &public[66..]),
        ("compressed key", field("public_key_compressed")),
        ("Z_A", field("z_a")),
        ("k", field("message_k")),
        ("e", field("message_e")),
        ("r", &msg_sig[..64]),
        ("s", &msg_sig[64..]),
        ("tx hash", field("tx_hash")),
        ("tx e", field("tx_e")),
        ("tx r", &tx_sig[..64]),
        ("tx s", &tx_sig[64..]),
        ("compressed key, in the tx", &field("tx_hex")[26..92]),
    ] {
        assert!(section.contains(value), "formats.md §3.4 lacks the {what} {value}");
    }
    assert!(section.contains("SM3(0080 ‖ \"1234567812345678\" ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)"));
    assert!(section.contains("164 bytes") && section.contains("100-byte transaction"));
    // §3.2 states the ID, ENTL and the uncompressed coordinates.
    let sm2 = FORMATS.split("### 3.2 ").nth(1).unwrap().split("### 3.3 ").next().unwrap();
    for needle in [
        "`1234567812345678`",
        "`31323334353637383132333435363738`",
        "128, as 2 bytes big-endian: `0080`",
        "**uncompressed** point",
        "Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)",
    ] {
        assert!(sm2.contains(needle), "formats.md §3.2 says {needle:?}");
    }
    // The section's transaction lines, concatenated, are the signing payload then the
    // signature: every hex token of the code block after "signing payload:".
    let block = section.split("signing payload:\n").nth(1).unwrap().split("```").next().unwrap();
    let hex_of_block: String = block
        .lines()
        .flat_map(|l| l.split_whitespace().take_while(|t| !t.starts_with('(')))
        .filter(|t| t.chars().all(|c| c.is_ascii_hexdigit()))
        .collect();
    let expected = format!("{}{}", field("tx_signing_payload_hex"), tx_sig);
    assert_eq!(hex_of_block, expected, "the signing payload and signature of §3.4");
}
