//! The narrow seam to the ledger: read and write records by state key, and the block
//! context of one transaction.

use crate::{Error, Result};
use commonware_codec::{Encode, Read};
use fapiao_types::{decode_exact, AccountId, AccountRecord, Hash32, OrgRecord, StateKey};

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

/// Typed reads and writes of canonical records over [`StateAccess`], by any key that
/// names a state key (a `&StateKey`, or an application's key type such as
/// `&InvoiceKey`). A store failure, or a stored record that does not decode, is
/// [`Error::Fatal`]: the node stops rather than compute another state.
pub trait Records: StateAccess {
    /// The record at `key`, if any.
    ///
    /// # Errors
    /// [`Error::Fatal`] when the store fails or the record does not decode as `T`.
    fn get<T: Read<Cfg = ()>>(&self, key: impl Into<StateKey>) -> Result<Option<T>> {
        let key = key.into();
        match self.read(&key).map_err(Error::Fatal)? {
            Some(bytes) => decode_exact::<T>(&bytes, &())
                .map(Some)
                .map_err(|e| Error::Fatal(format!("{key}: {e}"))),
            None => Ok(None),
        }
    }

    /// Whether a record is at `key`.
    ///
    /// # Errors
    /// [`Error::Fatal`] when the store fails.
    fn exists(&self, key: impl Into<StateKey>) -> Result<bool> {
        Ok(self.read(&key.into()).map_err(Error::Fatal)?.is_some())
    }

    /// Writes `value`'s canonical encoding at `key`.
    fn put<T: Encode>(&mut self, key: impl Into<StateKey>, value: &T) {
        self.write(&key.into(), value.encode().to_vec());
    }
}

impl<S: StateAccess + ?Sized> Records for S {}

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
