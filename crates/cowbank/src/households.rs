//! The village's register of households: name, group, a commitment to the resident ID
//! (never the ID), and the status history (脱贫户 / 防止返贫监测对象) with dates.

use crate::{
    state::{household, manager_village, not_future, push, text, village, Records},
    Code,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_cowbank_types::{
    CowbankKey, HouseholdRecord, ListKind, RegisterHousehold, SetHouseholdStatus, StatusChange,
};
use fapiao_types::{AccountRecord, StateKey};

/// Most status changes kept for one household.
const MAX_STATUSES: usize = 100;

pub(crate) fn register(
    state: &mut (impl StateAccess + ?Sized),
    c: &RegisterHousehold,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    text(&c.name, "name", true)?;
    text(&c.group, "group", false)?;
    not_future(c.since, ctx, "since")?;
    let key = CowbankKey::Household(id.clone(), c.household.clone());
    if state.get::<HouseholdRecord>(&key)?.is_some() {
        return Err(Error::reject(
            Code::HouseholdExists,
            "household",
            format!("household {} exists", c.household),
        ));
    }
    if let Some(account) = c.account {
        let record = state.read(&StateKey::Account(account)).map_err(Error::Fatal)?;
        let member = record
            .and_then(|b| fapiao_types::decode_exact::<AccountRecord>(&b, &()).ok())
            .is_some_and(|a| a.org == id && a.revoked_at.is_none());
        if !member {
            return Err(Error::reject(
                Code::NotAMember,
                "account",
                "the account is not an active member of the collective",
            ));
        }
    }
    state.put(
        &key,
        &HouseholdRecord {
            name: c.name.clone(),
            resident_commitment: c.resident_commitment,
            group: c.group.clone(),
            statuses: vec![StatusChange { status: c.status, since: c.since }],
            account: c.account,
            sales: 0,
            paid: 0,
        },
    );
    let mut v = village(state, &id)?;
    push(state, &id, &mut v, ListKind::Households, c.household.to_string());
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}

pub(crate) fn set_status(
    state: &mut (impl StateAccess + ?Sized),
    c: &SetHouseholdStatus,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    not_future(c.since, ctx, "since")?;
    let mut h = household(state, &id, &c.household, "household")?;
    if h.statuses.last().is_some_and(|s| s.since > c.since) {
        return Err(Error::reject(Code::BadDate, "since", "before the current status's date"));
    }
    if h.statuses.len() >= MAX_STATUSES {
        return Err(Error::reject(Code::TooMany, "household", "too many status changes"));
    }
    h.statuses.push(StatusChange { status: c.status, since: c.since });
    state.put(CowbankKey::Household(id, c.household.clone()), &h);
    Ok(())
}
