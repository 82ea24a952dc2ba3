//! Credit (授信额度): a monthly ceiling per taxpayer, reserved by issuance, with extra
//! credit for the current month requested by the merchant and decided by the tax
//! authority. No carry-over: a new month starts from zero use and no extra.

use crate::{
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_types::{
    CreditRecord, CreditRequestRecord, DecideCredit, GrantCredit, RequestCredit, StateKey, Uscc,
};

use rules::MAX_FEN;

/// The credit record of `uscc` rolled over to the month of `ctx`.
pub(crate) fn current(
    state: &impl StateAccess,
    uscc: &Uscc,
    ctx: &Ctx<'_>,
) -> Result<CreditRecord> {
    let month = rules::month_of(ctx.time_ms).yyyymm();
    let mut c = state.get::<CreditRecord>(&StateKey::Credit(*uscc))?.unwrap_or_default();
    if c.month != month {
        c.month = month;
        c.used = 0;
        c.extra = 0;
    }
    Ok(c)
}

/// Reserves `amount` fen of this month's credit, or refuses.
pub(crate) fn reserve(
    state: &mut impl StateAccess,
    uscc: &Uscc,
    amount: i64,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut c = current(state, uscc, ctx)?;
    let available = c.monthly_ceiling.saturating_add(c.extra).saturating_sub(c.used);
    if amount > available {
        return Err(Error::reject(
            "over_credit",
            "total_with_tax",
            format!(
                "{} exceeds the credit left this month ({}); request more credit",
                rules::yuan(amount),
                rules::yuan(available.max(0)),
            ),
        ));
    }
    c.used = rules::add(c.used, amount, "total_with_tax")?;
    state.put(&StateKey::Credit(*uscc), &c);
    Ok(())
}

fn check_amount(amount: i64, field: &str) -> Result<()> {
    if !(0..=MAX_FEN).contains(&amount) {
        return Err(Error::reject("invalid_amount", field, "between 0.00 and 9999999999999999.99"));
    }
    Ok(())
}

pub(crate) fn grant(state: &mut impl StateAccess, c: &GrantCredit, ctx: &Ctx<'_>) -> Result<()> {
    taxpayer::load(state, &c.uscc, "uscc")?;
    check_amount(c.monthly_ceiling, "monthly_ceiling")?;
    let mut credit = current(state, &c.uscc, ctx)?;
    credit.monthly_ceiling = c.monthly_ceiling;
    state.put(&StateKey::Credit(c.uscc), &credit);
    Ok(())
}

pub(crate) fn request(
    state: &mut impl StateAccess,
    c: &RequestCredit,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let t = taxpayer::load(state, &c.uscc, "uscc")?;
    taxpayer::require_issuer(&t, ctx)?;
    check_amount(c.amount, "amount")?;
    if c.amount == 0 {
        return Err(Error::reject("invalid_amount", "amount", "must be positive"));
    }
    if c.reason.trim().is_empty() || c.reason.len() > 512 {
        return Err(Error::reject("invalid_reason", "reason", "1-512 bytes, not blank"));
    }
    state.put(
        &StateKey::CreditRequest(ctx.tx_hash),
        &CreditRequestRecord {
            uscc: c.uscc,
            amount: c.amount,
            month: rules::month_of(ctx.time_ms),
            reason: c.reason.clone(),
            requested_by: ctx.sender,
            decision: 0,
            decision_reason: String::new(),
        },
    );
    Ok(())
}

pub(crate) fn decide(state: &mut impl StateAccess, c: &DecideCredit, ctx: &Ctx<'_>) -> Result<()> {
    let key = StateKey::CreditRequest(c.request);
    let mut r = state
        .get::<CreditRequestRecord>(&key)?
        .ok_or_else(|| Error::reject("unknown_request", "request", "no such credit request"))?;
    if r.decision != 0 {
        return Err(Error::reject("already_decided", "request", "the request was already decided"));
    }
    if c.approve && r.month != rules::month_of(ctx.time_ms) {
        return Err(Error::reject(
            "request_expired",
            "request",
            format!("the request was for {}; credit does not carry over", r.month),
        ));
    }
    r.decision = if c.approve { 1 } else { 2 };
    r.decision_reason = c.reason.clone();
    if c.approve {
        let mut credit = current(state, &r.uscc, ctx)?;
        credit.extra = credit.extra.saturating_add(r.amount).min(MAX_FEN);
        state.put(&StateKey::Credit(r.uscc), &credit);
    }
    state.put(&key, &r);
    Ok(())
}
