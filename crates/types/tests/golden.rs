//! Golden fixtures: the canonical encodings of every hashed or signed structure are
//! frozen in `tests/fixtures/*.hex`. A change here is a change of the chain format:
//! update `docs/formats.md`, then regenerate with `FAPIAO_BLESS=1 cargo test -p fapiao-types`.

use commonware_codec::Encode;
use fapiao_types::*;
use std::path::PathBuf;

fn check(name: &str, bytes: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.hex"));
    let hex = hex::encode(bytes);
    if std::env::var_os("FAPIAO_BLESS").is_some() {
        std::fs::write(&path, format!("{hex}\n")).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {path:?}; run with FAPIAO_BLESS=1"));
    assert_eq!(want.trim(), hex, "encoding of {name} changed");
}

fn sample_tx() -> Tx {
    Tx {
        chain_id: "fapiao-demo".into(),
        sender: PublicKey::Ed25519([0x11; 32]),
        nonce: 0x0102030405060708,
        expiry: 600,
        action: Action::AddAccount(NewAccount {
            public_key: PublicKey::Sm2([0x02; 33]),
            name: "收银台 1".into(),
            roles: vec![Role::MerchantIssuer, Role::Consumer],
        }),
    }
}

#[test]
fn tx_encoding_is_frozen() {
    let tx = sample_tx();
    check("tx_add_account", &tx.encode());
    check("tx_add_account_hash", &tx.hash());
    let revoke =
        Tx { action: Action::RevokeAccount { account: AccountId([0xAB; 32]) }, ..tx.clone() };
    check("tx_revoke_account", &revoke.encode());
    let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
    check("signed_tx", &signed.encode());
    check("signing_payload", &SignedTx::signing_payload(&tx));
    let back = SignedTx::decode_limited(&signed.encode(), &TxLimits::default()).unwrap();
    assert_eq!(back, signed);
}

fn sample_header() -> Header {
    Header {
        version: HEADER_VERSION,
        chain_id: sha256(b"fapiao-demo"),
        height: 7,
        parent: [0x22; 32],
        time_ms: 1_764_000_000_000,
        proposer: 0,
        tx_root: merkle_root(&[[1; 32], [2; 32], [3; 32]]),
        tx_count: 3,
        state_height: 6,
        state_root: [0x33; 32],
    }
}

#[test]
fn header_and_block_encoding_is_frozen() {
    let h = sample_header();
    let enc = h.encode();
    assert_eq!(enc.len(), 161);
    check("header", &enc);
    check("header_digest", &h.digest());
    let signed = SignedTx { tx: sample_tx(), signature: Signature([0x5A; 64]) };
    let mut header = h;
    header.tx_root = merkle_root(&[signed.hash()]);
    header.tx_count = 1;
    let block = Block { header, txs: vec![signed] };
    assert!(block.tx_root_matches());
    check("block", &block.encode());
    let back: Block = decode_exact(&block.encode(), &BlockLimits { max_txs: 10 }).unwrap();
    assert_eq!(back, block);
    assert!(decode_exact::<Block>(&block.encode(), &BlockLimits { max_txs: 0 }).is_err());
}

#[test]
fn state_keys_and_records_are_frozen() {
    let keys = [
        StateKey::Org("sz-tax".into()),
        StateKey::Account(AccountId([0xCD; 32])),
        StateKey::Tx([0xEF; 32]),
    ];
    let joined: Vec<u8> = keys
        .iter()
        .flat_map(|k| {
            let mut b = k.to_bytes();
            b.push(b'\n');
            b
        })
        .collect();
    check("state_keys", &joined);
    for k in &keys {
        assert_eq!(&StateKey::parse(&k.to_string()).unwrap(), k);
    }
    let acct = AccountRecord {
        public_key: PublicKey::Ed25519([0x44; 32]),
        org: "sz-tax".into(),
        name: "Officer Li".into(),
        roles: vec![Role::TaxOfficer],
        added_at: 12,
        revoked_at: Some(40),
    };
    check("account_record", &acct.encode());
    assert_eq!(decode_exact::<AccountRecord>(&acct.encode(), &()).unwrap(), acct);
    let org = OrgRecord {
        id: "sz-tax".into(),
        name: "深圳市税务局".into(),
        kind: OrgKind::TaxAuthority,
        tax_id: None,
        status: fapiao_types::OrgStatus::Active,
    };
    check("org_record", &org.encode());
    let rec = TxRecord {
        height: 9,
        index: 2,
        sender: AccountId([0x01; 32]),
        outcome: Outcome::Failed {
            code: "missing_role".into(),
            field: "sender".into(),
            message: "needs org.admin".into(),
        },
        output: TxOutput::None,
    };
    check("tx_record", &rec.encode());
    assert_eq!(decode_exact::<TxRecord>(&rec.encode(), &()).unwrap(), rec);
    let receipt = Receipt {
        tx_hash: [0x0F; 32],
        height: 9,
        index: 2,
        outcome: Outcome::Ok,
        output: TxOutput::Invoice("26424000000104330311".parse().unwrap()),
    };
    check("receipt", &receipt.encode());
}

fn sample_order() -> RecordOrder {
    RecordOrder {
        merchant: "91440300708461136T".parse().unwrap(),
        amount: 7800,
        items: vec![
            OrderItem {
                sku: String::new(),
                name: "*餐饮服务*餐费".into(),
                tax_code: "3070401000000000000".into(),
                rate: Some("0.06".parse().unwrap()),
                amount: 6600,
            },
            OrderItem {
                sku: "beer.330".into(),
                name: String::new(),
                tax_code: String::new(),
                rate: None,
                amount: 1200,
            },
        ],
        claim_code_hash: sha256(b"K7fQ2xR9mW4pL8sV3nB6"),
    }
}

#[test]
fn order_encoding_is_frozen() {
    let record = Tx { action: Action::RecordOrder(sample_order()), ..sample_tx() };
    check("tx_record_order", &record.encode());
    let claim = Tx {
        action: Action::ClaimOrder(ClaimOrder {
            order_id: record.hash(),
            claim_code: "K7fQ2xR9mW4pL8sV3nB6".into(),
            kind: InvoiceKind::Ordinary,
            buyer: Buyer {
                kind: BuyerKind::Person,
                name: "张三".into(),
                tax_id: None,
                holder: None,
            },
            salt: [0x5C; 32],
        }),
        ..sample_tx()
    };
    check("tx_claim_order", &claim.encode());
    for tx in [&record, &claim] {
        let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
        let back = SignedTx::decode_limited(&signed.encode(), &TxLimits::default()).unwrap();
        assert_eq!(&back.tx, tx);
    }
    assert_eq!(record.action.name(), "record_order");
    assert_eq!(record.action.required_role(), None, "checked by the lifecycle");
    assert_eq!(claim.action.required_role(), Some(Role::Consumer));

    let o = sample_order();
    let stored = OrderRecord {
        merchant: o.merchant,
        amount: o.amount,
        items: o.items,
        claim_code_hash: o.claim_code_hash,
        recorded_by: AccountId([0x06; 32]),
        recorded_at: 41,
        status: OrderStatus::Claimed,
        claimant: Some(AccountId([0x04; 32])),
        claimed_at: 42,
        kind: InvoiceKind::Ordinary,
        buyer: Some(Buyer {
            kind: BuyerKind::Person,
            name: "张三".into(),
            tax_id: None,
            holder: Some(AccountId([0x04; 32])),
        }),
        invoice: None,
    };
    check("order_record", &stored.encode());
    assert_eq!(decode_exact::<OrderRecord>(&stored.encode(), &()).unwrap(), stored);

    // The order keys (`state_keys_orders`) are the invoice application's: frozen in
    // crates/invoice-types/tests/keys.rs.
    assert!(valid_sku("A-z_0.9"));
    assert!(!valid_sku(""));
}

fn sample_vehicle_tax_issue() -> IssueInvoice {
    IssueInvoice {
        seller: "91440300708461136T".parse().unwrap(),
        kind: InvoiceKind::Ordinary,
        type_code: "82".into(),
        buyer: Buyer {
            kind: BuyerKind::Person,
            name: "张三".into(),
            tax_id: None,
            holder: Some(AccountId([0x04; 32])),
        },
        lines: vec![LineInput {
            name: "*代收车船税*车船税".into(),
            tax_code: "6130000000000000000".into(),
            spec: String::new(),
            unit: String::new(),
            quantity: None,
            unit_price: None,
            amount: None,
            gross: Some(96000),
            rate: RateCode::OutOfScope,
            tax: None,
        }],
        remarks: String::new(),
        salt: [0x5D; 32],
        industry: Some(Industry::VehicleVesselTax(VehicleVesselTax {
            policy_no: "PDAA202644030000000123".into(),
            plate: "粤B12345".into(),
            vin: "LSVAU2187N2123456".parse().unwrap(),
            tax_period: "2026".into(),
            tax: 96000,
            late_fee: 0,
            total: 96000,
        })),
    }
}

#[test]
fn industry_block_encoding_is_frozen() {
    let tx = Tx { action: Action::IssueInvoice(sample_vehicle_tax_issue()), ..sample_tx() };
    check("tx_issue_vehicle_tax", &tx.encode());
    let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
    let back = SignedTx::decode_limited(&signed.encode(), &TxLimits::default()).unwrap();
    assert_eq!(back.tx, tx);

    // The block is the last field: `None` is one zero byte after the salt, and the
    // variant tag follows the `Some` byte.
    let mut plain = sample_vehicle_tax_issue();
    plain.industry = None;
    let with = sample_vehicle_tax_issue().encode();
    let without = plain.encode();
    assert_eq!(without.last(), Some(&0));
    assert_eq!(&with[..without.len() - 1], &without[..without.len() - 1]);
    assert_eq!(&with[without.len() - 1..without.len() + 1], &[1, 1]);

    let mut passenger = plain.clone();
    passenger.industry = Some(Industry::PassengerTransport(PassengerTransport {
        traveller: "张三".into(),
        id_masked: "110105********002X".into(),
        travel_date: fapiao_types::ChinaDate::from_yyyymmdd(20261126).unwrap(),
        from: "深圳北".into(),
        to: "广州南".into(),
        vehicle_type: "火车".into(),
        seat_class: "二等座".into(),
    }));
    let enc = passenger.encode();
    assert_eq!(enc[without.len() - 1..without.len() + 1], [1, 0]);
    assert_eq!(decode_exact::<IssueInvoice>(&enc, &()).unwrap(), passenger);
    // Unknown variant tag.
    let mut bad = enc.to_vec();
    bad[without.len()] = 2;
    assert!(decode_exact::<IssueInvoice>(&bad, &()).is_err());
}

#[test]
fn garbage_and_trailing_bytes_are_refused() {
    let signed = SignedTx { tx: sample_tx(), signature: Signature([0x5A; 64]) };
    let mut bytes = signed.encode().to_vec();
    bytes.push(0);
    assert!(SignedTx::decode_limited(&bytes, &TxLimits::default()).is_err());
    assert!(SignedTx::decode_limited(&bytes[..bytes.len() - 10], &TxLimits::default()).is_err());
    assert!(SignedTx::decode_limited(b"garbage", &TxLimits::default()).is_err());
    assert!(SignedTx::decode_limited(&signed.encode(), &TxLimits { max_tx_bytes: 100 }).is_err());
    // Unknown action tag.
    let mut t = signed.encode().to_vec();
    let action_at = 1 + 11 + 33 + 16;
    t[action_at] = 0x7F;
    assert!(SignedTx::decode_limited(&t, &TxLimits::default()).is_err());
}

#[test]
fn uscc_like_org_ids_and_suites_parse() {
    assert!(StateKey::parse("org/UPPER").is_err());
    assert!(StateKey::parse("nope").is_err());
    assert_eq!(Suite::parse("sm2").unwrap(), Suite::Sm2);
    assert!(Role::parse("tax.officer").is_ok());
    assert!(Role::parse("root").is_err());
    assert!(Role::TaxOfficer.allowed_in(OrgKind::TaxAuthority));
    assert!(!Role::TaxOfficer.allowed_in(OrgKind::Bank));
}

#[test]
fn accepted_platforms_encoding_is_frozen() {
    let set = Tx {
        action: Action::SetAcceptedPlatforms(SetAcceptedPlatforms {
            uscc: "91440300555012347H".parse().unwrap(),
            platforms: vec!["wechat-pay".into(), "alipay".into()],
        }),
        ..sample_tx()
    };
    check("tx_set_accepted_platforms", &set.encode());
    let signed = SignedTx { tx: set.clone(), signature: Signature([0x5A; 64]) };
    let back = SignedTx::decode_limited(&signed.encode(), &TxLimits::default()).unwrap();
    assert_eq!(back.tx, set);
    assert_eq!(set.action.name(), "set_accepted_platforms");
    assert_eq!(set.action.required_role(), Some(Role::MerchantIssuer));

    let record = AcceptedPlatformsRecord {
        platforms: vec!["wechat-pay".into(), "alipay".into()],
        since_height: 42,
    };
    check("accepted_platforms_record", &record.encode());
    assert_eq!(decode_exact::<AcceptedPlatformsRecord>(&record.encode(), &()).unwrap(), record);

    // Its key (`state_key_accepted_platforms`) is the invoice application's: frozen in
    // crates/invoice-types/tests/keys.rs.
}

/// Governance: a `propose` transaction of a parameter change, the records it leaves and
/// the state keys (docs/formats.md §4.9, §8.1, §8.8).
#[test]
fn governance_encoding_is_frozen() {
    let change = Change::SetParam {
        param: "chain/mechanics".into(),
        effective: Effective::AtHeight(1000),
        value: ParamValue(
            r#"{"max_block_txs":1,"expiry_window":600,"max_clock_drift_ms":2000}"#.into(),
        ),
    };
    let tx = Tx {
        action: Action::Propose(Propose { change: change.clone(), note: "cap".into() }),
        ..sample_tx()
    };
    check("tx_propose_param", &tx.encode());
    assert_eq!(decode_exact::<Tx>(&tx.encode(), &()).unwrap(), tx);
    let org = NewOrganisation {
        id: "pingan-sz".into(),
        name: "平安".into(),
        kind: OrgKind::Insurer,
        tax_id: None,
        admins: vec![NewAdmin { public_key: PublicKey::Ed25519([0x55; 32]), name: "a".into() }],
    };
    let add = Tx {
        action: Action::Propose(Propose {
            change: Change::AddOrganisation(org.clone()),
            note: String::new(),
        }),
        ..sample_tx()
    };
    check("tx_propose_organisation", &add.encode());
    let approve = Tx { action: Action::ApproveProposal(ProposalRef { id: 7 }), ..sample_tx() };
    check("tx_approve_proposal", &approve.encode());
    let create = Tx {
        action: Action::CreateEnterprise(NewOrganisation {
            kind: OrgKind::Enterprise,
            tax_id: Some("91350100M000100Y43".parse().unwrap()),
            ..org
        }),
        ..sample_tx()
    };
    check("tx_create_enterprise", &create.encode());
    let record = ProposalRecord {
        id: 7,
        proposer: AccountId([0x01; 32]),
        proposer_org: "sz-tax".into(),
        change: change.clone(),
        note: "cap".into(),
        proposed_at: 900,
        expires_at: 100_900,
        approvals: vec!["sz-tax".into(), "bank".into()],
        status: ProposalStatus::Enacted,
        decided_at: 905,
    };
    check("proposal_record", &record.encode());
    assert_eq!(decode_exact::<ProposalRecord>(&record.encode(), &()).unwrap(), record);
    let schedule = ParamSchedule {
        versions: vec![
            ParamVersion {
                version: 0,
                effective: Effective::OnDate(0),
                value: ParamValue("{}".into()),
                enacted_at: 0,
                proposal: 0,
            },
            ParamVersion {
                version: 1,
                effective: Effective::OnDate(20_261_203),
                value: ParamValue(r#"{"x":1}"#.into()),
                enacted_at: 905,
                proposal: 7,
            },
        ],
    };
    check("param_schedule", &schedule.encode());
    assert_eq!(decode_exact::<ParamSchedule>(&schedule.encode(), &()).unwrap(), schedule);
    let node = FullNodeRecord {
        name: "audit node".into(),
        org: "sz-tax".into(),
        public_key: [0x66; 32],
        added_at: 905,
    };
    check("full_node_record", &node.encode());
    let keys = [
        StateKey::Param("invoice/tax-rules".into()),
        StateKey::Proposal(7),
        StateKey::ProposalSeq,
        StateKey::FullNode([0x66; 32]),
    ];
    let mut joined = Vec::new();
    for k in &keys {
        joined.extend_from_slice(&k.to_bytes());
        joined.push(b'\n');
        assert_eq!(&StateKey::parse(&k.to_string()).unwrap(), k);
    }
    check("state_keys_governance", &joined);
    for bad in ["proposal/0", "proposal/07", "proposal-seq/first", "params/chain", "params/A/b"] {
        assert!(StateKey::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn red_letter_issue_and_withdrawal_after_confirmation_are_frozen() {
    let issue = Tx {
        action: Action::IssueRedInvoice(RedFormRef {
            form: [0x4F; 32],
            reason: String::new(),
            salt: [0x5A; 32],
        }),
        ..sample_tx()
    };
    check("tx_issue_red_invoice", &issue.encode());
    assert_eq!(issue.action.name(), "issue_red_invoice");
    assert_eq!(issue.action.required_role(), None, "checked by the lifecycle");
    let form = RedFormRecord {
        blue_number: "26442000000000000001".parse().unwrap(),
        reason: RedReason::SalesAllowance,
        lines: vec![RedLine { line: 1, amount: -10000, tax: -600 }],
        status: RedFormStatus::VoidWithdrawnAfterConfirmation,
        raised_by: AccountId([0x22; 32]),
        by_seller: true,
        raised_at_ms: 1_795_665_600_000,
        red_number: None,
        refusal: String::new(),
    };
    check("red_form_withdrawn_after_confirmation", &form.encode());
    assert_eq!(RedFormStatus::VoidWithdrawnAfterConfirmation.tag(), 7);
}

#[test]
fn express_applications_are_frozen() {
    let apply = Tx {
        sender: PublicKey::Ed25519([0x33; 32]),
        action: Action::ApplyForRegistration(ApplyForRegistration {
            uscc: "91350100M000100Y43".parse().unwrap(),
            name: "福州示例商贸有限公司".into(),
            region: "350100".parse().unwrap(),
            seller_type: SellerType::SmallScale,
            contact: "王经理 13800000000".into(),
            requested_ceiling: 5_000_000,
        }),
        ..sample_tx()
    };
    check("tx_apply_for_registration", &apply.encode());
    assert_eq!(apply.action.required_role(), None, "a fresh key: checked by the lifecycle");
    let review = Tx {
        action: Action::ReviewApplication(ReviewApplication {
            application: [0x6A; 32],
            approve: true,
            monthly_ceiling: 3_000_000,
            reason: String::new(),
        }),
        ..sample_tx()
    };
    check("tx_review_application", &review.encode());
    assert_eq!(review.action.required_role(), Some(Role::TaxOfficer));
    // Its keys are the invoice application's: crates/invoice-types/tests/keys.rs.
}

/// The circulation actions after `InvoiceRef.text` was split by meaning
/// (docs/formats.md §13.1): submit carries the enterprise's USCC and reject a reason, in
/// the bytes they had; accept and book carry the number alone.
#[test]
fn circulation_actions_are_frozen() {
    let number: InvoiceNumber = "26424000000104330311".parse().unwrap();
    let with = |action| Tx { action, ..sample_tx() };
    let submit = with(Action::SubmitInvoice(SubmitInvoice {
        number,
        enterprise: Uscc::from_const("914403001922038216"),
    }));
    check("tx_submit_invoice", &submit.encode());
    let reject = with(Action::RejectReimbursement(RejectReimbursement {
        number,
        reason: "非工作日餐费".into(),
    }));
    check("tx_reject_reimbursement", &reject.encode());
    let accept = with(Action::AcceptReimbursement(InvoiceRef { number }));
    check("tx_accept_reimbursement", &accept.encode());
    // Accept: bytes 0–60 of the envelope, the tag, the number, nothing after it.
    assert_eq!(accept.encode().len(), 61 + 1 + 21);
    for tx in [submit, reject, accept] {
        assert_eq!(decode_exact::<Tx>(&tx.encode(), &()).unwrap(), tx);
    }
}

/// A receipt's output is typed; an order or form id is its 32 bytes, not 64 hex digits.
#[test]
fn receipt_outputs_round_trip_by_tag() {
    for (output, len, text) in [
        (TxOutput::None, 1, String::new()),
        (
            TxOutput::Invoice("26424000000104330311".parse().unwrap()),
            22,
            "26424000000104330311".to_string(),
        ),
        (TxOutput::Order([0xAB; 32]), 33, "ab".repeat(32)),
        (TxOutput::RedForm([0xCD; 32]), 33, "cd".repeat(32)),
    ] {
        let bytes = output.encode();
        assert_eq!(bytes.len(), len, "{output:?}");
        assert_eq!(decode_exact::<TxOutput>(&bytes, &()).unwrap(), output);
        assert_eq!(output.to_string(), text);
    }
    assert!(decode_exact::<TxOutput>(&[4], &()).is_err());
    // A malformed invoice number does not decode.
    let mut bad = vec![1, 20];
    bad.extend_from_slice(b"2642400000010433031A");
    assert!(decode_exact::<TxOutput>(&bad, &()).is_err());
}

/// Writes `v` as a field of the old, untyped layout.
fn old(buf: &mut Vec<u8>, v: impl fapiao_types::field::Field) {
    v.write_field(buf);
}

/// The fields that became value types (issue 14 §1: quantities, unit prices, line rates,
/// months, USCCs, invoice numbers, the credit decision) keep the bytes of the `String`,
/// `u32` or `u8` they replaced: each typed record below is compared with the same record
/// written field by field in the old layout, then frozen.
#[test]
fn typed_fields_keep_the_bytes_of_the_strings_they_replaced() {
    let s = |t: &str| t.to_string();
    let line = Line {
        name: s("*家具*办公椅"),
        tax_code: s("1050201990000000000"),
        spec: String::new(),
        unit: s("把"),
        quantity: Some("3".parse().unwrap()),
        unit_price: Some("120.00".parse().unwrap()),
        amount: 36000,
        rate: "0.13".parse().unwrap(),
        tax: 4680,
    };
    let mut want = Vec::new();
    for t in ["*家具*办公椅", "1050201990000000000", "", "把", "3", "120"] {
        old(&mut want, s(t));
    }
    old(&mut want, 36000i64);
    old(&mut want, s("0.13"));
    old(&mut want, 4680i64);
    assert_eq!(line.encode().to_vec(), want);
    let exempt =
        Line { quantity: None, unit_price: None, rate: RateCode::Exempt, tax: 0, ..line.clone() };
    let input = LineInput {
        name: s("*咨询服务*咨询"),
        tax_code: s("3040201010000000000"),
        spec: String::new(),
        unit: String::new(),
        quantity: None,
        unit_price: Some("45.87155963".parse().unwrap()),
        amount: Some(100),
        gross: None,
        rate: "out_of_scope".parse().unwrap(),
        tax: None,
    };
    let mut want = Vec::new();
    for t in ["*咨询服务*咨询", "3040201010000000000", "", "", "", "45.87155963"] {
        old(&mut want, s(t));
    }
    old(&mut want, Some(100i64));
    old(&mut want, None::<i64>);
    old(&mut want, s("out_of_scope"));
    old(&mut want, None::<i64>);
    assert_eq!(input.encode().to_vec(), want);
    let mut lines = line.encode().to_vec();
    lines.extend_from_slice(&exempt.encode());
    lines.extend_from_slice(&input.encode());
    check("invoice_lines", &lines);
    assert_eq!(decode_exact::<Line>(&exempt.encode(), &()).unwrap(), exempt);
    assert_eq!(decode_exact::<LineInput>(&input.encode(), &()).unwrap(), input);

    // A decimal or rate text that parses but is not canonical does not decode: re-encoding
    // would not give back the bytes that were signed.
    for (i, t) in ["120.00", "3.0", "0.130", "免税", "1e2"].into_iter().enumerate() {
        let mut bad = Vec::new();
        for f in ["*家具*办公椅", "1050201990000000000", "", "把"] {
            old(&mut bad, s(f));
        }
        let (q, p, r) = match i {
            0 => ("3", t, "0.13"),
            1 => (t, "120", "0.13"),
            _ => ("3", "120", t),
        };
        for f in [q, p] {
            old(&mut bad, s(f));
        }
        old(&mut bad, 36000i64);
        old(&mut bad, s(r));
        old(&mut bad, 4680i64);
        assert!(decode_exact::<Line>(&bad, &()).is_err(), "{t}");
    }

    let catalogue = CatalogueItem {
        name: s("*餐饮服务*餐费"),
        tax_code: s("3070401000000000000"),
        rate: "0.06".parse().unwrap(),
        updated_at: 12,
    };
    let mut want = Vec::new();
    for t in ["*餐饮服务*餐费", "3070401000000000000", "0.06"] {
        old(&mut want, s(t));
    }
    old(&mut want, 12u64);
    assert_eq!(catalogue.encode().to_vec(), want);

    let month: Month = "2026-11".parse().unwrap();
    let uscc: Uscc = "91440300708461136T".parse().unwrap();
    let number: InvoiceNumber = "26424000000104330311".parse().unwrap();
    let credit = CreditRecord { monthly_ceiling: 5_000_000, month, used: 120_000, extra: 0 };
    let mut want = Vec::new();
    old(&mut want, 5_000_000i64);
    old(&mut want, 202611u32);
    old(&mut want, 120_000i64);
    old(&mut want, 0i64);
    assert_eq!(credit.encode().to_vec(), want);
    let auto = CreditAutoRecord { month, top_ups: 1, topped_up: 500_000, reversed: 0, restored: 0 };
    let mut want = Vec::new();
    old(&mut want, 202611u32);
    old(&mut want, 1u32);
    for v in [500_000i64, 0, 0] {
        old(&mut want, v);
    }
    assert_eq!(auto.encode().to_vec(), want);
    let adjustment = CreditAdjustmentRecord {
        uscc,
        month,
        kind: CreditAdjustmentKind::AutoTopUp,
        amount: 500_000,
        used_after: 4_100_000,
        limit_after: 5_500_000,
        invoice: number,
        height: 77,
    };
    let mut want = Vec::new();
    old(&mut want, s("91440300708461136T"));
    old(&mut want, 202611u32);
    old(&mut want, CreditAdjustmentKind::AutoTopUp);
    for v in [500_000i64, 4_100_000, 5_500_000] {
        old(&mut want, v);
    }
    old(&mut want, s("26424000000104330311"));
    old(&mut want, 77u64);
    assert_eq!(adjustment.encode().to_vec(), want);
    let request = CreditRequestRecord {
        uscc,
        amount: 700_000,
        month,
        reason: s("旺季"),
        requested_by: AccountId([0x21; 32]),
        decision: CreditDecision::Declined,
        decision_reason: s("材料不全"),
    };
    let mut want = Vec::new();
    old(&mut want, s("91440300708461136T"));
    old(&mut want, 700_000i64);
    old(&mut want, 202611u32);
    old(&mut want, s("旺季"));
    old(&mut want, AccountId([0x21; 32]));
    old(&mut want, 2u8);
    old(&mut want, s("材料不全"));
    assert_eq!(request.encode().to_vec(), want);
    let mut records = credit.encode().to_vec();
    for r in [auto.encode(), adjustment.encode(), request.encode(), catalogue.encode()] {
        records.extend_from_slice(&r);
    }
    check("credit_records", &records);
    assert_eq!(
        decode_exact::<CreditAdjustmentRecord>(&adjustment.encode(), &()).unwrap(),
        adjustment
    );
    assert_eq!(decode_exact::<CreditRequestRecord>(&request.encode(), &()).unwrap(), request);
    // Month 0 (never a month) does not decode.
    let mut zero = Vec::new();
    old(&mut zero, 5_000_000i64);
    old(&mut zero, 0u32);
    old(&mut zero, 0i64);
    old(&mut zero, 0i64);
    assert!(decode_exact::<CreditRecord>(&zero, &()).is_err());

    // An organisation's USCC: the bytes of the text it was, empty when it has none.
    let org = OrgRecord {
        id: s("huawei"),
        name: s("华为"),
        kind: OrgKind::Enterprise,
        tax_id: Some("914403001922038216".parse().unwrap()),
        status: fapiao_types::OrgStatus::Active,
    };
    let mut want = Vec::new();
    for t in ["huawei", "华为"] {
        old(&mut want, s(t));
    }
    want.push(org.kind.encode()[0]);
    old(&mut want, s("914403001922038216"));
    want.extend_from_slice(&fapiao_types::OrgStatus::Active.encode());
    assert_eq!(org.encode().to_vec(), want);
    assert_eq!(decode_exact::<OrgRecord>(&org.encode(), &()).unwrap(), org);
}
