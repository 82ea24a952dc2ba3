//! An in-memory [`Store`] over `BTreeMap`s, for tests and simulations. The ledger's state
//! database still runs on disk: in a temporary directory the store creates at its first
//! use and deletes when it is dropped, so a ledger reopened on the same store (an
//! `Arc<MemStore>`) finds its state again.

use super::{decode_opt, encode_opt, history_key, prefix_end, ReadStore, Store, Table, WriteBatch};
use crate::Result;
use parking_lot::RwLock;
use std::collections::BTreeMap;

/// A [`Store`] that keeps everything in memory.
#[derive(Default)]
pub struct MemStore {
    inner: RwLock<Inner>,
    /// The state database's temporary directory (deleted with the store), once made.
    state_dir: parking_lot::Mutex<Option<tempfile::TempDir>>,
}

#[derive(Default)]
struct Inner {
    tables: BTreeMap<(Table, Vec<u8>), Vec<u8>>,
    history: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl MemStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl ReadStore for MemStore {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.inner.read().tables.get(&(table, key.to_vec())).cloned())
    }

    fn get_history(&self, max_height: u64, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let inner = self.inner.read();
        let lo = history_key(key, 0);
        let hi = history_key(key, max_height);
        match inner.history.range(lo..=hi).next_back() {
            Some((_, v)) => decode_opt(v),
            None => Ok(None),
        }
    }

    fn scan(&self, table: Table, prefix: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let inner = self.inner.read();
        Ok(inner
            .tables
            .range((table, prefix.to_vec())..)
            .take_while(|((t, k), _)| *t == table && k.starts_with(prefix))
            .take(limit)
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect())
    }

    fn scan_back(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let inner = self.inner.read();
        let lo = (table, prefix.to_vec());
        let rows: Box<dyn DoubleEndedIterator<Item = _>> = match prefix_end(prefix) {
            Some(end) => Box::new(inner.tables.range(lo..(table, end))),
            None => Box::new(inner.tables.range(lo..)),
        };
        Ok(rows
            .rev()
            .filter(|((t, k), _)| *t == table && k.starts_with(prefix))
            .take(limit)
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect())
    }
}

impl Store for MemStore {
    fn commit(&self, batch: &WriteBatch) -> Result<()> {
        let mut inner = self.inner.write();
        for (table, k, v) in &batch.puts {
            inner.tables.insert((*table, k.clone()), v.clone());
        }
        for (table, k) in &batch.deletes {
            inner.tables.remove(&(*table, k.clone()));
        }
        for (table, start, end) in &batch.ranges {
            if start < end {
                let doomed: Vec<_> = inner
                    .tables
                    .range((*table, start.clone())..(*table, end.clone()))
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in doomed {
                    inner.tables.remove(&k);
                }
            }
        }
        for (key, height, v) in &batch.history {
            inner.history.insert(history_key(key, *height), encode_opt(v));
        }
        Ok(())
    }

    fn state_dir(&self) -> Result<std::path::PathBuf> {
        let mut dir = self.state_dir.lock();
        if let Some(d) = dir.as_ref() {
            return Ok(d.path().to_path_buf());
        }
        let made = tempfile::Builder::new()
            .prefix("fapiao-memstore-")
            .tempdir()
            .map_err(|e| crate::Error::Store(format!("a temporary state directory: {e}")))?;
        let path = made.path().to_path_buf();
        *dir = Some(made);
        Ok(path)
    }
}
