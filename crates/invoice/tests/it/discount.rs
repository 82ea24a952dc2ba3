//! Discount lines (折扣行, DOMAIN arithmetic rule 7), table-driven: a blue line with a
//! negative amount is a discount of the line just above it — same name, code and rate,
//! at most that line's amount and tax — and a red invoice reverses the line net of it.

use crate::fixture::*;
use fapiao_invoice::Error;
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;

fn refusal<T: std::fmt::Debug>(r: std::result::Result<T, Error>) -> (String, String) {
    match r {
        Ok(v) => ("ok".into(), format!("{v:?}")),
        Err(Error::Rejected { code, field, .. }) => (code.into(), field),
        Err(e) => panic!("fatal: {e}"),
    }
}

/// 办公椅 3 × 120.00 at 13% (360.00 / 46.80).
fn chair() -> LineInput {
    line("*家具*办公椅", "3", "120.00", None, None, "0.13", None)
}

/// A discount of `amount` fen on the chair line.
fn discount(amount: i64) -> LineInput {
    line("*家具*办公椅", "", "", Some(amount), None, "0.13", None)
}

fn with_lines(lines: Vec<LineInput>) -> InvoiceAction {
    let mut c = example(InvoiceKind::Special, None);
    c.lines = lines;
    InvoiceAction::IssueInvoice(c)
}

#[test]
fn discount_line_table() {
    let consult = line("*现代服务*咨询服务", "", "", Some(943_40), None, "0.06", None);
    let renamed = LineInput { name: "*家具*办公桌".into(), ..discount(-60_00) };
    let recoded = LineInput { tax_code: "1090000000000000000".into(), ..discount(-60_00) };
    let rerated = LineInput { rate: "0.09".parse().unwrap(), ..discount(-60_00) };
    let gross = LineInput { amount: None, gross: Some(-11_30), ..discount(0) };
    let taxed = LineInput { tax: Some(-7_80), ..discount(-60_00) };
    let wrong_tax = LineInput { tax: Some(-9_00), ..discount(-60_00) };
    let positive_tax = LineInput { tax: Some(1), ..discount(-10) };
    // (case, lines, expected code, field; for "ok": total with tax).
    let cases: Vec<(&str, Vec<LineInput>, &str, &str)> = vec![
        ("a discount follows its line", vec![chair(), discount(-60_00)], "ok", "339.00"),
        ("the whole line", vec![chair(), discount(-360_00)], "ok", "0.00"),
        ("entered gross", vec![chair(), gross, consult.clone()], "ok", "1395.50"),
        ("with its tax", vec![chair(), taxed], "ok", "339.00"),
        (
            "first line",
            vec![discount(-60_00), chair()],
            "invoice.discount_without_line",
            "lines[0].discount",
        ),
        (
            "after a discount",
            vec![chair(), discount(-10_00), discount(-10_00)],
            "invoice.discount_without_line",
            "lines[2].discount",
        ),
        (
            "after another line",
            vec![chair(), consult, discount(-10_00)],
            "invoice.discount_name_mismatch",
            "lines[2].name",
        ),
        ("another name", vec![chair(), renamed], "invoice.discount_name_mismatch", "lines[1].name"),
        (
            "another code",
            vec![chair(), recoded],
            "invoice.discount_tax_code_mismatch",
            "lines[1].tax_code",
        ),
        ("another rate", vec![chair(), rerated], "invoice.discount_rate_mismatch", "lines[1].rate"),
        (
            "more than its line",
            vec![chair(), discount(-360_01)],
            "invoice.discount_exceeds_line",
            "lines[1].amount",
        ),
        ("tax off", vec![chair(), wrong_tax], "invoice.line_tax_mismatch", "lines[1].tax"),
        ("tax positive", vec![chair(), positive_tax], "invoice.tax_sign_mismatch", "lines[1].tax"),
        ("zero", vec![chair(), discount(0)], "invoice.non_positive_amount", "lines[1].amount"),
    ];
    for (case, lines, want, field) in cases {
        let mut w = World::new().with_taxpayers();
        let before = w.state.clone();
        let r = w.run_out("issuer", with_lines(lines));
        if want == "ok" {
            // A blue invoice's total must be positive: the whole-line case is refused
            // as an invoice, not as a discount.
            if field == "0.00" {
                assert_eq!(refusal(r).0, "invoice.non_positive_amount", "{case}");
                continue;
            }
            let n = r.unwrap_or_else(|e| panic!("{case}: {e}")).unwrap();
            let p: InvoicePublic =
                w.get(StateKey::from(InvoiceKey::Invoice(n.parse().unwrap()))).unwrap();
            assert_eq!(
                fapiao_invoice_rules::Fen::new(p.total_with_tax).unwrap().to_string(),
                field,
                "{case}"
            );
            let b: InvoiceBody =
                w.get(StateKey::from(InvoiceKey::InvoiceBody(n.parse().unwrap()))).unwrap();
            assert!(b.lines[1].amount < 0 && b.lines[1].name == b.lines[0].name, "{case}");
            let credit: CreditRecord =
                w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
            assert_eq!(credit.used, p.total_with_tax, "{case}: credit reserves the net");
        } else {
            let (code, f) = refusal(r);
            assert_eq!((code.as_str(), f.as_str()), (want, field), "{case}");
            assert_eq!(w.state, before, "{case}: a refusal writes nothing");
        }
    }
}

fn raise(blue: &str, reason: RedReason, lines: Vec<RedLine>) -> InvoiceAction {
    InvoiceAction::RaiseRedForm(RaiseRedForm {
        blue_number: blue.parse().unwrap(),
        reason,
        lines,
        salt: [9; 32],
    })
}

/// A discounted invoice (chair 360.00 − 60.00 at 13%, consulting 943.40 at 6%), and
/// reimbursed (used) when `used`.
fn discounted(w: &mut World, used: bool) -> String {
    let consult = line("*现代服务*咨询服务", "", "", Some(943_40), None, "0.06", None);
    let mut c = example(InvoiceKind::Special, Some(w.consumer.id));
    c.lines = vec![chair(), discount(-60_00), consult];
    w.run_out("issuer", InvoiceAction::IssueInvoice(c)).unwrap().unwrap();
    let n = w.state.0.keys().filter_map(|k| k.strip_prefix("invoice/")).max().unwrap().to_string();
    if used {
        let num: InvoiceNumber = n.parse().unwrap();
        let submit = SubmitInvoice { number: num, enterprise: BUYER.parse().unwrap() };
        w.run("consumer", InvoiceAction::SubmitInvoice(submit)).unwrap();
        w.run("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: num })).unwrap();
    }
    n
}

#[test]
fn a_red_invoice_reverses_a_discounted_line_net_of_its_discount() {
    let mut w = World::new().with_taxpayers();
    let n = discounted(&mut w, false);
    let out = w.run_out("issuer", raise(&n, RedReason::IssuingError, vec![])).unwrap().unwrap();
    let id: [u8; 32] = hex::decode(out).unwrap().try_into().unwrap();
    let form: RedFormRecord = w.get(StateKey::from(InvoiceKey::RedForm(id))).unwrap();
    let lines: Vec<(u32, i64, i64)> =
        form.lines.iter().map(|l| (l.line, l.amount, l.tax)).collect();
    assert_eq!(lines, [(0, -300_00, -39_00), (2, -943_40, -56_60)], "net, no discount line");
    let red: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(form.red_number.unwrap()))).unwrap();
    assert!(red.lines.iter().all(|l| l.amount < 0 && l.tax < 0));
    assert_eq!(red.lines[0].name, "*家具*办公椅");
    let blue: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(n.parse().unwrap()))).unwrap();
    assert_eq!(blue.status, InvoiceStatus::Reversed, "the net reversal is the whole invoice");
}

#[test]
fn partial_red_lines_of_a_discounted_invoice() {
    // (case, red lines, expected code, field).
    let cases: Vec<(&str, Vec<RedLine>, &str, &str)> = vec![
        ("within the net", vec![RedLine { line: 0, amount: -100_00, tax: -13_00 }], "ok", ""),
        ("the whole net", vec![RedLine { line: 0, amount: -300_00, tax: -39_00 }], "ok", ""),
        (
            "past the net",
            vec![RedLine { line: 0, amount: -300_01, tax: -39_00 }],
            "invoice.red_exceeds_blue",
            "lines[0].amount",
        ),
        (
            "the discount line",
            vec![RedLine { line: 1, amount: -10_00, tax: -1_30 }],
            "invoice.discount_line",
            "lines[0].line",
        ),
    ];
    for (case, lines, want, field) in cases {
        let mut w = World::new().with_taxpayers();
        let n = discounted(&mut w, true);
        let before = w.state.clone();
        let r = w.run_out("issuer", raise(&n, RedReason::GoodsReturned, lines));
        let (code, f) = refusal(r);
        if want == "ok" {
            assert_eq!(code, "ok", "{case}: {f}");
        } else {
            assert_eq!((code.as_str(), f.as_str()), (want, field), "{case}");
            assert_eq!(w.state, before, "{case}: a refusal writes nothing");
        }
    }
}
