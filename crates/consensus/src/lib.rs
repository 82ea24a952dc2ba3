//! Glue between Fapiao and Commonware's simplex consensus with marshal block delivery.
//!
//! Everything Commonware-specific lives here, behind a narrow seam:
//! - the node implements [`Ledger`] (genesis, mempool selection, stateless tx checks,
//!   durable execution of finalized blocks, state roots);
//! - it starts an engine with [`start_lookup`] (real TCP) or [`start`] (any registered
//!   channels, e.g. the simulated network in tests) and reads progress from [`Status`];
//! - the API checks stored certificates with [`verify_finalization`].
//!
//! Lifecycle of a block: the view's leader builds it in `propose` (paced by the block
//! interval), the others check it in `verify` (links, time, tx root, signatures, and that the
//! state root it commits to equals ours), simplex notarizes and finalizes its header digest,
//! marshal stores it durably and delivers it in height order, and the executor applies it
//! through [`Ledger::execute_finalized`] with its certificate before acknowledging it.
//!
//! All code on the consensus path uses Commonware runtime traits (`Clock`, `Spawner`,
//! `Storage`, `Metrics`, RNG), so the deterministic runtime drives it in tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod application;
mod block;
mod certificate;
mod config;
mod engine;
mod error;
mod executor;
mod ledger;
mod status;

pub use block::{ChainBlock, Digest};
pub use certificate::{
    verify_finalization, CertificateInfo, CertificateJson, SignerInfo, SignerJson,
};
pub use config::{private_key_from_bytes, public_key_bytes, EngineConfig, P2pLimits};
pub use engine::{
    start, start_lookup, Channels, Engine, NetworkParts, CHANNEL_BACKFILL, CHANNEL_BLOCKS,
    CHANNEL_CERTIFICATES, CHANNEL_RESOLVER, CHANNEL_VOTES,
};
pub use error::{Error, Result};
pub use ledger::{Finality, Ledger};
pub use status::{Status, StatusSnapshot};

/// The simplex signing scheme: ed25519, one signature per validator in a certificate.
pub type Scheme = commonware_consensus::simplex::scheme::ed25519::Scheme;
/// A finalization certificate of our chain.
pub type Finalization = commonware_consensus::simplex::types::Finalization<Scheme, Digest>;
/// Commonware's ed25519 keys, re-exported so callers need not depend on Commonware.
pub use commonware_cryptography::ed25519::{PrivateKey, PublicKey};
