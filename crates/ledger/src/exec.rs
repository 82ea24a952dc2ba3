//! Block execution: a pure function of (state, block) applied in one write batch.
//!
//! Each transaction runs against the block's pending writes through a [`TxState`]
//! overlay. A transaction that fails a rule leaves nothing behind but its `tx/<hash>`
//! record with the failure receipt; a transaction whose hash was already used (in an
//! earlier block or earlier in this one) gets a `replayed` receipt and writes nothing.

use crate::{
    error::{codes, Rejection},
    membership,
    store::Store,
    tree::key_hash,
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

impl<S: Store + ?Sized> Committed<'_, S> {
    pub fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.store.get_value(self.version, &key_hash(key))
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

impl<S: Store + ?Sized> fapiao_invoice::StateAccess for TxState<'_, S> {
    fn read(&self, key: &StateKey) -> core::result::Result<Option<Vec<u8>>, String> {
        self.get_raw(&key.to_bytes()).map_err(|e| e.to_string())
    }

    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.writes.insert(key.to_bytes(), Some(value));
    }
}

impl<'a, S: Store + ?Sized> TxState<'a, S> {
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

/// What executing a block produced.
pub(crate) struct Executed {
    /// Final writes of the block, by key bytes.
    pub writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// One receipt per transaction.
    pub receipts: Vec<Receipt>,
}

/// Executes every transaction of `block` over `committed`.
pub(crate) fn execute<S: Store + ?Sized>(
    committed: &Committed<'_, S>,
    block: &Block,
    chain_id: &str,
) -> Result<Executed> {
    let height = block.header.height;
    let mut writes: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
    let mut receipts = Vec::with_capacity(block.txs.len());
    for (index, stx) in block.txs.iter().enumerate() {
        let tx_hash = stx.hash();
        let record_key = StateKey::Tx(tx_hash).to_bytes();
        let replayed =
            writes.contains_key(&record_key) || committed.get_raw(&record_key)?.is_some();
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
                    writes.extend(own);
                    (Outcome::Ok, output)
                }
                Err(ExecError::Reject(r)) => (
                    Outcome::Failed {
                        code: r.code.into(),
                        field: r.field.unwrap_or_default(),
                        message: r.message,
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
        writes.insert(record_key, Some(record.encode().to_vec()));
        receipts.push(Receipt { tx_hash, height, index: index as u32, outcome, output });
    }
    Ok(Executed { writes, receipts })
}

fn run_tx<S: Store + ?Sized>(
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
