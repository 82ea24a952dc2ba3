//! The cross-chain light client as pure functions of (state, action, block context): other chains registered by governance, their certified headers verified and kept in a window, and state proofs checked against them.
//!
//! A chain registers another through the platform's governance: the
//! `crosschain/chains` parameter ([`RegisteredChains`]) lists each chain it follows —
//! its chain id, its genesis hash and its validators' keys — and a proposal approved by
//! the governance threshold of organisations schedules a new version of it, like any
//! other parameter (ADR 0006). The source chain's validator set is fixed by its genesis;
//! following changes of it is out of scope (ADR 0010).
//!
//! Anyone with an account may relay one of those chains' finalized headers with its
//! finality certificate ([`relay`], `crosschain_relay_header`). [`apply`] checks it with
//! the offline verifier's checks (`fapiao_verify::verify_certified_by`: a quorum of
//! distinct registered validators signed the header's digest) and keeps it in the
//! chain's [`HeaderWindow`](fapiao_crosschain_types::HeaderWindow) of the
//! `crosschain/window` most recent headers. Relayers race: a header already kept is a
//! no-op, not an error; one older than a full window is `crosschain.stale`.
//!
//! Other applications (the finance chain's loan and invoice-financing applications)
//! call [`proven`]: whether a (key, value) — or a key's absence — is in a registered
//! chain's state at a header of the window, by a Merkle proof against that header's
//! certified state root.
//!
//! No clock, no randomness, no I/O: everything comes from the state, the action and the
//! block context.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod params;
mod proof;
mod refusal;
mod relay;
#[cfg(feature = "testing")]
pub mod testing;

pub use fapiao_app::{Ctx, Error, Result, StateAccess};
pub use params::{RegisteredChain, RegisteredChains, WindowPolicy};
pub use proof::{proven, Claim, Proven};
pub use refusal::Code;
pub use relay::{registered, relay, window, Relayed};

use fapiao_crosschain_types::{CrosschainAction, CrosschainBodies, CrosschainKey};
use fapiao_types::{ActionBodies, AppAction, TxOutput};

/// The light client on the seam: action tags `0xa0..=0xaf`, the registered chains and
/// the window size as its parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct CrosschainApp;

impl fapiao_app::Application for CrosschainApp {
    fn name(&self) -> &'static str {
        "crosschain"
    }

    fn bodies(&self) -> &'static dyn ActionBodies {
        &CrosschainBodies
    }

    fn params(&self) -> Vec<fapiao_app::ParamSpec> {
        vec![
            fapiao_app::ParamSpec::of::<RegisteredChains>(),
            fapiao_app::ParamSpec::of::<WindowPolicy>(),
        ]
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
        let action: CrosschainAction = fapiao_app::decode_action(action, Code::UnsupportedAction)?;
        apply(state, &action, ctx)
    }

    fn key_kinds(&self) -> &'static [&'static str] {
        CrosschainKey::KINDS
    }

    fn check_key(&self, key: &fapiao_types::AppKey) -> fapiao_types::Result<fapiao_types::AppKey> {
        fapiao_app::check_key_as::<CrosschainKey>(key)
    }
}

/// Applies a light-client action.
///
/// # Errors
/// [`Error::Rejected`] when a check refuses it (nothing written), [`Error::Fatal`] when
/// the state cannot be read.
pub fn apply(
    state: &mut (impl StateAccess + ?Sized),
    action: &CrosschainAction,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    match action {
        CrosschainAction::RelayHeader(r) => relay(state, r, ctx).map(|_| TxOutput::None),
        other => Err(Error::reject(
            Code::UnsupportedAction,
            "action",
            format!("{} is not handled", other.name()),
        )),
    }
}
