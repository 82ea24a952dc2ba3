//! Red-letter invoices (红字发票) and the confirmation form (红字发票信息确认单).
//!
//! * If the buyer has not used the invoice (not submitted, reimbursed or booked), the
//!   seller reverses it in full alone: the form is `no_confirmation_needed` and the red
//!   invoice is issued at once.
//! * The buyer's side is a finance officer (`enterprise.finance`) of the buyer
//!   enterprise, or for a person's invoice the consumer holding it; the seller's side
//!   is an authorised issuer of the seller.
//! * Otherwise either party raises the form and the other confirms; partial reversal
//!   only then, and only for reasons 02 (goods returned) and 04 (sales allowance).
//!   Reasons 01 and 03 always reverse in full what stands.
//! * The other party may refuse; the raiser may withdraw before confirmation; a form
//!   left unconfirmed past [`RED_FORM_DEADLINE_MS`] of block time counts as void
//!   (evaluated lazily, when read or acted on — no per-block scan).
//! * **Confirmation and the red invoice.** A red invoice is the seller's invoice: the
//!   seller confirming a form the buyer raised issues it at once (its confirmation and
//!   its issuance are one act). The buyer confirming a form the seller raised makes the
//!   form `confirmed` with no red invoice yet; the seller then issues it
//!   (`IssueRedInvoice`, by any authorised issuer), and its issuer is a seller account.
//! * **Withdrawal after confirmation** (DOMAIN: "void because withdrawn (before or after
//!   confirmation)"). An electronic invoice is never voided or edited after issue, so a
//!   withdrawal can never undo a red invoice that exists: the raiser may withdraw a
//!   confirmed form only while its red invoice is not issued — that is, the seller
//!   withdrawing a form the buyer confirmed, before issuing it. The form becomes
//!   `void_withdrawn_after_confirmation`, nothing is reversed and the blue invoice is
//!   open to a new form. Once the red invoice is issued the withdrawal is refused
//!   (`invoice.red_invoice_issued`): the reversal stands, and a reversal made in error is
//!   corrected by issuing a new blue invoice (a red invoice is never reversed). A
//!   confirmed form awaiting its red invoice has no deadline and keeps the blue invoice's
//!   one open form.
//! * Σ red ≥ −blue per line (amount and tax); a red invoice never reverses a red one;
//!   it copies the blue one's parties, kind, rates and codes.
//! * A blue line followed by a discount line (折扣行, a negative line of the same name
//!   and rate) stands for its net amount and tax: red lines reverse the net against
//!   the discounted line's index, and naming the discount line itself is refused
//!   (`invoice.discount_line`). A red invoice therefore has no discount lines and no positive
//!   line, and its total is at most the blue invoice's.
//!
//! Form machine ((status, command) → result):
//!
//! | status                   | confirm (other party)     | refuse (other party) | withdraw (raiser)                     | issue red (seller)   |
//! |--------------------------|---------------------------|----------------------|---------------------------------------|----------------------|
//! | awaiting seller          | → confirmed + red         | → void_refused       | → void_withdrawn                      | form_not_confirmed   |
//! | awaiting buyer           | → confirmed (red pending) | → void_refused       | → void_withdrawn                      | form_not_confirmed   |
//! | past the deadline        | form_expired              | form_expired         | form_expired                          | form_expired         |
//! | confirmed, red pending   | form_closed               | form_closed          | → void_withdrawn_after_confirmation   | → confirmed + red    |
//! | confirmed, red issued    | form_closed               | form_closed          | red_invoice_issued                    | form_closed          |
//! | void_*, none             | form_closed               | form_closed          | form_closed                           | form_closed          |
//!
//! Who: the "other party" is the buyer of a form the seller raised and the seller of one
//! the buyer raised (`invoice.not_the_other_party`); withdrawal is the raising account's
//! (`invoice.not_the_raiser`); the red invoice of a confirmed form is issued by an authorised
//! issuer of the seller (`invoice.not_the_seller`).

use crate::Code;
use crate::{
    credit,
    issue::{add_month_totals, allocate_number, commitment, CHANNEL_DIRECT},
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_invoice_types::{
    Circulation, InvoiceBody, InvoiceKey, InvoicePublic, InvoiceStatus, Line, RaiseRedForm,
    RedFormRecord, RedFormRef, RedFormStatus, RedLine, RedReason, RedTotals,
};
use fapiao_types::{InvoiceNumber, Role, StateKey, TxOutput};

/// How long a form waits for the other party by default: 72 hours of block time
/// *(policy: `red_form_deadline_hours` of the tax rules in force the day it was raised)*.
pub const RED_FORM_DEADLINE_MS: u64 = 72 * 3600 * 1000;

/// How long `form` waits for the other party: the deadline of the tax rules in force on
/// the day it was raised.
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read.
pub fn form_deadline_ms(state: &(impl StateAccess + ?Sized), form: &RedFormRecord) -> Result<u64> {
    Ok(crate::params::on_date(state, rules::china_date(form.raised_at_ms).yyyymmdd())?
        .red_form_deadline_ms)
}

struct Blue {
    public: InvoicePublic,
    body: InvoiceBody,
    circ: Circulation,
    red: RedTotals,
}

fn load_blue(
    state: &(impl StateAccess + ?Sized),
    number: &InvoiceNumber,
    ctx: &Ctx<'_>,
) -> Result<Blue> {
    let public =
        state.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(*number)))?.ok_or_else(
            || Error::reject(Code::UnknownInvoice, "blue_number", format!("no invoice {number}")),
        )?;
    let body = state
        .get::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(*number)))?
        .ok_or_else(|| Error::Fatal(format!("invoice {number} has no body")))?;
    let circ = state
        .get::<Circulation>(&StateKey::from(InvoiceKey::InvoiceCirc(*number)))?
        .ok_or_else(|| Error::Fatal(format!("invoice {number} has no circulation record")))?;
    let mut red = crate::salt::red_totals(state, ctx, *number)?;
    red.amounts.resize(body.lines.len(), 0);
    red.taxes.resize(body.lines.len(), 0);
    Ok(Blue { public, body, circ, red })
}

/// Whether `form` is confirmed (by the buyer) and awaits the seller's red invoice.
pub fn awaiting_red(form: &RedFormRecord) -> bool {
    form.status == RedFormStatus::Confirmed && form.red_number.is_none()
}

/// The status a form reads as at `now_ms` (a pending form past its deadline, from
/// [`form_deadline_ms`], is void).
pub fn effective_status(form: &RedFormRecord, now_ms: u64, deadline_ms: u64) -> RedFormStatus {
    let pending = matches!(
        form.status,
        RedFormStatus::SellerEnteredAwaitingBuyer | RedFormStatus::BuyerEnteredAwaitingSeller
    );
    if pending && now_ms > form.raised_at_ms.saturating_add(deadline_ms) {
        RedFormStatus::VoidExpired
    } else {
        form.status
    }
}

fn is_seller_party(
    state: &(impl StateAccess + ?Sized),
    blue: &Blue,
    ctx: &Ctx<'_>,
) -> Result<bool> {
    let t = taxpayer::load(state, &blue.public.seller_tax_id, "blue_number")?;
    Ok(t.issuers.contains(&ctx.sender))
}

/// The buyer's side of a red-letter form: for an enterprise's invoice (a buyer tax
/// id), a finance officer (`enterprise.finance`) of that enterprise; for a person's
/// invoice, the consumer holding it.
fn is_buyer_party(blue: &Blue, ctx: &Ctx<'_>) -> bool {
    match &blue.body.buyer.tax_id {
        None => blue.circ.holder == Some(ctx.sender),
        Some(tax_id) => {
            ctx.org.tax_id == Some(*tax_id)
                && ctx.account.revoked_at.is_none()
                && ctx.account.has_role(Role::EnterpriseFinance)
        }
    }
}

/// Whether the buyer has used the invoice (then the seller cannot reverse alone).
fn buyer_used(blue: &Blue) -> bool {
    blue.public.status != InvoiceStatus::Issued
        || blue.circ.reimbursed_at != 0
        || blue.circ.booked_at != 0
}

/// What line `i` of a blue invoice stands for before any red invoice: its amount and
/// tax net of the discount line (折扣行) that follows it, if any; `None` for a discount
/// line itself (a blue line with a negative amount), which is reversed through its line.
fn net_line(
    body: &InvoiceBody,
    i: usize,
    field: &dyn Fn(&str) -> String,
) -> Result<Option<(i64, i64)>> {
    let Some(l) = body.lines.get(i).filter(|l| l.amount >= 0) else {
        return Ok(None);
    };
    match body.lines.get(i + 1).filter(|d| d.amount < 0) {
        Some(d) => Ok(Some((
            rules::add(l.amount, d.amount, &field("amount"))?,
            rules::add(l.tax, d.tax, &field("tax"))?,
        ))),
        None => Ok(Some((l.amount, l.tax))),
    }
}

/// The lines to reverse: all that stands (full) or the requested ones, checked. A line
/// followed by a discount line stands for its amount net of the discount: a red line
/// reverses the net, and a discount line cannot be named on its own.
fn resolve_lines(blue: &Blue, requested: &[RedLine]) -> Result<Vec<RedLine>> {
    if requested.is_empty() {
        let mut lines = Vec::new();
        for i in 0..blue.body.lines.len() {
            let field = |f: &str| format!("lines[{i}].{f}");
            let Some((net_amount, net_tax)) = net_line(&blue.body, i, &field)? else {
                continue;
            };
            let reversed = |v: &[i64]| v.get(i).copied().unwrap_or(0);
            let left_amount =
                rules::add(net_amount, reversed(&blue.red.amounts), &field("amount"))?;
            let left_tax = rules::add(net_tax, reversed(&blue.red.taxes), &field("tax"))?;
            if left_amount != 0 || left_tax != 0 {
                // In range, and the range is symmetric: the negations cannot overflow.
                lines.push(RedLine { line: i as u32, amount: -left_amount, tax: -left_tax });
            }
        }
        if lines.is_empty() {
            return Err(Error::reject(
                Code::NothingToReverse,
                "blue_number",
                "the invoice is fully reversed",
            ));
        }
        return Ok(lines);
    }
    let mut seen = Vec::new();
    for (k, r) in requested.iter().enumerate() {
        let field = |f: &str| format!("lines[{k}].{f}");
        let i = r.line as usize;
        let Some(l) = blue.body.lines.get(i) else {
            return Err(Error::reject(
                Code::UnknownLine,
                field("line"),
                format!("the blue invoice has no line {i}"),
            ));
        };
        let Some((net_amount, net_tax)) = net_line(&blue.body, i, &field)? else {
            return Err(Error::reject(
                Code::DiscountLine,
                field("line"),
                format!(
                    "line {i} is a discount line: reverse the line it discounts ({}), net of it",
                    i.saturating_sub(1)
                ),
            ));
        };
        if seen.contains(&i) {
            return Err(Error::reject(
                Code::DuplicateLine,
                field("line"),
                format!("line {i} is listed twice"),
            ));
        }
        seen.push(i);
        rules::fen(r.amount, &field("amount"))?;
        rules::fen(r.tax, &field("tax"))?;
        if r.amount >= 0 || r.tax > 0 {
            return Err(Error::reject(
                Code::RedAmountNotNegative,
                field("amount"),
                "red amounts are negative",
            ));
        }
        let reversed = |v: &[i64]| v.get(i).copied().unwrap_or(0);
        let left_amount = rules::add(net_amount, reversed(&blue.red.amounts), &field("amount"))?;
        let left_tax = rules::add(net_tax, reversed(&blue.red.taxes), &field("tax"))?;
        // Both in range (checked above), so the negations cannot overflow.
        if -r.amount > left_amount {
            return Err(Error::reject(
                Code::RedExceedsBlue,
                field("amount"),
                format!("line {i} has {} left to reverse", rules::yuan(left_amount)),
            ));
        }
        if -r.tax > left_tax {
            return Err(Error::reject(
                Code::RedExceedsBlue,
                field("tax"),
                format!("line {i} has {} tax left to reverse", rules::yuan(left_tax)),
            ));
        }
        rules::check_line_tax(l.rate, r.amount, r.tax, &field("tax"))?;
    }
    Ok(requested.to_vec())
}

pub(crate) fn raise(
    state: &mut (impl StateAccess + ?Sized),
    c: &RaiseRedForm,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let blue = load_blue(state, &c.blue_number, ctx)?;
    if blue.body.red_of.is_some() {
        return Err(Error::reject(
            Code::RedOfRed,
            "blue_number",
            "a red invoice cannot be reversed",
        ));
    }
    if blue.public.flagged {
        return Err(Error::reject(
            Code::InvoiceFlagged,
            "blue_number",
            "the invoice is under investigation",
        ));
    }
    if blue.public.status == InvoiceStatus::Submitted {
        return Err(Error::reject(
            Code::InvoiceSubmitted,
            "blue_number",
            "the invoice is awaiting reimbursement: the enterprise must answer first",
        ));
    }
    if let Some(open) = blue.red.open_form {
        if let Some(f) = state.get::<RedFormRecord>(&StateKey::from(InvoiceKey::RedForm(open)))? {
            if awaiting_red(&f) {
                return Err(Error::reject(
                    Code::FormOpen,
                    "blue_number",
                    format!("form {} is confirmed and awaits its red invoice", hex_id(&open)),
                ));
            }
            if matches!(
                effective_status(&f, ctx.time_ms, form_deadline_ms(state, &f)?),
                RedFormStatus::SellerEnteredAwaitingBuyer
                    | RedFormStatus::BuyerEnteredAwaitingSeller
            ) {
                return Err(Error::reject(
                    Code::FormOpen,
                    "blue_number",
                    format!("form {} is awaiting confirmation", hex_id(&open)),
                ));
            }
        }
    }
    let seller = is_seller_party(state, &blue, ctx)?;
    let buyer = is_buyer_party(&blue, ctx);
    if !seller && !buyer {
        return Err(Error::reject(
            Code::NotAParty,
            "sender",
            "only the seller or the buyer may raise a red form",
        ));
    }
    let full_only = matches!(c.reason, RedReason::IssuingError | RedReason::ServiceStopped);
    if full_only && !c.lines.is_empty() {
        return Err(Error::reject(
            Code::FullReversalRequired,
            "lines",
            format!("reason {} always reverses in full", c.reason),
        ));
    }
    let used = buyer_used(&blue);
    if !used && !c.lines.is_empty() {
        return Err(Error::reject(
            Code::PartialNotAllowed,
            "lines",
            "the buyer has not used the invoice: it can only be reversed in full",
        ));
    }
    let lines = resolve_lines(&blue, &c.lines)?;
    let immediate = seller && !used;
    let mut form = RedFormRecord {
        blue_number: c.blue_number,
        reason: c.reason,
        lines,
        status: if immediate {
            RedFormStatus::NoConfirmationNeeded
        } else if seller {
            RedFormStatus::SellerEnteredAwaitingBuyer
        } else {
            RedFormStatus::BuyerEnteredAwaitingSeller
        },
        raised_by: ctx.sender,
        by_seller: seller,
        raised_at_ms: ctx.time_ms,
        red_number: None,
        refusal: String::new(),
    };
    let id = ctx.tx_hash;
    let mut red = blue.red.clone();
    if immediate {
        form.red_number = Some(issue_red(state, blue, &form, c.salt, ctx)?);
        red = crate::salt::red_totals(state, ctx, c.blue_number)?;
        red.open_form = None;
    } else {
        red.open_form = Some(id);
    }
    state.put(StateKey::from(InvoiceKey::RedTotals(c.blue_number)), &red);
    state.put(StateKey::from(InvoiceKey::RedForm(id)), &form);
    Ok(TxOutput::RedForm(id))
}

fn hex_id(id: &[u8; 32]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

fn get_form(state: &(impl StateAccess + ?Sized), c: &RedFormRef) -> Result<RedFormRecord> {
    state
        .get::<RedFormRecord>(&StateKey::from(InvoiceKey::RedForm(c.form)))?
        .ok_or_else(|| Error::reject(Code::UnknownForm, "form", "no such red-letter form"))
}

/// The form `c` names, refused unless it awaits confirmation.
fn load_form(
    state: &(impl StateAccess + ?Sized),
    c: &RedFormRef,
    ctx: &Ctx<'_>,
) -> Result<RedFormRecord> {
    let form = get_form(state, c)?;
    match effective_status(&form, ctx.time_ms, form_deadline_ms(state, &form)?) {
        RedFormStatus::SellerEnteredAwaitingBuyer | RedFormStatus::BuyerEnteredAwaitingSeller => {
            Ok(form)
        }
        RedFormStatus::VoidExpired => Err(Error::reject(
            Code::FormExpired,
            "form",
            "the form was not confirmed within 72 hours and is void",
        )),
        other => Err(Error::reject(Code::FormClosed, "form", format!("the form is {other}"))),
    }
}

fn close(
    state: &mut (impl StateAccess + ?Sized),
    form: &RedFormRecord,
    id: [u8; 32],
    ctx: &Ctx<'_>,
) -> Result<()> {
    let key = StateKey::from(InvoiceKey::RedTotals(form.blue_number));
    let mut red = crate::salt::red_totals(state, ctx, form.blue_number)?;
    if red.open_form == Some(id) {
        red.open_form = None;
    }
    state.put(&key, &red);
    state.put(StateKey::from(InvoiceKey::RedForm(id)), form);
    Ok(())
}

fn require_other_party(
    state: &(impl StateAccess + ?Sized),
    form: &RedFormRecord,
    ctx: &Ctx<'_>,
) -> Result<Blue> {
    let blue = load_blue(state, &form.blue_number, ctx)?;
    let ok = if form.by_seller {
        is_buyer_party(&blue, ctx)
    } else {
        is_seller_party(state, &blue, ctx)?
    };
    if !ok {
        return Err(Error::reject(
            Code::NotTheOtherParty,
            "sender",
            if form.by_seller {
                "the buyer must answer this form"
            } else {
                "the seller must answer this form"
            },
        ));
    }
    Ok(blue)
}

pub(crate) fn confirm(
    state: &mut (impl StateAccess + ?Sized),
    c: &RedFormRef,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let mut form = load_form(state, c, ctx)?;
    let blue = require_other_party(state, &form, ctx)?;
    // Re-check what stands: other red invoices may have been issued since.
    resolve_lines(&blue, &form.lines)?;
    form.status = RedFormStatus::Confirmed;
    if form.by_seller {
        // The buyer confirmed: the form stays the blue invoice's open one until the
        // seller issues its red invoice or withdraws it.
        state.put(StateKey::from(InvoiceKey::RedForm(c.form)), &form);
        return Ok(TxOutput::None);
    }
    let number = issue_red(state, blue, &form, c.salt, ctx)?;
    form.red_number = Some(number);
    close(state, &form, c.form, ctx)?;
    Ok(TxOutput::Invoice(number))
}

/// The seller issues the red invoice of a form the buyer confirmed.
pub(crate) fn issue(
    state: &mut (impl StateAccess + ?Sized),
    c: &RedFormRef,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let mut form = get_form(state, c)?;
    if !awaiting_red(&form) {
        return Err(match effective_status(&form, ctx.time_ms, form_deadline_ms(state, &form)?) {
            RedFormStatus::SellerEnteredAwaitingBuyer
            | RedFormStatus::BuyerEnteredAwaitingSeller => Error::reject(
                Code::FormNotConfirmed,
                "form",
                "the other party has not confirmed the form",
            ),
            RedFormStatus::VoidExpired => Error::reject(
                Code::FormExpired,
                "form",
                "the form was not confirmed within 72 hours and is void",
            ),
            other => Error::reject(Code::FormClosed, "form", format!("the form is {other}")),
        });
    }
    let blue = load_blue(state, &form.blue_number, ctx)?;
    if !is_seller_party(state, &blue, ctx)? {
        return Err(Error::reject(
            Code::NotTheSeller,
            "sender",
            "only an authorised issuer of the seller issues the red invoice",
        ));
    }
    resolve_lines(&blue, &form.lines)?;
    let number = issue_red(state, blue, &form, c.salt, ctx)?;
    form.red_number = Some(number);
    close(state, &form, c.form, ctx)?;
    Ok(TxOutput::Invoice(number))
}

pub(crate) fn refuse(
    state: &mut (impl StateAccess + ?Sized),
    c: &RedFormRef,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let mut form = load_form(state, c, ctx)?;
    require_other_party(state, &form, ctx)?;
    if c.reason.trim().is_empty() || c.reason.len() > 512 {
        return Err(Error::reject(Code::InvalidReason, "reason", "1-512 bytes, not blank"));
    }
    form.status = RedFormStatus::VoidRefused;
    form.refusal = c.reason.clone();
    close(state, &form, c.form, ctx)?;
    Ok(TxOutput::None)
}

pub(crate) fn withdraw(
    state: &mut (impl StateAccess + ?Sized),
    c: &RedFormRef,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let mut form = get_form(state, c)?;
    let after_confirmation = awaiting_red(&form);
    if !after_confirmation {
        if form.status == RedFormStatus::Confirmed {
            return Err(Error::reject(
                Code::RedInvoiceIssued,
                "form",
                format!(
                    "red invoice {} is issued and is never voided; correct a wrong reversal \
                     with a new blue invoice",
                    form.red_number.map(|n| n.to_string()).unwrap_or_default()
                ),
            ));
        }
        form = load_form(state, c, ctx)?;
    }
    if form.raised_by != ctx.sender {
        return Err(Error::reject(
            Code::NotTheRaiser,
            "sender",
            "only the account that raised the form may withdraw it",
        ));
    }
    form.status = if after_confirmation {
        RedFormStatus::VoidWithdrawnAfterConfirmation
    } else {
        RedFormStatus::VoidWithdrawn
    };
    close(state, &form, c.form, ctx)?;
    Ok(TxOutput::None)
}

/// Issues the red invoice of `form`; returns its number.
fn issue_red(
    state: &mut (impl StateAccess + ?Sized),
    mut blue: Blue,
    form: &RedFormRecord,
    salt: [u8; 32],
    ctx: &Ctx<'_>,
) -> Result<InvoiceNumber> {
    let seller = taxpayer::load(state, &blue.public.seller_tax_id, "blue_number")?;
    let lines: Vec<Line> = form
        .lines
        .iter()
        .map(|r| {
            let l = &blue.body.lines[r.line as usize];
            Line {
                name: l.name.clone(),
                tax_code: l.tax_code.clone(),
                spec: l.spec.clone(),
                unit: l.unit.clone(),
                quantity: None,
                unit_price: None,
                amount: r.amount,
                rate: l.rate,
                tax: r.tax,
            }
        })
        .collect();
    let total_amount = rules::sum(lines.iter().map(|l| l.amount), "total_amount")?;
    let total_tax = rules::sum(lines.iter().map(|l| l.tax), "total_tax")?;
    let total = rules::add(total_amount, total_tax, "total_with_tax")?;
    let number = allocate_number(state, &seller, CHANNEL_DIRECT, ctx)?;
    let body = InvoiceBody {
        salt,
        type_code: blue.body.type_code.clone(),
        seller_type: blue.body.seller_type,
        buyer: blue.body.buyer.clone(),
        lines,
        total_amount,
        total_tax,
        total_in_capitals: rules::capitals(total)?,
        remarks: format!("被红冲蓝字发票号码: {} 红字原因: {}", blue.public.number, form.reason),
        issuer: ctx.sender,
        red_of: Some(blue.public.number),
        industry: blue.body.industry.clone(),
    };
    let public = InvoicePublic {
        number,
        kind: blue.public.kind,
        date: rules::china_date(ctx.time_ms),
        issued_at_ms: ctx.time_ms,
        total_with_tax: total,
        seller_tax_id: blue.public.seller_tax_id,
        seller_name: blue.public.seller_name.clone(),
        status: InvoiceStatus::Issued,
        flagged: false,
        commitment: commitment(&body),
        // The red invoice copies the blue one's rates: it is computed under its rules.
        rules_version: blue.public.rules_version,
    };
    state.put(StateKey::from(InvoiceKey::Invoice(number)), &public);
    state.put(StateKey::from(InvoiceKey::InvoiceBody(number)), &body);
    let circ = crate::salt::new_circulation(state, ctx, number, blue.circ.holder)?;
    state.put(StateKey::from(InvoiceKey::InvoiceCirc(number)), &circ);
    for r in &form.lines {
        let i = r.line as usize;
        let field = |f: &str| format!("lines[{i}].{f}");
        if let Some(a) = blue.red.amounts.get_mut(i) {
            *a = rules::add(*a, r.amount, &field("amount"))?;
        }
        if let Some(t) = blue.red.taxes.get_mut(i) {
            *t = rules::add(*t, r.tax, &field("tax"))?;
        }
    }
    blue.red.red_numbers.push(number);
    state.put(StateKey::from(InvoiceKey::RedTotals(blue.public.number)), &blue.red);
    blue.circ.reversed = rules::add(blue.circ.reversed, total, "total_with_tax")?;
    if rules::add(blue.circ.reversed, blue.public.total_with_tax, "total_with_tax")? == 0 {
        blue.public.status = InvoiceStatus::Reversed;
    }
    state.put(StateKey::from(InvoiceKey::Invoice(blue.public.number)), &blue.public);
    state.put(StateKey::from(InvoiceKey::InvoiceCirc(blue.public.number)), &blue.circ);
    let month = rules::month_of(ctx.time_ms);
    add_month_totals(state, &seller.uscc, month, |m| {
        m.output_tax = rules::add(m.output_tax, total_tax, "total_tax")?;
        m.sales = rules::add(m.sales, total_amount, "total_amount")?;
        Ok(())
    })?;
    crate::summary::touch_month(state, &seller.uscc, month, ctx)?;
    if let (true, Some(buyer)) = (blue.circ.booked_at != 0, &blue.body.buyer.tax_id) {
        // Input tax booked on the blue invoice is transferred out (进项税额转出).
        add_month_totals(state, buyer, month, |m| {
            m.input_tax = rules::add(m.input_tax, total_tax, "total_tax")?;
            Ok(())
        })?;
    }
    credit::after_red(state, &seller.uscc, &number, total, blue.public.issued_at_ms, ctx)?;
    Ok(number)
}
