//! Disclosure grants (issue 18, ADR 0012): an enterprise authorises a bank of another
//! chain to receive chosen fields of its tax summary for a purpose until an expiry
//! (`authorise_disclosure`, tag 0x27), and may revoke it (`revoke_disclosure`, 0x28).
//!
//! The grant (`disclosure/<id>`, the id being the granting transaction's hash) is
//! provable state: the receiving chain checks it was in force at the proven header. The
//! sender is the taxpayer's own finance account, as for `file_vat_return`.

use crate::Code;
use crate::{
    rules,
    state::{Ctx, Records, StateAccess},
    taxpayer, Error, Result,
};
use fapiao_invoice_types::{
    AuthoriseDisclosure, DisclosureGrant, InvoiceKey, RevokeDisclosure, MAX_GRANT_MONTHS,
    MAX_PURPOSE_LEN,
};
use fapiao_types::{Month, StateKey};

/// The furthest a grant's expiry may lie after its block's time: 366 days, so a grant
/// lasts at most a year (a leap year included).
pub const MAX_GRANT_VALIDITY_MS: u64 = 366 * 24 * 3_600_000;

/// The longest chain id (the platform's bound on a transaction's `chain_id`).
const MAX_CHAIN_ID: usize = 64;

/// Months from `first` to `last`, both included (`last` ≥ `first`).
fn span(first: Month, last: Month) -> u32 {
    let n = |m: Month| m.year() * 12 + m.month_of_year();
    n(last) - n(first) + 1
}

pub(crate) fn authorise(
    state: &mut (impl StateAccess + ?Sized),
    c: &AuthoriseDisclosure,
    ctx: &Ctx<'_>,
) -> Result<()> {
    taxpayer::require_own_org(&c.uscc, "uscc", ctx)?;
    taxpayer::load(state, &c.uscc, "uscc")?;
    if c.chain_id.is_empty() || c.chain_id.len() > MAX_CHAIN_ID {
        return Err(Error::reject(Code::BadChainId, "chain_id", "1-64 bytes"));
    }
    if c.chain_id == ctx.chain_id {
        return Err(Error::reject(
            Code::BadChainId,
            "chain_id",
            format!("{} is this chain: a grant names the receiving chain", c.chain_id),
        ));
    }
    if !fapiao_types::valid_org_id(&c.bank) {
        return Err(Error::reject(Code::BadBank, "bank", "1-64 of [a-z0-9-]"));
    }
    if c.purpose.trim().is_empty()
        || c.purpose.len() > MAX_PURPOSE_LEN
        || c.purpose.chars().any(char::is_control)
    {
        return Err(Error::reject(
            Code::BadPurpose,
            "purpose",
            format!("1-{MAX_PURPOSE_LEN} bytes, not blank, no control characters"),
        ));
    }
    if c.fields.is_empty() || c.fields.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::reject(
            Code::BadFields,
            "fields",
            "at least one field, each once, in the order sales, vat_paid, on_time, status",
        ));
    }
    if c.first_month > c.last_month {
        return Err(Error::reject(
            Code::MonthsOutOfOrder,
            "first_month",
            format!("{} is after {}", c.first_month, c.last_month),
        ));
    }
    if span(c.first_month, c.last_month) > MAX_GRANT_MONTHS {
        return Err(Error::reject(
            Code::GrantTooLong,
            "last_month",
            format!("at most {MAX_GRANT_MONTHS} months"),
        ));
    }
    let now = rules::month_of(ctx.time_ms);
    if c.last_month >= now {
        return Err(Error::reject(
            Code::MonthNotClosed,
            "last_month",
            format!("{} has not ended (now {now})", c.last_month),
        ));
    }
    if c.expires_ms <= ctx.time_ms || c.expires_ms - ctx.time_ms > MAX_GRANT_VALIDITY_MS {
        return Err(Error::reject(
            Code::BadExpiry,
            "expires_ms",
            "after the block's time and at most 366 days ahead",
        ));
    }
    let grant = DisclosureGrant {
        id: ctx.tx_hash,
        uscc: c.uscc,
        chain_id: c.chain_id.clone(),
        bank: c.bank.clone(),
        purpose: c.purpose.clone(),
        fields: c.fields.clone(),
        first_month: c.first_month,
        last_month: c.last_month,
        expires_ms: c.expires_ms,
        granted_at: ctx.height,
        revoked_at: 0,
    };
    state.put(StateKey::from(InvoiceKey::Disclosure(grant.id)), &grant);
    Ok(())
}

pub(crate) fn revoke(
    state: &mut (impl StateAccess + ?Sized),
    c: &RevokeDisclosure,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let key = StateKey::from(InvoiceKey::Disclosure(c.id));
    let mut grant = state.get::<DisclosureGrant>(&key)?.ok_or_else(|| {
        Error::reject(Code::UnknownGrant, "id", "no disclosure grant has that id")
    })?;
    if ctx.org.tax_id != Some(grant.uscc) {
        return Err(Error::reject(
            Code::NotYourGrant,
            "id",
            format!("the grant is not the sender's organisation {}'s", ctx.org.id),
        ));
    }
    if grant.revoked_at != 0 {
        return Err(Error::reject(
            Code::GrantRevoked,
            "id",
            format!("revoked at height {}", grant.revoked_at),
        ));
    }
    grant.revoked_at = ctx.height;
    state.put(&key, &grant);
    Ok(())
}
