//! The ledger's side of the index seam (ADR 0008 part B): one [`IndexTxn`] per block over
//! the view execution reads (the store seen through the previous block's commit in
//! flight), the applications' hooks driven after each successful transaction and after
//! the block, and generic reads of registered index tables at the durable tip.
//!
//! The rows the hooks write are kept in one map, the last write of a row winning, and
//! staged in the block's write batch, so a batch never both puts and deletes a row.

use crate::{
    exec::Committed,
    ledger::Ledger,
    store::{ReadStore, Store, Table, WriteBatch},
    Error, Result,
};
use fapiao_app::{BlockIndex, IndexRead, IndexTable, IndexTxn, Scan, States, TxIndex};
use fapiao_types::{Block, Receipt, StateKey};
use std::collections::BTreeMap;

/// A result of the seam's reads (a message on failure).
type Res<T> = core::result::Result<T, String>;

/// The index rows of one block, over the store as execution sees it.
pub(crate) struct BlockRows<'a, S: ?Sized> {
    store: &'a S,
    /// (table, key) → `Some(value)` to put, `None` to delete.
    rows: BTreeMap<(Table, Vec<u8>), Option<Vec<u8>>>,
}

impl<'a, S: ReadStore + ?Sized> BlockRows<'a, S> {
    /// No rows yet, over `store`.
    pub fn new(store: &'a S) -> Self {
        Self { store, rows: BTreeMap::new() }
    }

    /// Stages the rows in `batch`.
    pub fn stage(self, batch: &mut WriteBatch) {
        for ((table, k), v) in self.rows {
            match v {
                Some(v) => batch.put(table, k, v),
                None => batch.delete(table, k),
            }
        }
    }
}

impl<S: ReadStore + ?Sized> IndexRead for BlockRows<'_, S> {
    fn get(&self, table: &'static IndexTable, key: &[u8]) -> Res<Option<Vec<u8>>> {
        let table = Table::Index(table);
        if let Some(v) = self.rows.get(&(table, key.to_vec())) {
            return Ok(v.clone());
        }
        self.store.get(table, key).map_err(|e| e.to_string())
    }

    fn scan(
        &self,
        table: &'static IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Res<fapiao_app::Rows> {
        let table = Table::Index(table);
        let pending: Vec<(&Vec<u8>, &Option<Vec<u8>>)> = self
            .rows
            .range((table, prefix.to_vec())..)
            .take_while(|((t, k), _)| *t == table && k.starts_with(prefix))
            .map(|((_, k), v)| (k, v))
            .collect();
        // Enough rows underneath that this block's deletions cannot leave fewer than
        // `limit`.
        let deleted = pending.iter().filter(|(_, v)| v.is_none()).count();
        let want = limit.saturating_add(deleted);
        let under = scan_in(self.store, table, prefix, want, dir).map_err(|e| e.to_string())?;
        let mut rows: BTreeMap<Vec<u8>, Vec<u8>> = under.into_iter().collect();
        for (k, v) in pending {
            match v {
                Some(v) => rows.insert(k.clone(), v.clone()),
                None => rows.remove(k),
            };
        }
        Ok(match dir {
            Scan::Forward => rows.into_iter().take(limit).collect(),
            Scan::Backward => rows.into_iter().rev().take(limit).collect(),
        })
    }
}

impl<S: ReadStore + ?Sized> IndexTxn for BlockRows<'_, S> {
    fn put(&mut self, table: &'static IndexTable, key: Vec<u8>, value: Vec<u8>) {
        self.rows.insert((Table::Index(table), key), Some(value));
    }

    fn delete(&mut self, table: &'static IndexTable, key: Vec<u8>) {
        self.rows.insert((Table::Index(table), key), None);
    }
}

/// The state before the block (`committed`) and after the writes so far (`writes`
/// first).
pub(crate) struct StateView<'a, S: ?Sized> {
    pub committed: &'a Committed<'a, S>,
    pub writes: &'a BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl<S: ReadStore + ?Sized> States for StateView<'_, S> {
    fn before(&self, key: &StateKey) -> Res<Option<Vec<u8>>> {
        self.committed.get_raw(&key.to_bytes()).map_err(|e| e.to_string())
    }

    fn after(&self, key: &StateKey) -> Res<Option<Vec<u8>>> {
        let k = key.to_bytes();
        match self.writes.get(&k) {
            Some(v) => Ok(v.clone()),
            None => self.committed.get_raw(&k).map_err(|e| e.to_string()),
        }
    }
}

fn hook_failed(app: &dyn fapiao_app::Application, e: fapiao_app::Error) -> Error {
    Error::Application(format!("{} index: {e}", app.name()))
}

/// Runs every application's per-transaction hook for `tx` (a transaction that
/// succeeded).
///
/// # Errors
/// [`Error::Application`] when a hook fails: the block must not be applied.
pub(crate) fn after_tx(tx: &TxIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
    for app in crate::apps::APPS {
        app.index_tx(tx, out).map_err(|e| hook_failed(*app, e))?;
    }
    Ok(())
}

/// Runs every application's per-block hook.
///
/// # Errors
/// As [`after_tx`].
pub(crate) fn after_block<S: ReadStore + ?Sized>(
    committed: &Committed<'_, S>,
    writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    block: &Block,
    receipts: &[Receipt],
    out: &mut dyn IndexTxn,
) -> Result<()> {
    let state = StateView { committed, writes };
    let b = BlockIndex { block, receipts, writes, state: &state };
    for app in crate::apps::APPS {
        app.index_block(&b, out).map_err(|e| hook_failed(*app, e))?;
    }
    Ok(())
}

/// The registered table named by `table`, or an error.
fn registered(table: &'static IndexTable) -> Result<Table> {
    match crate::apps::index_table(table.name) {
        Some(t) if t == table => Ok(Table::Index(t)),
        _ => Err(Error::Store(format!("index table {} is not registered", table.name))),
    }
}

impl<S: Store> Ledger<S> {
    /// Row `key` of the registered index table `table`, at the durable tip.
    ///
    /// # Errors
    /// Storage errors; [`Error::Store`] for a table no application registered.
    pub fn index_get(&self, table: &'static IndexTable, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.store().get(registered(table)?, key)
    }

    /// Up to `limit` rows of the registered index table `table` under `prefix`, in `dir`
    /// order, at the durable tip.
    ///
    /// # Errors
    /// As [`Ledger::index_get`].
    pub fn index_scan(
        &self,
        table: &'static IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Result<fapiao_app::Rows> {
        scan_in(self.store(), registered(table)?, prefix, limit, dir)
    }
}

/// Up to `limit` rows of `table` under `prefix` in `store`, in `dir` order.
fn scan_in<S: ReadStore + ?Sized>(
    store: &S,
    table: Table,
    prefix: &[u8],
    limit: usize,
    dir: Scan,
) -> Result<fapiao_app::Rows> {
    match dir {
        Scan::Forward => store.scan(table, prefix, limit),
        Scan::Backward => store.scan_back(table, prefix, limit),
    }
}

/// Reads of the durable tip's index tables, for application read functions.
impl<S: Store> IndexRead for Ledger<S> {
    fn get(&self, table: &'static IndexTable, key: &[u8]) -> Res<Option<Vec<u8>>> {
        self.index_get(table, key).map_err(|e| e.to_string())
    }

    fn scan(
        &self,
        table: &'static IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Res<fapiao_app::Rows> {
        self.index_scan(table, prefix, limit, dir).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemStore;

    static ROWS: IndexTable = IndexTable { app: "test", name: "test_rows" };
    static OTHER: IndexTable = IndexTable { app: "test", name: "test_other" };

    fn keys(rows: fapiao_app::Rows) -> Vec<Vec<u8>> {
        rows.into_iter().map(|(k, _)| k).collect()
    }

    /// A block's reads see the store, then this block's pending rows; the last write of a
    /// row wins and is what gets staged.
    #[test]
    fn block_rows_read_the_store_and_their_own_writes() {
        let store = MemStore::new();
        let mut base = WriteBatch::default();
        for k in [b"p1", b"p2", b"p3"] {
            base.put(Table::Index(&ROWS), k.to_vec(), b"durable".to_vec());
        }
        store.commit(&base).unwrap();
        // Block h − 1: rewrote p2, deleted p3.
        let mut prev = WriteBatch::default();
        prev.put(Table::Index(&ROWS), b"p2".to_vec(), b"rewritten".to_vec());
        prev.delete(Table::Index(&ROWS), b"p3".to_vec());
        store.commit(&prev).unwrap();
        let mut rows = BlockRows::new(&store);
        assert_eq!(rows.get(&ROWS, b"p2").unwrap().unwrap(), b"rewritten");
        assert_eq!(rows.get(&ROWS, b"p3").unwrap(), None);
        rows.put(&ROWS, b"p0".to_vec(), b"new".to_vec());
        rows.delete(&ROWS, b"p1".to_vec());
        rows.put(&ROWS, b"p4".to_vec(), b"gone again".to_vec());
        rows.delete(&ROWS, b"p4".to_vec());
        rows.put(&OTHER, b"p9".to_vec(), Vec::new());
        assert_eq!(rows.get(&ROWS, b"p0").unwrap().unwrap(), b"new");
        assert_eq!(rows.get(&ROWS, b"p1").unwrap(), None);
        assert_eq!(keys(rows.scan(&ROWS, b"p", 9, Scan::Forward).unwrap()), [b"p0", b"p2"]);
        assert_eq!(keys(rows.scan(&ROWS, b"p", 1, Scan::Forward).unwrap()), [b"p0"]);
        assert_eq!(keys(rows.scan(&ROWS, b"p", 1, Scan::Backward).unwrap()), [b"p2"]);
        assert_eq!(keys(rows.scan(&OTHER, b"", 9, Scan::Forward).unwrap()), [b"p9"]);
        let mut batch = WriteBatch::default();
        rows.stage(&mut batch);
        // One entry per row: p0 put, p1 and p4 deleted, p9 put.
        assert_eq!(batch.puts.len() + batch.deletes.len(), 4);
        assert!(batch.deletes.iter().all(|(_, k)| k == b"p1" || k == b"p4"));
    }

    /// The generic reads answer only for tables an application registered.
    #[test]
    fn generic_reads_refuse_an_unregistered_table() {
        assert!(registered(&ROWS).is_err());
        let history = crate::apps::index_table("history").unwrap();
        assert_eq!(registered(history).unwrap(), Table::Index(history));
    }
}
