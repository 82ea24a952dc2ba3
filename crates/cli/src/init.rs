//! `fapiao init`: the keys, configs and genesis of an N-validator network on one machine
//! (loopback addresses, distinct ports) — the layout `docs/operations.md` describes for
//! N machines.

use anyhow::{bail, Context, Result};
use fapiao_node::{NodeConfig, TlsConfig};
use fapiao_types::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisNode, GenesisOrg, GenesisValidator, OrgKind,
    Suite,
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
pub(crate) fn enterprise_tax_id(n: usize) -> Result<fapiao_types::Uscc> {
    fapiao_invoice_rules::Uscc::from_parts('9', '1', "440300", &format!("{n:08}"))
        .map_err(|e| anyhow::anyhow!("taxpayer id of enterprise {n}: {e}"))
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
    if let (Some(t), false) = (opts.governance_threshold, opts.demo) {
        if t == 0 || t as usize > validators {
            bail!("--governance-threshold must be between 1 and the number of organisations ({validators})");
        }
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
    // Full nodes' keys first: the genesis lists them, so that they may call the
    // node-only routes (block sync, relay, attestation).
    let mut full_nodes = Vec::with_capacity(opts.full_nodes);
    for j in 0..opts.full_nodes {
        let i = validators + j;
        let dir = out.join(format!("node{i}"));
        std::fs::create_dir_all(&dir)?;
        let public = fapiao_keystore::generate_validator_key(dir.join("node.key"))?;
        full_nodes.push(GenesisNode {
            name: format!("full-node-{i}"),
            org: String::new(),
            public_key: hex::encode(public),
        });
    }
    let genesis = if opts.demo {
        fapiao_demo::network::create(
            out,
            validators,
            opts.suite,
            opts.base_port,
            consensus,
            full_nodes,
        )?
    } else {
        plain(validators, out, opts.suite, opts.base_port, consensus, full_nodes)?
    };
    let mut genesis = genesis;
    let organisations = u32::try_from(genesis.organisations.len()).unwrap_or(u32::MAX);
    genesis.governance.threshold = match opts.governance_threshold {
        Some(t) => t,
        None if opts.demo => 1,
        None => organisations / 2 + 1,
    };
    genesis.validate().context("--governance-threshold")?;
    fapiao_node::write_atomic(&out.join("genesis.json"), genesis.to_json().as_bytes())?;
    for j in 0..opts.full_nodes {
        let i = validators + j;
        let dir = out.join(format!("node{i}"));
        let http = SocketAddr::from(([127, 0, 0, 1], opts.base_port + 100 + i as u16));
        let cfg = NodeConfig {
            node_key: Some(PathBuf::from("node.key")),
            peers: (0..validators)
                .map(|v| fapiao_demo::network::http_url(opts.base_port, v))
                .collect(),
            ..NodeConfig::local(PathBuf::from("data"), PathBuf::from("../genesis.json"), http)
        };
        fapiao_node::write_atomic(&dir.join("config.toml"), cfg.to_toml()?.as_bytes())?;
    }
    if opts.tls {
        secure(out, validators + opts.full_nodes)?;
    }
    Ok(genesis)
}

/// `--tls`: a key and self-signed certificate per node (`node<i>/tls.crt`, `tls.key`), and
/// every config rewritten to serve HTTPS, reach its peers at `https://` and pin the other
/// nodes' certificates; `identities.json` (demo) names each node by its `https://` URL and
/// certificate.
fn secure(out: &Path, nodes: usize) -> Result<()> {
    let config_of = |i: usize| out.join(format!("node{i}/config.toml"));
    let mut configs = Vec::with_capacity(nodes);
    for i in 0..nodes {
        let path = config_of(i);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let cfg: NodeConfig =
            toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let mut hosts = vec!["127.0.0.1".to_string(), "localhost".to_string()];
        let host = cfg.http.ip().to_string();
        if !cfg.http.ip().is_unspecified() && !hosts.contains(&host) {
            hosts.push(host);
        }
        let dir = out.join(format!("node{i}"));
        fapiao_node::tls::write_self_signed(&dir, &format!("fapiao node{i}"), &hosts)?;
        configs.push(cfg);
    }
    let ports: Vec<u16> = configs.iter().map(|c| c.http.port()).collect();
    for (i, mut cfg) in configs.into_iter().enumerate() {
        cfg.peers = cfg.peers.iter().map(|p| https(p)).collect();
        cfg.tls = Some(TlsConfig {
            cert: PathBuf::from(fapiao_node::tls::CERT_FILE),
            key: PathBuf::from(fapiao_node::tls::KEY_FILE),
            peer_certs: (0..nodes)
                .filter(|&j| j != i)
                .map(|j| PathBuf::from(format!("../node{j}/{}", fapiao_node::tls::CERT_FILE)))
                .collect(),
        });
        fapiao_node::write_atomic(&config_of(i), cfg.to_toml()?.as_bytes())?;
    }
    let identities = out.join("identities.json");
    if identities.exists() {
        let text = std::fs::read_to_string(&identities)?;
        let mut ids: Vec<serde_json::Value> = serde_json::from_str(&text)
            .with_context(|| format!("parsing {}", identities.display()))?;
        for id in &mut ids {
            let Some(url) = id["node"].as_str().map(https) else { continue };
            // An identity names its node by URL; the node is the one listening on its port.
            let port = url.rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok());
            if let Some(i) = ports.iter().position(|&p| Some(p) == port) {
                let cert = out.join(format!("node{i}/{}", fapiao_node::tls::CERT_FILE));
                id["tls_cert"] = cert.display().to_string().into();
            }
            id["node"] = url.into();
        }
        let text = serde_json::to_string_pretty(&ids)?;
        fapiao_node::write_atomic(&identities, text.as_bytes())?;
    }
    Ok(())
}

/// `url` with the `https` scheme.
fn https(url: &str) -> String {
    match url.strip_prefix("http://") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    }
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
    /// HTTPS between nodes and for clients, with pinned self-signed certificates.
    pub tls: bool,
    /// Approvals by distinct organisations that enact a governance proposal; `None`: a
    /// majority of the organisations (1 for the demo consortium).
    pub governance_threshold: Option<u32>,
}

/// One organisation per validator, each with one admin key.
fn plain(
    validators: usize,
    out: &Path,
    suite: Suite,
    base_port: u16,
    consensus: ConsensusParams,
    full_nodes: Vec<GenesisNode>,
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
            tax_id: if kind == OrgKind::Enterprise { Some(enterprise_tax_id(i)?) } else { None },
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
        full_nodes,
        genesis_time_ms: fapiao_node::now_ms(),
        consensus,
        organisations: orgs,
        validators: vals,
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    };
    genesis.validate()?;
    for i in 0..validators {
        let dir = out.join(format!("node{i}"));
        let http = SocketAddr::from(([127, 0, 0, 1], base_port + 100 + i as u16));
        let cfg = NodeConfig {
            validator_key: Some(PathBuf::from("validator.key")),
            peers: (0..validators)
                .filter(|&j| j != i)
                .map(|j| fapiao_demo::network::http_url(base_port, j))
                .collect(),
            ..NodeConfig::local(PathBuf::from("data"), PathBuf::from("../genesis.json"), http)
        };
        fapiao_node::write_atomic(&dir.join("config.toml"), cfg.to_toml()?.as_bytes())?;
    }
    fapiao_node::write_atomic(&out.join("genesis.json"), genesis.to_json().as_bytes())?;
    Ok(genesis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(validators: usize, governance_threshold: Option<u32>) -> InitOptions {
        InitOptions {
            validators,
            full_nodes: 0,
            suite: Suite::Ed25519,
            base_port: 27_000,
            block_interval_ms: 500,
            demo: false,
            tls: false,
            governance_threshold,
        }
    }

    #[test]
    fn a_plain_network_needs_a_majority_of_its_organisations_unless_told_otherwise() {
        for (validators, given, want) in [(4, None, 3), (1, None, 1), (5, None, 3), (4, Some(2), 2)]
        {
            let dir = tempfile::tempdir().unwrap();
            let g = init(&opts(validators, given), dir.path()).unwrap();
            assert_eq!(g.governance.threshold, want, "{validators} validators, {given:?}");
            let written = std::fs::read_to_string(dir.path().join("genesis.json")).unwrap();
            assert_eq!(Genesis::from_json(&written).unwrap().governance.threshold, want);
        }
        let dir = tempfile::tempdir().unwrap();
        let e = init(&opts(4, Some(5)), dir.path()).unwrap_err().to_string();
        assert!(e.contains("--governance-threshold"), "{e}");
        assert!(!dir.path().join("genesis.json").exists(), "nothing written");
    }
}
