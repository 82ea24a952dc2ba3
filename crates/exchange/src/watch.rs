//! Watch lists and joint alerts.
//!
//! The tax authority distributes the watch key (the HMAC key of subject tags) sealed to
//! each department. A department's watch entry on a tag, and a query's subject tag, are
//! compared with the live entries of the other departments on that tag (`compare`):
//! each other department watching it makes a match of the pair (this department, that
//! one). A match of a pair with no open alert on the tag raises a joint alert, in this
//! block, with the ids [`fapiao_exchange_types::alert_id`] of the transaction in order;
//! a match of a pair whose alert is open adds a trigger to it. An alert is a case
//! ([`crate::cases`]).

use crate::{
    state::{self, Records},
    Code, ExchangeLimits,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_exchange_types::{
    alert_id, AlertRecord, CaseStatus, DistributeWatchKey, ExchangeKey, IdRef, Trigger,
    TriggerKind, Unwatch, Watch, WatchEntry, WatchHead, WatchKeyRecord, WatchList,
};
use fapiao_types::Hash32;

/// Most triggers an alert keeps (it counts all of them).
pub const MAX_TRIGGERS: usize = 32;

/// `exchange_distribute_watch_key`: the next epoch, one envelope per department.
pub(crate) fn distribute(
    state: &mut (impl StateAccess + ?Sized),
    c: &DistributeWatchKey,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<u32> {
    state::tax_authority(ctx)?;
    let head: WatchHead = state.get(&ExchangeKey::WatchHead)?.unwrap_or_default();
    if Some(c.epoch) != head.epoch.checked_add(1) {
        return Err(Error::reject(
            Code::BadEpoch,
            "epoch",
            format!("the next watch key epoch is {}", head.epoch.saturating_add(1)),
        ));
    }
    state::count(c.shares.len(), "shares", true, limits.max_list)?;
    for (i, share) in c.shares.iter().enumerate() {
        let field = format!("shares[{i}].to");
        if c.shares[..i].iter().any(|s| s.to == share.to) {
            return Err(Error::reject(Code::Duplicate, &field, format!("{} twice", share.to)));
        }
        state::department_org(state, &share.to, &field)?;
        state::sealed_to(
            state,
            &share.to,
            &share.envelope,
            limits,
            &format!("shares[{i}].envelope"),
        )?;
    }
    let record =
        WatchKeyRecord { by: ctx.org.id.clone(), shares: c.shares.clone(), time_ms: ctx.time_ms };
    state.put(ExchangeKey::WatchKey(c.epoch), &record);
    state.put(&ExchangeKey::WatchHead, &WatchHead { epoch: c.epoch });
    Ok(c.epoch)
}

/// `exchange_watch`: compares, then adds the department's entry; returns the first
/// alert the entry raised or added to.
pub(crate) fn watch(
    state: &mut (impl StateAccess + ?Sized),
    c: &Watch,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<Option<Hash32>> {
    let org = ctx.org.id.clone();
    let key = ExchangeKey::Watch(c.tag);
    let mut list: WatchList = state.get(&key)?.unwrap_or_default();
    if list.entries.iter().any(|e| e.department == org) {
        return Err(Error::reject(Code::AlreadyWatching, "tag", "already on the watch list"));
    }
    if let Some(note) = &c.note {
        state::sealed_to(state, &org, note, limits, "note")?;
    }
    let trigger = Trigger {
        kind: TriggerKind::Watch,
        department: org.clone(),
        category: Some(c.category),
        item: None,
        tx: ctx.tx_hash,
        height: ctx.height,
    };
    let touched = compare(state, &c.tag, trigger, ctx)?;
    let entry = WatchEntry {
        department: org,
        category: c.category,
        note: c.note.as_ref().map(|n| n.ciphertext_hash()),
        by: ctx.sender,
        since_ms: ctx.time_ms,
        tx: ctx.tx_hash,
    };
    let at = list.entries.partition_point(|e| e.department < entry.department);
    list.entries.insert(at, entry);
    state.put(&key, &list);
    Ok(touched.first().copied())
}

/// `exchange_unwatch`: removes the department's entry.
pub(crate) fn unwatch(
    state: &mut (impl StateAccess + ?Sized),
    c: &Unwatch,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let key = ExchangeKey::Watch(c.tag);
    let mut list: WatchList = state.get(&key)?.unwrap_or_default();
    let before = list.entries.len();
    list.entries.retain(|e| e.department != ctx.org.id);
    if list.entries.len() == before {
        return Err(Error::reject(Code::NotWatching, "tag", "not on the watch list"));
    }
    state.put(&key, &list);
    Ok(())
}

/// Compares `tag`, mentioned by `trigger.department` in this transaction, with the
/// other departments' live entries; raises or adds to one alert per matching pair.
/// Returns the alerts touched, in the watch list's (department) order.
pub(crate) fn compare(
    state: &mut (impl StateAccess + ?Sized),
    tag: &Hash32,
    trigger: Trigger,
    ctx: &Ctx<'_>,
) -> Result<Vec<Hash32>> {
    let list: WatchList = state.get(ExchangeKey::Watch(*tag))?.unwrap_or_default();
    let mut touched = Vec::new();
    let mut raised: u16 = 0;
    for entry in list.entries.iter().filter(|e| e.department != trigger.department) {
        let (a, b) = if entry.department < trigger.department {
            (entry.department.clone(), trigger.department.clone())
        } else {
            (trigger.department.clone(), entry.department.clone())
        };
        let open_key = ExchangeKey::OpenAlert(*tag, a.clone(), b.clone());
        let open = match state.get::<IdRef>(&open_key)? {
            Some(r) => {
                let alert: AlertRecord = state
                    .get(ExchangeKey::Alert(r.id))?
                    .ok_or_else(|| Error::Fatal("an open alert is missing".into()))?;
                (alert.status == CaseStatus::Open).then_some((r.id, alert))
            }
            None => None,
        };
        let id = match open {
            Some((id, mut alert)) => {
                alert.matches = alert.matches.saturating_add(1);
                if alert.triggers.len() < MAX_TRIGGERS {
                    alert.triggers.push(trigger.clone());
                }
                state.put(ExchangeKey::Alert(id), &alert);
                id
            }
            None => {
                let id = alert_id(&ctx.tx_hash, raised);
                raised = raised.saturating_add(1);
                let alert = AlertRecord {
                    tag: *tag,
                    departments: vec![a, b],
                    watcher: entry.department.clone(),
                    category: entry.category,
                    triggers: vec![trigger.clone()],
                    matches: 1,
                    raised_height: ctx.height,
                    raised_ms: ctx.time_ms,
                    status: CaseStatus::Open,
                    assignee: None,
                    findings: 0,
                    outcome: None,
                    summary: None,
                    closed_by: None,
                    closed_ms: None,
                };
                state.put(ExchangeKey::Alert(id), &alert);
                state.put(&open_key, &IdRef { id });
                id
            }
        };
        touched.push(id);
    }
    Ok(touched)
}
