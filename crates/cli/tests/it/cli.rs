//! The command line against a running demo node: keygen, tx, status, token; exit codes.

use crate::harness::Demo;
use serde_json::{json, Value};
use std::process::{Command, Output};

fn fapiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fapiao")).args(args).output().expect("run fapiao")
}

fn stdout_json(out: &Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn cli_commands_against_a_demo_node_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(&tmp.path().join("node"));
    let node = demo.url.as_str();

    // Usage errors exit 2, help exits 0.
    assert_eq!(fapiao(&["--help"]).status.code(), Some(0));
    assert_eq!(fapiao(&["tx"]).status.code(), Some(2));
    assert_eq!(fapiao(&["no-such-command"]).status.code(), Some(2));

    // status
    let out = fapiao(&["status", "--node", node]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["chain_id"], "fapiao-demo");
    // An unreachable node is an error (exit 1).
    assert_eq!(fapiao(&["status", "--node", "http://127.0.0.1:1"]).status.code(), Some(1));

    // keygen, both suites; an existing file is not overwritten.
    for suite in ["ed25519", "sm2"] {
        let path = tmp.path().join(format!("{suite}.json"));
        let out = fapiao(&["keygen", "--suite", suite, "--out", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let k = stdout_json(&out);
        assert_eq!(k["suite"], suite);
        let key = fapiao_keystore::read_key_file(&path).unwrap();
        assert_eq!(k["account"], key.account_id().to_string());
        assert_eq!(
            fapiao(&["keygen", "--suite", suite, "--out", path.to_str().unwrap()]).status.code(),
            Some(1)
        );
    }
    let new =
        stdout_json(&fapiao(&["keygen", "--out", tmp.path().join("m.json").to_str().unwrap()]));

    // tx: the tax bureau's admin adds the new key as a tax officer, signed client-side.
    let admin_key = demo.identity("sz-tax admin")["key_file"].as_str().unwrap().to_string();
    let out = fapiao(&[
        "tx",
        "--node",
        node,
        "--key",
        &admin_key,
        "add-account",
        "--public-key",
        new["public_key"].as_str().unwrap(),
        "--name",
        "Officer Wang",
        "--role",
        "tax.officer",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = stdout_json(&out);
    assert_eq!(r["receipt"]["status"], "ok", "{r}");
    let (s, acct) = demo.get(&format!("/v1/state/account/{}", new["account"].as_str().unwrap()));
    assert_eq!(s, 200);
    assert_eq!(acct["value"]["roles"], json!(["tax.officer"]));
    // A transaction that fails a rule exits 1 and says why.
    let out = fapiao(&[
        "tx",
        "--node",
        node,
        "--key",
        &admin_key,
        "revoke-account",
        "--account",
        &"ab".repeat(32),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_account"));
    // A refused one too (the officer lacks org.admin).
    let out = fapiao(&[
        "tx",
        "--node",
        node,
        "--key",
        tmp.path().join("m.json").to_str().unwrap(),
        "revoke-account",
        "--account",
        &"ab".repeat(32),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing_role"));
    // --print gives the canonical signed bytes without submitting.
    let out = fapiao(&[
        "tx",
        "--node",
        node,
        "--key",
        &admin_key,
        "--print",
        "revoke-account",
        "--account",
        &"cd".repeat(32),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let hex_tx = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let stx = fapiao_ledger::decode_tx(&hex::decode(&hex_tx).unwrap(), 65536).unwrap();
    fapiao_crypto::verify_signed_tx(&stx).unwrap();

    // A merchant lists the platforms it takes orders from: the restaurant's POS signs.
    let pos_key = demo.identity("Restaurant POS")["key_file"].as_str().unwrap().to_string();
    let accept = |platform: &str| {
        fapiao(&[
            "tx",
            "--node",
            node,
            "--key",
            &pos_key,
            "set-accepted-platforms",
            "--uscc",
            "91440300555012347H",
            "--platform",
            platform,
        ])
    };
    let out = accept("wechat-pay");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = accept("huawei");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invoice.not_a_platform"));
    let (s, v) = demo.get("/v1/state/accepted-platforms/91440300555012347H");
    assert_eq!(s, 200, "public, like the catalogue");
    assert_eq!(v["key"], "accepted-platforms/91440300555012347H");

    // invoice and taxpayer commands, through the custodial API with a token.
    let pos = demo.identity("Restaurant POS")["token"].as_str().unwrap().to_string();
    let out = fapiao(&["taxpayer", "show", "91440300555012347H", "--node", node]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["status"], "active");
    let file = tmp.path().join("issue.json");
    std::fs::write(
        &file,
        json!({
            "seller": "91440300555012347H", "kind": "ordinary",
            "buyer": {"kind": "person", "name": "王先生"},
            "lines": [{"name": "*餐饮服务*餐费", "tax_code": "3070401000000000000", "gross": "66.00", "rate": "0.06"}]
        })
        .to_string(),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = fapiao(&["invoice", "preview", f, "--node", node]);
    assert_eq!(stdout_json(&out)["total_with_tax_in_capitals"], "陆拾陆圆整");
    let out = fapiao(&["invoice", "issue", f, "--node", node, "--token", &pos]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let inv = stdout_json(&out)["invoice"].clone();
    let number = inv["number"].as_str().unwrap();
    let out = fapiao(&["invoice", "show", number, "--node", node, "--token", &pos]);
    assert_eq!(stdout_json(&out)["total_with_tax"], "66.00");
    let out = fapiao(&[
        "invoice",
        "verify",
        "--number",
        number,
        "--date",
        inv["date"].as_str().unwrap(),
        "--total",
        "66.00",
        "--node",
        node,
    ]);
    assert_eq!(stdout_json(&out)["genuine"], true);
    // Without a token the issuance is refused, with the API's code (exit 1).
    let out = fapiao(&["invoice", "issue", f, "--node", node]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unauthorized"));

    // token: create for an account, use it, list it, revoke it.
    let config = demo.dir.join("config.toml");
    let admin_account = demo.identity("sz-tax admin")["account"].as_str().unwrap().to_string();
    let out = fapiao(&[
        "token",
        "create",
        "--config",
        config.to_str().unwrap(),
        "--account",
        &admin_account,
        "--label",
        "ops",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let t = stdout_json(&out);
    let token = t["token"].as_str().unwrap();
    let (s, r) = demo.post_json(
        "/v1/accounts",
        Some(token),
        json!({"name": "Officer Zhao", "roles": ["tax.officer"]}),
    );
    assert_eq!(s, 200, "{r}");
    let list = fapiao(&["token", "list", "--config", config.to_str().unwrap()]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains(t["id"].as_str().unwrap()));
    assert!(!listed.contains(token), "listing never shows secrets");
    let out = fapiao(&[
        "token",
        "revoke",
        "--config",
        config.to_str().unwrap(),
        "--id",
        t["id"].as_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (s, _) =
        demo.post_json("/v1/accounts", Some(token), json!({"name": "Officer Sun", "roles": []}));
    assert_eq!(s, 401, "a revoked token no longer works");
}

/// `fapiao init --demo --tls` (no node started): every node has a key (mode 0600) and a
/// self-signed certificate, every config serves TLS, reaches its peers at `https://` and
/// pins every other node's certificate, and each identity names its node's `https://`
/// URL and certificate.
#[test]
fn init_tls_writes_certificates_pinned_https_peers_and_identities() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("net");
    let args = ["init", "--validators", "2", "--full-nodes", "1", "--demo", "--tls", "--out"];
    let done = Command::new(env!("CARGO_BIN_EXE_fapiao")).args(args).arg(&out).output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(stdout_json(&done)["tls"], true);
    let certs: Vec<_> =
        (0..3).map(|i| out.join(format!("node{i}/tls.crt")).canonicalize().unwrap()).collect();
    for i in 0..3 {
        let cfg = fapiao_node::NodeConfig::load(&out.join(format!("node{i}/config.toml"))).unwrap();
        let tls = cfg.tls.as_ref().expect("[tls]");
        assert_eq!(tls.cert.canonicalize().unwrap(), certs[i]);
        let others: Vec<_> = certs.iter().filter(|c| **c != certs[i]).cloned().collect();
        let pinned: Vec<_> = tls.peer_certs.iter().map(|p| p.canonicalize().unwrap()).collect();
        assert_eq!(pinned, others);
        assert!(!cfg.peers.is_empty());
        assert!(cfg.peers.iter().all(|p| p.starts_with("https://127.0.0.1:")), "{:?}", cfg.peers);
        let server = fapiao_node::tls::server_config(tls);
        assert!(server.is_ok(), "node{i}: {:?}", server.err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&tls.key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "node{i}/tls.key");
        }
    }
    let ids: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(out.join("identities.json")).unwrap())
            .unwrap();
    assert!(!ids.is_empty());
    for id in &ids {
        let url = id["node"].as_str().unwrap();
        let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
        let node = (0..3)
            .find(|i| {
                let cfg = out.join(format!("node{i}/config.toml"));
                fapiao_node::NodeConfig::load(&cfg).unwrap().http.port() == port
            })
            .unwrap();
        assert!(url.starts_with("https://"), "{url}");
        let cert = std::path::Path::new(id["tls_cert"].as_str().unwrap()).canonicalize().unwrap();
        assert_eq!(cert, certs[node]);
    }
}

/// `fapiao governance` against a demo node (threshold 1): parameters, a proposal that adds
/// an insurer (enacted at once), the proposal list, a refusal with its code, and a tax
/// officer creating an enterprise.
#[test]
fn governance_commands_against_a_demo_node_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(&tmp.path().join("node"));
    let node = demo.url.as_str();
    let run = |args: &[&str], token: Option<&str>| {
        let mut all = vec!["governance", "--node", node];
        if let Some(t) = token {
            all.extend(["--token", t]);
        }
        all.extend(args);
        fapiao(&all)
    };
    let out = run(&["params", "invoice/tax-rules"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let p = stdout_json(&out);
    assert_eq!((p["timing"].as_str(), p["in_force"].as_u64()), (Some("date"), Some(0)));

    let admin = demo.identity("sz-tax admin")["token"].as_str().unwrap().to_string();
    let key =
        stdout_json(&fapiao(&["keygen", "--out", tmp.path().join("a.json").to_str().unwrap()]));
    let change = tmp.path().join("change.json");
    std::fs::write(
        &change,
        json!({"kind": "add_organisation", "id": "zhongan-sz", "name": "众安保险深圳",
               "org_kind": "insurer",
               "admins": [{"public_key": key["public_key"], "name": "admin"}]})
        .to_string(),
    )
    .unwrap();
    let out = run(&["propose", change.to_str().unwrap(), "--note", "a new insurer"], Some(&admin));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let p = stdout_json(&out)["proposal"].clone();
    assert_eq!(p["status"], "enacted", "{p}");
    let id = p["id"].as_u64().unwrap().to_string();
    let out = run(&["proposals", "--status", "enacted"], None);
    assert_eq!(stdout_json(&out)["proposals"][0]["change"]["id"], "zhongan-sz");
    let (s, org) = demo.get("/v1/state/org/zhongan-sz");
    assert_eq!(s, 200, "{org}");
    // Approving an enacted proposal is refused, with its code (exit 1).
    let out = run(&["approve", &id], Some(&admin));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("proposal_closed"));

    let officer = demo.identity("Officer Chen")["token"].as_str().unwrap().to_string();
    let shop =
        stdout_json(&fapiao(&["keygen", "--out", tmp.path().join("s.json").to_str().unwrap()]));
    let args = [
        "create-enterprise",
        "--id",
        "fz-shop",
        "--name",
        "福州某商店",
        "--tax-id",
        "91350100M000100Y43",
        "--admin-key",
        shop["public_key"].as_str().unwrap(),
    ];
    let out = run(&args, Some(&officer));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["id"], "fz-shop");
    // An admin is not a tax officer.
    let out = run(&args, Some(&admin));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing_role"));
}

/// A tax node whose chain pins a chain secret (ADR 0012) refuses to start without it, or
/// with another one, naming the file; with it, it gets past the check.
#[test]
fn a_tax_node_without_its_chain_secret_refuses_to_start_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("chains");
    let base = 20_000 + (std::process::id() % 10_000) as u16;
    let init = fapiao(&[
        "init",
        "--chains",
        "tax",
        "--validators",
        "1",
        "--base-port",
        &base.to_string(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let node = out.join("tax/node0");
    let secret = node.join("secrets/chain-secret");
    assert_eq!(std::fs::read_to_string(&secret).unwrap().trim().len(), 64);
    let config = node.join("config.toml");
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_fapiao"))
            .args(["node", "--config"])
            .arg(&config)
            .output()
            .expect("run fapiao node")
    };
    std::fs::remove_file(&secret).unwrap();
    let missing = start();
    let err = String::from_utf8_lossy(&missing.stderr).to_string();
    assert!(!missing.status.success());
    assert!(err.contains("chain-secret") && err.contains("invoice/tax-summary"), "{err}");
    std::fs::write(&secret, "11".repeat(32)).unwrap();
    let other = start();
    let err = String::from_utf8_lossy(&other.stderr).to_string();
    assert!(!other.status.success());
    assert!(err.contains("chain-secret") && err.contains("another chain secret"), "{err}");
}
