//! Invoice financing across two chains as separate processes: a seeded demo network plays
//! the tax chain (its invoices are real), a finance chain from `fapiao init --chains
//! finance` registers it by governance and names it its tax chain (`finance/financing`),
//! and `fapiao relayer` carries its headers. A bank officer finances an invoice with the
//! proof the enterprise's bundle carries; a second financing, a forged leaf and a claim
//! against a header never relayed are refused with their codes; the finance node killed
//! and restarted still refuses the second financing; the seller fully reverses the
//! invoice with a red letter, anyone relays the newer proof, the financing is at risk and
//! its settlement is refused.

use crate::procs::{get_with as get, height, http, init, post_tx, wait_until, Proc};
use commonware_codec::Encode;
use fapiao_crosschain_types::{Blob, StateClaim};
use fapiao_finance_types::{FinanceInvoice, ReportReversal, SettleFinancing};
use fapiao_types::{Action, Change, Effective, NewAccount, ParamValue, Propose, Role, Suite, Tx};
use rand_core::RngCore;
use serde_json::{json, Value};
use std::time::Duration;

#[test]
fn a_bank_finances_a_relayed_invoice_once_across_processes_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let (tax_dir, fin_dir) = (tmp.path().join("tax"), tmp.path().join("fin"));
    let base = crate::procs::base_port();
    init(
        &[
            "--validators",
            "1",
            "--demo",
            "--block-interval-ms",
            "200",
            "--base-port",
            &base.to_string(),
        ],
        &tax_dir,
    );
    init(
        &[
            "--chains",
            "finance",
            "--validators",
            "1",
            "--governance-threshold",
            "1",
            "--block-interval-ms",
            "200",
            "--base-port",
            &(base + 1_000).to_string(),
        ],
        &fin_dir,
    );
    let tax_genesis: Value =
        serde_json::from_str(&std::fs::read_to_string(tax_dir.join("genesis.json")).unwrap())
            .unwrap();
    let tax_chain = tax_genesis["chain_id"].as_str().unwrap().to_string();
    let tax = format!("http://127.0.0.1:{}", base + 100);
    let chains: Value =
        serde_json::from_str(&std::fs::read_to_string(fin_dir.join("chains.json")).unwrap())
            .unwrap();
    let finance = chains[0]["api"][0].as_str().unwrap().to_string();
    let mut logs = vec![tmp.path().join("tax.log"), tmp.path().join("finance.log")];
    let _tax_node = Proc::node(&tax_dir.join("node0/config.toml"), &logs[0]);
    let fin_config = fin_dir.join("finance/node0/config.toml");
    let mut fin_node = Proc::node(&fin_config, &logs[1]);
    let seeded = tax_dir.join("node0/data/demo-seeded");
    wait_until("the tax chain seeded", Duration::from_secs(180), &logs, || seeded.exists());
    wait_until("the finance chain moving", Duration::from_secs(60), &logs, || {
        height(&finance) >= 2
    });

    // An invoice of the restaurant on the tax chain.
    let ids: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(tax_dir.join("identities.json")).unwrap())
            .unwrap();
    let pos = ids.iter().find(|i| i["name"] == "Restaurant POS").unwrap();
    let pos_token = pos["token"].as_str().unwrap();
    let meal = json!({
        "seller": "91440300555012347H", "kind": "ordinary",
        "buyer": {"name": "华为技术有限公司", "tax_id": "914403001922038216"},
        "lines": [{"name": "*餐饮服务*餐费", "tax_code": "3070401000000000000", "gross": "660.00", "rate": "0.06"}],
    });
    let r = http()
        .post(format!("{}/v1/invoices", pos["node"].as_str().unwrap()))
        .bearer_auth(pos_token)
        .json(&meal)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let issued: Value = r.json().unwrap();
    let number = issued["invoice"]["number"].as_str().unwrap().to_string();

    // The finance chain registers the demo chain and names it its tax chain.
    let admin =
        fapiao_keystore::read_key_file(fin_dir.join("finance/admins/sz-bank.json")).unwrap();
    let genesis_hash =
        get(&format!("{tax}/v1/blocks/0"), None).unwrap()["digest"].as_str().unwrap().to_string();
    let validators: Vec<Value> = tax_genesis["validators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["public_key"].clone())
        .collect();
    let at = height(&finance);
    let activation = at + 25;
    let propose = |param: &str, value: Value| {
        let tx = Tx {
            chain_id: "fapiao-finance".into(),
            sender: admin.public_key(),
            nonce: rand_core::OsRng.next_u64(),
            expiry: at + 100,
            action: Action::Propose(Propose {
                change: Change::SetParam {
                    param: param.into(),
                    effective: Effective::AtHeight(activation),
                    value: ParamValue(value.to_string()),
                },
                note: "follow the tax chain".into(),
            }),
        };
        let answer = post_tx(&finance, admin.sign_tx(tx).encode().to_vec());
        assert_eq!(answer["receipt"]["status"], "ok", "{answer}");
    };
    propose(
        "crosschain/chains",
        json!({ "chains": [{ "chain_id": tax_chain, "genesis_hash": genesis_hash, "validators": validators }] }),
    );
    propose("finance/financing", json!({ "tax_chain": tax_chain, "freshness_ms": 600_000 }));
    // A bank officer of the bank, whose key this test holds.
    let officer = fapiao_crypto::SigningKey::from_bytes(Suite::Ed25519, &[42; 32]).unwrap();
    let add = Tx {
        chain_id: "fapiao-finance".into(),
        sender: admin.public_key(),
        nonce: rand_core::OsRng.next_u64(),
        expiry: at + 100,
        action: Action::AddAccount(NewAccount {
            public_key: officer.public_key(),
            name: "loan officer".into(),
            roles: vec![Role::BankOfficer],
        }),
    };
    let answer = post_tx(&finance, admin.sign_tx(add).encode().to_vec());
    assert_eq!(answer["receipt"]["status"], "ok", "{answer}");
    wait_until("the registration in force", Duration::from_secs(60), &logs, || {
        get(&format!("{finance}/v1/crosschain/chains/{tax_chain}"), None).is_some()
            && height(&finance) > activation
    });

    // The relayer, with the bank admin's key.
    let config = tmp.path().join("relayer.toml");
    std::fs::write(
        &config,
        format!("key = \"{}\"\npoll_ms = 200\n[[pairs]]\nsource = \"{tax}\"\ndestination = \"{finance}\"\n",
            fin_dir.join("finance/admins/sz-bank.json").display()),
    )
    .unwrap();
    logs.push(tmp.path().join("relayer.log"));
    let _relayer = Proc::relayer(&config, &logs[2]);

    // The enterprise's invoice proof bundle; its header must reach the window.
    let bundle =
        get(&format!("{tax}/v1/invoices/{number}/proof"), Some(pos_token)).expect("the bundle");
    let header_hex = hex::decode(bundle["header_hex"].as_str().unwrap()).unwrap();
    let header = fapiao_types::decode_exact::<fapiao_types::Header>(&header_hex, &()).unwrap();
    let entry = &bundle["entries"][0];
    assert_eq!(entry["key"], format!("invoice/{number}"));
    let claim = StateClaim {
        chain_id: tax_chain.clone(),
        height: header.height,
        key: format!("invoice/{number}"),
        value: Some(Blob(hex::decode(entry["value_hex"].as_str().unwrap()).unwrap())),
        proof: Blob(hex::decode(entry["proof_hex"].as_str().unwrap()).unwrap()),
    };
    let window_has = |h: u64| crate::procs::window_has(&finance, &tax_chain, h);
    let send = |claim: StateClaim| {
        let h = height(&finance);
        let tx = Tx {
            chain_id: "fapiao-finance".into(),
            sender: officer.public_key(),
            nonce: rand_core::OsRng.next_u64(),
            expiry: h + 100,
            action: Action::from(FinanceInvoice {
                uscc: "91440300555012347H".parse().unwrap(),
                loan: None,
                amount: 50_000,
                invoice: claim,
            }),
        };
        let answer = post_tx(&finance, officer.sign_tx(tx).encode().to_vec());
        let r = &answer["receipt"];
        if r["status"] == "ok" {
            "ok".to_string()
        } else {
            r["code"].as_str().unwrap_or("?").to_string()
        }
    };
    // Before its header is relayed (or against a height never kept): unknown header.
    let mut far = claim.clone();
    far.height = header.height + 1_000_000;
    assert_eq!(send(far), "crosschain.unknown_header");
    wait_until("the bundle's header relayed", Duration::from_secs(60), &logs, || {
        window_has(header.height)
    });
    // A forged leaf (its total changed) does not verify under the certified root.
    let mut forged = claim.clone();
    if let Some(v) = forged.value.as_mut() {
        let at = v.0.len() / 2;
        v.0[at] ^= 1;
    }
    assert_eq!(send(forged), "crosschain.bad_proof");
    assert_eq!(send(claim.clone()), "ok");
    assert_eq!(send(claim.clone()), "finance.already_financed");

    // The finance node killed and restarted: the financing is still there.
    fin_node.kill();
    fin_node = Proc::node(&fin_config, &logs[1]);
    let before = height(&finance);
    wait_until("the finance node back", Duration::from_secs(60), &logs, || {
        height(&finance) > before
    });
    assert_eq!(send(claim), "finance.already_financed");

    // The seller fully reverses the invoice (red letter, reason 01; the buyer has not used it, so
    // no confirmation is needed and the red invoice is issued with the form).
    let post = |who: &Value, path: &str, body: Value| -> Value {
        let r = http()
            .post(format!("{}{path}", who["node"].as_str().unwrap()))
            .bearer_auth(who["token"].as_str().unwrap())
            .json(&body)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        let v: Value = r.json().unwrap();
        assert_eq!(status, 200, "{path}: {v}");
        v
    };
    // Reason 01 (an issuing error) reverses in full: no lines.
    let form =
        post(pos, "/v1/red-letter", json!({"blue_number": number, "reason": "01", "lines": []}));
    assert_eq!(form["status"], "no_confirmation_needed", "{form}");
    // Its new proof, once its header is relayed.
    let fresh = || {
        let b = get(&format!("{tax}/v1/invoices/{number}/proof"), Some(pos_token))?;
        let hb = hex::decode(b["header_hex"].as_str().unwrap()).unwrap();
        let h = fapiao_types::decode_exact::<fapiao_types::Header>(&hb, &()).unwrap();
        let e = &b["entries"][0];
        Some(StateClaim {
            chain_id: tax_chain.clone(),
            height: h.height,
            key: format!("invoice/{number}"),
            value: Some(Blob(hex::decode(e["value_hex"].as_str().unwrap()).unwrap())),
            proof: Blob(hex::decode(e["proof_hex"].as_str().unwrap()).unwrap()),
        })
    };
    // 503 until the reversal is under a finalized header.
    let mut reversed = None;
    wait_until("the reversed invoice's bundle", Duration::from_secs(30), &logs, || {
        reversed = fresh();
        reversed.is_some()
    });
    let reversed = reversed.unwrap();
    assert!(reversed.height > header.height);
    wait_until("the reversal's header relayed", Duration::from_secs(60), &logs, || {
        window_has(reversed.height)
    });
    let submit = |key: &fapiao_crypto::SigningKey, action: Action| {
        let tx = Tx {
            chain_id: "fapiao-finance".into(),
            sender: key.public_key(),
            nonce: rand_core::OsRng.next_u64(),
            expiry: height(&finance) + 100,
            action,
        };
        let answer = post_tx(&finance, key.sign_tx(tx).encode().to_vec());
        let r = &answer["receipt"];
        if r["status"] == "ok" {
            "ok".to_string()
        } else {
            r["code"].as_str().unwrap_or("?").to_string()
        }
    };
    let number_v: fapiao_values::InvoiceNumber = number.parse().unwrap();
    let report = || Action::from(ReportReversal { number: number_v, invoice: reversed.clone() });
    // Anyone relays it (the bank's admin here: no role needed).
    assert_eq!(submit(&admin, report()), "ok");
    assert_eq!(submit(&admin, report()), "finance.already_at_risk");
    // Settlement needs a fresh proof showing the invoice standing: it is reversed.
    let h = height(&finance);
    let settle = Tx {
        chain_id: "fapiao-finance".into(),
        sender: officer.public_key(),
        nonce: rand_core::OsRng.next_u64(),
        expiry: h + 100,
        action: Action::from(SettleFinancing {
            number: number_v,
            repaid: true,
            invoice: reversed.clone(),
        }),
    };
    let answer = post_tx(&finance, officer.sign_tx(settle).encode().to_vec());
    assert_eq!(answer["receipt"]["code"], "finance.invoice_reversed", "{answer}");
    drop(fin_node);
}
