//! The narrow seam to the ledger: read and write records by state key.

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

/// Typed helpers over [`StateAccess`].
pub(crate) trait Records: StateAccess {
    fn get<T: Read<Cfg = ()>>(&self, key: &StateKey) -> Result<Option<T>> {
        match self.read(key).map_err(Error::Fatal)? {
            Some(bytes) => decode_exact::<T>(&bytes, &())
                .map(Some)
                .map_err(|e| Error::Fatal(format!("{key}: {e}"))),
            None => Ok(None),
        }
    }

    fn put<T: Encode>(&mut self, key: &StateKey, value: &T) {
        self.write(key, value.encode().to_vec());
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
}
