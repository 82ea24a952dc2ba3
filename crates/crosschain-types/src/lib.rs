//! The cross-chain light client's vocabulary on the chain: the relay_header action, the header-window key and record, with their canonical encodings and no logic.
//!
//! A chain that has registered another (chain id, genesis hash, validator set: the
//! `crosschain/chains` parameter, changed by governance) accepts that chain's
//! finalized headers, each with its finality certificate, from anyone
//! ([`RelayHeader`], tag `0xa0` of the range `0xa0–0xaf`), and keeps the most recent
//! verified ones per chain in a [`HeaderWindow`] under [`CrosschainKey::Window`]. The
//! rules live in `fapiao-crosschain`; this crate only declares what they write, so the
//! relayer, the API and later applications read it without linking them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod actions;
mod claim;
mod keys;
mod records;

pub use actions::{
    Blob, CrosschainAction, CrosschainBodies, NotCrosschainAction, RelayHeader, CROSSCHAIN_TAGS,
    MAX_BLOB,
};
pub use claim::{ClaimJson, StateClaim, MAX_CLAIM_KEY};
pub use keys::{chain_key, CrosschainKey};
pub use records::{HeaderWindow, WindowEntry};
