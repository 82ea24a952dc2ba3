//! Circulation: the holder submits an invoice to an enterprise; the enterprise
//! reimburses it (locked for good) or rejects it (back to the holder); the buyer
//! enterprise books a special invoice for deduction, once; the tax authority flags.
//!
//! The (status, command) machine:
//!
//! | status     | submit        | reimburse      | reject          | book (special) |
//! |------------|---------------|----------------|-----------------|----------------|
//! | issued     | → submitted   | not_submitted  | not_submitted   | booked once    |
//! | submitted  | already_submitted | → reimbursed | → issued     | booked once    |
//! | reimbursed | already_reimbursed | already_reimbursed | already_reimbursed | booked once |
//! | reversed   | invoice_reversed | invoice_reversed | invoice_reversed | invoice_reversed |
//!
//! A flagged invoice refuses every circulation command (`invoice.invoice_flagged`).

use crate::Code;
use crate::{
    issue::add_month_totals,
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_invoice_types::{
    Circulation, FlagInvoice, InvoiceBody, InvoiceKey, InvoicePublic, InvoiceRef, InvoiceStatus,
    RejectReimbursement, SubmitInvoice,
};
use fapiao_types::{InvoiceKind, InvoiceNumber, StateKey};

struct Loaded {
    public: InvoicePublic,
    circ: Circulation,
}

fn load(state: &(impl StateAccess + ?Sized), number: &InvoiceNumber) -> Result<Loaded> {
    let public =
        state.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(*number)))?.ok_or_else(
            || Error::reject(Code::UnknownInvoice, "number", format!("no invoice {number}")),
        )?;
    let circ = state
        .get::<Circulation>(&StateKey::from(InvoiceKey::InvoiceCirc(*number)))?
        .ok_or_else(|| Error::Fatal(format!("invoice {number} has no circulation record")))?;
    Ok(Loaded { public, circ })
}

fn save(state: &mut (impl StateAccess + ?Sized), l: &Loaded) {
    state.put(StateKey::from(InvoiceKey::Invoice(l.public.number)), &l.public);
    state.put(StateKey::from(InvoiceKey::InvoiceCirc(l.public.number)), &l.circ);
}

fn not_flagged(l: &Loaded) -> Result<()> {
    if l.public.flagged {
        return Err(Error::reject(
            Code::InvoiceFlagged,
            "number",
            "the invoice is under investigation by the tax authority",
        ));
    }
    Ok(())
}

fn status_refusal(status: InvoiceStatus) -> Error {
    match status {
        InvoiceStatus::Issued => {
            Error::reject(Code::NotSubmitted, "number", "the invoice is not submitted")
        }
        InvoiceStatus::Submitted => Error::reject(
            Code::AlreadySubmitted,
            "number",
            "the invoice is already submitted for reimbursement",
        ),
        InvoiceStatus::Reimbursed => {
            Error::reject(Code::AlreadyReimbursed, "number", "the invoice is already reimbursed")
        }
        InvoiceStatus::Reversed => {
            Error::reject(Code::InvoiceReversed, "number", "the invoice is fully reversed")
        }
    }
}

pub(crate) fn submit(
    state: &mut (impl StateAccess + ?Sized),
    c: &SubmitInvoice,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut l = load(state, &c.number)?;
    if l.circ.holder != Some(ctx.sender) {
        return Err(Error::reject(
            Code::NotHolder,
            "sender",
            "only the invoice's holder may submit it",
        ));
    }
    not_flagged(&l)?;
    if l.public.status != InvoiceStatus::Issued {
        return Err(status_refusal(l.public.status));
    }
    taxpayer::load(state, &c.enterprise, "enterprise")?;
    l.public.status = InvoiceStatus::Submitted;
    l.circ.enterprise = Some(c.enterprise);
    save(state, &l);
    Ok(())
}

fn submitted_to_sender(l: &Loaded, ctx: &Ctx<'_>) -> Result<()> {
    if l.public.status != InvoiceStatus::Submitted {
        return Err(status_refusal(l.public.status));
    }
    // The sender's organisation must be the enterprise (its `tax_id`) it was submitted to.
    if l.circ.enterprise.is_none() || l.circ.enterprise != ctx.org.tax_id {
        return Err(Error::reject(
            Code::NotYourEnterprise,
            "sender",
            "the invoice is submitted to another enterprise",
        ));
    }
    Ok(())
}

pub(crate) fn reimburse(
    state: &mut (impl StateAccess + ?Sized),
    c: &InvoiceRef,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut l = load(state, &c.number)?;
    not_flagged(&l)?;
    submitted_to_sender(&l, ctx)?;
    l.public.status = InvoiceStatus::Reimbursed;
    l.circ.reimbursed_at = ctx.height;
    save(state, &l);
    Ok(())
}

pub(crate) fn reject(
    state: &mut (impl StateAccess + ?Sized),
    c: &RejectReimbursement,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut l = load(state, &c.number)?;
    submitted_to_sender(&l, ctx)?;
    if c.reason.trim().is_empty() || c.reason.len() > 512 {
        return Err(Error::reject(Code::InvalidReason, "reason", "1-512 bytes, not blank"));
    }
    l.public.status = InvoiceStatus::Issued;
    l.circ.enterprise = None;
    l.circ.last_rejection = c.reason.clone();
    save(state, &l);
    Ok(())
}

pub(crate) fn book(
    state: &mut (impl StateAccess + ?Sized),
    c: &InvoiceRef,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut l = load(state, &c.number)?;
    not_flagged(&l)?;
    if l.public.kind != InvoiceKind::Special {
        return Err(Error::reject(
            Code::NotSpecial,
            "number",
            "only a special VAT invoice can be booked for deduction",
        ));
    }
    if l.public.status == InvoiceStatus::Reversed {
        return Err(status_refusal(l.public.status));
    }
    let body = state
        .get::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(c.number)))?
        .ok_or_else(|| Error::Fatal(format!("invoice {} has no body", c.number)))?;
    let not_buyer = || {
        Error::reject(Code::NotBuyer, "sender", "only the buyer enterprise may book the invoice")
    };
    let buyer = body.buyer.tax_id.ok_or_else(not_buyer)?;
    taxpayer::require_own_org(&buyer, "sender", ctx).map_err(|_| not_buyer())?;
    if l.circ.booked_at != 0 {
        return Err(Error::reject(
            Code::AlreadyBooked,
            "number",
            format!("booked at height {}", l.circ.booked_at),
        ));
    }
    l.circ.booked_at = ctx.height;
    save(state, &l);
    add_month_totals(state, &buyer, rules::month_of(ctx.time_ms), |m| {
        m.input_tax = rules::add(m.input_tax, body.total_tax, "total_tax")?;
        Ok(())
    })
}

pub(crate) fn flag(
    state: &mut (impl StateAccess + ?Sized),
    c: &FlagInvoice,
    _ctx: &Ctx<'_>,
) -> Result<()> {
    let mut l = load(state, &c.number)?;
    if l.public.flagged == c.flagged {
        return Err(Error::reject(
            Code::FlagUnchanged,
            "flagged",
            if c.flagged { "already flagged" } else { "not flagged" },
        ));
    }
    if c.reason.trim().is_empty() || c.reason.len() > 512 {
        return Err(Error::reject(Code::InvalidReason, "reason", "1-512 bytes, not blank"));
    }
    l.public.flagged = c.flagged;
    save(state, &l);
    Ok(())
}
