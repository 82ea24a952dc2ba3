//! Read access to the invoice application's records: which of its state keys a caller
//! may read, declared beside its routes ([`crate::ROUTES`]'s `key_access`) so the API's
//! `GET /v1/state` asks it for the invoice kinds.
//!
//! The taxpayer registry, catalogues, automatic-issuing delegations and accepted
//! platforms are consortium-public. An invoice (all three of its leaves, and what red
//! invoices reversed of it) is visible only to its seller, its buyer, its current
//! holder, its issuer, the enterprise it was submitted to, and the tax authority; a red
//! form as its blue invoice; credit, VAT figures and automatic credit adjustments only
//! to the taxpayer itself and the tax authority, and so are its committed tax summary and
//! its disclosure grants (it hands their proofs to a bank itself); an order to its merchant, claimant and
//! recorder; an application to its applicant. Credit requests, number sequences and the
//! USCC pointers of applications are the tax authority's bookkeeping. Everyone else
//! gets 404, the same answer as for a record that does not exist; the tax authority
//! reads what it is not a party to by oversight, audited ([`fapiao_api::access`]).

use fapiao_api::{
    access::{audited, Access},
    Reader,
};
use fapiao_invoice_types::{
    ApplicationRecord, Circulation, CreditAdjustmentRecord, DisclosureGrant, InvoiceBody,
    InvoiceKey, InvoicePublic, OrderRecord, RedFormRecord,
};
use fapiao_types::{AppKey, InvoiceNumber, StateKey};

pub(crate) use fapiao_api::access::Viewer;

/// How `viewer` may read invoice `number` (all three of its leaves). A missing
/// invoice is [`Access::Denied`] to everyone: it reads as 404 either way.
pub fn invoice_access(
    ledger: &dyn Reader,
    number: &InvoiceNumber,
    viewer: Option<&Viewer>,
) -> Access {
    let Some(v) = viewer else { return Access::Denied };
    let public = ledger.get::<InvoicePublic>(&InvoiceKey::Invoice(*number).into()).ok().flatten();
    let body = ledger.get::<InvoiceBody>(&InvoiceKey::InvoiceBody(*number).into()).ok().flatten();
    let circ = ledger.get::<Circulation>(&InvoiceKey::InvoiceCirc(*number).into()).ok().flatten();
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

/// How `viewer` may read the invoice application's record under `key`.
pub fn invoice_key_access(
    ledger: &dyn Reader,
    key: &InvoiceKey,
    viewer: Option<&Viewer>,
) -> Access {
    let tax_authority_only = || {
        if viewer.is_some_and(Viewer::is_tax_authority) {
            Access::Party
        } else {
            Access::Denied
        }
    };
    match key {
        InvoiceKey::Taxpayer(_)
        | InvoiceKey::CatalogueItem(..)
        | InvoiceKey::AutoIssue(_)
        | InvoiceKey::AcceptedPlatforms(_) => Access::Party,
        InvoiceKey::Invoice(n)
        | InvoiceKey::InvoiceBody(n)
        | InvoiceKey::InvoiceCirc(n)
        | InvoiceKey::RedTotals(n) => invoice_access(ledger, n, viewer),
        InvoiceKey::Credit(u)
        | InvoiceKey::CreditAuto(u)
        | InvoiceKey::MonthTotals(u, _)
        | InvoiceKey::VatReturn(u, _)
        | InvoiceKey::SummaryMonth(u, _)
        | InvoiceKey::SummaryStatus(u) => {
            viewer.map_or(Access::Denied, |v| v.access(v.is_taxpayer(u)))
        }
        // An application: the applicant's and the tax authority's; the USCC pointer is
        // the tax authority's bookkeeping.
        InvoiceKey::Application(_) => {
            let Some(v) = viewer else { return Access::Denied };
            ledger
                .get::<ApplicationRecord>(&StateKey::from(key))
                .ok()
                .flatten()
                .map_or(Access::Denied, |a| v.access(a.applicant == v.account))
        }
        InvoiceKey::ApplicationByUscc(_) => tax_authority_only(),
        // An automatic credit adjustment: the taxpayer's and the tax authority's.
        InvoiceKey::CreditAdjustment(_) => {
            let Some(v) = viewer else { return Access::Denied };
            ledger
                .get::<CreditAdjustmentRecord>(&StateKey::from(key))
                .ok()
                .flatten()
                .map_or(Access::Denied, |a| v.access(v.is_taxpayer(&a.uscc)))
        }
        // A disclosure grant: the granting taxpayer's (it hands the proof to the bank).
        InvoiceKey::Disclosure(_) => {
            let Some(v) = viewer else { return Access::Denied };
            ledger
                .get::<DisclosureGrant>(&StateKey::from(key))
                .ok()
                .flatten()
                .map_or(Access::Denied, |g| v.access(v.is_taxpayer(&g.uscc)))
        }
        // Credit requests are addressed to the tax authority, and number sequences
        // are its own bookkeeping: it is their party.
        InvoiceKey::CreditRequest(_) | InvoiceKey::InvoiceSeq(_) => tax_authority_only(),
        InvoiceKey::RedForm(_) => ledger
            .get::<RedFormRecord>(&StateKey::from(key))
            .ok()
            .flatten()
            .map_or(Access::Denied, |f| invoice_access(ledger, &f.blue_number, viewer)),
        InvoiceKey::Order(_) => {
            let Some(v) = viewer else { return Access::Denied };
            let Ok(Some(o)) = ledger.get::<OrderRecord>(&StateKey::from(key)) else {
                return Access::Denied;
            };
            v.access(
                v.is_taxpayer(&o.merchant)
                    || o.claimant == Some(v.account)
                    || o.recorded_by == v.account,
            )
        }
    }
}

/// The invoice application's `key_access` hook (declared in [`crate::ROUTES`]): how
/// `viewer` may read `key`, or `None` when it is not an invoice key (the API then
/// applies its fallback, the tax authority only).
pub fn key_access(ledger: &dyn Reader, key: &AppKey, viewer: Option<&Viewer>) -> Option<Access> {
    let key = InvoiceKey::try_from(key).ok()?;
    Some(invoice_key_access(ledger, &key, viewer))
}

/// Whether `viewer` may read invoice `number`; a read by oversight is audited (as
/// `invoice/<number>`).
pub fn may_read_invoice(
    ledger: &dyn Reader,
    number: &InvoiceNumber,
    viewer: Option<&Viewer>,
) -> bool {
    audited(invoice_access(ledger, number, viewer), viewer, &InvoiceKey::Invoice(*number))
}

/// Whether `viewer` may read the record under `key`; a read by oversight is audited.
pub fn may_read_key(ledger: &dyn Reader, key: &InvoiceKey, viewer: Option<&Viewer>) -> bool {
    audited(invoice_key_access(ledger, key, viewer), viewer, key)
}
