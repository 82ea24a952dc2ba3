//! Integration tests of `fapiao-keystore`: round trips, passphrase and tamper
//! detection, secrecy of the file, permissions; API tokens; plain key files.

mod keyfile;
mod tokens;

use fapiao_crypto::{verify, SigningKey};
use fapiao_keystore::{Error, KdfParams, Keystore};
use fapiao_types::{Action, Suite, Tx};
use rand_core::OsRng;
use std::path::{Path, PathBuf};

const PASS: &str = "correct horse battery staple";

/// Opens a keystore the tests made with [`KdfParams::INSECURE_FAST`].
fn open_fast(path: impl AsRef<Path>, passphrase: &str) -> fapiao_keystore::Result<Keystore> {
    Keystore::open_with_floor(path, passphrase, KdfParams::INSECURE_FAST)
}

fn new_store(dir: &Path) -> (PathBuf, Keystore) {
    let path = dir.join("keys.json");
    let store = Keystore::create_with_params(&path, PASS, KdfParams::INSECURE_FAST).unwrap();
    (path, store)
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn write_json(path: &Path, v: &serde_json::Value) {
    std::fs::write(path, serde_json::to_vec(v).unwrap()).unwrap();
}

#[test]
fn round_trip_both_suites() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let ed = SigningKey::generate(Suite::Ed25519, &mut OsRng);
    let ed_account = store.insert("ed", &ed).unwrap();
    let sm = store.generate("sm", Suite::Sm2).unwrap();
    assert_eq!(store.len(), 2);
    drop(store);

    let store = open_fast(&path, PASS).unwrap();
    assert_eq!(store.kdf_params(), KdfParams::INSECURE_FAST);
    assert_eq!(store.len(), 2);
    assert_eq!(*store.get(&ed_account).unwrap().to_bytes(), *ed.to_bytes());
    assert_eq!(store.get(&sm.account).unwrap().public_key(), sm.public_key);
    assert_eq!(store.find("sm"), Some(sm.account));
    assert_eq!(store.find("ed"), Some(ed_account));
    assert_eq!(store.find("nobody"), None);

    let mut names: Vec<_> = store.list().into_iter().map(|k| (k.name, k.account)).collect();
    names.sort();
    assert_eq!(names, vec![("ed".to_owned(), ed_account), ("sm".to_owned(), sm.account)]);

    let sig = store.sign(&sm.account, b"hello").unwrap();
    verify(&sm.public_key, b"hello", &sig).unwrap();
    let unknown = fapiao_types::AccountId([7; 32]);
    assert!(matches!(store.sign(&unknown, b"x"), Err(Error::UnknownAccount { .. })));
}

#[test]
fn recommended_params_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let mut store = Keystore::create(&path, PASS).unwrap();
    assert_eq!(store.kdf_params(), KdfParams::RECOMMENDED);
    let info = store.generate("a", Suite::Ed25519).unwrap();
    drop(store);
    let store = Keystore::open(&path, PASS).unwrap();
    assert_eq!(store.list()[0], info);
    assert!(matches!(Keystore::open(&path, "nope"), Err(Error::WrongPassphrase)));
}

#[test]
fn signs_transactions_of_held_senders() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = new_store(dir.path());
    let info = store.generate("clerk", Suite::Sm2).unwrap();
    let tx = Tx {
        chain_id: "fapiao-test".into(),
        sender: info.public_key,
        nonce: 1,
        expiry: 10,
        action: Action::RevokeAccount { account: [9; 32].into() },
    };
    let stx = store.sign_tx(tx.clone()).unwrap();
    fapiao_crypto::verify_signed_tx(&stx).unwrap();
    let stranger = SigningKey::generate(Suite::Ed25519, &mut OsRng);
    let tx = Tx { sender: stranger.public_key(), ..tx };
    assert!(matches!(store.sign_tx(tx), Err(Error::UnknownAccount { .. })));
}

#[test]
fn wrong_passphrase_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    store.generate("a", Suite::Ed25519).unwrap();
    for wrong in ["", "correct horse battery stapl", "Correct horse battery staple"] {
        let err = open_fast(&path, wrong).unwrap_err();
        assert!(matches!(err, Error::WrongPassphrase), "{wrong:?}: {err}");
    }
    // Also with no keys at all: the check block alone decides.
    let other = dir.path().join("empty.json");
    Keystore::create_with_params(&other, PASS, KdfParams::INSECURE_FAST).unwrap();
    assert!(matches!(open_fast(&other, "x"), Err(Error::WrongPassphrase)));
}

#[test]
fn file_does_not_contain_secret_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let keys: Vec<SigningKey> = [Suite::Ed25519, Suite::Sm2, Suite::Ed25519, Suite::Sm2]
        .into_iter()
        .map(|s| SigningKey::generate(s, &mut OsRng))
        .collect();
    for (i, key) in keys.iter().enumerate() {
        store.insert(&format!("k{i}"), key).unwrap();
    }
    let file = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&file).to_lowercase();
    for key in &keys {
        let secret = key.to_bytes();
        assert!(!file.windows(32).any(|w| w == secret.as_slice()), "raw secret in file");
        // Any 8-byte window of the secret, in hex, would be a leak too.
        let hex = hex::encode(secret.as_slice());
        for start in (0..hex.len() - 16).step_by(2) {
            assert!(!text.contains(&hex[start..start + 16]), "secret hex in file");
        }
        assert!(text.contains(&key.public_key().to_hex()), "public key is listed");
    }
    assert!(!text.contains(&hex::encode(PASS)) && !text.contains(&PASS.to_lowercase()));
}

#[cfg(unix)]
#[test]
fn file_mode_is_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    store.generate("a", Suite::Sm2).unwrap();
    assert_eq!(mode(&path), 0o600);
    // The writers' lock file is private too.
    assert_eq!(mode(&dir.path().join("keys.json.lock")), 0o600);
    // No temporary files are left behind.
    let mut names: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("keys.json"), std::ffi::OsString::from("keys.json.lock")]
    );
}

#[test]
fn tampered_ciphertext_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let info = store.generate("a", Suite::Ed25519).unwrap();
    drop(store);
    let original = read_json(&path);

    // Flip one bit of the ciphertext, of the nonce, and of the tag (last byte).
    for (field, char_index) in [("ciphertext", 0), ("nonce", 5), ("ciphertext", 95)] {
        let mut v = original.clone();
        let s = v["keys"][0][field].as_str().unwrap().to_owned();
        let mut bytes = hex::decode(&s).unwrap();
        bytes[char_index / 2] ^= 0x01;
        v["keys"][0][field] = hex::encode(bytes).into();
        write_json(&path, &v);
        let err = open_fast(&path, PASS).unwrap_err();
        assert!(
            matches!(err, Error::Tampered { account } if account == info.account),
            "{field}: {err}"
        );
    }

    // Renaming the entry breaks the binding of the name.
    let mut v = original.clone();
    v["keys"][0]["name"] = "treasury".into();
    write_json(&path, &v);
    assert!(matches!(open_fast(&path, PASS), Err(Error::Tampered { .. })));

    // Tampering with the check block reads as a wrong passphrase.
    let mut v = original.clone();
    let mut check = hex::decode(v["check"]["ciphertext"].as_str().unwrap()).unwrap();
    check[0] ^= 0x80;
    v["check"]["ciphertext"] = hex::encode(check).into();
    write_json(&path, &v);
    assert!(matches!(open_fast(&path, PASS), Err(Error::WrongPassphrase)));

    write_json(&path, &original);
    open_fast(&path, PASS).unwrap();
}

#[test]
fn swapped_ciphertexts_fail() {
    // The account and public key are associated data: moving one entry's
    // ciphertext under another account is detected.
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    store.generate("a", Suite::Ed25519).unwrap();
    store.generate("b", Suite::Ed25519).unwrap();
    drop(store);
    let mut v = read_json(&path);
    let keys = v["keys"].as_array_mut().unwrap();
    let (c0, n0) = (keys[0]["ciphertext"].clone(), keys[0]["nonce"].clone());
    keys[0]["ciphertext"] = keys[1]["ciphertext"].clone();
    keys[0]["nonce"] = keys[1]["nonce"].clone();
    keys[1]["ciphertext"] = c0;
    keys[1]["nonce"] = n0;
    write_json(&path, &v);
    assert!(matches!(open_fast(&path, PASS), Err(Error::Tampered { .. })));
}

#[test]
fn malformed_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    store.generate("a", Suite::Sm2).unwrap();
    drop(store);
    let original = read_json(&path);

    let mut v = original.clone();
    v["version"] = 2.into();
    write_json(&path, &v);
    assert!(matches!(
        open_fast(&path, PASS),
        Err(Error::UnsupportedVersion { found: 2, supported: 1 })
    ));

    let mut v = original.clone();
    v["kdf"]["m_cost_kib"] = (u32::MAX).into();
    write_json(&path, &v);
    assert!(matches!(open_fast(&path, PASS), Err(Error::InvalidKdfParams { .. })));

    let mut v = original.clone();
    v["keys"][0]["account"] = hex::encode([0u8; 32]).into();
    write_json(&path, &v);
    assert!(matches!(open_fast(&path, PASS), Err(Error::Malformed { .. })));

    std::fs::write(&path, b"{not json").unwrap();
    assert!(matches!(open_fast(&path, PASS), Err(Error::Malformed { .. })));

    assert!(matches!(open_fast(dir.path().join("missing.json"), PASS), Err(Error::Io { .. })));
}

#[test]
fn create_refuses_existing_file_and_empty_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _store) = new_store(dir.path());
    assert!(matches!(
        Keystore::create_with_params(&path, PASS, KdfParams::INSECURE_FAST),
        Err(Error::AlreadyExists { .. })
    ));
    let other = dir.path().join("other.json");
    assert!(matches!(
        Keystore::create_with_params(&other, "", KdfParams::INSECURE_FAST),
        Err(Error::EmptyPassphrase)
    ));
    assert!(!other.exists());
}

#[test]
fn duplicates_and_bad_names_are_refused_and_not_persisted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let key = SigningKey::generate(Suite::Ed25519, &mut OsRng);
    store.insert("a", &key).unwrap();
    assert!(matches!(store.insert("b", &key), Err(Error::DuplicateAccount { .. })));
    assert!(matches!(store.generate("a", Suite::Sm2), Err(Error::DuplicateName { .. })));
    for bad in ["", "tab\there", &"x".repeat(129)] {
        assert!(matches!(store.generate(bad, Suite::Sm2), Err(Error::InvalidName { .. })));
    }
    assert_eq!(store.len(), 1);
    assert_eq!(open_fast(&path, PASS).unwrap().len(), 1);
}

#[test]
fn remove_persists() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let a = store.generate("a", Suite::Ed25519).unwrap();
    let b = store.generate("b", Suite::Sm2).unwrap();
    assert!(store.remove(&a.account).unwrap());
    assert!(!store.remove(&a.account).unwrap());
    let store = open_fast(&path, PASS).unwrap();
    assert_eq!(store.list(), vec![b]);
    assert!(store.get(&a.account).is_none());
}

#[test]
fn failed_write_leaves_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    store.generate("a", Suite::Ed25519).unwrap();
    // Replace the file's directory entry by a directory: the rename must fail.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("blocker"), b"x").unwrap();
    assert!(matches!(store.generate("b", Suite::Sm2), Err(Error::Io { .. })));
    assert_eq!(store.len(), 1);
    assert_eq!(store.find("b"), None);
    // No temporary file is left behind (beside the writers' lock file).
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2);
}

#[test]
fn debug_shows_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = new_store(dir.path());
    let info = store.generate("a", Suite::Ed25519).unwrap();
    let secret = hex::encode(store.get(&info.account).unwrap().to_bytes().as_slice());
    let shown = format!("{store:?}");
    assert!(!shown.contains(&secret), "{shown}");
}

#[test]
fn open_refuses_a_kdf_below_the_floor() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = new_store(dir.path());
    drop(store);
    assert!(matches!(Keystore::open(&path, PASS), Err(Error::WeakKdf { .. })));
    let mut v = read_json(&path);
    v["kdf"]["t_cost"] = 1.into();
    v["kdf"]["m_cost_kib"] = (64 * 1024).into();
    write_json(&path, &v);
    assert!(matches!(Keystore::open(&path, PASS), Err(Error::WeakKdf { .. })));
}

#[test]
fn rekey_changes_the_passphrase_and_lifts_the_kdf_to_the_current_cost() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let info = store.generate("a", Suite::Sm2).unwrap();
    store.rekey("a new passphrase").unwrap();
    assert_eq!(store.kdf_params(), KdfParams::RECOMMENDED);
    assert!(store.sign(&info.account, b"x").is_ok());
    drop(store);
    assert!(matches!(Keystore::open(&path, PASS), Err(Error::WrongPassphrase)));
    let store = Keystore::open(&path, "a new passphrase").unwrap();
    assert_eq!(store.list(), vec![info]);
    assert!(matches!(
        Keystore::open(&path, "a new passphrase").unwrap().rekey(""),
        Err(Error::EmptyPassphrase)
    ));
}

/// Two processes (here: two handles) adding keys at the same time: every key
/// lands in the file, because each writer re-reads the file under its lock.
#[test]
fn concurrent_writers_lose_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let (path, first) = new_store(dir.path());
    let second = open_fast(&path, PASS).unwrap();
    let writers: Vec<_> = [("a", first), ("b", second)]
        .into_iter()
        .map(|(prefix, mut store)| {
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| store.generate(&format!("{prefix}{i}"), Suite::Ed25519).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut added: Vec<_> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    added.sort_by_key(|k| k.account);
    assert_eq!(open_fast(&path, PASS).unwrap().list(), added);
}
