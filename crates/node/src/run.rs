//! Starting a node: ledger, mempool, consensus engine and HTTP API, in one Commonware
//! tokio runtime whose storage directory holds the consensus journal and archives.

use crate::{
    chain::NodeLedger,
    custody::NodeCustody,
    view::{ConsensusView, FollowerView},
    Error, NodeConfig, Result,
};
use commonware_runtime::{Runner as _, Supervisor as _};
use fapiao_api::{ApiState, Metrics};
use fapiao_consensus::EngineConfig;
use fapiao_keystore::{Keystore, TokenStore};
use fapiao_ledger::{Ledger, RedbStore};
use fapiao_mempool::{Admitter, Mempool, MempoolLimits};
use fapiao_types::Genesis;
use std::{
    future::Future,
    net::SocketAddr,
    path::PathBuf,
    pin::Pin,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};
use tokio::sync::watch;

/// The HTTP routes of every application this node serves, beside the platform's own
/// (`fapiao_api::PLATFORM`): the one place an application's API is registered. The
/// router and `GET /v1/openapi.json` are both built from this list.
pub const APPLICATIONS: &[fapiao_api::AppRoutes] = &[
    fapiao_invoice_api::ROUTES,
    fapiao_certificate_api::ROUTES,
    fapiao_cowbank_api::ROUTES,
    fapiao_exchange_api::ROUTES,
    fapiao_crosschain_api::ROUTES,
    fapiao_industry_api::ROUTES,
    fapiao_finance_api::ROUTES,
];

/// The pages of the applications, served on the web shell beside their routes.
pub const APPLICATION_PAGES: &[fapiao_web::AppPages] = &[
    fapiao_invoice_api::PAGES,
    fapiao_certificate_api::PAGES,
    fapiao_cowbank_api::PAGES,
    fapiao_exchange_api::PAGES,
    fapiao_industry_api::PAGES,
    fapiao_finance_api::PAGES,
];

/// What a running node offers to code embedded with it (a seeder, tests).
#[derive(Clone)]
pub struct NodeHandle {
    /// The ledger.
    pub ledger: Arc<Ledger<RedbStore>>,
    /// Batched admission.
    pub admitter: Admitter,
    /// Executed height.
    pub executed: watch::Receiver<u64>,
    /// The bound HTTP address.
    pub http: SocketAddr,
    /// Custody (keystore and tokens).
    pub custody: Arc<NodeCustody>,
}

/// A hook run once the node serves requests.
pub type Hook =
    Box<dyn FnOnce(NodeHandle) -> Pin<Box<dyn Future<Output = Result<()>> + Send>> + Send>;

/// What the code starting a node adds to it beyond its config.
#[derive(Default)]
pub struct RunOptions {
    /// Runs once the API is serving (e.g. seeding a chain by signed transactions).
    pub hook: Option<Hook>,
    /// Files served as they are, each at a URL path: read on every request, 404 while
    /// the file does not exist.
    pub static_files: Vec<(String, PathBuf)>,
}

/// Opens the configured keystore, refusing to start without it.
fn open_keystore(cfg: &NodeConfig, genesis: &Genesis) -> Result<Option<Keystore>> {
    let Some(path) = &cfg.keystore else { return Ok(None) };
    if !path.exists() {
        // Starting without custody would turn every custodial request into an
        // error far from its cause.
        return Err(Error::Config(format!(
            "the keystore {} in the config does not exist: create it with `fapiao keystore \
             create`, or remove `keystore` from the config",
            path.display()
        )));
    }
    let Some(pass) = cfg.passphrase() else {
        return Err(Error::Config(
            "a keystore is configured but no passphrase: set FAPIAO_KEYSTORE_PASSPHRASE".into(),
        ));
    };
    if pass == fapiao_keystore::DEMO_PASSPHRASE && !genesis.demo {
        return Err(Error::Config(format!(
            "the demo keystore passphrase is printed in public: it is refused on chain {}, \
             which is not a demo chain (`fapiao keystore rekey` sets a new one)",
            genesis.chain_id
        )));
    }
    Ok(Some(Keystore::open(path, pass)?))
}

fn load_genesis(cfg: &NodeConfig) -> Result<Genesis> {
    let text = std::fs::read_to_string(&cfg.genesis).map_err(|e| Error::io(&cfg.genesis, e))?;
    Ok(Genesis::from_json(&text)?)
}

/// Runs a node until Ctrl-C / SIGTERM or until the consensus engine stops.
///
/// `options` add a start-up hook and static files (see [`RunOptions`]).
///
/// # Errors
/// Any start-up failure (config, keys, a configured keystore that is missing or
/// weak, storage, ports), or the engine stopping.
pub fn run(cfg: NodeConfig, options: RunOptions) -> Result<()> {
    let RunOptions { hook, static_files } = options;
    let genesis = load_genesis(&cfg)?;
    let keystore = open_keystore(&cfg, &genesis)?;
    let tokens = match &cfg.tokens {
        Some(path) => {
            let mut tokens = TokenStore::open_or_create(path)?;
            tokens.set_ttl_ms(cfg.token_ttl_ms());
            Some(tokens)
        }
        None => None,
    };
    let validators = genesis.validator_infos()?;
    let role = match &cfg.validator_key {
        Some(path) => {
            let (secret, public) = fapiao_keystore::read_validator_key(path)?;
            let me = validators.iter().position(|v| v.public_key == public).ok_or_else(|| {
                Error::Config(format!(
                    "validator key {} is not a validator of chain {}",
                    hex::encode(public),
                    genesis.chain_id
                ))
            })?;
            Role::Validator { me, secret }
        }
        None => Role::Full,
    };
    crate::tls::check_peer_urls(cfg.tls.as_ref(), &cfg.peers)?;
    let tls_server = cfg.tls.as_ref().map(crate::tls::server_config).transpose()?;
    crate::tls::install(cfg.tls.as_ref())?;
    let node_secret =
        match (&role, &cfg.node_key) {
            (Role::Validator { secret, .. }, _) => fapiao_keystore::Zeroizing::new(**secret),
            (Role::Full, Some(path)) => fapiao_keystore::read_validator_key(path)?.0,
            (Role::Full, None) => return Err(Error::Config(
                "a full node needs `node_key`: the key, listed in the genesis `full_nodes`, that \
                 signs its block sync and relay requests"
                    .into(),
            )),
        };
    let http_client = crate::tls::peer_client_builder()
        .connect_timeout(Duration::from_secs(1))
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
    let peer_client = crate::peer_client::PeerClient::new(http_client, &node_secret)?;
    let listed = genesis
        .node_keys()?
        .into_iter()
        .any(|(k, _)| hex::encode(k) == peer_client.public_key_hex());
    if !listed {
        return Err(Error::Config(format!(
            "node key {} is not a validator or full node of chain {}: other nodes would refuse \
             its requests",
            peer_client.public_key_hex(),
            genesis.chain_id
        )));
    }
    std::fs::create_dir_all(&cfg.data_dir).map_err(|e| Error::io(&cfg.data_dir, e))?;
    let consensus_dir = cfg.data_dir.join("consensus");
    let runtime = commonware_runtime::tokio::Config::new()
        .with_storage_directory(&consensus_dir)
        .with_worker_threads(2);
    let runner = commonware_runtime::tokio::Runner::new(runtime);
    runner.start(|ctx| async move {
        // The ledger's tables; its state database (QMDB, on a runtime thread of its own)
        // lives beside them in `<data_dir>/state/`.
        let store = RedbStore::open(&cfg.data_dir.join("state.redb"))?;
        let ledger = Arc::new(crate::chain_secret::attach(
            Ledger::open(store, genesis.clone())?
                .with_tx_index(cfg.storage.tx_index)
                .with_body_archive(cfg.storage.body_archive(&cfg.data_dir)),
            cfg.secrets_dir.as_deref(),
        )?);
        tokio::spawn(archive_bodies(ledger.clone()));
        let pool = Arc::new(Mempool::new(MempoolLimits {
            max_per_sender: cfg.mempool.max_per_sender.unwrap_or((cfg.mempool.max_txs / 4).max(1)),
            ..MempoolLimits::new(cfg.mempool.max_txs, cfg.mempool.max_bytes)
        }));
        let relay = crate::relay::spawn(&cfg.peers, peer_client.clone(), cfg.max_body_bytes);
        let admitter = Admitter::spawn_relaying(
            ledger.clone(),
            pool.clone(),
            1024,
            cfg.mempool.max_txs.max(1024),
            relay,
        );
        let (exec_tx, exec_rx) = watch::channel(ledger.tip().height);
        let metrics = Arc::new(Metrics::new());
        let node_ledger = NodeLedger::new(ledger.clone(), pool.clone(), exec_tx, metrics.clone())?;
        let peers = crate::view::PeerTable::default();
        if !cfg.peers.is_empty() {
            tokio::spawn(crate::view::poll_peers(cfg.peers.clone(), peers.clone()));
        }

        let mut qr_signer = None;
        let (view, stopped): (Arc<dyn fapiao_api::ChainView>, Stopped) = match role {
            Role::Validator { me, secret } => {
                qr_signer = Some(fapiao_api::QrSigner {
                    index: me as u32,
                    secret: fapiao_keystore::Zeroizing::new(*secret),
                });
                let signer = fapiao_consensus::private_key_from_bytes(*secret)?;
                let listen = cfg.p2p_listen.unwrap_or(validators[me].p2p_address);
                let mut engine_cfg = EngineConfig::new(
                    signer,
                    validators.iter().map(|v| (v.public_key, v.p2p_address)).collect(),
                    listen,
                    genesis.chain_id_hash(),
                    fapiao_ledger::apps::codecs(),
                );
                let params = &genesis.consensus;
                engine_cfg.block_interval = Duration::from_millis(params.block_interval_ms);
                engine_cfg.leader_timeout = Duration::from_millis(params.leader_timeout_ms);
                engine_cfg.certification_timeout =
                    Duration::from_millis(params.notarization_timeout_ms);
                engine_cfg.skip_timeout = Some(
                    engine_cfg.certification_timeout.saturating_mul(3).max(Duration::from_secs(10)),
                );
                engine_cfg.max_block_txs = params.max_block_txs as usize;
                engine_cfg.p2p = cfg.p2p.to_limits()?;
                engine_cfg.max_clock_skew = Duration::from_millis(params.max_clock_drift_ms);
                engine_cfg.block_window = cfg.storage.consensus_block_window;
                engine_cfg.block_archive_section =
                    block_archive_section(&cfg.data_dir, cfg.storage.consensus_block_window)?;
                // Further behind than the peers' block window, marshal could not backfill
                // what they pruned: catch the ledger up over block sync first; consensus
                // then starts marshal at the ledger's height.
                let window = cfg.storage.consensus_block_window;
                let ahead = crate::follow::peers_finalized(&cfg.peers, &peer_client).await;
                if ahead > ledger.tip().height.saturating_add(window) {
                    tracing::info!(
                        executed = ledger.tip().height,
                        peers_finalized = ahead,
                        "further behind than the block window: catching up over block sync"
                    );
                    let keys: Vec<[u8; 32]> = validators.iter().map(|v| v.public_key).collect();
                    let reached = crate::follow::catch_up(
                        ledger.clone(),
                        node_ledger.clone(),
                        keys,
                        cfg.peers.clone(),
                        peer_client.clone(),
                    )
                    .await;
                    tracing::info!(height = reached, "caught up over block sync");
                }
                let engine = fapiao_consensus::start_lookup(
                    ctx.child("consensus"),
                    &engine_cfg,
                    node_ledger,
                )
                .await?;
                tracing::info!(
                    chain = %genesis.chain_id,
                    validator = me,
                    p2p = %listen,
                    height = ledger.tip().height,
                    genesis = %hex::encode(engine.genesis_digest()),
                    "consensus started"
                );
                {
                    // Consensus progress into Prometheus, once a second.
                    let (status, peers, metrics) =
                        (engine.status(), peers.clone(), metrics.clone());
                    tokio::spawn(async move {
                        loop {
                            let s = status.snapshot();
                            metrics.consensus_view.set(s.latest_view as i64);
                            metrics.finalized_view.set(s.finalized_view as i64);
                            metrics.finalized_height.set(s.finalized_height as i64);
                            metrics
                                .peers
                                .set(peers.read().values().filter(|p| p.reachable).count() as i64);
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    });
                }
                let view = Arc::new(ConsensusView {
                    status: engine.status(),
                    validators: validators.clone(),
                    me,
                    peers: peers.clone(),
                });
                let stopped: Stopped = Box::pin(async move {
                    let r = engine.stopped().await;
                    Error::Config(format!("consensus engine stopped: {r:?}"))
                });
                (view, stopped)
            }
            Role::Full => {
                let finalized = Arc::new(AtomicU64::new(ledger.tip().height));
                let keys: Vec<[u8; 32]> = validators.iter().map(|v| v.public_key).collect();
                let sync = tokio::spawn(crate::follow::follow(
                    ledger.clone(),
                    node_ledger,
                    keys,
                    cfg.peers.clone(),
                    peer_client.clone(),
                    finalized.clone(),
                ));
                tracing::info!(
                    chain = %genesis.chain_id,
                    height = ledger.tip().height,
                    peers = cfg.peers.len(),
                    "full node following"
                );
                {
                    let (finalized, peers, metrics) =
                        (finalized.clone(), peers.clone(), metrics.clone());
                    tokio::spawn(async move {
                        loop {
                            metrics.finalized_height.set(finalized.load(Ordering::Relaxed) as i64);
                            metrics
                                .peers
                                .set(peers.read().values().filter(|p| p.reachable).count() as i64);
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    });
                }
                let view = Arc::new(FollowerView {
                    validators: validators.clone(),
                    finalized,
                    peers: peers.clone(),
                });
                let stopped: Stopped = Box::pin(async move {
                    let r = sync.await;
                    Error::Config(format!("sync stopped: {r:?}"))
                });
                (view, stopped)
            }
        };

        let custody = Arc::new(NodeCustody::new(keystore, tokens));
        let audit_path = cfg.data_dir.join("audit.log");
        let audit = fapiao_api::AuditLog::open(&audit_path, metrics.audit_reads.clone())
            .map_err(|e| Error::io(&audit_path, e))?;
        let state = Arc::new(ApiState {
            reader: ledger.clone(),
            pool: pool.clone(),
            admitter: admitter.clone(),
            executed: exec_rx.clone(),
            chain: view,
            custody: custody.clone(),
            metrics,
            wait_timeout: Duration::from_millis(cfg.wait_timeout_ms),
            max_body_bytes: cfg.max_body_bytes,
            peers: if qr_signer.is_none() {
                crate::ValidatorPeers::new(cfg.peers.clone(), peer_client.clone())
                    .map(|a| Arc::new(a) as Arc<dyn fapiao_api::Peers>)
            } else {
                None
            },
            qr_signer,
            limits: cfg.limits.to_limits(),
            audit: Arc::new(audit),
            secrets: cfg.secrets_dir.clone(),
        });
        let listener = tokio::net::TcpListener::bind(cfg.http)
            .await
            .map_err(|e| Error::io(cfg.http.to_string(), e))?;
        let http = listener.local_addr().map_err(|e| Error::io("http listener", e))?;
        let addr_file = cfg.data_dir.join("http.addr");
        std::fs::write(&addr_file, format!("{http}\n")).map_err(|e| Error::io(&addr_file, e))?;
        tracing::info!(%http, tls = tls_server.is_some(), "HTTP API listening");
        // The web pages, on the same origin as the API they call, and whatever files
        // the starter asked to serve.
        let app = fapiao_api::router(state, APPLICATIONS).merge(fapiao_web::router(
            fapiao_web::WebConfig { files: static_files },
            APPLICATION_PAGES,
        ));
        match tls_server {
            Some(config) => {
                tokio::spawn(crate::tls::serve(listener, app, config));
            }
            None => {
                tokio::spawn(async move {
                    let app = app.into_make_service_with_connect_info::<SocketAddr>();
                    if let Err(e) = axum::serve(listener, app).await {
                        tracing::error!(error = %e, "HTTP server stopped");
                    }
                });
            }
        }

        if let Some(hook) = hook {
            let handle = NodeHandle { ledger, admitter, executed: exec_rx, http, custody };
            hook(handle).await?;
        }

        tokio::select! {
            e = stopped => Err(e),
            _ = shutdown_signal() => {
                tracing::info!("shutting down");
                Ok(())
            }
        }
    })
}

/// The file recording the section size of marshal's block archive, chosen once.
const SECTION_FILE: &str = "consensus-block-section";

/// The section size of marshal's block archive (its pruning granularity): the one
/// recorded in the data directory, or, on first start, a 64th of the window between 16
/// and 1,024 blocks (so a small window prunes in small steps, a large one keeps ~100
/// sections open), recorded there — the archive cannot be reopened with another.
fn block_archive_section(data_dir: &std::path::Path, window: u64) -> Result<std::num::NonZeroU64> {
    let path = data_dir.join(SECTION_FILE);
    let section = match std::fs::read_to_string(&path) {
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .map_err(|e| Error::Config(format!("{}: not a block count: {e}", path.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let section = (window / 64).clamp(16, 1024);
            crate::write_atomic(&path, format!("{section}\n").as_bytes())?;
            section
        }
        Err(e) => return Err(Error::io(&path, e)),
    };
    std::num::NonZeroU64::new(section)
        .ok_or_else(|| Error::Config(format!("{}: the section must be positive", path.display())))
}

/// Moves block bodies past the configured horizon out of the ledger's `blocks` table,
/// every 10 seconds, off the async threads (ADR 0009 step 3).
async fn archive_bodies(ledger: Arc<Ledger<RedbStore>>) {
    loop {
        tokio::time::sleep(Duration::from_secs(10)).await;
        let l = ledger.clone();
        match tokio::task::spawn_blocking(move || l.archive_bodies()).await {
            Ok(Ok(m)) if m.blocks > 0 => tracing::info!(
                blocks = m.blocks,
                raw_bytes = m.raw_bytes,
                archived_bytes = m.archived_bytes,
                "old block bodies archived"
            ),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "archiving old block bodies failed"),
            Err(e) => tracing::error!(error = %e, "the body archiver stopped"),
        }
    }
}

/// Whether this node votes.
enum Role {
    /// A validator: its index in genesis and its consensus key.
    Validator { me: usize, secret: fapiao_keystore::Zeroizing<[u8; 32]> },
    /// A full node.
    Full,
}

/// Resolves when the node's consensus engine or sync stops, with why.
type Stopped = Pin<Box<dyn Future<Output = Error> + Send>>;

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod section_tests {
    /// The block archive's section is chosen once from the window and then read back,
    /// whatever the window says later (the archive cannot change it).
    #[test]
    fn the_block_archive_section_is_chosen_once() {
        let dir = tempfile::tempdir().unwrap();
        let section = |w| super::block_archive_section(dir.path(), w).unwrap().get();
        assert_eq!(section(16 * 64), 16);
        assert_eq!(section(100_000), 16, "recorded on first start");
        let other = tempfile::tempdir().unwrap();
        assert_eq!(super::block_archive_section(other.path(), 100_000).unwrap().get(), 1024);
        assert!(super::block_archive_section(&other.path().join("x"), 10).is_err());
        std::fs::write(dir.path().join(super::SECTION_FILE), "0\n").unwrap();
        assert!(super::block_archive_section(dir.path(), 10).is_err());
    }
}

#[cfg(test)]
mod api_tests {
    /// Every route the node serves is documented in the one OpenAPI document, once.
    #[test]
    fn every_registered_route_is_served_and_documented() {
        fapiao_api::testing::assert_routes_documented(super::APPLICATIONS);
    }

    /// The registered applications' pages do not collide with each other or the shell
    /// (the web router refuses to start otherwise), nor with an API route.
    #[test]
    fn registered_pages_are_distinct_from_each_other_and_the_routes() {
        let _ = fapiao_web::router(fapiao_web::WebConfig::default(), super::APPLICATION_PAGES);
        let routes = fapiao_api::all_routes(super::APPLICATIONS);
        for app in super::APPLICATION_PAGES {
            for page in app.pages {
                assert!(
                    routes.iter().all(|(_, path, _)| *path != page.path),
                    "{} is both a page and a route",
                    page.path
                );
            }
        }
    }
}
