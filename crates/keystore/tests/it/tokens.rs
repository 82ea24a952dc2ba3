//! `TokenStore`: round trips, secrecy of the file, reloading, permissions.

use fapiao_keystore::{Error, TokenInfo, TokenStore, TOKEN_LEN, TOKEN_PREFIX};
use fapiao_types::AccountId;
use std::path::{Path, PathBuf};

const ALICE: AccountId = AccountId([0xa1; 32]);
const BOB: AccountId = AccountId([0xb0; 32]);
/// An instant when every token these tests create at 0–3 s is still valid.
const NOW: u64 = 10_000;

fn new_store(dir: &Path) -> (PathBuf, TokenStore) {
    let path = dir.join("tokens.json");
    let store = TokenStore::open_or_create(&path).unwrap();
    (path, store)
}

#[test]
fn create_authenticate_revoke_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    assert!(path.exists(), "open_or_create writes an empty store");
    assert!(store.list().is_empty());

    let (secret, info) = store.create(ALICE, "billing", 1_000).unwrap();
    assert_eq!(secret.len(), TOKEN_LEN);
    assert!(secret.starts_with(TOKEN_PREFIX));
    assert_eq!(
        info,
        TokenInfo {
            id: info.id.clone(),
            account: ALICE,
            label: "billing".into(),
            created_ms: 1_000,
            expires_ms: 1_000 + fapiao_keystore::DEFAULT_TOKEN_TTL_MS,
            revoked: false,
        }
    );
    assert_eq!(info.id.len(), 16);
    assert_eq!(info.id, hex::encode(&fapiao_types::sha256(secret.as_bytes())[..8]));
    let (other, other_info) = store.create(BOB, "", 2_000).unwrap();
    assert_ne!(secret, other);

    assert_eq!(store.authenticate_at(&secret, NOW), Some(info.clone()));
    assert_eq!(store.authenticate_at(&other, NOW).unwrap().account, BOB);
    assert_eq!(store.list(), vec![info.clone(), other_info.clone()]);

    assert!(store.revoke(&info.id).unwrap());
    assert!(!store.revoke(&info.id).unwrap(), "already revoked");
    assert!(!store.revoke("0000000000000000").unwrap(), "unknown id");
    assert_eq!(store.authenticate_at(&secret, NOW), None);
    assert_eq!(store.authenticate_at(&other, NOW), Some(other_info));
    assert!(store.list()[0].revoked);
}

#[test]
fn malformed_or_unknown_token_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = new_store(dir.path());
    let (secret, _) = store.create(ALICE, "a", 1).unwrap();
    let hex = &secret[TOKEN_PREFIX.len()..];
    let mut flipped = secret.clone().into_bytes();
    let last = flipped.len() - 1;
    flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in [
        String::new(),
        "fpt_".into(),
        hex.to_owned(),
        format!("fpx_{hex}"),
        secret.to_uppercase(),
        format!("FPT_{hex}"),
        format!("{secret}0"),
        secret[..TOKEN_LEN - 1].to_owned(),
        format!(" {secret}"),
        format!("Bearer {secret}"),
        flipped,
        format!("fpt_{}", "g".repeat(64)),
        format!("fpt_{}", "é".repeat(32)),
    ] {
        assert_eq!(store.authenticate_at(&bad, NOW), None, "{bad:?}");
    }
    assert!(store.authenticate_at(&secret, NOW).is_some());
}

#[test]
fn file_does_not_contain_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let secrets: Vec<String> =
        (0..4).map(|i| store.create(ALICE, &format!("t{i}"), i).unwrap().0).collect();
    let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
    for secret in &secrets {
        let hex = &secret[TOKEN_PREFIX.len()..];
        // No 8-byte window of the secret, in hex, appears in the file.
        for start in (0..hex.len() - 16).step_by(2) {
            assert!(!text.contains(&hex[start..start + 16]), "secret in file");
        }
        let hash = hex::encode(fapiao_types::sha256(secret.as_bytes()));
        assert!(text.contains(&hash), "hash is stored");
    }
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let record = &json["tokens"][0];
    let mut keys: Vec<_> = record.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["account", "created_ms", "expires_ms", "hash", "id", "label", "revoked"]);
    assert_eq!(record["account"], ALICE.to_string());
    assert!(!format!("{store:?}").contains(&secrets[0]));
}

#[test]
fn persisted_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let (a, a_info) = store.create(ALICE, "a", 10).unwrap();
    let (b, b_info) = store.create(BOB, "b", 20).unwrap();
    store.revoke(&b_info.id).unwrap();
    drop(store);

    let store = TokenStore::open_or_create(&path).unwrap();
    assert_eq!(store.authenticate_at(&a, NOW), Some(a_info.clone()));
    assert_eq!(store.authenticate_at(&b, NOW), None);
    assert_eq!(store.list(), vec![a_info, TokenInfo { revoked: true, ..b_info }]);
}

#[test]
fn reload_picks_up_changes_by_another_instance() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut node) = new_store(dir.path());
    let mut cli = TokenStore::open_or_create(&path).unwrap();
    assert!(!node.reload_if_changed().unwrap());

    let (secret, info) = cli.create(ALICE, "from cli", 5).unwrap();
    assert_eq!(node.authenticate_at(&secret, NOW), None, "not yet reloaded");
    assert!(node.reload_if_changed().unwrap());
    assert_eq!(node.authenticate_at(&secret, NOW), Some(info.clone()));
    assert!(!node.reload_if_changed().unwrap(), "unchanged: no re-read");

    // A revocation by the CLI is seen too.
    assert!(cli.revoke(&info.id).unwrap());
    assert!(node.reload_if_changed().unwrap());
    assert_eq!(node.authenticate_at(&secret, NOW), None);

    // Writes of the node do not make it re-read its own file...
    let (mine, _) = node.create(BOB, "node", 6).unwrap();
    assert!(!node.reload_if_changed().unwrap());
    // ...and mutations first pick up the other instance's changes, so the
    // CLI's token created meanwhile survives the node's write.
    let (from_cli, _) = cli.create(ALICE, "second", 7).unwrap();
    let (third, _) = node.create(BOB, "node 2", 8).unwrap();
    for s in [&mine, &from_cli, &third] {
        assert!(node.authenticate_at(s, NOW).is_some());
    }
    assert!(cli.reload_if_changed().unwrap());
    assert_eq!(cli.list(), node.list());

    // Deleting the file revokes everything.
    std::fs::remove_file(&path).unwrap();
    assert!(node.reload_if_changed().unwrap());
    assert!(node.list().is_empty());
    assert!(node.authenticate_at(&third, NOW).is_none());
}

#[test]
fn reload_of_a_broken_file_fails_and_keeps_the_old_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let (secret, _) = store.create(ALICE, "a", 1).unwrap();
    let good = std::fs::read(&path).unwrap();
    std::fs::write(&path, b"{ not json").unwrap();
    assert!(matches!(store.reload_if_changed(), Err(Error::InvalidFile { .. })));
    assert!(store.authenticate_at(&secret, NOW).is_some());
    // Still failing on the next call, then recovers once the file is fixed.
    assert!(store.reload_if_changed().is_err());
    std::fs::write(&path, good).unwrap();
    assert!(store.reload_if_changed().unwrap());
    assert!(store.authenticate_at(&secret, NOW).is_some());
}

#[test]
fn malformed_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    store.create(ALICE, "a", 1).unwrap();
    store.create(BOB, "b", 2).unwrap();
    drop(store);
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let edits: Vec<(&str, Edit)> = vec![
        ("version", Box::new(|v| v["version"] = 3.into())),
        ("id", Box::new(|v| v["tokens"][0]["id"] = "0123456789abcdef".into())),
        ("hash", Box::new(|v| v["tokens"][0]["hash"] = "abcd".into())),
        ("account", Box::new(|v| v["tokens"][0]["account"] = "xyz".into())),
        ("label", Box::new(|v| v["tokens"][0]["label"] = "a\nb".into())),
        ("extra", Box::new(|v| v["tokens"][0]["secret"] = "x".into())),
        (
            "duplicate",
            Box::new(|v| {
                let first = v["tokens"][0].clone();
                v["tokens"][1] = first;
            }),
        ),
    ];
    for (what, edit) in edits {
        let mut v = original.clone();
        edit(&mut v);
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        let err = TokenStore::open_or_create(&path).unwrap_err();
        assert!(matches!(err, Error::InvalidFile { .. }), "{what}: {err}");
    }
}

#[test]
fn invalid_labels_are_refused_and_not_persisted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    for bad in ["tab\there".to_owned(), "x".repeat(129)] {
        assert!(matches!(store.create(ALICE, &bad, 1), Err(Error::InvalidLabel { .. })));
    }
    assert!(store.list().is_empty());
    assert!(TokenStore::open_or_create(&path).unwrap().list().is_empty());
}

#[test]
fn broken_path_fails_without_changing_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let (secret, info) = store.create(ALICE, "a", 1).unwrap();
    // Make the rename fail: the file's entry becomes a non-empty directory.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("blocker"), b"x").unwrap();
    assert!(store.create(BOB, "b", 2).is_err());
    assert!(store.revoke(&info.id).is_err());
    assert_eq!(store.list(), vec![info]);
    assert!(store.authenticate_at(&secret, NOW).is_some());
}

#[cfg(unix)]
#[test]
fn file_mode_is_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    let (_, info) = store.create(ALICE, "a", 1).unwrap();
    assert_eq!(mode(&path), 0o600);
    store.revoke(&info.id).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir.path().join("tokens.json.lock")), 0o600);
    let mut names: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("tokens.json"), std::ffi::OsString::from("tokens.json.lock")]
    );
}

#[test]
fn tokens_expire() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(dir.path());
    let (short, info) = store.create_with_ttl(ALICE, "short", 1_000, 500).unwrap();
    assert_eq!(info.expires_ms, 1_500);
    assert!(store.authenticate_at(&short, 1_499).is_some());
    assert_eq!(store.authenticate_at(&short, 1_500), None);
    // The store's default: 90 days, or what the node configured.
    let (_, info) = store.create(BOB, "default", 1_000).unwrap();
    assert_eq!(info.expires_ms, 1_000 + fapiao_keystore::DEFAULT_TOKEN_TTL_MS);
    store.set_ttl_ms(10);
    let (_, info) = store.create(BOB, "ten", 1_000).unwrap();
    assert_eq!(info.expires_ms, 1_010);
    // The expiry is in the file.
    let reopened = TokenStore::open_or_create(&path).unwrap();
    assert_eq!(reopened.list()[0].expires_ms, 1_500);
    // A token made an hour ago with a day to live works now (system clock).
    let (live, _) =
        store.create_with_ttl(ALICE, "live", now_ms() - 3_600_000, 24 * 3_600_000).unwrap();
    assert!(store.authenticate(&live).is_some());
    let (dead, _) = store.create_with_ttl(ALICE, "dead", now_ms() - 3_600_000, 1).unwrap();
    assert_eq!(store.authenticate(&dead), None);
}

#[test]
fn version_1_files_read_with_the_default_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let secret = format!("{TOKEN_PREFIX}{}", "ab".repeat(32));
    let hash = fapiao_types::sha256(secret.as_bytes());
    let v1 = serde_json::json!({ "version": 1, "tokens": [{
        "id": hex::encode(&hash[..8]), "hash": hex::encode(hash), "account": ALICE.to_string(),
        "label": "old", "created_ms": 5, "revoked": false }] });
    std::fs::write(&path, serde_json::to_vec(&v1).unwrap()).unwrap();
    let store = TokenStore::open_or_create(&path).unwrap();
    assert_eq!(store.list()[0].expires_ms, 5 + fapiao_keystore::DEFAULT_TOKEN_TTL_MS);
    assert!(store.authenticate_at(&secret, 6).is_some());
    assert_eq!(store.authenticate(&secret), None, "created in 1970: long expired");
}

/// A `fapiao token revoke` racing the node's token creation: both writers go
/// through the file lock and re-read the file, so neither change is lost.
#[test]
fn concurrent_create_and_revoke_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut node) = new_store(dir.path());
    let mut victims = Vec::new();
    for i in 0..20 {
        victims.push(node.create(ALICE, &format!("victim {i}"), 1).unwrap());
    }
    let mut cli = TokenStore::open_or_create(&path).unwrap();
    let ids: Vec<String> = victims.iter().map(|(_, info)| info.id.clone()).collect();
    let revoker = std::thread::spawn(move || {
        for id in &ids {
            assert!(cli.revoke(id).unwrap(), "{id}");
        }
    });
    let creator = std::thread::spawn(move || {
        (0..20).map(|i| node.create(BOB, &format!("new {i}"), 2).unwrap().0).collect::<Vec<_>>()
    });
    revoker.join().unwrap();
    let created = creator.join().unwrap();
    let after = TokenStore::open_or_create(&path).unwrap();
    assert_eq!(after.list().len(), 40);
    for (secret, _) in &victims {
        assert_eq!(after.authenticate_at(secret, 3), None, "a revocation was lost");
    }
    for secret in &created {
        assert!(after.authenticate_at(secret, 3).is_some(), "a created token was lost");
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}
