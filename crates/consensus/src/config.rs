//! [`EngineConfig`]: everything one validator's consensus engine needs.

use crate::error::{Error, Result};
use commonware_codec::DecodeExt as _;
use commonware_cryptography::ed25519;
use fapiao_types::ActionCodecs;
use std::{
    net::SocketAddr,
    num::{NonZeroU32, NonZeroU64, NonZeroUsize},
    time::Duration,
};

/// The default [`EngineConfig::block_window`]: 100,000 blocks, ~14 hours of 500 ms blocks
/// (an outage a validator rides out without another way to catch up).
pub const DEFAULT_BLOCK_WINDOW: u64 = 100_000;

/// Configuration of one validator's consensus engine.
///
/// Build it with [`EngineConfig::new`] and adjust the public fields. Fields marked
/// *consensus-critical* must be equal on every validator (they come from genesis).
#[derive(Clone)]
pub struct EngineConfig {
    /// Our ed25519 signing key (also the p2p identity).
    pub signer: ed25519::PrivateKey,
    /// Validators in genesis order: ed25519 public key and p2p address. *Consensus-critical*
    /// (keys and order).
    pub validators: Vec<([u8; 32], SocketAddr)>,
    /// Address the p2p listener binds.
    pub listen: SocketAddr,
    /// Consensus signing namespace. *Consensus-critical.*
    pub namespace: Vec<u8>,
    /// Peer-to-peer handshake namespace.
    pub p2p_namespace: Vec<u8>,
    /// SHA-256 of the chain id (header `chain_id`). *Consensus-critical.*
    pub chain_id: [u8; 32],
    /// Minimum spacing of block times; an idle chain makes one empty block per interval.
    pub block_interval: Duration,
    /// How far ahead of our clock a block time may be before we wait to vote (the
    /// genesis `max_clock_drift_ms`).
    pub max_clock_skew: Duration,
    /// Time to wait for the leader's proposal in a view. Must exceed `block_interval`.
    pub leader_timeout: Duration,
    /// Time to wait for a view to certify before voting to skip it. Must exceed
    /// `leader_timeout`.
    pub certification_timeout: Duration,
    /// Pause before re-broadcasting a nullify vote while stuck in a view.
    pub timeout_retry: Duration,
    /// Skip a leader that has been inactive this long without waiting for its timeouts
    /// (`None` disables). Must exceed `certification_timeout` and `timeout_retry`.
    pub skip_timeout: Option<Duration>,
    /// Timeout of one fetch request to a peer (backfill, certificates).
    pub fetch_timeout: Duration,
    /// Capacity of internal actor mailboxes.
    pub mailbox_size: NonZeroUsize,
    /// Most transactions in one block. *Consensus-critical.*
    pub max_block_txs: usize,
    /// The action decoders of the chain's applications (the node passes its ledger's):
    /// a block whose actions they cannot decode is invalid. *Consensus-critical.*
    pub actions: ActionCodecs,
    /// Largest p2p message; blocks are kept below it.
    pub max_message_size: u32,
    /// Messages per second each peer may send on each channel.
    pub message_rate: NonZeroU32,
    /// Prefix of every storage partition this engine opens (simplex journal, marshal
    /// archives). Never reuse one prefix for two keys; never delete it while the chain runs.
    pub partition_prefix: String,
    /// Admission limits of the authenticated p2p network.
    pub p2p: P2pLimits,
    /// Finalized blocks kept in marshal's block archive below the executed height, for
    /// peers that backfill from us; the executor prunes older ones (the ledger keeps its
    /// own copy of every block). Finalization certificates are never pruned. A validator
    /// further behind than every peer's window cannot catch up through marshal: its ledger
    /// must catch up from elsewhere (the node's block sync); the engine then starts marshal
    /// at the ledger's height.
    pub block_window: u64,
    /// Blocks per section of that archive, the granularity of pruning (and of the prune
    /// requests). Fixed for the life of the data: the archive refuses to open with
    /// another.
    pub block_archive_section: NonZeroU64,
}

/// Who may connect to the p2p listener and how often: the engine's recommended
/// production settings by default; a network on one machine (loopback, private
/// addresses) sets its own (`fapiao init` writes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct P2pLimits {
    /// Accept and dial private and loopback addresses (off in production: validators
    /// are reached at public addresses).
    pub allow_private_ips: bool,
    /// One handshake per IP per this period.
    pub handshake_period_per_ip: Duration,
    /// Handshakes per second from one subnet.
    pub handshakes_per_subnet_per_second: NonZeroU32,
    /// How long after a connection to a peer ends before it is made again.
    pub reconnect_cooldown: Duration,
}

impl Default for P2pLimits {
    fn default() -> Self {
        Self {
            allow_private_ips: false,
            handshake_period_per_ip: Duration::from_secs(5),
            handshakes_per_subnet_per_second: NonZeroU32::new(64).expect("non-zero"),
            reconnect_cooldown: Duration::from_secs(60),
        }
    }
}

impl P2pLimits {
    /// Settings for a network whose validators share one machine or a private network:
    /// private addresses allowed, handshakes and reconnects within a second.
    pub fn local_network() -> Self {
        Self {
            allow_private_ips: true,
            handshake_period_per_ip: Duration::from_millis(50),
            handshakes_per_subnet_per_second: NonZeroU32::new(128).expect("non-zero"),
            reconnect_cooldown: Duration::from_secs(1),
        }
    }
}

impl EngineConfig {
    /// A configuration with defaults: 500 ms blocks, 2 s leader and 3 s certification
    /// timeouts, 1000 transactions per block, 8 MiB messages, prefix `fapiao`, decoding
    /// the actions of `actions`.
    pub fn new(
        signer: ed25519::PrivateKey,
        validators: Vec<([u8; 32], SocketAddr)>,
        listen: SocketAddr,
        chain_id: [u8; 32],
        actions: ActionCodecs,
    ) -> Self {
        Self {
            signer,
            validators,
            listen,
            namespace: fapiao_types::NAMESPACE_CONSENSUS.to_vec(),
            p2p_namespace: fapiao_types::NAMESPACE_P2P.to_vec(),
            chain_id,
            block_interval: Duration::from_millis(500),
            max_clock_skew: Duration::from_secs(2),
            leader_timeout: Duration::from_secs(2),
            certification_timeout: Duration::from_secs(3),
            timeout_retry: Duration::from_secs(1),
            skip_timeout: Some(Duration::from_secs(10)),
            fetch_timeout: Duration::from_secs(2),
            mailbox_size: NonZeroUsize::new(1024).expect("non-zero"),
            max_block_txs: 1000,
            actions,
            max_message_size: 8 * 1024 * 1024,
            message_rate: NonZeroU32::new(256).expect("non-zero"),
            partition_prefix: "fapiao".into(),
            p2p: P2pLimits::default(),
            block_window: DEFAULT_BLOCK_WINDOW,
            block_archive_section: NonZeroU64::new(1024).expect("non-zero"),
        }
    }

    /// Genesis-order validator public keys.
    pub fn validator_keys(&self) -> Vec<[u8; 32]> {
        self.validators.iter().map(|(k, _)| *k).collect()
    }

    /// Checks the timing and size relations the engine relies on.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the violated relation.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::InvalidConfig(m.into()));
        if self.validators.is_empty() {
            return bad("no validators");
        }
        if self.leader_timeout <= self.block_interval {
            return bad("leader_timeout must exceed block_interval");
        }
        if self.certification_timeout <= self.leader_timeout {
            return bad("certification_timeout must exceed leader_timeout");
        }
        if self.timeout_retry.is_zero() || self.fetch_timeout.is_zero() {
            return bad("timeout_retry and fetch_timeout must be positive");
        }
        if let Some(skip) = self.skip_timeout {
            if skip <= self.certification_timeout || skip <= self.timeout_retry {
                return bad("skip_timeout must exceed certification_timeout and timeout_retry");
            }
        }
        if self.max_block_txs == 0 {
            return bad("max_block_txs must be positive");
        }
        if self.block_window == 0 {
            return bad("block_window must be positive");
        }
        if self.max_message_size < 64 * 1024 {
            return bad("max_message_size must be at least 64 KiB");
        }
        if self.partition_prefix.is_empty()
            || !self
                .partition_prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return bad("partition_prefix must be non-empty [A-Za-z0-9_-]");
        }
        Ok(())
    }
}

/// Turns 32 secret-key bytes into a signing key.
///
/// # Errors
/// [`Error::InvalidConfig`] when the bytes are not a valid ed25519 secret key.
pub fn private_key_from_bytes(bytes: [u8; 32]) -> Result<ed25519::PrivateKey> {
    ed25519::PrivateKey::decode(commonware_codec::Copying(&bytes))
        .map_err(|e| Error::InvalidConfig(format!("ed25519 secret key: {e}")))
}

/// The 32 public-key bytes of a signing key.
pub fn public_key_bytes(key: &ed25519::PrivateKey) -> [u8; 32] {
    use commonware_codec::Encode as _;
    use commonware_cryptography::Signer as _;
    let mut out = [0u8; 32];
    out.copy_from_slice(&key.public_key().encode());
    out
}
