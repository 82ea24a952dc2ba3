//! The HTTP JSON API (axum) with its OpenAPI document and Prometheus metrics.
//!
//! This crate holds what every application shares: the platform's routes (status,
//! transactions, blocks, state, custody, governance, node-to-node sync), callers and
//! read access, errors, admission and rate limits, and the one route table. An
//! application declares its routes with [`route_table!`] in its own crate (the invoice
//! application: `fapiao-invoice-api`); the node passes the [`AppRoutes`] of every
//! application to [`router`], which serves them beside [`PLATFORM`] and one OpenAPI
//! document of them all ([`openapi_json`]).
//!
//! Routes live under `/v1`; every error is JSON `{code, message, field}` (see
//! [`error`]); the document is served at `/v1/openapi.json`. Handlers read through the
//! object-safe [`Reader`] trait (implemented for the ledger), submit through the
//! mempool's [`fapiao_mempool::Admitter`], and reach consensus and custody only through
//! the [`ChainView`] and [`Custody`] traits the node implements.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod access;
pub mod audit;
pub mod bundle;
pub mod clock;
mod dto;
pub mod error;
mod governance;
pub mod limits;
mod metrics;
pub mod money;
pub mod node_auth;
mod openapi;
mod ratelimit;
pub mod reader;
mod refusals;
mod routes;
mod sync;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod work;

pub use access::{Access, KeyAccess, Viewer};
pub use audit::AuditLog;
pub use dto::*;
pub use error::{ApiError, ApiResult, ErrorBody};
pub use metrics::Metrics;
pub use openapi::{openapi_doc, openapi_json};
pub use ratelimit::VERIFY_PER_MINUTE;
pub use reader::Reader;
pub use routes::{
    all_routes, caller, commit, custodial, failed_receipt, parse_hash, router, viewer, AppRoutes,
    Audience, Guards, St, PLATFORM,
};
pub use sync::{BatchItem, BatchResponse, RelayResponse, MAX_BATCH_TXS, MAX_SYNC_BLOCKS};
pub use work::off_runtime;

/// What [`route_table!`] expands to names through these, so that an application crate
/// needs no axum of its own for the table.
#[doc(hidden)]
pub mod __private {
    pub use axum::{routing, Router};
    pub use utoipa;
}

use fapiao_mempool::{Admitter, Mempool};
use fapiao_types::{AccountId, PublicKey, SignedTx, Suite, Tx};
use std::{sync::Arc, time::Duration};
use tokio::sync::watch;

/// What the API needs to know from consensus.
pub trait ChainView: Send + Sync + 'static {
    /// Peers and what we know of them.
    fn peers(&self) -> Vec<PeerStatus>;
    /// Latest finalized height known to consensus.
    fn finalized_height(&self) -> u64;
    /// The JSON view of a stored finality blob for block `height` (signers, signatures),
    /// after checking it against the genesis validators; `None` if it does not decode.
    fn certificate_json(&self, height: u64, blob: &[u8]) -> Option<serde_json::Value>;
    /// `validator` (votes in consensus) or `full` (follows and serves, does not vote).
    fn role(&self) -> &'static str {
        "validator"
    }
}

/// An authenticated API caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The account the token acts for.
    pub account: AccountId,
    /// The token's id (for logs; never the secret).
    pub token_id: String,
}

/// Custodial signing: the keys this node holds for its organisation's members, and
/// the API tokens that may use them.
pub trait Custody: Send + Sync + 'static {
    /// The caller a bearer token belongs to, if the token is valid, unexpired and
    /// unrevoked.
    ///
    /// # Errors
    /// Why the token store cannot be read now: the API then refuses every
    /// authenticated request rather than trust tokens that may have been revoked.
    fn authenticate(&self, bearer: &str) -> Result<Option<Caller>, String>;
    /// Signs `tx` with the held key of `account`.
    ///
    /// # Errors
    /// A message when this node does not hold that key.
    fn sign(&self, account: &AccountId, tx: Tx) -> Result<SignedTx, String>;
    /// Generates and keeps a new member key.
    ///
    /// # Errors
    /// A message when the keystore cannot be written.
    fn generate(&self, name: &str, suite: Suite) -> Result<PublicKey, String>;
    /// Creates an API token for `account` (returns the secret, shown once).
    ///
    /// # Errors
    /// A message when the token store cannot be written.
    fn create_token(&self, account: &AccountId, label: &str) -> Result<String, String>;
}

/// Everything the handlers share.
pub struct ApiState {
    /// What the handlers read: the executed chain, through the [`Reader`] seam.
    pub reader: Arc<dyn Reader>,
    /// The pool (for its size).
    pub pool: Arc<Mempool>,
    /// Batched admission into the pool.
    pub admitter: Admitter,
    /// Executed height, updated after each block.
    pub executed: watch::Receiver<u64>,
    /// Consensus view.
    pub chain: Arc<dyn ChainView>,
    /// Custodial keys and tokens.
    pub custody: Arc<dyn Custody>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// How long `POST /v1/transactions` waits for execution before answering 202.
    pub wait_timeout: Duration,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// The key this node signs invoice QR payloads with (validators only).
    pub qr_signer: Option<QrSigner>,
    /// The validator peers a node without a QR key asks (full nodes): an application's
    /// node-only route on a peer, such as the invoice QR attestation.
    pub peers: Option<Arc<dyn Peers>>,
    /// Timeouts, concurrency and rate limits.
    pub limits: limits::Limits,
    /// Where reads of private records by non-parties are recorded.
    pub audit: Arc<AuditLog>,
    /// The directory of application secrets this node keeps for its organisations (the
    /// exchange's department decryption keys), `None` when it keeps none. Each
    /// application keeps its own subdirectory; nothing in it ever reaches the chain.
    pub secrets: Option<std::path::PathBuf>,
}

/// This node's QR signing key: its validator index in genesis and Ed25519 seed.
pub struct QrSigner {
    /// Genesis index of the validator.
    pub index: u32,
    /// The validator's Ed25519 secret seed.
    pub secret: zeroize::Zeroizing<[u8; 32]>,
}

/// The validator peers of a full node, reached over the node-to-node routes (requests
/// signed with the node's key). Applications use it for what only a validator can do,
/// such as signing an invoice's QR payload (`POST /v1/attest`); what comes back is
/// checked by the caller before it is used.
pub trait Peers: Send + Sync + 'static {
    /// POSTs the JSON `body` to `path` on each peer in turn and returns the body of the
    /// first successful answer (at most 64 KiB), or `None` when no peer answers.
    fn post_json(
        &self,
        path: &'static str,
        body: Vec<u8>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<Vec<u8>>> + Send>>;
}
