//! Who may read the exchange's records through `GET /v1/state` (the application's
//! `key_access` hook), declared beside its routes.
//!
//! Keys, catalogues and the watch-key head are public (senders seal to the keys; anyone
//! may read what a department answers). Everything else is its parties' only — with no
//! oversight read, not even the tax authority's: a query and its answer are the two
//! departments'; a watch list is the intelligence departments'; a joint alert, its
//! findings and its open-alert pointer are the alert's two departments'; a consent is the
//! person's and the department it names; a declaration the person's and its tax
//! authority's (the withholding agent reads the amounts only, through
//! `/v1/exchange/withholding`); a person's registration is the person's. Everyone else
//! gets 404, as for a record that does not exist.

use crate::secrets::get;
use fapiao_api::{
    access::{Access, Viewer},
    Reader,
};
use fapiao_exchange_types::{
    AlertRecord, ConsentRecord, DeclarationRecord, ExchangeKey, IdRef, QueryRecord,
};
use fapiao_types::{AppKey, Hash32};

fn party(yes: bool) -> Access {
    if yes {
        Access::Party
    } else {
        Access::Denied
    }
}

fn query_parties(reader: &dyn Reader, id: &Hash32, v: &Viewer) -> Access {
    match get::<QueryRecord>(reader, ExchangeKey::Query(*id)) {
        Ok(Some(q)) => party(q.from == v.org.id || q.to == v.org.id),
        _ => Access::Denied,
    }
}

fn alert_parties(reader: &dyn Reader, id: &Hash32, v: &Viewer) -> Access {
    match get::<AlertRecord>(reader, ExchangeKey::Alert(*id)) {
        Ok(Some(a)) => party(a.departments.contains(&v.org.id)),
        _ => Access::Denied,
    }
}

fn consent_parties(reader: &dyn Reader, id: &Hash32, v: &Viewer) -> Access {
    match get::<ConsentRecord>(reader, ExchangeKey::Consent(*id)) {
        Ok(Some(c)) => party(c.person == v.account || c.department == v.org.id),
        _ => Access::Denied,
    }
}

/// How `viewer` may read the exchange record under `key`.
pub fn exchange_key_access(
    reader: &dyn Reader,
    key: &ExchangeKey,
    viewer: Option<&Viewer>,
) -> Access {
    use ExchangeKey as K;
    match key {
        K::Department(_)
        | K::Key(..)
        | K::PersonKey(..)
        | K::Item(..)
        | K::WatchHead
        | K::WatchKey(_) => Access::Party,
        _ => {
            let Some(v) = viewer else { return Access::Denied };
            match key {
                K::Person(p) => party(*p == v.account),
                K::Query(id) | K::Answer(id) => query_parties(reader, id, v),
                K::Watch(_) => party(crate::desk::watches(v.org.kind)),
                K::Alert(id) | K::Finding(id, _) => alert_parties(reader, id, v),
                K::OpenAlert(_, a, b) => party(*a == v.org.id || *b == v.org.id),
                K::Consent(id) => consent_parties(reader, id, v),
                K::ConsentFor(_) => match get::<IdRef>(reader, key.clone()) {
                    Ok(Some(r)) => consent_parties(reader, &r.id, v),
                    _ => Access::Denied,
                },
                K::Declaration(id) => match get::<DeclarationRecord>(reader, K::Declaration(*id)) {
                    Ok(Some(d)) => party(d.person == v.account || d.tax_authority == v.org.id),
                    _ => Access::Denied,
                },
                _ => Access::Denied,
            }
        }
    }
}

/// The application's `key_access` hook: how `viewer` may read `key`, or `None` when it
/// is not an exchange key.
pub fn key_access(reader: &dyn Reader, key: &AppKey, viewer: Option<&Viewer>) -> Option<Access> {
    let key = ExchangeKey::try_from(key).ok()?;
    Some(exchange_key_access(reader, &key, viewer))
}
