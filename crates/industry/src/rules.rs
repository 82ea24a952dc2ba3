//! The three transitions: the park operator registers an enterprise; an attester records
//! a month's figure; the same attester corrects it. A figure is written twice: in clear in
//! its private record, and as a salted commitment in the month's provable record.

use crate::{params::IndustrySecret, Code};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_industry_types::{
    commitment, salt, Attest, Correct, Correction, EnterpriseRecord, IndustryKey, Metric,
    OperatingCommit, OperatingRecord, RegisterEnterprise, MAX_CORRECTIONS, MAX_NAME_CHARS,
    MAX_REASON_CHARS, MAX_VALUE,
};
use fapiao_types::OrgKind;
use fapiao_values::{Month, Uscc};

use fapiao_app::Records;

/// The chain secret to commit under: the node's, checked against the pin in force.
///
/// # Errors
/// `industry.no_secret` when the chain pins none (every validator refuses alike);
/// [`Error::Fatal`] when it pins one and this node has no secret or another one — the
/// node must stop rather than compute another state.
pub fn chain_secret<'a>(
    state: &(impl StateAccess + ?Sized),
    ctx: &Ctx<'a>,
) -> Result<&'a [u8; 32]> {
    let (_, pin) = fapiao_app::params::at_height::<IndustrySecret>(state, ctx.height)?;
    let Some(id) = pin.id().map_err(Error::Fatal)? else {
        return Err(Error::reject(
            Code::NoSecret,
            "secret",
            "the chain pins no secret (industry/secret): attestations cannot be committed",
        ));
    };
    let Some(secret) = ctx.secret else {
        return Err(Error::Fatal(format!(
            "the chain pins secret {} (industry/secret) but this node has no chain secret \
             configured",
            fapiao_types::hex32(&id)
        )));
    };
    if fapiao_types::commit::secret_id(secret) != id {
        return Err(Error::Fatal(format!(
            "this node's chain secret is not the one the chain pins ({})",
            fapiao_types::hex32(&id)
        )));
    }
    Ok(secret)
}

/// Refuses an empty, over-long or control-character text.
fn text(s: &str, field: &str, max: usize) -> Result<()> {
    let ok = !s.trim().is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::reject(Code::BadText, field, "empty, too long or with control characters"))
    }
}

fn value(v: u64) -> Result<()> {
    if v > MAX_VALUE {
        return Err(Error::reject(Code::ValueTooLarge, "value", "at most 10^15"));
    }
    Ok(())
}

fn enterprise(state: &(impl StateAccess + ?Sized), uscc: &Uscc) -> Result<EnterpriseRecord> {
    state.get(IndustryKey::Enterprise(*uscc))?.ok_or_else(|| {
        Error::reject(Code::UnknownEnterprise, "uscc", format!("{uscc} is not registered"))
    })
}

/// Writes the commitment of `metric`'s figure `v` into the month's record.
fn commit(
    state: &mut (impl StateAccess + ?Sized),
    secret: &[u8; 32],
    uscc: &Uscc,
    month: Month,
    metric: Metric,
    v: u64,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let key = IndustryKey::OperatingCommit(*uscc, month);
    let mut record = state.get::<OperatingCommit>(&key)?.unwrap_or(OperatingCommit {
        uscc: *uscc,
        month,
        commitments: Vec::new(),
        updated_at: ctx.height,
    });
    record.set(metric, commitment(&salt(secret, uscc, metric, month), uscc, metric, month, v));
    record.updated_at = ctx.height;
    state.put(&key, &record);
    Ok(())
}

pub(crate) fn register(
    state: &mut (impl StateAccess + ?Sized),
    c: &RegisterEnterprise,
    ctx: &Ctx<'_>,
) -> Result<()> {
    if ctx.org.kind != OrgKind::Platform {
        return Err(Error::reject(
            Code::NotParkOperator,
            "sender",
            "only the park operator registers enterprises",
        ));
    }
    text(&c.name, "name", MAX_NAME_CHARS)?;
    let key = IndustryKey::Enterprise(c.uscc);
    if state.get::<EnterpriseRecord>(&key)?.is_some() {
        return Err(Error::reject(
            Code::EnterpriseExists,
            "uscc",
            format!("{} is registered", c.uscc),
        ));
    }
    state.put(
        &key,
        &EnterpriseRecord {
            name: c.name.clone(),
            registered_by: ctx.org.id.clone(),
            registered_at: ctx.height,
        },
    );
    Ok(())
}

pub(crate) fn attest(
    state: &mut (impl StateAccess + ?Sized),
    c: &Attest,
    ctx: &Ctx<'_>,
) -> Result<()> {
    value(c.value)?;
    enterprise(state, &c.uscc)?;
    if !c.metric.attested_by(ctx.org.kind) {
        return Err(Error::reject(
            Code::WrongAttester,
            "metric",
            format!("an organisation of kind {} does not attest {}", ctx.org.kind, c.metric),
        ));
    }
    if c.month >= Month::from_unix_ms(ctx.time_ms) {
        return Err(Error::reject(
            Code::MonthNotEnded,
            "month",
            format!("{} has not ended", c.month),
        ));
    }
    let key = IndustryKey::Operating(c.uscc, c.month, c.metric);
    if let Some(r) = state.get::<OperatingRecord>(&key)? {
        return Err(Error::reject(
            Code::AlreadyAttested,
            "metric",
            format!("{} of {} is attested by {}: correct it", c.metric, c.month, r.attester),
        ));
    }
    let secret = chain_secret(state, ctx)?;
    state.put(
        &key,
        &OperatingRecord {
            value: c.value,
            attester: ctx.org.id.clone(),
            account: ctx.sender,
            height: ctx.height,
            corrections: Vec::new(),
        },
    );
    commit(state, secret, &c.uscc, c.month, c.metric, c.value, ctx)
}

pub(crate) fn correct(
    state: &mut (impl StateAccess + ?Sized),
    c: &Correct,
    ctx: &Ctx<'_>,
) -> Result<()> {
    value(c.value)?;
    text(&c.reason, "reason", MAX_REASON_CHARS)?;
    let key = IndustryKey::Operating(c.uscc, c.month, c.metric);
    let Some(mut r) = state.get::<OperatingRecord>(&key)? else {
        return Err(Error::reject(
            Code::UnknownFigure,
            "metric",
            format!("no {} of {} for {}", c.metric, c.month, c.uscc),
        ));
    };
    if r.attester != ctx.org.id {
        return Err(Error::reject(
            Code::NotTheAttester,
            "sender",
            format!("{} attested this figure", r.attester),
        ));
    }
    if r.value == c.value {
        return Err(Error::reject(Code::NoChange, "value", "the figure is already that"));
    }
    if r.corrections.len() >= MAX_CORRECTIONS {
        return Err(Error::reject(Code::TooManyCorrections, "metric", "too many corrections"));
    }
    let secret = chain_secret(state, ctx)?;
    r.corrections.push(Correction {
        previous: r.value,
        reason: c.reason.clone(),
        height: ctx.height,
    });
    r.value = c.value;
    state.put(&key, &r);
    commit(state, secret, &c.uscc, c.month, c.metric, c.value, ctx)
}
