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
    /// Most pending transactions of one sender account (default: a quarter of
    /// `max_txs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_sender: Option<usize>,
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

/// Timeouts, concurrency and rate limits of the HTTP API (`[limits]`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Longest a request may take, in milliseconds (must exceed `wait_timeout_ms`).
    #[serde(default = "default_request_timeout")]
    pub request_timeout_ms: u64,
    /// Most requests in flight at once; past it, 503 with `Retry-After`.
    #[serde(default = "default_concurrent")]
    pub max_concurrent_requests: usize,
    /// Requests per second one bearer token may make (bursts of twice that); 429 past it.
    #[serde(default = "default_per_token")]
    pub per_token_per_second: u32,
    /// Requests per second one client IP may make (bursts of twice that); 429 past it.
    #[serde(default = "default_per_ip")]
    pub per_ip_per_second: u32,
    /// Apply the per-IP limit to loopback clients too (off: local benches and tests).
    #[serde(default)]
    pub per_ip_on_loopback: bool,
}

fn default_request_timeout() -> u64 {
    30_000
}
fn default_concurrent() -> usize {
    512
}
fn default_per_token() -> u32 {
    1_000
}
fn default_per_ip() -> u32 {
    1_000
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            request_timeout_ms: default_request_timeout(),
            max_concurrent_requests: default_concurrent(),
            per_token_per_second: default_per_token(),
            per_ip_per_second: default_per_ip(),
            per_ip_on_loopback: false,
        }
    }
}

impl LimitsConfig {
    /// The API's limits.
    pub fn to_limits(&self) -> fapiao_api::limits::Limits {
        fapiao_api::limits::Limits {
            request_timeout: std::time::Duration::from_millis(self.request_timeout_ms),
            max_concurrent: self.max_concurrent_requests,
            per_token_per_second: self.per_token_per_second,
            per_ip_per_second: self.per_ip_per_second,
            per_ip_on_loopback: self.per_ip_on_loopback,
        }
    }
}

/// The p2p listener's admission limits (`[p2p]`). Without the table, the engine's
/// recommended production settings: public addresses only, one handshake per address
/// every 5 s, reconnects after 60 s.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct P2pConfig {
    /// Accept and dial private and loopback addresses (validators on one machine or a
    /// private network).
    #[serde(default)]
    pub allow_private_ips: bool,
    /// One handshake per address per this many milliseconds.
    #[serde(default = "default_handshake_period")]
    pub handshake_period_per_ip_ms: u64,
    /// Handshakes per second from one subnet.
    #[serde(default = "default_subnet_rate")]
    pub handshakes_per_subnet_per_second: u32,
    /// Milliseconds before a dropped peer connection is made again.
    #[serde(default = "default_cooldown")]
    pub reconnect_cooldown_ms: u64,
}

fn default_handshake_period() -> u64 {
    5_000
}
fn default_subnet_rate() -> u32 {
    64
}
fn default_cooldown() -> u64 {
    60_000
}

impl Default for P2pConfig {
    fn default() -> Self {
        Self::from_limits(&fapiao_consensus::P2pLimits::default())
    }
}

impl P2pConfig {
    /// Settings for validators sharing one machine or a private network.
    pub fn local_network() -> Self {
        Self::from_limits(&fapiao_consensus::P2pLimits::local_network())
    }

    fn from_limits(l: &fapiao_consensus::P2pLimits) -> Self {
        Self {
            allow_private_ips: l.allow_private_ips,
            handshake_period_per_ip_ms: l.handshake_period_per_ip.as_millis() as u64,
            handshakes_per_subnet_per_second: l.handshakes_per_subnet_per_second.get(),
            reconnect_cooldown_ms: l.reconnect_cooldown.as_millis() as u64,
        }
    }

    /// The engine's limits.
    ///
    /// # Errors
    /// [`Error::Config`] for a zero period or rate.
    pub fn to_limits(&self) -> Result<fapiao_consensus::P2pLimits> {
        let rate =
            std::num::NonZeroU32::new(self.handshakes_per_subnet_per_second).ok_or_else(|| {
                Error::Config("p2p.handshakes_per_subnet_per_second must be positive".into())
            })?;
        if self.handshake_period_per_ip_ms == 0 {
            return Err(Error::Config("p2p.handshake_period_per_ip_ms must be positive".into()));
        }
        Ok(fapiao_consensus::P2pLimits {
            allow_private_ips: self.allow_private_ips,
            handshake_period_per_ip: std::time::Duration::from_millis(
                self.handshake_period_per_ip_ms,
            ),
            handshakes_per_subnet_per_second: rate,
            reconnect_cooldown: std::time::Duration::from_millis(self.reconnect_cooldown_ms),
        })
    }
}

impl Default for MempoolConfig {
    fn default() -> Self {
        Self {
            max_txs: default_mempool_txs(),
            max_bytes: default_mempool_bytes(),
            max_per_sender: None,
        }
    }
}

/// What a node keeps on disk beyond the state and the blocks (`[storage]`, ADR 0009 step 3).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// Keep the index of transactions by hash (`GET /v1/transactions/{hash}`, the
    /// `txs` table, ~160 B per transaction). Off, the route answers 501 `not_indexed`;
    /// replay protection and `POST /v1/transactions?wait=true` do not need it. Switching
    /// it on later does not index the blocks executed while it was off.
    #[serde(default = "default_true")]
    pub tx_index: bool,
    /// Finalized blocks a validator keeps in its consensus archive below its executed
    /// height, for peers that backfill from it; older ones are pruned (the ledger keeps
    /// every block). A validator further behind than its peers' window catches up over
    /// block sync at start instead (default 100,000 blocks: ~14 h at 500 ms blocks).
    #[serde(default = "default_block_window")]
    pub consensus_block_window: u64,
    /// Block bodies more than this many heights below the executed tip leave the
    /// ledger's `blocks` table (headers, certificates and receipts stay): compressed into
    /// `data_dir/bodies/` segments, or dropped (`archived_bodies`). Default 100,000
    /// blocks (~14 h at 500 ms blocks), the consensus window: recent bodies, which
    /// lookups, proofs of recent transactions and catching-up peers read, stay in the
    /// table; older ones cost a decompression to read.
    #[serde(default = "default_block_window")]
    pub body_horizon: u64,
    /// What becomes of bodies past the horizon: `serve` (default: compressed, still
    /// served by `GET /v1/blocks/{height}` and block sync) or `drop` (deleted; those
    /// routes answer 404 and transaction lookups into them 501 `not_indexed`; a node that
    /// drops bodies cannot serve a full node or a late validator syncing from below its
    /// horizon, so keep at least one serving node).
    #[serde(default = "default_body_mode")]
    pub archived_bodies: fapiao_ledger::bodies::BodyMode,
}

fn default_body_mode() -> fapiao_ledger::bodies::BodyMode {
    fapiao_ledger::bodies::BodyMode::Serve
}

fn default_true() -> bool {
    true
}
fn default_block_window() -> u64 {
    100_000
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            tx_index: true,
            consensus_block_window: default_block_window(),
            body_horizon: default_block_window(),
            archived_bodies: default_body_mode(),
        }
    }
}

impl StorageConfig {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The ledger's body archive under `data_dir`.
    pub fn body_archive(&self, data_dir: &Path) -> fapiao_ledger::bodies::BodyArchive {
        fapiao_ledger::bodies::BodyArchive {
            dir: data_dir.join("bodies"),
            mode: self.archived_bodies,
            horizon: self.body_horizon.max(1),
        }
    }
}

/// A node's configuration file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeConfig {
    /// Directory of the ledger (`state.redb`, and `state/`: the state database beside it,
    /// ADR 0009) and the consensus storage (`consensus/`).
    pub data_dir: PathBuf,
    /// The genesis file.
    pub genesis: PathBuf,
    /// This validator's consensus key file; a node without one is a full node: it
    /// follows the chain from `peers` (checking every certificate against the genesis),
    /// serves reads and proofs, relays writes to the validators, and does not vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator_key: Option<PathBuf>,
    /// A full node's Ed25519 node key file (the validator key format), listed in the
    /// genesis `full_nodes`: it signs this node's calls to other nodes' node-only routes
    /// (block sync, relay, attestation). A validator signs them with its validator key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_key: Option<PathBuf>,
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
    /// Directory of application secrets this node keeps for its organisations (mode
    /// `0700`): the department exchange's decryption keys under `exchange/`. Only the
    /// node of the organisation that owns a secret holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_dir: Option<PathBuf>,
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
    /// Timeouts, concurrency and rate limits of the HTTP API.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Admission limits of the p2p listener (validators).
    #[serde(default)]
    pub p2p: P2pConfig,
    /// Optional indexes and the consensus archive's window.
    #[serde(default, skip_serializing_if = "StorageConfig::is_default")]
    pub storage: StorageConfig,
    /// HTTP API URLs of the other nodes: polled for `/v1/status` peer heights, sent the
    /// transactions this node admits, and (full nodes) fetched finalized blocks from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<String>,
    /// TLS for the HTTP API and the pinned certificates of the peers; without it the
    /// node serves plain HTTP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
}

/// `[tls]`: this node's certificate and key, and the peer certificates its node-to-node
/// clients accept (see [`crate::tls`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// This node's certificate chain (PEM), end-entity certificate first.
    pub cert: PathBuf,
    /// Its private key (PEM: PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// Certificates (PEM files, each with one or more) that peer servers may present:
    /// every `https://` peer must present one of them exactly. Usually each other node's
    /// `cert`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peer_certs: Vec<PathBuf>,
}

impl NodeConfig {
    /// A node on one machine's loopback network: data in `data_dir`, the genesis at
    /// `genesis`, the API on `http`, API tokens in `tokens.json`, and every other setting
    /// at its default (the same defaults a TOML file that omits them gets). Callers set
    /// the keys, keystore and peers their layout needs.
    pub fn local(data_dir: PathBuf, genesis: PathBuf, http: SocketAddr) -> Self {
        NodeConfig {
            data_dir,
            genesis,
            validator_key: None,
            node_key: None,
            http,
            p2p_listen: None,
            keystore: None,
            keystore_passphrase: None,
            tokens: Some(PathBuf::from("tokens.json")),
            secrets_dir: None,
            token_ttl_days: default_token_ttl_days(),
            mempool: MempoolConfig::default(),
            wait_timeout_ms: default_wait(),
            max_body_bytes: default_body(),
            limits: LimitsConfig::default(),
            p2p: P2pConfig::local_network(),
            storage: StorageConfig::default(),
            peers: Vec::new(),
            tls: None,
        }
    }

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
        if let Some(p) = self.node_key.as_mut() {
            fix(p);
        }
        if let Some(p) = self.keystore.as_mut() {
            fix(p);
        }
        if let Some(p) = self.tokens.as_mut() {
            fix(p);
        }
        if let Some(p) = self.secrets_dir.as_mut() {
            fix(p);
        }
        if let Some(tls) = self.tls.as_mut() {
            fix(&mut tls.cert);
            fix(&mut tls.key);
            tls.peer_certs.iter_mut().for_each(fix);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `[storage]` is optional, its defaults keep everything a node kept before (the
    /// index by hash on, bodies served) and a config with them writes no table.
    #[test]
    fn the_storage_table_defaults_and_round_trips() {
        let base = "data_dir = \"d\"\ngenesis = \"g.json\"\n";
        let cfg: NodeConfig = toml::from_str(base).unwrap();
        assert_eq!(cfg.storage, StorageConfig::default());
        assert!(cfg.storage.tx_index);
        assert_eq!(cfg.storage.archived_bodies, fapiao_ledger::bodies::BodyMode::Serve);
        assert_eq!(
            (cfg.storage.body_horizon, cfg.storage.consensus_block_window),
            (100_000, 100_000)
        );
        assert!(!cfg.to_toml().unwrap().contains("[storage]"));

        let text = format!(
            "{base}[storage]\ntx_index = false\nbody_horizon = 50\narchived_bodies = \"drop\"\n"
        );
        let cfg: NodeConfig = toml::from_str(&text).unwrap();
        assert!(!cfg.storage.tx_index);
        assert_eq!(cfg.storage.archived_bodies, fapiao_ledger::bodies::BodyMode::Drop);
        let archive = cfg.storage.body_archive(Path::new("/data"));
        assert_eq!((archive.dir, archive.horizon), (PathBuf::from("/data/bodies"), 50));
        let again: NodeConfig = toml::from_str(&cfg.to_toml().unwrap()).unwrap();
        assert_eq!(again.storage, cfg.storage);

        let typo = format!("{base}[storage]\ntx_indx = false\n");
        assert!(toml::from_str::<NodeConfig>(&typo).is_err(), "unknown keys are refused");
        let bad = format!("{base}[storage]\narchived_bodies = \"keep\"\n");
        assert!(toml::from_str::<NodeConfig>(&bad).is_err());
    }
}
