//! The monthly VAT return: output tax (sales, net of red invoices) − input tax
//! (booked special invoices) − credit carried in = payable; a negative result
//! carries forward. A return is on time when filed by the 15th of the next month, China
//! time ([`crate::summary::filing_deadline`]; statutory holiday extensions are not
//! modelled).

use crate::Code;
use crate::{
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_invoice_types::{FileVatReturn, InvoiceKey, MonthTotals, VatReturn};
use fapiao_types::{Month, StateKey, Uscc};

/// The VAT return of `uscc` for `month` as the chain computes it now (the
/// filed one if it was filed).
///
/// # Errors
/// State failures; `amount_out_of_range` (field `month`) if the month's totals do not
/// net within DECIMAL(18,2).
pub fn compute_vat_return(
    state: &(impl StateAccess + ?Sized),
    uscc: &Uscc,
    month: Month,
) -> Result<VatReturn> {
    if let Some(filed) =
        state.get::<VatReturn>(&StateKey::from(InvoiceKey::VatReturn(*uscc, month)))?
    {
        return Ok(filed);
    }
    let totals = state
        .get::<MonthTotals>(&StateKey::from(InvoiceKey::MonthTotals(*uscc, month)))?
        .unwrap_or_default();
    let carried_in = match month.previous() {
        Some(prev) => state
            .get::<VatReturn>(&StateKey::from(InvoiceKey::VatReturn(*uscc, prev)))?
            .map_or(0, |r| r.carry_forward),
        None => 0,
    };
    let net = rules::sub(totals.output_tax, totals.input_tax, "month")?;
    let net = rules::sub(net, carried_in, "month")?;
    Ok(VatReturn {
        uscc: *uscc,
        month,
        output_tax: totals.output_tax,
        input_tax: totals.input_tax,
        carried_in,
        payable: net.max(0),
        carry_forward: (-net).max(0),
        filed_at: 0,
        on_time: false,
    })
}

pub(crate) fn file(
    state: &mut (impl StateAccess + ?Sized),
    c: &FileVatReturn,
    ctx: &Ctx<'_>,
) -> Result<()> {
    taxpayer::require_own_org(&c.uscc, "uscc", ctx)?;
    taxpayer::load(state, &c.uscc, "uscc")?;
    let now = rules::month_of(ctx.time_ms);
    if c.month >= now {
        return Err(Error::reject(
            Code::MonthNotClosed,
            "month",
            format!("{} can be filed once it has ended (now {now})", c.month),
        ));
    }
    let key = StateKey::from(InvoiceKey::VatReturn(c.uscc, c.month));
    if state.get::<VatReturn>(&key)?.is_some() {
        return Err(Error::reject(Code::AlreadyFiled, "month", "this month was already filed"));
    }
    let mut r = compute_vat_return(state, &c.uscc, c.month)?;
    r.filed_at = ctx.height;
    r.on_time =
        rules::china_date(ctx.time_ms).yyyymmdd() <= crate::summary::filing_deadline(c.month);
    state.put(&key, &r);
    crate::summary::touch_month(state, &c.uscc, c.month, ctx)
}
