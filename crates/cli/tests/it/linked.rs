//! `fapiao demo --cross-chain` as a user runs it: on a fresh directory the three chains
//! and the two relayers come up, the finance chain follows the tax and industry chains
//! (its windows advance), Huawei is on the tax chain, the pages and identities answer;
//! killed with `kill -9`, the demo's children stop with it (`--parent`), and started
//! again on the same directory it resumes: same chains, nothing seeded again, the relay
//! going on.

use crate::procs::{get, height, http, status_of, wait_until};
use serde_json::Value;
use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const HUAWEI: &str = "914403001922038216";

/// The demo process, killed (SIGKILL) when dropped.
struct Demo(Child);

impl Demo {
    fn start(dir: &Path, http: u16, log: &Path) -> Demo {
        let out = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        Demo(
            Command::new(env!("CARGO_BIN_EXE_fapiao"))
                .args(["demo", "--cross-chain", "--data-dir"])
                .arg(dir)
                .args(["--http", &format!("127.0.0.1:{http}")])
                .env("FAPIAO_LOG", "info,commonware=warn")
                .stdout(Stdio::from(out.try_clone().unwrap()))
                .stderr(Stdio::from(out))
                .spawn()
                .unwrap(),
        )
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Heights of the finance chain's window of `chain_id`.
fn window(finance: &str, chain_id: &str) -> Vec<u64> {
    crate::procs::window_of(finance, chain_id).into_iter().map(|(h, _)| h).collect()
}

fn banner_printed(log: &Path, times: usize) -> bool {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.matches("Fapiao linked chains are running").count() >= times
}

/// The token of identity `name` in the chain's identities file.
fn token(dir: &Path, chain: &str, name: &str) -> String {
    let ids: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(chain).join("identities.json")).unwrap(),
    )
    .unwrap();
    let id = ids.as_array().unwrap().iter().find(|i| i["name"] == name).unwrap();
    id["token"].as_str().unwrap().to_string()
}

#[test]
fn the_cross_chain_demo_comes_up_and_resumes_where_it_stopped_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("linked");
    let base = crate::procs::base_port();
    let (tax, finance, industry) = (
        format!("http://127.0.0.1:{}", base + 100),
        format!("http://127.0.0.1:{}", base + 300),
        format!("http://127.0.0.1:{}", base + 500),
    );
    let log = tmp.path().join("demo.log");
    let logs = vec![
        log.clone(),
        dir.join("tax/node0/node.log"),
        dir.join("finance/node0/node.log"),
        dir.join("relayers/tax-finance.log"),
    ];
    let mut demo = Demo::start(&dir, base + 100, &log);
    wait_until("the demo's banner", Duration::from_secs(240), &logs, || {
        assert!(demo.0.try_wait().unwrap().is_none(), "the demo exited: see {}", log.display());
        banner_printed(&log, 1)
    });

    // The finance chain follows both chains, and its window of the tax chain advances.
    let tax_window = window(&finance, "fapiao-tax");
    assert!(!tax_window.is_empty());
    assert!(!window(&finance, "fapiao-industry").is_empty());
    let last = *tax_window.last().unwrap();
    wait_until("the tax window advancing", Duration::from_secs(60), &logs, || {
        window(&finance, "fapiao-tax").last().is_some_and(|h| *h >= last + 3)
    });
    for (h, digest) in get(&format!("{finance}/v1/crosschain/chains/fapiao-tax")).unwrap()["window"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["height"].as_u64().unwrap(), e["digest"].as_str().unwrap().to_string()))
    {
        let block = get(&format!("{tax}/v1/blocks/{h}")).unwrap();
        assert_eq!(block["digest"].as_str().unwrap(), digest, "tax height {h}");
    }

    // Pages and identities answer; the finance chain's bank is sz-bank.
    assert_eq!(status_of(&format!("{tax}/enterprise")), 200);
    assert_eq!(status_of(&format!("{tax}/")), 200);
    assert_eq!(status_of(&format!("{finance}/")), 200);
    assert_eq!(status_of(&format!("{industry}/")), 200);
    let ids = get(&format!("{finance}/demo/identities.json")).unwrap();
    assert!(
        ids.as_array().unwrap().iter().any(|i| i["org"] == "sz-bank"
            && i["roles"].as_array().unwrap().iter().any(|r| r == "bank.officer")),
        "{ids}"
    );
    let ids = get(&format!("{tax}/demo/identities.json")).unwrap();
    assert!(ids.as_array().unwrap().iter().any(|i| i["tax_id"] == HUAWEI), "{ids}");

    // Huawei on the tax chain: registered, its invoices issued, last month filed.
    let taxpayer = get(&format!("{tax}/v1/taxpayers/{HUAWEI}")).unwrap();
    assert_eq!(taxpayer["status"], "active", "{taxpayer}");
    let office = token(&dir, "tax", "Huawei finance office");
    let now_ms = crate::procs::now_ms();
    let m = fapiao_types::Month::from_unix_ms(now_ms).previous().unwrap();
    let filed: Value = http()
        .get(format!(
            "{tax}/v1/taxpayers/{HUAWEI}/vat-returns/{}-{:02}",
            m.year(),
            m.month_of_year()
        ))
        .bearer_auth(&office)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(filed["filed_at"].as_u64().is_some_and(|h| h > 0), "{filed}");
    let tax_height = height(&tax);
    let finance_height = height(&finance);

    // kill -9 the demo: its children stop by themselves (--parent).
    drop(demo);
    wait_until("the children gone with the demo", Duration::from_secs(15), &logs, || {
        [&tax, &finance, &industry].iter().all(|n| get(&format!("{n}/v1/status")).is_none())
    });
    let seeded_once = std::fs::read_to_string(&log).unwrap().matches("linked.seeded").count();
    assert_eq!(seeded_once, 1);

    // Started again on the same directory: the same chains, nothing seeded again.
    let mut demo = Demo::start(&dir, base + 100, &log);
    wait_until("the banner again", Duration::from_secs(180), &logs, || {
        assert!(demo.0.try_wait().unwrap().is_none(), "the demo exited: see {}", log.display());
        banner_printed(&log, 2)
    });
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.matches("linked.seeded").count(), 1, "seeded again on restart");
    assert_eq!(text.matches("linked.registration_enacted").count(), 1, "registered again");
    assert!(height(&tax) >= tax_height);
    assert!(height(&finance) >= finance_height);
    assert_eq!(get(&format!("{tax}/v1/taxpayers/{HUAWEI}")).unwrap()["status"], "active");
    let before = *window(&finance, "fapiao-tax").last().unwrap();
    wait_until("the relay going on", Duration::from_secs(60), &logs, || {
        window(&finance, "fapiao-tax").last().is_some_and(|h| *h >= before + 3)
    });
    // The identities still sign in: the tokens were kept.
    let office_again = token(&dir, "tax", "Huawei finance office");
    assert_eq!(office, office_again);
    let signed_in = http()
        .get(format!(
            "{tax}/v1/taxpayers/{HUAWEI}/vat-returns/{}-{:02}",
            m.year(),
            m.month_of_year()
        ))
        .bearer_auth(&office_again)
        .send()
        .unwrap();
    assert_eq!(signed_in.status().as_u16(), 200);

    // Ctrl-C (SIGINT) stops the demo and every child.
    let status = Command::new("kill").args(["-INT", &demo.0.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(s) = demo.0.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the demo did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(exit.success(), "{exit}");
    wait_until("the children stopped with it", Duration::from_secs(10), &logs, || {
        [&tax, &finance, &industry].iter().all(|n| get(&format!("{n}/v1/status")).is_none())
    });
}
