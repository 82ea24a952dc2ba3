//! Cases: a joint alert's two departments attach sealed findings, assign it to an
//! account of either department, and close it with an outcome. Nobody else acts on it.

use crate::{
    state::{self, Records},
    Code, ExchangeLimits,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_exchange_types::{
    AlertRecord, AssignCase, AttachFinding, CaseStatus, CloseCase, ExchangeKey, FindingRecord,
};
use fapiao_types::{Hash32, Role};

/// The open case `id`, of which the sender's organisation is a department.
fn open_case(
    state: &(impl StateAccess + ?Sized),
    id: &Hash32,
    ctx: &Ctx<'_>,
) -> Result<AlertRecord> {
    let alert: AlertRecord = state
        .get(ExchangeKey::Alert(*id))?
        .ok_or_else(|| Error::reject(Code::UnknownCase, "case", "no such case"))?;
    if !alert.departments.contains(&ctx.org.id) {
        return Err(Error::reject(
            Code::NotCaseDepartment,
            "sender",
            "only the case's departments act on it",
        ));
    }
    if alert.status == CaseStatus::Closed {
        return Err(Error::reject(Code::CaseClosed, "case", "the case is closed"));
    }
    Ok(alert)
}

/// `exchange_attach_finding`: one envelope to each department of the case.
pub(crate) fn attach(
    state: &mut (impl StateAccess + ?Sized),
    c: &AttachFinding,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<()> {
    let mut alert = open_case(state, &c.case, ctx)?;
    let mut to: Vec<&str> = c.envelopes.iter().map(|e| e.to.as_str()).collect();
    to.sort_unstable();
    let want: Vec<&str> = alert.departments.iter().map(String::as_str).collect();
    if to != want {
        return Err(Error::reject(
            Code::BadRecipients,
            "envelopes",
            format!("one envelope to each of {}", want.join(", ")),
        ));
    }
    for (i, e) in c.envelopes.iter().enumerate() {
        state::sealed_to(state, &e.to, &e.envelope, limits, &format!("envelopes[{i}].envelope"))?;
    }
    let n = alert.findings;
    alert.findings = n.saturating_add(1);
    let finding = FindingRecord {
        department: ctx.org.id.clone(),
        by: ctx.sender,
        envelopes: c.envelopes.clone(),
        time_ms: ctx.time_ms,
        tx: ctx.tx_hash,
    };
    state.put(ExchangeKey::Finding(c.case, n), &finding);
    state.put(ExchangeKey::Alert(c.case), &alert);
    Ok(())
}

/// `exchange_assign_case`: to an active exchange officer of one of its departments.
pub(crate) fn assign(
    state: &mut (impl StateAccess + ?Sized),
    c: &AssignCase,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut alert = open_case(state, &c.case, ctx)?;
    let ok = state::account(state, &c.assignee)?.is_some_and(|a| {
        a.revoked_at.is_none()
            && a.has_role(Role::ExchangeOfficer)
            && alert.departments.contains(&a.org)
    });
    if !ok {
        return Err(Error::reject(
            Code::BadAssignee,
            "assignee",
            "not an active exchange officer of the case's departments",
        ));
    }
    alert.assignee = Some(c.assignee);
    state.put(ExchangeKey::Alert(c.case), &alert);
    Ok(())
}

/// `exchange_close_case`: the outcome and the summary's hash; the pair's next match
/// raises a new alert.
pub(crate) fn close(
    state: &mut (impl StateAccess + ?Sized),
    c: &CloseCase,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut alert = open_case(state, &c.case, ctx)?;
    alert.status = CaseStatus::Closed;
    alert.outcome = Some(c.outcome);
    alert.summary = Some(c.summary);
    alert.closed_by = Some(ctx.org.id.clone());
    alert.closed_ms = Some(ctx.time_ms);
    state.put(ExchangeKey::Alert(c.case), &alert);
    Ok(())
}
