//! Keystores and tokens on the command line, without a running node: `fapiao keystore
//! create|rekey`, `fapiao token create --ttl-days`, and a node that refuses to start
//! without its configured keystore or with the demo passphrase on a real chain.

use serde_json::Value;
use std::{
    path::Path,
    process::{Command, Output},
};

fn fapiao(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fapiao"));
    cmd.args(args).env_remove("FAPIAO_KEYSTORE_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run fapiao")
}

fn stdout_json(out: &Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A one-validator network from `fapiao init` (not a demo chain), with its node's
/// config pointing at a keystore `keys.json` that does not exist yet.
fn network(dir: &Path) -> std::path::PathBuf {
    let out = fapiao(
        &["init", "--validators", "1", "--out", dir.to_str().unwrap(), "--base-port", "47100"],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let config = dir.join("node0/config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("keystore = \"keys.json\"\n{text}")).unwrap();
    config
}

#[test]
fn keystore_create_and_rekey() {
    let tmp = tempfile::tempdir().unwrap();
    let config = network(tmp.path());
    let c = config.to_str().unwrap();
    let keys = tmp.path().join("node0/keys.json");

    let demo = [("FAPIAO_KEYSTORE_PASSPHRASE", fapiao_demo::DEMO_PASSPHRASE)];
    let out = fapiao(&["keystore", "create", "--config", c], &demo);
    assert_eq!(out.status.code(), Some(1), "the demo passphrase on a real chain");
    assert!(stderr(&out).contains("not a demo chain"), "{}", stderr(&out));
    assert!(!keys.exists());

    let out = fapiao(&["keystore", "create", "--config", c], &[]);
    assert_eq!(out.status.code(), Some(1), "no passphrase");

    let pass = [("FAPIAO_KEYSTORE_PASSPHRASE", "first secret")];
    let out = fapiao(&["keystore", "create", "--config", c], &pass);
    assert!(out.status.success(), "{}", stderr(&out));
    let ks = fapiao_keystore::Keystore::open(&keys, "first secret").unwrap();
    assert_eq!(ks.kdf_params(), fapiao_keystore::KdfParams::RECOMMENDED);
    drop(ks);
    let out = fapiao(&["keystore", "create", "--config", c], &pass);
    assert_eq!(out.status.code(), Some(1), "never overwrites a keystore");

    // A weak keystore (made by an old tool) is lifted by rekey.
    std::fs::remove_file(&keys).unwrap();
    let mut weak = fapiao_keystore::Keystore::create_with_params(
        &keys,
        "first secret",
        fapiao_keystore::KdfParams::INSECURE_FAST,
    )
    .unwrap();
    let held = weak.generate("member", fapiao_types::Suite::Sm2).unwrap();
    drop(weak);
    assert!(matches!(
        fapiao_keystore::Keystore::open(&keys, "first secret"),
        Err(fapiao_keystore::Error::WeakKdf { .. })
    ));
    let rekey = [
        ("FAPIAO_KEYSTORE_PASSPHRASE", "first secret"),
        ("FAPIAO_KEYSTORE_NEW_PASSPHRASE", "second secret"),
    ];
    let out = fapiao(&["keystore", "rekey", "--config", c], &rekey);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["keys"], 1);
    let ks = fapiao_keystore::Keystore::open(&keys, "second secret").unwrap();
    assert_eq!(ks.list(), vec![held]);
    assert!(fapiao_keystore::Keystore::open(&keys, "first secret").is_err());
}

#[test]
fn tokens_get_the_configured_or_the_given_lifetime() {
    let tmp = tempfile::tempdir().unwrap();
    let config = network(tmp.path());
    let c = config.to_str().unwrap();
    let account = "ab".repeat(32);
    let day = 24 * 3600 * 1000u64;
    let now = fapiao_node::now_ms();

    let out = fapiao(&["token", "create", "--config", c, "--account", &account], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let default = stdout_json(&out)["expires_ms"].as_u64().unwrap();
    assert!((now + 90 * day..now + 90 * day + 60_000).contains(&default), "{default}");

    let out =
        fapiao(&["token", "create", "--config", c, "--account", &account, "--ttl-days", "2"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let short = stdout_json(&out)["expires_ms"].as_u64().unwrap();
    assert!((now + 2 * day..now + 2 * day + 60_000).contains(&short), "{short}");
    let out =
        fapiao(&["token", "create", "--config", c, "--account", &account, "--ttl-days", "0"], &[]);
    assert_eq!(out.status.code(), Some(2), "a token must live at least a day");

    let out = fapiao(&["token", "list", "--config", c], &[]);
    let listed: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expiries: Vec<u64> = listed.iter().map(|t| t["expires_ms"].as_u64().unwrap()).collect();
    assert_eq!(expiries, vec![default, short]);
    assert!(listed.iter().all(|t| t["expired"] == false));
}

#[test]
fn a_node_does_not_start_without_its_configured_keystore() {
    let tmp = tempfile::tempdir().unwrap();
    let config = network(tmp.path());
    let c = config.to_str().unwrap();
    let pass = [("FAPIAO_KEYSTORE_PASSPHRASE", "a secret")];
    let out = fapiao(&["node", "--config", c], &pass);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));

    // With the keystore there, the demo passphrase is still refused on this chain.
    let keys = tmp.path().join("node0/keys.json");
    fapiao_keystore::Keystore::create(&keys, fapiao_demo::DEMO_PASSPHRASE).unwrap();
    let demo = [("FAPIAO_KEYSTORE_PASSPHRASE", fapiao_demo::DEMO_PASSPHRASE)];
    let out = fapiao(&["node", "--config", c], &demo);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a demo chain"), "{}", stderr(&out));
}
