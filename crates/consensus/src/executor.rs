//! Applies finalized blocks to the ledger, in height order, and acknowledges them to marshal
//! only once they are durable.
//!
//! Marshal delivers `Update::Block(block, ack)` in height order, at least once: after a restart
//! it re-delivers every block it has not seen acknowledged. The [`Finalizer`] reporter forwards
//! each block to the executor task, which
//! 1. acknowledges at once a block at or below the ledger's executed height (re-delivery);
//! 2. otherwise looks up the block's finalization certificate in marshal's archive (or, when
//!    the block was finalized through a descendant, the nearest descendant's);
//! 3. calls [`Ledger::execute_finalized`] on a blocking thread, retrying on error;
//! 4. advances the execution watch (waking verifiers waiting on this height), and
//!    acknowledges once [`Ledger::wait_durable`] says the block's commit has landed (the
//!    next block executes meanwhile);
//! 5. once per section of marshal's block archive, asks marshal to prune its block archive below the
//!    executed height minus the configured window ([`crate::EngineConfig::block_window`]):
//!    the ledger keeps every block, marshal only those peers may still backfill. Marshal
//!    never prunes above what was acknowledged, and keeps every finalization certificate
//!    (they live in an immutable archive).

use crate::{
    block::ChainBlock,
    ledger::{Finality, Ledger},
    status::{ExecWatch, Status},
    Scheme,
};
use commonware_actor::Feedback;
use commonware_codec::Encode;
use commonware_consensus::{
    marshal::{core::Mailbox, standard::Standard, Update},
    simplex::types::Activity,
    types::Height,
    Reporter, Viewable,
};
use commonware_cryptography::{Digested, Digestible};
use commonware_runtime::{Clock, Spawner};
use commonware_utils::{acknowledgement::Exact, Acknowledgement};
use futures::{channel::mpsc, StreamExt};
use std::time::Duration;
use tracing::{debug, error, warn};

/// Marshal's mailbox for our block type.
pub(crate) type MarshalMailbox = Mailbox<Scheme, Standard<ChainBlock>>;

/// How far above a block to look for a descendant's finalization.
const FINALITY_LOOKAHEAD: u64 = 64;
/// How often to look for a missing finalization before executing without one.
const FINALITY_ATTEMPTS: u32 = 20;
/// Pause between looks for a missing finalization.
const FINALITY_RETRY: Duration = Duration::from_millis(100);
/// Pause before retrying a failed execution.
const EXECUTE_RETRY: Duration = Duration::from_secs(1);
/// When the executor asks marshal to prune its block archive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pruning {
    /// Blocks kept below the executed height.
    pub window: u64,
    /// Blocks between two requests (the archive's section: a request per block would
    /// mostly do nothing).
    pub every: u64,
}

impl Pruning {
    /// The height below which marshal may drop blocks once `executed` is executed, if a
    /// prune is due: `executed − window`, when that passed the last request by `every`
    /// (or no request was made since start).
    pub(crate) fn point(self, executed: u64, last: Option<u64>) -> Option<u64> {
        let below = executed.checked_sub(self.window).filter(|&b| b > 0)?;
        match last {
            Some(l) if below < l.saturating_add(self.every) => None,
            _ => Some(below),
        }
    }
}

/// Marshal's reporter: forwards finalized blocks to the executor task, records tips.
#[derive(Clone)]
pub(crate) struct Finalizer {
    blocks: mpsc::UnboundedSender<(Digested<ChainBlock>, Exact)>,
    status: Status,
}

impl Finalizer {
    pub(crate) fn new(
        status: Status,
    ) -> (Self, mpsc::UnboundedReceiver<(Digested<ChainBlock>, Exact)>) {
        let (blocks, rx) = mpsc::unbounded();
        (Self { blocks, status }, rx)
    }
}

impl Reporter for Finalizer {
    type Activity = Update<ChainBlock>;

    fn report(&mut self, activity: Self::Activity) -> Feedback {
        match activity {
            Update::Tip(round, height, _) => {
                self.status.set_finalized(height.get(), round.view().get());
                Feedback::Ok
            }
            Update::Block(block, ack) => match self.blocks.unbounded_send((block, ack)) {
                Ok(()) => Feedback::Ok,
                Err(_) => Feedback::Closed,
            },
        }
    }
}

/// Simplex reporter that only records the latest view, for status.
#[derive(Clone)]
pub(crate) struct ViewTracker(pub(crate) Status);

impl Reporter for ViewTracker {
    type Activity = Activity<Scheme, crate::Digest>;

    fn report(&mut self, activity: Self::Activity) -> Feedback {
        let view = match &activity {
            Activity::Notarization(n) | Activity::Certification(n) => n.view(),
            Activity::Nullification(n) => n.view(),
            Activity::Finalization(f) => f.view(),
            _ => return Feedback::Ok,
        };
        self.0.saw_view(view.get());
        Feedback::Ok
    }
}

/// The executor task (see the module docs). Runs until marshal drops its side.
pub(crate) async fn run<E, L>(
    ctx: E,
    mut blocks: mpsc::UnboundedReceiver<(Digested<ChainBlock>, Exact)>,
    ledger: L,
    marshal: MarshalMailbox,
    watch: ExecWatch,
    status: Status,
    pruning: Pruning,
) where
    E: Spawner + Clock,
    L: Ledger,
{
    let mut last_prune = None;
    while let Some((block, ack)) = blocks.next().await {
        let height = block.inner().number();
        let (executed, _) = ledger.executed();
        if height <= executed {
            debug!(height, executed, "consensus.execute: already executed, acknowledging");
            watch.advance(executed);
            status.set_executed(executed);
            if height > 0 {
                status.count_redelivered();
            }
            ack.acknowledge();
            continue;
        }
        if height != executed + 1 {
            // Marshal only delivers above what we acknowledged, and we acknowledge only what
            // the ledger made durable, so a gap means the ledger lost state. Executing on
            // would fork our state; stop instead (marshal stops once the ack is dropped).
            error!(
                height,
                executed, "consensus.execute: gap below finalized block, ledger state lost?"
            );
            return;
        }
        if !block.inner().block().tx_root_matches() {
            error!(height, "consensus.execute: finalized block fails tx_root (decoding should have rejected it)");
            return;
        }
        let finality = find_finality(&ctx, &marshal, &block, &status).await;
        loop {
            let ledger = ledger.clone();
            let inner = block.inner_shared();
            let proof = finality.clone();
            let result = ctx
                .child("execute")
                .shared(true)
                .spawn(
                    move |_| async move { ledger.execute_finalized(inner.block(), proof.as_ref()) },
                )
                .await;
            match result {
                Ok(Ok(())) => break,
                Ok(Err(e)) => {
                    error!(height, error = %e, "consensus.execute: ledger failed, retrying")
                }
                Err(e) => {
                    error!(height, error = ?e, "consensus.execute: execution task failed, retrying")
                }
            }
            ctx.sleep(EXECUTE_RETRY).await;
        }
        debug!(height, txs = block.inner().block().txs.len(), "consensus.execute: block executed");
        watch.advance(height);
        status.set_executed(height);
        if let Some(below) = pruning.point(height, last_prune) {
            debug!(height, below, "consensus.execute: pruning marshal's block archive");
            marshal.prune(Height::new(below));
            last_prune = Some(below);
        }
        // Acknowledge once the block is durable; meanwhile the next block executes (marshal
        // hands over up to MAX_PENDING_ACKS blocks before the first is acknowledged, and
        // durability is in height order).
        let durable = ledger.clone();
        ctx.child("durable").shared(true).spawn(move |_| async move {
            match durable.wait_durable(height) {
                Ok(()) => ack.acknowledge(),
                Err(e) => error!(height, error = %e, "consensus.execute: commit failed, block left unacknowledged"),
            }
        });
    }
}

/// Finds the certificate that finalizes `block`: its own, or the nearest descendant's.
async fn find_finality<E: Clock>(
    ctx: &E,
    marshal: &MarshalMailbox,
    block: &Digested<ChainBlock>,
    status: &Status,
) -> Option<Finality> {
    let height = block.inner().number();
    for _ in 0..FINALITY_ATTEMPTS {
        let last =
            status.finalized_height().max(height).min(height.saturating_add(FINALITY_LOOKAHEAD));
        for candidate in height..=last {
            let Some(finalization) = marshal.get_finalization(Height::new(candidate)).await else {
                continue;
            };
            if candidate == height && finalization.proposal.payload != block.digest() {
                warn!(height, "consensus.execute: stored finalization is for another digest");
                continue;
            }
            return Some(Finality {
                height: candidate,
                digest: finalization.proposal.payload.0,
                certificate: finalization.encode().to_vec(),
            });
        }
        ctx.sleep(FINALITY_RETRY).await;
    }
    warn!(height, "consensus.execute: no finalization found, executing without one");
    None
}

#[cfg(test)]
mod tests {
    use super::Pruning;

    #[test]
    fn prune_points_follow_the_window_once_per_section() {
        let p = Pruning { window: 10, every: 4 };
        // Nothing to prune while the chain is shorter than the window.
        assert_eq!(p.point(10, None), None);
        assert_eq!(p.point(5, None), None);
        // The first executed block after start prunes, then once per section.
        assert_eq!(p.point(11, None), Some(1));
        assert_eq!(p.point(14, Some(1)), None);
        assert_eq!(p.point(15, Some(1)), Some(5));
        assert_eq!(Pruning { window: u64::MAX, every: 1 }.point(u64::MAX, None), None);
    }
}
