//! Credit requests, table-driven: who may raise one (the taxpayer's issuer, or a tax
//! officer on its behalf) and every (request state, decision) pair.

use crate::fixture::*;
use fapiao_invoice::Error;
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

fn ask(uscc: &str, amount: i64, reason: &str) -> InvoiceAction {
    InvoiceAction::RequestCredit(RequestCredit {
        uscc: uscc.parse().unwrap(),
        amount,
        reason: reason.into(),
    })
}

#[test]
fn who_may_raise_a_credit_request() {
    // (who, request, expected code, recorded requester).
    let cases: Vec<(&str, InvoiceAction, &str)> = vec![
        ("issuer", ask(SELLER, 500_00, "festival"), "ok"),
        ("officer", ask(SELLER, 500_00, "counter review"), "ok"),
        // An officer may raise for a taxpayer that has no issuer yet.
        ("officer", ask(BUYER, 1_00, "after review"), "ok"),
        ("finance", ask(SELLER, 500_00, "not mine"), "invoice.not_an_issuer"),
        ("consumer", ask(SELLER, 500_00, "not mine"), "invoice.not_an_issuer"),
        ("payments", ask(SELLER, 500_00, "not mine"), "invoice.not_an_issuer"),
        ("issuer", ask(BUYER, 500_00, "another taxpayer"), "invoice.not_an_issuer"),
        ("officer", ask("914403002796543264", 500_00, "x"), "invoice.unknown_taxpayer"),
        ("officer", ask(SELLER, 0, "x"), "invoice.invalid_amount"),
        ("officer", ask(SELLER, -1, "x"), "invoice.invalid_amount"),
        ("issuer", ask(SELLER, 500_00, "  "), "invoice.invalid_reason"),
        ("officer", ask(SELLER, 500_00, &"x".repeat(513)), "invoice.invalid_reason"),
    ];
    for (who, action, want) in cases {
        let mut w = World::new().with_taxpayers();
        let before = w.state.clone();
        assert_eq!(code(w.run(who, action.clone())), want, "{who} {action:?}");
        if want == "ok" {
            let r: CreditRequestRecord =
                w.get(StateKey::from(InvoiceKey::CreditRequest([w.nonce_of_last(); 32]))).unwrap();
            let sender = match who {
                "issuer" => w.issuer.id,
                _ => w.officer.id,
            };
            assert_eq!((r.requested_by, r.decision.tag(), r.month.yyyymm()), (sender, 0, 202611));
        } else {
            assert_eq!(w.state, before, "a refusal writes nothing");
        }
    }
}

/// Every (request state, decision) pair: pending, approved, declined, and pending from
/// an earlier month.
#[test]
fn credit_decision_table() {
    #[derive(Clone, Copy, Debug)]
    enum From {
        Pending,
        Approved,
        Declined,
        LastMonth,
    }
    // (from, raised by, approve, expected code, decision after, extra after).
    let cases = [
        (From::Pending, "issuer", true, "ok", 1, 700_00),
        (From::Pending, "officer", true, "ok", 1, 700_00),
        (From::Pending, "issuer", false, "ok", 2, 0),
        (From::Pending, "officer", false, "ok", 2, 0),
        (From::Approved, "officer", true, "invoice.already_decided", 1, 700_00),
        (From::Approved, "officer", false, "invoice.already_decided", 1, 700_00),
        (From::Declined, "issuer", true, "invoice.already_decided", 2, 0),
        (From::Declined, "issuer", false, "invoice.already_decided", 2, 0),
        (From::LastMonth, "officer", true, "invoice.request_expired", 0, 0),
        (From::LastMonth, "issuer", false, "ok", 2, 0),
    ];
    for (from, raiser, approve, want, decision, extra) in cases {
        let mut w = World::new().with_taxpayers();
        w.run(raiser, ask(SELLER, 700_00, "more")).unwrap();
        let request = [w.nonce_of_last(); 32];
        let decide = |approve: bool| {
            InvoiceAction::DecideCredit(DecideCredit { request, approve, reason: String::new() })
        };
        match from {
            From::Pending => {}
            From::Approved => w.run("officer", decide(true)).unwrap(),
            From::Declined => w.run("officer", decide(false)).unwrap(),
            From::LastMonth => w.time_ms += 6 * 24 * 3600 * 1000,
        }
        let before = w.state.clone();
        let got = code(w.run("officer", decide(approve)));
        assert_eq!(got, want, "{from:?} raised by {raiser}, approve {approve}");
        if want != "ok" {
            assert_eq!(w.state, before, "a refusal writes nothing");
        }
        let r: CreditRequestRecord =
            w.get(StateKey::from(InvoiceKey::CreditRequest(request))).unwrap();
        assert_eq!(r.decision.tag(), decision, "{from:?} {approve}");
        let c: CreditRecord =
            w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
        assert_eq!(c.extra, extra, "{from:?} {approve}");
    }
}

#[test]
fn a_decision_is_refused_to_anyone_but_a_known_request_and_a_short_reason() {
    let mut w = World::new().with_taxpayers();
    w.run("officer", ask(SELLER, 700_00, "more")).unwrap();
    let request = [w.nonce_of_last(); 32];
    let unknown = InvoiceAction::DecideCredit(DecideCredit {
        request: [0xEE; 32],
        approve: true,
        reason: String::new(),
    });
    assert_eq!(code(w.run("officer", unknown)), "invoice.unknown_request");
    let long = InvoiceAction::DecideCredit(DecideCredit {
        request,
        approve: false,
        reason: "x".repeat(513),
    });
    assert_eq!(code(w.run("officer", long)), "invoice.invalid_reason");
}

// ------------------------------------------------------------ the credit policy

use fapiao_invoice::CreditPolicy;

fn grant(w: &mut World, ceiling: i64) {
    w.run(
        "officer",
        InvoiceAction::GrantCredit(GrantCredit {
            uscc: SELLER.parse().unwrap(),
            monthly_ceiling: ceiling,
        }),
    )
    .unwrap();
}

/// An ordinary invoice of 100.00 at 6% (106.00 with tax).
fn small(w: &mut World) -> std::result::Result<(), Error> {
    let mut c = example(InvoiceKind::Ordinary, None);
    c.lines = vec![line("*现代服务*咨询服务", "", "", Some(100_00), None, "0.06", None)];
    w.run("issuer", InvoiceAction::IssueInvoice(c))
}

fn adjustments(w: &World) -> Vec<CreditAdjustmentRecord> {
    w.state
        .0
        .iter()
        .filter(|(k, _)| k.starts_with("credit-adjustment/"))
        .map(|(_, v)| decode_exact::<CreditAdjustmentRecord>(v, &()).unwrap())
        .collect()
}

#[test]
fn the_default_policy_is_documented_numbers() {
    let p = CreditPolicy::default();
    assert!(p.restore_on_red);
    assert_eq!(
        (p.top_up_threshold_percent, p.top_up_percent, p.max_top_ups_per_month),
        (80, 20, 2)
    );
    assert_eq!((p.low_risk_min_age_blocks, p.low_risk_max_reversed_percent), (1_000, 10));
}

/// Automatic top-up for a low-risk taxpayer whose use passes 80 %: (case, ceiling, aged
/// past the minimum, reverse an earlier invoice first, expected extra after issuing the
/// worked example, 1506.80).
#[test]
fn automatic_top_up_table() {
    let cases: &[(&str, i64, bool, bool, i64)] = &[
        ("past 80 %, low risk", 1800_00, true, false, 360_00),
        ("75 %: below the threshold", 2000_00, true, false, 0),
        ("registered too recently", 1800_00, false, false, 0),
        ("half its issuance reversed", 1800_00, true, true, 0),
    ];
    for (case, ceiling, aged, reversed, want) in cases {
        let mut w = World::new().with_taxpayers();
        if *aged {
            w.height += 1_000;
        }
        if *reversed {
            grant(&mut w, 10_000_00);
            let n = w.issue_example(InvoiceKind::Special);
            w.run(
                "issuer",
                InvoiceAction::RaiseRedForm(RaiseRedForm {
                    blue_number: n,
                    reason: RedReason::IssuingError,
                    lines: vec![],
                    salt: [9; 32],
                }),
            )
            .unwrap();
        }
        grant(&mut w, *ceiling);
        w.issue_example(InvoiceKind::Special);
        let c: CreditRecord =
            w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
        assert_eq!(c.extra, *want, "{case}");
        let tops: Vec<_> = adjustments(&w)
            .into_iter()
            .filter(|a| a.kind == CreditAdjustmentKind::AutoTopUp)
            .collect();
        if *want == 0 {
            assert!(tops.is_empty(), "{case}");
        } else {
            assert_eq!(tops.len(), 1, "{case}");
            let a = &tops[0];
            assert_eq!(
                (a.uscc.as_str(), a.month.yyyymm(), a.amount, a.used_after, a.limit_after),
                (SELLER, 202611, *want, 1506_80, ceiling + want),
                "{case}"
            );
            let auto: CreditAutoRecord =
                w.get(StateKey::from(InvoiceKey::CreditAuto(SELLER.parse().unwrap()))).unwrap();
            assert_eq!((auto.top_ups, auto.topped_up), (1, *want));
        }
    }
}

#[test]
fn at_most_two_top_ups_a_month_and_none_carried_over() {
    let mut w = World::new().with_taxpayers();
    w.height += 1_000;
    grant(&mut w, 1000_00);
    // 106.00 each: the 8th passes 80 % of 1000 (848), the 10th 80 % of 1200 (1060 > 960),
    // the 11th and 12th pass 80 % of 1400 (1166, 1272 > 1120) but the month's two
    // top-ups are used.
    for _ in 0..12 {
        small(&mut w).unwrap();
    }
    let c: CreditRecord =
        w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
    assert_eq!((c.used, c.extra), (1272_00, 400_00));
    assert_eq!(adjustments(&w).len(), 2);
    let auto: CreditAutoRecord =
        w.get(StateKey::from(InvoiceKey::CreditAuto(SELLER.parse().unwrap()))).unwrap();
    assert_eq!((auto.month.yyyymm(), auto.top_ups, auto.topped_up), (202611, 2, 400_00));
    // Next month: no extra, no top-ups yet; the counters roll over on the next top-up.
    w.time_ms += 6 * 24 * 3600 * 1000;
    for _ in 0..8 {
        small(&mut w).unwrap();
    }
    let c: CreditRecord =
        w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
    assert_eq!((c.month.yyyymm(), c.used, c.extra), (202612, 848_00, 200_00));
    let auto: CreditAutoRecord =
        w.get(StateKey::from(InvoiceKey::CreditAuto(SELLER.parse().unwrap()))).unwrap();
    assert_eq!((auto.month.yyyymm(), auto.top_ups), (202612, 1));
}

/// A red invoice gives back this month's credit of a blue invoice of this month: (case,
/// reverse in the next month, reverse in part, expected use after as stored, restored).
/// Last month's invoice restores nothing: its reservation went with last month (the
/// stored record, untouched, still reads November's use).
#[test]
fn red_invoices_restore_credit_table() {
    let cases: &[(&str, bool, bool, i64, i64)] = &[
        ("full, same month", false, false, 0, 1506_80),
        ("partial, same month", false, true, 1506_80 - 135_60, 135_60),
        ("last month's invoice", true, false, 1506_80, 0),
    ];
    for (case, next_month, partial, used, restored) in cases {
        let mut w = World::new().with_taxpayers();
        let n = w.issue_example(InvoiceKind::Special);
        if *partial {
            let num: InvoiceNumber = n.parse().unwrap();
            let submit = SubmitInvoice { number: num, enterprise: BUYER.parse().unwrap() };
            w.run("consumer", InvoiceAction::SubmitInvoice(submit)).unwrap();
            w.run("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: num }))
                .unwrap();
        }
        if *next_month {
            w.time_ms += 6 * 24 * 3600 * 1000;
        }
        let lines =
            if *partial { vec![RedLine { line: 0, amount: -120_00, tax: -15_60 }] } else { vec![] };
        let reason = if *partial { RedReason::GoodsReturned } else { RedReason::IssuingError };
        let out = w
            .run_out(
                "issuer",
                InvoiceAction::RaiseRedForm(RaiseRedForm {
                    blue_number: n,
                    reason,
                    lines,
                    salt: [9; 32],
                }),
            )
            .unwrap()
            .unwrap();
        let id: [u8; 32] = hex::decode(out).unwrap().try_into().unwrap();
        if *partial {
            w.run(
                "finance",
                InvoiceAction::ConfirmRedForm(RedFormRef {
                    form: id,
                    reason: String::new(),
                    salt: [8; 32],
                }),
            )
            .unwrap();
            w.run(
                "issuer",
                InvoiceAction::IssueRedInvoice(RedFormRef {
                    form: id,
                    reason: String::new(),
                    salt: [8; 32],
                }),
            )
            .unwrap();
        }
        let form: RedFormRecord = w.get(StateKey::from(InvoiceKey::RedForm(id))).unwrap();
        let c: CreditRecord =
            w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
        assert_eq!(c.used, *used, "{case}");
        let auto: CreditAutoRecord =
            w.get(StateKey::from(InvoiceKey::CreditAuto(SELLER.parse().unwrap()))).unwrap();
        assert_eq!(auto.restored, *restored, "{case}");
        let red: InvoicePublic =
            w.get(StateKey::from(InvoiceKey::Invoice(form.red_number.unwrap()))).unwrap();
        assert_eq!(auto.reversed, -red.total_with_tax, "{case}: every reversal is counted");
        let restores = adjustments(&w);
        if *restored == 0 {
            assert!(restores.is_empty(), "{case}");
        } else {
            assert_eq!(restores.len(), 1, "{case}");
            let a = &restores[0];
            assert_eq!(
                (a.kind, a.amount, a.used_after, a.invoice.as_str()),
                (
                    CreditAdjustmentKind::RedRestore,
                    *restored,
                    *used,
                    form.red_number.map(|n| n.to_string()).unwrap_or_default().as_str()
                ),
                "{case}"
            );
        }
    }
}
