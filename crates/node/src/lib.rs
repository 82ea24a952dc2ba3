//! A Fapiao node: configuration, custody, and the wiring of consensus, ledger, mempool
//! and API.
//!
//! [`run()`] opens the redb ledger, starts the Commonware consensus engine on the
//! runtime's storage directory, the batched admission worker and the HTTP API, and
//! runs until interrupted — or, on a full node (no validator key), follows the
//! validators over HTTP instead ([`follow`]). Writes reach the validators through the
//! [`relay`]. With `[tls]` the API is served over TLS and node-to-node clients trust
//! only the pinned peer certificates ([`tls`]). Code embedding a node (the demo, tests)
//! adds a start-up hook and static files through [`RunOptions`].
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod chain;
pub mod chain_secret;
mod config;
mod custody;
mod error;
pub mod follow;
pub mod peer_client;
mod peers;
pub mod relay;
pub mod run;
pub mod tls;
mod view;

pub use chain::{decode_finality, encode_finality, NodeLedger};
pub use config::{LimitsConfig, MempoolConfig, NodeConfig, P2pConfig, StorageConfig, TlsConfig};
pub use custody::NodeCustody;
pub use error::{Error, Result};
pub use peers::ValidatorPeers;
pub use run::{run, NodeHandle, RunOptions};

/// Milliseconds since the Unix epoch (for token timestamps and new genesis files only;
/// never on the execution path).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Writes `bytes` to `path` through a temporary file and a rename.
///
/// # Errors
/// [`Error::Io`].
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}
