//! The demo consortium: one validator run by the tax bureau, and the organisations of
//! the Shenzhen story — tax bureau, metro operator, restaurant, payment platform with a
//! consumer, an enterprise, a bank, an insurer and a village collective — seeded on
//! first start by signed transactions, their identities written to
//! `DIR/demo/identities.json`.
//!
//! The demo keystore passphrase is fixed and printed ([`DEMO_PASSPHRASE`]): a demo is
//! not a deployment.

use crate::{Error, NodeConfig, NodeHandle, Result};
use fapiao_crypto::SigningKey;
use fapiao_keystore::Keystore;
use fapiao_types::{
    Action, ConsensusParams, Genesis, GenesisAdmin, GenesisOrg, GenesisValidator, NewAccount,
    OrgKind, Role, SignedTx, Suite, Tx,
};
use serde::{Deserialize, Serialize};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

/// The demo's keystore passphrase (printed by `fapiao demo`; never use it for real keys).
pub const DEMO_PASSPHRASE: &str = "fapiao-demo-passphrase";
/// The demo chain id.
pub const DEMO_CHAIN_ID: &str = "fapiao-demo";

/// One member account the demo creates.
pub struct DemoMember {
    /// Display name (also its keystore entry name).
    pub name: &'static str,
    /// Roles.
    pub roles: &'static [Role],
    /// Suite.
    pub suite: Suite,
}

/// One demo organisation.
pub struct DemoOrg {
    /// Id.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// Kind.
    pub kind: OrgKind,
    /// Taxpayer id (USCC), where it has one.
    pub tax_id: &'static str,
    /// Members beyond the admin.
    pub members: &'static [DemoMember],
}

const fn m(name: &'static str, roles: &'static [Role], suite: Suite) -> DemoMember {
    DemoMember { name, roles, suite }
}

/// The demo consortium. Tax ids are check-digit-valid USCCs; the platform and the
/// enterprise use the published codes of Tencent (Shenzhen) and Huawei.
pub const DEMO_ORGS: &[DemoOrg] = &[
    DemoOrg {
        id: "sz-tax",
        name: "国家税务总局深圳市税务局",
        kind: OrgKind::TaxAuthority,
        tax_id: "",
        members: &[m("Officer Chen", &[Role::TaxOfficer], Suite::Sm2)],
    },
    DemoOrg {
        id: "sz-metro",
        name: "深圳市地铁集团有限公司",
        kind: OrgKind::Enterprise,
        tax_id: "914403002796543264",
        members: &[
            m("Metro ticketing", &[Role::MerchantIssuer], Suite::Ed25519),
            m("Metro finance", &[Role::EnterpriseFinance], Suite::Ed25519),
        ],
    },
    DemoOrg {
        id: "old-street-restaurant",
        name: "深圳市老街餐饮有限公司",
        kind: OrgKind::Enterprise,
        tax_id: "91440300555012347H",
        members: &[m("Restaurant POS", &[Role::MerchantIssuer], Suite::Ed25519)],
    },
    DemoOrg {
        id: "wechat-pay",
        name: "深圳市腾讯计算机系统有限公司",
        kind: OrgKind::Platform,
        tax_id: "91440300708461136T",
        members: &[
            m("Payments gateway", &[Role::PlatformPayments], Suite::Ed25519),
            m("Li Wei", &[Role::Consumer], Suite::Ed25519),
        ],
    },
    DemoOrg {
        id: "huawei",
        name: "华为技术有限公司",
        kind: OrgKind::Enterprise,
        tax_id: "914403001922038216",
        members: &[m("Huawei finance office", &[Role::EnterpriseFinance], Suite::Sm2)],
    },
    DemoOrg {
        id: "sz-bank",
        name: "深圳农村商业银行",
        kind: OrgKind::Bank,
        tax_id: "",
        members: &[m("Loan officer", &[Role::BankOfficer], Suite::Sm2)],
    },
    DemoOrg {
        id: "pingan-insurance",
        name: "中国平安财产保险深圳分公司",
        kind: OrgKind::Insurer,
        tax_id: "",
        members: &[m("Vehicle tax collector", &[Role::InsurerCollector], Suite::Ed25519)],
    },
    DemoOrg {
        id: "wutong-village",
        name: "梧桐村股份经济合作社",
        kind: OrgKind::Collective,
        tax_id: "",
        members: &[m("Collective manager", &[Role::CollectiveManager], Suite::Ed25519)],
    },
    // Three small companies whose books one agency keeps: each names the agency's clerk
    // as its own member (a taxpayer's issuers are accounts of its own organisation).
    DemoOrg {
        id: "jiayi-trading",
        name: SHELLS[0].1,
        kind: OrgKind::Enterprise,
        tax_id: SHELLS[0].0,
        members: &[m(SHELLS[0].2, &[Role::MerchantIssuer], Suite::Ed25519)],
    },
    DemoOrg {
        id: "bingding-tech",
        name: SHELLS[1].1,
        kind: OrgKind::Enterprise,
        tax_id: SHELLS[1].0,
        members: &[m(SHELLS[1].2, &[Role::MerchantIssuer], Suite::Ed25519)],
    },
    DemoOrg {
        id: "wuji-consulting",
        name: SHELLS[2].1,
        kind: OrgKind::Enterprise,
        tax_id: SHELLS[2].0,
        members: &[m(SHELLS[2].2, &[Role::MerchantIssuer], Suite::Ed25519)],
    },
];

/// Three small companies whose books the agency keeps — and which invoice each other in
/// a circle (A→B→C→A), the 虚开 pattern the risk rules flag.
const SHELLS: [(&str, &str, &str); 3] = [
    ("91440300MA5D1X2Q9B", "深圳市甲乙贸易有限公司", "Agency clerk 1"),
    ("91440300MA5EKL3R5J", "深圳市丙丁科技有限公司", "Agency clerk 2"),
    ("91440300MA5FNP7T5R", "深圳市戊己商务咨询有限公司", "Agency clerk 3"),
];

/// One line of `identities.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    /// Display name.
    pub name: String,
    /// Organisation id.
    pub org: String,
    /// Organisation kind.
    pub org_kind: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Account id (hex).
    pub account: String,
    /// Suite.
    pub suite: String,
    /// API token (bearer).
    pub token: String,
    /// API URL of the node holding its key.
    pub node: String,
    /// The member's key file (demo only), for client-side signing.
    pub key_file: String,
    /// The organisation's taxpayer id, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
}

/// A seeded identity: name, roles, key.
pub type Seeded = (String, Vec<Role>, SigningKey);

/// The keystore name of an organisation's admin key.
pub fn admin_name(org: &DemoOrg) -> String {
    format!("{} admin", org.id)
}

/// Where the demo keeps the key file of member `name` under `dir`.
pub fn key_file(dir: &Path, name: &str) -> PathBuf {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    dir.join("demo").join("keys").join(format!("{slug}.json"))
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
    Err(Error::Demo("no free port between 20000 and 32000".into()))
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
    for org in DEMO_ORGS {
        let name = admin_name(org);
        let account = match ks.find(&name) {
            Some(a) => a,
            None => ks.generate(&name, Suite::Ed25519)?.account,
        };
        let key = ks.get(&account).ok_or_else(|| Error::Demo(format!("{name} vanished")))?;
        let file = key_file(dir, &name);
        if !file.exists() {
            fapiao_keystore::write_key_file(&file, &key)?;
        }
        organisations.push(GenesisOrg {
            id: org.id.into(),
            name: org.name.into(),
            kind: org.kind,
            tax_id: org.tax_id.into(),
            admins: vec![GenesisAdmin {
                name,
                suite: key.suite().as_str().into(),
                public_key: key.public_key().to_hex(),
            }],
        });
    }
    let p2p = SocketAddr::from(([127, 0, 0, 1], free_port()?));
    let genesis = Genesis {
        chain_id: DEMO_CHAIN_ID.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: crate::now_ms(),
        consensus: ConsensusParams::default(),
        organisations,
        validators: vec![GenesisValidator {
            name: "sz-tax-validator-0".into(),
            org: "sz-tax".into(),
            public_key: hex::encode(validator_public),
            p2p_address: p2p.to_string(),
        }],
        demo: true,
    };
    genesis.validate()?;
    let genesis_path = dir.join("genesis.json");
    write_atomic(&genesis_path, genesis.to_json().as_bytes())?;
    let cfg = NodeConfig {
        data_dir: PathBuf::from("."),
        genesis: PathBuf::from("genesis.json"),
        validator_key: Some(PathBuf::from("validator.key")),
        node_key: None,
        http: SocketAddr::from(([127, 0, 0, 1], 8080)),
        p2p_listen: Some(p2p),
        keystore: Some(PathBuf::from("keystore.json")),
        keystore_passphrase: Some(DEMO_PASSPHRASE.into()),
        tokens: Some(PathBuf::from("tokens.json")),
        token_ttl_days: 90,
        mempool: Default::default(),
        wait_timeout_ms: 10_000,
        max_body_bytes: 1024 * 1024,
        limits: Default::default(),
        p2p: crate::P2pConfig::local_network(),
        peers: Vec::new(),
        demo_seed: None,
        tls: None,
    };
    // The config is written last: its presence marks a complete demo directory.
    write_atomic(&dir.join("config.toml"), cfg.to_toml()?.as_bytes())
}

/// Writes `bytes` to `path` through a temporary file and a rename.
///
/// # Errors
/// [`Error::Io`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

async fn submit_all_and_wait(h: &NodeHandle, txs: Vec<SignedTx>) -> Result<()> {
    let mut hashes = Vec::with_capacity(txs.len());
    for stx in txs {
        hashes.push(stx.hash());
        let size = commonware_codec::EncodeSize::encode_size(&stx);
        match h.admitter.submit(stx, size).await {
            Ok(_) => {}
            Err(r) if r.code == fapiao_ledger::codes::REPLAYED => {}
            Err(r) => return Err(Error::Demo(format!("seeding transaction refused: {r}"))),
        }
    }
    let mut executed = h.executed.clone();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    for hash in hashes {
        loop {
            if let Some(found) = h.ledger.transaction(&hash)? {
                if let fapiao_types::Outcome::Failed { code, message, .. } = found.receipt.outcome {
                    return Err(Error::Demo(format!(
                        "seeding transaction failed: {code}: {message}"
                    )));
                }
                break;
            }
            if tokio::time::timeout_at(deadline, executed.changed()).await.is_err() {
                return Err(Error::Demo("seeding transactions not executed within 60 s".into()));
            }
        }
    }
    Ok(())
}

/// Seeds the demo consortium (idempotently) and writes `DIR/demo/identities.json`.
/// Returns the identities.
///
/// # Errors
/// Keystore, token or transaction failures.
pub async fn seed(dir: &Path, h: &NodeHandle) -> Result<Vec<Identity>> {
    let identities_path = dir.join("demo").join("identities.json");
    if let Ok(text) = std::fs::read_to_string(&identities_path) {
        if let Ok(ids) = serde_json::from_str::<Vec<Identity>>(&text) {
            return Ok(ids);
        }
    }
    let node = format!("http://{}", h.http);
    let mut planned: Planned = Vec::new();
    for org in DEMO_ORGS {
        let admin_account = h
            .custody
            .find(&admin_name(org))
            .ok_or_else(|| Error::Demo(format!("admin key of {} missing", org.id)))?;
        let admin_key = h
            .custody
            .key(&admin_account)
            .ok_or_else(|| Error::Demo(format!("admin key of {} missing", org.id)))?;
        let mut members: Vec<Seeded> =
            vec![(admin_name(org), vec![Role::OrgAdmin], admin_key.clone())];
        for member in org.members {
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
    seed_chain(h, &planned).await?;
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
    let text = serde_json::to_string_pretty(&identities).map_err(|e| Error::Demo(e.to_string()))?;
    write_atomic(&identities_path, text.as_bytes())?;
    Ok(identities)
}

/// Every demo organisation with its members' keys, the admin first.
pub type Planned = Vec<(&'static DemoOrg, Vec<Seeded>)>;

/// Puts the demo consortium on chain by signed transactions (idempotently: what is
/// already there is not submitted again): member accounts, taxpayers and credit, then
/// the invoice story.
///
/// # Errors
/// A refused or failed seeding transaction, or one not executed within a minute.
pub async fn seed_chain(h: &NodeHandle, planned: &Planned) -> Result<()> {
    // First every add-account transaction, then one submission round and one wait:
    // seeding takes a block or two, not one block per member.
    let chain_id = h.ledger.genesis().chain_id.clone();
    let tip = h.ledger.tip().height;
    let mut pending: Vec<SignedTx> = Vec::new();
    for (_, members) in planned {
        let Some((_, _, admin_key)) = members.first() else { continue };
        for (name, roles, key) in &members[1..] {
            if h.ledger.account(&key.account_id())?.is_none() {
                let tx = Tx {
                    chain_id: chain_id.clone(),
                    sender: admin_key.public_key(),
                    nonce: rand_nonce(),
                    expiry: tip + 100,
                    action: Action::AddAccount(NewAccount {
                        public_key: key.public_key(),
                        name: name.clone(),
                        roles: roles.clone(),
                    }),
                };
                pending.push(admin_key.sign_tx(tx));
            }
        }
    }
    submit_all_and_wait(h, pending).await?;
    seed_taxpayers(h, planned).await?;
    seed_invoices(h, planned).await
}

/// Monthly credit granted to the demo's sellers, fen (500,000.00 and 200,000.00 yuan).
const DEMO_CREDIT: &[(&str, i64)] =
    &[("sz-metro", 50_000_000), ("old-street-restaurant", 20_000_000)];

fn key_named<'a>(planned: &'a Planned, name: &str) -> Result<&'a SigningKey> {
    planned
        .iter()
        .flat_map(|(_, ms)| ms.iter())
        .find(|(n, _, _)| n == name)
        .map(|(_, _, k)| k)
        .ok_or_else(|| Error::Demo(format!("no demo member {name}")))
}

fn signed(h: &NodeHandle, key: &SigningKey, action: Action) -> SignedTx {
    key.sign_tx(Tx {
        chain_id: h.ledger.genesis().chain_id.clone(),
        sender: key.public_key(),
        nonce: rand_nonce(),
        expiry: h.ledger.tip().height + 100,
        action,
    })
}

/// The tax bureau registers every demo organisation that has a taxpayer id, with its
/// issuing accounts, and grants the sellers their monthly credit — by signed
/// transactions of its officer, as in production. Idempotent.
async fn seed_taxpayers(h: &NodeHandle, planned: &Planned) -> Result<()> {
    use fapiao_types::{GrantCredit, RegisterTaxpayer, SellerType, StateKey, TaxpayerRecord};
    let officer = key_named(planned, "Officer Chen")?;
    let mut txs = Vec::new();
    for (org, members) in planned {
        if org.tax_id.is_empty() {
            continue;
        }
        let uscc = demo_uscc(org.tax_id)?;
        if h.ledger.get::<TaxpayerRecord>(&StateKey::Taxpayer(uscc))?.is_some() {
            continue;
        }
        let issuers = members
            .iter()
            .filter(|(_, roles, _)| roles.contains(&Role::MerchantIssuer))
            .map(|(_, _, k)| k.account_id())
            .collect();
        txs.push(signed(
            h,
            officer,
            Action::RegisterTaxpayer(RegisterTaxpayer {
                uscc,
                name: org.name.into(),
                region: "440300".into(),
                seller_type: SellerType::General,
                issuers,
            }),
        ));
    }
    submit_all_and_wait(h, txs).await?;
    let mut txs = Vec::new();
    for (id, credit) in DEMO_CREDIT {
        let org =
            DEMO_ORGS.iter().find(|o| o.id == *id).ok_or_else(|| Error::Demo(id.to_string()))?;
        let uscc = demo_uscc(org.tax_id)?;
        let current = h.ledger.get::<fapiao_types::CreditRecord>(&StateKey::Credit(uscc))?;
        if current.is_some_and(|c| c.monthly_ceiling == *credit) {
            continue;
        }
        txs.push(signed(
            h,
            officer,
            Action::GrantCredit(GrantCredit { uscc, monthly_ceiling: *credit }),
        ));
    }
    submit_all_and_wait(h, txs).await
}

/// A small deterministic generator for demo amounts (not for anything secret).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn item(sku: &str, amount: i64) -> fapiao_types::OrderItem {
    fapiao_types::OrderItem {
        sku: sku.into(),
        name: String::new(),
        tax_code: String::new(),
        rate: String::new(),
        amount,
    }
}

/// A few hundred invoices in every state, through the same transactions as real
/// traffic: catalogues and automatic issuing; payment orders recorded by the platform
/// and claimed by the consumer (issued at once); reimbursements accepted and rejected;
/// special invoices booked; a red reversal; and a circular ring among three companies.
/// Runs once (skipped when the restaurant's delegation exists).
async fn seed_invoices(h: &NodeHandle, planned: &Planned) -> Result<()> {
    use fapiao_types::{
        AutoIssueRecord, Buyer, BuyerKind, ClaimOrder, GrantCredit, Hash32, InvoiceBody,
        InvoiceKind, InvoiceRef, IssueInvoice, LineInput, RaiseRedForm, RecordOrder, RedReason,
        RejectReimbursement, SetAcceptedPlatforms, SetAutoIssue, SetCatalogueItem, StateKey,
        SubmitInvoice, Uscc,
    };
    const RESTAURANT: Uscc = Uscc::from_const("91440300555012347H");
    const METRO: Uscc = Uscc::from_const("914403002796543264");
    const HUAWEI: Uscc = Uscc::from_const("914403001922038216");
    if h.ledger.get::<AutoIssueRecord>(&StateKey::AutoIssue(RESTAURANT))?.is_some() {
        return Ok(());
    }
    let k = |name: &str| key_named(planned, name);
    let (pos, metro, gateway, li) =
        (k("Restaurant POS")?, k("Metro ticketing")?, k("Payments gateway")?, k("Li Wei")?);
    let (huawei, officer) = (k("Huawei finance office")?, k("Officer Chen")?);
    let catalogue =
        |key: &SigningKey, uscc: Uscc, sku: &str, name: &str, code: &str, rate: &str| {
            signed(
                h,
                key,
                Action::SetCatalogueItem(SetCatalogueItem {
                    uscc,
                    sku: sku.into(),
                    name: name.into(),
                    tax_code: code.into(),
                    rate: rate.into(),
                }),
            )
        };
    let accept = |key: &SigningKey, uscc: Uscc| {
        signed(
            h,
            key,
            Action::SetAcceptedPlatforms(SetAcceptedPlatforms {
                uscc,
                platforms: vec!["wechat-pay".into()],
            }),
        )
    };
    let auto = |key: &SigningKey, uscc: Uscc| {
        signed(
            h,
            key,
            Action::SetAutoIssue(SetAutoIssue {
                uscc,
                platform_org: "wechat-pay".into(),
                enabled: true,
            }),
        )
    };
    submit_all_and_wait(
        h,
        vec![
            catalogue(pos, RESTAURANT, "LUNCH", "*餐饮服务*餐费", "3070401000000000000", "0.06"),
            catalogue(pos, RESTAURANT, "COFFEE", "*餐饮服务*饮品", "3070401000000000000", "0.06"),
            catalogue(
                metro,
                METRO,
                "FARE",
                "*运输服务*城市轨道交通客运服务",
                "3010102020100000000",
                "0.09",
            ),
            accept(pos, RESTAURANT),
            accept(metro, METRO),
            auto(pos, RESTAURANT),
            auto(metro, METRO),
        ],
    )
    .await?;

    // Payment orders, recorded by the platform as consumers pay.
    let mut rng = Lcg(20_181_010);
    let mut orders = Vec::new();
    let mut order_txs = Vec::new();
    for i in 0..220u64 {
        let (merchant, items) = if i % 4 == 0 {
            let lunch = 3_000 + 100 * rng.next(170) as i64;
            let coffee = if i % 8 == 0 { 1_800 } else { 0 };
            let mut items = vec![item("LUNCH", lunch)];
            if coffee > 0 {
                items.push(item("COFFEE", coffee));
            }
            (RESTAURANT, items)
        } else {
            (METRO, vec![item("FARE", 200 + 100 * rng.next(8) as i64)])
        };
        let code = format!("demo-{i:04}-{:016x}", rand_nonce());
        let amount = items.iter().map(|it| it.amount).sum();
        let tx = signed(
            h,
            gateway,
            Action::RecordOrder(RecordOrder {
                merchant,
                amount,
                items,
                claim_code_hash: fapiao_types::sha256(code.as_bytes()),
            }),
        );
        orders.push((tx.hash(), code));
        order_txs.push(tx);
    }
    submit_all_and_wait(h, order_txs).await?;

    // Li Wei claims most of them: issued at once into his wallet. The rest stay open.
    let person =
        Buyer { kind: BuyerKind::Person, name: "李伟".into(), tax_id: None, holder: None };
    let employer = Buyer {
        kind: BuyerKind::Enterprise,
        name: "华为技术有限公司".into(),
        tax_id: Some(HUAWEI),
        holder: None,
    };
    let mut claims = Vec::new();
    for (i, (order, code)) in orders.iter().enumerate().take(180) {
        // Meals are claimed with the employer's title for reimbursement.
        let buyer = if i % 4 == 0 { employer.clone() } else { person.clone() };
        claims.push(signed(
            h,
            li,
            Action::ClaimOrder(ClaimOrder {
                order_id: *order,
                claim_code: code.clone(),
                kind: InvoiceKind::Ordinary,
                buyer,
                salt: rand_salt(),
            }),
        ));
    }
    let claim_hashes: Vec<Hash32> = claims.iter().map(SignedTx::hash).collect();
    submit_all_and_wait(h, claims).await?;
    let mut meals = Vec::new();
    for hash in &claim_hashes {
        if let Some(number) = h.ledger.transaction(hash)?.and_then(|f| f.receipt.output.invoice()) {
            let body: Option<InvoiceBody> = h.ledger.get(&StateKey::InvoiceBody(number))?;
            if body.is_some_and(|b| b.buyer.tax_id == Some(HUAWEI)) {
                meals.push(number);
            }
        }
    }

    // Li Wei hands meal invoices to Huawei: most reimbursed, a few rejected, some pending.
    let submit = |number| SubmitInvoice { number, enterprise: HUAWEI };
    let submits =
        meals.iter().take(30).map(|n| signed(h, li, Action::SubmitInvoice(submit(*n)))).collect();
    submit_all_and_wait(h, submits).await?;
    let mut answers = Vec::new();
    for (i, n) in meals.iter().take(30).enumerate() {
        match i % 6 {
            0 => answers.push(signed(
                h,
                huawei,
                Action::RejectReimbursement(RejectReimbursement {
                    number: *n,
                    reason: "非工作日餐费不予报销".into(),
                }),
            )),
            1 => {} // still awaiting the finance office
            _ => answers.push(signed(
                h,
                huawei,
                Action::AcceptReimbursement(InvoiceRef { number: *n }),
            )),
        }
    }
    submit_all_and_wait(h, answers).await?;

    // B2B catering: special invoices to Huawei, booked for deduction.
    let mut specials = Vec::new();
    for i in 0..6i64 {
        specials.push(signed(
            h,
            pos,
            Action::IssueInvoice(IssueInvoice {
                seller: RESTAURANT,
                kind: InvoiceKind::Special,
                type_code: "81".into(),
                buyer: Buyer { holder: Some(huawei.account_id()), ..employer.clone() },
                lines: vec![LineInput {
                    name: "*餐饮服务*会议餐饮服务".into(),
                    tax_code: "3070401000000000000".into(),
                    spec: String::new(),
                    unit: "人次".into(),
                    quantity: (20 + 5 * i).to_string(),
                    unit_price: "85.00".into(),
                    amount: None,
                    gross: None,
                    rate: "0.06".into(),
                    tax: None,
                }],
                remarks: "年度技术大会餐饮".into(),
                salt: rand_salt(),
                industry: None,
            }),
        ));
    }
    let special_hashes: Vec<Hash32> = specials.iter().map(SignedTx::hash).collect();
    submit_all_and_wait(h, specials).await?;
    let mut books = Vec::new();
    for hash in special_hashes.iter().take(4) {
        if let Some(number) = h.ledger.transaction(hash)?.and_then(|f| f.receipt.output.invoice()) {
            books.push(signed(h, huawei, Action::BookInvoice(InvoiceRef { number })));
        }
    }
    submit_all_and_wait(h, books).await?;

    // An issuing error: the restaurant reverses one unused invoice in full.
    if let Some(unused) = meals.get(40) {
        let red = Action::RaiseRedForm(RaiseRedForm {
            blue_number: *unused,
            reason: RedReason::IssuingError,
            lines: vec![],
            salt: rand_salt(),
        });
        submit_all_and_wait(h, vec![signed(h, pos, red)]).await?;
    }

    // The ring: three companies the agency keeps the books of (registered with the other
    // taxpayers) invoice each other in a circle.
    let credits = SHELLS
        .iter()
        .map(|(uscc, _, _)| {
            Ok(signed(
                h,
                officer,
                Action::GrantCredit(GrantCredit {
                    uscc: demo_uscc(uscc)?,
                    monthly_ceiling: 500_000_000, // 5,000,000.00 yuan
                }),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    submit_all_and_wait(h, credits).await?;
    let mut ring = Vec::new();
    for i in 0..3 {
        let (seller, _, clerk) = SHELLS[i];
        let (buyer, buyer_name, _) = SHELLS[(i + 1) % 3];
        ring.push(signed(
            h,
            k(clerk)?,
            Action::IssueInvoice(IssueInvoice {
                seller: demo_uscc(seller)?,
                kind: InvoiceKind::Special,
                type_code: "81".into(),
                buyer: Buyer {
                    kind: BuyerKind::Enterprise,
                    name: buyer_name.into(),
                    tax_id: Some(demo_uscc(buyer)?),
                    holder: None,
                },
                lines: vec![LineInput {
                    name: "*信息技术服务*软件开发服务".into(),
                    tax_code: "3040201010000000000".into(),
                    spec: String::new(),
                    unit: String::new(),
                    quantity: String::new(),
                    unit_price: String::new(),
                    amount: Some(188_000_000), // 1,880,000.00 yuan
                    gross: None,
                    rate: "0.06".into(),
                    tax: None,
                }],
                remarks: String::new(),
                salt: rand_salt(),
                industry: None,
            }),
        ));
    }
    submit_all_and_wait(h, ring).await
}

/// A demo organisation's taxpayer id as a USCC (every one is valid: `fapiao demo` fails
/// loudly otherwise).
fn demo_uscc(s: &str) -> Result<fapiao_types::Uscc> {
    s.parse().map_err(|e| Error::Demo(format!("demo taxpayer id {s}: {e}")))
}

fn rand_salt() -> [u8; 32] {
    let mut s = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut s);
    s
}

fn rand_nonce() -> u64 {
    use rand_core::RngCore;
    rand_core::OsRng.next_u64()
}
