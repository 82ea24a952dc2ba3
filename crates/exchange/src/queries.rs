//! Queries and answers: a department asks another under an item of its catalogue
//! (refused outside the catalogue, by a department the item does not allow, to a
//! department without a key, or sealed wrongly); the department asked answers once, and
//! for a consent item only under an unexpired, unrevoked consent of the person covering
//! (asker, item, purpose).

use crate::{
    state::{self, Records},
    watch, Code, ExchangeLimits,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_exchange_types::{
    consent_lookup, AnswerQuery, AnswerRecord, CatalogueItem, ConsentRecord, ExchangeKey, IdRef,
    Query, QueryRecord, Trigger, TriggerKind,
};
use fapiao_types::Hash32;

/// `exchange_query`: records the query (its id is the transaction's hash) and compares
/// its subject tag with the other departments' watch lists.
pub(crate) fn query(
    state: &mut (impl StateAccess + ?Sized),
    c: &Query,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<()> {
    let from = ctx.org.id.clone();
    if c.to == from {
        return Err(Error::reject(Code::CannotAskSelf, "to", "a department asks another"));
    }
    state::department_org(state, &c.to, "to")?;
    let item: CatalogueItem =
        state.get(ExchangeKey::Item(c.to.clone(), c.item.clone()))?.ok_or_else(|| {
            Error::reject(Code::UnknownItem, "item", format!("{} publishes no {}", c.to, c.item))
        })?;
    if item.withdrawn {
        return Err(Error::reject(Code::ItemWithdrawn, "item", format!("{} is withdrawn", c.item)));
    }
    if !item.askers.contains(&from) {
        return Err(Error::reject(
            Code::NotAnAsker,
            "item",
            format!("{} does not answer {from} under {}", c.to, c.item),
        ));
    }
    state::text(&c.purpose, "purpose", true, state::MAX_PURPOSE_CHARS)?;
    if item.consent_required {
        let person = c.person.ok_or_else(|| {
            Error::reject(Code::PersonRequired, "person", format!("{} needs consent", c.item))
        })?;
        state::person(state, &person, "person")?;
    } else if let Some(p) = &c.person {
        state::person(state, p, "person")?;
    }
    state::sealed_to(state, &c.to, &c.envelope, limits, "envelope")?;
    let record = QueryRecord {
        from: from.clone(),
        asker: ctx.sender,
        to: c.to.clone(),
        item: c.item.clone(),
        subject_tag: c.subject_tag,
        purpose: c.purpose.clone(),
        person: c.person,
        envelope: c.envelope.clone(),
        height: ctx.height,
        time_ms: ctx.time_ms,
        answer: None,
    };
    state.put(ExchangeKey::Query(ctx.tx_hash), &record);
    let trigger = Trigger {
        kind: TriggerKind::Query,
        department: from,
        category: None,
        item: Some(c.item.clone()),
        tx: ctx.tx_hash,
        height: ctx.height,
    };
    watch::compare(state, &c.subject_tag, trigger, ctx)?;
    Ok(())
}

/// The consent that covers `q` at the block's time.
fn covering_consent(
    state: &(impl StateAccess + ?Sized),
    q: &QueryRecord,
    ctx: &Ctx<'_>,
) -> Result<(Hash32, ConsentRecord)> {
    let none = |why: &str| Error::reject(Code::NoConsent, "query", why.to_string());
    let person = q.person.ok_or_else(|| none("the query names no person"))?;
    let lookup = consent_lookup(&person, &q.from, &q.item, &q.purpose);
    let r: IdRef = state
        .get(ExchangeKey::ConsentFor(lookup))?
        .ok_or_else(|| none("the person has given no consent for this asker, item and purpose"))?;
    let consent: ConsentRecord = state
        .get(ExchangeKey::Consent(r.id))?
        .ok_or_else(|| Error::Fatal("a consent lookup names a missing consent".into()))?;
    if consent.revoked_ms.is_some() {
        return Err(none("the person revoked the consent"));
    }
    if consent.expires_ms <= ctx.time_ms {
        return Err(none("the consent has expired"));
    }
    Ok((r.id, consent))
}

/// `exchange_answer`: the department asked answers, once.
pub(crate) fn answer(
    state: &mut (impl StateAccess + ?Sized),
    c: &AnswerQuery,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<()> {
    let key = ExchangeKey::Query(c.query);
    let mut q: QueryRecord = state
        .get(&key)?
        .ok_or_else(|| Error::reject(Code::UnknownQuery, "query", "no such query"))?;
    if q.to != ctx.org.id {
        return Err(Error::reject(
            Code::NotAddressed,
            "sender",
            format!("the query is addressed to {}", q.to),
        ));
    }
    if q.answer.is_some() {
        return Err(Error::reject(Code::AlreadyAnswered, "query", "answered already"));
    }
    let item: CatalogueItem = state
        .get(ExchangeKey::Item(q.to.clone(), q.item.clone()))?
        .ok_or_else(|| Error::Fatal(format!("the item of query {} is missing", q.item)))?;
    let consent = if item.consent_required {
        let (id, mut consent) = covering_consent(state, &q, ctx)?;
        consent.uses = consent.uses.saturating_add(1);
        state.put(ExchangeKey::Consent(id), &consent);
        Some(id)
    } else {
        None
    };
    state::sealed_to(state, &q.from, &c.envelope, limits, "envelope")?;
    let record = AnswerRecord {
        answerer: ctx.sender,
        outcome: c.outcome,
        envelope: c.envelope.clone(),
        consent,
        height: ctx.height,
        time_ms: ctx.time_ms,
        tx: ctx.tx_hash,
    };
    state.put(ExchangeKey::Answer(c.query), &record);
    q.answer = Some(ctx.tx_hash);
    state.put(&key, &q);
    Ok(())
}
