//! Block execution: a pure function of (state, block) applied in one write batch.
//!
//! Each transaction runs against the block's pending writes through a [`TxState`]
//! overlay. Every executed transaction leaves a row in the replay set (`replay`, keyed
//! by expiry, see [`crate::replay`]) and, when the node keeps the index, a record in the
//! `txs` table (where it is, what it did) — beside the state, not in it; a
//! transaction that fails a rule leaves nothing else. A transaction whose hash was
//! already used (earlier in this block, or in an earlier block while it is not expired)
//! gets a `replayed` receipt and writes nothing; an expired one is refused as `expired`
//! whether or not it was seen before.
//!
//! A transaction whose writes the state database cannot hold (a path over
//! `MAX_STATE_PATH` bytes, a stored value over `MAX_STATE_VALUE`: the bounds the offline
//! verifier decodes proofs with) fails with `record_too_large`, naming the key, and writes
//! nothing — a rule's input, not a node halt.
//!
//! A panic inside a transaction's pure apply (a bug: every input should be refused with
//! a code before it can break an invariant) is caught around that transaction alone: it
//! gets an `execution_fault` receipt, none of its writes survive, and the block goes on.
//! The same binary panics the same way on every node, so the receipt is deterministic;
//! without the catch, the executor would retry the finalized block forever and every
//! validator would halt on it. Storage and I/O failures are not caught: they are
//! [`Error`]s that stop the node, since turning a local failure into a receipt would
//! fork it from the others.

use crate::{
    error::Rejection,
    membership,
    store::{ReadStore, Table},
    Error, Result,
};
use commonware_codec::{Encode, Read};
use fapiao_app::Platform;
use fapiao_types::{
    decode_exact,
    state_order::{in_state, out_of_bounds},
    Block, Outcome, Receipt, SignedTx, StateKey, TxOutput, TxRecord,
};
use std::collections::BTreeMap;

/// Why a transaction's execution stopped: a rule refused it, or the ledger failed.
#[derive(Debug)]
pub(crate) enum ExecError {
    /// A rule refused it: the transaction fails, the block goes on.
    Reject(Rejection),
    /// Storage or corruption: the whole block aborts.
    Fatal(Error),
}

impl From<Rejection> for ExecError {
    fn from(r: Rejection) -> Self {
        ExecError::Reject(r)
    }
}

impl From<Error> for ExecError {
    fn from(e: Error) -> Self {
        ExecError::Fatal(e)
    }
}

/// Reads of the committed state: the state database at the durable tip, and the records
/// kept beside it in the store ([`Table::Private`]).
pub(crate) struct Committed<'a, S: ?Sized> {
    pub store: &'a S,
    pub state: &'a crate::state_db::Reader<'a>,
    /// The node's chain secret ([`fapiao_app::Ctx::secret`]).
    pub secret: Option<&'a [u8; 32]>,
    /// Whether to write the `txs` index (the lookup by hash).
    pub tx_index: bool,
}

impl<S: ReadStore + ?Sized> Committed<'_, S> {
    pub fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        crate::ledger::read_record(self.store, self.state, key)
    }

    /// Whether a transaction with this hash and expiry was executed in an earlier block
    /// (answered for transactions that are not expired: older rows are pruned).
    pub fn tx_executed(&self, hash: &fapiao_types::Hash32, expiry: u64) -> Result<bool> {
        Ok(crate::replay::find(self.store, expiry, hash)?.is_some())
    }
}

/// The state a transaction sees: committed state, this block's earlier writes, and its
/// own writes (kept apart until it succeeds).
pub(crate) struct TxState<'a, S: ?Sized> {
    committed: &'a Committed<'a, S>,
    block: &'a BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// Height of the block being executed.
    pub height: u64,
    /// Time of the block being executed (its header's), ms since the Unix epoch.
    pub time_ms: u64,
    /// Hash of the transaction being executed.
    pub tx_hash: fapiao_types::Hash32,
    /// Its sender's account id.
    pub sender: fapiao_types::AccountId,
}

impl<S: ReadStore + ?Sized> fapiao_app::StateAccess for TxState<'_, S> {
    fn read(&self, key: &StateKey) -> core::result::Result<Option<Vec<u8>>, String> {
        self.get_raw(&key.to_bytes()).map_err(|e| e.to_string())
    }

    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.writes.insert(key.to_bytes(), Some(value));
    }
}

impl<'a, S: ReadStore + ?Sized> TxState<'a, S> {
    pub fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.writes.get(key).or_else(|| self.block.get(key)) {
            return Ok(v.clone());
        }
        self.committed.get_raw(key)
    }

    /// Reads and decodes a record.
    pub fn get<T: Read<Cfg = ()>>(&self, key: &StateKey) -> Result<Option<T>> {
        match self.get_raw(&key.to_bytes())? {
            Some(bytes) => decode_exact::<T>(&bytes, &())
                .map(Some)
                .map_err(|e| Error::Corrupt { what: "state record", reason: e.to_string() }),
            None => Ok(None),
        }
    }

    /// Writes a record.
    pub fn put<T: Encode>(&mut self, key: &StateKey, value: &T) {
        self.writes.insert(key.to_bytes(), Some(value.encode().to_vec()));
    }

    /// Deletes a record.
    pub fn delete(&mut self, key: &StateKey) {
        self.writes.insert(key.to_bytes(), None);
    }
}

/// A platform row written beside the state (a `replay` row, a `txs` record): table, key,
/// value.
pub(crate) type DerivedRow = (Table, Vec<u8>, Vec<u8>);

/// What executing a block produced.
pub(crate) struct Executed {
    /// Final writes of the block, by key bytes.
    pub writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// One receipt per transaction.
    pub receipts: Vec<Receipt>,
    /// Replay rows and transaction records (`replay`, `txs`), outside the state root.
    pub derived: Vec<DerivedRow>,
    /// The invoices the block created, as risk events.
    pub risk_events: Vec<fapiao_risk::InvoiceEvent>,
    /// Transactions whose apply panicked (`execution_fault` receipts).
    pub faults: u64,
}

/// The message of a caught panic, for the log.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// Cuts receipt text to what a receipt may hold (user text can appear in messages).
fn clip(s: &str) -> String {
    let max = fapiao_types::MAX_RECEIPT_TEXT;
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// Executes every transaction of `block` over `committed`; after each transaction that
/// succeeded, the applications' per-transaction index hooks write to `index_rows`.
pub(crate) fn execute<S: ReadStore + ?Sized>(
    committed: &Committed<'_, S>,
    block: &Block,
    genesis: &fapiao_types::Genesis,
    index_rows: &mut dyn fapiao_app::IndexTxn,
) -> Result<Executed> {
    let height = block.header.height;
    let mut writes: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
    let mut receipts = Vec::with_capacity(block.txs.len());
    let mut derived = Vec::new();
    // Hashes executed in this block (their rows are staged in `derived`).
    let mut seen = std::collections::BTreeSet::new();
    let mut faults = 0;
    for (index, stx) in block.txs.iter().enumerate() {
        let tx_hash = stx.hash();
        let expiry = stx.tx.expiry;
        let replayed = seen.contains(&tx_hash)
            || (crate::replay::live(expiry, height) && committed.tx_executed(&tx_hash, expiry)?);
        let mut own_keys: Vec<Vec<u8>> = Vec::new();
        let (outcome, output) = if replayed {
            let outcome = Outcome::Failed {
                code: Platform::Replayed.code().into(),
                field: "tx".into(),
                message: "this transaction hash was already used".into(),
            };
            let index = index as u32;
            receipts.push(Receipt { tx_hash, height, index, outcome, output: TxOutput::None });
            continue;
        } else {
            let mut state = TxState {
                committed,
                block: &writes,
                writes: BTreeMap::new(),
                height,
                time_ms: block.header.time_ms,
                tx_hash,
                sender: stx.tx.sender_account(),
            };
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_tx(&mut state, stx, genesis)
            }));
            let run = run.unwrap_or_else(|payload| {
                faults += 1;
                tracing::error!(
                    height,
                    index,
                    tx = %hex::encode(tx_hash),
                    panic = panic_message(&*payload),
                    "transaction execution panicked; it fails with execution_fault and writes nothing"
                );
                Err(ExecError::Reject(Rejection::new(
                    Platform::ExecutionFault,
                    Some("tx"),
                    "executing this transaction failed; nothing was applied",
                )))
            });
            let run = run.and_then(|output| match oversize(&state.writes) {
                Some(refused) => Err(ExecError::Reject(refused)),
                None => Ok(output),
            });
            match run {
                Ok(output) => {
                    let own = std::mem::take(&mut state.writes);
                    own_keys = own.keys().cloned().collect();
                    writes.extend(own);
                    (Outcome::Ok, output)
                }
                Err(ExecError::Reject(r)) => (
                    Outcome::Failed {
                        code: clip(r.code),
                        field: clip(&r.field.unwrap_or_default()),
                        message: clip(&r.message),
                    },
                    TxOutput::None,
                ),
                Err(ExecError::Fatal(e)) => return Err(e),
            }
        };
        let record = TxRecord {
            height,
            index: index as u32,
            sender: stx.tx.sender_account(),
            outcome: outcome.clone(),
            output,
        };
        seen.insert(tx_hash);
        if crate::replay::live(expiry, height) {
            // An expired transaction's row would be pruned by this very block.
            let row = crate::replay::value(height, index as u32);
            derived.push((
                Table::Replay,
                crate::replay::key(expiry, &tx_hash).to_vec(),
                row.to_vec(),
            ));
        }
        // An expired attempt at a transaction executed earlier keeps the index pointing
        // at the execution (the one lookup this costs is for expired transactions only).
        let indexed_before = !crate::replay::live(expiry, height)
            && committed.tx_index
            && committed.store.get(Table::Txs, &tx_hash)?.is_some();
        if committed.tx_index && !indexed_before {
            derived.push((Table::Txs, tx_hash.to_vec(), record.encode().to_vec()));
        }
        let receipt = Receipt { tx_hash, height, index: index as u32, outcome, output };
        if receipt.outcome.is_ok() {
            let state = crate::hooks::StateView { committed, writes: &writes };
            let at = fapiao_app::TxIndex {
                height,
                time_ms: block.header.time_ms,
                tx: stx,
                receipt: &receipt,
                own_writes: &own_keys,
                state: &state,
            };
            crate::hooks::after_tx(&at, index_rows)?;
        }
        receipts.push(receipt);
    }
    let risk_events = crate::risk::events(committed, &writes, height, block.header.time_ms)?;
    Ok(Executed { writes, receipts, derived, risk_events, faults })
}

/// The refusal of a transaction whose writes the state database cannot hold, if any: a
/// path longer than [`fapiao_types::state_order::MAX_STATE_PATH`], or a record whose stored value (a private kind's is
/// a 32-byte commitment) is longer than [`fapiao_types::state_order::MAX_STATE_VALUE`]. Records kept beside the state
/// (`invoice-body`) are bounded by their path only.
pub(crate) fn oversize(writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>) -> Option<Rejection> {
    writes.iter().find_map(|(path, record)| {
        let len = record.as_ref().filter(|_| in_state(path)).map(Vec::len);
        let message = out_of_bounds(path, len)?;
        let key = clip(&String::from_utf8_lossy(path));
        Some(Rejection::new(Platform::RecordTooLarge, Some(&key), message))
    })
}

fn run_tx<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    stx: &SignedTx,
    genesis: &fapiao_types::Genesis,
) -> core::result::Result<TxOutput, ExecError> {
    let tx = &stx.tx;
    if tx.chain_id != genesis.chain_id {
        return Err(Rejection::new(Platform::WrongChain, Some("chain_id"), "another chain").into());
    }
    if tx.expiry < state.height {
        return Err(Rejection::new(
            Platform::Expired,
            Some("expiry"),
            format!("expired at height {}, included at {}", tx.expiry, state.height),
        )
        .into());
    }
    let (sender, org) = membership::authorize(state, tx)?;
    if let Some((app, action)) = crate::apps::owner(&tx.action) {
        let ctx = fapiao_app::Ctx {
            height: state.height,
            time_ms: state.time_ms,
            tx_hash: state.tx_hash,
            sender: tx.sender_account(),
            account: &sender,
            org: &org,
            chain_id: &genesis.chain_id,
            secret: state.committed.secret,
        };
        let output = app.apply(state, action, &ctx).map_err(|e| match e {
            fapiao_app::Error::Rejected { code, field, message } => {
                ExecError::Reject(Rejection { code, field: Some(field), message })
            }
            other => ExecError::Fatal(Error::Application(other.to_string())),
        })?;
        #[cfg(test)]
        fault::check(state);
        return Ok(output);
    }
    use fapiao_types::Action as A;
    let output = match &tx.action {
        A::Propose(p) => crate::governance::propose(state, &sender, p, genesis)?,
        A::ApproveProposal(r) => crate::governance::approve(state, &sender, r, genesis)?,
        A::WithdrawProposal(r) => crate::governance::withdraw(state, &sender, r)?,
        A::CreateEnterprise(o) => crate::governance::create_enterprise(state, o)?,
        _ => {
            membership::apply(state, &sender, tx)?;
            TxOutput::None
        }
    };
    #[cfg(test)]
    fault::check(state);
    Ok(output)
}

/// Test seam: makes the apply of one chosen transaction panic after it has written its
/// state, as a bug would. Not compiled outside this crate's unit tests.
#[cfg(test)]
pub(crate) mod fault {
    use fapiao_types::Hash32;
    use std::cell::Cell;

    thread_local! {
        static ARMED: Cell<Option<Hash32>> = const { Cell::new(None) };
    }

    /// The apply of the transaction with this hash (on this thread) will panic.
    pub fn arm(tx: Hash32) {
        ARMED.with(|a| a.set(Some(tx)));
    }

    pub(super) fn check<S: ?Sized>(state: &super::TxState<'_, S>) {
        if ARMED.with(Cell::get) == Some(state.tx_hash) {
            panic!("injected execution fault after {} writes", state.writes.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Ledger, MemStore};
    use fapiao_app::Platform;
    use fapiao_crypto::SigningKey;
    use fapiao_types::*;

    const CHAIN: &str = "fapiao-exec-test";

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(Suite::Ed25519, &[seed; 32]).unwrap()
    }

    fn ledger() -> Ledger<MemStore> {
        let admin = key(1);
        let genesis = Genesis {
            chain_id: CHAIN.into(),
            demo: false,
            governance: Default::default(),
            params: Default::default(),
            full_nodes: Vec::new(),
            genesis_time_ms: 1_764_000_000_000,
            consensus: ConsensusParams::default(),
            organisations: vec![GenesisOrg {
                id: "sz-tax".into(),
                name: "Shenzhen Tax".into(),
                kind: OrgKind::TaxAuthority,
                tax_id: None,
                admins: vec![GenesisAdmin {
                    name: "admin".into(),
                    suite: "ed25519".into(),
                    public_key: admin.public_key().to_hex(),
                }],
            }],
            validators: vec![GenesisValidator {
                name: "v0".into(),
                org: "sz-tax".into(),
                public_key: hex::encode([9u8; 32]),
                p2p_address: "127.0.0.1:9000".into(),
            }],
        };
        Ledger::open(MemStore::new(), genesis).unwrap()
    }

    /// The admin adds the account of `seed`.
    fn add(nonce: u64, seed: u8) -> SignedTx {
        let admin = key(1);
        admin.sign_tx(Tx {
            chain_id: CHAIN.into(),
            sender: admin.public_key(),
            nonce,
            expiry: 100,
            action: Action::AddAccount(NewAccount {
                public_key: key(seed).public_key(),
                name: format!("member {seed}"),
                roles: vec![],
            }),
        })
    }

    fn run(ledger: &Ledger<MemStore>, txs: Vec<SignedTx>) -> Vec<Receipt> {
        let tip = ledger.executed_tip();
        let block = Block::child(
            &tip.header,
            tip.header.time_ms + 500,
            0,
            (tip.height, tip.state_root),
            txs,
        );
        ledger.execute_block(&block, b"cert").unwrap()
    }

    fn code(r: &Receipt) -> (&str, &str) {
        match &r.outcome {
            Outcome::Ok => ("ok", ""),
            Outcome::Failed { code, field, .. } => (code, field),
        }
    }

    fn has_account(ledger: &Ledger<MemStore>, seed: u8) -> bool {
        ledger.account(&key(seed).public_key().account_id()).unwrap().is_some()
    }

    /// A panic inside one transaction's apply, after it wrote its state, fails that
    /// transaction alone: an `execution_fault` receipt, none of its writes, the block's
    /// other transactions applied, the counter raised — and two nodes agree.
    #[test]
    fn a_panicking_apply_fails_its_transaction_alone_with_execution_fault() {
        let (a, b, empty) = (ledger(), ledger(), ledger());
        let faulty = add(1, 10);
        super::fault::arm(faulty.hash());
        let receipts = run(&a, vec![faulty.clone()]);
        assert_eq!(code(&receipts[0]), (Platform::ExecutionFault.code(), "tx"));
        run(&empty, vec![]);
        let root = empty.executed_tip().state_root;
        assert_eq!(a.executed_tip().state_root, root, "no state change: an empty block's root");
        assert!(!has_account(&a, 10));
        assert_eq!(a.execution_faults(), 1);
        assert_eq!(
            a.transaction(&faulty.hash()).unwrap().map(|t| t.receipt),
            Some(receipts[0].clone())
        );

        let (good, faulty) = (add(2, 11), add(3, 12));
        super::fault::arm(faulty.hash());
        let receipts = run(&a, vec![good.clone(), faulty.clone()]);
        let codes_of =
            |rs: &[Receipt]| rs.iter().map(|r| code(r).0.to_string()).collect::<Vec<_>>();
        assert_eq!(codes_of(&receipts), ["ok", Platform::ExecutionFault.code()]);
        assert!(has_account(&a, 11) && !has_account(&a, 12));
        assert_eq!(a.execution_faults(), 2);

        // Another node executing the same blocks gets the same receipts and root.
        super::fault::arm(add(1, 10).hash());
        run(&b, vec![add(1, 10)]);
        super::fault::arm(faulty.hash());
        let again = run(&b, vec![good, faulty]);
        assert_eq!(again, receipts);
        assert_eq!(b.executed_tip().state_root, a.executed_tip().state_root);
    }

    /// The over-long refusal, table-driven: the key is named, bounds are inclusive, a
    /// private kind is measured by its 32-byte commitment and an off-state kind by its path
    /// only, and a deletion is never too large.
    #[test]
    fn over_long_records_are_refused_naming_the_key() {
        use fapiao_types::state_order::{MAX_STATE_PATH, MAX_STATE_VALUE};
        let n = "26440000000000000001";
        let long_path = |kind: &str, len: usize| {
            let mut p = format!("{kind}/").into_bytes();
            p.resize(len, b'x');
            p
        };
        let cases: Vec<(&str, Vec<u8>, Option<usize>, bool)> = vec![
            ("path at the bound", long_path("org", MAX_STATE_PATH), Some(1), false),
            ("path over it", long_path("org", MAX_STATE_PATH + 1), Some(1), true),
            ("deleted, path over", long_path("org", MAX_STATE_PATH + 1), None, true),
            ("value at the bound", b"params/x".to_vec(), Some(MAX_STATE_VALUE), false),
            ("value over it", b"params/x".to_vec(), Some(MAX_STATE_VALUE + 1), true),
            ("deleted value", b"params/x".to_vec(), None, false),
            (
                "private kind",
                format!("invoice-circ/{n}").into_bytes(),
                Some(MAX_STATE_VALUE + 1),
                false,
            ),
            (
                "off-state kind",
                format!("invoice-body/{n}").into_bytes(),
                Some(MAX_STATE_VALUE + 1),
                false,
            ),
            ("off-state, path over", long_path("invoice-body", MAX_STATE_PATH + 1), Some(1), true),
        ];
        for (what, path, len, refused) in cases {
            let mut writes = std::collections::BTreeMap::new();
            writes.insert(b"org/fine".to_vec(), Some(vec![1]));
            writes.insert(path.clone(), len.map(|l| vec![7; l]));
            let got = super::oversize(&writes);
            assert_eq!(got.is_some(), refused, "{what}");
            if let Some(r) = got {
                assert_eq!(r.code, Platform::RecordTooLarge.code(), "{what}");
                assert_eq!(r.field.as_deref(), Some(String::from_utf8_lossy(&path).as_ref()));
            }
        }
    }
}
