//! The tax-certificate application (车船税 collected by insurers, 完税证明 in the owner's
//! wallet) as pure functions of (state, action, block context).
//!
//! * [`collect`]: an insurer's `insurer.collector` records a collection; the chain
//!   recomputes every line from the [`schedule`] in force ([`compute`]) and refuses a
//!   mismatch, a second collection of a vehicle's year, or a collector of another kind
//!   of organisation (the platform's role check).
//! * [`certificate`]: the owner's account exchanges a collection for a numbered
//!   certificate; the collecting insurer records a refund after a theft, scrapping or
//!   loss, which the certificate then shows.
//! * [`settlement`]: batches of collections and refunds settled with the bureau.
//!
//! State layout (docs/formats.md §20): `cert-collection/<id>` (private: owner, insurer,
//! tax authority), `cert-vehicle/<vin>/<year>` (the collection id), `certificate/<number>`
//! (public), `cert-serial/<year>`, `cert-settlement/<id>`. Derived tables: [`index`].
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod certificate;
pub mod collect;
pub mod compute;
pub mod index;
mod refusal;
pub mod schedule;
pub mod settlement;
mod state;

pub use fapiao_app::{Ctx, Error, Result, StateAccess};
pub use refusal::Code;
pub use schedule::{Bracket, VehicleTaxSchedule};

use fapiao_certificate_types::{CertificateAction, CertificateBodies, CertificateKey};
use fapiao_types::{ActionBodies, AppAction, AppKey, TxOutput};

/// The tax-certificate application on the seam: action tags `0x70..=0x7f`, the vehicle
/// tax schedule as its governed parameter.
#[derive(Clone, Copy, Debug, Default)]
pub struct CertificateApp;

impl fapiao_app::Application for CertificateApp {
    fn name(&self) -> &'static str {
        "certificate"
    }

    fn bodies(&self) -> &'static dyn ActionBodies {
        &CertificateBodies
    }

    fn params(&self) -> Vec<fapiao_app::ParamSpec> {
        vec![fapiao_app::ParamSpec::of::<VehicleTaxSchedule>()]
    }

    fn refusals(&self) -> &'static [fapiao_app::Refusal] {
        Code::ALL
    }

    fn apply(
        &self,
        state: &mut dyn StateAccess,
        action: &AppAction,
        ctx: &Ctx<'_>,
    ) -> Result<TxOutput> {
        // Decoding a transaction checked the body already (`CertificateBodies`); only an
        // action built in memory, never decoded, can fail here.
        let action: CertificateAction = fapiao_app::decode_action(action, Code::UnsupportedAction)?;
        apply(state, &action, ctx)
    }

    fn key_kinds(&self) -> &'static [&'static str] {
        CertificateKey::KINDS
    }

    fn check_key(&self, key: &AppKey) -> fapiao_types::Result<AppKey> {
        fapiao_app::check_key_as::<CertificateKey>(key)
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

/// Applies a certificate action; returns the collection or settlement id it created
/// ([`TxOutput::Record`]) or the certificate number ([`TxOutput::Serial`]).
///
/// # Errors
/// [`Error::Rejected`] when a rule refuses it (the ledger discards its writes),
/// [`Error::Fatal`] when the state cannot be read.
pub fn apply(
    state: &mut (impl StateAccess + ?Sized),
    action: &CertificateAction,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    match action {
        CertificateAction::RecordCollection(c) => collect::record(state, c, ctx),
        CertificateAction::ExchangeCertificate(c) => certificate::exchange(state, c, ctx),
        CertificateAction::RecordRefund(r) => certificate::refund(state, r, ctx),
        CertificateAction::SubmitSettlement(s) => settlement::submit(state, s, ctx),
        CertificateAction::ConfirmSettlement(s) => settlement::confirm(state, s, ctx),
        _ => Err(Error::reject(Code::UnsupportedAction, "action", "unknown certificate action")),
    }
}
