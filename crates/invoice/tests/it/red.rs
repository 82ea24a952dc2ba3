//! Red-letter invoices and the confirmation-form machine, table-driven.

use crate::fixture::*;
use fapiao_invoice::{Error, RED_FORM_DEADLINE_MS};
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;

fn code<T>(r: std::result::Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Rejected { code, .. }) => code.into(),
        Err(e) => panic!("fatal: {e}"),
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

fn form_ref(form: [u8; 32], reason: &str) -> RedFormRef {
    RedFormRef { form, reason: reason.into(), salt: [8; 32] }
}

fn form_id(out: &str) -> [u8; 32] {
    hex::decode(out).unwrap().try_into().unwrap()
}

/// An issued special invoice, reimbursed by the buyer (so it is "used").
fn used_invoice(w: &mut World) -> String {
    let n = w.issue_example(InvoiceKind::Special);
    w.run(
        "consumer",
        InvoiceAction::SubmitInvoice(SubmitInvoice { number: n, enterprise: uscc(BUYER) }),
    )
    .unwrap();
    w.run("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: n })).unwrap();
    n.to_string()
}

#[test]
fn the_seller_reverses_an_unused_invoice_in_full_at_once() {
    let mut w = World::new().with_taxpayers();
    let n = w.issue_example(InvoiceKind::Special);
    assert_eq!(
        code(w.run(
            "issuer",
            raise(&n, RedReason::IssuingError, vec![RedLine { line: 0, amount: -1, tax: 0 }])
        )),
        "invoice.full_reversal_required"
    );
    assert_eq!(
        code(w.run(
            "issuer",
            raise(
                &n,
                RedReason::GoodsReturned,
                vec![RedLine { line: 0, amount: -100_00, tax: -13_00 }]
            )
        )),
        "invoice.partial_not_allowed"
    );
    let out = w.run_out("issuer", raise(&n, RedReason::IssuingError, vec![])).unwrap().unwrap();
    let form: RedFormRecord = w.get(StateKey::from(InvoiceKey::RedForm(form_id(&out)))).unwrap();
    assert_eq!(form.status, RedFormStatus::NoConfirmationNeeded);
    let red: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(form.red_number.unwrap()))).unwrap();
    assert_eq!(red.total_with_tax, -1506_80);
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(form.red_number.unwrap()))).unwrap();
    assert_eq!(body.red_of.as_deref(), Some(n.as_str()));
    assert_eq!(body.total_in_capitals, "(负数)壹仟伍佰零陆圆捌角整");
    assert!(body.lines.iter().all(|l| l.amount < 0 && l.tax < 0));
    let blue: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(n.parse().unwrap()))).unwrap();
    assert_eq!(blue.status, InvoiceStatus::Reversed);
    // The seller's output tax is net of the red invoice.
    let m: MonthTotals = w
        .get(StateKey::from(InvoiceKey::MonthTotals(
            SELLER.parse().unwrap(),
            fapiao_types::Month::from_yyyymm(202611).unwrap(),
        )))
        .unwrap();
    assert_eq!(m.output_tax, 0);
    // Nothing is left to reverse; a red invoice is never reversed.
    assert_eq!(
        code(w.run("issuer", raise(&n, RedReason::IssuingError, vec![]))),
        "invoice.nothing_to_reverse"
    );
    assert_eq!(
        code(w.run("issuer", raise(&form.red_number.unwrap(), RedReason::IssuingError, vec![]))),
        "invoice.red_of_red"
    );
    // A reversed invoice cannot circulate.
    let submit = InvoiceAction::SubmitInvoice(SubmitInvoice {
        number: n.parse().unwrap(),
        enterprise: BUYER.parse().unwrap(),
    });
    assert_eq!(code(w.run("consumer", submit)), "invoice.invoice_reversed");
}

#[test]
fn a_used_invoice_is_reversed_partly_only_with_the_buyers_confirmation() {
    let mut w = World::new().with_taxpayers();
    let n = used_invoice(&mut w);
    let part = vec![RedLine { line: 0, amount: -120_00, tax: -15_60 }];
    assert_eq!(
        code(w.run(
            "issuer",
            raise(
                &n,
                RedReason::GoodsReturned,
                vec![RedLine { line: 0, amount: -120_00, tax: -20_00 }]
            )
        )),
        "invoice.line_tax_mismatch"
    );
    assert_eq!(
        code(w.run(
            "issuer",
            raise(
                &n,
                RedReason::GoodsReturned,
                vec![RedLine { line: 0, amount: -400_00, tax: -52_00 }]
            )
        )),
        "invoice.red_exceeds_blue"
    );
    assert_eq!(
        code(w.run(
            "issuer",
            raise(&n, RedReason::GoodsReturned, vec![RedLine { line: 7, amount: -1, tax: 0 }])
        )),
        "invoice.unknown_line"
    );
    assert_eq!(
        code(w.run("other_finance", raise(&n, RedReason::GoodsReturned, part.clone()))),
        "invoice.not_a_party"
    );
    let id = form_id(
        &w.run_out("issuer", raise(&n, RedReason::GoodsReturned, part.clone())).unwrap().unwrap(),
    );
    // One open form at a time.
    assert_eq!(
        code(w.run("issuer", raise(&n, RedReason::SalesAllowance, part.clone()))),
        "invoice.form_open"
    );
    // The seller cannot confirm its own form; the buyer enterprise can.
    assert_eq!(
        code(w.run("issuer", InvoiceAction::ConfirmRedForm(form_ref(id, "")))),
        "invoice.not_the_other_party"
    );
    // The buyer's confirmation leaves the red invoice to the seller.
    let out = w.run_out("finance", InvoiceAction::ConfirmRedForm(form_ref(id, ""))).unwrap();
    assert_eq!(out, None);
    let form: RedFormRecord = w.get(StateKey::from(InvoiceKey::RedForm(id))).unwrap();
    assert_eq!((form.status, form.red_number), (RedFormStatus::Confirmed, None));
    assert_eq!(
        code(w.run("issuer", raise(&n, RedReason::SalesAllowance, part.clone()))),
        "invoice.form_open",
        "a confirmed form awaiting its red invoice is still the open one"
    );
    assert_eq!(
        code(w.run("finance", InvoiceAction::IssueRedInvoice(form_ref(id, "")))),
        "invoice.not_the_seller"
    );
    let red_number =
        w.run_out("issuer", InvoiceAction::IssueRedInvoice(form_ref(id, ""))).unwrap().unwrap();
    let body: InvoiceBody =
        w.get(StateKey::from(InvoiceKey::InvoiceBody(red_number.parse().unwrap()))).unwrap();
    assert_eq!(body.issuer, w.issuer.id, "the red invoice is the seller's");
    let red: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(red_number.parse().unwrap()))).unwrap();
    assert_eq!(red.total_with_tax, -135_60);
    let blue: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(n.parse().unwrap()))).unwrap();
    assert_eq!(blue.status, InvoiceStatus::Reimbursed, "partly reversed: still reimbursed");
    let circ: Circulation =
        w.get(StateKey::from(InvoiceKey::InvoiceCirc(n.parse().unwrap()))).unwrap();
    assert_eq!(blue.total_with_tax + circ.reversed, 1371_20, "what stands");
    // Σ red ≥ −blue per line: 240.00 of line 0 remain.
    let too_much = vec![RedLine { line: 0, amount: -240_01, tax: -31_20 }];
    assert_eq!(
        code(w.run("issuer", raise(&n, RedReason::GoodsReturned, too_much))),
        "invoice.red_exceeds_blue"
    );
    let rest = vec![RedLine { line: 0, amount: -240_00, tax: -31_20 }];
    assert_eq!(code(w.run("issuer", raise(&n, RedReason::GoodsReturned, rest))), "ok");
}

#[test]
fn the_buyer_raises_and_the_seller_confirms_moving_booked_input_tax_out() {
    let mut w = World::new().with_taxpayers();
    let n = w.issue_example(InvoiceKind::Special);
    w.run("finance", InvoiceAction::BookInvoice(InvoiceRef { number: n.parse().unwrap() }))
        .unwrap();
    let id = form_id(
        &w.run_out("finance", raise(&n, RedReason::ServiceStopped, vec![])).unwrap().unwrap(),
    );
    let form: RedFormRecord = w.get(StateKey::from(InvoiceKey::RedForm(id))).unwrap();
    assert_eq!(form.status, RedFormStatus::BuyerEnteredAwaitingSeller);
    assert_eq!(
        code(w.run("consumer", InvoiceAction::ConfirmRedForm(form_ref(id, "")))),
        "invoice.not_the_other_party"
    );
    assert_eq!(code(w.run("issuer", InvoiceAction::ConfirmRedForm(form_ref(id, "")))), "ok");
    let buyer: MonthTotals = w
        .get(StateKey::from(InvoiceKey::MonthTotals(
            BUYER.parse().unwrap(),
            fapiao_types::Month::from_yyyymm(202611).unwrap(),
        )))
        .unwrap();
    assert_eq!(buyer.input_tax, 0, "input tax of the booked invoice transferred out");
}

/// Every (form status, command) pair of a form the seller raised; `after` is the status
/// the form reads when the command succeeds.
#[test]
fn form_machine_table() {
    #[derive(Debug, Clone, Copy)]
    enum Start {
        Pending,
        Expired,
        Refused,
        Withdrawn,
        /// The buyer confirmed; the seller has not issued the red invoice.
        Confirmed,
        /// The buyer confirmed and the seller issued the red invoice.
        Issued,
        WithdrawnAfterConfirmation,
    }
    use RedFormStatus as F;
    let cases: &[(Start, &str, &str, &str, Option<F>)] = &[
        (Start::Pending, "confirm", "finance", "ok", Some(F::Confirmed)),
        (Start::Pending, "confirm", "issuer", "invoice.not_the_other_party", None),
        (Start::Pending, "refuse", "finance", "ok", Some(F::VoidRefused)),
        (Start::Pending, "refuse_blank", "finance", "invoice.invalid_reason", None),
        (Start::Pending, "refuse", "issuer", "invoice.not_the_other_party", None),
        (Start::Pending, "withdraw", "issuer", "ok", Some(F::VoidWithdrawn)),
        (Start::Pending, "withdraw", "finance", "invoice.not_the_raiser", None),
        (Start::Pending, "issue", "issuer", "invoice.form_not_confirmed", None),
        (Start::Expired, "confirm", "finance", "invoice.form_expired", None),
        (Start::Expired, "refuse", "finance", "invoice.form_expired", None),
        (Start::Expired, "withdraw", "issuer", "invoice.form_expired", None),
        (Start::Expired, "issue", "issuer", "invoice.form_expired", None),
        (Start::Refused, "confirm", "finance", "invoice.form_closed", None),
        (Start::Refused, "withdraw", "issuer", "invoice.form_closed", None),
        (Start::Refused, "issue", "issuer", "invoice.form_closed", None),
        (Start::Withdrawn, "confirm", "finance", "invoice.form_closed", None),
        (Start::Withdrawn, "issue", "issuer", "invoice.form_closed", None),
        (Start::Confirmed, "confirm", "finance", "invoice.form_closed", None),
        (Start::Confirmed, "refuse", "finance", "invoice.form_closed", None),
        (Start::Confirmed, "issue", "issuer", "ok", Some(F::Confirmed)),
        (Start::Confirmed, "issue", "finance", "invoice.not_the_seller", None),
        (Start::Confirmed, "withdraw", "issuer", "ok", Some(F::VoidWithdrawnAfterConfirmation)),
        (Start::Confirmed, "withdraw", "finance", "invoice.not_the_raiser", None),
        (Start::Issued, "confirm", "finance", "invoice.form_closed", None),
        (Start::Issued, "issue", "issuer", "invoice.form_closed", None),
        (Start::Issued, "withdraw", "issuer", "invoice.red_invoice_issued", None),
        (Start::WithdrawnAfterConfirmation, "withdraw", "issuer", "invoice.form_closed", None),
        (Start::WithdrawnAfterConfirmation, "issue", "issuer", "invoice.form_closed", None),
        (Start::WithdrawnAfterConfirmation, "confirm", "finance", "invoice.form_closed", None),
    ];
    for (start, cmd, who, want, after) in cases {
        let mut w = World::new().with_taxpayers();
        let n = used_invoice(&mut w);
        let part = vec![RedLine { line: 1, amount: -100_00, tax: -6_00 }];
        let id = form_id(
            &w.run_out("issuer", raise(&n, RedReason::SalesAllowance, part)).unwrap().unwrap(),
        );
        match start {
            Start::Pending => {}
            Start::Expired => w.time_ms += RED_FORM_DEADLINE_MS + 1,
            Start::Refused => {
                w.run("finance", InvoiceAction::RefuseRedForm(form_ref(id, "no"))).unwrap()
            }
            Start::Withdrawn => {
                w.run("issuer", InvoiceAction::WithdrawRedForm(form_ref(id, ""))).unwrap()
            }
            Start::Confirmed => {
                w.run("finance", InvoiceAction::ConfirmRedForm(form_ref(id, ""))).unwrap()
            }
            Start::Issued => {
                w.run("finance", InvoiceAction::ConfirmRedForm(form_ref(id, ""))).unwrap();
                w.run("issuer", InvoiceAction::IssueRedInvoice(form_ref(id, ""))).unwrap();
            }
            Start::WithdrawnAfterConfirmation => {
                w.run("finance", InvoiceAction::ConfirmRedForm(form_ref(id, ""))).unwrap();
                w.run("issuer", InvoiceAction::WithdrawRedForm(form_ref(id, ""))).unwrap();
            }
        }
        let before = w.state.clone();
        let action = match *cmd {
            "confirm" => InvoiceAction::ConfirmRedForm(form_ref(id, "")),
            "refuse" => InvoiceAction::RefuseRedForm(form_ref(id, "price agreed")),
            "refuse_blank" => InvoiceAction::RefuseRedForm(form_ref(id, " ")),
            "issue" => InvoiceAction::IssueRedInvoice(form_ref(id, "")),
            _ => InvoiceAction::WithdrawRedForm(form_ref(id, "")),
        };
        let got = code(w.run(who, action));
        assert_eq!(got, *want, "{start:?} + {cmd} by {who}");
        if got != "ok" {
            assert_eq!(w.state, before, "{start:?} + {cmd}: refused, untouched");
            continue;
        }
        let form: RedFormRecord = w.get(StateKey::from(InvoiceKey::RedForm(id))).unwrap();
        assert_eq!(Some(form.status), *after, "{start:?} + {cmd}");
        let red: RedTotals =
            w.get(StateKey::from(InvoiceKey::RedTotals(n.parse().unwrap()))).unwrap();
        let reversed: i64 = red.amounts.iter().sum();
        if *cmd == "issue" {
            assert_eq!((reversed, red.red_numbers.len()), (-100_00, 1), "{start:?} + {cmd}");
            assert_eq!(red.open_form, None);
        } else {
            assert_eq!((reversed, red.red_numbers.len()), (0, 0), "{start:?} + {cmd}: no red");
            // Withdrawn or refused: the blue invoice is open to a new form; confirmed by
            // the buyer: the form stays the open one.
            let open = form.status == F::Confirmed;
            assert_eq!(red.open_form.is_some(), open, "{start:?} + {cmd}");
        }
    }
    // A form withdrawn after confirmation no longer blocks a new one, and nothing of it
    // was reversed.
    let mut w = World::new().with_taxpayers();
    let n = used_invoice(&mut w);
    let part = vec![RedLine { line: 1, amount: -100_00, tax: -6_00 }];
    let id = form_id(
        &w.run_out("issuer", raise(&n, RedReason::SalesAllowance, part.clone())).unwrap().unwrap(),
    );
    w.run("finance", InvoiceAction::ConfirmRedForm(form_ref(id, ""))).unwrap();
    w.run("issuer", InvoiceAction::WithdrawRedForm(form_ref(id, ""))).unwrap();
    let blue: InvoicePublic =
        w.get(StateKey::from(InvoiceKey::Invoice(n.parse().unwrap()))).unwrap();
    let circ: Circulation =
        w.get(StateKey::from(InvoiceKey::InvoiceCirc(n.parse().unwrap()))).unwrap();
    assert_eq!((blue.status, circ.reversed), (InvoiceStatus::Reimbursed, 0));
    assert_eq!(code(w.run("issuer", raise(&n, RedReason::SalesAllowance, part))), "ok");
    // An expired form no longer blocks a new one.
    let mut w = World::new().with_taxpayers();
    let n = used_invoice(&mut w);
    let part = vec![RedLine { line: 1, amount: -100_00, tax: -6_00 }];
    w.run("issuer", raise(&n, RedReason::SalesAllowance, part.clone())).unwrap();
    assert_eq!(
        code(w.run("issuer", raise(&n, RedReason::SalesAllowance, part.clone()))),
        "invoice.form_open"
    );
    w.time_ms += RED_FORM_DEADLINE_MS + 1;
    assert_eq!(code(w.run("issuer", raise(&n, RedReason::SalesAllowance, part))), "ok");
}

/// Regression (issue #12): red lines of `i64::MIN` tax on a tiny amount (whose tax
/// rounds to zero) got through every check — `-tax` and `|tax − expected|` wrapped in
/// release builds and panicked in debug ones — and recorded a red invoice with about
/// −9.2×10^16 yuan of tax. An amount outside DECIMAL(18,2) is refused, naming the line.
#[test]
fn red_lines_outside_decimal_18_2_are_refused_and_record_nothing() {
    let mut w = World::new().with_taxpayers();
    let n = used_invoice(&mut w);
    let before = w.state.clone();
    for (lines, field) in [
        (
            vec![
                RedLine { line: 0, amount: -1, tax: i64::MIN },
                RedLine { line: 1, amount: -1, tax: i64::MIN },
            ],
            "lines[0].tax",
        ),
        (vec![RedLine { line: 1, amount: i64::MIN, tax: -1 }], "lines[0].amount"),
        (vec![RedLine { line: 0, amount: -1, tax: -1_000_000_000_000_000_000 }], "lines[0].tax"),
    ] {
        let r = w.run("issuer", raise(&n, RedReason::GoodsReturned, lines));
        match r {
            Err(Error::Rejected { code, field: f, .. }) => {
                assert_eq!((code, f.as_str()), ("amount_out_of_range", field));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(w.state, before, "nothing recorded");
    }
    let invoices = w.state.0.keys().filter(|k| k.starts_with("invoice/")).count();
    assert_eq!(invoices, 1, "no red invoice");
}
