//! [`QmdbState`]: the authenticated state in Commonware's QMDB
//! (`qmdb::current::ordered::variable`, commonware-storage 2026.10.0), ADR 0009's state
//! engine, which the ledger runs its state on.
//!
//! # What it does
//!
//! * **Keys and values.** A state path's database key is
//!   [`fapiao_types::state_order::qmdb_key`] (`order ‖ path`: invoice kinds in issuance
//!   order, the others by a hash), and the value stored is
//!   [`fapiao_types::state_order::stored_value`]: the record, or for a private kind
//!   (`invoice-body`, `invoice-circ`, `invoice-red`) a 32-byte commitment to it. An ordered
//!   absence proof carries the whole value of the key before the absent one; storing
//!   commitments means such a proof next to a private record carries none of its bytes. The
//!   private records themselves are the caller's to keep (the ledger's redb, with the
//!   bodies). [`QmdbState::get`] and [`QmdbProof::value`] return what is stored.
//! * **One block, one batch, one durable commit.** [`QmdbState::apply_block`] writes the
//!   block's changes as one batch, merkleizes it (the [`Proportional`] floor policy), applies
//!   it and commits it with the height as commit metadata: when it returns, the state after
//!   that height is durable and [`QmdbCommit`] gives its root, log size and sync boundary.
//!   Changes are checked first against the bounds the offline verifier decodes with (path ≤
//!   [`fapiao_types::state_order::MAX_STATE_PATH`], stored value ≤ [`fapiao_types::state_order::MAX_STATE_VALUE`]) so an honest proof is never
//!   refused; a block is refused whole, with nothing written.
//! * **Proofs at the current root.** [`QmdbState::prove`] returns the stored value (or its
//!   absence) with the engine's encoded `KeyValueProof` or `ExclusionProof`, which
//!   `fapiao_verify::current` checks with the root alone ([`fapiao_verify::verify_state_record`]
//!   and [`fapiao_verify::verify_state_absence`] take the path). QMDB proves only against
//!   its current root, so a proof is made at the executed tip and certified later by a
//!   header committing to that root (ADR 0009 Decision 3).
//! * **Two stores, one order** (Decision 5). After each commit the caller records
//!   [`QmdbCommit::size`] beside the height in redb; [`QmdbState::open_at`] reopens at the
//!   latest commit with at most that many operations — discarding the later ones — so a
//!   crash between the QMDB commit and the redb commit re-executes one block. [`QmdbState::prune`] never goes beyond the
//!   [`QmdbCommit::sync_boundary`] of the oldest height the caller may reopen to (the engine
//!   cannot reopen a commit whose inactivity floor was pruned).
//!
//! # The by-value handle
//!
//! The engine's `apply_batch`, `commit`, `prune` and `sync` consume the database and return
//! it only on success. `QmdbState` keeps the handle in an `Option`: an operation that fails
//! after taking it returns [`Error::Engine`] with `lost: true`, and every later call
//! returns [`Error::Closed`] until the caller reopens it ([`QmdbState::reopen`], at
//! the last commit or at a recorded size) and resumes from [`QmdbState::height`]. A failure
//! before the handle is taken (a bad change, a failed read or merkleize, a batch the engine
//! rejects in `validate_batch`) keeps it, with `lost: false`. Nothing is retried here: the
//! node's state task decides (ADR 0009 Decision 4). A future dropped mid-operation loses the
//! handle the same way, so the caller runs these on a task consensus cannot cancel.
//!
//! # Readers
//!
//! There is no MVCC: reads see what was applied. Reads take `&self`, writes `&mut self`, so
//! a caller holding `QmdbState` behind a read-write lock gives readers the durable tip, and
//! the writer holds the lock alone only for [`QmdbState::apply_block`] (milliseconds).

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod config;
mod error;

use commonware_codec::Encode as _;
use commonware_runtime::{Spawner, Supervisor};
use commonware_storage::{merkle::Location, qmdb::floor::Proportional, Context};
pub use config::{config, OpCfg, StateDb, CHUNK};
pub use error::{Error, Result};
use fapiao_types::state_order::{out_of_bounds, qmdb_key, stored_value};
use std::collections::BTreeMap;

/// What a runtime context must provide to run the state database (the node's tokio context,
/// or the deterministic one in tests).
pub trait StateContext: Context + Spawner + Supervisor {}
impl<T: Context + Spawner + Supervisor> StateContext for T {}

/// One block's changes: each state path with its new record, or `None` to delete it.
pub type Changes = Vec<(Vec<u8>, Option<Vec<u8>>)>;

/// What one durable commit left: what the caller records beside the height.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QmdbCommit {
    /// The block height (the commit's metadata).
    pub height: u64,
    /// The canonical root of the state after it.
    pub root: [u8; 32],
    /// Operations in the log after it: the size [`QmdbState::open_at`] reopens at.
    pub size: u64,
    /// The furthest [`QmdbState::prune`] may go while this commit must stay reopenable.
    pub sync_boundary: u64,
}

/// A stored value (or its absence) with its encoded proof at the current root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QmdbProof {
    /// The root the proof was made at (the current root when it was made): the only one it
    /// verifies against.
    pub root: [u8; 32],
    /// The stored value (a private kind's commitment), `None` when the path is absent.
    pub value: Option<Vec<u8>>,
    /// The engine's encoding of a `KeyValueProof` (value) or `ExclusionProof` (absence).
    pub proof: Vec<u8>,
}

/// The state database, owned by one task (see the module docs).
pub struct QmdbState<E: StateContext> {
    context: E,
    prefix: String,
    db: Option<StateDb<E>>,
    /// The height of the last commit, read from its metadata at open and kept after.
    height: Option<u64>,
}

fn engine<T: core::fmt::Display>(op: &'static str, lost: bool) -> impl FnOnce(T) -> Error {
    move |e| Error::Engine { op, reason: e.to_string(), lost }
}

fn digest(d: &impl AsRef<[u8]>) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(d.as_ref());
    out
}

fn lossy(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

impl<E: StateContext> QmdbState<E> {
    /// Opens (or creates) the state database whose storage partitions are named
    /// `<prefix>-…` in `context`'s storage, at its latest commit.
    ///
    /// # Errors
    /// [`Error::Engine`] when the engine cannot open it.
    pub async fn open(context: E, prefix: &str) -> Result<Self> {
        let mut state = Self { context, prefix: prefix.to_string(), db: None, height: None };
        state.reopen(None).await?;
        Ok(state)
    }

    /// Opens the state database at the latest commit with at most `size` operations: the
    /// [`QmdbCommit::size`] recorded for a height. This rewinds: the later commits are
    /// discarded, durably before it returns, so a plain [`QmdbState::open`] afterwards finds
    /// the same height (crash recovery re-executes from there).
    ///
    /// # Errors
    /// [`Error::Engine`] when the engine cannot open it there (a size it never had, or a
    /// commit whose floor was pruned).
    pub async fn open_at(context: E, prefix: &str, size: u64) -> Result<Self> {
        let mut state = Self { context, prefix: prefix.to_string(), db: None, height: None };
        state.reopen(Some(size)).await?;
        Ok(state)
    }

    /// Drops the handle (if any) and reopens the database at its latest commit (`None`) or at
    /// the latest commit with at most `size` operations. What a caller does after
    /// [`Error::Engine`] with `lost: true`.
    ///
    /// # Errors
    /// [`Error::Engine`] (`lost: true`) when the engine cannot open it.
    pub async fn reopen(&mut self, size: Option<u64>) -> Result<()> {
        drop(self.db.take());
        self.height = None;
        let config = config(&self.prefix);
        let at = size.map(Location::new);
        let db = StateDb::init(self.context.child("qmdb"), config, at)
            .await
            .map_err(engine("open", true))?;
        tracing::debug!(prefix = %self.prefix, size = *db.bounds().end, "state database opened");
        self.db = Some(db);
        self.height = self.stored_height().await?;
        Ok(())
    }

    fn db(&self) -> Result<&StateDb<E>> {
        self.db.as_ref().ok_or(Error::Closed)
    }

    /// The canonical root of the current state.
    ///
    /// # Errors
    /// [`Error::Closed`] when the handle was lost.
    pub fn root(&self) -> Result<[u8; 32]> {
        Ok(digest(&self.db()?.root()))
    }

    /// Operations in the log (the size [`QmdbState::open_at`] takes).
    ///
    /// # Errors
    /// [`Error::Closed`] when the handle was lost.
    pub fn size(&self) -> Result<u64> {
        Ok(*self.db()?.bounds().end)
    }

    /// The furthest [`QmdbState::prune`] may go now.
    ///
    /// # Errors
    /// [`Error::Closed`] when the handle was lost.
    pub fn sync_boundary(&self) -> Result<u64> {
        Ok(*self.db()?.sync_boundary())
    }

    /// The lowest operation the log still holds (everything below was pruned).
    ///
    /// # Errors
    /// [`Error::Closed`] when the handle was lost.
    pub fn pruned_to(&self) -> Result<u64> {
        Ok(*self.db()?.bounds().start)
    }

    /// The height of the last commit (its metadata), `None` for a database never committed to.
    ///
    /// # Errors
    /// [`Error::Closed`] when the handle was lost.
    pub fn height(&self) -> Result<Option<u64>> {
        self.db()?;
        Ok(self.height)
    }

    /// The height in the last commit's metadata, read from the log.
    async fn stored_height(&self) -> Result<Option<u64>> {
        let meta = self.db()?.get_metadata().await.map_err(engine("metadata", false))?;
        meta.map(|m| {
            <[u8; 8]>::try_from(m.as_slice()).map(u64::from_be_bytes).map_err(|_| Error::Metadata)
        })
        .transpose()
    }

    /// The value stored at state path `path` (a private kind's commitment), if any.
    ///
    /// # Errors
    /// [`Error::Engine`] when the engine fails.
    pub async fn get(&self, path: &[u8]) -> Result<Option<Vec<u8>>> {
        self.db()?.get(&qmdb_key(path)).await.map_err(engine("get", false))
    }

    /// The value stored at `path` (or its absence) with its proof at the current root.
    ///
    /// # Errors
    /// [`Error::Engine`] when the engine fails.
    pub async fn prove(&self, path: &[u8]) -> Result<QmdbProof> {
        let db = self.db()?;
        let key = qmdb_key(path);
        let root = digest(&db.root());
        match db.get(&key).await.map_err(engine("get", false))? {
            Some(value) => {
                let proof = db.key_value_proof(key).await.map_err(engine("value proof", false))?;
                Ok(QmdbProof { root, value: Some(value), proof: proof.encode().to_vec() })
            }
            None => {
                let proof =
                    db.exclusion_proof(&key).await.map_err(engine("absence proof", false))?;
                Ok(QmdbProof { root, value: None, proof: proof.encode().to_vec() })
            }
        }
    }

    /// Checks one block's changes against the verifier's bounds and maps them to database
    /// writes, the last change of a path winning.
    fn writes(changes: Changes) -> Result<BTreeMap<Vec<u8>, Option<Vec<u8>>>> {
        let mut writes = BTreeMap::new();
        for (path, record) in changes {
            if let Some(reason) = out_of_bounds(&path, record.as_ref().map(Vec::len)) {
                return Err(Error::Change { path: lossy(&path), reason });
            }
            let value = record.map(|r| stored_value(&path, &r));
            writes.insert(qmdb_key(&path), value);
        }
        Ok(writes)
    }

    /// Applies block `height`'s changes as one batch and commits it durably with the height
    /// as commit metadata; returns the commit. `height` must be above the last committed
    /// height (any height for a database never committed to): the ledger skips the heights
    /// whose blocks change no state, which keep the previous commit's root and size.
    ///
    /// # Errors
    /// [`Error::Gap`] or [`Error::Change`] before anything is written; [`Error::Engine`]
    /// when the engine fails — with `lost: true` once `apply_batch` or `commit` has taken the
    /// handle (reopen, then resume from [`QmdbState::height`]).
    pub async fn apply_block(&mut self, height: u64, changes: Changes) -> Result<QmdbCommit> {
        if let Some(executed) = self.height()? {
            if height <= executed {
                return Err(Error::Gap { executed, got: height });
            }
        }
        let writes = Self::writes(changes)?;
        let db = self.db()?;
        let mut batch = db.new_batch();
        for (key, value) in writes {
            batch = batch.write(key, value);
        }
        let metadata = Some(height.to_be_bytes().to_vec());
        let merkleized = batch
            .merkleize(db, metadata, &mut Proportional)
            .await
            .map_err(engine("merkleize", false))?;
        db.validate_batch(&merkleized).map_err(engine("validate_batch", false))?;
        let db = self.db.take().ok_or(Error::Closed)?;
        let db = db.apply_batch(merkleized).await.map_err(engine("apply_batch", true))?;
        let db = db.commit().await.map_err(engine("commit", true))?;
        let commit = QmdbCommit {
            height,
            root: digest(&db.root()),
            size: *db.bounds().end,
            sync_boundary: *db.sync_boundary(),
        };
        self.db = Some(db);
        self.height = Some(height);
        tracing::debug!(height, size = commit.size, "state committed");
        Ok(commit)
    }

    /// Prunes the log below `to` (at most [`QmdbState::sync_boundary`], and no further than
    /// the [`QmdbCommit::sync_boundary`] of the oldest height the caller may still reopen at).
    /// The root and every current value stay as they were.
    ///
    /// # Errors
    /// [`Error::Engine`]: with `lost: false` when `to` is beyond the boundary (nothing done),
    /// `lost: true` when the engine failed while pruning.
    pub async fn prune(&mut self, to: u64) -> Result<()> {
        let boundary = self.sync_boundary()?;
        if to > boundary {
            return Err(Error::Engine {
                op: "prune",
                reason: format!("{to} is beyond the sync boundary {boundary}"),
                lost: false,
            });
        }
        let db = self.db.take().ok_or(Error::Closed)?;
        self.db = Some(db.prune(Location::new(to)).await.map_err(engine("prune", true))?);
        Ok(())
    }

    /// Prunes to the current sync boundary (the inactivity floor rounded down to a chunk):
    /// every commit before the last one may no longer reopen. Returns the boundary.
    ///
    /// # Errors
    /// As [`QmdbState::prune`].
    pub async fn prune_to_floor(&mut self) -> Result<u64> {
        let boundary = self.sync_boundary()?;
        self.prune(boundary).await?;
        Ok(boundary)
    }

    /// Syncs everything (the Merkle nodes too, which `commit` leaves to be rebuilt from the
    /// log) and closes the database: a clean shutdown, after which reopening replays little.
    ///
    /// # Errors
    /// [`Error::Engine`] when the engine fails (the state is still the last commit's).
    pub async fn close(mut self) -> Result<()> {
        let db = self.db.take().ok_or(Error::Closed)?;
        drop(db.sync().await.map_err(engine("sync", true))?);
        Ok(())
    }
}
