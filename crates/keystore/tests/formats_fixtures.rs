//! The key files of `docs/formats.md` §17, pinned by fixtures in `tests/fixtures`:
//!
//! * `member-sm2.key`, `member-ed25519.key`: member key files, as [`write_key_file`]
//!   writes them for the keys of formats.md §3.4 and §4.6;
//! * `validator.key`: a validator key file, as [`write_validator_key`] writes it for the
//!   key of formats.md §11.2;
//! * `keystore.json`: an encrypted keystore holding those two member keys, built here
//!   from the layout formats.md describes (Argon2id, XChaCha20-Poly1305 and the associated
//!   data, with fixed salt and nonces) rather than by [`Keystore`], which then opens it.
//!
//! Rewrite the fixtures with `FAPIAO_REGENERATE_FIXTURES=1`; formats.md must show each
//! one verbatim.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::{
    aead::{Aead, Payload},
    KeyInit, XChaCha20Poly1305, XNonce,
};
use fapiao_crypto::{verify, SigningKey};
use fapiao_keystore::{
    read_key_file, read_validator_key, write_key_file, write_validator_key, Error, KdfParams,
    Keystore,
};
use fapiao_types::{PublicKey, Suite};

const FORMATS: &str = include_str!("../../../docs/formats.md");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The SM2 secret of formats.md §3.4.
const SM2_SECRET: &str = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
/// The keystore fixture's passphrase.
const PASSPHRASE: &str = "correct horse battery staple";

fn sm2_key() -> SigningKey {
    SigningKey::from_bytes(Suite::Sm2, &hex::decode(SM2_SECRET).unwrap().try_into().unwrap())
        .unwrap()
}

fn ed25519_key() -> SigningKey {
    SigningKey::from_bytes(Suite::Ed25519, &[1; 32]).unwrap()
}

/// Compares `generated` with the fixture `name` (rewriting it first under
/// `FAPIAO_REGENERATE_FIXTURES`), and checks that formats.md shows it verbatim.
fn pinned(name: &str, generated: &str) {
    let path = format!("{FIXTURES}/{name}");
    if std::env::var_os("FAPIAO_REGENERATE_FIXTURES").is_some() {
        std::fs::create_dir_all(FIXTURES).unwrap();
        std::fs::write(&path, generated).unwrap();
    }
    let fixture = std::fs::read_to_string(&path).unwrap();
    assert_eq!(fixture, generated, "{name} changed");
    assert!(FORMATS.contains(fixture.trim_end()), "formats.md shows {name} verbatim");
}

#[test]
fn member_key_files() {
    let dir = tempfile::tempdir().unwrap();
    for (name, key) in [("member-sm2.key", sm2_key()), ("member-ed25519.key", ed25519_key())] {
        let path = dir.path().join(name);
        write_key_file(&path, &key).unwrap();
        pinned(name, &std::fs::read_to_string(&path).unwrap());
        let read = read_key_file(format!("{FIXTURES}/{name}")).unwrap();
        assert_eq!(read.public_key(), key.public_key());
        assert_eq!(*read.to_bytes(), *key.to_bytes());
    }
    // A validator key file is not a member key file.
    assert!(read_key_file(format!("{FIXTURES}/validator.key")).is_err());
}

#[test]
fn validator_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("validator.key");
    let public = write_validator_key(&path, &[7; 32]).unwrap();
    assert_eq!(
        hex::encode(public),
        "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c",
        "the validator of formats.md §11.2"
    );
    pinned("validator.key", &std::fs::read_to_string(&path).unwrap());
    let (secret, read_public) = read_validator_key(format!("{FIXTURES}/validator.key")).unwrap();
    assert_eq!((*secret, read_public), ([7; 32], public));
    assert!(read_validator_key(format!("{FIXTURES}/member-sm2.key")).is_err());
}

/// `"fapiao-keystore/v1/key" ‖ account ‖ suite tag ‖ key bytes ‖ u32 BE len(name) ‖ name`.
fn entry_aad(key: &PublicKey, name: &str) -> Vec<u8> {
    let mut aad = b"fapiao-keystore/v1/key".to_vec();
    aad.extend_from_slice(&key.account_id().0);
    aad.push(match key.suite() {
        Suite::Ed25519 => 0,
        Suite::Sm2 => 1,
    });
    aad.extend_from_slice(key.key_bytes());
    aad.extend_from_slice(&u32::try_from(name.len()).unwrap().to_be_bytes());
    aad.extend_from_slice(name.as_bytes());
    aad
}

/// The keystore fixture, built from formats.md §17.3 alone.
fn keystore_json() -> String {
    let salt: [u8; 16] = core::array::from_fn(|i| i as u8);
    let params = Params::new(19_456, 2, 1, Some(32)).unwrap();
    let mut file_key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(PASSPHRASE.as_bytes(), &salt, &mut file_key)
        .unwrap();
    let cipher = XChaCha20Poly1305::new(&file_key.into());
    let seal = |nonce: [u8; 24], msg: &[u8], aad: &[u8]| {
        hex::encode(cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg, aad }).unwrap())
    };
    let check = seal([0xc0; 24], b"fapiao-keystore v1 check block..", b"fapiao-keystore/v1/check");
    // Entries in ascending account order, as Keystore writes them.
    let mut entries = [("alice", sm2_key(), [0xa1; 24]), ("bob", ed25519_key(), [0xb0; 24])];
    entries.sort_by_key(|(_, k, _)| k.account_id());
    let keys: Vec<String> = entries
        .iter()
        .map(|(name, key, nonce)| {
            let pk = key.public_key();
            format!(
                "    {{\n      \"account\": \"{}\",\n      \"suite\": \"{}\",\n      \"public_key\": \"{}\",\n      \"name\": \"{name}\",\n      \"nonce\": \"{}\",\n      \"ciphertext\": \"{}\"\n    }}",
                pk.account_id(),
                pk.suite().as_str(),
                pk.to_hex(),
                hex::encode(nonce),
                seal(*nonce, key.to_bytes().as_slice(), &entry_aad(&pk, name)),
            )
        })
        .collect();
    format!(
        "{{\n  \"version\": 1,\n  \"kdf\": {{\n    \"algorithm\": \"argon2id-v19\",\n    \"m_cost_kib\": 19456,\n    \"t_cost\": 2,\n    \"p_cost\": 1,\n    \"salt\": \"{}\"\n  }},\n  \"cipher\": \"xchacha20poly1305\",\n  \"check\": {{\n    \"nonce\": \"{}\",\n    \"ciphertext\": \"{check}\"\n  }},\n  \"keys\": [\n{}\n  ]\n}}",
        hex::encode(salt),
        hex::encode([0xc0; 24]),
        keys.join(",\n"),
    )
}

#[test]
fn keystore_built_from_the_document_opens() {
    let text = keystore_json();
    pinned("keystore.json", &text);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keystore.json");
    std::fs::write(&path, &text).unwrap();
    // At the floor's cost, so the default `open` takes it.
    let store = Keystore::open(&path, PASSPHRASE).unwrap();
    assert_eq!(store.kdf_params(), KdfParams::FLOOR);
    let mut names: Vec<_> = store.list().into_iter().map(|k| k.name).collect();
    names.sort();
    assert_eq!(names, ["alice", "bob"]);
    for key in [sm2_key(), ed25519_key()] {
        let sig = store.sign(&key.account_id(), b"payload").unwrap();
        verify(&key.public_key(), b"payload", &sig).unwrap();
    }
    assert!(matches!(Keystore::open(&path, "wrong"), Err(Error::WrongPassphrase)));
    // Changing the name breaks the entry's associated data.
    std::fs::write(&path, text.replace("\"bob\"", "\"eve\"")).unwrap();
    assert!(matches!(Keystore::open(&path, PASSPHRASE), Err(Error::Tampered { .. })));
}

/// A keystore written by [`Keystore`] has the fixture's shape: the same members in the
/// same order, differing only in the random salt, nonces and ciphertexts.
#[test]
fn keystore_writes_the_documented_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keystore.json");
    let mut store = Keystore::create_with_params(&path, PASSPHRASE, KdfParams::FLOOR).unwrap();
    store.insert("alice", &sm2_key()).unwrap();
    store.insert("bob", &ed25519_key()).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    let mask = |text: &str| {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        value["kdf"]["salt"] = "".into();
        value["check"] = serde_json::json!({"nonce": "", "ciphertext": ""});
        for entry in value["keys"].as_array_mut().unwrap() {
            entry["nonce"] = "".into();
            entry["ciphertext"] = "".into();
        }
        value
    };
    assert_eq!(mask(&written), mask(&keystore_json()));
    let order = |text: &str| -> Vec<usize> {
        [
            "\"version\"",
            "\"kdf\"",
            "\"algorithm\"",
            "\"salt\"",
            "\"cipher\"",
            "\"check\"",
            "\"keys\"",
        ]
        .iter()
        .map(|k| text.find(k).unwrap())
        .collect()
    };
    let fields = order(&written);
    assert!(fields.windows(2).all(|w| w[0] < w[1]), "field order {fields:?}");
    assert_eq!(written.len(), keystore_json().len(), "same layout and lengths");
}
