//! Chains from `fapiao init --chains` and relayers between them as separate processes:
//! the finance chain registers the tax chain by governance, a relayer fills its window
//! with the tax chain's certified headers; a forged header and another chain's header are
//! refused with their codes; a second relayer racing changes nothing; a relayer killed
//! and restarted resumes from the window, losing nothing. A relayer that drops, reorders
//! and replays headers (played by the test) delays but changes no outcome; each node
//! killed with `kill -9` and restarted loses nothing and the relay resumes; a real
//! certificate stripped of a signer is refused `crosschain.too_few_signers` over HTTP.

use crate::procs::{get, height, post_tx, wait_until, window_of, Proc};
use commonware_codec::Encode;
use fapiao_types::{Action, Change, Effective, ParamValue, Propose, Tx};
use rand_core::RngCore;
use serde_json::{json, Value};
use std::{path::PathBuf, process::Command, time::Duration};

/// The finance chain's window of the tax chain: (height, digest) ascending.
fn window(finance: &str) -> Vec<(u64, String)> {
    window_of(finance, "fapiao-tax")
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

/// Chains of `fapiao init --chains` running, the finance chain following the tax chain.
struct Net {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    chains: Value,
    tax: String,
    finance: String,
    /// (config, log, process) of every node, chain by chain.
    nodes: Vec<(PathBuf, PathBuf, Proc)>,
    logs: Vec<PathBuf>,
    /// The finance chain's bank admin (proposes; submits relays).
    admin: fapiao_crypto::SigningKey,
}

impl Net {
    /// `fapiao init --chains LIST --validators N` (200 ms blocks, threshold 1), every
    /// node started; the finance chain registers the tax chain by a governance proposal
    /// of the bank's admin and the registration is in force.
    fn start(list: &str, validators: usize) -> Net {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let base = crate::procs::base_port();
        let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
            .args(["init", "--chains", list, "--validators", &validators.to_string()])
            .args(["--governance-threshold", "1", "--block-interval-ms", "200"])
            .args(["--base-port", &base.to_string(), "--out"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let chains: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("chains.json")).unwrap())
                .unwrap();
        let mut logs = Vec::new();
        let mut nodes = Vec::new();
        for name in list.split(',') {
            for i in 0..validators {
                let log = dir.join(format!("{name}-{i}.log"));
                let config = dir.join(format!("{name}/node{i}/config.toml"));
                let p = Proc::node(&config, &log);
                nodes.push((config, log.clone(), p));
                logs.push(log);
            }
        }
        let admin =
            fapiao_keystore::read_key_file(dir.join("finance/admins/sz-bank.json")).unwrap();
        let mut net = Net {
            _tmp: tmp,
            tax: String::new(),
            finance: String::new(),
            dir,
            chains,
            nodes,
            logs,
            admin,
        };
        net.tax = net.url("tax");
        net.finance = net.url("finance");
        let urls: Vec<String> = list.split(',').map(|n| net.url(n)).collect();
        wait_until("the chains moving", Duration::from_secs(90), &net.logs, || {
            urls.iter().all(|n| height(n) >= 2)
        });
        net.register_tax();
        net
    }

    /// Node 0's API URL of chain `name`.
    fn url(&self, name: &str) -> String {
        let c = self.chains.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
        c["api"][0].as_str().unwrap().to_string()
    }

    /// The finance chain registers the tax chain (its registrations.json), by a proposal
    /// of the bank's admin (threshold 1: enacted at once), effective after the delay.
    fn register_tax(&self) {
        let finance = &self.finance;
        let regs: Value = serde_json::from_str(
            &std::fs::read_to_string(self.dir.join("finance/registrations.json")).unwrap(),
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
        let at = height(finance);
        let activation = at + 25;
        let propose = Tx {
            chain_id: "fapiao-finance".into(),
            sender: self.admin.public_key(),
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
        let answer = post_tx(finance, self.admin.sign_tx(propose).encode().to_vec());
        assert_eq!(answer["receipt"]["status"], "ok", "{answer}");
        wait_until("the registration in force", Duration::from_secs(60), &self.logs, || {
            get(&format!("{finance}/v1/crosschain/chains/fapiao-tax")).is_some()
        });
    }

    /// Writes the relayer config (tax → finance, the bank admin's key) and returns it.
    fn relayer_config(&self) -> PathBuf {
        let config = self.dir.join("relayer.toml");
        std::fs::write(
            &config,
            format!(
                "key = \"finance/admins/sz-bank.json\"\npoll_ms = 200\n[[pairs]]\nsource = \"{}\"\ndestination = \"{}\"\n",
                self.tax, self.finance
            ),
        )
        .unwrap();
        config
    }

    /// Relays `header` and `certificate` as chain `chain`'s to the finance chain, as a
    /// (possibly misbehaving) relayer would: the receipt's status and code.
    fn relay(&self, chain: &str, header: Vec<u8>, cert: Vec<u8>) -> (String, String) {
        let expiry = height(&self.finance) + 100;
        let bytes =
            fapiao_relayer::relay_tx(&self.admin, "fapiao-finance", expiry, chain, header, cert);
        let answer = post_tx(&self.finance, bytes);
        let r = &answer["receipt"];
        (
            r["status"].as_str().unwrap_or_default().to_string(),
            r["code"].as_str().unwrap_or_default().to_string(),
        )
    }
}

/// The certified header of block `h` of the chain at `node`: (header bytes, certificate).
fn certified(node: &str, h: u64) -> (Vec<u8>, Vec<u8>) {
    let block = get(&format!("{node}/v1/blocks/{h}")).unwrap();
    (
        hex::decode(block["header_hex"].as_str().unwrap()).unwrap(),
        hex::decode(block["certificate_hex"].as_str().unwrap()).unwrap(),
    )
}

/// Every kept header is the tax chain's own block at that height (gaps allowed).
fn window_is_of_the_tax_chain(finance: &str, tax: &str) -> Vec<(u64, String)> {
    let w = window(finance);
    for pair in w.windows(2) {
        assert!(pair[1].0 > pair[0].0, "not ascending: {w:?}");
    }
    for (h, digest) in &w {
        let block = get(&format!("{tax}/v1/blocks/{h}")).unwrap();
        assert_eq!(block["digest"].as_str().unwrap(), digest, "height {h}");
    }
    w
}

#[test]
fn a_relayer_fills_the_finance_chains_window_with_the_tax_chains_headers_slow_() {
    let net = Net::start("tax,finance,industry", 1);
    let (tax, finance, industry) = (net.tax.clone(), net.finance.clone(), net.url("industry"));
    let dir = net.dir.clone();
    let admin = &net.admin;
    let mut logs = net.logs.clone();

    // A relayer with the bank admin's key (any account will do).
    let config = net.relayer_config();
    let relayer_log = dir.join("relayer.log");
    logs.push(relayer_log.clone());
    let mut relayer = Proc::relayer(&config, &relayer_log);
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
        let bytes = fapiao_relayer::relay_tx(admin, "fapiao-finance", expiry, chain, header, cert);
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
    let mut second = Proc::relayer(&config, &second_log);
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
    let _relayer = Proc::relayer(&config, &relayer_log);
    let target = height(&tax);
    wait_until("the relayer catching up", Duration::from_secs(60), &logs, || {
        window(&finance).last().is_some_and(|l| l.0 >= target)
    });
    let w = window_is_the_tax_chain(&finance, &tax);
    assert!(w.iter().any(|(h, _)| *h == stopped + 1), "resumed right after {stopped}: {w:?}");
    drop(net);
}

#[test]
fn a_relayer_that_drops_reorders_and_replays_delays_but_changes_no_outcome_slow_() {
    let net = Net::start("tax,finance", 1);
    let (tax, finance) = (net.tax.clone(), net.finance.clone());
    wait_until("the tax chain at 25", Duration::from_secs(60), &net.logs, || height(&tax) >= 25);

    // The bad relayer: a shuffled subset of the first headers, with gaps, out of order.
    let order = [9u64, 3, 17, 12, 5, 21];
    for h in order {
        let (header, cert) = certified(&tax, h);
        assert_eq!(net.relay("fapiao-tax", header, cert), ("ok".into(), String::new()), "{h}");
    }
    let w = window_is_of_the_tax_chain(&finance, &tax);
    let heights: Vec<u64> = w.iter().map(|(h, _)| *h).collect();
    assert_eq!(heights, [3, 5, 9, 12, 17, 21], "kept in height order, whatever the order sent");

    // A header replayed is a no-op: accepted, nothing changes.
    let (header, cert) = certified(&tax, 12);
    assert_eq!(net.relay("fapiao-tax", header, cert), ("ok".into(), String::new()));
    assert_eq!(window(&finance), w, "a replay changed the window");

    // Then an honest relayer: it resumes after the highest kept header; once the window
    // has rolled past what the bad relayer sent, it holds exactly what an honest-only
    // run keeps at the same tip: the last 64 headers, consecutive, each the tax chain's.
    let config = net.relayer_config();
    let log = net.dir.join("relayer.log");
    let mut logs = net.logs.clone();
    logs.push(log.clone());
    let mut honest = Proc::relayer(&config, &log);
    wait_until("the window rolled past the bad relayer's", Duration::from_secs(120), &logs, || {
        window(&finance).first().is_some_and(|(h, _)| *h > 21)
    });
    honest.kill();
    std::thread::sleep(Duration::from_secs(1));
    let w = window_is_the_tax_chain(&finance, &tax);
    assert_eq!(w.len(), 64, "a full window (crosschain/window = 64)");
    let tip = w.last().unwrap().0;
    let honest_only: Vec<u64> = (tip - 63..=tip).collect();
    assert_eq!(w.iter().map(|(h, _)| *h).collect::<Vec<_>>(), honest_only);

    // A late message of the bad relayer, below the window now, is refused as stale and
    // changes nothing.
    let (header, cert) = certified(&tax, 17);
    assert_eq!(net.relay("fapiao-tax", header, cert), ("failed".into(), "crosschain.stale".into()));
    assert_eq!(window(&finance), w);
}

#[test]
fn each_process_killed_and_restarted_loses_nothing_and_the_relay_resumes_slow_() {
    let mut net = Net::start("tax,finance,industry", 1);
    let (tax, finance, industry) = (net.tax.clone(), net.finance.clone(), net.url("industry"));
    let config = net.relayer_config();
    let relayer_log = net.dir.join("relayer.log");
    let mut logs = net.logs.clone();
    logs.push(relayer_log.clone());
    let mut relayer = Proc::relayer(&config, &relayer_log);
    wait_until("five headers relayed", Duration::from_secs(60), &logs, || {
        window(&finance).len() >= 5
    });
    let each = [("tax", tax.clone()), ("finance", finance.clone()), ("industry", industry)];
    for (k, (name, url)) in each.iter().enumerate() {
        let before = height(url);
        let kept = window(&finance);
        let (config, log, proc) = &mut net.nodes[k];
        proc.kill(); // SIGKILL
        assert!(!proc.alive());
        wait_until(&format!("the {name} node down"), Duration::from_secs(10), &logs, || {
            get(&format!("{url}/v1/status")).is_none()
        });
        *proc = Proc::node(config, log);
        wait_until(&format!("the {name} node back"), Duration::from_secs(60), &logs, || {
            get(&format!("{url}/v1/status")).is_some()
        });
        let after = height(url);
        assert!(after >= before, "{name}: height {before} before, {after} after the restart");
        // What the finance chain kept is still there (the window only moves forward).
        let now = window(&finance);
        let last_kept = kept.last().unwrap().0;
        let first_now = now.first().unwrap().0;
        let survived: Vec<_> = kept.iter().filter(|(h, _)| *h >= first_now).cloned().collect();
        let again: Vec<_> = now.iter().filter(|(h, _)| *h <= last_kept).cloned().collect();
        assert_eq!(survived, again, "{name}: the window lost or changed headers");
        // The relay resumes after the restart.
        let target = height(&tax) + 3;
        wait_until(
            &format!("the relay resuming after {name}"),
            Duration::from_secs(60),
            &logs,
            || window(&finance).last().is_some_and(|l| l.0 >= target),
        );
        window_is_the_tax_chain(&finance, &tax);
    }
    // And the relayer: killed, nothing is relayed; restarted, it resumes right after the
    // highest kept header.
    relayer.kill();
    std::thread::sleep(Duration::from_secs(1));
    let stopped = window(&finance).last().unwrap().0;
    relayer = Proc::relayer(&config, &relayer_log);
    let target = height(&tax) + 3;
    wait_until("the relayer resuming", Duration::from_secs(60), &logs, || {
        window(&finance).last().is_some_and(|l| l.0 >= target)
    });
    let w = window_is_the_tax_chain(&finance, &tax);
    assert!(w.iter().any(|(h, _)| *h == stopped + 1), "resumed right after {stopped}: {w:?}");
    relayer.kill();
}

/// Drops the last signer from a finality blob (height ‖ digest ‖ certificate; docs:
/// crates/verify's certificate encoding): clears its bit in the bitmap and removes its
/// signature.
fn strip_last_signer(cert: &[u8]) -> Vec<u8> {
    let mut pos = 40;
    for _ in 0..3 {
        while cert[pos] & 0x80 != 0 {
            pos += 1;
        }
        pos += 1;
    }
    pos += 32; // the proposal digest
    let bits = u64::from_be_bytes(cert[pos..pos + 8].try_into().unwrap()) as usize;
    pos += 8;
    let bitmap_at = pos;
    let mut bitmap = cert[pos..pos + bits.div_ceil(8)].to_vec();
    pos += bitmap.len();
    let count = cert[pos] as usize; // one byte for a count below 128
    assert!((2..128).contains(&count), "{count} signatures");
    let last_bit = (0..bits).rev().find(|i| bitmap[i / 8] & (1 << (i % 8)) != 0).unwrap();
    bitmap[last_bit / 8] &= !(1 << (last_bit % 8));
    let mut out = cert[..bitmap_at].to_vec();
    out.extend_from_slice(&bitmap);
    out.push((count - 1) as u8);
    let sigs = &cert[pos + 1..];
    assert_eq!(sigs.len(), count * 64);
    out.extend_from_slice(&sigs[..(count - 1) * 64]);
    out
}

#[test]
fn a_real_certificate_short_of_a_quorum_is_refused_over_http_slow_() {
    // Two validators: the quorum is both (n - (n-1)/3 = 2).
    let net = Net::start("tax,finance", 2);
    let (tax, finance) = (net.tax.clone(), net.finance.clone());
    let h = height(&tax);
    let (header, cert) = certified(&tax, h);
    let stripped = strip_last_signer(&cert);
    assert_eq!(
        net.relay("fapiao-tax", header.clone(), stripped),
        ("failed".into(), "crosschain.too_few_signers".into())
    );
    assert!(window(&finance).is_empty(), "nothing kept");
    assert_eq!(net.relay("fapiao-tax", header, cert), ("ok".into(), String::new()));
    assert_eq!(window(&finance).iter().map(|(k, _)| *k).collect::<Vec<_>>(), [h]);
}
