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
use fapiao_api::{
    testing::chain::{add_members, another_node, certify_later, genesis, serve_certified, People},
    ApiState,
};
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use serde_json::{json, Value};
use std::{path::PathBuf, sync::Arc};

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

/// The industry chain of the tests: the park, a power utility (and a second one), the
/// social-security office, a logistics operator, Huawei and BYD, their members added;
/// the chain secret pinned in genesis and kept by the node.
pub(crate) struct Chain {
    pub state: ApiState,
    pub ledger: Arc<Ledger<MemStore>>,
    pub secrets: tempfile::TempDir,
}

pub(crate) fn chain() -> Chain {
    let org = |id: &str, kind, admin: &str, tax_id| PEOPLE.org(id, id, kind, admin, tax_id);
    let mut genesis = genesis(
        CHAIN,
        vec![
            org("park-operator", OrgKind::Platform, "park-admin", None),
            org("power", OrgKind::Utility, "power-admin", None),
            org("power-2", OrgKind::Utility, "power2-admin", None),
            org("social-security", OrgKind::SocialSecurity, "social-admin", None),
            org("logistics", OrgKind::Logistics, "logistics-admin", None),
            org("huawei", OrgKind::Enterprise, "huawei-admin", Some(HUAWEI)),
            org("byd", OrgKind::Enterprise, "byd-admin", Some(BYD)),
        ],
    );
    genesis.params.insert(
        "industry/secret".to_string(),
        json!({ "secret_id": hex32(&fapiao_types::commit::secret_id(&SECRET)) }),
    );
    let ledger =
        Arc::new(Ledger::open(MemStore::new(), genesis).unwrap().with_chain_secret(SECRET));
    let attester = Role::IndustryAttester;
    add_members(
        PEOPLE,
        &ledger,
        &[
            ("park-admin", "park", attester),
            ("power-admin", "power", attester),
            ("power2-admin", "power2", attester),
            ("social-admin", "social", attester),
            ("logistics-admin", "logistics", attester),
            ("huawei-admin", "huawei", Role::EnterpriseFinance),
            ("byd-admin", "byd", Role::EnterpriseFinance),
        ],
    );
    let secrets = tempfile::tempdir().unwrap();
    std::fs::write(secrets.path().join("chain-secret"), hex::encode(SECRET)).unwrap();
    let state = serve_certified(ledger.clone(), PEOPLE, Some(secrets.path().to_path_buf()), None);
    Chain { state, ledger, secrets }
}

impl Chain {
    /// The node of the tests: it keeps the chain secret.
    pub fn app(&self) -> Router {
        self.app_with(Some(self.secrets.path().to_path_buf()))
    }

    /// Another node on the same chain, keeping the secrets in `secrets` (or none).
    pub fn app_with(&self, secrets: Option<PathBuf>) -> Router {
        let state = another_node(&self.state, secrets);
        fapiao_api::router(Arc::new(state), &[fapiao_industry_api::ROUTES])
    }

    /// An empty certified block in 300 ms, while a request waits for the header that
    /// certifies the state it proved.
    pub fn tick_soon(&self) -> tokio::task::JoinHandle<()> {
        certify_later(self.ledger.clone(), now_ms(), std::time::Duration::from_millis(300))
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
