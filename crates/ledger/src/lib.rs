//! Authenticated state: a Jellyfish Merkle tree over a narrow Store trait (redb and
//! in-memory), block execution and proofs.
//!
//! Only finalized blocks are executed; each block is applied in one atomic, durable
//! [`Store::commit`], idempotent by height. The state root after block `h` is a pure
//! function of the root after `h - 1` and block `h`.
//!
//! `fapiao-state` holds the state engine that replaces the tree (ADR 0009, step 2): built
//! and tested on its own, not yet wired into [`Ledger`].
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod admission;
pub mod apps;
pub mod bodies;
mod error;
mod exec;
mod governance;
mod hooks;
mod ledger;
mod membership;
pub mod params;
pub mod replay;
mod risk;
pub mod store;
mod tree;

pub use admission::{decode_tx, verify_signatures};
pub use error::{Error, Rejection, Result};
pub use ledger::{FoundTx, Ledger, ProvenState, ReadView, StateProof, Tip, CHAIN_FORMAT_VERSION};
pub use membership::may_send_without_account;
pub use store::{MemStore, ReadStore, RedbStore, Store, TableStats};
pub use tree::{key_hash, verify_state_proof};
