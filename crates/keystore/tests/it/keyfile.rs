//! Plain key files: round trips, mismatch detection, refusal to overwrite,
//! permissions.

use fapiao_crypto::SigningKey;
use fapiao_keystore::{
    generate_validator_key, read_key_file, read_validator_key, write_key_file, write_validator_key,
    Error,
};
use fapiao_types::Suite;
use rand_core::OsRng;
use serde_json::Value;
use std::path::Path;

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_vec(v).unwrap()).unwrap();
}

#[test]
fn member_key_round_trip_both_suites() {
    let dir = tempfile::tempdir().unwrap();
    for suite in [Suite::Ed25519, Suite::Sm2] {
        let path = dir.path().join(format!("{suite}.key"));
        let key = SigningKey::generate(suite, &mut OsRng);
        write_key_file(&path, &key).unwrap();
        let back = read_key_file(&path).unwrap();
        assert_eq!(back.suite(), suite);
        assert_eq!(*back.to_bytes(), *key.to_bytes());
        assert_eq!(back.public_key(), key.public_key());

        let v = read_json(&path);
        assert_eq!(v["suite"], suite.as_str());
        assert_eq!(v["secret_key"], hex::encode(key.to_bytes().as_slice()));
        assert_eq!(v["public_key"], key.public_key().to_hex());
        assert_eq!(v["account"], key.account_id().to_string());
        assert_eq!(v.as_object().unwrap().len(), 4);
    }
}

#[test]
fn member_key_mismatches_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.key");
    let key = SigningKey::generate(Suite::Sm2, &mut OsRng);
    let other = SigningKey::generate(Suite::Sm2, &mut OsRng);
    write_key_file(&path, &key).unwrap();
    let original = read_json(&path);

    let mut v = original.clone();
    v["public_key"] = other.public_key().to_hex().into();
    write_json(&path, &v);
    let err = read_key_file(&path).unwrap_err();
    assert!(matches!(err, Error::KeyMismatch { field: "public_key", .. }), "{err}");
    assert!(err.to_string().contains("public_key does not match"), "{err}");

    let mut v = original.clone();
    v["account"] = other.account_id().to_string().into();
    write_json(&path, &v);
    assert!(matches!(read_key_file(&path), Err(Error::KeyMismatch { field: "account", .. })));

    // Another key's secret under this key's public key and account.
    let mut v = original.clone();
    v["secret_key"] = hex::encode(other.to_bytes().as_slice()).into();
    write_json(&path, &v);
    assert!(matches!(read_key_file(&path), Err(Error::KeyMismatch { .. })));

    // The same secret read as the other suite.
    let mut v = original.clone();
    v["suite"] = "ed25519".into();
    write_json(&path, &v);
    assert!(read_key_file(&path).is_err());

    write_json(&path, &original);
    read_key_file(&path).unwrap();
}

#[test]
fn malformed_member_key_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.key");
    let key = SigningKey::generate(Suite::Ed25519, &mut OsRng);
    write_key_file(&path, &key).unwrap();
    let original = read_json(&path);
    let n = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123";
    let cases: Vec<(&str, Value)> = vec![
        ("suite", serde_json::json!("rsa")),
        ("secret_key", serde_json::json!("abcd")),
        ("secret_key", serde_json::json!("zz".repeat(32))),
        ("public_key", serde_json::json!("00")),
        ("account", serde_json::json!("xyz")),
    ];
    for (field, value) in cases {
        let mut v = original.clone();
        v[field] = value;
        write_json(&path, &v);
        let err = read_key_file(&path).unwrap_err();
        assert!(matches!(err, Error::InvalidFile { .. }), "{field}: {err}");
        assert!(err.to_string().contains("k.key"), "names the file: {err}");
    }
    // An SM2 secret out of range.
    let mut v = original.clone();
    v["suite"] = "sm2".into();
    v["secret_key"] = n.into();
    write_json(&path, &v);
    assert!(matches!(read_key_file(&path), Err(Error::InvalidFile { .. })));
    // Missing and unknown fields.
    let mut v = original.clone();
    v.as_object_mut().unwrap().remove("account");
    write_json(&path, &v);
    let err = read_key_file(&path).unwrap_err();
    assert!(err.to_string().contains("missing field `account`"), "{err}");
    let mut v = original.clone();
    v["extra"] = 1.into();
    write_json(&path, &v);
    assert!(matches!(read_key_file(&path), Err(Error::InvalidFile { .. })));
    std::fs::write(&path, b"not json").unwrap();
    assert!(matches!(read_key_file(&path), Err(Error::InvalidFile { .. })));
    assert!(matches!(read_key_file(dir.path().join("missing.key")), Err(Error::Io { .. })));
}

#[test]
fn validator_key_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("validator.json");
    let secret = [7u8; 32];
    let public = write_validator_key(&path, &secret).unwrap();
    let expected = ed25519_consensus::SigningKey::from(secret).verification_key().to_bytes();
    assert_eq!(public, expected);
    let (back, back_public) = read_validator_key(&path).unwrap();
    assert_eq!(*back, secret);
    assert_eq!(back_public, public);

    let v = read_json(&path);
    assert_eq!(v["type"], "validator-ed25519");
    assert_eq!(v["secret_key"], hex::encode(secret));
    assert_eq!(v["public_key"], hex::encode(public));
    assert_eq!(v.as_object().unwrap().len(), 3);

    let generated = dir.path().join("generated.json");
    let public = generate_validator_key(&generated).unwrap();
    let (secret, back_public) = read_validator_key(&generated).unwrap();
    assert_eq!(back_public, public);
    assert_ne!(*secret, [0u8; 32]);
    let other = generate_validator_key(dir.path().join("other.json")).unwrap();
    assert_ne!(other, public);
}

#[test]
fn validator_key_mismatch_and_wrong_kind_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("validator.json");
    write_validator_key(&path, &[1; 32]).unwrap();
    let original = read_json(&path);

    let mut v = original.clone();
    v["public_key"] =
        hex::encode(ed25519_consensus::SigningKey::from([2u8; 32]).verification_key().to_bytes())
            .into();
    write_json(&path, &v);
    assert!(matches!(
        read_validator_key(&path),
        Err(Error::KeyMismatch { field: "public_key", .. })
    ));

    let mut v = original.clone();
    v["type"] = "validator-bls".into();
    write_json(&path, &v);
    let err = read_validator_key(&path).unwrap_err();
    assert!(matches!(err, Error::InvalidFile { .. }), "{err}");

    let mut v = original.clone();
    v["secret_key"] = "01".into();
    write_json(&path, &v);
    assert!(matches!(read_validator_key(&path), Err(Error::InvalidFile { .. })));

    // A member key file is not a validator key, and the other way round.
    let member = dir.path().join("member.key");
    write_key_file(&member, &SigningKey::generate(Suite::Ed25519, &mut OsRng)).unwrap();
    let err = read_validator_key(&member).unwrap_err();
    assert!(err.to_string().contains("member key file"), "{err}");
    write_json(&path, &original);
    let err = read_key_file(&path).unwrap_err();
    assert!(err.to_string().contains("not a member key file"), "{err}");
    read_validator_key(&path).unwrap();
}

#[test]
fn writers_refuse_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taken");
    std::fs::write(&path, b"precious").unwrap();
    let key = SigningKey::generate(Suite::Sm2, &mut OsRng);
    assert!(matches!(write_key_file(&path, &key), Err(Error::AlreadyExists { .. })));
    assert!(matches!(write_validator_key(&path, &[3; 32]), Err(Error::AlreadyExists { .. })));
    assert!(matches!(generate_validator_key(&path), Err(Error::AlreadyExists { .. })));
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");

    // Also a key file written a moment ago.
    let k = dir.path().join("k.key");
    write_key_file(&k, &key).unwrap();
    let other = SigningKey::generate(Suite::Sm2, &mut OsRng);
    assert!(matches!(write_key_file(&k, &other), Err(Error::AlreadyExists { .. })));
    assert_eq!(read_key_file(&k).unwrap().public_key(), key.public_key());

    #[cfg(unix)]
    {
        // A dangling symlink is not followed.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        assert!(matches!(write_key_file(&link, &key), Err(Error::AlreadyExists { .. })));
        assert!(!dir.path().join("nowhere").exists());
    }
}

#[cfg(unix)]
#[test]
fn key_files_have_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let member = dir.path().join("m.key");
    write_key_file(&member, &SigningKey::generate(Suite::Ed25519, &mut OsRng)).unwrap();
    assert_eq!(mode(&member), 0o600);
    let validator = dir.path().join("v.json");
    generate_validator_key(&validator).unwrap();
    assert_eq!(mode(&validator), 0o600);
}
