//! An untrusted relayer of certified headers between Fapiao chains: it follows each source chain's finalized headers and submits them to the destination's light client with an ordinary account.
//!
//! For each (source → destination) pair of its [`Config`] the relayer, every poll:
//!
//! 1. asks the destination which of the source's headers its light client already keeps
//!    (`GET /v1/crosschain/chains/{source chain id}`): it resumes after the highest, or,
//!    with an empty window, at the source's tip — so a restarted relayer loses nothing
//!    and needs no state of its own;
//! 2. reads the source's executed height (`GET /v1/status`) and, for each height up to it
//!    (at most [`MAX_BATCH`] per poll), the header and finality blob the verifier and
//!    proof bundles read (`GET /v1/blocks/{height}`: `header_hex`, `certificate_hex`);
//! 3. submits `crosschain_relay_header` for each to the destination, signed with its one
//!    key, without waiting, then waits for the last receipt.
//!
//! It holds no trust: the destination verifies every header against the validator set
//! it registered, so a relayer can delay headers but not forge them; two relayers racing
//! submit the same headers, and the second of each is a no-op. It is not linked into
//! the node: `fapiao relayer --config FILE` runs it as its own process.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod client;
mod config;
mod error;

pub use client::{relay_tx, Relayer, Round};
pub use config::{Config, Pair};
pub use error::{Error, Result};

/// Most headers one pair submits per poll.
pub const MAX_BATCH: u64 = 32;
