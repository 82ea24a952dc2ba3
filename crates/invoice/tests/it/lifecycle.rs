//! Table-driven lifecycle tests.

use crate::fixture::*;
use fapiao_invoice::Error;
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;

fn code(r: std::result::Result<(), Error>) -> String {
    match r {
        Ok(()) => "ok".into(),
        Err(Error::Rejected { code, .. }) => code.into(),
        Err(e) => panic!("fatal: {e}"),
    }
}

fn field(r: std::result::Result<(), Error>) -> String {
    match r {
        Err(Error::Rejected { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_worked_example_issues_with_exact_totals_capitals_and_a_number() {
    let mut w = World::new().with_taxpayers();
    let n = w.issue_example(InvoiceKind::Special);
    assert_eq!(n.len(), 20);
    assert!(n.starts_with("26"), "YY is the issue year in China time: {n}");
    assert!(n.ends_with("000000000000001"), "first of its prefix: {n}");
    let public: InvoicePublic = w.get(StateKey::from(InvoiceKey::Invoice(n))).unwrap();
    assert_eq!(public.total_with_tax, 1506_80);
    assert_eq!(public.date, fapiao_types::ChinaDate::from_yyyymmdd(20261126).unwrap());
    assert_eq!(public.status, InvoiceStatus::Issued);
    let body: InvoiceBody = w.get(StateKey::from(InvoiceKey::InvoiceBody(n))).unwrap();
    assert_eq!((body.total_amount, body.total_tax), (1395_14, 111_66));
    assert_eq!(body.total_in_capitals, "壹仟伍佰零陆圆捌角整");
    let amounts: Vec<(i64, i64)> = body.lines.iter().map(|l| (l.amount, l.tax)).collect();
    assert_eq!(amounts, vec![(360_00, 46_80), (943_40, 56_60), (91_74, 8_26)]);
    assert_eq!(public.commitment, fapiao_invoice::commitment(&body));
    let credit: CreditRecord =
        w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
    assert_eq!((credit.used, credit.month.yyyymm()), (1506_80, 202611));
    let totals: MonthTotals = w
        .get(StateKey::from(InvoiceKey::MonthTotals(SELLER.parse().unwrap(), month(202611))))
        .unwrap();
    assert_eq!((totals.output_tax, totals.issued), (111_66, 1));
    // The next invoice gets the next sequence number.
    let n2 = w.issue_example(InvoiceKind::Ordinary);
    assert_eq!(&n2[..5], &n[..5]);
    assert!(n2.ends_with("000000000000002"), "{n2}");
}

#[test]
fn issuance_refusals_name_the_rule_and_the_field_and_change_nothing() {
    type Mutate = fn(&mut IssueInvoice);
    let cases: &[(&str, &str, Mutate, &str, &str)] = &[
        (
            "unknown seller",
            "issuer",
            |c| c.seller = Uscc::from_parts('9', '1', "350100", "M0001001").unwrap(),
            "bad_uscc_or_unknown",
            "seller",
        ),
        ("not an issuer", "finance", |_| {}, "missing_role_or_not_issuer", "sender"),
        (
            "special without buyer tax id",
            "issuer",
            |c| c.buyer.tax_id = None,
            "invoice.buyer_tax_id_required",
            "buyer.tax_id",
        ),
        (
            "line tax off by more than 0.06",
            "issuer",
            |c| c.lines[0].tax = Some(46_80 + 7),
            "any",
            "lines[0].tax",
        ),
        (
            "unknown rate",
            "issuer",
            |c| c.lines[1].rate = "0.07".parse().unwrap(),
            "any",
            "lines[1].rate",
        ),
        ("zero amount", "issuer", |c| c.lines[1].amount = Some(0), "any", "lines[1].amount"),
        (
            "blank buyer",
            "issuer",
            |c| c.buyer.name = " ".into(),
            "invoice.invalid_name",
            "buyer.name",
        ),
        (
            "bad type code",
            "issuer",
            |c| c.type_code = "x".into(),
            "invoice.invalid_type_code",
            "type_code",
        ),
    ];
    for (desc, who, mutate, want_code, want_field) in cases {
        let mut w = World::new().with_taxpayers();
        let before = w.state.clone();
        let mut c = example(InvoiceKind::Special, None);
        mutate(&mut c);
        let r = w.run(who, InvoiceAction::IssueInvoice(c));
        let Err(Error::Rejected { code, field, message }) = r else { panic!("{desc}: accepted") };
        match *want_code {
            "any" => {}
            "bad_uscc_or_unknown" => {
                assert!(code == "bad_uscc" || code == "invoice.unknown_taxpayer", "{desc}: {code}")
            }
            "missing_role_or_not_issuer" => assert_eq!(code, "invoice.not_an_issuer", "{desc}"),
            want => assert_eq!(code, want, "{desc}: {message}"),
        }
        assert_eq!(field, *want_field, "{desc}: {code}: {message}");
        assert_eq!(w.state, before, "{desc}: state untouched");
    }
}

#[test]
fn frozen_and_deregistered_sellers_cannot_issue() {
    let mut w = World::new().with_taxpayers();
    let status = |s: TaxpayerStatus| {
        InvoiceAction::SetTaxpayerStatus(SetTaxpayerStatus {
            uscc: SELLER.parse().unwrap(),
            status: s,
            reason: "audit".into(),
        })
    };
    let issue = || InvoiceAction::IssueInvoice(example(InvoiceKind::Ordinary, None));
    assert_eq!(code(w.run("officer", status(TaxpayerStatus::Frozen))), "ok");
    assert_eq!(code(w.run("issuer", issue())), "invoice.seller_frozen");
    assert_eq!(code(w.run("officer", status(TaxpayerStatus::Frozen))), "invoice.status_unchanged");
    assert_eq!(code(w.run("officer", status(TaxpayerStatus::Active))), "ok");
    assert_eq!(code(w.run("issuer", issue())), "ok");
    assert_eq!(code(w.run("officer", status(TaxpayerStatus::Deregistered))), "ok");
    assert_eq!(code(w.run("issuer", issue())), "invoice.seller_deregistered");
    assert_eq!(
        code(w.run("officer", status(TaxpayerStatus::Active))),
        "invoice.taxpayer_deregistered"
    );
}

#[test]
fn taxpayer_registration_checks_the_uscc_and_refuses_duplicates() {
    let mut w = World::new();
    let reg = |uscc: &str, region: &str| {
        InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: uscc.parse().unwrap(),
            name: "x".into(),
            region: region.parse().unwrap(),
            seller_type: SellerType::SmallScale,
            issuers: vec![],
        })
    };
    // A malformed USCC is refused where it is read (the API, the transaction's decoding).
    assert!("91350100M000100Y4Z".parse::<Uscc>().is_err());
    let short = "4403".parse::<fapiao_types::RegionCode>().unwrap_err();
    assert_eq!((short.code(), short.field()), ("bad_region_code", "region"));
    // Six digits no region of the number table covers: refused by the rule.
    assert_eq!(code(w.run("officer", reg(SELLER, "990000"))), "invoice.unknown_region");
    assert_eq!(code(w.run("officer", reg(SELLER, "440300"))), "ok");
    assert_eq!(code(w.run("officer", reg(SELLER, "440300"))), "invoice.taxpayer_exists");
    let with_bad_issuer = InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
        uscc: BUYER.parse().unwrap(),
        name: "x".into(),
        region: "440300".parse().unwrap(),
        seller_type: SellerType::General,
        issuers: vec![acct(99)],
    });
    assert_eq!(field(w.run("officer", with_bad_issuer)), "issuers[0]");
}

#[test]
fn credit_is_reserved_requested_decided_and_does_not_carry_over() {
    let mut w = World::new().with_taxpayers();
    w.run(
        "officer",
        InvoiceAction::GrantCredit(GrantCredit {
            uscc: SELLER.parse().unwrap(),
            monthly_ceiling: 2000_00,
        }),
    )
    .unwrap();
    assert_eq!(
        code(w.run("issuer", InvoiceAction::IssueInvoice(example(InvoiceKind::Ordinary, None)))),
        "ok"
    );
    let over = w.run("issuer", InvoiceAction::IssueInvoice(example(InvoiceKind::Ordinary, None)));
    assert_eq!(field(over.clone()), "total_with_tax");
    assert_eq!(code(over), "invoice.over_credit");
    // The merchant asks for more; a consumer cannot.
    let ask = InvoiceAction::RequestCredit(RequestCredit {
        uscc: SELLER.parse().unwrap(),
        amount: 2000_00,
        reason: "festival".into(),
    });
    assert_eq!(code(w.run("finance", ask.clone())), "invoice.not_an_issuer");
    assert_eq!(code(w.run("issuer", ask)), "ok");
    let request = [w.nonce_of_last(); 32];
    let decide = |approve| {
        InvoiceAction::DecideCredit(DecideCredit { request, approve, reason: "ok".into() })
    };
    assert_eq!(code(w.run("officer", decide(true))), "ok");
    assert_eq!(code(w.run("officer", decide(false))), "invoice.already_decided");
    assert_eq!(
        code(w.run("issuer", InvoiceAction::IssueInvoice(example(InvoiceKind::Ordinary, None)))),
        "ok"
    );
    // Next month: usage and extra reset; the ceiling stands.
    w.time_ms += 6 * 24 * 3600 * 1000; // 2026-12-02
    assert_eq!(
        code(w.run("issuer", InvoiceAction::IssueInvoice(example(InvoiceKind::Ordinary, None)))),
        "ok"
    );
    let c: CreditRecord =
        w.get(StateKey::from(InvoiceKey::Credit(SELLER.parse().unwrap()))).unwrap();
    assert_eq!(
        (c.month.yyyymm(), c.used, c.extra, c.monthly_ceiling),
        (202612, 1506_80, 0, 2000_00)
    );
}

/// Every (status, command) pair of the circulation machine.
#[test]
fn circulation_table() {
    #[derive(Clone, Copy, Debug)]
    enum From {
        Issued,
        Submitted,
        Reimbursed,
        Flagged,
    }
    let tbd: InvoiceNumber = "00000000000000000000".parse().unwrap();
    let submit = |to: &str| {
        (
            "consumer",
            InvoiceAction::SubmitInvoice(SubmitInvoice { number: tbd, enterprise: uscc(to) }),
        )
    };
    /// From state, (who, command), expected code, status after (`None`: refused).
    type Case<'a> = (From, (&'a str, InvoiceAction), &'a str, Option<InvoiceStatus>);
    let cases: Vec<Case> = vec![
        (From::Issued, submit(BUYER), "ok", Some(InvoiceStatus::Submitted)),
        (
            From::Issued,
            (
                "finance",
                InvoiceAction::SubmitInvoice(SubmitInvoice {
                    number: tbd,
                    enterprise: uscc(BUYER),
                }),
            ),
            "invoice.not_holder",
            None,
        ),
        (
            From::Issued,
            ("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: tbd })),
            "invoice.not_submitted",
            None,
        ),
        (
            From::Issued,
            (
                "finance",
                InvoiceAction::RejectReimbursement(RejectReimbursement {
                    number: tbd,
                    reason: "no".into(),
                }),
            ),
            "invoice.not_submitted",
            None,
        ),
        (
            From::Issued,
            ("finance", InvoiceAction::BookInvoice(InvoiceRef { number: tbd })),
            "ok",
            Some(InvoiceStatus::Issued),
        ),
        (
            From::Issued,
            ("other_finance", InvoiceAction::BookInvoice(InvoiceRef { number: tbd })),
            "invoice.not_buyer",
            None,
        ),
        (From::Submitted, submit(OTHER), "invoice.already_submitted", None),
        (
            From::Submitted,
            ("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: tbd })),
            "ok",
            Some(InvoiceStatus::Reimbursed),
        ),
        (
            From::Submitted,
            ("other_finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: tbd })),
            "invoice.not_your_enterprise",
            None,
        ),
        (
            From::Submitted,
            (
                "finance",
                InvoiceAction::RejectReimbursement(RejectReimbursement {
                    number: tbd,
                    reason: "duplicate trip".into(),
                }),
            ),
            "ok",
            Some(InvoiceStatus::Issued),
        ),
        (
            From::Submitted,
            (
                "finance",
                InvoiceAction::RejectReimbursement(RejectReimbursement {
                    number: tbd,
                    reason: " ".into(),
                }),
            ),
            "invoice.invalid_reason",
            None,
        ),
        (
            From::Submitted,
            (
                "other_finance",
                InvoiceAction::RejectReimbursement(RejectReimbursement {
                    number: tbd,
                    reason: "x".into(),
                }),
            ),
            "invoice.not_your_enterprise",
            None,
        ),
        (From::Reimbursed, submit(OTHER), "invoice.already_reimbursed", None),
        (
            From::Reimbursed,
            ("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: tbd })),
            "invoice.already_reimbursed",
            None,
        ),
        (
            From::Reimbursed,
            (
                "finance",
                InvoiceAction::RejectReimbursement(RejectReimbursement {
                    number: tbd,
                    reason: "x".into(),
                }),
            ),
            "invoice.already_reimbursed",
            None,
        ),
        (
            From::Reimbursed,
            ("finance", InvoiceAction::BookInvoice(InvoiceRef { number: tbd })),
            "ok",
            Some(InvoiceStatus::Reimbursed),
        ),
        (From::Flagged, submit(BUYER), "invoice.invoice_flagged", None),
        (
            From::Flagged,
            ("finance", InvoiceAction::BookInvoice(InvoiceRef { number: tbd })),
            "invoice.invoice_flagged",
            None,
        ),
    ];
    for (from, (who, action), want, status) in cases {
        let mut w = World::new().with_taxpayers();
        let n = w.issue_example(InvoiceKind::Special);
        let with = |a: &InvoiceAction| -> InvoiceAction {
            match a.clone() {
                InvoiceAction::SubmitInvoice(mut r) => {
                    r.number = n;
                    InvoiceAction::SubmitInvoice(r)
                }
                InvoiceAction::AcceptReimbursement(mut r) => {
                    r.number = n;
                    InvoiceAction::AcceptReimbursement(r)
                }
                InvoiceAction::RejectReimbursement(mut r) => {
                    r.number = n;
                    InvoiceAction::RejectReimbursement(r)
                }
                InvoiceAction::BookInvoice(mut r) => {
                    r.number = n;
                    InvoiceAction::BookInvoice(r)
                }
                other => other,
            }
        };
        let to_submitted = |w: &mut World| {
            w.run(
                "consumer",
                InvoiceAction::SubmitInvoice(SubmitInvoice { number: n, enterprise: uscc(BUYER) }),
            )
            .unwrap()
        };
        match from {
            From::Issued => {}
            From::Submitted => to_submitted(&mut w),
            From::Reimbursed => {
                to_submitted(&mut w);
                w.run("finance", InvoiceAction::AcceptReimbursement(InvoiceRef { number: n }))
                    .unwrap();
            }
            From::Flagged => {
                w.run(
                    "officer",
                    InvoiceAction::FlagInvoice(FlagInvoice {
                        number: n,
                        flagged: true,
                        reason: "ring".into(),
                    }),
                )
                .unwrap();
            }
        }
        let before = w.state.clone();
        let got = code(w.run(who, with(&action)));
        assert_eq!(got, want, "{from:?} + {} by {who}", action.name());
        if let Some(s) = status {
            let p: InvoicePublic = w.get(StateKey::from(InvoiceKey::Invoice(n))).unwrap();
            assert_eq!(p.status, s, "{from:?} + {}", action.name());
        } else {
            assert_eq!(w.state, before, "{from:?} + {}: refused, untouched", action.name());
        }
    }
}

#[test]
fn a_second_reimbursement_and_a_second_booking_are_refused() {
    let mut w = World::new().with_taxpayers();
    let n = w.issue_example(InvoiceKind::Special);
    let r = || InvoiceRef { number: n };
    let submit = |to: &str| SubmitInvoice { number: n, enterprise: uscc(to) };
    assert_eq!(code(w.run("consumer", InvoiceAction::SubmitInvoice(submit(BUYER)))), "ok");
    assert_eq!(code(w.run("finance", InvoiceAction::AcceptReimbursement(r()))), "ok");
    assert_eq!(
        code(w.run("finance", InvoiceAction::AcceptReimbursement(r()))),
        "invoice.already_reimbursed"
    );
    assert_eq!(
        code(w.run("consumer", InvoiceAction::SubmitInvoice(submit(OTHER)))),
        "invoice.already_reimbursed"
    );
    assert_eq!(code(w.run("finance", InvoiceAction::BookInvoice(r()))), "ok");
    assert_eq!(code(w.run("finance", InvoiceAction::BookInvoice(r()))), "invoice.already_booked");
    let ordinary = w.issue_example(InvoiceKind::Ordinary);
    assert_eq!(
        code(w.run("finance", InvoiceAction::BookInvoice(InvoiceRef { number: ordinary }))),
        "invoice.not_special"
    );
}

#[test]
fn the_vat_return_nets_output_input_and_carries_forward() {
    let mut w = World::new().with_taxpayers();
    w.run(
        "officer",
        InvoiceAction::SetIssuers(SetIssuers { uscc: BUYER.parse().unwrap(), issuers: vec![] }),
    )
    .unwrap();
    let n = w.issue_example(InvoiceKind::Special);
    w.run("finance", InvoiceAction::BookInvoice(InvoiceRef { number: n })).unwrap();
    // Seller: output tax 111.66. Buyer: input tax 111.66, no output: carries forward.
    let seller =
        fapiao_invoice::compute_vat_return(&w.state, &uscc(SELLER), month(202611)).unwrap();
    assert_eq!(
        (seller.output_tax, seller.input_tax, seller.payable, seller.carry_forward),
        (111_66, 0, 111_66, 0)
    );
    let buyer = fapiao_invoice::compute_vat_return(&w.state, &uscc(BUYER), month(202611)).unwrap();
    assert_eq!(
        (buyer.output_tax, buyer.input_tax, buyer.payable, buyer.carry_forward),
        (0, 111_66, 0, 111_66)
    );
    let file = |uscc: &str, month| {
        InvoiceAction::FileVatReturn(FileVatReturn { uscc: uscc.parse().unwrap(), month })
    };
    assert_eq!(code(w.run("finance", file(BUYER, month(202611)))), "invoice.month_not_closed");
    w.time_ms += 6 * 24 * 3600 * 1000;
    assert_eq!(code(w.run("finance", file(SELLER, month(202611)))), "invoice.not_your_taxpayer");
    assert_eq!(code(w.run("finance", file(BUYER, month(202611)))), "ok");
    assert_eq!(code(w.run("finance", file(BUYER, month(202611)))), "invoice.already_filed");
    let december =
        fapiao_invoice::compute_vat_return(&w.state, &uscc(BUYER), month(202612)).unwrap();
    assert_eq!(december.carried_in, 111_66);
}

/// Regression (issue #12): the return of January of year 0 looked up the return of the
/// month before, `(0 − 1) × 100 + 12` in `u32` — a panic in debug builds, a wrapped
/// month in release ones. Months are now a [`Month`] of 1900-01 … 9999-12: the bad ones
/// cannot be asked for, and the first has no month before it: nothing is carried in.
#[test]
fn the_vat_return_of_a_first_january_carries_nothing_in() {
    let w = World::new().with_taxpayers();
    for bad in [1, 100, 101, 13, 0, 190_000] {
        assert!(Month::from_yyyymm(bad).is_err(), "{bad}");
    }
    let r = fapiao_invoice::compute_vat_return(&w.state, &uscc(SELLER), month(190_001)).unwrap();
    assert_eq!((r.carried_in, r.payable, r.carry_forward), (0, 0, 0));
}
