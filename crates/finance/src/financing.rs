//! Invoice financing: `finance_finance_invoice`, `finance_report_reversal`,
//! `finance_settle_financing`.
//!
//! A bank finances an invoice its borrower issued on the strength of a proof of the tax
//! chain's public leaf `invoice/<number>` ([`InvoicePublic`]) against a header no older
//! than the `finance/financing` freshness window at the block's time. **Reversed**
//! means, here, what the public leaf shows: status `reversed` (fully reversed by red
//! invoices) or `flagged` by the tax authority. A partial red reversal leaves the status
//! `issued` and is not seen by this rule (the advanced amount is bounded by the
//! invoice's total as proven; a bank that wants the partial reversals proves
//! `invoice-red/<number>` off the chain). A red invoice itself is never financed.
//!
//! `financing/<number>` is written once, whichever bank finances: a second financing is
//! `already_financed`, and so is a new one after settlement (an invoice is factored
//! once). Anyone may relay a newer proof showing the invoice reversed: the financing is
//! marked at risk and an alert for its bank is written. **Liveness assumption:** the
//! finance chain learns only what is relayed — a reversal no one carries is not seen;
//! the bank's own relayer (or its settlement, which needs a fresh proof) is the remedy.

use crate::state::{bank, present, prove, Records};
use crate::{Code, FinancingPolicy};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_crosschain::Proven;
use fapiao_crosschain_types::StateClaim;
use fapiao_finance_types::{
    FinanceAlert, FinanceInvoice, FinanceKey, FinancingRecord, FinancingStatus, LoanRecord,
    ReportReversal, SettleFinancing,
};
use fapiao_invoice_types::{InvoiceKey, InvoicePublic, InvoiceStatus};
use fapiao_values::InvoiceNumber;

/// Why the public leaf counts as reversed (`reversed`, `flagged`), or `None`.
pub fn reversal(p: &InvoicePublic) -> Option<&'static str> {
    if p.status == InvoiceStatus::Reversed {
        Some("reversed")
    } else if p.flagged {
        Some("flagged")
    } else {
        None
    }
}

/// Checks an invoice claim's chain and key (`invoice/<number>`, of `expected` when
/// given), proves it and decodes the present leaf.
fn invoice_claim(
    state: &(impl StateAccess + ?Sized),
    ctx: &Ctx<'_>,
    claim: &StateClaim,
    tax_chain: &str,
    expected: Option<&InvoiceNumber>,
) -> Result<(InvoiceNumber, Proven, InvoicePublic)> {
    if claim.chain_id != tax_chain {
        return Err(Error::reject(
            Code::NotTaxChain,
            "invoice.chain_id",
            format!("{:?} is not the tax chain {tax_chain:?}", claim.chain_id),
        ));
    }
    let number = match InvoiceKey::parse(&claim.key) {
        Ok(InvoiceKey::Invoice(n)) if expected.is_none_or(|e| *e == n) => n,
        _ => return Err(Error::reject(Code::WrongKey, "invoice.key", "expected invoice/<number>")),
    };
    let proven = prove(state, ctx, claim, "invoice")?;
    let public: InvoicePublic = present(claim, "invoice")?;
    if public.number != number {
        return Err(Error::reject(Code::BadRecord, "invoice.value", "not its key's invoice"));
    }
    Ok((number, proven, public))
}

fn fresh(proven: &Proven, ctx: &Ctx<'_>, policy: &FinancingPolicy) -> Result<()> {
    let age = ctx.time_ms.saturating_sub(proven.header.time_ms);
    if age > policy.freshness_ms {
        return Err(Error::reject(
            Code::ProofTooOld,
            "invoice.height",
            format!("the header is {age} ms old; at most {} ms", policy.freshness_ms),
        ));
    }
    Ok(())
}

/// Applies `finance_finance_invoice`.
///
/// # Errors
/// `not_a_bank`, `bad_amount`, `not_tax_chain`, `wrong_key`, `unknown_loan`,
/// `not_your_loan`, `wrong_uscc`, `already_financed`, light-client codes,
/// `proof_too_old`, `absent`, `bad_record`, `invoice_reversed`, `red_invoice`.
pub fn finance_invoice(
    state: &mut (impl StateAccess + ?Sized),
    a: &FinanceInvoice,
    ctx: &Ctx<'_>,
    policy: &FinancingPolicy,
) -> Result<()> {
    bank(ctx)?;
    if a.amount <= 0 {
        return Err(Error::reject(Code::BadAmount, "amount", "must be positive"));
    }
    if let Some(id) = &a.loan {
        let loan: LoanRecord = state
            .get(FinanceKey::Loan(*id))?
            .ok_or_else(|| Error::reject(Code::UnknownLoan, "loan", "no such loan"))?;
        if loan.bank != ctx.org.id {
            return Err(Error::reject(Code::NotYourLoan, "loan", "another bank's loan"));
        }
        if loan.uscc != a.uscc {
            return Err(Error::reject(Code::WrongUscc, "loan", "the loan is another enterprise's"));
        }
    }
    let (number, proven, public) = invoice_claim(state, ctx, &a.invoice, &policy.tax_chain, None)?;
    if state.exists(FinanceKey::Financing(number))? {
        return Err(Error::reject(
            Code::AlreadyFinanced,
            "invoice.key",
            format!("invoice {} is financed already", number.as_str()),
        ));
    }
    fresh(&proven, ctx, policy)?;
    if public.seller_tax_id != a.uscc {
        return Err(Error::reject(
            Code::WrongUscc,
            "invoice.value.seller_tax_id",
            "the invoice was issued by another enterprise",
        ));
    }
    if let Some(why) = reversal(&public) {
        return Err(Error::reject(
            Code::InvoiceReversed,
            "invoice.value",
            format!("the invoice is {why}"),
        ));
    }
    if public.total_with_tax <= 0 {
        return Err(Error::reject(
            Code::RedInvoice,
            "invoice.value",
            "a red invoice is not financed",
        ));
    }
    if a.amount > public.total_with_tax {
        return Err(Error::reject(
            Code::BadAmount,
            "amount",
            format!("more than the invoice's total of {} fen", public.total_with_tax),
        ));
    }
    let record = FinancingRecord {
        number,
        bank: ctx.org.id.clone(),
        uscc: a.uscc,
        loan: a.loan,
        amount: a.amount,
        invoice_total: public.total_with_tax,
        tax_chain: a.invoice.chain_id.clone(),
        proof_height: proven.header.height,
        proof_time_ms: proven.header.time_ms,
        status: FinancingStatus::Active,
        financed_at: ctx.height,
        updated_at: ctx.height,
        alert: None,
    };
    state.put(FinanceKey::Financing(number), &record);
    Ok(())
}

fn financing(
    state: &(impl StateAccess + ?Sized),
    number: &InvoiceNumber,
) -> Result<FinancingRecord> {
    let f: FinancingRecord = state.get(FinanceKey::Financing(*number))?.ok_or_else(|| {
        Error::reject(
            Code::UnknownFinancing,
            "number",
            format!("invoice {} is not financed", number.as_str()),
        )
    })?;
    if matches!(f.status, FinancingStatus::Repaid | FinancingStatus::Settled) {
        return Err(Error::reject(
            Code::Closed,
            "number",
            format!("the financing is {}", f.status),
        ));
    }
    Ok(f)
}

/// Applies `finance_report_reversal` (anyone): a proof newer than the financing's
/// showing the invoice reversed or flagged marks it at risk and alerts its bank.
///
/// # Errors
/// `unknown_financing`, `closed`, `already_at_risk`, `not_tax_chain`, `wrong_key`,
/// light-client codes, `older_proof`, `absent`, `bad_record`, `not_reversed`.
pub fn report_reversal(
    state: &mut (impl StateAccess + ?Sized),
    a: &ReportReversal,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut f = financing(state, &a.number)?;
    if f.status == FinancingStatus::AtRisk {
        return Err(Error::reject(
            Code::AlreadyAtRisk,
            "number",
            "the financing is at risk already",
        ));
    }
    let (_, proven, public) = invoice_claim(state, ctx, &a.invoice, &f.tax_chain, Some(&a.number))?;
    if proven.header.height <= f.proof_height {
        return Err(Error::reject(
            Code::OlderProof,
            "invoice.height",
            format!(
                "tax height {} is not newer than the financing's {}",
                proven.header.height, f.proof_height
            ),
        ));
    }
    let Some(reason) = reversal(&public) else {
        return Err(Error::reject(Code::NotReversed, "invoice.value", "the invoice still stands"));
    };
    let alert = FinanceAlert {
        id: ctx.tx_hash,
        bank: f.bank.clone(),
        number: a.number,
        reason: reason.into(),
        tax_height: proven.header.height,
        raised_at: ctx.height,
        time_ms: ctx.time_ms,
    };
    state.put(FinanceKey::Alert(ctx.tx_hash), &alert);
    f.status = FinancingStatus::AtRisk;
    f.alert = Some(ctx.tx_hash);
    f.proof_height = proven.header.height;
    f.proof_time_ms = proven.header.time_ms;
    f.updated_at = ctx.height;
    state.put(FinanceKey::Financing(a.number), &f);
    Ok(())
}

/// Applies `finance_settle_financing`: the financing bank closes it with a fresh proof,
/// not older than the financing's latest, that the invoice stands.
///
/// # Errors
/// `not_a_bank`, `unknown_financing`, `not_your_financing`, `closed`, `not_tax_chain`,
/// `wrong_key`, light-client codes, `older_proof`, `proof_too_old`, `absent`,
/// `bad_record`, `invoice_reversed`.
pub fn settle(
    state: &mut (impl StateAccess + ?Sized),
    a: &SettleFinancing,
    ctx: &Ctx<'_>,
    policy: &FinancingPolicy,
) -> Result<()> {
    bank(ctx)?;
    let mut f = financing(state, &a.number)?;
    if f.bank != ctx.org.id {
        return Err(Error::reject(Code::NotYourFinancing, "number", "another bank's financing"));
    }
    let (_, proven, public) = invoice_claim(state, ctx, &a.invoice, &f.tax_chain, Some(&a.number))?;
    if proven.header.height < f.proof_height {
        return Err(Error::reject(
            Code::OlderProof,
            "invoice.height",
            format!(
                "tax height {} is older than the financing's {}",
                proven.header.height, f.proof_height
            ),
        ));
    }
    fresh(&proven, ctx, policy)?;
    if let Some(why) = reversal(&public) {
        return Err(Error::reject(
            Code::InvoiceReversed,
            "invoice.value",
            format!("the invoice is {why}"),
        ));
    }
    f.status = if a.repaid { FinancingStatus::Repaid } else { FinancingStatus::Settled };
    f.proof_height = proven.header.height;
    f.proof_time_ms = proven.header.time_ms;
    f.updated_at = ctx.height;
    state.put(FinanceKey::Financing(a.number), &f);
    Ok(())
}
