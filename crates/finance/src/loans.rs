//! Loans: `finance_apply_loan`, `finance_review_loan`, `finance_decide_loan`.
//!
//! An application carries the tax chain's proofs — the enterprise's disclosure grant and
//! the committed summary records it covers, all against one header of the tax chain kept
//! in this chain's window — and optionally operating data of another registered chain
//! (the industry chain) whose key names the enterprise. Checks, in order:
//!
//! 1. the sender is a bank's officer; amount, term and purpose are well formed;
//! 2. the grant's claim is of the tax chain (`finance/financing`), of a `disclosure/<id>`
//!    key, proven (`crosschain.*` codes pass through), present and decodable;
//! 3. the grant names this chain, the sender's bank and the enterprise, is not revoked
//!    and not expired at the proven header's time nor at this block's time;
//! 4. the grant was not used before (`loan-grant/<id>`: one application per grant, so a
//!    replayed or second application is `duplicate_application`);
//! 5. each record is of the tax chain, at the grant's height, of the enterprise, once,
//!    of a month (or the status) the grant covers, proven;
//! 6. each operating claim names the enterprise's USCC as a key segment, is of a chain
//!    other than the tax chain (the tax chain's facts go through the grant), proven.
//!
//! The record keeps only the proven commitments of the covered fields, the tax height
//! and time, the grant's id and hashes of the operating values: the disclosed values
//! stay with the bank (its node checks the openings, `fapiao-finance-api`).

use crate::state::{bank, present, prove, text, Records};
use crate::{Code, FinancingPolicy};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_finance_types::{
    ApplyLoan, DecideLoan, Decision, FinanceKey, LoanRecord, LoanStatus, ProvenFact, ReviewLoan,
    SummaryCommitment, MAX_OPERATING_CLAIMS, MAX_RECORD_CLAIMS,
};
use fapiao_invoice_types::{
    DisclosureGrant, InvoiceKey, SummaryField, SummaryMonth, SummaryStatus,
};
use fapiao_types::{sha256, Hash32};
use std::collections::BTreeSet;

/// Longest purpose, in characters.
const MAX_PURPOSE: usize = 200;
/// Longest notes or reasons, in characters.
const MAX_NOTES: usize = 500;
/// Longest term, months.
const MAX_TERM: u32 = 360;

const MONTHLY: [SummaryField; 3] =
    [SummaryField::Sales, SummaryField::VatPaid, SummaryField::OnTime];

fn term(t: u32, field: &str) -> Result<()> {
    if (1..=MAX_TERM).contains(&t) {
        Ok(())
    } else {
        Err(Error::reject(Code::BadTerm, field, format!("{t} months; 1 to {MAX_TERM}")))
    }
}

fn positive(amount: i64, field: &str) -> Result<()> {
    if amount > 0 {
        Ok(())
    } else {
        Err(Error::reject(Code::BadAmount, field, "must be positive"))
    }
}

/// Applies `finance_apply_loan`; see the module docs. Returns the loan's id.
///
/// # Errors
/// [`Error::Rejected`] with a [`Code`] or a light-client code, or [`Error::Fatal`].
pub fn apply_loan(
    state: &mut (impl StateAccess + ?Sized),
    a: &ApplyLoan,
    ctx: &Ctx<'_>,
    policy: &FinancingPolicy,
) -> Result<Hash32> {
    bank(ctx)?;
    positive(a.amount, "amount")?;
    term(a.term_months, "term_months")?;
    text(&a.purpose, "purpose", true, MAX_PURPOSE)?;
    for (n, max, field) in [
        (a.records.len(), MAX_RECORD_CLAIMS, "records"),
        (a.operating.len(), MAX_OPERATING_CLAIMS, "operating"),
    ] {
        if n > max {
            return Err(Error::reject(
                Code::TooManyClaims,
                field,
                format!("{n} claims; at most {max}"),
            ));
        }
    }

    // The grant.
    if a.grant.chain_id != policy.tax_chain {
        return Err(Error::reject(
            Code::NotTaxChain,
            "grant.chain_id",
            format!("{:?} is not the tax chain {:?}", a.grant.chain_id, policy.tax_chain),
        ));
    }
    let Ok(InvoiceKey::Disclosure(grant_id)) = InvoiceKey::parse(&a.grant.key) else {
        return Err(Error::reject(Code::WrongKey, "grant.key", "expected disclosure/<id>"));
    };
    let header = prove(state, ctx, &a.grant, "grant")?.header;
    let grant: DisclosureGrant = present(&a.grant, "grant")?;
    if grant.id != grant_id {
        return Err(Error::reject(
            Code::BadRecord,
            "grant.value.id",
            "the grant's id is not its key's",
        ));
    }
    if grant.chain_id != ctx.chain_id {
        return Err(Error::reject(
            Code::OtherChain,
            "grant.value.chain_id",
            format!("the grant is for chain {:?}, this is {:?}", grant.chain_id, ctx.chain_id),
        ));
    }
    if grant.bank != ctx.org.id {
        return Err(Error::reject(
            Code::NotGrantee,
            "grant.value.bank",
            format!("the grant names bank {:?}, the sender is of {:?}", grant.bank, ctx.org.id),
        ));
    }
    if grant.uscc != a.uscc {
        return Err(Error::reject(
            Code::WrongUscc,
            "grant.value.uscc",
            "the grant is another enterprise's",
        ));
    }
    if grant.revoked_at != 0 {
        return Err(Error::reject(
            Code::GrantRevoked,
            "grant",
            format!("revoked at tax height {}", grant.revoked_at),
        ));
    }
    if !grant.in_force(header.time_ms) || ctx.time_ms >= grant.expires_ms {
        return Err(Error::reject(
            Code::GrantExpired,
            "grant.value.expires_ms",
            format!("expired at {} ms", grant.expires_ms),
        ));
    }
    if state.exists(FinanceKey::LoanGrant(grant_id))? {
        return Err(Error::reject(
            Code::DuplicateApplication,
            "grant",
            "an application was already made under this grant",
        ));
    }

    // The summary records.
    let mut seen = BTreeSet::new();
    let mut commitments = Vec::new();
    for (i, c) in a.records.iter().enumerate() {
        let at = format!("records[{i}]");
        if c.chain_id != policy.tax_chain {
            return Err(Error::reject(
                Code::NotTaxChain,
                format!("{at}.chain_id"),
                "not the tax chain",
            ));
        }
        if c.height != a.grant.height {
            return Err(Error::reject(
                Code::MixedHeights,
                format!("{at}.height"),
                format!("proven at {}, the grant at {}", c.height, a.grant.height),
            ));
        }
        if !seen.insert(c.key.as_str()) {
            return Err(Error::reject(Code::DuplicateClaim, format!("{at}.key"), "claimed twice"));
        }
        match InvoiceKey::parse(&c.key) {
            Ok(InvoiceKey::SummaryMonth(uscc, month)) => {
                if uscc != a.uscc {
                    return Err(Error::reject(
                        Code::WrongUscc,
                        format!("{at}.key"),
                        "another enterprise's",
                    ));
                }
                let covered: Vec<SummaryField> =
                    MONTHLY.into_iter().filter(|f| grant.covers(*f, Some(month))).collect();
                if covered.is_empty() {
                    return Err(Error::reject(
                        Code::UndisclosedField,
                        format!("{at}.key"),
                        format!("the grant does not cover {}", month.yyyymm()),
                    ));
                }
                prove(state, ctx, c, &at)?;
                let record: Option<SummaryMonth> = match c.value {
                    Some(_) => Some(present(c, &at)?),
                    None => None,
                };
                if record.as_ref().is_some_and(|r| r.uscc != uscc || r.month != month) {
                    return Err(Error::reject(
                        Code::BadRecord,
                        format!("{at}.value"),
                        "not its key's record",
                    ));
                }
                for field in covered {
                    let commitment = record.as_ref().map(|r| match field {
                        SummaryField::Sales => r.sales,
                        SummaryField::VatPaid => r.vat_paid,
                        _ => r.on_time,
                    });
                    commitments.push(SummaryCommitment {
                        field,
                        month: month.yyyymm(),
                        commitment,
                    });
                }
            }
            Ok(InvoiceKey::SummaryStatus(uscc)) => {
                if uscc != a.uscc {
                    return Err(Error::reject(
                        Code::WrongUscc,
                        format!("{at}.key"),
                        "another enterprise's",
                    ));
                }
                if !grant.covers(SummaryField::Status, None) {
                    return Err(Error::reject(
                        Code::UndisclosedField,
                        format!("{at}.key"),
                        "the grant does not cover the status",
                    ));
                }
                prove(state, ctx, c, &at)?;
                let record: SummaryStatus = present(c, &at)?;
                if record.uscc != uscc {
                    return Err(Error::reject(
                        Code::BadRecord,
                        format!("{at}.value"),
                        "not its key's record",
                    ));
                }
                commitments.push(SummaryCommitment {
                    field: SummaryField::Status,
                    month: 0,
                    commitment: Some(record.status),
                });
            }
            _ => {
                return Err(Error::reject(
                    Code::WrongKey,
                    format!("{at}.key"),
                    "expected tax-summary/<uscc>/<yyyymm> or tax-status/<uscc>",
                ))
            }
        }
    }

    // Operating data of other chains.
    let mut operating = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, c) in a.operating.iter().enumerate() {
        let at = format!("operating[{i}]");
        if c.chain_id == policy.tax_chain {
            return Err(Error::reject(
                Code::UndisclosedField,
                format!("{at}.chain_id"),
                "the tax chain's facts are disclosed by the grant, not as operating data",
            ));
        }
        if !c.key.split('/').any(|s| s == a.uscc.as_str()) {
            return Err(Error::reject(
                Code::WrongUscc,
                format!("{at}.key"),
                "the key does not name the enterprise",
            ));
        }
        if !seen.insert((c.chain_id.as_str(), c.key.as_str())) {
            return Err(Error::reject(Code::DuplicateClaim, format!("{at}.key"), "claimed twice"));
        }
        prove(state, ctx, c, &at)?;
        operating.push(ProvenFact {
            chain_id: c.chain_id.clone(),
            height: c.height,
            key: c.key.clone(),
            value_hash: c.value.as_ref().map(|v| sha256(&v.0)),
        });
    }

    let id = ctx.tx_hash;
    let record = LoanRecord {
        id,
        bank: ctx.org.id.clone(),
        officer: ctx.sender,
        uscc: a.uscc,
        amount: a.amount,
        term_months: a.term_months,
        purpose: a.purpose.clone(),
        tax_chain: a.grant.chain_id.clone(),
        tax_height: header.height,
        tax_state_height: header.state_height,
        tax_time_ms: header.time_ms,
        grant: grant_id,
        grant_expires_ms: grant.expires_ms,
        commitments,
        operating,
        status: LoanStatus::Applied,
        applied_at: ctx.height,
        notes: String::new(),
        decision: None,
    };
    state.put(FinanceKey::Loan(id), &record);
    state.put(FinanceKey::LoanGrant(grant_id), &id);
    Ok(id)
}

/// The sender's bank's loan `id`, not yet decided.
fn open_loan(
    state: &(impl StateAccess + ?Sized),
    id: &Hash32,
    ctx: &Ctx<'_>,
) -> Result<LoanRecord> {
    bank(ctx)?;
    let loan: LoanRecord = state
        .get(FinanceKey::Loan(*id))?
        .ok_or_else(|| Error::reject(Code::UnknownLoan, "loan", "no such loan"))?;
    if loan.bank != ctx.org.id {
        return Err(Error::reject(Code::NotYourLoan, "loan", "another bank's loan"));
    }
    if matches!(loan.status, LoanStatus::Approved | LoanStatus::Declined) {
        return Err(Error::reject(
            Code::AlreadyDecided,
            "loan",
            format!("the loan is {}", loan.status),
        ));
    }
    Ok(loan)
}

/// Applies `finance_review_loan`: the loan is under review with the notes.
///
/// # Errors
/// `unknown_loan`, `not_your_loan`, `already_decided`, `bad_text`, `not_a_bank`.
pub fn review_loan(
    state: &mut (impl StateAccess + ?Sized),
    a: &ReviewLoan,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut loan = open_loan(state, &a.loan, ctx)?;
    text(&a.notes, "notes", false, MAX_NOTES)?;
    loan.status = LoanStatus::UnderReview;
    loan.notes = a.notes.clone();
    state.put(FinanceKey::Loan(a.loan), &loan);
    Ok(())
}

/// Applies `finance_decide_loan`: approved with its terms, or declined.
///
/// # Errors
/// As [`review_loan`], and `bad_amount`, `bad_rate`, `bad_term` for terms out of range
/// (or not 0 on a decline).
pub fn decide_loan(
    state: &mut (impl StateAccess + ?Sized),
    a: &DecideLoan,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut loan = open_loan(state, &a.loan, ctx)?;
    text(&a.reasons, "reasons", true, MAX_NOTES)?;
    if a.approve {
        positive(a.amount, "amount")?;
        if !(1..=10_000).contains(&a.rate_bp) {
            return Err(Error::reject(Code::BadRate, "rate_bp", "1 to 10000 basis points"));
        }
        term(a.term_months, "term_months")?;
    } else {
        for (v, code, field) in [
            (a.amount != 0, Code::BadAmount, "amount"),
            (a.rate_bp != 0, Code::BadRate, "rate_bp"),
            (a.term_months != 0, Code::BadTerm, "term_months"),
        ] {
            if v {
                return Err(Error::reject(code, field, "must be 0 on a decline"));
            }
        }
    }
    loan.status = if a.approve { LoanStatus::Approved } else { LoanStatus::Declined };
    loan.decision = Some(Decision {
        approve: a.approve,
        amount: a.amount,
        rate_bp: a.rate_bp,
        term_months: a.term_months,
        reasons: a.reasons.clone(),
        by: ctx.sender,
        decided_at: ctx.height,
    });
    state.put(FinanceKey::Loan(a.loan), &loan);
    Ok(())
}
