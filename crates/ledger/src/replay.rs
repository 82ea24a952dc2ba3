//! Replay protection by expiry (ADR 0009 §Decision item 9).
//!
//! A transaction carries an `expiry` height and is refused (`expired`) in any block above
//! it, so the ledger only has to remember the hashes of transactions that could still be
//! included: the `replay` table ([`Table::Replay`]) is keyed `expiry (u64 BE) ‖ tx hash`,
//! and executing block `h` range-deletes every row whose expiry is below `h` in the
//! block's one write transaction. Rows are appended at a few points (a block's
//! transactions share a handful of expiries) and deleted from the front, instead of one
//! random page per transaction as a table keyed by hash costs.
//!
//! The decision is the one a set of every executed hash would give, for every
//! transaction that is not expired: a transaction whose row was deleted has an expiry
//! below the current height, so it is refused as `expired` before the set is asked
//! (`tests/it/replay.rs` checks this against a naive set over random sequences).
//!
//! Each row's value is where the transaction is (height ‖ index), so a client that knows
//! a transaction (and so its expiry) finds its receipt while the row lives, even when
//! the node keeps no index by hash ([`crate::Ledger::with_tx_index`]).

use crate::{
    store::{ReadStore, Table, WriteBatch},
    Error, Result,
};
use fapiao_types::Hash32;

/// The replay row's key: `expiry (u64 BE) ‖ hash`.
pub fn key(expiry: u64, hash: &Hash32) -> [u8; 40] {
    let mut k = [0u8; 40];
    k[..8].copy_from_slice(&expiry.to_be_bytes());
    k[8..].copy_from_slice(hash);
    k
}

/// The replay row's value: `height (u64 BE) ‖ index (u32 BE)`.
pub fn value(height: u64, index: u32) -> [u8; 12] {
    let mut v = [0u8; 12];
    v[..8].copy_from_slice(&height.to_be_bytes());
    v[8..].copy_from_slice(&index.to_be_bytes());
    v
}

/// Where the transaction `hash` with `expiry` was executed (height, index in its block),
/// if its row is still kept.
///
/// # Errors
/// Storage errors; [`Error::Corrupt`] for a row of the wrong length.
pub fn find<S: ReadStore + ?Sized>(
    store: &S,
    expiry: u64,
    hash: &Hash32,
) -> Result<Option<(u64, u32)>> {
    match store.get(Table::Replay, &key(expiry, hash))? {
        Some(v) if v.len() == 12 => {
            let mut h = [0u8; 8];
            h.copy_from_slice(&v[..8]);
            let mut i = [0u8; 4];
            i.copy_from_slice(&v[8..]);
            Ok(Some((u64::from_be_bytes(h), u32::from_be_bytes(i))))
        }
        Some(_) => Err(Error::Corrupt { what: "replay", reason: "bad row length".into() }),
        None => Ok(None),
    }
}

/// Whether executing a transaction with `expiry` in block `height` must ask the replay
/// set at all: an expired one is refused as such, and its row may be gone.
pub fn live(expiry: u64, height: u64) -> bool {
    expiry >= height
}

/// Stages, in block `height`'s batch, the deletion of every row whose expiry is below
/// `height` (no transaction with such an expiry can be executed from this block on).
pub fn prune(batch: &mut WriteBatch, height: u64) {
    if height > 0 {
        batch.delete_range(Table::Replay, Vec::new(), height.to_be_bytes().to_vec());
    }
}
