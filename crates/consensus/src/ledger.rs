//! The seam between consensus and the rest of the node.
//!
//! The node implements [`Ledger`]; consensus calls it to build and check blocks and to apply
//! finalized ones. Nothing else in the node needs to know about Commonware.

use fapiao_types::{Block, SignedTx};

/// Proof that a block is final: an encoded simplex finalization certificate.
///
/// Simplex finalizes a block either directly (a quorum signed a finalize vote for it) or
/// through a finalized descendant. Usually every block has its own certificate; when it does
/// not, `height`/`digest` name the nearest finalized descendant the certificate signs, and a
/// verifier checks the certificate against that header and follows `parent` links down to the
/// block (see [`crate::verify_finalization`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finality {
    /// Height of the block the certificate signs (the block itself or a descendant).
    pub height: u64,
    /// Header digest of the block the certificate signs.
    pub digest: [u8; 32],
    /// The certificate, a `Finalization<ed25519::Scheme, sha256::Digest>` in its canonical
    /// Commonware encoding.
    pub certificate: Vec<u8>,
}

/// What consensus needs from the node: blocks, transactions and execution.
///
/// Implementations are cheap to clone handles (an `Arc` inside) and are called from several
/// tasks at once. Methods other than [`Ledger::execute_finalized`] and
/// [`Ledger::check_txs`] must not block: they run on the async executor.
///
/// Requirements the engine relies on:
/// - before any block is executed, [`Ledger::executed`] returns `(0, genesis state root)` and
///   `state_root_at(0)` returns the genesis state root;
/// - [`Ledger::state_root_at`] keeps the root of every executed height (verification of a
///   header that commits to an older height needs it);
/// - execution is deterministic: the same blocks give the same roots on every validator.
pub trait Ledger: Clone + Send + Sync + 'static {
    /// The genesis block (height 0). Its header digest is the chain's genesis digest, the
    /// root every validator's consensus starts from.
    fn genesis(&self) -> Block;

    /// Transactions for a new block at `height`, at most `max` (non-blocking; already
    /// admission-checked by the mempool). The mempool should skip transactions already
    /// included in blocks that are proposed but not yet executed.
    fn select_txs(&self, height: u64, max: usize) -> Vec<SignedTx>;

    /// [`Ledger::select_txs`] for a block that commits to the state at `state_height`:
    /// an implementation that checks senders in verification ([`Ledger::check_txs`])
    /// leaves out those unknown or revoked in that state, so that its own proposal is not
    /// refused. By default, [`Ledger::select_txs`].
    fn select_txs_at(&self, height: u64, max: usize, state_height: u64) -> Vec<SignedTx> {
        let _ = state_height;
        self.select_txs(height, max)
    }

    /// Latest executed height (finalized and applied; its commit may still be running)
    /// and the state root after it.
    fn executed(&self) -> (u64, [u8; 32]);

    /// State root after executing height `h`, if `h` is executed.
    fn state_root_at(&self, h: u64) -> Option<[u8; 32]>;

    /// The clock drift tolerated for a block at `height` whose `state_height` is
    /// `state_height` (executed here), in milliseconds, when the chain governs it; `None`
    /// uses the engine's configured drift.
    fn clock_drift_ms(&self, state_height: u64, height: u64) -> Option<u64> {
        let _ = (state_height, height);
        None
    }

    /// Check of a proposed block's transactions: signatures, chain id, sizes, encoding,
    /// and senders known and unrevoked in the state at the block's `state_height` — which
    /// the engine has executed before it calls this. `true` means acceptable; `false` is
    /// final for the block, so it must not depend on anything but the block and that
    /// state. May be CPU heavy; the engine runs it on a blocking thread.
    fn check_txs(&self, block: &Block) -> bool;

    /// Executes a finalized block.
    ///
    /// Blocks arrive in height order. The call must be idempotent by height: a block at or
    /// below the executed height is a no-op returning `Ok`. `finality` is the block's
    /// finalization certificate, to be stored with it so the API can serve it; it is `None`
    /// only for the genesis block or when no certificate could be found locally (logged).
    /// It may return before the block's state is durable (the next block then executes
    /// while it is committed); the engine acknowledges the block to marshal only after
    /// [`Ledger::wait_durable`] for its height. Blocking; the engine calls it on a blocking
    /// thread.
    ///
    /// # Errors
    /// Any error text; the engine logs it and retries the same block after a pause, and
    /// does not acknowledge the block to marshal until it succeeds.
    fn execute_finalized(&self, block: &Block, finality: Option<&Finality>) -> Result<(), String>;

    /// Blocks until the executed block at `height` is durable (the default: execution is
    /// durable when [`Ledger::execute_finalized`] returns). Called on a blocking thread.
    ///
    /// # Errors
    /// Any error text: the block's commit failed; the engine then never acknowledges it
    /// (marshal re-delivers it after a restart).
    fn wait_durable(&self, height: u64) -> Result<(), String> {
        let _ = height;
        Ok(())
    }

    /// The finality stored with executed block `height`, if any (`None` by default).
    /// The engine reads it when the ledger is further ahead of marshal than the block
    /// window (it caught up from elsewhere), to start marshal there.
    fn finality(&self, height: u64) -> Option<Finality> {
        let _ = height;
        None
    }
}
