//! The ledger's state database: a [`fapiao_state::QmdbState`] on a Commonware tokio runtime
//! of its own (ADR 0009 Decision 4, as amended for the switch-over).
//!
//! `StateDb::start` spawns one thread that runs `commonware_runtime::tokio::Runner` with
//! the ledger's state directory as storage directory and one worker thread. Its root future
//! hands back a runtime context and the tokio handle, then waits for shutdown. The ledger's
//! calls are synchronous: each runs a QMDB future with the handle entered (the tokio blob
//! storage uses `spawn_blocking`) and `futures::executor::block_on`, which never cancels a
//! future, so the database handle that `apply_batch`, `commit` and `prune` take by value is
//! never lost to cancellation — only to an engine error, which [`fapiao_state::Error::lost`]
//! reports and the ledger answers by reopening at the last height redb recorded.
//!
//! Readers and the writer share the database through a read-write lock: reads (execution,
//! API, proofs) take it shared; a block's `apply_block`, the redb commit after it and the
//! tip update take it alone, so a reader holding it sees one height in both stores.
//!
//! Dropping a `StateDb` syncs and closes the database (unless `StateDb::abandon` was
//! called, as a crash would), stops the runtime and joins its thread, so the directory is
//! free for the next open when the drop returns.

use crate::{Error, Result};
use fapiao_state::QmdbState;
use parking_lot::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::{
    future::Future,
    path::{Path, PathBuf},
    thread::JoinHandle,
};

/// The runtime context the ledger's database runs on.
pub type Ctx = commonware_runtime::tokio::Context;
/// The ledger's QMDB state.
pub type State = QmdbState<Ctx>;

/// The prefix of the database's storage partitions in the state directory.
pub const PREFIX: &str = "fapiao-state";

/// The database, its runtime thread, and the lock readers and the writer share.
pub(crate) struct StateDb {
    /// `None` only while closing.
    state: RwLock<Option<State>>,
    handle: tokio::runtime::Handle,
    stop: Option<futures::channel::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// Close without syncing (a crash, for tests).
    abandoned: bool,
    dir: PathBuf,
}

fn closed() -> Error {
    Error::State(fapiao_state::Error::Closed)
}

impl StateDb {
    /// Starts the runtime on `dir` (created if missing) and opens the database at its
    /// latest commit.
    ///
    /// # Errors
    /// [`Error::State`] when the runtime cannot start or the database cannot open.
    pub fn start(dir: &Path) -> Result<Self> {
        use commonware_runtime::Runner as _;
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Store(format!("cannot create {}: {e}", dir.display())))?;
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel(1);
        let (stop_tx, stop_rx) = futures::channel::oneshot::channel::<()>();
        let config = commonware_runtime::tokio::Config::new()
            .with_storage_directory(dir)
            .with_worker_threads(1);
        let thread = std::thread::Builder::new()
            .name("fapiao-state".into())
            .spawn(move || {
                commonware_runtime::tokio::Runner::new(config).start(|ctx| async move {
                    if ready_tx.send((ctx, tokio::runtime::Handle::current())).is_ok() {
                        // Either a stop or the sender dropped: both mean shut down.
                        let _ = stop_rx.await;
                    }
                });
            })
            .map_err(|e| Error::Store(format!("cannot start the state thread: {e}")))?;
        let Ok((ctx, handle)) = ready_rx.recv() else {
            let _ = thread.join();
            return Err(Error::Store(format!(
                "the state runtime did not start on {} (is another node using it?)",
                dir.display()
            )));
        };
        let mut db = Self {
            state: RwLock::new(None),
            handle,
            stop: Some(stop_tx),
            thread: Some(thread),
            abandoned: false,
            dir: dir.to_path_buf(),
        };
        let state = db.run(State::open(ctx, PREFIX)).map_err(Error::State)?;
        *db.state.get_mut() = Some(state);
        Ok(db)
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs a database future to completion on this thread, the runtime entered.
    ///
    /// `unconstrained`: the caller may itself be inside a tokio task (the node opens the
    /// ledger in its runtime's root future, the API reads from its handlers). Tokio's
    /// cooperative budget belongs to that task and is only refilled when it yields to its
    /// scheduler, which a blocked thread never does: once a long database operation (a
    /// reopen replaying thousands of operations) had spent it, every tokio resource the
    /// future polled answered "pending" forever and the node hung at start.
    pub fn run<F: Future>(&self, f: F) -> F::Output {
        let _entered = self.handle.enter();
        futures::executor::block_on(tokio::task::unconstrained(f))
    }

    /// Shared access: reads at the durable tip.
    pub fn read(&self) -> Result<Reader<'_>> {
        let guard = self.state.read();
        if guard.is_none() {
            return Err(closed());
        }
        Ok(Reader { db: self, guard })
    }

    /// Exclusive access: a block's apply and commit.
    pub fn write(&self) -> Writer<'_> {
        Writer { db: self, guard: self.state.write() }
    }

    /// Drops the database without syncing when this is dropped, as a crash would (its
    /// last commit is durable; the Merkle nodes are rebuilt from the log at the next open).
    pub fn abandon(&mut self) {
        self.abandoned = true;
    }
}

/// Shared access to the database.
pub(crate) struct Reader<'a> {
    db: &'a StateDb,
    guard: RwLockReadGuard<'a, Option<State>>,
}

impl Reader<'_> {
    fn state(&self) -> Result<&State> {
        self.guard.as_ref().ok_or_else(closed)
    }

    /// The stored value at `path` (a private kind's commitment).
    pub fn get(&self, path: &[u8]) -> Result<Option<Vec<u8>>> {
        let state = self.state()?;
        self.db.run(state.get(path)).map_err(Error::State)
    }

    /// The stored value at `path` (or its absence) with its proof at the current root.
    pub fn prove(&self, path: &[u8]) -> Result<fapiao_state::QmdbProof> {
        let state = self.state()?;
        self.db.run(state.prove(path)).map_err(Error::State)
    }

    /// The current root.
    pub fn root(&self) -> Result<[u8; 32]> {
        self.state()?.root().map_err(Error::State)
    }
}

/// Exclusive access to the database.
pub(crate) struct Writer<'a> {
    db: &'a StateDb,
    guard: RwLockWriteGuard<'a, Option<State>>,
}

impl Writer<'_> {
    fn state(&mut self) -> Result<&mut State> {
        self.guard.as_mut().ok_or_else(closed)
    }

    /// After a failure that lost the handle, reopens the database at `size` (the last
    /// size redb recorded) so the ledger can go on from its durable tip.
    fn recover(&mut self, e: fapiao_state::Error, size: u64) -> Error {
        if e.lost() {
            tracing::error!(error = %e, "the state database lost its handle; reopening");
            let db = self.db;
            let reopened = match self.state() {
                Ok(state) => db.run(state.reopen(Some(size))).map_err(|r| r.to_string()),
                Err(r) => Err(r.to_string()),
            };
            if let Err(again) = reopened {
                return Error::Store(format!("{e}; reopening failed: {again}"));
            }
        }
        Error::State(e)
    }

    /// Applies and commits one block's state changes (see
    /// [`fapiao_state::QmdbState::apply_block`]); on a lost handle, reopens at `size`.
    pub fn apply_block(
        &mut self,
        height: u64,
        changes: fapiao_state::Changes,
        size: u64,
    ) -> Result<fapiao_state::QmdbCommit> {
        let db = self.db;
        let result = db.run(self.state()?.apply_block(height, changes));
        result.map_err(|e| self.recover(e, size))
    }

    /// Prunes the log below `to`; on a lost handle, reopens at `size`.
    pub fn prune(&mut self, to: u64, size: u64) -> Result<()> {
        let db = self.db;
        let result = db.run(self.state()?.prune(to));
        result.map_err(|e| self.recover(e, size))
    }

    /// Reopens at the latest commit with at most `size` operations.
    pub fn reopen(&mut self, size: u64) -> Result<()> {
        let db = self.db;
        db.run(self.state()?.reopen(Some(size))).map_err(Error::State)
    }

    /// Shared-style access under the exclusive lock.
    pub fn state_ref(&self) -> Result<&State> {
        self.guard.as_ref().ok_or_else(closed)
    }
}

impl Drop for StateDb {
    fn drop(&mut self) {
        if let Some(state) = self.state.get_mut().take() {
            if self.abandoned {
                drop(state);
            } else if let Err(e) = self.run(state.close()) {
                tracing::error!(error = %e, "closing the state database failed");
            }
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("the state runtime thread panicked");
            }
        }
    }
}
