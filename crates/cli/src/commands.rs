//! The subcommands.

use crate::client::{block_on, get_json, post_tx};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use commonware_codec::Encode;
use fapiao_keystore::TokenStore;
use fapiao_node::{demo, NodeConfig};
use fapiao_types::{AccountId, Action, NewAccount, PublicKey, Role, Suite, Tx};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// `fapiao demo`.
pub fn demo(dir: &Path, http: SocketAddr) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir.canonicalize()?;
    let cfg = demo::prepare(&dir, http)?;
    let seed_dir = dir.clone();
    let hook: fapiao_node::run::Hook = Box::new(move |h| {
        Box::pin(async move {
            let ids = demo::seed(&seed_dir, &h).await?;
            print_demo(&seed_dir, &h, &ids);
            Ok(())
        })
    });
    fapiao_node::run(cfg, Some(hook))?;
    Ok(())
}

fn print_demo(dir: &Path, h: &fapiao_node::NodeHandle, ids: &[demo::Identity]) {
    println!();
    println!("Fapiao demo chain {:?} is running.", h.ledger.genesis().chain_id);
    println!("  API:        http://{}/v1/status", h.http);
    println!("  OpenAPI:    http://{}/v1/openapi.json", h.http);
    println!("  Metrics:    http://{}/metrics", h.http);
    println!("  Data:       {}", dir.display());
    println!("  Keystore passphrase (demo only): {}", demo::DEMO_PASSPHRASE);
    println!("  Identities: {}", dir.join("demo/identities.json").display());
    println!();
    println!("  {:<24} {:<22} {:<20} {:<8} token", "name", "org", "roles", "suite");
    for id in ids {
        println!(
            "  {:<24} {:<22} {:<20} {:<8} {}",
            id.name,
            id.org,
            id.roles.join(","),
            id.suite,
            id.token
        );
    }
    println!();
    println!("Stop with Ctrl-C; run the same command again to resume the same chain.");
}

/// `fapiao node`.
pub fn node(config: &Path) -> Result<()> {
    let cfg = NodeConfig::load(config)?;
    // A node of a `fapiao init --demo` network that holds the demo keys seeds the story
    // in the background once the network moves.
    let hook: Option<fapiao_node::run::Hook> = cfg.demo_seed.clone().map(|dir| {
        let data_dir = cfg.data_dir.clone();
        let hook: fapiao_node::run::Hook = Box::new(move |h| {
            Box::pin(async move {
                fapiao_node::demo_net::spawn_seeder(dir, data_dir, h);
                Ok(())
            })
        });
        hook
    });
    fapiao_node::run(cfg, hook)?;
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
    },
    /// List tokens (ids, accounts, labels; never secrets).
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
    let path = cfg.tokens.ok_or_else(|| anyhow!("the config names no token store"))?;
    Ok(TokenStore::open_or_create(&path)?)
}

/// `fapiao token`.
pub fn token(cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Create { config, account, label } => {
            let mut store = token_store(&config)?;
            let account = AccountId::from_hex(&account)?;
            let (secret, info) = store.create(account, &label, fapiao_node::now_ms())?;
            println!(
                "{}",
                serde_json::json!({"id": info.id, "account": account.to_string(), "token": secret})
            );
        }
        TokenCommand::List { config } => {
            for info in token_store(&config)?.list() {
                println!(
                    "{}",
                    serde_json::json!({"id": info.id, "account": info.account.to_string(), "label": info.label, "revoked": info.revoked})
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
