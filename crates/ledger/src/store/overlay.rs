//! A block's writes while its durable commit is still running, and the store seen
//! through them.
//!
//! The ledger executes block `h + 1` while block `h`'s [`WriteBatch`] is being committed
//! on another thread. Execution then reads through an [`Overlaid`] store: the
//! [`Overlay`] of `h` (its plain rows, tree nodes and tree values) first, the store
//! underneath for everything else. The store underneath holds every block before `h`
//! (at most one commit is in flight), so a key the overlay does not have is the same
//! whether `h`'s commit has landed yet or not.

use super::{ReadStore, Table, WriteBatch};
use crate::Result;
use std::collections::HashMap;

/// A staged block's batch, indexed for reading.
pub(crate) struct Overlay {
    /// The batch, as it is being committed.
    pub batch: WriteBatch,
    /// (table, key) → index into `batch.puts`.
    puts: HashMap<(Table, Vec<u8>), usize>,
    /// state key → index into `batch.values` (a block writes a key at most once).
    values: HashMap<Vec<u8>, usize>,
    /// Rows the batch deletes.
    deleted: std::collections::HashSet<(Table, Vec<u8>)>,
}

impl Overlay {
    /// Indexes `batch`.
    pub fn new(batch: WriteBatch) -> Self {
        let puts =
            batch.puts.iter().enumerate().map(|(i, (t, k, _))| ((*t, k.clone()), i)).collect();
        let values =
            batch.values.iter().enumerate().map(|(i, (key, _, _))| (key.clone(), i)).collect();
        let deleted = batch.deletes.iter().cloned().collect();
        Self { batch, puts, values, deleted }
    }

    fn deletes(&self, table: Table, key: &[u8]) -> bool {
        self.deleted.contains(&(table, key.to_vec())) || self.batch.range_deletes(table, key)
    }

    /// Whether the batch deletes a range of `table` (a scan underneath cannot know how
    /// many of its rows go).
    fn deletes_ranges_of(&self, table: Table) -> bool {
        self.batch.ranges.iter().any(|(t, _, _)| *t == table)
    }

    /// The rows of `table` under `prefix` as this batch leaves them, merged over `rows`
    /// read from the store underneath.
    fn merge(
        &self,
        table: Table,
        prefix: &[u8],
        rows: Vec<(Vec<u8>, Vec<u8>)>,
    ) -> std::collections::BTreeMap<Vec<u8>, Vec<u8>> {
        let mut rows: std::collections::BTreeMap<Vec<u8>, Vec<u8>> = rows.into_iter().collect();
        for (t, k, v) in &self.batch.puts {
            if *t == table && k.starts_with(prefix) {
                rows.insert(k.clone(), v.clone());
            }
        }
        for (t, k) in &self.batch.deletes {
            if *t == table {
                rows.remove(k);
            }
        }
        rows.retain(|k, _| !self.batch.range_deletes(table, k));
        rows
    }

    fn get(&self, table: Table, key: &[u8]) -> Option<&[u8]> {
        // A later put of the same row wins, as in the store's commit.
        let i = *self.puts.get(&(table, key.to_vec()))?;
        self.batch.puts.get(i).map(|(_, _, v)| v.as_slice())
    }

    fn value(&self, max_version: u64, key: &[u8]) -> Option<&Option<Vec<u8>>> {
        let i = *self.values.get(key)?;
        let (_, version, value) = self.batch.values.get(i)?;
        (*version <= max_version).then_some(value)
    }
}

/// A store seen through the overlay of the block whose commit is in flight, if any.
pub(crate) struct Overlaid<'a, S: ?Sized> {
    pub store: &'a S,
    pub overlay: Option<&'a Overlay>,
}

impl<S: ReadStore + ?Sized> ReadStore for Overlaid<'_, S> {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.overlay.and_then(|o| o.get(table, key)) {
            return Ok(Some(v.to_vec()));
        }
        if self.overlay.is_some_and(|o| o.deletes(table, key)) {
            return Ok(None);
        }
        self.store.get(table, key)
    }

    fn get_value(&self, max_version: u64, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.overlay.and_then(|o| o.value(max_version, key)) {
            return Ok(v.clone());
        }
        self.store.get_value(max_version, key)
    }

    fn scan(&self, table: Table, prefix: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let Some(overlay) = self.overlay else { return self.store.scan(table, prefix, limit) };
        // Enough rows underneath that the batch's deletions cannot leave fewer than `limit`.
        let want = if overlay.deletes_ranges_of(table) {
            usize::MAX
        } else {
            limit.saturating_add(overlay.batch.deletes.len())
        };
        let rows = overlay.merge(table, prefix, self.store.scan(table, prefix, want)?);
        Ok(rows.into_iter().take(limit).collect())
    }

    fn scan_back(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let Some(overlay) = self.overlay else {
            return self.store.scan_back(table, prefix, limit);
        };
        let want = if overlay.deletes_ranges_of(table) {
            usize::MAX
        } else {
            limit.saturating_add(overlay.batch.deletes.len())
        };
        let rows = overlay.merge(table, prefix, self.store.scan_back(table, prefix, want)?);
        Ok(rows.into_iter().rev().take(limit).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemStore, Store};

    #[test]
    fn overlay_rows_and_values_shadow_the_store() {
        let store = MemStore::new();
        let mut base = WriteBatch::default();
        base.put(Table::Alerts, b"a1".to_vec(), b"old".to_vec());
        base.put(Table::Alerts, b"a3".to_vec(), b"kept".to_vec());
        base.values.push((b"k1".to_vec(), 1, Some(b"v1".to_vec())));
        base.values.push((b"k2".to_vec(), 1, Some(b"w1".to_vec())));
        // A key extending another: never inside the other's version range.
        base.values.push((b"k1\0\0\0\0\0\0\0\0".to_vec(), 0, Some(b"x".to_vec())));
        store.commit(&base).unwrap();

        let mut next = WriteBatch::default();
        next.put(Table::Alerts, b"a1".to_vec(), b"new".to_vec());
        next.put(Table::Alerts, b"a2".to_vec(), b"added".to_vec());
        next.put(Table::AlertsByRule, b"a0".to_vec(), b"other table".to_vec());
        next.values.push((b"k1".to_vec(), 2, Some(b"v2".to_vec())));
        let overlay = Overlay::new(next);
        let view = Overlaid { store: &store, overlay: Some(&overlay) };

        assert_eq!(view.get(Table::Alerts, b"a1").unwrap().unwrap(), b"new");
        assert_eq!(view.get(Table::Alerts, b"a3").unwrap().unwrap(), b"kept");
        assert_eq!(view.get(Table::Alerts, b"a9").unwrap(), None);
        // The overlay's version 2 is seen at 2, not at 1.
        assert_eq!(view.get_value(2, b"k1").unwrap().unwrap(), b"v2");
        assert_eq!(view.get_value(1, b"k1").unwrap().unwrap(), b"v1");
        assert_eq!(view.get_value(2, b"k2").unwrap().unwrap(), b"w1");
        assert_eq!(view.get_value(0, b"k1").unwrap(), None);
        assert_eq!(store.get_value(0, b"k1").unwrap(), None);
        assert_eq!(store.get_value(9, b"k1\0\0\0\0\0\0\0\0").unwrap().unwrap(), b"x");
        let rows = view.scan(Table::Alerts, b"a", 10).unwrap();
        let keys: Vec<&[u8]> = rows.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, [b"a1".as_slice(), b"a2", b"a3"]);
        assert_eq!(rows[0].1, b"new");
        assert_eq!(view.scan(Table::Alerts, b"a", 2).unwrap().len(), 2);
        let back = view.scan_back(Table::Alerts, b"a", 2).unwrap();
        let keys: Vec<&[u8]> = back.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, [b"a3".as_slice(), b"a2"]);
    }

    #[test]
    fn overlay_deletions_hide_rows_of_the_store_from_every_read() {
        let store = MemStore::new();
        let mut base = WriteBatch::default();
        for k in [b"p1", b"p2", b"p3", b"p4"] {
            base.put(Table::Alerts, k.to_vec(), b"v".to_vec());
        }
        store.commit(&base).unwrap();
        let mut next = WriteBatch::default();
        next.delete(Table::Alerts, b"p4".to_vec());
        next.delete(Table::Alerts, b"p1".to_vec());
        next.put(Table::Alerts, b"p0".to_vec(), b"new".to_vec());
        let overlay = Overlay::new(next);
        let view = Overlaid { store: &store, overlay: Some(&overlay) };
        assert_eq!(view.get(Table::Alerts, b"p1").unwrap(), None);
        assert_eq!(view.get(Table::Alerts, b"p2").unwrap().unwrap(), b"v");
        let keys = |rows: Vec<(Vec<u8>, Vec<u8>)>| -> Vec<Vec<u8>> {
            rows.into_iter().map(|(k, _)| k).collect()
        };
        // Two rows asked for: the deleted ones are skipped, not counted.
        assert_eq!(
            keys(view.scan(Table::Alerts, b"p", 2).unwrap()),
            [b"p0".to_vec(), b"p2".to_vec()]
        );
        assert_eq!(
            keys(view.scan_back(Table::Alerts, b"p", 2).unwrap()),
            [b"p3".to_vec(), b"p2".to_vec()]
        );
        // Once committed, the store agrees with the view.
        store.commit(&overlay.batch).unwrap();
        assert_eq!(
            keys(store.scan(Table::Alerts, b"p", 9).unwrap()),
            keys(view.scan(Table::Alerts, b"p", 9).unwrap())
        );
        assert_eq!(store.get(Table::Alerts, b"p4").unwrap(), None);
    }
}
