//! Read access: which state records and transactions a caller may see.
//!
//! Membership data and the taxpayer registry are consortium-public: every participant
//! must be able to check who may sign what and who is registered. An invoice (all
//! three of its leaves) is visible only to its seller, its buyer, its current holder,
//! the enterprise it was submitted to, and the tax authority; credit, VAT figures and
//! number sequences only to the taxpayer itself and the tax authority. Everyone else
//! gets 404 — the same answer as for a record that does not exist.

use fapiao_ledger::{Ledger, Store};
use fapiao_types::{Action, Circulation, InvoiceBody, InvoicePublic, OrgKind, OrgRecord, StateKey};

/// Who is asking: the account and its organisation, if authenticated.
pub struct Viewer {
    /// The caller's account id.
    pub account: fapiao_types::AccountId,
    /// The caller's organisation.
    pub org: OrgRecord,
}

impl Viewer {
    /// Whether the viewer belongs to a tax authority.
    pub fn is_tax_authority(&self) -> bool {
        self.org.kind == OrgKind::TaxAuthority
    }

    fn is_taxpayer(&self, uscc: &str) -> bool {
        !self.org.tax_id.is_empty() && self.org.tax_id == uscc
    }
}

/// Whether `viewer` is a party to invoice `number` (or the tax authority).
pub fn may_read_invoice<S: Store>(
    ledger: &Ledger<S>,
    number: &str,
    viewer: Option<&Viewer>,
) -> bool {
    let Some(v) = viewer else { return false };
    if v.is_tax_authority() {
        return true;
    }
    let public = ledger.get::<InvoicePublic>(&StateKey::Invoice(number.into())).ok().flatten();
    let body = ledger.get::<InvoiceBody>(&StateKey::InvoiceBody(number.into())).ok().flatten();
    let circ = ledger.get::<Circulation>(&StateKey::InvoiceCirc(number.into())).ok().flatten();
    let (Some(public), Some(body), Some(circ)) = (public, body, circ) else { return false };
    v.is_taxpayer(&public.seller_tax_id)
        || v.is_taxpayer(&body.buyer.tax_id)
        || circ.holder == Some(v.account)
        || body.issuer == v.account
        || (!circ.enterprise.is_empty() && v.is_taxpayer(&circ.enterprise))
}

/// Whether `viewer` may read the record under `key`.
pub fn may_read_key<S: Store>(ledger: &Ledger<S>, key: &StateKey, viewer: Option<&Viewer>) -> bool {
    match key {
        StateKey::Org(_) | StateKey::Account(_) | StateKey::Taxpayer(_) => true,
        // A transaction record names what it created (an invoice number): it is as
        // private as the transaction itself.
        StateKey::Tx(hash) => match ledger.transaction(hash) {
            Ok(Some(found)) => {
                let sender_org =
                    ledger.account(&found.tx.tx.sender_account()).ok().flatten().map(|a| a.org);
                may_read_action(&found.tx.tx.action, sender_org.as_deref(), viewer)
            }
            _ => true,
        },
        StateKey::Invoice(n) | StateKey::InvoiceBody(n) | StateKey::InvoiceCirc(n) => {
            may_read_invoice(ledger, n, viewer)
        }
        StateKey::Credit(u) | StateKey::MonthTotals(u, _) | StateKey::VatReturn(u, _) => {
            viewer.is_some_and(|v| v.is_tax_authority() || v.is_taxpayer(u))
        }
        StateKey::CreditRequest(_) | StateKey::InvoiceSeq(_) => {
            viewer.is_some_and(Viewer::is_tax_authority)
        }
        StateKey::CatalogueItem(..) | StateKey::AutoIssue(_) => true,
        StateKey::RedTotals(n) => may_read_invoice(ledger, n, viewer),
        StateKey::RedForm(id) => ledger
            .get::<fapiao_types::RedFormRecord>(&StateKey::RedForm(*id))
            .ok()
            .flatten()
            .is_some_and(|f| may_read_invoice(ledger, &f.blue_number, viewer)),
        StateKey::Order(id) => {
            let Some(v) = viewer else { return false };
            let Ok(Some(o)) = ledger.get::<fapiao_types::OrderRecord>(&StateKey::Order(*id)) else {
                return false;
            };
            v.is_tax_authority()
                || v.is_taxpayer(&o.merchant)
                || o.claimant == Some(v.account)
                || o.recorded_by == v.account
        }
        _ => viewer.is_some_and(Viewer::is_tax_authority),
    }
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
