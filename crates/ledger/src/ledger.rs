//! The [`Ledger`]: genesis, the executed tip, block execution in two ordered commits, and
//! reads with proofs.
//!
//! # Two stores, one order (ADR 0009 Decision 5)
//!
//! The state lives in the QMDB state database ([`crate::state_db`]); everything else in the
//! [`Store`] (redb). A block's state changes are one QMDB commit (its metadata is the
//! height), then everything else is one store commit: blocks, receipts, indexes, the
//! records kept beside the state ([`Table::Private`]), the history of the records read at
//! past heights, `executed_height`, and in [`Table::Roots`] the root, the database's log
//! size and its sync boundary after that height. A block that changes no state makes no
//! QMDB commit: its row repeats the previous one (same root, size and boundary), so an
//! unchanged state keeps its root. On open, a database whose log is longer than the size
//! recorded for the store's height (a crash between the two commits) is reopened at that
//! size, and the block is executed again; a shorter one is corruption. The database's log
//! is pruned no further than the sync boundary recorded for the executed height.
//!
//! # Readers
//!
//! Execution is not pipelined with the commit (ADR 0009 Decision 4: a commit takes
//! milliseconds): [`Ledger::stage_block`] executes and commits, holding the database's lock
//! alone from its QMDB commit until the durable tip moves, so a reader holding the lock
//! shared sees one height in both stores.

use crate::{
    exec::{self, Committed},
    state_db::{Reader, StateDb},
    store::{ReadStore, Store, Table, WriteBatch},
    Error, Result,
};
use commonware_codec::Encode;
use fapiao_types::{
    decode_exact, merkle_root,
    state_order::{in_state, is_private},
    AccountRecord, Block, BlockLimits, Genesis, Hash32, Header, OrgRecord, PublicKey, Receipt,
    Role, SignedTx, StateKey, TxRecord, HEADER_VERSION,
};
use parking_lot::{Mutex, RwLock};
use std::{collections::BTreeMap, sync::Arc};

const META_EXECUTED: &[u8] = b"executed_height";
const META_GENESIS: &[u8] = b"genesis_sha256";
const META_RISK: &[u8] = b"risk_state";
const META_FORMAT: &[u8] = b"chain_format";

/// The chain-format version this node reads and writes: the encodings of
/// docs/formats.md, the state keys and the redb tables together. Bumped whenever any of
/// them changes; a data directory of another version is refused, never converted.
/// Version 1 was milestone 1, whose data directories carry no version row; version 4
/// decodes quantities, unit prices and rates only in their canonical text (docs/formats.md
/// §13.1), which blocks of version 3 need not be, and receipts carry namespaced refusal codes (§18);
/// version 5 adds the cow bank (actions `60`–`6f`, §19) and the tax-certificate
/// application (actions `70`–`7f`, §20), their keys and their parameters written with the
/// genesis, and the receipts' `Record` and `Serial` outputs (§7); version 6 adds the
/// department exchange (actions `80`–`9f`, §21), its keys, parameters and index tables,
/// the role `exchange.officer` and four organisation kinds (§12.2); version 7 adds the
/// linked chains of issue 18: the light client's window (§23), the tax summary's
/// commitments, disclosure grants and their actions, `MonthTotals.sales` and
/// `VatReturn.on_time` (§24), the finance (§25) and industry (§26) applications; version
/// 8 keeps the replay set keyed by expiry (table `replay`, ADR 0009 step 3), so an expired
/// duplicate is refused as `expired` rather than `replayed`, and makes the `txs` table an
/// optional index; version 9 moves the state from the Jellyfish tree to the QMDB state
/// database (ADR 0009 step 2: new state roots and proofs, private records and invoice
/// bodies beside the state, the `nodes` and `values` tables replaced by `private` and
/// `state_history`, a root row per height with the database's size) and refuses a
/// transaction writing an over-long record (`record_too_large`).
pub const CHAIN_FORMAT_VERSION: u32 = 9;

/// Every how many state database commits its log is pruned (to the sync boundary of the
/// executed height).
const PRUNE_EVERY: u64 = 16;

/// The kinds whose records are read at past heights ([`Ledger::record_at`]: proposal
/// checks, admission and verification read accounts, organisations and parameters at a
/// block's `state_height`); every change of them is kept per height.
pub const HISTORY_KINDS: &[&str] = &["account", "org", "params"];

/// Whether the records of `path`'s kind are kept per height ([`HISTORY_KINDS`]).
fn has_history(path: &[u8]) -> bool {
    let kind = path.split(|b| *b == b'/').next().unwrap_or_default();
    HISTORY_KINDS.iter().any(|k| k.as_bytes() == kind)
}

/// The record under state path `path` at the durable tip: from the store for private and
/// off-state kinds ([`Table::Private`]), from the state database for the others.
pub(crate) fn read_record<S: ReadStore + ?Sized>(
    store: &S,
    state: &Reader<'_>,
    path: &[u8],
) -> Result<Option<Vec<u8>>> {
    if !in_state(path) || is_private(path) {
        return store.get(Table::Private, path);
    }
    state.get(path)
}

/// A block's state writes split between the two stores: the state database's changes
/// (records of in-state kinds; it stores commitments of private ones), and the store's
/// rows (private and off-state records, the history of [`HISTORY_KINDS`] at `height`).
fn split_writes(
    height: u64,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
) -> (fapiao_state::Changes, WriteBatch) {
    let mut changes = Vec::with_capacity(writes.len());
    let mut batch = WriteBatch::default();
    for (path, record) in writes {
        if !in_state(&path) || is_private(&path) {
            match &record {
                Some(r) => batch.put(Table::Private, path.clone(), r.clone()),
                None => batch.delete(Table::Private, path.clone()),
            }
        }
        if has_history(&path) {
            batch.history.push((path.clone(), height, record.clone()));
        }
        if in_state(&path) {
            changes.push((path, record));
        }
    }
    (changes, batch)
}

/// A row of [`Table::Roots`]: the state after one height.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RootEntry {
    root: Hash32,
    /// The state database's log size after that height's commit.
    size: u64,
    /// Its sync boundary then (the furthest prune that keeps the height reopenable).
    sync_boundary: u64,
}

impl From<fapiao_state::QmdbCommit> for RootEntry {
    fn from(c: fapiao_state::QmdbCommit) -> Self {
        Self { root: c.root, size: c.size, sync_boundary: c.sync_boundary }
    }
}

impl RootEntry {
    fn encode(&self) -> Vec<u8> {
        let mut r = self.root.to_vec();
        r.extend_from_slice(&be(self.size));
        r.extend_from_slice(&be(self.sync_boundary));
        r
    }

    fn decode(b: &[u8]) -> Result<Self> {
        if b.len() != 48 {
            return Err(corrupt("roots", "bad length"));
        }
        let mut root = [0u8; 32];
        root.copy_from_slice(&b[..32]);
        Ok(Self {
            root,
            size: u64_of(&b[32..], "roots")?,
            sync_boundary: u64_of(&b[40..], "roots")?,
        })
    }
}

/// The executed tip: the latest block applied and the state after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tip {
    /// Height of the latest executed block.
    pub height: u64,
    /// Its header.
    pub header: Header,
    /// State root after executing it.
    pub state_root: Hash32,
}

/// One state record (or its absence) with its proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateProof {
    /// The key's bytes (the state path).
    pub key: Vec<u8>,
    /// The record (absent when `None`; the proof then proves absence). For a private kind
    /// the record itself: the verifier recomputes the commitment the state holds. For an
    /// off-state kind (`invoice-body`) the record kept beside the state, with an empty
    /// proof: the public record's commitment authenticates it.
    pub value: Option<Vec<u8>>,
    /// The state database's encoded proof (`fapiao_verify::verify_state_proof` checks it
    /// against the root); empty for an off-state kind.
    pub proof: Vec<u8>,
}

/// Proofs of several keys against one state: the state after executed block `height`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvenState {
    /// The executed height whose state the proofs are against.
    pub height: u64,
    /// The state root after it (`state_root_at(height)`), certified by the first finalized
    /// header whose `state_height` is `height`.
    pub root: Hash32,
    /// One per key asked, in order.
    pub proofs: Vec<StateProof>,
}

/// A transaction found by hash: the transaction, where it is, and what it did.
#[derive(Clone, Debug)]
pub struct FoundTx {
    /// The signed transaction.
    pub tx: SignedTx,
    /// Its receipt.
    pub receipt: Receipt,
}

/// The authenticated ledger: the state database and a [`Store`] (module docs).
pub struct Ledger<S> {
    /// Declared before `store`: dropped (synced, closed, its runtime stopped) first.
    state: StateDb,
    store: Arc<S>,
    genesis: Genesis,
    limits: BlockLimits,
    /// The durable tip: everything up to it is committed in both stores.
    tip: RwLock<Tip>,
    /// Serialises execution.
    write: Mutex<()>,
    /// State database commits since the last prune.
    unpruned: std::sync::atomic::AtomicU64,
    risk: Mutex<fapiao_risk::RiskEngine>,
    /// Transactions whose apply panicked since the ledger was opened.
    execution_faults: std::sync::atomic::AtomicU64,
    /// The `chain/mechanics` schedule as of one state height (admission asks per
    /// transaction).
    mechanics: Mutex<Option<(u64, Arc<fapiao_types::ParamSchedule>)>>,
    /// The chain secret of the node's configuration ([`fapiao_app::Ctx::secret`]).
    secret: Option<[u8; 32]>,
    /// Whether executed blocks write the `txs` index (lookup by hash).
    tx_index: bool,
    /// Where bodies older than a horizon go ([`Ledger::with_body_archive`]).
    bodies: Option<crate::bodies::BodyArchive>,
    /// Serialises [`Ledger::archive_bodies`].
    archiving: Mutex<()>,
}

fn be(h: u64) -> [u8; 8] {
    h.to_be_bytes()
}

fn corrupt(what: &'static str, e: impl ToString) -> Error {
    Error::Corrupt { what, reason: e.to_string() }
}

fn u64_of(b: &[u8], what: &'static str) -> Result<u64> {
    b.get(..8)
        .and_then(|s| s.try_into().ok())
        .map(u64::from_be_bytes)
        .ok_or_else(|| corrupt(what, "short"))
}

/// The genesis state writes: organisations and their admin accounts.
fn genesis_writes(genesis: &Genesis) -> Result<BTreeMap<Vec<u8>, Option<Vec<u8>>>> {
    let mut writes = BTreeMap::new();
    for (id, schedule) in crate::params::genesis_schedules(genesis)? {
        writes.insert(crate::params::key(&id).to_bytes(), Some(schedule.encode().to_vec()));
    }
    for org in &genesis.organisations {
        let rec = OrgRecord {
            id: org.id.clone(),
            name: org.name.clone(),
            kind: org.kind,
            tax_id: org.tax_id,
            status: fapiao_types::OrgStatus::Active,
        };
        writes.insert(StateKey::Org(org.id.clone()).to_bytes(), Some(rec.encode().to_vec()));
        for admin in &org.admins {
            let pk = PublicKey::from_hex(&admin.suite, &admin.public_key)?;
            fapiao_crypto::validate_public_key(&pk)
                .map_err(|e| Error::GenesisKey(admin.name.clone(), e.to_string()))?;
            let acct = AccountRecord {
                public_key: pk,
                org: org.id.clone(),
                name: admin.name.clone(),
                roles: vec![Role::OrgAdmin],
                added_at: 0,
                revoked_at: None,
            };
            writes.insert(
                StateKey::Account(pk.account_id()).to_bytes(),
                Some(acct.encode().to_vec()),
            );
        }
    }
    Ok(writes)
}

/// SHA-256 of the genesis file's canonical JSON, to refuse opening a store with another genesis.
fn genesis_fingerprint(genesis: &Genesis) -> Hash32 {
    fapiao_types::sha256(genesis.to_json().as_bytes())
}

impl<S: Store> Ledger<S> {
    /// Gives execution the chain secret of the node's configuration
    /// ([`fapiao_app::Ctx::secret`]); call it before the first block executes.
    #[must_use]
    pub fn with_chain_secret(mut self, secret: [u8; 32]) -> Self {
        self.secret = Some(secret);
        self
    }

    /// Keeps (default) or drops the derived index of transactions by hash (the `txs`
    /// table behind [`Ledger::transaction`] and `GET /v1/transactions/{hash}`). Without
    /// it, blocks executed from now on write no `txs` rows and [`Ledger::transaction`]
    /// answers [`Error::TxIndexOff`]; replay protection and
    /// [`Ledger::transaction_with_expiry`] do not need it. Rows written while it was on
    /// stay, so switching it back on leaves a gap: a node that wants the index keeps it
    /// on from genesis.
    #[must_use]
    pub fn with_tx_index(mut self, on: bool) -> Self {
        self.tx_index = on;
        self
    }

    /// Moves block bodies more than `archive.horizon` heights below the durable tip out of
    /// the `blocks` table when [`Ledger::archive_bodies`] runs: into zstd segments under
    /// `archive.dir` that [`Ledger::block`] still reads, or dropped
    /// ([`crate::bodies::BodyMode`]). Headers and certificates stay. Also names the
    /// directory bodies archived earlier are read from.
    #[must_use]
    pub fn with_body_archive(mut self, archive: crate::bodies::BodyArchive) -> Self {
        self.bodies = Some(archive);
        self
    }

    /// Moves the bodies older than the configured horizon (nothing without
    /// [`Ledger::with_body_archive`]); returns what it moved. Runs beside execution: it
    /// touches only heights far below the tip, in its own redb transactions.
    ///
    /// # Errors
    /// Storage, file or compression errors (nothing is lost: a body leaves the `blocks`
    /// table only in the transaction that records where it went).
    pub fn archive_bodies(&self) -> Result<crate::bodies::Moved> {
        let Some(archive) = &self.bodies else { return Ok(Default::default()) };
        let _one = self.archiving.lock();
        let below = self.tip().height.saturating_sub(archive.horizon.max(1));
        crate::bodies::move_bodies(&*self.store, archive, below, &self.limits)
    }

    /// Whether this ledger keeps the index of transactions by hash.
    pub fn keeps_tx_index(&self) -> bool {
        self.tx_index
    }

    /// The chain secret execution sees, if any.
    pub fn chain_secret(&self) -> Option<&[u8; 32]> {
        self.secret.as_ref()
    }

    /// Opens the ledger in `store`, writing the genesis state on first use.
    ///
    /// # Errors
    /// [`Error::GenesisMismatch`] when the store holds another chain; storage errors.
    pub fn open(store: S, genesis: Genesis) -> Result<Self> {
        genesis.validate()?;
        let limits = BlockLimits {
            max_txs: genesis.consensus.max_block_txs as usize,
            actions: crate::apps::codecs(),
        };
        if !crate::apps::covers_every_app(&limits.actions) {
            // Blocks carrying an application's actions would not decode.
            return Err(Error::Application(
                "the action decoders miss a registered application".into(),
            ));
        }
        let fingerprint = genesis_fingerprint(&genesis);
        let fresh = match store.get(Table::Meta, META_GENESIS)? {
            Some(stored) => {
                let found = match store.get(Table::Meta, META_FORMAT)? {
                    Some(v) => v
                        .as_slice()
                        .try_into()
                        .map(u32::from_be_bytes)
                        .map_err(|_| corrupt("meta", "chain format"))?,
                    None => 1,
                };
                if found != CHAIN_FORMAT_VERSION {
                    return Err(Error::ChainFormat { found, expected: CHAIN_FORMAT_VERSION });
                }
                if stored != fingerprint {
                    return Err(Error::GenesisMismatch(genesis.chain_id.clone()));
                }
                false
            }
            None => true,
        };
        let dir = store.state_dir()?;
        if fresh {
            // A state database without the store's genesis is what an interrupted first
            // start left: start both over.
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::Store(format!("{}: {e}", dir.display()))),
            }
        }
        let state = StateDb::start(&dir)?;
        if fresh {
            Self::write_genesis(&store, &state, &genesis, fingerprint)?;
        }
        let height = u64_of(
            &store.get(Table::Meta, META_EXECUTED)?.ok_or_else(|| corrupt("meta", "no height"))?,
            "meta",
        )?;
        let entry = Self::root_entry_in(&store, height)?
            .ok_or_else(|| corrupt("roots", "tip root missing"))?;
        Self::reconcile(&state, height, entry)?;
        let placeholder =
            Tip { height: 0, header: genesis_header_placeholder(), state_root: [0; 32] };
        let ledger = Self {
            state,
            store: Arc::new(store),
            genesis,
            limits,
            tip: RwLock::new(placeholder),
            write: Mutex::new(()),
            unpruned: std::sync::atomic::AtomicU64::new(0),
            risk: Mutex::new(fapiao_risk::RiskEngine::new()),
            execution_faults: std::sync::atomic::AtomicU64::new(0),
            mechanics: Mutex::new(None),
            secret: None,
            tx_index: true,
            bodies: None,
            archiving: Mutex::new(()),
        };
        if let Some(bytes) = ledger.store.get(Table::Meta, META_RISK)? {
            *ledger.risk.lock() = fapiao_risk::RiskEngine::from_bytes(&bytes)
                .map_err(|e| corrupt("risk state", e))?;
        }
        let header = ledger.header(height)?.ok_or_else(|| corrupt("blocks", "tip missing"))?;
        *ledger.tip.write() = Tip { height, header, state_root: entry.root };
        Ok(ledger)
    }

    /// Brings the state database to the store's executed `height` (module docs): a longer
    /// log is rewound to the size recorded for `height`; a shorter one is corruption.
    fn reconcile(state: &StateDb, height: u64, entry: RootEntry) -> Result<()> {
        let mut w = state.write();
        let size = w.state_ref()?.size()?;
        if size > entry.size {
            tracing::warn!(
                size,
                recorded = entry.size,
                executed = height,
                "the state database committed beyond the ledger (a crash between the two \
                 commits): reopening it at the ledger's height"
            );
            w.reopen(entry.size)?;
        }
        let size = w.state_ref()?.size()?;
        if size != entry.size {
            return Err(corrupt(
                "state",
                format!(
                    "the state database holds {size} operations where the ledger recorded {} \
                     at its executed height {height}: its directory {} was lost or replaced",
                    entry.size,
                    state.dir().display()
                ),
            ));
        }
        let root = w.state_ref()?.root()?;
        if root != entry.root {
            return Err(corrupt(
                "state",
                format!("the state root at height {height} differs from the recorded one"),
            ));
        }
        Ok(())
    }

    fn write_genesis(
        store: &S,
        state: &StateDb,
        genesis: &Genesis,
        fingerprint: Hash32,
    ) -> Result<()> {
        let (changes, mut batch) = split_writes(0, genesis_writes(genesis)?);
        let commit = RootEntry::from(state.write().apply_block(0, changes, 0)?);
        let header = Header {
            version: HEADER_VERSION,
            chain_id: genesis.chain_id_hash(),
            height: 0,
            parent: [0; 32],
            time_ms: genesis.genesis_time_ms,
            proposer: 0,
            tx_root: merkle_root(&[]),
            tx_count: 0,
            state_height: 0,
            state_root: commit.root,
        };
        let block = Block { header, txs: vec![] };
        Self::stage_rows(&mut batch, &block, &[], &[], &commit);
        batch.put(Table::Meta, META_GENESIS, fingerprint);
        batch.put(Table::Meta, META_FORMAT, CHAIN_FORMAT_VERSION.to_be_bytes());
        store.commit(&batch)
    }

    fn stage_rows(
        batch: &mut WriteBatch,
        block: &Block,
        certificate: &[u8],
        receipts: &[Receipt],
        entry: &RootEntry,
    ) {
        let h = block.header.height;
        batch.put(Table::Blocks, be(h), block.encode().to_vec());
        batch.put(Table::Certificates, be(h), certificate);
        batch.put(Table::Receipts, be(h), receipts.to_vec().encode().to_vec());
        batch.put(Table::Roots, be(h), entry.encode());
        batch.put(Table::Digests, block.header.digest(), be(h));
        batch.put(Table::Meta, META_EXECUTED, be(h));
    }

    /// The store underneath (the durable state; reads of the index tables).
    pub(crate) fn store(&self) -> &S {
        &self.store
    }

    /// The genesis this ledger was opened with.
    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }

    /// Block decoding limits from genesis, with the action decoders of every registered
    /// application: the configuration every decoder of this chain's blocks uses.
    pub fn block_limits(&self) -> BlockLimits {
        self.limits
    }

    /// The durable tip: the latest block whose commit has landed. Reads see this state.
    pub fn tip(&self) -> Tip {
        *self.tip.read()
    }

    /// The executed tip: the same as [`Ledger::tip`] (execution is not pipelined with the
    /// commit any more; kept for the callers that distinguish them).
    pub fn executed_tip(&self) -> Tip {
        self.tip()
    }

    /// The genesis block (height 0).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn genesis_block(&self) -> Result<Block> {
        self.block(0)?.ok_or_else(|| corrupt("blocks", "genesis missing"))
    }

    /// Executes a finalized `block` with its certificate and commits it durably (the
    /// state database, then the store); returns its receipts.
    ///
    /// # Errors
    /// As [`Ledger::stage_block`].
    pub fn execute_block(&self, block: &Block, certificate: &[u8]) -> Result<Vec<Receipt>> {
        self.stage_block(block, certificate)
    }

    /// Executes a finalized `block` with its certificate and commits it durably: the same
    /// as [`Ledger::execute_block`] (the commit is no longer pipelined with the next
    /// block's execution: it takes milliseconds, ADR 0009 Decision 4).
    ///
    /// Idempotent by height: a block at or below the executed tip is acknowledged without
    /// effect. Returns the receipts (empty for an already-executed block).
    ///
    /// # Errors
    /// [`Error::Gap`] for a block beyond the executed tip + 1, [`Error::Corrupt`] for a
    /// block whose parent is not the executed tip; storage and state database errors
    /// (nothing is applied then: a failed commit rewinds the state database to the tip, so
    /// the block can be offered again).
    pub fn stage_block(&self, block: &Block, certificate: &[u8]) -> Result<Vec<Receipt>> {
        let _guard = self.write.lock();
        let tip = self.tip();
        let h = block.header.height;
        if h <= tip.height {
            return Ok(Vec::new());
        }
        if h != tip.height + 1 {
            return Err(Error::Gap { executed: tip.height, got: h });
        }
        if block.header.parent != tip.header.digest() {
            return Err(corrupt("block", format!("block {h} does not extend the executed tip")));
        }
        let span = tracing::debug_span!("ledger.execute_block", height = h, txs = block.txs.len());
        let _enter = span.enter();
        let reader = self.state.read()?;
        let committed = Committed {
            store: &*self.store,
            state: &reader,
            secret: self.secret.as_ref(),
            tx_index: self.tx_index,
        };
        let mut index = crate::hooks::BlockRows::new(&*self.store);
        let executed = exec::execute(&committed, block, &self.genesis, &mut index)?;
        crate::hooks::after_block(
            &committed,
            &executed.writes,
            block,
            &executed.receipts,
            &mut index,
        )?;
        let faults = executed.faults;
        let mut risk = self.risk.lock().clone();
        // The risk rules in force at this height (governed, `risk/rules`), as the state
        // before the block schedules them.
        let risk_params = {
            use fapiao_app::Param;
            let key = crate::params::key(crate::params::RiskRules::ID);
            let schedule = match committed.get_raw(&key.to_bytes())? {
                Some(bytes) => decode_exact::<fapiao_types::ParamSchedule>(&bytes, &())
                    .map_err(|e| corrupt("params", e))?,
                None => fapiao_types::ParamSchedule::default(),
            };
            let (_, rules) =
                fapiao_app::params::in_schedule_at_height::<crate::params::RiskRules>(&schedule, h)
                    .map_err(|e| corrupt("params", e))?;
            rules.0
        };
        drop(reader);
        let (changes, mut batch) = split_writes(h, executed.writes);
        for (table, k, v) in executed.derived {
            batch.put(table, k, v);
        }
        crate::replay::prune(&mut batch, h);
        index.stage(&mut batch);
        let alerts = risk.on_block(h, block.header.time_ms, &executed.risk_events, &risk_params);
        for (i, alert) in alerts.iter().enumerate() {
            let mut key = be(h).to_vec();
            key.extend_from_slice(&(i as u32).to_be_bytes());
            let json = serde_json::to_vec(alert).map_err(|e| corrupt("alert", e))?;
            let mut by_rule = alert.rule.as_str().as_bytes().to_vec();
            by_rule.push(0);
            by_rule.extend_from_slice(&key);
            batch.put(Table::Alerts, key, json);
            batch.put(Table::AlertsByRule, by_rule, Vec::new());
        }
        if !executed.risk_events.is_empty() || !alerts.is_empty() {
            let bytes = risk.state().to_bytes().map_err(|e| corrupt("risk state", e))?;
            batch.put(Table::Meta, META_RISK, bytes);
        }
        // The two commits, in order, with the database held alone: readers see the tip
        // before both or after both.
        let mut w = self.state.write();
        let before = Self::root_entry_in(&self.store, tip.height)?
            .ok_or_else(|| corrupt("roots", "tip root missing"))?;
        let committed = !changes.is_empty();
        let entry = if committed {
            RootEntry::from(w.apply_block(h, changes, before.size)?)
        } else {
            before
        };
        Self::stage_rows(&mut batch, block, certificate, &executed.receipts, &entry);
        if let Err(e) = self.store.commit(&batch) {
            // The database is one commit ahead of the store: rewind it, so the block can
            // be offered again (a failure here is repaired at the next open).
            if committed {
                if let Err(again) = w.reopen(before.size) {
                    tracing::error!(error = %again, "cannot rewind the state database after a failed commit");
                }
            }
            return Err(e);
        }
        *self.tip.write() = Tip { height: h, header: block.header, state_root: entry.root };
        let unpruned =
            self.unpruned.fetch_add(u64::from(committed), std::sync::atomic::Ordering::Relaxed);
        if committed && unpruned + 1 >= PRUNE_EVERY {
            self.unpruned.store(0, std::sync::atomic::Ordering::Relaxed);
            // As far as the executed height's recorded boundary: it stays reopenable.
            if let Err(e) = w.prune(entry.sync_boundary, entry.size) {
                tracing::warn!(height = h, error = %e, "pruning the state database failed");
            }
        }
        drop(w);
        *self.risk.lock() = risk;
        self.execution_faults.fetch_add(faults, std::sync::atomic::Ordering::Relaxed);
        Ok(executed.receipts)
    }

    /// Transactions whose apply panicked (and so failed with an `execution_fault`
    /// receipt) in the blocks this process executed since it opened the ledger.
    pub fn execution_faults(&self) -> u64 {
        self.execution_faults.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Returns once block `height` is durable: at once, since [`Ledger::stage_block`]
    /// commits before it returns (kept for the callers of the former pipeline).
    ///
    /// # Errors
    /// [`Error::Gap`] when `height` was not executed.
    pub fn wait_durable(&self, height: u64) -> Result<()> {
        let executed = self.tip().height;
        if executed >= height {
            Ok(())
        } else {
            Err(Error::Gap { executed, got: height })
        }
    }

    fn root_entry_in(store: &S, height: u64) -> Result<Option<RootEntry>> {
        store.get(Table::Roots, &be(height))?.map(|b| RootEntry::decode(&b)).transpose()
    }

    /// The state root after executing `height`, if executed.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn state_root_at(&self, height: u64) -> Result<Option<Hash32>> {
        Ok(Self::root_entry_in(&self.store, height)?.map(|e| e.root))
    }

    /// The account `id` in the state after block `height`: `None` if `height` is not
    /// executed here, `Some(None)` if the account did not exist then.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn account_at(
        &self,
        height: u64,
        id: &fapiao_types::AccountId,
    ) -> Result<Option<Option<AccountRecord>>> {
        self.record_at(height, &StateKey::Account(*id))
    }

    /// The record under `key` in the state after block `height`: `None` if `height` is
    /// not executed here, `Some(None)` if the key was absent then. Answered from the
    /// history the ledger keeps of [`HISTORY_KINDS`] (the state database holds only the
    /// current state).
    ///
    /// # Errors
    /// [`Error::NoHistory`] for a key of another kind; storage errors or corruption.
    pub fn record_at<T: commonware_codec::Read<Cfg = ()>>(
        &self,
        height: u64,
        key: &StateKey,
    ) -> Result<Option<Option<T>>> {
        let path = key.to_bytes();
        if !has_history(&path) {
            return Err(Error::NoHistory(key.to_string()));
        }
        // Rows are only ever added above the tip, so what is at or below it is final.
        if height > self.tip().height {
            return Ok(None);
        }
        match self.store.get_history(height, &path)? {
            Some(bytes) => decode_exact::<T>(&bytes, &())
                .map(|a| Some(Some(a)))
                .map_err(|e| corrupt("state record", e)),
            None => Ok(Some(None)),
        }
    }

    /// The chain mechanics in force for the next block, as the committed tip schedules
    /// them: what admission and this node's rate limits follow.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn mechanics_at_tip(&self) -> Result<crate::params::ChainMechanics> {
        let tip = self.tip().height;
        Ok(self
            .mechanics_at(tip, tip + 1)?
            .unwrap_or_else(|| crate::params::ChainMechanics::from(&self.genesis.consensus)))
    }

    /// The chain mechanics in force at block `height` as the state after `state_height`
    /// schedules them (`None` if `state_height` is not executed here). A block is checked
    /// with the mechanics its `state_height` shows for its own height, so every validator
    /// answers alike; activation delays make that the version in force.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn mechanics_at(
        &self,
        state_height: u64,
        height: u64,
    ) -> Result<Option<crate::params::ChainMechanics>> {
        use fapiao_app::Param;
        let cached = self.mechanics.lock().as_ref().filter(|(h, _)| *h == state_height).cloned();
        let schedule = match cached {
            Some((_, s)) => s,
            None => {
                let key = crate::params::key(crate::params::ChainMechanics::ID);
                let Some(s) = self.record_at::<fapiao_types::ParamSchedule>(state_height, &key)?
                else {
                    return Ok(None);
                };
                let s = Arc::new(s.unwrap_or_default());
                *self.mechanics.lock() = Some((state_height, s.clone()));
                s
            }
        };
        Ok(Some(match schedule.at_height(height) {
            Some(v) => fapiao_app::params::decode(v).map_err(|e| corrupt("params", e))?,
            None => crate::params::ChainMechanics::from(&self.genesis.consensus),
        }))
    }

    /// The canonical encoding of the executed block at `height`, as stored.
    ///
    /// # Errors
    /// Storage errors.
    pub fn block_bytes(&self, height: u64) -> Result<Option<Vec<u8>>> {
        if let Some(b) = self.store.get(Table::Blocks, &be(height))? {
            return Ok(Some(b));
        }
        match crate::bodies::archived(&*self.store, height)? {
            Some(crate::bodies::Archived { at: Some((seg, offset, len)), .. }) => {
                let dir = self.bodies.as_ref().map(|a| a.dir.as_path()).ok_or_else(|| {
                    Error::Store(format!("block {height} is archived but no archive is configured"))
                })?;
                crate::bodies::read(dir, seg, offset, len).map(Some)
            }
            Some(crate::bodies::Archived { at: None, .. }) | None => Ok(None),
        }
    }

    /// The body of an executed block a record points at: [`Error::BodyDropped`] when this
    /// node dropped it.
    fn executed_block(&self, height: u64) -> Result<Block> {
        match self.block(height)? {
            Some(b) => Ok(b),
            None if self.body_dropped(height)? => Err(Error::BodyDropped(height)),
            None => Err(corrupt("blocks", "tx block missing")),
        }
    }

    /// Whether this node dropped the body of executed block `height` (its header stays).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn body_dropped(&self, height: u64) -> Result<bool> {
        Ok(matches!(
            crate::bodies::archived(&*self.store, height)?,
            Some(crate::bodies::Archived { at: None, .. })
        ))
    }

    /// The executed block at `height`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn block(&self, height: u64) -> Result<Option<Block>> {
        match self.block_bytes(height)? {
            Some(b) => {
                decode_exact::<Block>(&b, &self.limits).map(Some).map_err(|e| corrupt("block", e))
            }
            None => Ok(None),
        }
    }

    /// The header of the executed block at `height`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn header(&self, height: u64) -> Result<Option<Header>> {
        if let Some(a) = crate::bodies::archived(&*self.store, height)? {
            return Ok(Some(a.header));
        }
        match self.store.get(Table::Blocks, &be(height))? {
            Some(b) => decode_exact::<Block>(&b, &self.limits)
                .map(|b| Some(b.header))
                .map_err(|e| corrupt("block", e)),
            None => Ok(None),
        }
    }

    /// The height of the executed block with header digest `digest`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn height_of(&self, digest: &Hash32) -> Result<Option<u64>> {
        self.store.get(Table::Digests, digest)?.map(|b| u64_of(&b, "digests")).transpose()
    }

    /// The finalization certificate stored with block `height`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn certificate(&self, height: u64) -> Result<Option<Vec<u8>>> {
        self.store.get(Table::Certificates, &be(height))
    }

    /// The receipts of block `height`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn receipts(&self, height: u64) -> Result<Option<Vec<Receipt>>> {
        match self.store.get(Table::Receipts, &be(height))? {
            Some(b) => decode_exact::<Vec<Receipt>>(&b, &((..).into(), ()))
                .map(Some)
                .map_err(|e| corrupt("receipts", e)),
            None => Ok(None),
        }
    }

    /// The current raw value of a state key.
    ///
    /// # Errors
    /// Storage errors.
    pub fn get_raw(&self, key: &StateKey) -> Result<Option<Vec<u8>>> {
        if let StateKey::Tx(hash) = key {
            // Transaction records live beside the state (`txs` table), not in it.
            if !self.tx_index {
                return Err(Error::TxIndexOff);
            }
            return self.store.get(Table::Txs, hash);
        }
        let reader = self.state.read()?;
        read_record(&*self.store, &reader, &key.to_bytes())
    }

    /// The current decoded record under a state key.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn get<T: commonware_codec::Read<Cfg = ()>>(&self, key: &StateKey) -> Result<Option<T>> {
        self.get_raw(key)?
            .map(|b| decode_exact::<T>(&b, &()).map_err(|e| corrupt("state record", e)))
            .transpose()
    }

    /// An account record.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn account(&self, id: &fapiao_types::AccountId) -> Result<Option<AccountRecord>> {
        self.get(&StateKey::Account(*id))
    }

    /// Whether a transaction with `hash` and `expiry` was executed (in a durable block)
    /// and is still remembered by the replay set: always, while `expiry` is at or above
    /// the tip's height.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn replayed(&self, hash: &Hash32, expiry: u64) -> Result<bool> {
        Ok(crate::replay::find(&*self.store, expiry, hash)?.is_some())
    }

    /// Finds an executed transaction whose expiry the caller knows (it holds the
    /// transaction), through the replay set: works whether or not the node keeps the
    /// index by hash, as long as the expiry has not passed (the row is pruned after).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn transaction_with_expiry(&self, hash: &Hash32, expiry: u64) -> Result<Option<FoundTx>> {
        let Some((height, index)) = crate::replay::find(&*self.store, expiry, hash)? else {
            return Ok(None);
        };
        let block = self.executed_block(height)?;
        let tx = block
            .txs
            .get(index as usize)
            .cloned()
            .ok_or_else(|| corrupt("blocks", "tx index out of range"))?;
        let receipt = self
            .receipts(height)?
            .and_then(|rs| rs.into_iter().nth(index as usize))
            .ok_or_else(|| corrupt("receipts", "tx receipt missing"))?;
        Ok(Some(FoundTx { tx, receipt }))
    }

    /// Finds a transaction by hash (the `txs` index).
    ///
    /// # Errors
    /// [`Error::TxIndexOff`] when this node keeps no index by hash
    /// ([`Ledger::with_tx_index`]); storage errors or corruption.
    pub fn transaction(&self, hash: &Hash32) -> Result<Option<FoundTx>> {
        let Some(rec) = self.get::<TxRecord>(&StateKey::Tx(*hash))? else { return Ok(None) };
        let block = self.executed_block(rec.height)?;
        let tx = block
            .txs
            .get(rec.index as usize)
            .cloned()
            .ok_or_else(|| corrupt("blocks", "tx index out of range"))?;
        let receipt = fapiao_types::Receipt {
            tx_hash: *hash,
            height: rec.height,
            index: rec.index,
            outcome: rec.outcome,
            output: rec.output,
        };
        Ok(Some(FoundTx { tx, receipt }))
    }

    /// Proves `keys` at the durable tip, all against one root (`state_root_at(height)`):
    /// each key's record (or its absence) with the state database's proof, which
    /// `fapiao_verify::verify_state_proof(&root, &key, value, &proof)` checks. A private
    /// kind's value is its record (the state holds its commitment); an off-state kind's
    /// (`invoice-body`) is the record kept beside the state, with an empty proof. The
    /// proofs are certified by the first finalized header whose `state_height` is
    /// `height` (ADR 0009 Decision 3).
    ///
    /// # Errors
    /// [`Error::NotInTree`] for a `tx/…` key; storage, state database errors or
    /// corruption.
    pub fn prove(&self, keys: &[StateKey]) -> Result<ProvenState> {
        // Held shared: no block commits meanwhile, so the tip and both stores agree.
        let reader = self.state.read()?;
        let tip = self.tip();
        let root = reader.root()?;
        if root != tip.state_root {
            return Err(corrupt("state", "the state database's root is not the tip's"));
        }
        let mut proofs = Vec::with_capacity(keys.len());
        for key in keys {
            if let StateKey::Tx(_) = key {
                return Err(Error::NotInTree(key.to_string()));
            }
            let path = key.to_bytes();
            if !in_state(&path) {
                let value = self.store.get(Table::Private, &path)?;
                proofs.push(StateProof { key: path, value, proof: Vec::new() });
                continue;
            }
            let proven = reader.prove(&path)?;
            if proven.root != root {
                return Err(corrupt("state", "a proof was made at another root"));
            }
            let value = if is_private(&path) {
                let record = self.store.get(Table::Private, &path)?;
                if record.is_some() != proven.value.is_some() {
                    return Err(corrupt("private", "a private record and its commitment disagree"));
                }
                record
            } else {
                proven.value
            };
            proofs.push(StateProof { key: path, value, proof: proven.proof });
        }
        Ok(ProvenState { height: tip.height, root, proofs })
    }

    /// Drops the ledger as a crash would: the state database is not synced (its last
    /// commit is durable; the Merkle nodes are rebuilt from its log at the next open).
    /// For restart tests.
    #[doc(hidden)]
    pub fn crash(mut self) {
        self.state.abandon();
    }

    /// The directory of the state database.
    pub fn state_dir(&self) -> &std::path::Path {
        self.state.dir()
    }
}

fn genesis_header_placeholder() -> Header {
    Header {
        version: HEADER_VERSION,
        chain_id: [0; 32],
        height: 0,
        parent: [0; 32],
        time_ms: 0,
        proposer: 0,
        tx_root: [0; 32],
        tx_count: 0,
        state_height: 0,
        state_root: [0; 32],
    }
}

/// A read-only view of the executed state for application code that is not executing
/// a block (previews, computed reports): reads see the tip; writes stay in a scratch
/// overlay that is dropped with the view.
pub struct ReadView<'a, S> {
    ledger: &'a Ledger<S>,
    scratch: BTreeMap<StateKey, Vec<u8>>,
}

impl<S: Store> Ledger<S> {
    /// A [`ReadView`] of the tip.
    pub fn view(&self) -> ReadView<'_, S> {
        ReadView { ledger: self, scratch: BTreeMap::new() }
    }
}

impl<S: Store> fapiao_app::StateAccess for ReadView<'_, S> {
    fn read(&self, key: &StateKey) -> core::result::Result<Option<Vec<u8>>, String> {
        if let Some(v) = self.scratch.get(key) {
            return Ok(Some(v.clone()));
        }
        self.ledger.get_raw(key).map_err(|e| e.to_string())
    }

    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.scratch.insert(key.clone(), value);
    }
}

impl<S: Store> Ledger<S> {
    /// Risk alerts raised by finalized blocks, oldest first, at most `limit` (the newest).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn alerts(&self, limit: usize) -> Result<Vec<fapiao_risk::Alert>> {
        self.alerts_of(None, limit)
    }

    /// The newest `limit` alerts of `rule` (every rule when `None`), oldest first; reads
    /// only those rows.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn alerts_of(
        &self,
        rule: Option<fapiao_risk::Rule>,
        limit: usize,
    ) -> Result<Vec<fapiao_risk::Alert>> {
        let rows = match rule {
            None => self.store.scan_back(Table::Alerts, &[], limit)?,
            Some(rule) => {
                let mut prefix = rule.as_str().as_bytes().to_vec();
                prefix.push(0);
                let mut rows = Vec::new();
                for (k, _) in self.store.scan_back(Table::AlertsByRule, &prefix, limit)? {
                    let key = k.get(prefix.len()..).unwrap_or_default();
                    let v = self
                        .store
                        .get(Table::Alerts, key)?
                        .ok_or_else(|| corrupt("alerts", "indexed alert missing"))?;
                    rows.push((k, v));
                }
                rows
            }
        };
        rows.into_iter()
            .rev()
            .map(|(_, v)| serde_json::from_slice(&v).map_err(|e| corrupt("alert", e)))
            .collect()
    }
}
