//! The engine's persistent state and its canonical encoding.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Error;

/// The format version written by [`RiskState::to_bytes`] and required by
/// [`RiskState::from_bytes`].
pub const STATE_FORMAT: u32 = 1;

/// Everything the rules remember between blocks.
///
/// Only ordered collections are used, so the serde form, and in particular
/// [`RiskState::to_bytes`] (compact JSON), is canonical: two nodes that processed the
/// same blocks hold byte-identical states. The ledger persists these bytes after each
/// block, in the same write transaction, outside the state root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskState {
    /// Format version, [`STATE_FORMAT`].
    pub(crate) format: u32,
    /// Height of the last block processed.
    pub(crate) last_height: Option<u64>,
    /// Per-seller statistics, by USCC.
    pub(crate) sellers: BTreeMap<String, SellerState>,
    /// Live ring edges: seller → buyer → latest invoice.
    pub(crate) edges: BTreeMap<String, BTreeMap<String, Edge>>,
    /// Time index of `edges`: latest-invoice time → (seller, buyer).
    pub(crate) edges_by_time: BTreeMap<u64, BTreeSet<(String, String)>>,
    /// Rings already reported, canonical key → block time of the report.
    pub(crate) rings_reported: BTreeMap<String, u64>,
    /// Time index of `rings_reported`.
    pub(crate) rings_by_time: BTreeMap<u64, BTreeSet<String>>,
}

/// Per-seller statistics.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SellerState {
    /// China day of the seller's first blue invoice seen.
    pub(crate) first_day: Option<u64>,
    /// Daily buckets by China day, pruned to the trailing window.
    pub(crate) days: BTreeMap<u64, DayStats>,
    /// Day of the last volume-jump alert (one per seller per day).
    pub(crate) jump_alerted_day: Option<u64>,
    /// Day of the last issue-then-reverse alert (one per seller per day).
    pub(crate) reverse_alerted_day: Option<u64>,
}

/// One seller's totals for one China day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DayStats {
    /// Blue invoices issued, total with tax, fen.
    pub(crate) issued_fen: i64,
    /// Magnitude of quick reversals (within the reverse window of their blue), fen.
    pub(crate) quick_red_fen: i64,
    /// Number of quick reversals.
    pub(crate) quick_red_count: u32,
}

/// A live seller → buyer edge of the ring graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Edge {
    /// Block time of the latest invoice on this edge.
    pub(crate) last_ms: u64,
    /// Number of that invoice.
    pub(crate) number: String,
}

impl Default for RiskState {
    fn default() -> Self {
        RiskState {
            format: STATE_FORMAT,
            last_height: None,
            sellers: BTreeMap::new(),
            edges: BTreeMap::new(),
            edges_by_time: BTreeMap::new(),
            rings_reported: BTreeMap::new(),
            rings_by_time: BTreeMap::new(),
        }
    }
}

impl RiskState {
    /// The canonical encoding (compact JSON of ordered maps).
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        serde_json::to_vec(self).map_err(|e| Error::Encode(e.to_string()))
    }

    /// Decodes [`RiskState::to_bytes`] output, refusing other format versions.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let state: RiskState =
            serde_json::from_slice(bytes).map_err(|e| Error::Decode(e.to_string()))?;
        if state.format != STATE_FORMAT {
            return Err(Error::UnsupportedFormat { found: state.format, expected: STATE_FORMAT });
        }
        Ok(state)
    }

    /// Height of the last block processed, if any.
    pub fn last_height(&self) -> Option<u64> {
        self.last_height
    }

    /// Number of sellers with statistics.
    pub fn seller_count(&self) -> usize {
        self.sellers.len()
    }

    /// Number of daily buckets over all sellers.
    pub fn bucket_count(&self) -> usize {
        self.sellers.values().map(|s| s.days.len()).sum()
    }

    /// Number of live ring edges.
    pub fn edge_count(&self) -> usize {
        self.edges.values().map(BTreeMap::len).sum()
    }

    /// Number of rings remembered as reported.
    pub fn reported_ring_count(&self) -> usize {
        self.rings_reported.len()
    }

    /// Inserts or refreshes the edge `from → to` at `now` with invoice `number`.
    pub(crate) fn upsert_edge(&mut self, from: &str, to: &str, now: u64, number: &str) {
        let adjacency = self.edges.entry(from.to_owned()).or_default();
        let key = (from.to_owned(), to.to_owned());
        if let Some(edge) = adjacency.get_mut(to) {
            if let Some(set) = self.edges_by_time.get_mut(&edge.last_ms) {
                set.remove(&key);
                if set.is_empty() {
                    self.edges_by_time.remove(&edge.last_ms);
                }
            }
            edge.last_ms = now;
            number.clone_into(&mut edge.number);
        } else {
            adjacency.insert(to.to_owned(), Edge { last_ms: now, number: number.to_owned() });
        }
        self.edges_by_time.entry(now).or_default().insert(key);
    }

    /// Drops edges and reported rings whose time is before `cutoff`. The work is
    /// proportional to what is dropped.
    pub(crate) fn prune_before(&mut self, cutoff: u64) {
        let kept = self.edges_by_time.split_off(&cutoff);
        let expired = std::mem::replace(&mut self.edges_by_time, kept);
        for (from, to) in expired.into_values().flatten() {
            if let Some(adjacency) = self.edges.get_mut(&from) {
                adjacency.remove(&to);
                if adjacency.is_empty() {
                    self.edges.remove(&from);
                }
            }
        }
        let kept = self.rings_by_time.split_off(&cutoff);
        let expired = std::mem::replace(&mut self.rings_by_time, kept);
        for key in expired.into_values().flatten() {
            self.rings_reported.remove(&key);
        }
    }

    /// Remembers that ring `key` was reported at `now`.
    pub(crate) fn remember_ring(&mut self, key: String, now: u64) {
        self.rings_by_time.entry(now).or_default().insert(key.clone());
        self.rings_reported.insert(key, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_refresh_and_prune() {
        let mut s = RiskState::default();
        s.upsert_edge("A", "B", 10, "n1");
        s.upsert_edge("A", "C", 20, "n2");
        s.upsert_edge("A", "B", 30, "n3");
        assert_eq!(s.edge_count(), 2);
        assert_eq!(s.edges_by_time.len(), 2);
        assert_eq!(s.edges["A"]["B"], Edge { last_ms: 30, number: "n3".into() });
        s.prune_before(25);
        assert_eq!(s.edge_count(), 1);
        assert!(s.edges["A"].contains_key("B"));
        s.prune_before(31);
        assert_eq!(s.edge_count(), 0);
        assert!(s.edges.is_empty() && s.edges_by_time.is_empty());
    }

    #[test]
    fn bytes_round_trip_and_format_check() {
        let mut s = RiskState::default();
        s.upsert_edge("A", "B", 10, "n1");
        s.remember_ring("A>B".into(), 10);
        let bytes = s.to_bytes().unwrap();
        assert_eq!(RiskState::from_bytes(&bytes).unwrap(), s);
        let mut old = s.clone();
        old.format = 0;
        assert_eq!(
            RiskState::from_bytes(&old.to_bytes().unwrap()),
            Err(Error::UnsupportedFormat { found: 0, expected: STATE_FORMAT })
        );
        assert!(matches!(RiskState::from_bytes(b"{}"), Err(Error::Decode(_))));
    }
}
