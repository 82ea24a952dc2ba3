//! `fapiao demo`: one validator run by the tax bureau, holding every organisation's keys
//! in its keystore, on loopback. On first start the directory is laid out (keys,
//! keystore, genesis, config) and, once the node serves, the stories are seeded by
//! signed transactions and the identities written to `DIR/demo/identities.json`.

use crate::{
    admin_name, consortium, key_file, stories, story::seed_chain, Error, Identity, Planned, Result,
    Seeded, DEMO_CHAIN_ID, DEMO_PASSPHRASE,
};
use fapiao_keystore::Keystore;
use fapiao_node::{write_atomic, NodeConfig, NodeHandle};
use fapiao_types::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisOrg, GenesisValidator, Role, Suite,
};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// Runs `fapiao demo` in `dir` (created on first use, resumed after) with the API and
/// pages on `http`, until interrupted; prints the start-up banner once seeded.
///
/// # Errors
/// Laying out the directory, starting the node or seeding failed.
pub fn run(dir: &Path, http: SocketAddr) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    let cfg = prepare(&dir, http)?;
    let seed_dir = dir.clone();
    let helper = crate::helper_exe();
    let hook: fapiao_node::run::Hook = Box::new(move |h| {
        Box::pin(async move {
            let ids = seed(&seed_dir, &h, helper.clone())
                .await
                .map_err(|e| fapiao_node::Error::Hook(e.to_string()))?;
            // A demo resumed after a stop seeds nothing: its responders start here.
            crate::exchange::spawn_responders(&seed_dir.join("demo"), helper.as_deref())
                .map_err(|e| fapiao_node::Error::Hook(e.to_string()))?;
            print!("{}", banner(&seed_dir, &h, &ids));
            Ok(())
        })
    });
    let files = crate::served_files(&dir, identities_path(&dir));
    fapiao_node::run(cfg, fapiao_node::RunOptions { hook: Some(hook), static_files: files })?;
    Ok(())
}

/// Where a demo in `dir` writes its identities.
pub fn identities_path(dir: &Path) -> PathBuf {
    dir.join("demo").join("identities.json")
}

/// The start-up banner: the pages' address, the API, the passphrase, each story's
/// notes and the identities with their tokens.
pub fn banner(dir: &Path, h: &NodeHandle, ids: &[Identity]) -> String {
    let base = format!("http://{}", h.http);
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(String::new());
    line(format!("Fapiao demo chain {:?} is running.", h.ledger.genesis().chain_id));
    line(format!("  Pages:      {base}/"));
    line(format!("  API:        {base}/v1/status"));
    line(format!("  OpenAPI:    {base}/v1/openapi.json"));
    line(format!("  Metrics:    {base}/metrics"));
    line(format!("  Data:       {}", dir.display()));
    line(format!("  Keystore passphrase (demo only): {DEMO_PASSPHRASE}"));
    line(format!("  Identities: {}", identities_path(dir).display()));
    for story in stories() {
        for note in story.notes(&dir.join("demo"), &base) {
            line(format!("  {note}"));
        }
    }
    line(String::new());
    line(format!("  {:<24} {:<22} {:<20} {:<8} token", "name", "org", "roles", "suite"));
    for id in ids {
        line(format!(
            "  {:<24} {:<22} {:<20} {:<8} {}",
            id.name,
            id.org,
            id.roles.join(","),
            id.suite,
            id.token
        ));
    }
    line(String::new());
    line("Stop with Ctrl-C; run the same command again to resume the same chain.".into());
    out
}

/// A free port for the demo's peer-to-peer listener, below Linux's ephemeral range
/// (32768-60999) so that no outgoing connection can take it while the demo is stopped.
fn free_port() -> Result<u16> {
    use rand_core::RngCore;
    for _ in 0..200 {
        let port = 20_000 + (rand_core::OsRng.next_u32() % 12_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Err(Error::Layout("no free port between 20000 and 32000".into()))
}

/// Creates the demo chain in `dir` on first use (keys, keystore, genesis, config) and
/// returns its node config with the HTTP address set to `http`.
///
/// # Errors
/// File-system, keystore or genesis errors.
pub fn prepare(dir: &Path, http: SocketAddr) -> Result<NodeConfig> {
    let config_path = dir.join("config.toml");
    if !config_path.exists() {
        create(dir)?;
    }
    let mut cfg = NodeConfig::load(&config_path)?;
    cfg.http = http;
    Ok(cfg)
}

fn create(dir: &Path) -> Result<()> {
    let keys_dir = dir.join("demo").join("keys");
    std::fs::create_dir_all(&keys_dir).map_err(|e| Error::io(&keys_dir, e))?;
    let validator_key = dir.join("validator.key");
    let validator_public = if validator_key.exists() {
        fapiao_keystore::read_validator_key(&validator_key)?.1
    } else {
        fapiao_keystore::generate_validator_key(&validator_key)?
    };
    let keystore_path = dir.join("keystore.json");
    let mut ks = if keystore_path.exists() {
        Keystore::open(&keystore_path, DEMO_PASSPHRASE)?
    } else {
        Keystore::create(&keystore_path, DEMO_PASSPHRASE)?
    };
    let mut organisations = Vec::new();
    for org in consortium(&stories())? {
        let name = admin_name(&org);
        let account = match ks.find(&name) {
            Some(a) => a,
            None => ks.generate(&name, Suite::Ed25519)?.account,
        };
        let key = ks.get(&account).ok_or_else(|| Error::Layout(format!("{name} vanished")))?;
        let file = key_file(dir, &name);
        if !file.exists() {
            fapiao_keystore::write_key_file(&file, &key)?;
        }
        organisations.push(GenesisOrg {
            id: org.id.into(),
            name: org.name.into(),
            kind: org.kind,
            tax_id: org.uscc()?,
            admins: vec![GenesisAdmin {
                name,
                suite: key.suite().as_str().into(),
                public_key: key.public_key().to_hex(),
            }],
        });
    }
    let tax_bureau = organisations
        .iter()
        .find(|o| o.kind == fapiao_types::OrgKind::TaxAuthority)
        .map(|o| o.id.clone())
        .ok_or_else(|| {
            Error::Layout("no story declares a tax authority to run the validator".into())
        })?;
    let p2p = SocketAddr::from(([127, 0, 0, 1], free_port()?));
    // The demo chain keeps the tax summary (ADR 0012): its chain secret is generated on
    // first run and kept in the secrets directory.
    let secret = fapiao_node::chain_secret::keep_or_generate(&dir.join("secrets"))?;
    let mut genesis = Genesis {
        chain_id: DEMO_CHAIN_ID.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: fapiao_node::now_ms(),
        consensus: ConsensusParams::default(),
        organisations,
        validators: vec![GenesisValidator {
            name: format!("{tax_bureau}-validator-0"),
            org: tax_bureau,
            public_key: hex::encode(validator_public),
            p2p_address: p2p.to_string(),
        }],
        demo: true,
        governance: Default::default(),
        params: Default::default(),
    };
    let (id, value) = fapiao_node::chain_secret::genesis_param(&secret);
    genesis.params.insert(id, value);
    genesis.validate()?;
    let genesis_path = dir.join("genesis.json");
    write_atomic(&genesis_path, genesis.to_json().as_bytes())?;
    let http = SocketAddr::from(([127, 0, 0, 1], 8080));
    let cfg = NodeConfig {
        validator_key: Some(PathBuf::from("validator.key")),
        p2p_listen: Some(p2p),
        keystore: Some(PathBuf::from("keystore.json")),
        keystore_passphrase: Some(DEMO_PASSPHRASE.into()),
        secrets_dir: Some(PathBuf::from("secrets")),
        ..NodeConfig::local(PathBuf::from("."), PathBuf::from("genesis.json"), http)
    };
    // The config is written last: its presence marks a complete demo directory.
    Ok(write_atomic(&dir.join("config.toml"), cfg.to_toml()?.as_bytes())?)
}

/// Seeds the stories (idempotently) and writes `DIR/demo/identities.json`. Returns the
/// identities.
///
/// # Errors
/// Keystore, token or transaction failures.
pub async fn seed(dir: &Path, h: &NodeHandle, helper: Option<PathBuf>) -> Result<Vec<Identity>> {
    let identities_path = identities_path(dir);
    if let Ok(text) = std::fs::read_to_string(&identities_path) {
        if let Ok(ids) = serde_json::from_str::<Vec<Identity>>(&text) {
            return Ok(ids);
        }
    }
    let node = format!("http://{}", h.http);
    let stories = stories();
    let mut planned: Planned = Vec::new();
    for org in consortium(&stories)? {
        let admin_account = h
            .custody
            .find(&admin_name(&org))
            .ok_or_else(|| Error::Seed(format!("admin key of {} missing", org.id)))?;
        let admin_key = h
            .custody
            .key(&admin_account)
            .ok_or_else(|| Error::Seed(format!("admin key of {} missing", org.id)))?;
        let mut members: Vec<Seeded> =
            vec![(admin_name(&org), vec![Role::OrgAdmin], admin_key.clone())];
        for member in &org.members {
            let key = match h.custody.find(member.name).and_then(|a| h.custody.key(&a)) {
                Some(k) => k,
                None => h.custody.generate_key(member.name, member.suite)?,
            };
            let file = key_file(dir, member.name);
            if !file.exists() {
                fapiao_keystore::write_key_file(&file, &key)?;
            }
            members.push((member.name.to_string(), member.roles.to_vec(), key));
        }
        planned.push((org, members));
    }
    seed_chain(h, &planned, dir.join("demo"), &stories, helper).await?;
    let mut identities = Vec::new();
    for (org, members) in planned {
        for (name, roles, key) in members {
            let token = h.custody.token_for(&key.account_id(), &name)?;
            identities.push(Identity {
                name: name.clone(),
                org: org.id.into(),
                org_kind: org.kind.as_str().into(),
                roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
                account: key.account_id().to_string(),
                suite: key.suite().as_str().into(),
                token,
                node: node.clone(),
                key_file: key_file(dir, &name).display().to_string(),
                tax_id: (!org.tax_id.is_empty()).then(|| org.tax_id.to_string()),
            });
        }
    }
    let text = serde_json::to_string_pretty(&identities).map_err(|e| Error::Seed(e.to_string()))?;
    write_atomic(&identities_path, text.as_bytes())?;
    Ok(identities)
}
