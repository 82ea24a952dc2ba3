//! `fapiao init --chains tax,finance,industry`: several independent networks on one
//! machine, each with its own chain id, genesis and validators, written under
//! `DIR/<chain>/` the way a single-chain `fapiao init` writes `DIR/`, with ports that do
//! not collide, and with what each chain needs to register the others by governance.
//!
//! For every chain `DIR/<chain>/` holds `genesis.json`, `node<i>/{config.toml,
//! validator.key}` and `admins/<org>.json` (one admin key per organisation; validator
//! `i` is run by organisation `i mod organisations`), and `registrations.json`: the
//! **other** chains' chain id, genesis hash (the digest of their block 0) and validator
//! keys, in the shape of the `crosschain/chains` parameter, so one governance proposal
//! registers them. `DIR/chains.json` lists every chain with its API URLs (what a
//! relayer's configuration needs).

use anyhow::{bail, Context, Result};
use fapiao_node::NodeConfig;
use fapiao_types::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisOrg, GenesisValidator, OrgKind, Suite,
};
use serde::Serialize;
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// Ports reserved per chain: chain `k` uses `base_port + k * PORTS_PER_CHAIN + i` for
/// peer-to-peer and 100 above for HTTP.
pub const PORTS_PER_CHAIN: u16 = 200;

/// One organisation of a chain: id, display name, kind.
type Org = (&'static str, &'static str, OrgKind);

/// The chains `--chains` knows: name, chain id, organisations (validators are run by
/// them in this order).
const KNOWN: &[(&str, &str, &[Org])] = &[
    (
        "tax",
        "fapiao-tax",
        &[
            ("tax-bureau", "税务局 (tax bureau)", OrgKind::TaxAuthority),
            ("platform", "平台运营方 (platform operator)", OrgKind::Platform),
        ],
    ),
    (
        "finance",
        "fapiao-finance",
        &[
            ("bank", "银行 (bank)", OrgKind::Bank),
            (
                "regulator",
                "人民银行分支机构 (central bank branch, the regulator)",
                OrgKind::CentralBank,
            ),
        ],
    ),
    (
        "industry",
        "fapiao-industry",
        &[
            ("park-operator", "产业园区运营方 (industrial park operator)", OrgKind::Platform),
            ("power-utility", "供电公司 (power utility)", OrgKind::Utility),
            (
                "social-security",
                "社会保险经办机构 (social-security office)",
                OrgKind::SocialSecurity,
            ),
            ("logistics", "物流公司 (logistics operator)", OrgKind::Logistics),
        ],
    ),
];

/// Chains whose applications commit under a chain secret, with the parameter pinning it:
/// `init` generates one secret per such chain, writes it to every node's
/// `secrets/chain-secret` (hex, mode 0600) and pins its `secret_id` in the genesis.
const SECRET_PINS: &[(&str, &str)] =
    &[("tax", "invoice/tax-summary"), ("industry", "industry/secret")];

/// One chain as another chain registers it (an entry of the `crosschain/chains`
/// parameter).
#[derive(Clone, Debug, Serialize)]
pub struct Registration {
    /// Its chain id text.
    pub chain_id: String,
    /// Hex of its genesis header digest.
    pub genesis_hash: String,
    /// Hex of its validators' Ed25519 keys, genesis order.
    pub validators: Vec<String>,
}

/// One written chain.
#[derive(Clone, Debug, Serialize)]
pub struct WrittenChain {
    /// Its name (`tax`).
    pub name: String,
    /// Its directory.
    pub dir: PathBuf,
    /// How the others register it.
    #[serde(flatten)]
    pub registration: Registration,
    /// Its validators' API URLs.
    pub api: Vec<String>,
    /// Its nodes' configs.
    pub nodes: Vec<PathBuf>,
}

/// Parses `tax,finance,industry`: known names, each once, at least one.
///
/// # Errors
/// An unknown or repeated name.
pub fn parse(list: &str) -> Result<Vec<&'static str>> {
    let mut names: Vec<&'static str> = Vec::new();
    for n in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let Some((known, ..)) = KNOWN.iter().find(|(k, ..)| *k == n) else {
            bail!("--chains: unknown chain {n:?} (known: tax, finance, industry)");
        };
        if names.contains(known) {
            bail!("--chains: {n} given twice");
        }
        names.push(known);
    }
    if names.is_empty() {
        bail!("--chains: name at least one chain");
    }
    Ok(names)
}

/// What `--chains` writes besides the names.
pub struct ChainsOptions {
    /// Validators per chain.
    pub validators: usize,
    /// Suite of the organisation keys.
    pub suite: Suite,
    /// First peer-to-peer port of the first chain.
    pub base_port: u16,
    /// Target block interval.
    pub block_interval_ms: u64,
    /// Approvals that enact a proposal (default: a majority of each chain's
    /// organisations).
    pub governance_threshold: Option<u32>,
}

/// Writes the chains `names` under `out` (see the module docs).
///
/// # Errors
/// When `out` already holds one of them, or a file cannot be written.
pub fn init(names: &[&str], opts: &ChainsOptions, out: &Path) -> Result<Vec<WrittenChain>> {
    if opts.validators == 0 || opts.validators > 64 {
        bail!("--validators must be between 1 and 64");
    }
    let last_base = u32::from(opts.base_port) + u32::from(PORTS_PER_CHAIN) * names.len() as u32;
    if last_base > u32::from(u16::MAX) {
        bail!("--base-port is too high for {} chains", names.len());
    }
    for name in names {
        if out.join(name).join("genesis.json").exists() {
            bail!("{} already holds a network (genesis.json exists)", out.join(name).display());
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let out = &out.canonicalize().with_context(|| format!("resolving {}", out.display()))?;
    let mut written = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        let Some(&(_, chain_id, orgs)) = KNOWN.iter().find(|(n, ..)| n == name) else {
            bail!("unknown chain {name}");
        };
        let base = opts.base_port + PORTS_PER_CHAIN * k as u16;
        written.push(one(name, chain_id, orgs, opts, base, &out.join(name))?);
    }
    for chain in &written {
        let others: Vec<&Registration> =
            written.iter().filter(|c| c.name != chain.name).map(|c| &c.registration).collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({ "chains": others }))?;
        fapiao_node::write_atomic(&chain.dir.join("registrations.json"), text.as_bytes())?;
    }
    let text = serde_json::to_string_pretty(&written)?;
    fapiao_node::write_atomic(&out.join("chains.json"), text.as_bytes())?;
    Ok(written)
}

/// Writes one chain under `dir`.
fn one(
    name: &str,
    chain_id: &str,
    orgs: &[Org],
    opts: &ChainsOptions,
    base_port: u16,
    dir: &Path,
) -> Result<WrittenChain> {
    let validators = opts.validators;
    let consensus = ConsensusParams {
        block_interval_ms: opts.block_interval_ms,
        leader_timeout_ms: (opts.block_interval_ms * 4).max(1_000),
        notarization_timeout_ms: (opts.block_interval_ms * 6).max(1_500),
        ..ConsensusParams::default()
    };
    std::fs::create_dir_all(dir.join("admins"))?;
    let mut organisations = Vec::with_capacity(orgs.len());
    for (n, (id, display, kind)) in orgs.iter().enumerate() {
        let admin = fapiao_crypto::SigningKey::generate(opts.suite, &mut rand_core::OsRng);
        fapiao_keystore::write_key_file(dir.join("admins").join(format!("{id}.json")), &admin)?;
        let tax_id = if *kind == OrgKind::Enterprise {
            Some(crate::init::enterprise_tax_id(n + 1)?)
        } else {
            None
        };
        organisations.push(GenesisOrg {
            id: (*id).to_string(),
            name: (*display).to_string(),
            kind: *kind,
            tax_id,
            admins: vec![GenesisAdmin {
                name: format!("{id} admin"),
                suite: opts.suite.as_str().into(),
                public_key: admin.public_key().to_hex(),
            }],
        });
    }
    let mut vals = Vec::with_capacity(validators);
    for i in 0..validators {
        let node = dir.join(format!("node{i}"));
        std::fs::create_dir_all(&node)?;
        let public = fapiao_keystore::generate_validator_key(node.join("validator.key"))?;
        vals.push(GenesisValidator {
            name: format!("{name}-validator-{i}"),
            org: orgs[i % orgs.len()].0.to_string(),
            public_key: hex::encode(public),
            p2p_address: SocketAddr::from(([127, 0, 0, 1], base_port + i as u16)).to_string(),
        });
    }
    let threshold = match opts.governance_threshold {
        Some(t) if t == 0 || t as usize > orgs.len() => {
            bail!("--governance-threshold must be between 1 and {} for chain {name}", orgs.len())
        }
        Some(t) => t,
        None => orgs.len() as u32 / 2 + 1,
    };
    let mut genesis = Genesis {
        chain_id: chain_id.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: fapiao_node::now_ms(),
        consensus,
        organisations,
        validators: vals,
        demo: false,
        governance: Default::default(),
        params: Default::default(),
    };
    genesis.governance.threshold = threshold;
    // A chain that keeps salted commitments (the tax summary, ADR 0012; the industry
    // figures, ADR 0014) gets one random chain secret, written into every validator's
    // secrets directory and pinned by the genesis.
    let secret = SECRET_PINS.iter().find(|(n, _)| *n == name).map(|(_, param)| {
        let mut s = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut s);
        let (id, value) = match *param {
            "invoice/tax-summary" => fapiao_node::chain_secret::genesis_param(&s),
            other => (
                other.to_string(),
                serde_json::json!({ "secret_id": hex::encode(fapiao_types::commit::secret_id(&s)) }),
            ),
        };
        genesis.params.insert(id, value);
        s
    });
    genesis.validate()?;
    let mut nodes = Vec::with_capacity(validators);
    for i in 0..validators {
        let http = SocketAddr::from(([127, 0, 0, 1], base_port + 100 + i as u16));
        if let Some(s) = &secret {
            fapiao_node::chain_secret::write(&dir.join(format!("node{i}/secrets")), s)?;
        }
        let cfg = NodeConfig {
            validator_key: Some(PathBuf::from("validator.key")),
            secrets_dir: secret.is_some().then(|| PathBuf::from("secrets")),
            peers: (0..validators)
                .filter(|&j| j != i)
                .map(|j| fapiao_demo::network::http_url(base_port, j))
                .collect(),
            ..NodeConfig::local(PathBuf::from("data"), PathBuf::from("../genesis.json"), http)
        };
        let path = dir.join(format!("node{i}/config.toml"));
        fapiao_node::write_atomic(&path, cfg.to_toml()?.as_bytes())?;
        nodes.push(path);
    }
    fapiao_node::write_atomic(&dir.join("genesis.json"), genesis.to_json().as_bytes())?;
    Ok(WrittenChain {
        name: name.to_string(),
        dir: dir.to_path_buf(),
        registration: registration(&genesis)?,
        api: (0..validators).map(|i| fapiao_demo::network::http_url(base_port, i)).collect(),
        nodes,
    })
}

/// How another chain registers the chain of `genesis`: its genesis header digest is
/// computed by opening the genesis state in memory, as a node does.
///
/// # Errors
/// When the genesis does not open.
pub fn registration(genesis: &Genesis) -> Result<Registration> {
    let ledger = fapiao_ledger::Ledger::open(fapiao_ledger::MemStore::new(), genesis.clone())
        .context("opening the genesis state")?;
    Ok(Registration {
        chain_id: genesis.chain_id.clone(),
        genesis_hash: hex::encode(ledger.tip().header.digest()),
        validators: genesis.validators.iter().map(|v| v.public_key.clone()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ChainsOptions {
        ChainsOptions {
            validators: 1,
            suite: Suite::Ed25519,
            base_port: 27_000,
            block_interval_ms: 500,
            governance_threshold: None,
        }
    }

    #[test]
    fn three_chains_have_their_own_ids_genesis_validators_and_ports_and_list_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let names = parse("tax,finance,industry").unwrap();
        let chains = init(&names, &opts(), dir.path()).unwrap();
        assert_eq!(chains.len(), 3);
        let mut ports = Vec::new();
        let mut hashes = Vec::new();
        for c in &chains {
            let text = std::fs::read_to_string(c.dir.join("genesis.json")).unwrap();
            let g = Genesis::from_json(&text).unwrap();
            assert_eq!(g.chain_id, c.registration.chain_id);
            assert_eq!(registration(&g).unwrap().genesis_hash, c.registration.genesis_hash);
            assert_eq!(g.validators.len(), 1);
            let majority = g.organisations.len() as u32 / 2 + 1;
            assert_eq!(g.governance.threshold, majority, "a majority of the organisations");
            for node in &c.nodes {
                let cfg = NodeConfig::load(node).unwrap();
                ports.push(cfg.http.port());
            }
            for v in &g.validators {
                ports.push(v.p2p_address.parse::<SocketAddr>().unwrap().port());
            }
            hashes.push(c.registration.genesis_hash.clone());
            let reg: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(c.dir.join("registrations.json")).unwrap(),
            )
            .unwrap();
            let listed: Vec<&str> = reg["chains"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["chain_id"].as_str().unwrap())
                .collect();
            assert_eq!(listed.len(), 2);
            assert!(!listed.contains(&c.registration.chain_id.as_str()));
        }
        let kinds = |i: usize| {
            let text = std::fs::read_to_string(chains[i].dir.join("genesis.json")).unwrap();
            Genesis::from_json(&text).unwrap().organisations.iter().map(|o| o.kind).collect()
        };
        let tax: Vec<OrgKind> = kinds(0);
        assert_eq!(tax, [OrgKind::TaxAuthority, OrgKind::Platform]);
        let finance: Vec<OrgKind> = kinds(1);
        assert_eq!(finance, [OrgKind::Bank, OrgKind::CentralBank]);
        let industry: Vec<OrgKind> = kinds(2);
        assert_eq!(
            industry,
            [OrgKind::Platform, OrgKind::Utility, OrgKind::SocialSecurity, OrgKind::Logistics]
        );
        // The industry chain pins the secret its nodes keep; the others pin none.
        let g = Genesis::from_json(
            &std::fs::read_to_string(chains[2].dir.join("genesis.json")).unwrap(),
        )
        .unwrap();
        let node = NodeConfig::load(&chains[2].nodes[0]).unwrap();
        let kept = std::fs::read_to_string(node.secrets_dir.unwrap().join("chain-secret")).unwrap();
        let kept: [u8; 32] = hex::decode(kept.trim()).unwrap().try_into().unwrap();
        assert_eq!(
            g.params["industry/secret"]["secret_id"],
            hex::encode(fapiao_types::commit::secret_id(&kept))
        );
        assert!(chains[..2].iter().all(|c| !c.dir.join("node0/secrets").exists()));
        let mut unique = ports.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ports.len(), "ports collide: {ports:?}");
        hashes.sort();
        hashes.dedup();
        assert_eq!(hashes.len(), 3);
        assert!(dir.path().join("chains.json").exists());
        let again = init(&names, &opts(), dir.path()).unwrap_err().to_string();
        assert!(again.contains("already holds a network"), "{again}");
    }

    /// The tax chain pins one chain secret that every one of its validators holds; the
    /// other chains pin none and their nodes hold none.
    #[test]
    fn the_tax_chain_pins_the_secret_its_validators_hold() {
        let dir = tempfile::tempdir().unwrap();
        let names = parse("tax,finance").unwrap();
        let chains = init(&names, &ChainsOptions { validators: 2, ..opts() }, dir.path()).unwrap();
        for c in &chains {
            let g =
                Genesis::from_json(&std::fs::read_to_string(c.dir.join("genesis.json")).unwrap())
                    .unwrap();
            let mut secrets = Vec::new();
            for node in &c.nodes {
                let cfg = NodeConfig::load(node).unwrap();
                let secret = fapiao_node::chain_secret::load(cfg.secrets_dir.as_deref()).unwrap();
                let ledger =
                    fapiao_ledger::Ledger::open(fapiao_ledger::MemStore::new(), g.clone()).unwrap();
                let ledger =
                    fapiao_node::chain_secret::attach(ledger, cfg.secrets_dir.as_deref()).unwrap();
                assert_eq!(ledger.chain_secret(), secret.as_ref());
                secrets.push(secret);
            }
            if c.name == "tax" {
                assert!(g.params.contains_key("invoice/tax-summary"));
                assert!(secrets[0].is_some() && secrets.iter().all(|s| *s == secrets[0]));
            } else {
                assert!(g.params.is_empty() && secrets.iter().all(Option::is_none));
            }
        }
    }

    #[test]
    fn chain_names_are_known_and_unique() {
        assert!(parse("tax,tax").is_err());
        assert!(parse("tax,bank").is_err());
        assert!(parse("").is_err());
        assert_eq!(parse("finance, tax").unwrap(), ["finance", "tax"]);
    }
}
