//! Loans: an application citing proven commitments, review and decision, and every
//! refusal with its own code.

use crate::*;
use fapiao_finance_types::{ApplyLoan, DecideLoan, FinanceKey, LoanRecord, LoanStatus, ReviewLoan};

/// An application under grant `g` with every month of January–June (June proven absent)
/// and the status, all at tax height `h`.
pub(crate) fn application(w: &World, g: u8, h: u64) -> ApplyLoan {
    let u = huawei();
    let mut records: Vec<StateClaim> =
        (202601..=202606).map(|m| w.tax_claim(h, InvoiceKey::SummaryMonth(u, month(m)))).collect();
    records.push(w.tax_claim(h, InvoiceKey::SummaryStatus(u)));
    ApplyLoan {
        uscc: u,
        amount: 500_000_000,
        term_months: 12,
        purpose: "working capital".into(),
        grant: w.tax_claim(h, grant_key(g)),
        records,
        operating: vec![],
    }
}

#[test]
fn a_loan_cites_the_proven_commitments_which_the_enterprise_s_openings_open() {
    let mut w = World::new(8);
    let mut a = application(&w, 1, 1);
    let electricity = format!("industry-record/{}/202605/electricity", huawei().as_str());
    a.operating.push(w.industry.claim(1, &electricity));
    let id = hash_of(w.send("icbc", a).unwrap());
    let loan: LoanRecord = w.get(FinanceKey::Loan(id)).unwrap();
    assert_eq!((loan.bank.as_str(), loan.tax_chain.as_str(), loan.tax_height), ("icbc", TAX, 1));
    assert_eq!(loan.tax_time_ms, T0);
    assert_eq!(loan.grant, [1; 32]);
    assert_eq!(loan.status, LoanStatus::Applied);
    assert_eq!(loan.commitments.len(), 6 * 3 + 1, "three monthly fields of six months, the status");
    assert_eq!(loan.operating.len(), 1);
    assert_eq!(loan.operating[0].chain_id, INDUSTRY);
    // June had no activity: proven absent, no commitment.
    let june: Vec<_> = loan.commitments.iter().filter(|c| c.month == 202606).collect();
    assert_eq!(june.len(), 3);
    assert!(june.iter().all(|c| c.commitment.is_none()));
    // Every opening the enterprise holds opens the commitment the chain recorded.
    for o in openings() {
        let c = loan
            .commitments
            .iter()
            .find(|c| c.field == o.field && c.month == o.month.unwrap_or(0))
            .unwrap();
        assert_eq!(o.opens(&huawei(), &c.commitment.unwrap()).ok(), Some(true), "{o:?}");
    }
    // The record holds no disclosed value: no sales figure's text appears in it.
    let bytes = w.state.0.get(&FinanceKey::Loan(id).to_string()).unwrap();
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains("500000") && !text.contains("active"));
    // One application per grant: the replay is refused.
    assert_eq!(w.refused("icbc", application(&w, 1, 1)).0, "finance.duplicate_application");

    // Review, then approve.
    w.send("icbc", ReviewLoan { loan: id, notes: "sales steady".into() }).unwrap();
    let l: LoanRecord = w.get(FinanceKey::Loan(id)).unwrap();
    assert_eq!((l.status, l.notes.as_str()), (LoanStatus::UnderReview, "sales steady"));
    let approve = DecideLoan {
        loan: id,
        approve: true,
        amount: 400_000_000,
        rate_bp: 385,
        term_months: 12,
        reasons: "filed on time, sales steady".into(),
    };
    w.send("icbc", approve.clone()).unwrap();
    let l: LoanRecord = w.get(FinanceKey::Loan(id)).unwrap();
    assert_eq!(l.status, LoanStatus::Approved);
    assert_eq!(l.decision.as_ref().map(|d| (d.amount, d.rate_bp)), Some((400_000_000, 385)));
    assert_eq!(w.refused("icbc", approve).0, "finance.already_decided");
    assert_eq!(
        w.refused("icbc", ReviewLoan { loan: id, notes: String::new() }).0,
        "finance.already_decided"
    );
}

#[test]
fn every_refusal_of_an_application_has_its_own_code() {
    let w0 = World::new(8);
    let base = application(&w0, 1, 1);
    type Edit = Box<dyn Fn(&World, &mut ApplyLoan)>;
    let table: Vec<(&str, &str, Edit, &str, &str)> = vec![
        (
            "the regulator does not lend",
            "pboc",
            Box::new(|_, _| {}),
            "finance.not_a_bank",
            "sender",
        ),
        ("no amount", "icbc", Box::new(|_, a| a.amount = 0), "finance.bad_amount", "amount"),
        (
            "a 40-year term",
            "icbc",
            Box::new(|_, a| a.term_months = 480),
            "finance.bad_term",
            "term_months",
        ),
        (
            "no purpose",
            "icbc",
            Box::new(|_, a| a.purpose = " ".into()),
            "finance.bad_text",
            "purpose",
        ),
        (
            "too many records",
            "icbc",
            Box::new(|_, a| a.records = vec![a.records[0].clone(); 14]),
            "finance.too_many_claims",
            "records",
        ),
        (
            "a grant proven on the industry chain",
            "icbc",
            Box::new(|w, a| a.grant = w.industry.claim(1, grant_key(1))),
            "finance.not_tax_chain",
            "grant.chain_id",
        ),
        (
            "a grant claim of another key",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, InvoiceKey::SummaryStatus(huawei()))),
            "finance.wrong_key",
            "grant.key",
        ),
        (
            "a forged grant (value altered, proof kept)",
            "icbc",
            Box::new(|_, a| {
                let v = a.grant.value.as_mut().unwrap();
                let last = v.0.len() - 1;
                v.0[last] ^= 1;
            }),
            "crosschain.bad_proof",
            "grant.proof",
        ),
        (
            "a grant proven at a header never relayed",
            "icbc",
            Box::new(|_, a| a.grant.height = 2),
            "crosschain.unknown_header",
            "grant.height",
        ),
        (
            "an absent grant",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(42))),
            "finance.absent",
            "grant.value",
        ),
        (
            "a grant whose id is not its key's",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(9))),
            "finance.bad_record",
            "grant.value.id",
        ),
        (
            "a grant for another receiving chain",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(5))),
            "finance.other_chain",
            "grant.value.chain_id",
        ),
        (
            "another bank's grant",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(4))),
            "finance.not_grantee",
            "grant.value.bank",
        ),
        (
            "another enterprise's grant",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(7))),
            "finance.wrong_uscc",
            "grant.value.uscc",
        ),
        (
            "a revoked grant",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(2))),
            "finance.grant_revoked",
            "grant",
        ),
        (
            "an expired grant",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(3))),
            "finance.grant_expired",
            "grant.value.expires_ms",
        ),
        (
            "a grant in force at the header, expired at the block",
            "icbc",
            Box::new(|w, a| a.grant = w.tax_claim(1, grant_key(8))),
            "finance.grant_expired",
            "grant.value.expires_ms",
        ),
        (
            "a record of another chain",
            "icbc",
            Box::new(|w, a| a.records[0] = w.industry.claim(1, &a.records[0].key)),
            "finance.not_tax_chain",
            "records[0].chain_id",
        ),
        (
            "a record at another height",
            "icbc",
            Box::new(|_, a| a.records[1].height = 2),
            "finance.mixed_heights",
            "records[1].height",
        ),
        (
            "a record twice",
            "icbc",
            Box::new(|_, a| a.records[1] = a.records[0].clone()),
            "finance.duplicate_claim",
            "records[1].key",
        ),
        (
            "a record of another kind",
            "icbc",
            Box::new(|w, a| a.records[0] = w.tax_claim(1, InvoiceKey::Invoice(number(1)))),
            "finance.wrong_key",
            "records[0].key",
        ),
        (
            "another enterprise's month",
            "icbc",
            Box::new(|w, a| {
                a.records[0] = w.tax_claim(1, InvoiceKey::SummaryMonth(other(), month(202601)))
            }),
            "finance.wrong_uscc",
            "records[0].key",
        ),
        (
            "a month the grant does not cover",
            "icbc",
            Box::new(|w, a| {
                a.records[0] = w.tax_claim(1, InvoiceKey::SummaryMonth(huawei(), month(202512)))
            }),
            "finance.undisclosed_field",
            "records[0].key",
        ),
        (
            "the status under a grant of sales only",
            "icbc",
            Box::new(|w, a| {
                a.grant = w.tax_claim(1, grant_key(6));
                a.records.drain(..6);
            }),
            "finance.undisclosed_field",
            "records[0].key",
        ),
        (
            "a month claimed absent though it has a record (forged absence)",
            "icbc",
            Box::new(|_, a| a.records[2].value = None),
            "crosschain.bad_proof",
            "records[2].proof",
        ),
        (
            "a tax-chain record passed off as operating data",
            "icbc",
            Box::new(|w, a| a.operating.push(w.tax_claim(1, InvoiceKey::SummaryStatus(huawei())))),
            "finance.undisclosed_field",
            "operating[0].chain_id",
        ),
        (
            "operating data of another enterprise",
            "icbc",
            Box::new(|w, a| {
                let k = format!("industry-record/{}/202605/electricity", other().as_str());
                a.operating.push(w.industry.claim(1, k));
            }),
            "finance.wrong_uscc",
            "operating[0].key",
        ),
        (
            "operating data of an unregistered chain",
            "icbc",
            Box::new(|w, a| {
                let k = format!("industry-record/{}/202605/electricity", huawei().as_str());
                let mut c = w.industry.claim(1, k);
                c.chain_id = "fapiao-nowhere".into();
                a.operating.push(c);
            }),
            "crosschain.unknown_chain",
            "operating[0].chain",
        ),
    ];
    let mut codes = std::collections::BTreeSet::new();
    for (what, sender, edit, code, field) in table {
        let mut w = World::new(8);
        let mut a = base.clone();
        edit(&w, &mut a);
        assert_eq!(w.refused(sender, a), (code, field.to_string()), "{what}");
        codes.insert(code);
    }
    assert!(codes.len() >= 20, "{codes:?}");
    // The unedited application passes in the same world.
    let mut w = World::new(8);
    w.send("icbc", base).unwrap();
}

#[test]
fn a_proof_against_a_header_older_than_the_window_is_stale_and_a_header_of_too_few_signers_is_not_kept(
) {
    let mut w = World::new(2);
    // A header signed by two of the tax chain's four validators is refused: nothing
    // relayed, and a claim against it names an unknown header.
    let h2 = w.tax.commit(T0 + 1_000);
    assert_eq!(w.relay(&w.tax.relay_by(h2, &[0, 1])), Err("crosschain.too_few_signers"));
    let a = application(&w, 10, h2);
    assert_eq!(w.refused("icbc", a).0, "crosschain.unknown_header");
    w.relay(&w.tax.relay(h2)).unwrap();
    w.tax_block(T0 + 2_000);
    // Window of 2: height 1 is dropped, a proof against it is stale.
    assert_eq!(
        w.refused("icbc", application(&w, 1, 1)),
        ("crosschain.stale", "grant.height".into())
    );
    w.send("icbc", application(&w, 1, h2)).unwrap();
}

#[test]
fn revoking_the_grant_stops_the_flow_once_a_header_showing_it_is_relayed() {
    let mut w = World::new(8);
    let mut g = grant(10, "icbc", ALL_FIELDS);
    g.revoked_at = 2;
    w.tax.put(grant_key(10), &g);
    let h = w.tax_block(T0 + 1_000);
    assert_eq!(w.refused("icbc", application(&w, 10, h)).0, "finance.grant_revoked");
}

#[test]
fn review_and_decision_refuse_with_their_codes() {
    let mut w = World::new(8);
    let id = hash_of(w.send("icbc", application(&w, 1, 1)).unwrap());
    let d = |approve, amount, rate_bp, term_months, reasons: &str| DecideLoan {
        loan: id,
        approve,
        amount,
        rate_bp,
        term_months,
        reasons: reasons.into(),
    };
    let table: Vec<(&str, &str, FinanceAction, &str)> = vec![
        (
            "no such loan",
            "icbc",
            ReviewLoan { loan: [0; 32], notes: String::new() }.into(),
            "finance.unknown_loan",
        ),
        (
            "another bank's",
            "ccb",
            ReviewLoan { loan: id, notes: String::new() }.into(),
            "finance.not_your_loan",
        ),
        (
            "the regulator",
            "pboc",
            ReviewLoan { loan: id, notes: String::new() }.into(),
            "finance.not_a_bank",
        ),
        (
            "control characters",
            "icbc",
            ReviewLoan { loan: id, notes: "a\u{7}".into() }.into(),
            "finance.bad_text",
        ),
        ("no reasons", "icbc", d(true, 1, 100, 12, "").into(), "finance.bad_text"),
        ("approve nothing", "icbc", d(true, 0, 100, 12, "ok").into(), "finance.bad_amount"),
        ("a rate of 150%", "icbc", d(true, 1, 15_000, 12, "ok").into(), "finance.bad_rate"),
        ("no term", "icbc", d(true, 1, 100, 0, "ok").into(), "finance.bad_term"),
        ("a decline with an amount", "icbc", d(false, 1, 0, 0, "no").into(), "finance.bad_amount"),
        ("a decline with a rate", "icbc", d(false, 0, 1, 0, "no").into(), "finance.bad_rate"),
    ];
    for (what, org, action, code) in table {
        assert_eq!(w.refused(org, action).0, code, "{what}");
    }
    w.send("icbc", d(false, 0, 0, 0, "not enough sales")).unwrap();
    let l: LoanRecord = w.get(FinanceKey::Loan(id)).unwrap();
    assert_eq!(l.status, LoanStatus::Declined);
}
