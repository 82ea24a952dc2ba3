//! Governance: proposals by organisation admins, enacted when a genesis-set threshold
//! of organisations has approved them; and the tax authority creating enterprises.
//!
//! A proposal is checked when proposed and again when the approval that reaches the
//! threshold enacts it (the state may have moved in between); an enacting approval that
//! no longer applies is refused and the proposal stays open. Parameters of chain
//! mechanics must take effect at least `governance.activation_delay` blocks after the
//! enacting block; tax rules on a date no earlier than the enacting block's (China time),
//! so no invoice already issued changes its meaning.

use crate::{
    error::Rejection,
    exec::{ExecError, TxState},
    params,
    store::ReadStore,
};
use fapiao_app::{Param, Platform, Timing, ValueCode};
use fapiao_types::{
    AccountRecord, Change, Effective, FullNodeRecord, Genesis, NewAdmin, NewOrganisation, OrgKind,
    OrgRecord, OrgStatus, ParamSchedule, ParamValue, ParamVersion, ProposalRecord, ProposalRef,
    ProposalSeq, ProposalStatus, Propose, Role, StateKey, TxOutput,
};

type R<T> = core::result::Result<T, ExecError>;

fn reject(code: Platform, field: &str, message: impl Into<String>) -> ExecError {
    ExecError::Reject(Rejection::new(code, Some(field), message))
}

/// `Propose`: records the proposal with the proposer's organisation's approval (and
/// enacts it at once when the threshold is 1). Returns the proposal id.
pub(crate) fn propose<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    sender: &AccountRecord,
    p: &Propose,
    genesis: &Genesis,
) -> R<TxOutput> {
    if p.note.len() > fapiao_types::governance::MAX_NOTE {
        return Err(reject(Platform::InvalidField, "note", "at most 512 bytes"));
    }
    check_change(state, &p.change, genesis, "change")?;
    let mut seq = state.get::<ProposalSeq>(&StateKey::ProposalSeq)?.unwrap_or_default();
    seq.last += 1;
    state.put(&StateKey::ProposalSeq, &seq);
    let mut record = ProposalRecord {
        id: seq.last,
        proposer: state.sender,
        proposer_org: sender.org.clone(),
        change: p.change.clone(),
        note: p.note.clone(),
        proposed_at: state.height,
        expires_at: state.height.saturating_add(genesis.governance.proposal_ttl),
        approvals: vec![sender.org.clone()],
        status: ProposalStatus::Open,
        decided_at: 0,
    };
    if record.approvals.len() >= genesis.governance.threshold as usize {
        enact(state, &mut record, genesis)?;
    }
    state.put(&StateKey::Proposal(record.id), &record);
    Ok(TxOutput::Proposal(record.id))
}

/// `ApproveProposal`: adds the sender's organisation's approval; the approval that
/// reaches the threshold enacts the change.
pub(crate) fn approve<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    sender: &AccountRecord,
    r: &ProposalRef,
    genesis: &Genesis,
) -> R<TxOutput> {
    let mut record = open_proposal(state, r)?;
    if record.approvals.contains(&sender.org) {
        return Err(reject(
            Platform::AlreadyApproved,
            "id",
            format!("organisation {} already approved proposal {}", sender.org, r.id),
        ));
    }
    record.approvals.push(sender.org.clone());
    if record.approvals.len() >= genesis.governance.threshold as usize {
        check_change(state, &record.change, genesis, "id")?;
        enact(state, &mut record, genesis)?;
    }
    state.put(&StateKey::Proposal(record.id), &record);
    Ok(TxOutput::None)
}

/// `WithdrawProposal`: an admin of the proposing organisation closes an open proposal.
pub(crate) fn withdraw<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    sender: &AccountRecord,
    r: &ProposalRef,
) -> R<TxOutput> {
    let mut record = open_proposal(state, r)?;
    if record.proposer_org != sender.org {
        return Err(reject(
            Platform::NotProposer,
            "id",
            format!("proposal {} was made by organisation {}", r.id, record.proposer_org),
        ));
    }
    record.status = ProposalStatus::Withdrawn;
    record.decided_at = state.height;
    state.put(&StateKey::Proposal(record.id), &record);
    Ok(TxOutput::None)
}

/// `CreateEnterprise`: the tax authority creates an enterprise organisation.
pub(crate) fn create_enterprise<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    org: &NewOrganisation,
) -> R<TxOutput> {
    if org.kind != OrgKind::Enterprise {
        return Err(reject(
            Platform::KindNotAllowed,
            "kind",
            "the tax authority creates enterprises; other organisations are added by governance",
        ));
    }
    check_new_org(state, org, "")?;
    write_org(state, org);
    Ok(TxOutput::None)
}

fn open_proposal<S: ReadStore + ?Sized>(
    state: &TxState<'_, S>,
    r: &ProposalRef,
) -> R<ProposalRecord> {
    let Some(record) = state.get::<ProposalRecord>(&StateKey::Proposal(r.id))? else {
        return Err(reject(Platform::UnknownProposal, "id", format!("no proposal {}", r.id)));
    };
    let status = record.status_at(state.height);
    if status != ProposalStatus::Open {
        return Err(reject(
            Platform::ProposalClosed,
            "id",
            format!("proposal {} is {status}", r.id),
        ));
    }
    Ok(record)
}

/// Checks that `change` applies to the current state. `at` prefixes field paths.
fn check_change<S: ReadStore + ?Sized>(
    state: &TxState<'_, S>,
    change: &Change,
    genesis: &Genesis,
    at: &str,
) -> R<()> {
    let f = |name: &str| if at == "id" { "id".to_string() } else { format!("{at}.{name}") };
    match change {
        Change::AddOrganisation(org) => {
            // On a chain with a tax authority, it creates enterprises; a chain without
            // one (the finance or industry chain of ADR 0010) adds them by governance.
            let taxed = genesis.organisations.iter().any(|o| o.kind == OrgKind::TaxAuthority);
            if org.kind == OrgKind::Enterprise && taxed {
                return Err(reject(
                    Platform::KindNotAllowed,
                    &f("kind"),
                    "enterprises are created by the tax authority (create_enterprise)",
                ));
            }
            check_new_org(state, org, at)
        }
        Change::SetOrganisationStatus { org, status } => {
            let record = existing_org(state, org, &f("org"))?;
            if record.status == OrgStatus::Removed {
                return Err(reject(Platform::NoChange, &f("status"), format!("{org} was removed")));
            }
            if record.status == *status {
                return Err(reject(Platform::NoChange, &f("status"), format!("{org} is {status}")));
            }
            Ok(())
        }
        Change::AddOrgAdmin { org, admin } => {
            let record = existing_org(state, org, &f("org"))?;
            if record.status == OrgStatus::Removed {
                return Err(reject(Platform::NoChange, &f("org"), format!("{org} was removed")));
            }
            check_admin(state, admin, &f("admin.public_key"))
        }
        Change::SetParam { param, effective, value } => {
            check_param(state, param, *effective, value, genesis, &f("param"), &f("effective"))
                .map(|_| ())
        }
        Change::AddFullNode { name, org, public_key } => {
            if name.trim().is_empty() || name.len() > fapiao_types::MAX_NAME {
                return Err(reject(Platform::InvalidField, &f("name"), "1-128 bytes, not blank"));
            }
            existing_org(state, org, &f("org"))?;
            let is_validator =
                genesis.node_keys().is_ok_and(|keys| keys.iter().any(|(k, _)| k == public_key));
            if is_validator
                || state.get::<FullNodeRecord>(&StateKey::FullNode(*public_key))?.is_some()
            {
                return Err(reject(Platform::NodeExists, &f("public_key"), "this key is listed"));
            }
            Ok(())
        }
        Change::RemoveFullNode { public_key } => {
            if state.get::<FullNodeRecord>(&StateKey::FullNode(*public_key))?.is_none() {
                return Err(reject(
                    Platform::UnknownNode,
                    &f("public_key"),
                    "no full node with this key was listed by governance",
                ));
            }
            Ok(())
        }
    }
}

fn existing_org<S: ReadStore + ?Sized>(
    state: &TxState<'_, S>,
    id: &str,
    field: &str,
) -> R<OrgRecord> {
    state
        .get::<OrgRecord>(&StateKey::Org(id.to_string()))?
        .ok_or_else(|| reject(Platform::UnknownOrg, field, format!("no organisation {id:?}")))
}

fn check_new_org<S: ReadStore + ?Sized>(
    state: &TxState<'_, S>,
    org: &NewOrganisation,
    at: &str,
) -> R<()> {
    let f = |name: &str| if at.is_empty() { name.to_string() } else { format!("{at}.{name}") };
    if !fapiao_types::valid_org_id(&org.id) {
        return Err(reject(Platform::InvalidField, &f("id"), "1-64 of [a-z0-9-]"));
    }
    if org.name.trim().is_empty() || org.name.len() > fapiao_types::MAX_NAME {
        return Err(reject(Platform::InvalidField, &f("name"), "1-128 bytes, not blank"));
    }
    if state.get::<OrgRecord>(&StateKey::Org(org.id.clone()))?.is_some() {
        return Err(reject(Platform::OrgExists, &f("id"), format!("{} exists", org.id)));
    }
    // A USCC is checked as it decodes; an enterprise must have one.
    if org.kind == OrgKind::Enterprise && org.tax_id.is_none() {
        return Err(ExecError::Reject(Rejection::new(
            ValueCode::BadUscc,
            Some(&f("tax_id")),
            format!("{}: an enterprise needs its unified social credit code", f("tax_id")),
        )));
    }
    if org.admins.is_empty() || org.admins.len() > 16 {
        return Err(reject(Platform::InvalidField, &f("admins"), "1-16 admins"));
    }
    for (i, a) in org.admins.iter().enumerate() {
        if org.admins[..i].iter().any(|b| b.public_key == a.public_key) {
            return Err(reject(Platform::InvalidField, &f("admins"), "an admin key appears twice"));
        }
        check_admin(state, a, &f(&format!("admins[{i}].public_key")))?;
    }
    Ok(())
}

fn check_admin<S: ReadStore + ?Sized>(
    state: &TxState<'_, S>,
    admin: &NewAdmin,
    field: &str,
) -> R<()> {
    if admin.name.trim().is_empty() || admin.name.len() > fapiao_types::MAX_NAME {
        return Err(reject(Platform::InvalidField, field, "the admin's name: 1-128 bytes"));
    }
    if let Err(e) = fapiao_crypto::validate_public_key(&admin.public_key) {
        return Err(reject(Platform::InvalidKey, field, format!("the admin's key: {e}")));
    }
    let id = admin.public_key.account_id();
    if state.get::<AccountRecord>(&StateKey::Account(id))?.is_some() {
        return Err(reject(Platform::AccountExists, field, format!("account {id} exists")));
    }
    Ok(())
}

/// Checks a parameter change; returns its canonical value.
fn check_param<S: ReadStore + ?Sized>(
    state: &TxState<'_, S>,
    id: &str,
    effective: Effective,
    value: &ParamValue,
    genesis: &Genesis,
    id_field: &str,
    effective_field: &str,
) -> R<String> {
    let Some(spec) = params::spec(id) else {
        return Err(reject(Platform::UnknownParam, id_field, format!("no parameter {id:?}")));
    };
    let canonical = spec
        .canonical_text(&value.0)
        .map_err(|e| reject(Platform::InvalidParam, id_field, format!("{id}: {e}")))?;
    if id == params::ChainMechanics::ID {
        let m: params::ChainMechanics = serde_json::from_str(&canonical)
            .map_err(|e| reject(Platform::InvalidParam, id_field, e.to_string()))?;
        if m.max_block_txs > genesis.consensus.max_block_txs {
            return Err(reject(
                Platform::InvalidParam,
                id_field,
                format!(
                    "max_block_txs is at most the genesis cap {}",
                    genesis.consensus.max_block_txs
                ),
            ));
        }
    }
    match (spec.timing, effective) {
        (Timing::Height, Effective::AtHeight(h)) => {
            let earliest = state.height.saturating_add(genesis.governance.activation_delay);
            if h < earliest {
                return Err(reject(
                    Platform::BadEffective,
                    effective_field,
                    format!("{id} takes effect at height {earliest} at the earliest"),
                ));
            }
        }
        (Timing::Date, Effective::OnDate(d)) => {
            let today = fapiao_types::ChinaDate::from_unix_ms(state.time_ms).yyyymmdd();
            if fapiao_types::ChinaDate::from_yyyymmdd(d).is_err() || d < today {
                return Err(reject(
                    Platform::BadEffective,
                    effective_field,
                    format!("{id} takes effect on a yyyymmdd date from {today} on"),
                ));
            }
        }
        (Timing::Height, _) => {
            return Err(reject(
                Platform::BadEffective,
                effective_field,
                "needs an activation height",
            ))
        }
        (Timing::Date, _) => {
            return Err(reject(Platform::BadEffective, effective_field, "needs an effective date"))
        }
    }
    Ok(canonical)
}

/// Applies an approved change and marks the proposal enacted.
fn enact<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    record: &mut ProposalRecord,
    genesis: &Genesis,
) -> R<()> {
    match &record.change {
        Change::AddOrganisation(org) => write_org(state, org),
        Change::SetOrganisationStatus { org, status } => {
            let mut o = existing_org(state, org, "id")?;
            o.status = *status;
            state.put(&StateKey::Org(org.clone()), &o);
        }
        Change::AddOrgAdmin { org, admin } => write_admin(state, org, admin),
        Change::SetParam { param, effective, value } => {
            let canonical = check_param(state, param, *effective, value, genesis, "id", "id")?;
            let key = params::key(param);
            let mut schedule = state.get::<ParamSchedule>(&key)?.unwrap_or_default();
            if schedule.versions.len() >= fapiao_types::governance::MAX_PARAM_VERSIONS {
                return Err(reject(Platform::InvalidParam, "id", "too many versions"));
            }
            let version = u32::try_from(schedule.versions.len()).unwrap_or(u32::MAX);
            schedule.versions.push(ParamVersion {
                version,
                effective: *effective,
                value: ParamValue(canonical),
                enacted_at: state.height,
                proposal: record.id,
            });
            state.put(&key, &schedule);
        }
        Change::AddFullNode { name, org, public_key } => {
            let node = FullNodeRecord {
                name: name.clone(),
                org: org.clone(),
                public_key: *public_key,
                added_at: state.height,
            };
            state.put(&StateKey::FullNode(*public_key), &node);
        }
        Change::RemoveFullNode { public_key } => state.delete(&StateKey::FullNode(*public_key)),
    }
    record.status = ProposalStatus::Enacted;
    record.decided_at = state.height;
    Ok(())
}

fn write_org<S: ReadStore + ?Sized>(state: &mut TxState<'_, S>, org: &NewOrganisation) {
    let record = OrgRecord {
        id: org.id.clone(),
        name: org.name.trim().to_string(),
        kind: org.kind,
        tax_id: org.tax_id,
        status: OrgStatus::Active,
    };
    state.put(&StateKey::Org(org.id.clone()), &record);
    for admin in &org.admins {
        write_admin(state, &org.id, admin);
    }
}

fn write_admin<S: ReadStore + ?Sized>(state: &mut TxState<'_, S>, org: &str, admin: &NewAdmin) {
    let record = AccountRecord {
        public_key: admin.public_key,
        org: org.to_string(),
        name: admin.name.trim().to_string(),
        roles: vec![Role::OrgAdmin],
        added_at: state.height,
        revoked_at: None,
    };
    state.put(&StateKey::Account(admin.public_key.account_id()), &record);
}
