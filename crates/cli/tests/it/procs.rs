//! What the multi-process tests of linked chains share: `fapiao` child processes killed
//! when dropped, `fapiao init`, custody on a node (keystore and tokens), blocking HTTP
//! calls (JSON, signed transactions, an org admin adding a member), waiting for a
//! condition with the tail of every log on a timeout, heights and the finance chain's
//! windows of the chains it follows.

use commonware_codec::Encode;
use fapiao_crypto::SigningKey;
use fapiao_types::{Action, Tx};
use rand_core::RngCore;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A `fapiao` child process, killed (SIGKILL) when dropped.
pub struct Proc(Option<Child>);

impl Proc {
    /// Runs `fapiao ARGS CONFIG`, its output appended to `log`.
    pub fn spawn(args: &[&str], config: &Path, log: &Path) -> Proc {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        Proc(Some(
            Command::new(env!("CARGO_BIN_EXE_fapiao"))
                .args(args)
                .arg(config)
                .env("FAPIAO_LOG", "info,commonware=warn")
                .stdout(Stdio::from(log.try_clone().unwrap()))
                .stderr(Stdio::from(log))
                .spawn()
                .unwrap(),
        ))
    }

    /// `fapiao node --config CONFIG`.
    pub fn node(config: &Path, log: &Path) -> Proc {
        Proc::spawn(&["node", "--config"], config, log)
    }

    /// `fapiao relayer --config CONFIG`.
    pub fn relayer(config: &Path, log: &Path) -> Proc {
        Proc::spawn(&["relayer", "--config"], config, log)
    }

    /// Whether it was not killed.
    pub fn alive(&self) -> bool {
        self.0.is_some()
    }

    /// SIGKILL, and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `fapiao init ARGS --out DIR`, which must succeed.
pub fn init(args: &[&str], dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
        .arg("init")
        .args(args)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A base port for `fapiao init` unlikely to collide with another test's.
pub fn base_port() -> u16 {
    20_000 + (rand_core::OsRng.next_u32() % 11_000) as u16
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

/// A blocking client (30 s timeout).
pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

/// The JSON of a successful GET, else `None` (an error status, or no answer).
pub fn get(url: &str) -> Option<Value> {
    get_with(url, None)
}

/// [`get`] with a bearer token.
pub fn get_with(url: &str, token: Option<&str>) -> Option<Value> {
    let mut r = http().get(url);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().ok()?;
    r.status().is_success().then(|| r.json().ok())?
}

/// A GET's status and JSON (a text body as a JSON string).
pub fn call_get(url: &str, token: Option<&str>) -> (u16, Value) {
    let mut r = http().get(url);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    answer(r.send().unwrap())
}

/// A POST of `body` as JSON: the status and JSON.
pub fn post(url: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut r = http().post(url).json(body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    answer(r.send().unwrap())
}

fn answer(r: reqwest::blocking::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// The status of a GET (0 when nothing answers).
pub fn status_of(url: &str) -> u16 {
    http().get(url).send().map(|r| r.status().as_u16()).unwrap_or(0)
}

/// Submits a signed transaction's bytes and waits for its receipt: the answer.
pub fn post_tx(node: &str, bytes: Vec<u8>) -> Value {
    http()
        .post(format!("{node}/v1/transactions?wait=true"))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .unwrap()
        .json()
        .unwrap()
}

/// The last lines of every log.
pub fn log_tails(logs: &[PathBuf], lines: usize) -> String {
    logs.iter()
        .map(|l| {
            let t = std::fs::read_to_string(l).unwrap_or_default();
            let tail: Vec<&str> = t.lines().rev().take(lines).collect();
            format!(
                "--- {}\n{}",
                l.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Polls `ok` until it holds; panics with the logs' tails after `within`.
pub fn wait_until(what: &str, within: Duration, logs: &[PathBuf], mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !ok() {
        if Instant::now() > deadline {
            panic!("timed out waiting: {what}\n{}", log_tails(logs, 15));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A node's executed height (0 when it does not answer).
pub fn height(node: &str) -> u64 {
    get(&format!("{node}/v1/status")).and_then(|s| s["height"].as_u64()).unwrap_or(0)
}

/// The window the chain at `node` keeps of chain `chain_id`: (height, digest) ascending.
pub fn window_of(node: &str, chain_id: &str) -> Vec<(u64, String)> {
    get(&format!("{node}/v1/crosschain/chains/{chain_id}"))
        .and_then(|v| v["window"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|e| (e["height"].as_u64().unwrap(), e["digest"].as_str().unwrap().to_string()))
        .collect()
}

/// Whether the chain at `node` keeps header `h` of chain `chain_id`.
pub fn window_has(node: &str, chain_id: &str, h: u64) -> bool {
    window_of(node, chain_id).iter().any(|(k, _)| *k == h)
}

/// Puts `keys` into a new keystore of the node whose config is `config` (the config then
/// names it, with `passphrase`) and gives each an API token: name → token. Call it before
/// the node starts.
pub fn custody(
    config: &Path,
    passphrase: &str,
    keys: &[(&str, &SigningKey)],
) -> BTreeMap<String, String> {
    let node = config.parent().unwrap();
    let mut store =
        fapiao_keystore::Keystore::create(node.join("keystore.json"), passphrase).unwrap();
    let mut tokens = fapiao_keystore::TokenStore::open_or_create(node.join("tokens.json")).unwrap();
    let mut out = BTreeMap::new();
    for (name, key) in keys {
        store.insert(name, key).unwrap();
        let (token, _) = tokens.create(key.account_id(), name, now_ms()).unwrap();
        out.insert((*name).to_string(), token);
    }
    let text = std::fs::read_to_string(config).unwrap();
    let keystore =
        format!("keystore = \"keystore.json\"\nkeystore_passphrase = \"{passphrase}\"\n");
    std::fs::write(config, keystore + &text).unwrap();
    out
}

/// A signed transaction of `key` on `chain` at `node`: the receipt's status (`ok`) or code.
pub fn submit(node: &str, chain: &str, key: &SigningKey, action: Action) -> String {
    let tx = Tx {
        chain_id: chain.into(),
        sender: key.public_key(),
        nonce: rand_core::OsRng.next_u64(),
        expiry: height(node) + 100,
        action,
    };
    let answer = post_tx(node, key.sign_tx(tx).encode().to_vec());
    let r = &answer["receipt"];
    if r["status"] == "ok" {
        "ok".into()
    } else {
        format!("{}: {answer}", r["code"].as_str().unwrap_or("?"))
    }
}

/// `POST url` as `token`, expecting 200: the answer.
pub fn ok(url: &str, token: &str, body: Value) -> Value {
    let (status, v) = post(url, Some(token), &body);
    assert_eq!(status, 200, "POST {url}: {v}");
    v
}

/// An org admin adds a member with `roles` through its node's custody: the member's
/// token and account.
pub fn member(node: &str, admin: &str, name: &str, roles: &[&str]) -> (String, String) {
    let v = ok(&format!("{node}/v1/accounts"), admin, json!({ "name": name, "roles": roles }));
    (v["token"].as_str().unwrap().to_string(), v["account"].as_str().unwrap().to_string())
}

/// A GET that answers 200 once the node has what it needs (a certified header): polls.
pub fn fetch(url: &str, token: &str, logs: &[PathBuf]) -> Value {
    let mut out = None;
    wait_until(&format!("GET {url}"), Duration::from_secs(60), logs, || {
        out = get_with(url, Some(token));
        out.is_some()
    });
    out.unwrap()
}
