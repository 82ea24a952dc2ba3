//! The village cow bank as pure functions of (state, action, block context): households, the collective's funds, cattle, contracts, sales settled exactly in fen, and countersigned annual reports.
//!
//! A village collective (an organisation of kind `collective`) runs its cow bank
//! through its manager (`collective.manager`): it registers households (a commitment to
//! the resident ID, never the ID), opens funds (a grant is earmarked), buys cattle from
//! a fund, hands them to households under contract, records births, costs, vaccinations,
//! insurance and deaths, and sells. A sale — by the manager or by the household owning
//! the animal — is settled at once by the contract's terms ([`settle`]); the price, the
//! capital returned and the household's payment are entries of the fund ledger, whose
//! balances never go negative and whose corrections are reversal entries. The manager
//! files an annual report whose figures the chain computes; the township's official
//! (an auditor of the tax authority) countersigns it and it is frozen.
//!
//! [`apply`] refuses with a code of [`Code`] (`cowbank.…`) and the field at fault, and
//! writes nothing then. No clock, no randomness, no I/O: dates are the village's
//! (checked against the block's date), ids come from the transaction.
//!
//! ```
//! use fapiao_cowbank::settle::{settle, Under};
//!
//! // A collective's own cow sold for 8 000.00 yuan: it keeps everything.
//! let s = settle(800_000, 0, 600_000, Under::Owner(None)).unwrap().settlement;
//! assert_eq!((s.household_payment, s.collective_income), (0, 800_000));
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod contracts;
mod funds;
mod herd;
mod households;
mod params;
mod refusal;
mod reports;
mod sales;
pub mod settle;
mod state;

pub use fapiao_app::{Ctx, Error, Result, StateAccess};
pub use params::CowbankPolicy;
pub use refusal::Code;
pub use reports::figures;
pub use state::parse_ear_tag;

use fapiao_cowbank_types::{CowbankAction, CowbankBodies, CowbankKey};
use fapiao_types::{ActionBodies, AppAction, TxOutput};

/// The cow bank on the seam: action tags `0x60..=0x6f`, its policy as its parameter.
#[derive(Clone, Copy, Debug, Default)]
pub struct CowbankApp;

impl fapiao_app::Application for CowbankApp {
    fn name(&self) -> &'static str {
        "cowbank"
    }

    fn bodies(&self) -> &'static dyn ActionBodies {
        &CowbankBodies
    }

    fn params(&self) -> Vec<fapiao_app::ParamSpec> {
        vec![fapiao_app::ParamSpec::of::<CowbankPolicy>()]
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
        let action: CowbankAction = fapiao_app::decode_action(action, Code::UnsupportedAction)?;
        apply(state, &action, ctx)
    }

    fn key_kinds(&self) -> &'static [&'static str] {
        CowbankKey::KINDS
    }

    fn check_key(&self, key: &fapiao_types::AppKey) -> fapiao_types::Result<fapiao_types::AppKey> {
        fapiao_app::check_key_as::<CowbankKey>(key)
    }
}

/// Applies a cow bank action; returns the id of what it created (a contract, a sale:
/// the transaction's hash), or nothing.
///
/// # Errors
/// [`Error::Rejected`] when a rule refuses it (nothing written), [`Error::Fatal`] when
/// the state cannot be read.
pub fn apply(
    state: &mut (impl StateAccess + ?Sized),
    action: &CowbankAction,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let created = |r: Result<()>| r.map(|()| TxOutput::Record(ctx.tx_hash));
    let none = |r: Result<()>| r.map(|()| TxOutput::None);
    match action {
        CowbankAction::RegisterHousehold(c) => none(households::register(state, c, ctx)),
        CowbankAction::SetHouseholdStatus(c) => none(households::set_status(state, c, ctx)),
        CowbankAction::OpenFund(c) => none(funds::open(state, c, ctx)),
        CowbankAction::RecordInflow(c) => none(funds::inflow(state, c, ctx)),
        CowbankAction::RecordOutflow(c) => none(funds::outflow(state, c, ctx)),
        CowbankAction::ReverseEntry(c) => none(funds::reverse(state, c, ctx)),
        CowbankAction::BuyAnimal(c) => none(herd::buy(state, c, ctx)),
        CowbankAction::RecordBirth(c) => none(herd::birth(state, c, ctx)),
        CowbankAction::SignContract(c) => created(contracts::sign(state, c, ctx)),
        CowbankAction::Vaccinate(c) => none(herd::vaccinate(state, c, ctx)),
        CowbankAction::Insure(c) => none(herd::insure(state, c, ctx)),
        CowbankAction::RecordCost(c) => none(herd::cost(state, c, ctx)),
        CowbankAction::RecordDeath(c) => none(herd::death(state, c, ctx)),
        CowbankAction::SellAnimal(c) => created(sales::sell(state, c, ctx)),
        CowbankAction::FileReport(c) => none(reports::file(state, c, ctx)),
        CowbankAction::CountersignReport(c) => none(reports::countersign(state, c, ctx)),
        other => Err(Error::reject(
            Code::UnsupportedAction,
            "action",
            format!("{} is not handled", other.name()),
        )),
    }
}
