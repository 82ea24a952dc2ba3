//! Credit (授信额度): a monthly ceiling per taxpayer, reserved by issuance, with extra
//! credit for the current month requested and decided by the tax authority. No
//! carry-over: a new month starts from zero use and no extra.
//!
//! A credit request is raised either by an authorised issuer of the taxpayer (the
//! merchant asks online) or by a tax officer on the taxpayer's behalf (after a review,
//! or at the counter); either way a tax officer decides it, once.
//!
//! | request state | command                          | result                    |
//! |---------------|----------------------------------|---------------------------|
//! | (none)        | request by the taxpayer's issuer | pending                   |
//! | (none)        | request by a tax officer         | pending                   |
//! | (none)        | request by anyone else           | `invoice.not_an_issuer`   |
//! | pending       | approve, same month              | approved, extra += amount |
//! | pending       | approve, a later month           | `invoice.request_expired` |
//! | pending       | decline (any month)              | declined                  |
//! | decided       | approve / decline                | `invoice.already_decided` |

//!
//! **Automatic adjustments** follow [`CreditPolicy`], read in one place
//! ([`credit_policy`]): a red invoice gives back the credit its blue invoice reserved
//! when the policy says so, and a low-risk taxpayer whose use passes a fraction of its
//! limit gets a temporary top-up. Each adjustment writes an auditable record,
//! `credit-adjustment/<tx hash>` ([`CreditAdjustmentRecord`]), and the month's counters
//! in `credit-auto/<uscc>` ([`CreditAutoRecord`]).

use crate::Code;
use crate::{
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_invoice_types::{
    CreditAdjustmentKind, CreditAdjustmentRecord, CreditAutoRecord, CreditDecision, CreditRecord,
    CreditRequestRecord, DecideCredit, GrantCredit, InvoiceKey, RequestCredit, TaxpayerStatus,
};
use fapiao_types::{InvoiceNumber, Role, StateKey, Uscc};

use rules::MAX_FEN;

/// The credit policy *(policy)*: every number of the automatic credit adjustments, in
/// one struct so that it can be fed from governed chain parameters. Percentages are
/// whole percent; amounts are computed in integer fen, rounded down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditPolicy {
    /// Whether a red invoice gives back, this month, the credit its blue invoice reserved
    /// (only for a blue invoice issued in the same month: last month's reservation is
    /// gone, there is no carry-over). Use never goes below zero.
    pub restore_on_red: bool,
    /// An automatic top-up is considered when, after an issuance, this month's use is
    /// above this percent of the month's limit (ceiling + extra).
    pub top_up_threshold_percent: u32,
    /// A top-up adds this percent of the monthly ceiling to this month's extra credit
    /// (0 turns automatic top-ups off).
    pub top_up_percent: u32,
    /// At most this many automatic top-ups per taxpayer and month.
    pub max_top_ups_per_month: u32,
    /// Low risk, first condition: registered at least this many blocks ago.
    pub low_risk_min_age_blocks: u64,
    /// Low risk, second condition: the red invoices it issued this month amount to at
    /// most this percent of what it issued this month (issue-then-reverse is a risk
    /// signal). The third condition is being `active`.
    pub low_risk_max_reversed_percent: u32,
}

impl Default for CreditPolicy {
    /// Red invoices restore credit; at 80 % use a low-risk taxpayer gets 20 % of its
    /// ceiling more, at most twice a month; low risk is active, registered at least
    /// 1,000 blocks ago and at most 10 % of the month's issuance reversed.
    fn default() -> Self {
        CreditPolicy {
            restore_on_red: true,
            top_up_threshold_percent: 80,
            top_up_percent: 20,
            max_top_ups_per_month: 2,
            low_risk_min_age_blocks: 1_000,
            low_risk_max_reversed_percent: 10,
        }
    }
}

/// The credit policy in force for the transaction of `ctx` — the one place it is read:
/// the governed tax rules (`params/invoice/tax-rules`) in force on the block's date.
///
/// # Errors
/// [`crate::Error::Fatal`] when the state cannot be read.
pub fn credit_policy(state: &(impl StateAccess + ?Sized), ctx: &Ctx<'_>) -> Result<CreditPolicy> {
    Ok(crate::params::on_date(state, rules::china_date(ctx.time_ms).yyyymmdd())?.credit)
}

/// The automatic counters of `uscc` rolled over to the month of `ctx`.
fn auto_of(
    state: &(impl StateAccess + ?Sized),
    uscc: &Uscc,
    ctx: &Ctx<'_>,
) -> Result<CreditAutoRecord> {
    let month = rules::month_of(ctx.time_ms);
    let a = state.get::<CreditAutoRecord>(&StateKey::from(InvoiceKey::CreditAuto(*uscc)))?;
    Ok(a.filter(|a| a.month == month).unwrap_or(CreditAutoRecord {
        month,
        top_ups: 0,
        topped_up: 0,
        reversed: 0,
        restored: 0,
    }))
}

/// `value × percent / 100` in fen, rounded down (no overflow: the product is computed
/// in 128 bits and the result is at most `value` for percents up to 100).
fn percent_of(value: i64, percent: u32) -> i64 {
    let p = i128::from(value) * i128::from(percent) / 100;
    i64::try_from(p).unwrap_or(MAX_FEN).min(MAX_FEN)
}

/// Writes the auditable record of one automatic adjustment.
fn record_adjustment(
    state: &mut (impl StateAccess + ?Sized),
    uscc: &Uscc,
    kind: CreditAdjustmentKind,
    amount: i64,
    credit: &CreditRecord,
    invoice: &InvoiceNumber,
    ctx: &Ctx<'_>,
) {
    state.put(
        StateKey::from(InvoiceKey::CreditAdjustment(ctx.tx_hash)),
        &CreditAdjustmentRecord {
            uscc: *uscc,
            month: credit.month,
            kind,
            amount,
            used_after: credit.used,
            limit_after: credit.monthly_ceiling.saturating_add(credit.extra).min(MAX_FEN),
            invoice: *invoice,
            height: ctx.height,
        },
    );
}

/// After `invoice` reserved credit of `uscc`: tops the month's extra credit up when the
/// policy allows it (low-risk taxpayer, use past the threshold, top-ups left).
pub(crate) fn after_issue(
    state: &mut (impl StateAccess + ?Sized),
    uscc: &Uscc,
    invoice: &InvoiceNumber,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let policy = credit_policy(state, ctx)?;
    if policy.top_up_percent == 0 {
        return Ok(());
    }
    let mut c = current(state, uscc, ctx)?;
    let limit = c.monthly_ceiling.saturating_add(c.extra).min(MAX_FEN);
    // used × 100 > limit × threshold, in 128 bits.
    let past =
        i128::from(c.used) * 100 > i128::from(limit) * i128::from(policy.top_up_threshold_percent);
    if !past {
        return Ok(());
    }
    let mut auto = auto_of(state, uscc, ctx)?;
    if auto.top_ups >= policy.max_top_ups_per_month {
        return Ok(());
    }
    let t = taxpayer::load(state, uscc, "seller")?;
    let old_enough = ctx.height.saturating_sub(t.registered_at) >= policy.low_risk_min_age_blocks;
    let issued = c.used.saturating_add(auto.restored);
    let few_reversals = i128::from(auto.reversed) * 100
        <= i128::from(issued) * i128::from(policy.low_risk_max_reversed_percent);
    if t.status != TaxpayerStatus::Active || !old_enough || !few_reversals {
        return Ok(());
    }
    let amount = percent_of(c.monthly_ceiling, policy.top_up_percent);
    if amount <= 0 {
        return Ok(());
    }
    c.extra = c.extra.saturating_add(amount).min(MAX_FEN);
    auto.top_ups += 1;
    auto.topped_up = auto.topped_up.saturating_add(amount).min(MAX_FEN);
    state.put(StateKey::from(InvoiceKey::Credit(*uscc)), &c);
    state.put(StateKey::from(InvoiceKey::CreditAuto(*uscc)), &auto);
    record_adjustment(state, uscc, CreditAdjustmentKind::AutoTopUp, amount, &c, invoice, ctx);
    Ok(())
}

/// After red invoice `red_number` (total `red_total` ≤ 0 fen) reversed a blue invoice of
/// `uscc` issued at `blue_issued_at_ms`: counts the reversal and, when the policy says so
/// and the blue invoice is of this month, gives its credit back.
pub(crate) fn after_red(
    state: &mut (impl StateAccess + ?Sized),
    uscc: &Uscc,
    red_number: &InvoiceNumber,
    red_total: i64,
    blue_issued_at_ms: u64,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let policy = credit_policy(state, ctx)?;
    let magnitude = red_total.saturating_neg().clamp(0, MAX_FEN);
    let mut auto = auto_of(state, uscc, ctx)?;
    auto.reversed = auto.reversed.saturating_add(magnitude).min(MAX_FEN);
    let same_month = rules::month_of(blue_issued_at_ms) == rules::month_of(ctx.time_ms);
    if policy.restore_on_red && same_month && magnitude > 0 {
        let mut c = current(state, uscc, ctx)?;
        let amount = magnitude.min(c.used);
        if amount > 0 {
            c.used -= amount;
            auto.restored = auto.restored.saturating_add(amount).min(MAX_FEN);
            state.put(StateKey::from(InvoiceKey::Credit(*uscc)), &c);
            record_adjustment(
                state,
                uscc,
                CreditAdjustmentKind::RedRestore,
                amount,
                &c,
                red_number,
                ctx,
            );
        }
    }
    state.put(StateKey::from(InvoiceKey::CreditAuto(*uscc)), &auto);
    Ok(())
}

/// The credit record of `uscc` rolled over to the month of `ctx`.
pub(crate) fn current(
    state: &(impl StateAccess + ?Sized),
    uscc: &Uscc,
    ctx: &Ctx<'_>,
) -> Result<CreditRecord> {
    let month = rules::month_of(ctx.time_ms);
    let mut c = state
        .get::<CreditRecord>(&StateKey::from(InvoiceKey::Credit(*uscc)))?
        .unwrap_or(CreditRecord { monthly_ceiling: 0, month, used: 0, extra: 0 });
    if c.month != month {
        c.month = month;
        c.used = 0;
        c.extra = 0;
    }
    Ok(c)
}

/// Reserves `amount` fen of this month's credit, or refuses.
pub(crate) fn reserve(
    state: &mut (impl StateAccess + ?Sized),
    uscc: &Uscc,
    amount: i64,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut c = current(state, uscc, ctx)?;
    let available = c.monthly_ceiling.saturating_add(c.extra).saturating_sub(c.used);
    if amount > available {
        return Err(Error::reject(
            Code::OverCredit,
            "total_with_tax",
            format!(
                "{} exceeds the credit left this month ({}); request more credit",
                rules::yuan(amount),
                rules::yuan(available.max(0)),
            ),
        ));
    }
    c.used = rules::add(c.used, amount, "total_with_tax")?;
    state.put(StateKey::from(InvoiceKey::Credit(*uscc)), &c);
    Ok(())
}

fn check_amount(amount: i64, field: &str) -> Result<()> {
    if !(0..=MAX_FEN).contains(&amount) {
        return Err(Error::reject(
            Code::InvalidAmount,
            field,
            "between 0.00 and 9999999999999999.99",
        ));
    }
    Ok(())
}

pub(crate) fn grant(
    state: &mut (impl StateAccess + ?Sized),
    c: &GrantCredit,
    ctx: &Ctx<'_>,
) -> Result<()> {
    taxpayer::load(state, &c.uscc, "uscc")?;
    check_amount(c.monthly_ceiling, "monthly_ceiling")?;
    let mut credit = current(state, &c.uscc, ctx)?;
    credit.monthly_ceiling = c.monthly_ceiling;
    state.put(StateKey::from(InvoiceKey::Credit(c.uscc)), &credit);
    Ok(())
}

pub(crate) fn request(
    state: &mut (impl StateAccess + ?Sized),
    c: &RequestCredit,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let t = taxpayer::load(state, &c.uscc, "uscc")?;
    if !ctx.account.has_role(Role::TaxOfficer) {
        taxpayer::require_issuer(&t, ctx)?;
    }
    check_amount(c.amount, "amount")?;
    if c.amount == 0 {
        return Err(Error::reject(Code::InvalidAmount, "amount", "must be positive"));
    }
    if c.reason.trim().is_empty() || c.reason.len() > 512 {
        return Err(Error::reject(Code::InvalidReason, "reason", "1-512 bytes, not blank"));
    }
    state.put(
        StateKey::from(InvoiceKey::CreditRequest(ctx.tx_hash)),
        &CreditRequestRecord {
            uscc: c.uscc,
            amount: c.amount,
            month: rules::month_of(ctx.time_ms),
            reason: c.reason.clone(),
            requested_by: ctx.sender,
            decision: CreditDecision::Pending,
            decision_reason: String::new(),
        },
    );
    Ok(())
}

pub(crate) fn decide(
    state: &mut (impl StateAccess + ?Sized),
    c: &DecideCredit,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let key = StateKey::from(InvoiceKey::CreditRequest(c.request));
    let mut r = state
        .get::<CreditRequestRecord>(&key)?
        .ok_or_else(|| Error::reject(Code::UnknownRequest, "request", "no such credit request"))?;
    if r.decision != CreditDecision::Pending {
        return Err(Error::reject(
            Code::AlreadyDecided,
            "request",
            "the request was already decided",
        ));
    }
    if c.approve && r.month != rules::month_of(ctx.time_ms) {
        return Err(Error::reject(
            Code::RequestExpired,
            "request",
            format!("the request was for {}; credit does not carry over", r.month),
        ));
    }
    if c.reason.len() > 512 {
        return Err(Error::reject(Code::InvalidReason, "reason", "at most 512 bytes"));
    }
    r.decision = if c.approve { CreditDecision::Approved } else { CreditDecision::Declined };
    r.decision_reason = c.reason.clone();
    if c.approve {
        let mut credit = current(state, &r.uscc, ctx)?;
        credit.extra = credit.extra.saturating_add(r.amount).min(MAX_FEN);
        state.put(StateKey::from(InvoiceKey::Credit(r.uscc)), &credit);
    }
    state.put(&key, &r);
    Ok(())
}
