//! Issue 18's loan flow end to end over real processes: `fapiao init --chains
//! tax,finance,industry`, one validator per chain and a relayer (tax → finance, industry →
//! finance), every step a request over HTTP (a signed transaction, a custodial route, or
//! `fapiao loan`) to the chain it belongs to, and every outcome read back over HTTP.
//!
//! The finance chain registers the tax and industry chains by governance; on the tax
//! chain the bureau's officer creates and registers Huawei, which issues invoices and
//! files last month's VAT return; on the industry chain Huawei is added by governance and
//! the utility, the social-security office and the park operator attest its last two
//! months. Huawei authorises the bank in one transaction and takes its two packages (tax
//! summary, operating figures) from its own nodes; the bank's node refuses a wrong salt of
//! either (`finance.wrong_salt`, nothing written), records the application with the right
//! ones as the loan officer (`fapiao loan apply --industry`), shows every fact and figure
//! verified, reviews and approves it. The bank finances an invoice; a second financing is
//! refused (the layout has one bank). With the relayer killed the seller reverses the
//! invoice by a red letter: its proof is refused until the relayer, restarted, carries the
//! header (resuming right after the last one it had relayed); then the financing is at
//! risk and the bank alerted. The bank's node killed and restarted keeps the loan, its
//! verified figures, the financing and the alert. Huawei revokes a second grant: its node
//! refuses the package, and an application citing the grant as proven after the
//! revocation is refused `finance.grant_revoked`.
//!
//! Not repeated here (see `crosschain.rs`, `financing.rs`): forged headers and proofs,
//! racing or misbehaving relayers, stale proofs, each node's restart.

use crate::procs::{
    custody, fetch, get, get_with, height, init, member, ok, post, submit, wait_until, window_has,
    window_of, Proc,
};
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::DisclosureGrant;
use fapiao_types::{
    Action, Change, Effective, Month, NewAdmin, NewOrganisation, OrgKind, ParamValue, Propose,
    Suite,
};
use serde_json::{json, Value};
use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    time::Duration,
};

const HUAWEI: &str = "914403001922038216";
const TAX: &str = "fapiao-tax";
const INDUSTRY: &str = "fapiao-industry";
const FINANCE: &str = "fapiao-finance";
/// The nodes' keystore passphrase (these chains are not demo chains).
const PASSPHRASE: &str = "loan-flow test keystore 7c1e";
const MINUTE: Duration = Duration::from_secs(60);

fn month_text(m: Month) -> String {
    format!("{}-{:02}", m.year(), m.month_of_year())
}

/// `POST /v1/finance/loans` as the loan officer, retried while a header is still being
/// relayed (503 `finance.header_pending`).
fn apply(finance: &str, officer: &str, body: &Value) -> (u16, Value) {
    let url = format!("{finance}/v1/finance/loans");
    for _ in 0..30 {
        let (status, v) = post(&url, Some(officer), body);
        if status != 503 {
            return (status, v);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("the headers were never relayed");
}

/// The invoice `number`'s proof bundle from its seller's node, as a claim of
/// `invoice/<number>` against its header.
fn invoice_claim(tax: &str, token: &str, number: &str, logs: &[PathBuf]) -> Value {
    let b = fetch(&format!("{tax}/v1/invoices/{number}/proof"), token, logs);
    let header = hex::decode(b["header_hex"].as_str().unwrap()).unwrap();
    let header = fapiao_types::decode_exact::<fapiao_types::Header>(&header, &()).unwrap();
    let e = &b["entries"][0];
    json!({ "chain_id": TAX, "height": header.height, "key": e["key"], "value": e["value_hex"], "proof": e["proof_hex"] })
}

/// The loan files the bank's node keeps.
fn kept_files(secrets: &Path) -> usize {
    std::fs::read_dir(secrets.join("finance/sz-bank/loans")).map(|d| d.count()).unwrap_or(0)
}

/// The three chains running with a relayer, set up as a loan needs them.
struct Linked {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    tax: String,
    finance: String,
    industry: String,
    /// Every process's log.
    logs: Vec<PathBuf>,
    /// The tax, finance and industry nodes.
    nodes: Vec<Proc>,
    relayer: Proc,
    relayer_config: PathBuf,
    /// Tokens: the bank's loan officer and the regulator's supervisor (finance node),
    /// Huawei's finance office and invoicing account (tax node), Huawei's admin (industry
    /// node).
    officer: String,
    pboc: String,
    office: String,
    invoicing: String,
    huawei_industry: String,
    /// Huawei's invoices.
    numbers: Vec<String>,
    /// The last two months, attested.
    before: Month,
    last: Month,
    /// What was attested: month, metric, value.
    figures: Vec<(Month, &'static str, u64)>,
}

impl Linked {
    fn config(&self, chain: &str) -> PathBuf {
        self.dir.join(format!("{chain}/node0/config.toml"))
    }
}

/// `fapiao init --chains tax,finance,industry` (200 ms blocks, governance threshold 1),
/// custody on each node, the nodes started; the finance chain registers the others by
/// governance; Huawei on the tax chain (created, registered, two invoices, last month
/// filed) and on the industry chain (added by governance, registered by the park, its
/// last two months attested); the relayer started once the registration is in force.
fn setup() -> Linked {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    init(
        &[
            "--chains",
            "tax,finance,industry",
            "--validators",
            "1",
            "--governance-threshold",
            "1",
            "--block-interval-ms",
            "200",
            "--base-port",
            &crate::procs::base_port().to_string(),
        ],
        &dir,
    );
    let chains: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("chains.json")).unwrap()).unwrap();
    let url = |name: &str| {
        let c = chains.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
        c["api"][0].as_str().unwrap().to_string()
    };
    let (tax, finance, industry) = (url("tax"), url("finance"), url("industry"));
    let admin = |chain: &str, org: &str| {
        fapiao_keystore::read_key_file(dir.join(format!("{chain}/admins/{org}.json"))).unwrap()
    };
    let config = |chain: &str| dir.join(format!("{chain}/node0/config.toml"));

    // Custody on each node: the organisations' admins, and Huawei's admin (its
    // organisation is created on the tax and industry chains below).
    let huawei_admin = SigningKey::generate(Suite::Ed25519, &mut rand_core::OsRng);
    let (bureau, bank, regulator, park, power, social) = (
        admin("tax", "tax-bureau"),
        admin("finance", "sz-bank"),
        admin("finance", "regulator"),
        admin("industry", "park-operator"),
        admin("industry", "power-utility"),
        admin("industry", "social-security"),
    );
    let tax_tokens =
        custody(&config("tax"), PASSPHRASE, &[("bureau", &bureau), ("huawei", &huawei_admin)]);
    let fin_tokens =
        custody(&config("finance"), PASSPHRASE, &[("bank", &bank), ("regulator", &regulator)]);
    let ind_tokens = custody(
        &config("industry"),
        PASSPHRASE,
        &[("park", &park), ("power", &power), ("social", &social), ("huawei", &huawei_admin)],
    );

    let mut logs: Vec<PathBuf> =
        ["tax", "finance", "industry"].iter().map(|c| dir.join(format!("{c}.log"))).collect();
    let nodes: Vec<Proc> = ["tax", "finance", "industry"]
        .iter()
        .zip(&logs)
        .map(|(c, log)| Proc::node(&config(c), log))
        .collect();
    wait_until("the chains moving", MINUTE, &logs, || {
        [&tax, &finance, &industry].iter().all(|n| height(n) >= 2)
    });

    // The finance chain registers both chains by governance (threshold 1: enacted at
    // once), effective 25 blocks on.
    let regs: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("finance/registrations.json")).unwrap(),
    )
    .unwrap();
    let register = Action::Propose(Propose {
        change: Change::SetParam {
            param: "crosschain/chains".into(),
            effective: Effective::AtHeight(height(&finance) + 25),
            value: ParamValue(regs.to_string()),
        },
        note: "follow the tax and industry chains".into(),
    });
    assert_eq!(submit(&finance, FINANCE, &bank, register), "ok");
    let (officer, _) = member(&finance, &fin_tokens["bank"], "Loan officer", &["bank.officer"]);
    let (pboc, _) =
        member(&finance, &fin_tokens["regulator"], "Supervisor", &["centralbank.officer"]);

    // The tax chain: the bureau's officer creates Huawei, registers it with its invoicing
    // account and a credit; Huawei issues two invoices and files last month's return.
    let tok = |m: &BTreeMap<String, String>, k: &str| m[k].clone();
    let (chen, _) = member(&tax, &tok(&tax_tokens, "bureau"), "Officer Chen", &["tax.officer"]);
    ok(
        &format!("{tax}/v1/enterprises"),
        &chen,
        json!({ "id": "huawei", "name": "华为技术有限公司", "tax_id": HUAWEI,
                "admins": [{ "name": "huawei admin", "suite": "ed25519", "public_key": huawei_admin.public_key().to_hex() }] }),
    );
    let (office, _) =
        member(&tax, &tok(&tax_tokens, "huawei"), "Huawei finance office", &["enterprise.finance"]);
    let (invoicing, issuer) =
        member(&tax, &tok(&tax_tokens, "huawei"), "Huawei invoicing", &["merchant.issuer"]);
    ok(
        &format!("{tax}/v1/taxpayers"),
        &chen,
        json!({ "uscc": HUAWEI, "name": "华为技术有限公司", "region": "440300",
                "seller_type": "general", "issuers": [issuer] }),
    );
    ok(
        &format!("{tax}/v1/taxpayers/{HUAWEI}/credit"),
        &chen,
        json!({ "monthly_ceiling": "10000000.00" }),
    );
    let numbers: Vec<String> = (0..2)
        .map(|n| {
            let v = ok(
                &format!("{tax}/v1/invoices"),
                &invoicing,
                json!({ "seller": HUAWEI, "kind": "special",
                        "buyer": { "name": "深圳市地铁集团有限公司", "tax_id": "914403002796543264" },
                        "lines": [{ "name": "*信息技术服务*信息系统集成服务", "tax_code": "3040203000000000000",
                                    "gross": format!("{}.00", 1_272_000 + 10_600 * n), "rate": "0.06" }] }),
            );
            v["invoice"]["number"].as_str().unwrap().to_string()
        })
        .collect();
    let this_month = Month::from_unix_ms(crate::procs::now_ms());
    let last = this_month.previous().unwrap();
    let before = last.previous().unwrap();
    ok(
        &format!("{tax}/v1/taxpayers/{HUAWEI}/vat-returns/{}", month_text(last)),
        &office,
        json!({}),
    );

    // The industry chain: Huawei added by governance; the attesters record its last two
    // months.
    let add_huawei = Action::Propose(Propose {
        change: Change::AddOrganisation(NewOrganisation {
            id: "huawei".into(),
            name: "华为技术有限公司".into(),
            kind: OrgKind::Enterprise,
            tax_id: Some(HUAWEI.parse().unwrap()),
            admins: vec![NewAdmin {
                public_key: huawei_admin.public_key(),
                name: "huawei admin".into(),
            }],
        }),
        note: "a tenant of the park".into(),
    });
    assert_eq!(submit(&industry, INDUSTRY, &park, add_huawei), "ok");
    let attester = |admin: &str, name: &str| {
        member(&industry, &tok(&ind_tokens, admin), name, &["industry.attester"]).0
    };
    let (gate, meter, insurer) = (
        attester("park", "Park gate"),
        attester("power", "Meter reader"),
        attester("social", "Insurance clerk"),
    );
    let act =
        |token: &str, body: Value| ok(&format!("{industry}/v1/industry/actions"), token, body);
    act(
        &gate,
        json!({ "action": "register_enterprise", "uscc": HUAWEI, "name": "华为技术有限公司" }),
    );
    let figures = [
        (&meter, before, "electricity_kwh", 1_180_000u64),
        (&meter, last, "electricity_kwh", 1_250_000),
        (&insurer, before, "insured_headcount", 1_198),
        (&insurer, last, "insured_headcount", 1_205),
        (&gate, last, "logistics_tonnes", 3_400),
    ];
    for (who, m, metric, value) in &figures {
        act(
            who,
            json!({ "action": "attest", "uscc": HUAWEI, "month": month_text(*m), "metric": metric, "value": value }),
        );
    }

    // The relayer (any finance account submits; the bank admin's here).
    let relayer_config = dir.join("relayer.toml");
    std::fs::write(
        &relayer_config,
        format!(
            "key = \"{}\"\npoll_ms = 200\n[[pairs]]\nsource = \"{tax}\"\ndestination = \"{finance}\"\n[[pairs]]\nsource = \"{industry}\"\ndestination = \"{finance}\"\n",
            dir.join("finance/admins/sz-bank.json").display()
        ),
    )
    .unwrap();
    let relayer_log = dir.join("relayer.log");
    logs.push(relayer_log.clone());
    wait_until("both registrations in force", MINUTE, &logs, || {
        [TAX, INDUSTRY]
            .iter()
            .all(|c| get(&format!("{finance}/v1/crosschain/chains/{c}")).is_some())
    });
    let relayer = Proc::relayer(&relayer_config, &relayer_log);
    let figures = figures.iter().map(|(_, m, metric, v)| (*m, *metric, *v)).collect();
    Linked {
        _tmp: tmp,
        dir,
        tax,
        finance,
        industry,
        logs,
        nodes,
        relayer,
        relayer_config,
        officer,
        pboc,
        office,
        invoicing,
        huawei_industry: ind_tokens["huawei"].clone(),
        numbers,
        before,
        last,
        figures,
    }
}

#[test]
fn the_loan_flow_runs_end_to_end_across_three_chains_and_a_relayer_slow_() {
    let mut net = setup();
    let (tax, finance, industry) = (net.tax.clone(), net.finance.clone(), net.industry.clone());
    let (officer, pboc, office, invoicing) =
        (net.officer.clone(), net.pboc.clone(), net.office.clone(), net.invoicing.clone());
    let (before, last, dir, logs) = (net.before, net.last, net.dir.clone(), net.logs.clone());
    // The loan desk is served by the bank's node.
    assert_eq!(crate::procs::status_of(&format!("{finance}/bank/loans")), 200);

    // Huawei authorises the bank in one transaction and takes its two packages.
    let grant = |fields: Value| {
        let v = ok(
            &format!("{tax}/v1/disclosures"),
            &office,
            json!({ "uscc": HUAWEI, "chain_id": FINANCE, "bank": "sz-bank", "purpose": "working-capital loan",
                    "fields": fields, "first_month": month_text(before), "last_month": month_text(last),
                    "expires_ms": crate::procs::now_ms() + 30 * 86_400_000u64 }),
        );
        v["id"].as_str().unwrap().to_string()
    };
    let id = grant(json!(["sales", "vat_paid", "on_time", "status"]));
    let grants = || get_with(&format!("{tax}/v1/disclosures"), Some(&office)).unwrap();
    let listed = |grants: &Value, id: &str| {
        grants.as_array().unwrap().iter().find(|g| g["id"] == id).cloned().expect("the grant")
    };
    let g = listed(&grants(), &id);
    assert_eq!((g["bank"].as_str(), g["in_force"].as_bool()), (Some("sz-bank"), Some(true)), "{g}");
    let package = fetch(&format!("{tax}/v1/disclosures/{id}/package"), &office, &logs);
    // Last month's record (the return filed) and the status are opened; the month
    // before has no record, proven absent.
    assert_eq!(package["openings"].as_array().unwrap().len(), 4, "{package}");
    let months = format!("{},{}", month_text(before), month_text(last));
    let operating = fetch(
        &format!("{industry}/v1/industry/enterprises/{HUAWEI}/package?months={months}"),
        &net.huawei_industry,
        &logs,
    );
    assert_eq!(operating["openings"].as_array().unwrap().len(), net.figures.len());
    let body = |package: &Value, operating: &Value| json!({ "package": package, "industry": operating, "amount": 500_000_000, "term_months": 12, "purpose": "working capital" });

    // A wrong salt of either package is refused by the bank's node; nothing is written.
    let secrets = dir.join("finance/node0/secrets");
    let mut bad = package.clone();
    bad["openings"][0]["salt"] = json!("00".repeat(32));
    let (status, v) = apply(&finance, &officer, &body(&bad, &operating));
    assert_eq!(
        (status, v["code"].as_str(), v["field"].as_str()),
        (422, Some("finance.wrong_salt"), Some("openings[0]")),
        "{v}"
    );
    // The industry one through `fapiao loan apply --industry`, once both headers are in
    // the finance chain's window (the command does not retry).
    let gh = package["grant"]["height"].as_u64().unwrap();
    let ih = operating["records"][0]["height"].as_u64().unwrap();
    wait_until("both packages' headers relayed", MINUTE, &logs, || {
        window_has(&finance, TAX, gh) && window_has(&finance, INDUSTRY, ih)
    });
    let files = |package: &Value, operating: &Value| {
        let (p, i) = (dir.join("package.json"), dir.join("industry.json"));
        std::fs::write(&p, package.to_string()).unwrap();
        std::fs::write(&i, operating.to_string()).unwrap();
        (p, i)
    };
    let loan_apply = |(p, i): (PathBuf, PathBuf)| {
        std::process::Command::new(env!("CARGO_BIN_EXE_fapiao"))
            .args(["loan", "--node", &finance, "--token", &officer, "apply", "--package"])
            .arg(p)
            .arg("--industry")
            .arg(i)
            .args(["--amount", "5000000.00", "--term-months", "12", "--purpose", "working capital"])
            .output()
            .unwrap()
    };
    let mut bad = operating.clone();
    bad["openings"][2]["salt"] = bad["openings"][0]["salt"].clone();
    let out = loan_apply(files(&package, &bad));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("finance.wrong_salt") && stderr.contains("(field industry.openings[2])"),
        "{stderr}"
    );
    let loans =
        |token: &str| get_with(&format!("{finance}/v1/finance/loans"), Some(token)).unwrap();
    assert_eq!(loans(&officer), json!([]));
    assert_eq!(kept_files(&secrets), 0);

    // The application with the right openings, as the loan officer.
    let out = loan_apply(files(&package, &operating));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let applied: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (applied["openings_kept"].as_u64(), applied["figures_kept"].as_u64()),
        (Some(4), Some(5))
    );
    let loan = applied["loan"].as_str().unwrap().to_string();
    assert_eq!(kept_files(&secrets), 1);
    let show = |token: &str| {
        get_with(&format!("{finance}/v1/finance/loans/{loan}"), Some(token)).expect("the loan")
    };
    // Every tax fact and industry figure verified, as the bank's node holds them.
    let check_verified = |l: &Value| {
        let facts = l["facts"].as_array().unwrap();
        assert_eq!(facts.len(), 7, "three fields of two months, the status: {l}");
        let proven: Vec<&Value> = facts.iter().filter(|f| f["commitment"].is_string()).collect();
        assert_eq!(proven.len(), 4, "{l}");
        assert!(proven.iter().all(|f| f["verified"] == true), "{l}");
        let held: Vec<(String, u64, String)> = l["operating"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|o| {
                assert_eq!(o["chain_id"], INDUSTRY);
                o["figures"].as_array().unwrap().clone()
            })
            .map(|f| {
                assert_eq!(f["verified"], true, "{f}");
                let m = f["month"].as_u64().unwrap();
                (
                    f["metric"].as_str().unwrap().to_string(),
                    m,
                    f["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut want: Vec<(String, u64, String)> = net
            .figures
            .iter()
            .map(|(m, metric, v)| ((*metric).to_string(), u64::from(m.yyyymm()), v.to_string()))
            .collect();
        let mut held = held;
        held.sort();
        want.sort();
        assert_eq!(held, want);
    };
    let l = show(&officer);
    assert_eq!(l["status"], "applied");
    check_verified(&l);
    // The regulator reads the loan: commitments and hashes, no value.
    let r = show(&pboc);
    assert!(r["facts"].as_array().unwrap().iter().all(|f| f.get("value").is_none()), "{r}");
    assert!(r["operating"].as_array().unwrap().iter().all(|o| o["figures"] == json!([])), "{r}");

    // Review and approval.
    ok(
        &format!("{finance}/v1/finance/loans/{loan}/review"),
        &officer,
        json!({ "notes": "steady sales, 1,205 insured" }),
    );
    ok(
        &format!("{finance}/v1/finance/loans/{loan}/decision"),
        &officer,
        json!({ "approve": true, "amount": 400_000_000, "rate_bp": 385, "term_months": 12, "reasons": "filed on time, steady power use" }),
    );
    assert_eq!(show(&officer)["status"], "approved");

    // The bank finances the first invoice; a second financing of it is refused.
    let number = &net.numbers[0].clone();
    let claim = invoice_claim(&tax, &invoicing, number, &logs);
    let h = claim["height"].as_u64().unwrap();
    wait_until("the invoice's header relayed", MINUTE, &logs, || window_has(&finance, TAX, h));
    let financing =
        json!({ "uscc": HUAWEI, "loan": loan, "amount": 100_000_000, "invoice": claim });
    ok(&format!("{finance}/v1/finance/financings"), &officer, financing.clone());
    let (status, v) = post(&format!("{finance}/v1/finance/financings"), Some(&officer), &financing);
    assert_eq!((status, v["code"].as_str()), (409, Some("finance.already_financed")), "{v}");

    // The relayer dies; the seller reverses the invoice in full (red letter, reason 01).
    net.relayer.kill();
    std::thread::sleep(Duration::from_secs(1));
    let stopped = window_of(&finance, TAX).last().unwrap().0;
    let form = ok(
        &format!("{tax}/v1/red-letter"),
        &invoicing,
        json!({ "blue_number": number, "reason": "01", "lines": [] }),
    );
    assert_eq!(form["status"], "no_confirmation_needed", "{form}");
    let mut reversed = Value::Null;
    wait_until("the reversal under a certified header", MINUTE, &logs, || {
        reversed = invoice_claim(&tax, &invoicing, number, &logs);
        reversed["height"].as_u64().unwrap() > stopped
    });
    let rh = reversed["height"].as_u64().unwrap();
    let report_url = format!("{finance}/v1/finance/financings/{number}/reversal");
    let report = json!({ "invoice": reversed });
    // Not relayed while the relayer is down: refused, the financing still active.
    let (status, v) = post(&report_url, Some(&officer), &report);
    assert_eq!(v["code"], "crosschain.unknown_header", "{status} {v}");
    let financings =
        || get_with(&format!("{finance}/v1/finance/financings"), Some(&officer)).unwrap();
    assert_eq!(financings()[0]["status"], "active");
    assert_eq!(window_of(&finance, TAX).last().unwrap().0, stopped, "nothing relayed while down");

    // Restarted, the relayer resumes right after the last header it had relayed; the
    // reversal, once relayed, puts the financing at risk and alerts the bank.
    net.relayer = Proc::relayer(&net.relayer_config, &dir.join("relayer.log"));
    wait_until("the reversal's header relayed", MINUTE, &logs, || window_has(&finance, TAX, rh));
    let w = window_of(&finance, TAX);
    assert!(w.iter().any(|(k, _)| *k == stopped + 1), "resumed right after {stopped}: {w:?}");
    for pair in w.windows(2) {
        assert_eq!(pair[1].0, pair[0].0 + 1, "a gap in the window: {w:?}");
    }
    ok(&report_url, &officer, report);
    let f = financings();
    assert_eq!(
        (f[0]["number"].as_str(), f[0]["status"].as_str()),
        (Some(number.as_str()), Some("at_risk"))
    );
    let alerts = get_with(&format!("{finance}/v1/finance/alerts"), Some(&officer)).unwrap();
    assert_eq!(
        (
            alerts[0]["number"].as_str(),
            alerts[0]["reason"].as_str(),
            alerts[0]["tax_height"].as_u64()
        ),
        (Some(number.as_str()), Some("reversed"), Some(rh)),
        "{alerts}"
    );

    // The bank's node killed (SIGKILL) and restarted keeps everything, its verified
    // figures included.
    let at = height(&finance);
    net.nodes[1].kill();
    net.nodes[1] = Proc::node(&net.config("finance"), &logs[1]);
    wait_until("the finance node back", MINUTE, &logs, || height(&finance) > at);
    let l = show(&officer);
    assert_eq!(l["status"], "approved");
    check_verified(&l);
    assert_eq!(financings()[0]["status"], "at_risk");
    assert_eq!(get_with(&format!("{finance}/v1/finance/alerts"), Some(&officer)).unwrap(), alerts);

    // A second grant, revoked: Huawei's node no longer hands out its package, and an
    // application citing it as proven after the revocation is refused by the chain.
    let second = grant(json!(["status"]));
    let old = fetch(&format!("{tax}/v1/disclosures/{second}/package"), &office, &logs);
    ok(&format!("{tax}/v1/disclosures/{second}/revoke"), &office, json!({}));
    let g = listed(&grants(), &second);
    assert!(g["revoked_at"].is_u64() && g["in_force"] == false, "{g}");
    let (status, v) =
        crate::procs::call_get(&format!("{tax}/v1/disclosures/{second}/package"), Some(&office));
    assert_eq!((status, v["code"].as_str()), (409, Some("invoice.grant_revoked")), "{v}");
    // The grant and the status proven at one header after the revocation (the records
    // anyone authorised reads with a proof), its header relayed. A node proves a record at
    // its tip and answers under the next header, so the two are asked at once (at one tip).
    let proven = |key: &str| {
        let Some(v) = get_with(&format!("{tax}/v1/state/{key}?proof=true"), Some(&office)) else {
            return Value::Null; // 503 not_final_yet: asked again
        };
        let p = &v["proof"];
        json!({ "chain_id": TAX, "height": p["header"]["height"], "key": v["key"], "value": v["value_hex"], "proof": p["proof"] })
    };
    let mut fresh = Value::Null;
    wait_until("the revocation proven at one header", MINUTE, &logs, || {
        let (g, s) = std::thread::scope(|scope| {
            let g = scope.spawn(|| proven(&format!("disclosure/{second}")));
            let s = scope.spawn(|| proven(&format!("tax-status/{HUAWEI}")));
            (g.join().unwrap(), s.join().unwrap())
        });
        let shows_revoked = g["value"].as_str().is_some_and(|v| {
            let bytes = hex::decode(v).unwrap();
            let grant: DisclosureGrant = fapiao_types::decode_exact(&bytes, &()).unwrap();
            grant.revoked_at != 0
        });
        let revoked = shows_revoked && g["height"].is_u64() && g["height"] == s["height"];
        fresh = json!({ "grant": g, "status": s });
        revoked
    });
    let fh = fresh["grant"]["height"].as_u64().unwrap();
    wait_until("the revocation relayed", MINUTE, &logs, || window_has(&finance, TAX, fh));
    let mut revoked = old.clone();
    revoked["grant"] = fresh["grant"].clone();
    revoked["records"] = json!([fresh["status"]]);
    let (status, v) = apply(&finance, &officer, &body(&revoked, &operating));
    assert_eq!((status, v["code"].as_str()), (409, Some("finance.grant_revoked")), "{v}");
    assert_eq!(loans(&officer).as_array().unwrap().len(), 1);
    assert_eq!(kept_files(&secrets), 1);
}
