//! What the API reads: the narrow, object-safe [`Reader`] seam over the executed chain.
//!
//! Handlers hold an `Arc<dyn Reader>` and never name the ledger's storage type, so no
//! handler is generic and an application's routes compile against this trait alone.
//! The trait lives here, beside its only consumer, and is implemented here for
//! [`fapiao_ledger::Ledger`] (the ledger does not depend on the API); a test double or
//! another backend implements the same methods.
//!
//! Every read sees the durable tip. Typed reads go through [`Reader::get_raw`] and the
//! codec ([`dyn Reader::get`](trait.Reader.html#method.get)), since a generic method
//! cannot be called through `dyn`.

use fapiao_app::{IndexRead, IndexTable, Scan};
use fapiao_ledger::{FoundTx, Ledger, ProvenState, Result, Store, Tip};
use fapiao_types::{AccountId, AccountRecord, Block, Genesis, Hash32, Header, Receipt, StateKey};

/// Read access to the executed chain: blocks and certificates, state records and their
/// proofs, transactions, and the derived index tables written at execution
/// (docs/formats.md §10): any registered application's, generically (an application's
/// typed reads take `&dyn Reader` through [`IndexRead`]), and the ledger's risk alerts.
pub trait Reader: Send + Sync + 'static {
    // The chain.

    /// The genesis this chain started from.
    fn genesis(&self) -> &Genesis;
    /// The latest durably executed block.
    fn tip(&self) -> Tip;
    /// Transactions whose apply panicked since this node started (`execution_fault`).
    fn execution_faults(&self) -> u64;
    /// The chain mechanics in force for the next block, as the committed tip schedules
    /// them (the expiry window of a transaction built now, the governed rate limits).
    ///
    /// # Errors
    /// Storage errors or corruption.
    fn mechanics_at_tip(&self) -> Result<fapiao_ledger::params::ChainMechanics>;
    /// The canonical encoding of the executed block at `height`.
    ///
    /// # Errors
    /// Storage errors.
    fn block_bytes(&self, height: u64) -> Result<Option<Vec<u8>>>;
    /// The executed block at `height`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    fn block(&self, height: u64) -> Result<Option<Block>>;
    /// The header of the executed block at `height`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    fn header(&self, height: u64) -> Result<Option<Header>>;
    /// The finalization certificate stored with block `height`.
    ///
    /// # Errors
    /// Storage errors.
    fn certificate(&self, height: u64) -> Result<Option<Vec<u8>>>;
    /// The receipts of block `height`, in transaction order.
    ///
    /// # Errors
    /// Storage errors or corruption.
    fn receipts(&self, height: u64) -> Result<Option<Vec<Receipt>>>;
    /// A transaction by hash, with its receipt.
    ///
    /// # Errors
    /// Storage errors or corruption.
    fn transaction(&self, hash: &Hash32) -> Result<Option<FoundTx>>;
    /// An executed transaction whose expiry the caller knows, found through the replay
    /// set (works without the index by hash, until the expiry passes); by default the
    /// lookup by hash.
    fn transaction_with_expiry(&self, hash: &Hash32, expiry: u64) -> Result<Option<FoundTx>> {
        let _ = expiry;
        self.transaction(hash)
    }

    // The state.

    /// The canonical bytes of the state record `key`.
    ///
    /// # Errors
    /// Storage errors.
    fn get_raw(&self, key: &StateKey) -> Result<Option<Vec<u8>>>;
    /// The account record of `id`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    fn account(&self, id: &AccountId) -> Result<Option<AccountRecord>>;
    /// The values of `keys` with their proofs at the durable tip, all against one root:
    /// the state after executed block `height`, which the first header whose
    /// `state_height` is `height` certifies ([`crate::bundle`] finds it).
    ///
    /// # Errors
    /// Storage errors; `NotInTree` for records kept beside the tree.
    fn prove(&self, keys: &[StateKey]) -> Result<ProvenState>;
    /// A read-only view of the tip for application code (previews, computed reports);
    /// its writes stay in a scratch overlay dropped with it.
    fn view(&self) -> Box<dyn fapiao_app::StateAccess + '_>;

    // The derived indexes (outside the state tree).

    /// Row `key` of the registered index table `table`.
    ///
    /// # Errors
    /// Storage errors; a table no application registered.
    fn index_get(&self, table: &'static IndexTable, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Up to `limit` rows of the registered index table `table` under `prefix`, in `dir`
    /// order.
    ///
    /// # Errors
    /// As [`Reader::index_get`].
    fn index_scan(
        &self,
        table: &'static IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Result<fapiao_app::Rows>;

    /// The newest `limit` risk alerts of `rule` (every rule when `None`), oldest first.
    ///
    /// # Errors
    /// Storage errors or corruption.
    fn alerts_of(
        &self,
        rule: Option<fapiao_risk::Rule>,
        limit: usize,
    ) -> Result<Vec<fapiao_risk::Alert>>;
}

impl dyn Reader {
    /// The state record `key`, decoded.
    ///
    /// # Errors
    /// Storage errors; corruption when the stored bytes do not decode as `T`.
    pub fn get<T: commonware_codec::Read<Cfg = ()>>(&self, key: &StateKey) -> Result<Option<T>> {
        self.get_raw(key)?
            .map(|bytes| {
                fapiao_types::decode_exact::<T>(&bytes, &()).map_err(|e| {
                    fapiao_ledger::Error::Corrupt { what: "state record", reason: e.to_string() }
                })
            })
            .transpose()
    }
}

/// Application read functions (`fapiao_invoice::index::read::*`) take the API's reader.
impl IndexRead for dyn Reader {
    fn get(
        &self,
        table: &'static IndexTable,
        key: &[u8],
    ) -> core::result::Result<Option<Vec<u8>>, String> {
        self.index_get(table, key).map_err(|e| e.to_string())
    }

    fn scan(
        &self,
        table: &'static IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> core::result::Result<fapiao_app::Rows, String> {
        self.index_scan(table, prefix, limit, dir).map_err(|e| e.to_string())
    }
}

impl<S: Store> Reader for Ledger<S> {
    fn genesis(&self) -> &Genesis {
        Ledger::genesis(self)
    }
    fn tip(&self) -> Tip {
        Ledger::tip(self)
    }
    fn execution_faults(&self) -> u64 {
        Ledger::execution_faults(self)
    }
    fn mechanics_at_tip(&self) -> Result<fapiao_ledger::params::ChainMechanics> {
        Ledger::mechanics_at_tip(self)
    }
    fn block_bytes(&self, height: u64) -> Result<Option<Vec<u8>>> {
        Ledger::block_bytes(self, height)
    }
    fn block(&self, height: u64) -> Result<Option<Block>> {
        Ledger::block(self, height)
    }
    fn header(&self, height: u64) -> Result<Option<Header>> {
        Ledger::header(self, height)
    }
    fn certificate(&self, height: u64) -> Result<Option<Vec<u8>>> {
        Ledger::certificate(self, height)
    }
    fn receipts(&self, height: u64) -> Result<Option<Vec<Receipt>>> {
        Ledger::receipts(self, height)
    }
    fn transaction(&self, hash: &Hash32) -> Result<Option<FoundTx>> {
        Ledger::transaction(self, hash)
    }
    fn transaction_with_expiry(&self, hash: &Hash32, expiry: u64) -> Result<Option<FoundTx>> {
        Ledger::transaction_with_expiry(self, hash, expiry)
    }
    fn get_raw(&self, key: &StateKey) -> Result<Option<Vec<u8>>> {
        Ledger::get_raw(self, key)
    }
    fn account(&self, id: &AccountId) -> Result<Option<AccountRecord>> {
        Ledger::account(self, id)
    }
    fn prove(&self, keys: &[StateKey]) -> Result<ProvenState> {
        Ledger::prove(self, keys)
    }
    fn view(&self) -> Box<dyn fapiao_app::StateAccess + '_> {
        Box::new(Ledger::view(self))
    }
    fn index_get(&self, table: &'static IndexTable, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ledger::index_get(self, table, key)
    }
    fn index_scan(
        &self,
        table: &'static IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Result<fapiao_app::Rows> {
        Ledger::index_scan(self, table, prefix, limit, dir)
    }
    fn alerts_of(
        &self,
        rule: Option<fapiao_risk::Rule>,
        limit: usize,
    ) -> Result<Vec<fapiao_risk::Alert>> {
        Ledger::alerts_of(self, rule, limit)
    }
}
