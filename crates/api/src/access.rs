//! Read access: which state records and transactions a caller may see, and which
//! reads are audited.
//!
//! Membership data and the taxpayer registry are consortium-public: every participant
//! must be able to check who may sign what and who is registered. An invoice (all
//! three of its leaves) is visible only to its seller, its buyer, its current holder,
//! the enterprise it was submitted to, and the tax authority; credit, VAT figures and
//! number sequences only to the taxpayer itself and the tax authority. Everyone else
//! gets 404 — the same answer as for a record that does not exist.
//!
//! The tax authority (its tax officers and auditors) reads private records it is not
//! a party to by oversight ([`Access::Oversight`]): each such read is recorded in the
//! [`crate::audit`] log, who, which record and when.

use crate::audit::AuditLog;
use fapiao_invoice_types::{Circulation, InvoiceBody, InvoicePublic};
use fapiao_types::{Action, InvoiceNumber, OrgKind, OrgRecord, StateKey};
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

    fn is_taxpayer(&self, uscc: &str) -> bool {
        self.org.tax_id.is_some_and(|t| t.as_str() == uscc)
    }

    /// [`Access::Party`] when `party`, else [`Access::Oversight`] for the tax
    /// authority, else [`Access::Denied`].
    fn access(&self, party: bool) -> Access {
        if party {
            Access::Party
        } else if self.is_tax_authority() {
            Access::Oversight
        } else {
            Access::Denied
        }
    }
}

/// How `viewer` may read invoice `number` (all three of its leaves). A missing
/// invoice is [`Access::Denied`] to everyone: it reads as 404 either way.
pub fn invoice_access(
    ledger: &dyn crate::Reader,
    number: &InvoiceNumber,
    viewer: Option<&Viewer>,
) -> Access {
    let Some(v) = viewer else { return Access::Denied };
    let public = ledger.get::<InvoicePublic>(&StateKey::Invoice(*number)).ok().flatten();
    let body = ledger.get::<InvoiceBody>(&StateKey::InvoiceBody(*number)).ok().flatten();
    let circ = ledger.get::<Circulation>(&StateKey::InvoiceCirc(*number)).ok().flatten();
    let (Some(public), Some(body), Some(circ)) = (public, body, circ) else {
        return Access::Denied;
    };
    v.access(
        v.is_taxpayer(&public.seller_tax_id)
            || body.buyer.tax_id.is_some_and(|t| v.is_taxpayer(&t))
            || circ.holder == Some(v.account)
            || body.issuer == v.account
            || circ.enterprise.is_some_and(|e| v.is_taxpayer(&e)),
    )
}

/// How `viewer` may read the record under `key`.
pub fn key_access(ledger: &dyn crate::Reader, key: &StateKey, viewer: Option<&Viewer>) -> Access {
    match key {
        StateKey::Org(_) | StateKey::Account(_) | StateKey::Taxpayer(_) => Access::Party,
        StateKey::CatalogueItem(..) | StateKey::AutoIssue(_) | StateKey::AcceptedPlatforms(_) => {
            Access::Party
        }
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
        StateKey::Invoice(n)
        | StateKey::InvoiceBody(n)
        | StateKey::InvoiceCirc(n)
        | StateKey::RedTotals(n) => invoice_access(ledger, n, viewer),
        StateKey::Credit(u)
        | StateKey::CreditAuto(u)
        | StateKey::MonthTotals(u, _)
        | StateKey::VatReturn(u, _) => {
            viewer.map_or(Access::Denied, |v| v.access(v.is_taxpayer(u)))
        }
        // An application: the applicant's and the tax authority's; the USCC pointer is
        // the tax authority's bookkeeping.
        StateKey::Application(id) => {
            let Some(v) = viewer else { return Access::Denied };
            ledger
                .get::<fapiao_invoice_types::ApplicationRecord>(&StateKey::Application(*id))
                .ok()
                .flatten()
                .map_or(Access::Denied, |a| v.access(a.applicant == v.account))
        }
        StateKey::ApplicationByUscc(_) => {
            if viewer.is_some_and(Viewer::is_tax_authority) {
                Access::Party
            } else {
                Access::Denied
            }
        }
        // An automatic credit adjustment: the taxpayer's and the tax authority's.
        StateKey::CreditAdjustment(id) => {
            let Some(v) = viewer else { return Access::Denied };
            ledger
                .get::<fapiao_invoice_types::CreditAdjustmentRecord>(&StateKey::CreditAdjustment(
                    *id,
                ))
                .ok()
                .flatten()
                .map_or(Access::Denied, |a| v.access(v.is_taxpayer(&a.uscc)))
        }
        // Credit requests are addressed to the tax authority, and number sequences
        // are its own bookkeeping: it is their party.
        StateKey::CreditRequest(_) | StateKey::InvoiceSeq(_) => {
            if viewer.is_some_and(Viewer::is_tax_authority) {
                Access::Party
            } else {
                Access::Denied
            }
        }
        StateKey::RedForm(id) => ledger
            .get::<fapiao_invoice_types::RedFormRecord>(&StateKey::RedForm(*id))
            .ok()
            .flatten()
            .map_or(Access::Denied, |f| invoice_access(ledger, &f.blue_number, viewer)),
        StateKey::Order(id) => {
            let Some(v) = viewer else { return Access::Denied };
            let Ok(Some(o)) =
                ledger.get::<fapiao_invoice_types::OrderRecord>(&StateKey::Order(*id))
            else {
                return Access::Denied;
            };
            v.access(
                v.is_taxpayer(&o.merchant)
                    || o.claimant == Some(v.account)
                    || o.recorded_by == v.account,
            )
        }
        // A kind of record this build does not know the parties of: the tax
        // authority only, audited.
        _ => viewer.map_or(Access::Denied, |v| v.access(false)),
    }
}

/// Records a read by oversight; whether the read is allowed.
fn audited(access: Access, viewer: Option<&Viewer>, record: &dyn std::fmt::Display) -> bool {
    if let (Access::Oversight, Some(v)) = (access, viewer) {
        v.audit.record(v, &record.to_string());
    }
    access != Access::Denied
}

/// Whether `viewer` may read invoice `number`; a read by oversight is audited (as
/// `invoice/<number>`).
pub fn may_read_invoice(
    ledger: &dyn crate::Reader,
    number: &InvoiceNumber,
    viewer: Option<&Viewer>,
) -> bool {
    audited(invoice_access(ledger, number, viewer), viewer, &StateKey::Invoice(*number))
}

/// Whether `viewer` may read the record under `key`; a read by oversight is audited.
pub fn may_read_key(ledger: &dyn crate::Reader, key: &StateKey, viewer: Option<&Viewer>) -> bool {
    audited(key_access(ledger, key, viewer), viewer, key)
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
