//! Who may read the finance records through `GET /v1/state` (the application's
//! `key_access` hook) and the routes: a loan, its grant pointer, a financing and an alert
//! are their bank's; the regulator (an organisation of kind `central_bank`) reads every
//! bank's, audited — the records hold commitments, heights and amounts only. Everyone
//! else gets 404, as for a record that does not exist.

use fapiao_api::{
    access::{Access, Viewer},
    Reader,
};
use fapiao_finance_types::{FinanceAlert, FinanceKey, FinancingRecord, LoanRecord};
use fapiao_types::{AppKey, OrgKind, StateKey};

/// How `viewer` may read a record of bank `bank`.
pub fn bank_access(bank: &str, viewer: &Viewer) -> Access {
    if viewer.org.id == bank {
        Access::Party
    } else if viewer.org.kind == OrgKind::CentralBank {
        Access::Oversight
    } else {
        Access::Denied
    }
}

fn bank_of(reader: &dyn Reader, key: &FinanceKey) -> Option<String> {
    let get = |k: &FinanceKey| StateKey::from(k);
    match key {
        FinanceKey::Loan(_) => reader.get::<LoanRecord>(&get(key)).ok().flatten().map(|l| l.bank),
        FinanceKey::LoanGrant(_) => {
            let id = reader.get::<[u8; 32]>(&get(key)).ok().flatten()?;
            bank_of(reader, &FinanceKey::Loan(id))
        }
        FinanceKey::Financing(_) => {
            reader.get::<FinancingRecord>(&get(key)).ok().flatten().map(|f| f.bank)
        }
        FinanceKey::Alert(_) => {
            reader.get::<FinanceAlert>(&get(key)).ok().flatten().map(|a| a.bank)
        }
    }
}

/// The application's `key_access` hook: how `viewer` may read `key`, or `None` when it
/// is not a finance key.
pub fn key_access(reader: &dyn Reader, key: &AppKey, viewer: Option<&Viewer>) -> Option<Access> {
    let key = FinanceKey::try_from(key).ok()?;
    let Some(v) = viewer else { return Some(Access::Denied) };
    Some(match bank_of(reader, &key) {
        Some(bank) => bank_access(&bank, v),
        None => Access::Denied,
    })
}
