//! Golden fixtures of the invoice application: the canonical encodings of its actions
//! (inside a transaction) and of its records are frozen in `tests/fixtures/*.hex`, moved
//! here byte for byte from `fapiao-types` when the actions left the platform's `Action`.
//! A change here is a change of the chain format: update `docs/formats.md`, then
//! regenerate with `FAPIAO_BLESS=1 cargo test -p fapiao-invoice-types`.

use commonware_codec::Encode;
use fapiao_invoice_types::*;
use fapiao_invoice_types::{InvoiceAction, InvoiceBodies};
use fapiao_types::*;

#[path = "../../types/tests/support/golden.rs"]
mod support;
use support::{check, sample_tx};

/// The codec configuration of a chain running the invoice application.
const CODECS: ActionCodecs = ActionCodecs(&[&InvoiceBodies]);

fn limits() -> TxLimits {
    TxLimits::with_actions(CODECS)
}

/// Writes `v` as a field of the old, untyped layout.
fn old(buf: &mut Vec<u8>, v: impl fapiao_types::field::Field) {
    v.write_field(buf);
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
    let record =
        Tx { action: Action::from(InvoiceAction::RecordOrder(sample_order())), ..sample_tx() };
    check("tx_record_order", &record.encode());
    let claim = Tx {
        action: Action::from(InvoiceAction::ClaimOrder(ClaimOrder {
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
        })),
        ..sample_tx()
    };
    check("tx_claim_order", &claim.encode());
    for tx in [&record, &claim] {
        let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
        let back = SignedTx::decode_limited(&signed.encode(), &limits()).unwrap();
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

    // The order keys (`state_keys_orders`) are frozen in tests/keys.rs.
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
    let tx = Tx {
        action: Action::from(InvoiceAction::IssueInvoice(sample_vehicle_tax_issue())),
        ..sample_tx()
    };
    check("tx_issue_vehicle_tax", &tx.encode());
    let signed = SignedTx { tx: tx.clone(), signature: Signature([0x5A; 64]) };
    let back = SignedTx::decode_limited(&signed.encode(), &limits()).unwrap();
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
fn accepted_platforms_encoding_is_frozen() {
    let set = Tx {
        action: Action::from(InvoiceAction::SetAcceptedPlatforms(SetAcceptedPlatforms {
            uscc: "91440300555012347H".parse().unwrap(),
            platforms: vec!["wechat-pay".into(), "alipay".into()],
        })),
        ..sample_tx()
    };
    check("tx_set_accepted_platforms", &set.encode());
    let signed = SignedTx { tx: set.clone(), signature: Signature([0x5A; 64]) };
    let back = SignedTx::decode_limited(&signed.encode(), &limits()).unwrap();
    assert_eq!(back.tx, set);
    assert_eq!(set.action.name(), "set_accepted_platforms");
    assert_eq!(set.action.required_role(), Some(Role::MerchantIssuer));

    let record = AcceptedPlatformsRecord {
        platforms: vec!["wechat-pay".into(), "alipay".into()],
        since_height: 42,
    };
    check("accepted_platforms_record", &record.encode());
    assert_eq!(decode_exact::<AcceptedPlatformsRecord>(&record.encode(), &()).unwrap(), record);

    // Its key (`state_key_accepted_platforms`) is frozen in tests/keys.rs.
}

#[test]
fn red_letter_issue_and_withdrawal_after_confirmation_are_frozen() {
    let issue = Tx {
        action: Action::from(InvoiceAction::IssueRedInvoice(RedFormRef {
            form: [0x4F; 32],
            reason: String::new(),
            salt: [0x5A; 32],
        })),
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
        action: Action::from(InvoiceAction::ApplyForRegistration(ApplyForRegistration {
            uscc: "91350100M000100Y43".parse().unwrap(),
            name: "福州示例商贸有限公司".into(),
            region: "350100".parse().unwrap(),
            seller_type: SellerType::SmallScale,
            contact: "王经理 13800000000".into(),
            requested_ceiling: 5_000_000,
        })),
        ..sample_tx()
    };
    check("tx_apply_for_registration", &apply.encode());
    assert_eq!(apply.action.required_role(), None, "a fresh key: checked by the lifecycle");
    let review = Tx {
        action: Action::from(InvoiceAction::ReviewApplication(ReviewApplication {
            application: [0x6A; 32],
            approve: true,
            monthly_ceiling: 3_000_000,
            reason: String::new(),
        })),
        ..sample_tx()
    };
    check("tx_review_application", &review.encode());
    assert_eq!(review.action.required_role(), Some(Role::TaxOfficer));
    // Its keys are frozen in tests/keys.rs.
}

/// The circulation actions after `InvoiceRef.text` was split by meaning
/// (docs/formats.md §13.1): submit carries the enterprise's USCC and reject a reason, in
/// the bytes they had; accept and book carry the number alone.
#[test]
fn circulation_actions_are_frozen() {
    let number: InvoiceNumber = "26424000000104330311".parse().unwrap();
    let with = |action| Tx { action, ..sample_tx() };
    let submit = with(Action::from(InvoiceAction::SubmitInvoice(SubmitInvoice {
        number,
        enterprise: Uscc::from_const("914403001922038216"),
    })));
    check("tx_submit_invoice", &submit.encode());
    let reject = with(Action::from(InvoiceAction::RejectReimbursement(RejectReimbursement {
        number,
        reason: "非工作日餐费".into(),
    })));
    check("tx_reject_reimbursement", &reject.encode());
    let accept = with(Action::from(InvoiceAction::AcceptReimbursement(InvoiceRef { number })));
    check("tx_accept_reimbursement", &accept.encode());
    // Accept: bytes 0–60 of the envelope, the tag, the number, nothing after it.
    assert_eq!(accept.encode().len(), 61 + 1 + 21);
    for tx in [submit, reject, accept] {
        assert_eq!(decode_exact::<Tx>(&tx.encode(), &CODECS).unwrap(), tx);
    }
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
}

/// The invoice transactions frozen here, read back from their fixture files.
fn tx_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("tx_"))
        .map(|p| {
            let hex = std::fs::read_to_string(&p).unwrap();
            (p.file_stem().unwrap().to_str().unwrap().to_string(), hex::decode(hex.trim()).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Every frozen invoice transaction decodes through the registry into an application
/// action whose typed form re-encodes to the same bytes, with the name and role the
/// platform's `Action` gave it.
#[test]
fn every_invoice_tx_fixture_decodes_through_the_registry() {
    let fixtures = tx_fixtures();
    assert_eq!(fixtures.len(), 12);
    for (name, bytes) in fixtures {
        let tx = decode_exact::<Tx>(&bytes, &CODECS).unwrap_or_else(|e| panic!("{name}: {e}"));
        let app = tx.action.app().unwrap_or_else(|| panic!("{name} is not an app action"));
        let typed = InvoiceAction::try_from(app).unwrap();
        assert_eq!(typed.spec(), app.spec(), "{name}");
        assert_eq!(tx.action.name(), typed.name(), "{name}");
        assert_eq!(tx.action.required_role(), typed.spec().role, "{name}");
        assert_eq!(Action::from(typed), tx.action, "{name}");
        assert_eq!(tx.encode().to_vec(), bytes, "{name}");
        // Without the invoice decoder, the platform refuses the tag.
        assert!(decode_exact::<Tx>(&bytes, &ActionCodecs::default()).is_err(), "{name}");
    }
}

/// A malformed invoice payload makes its transaction undecodable, as it did when the
/// envelope knew the payload: the owner's decoder checks the body in full.
#[test]
fn a_bad_invoice_body_makes_the_transaction_undecodable() {
    let tx = Tx {
        action: Action::from(InvoiceAction::IssueInvoice(sample_vehicle_tax_issue())),
        ..sample_tx()
    };
    let bytes = tx.encode().to_vec();
    let action_at = 1 + 11 + 33 + 16;
    assert_eq!(bytes[action_at], 0x20);
    assert_eq!(decode_exact::<Tx>(&bytes, &CODECS).unwrap(), tx);
    // The seller USCC's first byte: no longer a valid USCC.
    let mut bad = bytes.clone();
    bad[action_at + 2] = b'!';
    assert!(decode_exact::<Tx>(&bad, &CODECS).is_err());
    // Truncated, or with a byte too many.
    assert!(decode_exact::<Tx>(&bytes[..bytes.len() - 1], &CODECS).is_err());
    let mut long = bytes.clone();
    long.push(0);
    assert!(decode_exact::<Tx>(&long, &CODECS).is_err());
    // An unassigned tag of the invoice range.
    let mut unknown = bytes;
    unknown[action_at] = 0x4f;
    assert!(decode_exact::<Tx>(&unknown, &CODECS).is_err());
}

/// Issue 18 (docs/formats.md §24): the month totals gained `sales` and the VAT return
/// `on_time` (each appended), the tax summary's committed records, the disclosure grant
/// and the two actions that write it (tags 0x27, 0x28).
#[test]
fn tax_summary_and_disclosure_are_frozen() {
    let uscc = Uscc::from_const("914403001922038216");
    let month = Month::from_yyyymm(202610).unwrap();
    let totals = MonthTotals { output_tax: 13_000, input_tax: 2_600, issued: 3, sales: 100_000 };
    check("month_totals_record", &totals.encode());
    let vat = VatReturn {
        uscc,
        month,
        output_tax: 13_000,
        input_tax: 2_600,
        carried_in: 0,
        payable: 10_400,
        carry_forward: 0,
        filed_at: 42,
        on_time: true,
    };
    check("vat_return_record", &vat.encode());
    let summary = SummaryMonth {
        uscc,
        month,
        sales: [0x51; 32],
        vat_paid: [0x52; 32],
        on_time: [0x53; 32],
        updated_at: 42,
    };
    check("summary_month_record", &summary.encode());
    let status = SummaryStatus { uscc, status: [0x54; 32], updated_at: 7 };
    check("summary_status_record", &status.encode());
    let grant = DisclosureGrant {
        id: [0x27; 32],
        uscc,
        chain_id: "fapiao-finance".into(),
        bank: "icbc-sz".into(),
        purpose: "working-capital loan".into(),
        fields: vec![SummaryField::Sales, SummaryField::VatPaid, SummaryField::Status],
        first_month: Month::from_yyyymm(202511).unwrap(),
        last_month: month,
        expires_ms: 1_800_000_000_000,
        granted_at: 50,
        revoked_at: 0,
    };
    check("disclosure_grant_record", &grant.encode());
    let authorise = Tx {
        action: Action::from(InvoiceAction::AuthoriseDisclosure(AuthoriseDisclosure {
            uscc,
            chain_id: grant.chain_id.clone(),
            bank: grant.bank.clone(),
            purpose: grant.purpose.clone(),
            fields: grant.fields.clone(),
            first_month: grant.first_month,
            last_month: grant.last_month,
            expires_ms: grant.expires_ms,
        })),
        ..sample_tx()
    };
    check("tx_authorise_disclosure", &authorise.encode());
    let revoke = Tx {
        action: Action::from(InvoiceAction::RevokeDisclosure(RevokeDisclosure { id: [0x27; 32] })),
        ..sample_tx()
    };
    check("tx_revoke_disclosure", &revoke.encode());
    for tx in [&authorise, &revoke] {
        assert_eq!(&decode_exact::<Tx>(&tx.encode(), &CODECS).unwrap(), tx);
        assert_eq!(tx.action.required_role(), Some(Role::EnterpriseFinance));
    }
    assert_eq!(authorise.action.name(), "authorise_disclosure");
    assert_eq!(revoke.action.name(), "revoke_disclosure");
    // Their keys are frozen in tests/keys.rs.
}

/// ADR 0009 step 2 (docs/formats.md §8.6): the private records kept in the state as
/// commitments — circulation and red totals — start with the 32-byte record salt.
#[test]
fn salted_private_records_are_frozen() {
    let salt = record_salt(&[0; 32], b"invoice-circ/26951000000000000001");
    assert_eq!(
        hex::encode(salt),
        "459ef7f3d95c2624142dcf0e79a152fa37e3c1a845550e01c842e85b654cdc28",
        "formats.md §8.6's example salt"
    );
    let circulation = Circulation {
        salt,
        holder: Some(AccountId([0x1d; 32])),
        enterprise: Some(Uscc::from_const("914403001922038216")),
        reimbursed_at: 42,
        booked_at: 0,
        last_rejection: String::new(),
        reversed: -11_30,
    };
    check("circulation_record", &circulation.encode());
    let red = RedTotals {
        salt: record_salt(&[0; 32], b"invoice-red/26951000000000000001"),
        amounts: vec![-10_00, 0],
        taxes: vec![-1_30, 0],
        red_numbers: vec!["26951000000000000002".parse().unwrap()],
        open_form: Some([0x27; 32]),
    };
    check("red_totals_record", &red.encode());
    assert_eq!(&circulation.encode()[..32], &salt, "the salt comes first");
}
