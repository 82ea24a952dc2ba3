//! The narrow seam to the ledger: read and write records by state key, and the block
//! context of one transaction.

use fapiao_types::{AccountId, AccountRecord, Hash32, OrgRecord, StateKey};

/// Access to the state a transaction executes against. Writes stay pending until the
/// transaction succeeds; the ledger discards them otherwise.
pub trait StateAccess {
    /// Reads the raw value of `key`.
    ///
    /// # Errors
    /// A message when the store fails.
    fn read(&self, key: &StateKey) -> core::result::Result<Option<Vec<u8>>, String>;
    /// Writes the raw value of `key`.
    fn write(&mut self, key: &StateKey, value: Vec<u8>);
}

/// The block and sender context of one transaction.
#[derive(Clone, Copy, Debug)]
pub struct Ctx<'a> {
    /// Height of the block.
    pub height: u64,
    /// Block time, ms since the Unix epoch (the proposer's header time).
    pub time_ms: u64,
    /// Hash of the transaction.
    pub tx_hash: Hash32,
    /// Sender's account id.
    pub sender: AccountId,
    /// Sender's account.
    pub account: &'a AccountRecord,
    /// Sender's organisation.
    pub org: &'a OrgRecord,
    /// This chain's id (its genesis's `chain_id`): what another chain's record naming a
    /// receiving chain is compared with.
    pub chain_id: &'a str,
    /// The chain's configuration secret, when the node has one: identical on every
    /// validator, never on any chain (the tax summary's salts derive from it, ADR 0012).
    /// An application that needs it and finds `None` returns [`crate::Error::Fatal`]: the
    /// node halts rather than compute another state.
    pub secret: Option<&'a [u8; 32]>,
}
