//! Wiring: simplex + marshal (`Inline`) + buffered broadcast + backfill resolver, and the
//! executor, over any p2p network.
//!
//! ```text
//!   p2p ─votes/certs/resolver─▶ simplex ──Automaton/Relay──▶ Inline(App) ──▶ marshal
//!    │                            │ Activity                               │ Update::Block
//!    ├─blocks──▶ buffered ◀───────┼────────────────────────────────────────┤ (height order)
//!    └─backfill▶ resolver ◀───────┘                                        ▼
//!                                                          executor ─▶ Ledger::execute_finalized
//! ```
//!
//! [`start`] takes already registered channels, so the same code runs over
//! `commonware_p2p::simulated` in tests and `authenticated::lookup` in a real process
//! ([`start_lookup`]).

use crate::{
    application::{App, AppParams},
    block::ChainBlock,
    certificate::parse_validators,
    config::EngineConfig,
    error::{Error, Result},
    executor::{self, Finalizer, MarshalMailbox, ViewTracker},
    status::{ExecWatch, Status},
    Scheme,
};
use commonware_broadcast::buffered;
use commonware_codec::Encode;
use commonware_consensus::{
    marshal::{
        self, core::Actor as MarshalActor, resolver::p2p as marshal_resolver, standard::Inline,
    },
    simplex::{
        self,
        config::{ForwardPolicy, SkipBudget, SkipPolicy},
        elector::RoundRobin,
    },
    types::{Epoch, FixedEpocher, Height, ViewDelta},
    Reporters,
};
use commonware_cryptography::{
    certificate::ConstantProvider, ed25519, sha256::Sha256, ChaCha20Poly1305, Digested, Digestible,
    Signer as _,
};
use commonware_p2p::{
    authenticated::lookup, Address, AddressableManager as _, Blocker, Provider, Receiver, Sender,
};
use commonware_parallel::Sequential;
use commonware_runtime::{
    buffer::paged::CacheRef, Clock, Handle, Metrics, Network as RNetwork, Quota, Resolver, Spawner,
    Storage,
};
use commonware_storage::{
    archive::{immutable, prunable},
    translator::EightCap,
};
use commonware_stream::{
    cups::{self, Cups},
    sake::{self, Sake},
};
use commonware_utils::{
    ordered::{Map, Set},
    NonZeroDuration,
};
use fapiao_types::BlockLimits;
use rand_core_cw::CryptoRng;
use std::{
    num::{NonZeroU16, NonZeroU64, NonZeroUsize},
    time::Duration,
};
use tracing::info;

/// p2p channel of simplex votes.
pub const CHANNEL_VOTES: u64 = 0;
/// p2p channel of simplex certificates.
pub const CHANNEL_CERTIFICATES: u64 = 1;
/// p2p channel of simplex's certificate resolver.
pub const CHANNEL_RESOLVER: u64 = 2;
/// p2p channel of block broadcast.
pub const CHANNEL_BLOCKS: u64 = 3;
/// p2p channel of marshal's block backfill.
pub const CHANNEL_BACKFILL: u64 = 4;

/// The five registered p2p channels the engine uses (see the `CHANNEL_*` ids).
pub struct Channels<S, R> {
    /// Simplex votes.
    pub votes: (S, R),
    /// Simplex certificates.
    pub certificates: (S, R),
    /// Simplex certificate resolver.
    pub resolver: (S, R),
    /// Block broadcast.
    pub blocks: (S, R),
    /// Marshal backfill.
    pub backfill: (S, R),
}

/// A p2p network as the engine needs it: channels, the peer set and a way to block peers.
pub struct NetworkParts<S, R, P, B> {
    /// The registered channels.
    pub channels: Channels<S, R>,
    /// Source of the tracked peer set (lookup's oracle, simulated's manager).
    pub peer_provider: P,
    /// Blocks misbehaving peers (lookup's oracle, simulated's control).
    pub blocker: B,
}

/// A running engine.
pub struct Engine {
    status: Status,
    marshal: MarshalMailbox,
    genesis: [u8; 32],
    handles: Vec<Handle<()>>,
}

impl Engine {
    /// Progress counters (cheap; clone freely).
    pub fn status(&self) -> Status {
        self.status.clone()
    }

    /// Digest of the genesis header.
    pub fn genesis_digest(&self) -> [u8; 32] {
        self.genesis
    }

    /// The encoded finalization stored for `height`, if marshal holds one (best effort,
    /// local only).
    pub async fn finalization(&self, height: u64) -> Option<Vec<u8>> {
        self.marshal.get_finalization(Height::new(height)).await.map(|f| f.encode().to_vec())
    }

    /// A finalized block at `height` from marshal's archive (best effort, local only).
    pub async fn finalized_block(&self, height: u64) -> Option<fapiao_types::Block> {
        self.marshal.get_block(Height::new(height)).await.map(|b| b.inner().block().clone())
    }

    /// Resolves when any engine task stops (normally never).
    ///
    /// # Errors
    /// The runtime error of the task that stopped.
    pub async fn stopped(self) -> core::result::Result<(), commonware_runtime::Error> {
        Handle::select(self.handles).await
    }

    /// Aborts every engine task.
    pub fn abort(&self) {
        for handle in &self.handles {
            handle.abort();
        }
    }
}

const PAGE_SIZE: NonZeroU16 = NonZeroU16::new(4096).expect("non-zero");
const PAGE_CACHE_PAGES: NonZeroUsize = NonZeroUsize::new(1024).expect("non-zero");
const IO_BUFFER: NonZeroUsize = NonZeroUsize::new(1024 * 1024).expect("non-zero");
const ITEMS_PER_SECTION: NonZeroU64 = NonZeroU64::new(4096).expect("non-zero");
/// One epoch for the whole chain: the validator set is static in this version.
const EPOCH_LENGTH: NonZeroU64 = NonZeroU64::new(u64::MAX).expect("non-zero");
/// Finalized blocks marshal may hand to the executor before the first is acknowledged.
const MAX_PENDING_ACKS: NonZeroUsize = NonZeroUsize::new(16).expect("non-zero");

/// Marshal's block archive: prunable, keyed by block digest (uniform, so the first eight
/// bytes index it well), pruned by the executor behind the executed height.
fn block_archive_config<C>(
    prefix: &str,
    section: NonZeroU64,
    page_cache: CacheRef,
    codec_config: C,
) -> prunable::Config<EightCap, C> {
    prunable::Config {
        translator: EightCap,
        metadata_partition: format!("{prefix}-blocks-window-metadata"),
        key_partition: format!("{prefix}-blocks-window-key"),
        key_page_cache: page_cache,
        value_partition: format!("{prefix}-blocks-window-value"),
        compression: None,
        codec_config,
        items_per_section: section,
        key_write_buffer: IO_BUFFER,
        value_write_buffer: IO_BUFFER,
        replay_buffer: IO_BUFFER,
    }
}

fn archive_config<C>(
    prefix: &str,
    name: &str,
    page_cache: CacheRef,
    codec_config: C,
) -> immutable::Config<C> {
    immutable::Config {
        metadata_partition: format!("{prefix}-{name}-metadata"),
        freezer_table_partition: format!("{prefix}-{name}-freezer-table"),
        freezer_table_initial_size: 65_536,
        freezer_table_resize_frequency: 4,
        freezer_table_resize_chunk_size: 16_384,
        freezer_key_partition: format!("{prefix}-{name}-freezer-key"),
        freezer_key_page_cache: page_cache,
        freezer_value_partition: format!("{prefix}-{name}-freezer-value"),
        freezer_value_target_size: 64 * 1024 * 1024,
        freezer_value_compression: None,
        ordinal_partition: format!("{prefix}-{name}-ordinal"),
        items_per_section: ITEMS_PER_SECTION,
        freezer_key_write_buffer: IO_BUFFER,
        freezer_value_write_buffer: IO_BUFFER,
        ordinal_write_buffer: IO_BUFFER,
        replay_buffer: IO_BUFFER,
        codec_config,
    }
}

/// Starts a validator's engine over already registered channels.
///
/// Opens (or reopens) the simplex journal and marshal's archives under
/// `cfg.partition_prefix` in the runtime's storage, spawns every actor on `ctx` and returns.
/// On restart, simplex replays its journal and marshal re-delivers finalized blocks the
/// ledger has not acknowledged; blocks at or below `ledger.executed()` are skipped.
///
/// # Errors
/// [`Error::InvalidConfig`] (bad config, our key not a validator, bad genesis),
/// [`Error::Storage`] when an archive cannot be opened.
pub async fn start<E, L, S, R, P, B>(
    ctx: E,
    cfg: &EngineConfig,
    ledger: L,
    network: NetworkParts<S, R, P, B>,
) -> Result<Engine>
where
    E: Spawner + Clock + Storage + Metrics + CryptoRng,
    L: crate::Ledger,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
    P: Provider<PublicKey = ed25519::PublicKey>,
    B: Blocker<PublicKey = ed25519::PublicKey>,
{
    cfg.validate()?;
    let validators = parse_validators(&cfg.validator_keys())?;
    let participants = Set::try_from(validators.clone())
        .map_err(|_| Error::InvalidConfig("duplicate validator".into()))?;
    let me_key = cfg.signer.public_key();
    let me = validators
        .iter()
        .position(|k| *k == me_key)
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| Error::InvalidConfig("our key is not in the validator set".into()))?;
    let scheme = Scheme::signer(&cfg.namespace, participants, cfg.signer.clone())
        .ok_or_else(|| Error::InvalidConfig("our key is not in the validator set".into()))?;

    let genesis = ledger.genesis();
    if genesis.header.height != 0
        || genesis.header.chain_id != cfg.chain_id
        || !genesis.tx_root_matches()
    {
        return Err(Error::InvalidConfig(
            "genesis block must have height 0, our chain id and a matching tx_root".into(),
        ));
    }
    let genesis = ChainBlock(genesis);
    let genesis_digest = genesis.digest();

    let limits = BlockLimits { max_txs: cfg.max_block_txs, actions: cfg.actions };
    let status = Status::default();
    let (executed, _) = ledger.executed();
    status.set_executed(executed);
    let watch = ExecWatch::new(executed);
    let page_cache = CacheRef::new(PAGE_SIZE, PAGE_CACHE_PAGES);
    let prefix = cfg.partition_prefix.as_str();
    let fetch_timeout = NonZeroDuration::new(cfg.fetch_timeout)
        .ok_or_else(|| Error::InvalidConfig("fetch_timeout must be positive".into()))?;
    let mut handles = Vec::new();

    // Block dissemination and backfill.
    let resolver = marshal_resolver::init(
        ctx.child("marshal_resolver"),
        marshal_resolver::Config {
            public_key: me_key.clone(),
            peer_provider: network.peer_provider.clone(),
            blocker: network.blocker.clone(),
            mailbox_size: cfg.mailbox_size,
            fetch_timeout,
            fetch_retry_delay: Duration::from_millis(100),
            priority_requests: false,
            priority_responses: false,
        },
        network.channels.backfill,
    );
    let (broadcast, buffer) = buffered::Engine::new(
        ctx.child("broadcast"),
        buffered::Config {
            public_key: me_key.clone(),
            mailbox_size: cfg.mailbox_size,
            deque_size: 16,
            priority: false,
            codec_config: limits,
            peer_provider: network.peer_provider.clone(),
            strategy: Sequential,
        },
    );
    handles.push(broadcast.start(network.channels.blocks));

    // Marshal: durable archives of finalized blocks and their certificates.
    let finalizations = immutable::Archive::init(
        ctx.child("finalizations_by_height"),
        archive_config(
            prefix,
            "finalizations",
            page_cache.clone(),
            <Scheme as commonware_cryptography::certificate::Verifier>::certificate_codec_config_unbounded(),
        ),
    )
    .await
    .map_err(|e| Error::Storage(format!("finalizations archive: {e}")))?;
    // Blocks are kept for a window only (the ledger holds every block); certificates
    // stay in the immutable archive above, forever.
    let blocks = prunable::Archive::init(
        ctx.child("finalized_blocks"),
        block_archive_config(prefix, cfg.block_archive_section, page_cache.clone(), limits),
    )
    .await
    .map_err(|e| Error::Storage(format!("blocks archive: {e}")))?;
    let (marshal_actor, marshal_mailbox, floor) = MarshalActor::init(
        ctx.child("marshal"),
        finalizations,
        blocks,
        marshal::Config {
            provider: ConstantProvider::<Scheme, Epoch>::new(scheme.clone()),
            epocher: FixedEpocher::new(EPOCH_LENGTH),
            start: marshal::Start::Genesis(Digested::precomputed(genesis.clone(), genesis_digest)),
            partition_prefix: format!("{prefix}-marshal"),
            mailbox_size: cfg.mailbox_size,
            view_retention: ViewDelta::new(10),
            prunable_items_per_section: NonZeroU64::new(10).expect("non-zero"),
            page_cache: page_cache.clone(),
            replay_buffer: IO_BUFFER,
            key_write_buffer: IO_BUFFER,
            value_write_buffer: IO_BUFFER,
            block_codec_config: limits,
            max_repair: NonZeroUsize::new(16).expect("non-zero"),
            max_pending_acks: MAX_PENDING_ACKS,
            strategy: Sequential,
        },
    )
    .await;
    info!(
        processed = ?floor.processed().map(|p| p.height()),
        executed,
        "consensus.start: marshal opened"
    );
    // A ledger further ahead of marshal than the block window caught up from elsewhere
    // (the node's block sync): peers no longer hold the blocks marshal would backfill, so
    // marshal starts at the ledger's height instead (ADR 0009 §Decision item 7).
    let processed = floor.processed().map_or(0, |p| p.height().get());
    if executed.saturating_sub(processed) > cfg.block_window {
        match own_finalization(&ledger, processed, executed, validators.len()) {
            Some((height, finalization)) => {
                info!(height, processed, executed, "consensus.start: marshal starts at the ledger's height");
                marshal_mailbox.set_floor(finalization);
            }
            None => tracing::warn!(
                processed,
                executed,
                "consensus.start: no certificate of its own near the executed height; marshal backfills"
            ),
        }
    }

    // Executor: applies finalized blocks in order, acknowledges after they are durable,
    // and prunes marshal's block archive behind the executed height.
    let (finalizer, finalized_rx) = Finalizer::new(status.clone());
    let pruning =
        executor::Pruning { window: cfg.block_window, every: cfg.block_archive_section.get() };
    {
        let ledger = ledger.clone();
        let marshal = marshal_mailbox.clone();
        let watch = watch.clone();
        let status = status.clone();
        handles.push(ctx.child("executor").spawn(move |ctx| {
            executor::run(ctx, finalized_rx, ledger, marshal, watch, status, pruning)
        }));
    }
    handles.push(marshal_actor.start(finalizer, buffer, resolver));

    // Simplex with the application behind marshal's inline-verification wrapper.
    let app = App::new(
        ledger,
        AppParams {
            chain_id: cfg.chain_id,
            validators,
            me: Some(me),
            block_interval: cfg.block_interval,
            max_clock_skew: cfg.max_clock_skew,
            max_block_txs: cfg.max_block_txs,
            // Leave room for framing below the network limit.
            max_block_bytes: (cfg.max_message_size as usize).saturating_sub(16 * 1024),
        },
        watch,
        status.clone(),
    );
    let inline = Inline::new(
        ctx.child("application"),
        app,
        marshal_mailbox.clone(),
        FixedEpocher::new(EPOCH_LENGTH),
    );
    let skip = match cfg.skip_timeout {
        Some(timeout) => SkipPolicy::Enabled { timeout, budget: SkipBudget::Participants },
        None => SkipPolicy::Disabled,
    };
    let engine = simplex::Engine::new(
        ctx.child("simplex"),
        simplex::Config {
            scheme,
            elector: RoundRobin::<Sha256>::default(),
            blocker: network.blocker,
            automaton: inline.clone(),
            relay: inline.clone(),
            reporter: Reporters::from((inline, ViewTracker(status.clone()))),
            track_historical_votes: false,
            strategy: Sequential,
            partition: format!("{prefix}-simplex-e0"),
            mailbox_size: cfg.mailbox_size,
            epoch: Epoch::zero(),
            floor: simplex::config::Floor::Genesis(genesis_digest),
            replay_buffer: IO_BUFFER,
            write_buffer: IO_BUFFER,
            page_cache,
            leader_timeout: cfg.leader_timeout,
            certification_timeout: cfg.certification_timeout,
            timeout_retry: cfg.timeout_retry,
            view_retention: ViewDelta::new(10),
            skip,
            fetch_timeout,
            fetch_retry_delay: Duration::from_millis(100),
            forward: ForwardPolicy::Disabled,
        },
    );
    handles.push(engine.start(
        network.channels.votes,
        network.channels.certificates,
        network.channels.resolver,
    ));

    Ok(Engine { status, marshal: marshal_mailbox, genesis: genesis_digest.0, handles })
}

/// Heights searched below the executed one for a block finalized by its own certificate.
const FLOOR_SEARCH: u64 = 64;

/// The newest executed height in `(processed, executed]` (at most [`FLOOR_SEARCH`] below
/// `executed`) stored with a finalization of its own, decoded.
fn own_finalization<L: crate::Ledger>(
    ledger: &L,
    processed: u64,
    executed: u64,
    validators: usize,
) -> Option<(u64, crate::Finalization)> {
    use commonware_codec::{Copying, Decode as _};
    let lowest = processed.max(executed.saturating_sub(FLOOR_SEARCH)) + 1;
    (lowest..=executed).rev().find_map(|h| {
        let f = ledger.finality(h).filter(|f| f.height == h)?;
        let fin = crate::Finalization::decode_cfg(Copying(&f.certificate[..]), &validators).ok()?;
        (fin.proposal.payload.0 == f.digest).then_some((h, fin))
    })
}

/// Starts the authenticated, encrypted TCP network (`authenticated::lookup`, static peer
/// list from `cfg.validators`) and a validator engine on it.
///
/// The runtime must be a real one (`commonware_runtime::tokio` with a storage directory).
///
/// # Errors
/// As [`start`], plus [`Error::InvalidConfig`] for a bad peer list.
pub async fn start_lookup<E, L>(ctx: E, cfg: &EngineConfig, ledger: L) -> Result<Engine>
where
    E: Spawner + Clock + Storage + Metrics + CryptoRng + RNetwork + Resolver,
    L: crate::Ledger,
{
    cfg.validate()?;
    let keys = parse_validators(&cfg.validator_keys())?;
    let peers: Vec<(ed25519::PublicKey, Address)> =
        keys.into_iter().zip(cfg.validators.iter().map(|(_, addr)| Address::from(*addr))).collect();
    let n = peers.len();
    let peers = Map::try_from(peers).map_err(|_| Error::InvalidConfig("duplicate peer".into()))?;

    let handshake = Cups::<_, ChaCha20Poly1305>::new(
        Sake {
            signer: cfg.signer.clone(),
            synchrony_bound: Duration::from_secs(5),
            max_handshake_age: Duration::from_secs(10),
            version: sake::Version::V1,
        },
        cups::Version::V1,
    );
    let mut p2p_cfg = lookup::Config::recommended(
        handshake,
        &cfg.p2p_namespace,
        cfg.listen,
        NonZeroUsize::new(n.max(1)).expect("non-zero"),
        cfg.max_message_size,
        cfg.mailbox_size,
    );
    p2p_cfg.allow_private_ips = cfg.p2p.allow_private_ips;
    p2p_cfg.allowed_handshake_rate_per_ip = Quota::with_period(cfg.p2p.handshake_period_per_ip)
        .ok_or_else(|| Error::InvalidConfig("p2p handshake period must be positive".into()))?;
    p2p_cfg.allowed_handshake_rate_per_subnet =
        Quota::per_second(cfg.p2p.handshakes_per_subnet_per_second);
    p2p_cfg.peer_connection_cooldown = cfg.p2p.reconnect_cooldown;
    if cfg.p2p.allow_private_ips {
        // Peers on one machine or a private network notice each other quickly.
        p2p_cfg.dial_frequency = Duration::from_millis(500);
        p2p_cfg.ping_frequency = Duration::from_secs(5);
    }
    let (mut network, mut oracle) = lookup::Network::new(ctx.child("network"), p2p_cfg);
    let _ = oracle.track(0, peers);
    let quota = Quota::per_second(cfg.message_rate);
    let channels = Channels {
        votes: network.register(CHANNEL_VOTES, quota),
        certificates: network.register(CHANNEL_CERTIFICATES, quota),
        resolver: network.register(CHANNEL_RESOLVER, quota),
        blocks: network.register(CHANNEL_BLOCKS, quota),
        backfill: network.register(CHANNEL_BACKFILL, quota),
    };
    let network_handle = network.start();
    let mut engine = start(
        ctx,
        cfg,
        ledger,
        NetworkParts { channels, peer_provider: oracle.clone(), blocker: oracle },
    )
    .await?;
    engine.handles.push(network_handle);
    Ok(engine)
}
