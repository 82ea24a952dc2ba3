//! Keys and catalogues: a department registers (rotates) its key and publishes its
//! catalogue; a person registers (rotates) theirs with a resident-ID commitment.

use crate::{
    state::{self, Records},
    Code, ExchangeLimits,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_exchange_types::{
    CatalogueItem, EnvelopeSuite, ExchangeKey, KeyBytes, KeyRecord, PersonRecord, PublishCatalogue,
    RegisterKey, RegisterPerson,
};

fn check_key(suite: EnvelopeSuite, key: &KeyBytes) -> Result<()> {
    if suite.public_key_ok(&key.0) {
        Ok(())
    } else {
        Err(Error::reject(
            Code::BadKey,
            "public_key",
            format!("not a {suite} public key ({} bytes)", key.0.len()),
        ))
    }
}

/// `exchange_register_key`: the department's next key epoch; returns it.
pub(crate) fn register_key(
    state: &mut (impl StateAccess + ?Sized),
    c: &RegisterKey,
    ctx: &Ctx<'_>,
) -> Result<u32> {
    check_key(c.suite, &c.public_key)?;
    let org = ctx.org.id.clone();
    let mut dept = state::department(state, &org)?;
    dept.key_epoch = dept
        .key_epoch
        .checked_add(1)
        .ok_or_else(|| Error::reject(Code::BadCount, "public_key", "no key epoch left"))?;
    let record = KeyRecord {
        suite: c.suite,
        public_key: c.public_key.clone(),
        registered_by: ctx.sender,
        registered_ms: ctx.time_ms,
    };
    state.put(ExchangeKey::Key(org.clone(), dept.key_epoch), &record);
    state.put(ExchangeKey::Department(org), &dept);
    Ok(dept.key_epoch)
}

/// `exchange_register_person`: the person's next key epoch; returns it.
pub(crate) fn register_person(
    state: &mut (impl StateAccess + ?Sized),
    c: &RegisterPerson,
    ctx: &Ctx<'_>,
) -> Result<u32> {
    check_key(c.suite, &c.public_key)?;
    let person = match state.get::<PersonRecord>(&ExchangeKey::Person(ctx.sender))? {
        Some(p) if p.resident_commitment != c.resident_commitment => {
            return Err(Error::reject(
                Code::CommitmentChanged,
                "resident_commitment",
                "a rotation keeps the resident-ID commitment of the first registration",
            ));
        }
        Some(mut p) => {
            p.key_epoch = p
                .key_epoch
                .checked_add(1)
                .ok_or_else(|| Error::reject(Code::BadCount, "public_key", "no key epoch left"))?;
            p
        }
        None => PersonRecord {
            key_epoch: 1,
            resident_commitment: c.resident_commitment,
            registered_ms: ctx.time_ms,
        },
    };
    let record = KeyRecord {
        suite: c.suite,
        public_key: c.public_key.clone(),
        registered_by: ctx.sender,
        registered_ms: ctx.time_ms,
    };
    state.put(ExchangeKey::PersonKey(ctx.sender, person.key_epoch), &record);
    state.put(ExchangeKey::Person(ctx.sender), &person);
    Ok(person.key_epoch)
}

/// `exchange_publish_catalogue`: upserts and withdrawals, in order.
pub(crate) fn publish(
    state: &mut (impl StateAccess + ?Sized),
    c: &PublishCatalogue,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<()> {
    state::count(c.changes.len(), "changes", true, limits.max_list)?;
    let org = ctx.org.id.clone();
    let mut dept = state::department(state, &org)?;
    for (i, change) in c.changes.iter().enumerate() {
        let at = format!("changes[{i}]");
        let key = ExchangeKey::Item(org.clone(), change.item.clone());
        let old: Option<CatalogueItem> = state.get(&key)?;
        let version = old.as_ref().map_or(0, |o| o.version).saturating_add(1);
        let Some(entry) = &change.entry else {
            match old {
                None => {
                    return Err(Error::reject(
                        Code::UnknownItem,
                        format!("{at}.item"),
                        format!("{org} publishes no item {}", change.item),
                    ));
                }
                Some(o) if o.withdrawn => {
                    return Err(Error::reject(
                        Code::ItemWithdrawn,
                        format!("{at}.item"),
                        format!("{} is withdrawn already", change.item),
                    ));
                }
                Some(o) => {
                    let withdrawn =
                        CatalogueItem { withdrawn: true, version, updated_ms: ctx.time_ms, ..o };
                    state.put(&key, &withdrawn);
                }
            }
            continue;
        };
        let e = format!("{at}.entry");
        state::text(&entry.title, &format!("{e}.title"), true, state::MAX_TEXT_CHARS)?;
        state::text(&entry.legal_basis, &format!("{e}.legal_basis"), true, state::MAX_TEXT_CHARS)?;
        state::count(
            entry.answer_schema.len(),
            &format!("{e}.answer_schema"),
            true,
            limits.max_list,
        )?;
        for (j, f) in entry.answer_schema.iter().enumerate() {
            state::text(f, &format!("{e}.answer_schema[{j}]"), true, 64)?;
        }
        state::count(entry.askers.len(), &format!("{e}.askers"), true, limits.max_list)?;
        for (j, a) in entry.askers.iter().enumerate() {
            let field = format!("{e}.askers[{j}]");
            if entry.askers[..j].contains(a) {
                return Err(Error::reject(Code::Duplicate, &field, format!("{a} is listed twice")));
            }
            state::department_org(state, a, &field)?;
        }
        if old.is_none() {
            if dept.items.len() >= usize::from(limits.max_catalogue) {
                return Err(Error::reject(
                    Code::BadCount,
                    format!("{at}.item"),
                    format!("a catalogue holds at most {} items", limits.max_catalogue),
                ));
            }
            dept.items.push(change.item.clone());
        }
        let item = CatalogueItem {
            title: entry.title.clone(),
            subject_kind: entry.subject_kind,
            answer_schema: entry.answer_schema.clone(),
            askers: entry.askers.clone(),
            legal_basis: entry.legal_basis.clone(),
            consent_required: entry.consent_required,
            withdrawn: false,
            version,
            updated_ms: ctx.time_ms,
        };
        state.put(&key, &item);
    }
    state.put(ExchangeKey::Department(org), &dept);
    Ok(())
}
