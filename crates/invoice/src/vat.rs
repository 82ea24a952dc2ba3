//! The monthly VAT return: output tax (sales, net of red invoices) − input tax
//! (booked special invoices) − credit carried in = payable; a negative result
//! carries forward.

use crate::{
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_types::{FileVatReturn, MonthTotals, StateKey, VatReturn};

fn previous_month(month: u32) -> u32 {
    let (y, m) = (month / 100, month % 100);
    if m == 1 {
        (y - 1) * 100 + 12
    } else {
        month - 1
    }
}

/// The VAT return of `uscc` for `month` (`yyyymm`) as the chain computes it now (the
/// filed one if it was filed).
///
/// # Errors
/// Only state failures.
pub fn compute_vat_return(state: &impl StateAccess, uscc: &str, month: u32) -> Result<VatReturn> {
    if let Some(filed) = state.get::<VatReturn>(&StateKey::VatReturn(uscc.to_string(), month))? {
        return Ok(filed);
    }
    let totals = state
        .get::<MonthTotals>(&StateKey::MonthTotals(uscc.to_string(), month))?
        .unwrap_or_default();
    let carried_in = state
        .get::<VatReturn>(&StateKey::VatReturn(uscc.to_string(), previous_month(month)))?
        .map_or(0, |r| r.carry_forward);
    let net = totals.output_tax - totals.input_tax - carried_in;
    Ok(VatReturn {
        uscc: uscc.to_string(),
        month,
        output_tax: totals.output_tax,
        input_tax: totals.input_tax,
        carried_in,
        payable: net.max(0),
        carry_forward: (-net).max(0),
        filed_at: 0,
    })
}

pub(crate) fn file(state: &mut impl StateAccess, c: &FileVatReturn, ctx: &Ctx<'_>) -> Result<()> {
    taxpayer::require_own_org(&c.uscc, "uscc", ctx)?;
    taxpayer::load(state, &c.uscc, "uscc")?;
    let (m, now) = (c.month % 100, rules::month_of(ctx.time_ms));
    if !(1..=12).contains(&m) || c.month < 190_001 {
        return Err(Error::reject("invalid_month", "month", "expected yyyymm"));
    }
    if c.month >= now {
        return Err(Error::reject(
            "month_not_closed",
            "month",
            format!("{} can be filed once it has ended (now {now})", c.month),
        ));
    }
    let key = StateKey::VatReturn(c.uscc.clone(), c.month);
    if state.get::<VatReturn>(&key)?.is_some() {
        return Err(Error::reject("already_filed", "month", "this month was already filed"));
    }
    let mut r = compute_vat_return(state, &c.uscc, c.month)?;
    r.filed_at = ctx.height;
    state.put(&key, &r);
    Ok(())
}
