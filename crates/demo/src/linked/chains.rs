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
//!
//! With [`ChainsOptions::demo`] (what `fapiao demo --cross-chain` writes) each genesis
//! is marked `demo`, the tax and industry chains gain the enterprise Huawei (its
//! attesters on the industry chain are the utilities' and the social-security office's
//! demo members), and node 0 of every chain
//! keeps the chain's member keys in a keystore with API tokens, listed in
//! `DIR/<chain>/identities.json` (the pages' sign-in), beside a `demo.toml` that makes
//! `fapiao node` serve that file and seed nothing.

use crate::{Error, Identity, Result, DEMO_PASSPHRASE};
use fapiao_keystore::{Keystore, TokenStore};
use fapiao_node::NodeConfig;
use fapiao_types::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisOrg, GenesisValidator, OrgKind, Role, Suite,
};
use serde::{Deserialize, Serialize};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// Ports reserved per chain: chain `k` uses `base_port + k * PORTS_PER_CHAIN + i` for
/// peer-to-peer and 100 above for HTTP.
pub const PORTS_PER_CHAIN: u16 = 200;

/// One organisation of a chain: id, display name, kind, taxpayer id (an enterprise
/// without one gets a generated one).
type Org = (&'static str, &'static str, OrgKind, Option<&'static str>);

/// One member account the demo adds to a chain: organisation, name, roles, suite.
pub type Member = (&'static str, &'static str, &'static [Role], Suite);

/// A chain `--chains` knows.
struct Known {
    /// Its name (`tax`).
    name: &'static str,
    /// Its chain id.
    chain_id: &'static str,
    /// Its organisations (validators are run by them in this order).
    orgs: &'static [Org],
    /// Organisations only the demo adds.
    demo_orgs: &'static [Org],
    /// Member accounts only the demo adds (created on chain by the demo's seeding).
    demo_members: &'static [Member],
}

/// Huawei's published USCC, the enterprise of the demo's loan story.
pub const HUAWEI: &str = "914403001922038216";

/// The chains `--chains` knows.
const KNOWN: &[Known] = &[
    Known {
        name: "tax",
        chain_id: "fapiao-tax",
        orgs: &[
            ("tax-bureau", "税务局 (tax bureau)", OrgKind::TaxAuthority, None),
            ("platform", "平台运营方 (platform operator)", OrgKind::Platform, None),
        ],
        demo_orgs: &[("huawei", "华为技术有限公司", OrgKind::Enterprise, Some(HUAWEI))],
        demo_members: &[
            ("tax-bureau", "Officer Chen", &[Role::TaxOfficer], Suite::Sm2),
            ("huawei", "Huawei finance office", &[Role::EnterpriseFinance], Suite::Sm2),
            ("huawei", "Huawei invoicing", &[Role::MerchantIssuer], Suite::Ed25519),
        ],
    },
    Known {
        name: "finance",
        chain_id: "fapiao-finance",
        orgs: &[
            ("sz-bank", "深圳银行 (Shenzhen bank)", OrgKind::Bank, None),
            (
                "regulator",
                "人民银行分支机构 (central bank branch, the regulator)",
                OrgKind::CentralBank,
                None,
            ),
        ],
        demo_orgs: &[],
        demo_members: &[
            ("sz-bank", "Loan officer", &[Role::BankOfficer], Suite::Sm2),
            // The relayers' accounts: any account submits headers; no role.
            ("sz-bank", RELAYER_TAX, &[], Suite::Ed25519),
            ("regulator", RELAYER_INDUSTRY, &[], Suite::Ed25519),
        ],
    },
    Known {
        name: "industry",
        chain_id: "fapiao-industry",
        orgs: &[
            ("park-operator", "产业园区运营方 (industrial park operator)", OrgKind::Platform, None),
            ("power-utility", "供电公司 (power utility)", OrgKind::Utility, None),
            (
                "social-security",
                "社会保险经办机构 (social-security office)",
                OrgKind::SocialSecurity,
                None,
            ),
            ("logistics", "物流公司 (logistics operator)", OrgKind::Logistics, None),
        ],
        demo_orgs: &[("huawei", "华为技术有限公司", OrgKind::Enterprise, Some(HUAWEI))],
        demo_members: &[
            ("park-operator", PARK_OFFICER, &[Role::IndustryAttester], Suite::Sm2),
            ("power-utility", METER_READER, &[Role::IndustryAttester], Suite::Sm2),
            ("social-security", SOCIAL_SECURITY_CLERK, &[Role::IndustryAttester], Suite::Sm2),
            ("logistics", LOGISTICS_DISPATCHER, &[Role::IndustryAttester], Suite::Ed25519),
            // Huawei reads its figures and takes the package it hands the bank.
            ("huawei", "Huawei finance office", &[Role::EnterpriseFinance], Suite::Sm2),
        ],
    },
];

/// The industry chain's park officer (registers the park's enterprises).
pub const PARK_OFFICER: &str = "Park officer";
/// The power utility's attester (electricity use).
pub const METER_READER: &str = "Power utility meter reader";
/// The social-security office's attester (insured headcount).
pub const SOCIAL_SECURITY_CLERK: &str = "Social-security clerk";
/// The logistics operator's attester (logistics volume).
pub const LOGISTICS_DISPATCHER: &str = "Logistics dispatcher";

/// Chains whose applications commit under a chain secret, with the parameter pinning it:
/// `init` generates one secret per such chain, writes it to every node's
/// `secrets/chain-secret` (hex, mode 0600) and pins its `secret_id` in the genesis.
const SECRET_PINS: &[(&str, &str)] =
    &[("tax", "invoice/tax-summary"), ("industry", "industry/secret")];

/// The demo account the tax → finance relayer submits with (a member of the bank).
pub const RELAYER_TAX: &str = "Relayer tax-finance";
/// The demo account the industry → finance relayer submits with (a member of the
/// regulator).
pub const RELAYER_INDUSTRY: &str = "Relayer industry-finance";

/// The member accounts the demo adds to chain `name` (none for an unknown name).
pub fn demo_members(name: &str) -> &'static [Member] {
    KNOWN.iter().find(|k| k.name == name).map_or(&[], |k| k.demo_members)
}

/// One chain as another chain registers it (an entry of the `crosschain/chains`
/// parameter).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Registration {
    /// Its chain id text.
    pub chain_id: String,
    /// Hex of its genesis header digest.
    pub genesis_hash: String,
    /// Hex of its validators' Ed25519 keys, genesis order.
    pub validators: Vec<String>,
}

/// One written chain.
#[derive(Clone, Debug, Serialize, Deserialize)]
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
        let Some(known) = KNOWN.iter().find(|k| k.name == n) else {
            return Err(layout(format!(
                "--chains: unknown chain {n:?} (known: tax, finance, industry)"
            )));
        };
        if names.contains(&known.name) {
            return Err(layout(format!("--chains: {n} given twice")));
        }
        names.push(known.name);
    }
    if names.is_empty() {
        return Err(layout("--chains: name at least one chain".into()));
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
    /// The cross-chain demo's additions (see the module docs).
    pub demo: bool,
}

fn layout(m: String) -> Error {
    Error::Layout(m)
}

/// Writes the chains `names` under `out` (see the module docs).
///
/// # Errors
/// When `out` already holds one of them, or a file cannot be written.
pub fn init(names: &[&str], opts: &ChainsOptions, out: &Path) -> Result<Vec<WrittenChain>> {
    if opts.validators == 0 || opts.validators > 64 {
        return Err(layout("--validators must be between 1 and 64".into()));
    }
    let last_base = u32::from(opts.base_port) + u32::from(PORTS_PER_CHAIN) * names.len() as u32;
    if last_base > u32::from(u16::MAX) {
        return Err(layout(format!("--base-port is too high for {} chains", names.len())));
    }
    for name in names {
        if out.join(name).join("genesis.json").exists() {
            return Err(layout(format!(
                "{} already holds a network (genesis.json exists)",
                out.join(name).display()
            )));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let out = &out.canonicalize().map_err(|e| Error::io(out, e))?;
    let mut written = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        let Some(known) = KNOWN.iter().find(|n| n.name == *name) else {
            return Err(layout(format!("unknown chain {name}")));
        };
        let base = opts.base_port + PORTS_PER_CHAIN * k as u16;
        written.push(one(known, opts, base, &out.join(name))?);
    }
    for chain in &written {
        let others: Vec<&Registration> =
            written.iter().filter(|c| c.name != chain.name).map(|c| &c.registration).collect();
        let text = json_text(&serde_json::json!({ "chains": others }))?;
        fapiao_node::write_atomic(&chain.dir.join("registrations.json"), text.as_bytes())?;
    }
    let text = json_text(&written)?;
    fapiao_node::write_atomic(&out.join("chains.json"), text.as_bytes())?;
    Ok(written)
}

fn json_text(v: &impl Serialize) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| layout(e.to_string()))
}

/// Reads `DIR/chains.json` as [`init`] wrote it.
///
/// # Errors
/// A missing or unreadable file.
pub fn load(out: &Path) -> Result<Vec<WrittenChain>> {
    let path = out.join("chains.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| layout(format!("{}: {e}", path.display())))
}

/// The taxpayer id of enterprise `n` of a chain without a declared one: a
/// check-digit-valid USCC (Shenzhen, organisation code `n` in eight digits). A
/// taxpayer's issuers are accounts of its own organisation, so an enterprise needs its
/// taxpayer id in genesis.
fn enterprise_tax_id(n: usize) -> Result<fapiao_types::Uscc> {
    fapiao_invoice_rules::Uscc::from_parts('9', '1', "440300", &format!("{n:08}"))
        .map_err(|e| layout(format!("taxpayer id of enterprise {n}: {e}")))
}

/// Writes one chain under `dir`.
fn one(known: &Known, opts: &ChainsOptions, base_port: u16, dir: &Path) -> Result<WrittenChain> {
    let (name, chain_id) = (known.name, known.chain_id);
    let mut orgs: Vec<Org> = known.orgs.to_vec();
    if opts.demo {
        orgs.extend_from_slice(known.demo_orgs);
    }
    let validators = opts.validators;
    let consensus = ConsensusParams {
        block_interval_ms: opts.block_interval_ms,
        leader_timeout_ms: (opts.block_interval_ms * 4).max(1_000),
        notarization_timeout_ms: (opts.block_interval_ms * 6).max(1_500),
        ..ConsensusParams::default()
    };
    let admins_dir = dir.join("admins");
    std::fs::create_dir_all(&admins_dir).map_err(|e| Error::io(&admins_dir, e))?;
    let mut organisations = Vec::with_capacity(orgs.len());
    let mut admin_keys = Vec::with_capacity(orgs.len());
    for (n, (id, display, kind, declared)) in orgs.iter().enumerate() {
        let admin = fapiao_crypto::SigningKey::generate(opts.suite, &mut rand_core::OsRng);
        fapiao_keystore::write_key_file(admins_dir.join(format!("{id}.json")), &admin)?;
        let tax_id = match (declared, *kind == OrgKind::Enterprise) {
            (Some(t), _) => Some(
                t.parse().map_err(|e: fapiao_values::Error| layout(format!("tax id {t}: {e}")))?,
            ),
            (None, true) => Some(enterprise_tax_id(n + 1)?),
            (None, false) => None,
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
        admin_keys.push(admin);
    }
    let mut vals = Vec::with_capacity(validators);
    for i in 0..validators {
        let node = dir.join(format!("node{i}"));
        std::fs::create_dir_all(&node).map_err(|e| Error::io(&node, e))?;
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
            return Err(layout(format!(
                "--governance-threshold must be between 1 and {} for chain {name}",
                orgs.len()
            )))
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
        demo: opts.demo,
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
        let custody = opts.demo && i == 0;
        let secrets = dir.join(format!("node{i}/secrets"));
        match &secret {
            Some(s) => fapiao_node::chain_secret::write(&secrets, s)?,
            // Every node keeps private files of its own there (a bank's openings).
            None => std::fs::create_dir_all(&secrets).map_err(|e| Error::io(&secrets, e))?,
        }
        let cfg = NodeConfig {
            validator_key: Some(PathBuf::from("validator.key")),
            secrets_dir: Some(PathBuf::from("secrets")),
            keystore: custody.then(|| PathBuf::from("keystore.json")),
            keystore_passphrase: custody.then(|| DEMO_PASSPHRASE.into()),
            peers: (0..validators)
                .filter(|&j| j != i)
                .map(|j| crate::network::http_url(base_port, j))
                .collect(),
            ..NodeConfig::local(PathBuf::from("data"), PathBuf::from("../genesis.json"), http)
        };
        let path = dir.join(format!("node{i}/config.toml"));
        fapiao_node::write_atomic(&path, cfg.to_toml()?.as_bytes())?;
        nodes.push(path);
    }
    if opts.demo {
        let api = crate::network::http_url(base_port, 0);
        demo_custody(known, &orgs, &admin_keys, dir, &api)?;
    }
    fapiao_node::write_atomic(&dir.join("genesis.json"), genesis.to_json().as_bytes())?;
    Ok(WrittenChain {
        name: name.to_string(),
        dir: dir.to_path_buf(),
        registration: registration(&genesis)?,
        api: (0..validators).map(|i| crate::network::http_url(base_port, i)).collect(),
        nodes,
    })
}

/// The demo's custody on node 0 of a chain: every admin and demo member key in its
/// keystore (member keys also as files under `demo/keys/`), an API token each, the
/// identities in `identities.json`, and `node0/demo.toml` serving them.
fn demo_custody(
    known: &Known,
    orgs: &[Org],
    admin_keys: &[fapiao_crypto::SigningKey],
    dir: &Path,
    api: &str,
) -> Result<()> {
    let node = dir.join("node0");
    let mut keystore = Keystore::create(node.join("keystore.json"), DEMO_PASSPHRASE)?;
    let mut tokens = TokenStore::open_or_create(node.join("tokens.json"))?;
    let keys = dir.join("demo").join("keys");
    std::fs::create_dir_all(&keys).map_err(|e| Error::io(&keys, e))?;
    let mut identities = Vec::new();
    let mut add = |org: &Org,
                   name: &str,
                   roles: &[Role],
                   key: &fapiao_crypto::SigningKey,
                   file: PathBuf|
     -> Result<()> {
        keystore.insert(name, key)?;
        let (token, _) = tokens.create(key.account_id(), name, fapiao_node::now_ms())?;
        identities.push(Identity {
            name: name.to_string(),
            org: org.0.into(),
            org_kind: org.2.as_str().into(),
            roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
            account: key.account_id().to_string(),
            suite: key.suite().as_str().into(),
            token,
            node: api.to_string(),
            key_file: file.display().to_string(),
            tax_id: org.3.map(str::to_string),
        });
        Ok(())
    };
    for (org, key) in orgs.iter().zip(admin_keys) {
        let file = dir.join("admins").join(format!("{}.json", org.0));
        add(org, &format!("{} admin", org.0), &[Role::OrgAdmin], key, file)?;
    }
    for (org_id, name, roles, suite) in known.demo_members {
        let org = orgs
            .iter()
            .find(|o| o.0 == *org_id)
            .ok_or_else(|| layout(format!("demo member {name}: no organisation {org_id}")))?;
        let key = fapiao_crypto::SigningKey::generate(*suite, &mut rand_core::OsRng);
        let file = crate::key_file(dir, name);
        fapiao_keystore::write_key_file(&file, &key)?;
        add(org, name, roles, &key, file)?;
    }
    fapiao_node::write_atomic(&dir.join("identities.json"), json_text(&identities)?.as_bytes())?;
    let seeder = "# `fapiao demo --cross-chain`: serve DIR/identities.json (the pages' sign-in);\n\
                  # the demo seeds this chain over the API, so this node seeds nothing.\n\
                  dir = \"..\"\nseed = false\n";
    fapiao_node::write_atomic(&node.join(crate::network::SEEDER_FILE), seeder.as_bytes())?;
    Ok(())
}

/// How another chain registers the chain of `genesis`: its genesis header digest is
/// computed by opening the genesis state in memory, as a node does.
///
/// # Errors
/// When the genesis does not open.
pub fn registration(genesis: &Genesis) -> Result<Registration> {
    let ledger = fapiao_ledger::Ledger::open(fapiao_ledger::MemStore::new(), genesis.clone())?;
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
            demo: false,
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
        // The tax and industry chains pin the secret their nodes keep; finance pins none.
        for (i, param) in [(0, "invoice/tax-summary"), (2, "industry/secret")] {
            let g = Genesis::from_json(
                &std::fs::read_to_string(chains[i].dir.join("genesis.json")).unwrap(),
            )
            .unwrap();
            let node = NodeConfig::load(&chains[i].nodes[0]).unwrap();
            let dir = chains[i].nodes[0].parent().unwrap().join(node.secrets_dir.unwrap());
            let kept = fapiao_node::chain_secret::load(Some(&dir)).unwrap().unwrap();
            assert_eq!(
                g.params[param]["secret_id"],
                hex::encode(fapiao_types::commit::secret_id(&kept))
            );
        }
        assert!(!chains[1].dir.join("node0/secrets/chain-secret").exists());
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

    #[test]
    fn the_demo_layout_adds_huawei_custody_and_identities_that_open() {
        let dir = tempfile::tempdir().unwrap();
        let names = parse("tax,finance,industry").unwrap();
        let chains = init(&names, &ChainsOptions { demo: true, ..opts() }, dir.path()).unwrap();
        let genesis = |i: usize| {
            let text = std::fs::read_to_string(chains[i].dir.join("genesis.json")).unwrap();
            Genesis::from_json(&text).unwrap()
        };
        let tax = genesis(0);
        assert!(tax.demo);
        let huawei = tax.organisations.iter().find(|o| o.id == "huawei").unwrap();
        assert_eq!(huawei.tax_id.unwrap().to_string(), HUAWEI);
        assert_eq!(tax.governance.threshold, 2, "a majority of three organisations");
        let finance = genesis(1);
        let ids: Vec<&str> = finance.organisations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["sz-bank", "regulator"]);
        // Huawei is an enterprise of the park too, with its taxpayer id (its node hands it
        // its operating package), and every metric has its attester.
        let industry = genesis(2);
        let huawei = industry.organisations.iter().find(|o| o.id == "huawei").unwrap();
        assert_eq!(
            (huawei.kind, huawei.tax_id.unwrap().to_string()),
            (OrgKind::Enterprise, HUAWEI.into())
        );
        assert_eq!(industry.governance.threshold, 3, "a majority of five organisations");
        let attesters: Vec<&str> = demo_members("industry")
            .iter()
            .filter(|m| m.2.contains(&Role::IndustryAttester))
            .map(|m| m.0)
            .collect();
        assert_eq!(attesters, ["park-operator", "power-utility", "social-security", "logistics"]);
        for c in &chains {
            let node = c.dir.join("node0");
            let cfg = NodeConfig::load(&node.join("config.toml")).unwrap();
            assert!(cfg.keystore.is_some() && cfg.keystore_passphrase.is_some());
            let ks = Keystore::open(node.join("keystore.json"), DEMO_PASSPHRASE).unwrap();
            let text = std::fs::read_to_string(c.dir.join("identities.json")).unwrap();
            let identities: Vec<Identity> = serde_json::from_str(&text).unwrap();
            let members = demo_members(&c.name);
            let orgs = genesis(chains.iter().position(|x| x.name == c.name).unwrap());
            assert_eq!(identities.len(), orgs.organisations.len() + members.len());
            for id in &identities {
                let key = fapiao_keystore::read_key_file(&id.key_file).unwrap();
                assert_eq!(key.account_id().to_string(), id.account, "{}", id.name);
                assert_eq!(ks.find(&id.name), Some(key.account_id()), "{} in custody", id.name);
                assert_eq!(id.node, c.api[0]);
            }
            let seeder = std::fs::read_to_string(node.join(crate::network::SEEDER_FILE)).unwrap();
            assert!(seeder.contains("seed = false"), "{seeder}");
            let options = crate::network::node_options(&node.join("config.toml"), &node).unwrap();
            assert!(options.hook.is_none(), "a linked chain's node seeds nothing");
            assert!(options.static_files.iter().any(|(url, path)| url == "/demo/identities.json"
                && *path == node.join("..").join("identities.json")));
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
