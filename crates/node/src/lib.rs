//! A Fapiao node: configuration, custody, and the wiring of consensus, ledger, mempool
//! and API.
//!
//! [`run()`] opens the redb ledger, starts the Commonware consensus engine on the
//! runtime's storage directory, the batched admission worker and the HTTP API, and
//! runs until interrupted — or, on a full node (no validator key), follows the
//! validators over HTTP instead ([`follow`]). Writes reach the validators through the
//! [`relay`]. With `[tls]` the API is served over TLS and node-to-node clients trust
//! only the pinned peer certificates ([`tls`]). [`demo`] builds the one-validator demo
//! consortium around it.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod attest;
mod chain;
mod config;
mod custody;
pub mod demo;
pub mod demo_net;
mod error;
pub mod follow;
pub mod peer_client;
pub mod relay;
pub mod run;
pub mod tls;
mod view;

pub use attest::PeerAttestor;
pub use chain::{decode_finality, encode_finality, NodeLedger};
pub use config::{LimitsConfig, MempoolConfig, NodeConfig, P2pConfig, TlsConfig};
pub use custody::NodeCustody;
pub use error::{Error, Result};
pub use run::{run, NodeHandle, RunOptions};

/// Milliseconds since the Unix epoch (for token timestamps and demo genesis only;
/// never on the execution path).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
