//! The industry chain's rules as pure functions of (state, action, block context): the park operator registers enterprises, attesters record and correct monthly operating figures, kept private and committed under the chain secret.
//!
//! Who attests what ([`fapiao_industry_types::Metric::attested_by`]): a utility the
//! electricity used, the social-security office the insured headcount, a logistics
//! operator (or the park operator) the tonnes shipped; each holds the role
//! `industry.attester`. The park operator (a `platform` organisation holding that role)
//! registers the park's enterprises; only a registered enterprise is attested, only for a
//! month that has ended at the block's date, once per metric and month; the same
//! attesting organisation corrects its figure with a reason, and the history is kept.
//!
//! Every figure is written in clear in its private record
//! (`operating/<uscc>/<yyyymm>/<metric>`) and as a salted commitment in the month's
//! provable record (`operating-commit/<uscc>/<yyyymm>`), computed here under the chain
//! secret ([`fapiao_app::Ctx::secret`]), checked against the pin `industry/secret`
//! ([`IndustrySecret`]; see [`chain_secret`]).
//!
//! [`apply`] refuses with a code of [`Code`] (`industry.…`) and the field at fault, and
//! writes nothing then. No clock, no randomness, no I/O.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod params;
mod refusal;
mod rules;

pub use fapiao_app::{Ctx, Error, Result, StateAccess};
pub use params::IndustrySecret;
pub use refusal::Code;
pub use rules::chain_secret;

use fapiao_industry_types::{IndustryAction, IndustryBodies, IndustryKey};
use fapiao_types::{ActionBodies, AppAction, TxOutput};

/// The industry application on the seam: action tags `0xc0..=0xcf`, the secret pin as its
/// parameter.
#[derive(Clone, Copy, Debug, Default)]
pub struct IndustryApp;

impl fapiao_app::Application for IndustryApp {
    fn name(&self) -> &'static str {
        "industry"
    }

    fn bodies(&self) -> &'static dyn ActionBodies {
        &IndustryBodies
    }

    fn params(&self) -> Vec<fapiao_app::ParamSpec> {
        vec![fapiao_app::ParamSpec::of::<IndustrySecret>()]
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
        let action: IndustryAction = fapiao_app::decode_action(action, Code::UnsupportedAction)?;
        apply(state, &action, ctx)
    }

    fn key_kinds(&self) -> &'static [&'static str] {
        IndustryKey::KINDS
    }

    fn check_key(&self, key: &fapiao_types::AppKey) -> fapiao_types::Result<fapiao_types::AppKey> {
        fapiao_app::check_key_as::<IndustryKey>(key)
    }
}

/// Applies an industry action.
///
/// # Errors
/// [`Error::Rejected`] when a rule refuses it (nothing written), [`Error::Fatal`] when
/// the state cannot be read or this node's chain secret is missing or not the pinned one.
pub fn apply(
    state: &mut (impl StateAccess + ?Sized),
    action: &IndustryAction,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    match action {
        IndustryAction::RegisterEnterprise(c) => rules::register(state, c, ctx)?,
        IndustryAction::Attest(c) => rules::attest(state, c, ctx)?,
        IndustryAction::Correct(c) => rules::correct(state, c, ctx)?,
        other => {
            return Err(Error::reject(
                Code::UnsupportedAction,
                "action",
                format!("{} is not handled", other.name()),
            ))
        }
    }
    Ok(TxOutput::None)
}
