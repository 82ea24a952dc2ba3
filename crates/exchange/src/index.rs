//! The exchange's derived tables (outside the state root, rebuilt by re-execution):
//! queries out of and into each department, joint alerts per department, the
//! departments' watch lists, a person's access log and consents, and declarations per
//! withholding agent (amounts only) and per person — what the department desk, the
//! person's "my data" page, the employer and the responder list.
//!
//! Row keys: `org ‖ 00 ‖ height (u64 BE) ‖ id (32)` for a department's or an agent's
//! rows, `account (32) ‖ height (u64 BE) ‖ id (32)` for a person's, `org ‖ 00 ‖ tag (32)`
//! for a watch list; so a prefix scan lists one owner's rows in chain order. Values are
//! empty except in the access log ([`AccessLogEntry`]) and the agent's declarations
//! ([`AgentDeclaration`]).

use crate::{Error, Result};
use commonware_codec::{Encode, Read};
use fapiao_app::{IndexRead, IndexTable, IndexTxn, Scan, TxIndex};
use fapiao_exchange_types::{
    alert_id, AccessLogEntry, AgentDeclaration, AgentItem, AlertRecord, AnswerRecord,
    DeclarationRecord, ExchangeAction, ExchangeKey, QueryRecord,
};
use fapiao_types::{decode_exact, AccountId, AccountRecord, Hash32, StateKey};

const fn table(name: &'static str) -> IndexTable {
    IndexTable { app: "exchange", name }
}

/// Queries a department asked.
pub static QUERIES_OUT: IndexTable = table("exchange_queries_out");
/// Queries addressed to a department.
pub static QUERIES_IN: IndexTable = table("exchange_queries_in");
/// Joint alerts, a row for each of the two departments.
pub static ALERTS: IndexTable = table("exchange_alerts");
/// The tags a department watches now.
pub static WATCHING: IndexTable = table("exchange_watching");
/// A person's access log: every answer about them under their consent.
pub static ACCESS_LOG: IndexTable = table("exchange_access_log");
/// A person's consents.
pub static CONSENTS: IndexTable = table("exchange_consents");
/// Declarations by withholding agent, with the amounts only.
pub static DECLARATIONS: IndexTable = table("exchange_declarations");
/// Declarations by person.
pub static PERSON_DECLARATIONS: IndexTable = table("exchange_person_declarations");

/// Every table of the application.
pub static TABLES: &[&IndexTable] = &[
    &QUERIES_OUT,
    &QUERIES_IN,
    &ALERTS,
    &WATCHING,
    &ACCESS_LOG,
    &CONSENTS,
    &DECLARATIONS,
    &PERSON_DECLARATIONS,
];

/// The scan prefix of one organisation's rows.
pub fn org_prefix(org: &str) -> Vec<u8> {
    let mut k = org.as_bytes().to_vec();
    k.push(0);
    k
}

fn org_key(org: &str, height: u64, id: &Hash32) -> Vec<u8> {
    let mut k = org_prefix(org);
    k.extend_from_slice(&height.to_be_bytes());
    k.extend_from_slice(id);
    k
}

fn person_key(person: &AccountId, height: u64, id: &Hash32) -> Vec<u8> {
    let mut k = person.0.to_vec();
    k.extend_from_slice(&height.to_be_bytes());
    k.extend_from_slice(id);
    k
}

fn after<T: Read<Cfg = ()>>(t: &TxIndex<'_>, key: &StateKey) -> Result<Option<T>> {
    t.state
        .after(key)
        .map_err(Error::Fatal)?
        .map(|b| decode_exact::<T>(&b, &()))
        .transpose()
        .map_err(|e| Error::Fatal(format!("{key}: {e}")))
}

fn before_exists(t: &TxIndex<'_>, key: &StateKey) -> Result<bool> {
    t.state.before(key).map(|v| v.is_some()).map_err(Error::Fatal)
}

/// The rows of one successful transaction.
pub(crate) fn rows(t: &TxIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
    let Ok(action) = ExchangeAction::try_from(&t.tx.tx.action) else { return Ok(()) };
    let height = t.receipt.height;
    let tx = t.receipt.tx_hash;
    let sender = t.tx.tx.sender_account();
    let org = || -> Result<String> {
        let a: Option<AccountRecord> = after(t, &StateKey::Account(sender))?;
        Ok(a.map(|a| a.org).unwrap_or_default())
    };
    match action {
        ExchangeAction::Query(c) => {
            out.put(&QUERIES_OUT, org_key(&org()?, height, &tx), Vec::new());
            out.put(&QUERIES_IN, org_key(&c.to, height, &tx), Vec::new());
            alerts(t, out)?;
        }
        ExchangeAction::Watch(c) => {
            let mut k = org_prefix(&org()?);
            k.extend_from_slice(&c.tag);
            out.put(&WATCHING, k, Vec::new());
            alerts(t, out)?;
        }
        ExchangeAction::Unwatch(c) => {
            let mut k = org_prefix(&org()?);
            k.extend_from_slice(&c.tag);
            out.delete(&WATCHING, k);
        }
        ExchangeAction::Answer(c) => {
            let q: Option<QueryRecord> = after(t, &ExchangeKey::Query(c.query).into())?;
            let a: Option<AnswerRecord> = after(t, &ExchangeKey::Answer(c.query).into())?;
            if let (Some(q), Some(a)) = (q, a) {
                if let (Some(person), Some(consent)) = (q.person, a.consent) {
                    let entry = AccessLogEntry {
                        query: c.query,
                        asker: q.from,
                        answerer: q.to,
                        item: q.item,
                        purpose: q.purpose,
                        outcome: a.outcome,
                        consent,
                        time_ms: a.time_ms,
                    };
                    out.put(&ACCESS_LOG, person_key(&person, height, &tx), entry.encode().to_vec());
                }
            }
        }
        ExchangeAction::GrantConsent(_) => {
            out.put(&CONSENTS, person_key(&sender, height, &tx), Vec::new());
        }
        ExchangeAction::DeclareDeductions(_) => {
            let d: Option<DeclarationRecord> = after(t, &ExchangeKey::Declaration(tx).into())?;
            if let Some(d) = d {
                let view = AgentDeclaration {
                    declaration: tx,
                    person: d.person,
                    year: d.year,
                    items: d
                        .items
                        .iter()
                        .map(|i| AgentItem {
                            kind: i.kind,
                            months: i.months,
                            deduction: i.deduction,
                        })
                        .collect(),
                    total: d.total,
                };
                out.put(
                    &DECLARATIONS,
                    org_key(&d.withholding_agent, height, &tx),
                    view.encode().to_vec(),
                );
                out.put(&PERSON_DECLARATIONS, person_key(&d.person, height, &tx), Vec::new());
            }
        }
        _ => {}
    }
    Ok(())
}

/// Rows for the alerts the transaction raised: `alert_id(tx, 0)`, `1`, … while new.
fn alerts(t: &TxIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
    let tx = t.receipt.tx_hash;
    for n in 0..=u16::MAX {
        let id = alert_id(&tx, n);
        let key: StateKey = ExchangeKey::Alert(id).into();
        if before_exists(t, &key)? {
            break;
        }
        let Some(alert) = after::<AlertRecord>(t, &key)? else { break };
        for d in &alert.departments {
            out.put(&ALERTS, org_key(d, t.receipt.height, &id), Vec::new());
        }
    }
    Ok(())
}

fn ids(rows: fapiao_app::Rows) -> Vec<Hash32> {
    rows.into_iter()
        .filter_map(|(k, _)| k.len().checked_sub(32).and_then(|at| k[at..].try_into().ok()))
        .collect()
}

fn values<T: Read<Cfg = ()>>(rows: fapiao_app::Rows, table: &str) -> Result<Vec<T>> {
    rows.into_iter()
        .map(|(_, v)| decode_exact::<T>(&v, &()).map_err(|e| Error::Fatal(format!("{table}: {e}"))))
        .collect()
}

/// The newest `limit` queries department `org` asked, newest first.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn queries_out(r: &dyn IndexRead, org: &str, limit: usize) -> Result<Vec<Hash32>> {
    r.scan(&QUERIES_OUT, &org_prefix(org), limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}

/// The newest `limit` queries addressed to department `org`, newest first (the
/// responder reads `exchange-answer/<id>` to skip those answered).
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn queries_in(r: &dyn IndexRead, org: &str, limit: usize) -> Result<Vec<Hash32>> {
    r.scan(&QUERIES_IN, &org_prefix(org), limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}

/// Queries addressed to `org` in blocks from `from_height` on, oldest first, at most
/// `limit` (a responder catching up).
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn queries_in_since(
    r: &dyn IndexRead,
    org: &str,
    from_height: u64,
    limit: usize,
) -> Result<Vec<(u64, Hash32)>> {
    // A forward scan of the whole prefix, filtered: the index has no range scan.
    let prefix = org_prefix(org);
    let rows = r.scan(&QUERIES_IN, &prefix, usize::MAX, Scan::Forward).map_err(Error::Fatal)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, _)| {
            let rest = k.get(prefix.len()..)?;
            let height = u64::from_be_bytes(rest.get(..8)?.try_into().ok()?);
            let id: Hash32 = rest.get(8..40)?.try_into().ok()?;
            (height >= from_height).then_some((height, id))
        })
        .take(limit)
        .collect())
}

/// The newest `limit` joint alerts of department `org`, newest first.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn alerts_of(r: &dyn IndexRead, org: &str, limit: usize) -> Result<Vec<Hash32>> {
    r.scan(&ALERTS, &org_prefix(org), limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}

/// Up to `limit` tags department `org` watches now, in tag order.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn watching(r: &dyn IndexRead, org: &str, limit: usize) -> Result<Vec<Hash32>> {
    r.scan(&WATCHING, &org_prefix(org), limit, Scan::Forward).map(ids).map_err(Error::Fatal)
}

/// The newest `limit` entries of `person`'s access log, newest first.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read or a row does not decode.
pub fn access_log(
    r: &dyn IndexRead,
    person: &AccountId,
    limit: usize,
) -> Result<Vec<AccessLogEntry>> {
    let rows = r.scan(&ACCESS_LOG, &person.0, limit, Scan::Backward).map_err(Error::Fatal)?;
    values(rows, ACCESS_LOG.name)
}

/// The newest `limit` consents `person` granted, newest first (ids; revoked ones
/// too: read `exchange-consent/<id>`).
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn consents_of(r: &dyn IndexRead, person: &AccountId, limit: usize) -> Result<Vec<Hash32>> {
    r.scan(&CONSENTS, &person.0, limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}

/// The newest `limit` declarations naming `agent` as withholding agent, newest first,
/// as the agent sees them (amounts only).
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read or a row does not decode.
pub fn declarations_of_agent(
    r: &dyn IndexRead,
    agent: &str,
    limit: usize,
) -> Result<Vec<AgentDeclaration>> {
    let rows =
        r.scan(&DECLARATIONS, &org_prefix(agent), limit, Scan::Backward).map_err(Error::Fatal)?;
    values(rows, DECLARATIONS.name)
}

/// The newest `limit` declarations of `person`, newest first.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn declarations_of_person(
    r: &dyn IndexRead,
    person: &AccountId,
    limit: usize,
) -> Result<Vec<Hash32>> {
    r.scan(&PERSON_DECLARATIONS, &person.0, limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}
