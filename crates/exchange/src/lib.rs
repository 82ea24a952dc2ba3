//! The four-department exchange as pure functions of (state, action, block context): keys, catalogues, sealed queries and answers, watch lists compared into joint alerts and cases, consents with an access log, and special additional deduction declarations.
//!
//! Departments (organisations whose kind may hold `exchange.officer`: the tax
//! authority, police, customs, the central bank's branch, and the education,
//! human-resources, health-insurance and housing departments) register encryption keys
//! ([`registry`]), publish catalogues of what they answer, and ask and answer each other
//! ([`queries`]) in envelopes the chain checks only for shape and stores. Watch-list
//! entries and the subject tags of queries are compared as they arrive; a match between
//! two departments raises a joint alert in that block ([`watch`]), which becomes a case
//! ([`cases`]). A person registers a key bound to a resident-ID commitment, grants and
//! revokes consents, and declares special additional deductions checked against the
//! standards in force; the tax authority verifies them through the exchange
//! ([`persons`]). Derived tables list queries in and out, alerts, a person's access log
//! and consents, and the withholding agent's view of declarations ([`index`]).
//!
//! [`apply`] refuses with a code of [`Code`] (`exchange.…`) and the field at fault, and
//! writes nothing then. No clock, no randomness, no I/O, and no decryption: the chain
//! never holds a key that opens an envelope.
//!
//! ```
//! use fapiao_exchange::{deduction, DeductionStandards};
//! use fapiao_exchange_types::{DeductionItem, DeductionKind, Envelope, EnvelopeSuite};
//!
//! let details = Envelope {
//!     suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
//!     key_epoch: 1,
//!     enc: vec![1; 32],
//!     ciphertext: vec![2; 32],
//! };
//! // One child, half of the 2023 standard (2,000 a month) for the whole year.
//! let item = DeductionItem {
//!     kind: DeductionKind::ChildrenEducation,
//!     months: 12,
//!     amount: 100_000,
//!     share_bp: 5000,
//!     rent_tier: None,
//!     only_child: false,
//!     details,
//! };
//! assert_eq!(deduction(&item, &DeductionStandards::default(), 0).unwrap(), 1_200_000);
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod cases;
pub mod index;
mod params;
pub mod persons;
pub mod queries;
mod refusal;
pub mod registry;
mod state;
pub mod watch;

pub use fapiao_app::{Ctx, Error, Result, StateAccess};
pub use params::{DeductionStandards, ExchangeLimits};
pub use persons::deduction;
pub use refusal::Code;

use fapiao_exchange_types::{ExchangeAction, ExchangeBodies, ExchangeKey};
use fapiao_types::{ActionBodies, AppAction, TxOutput};

/// The exchange on the seam: action tags `0x80..=0x9f`, its standards and limits as its
/// parameters, its derived tables.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExchangeApp;

impl fapiao_app::Application for ExchangeApp {
    fn name(&self) -> &'static str {
        "exchange"
    }

    fn bodies(&self) -> &'static dyn ActionBodies {
        &ExchangeBodies
    }

    fn params(&self) -> Vec<fapiao_app::ParamSpec> {
        vec![
            fapiao_app::ParamSpec::of::<DeductionStandards>(),
            fapiao_app::ParamSpec::of::<ExchangeLimits>(),
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
        let action: ExchangeAction = fapiao_app::decode_action(action, Code::UnsupportedAction)?;
        apply(state, &action, ctx)
    }

    fn key_kinds(&self) -> &'static [&'static str] {
        ExchangeKey::KINDS
    }

    fn check_key(&self, key: &fapiao_types::AppKey) -> fapiao_types::Result<fapiao_types::AppKey> {
        fapiao_app::check_key_as::<ExchangeKey>(key)
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

/// Applies an exchange action. Returns the id of what it created: a query, a consent
/// or a declaration (the transaction's hash, `Record`); the first joint alert a watch
/// entry raised or added to (`Record`); the key epoch registered or distributed
/// (`Serial`); or nothing.
///
/// # Errors
/// [`Error::Rejected`] when a rule refuses it (nothing written), [`Error::Fatal`] when
/// the state cannot be read.
pub fn apply(
    state: &mut (impl StateAccess + ?Sized),
    action: &ExchangeAction,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    let (_, limits) = fapiao_app::params::at_height::<ExchangeLimits>(state, ctx.height)?;
    let created = |r: Result<()>| r.map(|()| TxOutput::Record(ctx.tx_hash));
    let none = |r: Result<()>| r.map(|()| TxOutput::None);
    let serial = |r: Result<u32>| r.map(|n| TxOutput::Serial(u64::from(n)));
    match action {
        ExchangeAction::RegisterKey(c) => serial(registry::register_key(state, c, ctx)),
        ExchangeAction::RegisterPerson(c) => serial(registry::register_person(state, c, ctx)),
        ExchangeAction::PublishCatalogue(c) => none(registry::publish(state, c, ctx, &limits)),
        ExchangeAction::Query(c) => created(queries::query(state, c, ctx, &limits)),
        ExchangeAction::Answer(c) => none(queries::answer(state, c, ctx, &limits)),
        ExchangeAction::DistributeWatchKey(c) => serial(watch::distribute(state, c, ctx, &limits)),
        ExchangeAction::Watch(c) => {
            watch::watch(state, c, ctx, &limits).map(|a| a.map_or(TxOutput::None, TxOutput::Record))
        }
        ExchangeAction::Unwatch(c) => none(watch::unwatch(state, c, ctx)),
        ExchangeAction::AttachFinding(c) => none(cases::attach(state, c, ctx, &limits)),
        ExchangeAction::AssignCase(c) => none(cases::assign(state, c, ctx)),
        ExchangeAction::CloseCase(c) => none(cases::close(state, c, ctx)),
        ExchangeAction::DeclareDeductions(c) => created(persons::declare(state, c, ctx, &limits)),
        ExchangeAction::GrantConsent(c) => created(persons::grant(state, c, ctx, &limits)),
        ExchangeAction::RevokeConsent(c) => none(persons::revoke(state, c, ctx)),
        ExchangeAction::VerifyDeclaration(c) => none(persons::verify(state, c, ctx, &limits)),
        other => Err(Error::reject(
            Code::UnsupportedAction,
            "action",
            format!("{} is not handled", other.name()),
        )),
    }
}
