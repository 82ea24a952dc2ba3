//! Invoice financing: financed once by any bank, a relayed reversal marks it at risk and
//! alerts its bank, settlement needs a fresh proof; every refusal with its own code; and
//! racing, dropping or reordering relayers change no outcome.

use crate::*;
use fapiao_finance_types::{
    FinanceAlert, FinanceInvoice, FinanceKey, FinancingRecord, FinancingStatus, ReportReversal,
    SettleFinancing,
};

pub(crate) fn finance(w: &World, n: u32, h: u64, amount: i64) -> FinanceInvoice {
    FinanceInvoice {
        uscc: huawei(),
        loan: None,
        amount,
        invoice: w.tax_claim(h, InvoiceKey::Invoice(number(n))),
    }
}

fn financing_of(w: &World, n: u32) -> FinancingRecord {
    w.get(FinanceKey::Financing(number(n))).unwrap()
}

#[test]
fn an_invoice_is_financed_once_a_reversal_puts_it_at_risk_and_blocks_settlement() {
    let mut w = World::new(8);
    let loan = hash_of(w.send("icbc", crate::loans::application(&w, 1, 1)).unwrap());
    let mut f = finance(&w, 1, 1, 10_000_000);
    f.loan = Some(loan);
    w.send("icbc", f).unwrap();
    let rec = financing_of(&w, 1);
    assert_eq!(
        (rec.bank.as_str(), rec.status, rec.loan),
        ("icbc", FinancingStatus::Active, Some(loan))
    );
    assert_eq!((rec.amount, rec.invoice_total, rec.proof_height), (10_000_000, 11_300_000, 1));
    // A second financing, by the same bank or another, is refused.
    assert_eq!(
        w.refused("ccb", finance(&w, 1, 1, 1)),
        ("finance.already_financed", "invoice.key".into())
    );
    assert_eq!(w.refused("icbc", finance(&w, 1, 1, 1)).0, "finance.already_financed");

    // A report with the financing's own proof (not newer, not reversed) is refused.
    let report = |w: &World, h| ReportReversal {
        number: number(1),
        invoice: w.tax_claim(h, InvoiceKey::Invoice(number(1))),
    };
    assert_eq!(w.refused("pboc", report(&w, 1)).0, "finance.older_proof");
    // A newer header where it still stands: not reversed.
    let h2 = w.tax_block(T0 + 2_000);
    assert_eq!(w.refused("pboc", report(&w, h2)).0, "finance.not_reversed");
    // The tax chain reverses the invoice; anyone relays the proof.
    w.tax.put(
        InvoiceKey::Invoice(number(1)),
        &invoice(1, huawei(), 11_300_000, InvoiceStatus::Reversed, false),
    );
    let h3 = w.tax_block(T0 + 3_000);
    w.send("pboc", report(&w, h3)).unwrap();
    let rec = financing_of(&w, 1);
    assert_eq!((rec.status, rec.proof_height), (FinancingStatus::AtRisk, h3));
    let alert: FinanceAlert = w.get(FinanceKey::Alert(rec.alert.unwrap())).unwrap();
    assert_eq!(
        (alert.bank.as_str(), alert.reason.as_str(), alert.tax_height),
        ("icbc", "reversed", h3)
    );
    assert_eq!(w.refused("ccb", report(&w, h3)).0, "finance.already_at_risk");
    // Settlement needs a fresh proof that the invoice stands: it does not.
    let settle = |w: &World, h| SettleFinancing {
        number: number(1),
        repaid: true,
        invoice: w.tax_claim(h, InvoiceKey::Invoice(number(1))),
    };
    assert_eq!(w.refused("icbc", settle(&w, h3)).0, "finance.invoice_reversed");
    // An older proof showing it standing does not help.
    assert_eq!(w.refused("icbc", settle(&w, h2)).0, "finance.older_proof");
}

#[test]
fn settlement_needs_a_fresh_proof_and_closes_the_financing() {
    let mut w = World::new(8);
    w.send("icbc", finance(&w, 6, 1, 2_000_000)).unwrap();
    let settle = |w: &World, h| SettleFinancing {
        number: number(6),
        repaid: false,
        invoice: w.tax_claim(h, InvoiceKey::Invoice(number(6))),
    };
    assert_eq!(w.refused("ccb", settle(&w, 1)).0, "finance.not_your_financing");
    // Eleven minutes later the proof at height 1 is too old.
    w.time_ms = T0 + 11 * 60_000;
    assert_eq!(
        w.refused("icbc", settle(&w, 1)),
        ("finance.proof_too_old", "invoice.height".into())
    );
    let h = w.tax_block(T0 + 10 * 60_000);
    w.send("icbc", settle(&w, h)).unwrap();
    assert_eq!(financing_of(&w, 6).status, FinancingStatus::Settled);
    assert_eq!(w.refused("icbc", settle(&w, h)).0, "finance.closed");
    let report = ReportReversal {
        number: number(6),
        invoice: w.tax_claim(h, InvoiceKey::Invoice(number(6))),
    };
    assert_eq!(w.refused("pboc", report).0, "finance.closed");
    // Settled is not free again: an invoice is factored once.
    assert_eq!(w.refused("ccb", finance(&w, 6, h, 1)).0, "finance.already_financed");
}

#[test]
fn every_refusal_of_a_financing_has_its_own_code() {
    let w0 = World::new(8);
    type Edit = Box<dyn Fn(&World, &mut FinanceInvoice)>;
    let table: Vec<(&str, &str, Edit, &str, &str)> = vec![
        ("the regulator", "pboc", Box::new(|_, _| {}), "finance.not_a_bank", "sender"),
        ("nothing advanced", "icbc", Box::new(|_, f| f.amount = 0), "finance.bad_amount", "amount"),
        (
            "more than the invoice",
            "icbc",
            Box::new(|_, f| f.amount = 11_300_001),
            "finance.bad_amount",
            "amount",
        ),
        (
            "an invoice proven on the industry chain",
            "icbc",
            Box::new(|w, f| f.invoice = w.industry.claim(1, InvoiceKey::Invoice(number(1)))),
            "finance.not_tax_chain",
            "invoice.chain_id",
        ),
        (
            "another key",
            "icbc",
            Box::new(|w, f| f.invoice = w.tax_claim(1, grant_key(1))),
            "finance.wrong_key",
            "invoice.key",
        ),
        (
            "a forged leaf",
            "icbc",
            Box::new(|w, f| {
                let forged = invoice(1, huawei(), 99_300_000, InvoiceStatus::Issued, false);
                f.invoice.value = Some(fapiao_crosschain_types::Blob(
                    commonware_codec::Encode::encode(&forged).to_vec(),
                ));
                let _ = w;
            }),
            "crosschain.bad_proof",
            "invoice.proof",
        ),
        (
            "an invoice that does not exist",
            "icbc",
            Box::new(|w, f| f.invoice = w.tax_claim(1, InvoiceKey::Invoice(number(77)))),
            "finance.absent",
            "invoice.value",
        ),
        (
            "another seller's invoice",
            "icbc",
            Box::new(|w, f| f.invoice = w.tax_claim(1, InvoiceKey::Invoice(number(5)))),
            "finance.wrong_uscc",
            "invoice.value.seller_tax_id",
        ),
        (
            "a reversed invoice",
            "icbc",
            Box::new(|w, f| f.invoice = w.tax_claim(1, InvoiceKey::Invoice(number(2)))),
            "finance.invoice_reversed",
            "invoice.value",
        ),
        (
            "a flagged invoice",
            "icbc",
            Box::new(|w, f| f.invoice = w.tax_claim(1, InvoiceKey::Invoice(number(3)))),
            "finance.invoice_reversed",
            "invoice.value",
        ),
        (
            "a red invoice",
            "icbc",
            Box::new(|w, f| f.invoice = w.tax_claim(1, InvoiceKey::Invoice(number(4)))),
            "finance.red_invoice",
            "invoice.value",
        ),
        (
            "an unknown loan",
            "icbc",
            Box::new(|_, f| f.loan = Some([3; 32])),
            "finance.unknown_loan",
            "loan",
        ),
    ];
    for (what, sender, edit, code, field) in table {
        let mut w = World::new(8);
        let mut f = finance(&w0, 1, 1, 10_000_000);
        edit(&w, &mut f);
        assert_eq!(w.refused(sender, f), (code, field.to_string()), "{what}");
    }
    // A proof older than the freshness window (10 minutes by default).
    let mut w = World::new(8);
    w.time_ms = T0 + 10 * 60_000 + 1;
    assert_eq!(
        w.refused("icbc", finance(&w, 1, 1, 1)),
        ("finance.proof_too_old", "invoice.height".into())
    );
    w.time_ms = T0 + 10 * 60_000;
    w.send("icbc", finance(&w, 1, 1, 1)).unwrap();
    // Another bank's loan, and a loan of another enterprise.
    let mut w = World::new(8);
    let loan = hash_of(w.send("ccb", crate::loans::application(&w, 4, 1)).unwrap());
    let mut f = finance(&w, 1, 1, 1);
    f.loan = Some(loan);
    assert_eq!(w.refused("icbc", f.clone()).0, "finance.not_your_loan");
    f.uscc = other();
    f.invoice = w.tax_claim(1, InvoiceKey::Invoice(number(5)));
    assert_eq!(w.refused("ccb", f).0, "finance.wrong_uscc");
    // Report and settle of an invoice never financed.
    let claim = w.tax_claim(1, InvoiceKey::Invoice(number(1)));
    let report = ReportReversal { number: number(1), invoice: claim.clone() };
    assert_eq!(w.refused("pboc", report).0, "finance.unknown_financing");
    let settle = SettleFinancing { number: number(1), repaid: true, invoice: claim };
    assert_eq!(w.refused("icbc", settle).0, "finance.unknown_financing");
    // A report whose claim is of another invoice.
    w.send("icbc", finance(&w, 1, 1, 1)).unwrap();
    let report = ReportReversal {
        number: number(1),
        invoice: w.tax_claim(1, InvoiceKey::Invoice(number(2))),
    };
    assert_eq!(w.refused("pboc", report).0, "finance.wrong_key");
}

#[test]
fn relayers_that_race_drop_and_reorder_headers_change_no_outcome() {
    // The same tax chain of five blocks; one relayer delivers every header in order, the
    // other drops some, repeats some and delivers the rest backwards. The outcome of the
    // same financing and report is the same; only its timing differs.
    let build = |order: &[u64]| {
        let mut w = World::new(8);
        for t in 2..=5u64 {
            w.tax.commit(T0 + t * 1_000);
        }
        w.tax.put(
            InvoiceKey::Invoice(number(1)),
            &invoice(1, huawei(), 11_300_000, InvoiceStatus::Reversed, false),
        );
        w.tax.commit(T0 + 6_000);
        let mut refusals = Vec::new();
        for &h in order {
            if let Err(code) = w.relay(&w.tax.relay(h)) {
                refusals.push(code);
            }
        }
        w.send("icbc", finance(&w, 1, 5, 1_000_000)).unwrap();
        let report = ReportReversal {
            number: number(1),
            invoice: w.tax_claim(6, InvoiceKey::Invoice(number(1))),
        };
        w.send("ccb", report).unwrap();
        (financing_of(&w, 1), refusals)
    };
    let (a, ra) = build(&[2, 3, 4, 5, 6]);
    let (b, rb) = build(&[6, 6, 5, 5, 3]);
    assert!(ra.is_empty() && rb.is_empty(), "a repeated header is a no-op: {ra:?} {rb:?}");
    assert_eq!((a.status, a.proof_height), (FinancingStatus::AtRisk, 6));
    assert_eq!((b.status, b.proof_height), (a.status, a.proof_height));
    assert_eq!((a.financed_at, a.updated_at), (b.financed_at, b.updated_at));
    // A relayer that never carries header 6: the reversal is not seen (the liveness
    // assumption), and the claim against it names an unknown header.
    let mut w = World::new(8);
    for t in 2..=6u64 {
        w.tax.commit(T0 + t * 1_000);
    }
    w.relay(&w.tax.relay(5)).unwrap();
    w.send("icbc", finance(&w, 1, 5, 1_000_000)).unwrap();
    let report = ReportReversal {
        number: number(1),
        invoice: w.tax_claim(6, InvoiceKey::Invoice(number(1))),
    };
    assert_eq!(w.refused("ccb", report).0, "crosschain.unknown_header");
    assert_eq!(financing_of(&w, 1).status, FinancingStatus::Active);
}
