//! The index seam: derived tables an application declares, fills from each executed
//! block and reads back (ADR 0008 part B).
//!
//! Derived index rows live outside the state root (ADR 0004): they are a function of the
//! blocks, so re-executing the chain rebuilds them byte for byte. An application declares
//! its tables ([`Application::index_tables`](crate::Application::index_tables)); the
//! ledger creates one storage table per declared table and, per block, hands every
//! application one [`IndexTxn`] twice over: after each transaction that succeeded
//! ([`Application::index_tx`](crate::Application::index_tx), with the state as that
//! transaction left it) and after the block's last transaction
//! ([`Application::index_block`](crate::Application::index_block)). The rows written go
//! into the block's one atomic commit. Reads during execution see the previous blocks'
//! rows (also while the previous block's commit is still in flight) and this block's
//! pending rows; readers outside execution (the API) see the durable tip through
//! [`IndexRead`].
//!
//! A hook that returns [`crate::Error::Fatal`] halts the node like a storage error; a
//! panicking hook is not caught and halts every node alike.

use fapiao_types::{Block, Receipt, SignedTx, StateKey};
use std::collections::BTreeMap;

/// Rows of a scan: (key, value), in scan order.
pub type Rows = Vec<(Vec<u8>, Vec<u8>)>;

/// State writes by key bytes (`None`: deleted).
pub type Writes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// A derived table an application declares: `name` is the storage table's name, unique
/// across every application and clear of the platform's tables.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexTable {
    /// The declaring application's name ([`crate::Application::name`]).
    pub app: &'static str,
    /// The table's name on disk.
    pub name: &'static str,
}

/// The direction of a prefix scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scan {
    /// In key order.
    Forward,
    /// In reverse key order (the last row first).
    Backward,
}

/// Reads of derived tables: the durable tip (API readers) or, during execution, the
/// previous block seen through its commit in flight.
pub trait IndexRead {
    /// The value of row `key` of `table`.
    ///
    /// # Errors
    /// A message when the store fails or `table` is not registered.
    fn get(&self, table: &'static IndexTable, key: &[u8]) -> Result<Option<Vec<u8>>, String>;

    /// Up to `limit` rows of `table` whose keys start with `prefix`, in `dir` order.
    ///
    /// # Errors
    /// A message when the store fails or `table` is not registered.
    fn scan(
        &self,
        table: &'static IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Result<Rows, String>;
}

/// The rows one block writes: reads see the rows before the block and this block's
/// pending rows; the last write of a row wins.
pub trait IndexTxn: IndexRead {
    /// Puts row `key` of `table`.
    fn put(&mut self, table: &'static IndexTable, key: Vec<u8>, value: Vec<u8>);
    /// Deletes row `key` of `table`.
    fn delete(&mut self, table: &'static IndexTable, key: Vec<u8>);
}

/// Raw state around a hook: before the block, and after the transaction
/// ([`TxIndex`]) or after the block ([`BlockIndex`]).
pub trait States {
    /// The value of `key` before the block.
    ///
    /// # Errors
    /// A message when the store fails.
    fn before(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String>;
    /// The value of `key` after the transaction or the block.
    ///
    /// # Errors
    /// A message when the store fails.
    fn after(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String>;
}

/// One transaction that succeeded, for [`crate::Application::index_tx`].
#[derive(Clone, Copy)]
pub struct TxIndex<'a> {
    /// Height of the block.
    pub height: u64,
    /// Block time, ms since the Unix epoch.
    pub time_ms: u64,
    /// The transaction.
    pub tx: &'a SignedTx,
    /// Its receipt (outcome `Ok`).
    pub receipt: &'a Receipt,
    /// The state keys (bytes) the transaction itself wrote.
    pub own_writes: &'a [Vec<u8>],
    /// The state before the block and after this transaction.
    pub state: &'a dyn States,
}

/// One executed block, for [`crate::Application::index_block`].
#[derive(Clone, Copy)]
pub struct BlockIndex<'a> {
    /// The block.
    pub block: &'a Block,
    /// One receipt per transaction.
    pub receipts: &'a [Receipt],
    /// The block's final state writes, by key bytes (`None`: deleted).
    pub writes: &'a Writes,
    /// The state before the block and after it.
    pub state: &'a dyn States,
}
