//! The bounded transaction pool: batched admission, replay protection pruned past
//! expiry, proposal selection.
//!
//! * [`Mempool`] holds admitted transactions in arrival order, bounded by count and
//!   bytes, and remembers every hash it admitted until that transaction's expiry
//!   height has passed (so memory stays bounded while replays are refused).
//! * [`Admitter`] gathers concurrent submissions into batches so signatures are
//!   verified with the batch API, off the consensus path, before admission.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod admitter;
mod limiter;
mod pool;

pub use admitter::{Admitter, RelaySender};
pub use limiter::{Denied, KeyedLimiter, MAX_TRACKED};
pub use pool::{Mempool, MempoolLimits, MempoolStats};
