//! `fapiao demo --cross-chain` as a user runs it: on a fresh directory the three chains
//! and the two relayers come up, the finance chain follows the tax and industry chains
//! (its windows advance), Huawei is on the tax chain, the pages and identities answer,
//! and the loan story is told over HTTP: Huawei's grant to the bank is in force on the
//! tax chain, the loan is approved on the finance chain citing the tax height its facts
//! are proven at (with the openings the bank's node verified and the industry chain's
//! operating data), one invoice is financed once and the second financing was refused;
//! killed with `kill -9`, the demo's children stop with it (`--parent`), and started
//! again on the same directory it resumes: same chains, nothing seeded again (one grant,
//! one loan, one financing), the relay going on.

use crate::procs::{call_get, get, height, http, status_of, wait_until};
use serde_json::Value;
use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const HUAWEI: &str = "914403001922038216";
/// The demo grant's purpose (`fapiao_demo::linked::story::PURPOSE`).
const PURPOSE: &str = fapiao_demo::linked::story::PURPOSE;

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

fn get_as(url: &str, token: &str) -> Value {
    let (status, v) = call_get(url, Some(token));
    assert_eq!(status, 200, "{url}: {v}");
    v
}

/// What the story left on the chains, read over HTTP: (the grants to the bank with the
/// demo's purpose, the bank's loans, the bank's financings).
fn story_of(dir: &Path, tax: &str, finance: &str) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let office = token(dir, "tax", "Huawei finance office");
    let officer = token(dir, "finance", "Loan officer");
    let grants = get_as(&format!("{tax}/v1/disclosures"), &office);
    let grants = grants
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["purpose"] == PURPOSE && g["bank"] == "sz-bank")
        .cloned()
        .collect();
    let loans = get_as(&format!("{finance}/v1/finance/loans"), &officer);
    let financings = get_as(&format!("{finance}/v1/finance/financings"), &officer);
    (grants, loans.as_array().unwrap().clone(), financings.as_array().unwrap().clone())
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
    // The loan story: the grant in force on the tax chain…
    let (grants, loans, financings) = story_of(&dir, &tax, &finance);
    assert_eq!(grants.len(), 1, "{grants:?}");
    let grant = &grants[0];
    assert_eq!(grant["in_force"], true, "{grant}");
    assert_eq!(grant["chain_id"], "fapiao-finance");
    let mut fields: Vec<&str> =
        grant["fields"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["on_time", "sales", "status", "vat_paid"]);
    // …the loan approved on the finance chain under it, citing the tax height its facts
    // are proven at, with the openings the bank's node verified and the operating data…
    assert_eq!(loans.len(), 1, "{loans:?}");
    let loan = &loans[0];
    assert_eq!(loan["status"], "approved", "{loan}");
    assert_eq!(loan["grant"], grant["id"]);
    assert_eq!(loan["uscc"], HUAWEI);
    assert_eq!(loan["tax_chain"], "fapiao-tax");
    let cited = loan["tax_height"].as_u64().unwrap();
    assert!(cited >= grant["granted_at"].as_u64().unwrap() && cited <= height(&tax), "{loan}");
    let decision = &loan["decision"];
    assert_eq!(decision["approve"], true);
    assert!(decision["amount"].as_i64().unwrap() > 0 && decision["rate_bp"].as_u64().unwrap() > 0);
    assert!(decision["term_months"].as_u64().unwrap() > 0);
    assert!(
        decision["reasons"].as_str().unwrap().contains(&format!("fapiao-tax height {cited}")),
        "{decision}"
    );
    let facts = loan["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 12 * 3 + 1, "12 months of three fields and the status");
    assert!(
        facts
            .iter()
            .any(|f| f["field"] == "status" && f["value"] == "active" && f["verified"] == true),
        "{facts:?}"
    );
    let operating = loan["operating"].as_array().unwrap();
    assert_eq!(operating.len(), 3, "three months of operating data: {operating:?}");
    assert!(operating.iter().all(|o| o["chain_id"] == "fapiao-industry"
        && o["key"].as_str().unwrap().starts_with(&format!("operating-commit/{HUAWEI}/"))
        && o["value_hash"].is_string()));
    // The bank's node kept the industry openings: each month's three figures opened.
    for o in operating {
        let figures = o["figures"].as_array().unwrap();
        assert_eq!(figures.len(), 3, "electricity, headcount, logistics: {o}");
        assert!(figures.iter().all(|f| f["verified"] == true), "{figures:?}");
    }
    // …one of Huawei's invoices financed once under it, and the second financing refused.
    assert_eq!(financings.len(), 1, "{financings:?}");
    let financing = &financings[0];
    assert_eq!(financing["loan"], loan["id"]);
    assert_eq!(financing["uscc"], HUAWEI);
    assert_eq!(financing["status"], "active");
    let number = financing["number"].as_str().unwrap().to_string();
    let invoicing = token(&dir, "tax", "Huawei invoicing");
    let invoice = get_as(&format!("{tax}/v1/invoices/{number}"), &invoicing);
    assert_eq!(invoice["seller"]["tax_id"], HUAWEI, "{invoice}");
    assert!(financing["amount"].as_i64().unwrap() <= financing["invoice_total"].as_i64().unwrap());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.lines().any(|l| l.contains("linked.second_financing_refused")
            && l.contains("finance.already_financed")),
        "the second financing refused"
    );
    // The pages the banner points at answer.
    for page in [
        format!("{finance}/bank/loans"),
        format!("{tax}/enterprise/disclose"),
        format!("{industry}/industry/operating"),
        format!("{industry}/industry/attest"),
    ] {
        assert_eq!(status_of(&page), 200, "{page}");
        assert!(text.contains(&page), "the banner points at {page}");
    }
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
    for step in ["linked.disclosure_authorised", "linked.loan_applied", "linked.invoice_financed"] {
        assert_eq!(text.matches(step).count(), 1, "{step} again on restart");
    }
    let (grants_again, loans_again, financings_again) = story_of(&dir, &tax, &finance);
    assert_eq!(grants_again.len(), 1, "one grant: {grants_again:?}");
    assert_eq!(loans_again.len(), 1, "one loan: {loans_again:?}");
    assert_eq!(loans_again[0]["id"], loan["id"]);
    assert_eq!(loans_again[0]["status"], "approved");
    assert_eq!(financings_again.len(), 1, "one financing: {financings_again:?}");
    assert_eq!(financings_again[0]["number"], number.as_str());
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
