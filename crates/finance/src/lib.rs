//! The finance chain's loans and invoice financing as pure functions of (state, action, block context), every fact proven against the tax and industry chains' certified headers by the light client.
//!
//! A bank's officer applies for a loan with the tax chain's proofs of an enterprise's
//! disclosure grant and committed tax summary ([`loans`]); the bank reviews and decides
//! it. A bank finances an invoice the enterprise issued with a fresh proof that it stands;
//! anyone relays a proof of its reversal, which marks the financing at risk and alerts
//! the bank; the bank settles with a fresh proof ([`financing`]). Every proof is checked
//! with [`fapiao_crosschain::proven`] against a header of the registered tax (or
//! industry) chain kept in this chain's window; the tax chain and the freshness window
//! are the `finance/financing` parameter ([`FinancingPolicy`]).
//!
//! What stays off the chain: the disclosed values and their salts. The records hold the
//! proven commitments, heights and amounts (docs/adr/0013-finance.md).
//!
//! [`apply`] refuses with a code of [`Code`] (`finance.…`) or the light client's, and the
//! field at fault, and writes nothing then. No clock, no randomness, no I/O.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod financing;
pub mod index;
pub mod loans;
mod params;
mod refusal;
mod state;

pub use fapiao_app::{Ctx, Error, Result, StateAccess};
pub use params::FinancingPolicy;
pub use refusal::Code;

use fapiao_finance_types::{FinanceAction, FinanceBodies, FinanceKey};
use fapiao_types::{ActionBodies, AppAction, TxOutput};

/// The finance application on the seam: action tags `0xb0..=0xbf`, its policy parameter,
/// its tables by bank.
#[derive(Clone, Copy, Debug, Default)]
pub struct FinanceApp;

impl fapiao_app::Application for FinanceApp {
    fn name(&self) -> &'static str {
        "finance"
    }

    fn bodies(&self) -> &'static dyn ActionBodies {
        &FinanceBodies
    }

    fn params(&self) -> Vec<fapiao_app::ParamSpec> {
        vec![fapiao_app::ParamSpec::of::<FinancingPolicy>()]
    }

    fn refusals(&self) -> &'static [fapiao_app::Refusal] {
        Code::ALL
    }

    fn apply(
        &self,
        state: &mut dyn StateAccess,
        action: &AppAction,
        ctx: &Ctx<'_>,
    ) -> Result<fapiao_app::Output> {
        let action: FinanceAction = fapiao_app::decode_action(action, Code::UnsupportedAction)?;
        apply(state, &action, ctx)
    }

    fn key_kinds(&self) -> &'static [&'static str] {
        FinanceKey::KINDS
    }

    fn check_key(&self, key: &fapiao_types::AppKey) -> fapiao_types::Result<fapiao_types::AppKey> {
        fapiao_app::check_key_as::<FinanceKey>(key)
    }

    fn index_tables(&self) -> &'static [&'static fapiao_app::IndexTable] {
        index::TABLES
    }

    fn index_tx(
        &self,
        tx: &fapiao_app::TxIndex<'_>,
        out: &mut dyn fapiao_app::IndexTxn,
    ) -> Result<()> {
        index::rows(tx, out)
    }
}

/// Applies a finance action. Returns the loan's id (`Record`) for an application,
/// nothing otherwise.
///
/// # Errors
/// [`Error::Rejected`] when a rule refuses it (nothing written), [`Error::Fatal`] when
/// the state cannot be read.
pub fn apply(
    state: &mut (impl StateAccess + ?Sized),
    action: &FinanceAction,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let (_, policy) = fapiao_app::params::at_height::<FinancingPolicy>(state, ctx.height)?;
    let none = |r: Result<()>| r.map(|()| TxOutput::None);
    match action {
        FinanceAction::ApplyLoan(a) => {
            loans::apply_loan(state, a, ctx, &policy).map(TxOutput::Record)
        }
        FinanceAction::ReviewLoan(a) => none(loans::review_loan(state, a, ctx)),
        FinanceAction::DecideLoan(a) => none(loans::decide_loan(state, a, ctx)),
        FinanceAction::FinanceInvoice(a) => {
            none(financing::finance_invoice(state, a, ctx, &policy))
        }
        FinanceAction::ReportReversal(a) => none(financing::report_reversal(state, a, ctx)),
        FinanceAction::SettleFinancing(a) => none(financing::settle(state, a, ctx, &policy)),
        other => Err(Error::reject(
            Code::UnsupportedAction,
            "action",
            format!("{} is not handled", other.name()),
        )),
    }
}
