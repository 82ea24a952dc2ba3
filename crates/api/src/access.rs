//! Read access: which state records and transactions a caller may see, and which
//! reads are audited.
//!
//! Membership data is consortium-public: every participant must be able to check who
//! may sign what. A transaction record is as private as its transaction. An
//! application's records follow its own rules ([`KeyAccess`], declared beside its
//! routes: the invoice application's are in `fapiao-invoice-api`); a record no rule
//! names the parties of is the tax authority's only. Everyone else gets 404 — the same
//! answer as for a record that does not exist.
//!
//! The tax authority (its tax officers and auditors) reads private records it is not
//! a party to by oversight ([`Access::Oversight`]): each such read is recorded in the
//! [`crate::audit`] log, who, which record and when.

use crate::audit::AuditLog;
use fapiao_types::{Action, AppKey, OrgKind, OrgRecord, StateKey};
use std::sync::Arc;

/// Who is asking: the account and its organisation, if authenticated.
pub struct Viewer {
    /// The caller's account id.
    pub account: fapiao_types::AccountId,
    /// The caller's organisation.
    pub org: OrgRecord,
    /// Where this viewer's reads by oversight are recorded.
    pub audit: Arc<AuditLog>,
}

/// How a viewer may read a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// One of the record's parties (or a public record): read freely.
    Party,
    /// Not a party, but the tax authority: read, and the read is audited.
    Oversight,
    /// Not visible (answered 404).
    Denied,
}

impl Viewer {
    /// Whether the viewer belongs to a tax authority.
    pub fn is_tax_authority(&self) -> bool {
        self.org.kind == OrgKind::TaxAuthority
    }

    /// Whether the viewer's organisation is the taxpayer `uscc`.
    pub fn is_taxpayer(&self, uscc: &str) -> bool {
        self.org.tax_id.is_some_and(|t| t.as_str() == uscc)
    }

    /// [`Access::Party`] when `party`, else [`Access::Oversight`] for the tax
    /// authority, else [`Access::Denied`].
    pub fn access(&self, party: bool) -> Access {
        if party {
            Access::Party
        } else if self.is_tax_authority() {
            Access::Oversight
        } else {
            Access::Denied
        }
    }
}

/// An application's read rules for its own state keys, declared beside its routes
/// (`AppRoutes::key_access`): how `viewer` may read `key`, or `None` when `key` is not
/// one of its kinds. A key no application answers for is read by the tax authority
/// only, audited.
pub type KeyAccess = fn(&dyn crate::Reader, &AppKey, Option<&Viewer>) -> Option<Access>;

/// How `viewer` may read the record under `key`: the platform's own keys here, an
/// application's keys by the first of `apps` that answers for it.
pub fn key_access(
    ledger: &dyn crate::Reader,
    apps: &[KeyAccess],
    key: &StateKey,
    viewer: Option<&Viewer>,
) -> Access {
    match key {
        StateKey::Org(_) | StateKey::Account(_) => Access::Party,
        // A transaction record names what it created (an invoice number): it is as
        // private as the transaction itself.
        StateKey::Tx(hash) => match ledger.transaction(hash) {
            Ok(Some(found)) => {
                let sender_org =
                    ledger.account(&found.tx.tx.sender_account()).ok().flatten().map(|a| a.org);
                if may_read_action(&found.tx.tx.action, sender_org.as_deref(), viewer) {
                    Access::Party
                } else {
                    Access::Denied
                }
            }
            _ => Access::Party,
        },
        StateKey::App(k) => apps
            .iter()
            .find_map(|rules| rules(ledger, k, viewer))
            .unwrap_or_else(|| oversight_only(viewer)),
        // A kind of record this build does not know the parties of: the tax
        // authority only, audited.
        _ => oversight_only(viewer),
    }
}

/// The tax authority only, by oversight (a record no rule names the parties of).
fn oversight_only(viewer: Option<&Viewer>) -> Access {
    viewer.map_or(Access::Denied, |v| v.access(false))
}

/// Records a read by oversight of `record` (by its path); whether the read is allowed.
/// Applications use it for their own reads after deciding the access.
pub fn audited(access: Access, viewer: Option<&Viewer>, record: &dyn std::fmt::Display) -> bool {
    if let (Access::Oversight, Some(v)) = (access, viewer) {
        v.audit.record(v, &record.to_string());
    }
    access != Access::Denied
}

/// Whether `viewer` may read the record under `key` (rules as [`key_access`]); a read
/// by oversight is audited.
pub fn may_read_key(
    ledger: &dyn crate::Reader,
    apps: &[KeyAccess],
    key: &StateKey,
    viewer: Option<&Viewer>,
) -> bool {
    audited(key_access(ledger, apps, key, viewer), viewer, key)
}

/// Whether `viewer` may read a transaction carrying `action` sent by `sender`.
/// Membership transactions are public; every other action is visible to the sender's
/// organisation and the tax authority.
pub fn may_read_action(action: &Action, sender_org: Option<&str>, viewer: Option<&Viewer>) -> bool {
    if matches!(action, Action::AddAccount(_) | Action::RevokeAccount { .. }) {
        return true;
    }
    viewer.is_some_and(|v| v.is_tax_authority() || Some(v.org.id.as_str()) == sender_org)
}
