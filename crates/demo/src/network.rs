//! The demo consortium on an N-validator network (`fapiao init --demo`): the tax bureau,
//! the platform, the bank and the enterprise each run a validator; every organisation's
//! keystore and API tokens live on one node; node 0 seeds the stories on first start.
//!
//! Layout under `DIR`: `genesis.json`, `identities.json` (each identity's node URL,
//! token and key file), `demo/keys/` (every member's key file, demo only: the seeder and
//! client-side signing use them), what the stories leave for a newcomer under `demo/`,
//! and per node `node<i>/` with `config.toml`, `validator.key`, `keystore.json` and
//! `tokens.json`. Node 0 also has `demo.toml`, naming `DIR`: `fapiao node` reads it
//! ([`node_options`]) to seed the stories and serve the demo's files — the node's own
//! config knows nothing of the demo.

use crate::{
    admin_name, consortium, key_file, stories, story::seed_chain, Error, Identity, Planned, Result,
    Seeded, DEMO_CHAIN_ID, DEMO_PASSPHRASE,
};
use fapiao_crypto::SigningKey;
use fapiao_keystore::{Keystore, TokenStore};
use fapiao_node::{write_atomic, NodeConfig, NodeHandle, RunOptions};
use fapiao_types::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisNode, GenesisOrg, GenesisValidator, Role, Suite,
};
use serde::{Deserialize, Serialize};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

/// Organisations that run validators, in validator order; more validators than these are
/// run by the remaining organisations in catalogue order.
pub(crate) const HOSTS: &[&str] = &["sz-tax", "wechat-pay", "sz-bank", "huawei"];

/// The node (index) an organisation's keys and tokens live on.
fn node_of(org_index: usize, hosts: &[usize], nodes: usize) -> usize {
    hosts.iter().position(|&h| h == org_index).unwrap_or(org_index % nodes)
}

/// Ports of a network laid out by `fapiao init`: validator `i` listens for peers on
/// `base + i` and for HTTP on `base + 100 + i`.
pub fn http_url(base_port: u16, i: usize) -> String {
    format!("http://127.0.0.1:{}", base_port as usize + 100 + i)
}

/// Writes a demo network of `validators` nodes to `out` and returns its genesis.
///
/// `admin_suite` is the suite of the organisations' admin keys (members keep the demo's
/// suites). Nodes list every other node in `peers`; node 0's `demo.toml` names `out`, so
/// that it seeds the stories on first start.
///
/// # Errors
/// Invalid arguments, or a file that cannot be written.
pub fn create(
    out: &Path,
    validators: usize,
    admin_suite: Suite,
    base_port: u16,
    consensus: ConsensusParams,
    full_nodes: Vec<GenesisNode>,
) -> Result<Genesis> {
    let orgs = consortium(&stories())?;
    if validators == 0 || validators > orgs.len() {
        return Err(Error::Layout(format!(
            "a demo network has 1 to {} validators (one per organisation)",
            orgs.len()
        )));
    }
    let mut hosts: Vec<usize> =
        HOSTS.iter().filter_map(|id| orgs.iter().position(|o| o.id == *id)).collect();
    let rest: Vec<usize> = (0..orgs.len()).filter(|i| !hosts.contains(i)).collect();
    hosts.extend(rest);
    hosts.truncate(validators);

    let keys_dir = out.join("demo").join("keys");
    std::fs::create_dir_all(&keys_dir).map_err(|e| Error::io(&keys_dir, e))?;
    let mut keystores = Vec::with_capacity(validators);
    let mut token_stores = Vec::with_capacity(validators);
    let mut validator_keys = Vec::with_capacity(validators);
    for i in 0..validators {
        let dir = out.join(format!("node{i}"));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        validator_keys.push(fapiao_keystore::generate_validator_key(dir.join("validator.key"))?);
        keystores.push(Keystore::create(dir.join("keystore.json"), DEMO_PASSPHRASE)?);
        token_stores.push(TokenStore::open_or_create(dir.join("tokens.json"))?);
    }

    let mut organisations = Vec::new();
    let mut identities = Vec::new();
    for (k, org) in orgs.iter().enumerate() {
        let node = node_of(k, &hosts, validators);
        let mut members: Vec<(String, Vec<Role>, SigningKey)> = vec![(
            admin_name(org),
            vec![Role::OrgAdmin],
            SigningKey::generate(admin_suite, &mut rand_core::OsRng),
        )];
        for m in &org.members {
            let key = SigningKey::generate(m.suite, &mut rand_core::OsRng);
            members.push((m.name.to_string(), m.roles.to_vec(), key));
        }
        for (name, roles, key) in &members {
            let file = key_file(out, name);
            fapiao_keystore::write_key_file(&file, key)?;
            keystores[node].insert(name, key)?;
            let (token, _) =
                token_stores[node].create(key.account_id(), name, fapiao_node::now_ms())?;
            identities.push(Identity {
                name: name.clone(),
                org: org.id.into(),
                org_kind: org.kind.as_str().into(),
                roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
                account: key.account_id().to_string(),
                suite: key.suite().as_str().into(),
                token,
                node: http_url(base_port, node),
                key_file: file.display().to_string(),
                tax_id: (!org.tax_id.is_empty()).then(|| org.tax_id.to_string()),
            });
        }
        let admin = &members[0];
        organisations.push(GenesisOrg {
            id: org.id.into(),
            name: org.name.into(),
            kind: org.kind,
            tax_id: org.uscc()?,
            admins: vec![GenesisAdmin {
                name: admin.0.clone(),
                suite: admin.2.suite().as_str().into(),
                public_key: admin.2.public_key().to_hex(),
            }],
        });
    }
    let genesis = Genesis {
        chain_id: DEMO_CHAIN_ID.into(),
        full_nodes,
        genesis_time_ms: fapiao_node::now_ms(),
        consensus,
        organisations,
        validators: hosts
            .iter()
            .enumerate()
            .map(|(i, &org)| GenesisValidator {
                name: format!("{}-validator", orgs[org].id),
                org: orgs[org].id.into(),
                public_key: hex::encode(validator_keys[i]),
                p2p_address: SocketAddr::from(([127, 0, 0, 1], base_port + i as u16)).to_string(),
            })
            .collect(),
        demo: true,
        governance: Default::default(),
        params: Default::default(),
    };
    genesis.validate()?;
    for i in 0..validators {
        let http = SocketAddr::from(([127, 0, 0, 1], base_port + 100 + i as u16));
        let cfg = NodeConfig {
            validator_key: Some(PathBuf::from("validator.key")),
            keystore: Some(PathBuf::from("keystore.json")),
            keystore_passphrase: Some(DEMO_PASSPHRASE.into()),
            // Node 0 seeds the stories: the exchange's department keys are written beside
            // the network's demo files (`OUT/secrets`), which its API opens with.
            secrets_dir: (i == 0).then(|| PathBuf::from("../secrets")),
            peers: (0..validators).filter(|&j| j != i).map(|j| http_url(base_port, j)).collect(),
            ..NodeConfig::local(PathBuf::from("data"), PathBuf::from("../genesis.json"), http)
        };
        write_atomic(&out.join(format!("node{i}/config.toml")), cfg.to_toml()?.as_bytes())?;
    }
    let seeder = SeederConfig { dir: PathBuf::from(".."), seed: true };
    let text = toml::to_string_pretty(&seeder).map_err(|e| Error::Layout(e.to_string()))?;
    write_atomic(
        &out.join("node0").join(SEEDER_FILE),
        format!("{SEEDER_HEADER}{text}").as_bytes(),
    )?;
    let text =
        serde_json::to_string_pretty(&identities).map_err(|e| Error::Layout(e.to_string()))?;
    write_atomic(&out.join("identities.json"), text.as_bytes())?;
    write_atomic(&out.join("genesis.json"), genesis.to_json().as_bytes())?;
    Ok(genesis)
}

/// Reads every demo member's key file from `dir/demo/keys`.
///
/// # Errors
/// A missing or unreadable key file.
pub fn load_planned(dir: &Path) -> Result<Planned> {
    let mut planned: Planned = Vec::new();
    for org in consortium(&stories())? {
        let read = |name: &str, roles: &[Role]| -> Result<Seeded> {
            let key = fapiao_keystore::read_key_file(key_file(dir, name))?;
            Ok((name.to_string(), roles.to_vec(), key))
        };
        let mut members = vec![read(&admin_name(&org), &[Role::OrgAdmin])?];
        for m in &org.members {
            members.push(read(m.name, m.roles)?);
        }
        planned.push((org, members));
    }
    Ok(planned)
}

/// Seeds the demo stories from the key files under `dir` once the network moves,
/// retrying until it succeeds, then marks `data_dir/demo-seeded`. Runs in the background.
pub fn spawn_seeder(dir: PathBuf, data_dir: PathBuf, h: NodeHandle) {
    let marker = data_dir.join("demo-seeded");
    if marker.exists() {
        // Seeded before: only the departments' responders start again.
        if let Err(e) =
            crate::exchange::spawn_responders(&dir.join("demo"), crate::helper_exe().as_deref())
        {
            tracing::warn!(error = %e, "the departments' responders did not start");
        }
        return;
    }
    tokio::spawn(async move {
        let planned = match load_planned(&dir) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "demo seeding disabled");
                return;
            }
        };
        let stories = stories();
        loop {
            let helper = crate::helper_exe();
            match seed_chain(&h, &planned, dir.join("demo"), &stories, helper.clone()).await {
                Ok(()) => {
                    if let Err(e) =
                        crate::exchange::spawn_responders(&dir.join("demo"), helper.as_deref())
                    {
                        tracing::warn!(error = %e, "the departments' responders did not start");
                    }
                    if let Err(e) = write_atomic(&marker, b"seeded\n") {
                        tracing::warn!(error = %e, "could not mark the demo as seeded");
                    }
                    tracing::info!(height = h.ledger.tip().height, "demo consortium seeded");
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "demo seeding not done yet; retrying");
                    tokio::time::sleep(Duration::from_secs(3)).await;
                }
            }
        }
    });
}

/// The file beside node 0's `config.toml` that makes it the demo network's seeder.
pub const SEEDER_FILE: &str = "demo.toml";

const SEEDER_HEADER: &str = "# `fapiao init --demo`: `fapiao node` seeds the demo stories on this node's first\n\
                             # start, with the key files under DIR/demo/keys, and serves the demo's\n\
                             # identities and files. Delete this file to run the node without them.\n";

/// `demo.toml`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeederConfig {
    /// The `fapiao init --demo` directory (relative paths: to this file's directory).
    dir: PathBuf,
    /// Whether this node seeds the stories (default); `false` (a chain of
    /// `fapiao demo --cross-chain`, seeded over the API by the demo) only serves the
    /// identities and files.
    #[serde(default = "seeds")]
    seed: bool,
}

fn seeds() -> bool {
    true
}

/// What `fapiao node --config PATH` adds to the node: when [`SEEDER_FILE`] sits beside
/// `PATH` (node 0 of a demo network), a hook that seeds the stories in the background
/// once the network moves (marked done by `data_dir/demo-seeded`), and the demo's
/// identities and story files; with `seed = false` in it (a chain of
/// `fapiao demo --cross-chain`) only the identities and files; otherwise nothing.
///
/// # Errors
/// [`Error::Io`] or [`Error::Layout`] when the seeder file cannot be read or parsed.
pub fn node_options(config: &Path, data_dir: &Path) -> Result<RunOptions> {
    let base = config.parent().unwrap_or(Path::new("."));
    let path = base.join(SEEDER_FILE);
    if !path.exists() {
        return Ok(RunOptions::default());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let seeder: SeederConfig =
        toml::from_str(&text).map_err(|e| Error::Layout(format!("{}: {e}", path.display())))?;
    let dir = base.join(seeder.dir);
    let static_files = crate::served_files(&dir, dir.join("identities.json"));
    if !seeder.seed {
        return Ok(RunOptions { hook: None, static_files });
    }
    let data_dir = data_dir.to_path_buf();
    let hook: fapiao_node::run::Hook = Box::new(move |h| {
        Box::pin(async move {
            spawn_seeder(dir, data_dir, h);
            Ok(())
        })
    });
    Ok(RunOptions { hook: Some(hook), static_files })
}
