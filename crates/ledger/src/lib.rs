//! Authenticated state: the QMDB state database (`fapiao-state`, ADR 0009) beside a narrow
//! Store trait (redb and in-memory) for everything else, block execution and proofs.
//!
//! Only finalized blocks are executed; each block is applied in one durable commit of the
//! state database followed by one atomic, durable [`Store::commit`], idempotent by height
//! ([`Ledger`] explains the order and the recovery between them). The state root after
//! block `h` is a pure function of the state after `h - 1` and block `h`.
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
pub mod state_db;
pub mod store;

pub use admission::{decode_tx, verify_signatures};
pub use error::{Error, Rejection, Result};
pub use fapiao_verify::verify_state_proof;
pub use ledger::{
    FoundTx, Ledger, ProvenState, ReadView, StateProof, Tip, CHAIN_FORMAT_VERSION, HISTORY_KINDS,
};
pub use membership::may_send_without_account;
pub use store::{MemStore, ReadStore, RedbStore, Store, TableStats};
