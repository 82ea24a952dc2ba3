//! The redb [`Store`]: one database file, one table per [`Table`] plus the history of the
//! records read at past heights (`state_history`); each [`Store::commit`] is one durable
//! redb write transaction. The ledger's state database lives in the directory named after
//! the file without its extension (`state.redb` → `state/`, [`Store::state_dir`]).
//!
//! Reads go through a shared snapshot — one read transaction with every table open —
//! taken at the first read after a commit and dropped by the next commit, instead of a
//! read transaction per lookup. A snapshot is never older than the last completed commit.

use super::{decode_opt, encode_opt, history_key, prefix_end, ReadStore, Store, Table, WriteBatch};
use crate::{Error, Result};
use parking_lot::Mutex;
use redb::{Database, ReadOnlyTable, ReadableDatabase, TableDefinition};
use std::{path::Path, sync::Arc};

type Def = TableDefinition<'static, &'static [u8], &'static [u8]>;

const HISTORY: Def = TableDefinition::new("state_history");

fn def(table: Table) -> Def {
    TableDefinition::new(table.name())
}

fn store_err(e: impl std::fmt::Display) -> Error {
    Error::Store(e.to_string())
}

type ReadTable = ReadOnlyTable<&'static [u8], &'static [u8]>;

/// A key and a value of a plain table, borrowed from a batch.
type Row<'a> = (&'a [u8], &'a [u8]);

/// Every table open in one read transaction.
struct Snapshot {
    /// Every table of [`Table::all`].
    tables: std::collections::BTreeMap<Table, ReadTable>,
    history: ReadTable,
}

impl Snapshot {
    fn table(&self, table: Table) -> Result<&ReadTable> {
        self.tables
            .get(&table)
            .ok_or_else(|| Error::Store(format!("table {} not open", table.name())))
    }
}

/// The space one table takes ([`RedbStore::table_stats`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TableStats {
    /// The table's name on disk.
    pub name: String,
    /// Rows.
    pub rows: u64,
    /// Bytes of keys and values.
    pub stored_bytes: u64,
    /// Bytes of B-tree branch pages and page headers.
    pub metadata_bytes: u64,
    /// Bytes allocated in the table's pages but unused.
    pub fragmented_bytes: u64,
}

impl TableStats {
    /// Everything the table takes.
    pub fn total(&self) -> u64 {
        self.stored_bytes + self.metadata_bytes + self.fragmented_bytes
    }
}

/// A [`Store`] in a redb database file.
pub struct RedbStore {
    db: Database,
    /// The database file.
    path: std::path::PathBuf,
    /// The read snapshot of the latest commit, once a read asked for it.
    snapshot: Mutex<Option<Arc<Snapshot>>>,
}

impl RedbStore {
    /// Opens (or creates) the database at `path` and makes sure every table exists: the
    /// platform's and every registered application's index tables ([`Table::all`]).
    ///
    /// # Errors
    /// [`Error::Store`] when the file cannot be opened or is not a redb database.
    pub fn open(path: &Path) -> Result<Self> {
        let db = Database::create(path).map_err(store_err)?;
        let tx = db.begin_write().map_err(store_err)?;
        for t in Table::all() {
            tx.open_table(def(t)).map_err(store_err)?;
        }
        tx.open_table(HISTORY).map_err(store_err)?;
        tx.commit().map_err(store_err)?;
        Ok(Self { db, path: path.to_path_buf(), snapshot: Mutex::new(None) })
    }

    /// Space used by each table (the platform's, the applications' and the history),
    /// largest first: rows, and the bytes redb reports as stored (keys and values), as
    /// B-tree metadata, and as fragmentation inside the table's pages.
    ///
    /// # Errors
    /// [`Error::Store`] when the engine fails.
    pub fn table_stats(&self) -> Result<Vec<TableStats>> {
        use redb::ReadableTableMetadata;
        let tx = self.db.begin_read().map_err(store_err)?;
        let defs = Table::all().into_iter().map(def).chain([HISTORY]);
        let mut out = Vec::new();
        for d in defs {
            let t = tx.open_table(d).map_err(store_err)?;
            let stats = t.stats().map_err(store_err)?;
            out.push(TableStats {
                name: redb::TableHandle::name(&d).to_string(),
                rows: t.len().map_err(store_err)?,
                stored_bytes: stats.stored_bytes(),
                metadata_bytes: stats.metadata_bytes(),
                fragmented_bytes: stats.fragmented_bytes(),
            });
        }
        out.sort_by(|a, b| b.total().cmp(&a.total()).then(a.name.cmp(&b.name)));
        Ok(out)
    }

    fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let mut cached = self.snapshot.lock();
        if let Some(s) = cached.as_ref() {
            return Ok(s.clone());
        }
        let tx = self.db.begin_read().map_err(store_err)?;
        let mut tables = std::collections::BTreeMap::new();
        for t in Table::all() {
            tables.insert(t, tx.open_table(def(t)).map_err(store_err)?);
        }
        let history = tx.open_table(HISTORY).map_err(store_err)?;
        let s = Arc::new(Snapshot { tables, history });
        *cached = Some(s.clone());
        Ok(s)
    }
}

impl ReadStore for RedbStore {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let s = self.snapshot()?;
        let t = s.table(table)?;
        Ok(t.get(key).map_err(store_err)?.map(|v| v.value().to_vec()))
    }

    fn get_history(&self, max_height: u64, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let s = self.snapshot()?;
        let t = &s.history;
        let lo = history_key(key, 0);
        let hi = history_key(key, max_height);
        let mut range = t.range::<&[u8]>(&lo[..]..=&hi[..]).map_err(store_err)?;
        match range.next_back() {
            Some(entry) => {
                let (_, v) = entry.map_err(store_err)?;
                decode_opt(v.value())
            }
            None => Ok(None),
        }
    }

    fn scan(&self, table: Table, prefix: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let s = self.snapshot()?;
        let t = s.table(table)?;
        let mut out = Vec::new();
        for entry in t.range::<&[u8]>(prefix..).map_err(store_err)? {
            let (k, v) = entry.map_err(store_err)?;
            if !k.value().starts_with(prefix) || out.len() >= limit {
                break;
            }
            out.push((k.value().to_vec(), v.value().to_vec()));
        }
        Ok(out)
    }

    fn scan_back(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let s = self.snapshot()?;
        let t = s.table(table)?;
        let range = match prefix_end(prefix) {
            Some(end) => t.range::<&[u8]>(prefix..&end[..]),
            None => t.range::<&[u8]>(prefix..),
        }
        .map_err(store_err)?;
        let mut out = Vec::new();
        for entry in range.rev() {
            let (k, v) = entry.map_err(store_err)?;
            if out.len() >= limit {
                break;
            }
            // Past the end of the prefix only when it is all 0xff (no upper bound).
            if k.value().starts_with(prefix) {
                out.push((k.value().to_vec(), v.value().to_vec()));
            }
        }
        Ok(out)
    }
}

impl Store for RedbStore {
    fn commit(&self, batch: &WriteBatch) -> Result<()> {
        let tx = self.db.begin_write().map_err(store_err)?;
        {
            let mut by_table: std::collections::BTreeMap<Table, Vec<Row<'_>>> = Default::default();
            for (table, k, v) in &batch.puts {
                by_table.entry(*table).or_default().push((k, v));
            }
            for (table, rows) in by_table {
                let mut t = tx.open_table(def(table)).map_err(store_err)?;
                for (k, v) in rows {
                    t.insert(k, v).map_err(store_err)?;
                }
            }
            let mut deletes: std::collections::BTreeMap<Table, Vec<&[u8]>> = Default::default();
            for (table, k) in &batch.deletes {
                deletes.entry(*table).or_default().push(k);
            }
            for (table, keys) in deletes {
                let mut t = tx.open_table(def(table)).map_err(store_err)?;
                for k in keys {
                    t.remove(k).map_err(store_err)?;
                }
            }
            for (table, start, end) in &batch.ranges {
                if start < end {
                    let mut t = tx.open_table(def(*table)).map_err(store_err)?;
                    t.retain_in::<&[u8], _>(&start[..]..&end[..], |_, _| false)
                        .map_err(store_err)?;
                }
            }
            let mut t = tx.open_table(HISTORY).map_err(store_err)?;
            for (key, height, v) in &batch.history {
                t.insert(history_key(key, *height).as_slice(), encode_opt(v).as_slice())
                    .map_err(store_err)?;
            }
        }
        tx.commit().map_err(store_err)?;
        // Readers after this commit must see it: drop the snapshot, so the next read
        // takes a new one (readers holding the old one finish on it). A snapshot being
        // taken concurrently holds the lock while it begins its read transaction, so it
        // is either dropped here or taken after the commit.
        *self.snapshot.lock() = None;
        Ok(())
    }

    fn state_dir(&self) -> Result<std::path::PathBuf> {
        let dir = self.path.with_extension("");
        Ok(if dir == self.path { self.path.with_extension("state") } else { dir })
    }
}
