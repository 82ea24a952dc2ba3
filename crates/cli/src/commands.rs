//! The subcommands.

use crate::client::{block_on, get_json, post_tx};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use commonware_codec::Encode;
use fapiao_invoice_types::InvoiceAction;
use fapiao_keystore::TokenStore;
use fapiao_node::NodeConfig;
use fapiao_types::{AccountId, Action, NewAccount, PublicKey, Role, Suite, Tx};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// `fapiao demo` (`--cross-chain`: the linked chains).
pub fn demo(dir: Option<&Path>, http: Option<SocketAddr>, cross_chain: bool) -> Result<()> {
    if cross_chain {
        let dir = dir.unwrap_or(Path::new("./fapiao-linked"));
        let http = http.unwrap_or(SocketAddr::from(([127, 0, 0, 1], 27_100)));
        fapiao_demo::linked::run(dir, http)?;
    } else {
        let dir = dir.unwrap_or(Path::new("./fapiao-data"));
        fapiao_demo::run(dir, http.unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))))?;
    }
    Ok(())
}

/// With `--parent PID`, a watcher that ends this process once that parent is gone (the
/// process is re-parented): how `fapiao demo --cross-chain` has its nodes and relayers
/// stop with it even when it is killed. Exiting is safe for a node: its store survives
/// a crash (it is what `kill -9` does).
fn watch_parent(parent: Option<u32>) {
    let Some(pid) = parent else { return };
    std::thread::spawn(move || loop {
        if std::os::unix::process::parent_id() != pid {
            tracing::info!(parent = pid, "parent_gone");
            std::process::exit(0);
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    });
}

/// `fapiao node`.
pub fn node(config: &Path, parent: Option<u32>) -> Result<()> {
    watch_parent(parent);
    let cfg = NodeConfig::load(config)?;
    // Node 0 of a `fapiao init --demo` network seeds the demo stories in the background
    // once the network moves, and serves the demo's identities (`DIR/identities.json`).
    let options = fapiao_demo::network::node_options(config, &cfg.data_dir)?;
    fapiao_node::run(cfg, options)?;
    Ok(())
}

/// `fapiao responder`: the department's exchange responder, until interrupted. The node's
/// certificate pins are the config's `tls_cert` and the global `--tls-cert`.
pub fn responder(config: &Path, pins: &[PathBuf], parent: Option<u32>) -> Result<()> {
    let cfg = fapiao_responder::Config::load(config)?;
    let mut files = cfg.tls_certs.clone();
    files.extend_from_slice(pins);
    let http = fapiao_node::tls::client_builder(fapiao_node::tls::read_pins(&files)?).build()?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(fapiao_responder::run(cfg, http, parent))?;
    Ok(())
}

/// `fapiao relayer`: runs until killed (or, with `--parent`, until that process is gone).
pub fn relayer(config: &Path, parent: Option<u32>) -> Result<()> {
    watch_parent(parent);
    let cfg = fapiao_relayer::Config::load(config)?;
    let relayer = fapiao_relayer::Relayer::new(cfg)?;
    block_on(relayer.run())?;
    Ok(())
}

/// `fapiao keygen`.
pub fn keygen(suite: &str, out: &Path) -> Result<()> {
    let suite = Suite::parse(suite)?;
    let key = fapiao_crypto::SigningKey::generate(suite, &mut rand_core::OsRng);
    fapiao_keystore::write_key_file(out, &key)?;
    let pk = key.public_key();
    println!(
        "{}",
        serde_json::json!({
            "key_file": out.display().to_string(),
            "suite": suite.as_str(),
            "public_key": pk.to_hex(),
            "account": pk.account_id().to_string(),
        })
    );
    Ok(())
}

/// `fapiao tx`: build, sign and submit.
#[derive(Args)]
pub struct TxArgs {
    /// Node API URL.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "FAPIAO_NODE")]
    node: String,
    /// The sender's key file.
    #[arg(long)]
    key: PathBuf,
    /// Blocks until expiry (at most the chain's expiry window).
    #[arg(long, default_value_t = 100)]
    expires_in: u64,
    /// Return as soon as the transaction is admitted.
    #[arg(long)]
    no_wait: bool,
    /// Print the signed transaction (hex) instead of submitting it.
    #[arg(long)]
    print: bool,
    #[command(subcommand)]
    action: TxAction,
}

/// The actions `fapiao tx` can send.
#[derive(Subcommand)]
enum TxAction {
    /// Add an account to the sender's organisation (sender needs org.admin).
    AddAccount {
        /// The member's public key (hex).
        #[arg(long)]
        public_key: String,
        /// The member key's suite.
        #[arg(long, default_value = "ed25519")]
        suite: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role to grant (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
    },
    /// Revoke an account of the sender's organisation.
    RevokeAccount {
        /// Account id (hex).
        #[arg(long)]
        account: String,
    },
    /// List the payment platforms a merchant accepts orders from (replaces the list;
    /// the sender is one of the merchant's issuers).
    SetAcceptedPlatforms {
        /// The merchant's USCC.
        #[arg(long)]
        uscc: fapiao_types::Uscc,
        /// A platform organisation id (repeatable; none: accept no platform).
        #[arg(long = "platform")]
        platforms: Vec<String>,
    },
}

/// `fapiao tx`.
pub fn tx(args: TxArgs) -> Result<()> {
    let key = fapiao_keystore::read_key_file(&args.key)?;
    let action = match args.action {
        TxAction::AddAccount { public_key, suite, name, roles } => Action::AddAccount(NewAccount {
            public_key: PublicKey::from_hex(&suite, &public_key)?,
            name,
            roles: roles.iter().map(|r| Role::parse(r)).collect::<Result<_, _>>()?,
        }),
        TxAction::RevokeAccount { account } => {
            Action::RevokeAccount { account: AccountId::from_hex(&account)? }
        }
        TxAction::SetAcceptedPlatforms { uscc, platforms } => {
            Action::from(InvoiceAction::SetAcceptedPlatforms(
                fapiao_invoice_types::SetAcceptedPlatforms { uscc, platforms },
            ))
        }
    };
    block_on(async move {
        let status = get_json(&format!("{}/v1/status", args.node.trim_end_matches('/'))).await?;
        let chain_id =
            status["chain_id"].as_str().ok_or_else(|| anyhow!("status has no chain_id"))?;
        let height = status["height"].as_u64().ok_or_else(|| anyhow!("status has no height"))?;
        let tx = Tx {
            chain_id: chain_id.into(),
            sender: key.public_key(),
            nonce: rand_core::RngCore::next_u64(&mut rand_core::OsRng),
            expiry: height + args.expires_in,
            action,
        };
        let stx = key.sign_tx(tx);
        let bytes = stx.encode().to_vec();
        if args.print {
            println!("{}", hex::encode(&bytes));
            return Ok(());
        }
        let resp = post_tx(&args.node, bytes, !args.no_wait).await?;
        println!("{}", serde_json::to_string_pretty(&resp)?);
        if resp["receipt"]["status"].as_str() == Some("failed") {
            bail!("transaction failed: {}", resp["receipt"]["code"]);
        }
        Ok(())
    })?
}

/// `fapiao status`.
pub fn status(node: &str) -> Result<()> {
    let v = block_on(get_json(&format!("{}/v1/status", node.trim_end_matches('/'))))??;
    println!("{}", serde_json::to_string_pretty(&v)?);
    Ok(())
}

/// `fapiao storage`: the ledger's tables and the consensus storage of a stopped node.
pub fn storage(data_dir: &Path, json: bool) -> Result<()> {
    let state = data_dir.join("state.redb");
    if !state.is_file() {
        bail!("no ledger at {} (is --data-dir the node's data directory?)", state.display());
    }
    let tables = fapiao_ledger::RedbStore::open(&state)
        .and_then(|s| s.table_stats())
        .with_context(|| format!("reading {} (is the node stopped?)", state.display()))?;
    let du = |path: &Path| {
        fapiao_ledger::store::disk_bytes(path)
            .with_context(|| format!("reading {}", path.display()))
    };
    let file = du(&state)?;
    // The state database (QMDB, ADR 0009) beside the redb file.
    let state_db = du(&data_dir.join("state"))?;
    let consensus = du(&data_dir.join("consensus"))?;
    let bodies = du(&data_dir.join("bodies"))?;
    if json {
        let v = serde_json::json!({
            "state_file_bytes": file,
            "state_db_bytes": state_db,
            "consensus_bytes": consensus,
            "archived_bodies_bytes": bodies,
            "tables": tables,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "{:<28} {:>12} {:>14} {:>14} {:>14}",
        "table", "rows", "stored", "metadata", "fragmented"
    );
    for t in &tables {
        println!(
            "{:<28} {:>12} {:>14} {:>14} {:>14}",
            t.name, t.rows, t.stored_bytes, t.metadata_bytes, t.fragmented_bytes
        );
    }
    let used: u64 = tables.iter().map(fapiao_ledger::TableStats::total).sum();
    println!(
        "state.redb on disk {file} bytes ({used} in tables); state/ (the state database, QMDB) \
         {state_db} bytes; consensus/ {consensus} bytes; bodies/ (archived block bodies, zstd) \
         {bodies} bytes"
    );
    Ok(())
}

/// `fapiao token …`.
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token for an account (prints the secret once).
    Create {
        /// The node's config.toml.
        #[arg(long)]
        config: PathBuf,
        /// Account id (hex) the token acts for.
        #[arg(long)]
        account: String,
        /// Label for logs and listings.
        #[arg(long, default_value = "")]
        label: String,
        /// Days the token lives (default: the node's `token_ttl_days`, 90 unless set).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        ttl_days: Option<u32>,
    },
    /// List tokens (ids, accounts, labels, expiry; never secrets).
    List {
        /// The node's config.toml.
        #[arg(long)]
        config: PathBuf,
    },
    /// Revoke a token by id.
    Revoke {
        /// The node's config.toml.
        #[arg(long)]
        config: PathBuf,
        /// Token id (from `list`).
        #[arg(long)]
        id: String,
    },
}

fn token_store(config: &Path) -> Result<TokenStore> {
    let cfg = NodeConfig::load(config)?;
    let path = cfg.tokens.as_ref().ok_or_else(|| anyhow!("the config names no token store"))?;
    let mut store = TokenStore::open_or_create(path)?;
    store.set_ttl_ms(cfg.token_ttl_ms());
    Ok(store)
}

/// `fapiao token`.
pub fn token(cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Create { config, account, label, ttl_days } => {
            let mut store = token_store(&config)?;
            let account = AccountId::from_hex(&account)?;
            let now = fapiao_node::now_ms();
            let (secret, info) = match ttl_days {
                Some(days) => {
                    store.create_with_ttl(account, &label, now, u64::from(days) * DAY_MS)?
                }
                None => store.create(account, &label, now)?,
            };
            println!(
                "{}",
                serde_json::json!({
                    "id": info.id,
                    "account": account.to_string(),
                    "expires_ms": info.expires_ms,
                    "token": secret,
                })
            );
        }
        TokenCommand::List { config } => {
            let now = fapiao_node::now_ms();
            for info in token_store(&config)?.list() {
                println!(
                    "{}",
                    serde_json::json!({
                        "id": info.id,
                        "account": info.account.to_string(),
                        "label": info.label,
                        "created_ms": info.created_ms,
                        "expires_ms": info.expires_ms,
                        "expired": now >= info.expires_ms,
                        "revoked": info.revoked,
                    })
                );
            }
        }
        TokenCommand::Revoke { config, id } => {
            if !token_store(&config)?.revoke(&id)? {
                bail!("no token with id {id}");
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}

const DAY_MS: u64 = 24 * 3600 * 1000;

/// `fapiao keystore …`: the encrypted keystore of a node (run on the node's machine).
/// Passphrases come from the environment, never from the command line.
#[derive(Subcommand)]
pub enum KeystoreCommand {
    /// Create the empty keystore the config names, encrypted under
    /// `FAPIAO_KEYSTORE_PASSPHRASE` with the current KDF cost.
    Create {
        /// The node's config.toml.
        #[arg(long)]
        config: PathBuf,
    },
    /// Re-encrypt the keystore: open it with `FAPIAO_KEYSTORE_PASSPHRASE` (even below
    /// the KDF floor), then seal it under `FAPIAO_KEYSTORE_NEW_PASSPHRASE` with a fresh
    /// salt and the current KDF cost. Update the node's passphrase before restarting it.
    Rekey {
        /// The node's config.toml.
        #[arg(long)]
        config: PathBuf,
    },
}

fn env_passphrase(var: &str) -> Result<String> {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => bail!("set {var} to the passphrase"),
    }
}

/// The keystore path of `config`, and whether its chain is a demo chain.
fn keystore_of(config: &Path) -> Result<(PathBuf, fapiao_types::Genesis)> {
    let cfg = NodeConfig::load(config)?;
    let path = cfg.keystore.ok_or_else(|| anyhow!("the config names no keystore"))?;
    let text = std::fs::read_to_string(&cfg.genesis)
        .with_context(|| format!("reading {}", cfg.genesis.display()))?;
    Ok((path, fapiao_types::Genesis::from_json(&text)?))
}

/// Refuses the published demo passphrase for a chain that is not a demo chain.
fn check_not_demo_passphrase(pass: &str, genesis: &fapiao_types::Genesis) -> Result<()> {
    if pass == fapiao_keystore::DEMO_PASSPHRASE && !genesis.demo {
        bail!("the demo passphrase is public: chain {} is not a demo chain", genesis.chain_id);
    }
    Ok(())
}

/// `fapiao keystore`.
pub fn keystore(cmd: KeystoreCommand) -> Result<()> {
    match cmd {
        KeystoreCommand::Create { config } => {
            let (path, genesis) = keystore_of(&config)?;
            let pass = env_passphrase("FAPIAO_KEYSTORE_PASSPHRASE")?;
            check_not_demo_passphrase(&pass, &genesis)?;
            let store = fapiao_keystore::Keystore::create(&path, pass)?;
            println!(
                "{}",
                serde_json::json!({"keystore": path.display().to_string(), "kdf": format!("{:?}", store.kdf_params())})
            );
        }
        KeystoreCommand::Rekey { config } => {
            let (path, genesis) = keystore_of(&config)?;
            let old = env_passphrase("FAPIAO_KEYSTORE_PASSPHRASE")?;
            let new = env_passphrase("FAPIAO_KEYSTORE_NEW_PASSPHRASE")?;
            check_not_demo_passphrase(&new, &genesis)?;
            let mut store = fapiao_keystore::Keystore::open_with_floor(
                &path,
                old,
                fapiao_keystore::KdfParams::INSECURE_FAST,
            )?;
            store.rekey(new)?;
            println!(
                "{}",
                serde_json::json!({"keystore": path.display().to_string(), "keys": store.len(), "kdf": format!("{:?}", store.kdf_params())})
            );
        }
    }
    Ok(())
}
