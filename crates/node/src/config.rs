//! `config.toml`: where a node keeps its data and keys and what it listens on.
//!
//! Relative paths are resolved against the directory of the config file.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// Mempool bounds.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MempoolConfig {
    /// Most pending transactions.
    #[serde(default = "default_mempool_txs")]
    pub max_txs: usize,
    /// Most pending bytes.
    #[serde(default = "default_mempool_bytes")]
    pub max_bytes: usize,
}

fn default_mempool_txs() -> usize {
    50_000
}
fn default_mempool_bytes() -> usize {
    64 * 1024 * 1024
}
fn default_http() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
fn default_wait() -> u64 {
    10_000
}
fn default_token_ttl_days() -> u32 {
    90
}
fn default_body() -> usize {
    1024 * 1024
}

impl Default for MempoolConfig {
    fn default() -> Self {
        Self { max_txs: default_mempool_txs(), max_bytes: default_mempool_bytes() }
    }
}

/// A node's configuration file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeConfig {
    /// Directory of the ledger (`state.redb`) and the consensus storage (`consensus/`).
    pub data_dir: PathBuf,
    /// The genesis file.
    pub genesis: PathBuf,
    /// This validator's consensus key file; a node without one is a full node: it
    /// follows the chain from `peers` (checking every certificate against the genesis),
    /// serves reads and proofs, relays writes to the validators, and does not vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator_key: Option<PathBuf>,
    /// HTTP API listen address (port 0 picks a free port; the bound address is written
    /// to `data_dir/http.addr`).
    #[serde(default = "default_http")]
    pub http: SocketAddr,
    /// Peer-to-peer listen address (default: this validator's address in genesis).
    #[serde(default)]
    pub p2p_listen: Option<SocketAddr>,
    /// Encrypted keystore of the organisation members this node signs for.
    #[serde(default)]
    pub keystore: Option<PathBuf>,
    /// Keystore passphrase (prefer the `FAPIAO_KEYSTORE_PASSPHRASE` environment variable).
    #[serde(default)]
    pub keystore_passphrase: Option<String>,
    /// API token store (hashed tokens).
    #[serde(default)]
    pub tokens: Option<PathBuf>,
    /// How long the tokens this node creates live, in days (`fapiao token create
    /// --ttl-days` sets its own).
    #[serde(default = "default_token_ttl_days")]
    pub token_ttl_days: u32,
    /// Mempool bounds.
    #[serde(default)]
    pub mempool: MempoolConfig,
    /// How long `POST /v1/transactions` waits for execution, in milliseconds.
    #[serde(default = "default_wait")]
    pub wait_timeout_ms: u64,
    /// Largest HTTP request body, in bytes.
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
    /// HTTP API URLs of the other nodes: polled for `/v1/status` peer heights, sent the
    /// transactions this node admits, and (full nodes) fetched finalized blocks from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<String>,
    /// Demo only: the `fapiao init --demo` directory whose `demo/keys` this node signs the
    /// demo story with, once, on first start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_seed: Option<PathBuf>,
}

impl NodeConfig {
    /// Reads `path` and resolves relative paths against its directory.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Config`].
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut cfg: NodeConfig =
            toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("."));
        cfg.resolve(base);
        Ok(cfg)
    }

    /// Makes every relative path absolute against `base`.
    pub fn resolve(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        fix(&mut self.data_dir);
        fix(&mut self.genesis);
        if let Some(p) = self.validator_key.as_mut() {
            fix(p);
        }
        if let Some(p) = self.keystore.as_mut() {
            fix(p);
        }
        if let Some(p) = self.tokens.as_mut() {
            fix(p);
        }
        if let Some(p) = self.demo_seed.as_mut() {
            fix(p);
        }
    }

    /// [`NodeConfig::token_ttl_days`] in milliseconds.
    pub fn token_ttl_ms(&self) -> u64 {
        u64::from(self.token_ttl_days) * 24 * 3600 * 1000
    }

    /// The keystore passphrase: `FAPIAO_KEYSTORE_PASSPHRASE`, else the config value.
    pub fn passphrase(&self) -> Option<String> {
        std::env::var("FAPIAO_KEYSTORE_PASSPHRASE")
            .ok()
            .or_else(|| self.keystore_passphrase.clone())
    }

    /// TOML text.
    ///
    /// # Errors
    /// [`Error::Config`] if serialisation fails.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| Error::Config(e.to_string()))
    }
}
