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
//! `credit-request/<id>`, `invoice/<number>` (public part + commitment),
//! `invoice-body/<number>` (private, immutable), `invoice-circ/<number>` (private,
//! mutable), `invoice-seq/<prefix>`, `vat-month/<uscc>/<yyyymm>`,
//! `vat-return/<uscc>/<yyyymm>`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod circulation;
mod credit;
mod error;
mod issue;
mod rules;
mod state;
mod taxpayer;
mod vat;

pub use error::{Error, Result};
pub use issue::{commitment, preview, Preview, CHANNEL_DIRECT};
pub use rules::{china_date, month_of};
pub use state::{Ctx, StateAccess};
pub use vat::compute_vat_return;

use fapiao_types::Action;

/// Whether `action` belongs to the invoice application.
pub fn handles(action: &Action) -> bool {
    !matches!(action, Action::AddAccount(_) | Action::RevokeAccount { .. })
}

/// Applies an invoice action; returns what it created with a chain-allocated id (the
/// number of an issued invoice).
///
/// # Errors
/// [`Error::Rejected`] when a rule refuses it (nothing written), [`Error::Fatal`] when
/// the state cannot be read.
pub fn apply(
    state: &mut impl StateAccess,
    action: &Action,
    ctx: &Ctx<'_>,
) -> Result<Option<String>> {
    if let Action::IssueInvoice(c) = action {
        return issue::issue(state, c, ctx).map(Some);
    }
    let done = match action {
        Action::RegisterTaxpayer(c) => taxpayer::register(state, c, ctx),
        Action::SetTaxpayerStatus(c) => taxpayer::set_status(state, c, ctx),
        Action::SetIssuers(c) => taxpayer::set_issuers(state, c, ctx),
        Action::GrantCredit(c) => credit::grant(state, c, ctx),
        Action::RequestCredit(c) => credit::request(state, c, ctx),
        Action::DecideCredit(c) => credit::decide(state, c, ctx),
        Action::SubmitInvoice(c) => circulation::submit(state, c, ctx),
        Action::AcceptReimbursement(c) => circulation::reimburse(state, c, ctx),
        Action::RejectReimbursement(c) => circulation::reject(state, c, ctx),
        Action::BookInvoice(c) => circulation::book(state, c, ctx),
        Action::FlagInvoice(c) => circulation::flag(state, c, ctx),
        Action::FileVatReturn(c) => vat::file(state, c, ctx),
        other => Err(Error::reject(
            "unsupported_action",
            "action",
            format!("{} is not an invoice action", other.name()),
        )),
    };
    done.map(|()| None)
}
