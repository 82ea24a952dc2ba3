//! Three one-validator chains from `fapiao init --chains`, and relayers between two of
//! them as separate processes: the finance chain registers the tax chain by governance,
//! a relayer fills its window with the tax chain's certified headers; a forged header and
//! another chain's header are refused with their codes; a second relayer racing changes
//! nothing; a relayer killed and restarted resumes from the window, losing nothing.

use commonware_codec::Encode;
use fapiao_types::{Action, Change, Effective, ParamValue, Propose, Tx};
use rand_core::RngCore;
use serde_json::{json, Value};
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A child process killed when dropped.
struct Proc(Option<Child>);

impl Proc {
    fn spawn(args: &[&str], config: &Path, log: &Path) -> Proc {
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

    fn kill(&mut self) {
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

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

fn get(url: &str) -> Option<Value> {
    let r = http().get(url).send().ok()?;
    r.status().is_success().then(|| r.json().ok())?
}

fn post_tx(node: &str, bytes: Vec<u8>) -> Value {
    let r = http()
        .post(format!("{node}/v1/transactions?wait=true"))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .unwrap();
    r.json().unwrap()
}

fn wait_until(what: &str, within: Duration, logs: &[PathBuf], mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !ok() {
        if Instant::now() > deadline {
            let tails: Vec<String> = logs
                .iter()
                .map(|l| {
                    let t = std::fs::read_to_string(l).unwrap_or_default();
                    let lines: Vec<&str> = t.lines().rev().take(12).collect();
                    format!(
                        "--- {}\n{}",
                        l.display(),
                        lines.into_iter().rev().collect::<Vec<_>>().join("\n")
                    )
                })
                .collect();
            panic!("timed out waiting: {what}\n{}", tails.join("\n"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn height(node: &str) -> u64 {
    get(&format!("{node}/v1/status")).and_then(|s| s["height"].as_u64()).unwrap_or(0)
}

/// The finance chain's window of the tax chain: (height, digest) ascending.
fn window(finance: &str) -> Vec<(u64, String)> {
    get(&format!("{finance}/v1/crosschain/chains/fapiao-tax"))
        .and_then(|v| v["window"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|e| (e["height"].as_u64().unwrap(), e["digest"].as_str().unwrap().to_string()))
        .collect()
}

/// Every kept header is the tax chain's own block at that height, and the heights
/// follow each other without a gap.
fn window_is_the_tax_chain(finance: &str, tax: &str) -> Vec<(u64, String)> {
    let w = window(finance);
    for pair in w.windows(2) {
        assert_eq!(pair[1].0, pair[0].0 + 1, "a gap in the window: {w:?}");
    }
    for (h, digest) in &w {
        let block = get(&format!("{tax}/v1/blocks/{h}")).unwrap();
        assert_eq!(block["digest"].as_str().unwrap(), digest, "height {h}");
    }
    w
}

#[test]
fn a_relayer_fills_the_finance_chains_window_with_the_tax_chains_headers_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = 20_000 + (rand_core::OsRng.next_u32() % 11_000) as u16;
    let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
        .args(["init", "--chains", "tax,finance,industry", "--validators", "1"])
        .args(["--governance-threshold", "1", "--block-interval-ms", "200"])
        .args(["--base-port", &base.to_string(), "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let chains: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("chains.json")).unwrap()).unwrap();
    let url = |name: &str| {
        let c = chains.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
        c["api"][0].as_str().unwrap().to_string()
    };
    let (tax, finance, industry) = (url("tax"), url("finance"), url("industry"));
    let mut logs = Vec::new();
    let mut nodes = Vec::new();
    for name in ["tax", "finance", "industry"] {
        let log = dir.join(format!("{name}.log"));
        let config = dir.join(format!("{name}/node0/config.toml"));
        nodes.push(Proc::spawn(&["node", "--config"], &config, &log));
        logs.push(log);
    }
    wait_until("three chains moving", Duration::from_secs(60), &logs, || {
        [&tax, &finance, &industry].iter().all(|n| height(n) >= 2)
    });

    // The finance chain registers the tax chain (its registrations.json), by a proposal
    // of the bank's admin (threshold 1: enacted at once), effective after the delay.
    let regs: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("finance/registrations.json")).unwrap(),
    )
    .unwrap();
    let tax_only: Vec<Value> = regs["chains"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["chain_id"] == "fapiao-tax")
        .cloned()
        .collect();
    assert_eq!(tax_only.len(), 1);
    let admin = fapiao_keystore::read_key_file(dir.join("finance/admins/bank.json")).unwrap();
    let at = height(&finance);
    let activation = at + 25;
    let propose = Tx {
        chain_id: "fapiao-finance".into(),
        sender: admin.public_key(),
        nonce: rand_core::OsRng.next_u64(),
        expiry: at + 100,
        action: Action::Propose(Propose {
            change: Change::SetParam {
                param: "crosschain/chains".into(),
                effective: Effective::AtHeight(activation),
                value: ParamValue(json!({ "chains": tax_only }).to_string()),
            },
            note: "follow the tax chain".into(),
        }),
    };
    let answer = post_tx(&finance, admin.sign_tx(propose).encode().to_vec());
    assert_eq!(answer["receipt"]["status"], "ok", "{answer}");
    wait_until("the registration in force", Duration::from_secs(60), &logs, || {
        get(&format!("{finance}/v1/crosschain/chains/fapiao-tax")).is_some()
    });

    // A relayer with the bank admin's key (any account will do).
    let config = dir.join("relayer.toml");
    std::fs::write(
        &config,
        format!(
            "key = \"finance/admins/bank.json\"\npoll_ms = 200\n[[pairs]]\nsource = \"{tax}\"\ndestination = \"{finance}\"\n"
        ),
    )
    .unwrap();
    let relayer_log = dir.join("relayer.log");
    logs.push(relayer_log.clone());
    let mut relayer = Proc::spawn(&["relayer", "--config"], &config, &relayer_log);
    wait_until("ten tax headers in the finance window", Duration::from_secs(60), &logs, || {
        window(&finance).len() >= 10
    });
    let w = window_is_the_tax_chain(&finance, &tax);
    let (kept, _) = w[w.len() / 2].clone();

    // A forged header (one byte of its tx root flipped) with the genuine certificate,
    // and headers of the industry chain, are refused with their codes.
    let block = get(&format!("{tax}/v1/blocks/{kept}")).unwrap();
    let mut header = hex::decode(block["header_hex"].as_str().unwrap()).unwrap();
    let certificate = hex::decode(block["certificate_hex"].as_str().unwrap()).unwrap();
    header[90] ^= 0x01;
    let expiry = height(&finance) + 100;
    let relay = |chain: &str, header: Vec<u8>, cert: Vec<u8>| {
        let bytes = fapiao_relayer::relay_tx(&admin, "fapiao-finance", expiry, chain, header, cert);
        let answer = post_tx(&finance, bytes);
        assert_eq!(answer["receipt"]["status"], "failed", "{answer}");
        answer["receipt"]["code"].as_str().unwrap().to_string()
    };
    assert_eq!(relay("fapiao-tax", header, certificate), "crosschain.not_certified");
    let ih = height(&industry).min(5);
    let iblock = get(&format!("{industry}/v1/blocks/{ih}")).unwrap();
    let iheader = hex::decode(iblock["header_hex"].as_str().unwrap()).unwrap();
    let icert = hex::decode(iblock["certificate_hex"].as_str().unwrap()).unwrap();
    assert_eq!(relay("fapiao-tax", iheader.clone(), icert.clone()), "crosschain.wrong_chain");
    assert_eq!(relay("fapiao-industry", iheader, icert), "crosschain.unknown_chain");

    // A second relayer races the first: the window stays the tax chain's headers.
    let second_log = dir.join("relayer-2.log");
    logs.push(second_log.clone());
    let mut second = Proc::spawn(&["relayer", "--config"], &config, &second_log);
    let before = window(&finance).last().unwrap().0;
    wait_until("the window advancing with two relayers", Duration::from_secs(60), &logs, || {
        window(&finance).last().is_some_and(|l| l.0 >= before + 10)
    });
    window_is_the_tax_chain(&finance, &tax);
    second.kill();

    // Killed and restarted, the relayer resumes after the highest kept header.
    relayer.kill();
    // A submission still in the mempool when it died lands within a block or two.
    std::thread::sleep(Duration::from_secs(1));
    let stopped = window(&finance).last().unwrap().0;
    wait_until("the tax chain moving on", Duration::from_secs(30), &logs, || {
        height(&tax) >= stopped + 8
    });
    assert_eq!(window(&finance).last().unwrap().0, stopped, "nothing relayed while down");
    let _relayer = Proc::spawn(&["relayer", "--config"], &config, &relayer_log);
    let target = height(&tax);
    wait_until("the relayer catching up", Duration::from_secs(60), &logs, || {
        window(&finance).last().is_some_and(|l| l.0 >= target)
    });
    let w = window_is_the_tax_chain(&finance, &tax);
    assert!(w.iter().any(|(h, _)| *h == stopped + 1), "resumed right after {stopped}: {w:?}");
    drop(nodes);
}
