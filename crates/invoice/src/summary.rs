//! The tax summary maintained in execution (issue 18, ADR 0012): whenever an invoice, a
//! red invoice or a filing changes a month of a taxpayer, its `tax-summary/<uscc>/<yyyymm>`
//! record is rewritten with fresh salted commitments (sales, VAT paid, filed on time);
//! whenever a taxpayer is registered or its status changes, its `tax-status/<uscc>`.
//!
//! Nothing is written while the parameter `invoice/tax-summary` is disabled (its
//! default). When it is enabled it pins the id of the chain secret
//! ([`fapiao_types::commit::secret_id`]); a node whose configuration lacks that secret, or
//! holds another, cannot compute the commitments the other validators compute, so
//! execution stops with [`Error::Fatal`] (the node halts rather than fork). Work is one
//! record per touched month or status.

use crate::{
    state::{Ctx, Records, StateAccess},
    Error, Result,
};
use fapiao_app::{Param, Timing};
use fapiao_invoice_types::{
    InvoiceKey, MonthTotals, SummaryField, SummaryMonth, SummaryStatus, SummaryValue,
    TaxpayerStatus, VatReturn,
};
use fapiao_types::{Month, StateKey, Uscc};
use serde::{Deserialize, Serialize};

/// Whether the chain keeps the tax summary, and which chain secret it is computed with
/// *(chain mechanics)*.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxSummary {
    /// Whether execution maintains the committed summary records.
    pub enabled: bool,
    /// When enabled: the hex id of the chain secret (`secret_id`, 64 lower-case hex
    /// digits) every validator must hold; empty when disabled.
    pub secret_id: String,
}

impl Param for TaxSummary {
    const ID: &'static str = "invoice/tax-summary";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "whether execution keeps the salted tax summary (issue 18) \
        and the id of the chain secret, held in every validator's configuration, that its \
        salts derive from";

    fn check(&self) -> core::result::Result<(), String> {
        let hex = self.secret_id.len() == 64
            && self.secret_id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        match (self.enabled, self.secret_id.is_empty()) {
            (true, _) if !hex => Err("secret_id must be 64 lower-case hex digits".into()),
            (false, false) => Err("secret_id must be empty while disabled".into()),
            _ => Ok(()),
        }
    }
}

/// The secret id `invoice/tax-summary` pins at `height`, when enabled.
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read.
pub fn pinned_secret_id(
    state: &(impl StateAccess + ?Sized),
    height: u64,
) -> Result<Option<String>> {
    let (_, p) = fapiao_app::params::at_height::<TaxSummary>(state, height)?;
    Ok(p.enabled.then_some(p.secret_id))
}

/// Every secret id a node starting at `height` will need: the one pinned by the version
/// in force and by every version scheduled after it (a node refuses to start without
/// them, rather than halt later).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read or a version does not decode.
pub fn required_secret_ids(
    state: &(impl StateAccess + ?Sized),
    height: u64,
) -> Result<Vec<String>> {
    let schedule = fapiao_app::params::schedule(state, TaxSummary::ID)?;
    let current = schedule.at_height(height).map(|v| v.version);
    let mut ids = Vec::new();
    for v in &schedule.versions {
        let later = matches!(v.effective, fapiao_types::Effective::AtHeight(h) if h > height);
        if Some(v.version) == current || later {
            let p = fapiao_app::params::decode::<TaxSummary>(v)?;
            if p.enabled && !ids.contains(&p.secret_id) {
                ids.push(p.secret_id);
            }
        }
    }
    Ok(ids)
}

/// The chain secret to commit with, or `None` while the summary is disabled.
///
/// # Errors
/// [`Error::Fatal`] when it is enabled and the node has no secret or another one.
pub(crate) fn secret<'a>(
    state: &(impl StateAccess + ?Sized),
    ctx: &Ctx<'a>,
) -> Result<Option<&'a [u8; 32]>> {
    let Some(pinned) = pinned_secret_id(state, ctx.height)? else {
        return Ok(None);
    };
    match ctx.secret {
        None => Err(Error::Fatal(format!(
            "{} is enabled (secret {pinned}) but this node has no chain secret: put it in \
             <secrets_dir>/chain-secret",
            TaxSummary::ID
        ))),
        Some(s) if fapiao_types::hex32(&fapiao_types::commit::secret_id(s)) != pinned => {
            Err(Error::Fatal(format!(
                "{} pins secret {pinned}, but this node's chain secret has another id",
                TaxSummary::ID
            )))
        }
        Some(s) => Ok(Some(s)),
    }
}

/// The clear values of `uscc`'s month: sales (from the month totals), VAT paid (the filed
/// return's payable, 0 until filed) and whether it was filed on time (`false` until
/// filed).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read.
pub fn month_values(
    state: &(impl StateAccess + ?Sized),
    uscc: &Uscc,
    month: Month,
) -> Result<[(SummaryField, SummaryValue); 3]> {
    let totals = state
        .get::<MonthTotals>(&StateKey::from(InvoiceKey::MonthTotals(*uscc, month)))?
        .unwrap_or_default();
    let filed = state.get::<VatReturn>(&StateKey::from(InvoiceKey::VatReturn(*uscc, month)))?;
    let (paid, on_time) = filed.map_or((0, false), |r| (r.payable, r.on_time));
    Ok([
        (SummaryField::Sales, SummaryValue::Fen(totals.sales)),
        (SummaryField::VatPaid, SummaryValue::Fen(paid)),
        (SummaryField::OnTime, SummaryValue::Flag(on_time)),
    ])
}

/// Rewrites `uscc`'s summary of `month` from its totals and return (when enabled).
///
/// # Errors
/// [`Error::Fatal`] (see [`secret`]) or when the state cannot be read.
pub(crate) fn touch_month(
    state: &mut (impl StateAccess + ?Sized),
    uscc: &Uscc,
    month: Month,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let Some(secret) = secret(state, ctx)? else {
        return Ok(());
    };
    let [(_, sales), (_, paid), (_, on_time)] = month_values(state, uscc, month)?;
    let record =
        SummaryMonth::committed(secret, uscc, month, [&sales, &paid, &on_time], ctx.height);
    state.put(StateKey::from(InvoiceKey::SummaryMonth(*uscc, month)), &record);
    Ok(())
}

/// Rewrites `uscc`'s committed status (when enabled).
///
/// # Errors
/// [`Error::Fatal`] (see [`secret`]).
pub(crate) fn touch_status(
    state: &mut (impl StateAccess + ?Sized),
    uscc: &Uscc,
    status: TaxpayerStatus,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let Some(secret) = secret(state, ctx)? else {
        return Ok(());
    };
    let record = SummaryStatus::committed(secret, uscc, status, ctx.height);
    state.put(StateKey::from(InvoiceKey::SummaryStatus(*uscc)), &record);
    Ok(())
}

/// The last day a return for `month` is on time: the 15th of the next month
/// (`yyyymmdd`, China time). Statutory holiday extensions are not modelled.
pub fn filing_deadline(month: Month) -> u32 {
    let (y, m) = (month.year(), month.month_of_year());
    let next = if m == 12 { (y + 1) * 100 + 1 } else { y * 100 + m + 1 };
    next * 100 + 15
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_is_the_fifteenth_of_the_next_month() {
        assert_eq!(filing_deadline(Month::from_yyyymm(202610).unwrap()), 20261115);
        assert_eq!(filing_deadline(Month::from_yyyymm(202612).unwrap()), 20270115);
    }

    #[test]
    fn the_parameter_is_checked() {
        let ok = TaxSummary { enabled: true, secret_id: "ab".repeat(32) };
        assert!(ok.check().is_ok());
        assert!(TaxSummary::default().check().is_ok());
        assert!(TaxSummary { enabled: true, secret_id: String::new() }.check().is_err());
        assert!(TaxSummary { enabled: true, secret_id: "AB".repeat(32) }.check().is_err());
        assert!(TaxSummary { enabled: false, secret_id: "ab".repeat(32) }.check().is_err());
    }
}
