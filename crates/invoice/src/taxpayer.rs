//! Taxpayer registry: register, freeze / unfreeze / deregister, authorised issuers.

use crate::Code;
use crate::{
    rules,
    state::{Ctx, Records, StateAccess},
    Error, Result,
};
use fapiao_app::Platform;
use fapiao_invoice_types::{
    InvoiceKey, RegisterTaxpayer, SetIssuers, SetTaxpayerStatus, TaxpayerRecord, TaxpayerStatus,
};
use fapiao_types::{AccountId, AccountRecord, OrgRecord, Role, StateKey, Uscc};

/// Longest name, in bytes.
pub(crate) const MAX_NAME: usize = 128;

pub(crate) fn load(
    state: &(impl StateAccess + ?Sized),
    uscc: &Uscc,
    field: &str,
) -> Result<TaxpayerRecord> {
    state.get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(*uscc)))?.ok_or_else(|| {
        Error::reject(Code::UnknownTaxpayer, field, format!("no taxpayer {uscc} is registered"))
    })
}

pub(crate) fn check_name(name: &str, field: &str) -> Result<()> {
    if name.trim().is_empty() || name.len() > MAX_NAME {
        return Err(Error::reject(Code::InvalidName, field, "1-128 bytes, not blank"));
    }
    Ok(())
}

/// Checks a taxpayer's issuers: at most 64 distinct, active `merchant.issuer`
/// accounts of the taxpayer's own organisation (the one whose `tax_id` is `uscc`) —
/// nobody issues in another taxpayer's name.
fn check_issuers(
    state: &(impl StateAccess + ?Sized),
    uscc: &Uscc,
    issuers: &[AccountId],
) -> Result<()> {
    if issuers.len() > 64 {
        return Err(Error::reject(Code::TooManyIssuers, "issuers", "at most 64 issuing accounts"));
    }
    for (i, id) in issuers.iter().enumerate() {
        let field = format!("issuers[{i}]");
        match state.get::<AccountRecord>(&StateKey::Account(*id))? {
            None => {
                return Err(Error::reject(
                    Platform::UnknownAccount,
                    field,
                    format!("no account {id}"),
                ))
            }
            Some(a) if a.revoked_at.is_some() => {
                return Err(Error::reject(
                    Platform::RevokedAccount,
                    field,
                    format!("{id} is revoked"),
                ))
            }
            Some(a) if !a.has_role(Role::MerchantIssuer) => {
                return Err(Error::reject(
                    Platform::MissingRole,
                    field,
                    format!("{id} does not hold merchant.issuer"),
                ))
            }
            Some(a) => {
                let org = state.get::<OrgRecord>(&StateKey::Org(a.org.clone()))?;
                if org.is_none_or(|o| o.tax_id != Some(*uscc)) {
                    return Err(Error::reject(
                        Code::IssuerNotInOrg,
                        field,
                        format!("{id} belongs to organisation {}, not to the taxpayer", a.org),
                    ));
                }
            }
        }
        if issuers[..i].contains(id) {
            return Err(Error::reject(
                Code::DuplicateIssuer,
                field,
                format!("{id} is listed twice"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn register(
    state: &mut (impl StateAccess + ?Sized),
    c: &RegisterTaxpayer,
    ctx: &Ctx<'_>,
) -> Result<()> {
    check_name(&c.name, "name")?;
    rules::check_region(state, ctx.time_ms, &c.region, "region")?;
    let key = StateKey::from(InvoiceKey::Taxpayer(c.uscc));
    if state.get::<TaxpayerRecord>(&key)?.is_some() {
        return Err(Error::reject(
            Code::TaxpayerExists,
            "uscc",
            format!("{} is already registered", c.uscc),
        ));
    }
    check_issuers(state, &c.uscc, &c.issuers)?;
    state.put(
        &key,
        &TaxpayerRecord {
            uscc: c.uscc,
            name: c.name.trim().to_string(),
            region: c.region,
            seller_type: c.seller_type,
            status: TaxpayerStatus::Active,
            issuers: c.issuers.clone(),
            registered_at: ctx.height,
        },
    );
    crate::summary::touch_status(state, &c.uscc, TaxpayerStatus::Active, ctx)
}

pub(crate) fn set_status(
    state: &mut (impl StateAccess + ?Sized),
    c: &SetTaxpayerStatus,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut t = load(state, &c.uscc, "uscc")?;
    if c.reason.trim().is_empty() || c.reason.len() > 512 {
        return Err(Error::reject(Code::InvalidReason, "reason", "1-512 bytes, not blank"));
    }
    if t.status == TaxpayerStatus::Deregistered {
        return Err(Error::reject(
            Code::TaxpayerDeregistered,
            "uscc",
            "a deregistered taxpayer cannot change status",
        ));
    }
    if t.status == c.status {
        return Err(Error::reject(
            Code::StatusUnchanged,
            "status",
            format!("{} is already {}", c.uscc, c.status),
        ));
    }
    t.status = c.status;
    state.put(StateKey::from(InvoiceKey::Taxpayer(c.uscc)), &t);
    crate::summary::touch_status(state, &c.uscc, c.status, ctx)
}

pub(crate) fn set_issuers(
    state: &mut (impl StateAccess + ?Sized),
    c: &SetIssuers,
    _ctx: &Ctx<'_>,
) -> Result<()> {
    let mut t = load(state, &c.uscc, "uscc")?;
    check_issuers(state, &c.uscc, &c.issuers)?;
    t.issuers = c.issuers.clone();
    state.put(StateKey::from(InvoiceKey::Taxpayer(c.uscc)), &t);
    Ok(())
}

/// The sender must be one of the taxpayer's authorised issuers.
pub(crate) fn require_issuer(t: &TaxpayerRecord, ctx: &Ctx<'_>) -> Result<()> {
    if !t.issuers.contains(&ctx.sender) {
        return Err(Error::reject(
            Code::NotAnIssuer,
            "sender",
            format!("account {} is not authorised to issue for {}", ctx.sender, t.uscc),
        ));
    }
    Ok(())
}

/// The sender's organisation must be the taxpayer `uscc` (its `tax_id`).
pub(crate) fn require_own_org(uscc: &Uscc, field: &str, ctx: &Ctx<'_>) -> Result<()> {
    if ctx.org.tax_id != Some(*uscc) {
        return Err(Error::reject(
            Code::NotYourTaxpayer,
            field,
            format!("the sender's organisation {} is not taxpayer {uscc}", ctx.org.id),
        ));
    }
    Ok(())
}
