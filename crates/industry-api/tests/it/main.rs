//! The industry routes over a real ledger (in-memory store) and mempool, served as the
//! node serves them, with custodial signing and a stand-in for consensus that executes
//! what the pool holds (each block with a finality blob naming its own header, so it
//! counts as directly certified): the park registers Huawei, three attesters record
//! October and one corrects; who reads which figures; the package the enterprise takes
//! for a bank, its claims verifying against the chain's header and its openings opening
//! the proven commitments; and what a node without the chain secret, a stranger, another
//! enterprise or a bad request get.

use axum::{http::StatusCode, Router};
pub(crate) use fapiao_api::testing::chain::{call, now_ms};
use fapiao_api::{testing::chain::People, ApiState};
use fapiao_crypto::SigningKey;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use serde_json::{json, Value};
use std::{path::PathBuf, sync::Arc, time::Duration};

mod flows;

const CHAIN: &str = "fapiao-industry";
pub(crate) const SECRET: [u8; 32] = [0x5E; 32];
pub(crate) const HUAWEI: &str = "914403001922038216";
pub(crate) const BYD: &str = "91440300708461136T";

/// The people of the tests, each a key and the token `tok-<name>`.
const PEOPLE: People = People(&[
    ("park-admin", 7),
    ("power-admin", 8),
    ("social-admin", 9),
    ("logistics-admin", 10),
    ("huawei-admin", 11),
    ("byd-admin", 12),
    ("power2-admin", 13),
    ("park", 21),
    ("power", 22),
    ("social", 23),
    ("logistics", 24),
    ("huawei", 25),
    ("byd", 26),
    ("power2", 27),
]);

pub(crate) fn key(name: &str) -> SigningKey {
    PEOPLE.key(name)
}

fn org(id: &str, kind: OrgKind, admin: &str, tax_id: Option<&str>) -> GenesisOrg {
    GenesisOrg {
        id: id.into(),
        name: id.into(),
        kind,
        tax_id: tax_id.map(|t| t.parse().unwrap()),
        admins: vec![GenesisAdmin {
            name: format!("{id} admin"),
            suite: "ed25519".into(),
            public_key: key(admin).public_key().to_hex(),
        }],
    }
}

/// Executes `txs` in a block whose finality blob names the block's own header (height ‖
/// digest ‖ a stand-in certificate), as a directly certified block's does.
pub(crate) fn execute(ledger: &Ledger<MemStore>, txs: Vec<SignedTx>) -> Vec<Receipt> {
    let tip = ledger.executed_tip();
    let time = now_ms().max(tip.header.time_ms + 1);
    let block = Block::child(&tip.header, time, 0, (tip.height, tip.state_root), txs);
    let mut blob = (tip.height + 1).to_be_bytes().to_vec();
    blob.extend_from_slice(&block.header.digest());
    blob.extend_from_slice(&[0; 8]);
    ledger.execute_block(&block, &blob).unwrap()
}

/// The industry chain of the tests: the park, a power utility (and a second one), the
/// social-security office, a logistics operator, Huawei and BYD, their members added;
/// the chain secret pinned in genesis and kept by the node.
pub(crate) struct Chain {
    pub state: ApiState,
    pub ledger: Arc<Ledger<MemStore>>,
    pub secrets: tempfile::TempDir,
}

pub(crate) fn chain() -> Chain {
    let mut params = std::collections::BTreeMap::new();
    params.insert(
        "industry/secret".to_string(),
        json!({ "secret_id": hex32(&fapiao_types::commit::secret_id(&SECRET)) }),
    );
    let genesis = Genesis {
        chain_id: CHAIN.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: now_ms() - 3_600_000,
        consensus: ConsensusParams::default(),
        organisations: vec![
            org("park-operator", OrgKind::Platform, "park-admin", None),
            org("power", OrgKind::Utility, "power-admin", None),
            org("power-2", OrgKind::Utility, "power2-admin", None),
            org("social-security", OrgKind::SocialSecurity, "social-admin", None),
            org("logistics", OrgKind::Logistics, "logistics-admin", None),
            org("huawei", OrgKind::Enterprise, "huawei-admin", Some(HUAWEI)),
            org("byd", OrgKind::Enterprise, "byd-admin", Some(BYD)),
        ],
        validators: vec![GenesisValidator {
            name: "v".into(),
            org: String::new(),
            public_key: hex::encode([3u8; 32]),
            p2p_address: "127.0.0.1:1".into(),
        }],
        demo: false,
        governance: Default::default(),
        params,
    };
    let ledger =
        Arc::new(Ledger::open(MemStore::new(), genesis).unwrap().with_chain_secret(SECRET));
    let add = |admin: &str, who: &str, roles: Vec<Role>| {
        key(admin).sign_tx(Tx {
            chain_id: CHAIN.into(),
            sender: key(admin).public_key(),
            nonce: 1,
            expiry: 50,
            action: Action::AddAccount(NewAccount {
                public_key: key(who).public_key(),
                name: who.into(),
                roles,
            }),
        })
    };
    let attester = || vec![Role::IndustryAttester];
    let receipts = execute(
        &ledger,
        vec![
            add("park-admin", "park", attester()),
            add("power-admin", "power", attester()),
            add("power2-admin", "power2", attester()),
            add("social-admin", "social", attester()),
            add("logistics-admin", "logistics", attester()),
            add("huawei-admin", "huawei", vec![Role::EnterpriseFinance]),
            add("byd-admin", "byd", vec![Role::EnterpriseFinance]),
        ],
    );
    assert!(receipts.iter().all(|r| matches!(r.outcome, Outcome::Ok)), "{receipts:?}");
    let secrets = tempfile::tempdir().unwrap();
    std::fs::write(secrets.path().join("chain-secret"), hex::encode(SECRET)).unwrap();
    let state = fapiao_api::testing::state(ledger.clone(), 64, Arc::new(PEOPLE));
    let (exec_tx, executed) = tokio::sync::watch::channel(ledger.executed_tip().height);
    let state = ApiState {
        executed,
        wait_timeout: Duration::from_secs(10),
        secrets: Some(secrets.path().to_path_buf()),
        ..state
    };
    let (pool, ch) = (state.pool.clone(), ledger.clone());
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let height = ch.executed_tip().height + 1;
            let txs = pool.select(height, 100);
            if txs.is_empty() {
                continue;
            }
            let hashes: Vec<Hash32> = txs.iter().map(SignedTx::hash).collect();
            execute(&ch, txs);
            pool.on_executed(height, &hashes);
            if exec_tx.send(height).is_err() {
                return;
            }
        }
    });
    Chain { state, ledger, secrets }
}

impl Chain {
    /// The node of the tests: it keeps the chain secret.
    pub fn app(&self) -> Router {
        self.app_with(Some(self.secrets.path().to_path_buf()))
    }

    /// Another node on the same chain, keeping the secrets in `secrets` (or none).
    pub fn app_with(&self, secrets: Option<PathBuf>) -> Router {
        let state = ApiState {
            reader: self.state.reader.clone(),
            pool: self.state.pool.clone(),
            admitter: self.state.admitter.clone(),
            executed: self.state.executed.clone(),
            chain: self.state.chain.clone(),
            custody: self.state.custody.clone(),
            metrics: self.state.metrics.clone(),
            wait_timeout: self.state.wait_timeout,
            max_body_bytes: self.state.max_body_bytes,
            qr_signer: None,
            peers: None,
            limits: self.state.limits.clone(),
            audit: self.state.audit.clone(),
            secrets,
        };
        fapiao_api::router(Arc::new(state), &[fapiao_industry_api::ROUTES])
    }

    /// An empty certified block, so that the latest change is under a certified header.
    pub fn tick(&self) {
        execute(&self.ledger, Vec::new());
    }
}

/// `call`, expecting 200.
pub(crate) async fn ok(
    app: &Router,
    method: &str,
    path: &str,
    who: &str,
    body: Option<Value>,
) -> Value {
    let (status, v) = call(app, method, path, who, body).await;
    assert_eq!(status, StatusCode::OK, "{method} {path} as {who}: {v}");
    v
}

/// `call`, expecting `status` and `code`.
pub(crate) async fn refused(
    app: &Router,
    method: &str,
    path: &str,
    who: &str,
    body: Option<Value>,
    status: u16,
    code: &str,
) -> Value {
    let (s, v) = call(app, method, path, who, body).await;
    assert_eq!(
        (s.as_u16(), v["code"].as_str()),
        (status, Some(code)),
        "{method} {path} as {who}: {v}"
    );
    v
}

#[tokio::test]
async fn the_openapi_document_lists_every_industry_route() {
    let doc: Value =
        serde_json::from_str(&fapiao_api::openapi_json(&[fapiao_industry_api::ROUTES])).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/industry/actions",
        "/v1/industry/enterprises/{uscc}",
        "/v1/industry/enterprises/{uscc}/operating",
        "/v1/industry/enterprises/{uscc}/package",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
}
