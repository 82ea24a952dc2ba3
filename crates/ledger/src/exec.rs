//! Block execution: a pure function of (state, block) applied in one write batch.
//!
//! Each transaction runs against the block's pending writes through a [`TxState`]
//! overlay. Every executed transaction leaves a record in the `txs` table (where it is,
//! what it did) — beside the state tree, not in it; a transaction that fails a rule
//! leaves nothing else. A transaction whose hash was already used (in an earlier block
//! or earlier in this one) gets a `replayed` receipt and writes nothing.

use crate::{
    error::{codes, Rejection},
    membership,
    store::{ReadStore, Table},
    Error, Result,
};
use commonware_codec::{Encode, Read};
use fapiao_types::{decode_exact, Block, Outcome, Receipt, SignedTx, StateKey, TxRecord};
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

/// Reads of the committed state at one tree version.
pub(crate) struct Committed<'a, S: ?Sized> {
    pub store: &'a S,
    pub version: u64,
}

impl<S: ReadStore + ?Sized> Committed<'_, S> {
    pub fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.store.get_value(self.version, key)
    }

    /// Whether a transaction with this hash was executed in an earlier block.
    pub fn tx_executed(&self, hash: &fapiao_types::Hash32) -> Result<bool> {
        Ok(self.store.get(Table::Txs, hash)?.is_some())
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
}

impl<S: ReadStore + ?Sized> fapiao_invoice::StateAccess for TxState<'_, S> {
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
}

/// A row of a derived index: table, key, value.
pub(crate) type DerivedRow = (Table, Vec<u8>, Vec<u8>);

/// What executing a block produced.
pub(crate) struct Executed {
    /// Final writes of the block, by key bytes.
    pub writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// One receipt per transaction.
    pub receipts: Vec<Receipt>,
    /// Rows of the derived indexes (history, wallet), outside the state root.
    pub derived: Vec<DerivedRow>,
    /// The invoices the block created, as risk events.
    pub risk_events: Vec<fapiao_risk::InvoiceEvent>,
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

/// The invoices a successful transaction touched: the numbers it names, and every
/// invoice whose public record it wrote (`own_writes`: the transaction's own keys),
/// which covers invoices it created — issued, claimed, or red.
fn touched_invoices(action: &fapiao_types::Action, own_writes: &[Vec<u8>]) -> Vec<String> {
    use fapiao_types::Action as A;
    let mut out = Vec::new();
    match action {
        A::SubmitInvoice(r)
        | A::AcceptReimbursement(r)
        | A::RejectReimbursement(r)
        | A::BookInvoice(r) => out.push(r.number.clone()),
        A::FlagInvoice(f) => out.push(f.number.clone()),
        A::RaiseRedForm(r) => out.push(r.blue_number.clone()),
        _ => {}
    }
    for key in own_writes {
        if let Some(n) = key.strip_prefix(b"invoice/") {
            let n = String::from_utf8_lossy(n).to_string();
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

fn derived_rows<S: ReadStore + ?Sized>(
    committed: &Committed<'_, S>,
    writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    stx: &SignedTx,
    receipt: &Receipt,
    own_writes: &[Vec<u8>],
    time_ms: u64,
) -> Result<Vec<DerivedRow>> {
    let mut rows = Vec::new();
    if let fapiao_types::Action::FileVatReturn(f) = &stx.tx.action {
        let mut key = f.month.to_be_bytes().to_vec();
        key.extend_from_slice(f.uscc.as_bytes());
        rows.push((Table::Filings, key, receipt.height.to_be_bytes().to_vec()));
    }
    for number in touched_invoices(&stx.tx.action, own_writes) {
        let event = fapiao_types::HistoryEvent {
            action: stx.tx.action.name().into(),
            height: receipt.height,
            index: receipt.index,
            time_ms,
            signer: stx.tx.sender_account(),
            tx_hash: receipt.tx_hash,
        };
        let mut key = number.clone().into_bytes();
        key.push(0);
        key.extend_from_slice(&receipt.height.to_be_bytes());
        key.extend_from_slice(&receipt.index.to_be_bytes());
        rows.push((Table::History, key, event.encode().to_vec()));
        let circ_key = StateKey::InvoiceCirc(number.clone()).to_bytes();
        let circ = match writes.get(&circ_key) {
            Some(v) => v.clone(),
            None => committed.get_raw(&circ_key)?,
        };
        if let Some(bytes) = circ {
            let circ: fapiao_types::Circulation = decode_exact(&bytes, &())
                .map_err(|e| Error::Corrupt { what: "circulation", reason: e.to_string() })?;
            if let Some(holder) = circ.holder {
                let mut key = holder.0.to_vec();
                key.extend_from_slice(number.as_bytes());
                rows.push((Table::Wallet, key, Vec::new()));
            }
        }
    }
    Ok(rows)
}

/// Executes every transaction of `block` over `committed`.
pub(crate) fn execute<S: ReadStore + ?Sized>(
    committed: &Committed<'_, S>,
    block: &Block,
    chain_id: &str,
) -> Result<Executed> {
    let height = block.header.height;
    let mut writes: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
    let mut receipts = Vec::with_capacity(block.txs.len());
    let mut derived = Vec::new();
    // Hashes executed in this block (their records are rows of `Table::Txs`).
    let mut seen = std::collections::BTreeSet::new();
    for (index, stx) in block.txs.iter().enumerate() {
        let tx_hash = stx.hash();
        let replayed = seen.contains(&tx_hash) || committed.tx_executed(&tx_hash)?;
        let mut own_keys: Vec<Vec<u8>> = Vec::new();
        let (outcome, output) = if replayed {
            let outcome = Outcome::Failed {
                code: codes::REPLAYED.into(),
                field: "tx".into(),
                message: "this transaction hash was already used".into(),
            };
            let index = index as u32;
            receipts.push(Receipt { tx_hash, height, index, outcome, output: String::new() });
            continue;
        } else {
            let mut state = TxState {
                committed,
                block: &writes,
                writes: BTreeMap::new(),
                height,
                time_ms: block.header.time_ms,
                tx_hash,
            };
            match run_tx(&mut state, stx, chain_id) {
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
                    String::new(),
                ),
                Err(ExecError::Fatal(e)) => return Err(e),
            }
        };
        let record = TxRecord {
            height,
            index: index as u32,
            sender: stx.tx.sender_account(),
            outcome: outcome.clone(),
            output: output.clone(),
        };
        seen.insert(tx_hash);
        derived.push((Table::Txs, tx_hash.to_vec(), record.encode().to_vec()));
        let receipt = Receipt { tx_hash, height, index: index as u32, outcome, output };
        if receipt.outcome.is_ok() {
            let time = block.header.time_ms;
            derived.extend(derived_rows(committed, &writes, stx, &receipt, &own_keys, time)?);
        }
        receipts.push(receipt);
    }
    let risk_events = crate::risk::events(committed, &writes, height, block.header.time_ms)?;
    Ok(Executed { writes, receipts, derived, risk_events })
}

fn run_tx<S: ReadStore + ?Sized>(
    state: &mut TxState<'_, S>,
    stx: &SignedTx,
    chain_id: &str,
) -> core::result::Result<String, ExecError> {
    let tx = &stx.tx;
    if tx.chain_id != chain_id {
        return Err(Rejection::new(codes::WRONG_CHAIN, Some("chain_id"), "another chain").into());
    }
    if tx.expiry < state.height {
        return Err(Rejection::new(
            codes::EXPIRED,
            Some("expiry"),
            format!("expired at height {}, included at {}", tx.expiry, state.height),
        )
        .into());
    }
    let sender = membership::authorize(state, tx)?;
    if fapiao_invoice::handles(&tx.action) {
        let org = state
            .get::<fapiao_types::OrgRecord>(&StateKey::Org(sender.org.clone()))?
            .ok_or_else(|| Error::Corrupt {
                what: "organisation",
                reason: format!("account belongs to missing organisation {}", sender.org),
            })?;
        let ctx = fapiao_invoice::Ctx {
            height: state.height,
            time_ms: state.time_ms,
            tx_hash: state.tx_hash,
            sender: tx.sender_account(),
            account: &sender,
            org: &org,
        };
        return fapiao_invoice::apply(state, &tx.action, &ctx)
            .map(Option::unwrap_or_default)
            .map_err(|e| match e {
                fapiao_invoice::Error::Rejected { code, field, message } => {
                    ExecError::Reject(Rejection::new(code, Some(&field), message))
                }
                other => ExecError::Fatal(Error::Application(other.to_string())),
            });
    }
    membership::apply(state, &sender, tx).map(|()| String::new())
}
