//! An in-memory [`Store`] over `BTreeMap`s, for tests and simulations.

use super::{decode_opt, encode_opt, prefix_end, value_key, ReadStore, Store, Table, WriteBatch};
use crate::Result;
use parking_lot::RwLock;
use std::collections::BTreeMap;

/// A [`Store`] that keeps everything in memory.
#[derive(Default)]
pub struct MemStore {
    inner: RwLock<Inner>,
}

#[derive(Default)]
struct Inner {
    tables: BTreeMap<(Table, Vec<u8>), Vec<u8>>,
    values: BTreeMap<Vec<u8>, Vec<u8>>,
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

    fn get_value(&self, max_version: u64, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let inner = self.inner.read();
        let lo = value_key(key, 0);
        let hi = value_key(key, max_version);
        match inner.values.range(lo..=hi).next_back() {
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
        for (key, version, v) in &batch.values {
            inner.values.insert(value_key(key, *version), encode_opt(v));
        }
        Ok(())
    }
}
