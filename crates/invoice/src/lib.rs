//! The invoice lifecycle as pure functions of (state, command, block context):
//! taxpayers, credit, issuance, circulation, booking, VAT returns.
//!
//! [`apply`] takes the state through the narrow [`StateAccess`] trait, the action and a
//! [`Ctx`] (height, block time, sender) and either writes the action's effects or
//! refuses it with a stable code and the field at fault, writing nothing. There is no
//! clock, no randomness and no I/O here: the block supplies time, the transaction
//! supplies salts.
//!
//! State layout (see `docs/formats.md`): `taxpayer/<uscc>`, `credit/<uscc>`,
//! `credit-request/<id>`, `credit-auto/<uscc>`, `credit-adjustment/<id>`, `application/<id>`,
//! `application-uscc/<uscc>`, `invoice/<number>` (public part + commitment),
//! `invoice-body/<number>` (private, immutable), `invoice-circ/<number>` (private,
//! mutable), `invoice-seq/<prefix>`, `vat-month/<uscc>/<yyyymm>`,
//! `vat-return/<uscc>/<yyyymm>`, `tax-summary/<uscc>/<yyyymm>`, `tax-status/<uscc>`,
//! `disclosure/<id>`, `order/<id>`, `catalogue/<uscc>/<sku>`,
//! `accepted-platforms/<uscc>`, `auto-issue/<uscc>`.
//!
//! Derived index tables (history, wallet, the desk's sets, the dashboard's aggregates)
//! are declared, written and read in [`index`].
//!
//! Outputs ([`apply`]'s `Some`): the number of an issued invoice (`IssueInvoice`,
//! `IssueForOrder`, `IssueRedInvoice`, `ConfirmRedForm` by the seller, and `ClaimOrder`
//! when the merchant's automatic issuing issues it at once), the order id in hex
//! (`RecordOrder`) or the form id (`RaiseRedForm`); nothing otherwise.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod circulation;
mod credit;
mod disclosure;
mod express;
pub mod index;
mod industry;
mod issue;
mod orders;
mod params;
mod red;
mod rules;
mod salt;
mod state;
pub mod summary;
mod taxpayer;
mod vat;

pub use credit::{credit_policy, CreditPolicy};
pub use disclosure::MAX_GRANT_VALIDITY_MS;
pub use express::applicant_org;
pub use fapiao_app::{Error, Result};
pub use fapiao_invoice_rules::Code;
pub use issue::{commitment, preview, Preview, CHANNEL_DIRECT, CHANNEL_SELF_SERVICE};
pub use orders::{MAX_CLAIM_CODE, MAX_ORDER_ITEMS};
pub use params::TaxRules;
pub use red::{awaiting_red, effective_status, form_deadline_ms, RED_FORM_DEADLINE_MS};
pub use rules::{china_date, month_of};
pub use state::{Ctx, StateAccess};
pub use summary::TaxSummary;
pub use vat::compute_vat_return;

use fapiao_invoice_types::{InvoiceAction, InvoiceBodies, InvoiceKey};
use fapiao_types::{ActionBodies, AppAction, TxOutput};

/// The invoice application on the seam: action tags `0x10..=0x4f`, the tax rules as
/// its governed parameter.
#[derive(Clone, Copy, Debug, Default)]
pub struct InvoiceApp;

impl fapiao_app::Application for InvoiceApp {
    fn name(&self) -> &'static str {
        "invoice"
    }

    fn bodies(&self) -> &'static dyn ActionBodies {
        &InvoiceBodies
    }

    fn params(&self) -> Vec<fapiao_app::ParamSpec> {
        vec![fapiao_app::ParamSpec::of::<TaxRules>(), fapiao_app::ParamSpec::of::<TaxSummary>()]
    }

    fn apply(
        &self,
        state: &mut dyn StateAccess,
        action: &AppAction,
        ctx: &Ctx<'_>,
    ) -> fapiao_app::Result<fapiao_app::Output> {
        // Decoding a transaction checked the body already (`InvoiceBodies`); only an
        // action built in memory, never decoded, can fail here.
        let action: InvoiceAction = fapiao_app::decode_action(action, Code::UnsupportedAction)?;
        apply(state, &action, ctx)
    }

    fn refusals(&self) -> &'static [fapiao_app::Refusal] {
        Code::ALL
    }

    fn index_tables(&self) -> &'static [&'static fapiao_app::IndexTable] {
        index::TABLES
    }

    fn index_tx(
        &self,
        tx: &fapiao_app::TxIndex<'_>,
        out: &mut dyn fapiao_app::IndexTxn,
    ) -> fapiao_app::Result<()> {
        index::tx::rows(tx, out)
    }

    fn index_block(
        &self,
        block: &fapiao_app::BlockIndex<'_>,
        out: &mut dyn fapiao_app::IndexTxn,
    ) -> fapiao_app::Result<()> {
        index::block::rows(block, out)
    }

    fn key_kinds(&self) -> &'static [&'static str] {
        InvoiceKey::KINDS
    }

    fn check_key(&self, key: &fapiao_types::AppKey) -> fapiao_types::Result<fapiao_types::AppKey> {
        fapiao_app::check_key_as::<InvoiceKey>(key)
    }

    /// The per-invoice kinds are ordered by invoice number (issuance appends); the body,
    /// circulation and red totals are private (ADR 0004), so the state stores a commitment.
    fn key_order(&self, kind: &str) -> fapiao_types::KindOrder {
        use fapiao_types::KindOrder;
        match kind {
            "invoice" => KindOrder::invoice_number(0x01, false),
            "invoice-body" => KindOrder::invoice_number(0x02, true),
            "invoice-circ" => KindOrder::invoice_number(0x03, true),
            "invoice-red" => KindOrder::invoice_number(0x04, true),
            _ => KindOrder::DEFAULT,
        }
    }
}

/// Applies an invoice action; returns what it created with a chain-allocated id (the
/// number of an issued invoice, the id of a recorded order or of a raised red form).
///
/// # Errors
/// [`Error::Rejected`] when a rule refuses it (nothing written), [`Error::Fatal`] when
/// the state cannot be read.
pub fn apply(
    state: &mut (impl StateAccess + ?Sized),
    action: &InvoiceAction,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    match action {
        InvoiceAction::IssueInvoice(c) => {
            return issue::issue(state, c, ctx).map(TxOutput::Invoice)
        }
        InvoiceAction::RecordOrder(c) => return orders::record(state, c, ctx).map(TxOutput::Order),
        InvoiceAction::ClaimOrder(c) => {
            return orders::claim(state, c, ctx)
                .map(|n| n.map_or(TxOutput::None, TxOutput::Invoice))
        }
        InvoiceAction::IssueForOrder(c) => {
            return orders::issue_for_order(state, c, ctx).map(TxOutput::Invoice)
        }
        InvoiceAction::RaiseRedForm(c) => return red::raise(state, c, ctx),
        InvoiceAction::ConfirmRedForm(c) => return red::confirm(state, c, ctx),
        InvoiceAction::RefuseRedForm(c) => return red::refuse(state, c, ctx),
        InvoiceAction::WithdrawRedForm(c) => return red::withdraw(state, c, ctx),
        InvoiceAction::IssueRedInvoice(c) => return red::issue(state, c, ctx),
        InvoiceAction::ApplyForRegistration(c) => return express::apply(state, c, ctx),
        _ => {}
    }
    let done = match action {
        InvoiceAction::RegisterTaxpayer(c) => taxpayer::register(state, c, ctx),
        InvoiceAction::SetTaxpayerStatus(c) => taxpayer::set_status(state, c, ctx),
        InvoiceAction::SetIssuers(c) => taxpayer::set_issuers(state, c, ctx),
        InvoiceAction::GrantCredit(c) => credit::grant(state, c, ctx),
        InvoiceAction::RequestCredit(c) => credit::request(state, c, ctx),
        InvoiceAction::DecideCredit(c) => credit::decide(state, c, ctx),
        InvoiceAction::SubmitInvoice(c) => circulation::submit(state, c, ctx),
        InvoiceAction::AcceptReimbursement(c) => circulation::reimburse(state, c, ctx),
        InvoiceAction::RejectReimbursement(c) => circulation::reject(state, c, ctx),
        InvoiceAction::BookInvoice(c) => circulation::book(state, c, ctx),
        InvoiceAction::FlagInvoice(c) => circulation::flag(state, c, ctx),
        InvoiceAction::FileVatReturn(c) => vat::file(state, c, ctx),
        InvoiceAction::SetCatalogueItem(c) => orders::set_catalogue_item(state, c, ctx),
        InvoiceAction::SetAutoIssue(c) => orders::set_auto_issue(state, c, ctx),
        InvoiceAction::SetAcceptedPlatforms(c) => orders::set_accepted_platforms(state, c, ctx),
        InvoiceAction::ReviewApplication(c) => express::review(state, c, ctx),
        InvoiceAction::AuthoriseDisclosure(c) => disclosure::authorise(state, c, ctx),
        InvoiceAction::RevokeDisclosure(c) => disclosure::revoke(state, c, ctx),
        other => Err(Error::reject(
            Code::UnsupportedAction,
            "action",
            format!("{} is not an invoice action", other.name()),
        )),
    };
    done.map(|()| TxOutput::None)
}
