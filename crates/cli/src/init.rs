//! `fapiao init`: the keys, configs and genesis of an N-validator network on one machine
//! (loopback addresses, distinct ports) — the layout `docs/operations.md` describes for
//! N machines.

use anyhow::{bail, Context, Result};
use fapiao_node::NodeConfig;
use fapiao_types::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisOrg, GenesisValidator, OrgKind, Suite,
};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// Organisation of validator `i`: the tax bureau runs the first, then the platform, a bank,
/// an enterprise, more enterprises.
fn org_of(i: usize) -> (String, String, OrgKind) {
    match i {
        0 => ("tax-bureau".into(), "税务局 (tax bureau)".into(), OrgKind::TaxAuthority),
        1 => ("platform".into(), "平台运营方 (platform operator)".into(), OrgKind::Platform),
        2 => ("bank".into(), "银行 (bank)".into(), OrgKind::Bank),
        n => (format!("enterprise-{n}"), format!("企业 {n} (enterprise)"), OrgKind::Enterprise),
    }
}

/// The taxpayer id of enterprise `n` of a plain network: a check-digit-valid USCC
/// (Shenzhen, organisation code `n` in eight digits). A taxpayer's issuers are accounts
/// of its own organisation, so an enterprise needs its taxpayer id in genesis.
fn enterprise_tax_id(n: usize) -> Result<String> {
    let uscc = fapiao_invoice_rules::Uscc::from_parts('9', '1', "440300", &format!("{n:08}"))
        .map_err(|e| anyhow::anyhow!("taxpayer id of enterprise {n}: {e}"))?;
    Ok(uscc.as_str().to_string())
}

/// Writes `DIR/genesis.json` and per validator `DIR/node<i>/{config.toml, validator.key,
/// admin-key.json}` (or, with `demo`, the demo consortium), then the full nodes' configs;
/// returns the genesis.
///
/// # Errors
/// When `out` already holds a network, or a file cannot be written.
pub fn init(opts: &InitOptions, out: &Path) -> Result<Genesis> {
    let validators = opts.validators;
    if validators == 0 || validators > 64 {
        bail!("--validators must be between 1 and 64");
    }
    if opts.full_nodes > 16 {
        bail!("--full-nodes must be at most 16");
    }
    if out.join("genesis.json").exists() {
        bail!("{} already holds a network (genesis.json exists)", out.display());
    }
    let max_port = u32::from(opts.base_port) + 100 + (validators + opts.full_nodes) as u32;
    if max_port > u32::from(u16::MAX) {
        bail!("--base-port is too high for {validators} validators");
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    // Absolute, so that the paths written into identities.json work from anywhere.
    let out = &out.canonicalize().with_context(|| format!("resolving {}", out.display()))?;
    let consensus = ConsensusParams {
        block_interval_ms: opts.block_interval_ms,
        leader_timeout_ms: (opts.block_interval_ms * 4).max(1_000),
        notarization_timeout_ms: (opts.block_interval_ms * 6).max(1_500),
        ..ConsensusParams::default()
    };
    let genesis = if opts.demo {
        fapiao_node::demo_net::create(out, validators, opts.suite, opts.base_port, consensus)?
    } else {
        plain(validators, out, opts.suite, opts.base_port, consensus)?
    };
    for j in 0..opts.full_nodes {
        let i = validators + j;
        let dir = out.join(format!("node{i}"));
        std::fs::create_dir_all(&dir)?;
        let cfg = NodeConfig {
            data_dir: PathBuf::from("data"),
            genesis: PathBuf::from("../genesis.json"),
            validator_key: None,
            http: SocketAddr::from(([127, 0, 0, 1], opts.base_port + 100 + i as u16)),
            p2p_listen: None,
            keystore: None,
            keystore_passphrase: None,
            tokens: Some(PathBuf::from("tokens.json")),
            token_ttl_days: 90,
            mempool: Default::default(),
            wait_timeout_ms: 10_000,
            max_body_bytes: 1024 * 1024,
            peers: (0..validators)
                .map(|v| fapiao_node::demo_net::http_url(opts.base_port, v))
                .collect(),
            demo_seed: None,
        };
        fapiao_node::demo::write_atomic(&dir.join("config.toml"), cfg.to_toml()?.as_bytes())?;
    }
    Ok(genesis)
}

/// What `fapiao init` writes.
pub struct InitOptions {
    /// Validators.
    pub validators: usize,
    /// Non-voting full nodes (configured after the validators, following them).
    pub full_nodes: usize,
    /// Suite of the organisation keys.
    pub suite: Suite,
    /// First peer-to-peer port; HTTP ports start 100 above.
    pub base_port: u16,
    /// Target block interval.
    pub block_interval_ms: u64,
    /// The demo consortium instead of one organisation per validator.
    pub demo: bool,
}

/// One organisation per validator, each with one admin key.
fn plain(
    validators: usize,
    out: &Path,
    suite: Suite,
    base_port: u16,
    consensus: ConsensusParams,
) -> Result<Genesis> {
    let mut orgs = Vec::new();
    let mut vals = Vec::new();
    for i in 0..validators {
        let dir = out.join(format!("node{i}"));
        std::fs::create_dir_all(&dir)?;
        let public = fapiao_keystore::generate_validator_key(dir.join("validator.key"))?;
        let admin = fapiao_crypto::SigningKey::generate(suite, &mut rand_core::OsRng);
        fapiao_keystore::write_key_file(dir.join("admin-key.json"), &admin)?;
        let (id, name, kind) = org_of(i);
        orgs.push(GenesisOrg {
            id: id.clone(),
            name,
            tax_id: if kind == OrgKind::Enterprise { enterprise_tax_id(i)? } else { String::new() },
            kind,
            admins: vec![GenesisAdmin {
                name: format!("{id} admin"),
                suite: suite.as_str().into(),
                public_key: admin.public_key().to_hex(),
            }],
        });
        vals.push(GenesisValidator {
            name: format!("validator-{i}"),
            org: id,
            public_key: hex::encode(public),
            p2p_address: SocketAddr::from(([127, 0, 0, 1], base_port + i as u16)).to_string(),
        });
    }
    let genesis = Genesis {
        chain_id: "fapiao-local".into(),
        genesis_time_ms: fapiao_node::now_ms(),
        consensus,
        organisations: orgs,
        validators: vals,
        demo: false,
    };
    genesis.validate()?;
    for i in 0..validators {
        let dir = out.join(format!("node{i}"));
        let cfg = NodeConfig {
            data_dir: PathBuf::from("data"),
            genesis: PathBuf::from("../genesis.json"),
            validator_key: Some(PathBuf::from("validator.key")),
            http: SocketAddr::from(([127, 0, 0, 1], base_port + 100 + i as u16)),
            p2p_listen: None,
            keystore: None,
            keystore_passphrase: None,
            tokens: Some(PathBuf::from("tokens.json")),
            token_ttl_days: 90,
            mempool: Default::default(),
            wait_timeout_ms: 10_000,
            max_body_bytes: 1024 * 1024,
            peers: (0..validators)
                .filter(|&j| j != i)
                .map(|j| fapiao_node::demo_net::http_url(base_port, j))
                .collect(),
            demo_seed: None,
        };
        fapiao_node::demo::write_atomic(&dir.join("config.toml"), cfg.to_toml()?.as_bytes())?;
    }
    fapiao_node::demo::write_atomic(&out.join("genesis.json"), genesis.to_json().as_bytes())?;
    Ok(genesis)
}
