//! The tax summary kept in execution and the disclosure grants (issue 18, ADR 0012),
//! table-driven: what each invoice, red invoice, filing and status change rewrites, the
//! parameter that turns it on and pins the chain secret, and every legal and illegal
//! grant and revocation.

use crate::fixture::*;
use commonware_codec::Encode;
use fapiao_app::Param;
use fapiao_invoice::{Error, StateAccess, TaxSummary, MAX_GRANT_VALIDITY_MS};
use fapiao_invoice_types::*;
use fapiao_types::*;

const SECRET: [u8; 32] = [0x5e; 32];
const DAY: u64 = 24 * 3_600_000;

fn code<T>(r: std::result::Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Rejected { code, field, .. }) => format!("{code}@{field}"),
        Err(e) => panic!("fatal: {e}"),
    }
}

/// Enables the summary from genesis, pinning `secret`'s id.
fn enable(w: &mut World, secret: &[u8; 32]) {
    let p = TaxSummary { enabled: true, secret_id: hex32(&secret_id(secret)) };
    let schedule = ParamSchedule {
        versions: vec![ParamVersion {
            version: 0,
            effective: Effective::AtHeight(0),
            value: ParamValue(serde_json::to_string(&p).unwrap()),
            enacted_at: 0,
            proposal: 0,
        }],
    };
    w.state.write(&StateKey::Param(TaxSummary::ID.into()), schedule.encode().to_vec());
}

fn enabled_world() -> World {
    let mut w = World::new();
    w.secret = Some(SECRET);
    enable(&mut w, &SECRET);
    w.with_taxpayers()
}

fn committed(uscc: &str, field: SummaryField, m: Option<Month>, v: SummaryValue) -> Hash32 {
    let u = fixture_uscc(uscc);
    commitment(&salt(&SECRET, &u, field, m), &u, field, m, &v)
}

fn fixture_uscc(s: &str) -> Uscc {
    uscc(s)
}

fn summary(w: &World, who: &str, m: u32) -> Option<SummaryMonth> {
    w.get(StateKey::from(InvoiceKey::SummaryMonth(uscc(who), month(m))))
}

/// The summary record of `who`'s month opens as (sales, VAT paid, on time).
fn assert_month(w: &World, who: &str, m: u32, sales: i64, paid: i64, on_time: bool) {
    let rec = summary(w, who, m).expect("a summary record");
    let mm = Some(month(m));
    assert_eq!(rec.sales, committed(who, SummaryField::Sales, mm, SummaryValue::Fen(sales)));
    assert_eq!(rec.vat_paid, committed(who, SummaryField::VatPaid, mm, SummaryValue::Fen(paid)));
    assert_eq!(
        rec.on_time,
        committed(who, SummaryField::OnTime, mm, SummaryValue::Flag(on_time)),
        "on_time of {who} {m}"
    );
    // The node's own computation of the clear values agrees.
    let values = fapiao_invoice::summary::month_values(&w.state, &uscc(who), month(m)).unwrap();
    assert_eq!(
        values.map(|(_, v)| v),
        [SummaryValue::Fen(sales), SummaryValue::Fen(paid), SummaryValue::Flag(on_time)]
    );
}

fn status_of(w: &World, who: &str) -> Hash32 {
    let rec: SummaryStatus = w.get(StateKey::from(InvoiceKey::SummaryStatus(uscc(who)))).unwrap();
    rec.status
}

fn file(who: &str, m: u32) -> InvoiceAction {
    InvoiceAction::FileVatReturn(FileVatReturn { uscc: uscc(who), month: month(m) })
}

#[test]
fn while_disabled_nothing_is_committed_and_no_secret_is_needed() {
    let mut w = World::new().with_taxpayers();
    w.issue_example(InvoiceKind::Special);
    assert!(
        !w.state.0.keys().any(|k| k.starts_with("tax-summary/") || k.starts_with("tax-status/")),
        "{:?}",
        w.state.0.keys().collect::<Vec<_>>()
    );
    let totals: MonthTotals =
        w.get(StateKey::from(InvoiceKey::MonthTotals(uscc(SELLER), month(202611)))).unwrap();
    assert_eq!(totals.sales, 1395_14, "the month totals keep sales either way");
}

#[test]
fn invoices_red_invoices_filings_and_status_changes_rewrite_the_summary() {
    let mut w = enabled_world();
    // Registration commits the status of each taxpayer.
    for who in [SELLER, BUYER, OTHER] {
        assert_eq!(
            status_of(&w, who),
            committed(
                who,
                SummaryField::Status,
                None,
                SummaryValue::Status(TaxpayerStatus::Active)
            )
        );
    }
    // An invoice: the seller's month, sales = amount excluding tax.
    let n = w.issue_example(InvoiceKind::Special);
    assert_month(&w, SELLER, 202611, 1395_14, 0, false);
    assert!(summary(&w, BUYER, 202611).is_none(), "the buyer's sales did not change");
    // A second invoice adds to it; its full reversal nets it out again.
    let n2 = w.issue_example(InvoiceKind::Special);
    assert_month(&w, SELLER, 202611, 2 * 1395_14, 0, false);
    w.run(
        "issuer",
        InvoiceAction::RaiseRedForm(RaiseRedForm {
            blue_number: n2,
            reason: RedReason::IssuingError,
            lines: vec![],
            salt: [9; 32],
        }),
    )
    .unwrap();
    assert_month(&w, SELLER, 202611, 1395_14, 0, false);
    let at = summary(&w, SELLER, 202611).unwrap().updated_at;
    assert_eq!(at, w.height, "updated by the red invoice's block");
    // Filing on the 6th of the next month: on time, VAT paid = the payable.
    w.time_ms += 10 * DAY; // 2026-12-06
    w.run("issuer", file(SELLER, 202611)).unwrap();
    let payable =
        fapiao_invoice::compute_vat_return(&w.state, &uscc(SELLER), month(202611)).unwrap().payable;
    assert!(payable > 0);
    assert_month(&w, SELLER, 202611, 1395_14, payable, true);
    // A return filed after the 15th is late; a month without sales gets a record when filed.
    w.time_ms += 40 * DAY; // 2027-01-15: December is on time, October is not
    w.run("issuer", file(SELLER, 202612)).unwrap();
    assert_month(&w, SELLER, 202612, 0, 0, true);
    w.time_ms += DAY; // 2027-01-16
    w.run("finance", file(BUYER, 202612)).unwrap();
    assert_month(&w, BUYER, 202612, 0, 0, false);
    let _ = n;
    // A status change rewrites the status commitment.
    w.run(
        "officer",
        InvoiceAction::SetTaxpayerStatus(SetTaxpayerStatus {
            uscc: uscc(SELLER),
            status: TaxpayerStatus::Frozen,
            reason: "audit".into(),
        }),
    )
    .unwrap();
    assert_eq!(
        status_of(&w, SELLER),
        committed(SELLER, SummaryField::Status, None, SummaryValue::Status(TaxpayerStatus::Frozen))
    );
}

#[test]
fn a_node_without_the_pinned_secret_halts_rather_than_compute_another_state() {
    for secret in [None, Some([0x11; 32])] {
        let mut w = World::new();
        enable(&mut w, &SECRET);
        w.secret = secret;
        let before = w.state.clone();
        let r = w.run(
            "officer",
            InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
                uscc: uscc(SELLER),
                name: "seller".into(),
                region: "440300".parse().unwrap(),
                seller_type: SellerType::General,
                issuers: vec![],
            }),
        );
        match r {
            Err(Error::Fatal(m)) => assert!(m.contains("invoice/tax-summary"), "{m}"),
            other => panic!("{secret:?}: {other:?}"),
        }
        assert_eq!(w.state, before);
    }
}

fn grant() -> AuthoriseDisclosure {
    AuthoriseDisclosure {
        uscc: uscc(BUYER),
        chain_id: "fapiao-finance".into(),
        bank: "icbc-sz".into(),
        purpose: "working-capital loan".into(),
        fields: vec![SummaryField::Sales, SummaryField::VatPaid, SummaryField::Status],
        first_month: month(202511),
        last_month: month(202610),
        expires_ms: NOON + 30 * DAY,
    }
}

#[test]
fn every_grant_rule_refuses_with_its_code_and_field() {
    type Edit = fn(&mut AuthoriseDisclosure);
    let cases: &[(&str, &str, Edit)] = &[
        ("legal: all four fields", "ok", |g| {
            g.fields = vec![
                SummaryField::Sales,
                SummaryField::VatPaid,
                SummaryField::OnTime,
                SummaryField::Status,
            ]
        }),
        ("legal: one month, status only", "ok", |g| {
            g.first_month = month(202610);
            g.fields = vec![SummaryField::Status];
        }),
        ("legal: expiry a year ahead", "ok", |g| g.expires_ms = NOON + MAX_GRANT_VALIDITY_MS),
        ("another taxpayer", "invoice.not_your_taxpayer@uscc", |g| g.uscc = uscc(OTHER)),
        ("empty chain id", "invoice.bad_chain_id@chain_id", |g| g.chain_id.clear()),
        ("this chain", "invoice.bad_chain_id@chain_id", |g| g.chain_id = "fapiao-test".into()),
        ("long chain id", "invoice.bad_chain_id@chain_id", |g| g.chain_id = "c".repeat(65)),
        ("bank with capitals", "invoice.bad_bank@bank", |g| g.bank = "ICBC".into()),
        ("empty bank", "invoice.bad_bank@bank", |g| g.bank.clear()),
        ("blank purpose", "invoice.bad_purpose@purpose", |g| g.purpose = "  ".into()),
        ("long purpose", "invoice.bad_purpose@purpose", |g| g.purpose = "p".repeat(201)),
        ("control in purpose", "invoice.bad_purpose@purpose", |g| g.purpose = "a\nb".into()),
        ("no fields", "invoice.bad_fields@fields", |g| g.fields.clear()),
        ("repeated field", "invoice.bad_fields@fields", |g| {
            g.fields = vec![SummaryField::Sales, SummaryField::Sales]
        }),
        ("fields out of order", "invoice.bad_fields@fields", |g| {
            g.fields = vec![SummaryField::Status, SummaryField::Sales]
        }),
        ("first after last", "invoice.months_out_of_order@first_month", |g| {
            g.first_month = month(202610);
            g.last_month = month(202609);
        }),
        ("13 months", "invoice.grant_too_long@last_month", |g| g.first_month = month(202510)),
        ("the current month", "invoice.month_not_closed@last_month", |g| {
            g.first_month = month(202512);
            g.last_month = month(202611);
        }),
        ("expiry now", "invoice.bad_expiry@expires_ms", |g| g.expires_ms = NOON),
        ("expiry past", "invoice.bad_expiry@expires_ms", |g| g.expires_ms = 1),
        ("expiry beyond a year", "invoice.bad_expiry@expires_ms", |g| {
            g.expires_ms = NOON + MAX_GRANT_VALIDITY_MS + 1
        }),
    ];
    for (name, want, edit) in cases {
        let mut w = World::new().with_taxpayers();
        let mut g = grant();
        edit(&mut g);
        let before = w.state.clone();
        let got = code(w.run("finance", InvoiceAction::AuthoriseDisclosure(g.clone())));
        assert_eq!(&got, want, "{name}");
        if got == "ok" {
            let id = [w.nonce_of_last(); 32];
            let rec: DisclosureGrant = w.get(StateKey::from(InvoiceKey::Disclosure(id))).unwrap();
            assert_eq!(
                (rec.uscc, rec.fields.clone(), rec.first_month, rec.granted_at, rec.revoked_at),
                (g.uscc, g.fields, g.first_month, w.height, 0),
                "{name}"
            );
            assert!(rec.in_force(NOON) && !rec.in_force(g.expires_ms), "{name}");
        } else {
            assert_eq!(w.state, before, "{name}: a refusal writes nothing");
        }
    }
}

#[test]
fn only_the_owner_revokes_a_grant_once() {
    let mut w = World::new().with_taxpayers();
    w.run("finance", InvoiceAction::AuthoriseDisclosure(grant())).unwrap();
    let id = [w.nonce_of_last(); 32];
    let revoke = |id| InvoiceAction::RevokeDisclosure(RevokeDisclosure { id });
    let cases: &[(&str, &str, Hash32, &str)] = &[
        ("unknown grant", "finance", [0xEE; 32], "invoice.unknown_grant@id"),
        ("another taxpayer's", "other_finance", id, "invoice.not_your_grant@id"),
        ("the owner", "finance", id, "ok"),
        ("again", "finance", id, "invoice.grant_revoked@id"),
    ];
    for (name, who, id, want) in cases {
        let before = w.state.clone();
        let got = code(w.run(who, revoke(*id)));
        assert_eq!(&got, want, "{name}");
        if got != "ok" {
            assert_eq!(w.state, before, "{name}");
        }
    }
    let rec: DisclosureGrant = w.get(StateKey::from(InvoiceKey::Disclosure(id))).unwrap();
    assert!(rec.revoked_at != 0 && !rec.in_force(NOON));
}

/// The private records (`invoice-circ`, `invoice-red`) start with a salt derived from the
/// pinned chain secret and their path, written when the record is created and kept by
/// every later write; a chain that pins no secret salts them from the zero secret.
#[test]
fn private_records_are_salted_from_the_pinned_secret_and_keep_their_salt() {
    let salt_of =
        |secret: &[u8; 32], key: InvoiceKey| record_salt(secret, &StateKey::from(key).to_bytes());
    let circ = |w: &World, n: InvoiceNumber| -> Circulation {
        w.get(StateKey::from(InvoiceKey::InvoiceCirc(n))).unwrap()
    };
    let mut w = enabled_world();
    let n = w.issue_example(InvoiceKind::Special);
    let salt = salt_of(&SECRET, InvoiceKey::InvoiceCirc(n));
    assert_eq!(circ(&w, n).salt, salt);
    assert_ne!(salt, salt_of(&[0; 32], InvoiceKey::InvoiceCirc(n)));
    w.run(
        "consumer",
        InvoiceAction::SubmitInvoice(SubmitInvoice { number: n, enterprise: uscc(BUYER) }),
    )
    .unwrap();
    w.run("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: n })).unwrap();
    let used = circ(&w, n);
    assert!(used.reimbursed_at > 0 && used.enterprise.is_some());
    assert_eq!(used.salt, salt, "kept by submission and reimbursement");

    // A partial reversal the buyer must confirm: the red totals are created with their own
    // salt when the form is raised and keep it when the red invoice is issued.
    let lines = vec![RedLine { line: 0, amount: -10_00, tax: -1_30 }];
    let raise =
        RaiseRedForm { blue_number: n, reason: RedReason::SalesAllowance, lines, salt: [9; 32] };
    let form = w.run_out("issuer", InvoiceAction::RaiseRedForm(raise)).unwrap().unwrap();
    let form: [u8; 32] = hex::decode(form).unwrap().try_into().unwrap();
    let red_key = StateKey::from(InvoiceKey::RedTotals(n));
    let red_salt = salt_of(&SECRET, InvoiceKey::RedTotals(n));
    let red: RedTotals = w.get(red_key.clone()).unwrap();
    assert_eq!((red.salt, red.open_form), (red_salt, Some(form)));
    let confirm = RedFormRef { form, reason: String::new(), salt: [8; 32] };
    w.run("finance", InvoiceAction::ConfirmRedForm(confirm.clone())).unwrap();
    let red_number: InvoiceNumber = w
        .run_out("issuer", InvoiceAction::IssueRedInvoice(confirm))
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let red: RedTotals = w.get(red_key).unwrap();
    assert_eq!((red.salt, red.red_numbers.len()), (red_salt, 1), "kept by the red invoice");
    let blue = circ(&w, n);
    assert_eq!((blue.salt, blue.reversed), (salt, -11_30), "kept by the reversal");
    assert_eq!(circ(&w, red_number).salt, salt_of(&SECRET, InvoiceKey::InvoiceCirc(red_number)));

    // No pinned secret: salted from 32 zero bytes, whatever secret the node holds.
    for secret in [None, Some([0x77; 32])] {
        let mut w = World::new().with_taxpayers();
        w.secret = secret;
        let n = w.issue_example(InvoiceKind::Ordinary);
        assert_eq!(circ(&w, n).salt, salt_of(&[0; 32], InvoiceKey::InvoiceCirc(n)));
    }
}
