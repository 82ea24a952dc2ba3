//! The narrow storage seam: a few tables of bytes, the per-height history of the records
//! read at past heights, and one atomic, durable commit per block.
//!
//! [`RedbStore`] is the production backend; [`MemStore`] keeps everything in
//! `BTreeMap`s for tests and simulations. The ledger never sees which one it has. Each
//! store also names the directory of the ledger's state database ([`Store::state_dir`]):
//! beside a redb file, or a temporary directory a [`MemStore`] owns and deletes.

mod mem;
mod redb_store;

pub use mem::MemStore;
pub use redb_store::{RedbStore, TableStats};

use crate::Result;

/// The plain tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// Records kept beside the state database: the private kinds' records (the database
    /// holds only their commitments) and the off-state kinds' (`invoice-body`, not in the
    /// database at all): state path → record.
    Private,
    /// Executed blocks: height (u64 BE) → canonical block encoding.
    Blocks,
    /// Finalization certificates: height (u64 BE) → engine encoding.
    Certificates,
    /// Receipts: height (u64 BE) → concatenated receipt encodings.
    Receipts,
    /// State roots: height (u64 BE) → root (32 bytes) ‖ the state database's log size
    /// (u64 BE) ‖ its sync boundary (u64 BE) after that height's commit.
    Roots,
    /// Block digests: digest → height (u64 BE).
    Digests,
    /// Ledger metadata (`executed_height`, `genesis_sha256`).
    Meta,
    /// Derived index, outside the state root: height (u64 BE) ‖ index (u32 BE) → alert
    /// JSON.
    Alerts,
    /// Derived index, outside the state root: tx hash (32) → `TxRecord` (where the
    /// transaction is and what it did), for the lookup by hash; a node may switch it off
    /// (`Ledger::with_tx_index`). Replay protection does not read it ([`Table::Replay`]).
    Txs,
    /// The replay set: expiry (u64 BE) ‖ tx hash (32) → height (u64 BE) ‖ index (u32 BE)
    /// of the executed transaction. Rows whose expiry is below a block's height are
    /// range-deleted in that block's commit (`crate::replay`).
    Replay,
    /// Block bodies moved out of [`Table::Blocks`]: height (u64 BE) → where the body went
    /// and the block's header (`crate::bodies`).
    Archived,
    /// Derived index, outside the state root: alerts by rule — rule name ‖ 0x00 ‖ height
    /// (u64 BE) ‖ index (u32 BE) → empty (the row of [`Table::Alerts`] with that key tail).
    AlertsByRule,
    /// A derived table an application declares ([`fapiao_app::IndexTable`]), named by
    /// its declaration; the ledger creates one per registered table
    /// ([`crate::apps::index_tables`]).
    Index(&'static fapiao_app::IndexTable),
}

impl Table {
    /// The platform's tables (every table but the applications' [`Table::Index`] ones).
    pub const PLATFORM: [Table; 12] = [
        Table::Private,
        Table::Blocks,
        Table::Certificates,
        Table::Receipts,
        Table::Roots,
        Table::Digests,
        Table::Meta,
        Table::Alerts,
        Table::Txs,
        Table::Replay,
        Table::Archived,
        Table::AlertsByRule,
    ];

    /// Every table: the platform's, then each registered application's index tables in
    /// registration order.
    pub fn all() -> Vec<Table> {
        let apps = crate::apps::index_tables().iter().map(|t| Table::Index(t));
        Table::PLATFORM.into_iter().chain(apps).collect()
    }

    /// The table's name on disk.
    pub fn name(self) -> &'static str {
        match self {
            Table::Private => "private",
            Table::Blocks => "blocks",
            Table::Certificates => "certificates",
            Table::Receipts => "receipts",
            Table::Roots => "roots",
            Table::Digests => "digests",
            Table::Meta => "meta",
            Table::Alerts => "alerts",
            Table::Txs => "txs",
            Table::Replay => "replay",
            Table::Archived => "archived",
            Table::AlertsByRule => "alerts_by_rule",
            Table::Index(t) => t.name,
        }
    }
}

/// Everything one block writes, committed atomically.
#[derive(Default, Debug)]
pub struct WriteBatch {
    /// Plain puts.
    pub puts: Vec<(Table, Vec<u8>, Vec<u8>)>,
    /// Plain deletions, applied after the puts (a row is never both put and deleted in
    /// one batch).
    pub deletes: Vec<(Table, Vec<u8>)>,
    /// Range deletions, applied after the puts: every row of the table whose key is in
    /// `start..end` (a block never puts a row inside a range it deletes).
    pub ranges: Vec<(Table, Vec<u8>, Vec<u8>)>,
    /// History rows of the records read at past heights ([`ReadStore::get_history`]):
    /// (state key bytes, height, record or deletion).
    pub history: Vec<(Vec<u8>, u64, Option<Vec<u8>>)>,
}

impl WriteBatch {
    /// Adds a plain put.
    pub fn put(&mut self, table: Table, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        self.puts.push((table, key.into(), value.into()));
    }

    /// Adds a plain deletion.
    pub fn delete(&mut self, table: Table, key: impl Into<Vec<u8>>) {
        self.deletes.push((table, key.into()));
    }

    /// Deletes every row of `table` whose key is in `start..end`.
    pub fn delete_range(
        &mut self,
        table: Table,
        start: impl Into<Vec<u8>>,
        end: impl Into<Vec<u8>>,
    ) {
        self.ranges.push((table, start.into(), end.into()));
    }

    /// Whether one of the batch's range deletions covers `key` of `table`.
    pub fn range_deletes(&self, table: Table, key: &[u8]) -> bool {
        self.ranges
            .iter()
            .any(|(t, start, end)| *t == table && start.as_slice() <= key && key < end.as_slice())
    }
}

/// Reads of the storage seam (a [`Store`], or a store seen through a block's writes that
/// are not committed yet).
pub trait ReadStore {
    /// Reads a plain table.
    ///
    /// # Errors
    /// [`crate::Error::Store`] when the engine fails.
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>>;

    /// The record of state key `key` in its history (the `state_history` table) at the
    /// greatest height `<= max_height` (`None` if absent or deleted then).
    ///
    /// # Errors
    /// [`crate::Error::Store`] when the engine fails.
    fn get_history(&self, max_height: u64, key: &[u8]) -> Result<Option<Vec<u8>>>;

    /// Up to `limit` rows of a plain table whose keys start with `prefix`, in key order.
    ///
    /// # Errors
    /// [`crate::Error::Store`] when the engine fails.
    fn scan(&self, table: Table, prefix: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>>;

    /// Up to `limit` rows of a plain table whose keys start with `prefix`, in reverse key
    /// order (the last row first).
    ///
    /// # Errors
    /// [`crate::Error::Store`] when the engine fails.
    fn scan_back(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>>;
}

/// The storage seam: reads, and one atomic, durable commit per block.
pub trait Store: ReadStore + Send + Sync + 'static {
    /// Applies `batch` atomically and durably.
    ///
    /// # Errors
    /// [`crate::Error::Store`] when the engine fails; nothing is applied then.
    fn commit(&self, batch: &WriteBatch) -> Result<()>;

    /// The directory of the ledger's state database that belongs with this store.
    ///
    /// # Errors
    /// [`crate::Error::Store`] when it cannot be made.
    fn state_dir(&self) -> Result<std::path::PathBuf>;
}

impl<S: ReadStore + ?Sized> ReadStore for std::sync::Arc<S> {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>> {
        (**self).get(table, key)
    }
    fn get_history(&self, max_height: u64, key: &[u8]) -> Result<Option<Vec<u8>>> {
        (**self).get_history(max_height, key)
    }
    fn scan(&self, table: Table, prefix: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        (**self).scan(table, prefix, limit)
    }
    fn scan_back(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        (**self).scan_back(table, prefix, limit)
    }
}

impl<S: Store + ?Sized> Store for std::sync::Arc<S> {
    fn commit(&self, batch: &WriteBatch) -> Result<()> {
        (**self).commit(batch)
    }
    fn state_dir(&self) -> Result<std::path::PathBuf> {
        (**self).state_dir()
    }
}

/// The smallest key greater than every key starting with `prefix` (`None` when there is
/// none: the prefix is empty or all `0xff`).
pub(crate) fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// Encodes a history key: key length (u16 BE) ‖ state key ‖ height (u64 BE). The length
/// prefix keeps a key that extends another (`org/a` and `org/a…`) out of the other's
/// range of heights.
pub(crate) fn history_key(key: &[u8], height: u64) -> Vec<u8> {
    let len = u16::try_from(key.len()).unwrap_or(u16::MAX);
    let mut k = Vec::with_capacity(2 + key.len() + 8);
    k.extend_from_slice(&len.to_be_bytes());
    k.extend_from_slice(key);
    k.extend_from_slice(&height.to_be_bytes());
    k
}

/// Encodes an optional value: `0` for a deletion, `1 ‖ bytes` for a value.
pub(crate) fn encode_opt(v: &Option<Vec<u8>>) -> Vec<u8> {
    match v {
        None => vec![0],
        Some(b) => {
            let mut out = Vec::with_capacity(1 + b.len());
            out.push(1);
            out.extend_from_slice(b);
            out
        }
    }
}

/// Decodes [`encode_opt`].
pub(crate) fn decode_opt(b: &[u8]) -> Result<Option<Vec<u8>>> {
    match b.split_first() {
        Some((0, [])) => Ok(None),
        Some((1, rest)) => Ok(Some(rest.to_vec())),
        _ => Err(crate::Error::Corrupt { what: "state history", reason: "bad tag".into() }),
    }
}

/// Bytes a file or directory tree takes on disk: allocated blocks, as `du` counts them
/// (a missing path takes none).
///
/// # Errors
/// When a directory cannot be read.
pub fn disk_bytes(path: &std::path::Path) -> std::io::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Ok(meta.blocks() * 512);
    }
    let mut total = 0;
    for entry in std::fs::read_dir(path)? {
        total += disk_bytes(&entry?.path())?;
    }
    Ok(total)
}
