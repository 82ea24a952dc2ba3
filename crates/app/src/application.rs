//! The trait an application implements, and what its apply returns.

use crate::{BlockIndex, Ctx, IndexTable, IndexTxn, ParamSpec, Result, StateAccess, TxIndex};
use fapiao_types::{Action, ActionBodies, AppAction, AppKey};
use std::ops::RangeInclusive;

/// What a successful action created that the sender needs back (the receipt's typed
/// output).
pub type Output = fapiao_types::TxOutput;

/// One application of the chain.
pub trait Application: Send + Sync + 'static {
    /// Short stable name (`invoice`), the first segment of its parameter ids.
    fn name(&self) -> &'static str;

    /// The decoder of its actions' bodies, which the codec configuration of every
    /// transaction and block carries ([`fapiao_types::ActionCodecs`]).
    fn bodies(&self) -> &'static dyn ActionBodies;

    /// The action tags (first byte of an action's encoding) it owns. Ranges of the
    /// registered applications never overlap (a test checks it).
    fn tags(&self) -> RangeInclusive<u8> {
        self.bodies().tags()
    }

    /// Its governed parameters, with their defaults.
    fn params(&self) -> Vec<ParamSpec>;

    /// Every code it refuses with: its refusal enum's `ALL` (declared with
    /// [`crate::refusals!`], namespaced by [`Application::name`]). Codes of the platform
    /// and of the shared values it may also use are not repeated here.
    fn refusals(&self) -> &'static [crate::Refusal];

    /// Applies `action` (one of its tags, its body checked by [`Application::bodies`] as
    /// it was decoded) for the sender in `ctx`.
    ///
    /// # Errors
    /// [`crate::Error::Rejected`] when a rule refuses it (the ledger discards its
    /// writes), [`crate::Error::Fatal`] when the state cannot be read.
    fn apply(
        &self,
        state: &mut dyn StateAccess,
        action: &AppAction,
        ctx: &Ctx<'_>,
    ) -> Result<Output>;

    /// The state key kinds it owns (the first segment of its keys' paths: `invoice`,
    /// `red-form`, ...). No two applications, and not the platform, own the same kind
    /// (a test of the registry checks it).
    fn key_kinds(&self) -> &'static [&'static str] {
        &[]
    }

    /// The layout in the state database of its key kind `kind` (one of
    /// [`Application::key_kinds`]): how its keys are ordered and whether its records are
    /// private (ADR 0009 Decision 1). The default, a hashed order and public records, suits
    /// kinds created rarely; a kind created at high volume declares an order that follows
    /// creation. Every declaration must equal [`fapiao_types::state_order::kind_order`] —
    /// the table the offline verifier reads (the ledger's registry test checks it).
    fn key_order(&self, kind: &str) -> fapiao_types::KindOrder {
        let _ = kind;
        fapiao_types::KindOrder::DEFAULT
    }

    /// Checks that `key`, of one of its [`Application::key_kinds`], is one of its keys
    /// (its typed key parses it); returns it as the application writes it (a hash in
    /// lower-case hex, say), whose bytes are the tree key.
    ///
    /// # Errors
    /// [`fapiao_types::Error::Invalid`] naming `key` when it is not.
    fn check_key(&self, key: &AppKey) -> fapiao_types::Result<AppKey> {
        Err(fapiao_types::Error::invalid("key", format!("unknown key kind {:?}", key.kind())))
    }

    /// Whether it owns `action`.
    fn owns(&self, action: &Action) -> bool {
        matches!(action, Action::App(a) if self.tags().contains(&a.tag()))
    }

    /// The derived tables it fills ([`crate::index`]); none by default.
    fn index_tables(&self) -> &'static [&'static IndexTable] {
        &[]
    }

    /// Writes its index rows for one transaction that succeeded, after it and in block
    /// order (every application sees every successful transaction of the block).
    ///
    /// # Errors
    /// [`crate::Error::Fatal`] when the state or an index cannot be read: the block is
    /// not applied and the node stops, as on a storage error.
    fn index_tx(&self, tx: &TxIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
        let _ = (tx, out);
        Ok(())
    }

    /// Writes its index rows for the block, after its last transaction.
    ///
    /// # Errors
    /// As [`Application::index_tx`].
    fn index_block(&self, block: &BlockIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
        let _ = (block, out);
        Ok(())
    }
}
