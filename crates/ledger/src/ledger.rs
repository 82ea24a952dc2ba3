//! The [`Ledger`]: genesis, the executed tip, block execution in one commit, and reads
//! with proofs.

use crate::{
    exec::{self, Committed},
    store::{Overlaid, Overlay, ReadStore, Store, Table, WriteBatch},
    tree, Error, Result,
};
use commonware_codec::Encode;
use fapiao_types::{
    decode_exact, merkle_root, AccountRecord, Block, BlockLimits, Genesis, Hash32, Header,
    OrgRecord, PublicKey, Receipt, Role, SignedTx, StateKey, TxRecord, HEADER_VERSION,
};
use parking_lot::{Mutex, RwLock};
use std::{collections::BTreeMap, sync::Arc, thread::JoinHandle};

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
/// optional index.
pub const CHAIN_FORMAT_VERSION: u32 = 8;

/// The executed tip: the latest block applied and the state after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tip {
    /// Height of the latest executed block.
    pub height: u64,
    /// Its header.
    pub header: Header,
    /// State root after executing it.
    pub state_root: Hash32,
    /// The tree version holding that state: the number of blocks that changed the state
    /// since genesis (version 0).
    pub version: u64,
}

// --- proofs-at-tip shim (ADR 0009 step 2): the interface the QMDB ledger implements;
// this JMT version is replaced by the ledger's own at merge. ---

/// One state record (or its absence) with its proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateProof {
    /// The key's bytes.
    pub key: Vec<u8>,
    /// The value (absent when `None`; the proof then proves absence).
    pub value: Option<Vec<u8>>,
    /// The proof of `value` under the state root (today: borsh-encoded jmt
    /// `SparseMerkleProof<Sha256>`).
    pub proof: Vec<u8>,
}

/// Proofs of several keys against one state: the state after executed block `height`.
/// A header certifies it when its `state_height` is `height` (its `state_root` is then
/// `root`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvenState {
    /// The executed block whose resulting state is proven.
    pub height: u64,
    /// The state root after that block (`state_root_at(height)`).
    pub root: Hash32,
    /// One proof per key asked, in order.
    pub proofs: Vec<StateProof>,
}

// --- end of the shim's types ---

/// A transaction found by hash: the transaction, where it is, and what it did.
#[derive(Clone, Debug)]
pub struct FoundTx {
    /// The signed transaction.
    pub tx: SignedTx,
    /// Its receipt.
    pub receipt: Receipt,
}

/// A staged block whose durable commit runs on its own thread.
struct InFlight {
    /// The tip once the commit lands.
    tip: Tip,
    /// The block's writes, readable while they are committed.
    overlay: Arc<Overlay>,
    /// The commit thread.
    commit: JoinHandle<Result<()>>,
}

/// The commit pipeline: the block being committed, or why the ledger stopped.
#[derive(Default)]
struct Pipeline {
    in_flight: Option<InFlight>,
    /// A commit failed: the staged tip is lost, nothing more may be executed.
    failed: Option<String>,
}

impl Pipeline {
    /// `Err` for good once a commit has failed.
    fn healthy(&self) -> Result<()> {
        match &self.failed {
            Some(failed) => Err(Error::Store(format!("an earlier commit failed: {failed}"))),
            None => Ok(()),
        }
    }
}

/// The authenticated ledger over a [`Store`].
///
/// Execution is pipelined with the durable commit: [`Ledger::stage_block`] executes a
/// block and hands its write batch to a commit thread, and the next block executes
/// while that commit runs (reading the staged writes through an overlay). At most one
/// commit is in flight. Readers see the durable tip ([`Ledger::tip`]); consensus sees
/// the staged one ([`Ledger::executed_tip`]).
pub struct Ledger<S> {
    store: Arc<S>,
    genesis: Genesis,
    limits: BlockLimits,
    /// The durable tip: everything up to it is committed.
    tip: RwLock<Tip>,
    /// The executed tip: the durable tip, or the block whose commit is in flight.
    staged: RwLock<Tip>,
    /// Serialises execution.
    write: Mutex<()>,
    pipeline: Mutex<Pipeline>,
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
        match store.get(Table::Meta, META_GENESIS)? {
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
            }
            None => Self::write_genesis(&store, &genesis, fingerprint)?,
        }
        let height = u64_of(
            &store.get(Table::Meta, META_EXECUTED)?.ok_or_else(|| corrupt("meta", "no height"))?,
            "meta",
        )?;
        let placeholder = Tip {
            height: 0,
            header: genesis_header_placeholder(),
            state_root: [0; 32],
            version: 0,
        };
        let ledger = Self {
            store: Arc::new(store),
            genesis,
            limits,
            tip: RwLock::new(placeholder),
            staged: RwLock::new(placeholder),
            write: Mutex::new(()),
            pipeline: Mutex::new(Pipeline::default()),
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
        let (version, state_root) =
            ledger.root_entry(height)?.ok_or_else(|| corrupt("roots", "tip root missing"))?;
        let tip = Tip { height, header, state_root, version };
        *ledger.tip.write() = tip;
        *ledger.staged.write() = tip;
        Ok(ledger)
    }

    fn write_genesis(store: &S, genesis: &Genesis, fingerprint: Hash32) -> Result<()> {
        let writes = genesis_writes(genesis)?;
        let (root, mut batch) = tree::apply_changes(store, 0, writes)?;
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
            state_root: root,
        };
        let block = Block { header, txs: vec![] };
        Self::stage_rows(&mut batch, &block, &[], &[], 0, root);
        batch.put(Table::Meta, META_GENESIS, fingerprint);
        batch.put(Table::Meta, META_FORMAT, CHAIN_FORMAT_VERSION.to_be_bytes());
        store.commit(&batch)
    }

    fn stage_rows(
        batch: &mut WriteBatch,
        block: &Block,
        certificate: &[u8],
        receipts: &[Receipt],
        version: u64,
        root: Hash32,
    ) {
        let h = block.header.height;
        batch.put(Table::Blocks, be(h), block.encode().to_vec());
        batch.put(Table::Certificates, be(h), certificate);
        batch.put(Table::Receipts, be(h), receipts.to_vec().encode().to_vec());
        let mut r = be(version).to_vec();
        r.extend_from_slice(&root);
        batch.put(Table::Roots, be(h), r);
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

    /// The executed tip: the latest block executed, whose commit may still be in flight
    /// (then one above [`Ledger::tip`]).
    pub fn executed_tip(&self) -> Tip {
        *self.staged.read()
    }

    /// The genesis block (height 0).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn genesis_block(&self) -> Result<Block> {
        self.block(0)?.ok_or_else(|| corrupt("blocks", "genesis missing"))
    }

    /// Executes a finalized `block` with its certificate in one durable commit, and
    /// returns once it is durable ([`Ledger::stage_block`] then [`Ledger::wait_durable`]).
    ///
    /// # Errors
    /// As [`Ledger::stage_block`] and [`Ledger::wait_durable`].
    pub fn execute_block(&self, block: &Block, certificate: &[u8]) -> Result<Vec<Receipt>> {
        let receipts = self.stage_block(block, certificate)?;
        self.wait_durable(block.header.height)?;
        Ok(receipts)
    }

    /// Executes a finalized `block` with its certificate and starts its durable commit on
    /// a commit thread; returns the receipts without waiting for the commit (the previous
    /// block's commit, if still running, is waited for first: one commit in flight).
    ///
    /// Idempotent by height: a block at or below the executed tip is acknowledged without
    /// effect. Returns the receipts (empty for an already-executed block). The block
    /// counts as durable once [`Ledger::wait_durable`] returns for its height; until then
    /// [`Ledger::tip`] and every read show the state before it.
    ///
    /// # Errors
    /// [`Error::Gap`] for a block beyond the executed tip + 1, [`Error::Corrupt`] for a
    /// block whose parent is not the executed tip; storage errors (nothing is applied
    /// then); [`Error::Store`] for good once a commit has failed.
    pub fn stage_block(&self, block: &Block, certificate: &[u8]) -> Result<Vec<Receipt>> {
        let _guard = self.write.lock();
        self.pipeline.lock().healthy()?;
        let tip = self.executed_tip();
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
        // The previous block's writes, if its commit is still running.
        let overlay = self.pipeline.lock().in_flight.as_ref().map(|f| f.overlay.clone());
        let view = Overlaid { store: &*self.store, overlay: overlay.as_deref() };
        let committed = Committed {
            store: &view,
            version: tip.version,
            secret: self.secret.as_ref(),
            tx_index: self.tx_index,
        };
        // The applications' index rows: one transaction over the same view, so their
        // reads see block h − 1's rows while its commit is in flight.
        let mut index = crate::hooks::BlockRows::new(&view);
        let executed = exec::execute(&committed, block, &self.genesis, &mut index)?;
        crate::hooks::after_block(
            &committed,
            &executed.writes,
            block,
            &executed.receipts,
            &mut index,
        )?;
        let faults = executed.faults;
        // Tree versions count state changes (genesis is 0), not heights: jmt builds
        // version v on the root of version v − 1, so versions must be consecutive — a
        // block without writes creates none, and the next one must build on the last.
        let (version, root, mut batch) = if executed.writes.is_empty() {
            (tip.version, tip.state_root, WriteBatch::default())
        } else {
            let next = tip.version + 1;
            let (root, batch) = tree::apply_changes(&view, next, executed.writes)?;
            (next, root, batch)
        };
        Self::stage_rows(&mut batch, block, certificate, &executed.receipts, version, root);
        for (table, k, v) in executed.derived {
            batch.put(table, k, v);
        }
        crate::replay::prune(&mut batch, h);
        index.stage(&mut batch);
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
        drop(overlay);
        // One commit in flight: the previous one lands before this one starts.
        self.finish_in_flight()?;
        let overlay = Arc::new(Overlay::new(batch));
        let store = self.store.clone();
        let writes = overlay.clone();
        let commit = std::thread::Builder::new()
            .name("fapiao-commit".into())
            .spawn(move || store.commit(&writes.batch))
            .map_err(|e| Error::Store(format!("cannot start the commit thread: {e}")))?;
        let staged = Tip { height: h, header: block.header, state_root: root, version };
        self.pipeline.lock().in_flight = Some(InFlight { tip: staged, overlay, commit });
        *self.risk.lock() = risk;
        *self.staged.write() = staged;
        self.execution_faults.fetch_add(faults, std::sync::atomic::Ordering::Relaxed);
        Ok(executed.receipts)
    }

    /// Transactions whose apply panicked (and so failed with an `execution_fault`
    /// receipt) in the blocks this process executed since it opened the ledger.
    pub fn execution_faults(&self) -> u64 {
        self.execution_faults.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Waits until block `height` (if staged) is durable, and advances [`Ledger::tip`].
    ///
    /// # Errors
    /// [`Error::Store`] when its commit failed (the ledger then refuses to execute more:
    /// restart the node, which re-executes from the last durable block).
    pub fn wait_durable(&self, height: u64) -> Result<()> {
        if self.tip().height >= height {
            return Ok(());
        }
        self.finish_in_flight()
    }

    /// Joins the in-flight commit, if any, and advances the durable tip to it.
    fn finish_in_flight(&self) -> Result<()> {
        let mut pipeline = self.pipeline.lock();
        pipeline.healthy()?;
        let Some(in_flight) = pipeline.in_flight.take() else { return Ok(()) };
        let result = in_flight
            .commit
            .join()
            .unwrap_or_else(|_| Err(Error::Store("the commit thread panicked".into())));
        match result {
            Ok(()) => {
                *self.tip.write() = in_flight.tip;
                Ok(())
            }
            Err(e) => {
                tracing::error!(height = in_flight.tip.height, error = %e, "ledger commit failed");
                pipeline.failed = Some(e.to_string());
                Err(e)
            }
        }
    }

    fn root_entry(&self, height: u64) -> Result<Option<(u64, Hash32)>> {
        match self.store.get(Table::Roots, &be(height))? {
            Some(b) if b.len() == 40 => {
                let mut root = [0u8; 32];
                root.copy_from_slice(&b[8..]);
                Ok(Some((u64_of(&b, "roots")?, root)))
            }
            Some(_) => Err(corrupt("roots", "bad length")),
            None => Ok(None),
        }
    }

    /// The state root after executing `height`, if executed.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn state_root_at(&self, height: u64) -> Result<Option<Hash32>> {
        let staged = self.executed_tip();
        if height == staged.height {
            return Ok(Some(staged.state_root));
        }
        Ok(self.root_entry(height)?.map(|(_, r)| r))
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
    /// not executed here, `Some(None)` if the key was absent then.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn record_at<T: commonware_codec::Read<Cfg = ()>>(
        &self,
        height: u64,
        key: &StateKey,
    ) -> Result<Option<Option<T>>> {
        // The staged tip first, then the overlay: a block staged in between has had the
        // commit of this one land before its own began.
        let staged = self.executed_tip();
        let overlay = self.pipeline.lock().in_flight.as_ref().map(|f| f.overlay.clone());
        let view = Overlaid { store: &*self.store, overlay: overlay.as_deref() };
        let version = if height == staged.height {
            staged.version
        } else if height > staged.height {
            return Ok(None);
        } else {
            match view.get(Table::Roots, &be(height))? {
                Some(b) => u64_of(&b, "roots")?,
                None => return Ok(None),
            }
        };
        match view.get_value(version, &key.to_bytes())? {
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
            // Transaction records live beside the tree (`txs` table), not in it.
            if !self.tx_index {
                return Err(Error::TxIndexOff);
            }
            return self.store.get(Table::Txs, hash);
        }
        self.store.get_value(self.tip().version, &key.to_bytes())
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

    // --- proofs-at-tip shim (ADR 0009 step 2), replaced by the QMDB ledger's at merge ---

    /// Proves `keys` at the durable tip, all against one root (`state_root_at(height)`):
    /// the tree at the tip's version. A later header whose `state_height` is `height`
    /// certifies them.
    ///
    /// # Errors
    /// Storage or tree errors; [`Error::NotInTree`] for records kept beside the tree.
    pub fn prove(&self, keys: &[StateKey]) -> Result<ProvenState> {
        let tip = self.tip();
        let proofs = keys
            .iter()
            .map(|key| {
                if let StateKey::Tx(_) = key {
                    return Err(Error::NotInTree(key.to_string()));
                }
                let key_bytes = key.to_bytes();
                let (value, proof) = tree::prove(&*self.store, tip.version, &key_bytes)?;
                Ok(StateProof { key: key_bytes, value, proof })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ProvenState { height: tip.height, root: tip.state_root, proofs })
    }

    // --- end of the shim ---
}

impl<S> Drop for Ledger<S> {
    /// Lets a commit in flight land, so the store is closed when the ledger is gone.
    fn drop(&mut self) {
        if let Some(in_flight) = self.pipeline.get_mut().in_flight.take() {
            if let Ok(Err(e)) = in_flight.commit.join() {
                tracing::error!(error = %e, "ledger commit failed while closing");
            }
        }
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
