//! Block building and checking: our implementation of Commonware's marshal `Application`.
//!
//! Marshal's `Inline` wrapper calls [`App::propose`] when this validator leads a view, with
//! the ancestry starting at the parent, and [`App::verify`] for other leaders' blocks, with
//! the ancestry starting at the block and then its parent (after checking that the two link
//! by digest and height).
//!
//! Blocks are paced: a proposal sleeps until `parent.time_ms + block_interval`, so an idle
//! chain makes an empty block per interval instead of spinning.
//!
//! Verification never answers `false` for a condition that may pass later (a block from a
//! slightly fast clock, a state root at a height we have not executed yet): the contract of
//! `Application::verify` is that `false` is permanent for that proposal. It waits instead,
//! and consensus cancels the wait when the view times out.

use crate::{block::ChainBlock, ledger::Ledger, status::ExecWatch, status::Status, Scheme};
use commonware_codec::{EncodeSize, FixedSize};
use commonware_consensus::{marshal::ancestry::Ancestry, simplex::types::Context, Application};
use commonware_cryptography::{ed25519, Digested, Digestible};
use commonware_runtime::{Clock, Metrics, Spawner};
use fapiao_types::{merkle_root, Block, Header, HEADER_VERSION};
use futures::StreamExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::{debug, warn};

/// Consensus context of our blocks.
pub(crate) type Ctx = Context<crate::Digest, ed25519::PublicKey>;

/// Static parameters of block building and checking.
#[derive(Clone, Debug)]
pub(crate) struct AppParams {
    pub chain_id: [u8; 32],
    /// Validator public keys in genesis order (header `proposer` indexes this).
    pub validators: Vec<ed25519::PublicKey>,
    /// Our index in `validators`, if we are a validator.
    pub me: Option<u32>,
    pub block_interval: Duration,
    pub max_clock_skew: Duration,
    pub max_block_txs: usize,
    pub max_block_bytes: usize,
}

/// The application handed to marshal's `Inline` wrapper.
#[derive(Clone)]
pub(crate) struct App<L: Ledger> {
    ledger: L,
    params: std::sync::Arc<AppParams>,
    watch: ExecWatch,
    status: Status,
}

impl<L: Ledger> App<L> {
    pub(crate) fn new(ledger: L, params: AppParams, watch: ExecWatch, status: Status) -> Self {
        Self { ledger, params: std::sync::Arc::new(params), watch, status }
    }
}

fn millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn at_millis(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

impl<L: Ledger> App<L> {
    /// Builds the block on `parent` (after pacing).
    fn build(&self, parent: &Header, time_ms: u64) -> Block {
        let p = &self.params;
        let height = parent.height + 1;
        let (mut state_height, mut state_root) = self.ledger.executed();
        // Never claim less than the parent did, nor a height that is not even our ancestor.
        if state_height < parent.state_height || state_height > parent.height {
            state_height = parent.state_height;
            state_root = parent.state_root;
        }
        let mut txs = self.ledger.select_txs_at(height, p.max_block_txs, state_height);
        txs.truncate(p.max_block_txs);
        // Keep the encoded block under the network's limit.
        let mut size = <Header as FixedSize>::SIZE + 10;
        let mut keep = 0;
        for tx in &txs {
            size += tx.encode_size();
            if size > p.max_block_bytes {
                break;
            }
            keep += 1;
        }
        txs.truncate(keep);
        let hashes: Vec<[u8; 32]> = txs.iter().map(|tx| tx.hash()).collect();
        Block {
            header: Header {
                version: HEADER_VERSION,
                chain_id: p.chain_id,
                height,
                parent: parent.digest(),
                time_ms,
                proposer: p.me.unwrap_or(u32::MAX),
                tx_root: merkle_root(&hashes),
                tx_count: u32::try_from(txs.len()).unwrap_or(u32::MAX),
                state_height,
                state_root,
            },
            txs,
        }
    }

    /// Checks that need no waiting. `Err` names the first failed rule.
    fn precheck(
        &self,
        leader: &ed25519::PublicKey,
        block: &Block,
        parent: &Header,
    ) -> Result<(), &'static str> {
        let p = &self.params;
        let h = &block.header;
        if h.version != HEADER_VERSION {
            return Err("version");
        }
        if h.chain_id != p.chain_id {
            return Err("chain_id");
        }
        if h.parent != parent.digest() || h.height != parent.height + 1 {
            return Err("parent link");
        }
        if h.time_ms <= parent.time_ms {
            return Err("time not after parent");
        }
        if p.validators.get(h.proposer as usize) != Some(leader) {
            return Err("proposer is not the view's leader");
        }
        if block.txs.len() > p.max_block_txs {
            return Err("too many transactions");
        }
        if !block.tx_root_matches() {
            return Err("tx_root");
        }
        if h.state_height < parent.state_height || h.state_height > parent.height {
            return Err("state_height out of range");
        }
        if h.state_height == parent.state_height && h.state_root != parent.state_root {
            return Err("state_root differs from parent's at same height");
        }
        Ok(())
    }
}

impl<E, L> Application<E> for App<L>
where
    E: Clock + Spawner + Metrics,
    L: Ledger,
{
    type SigningScheme = Scheme;
    type Context = Ctx;
    type Block = ChainBlock;
    type Input = ();

    async fn propose(
        &mut self,
        (ctx, _consensus): (E, Ctx),
        mut ancestry: impl Ancestry<ChainBlock>,
        _input: (),
    ) -> Option<Digested<ChainBlock>> {
        let parent = ancestry.next().await?;
        let parent = parent.inner().block().header;
        let interval = u64::try_from(self.params.block_interval.as_millis()).unwrap_or(u64::MAX);
        let earliest = parent.time_ms.saturating_add(interval);
        ctx.sleep_until(at_millis(earliest)).await;
        let time_ms = earliest.max(millis(ctx.current()));
        let block = ChainBlock(self.build(&parent, time_ms));
        debug!(
            height = block.number(),
            txs = block.block().txs.len(),
            "consensus.propose: built block"
        );
        self.status.count_proposed();
        let digest = block.digest();
        Some(Digested::precomputed(block, digest))
    }

    async fn verify(
        &mut self,
        (ctx, consensus): (E, Ctx),
        mut ancestry: impl Ancestry<ChainBlock>,
    ) -> bool {
        let (Some(block), Some(parent)) = (ancestry.next().await, ancestry.next().await) else {
            return false;
        };
        let header = block.inner().block().header;
        let parent_header = parent.inner().block().header;
        if let Err(rule) = self.precheck(&consensus.leader, block.inner().block(), &parent_header) {
            warn!(height = header.height, rule, "consensus.verify: rejected block");
            self.status.count_verdict(false);
            return false;
        }

        // The state the block commits to must be executed here: its root is compared
        // with ours, its senders are checked against it, and it says which drift is
        // tolerated at this height (governed; the configured one otherwise).
        self.watch.wait_for(header.state_height).await;

        // A block from a clock ahead of ours by more than the drift becomes acceptable
        // with time: wait (consensus cancels the wait when the view times out), never
        // refuse — a refusal would be permanent.
        let skew =
            self.ledger.clock_drift_ms(header.state_height, header.height).unwrap_or_else(|| {
                u64::try_from(self.params.max_clock_skew.as_millis()).unwrap_or(u64::MAX)
            });
        let acceptable_from = header.time_ms.saturating_sub(skew);
        if millis(ctx.current()) < acceptable_from {
            debug!(height = header.height, "consensus.verify: block from the future, waiting");
            ctx.sleep_until(at_millis(acceptable_from)).await;
        }

        let ledger = self.ledger.clone();
        let inner = block.inner_shared();
        let txs_ok = ctx
            .child("check_txs")
            .shared(true)
            .spawn(move |_| async move { ledger.check_txs(inner.block()) })
            .await
            .unwrap_or(false);
        if !txs_ok {
            warn!(height = header.height, "consensus.verify: rejected transactions");
            self.status.count_verdict(false);
            return false;
        }

        let ok = self.ledger.state_root_at(header.state_height) == Some(header.state_root);
        if !ok {
            warn!(
                height = header.height,
                state_height = header.state_height,
                "consensus.verify: state root differs from ours"
            );
        }
        self.status.count_verdict(ok);
        ok
    }
}
