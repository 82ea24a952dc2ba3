//! Who may act and read: tokens of revoked accounts, a token store that cannot be
//! read, and the audit of private reads by non-parties.

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use fapiao_api::{testing::NoCustody, ApiState, AuditLog, Caller, Custody, Metrics};
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::*;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use http_body_util::BodyExt;
use std::{path::Path, sync::Arc};
use tower::ServiceExt;

const CHAIN: &str = "auth-test";
const FIRM_USCC: &str = "914403001922038216";

/// Bearer `tok-<i>` is account `i` of the list; `broken` plays a token store that
/// cannot be read.
struct Tokens {
    accounts: Vec<AccountId>,
    broken: bool,
}

impl Custody for Tokens {
    fn authenticate(&self, bearer: &str) -> std::result::Result<Option<Caller>, String> {
        if self.broken {
            return Err("tokens.json: expected value at line 1".into());
        }
        let i: Option<usize> = bearer.strip_prefix("tok-").and_then(|i| i.parse().ok());
        Ok(i.and_then(|i| self.accounts.get(i))
            .map(|a| Caller { account: *a, token_id: bearer.into() }))
    }
    fn sign(&self, a: &AccountId, t: Tx) -> std::result::Result<SignedTx, String> {
        NoCustody.sign(a, t)
    }
    fn generate(&self, n: &str, s: Suite) -> std::result::Result<PublicKey, String> {
        NoCustody.generate(n, s)
    }
    fn create_token(&self, a: &AccountId, n: &str) -> std::result::Result<String, String> {
        NoCustody.create_token(a, n)
    }
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(Suite::Ed25519, &[seed; 32]).unwrap()
}

fn tax_admin() -> SigningKey {
    key(7)
}
fn firm_admin() -> SigningKey {
    key(8)
}
fn member() -> SigningKey {
    key(9)
}

pub(super) fn ledger() -> Arc<Ledger<MemStore>> {
    ledger_with(Default::default())
}

/// [`ledger`] with genesis values of parameters (`params`).
pub(super) fn ledger_with(
    params: std::collections::BTreeMap<String, serde_json::Value>,
) -> Arc<Ledger<MemStore>> {
    let admin = |name: &str, k: &SigningKey| GenesisAdmin {
        name: name.into(),
        suite: "ed25519".into(),
        public_key: k.public_key().to_hex(),
    };
    let genesis = Genesis {
        chain_id: CHAIN.into(),
        full_nodes: Vec::new(),
        genesis_time_ms: 1_764_000_000_000,
        consensus: ConsensusParams::default(),
        organisations: vec![
            GenesisOrg {
                id: "tax".into(),
                name: "Tax".into(),
                kind: OrgKind::TaxAuthority,
                tax_id: None,
                admins: vec![admin("tax admin", &tax_admin())],
            },
            GenesisOrg {
                id: "firm".into(),
                name: "Firm".into(),
                kind: OrgKind::Enterprise,
                tax_id: Some(FIRM_USCC.parse().unwrap()),
                admins: vec![admin("firm admin", &firm_admin())],
            },
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
    Arc::new(Ledger::open(MemStore::new(), genesis).unwrap())
}

/// Executes `actions`, each signed by the firm admin, in one block.
fn run(ledger: &Ledger<MemStore>, actions: Vec<Action>) {
    let admin = firm_admin();
    run_as(ledger, actions.into_iter().map(|a| (&admin, a)).collect());
}

/// Executes `actions`, each signed by its key, in one block; returns their outputs.
fn run_as(ledger: &Ledger<MemStore>, actions: Vec<(&SigningKey, Action)>) -> Vec<String> {
    let tip = ledger.executed_tip();
    let txs: Vec<SignedTx> = actions
        .into_iter()
        .enumerate()
        .map(|(i, (key, action))| {
            key.sign_tx(Tx {
                chain_id: CHAIN.into(),
                sender: key.public_key(),
                nonce: tip.height * 100 + i as u64,
                expiry: tip.height + 50,
                action,
            })
        })
        .collect();
    let block =
        Block::child(&tip.header, tip.header.time_ms + 500, 0, (tip.height, tip.state_root), txs);
    let receipts = ledger.execute_block(&block, b"cert").unwrap();
    for r in &receipts {
        assert!(matches!(r.outcome, Outcome::Ok), "{r:?}");
    }
    receipts.into_iter().map(|r| r.output.to_string()).collect()
}

fn app(
    ledger: Arc<Ledger<MemStore>>,
    broken: bool,
    audit: AuditLog,
    metrics: Arc<Metrics>,
) -> Router {
    let accounts =
        [tax_admin(), firm_admin(), member()].iter().map(|k| k.public_key().account_id()).collect();
    let state = fapiao_api::testing::state(ledger, 16, Arc::new(Tokens { accounts, broken }));
    let state = ApiState { metrics, audit: Arc::new(audit), ..state };
    fapiao_api::router(Arc::new(state), &[fapiao_invoice_api::ROUTES])
}

async fn get(app: &Router, path: &str, token: &str) -> (StatusCode, serde_json::Value) {
    let req = Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

pub(super) fn plain_app(ledger: Arc<Ledger<MemStore>>, broken: bool) -> Router {
    let metrics = Arc::new(Metrics::new());
    let audit = AuditLog::without_file(metrics.audit_reads.clone());
    app(ledger, broken, audit, metrics)
}

/// A token of an account revoked on chain authenticated it as before: `caller()`
/// looked the account up but never at its `revoked_at`.
#[tokio::test]
async fn a_revoked_accounts_token_reads_nothing() {
    let ledger = ledger();
    let m = member().public_key();
    run(
        &ledger,
        vec![Action::AddAccount(NewAccount {
            public_key: m,
            name: "clerk".into(),
            roles: vec![Role::EnterpriseFinance],
        })],
    );
    let app = plain_app(ledger.clone(), false);
    assert_eq!(get(&app, "/v1/wallet", "tok-2").await.0, StatusCode::OK);
    run(&ledger, vec![Action::RevokeAccount { account: m.account_id() }]);
    let (status, body) = get(&app, "/v1/wallet", "tok-2").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "unauthorized");
    assert_eq!(body["field"], "authorization");
    // The organisation's admin is not affected.
    assert_eq!(get(&app, "/v1/wallet", "tok-1").await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_token_store_that_cannot_be_read_refuses_every_token() {
    let app = plain_app(ledger(), true);
    let (status, body) = get(&app, "/v1/wallet", "tok-1").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "tokens_unavailable");
    // Public reads need no token and still work.
    let req = Request::get("/v1/status").body(Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(req).await.unwrap().status(), StatusCode::OK);
}

fn audit_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn reads_of_private_records_by_non_parties_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let metrics = Arc::new(Metrics::new());
    let audit = AuditLog::open(&log, metrics.audit_reads.clone()).unwrap();
    let app = app(ledger(), false, audit, metrics);
    let credit = format!("/v1/state/credit/{FIRM_USCC}");
    let vat = format!("/v1/state/vat-return/{FIRM_USCC}/202611");

    // The taxpayer reading its own records: no audit.
    for path in [&credit, &vat] {
        get(&app, path, "tok-1").await;
    }
    assert!(audit_lines(&log).is_empty());

    // The tax authority reading them: one line each, who, what and when.
    for path in [&credit, &vat] {
        get(&app, path, "tok-0").await;
    }
    let lines = audit_lines(&log);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let tax = tax_admin().public_key().account_id().to_string();
    assert_eq!(lines[0]["account"], tax);
    assert_eq!(lines[0]["org"], "tax");
    assert_eq!(lines[0]["record"], format!("credit/{FIRM_USCC}"));
    assert_eq!(lines[1]["record"], format!("vat-return/{FIRM_USCC}/202611"));
    assert!(lines[0]["time_ms"].as_u64().unwrap() > 1_700_000_000_000);

    // Public records (the registry) and refused reads are not audited.
    get(&app, &format!("/v1/state/taxpayer/{FIRM_USCC}"), "tok-0").await;
    get(&app, &format!("/v1/state/credit/{FIRM_USCC}"), "no-token").await;
    assert_eq!(audit_lines(&log).len(), 2);

    let req = Request::get("/metrics").body(Body::empty()).unwrap();
    let body = app.clone().oneshot(req).await.unwrap().into_body().collect().await.unwrap();
    let text = String::from_utf8(body.to_bytes().to_vec()).unwrap();
    assert!(text.contains("fapiao_audit_reads_total 2"), "{text}");
}

/// Puts an invoice on chain: the firm (seller) issues to a person; returns its number.
fn invoice(ledger: &Ledger<MemStore>) -> String {
    let (tax, firm, clerk, officer) = (tax_admin(), firm_admin(), member(), key(10));
    let add = |k: &SigningKey, role: Role| {
        Action::AddAccount(NewAccount {
            public_key: k.public_key(),
            name: "m".into(),
            roles: vec![role],
        })
    };
    run_as(
        ledger,
        vec![(&firm, add(&clerk, Role::MerchantIssuer)), (&tax, add(&officer, Role::TaxOfficer))],
    );
    run_as(
        ledger,
        vec![
            (
                &officer,
                Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
                    uscc: FIRM_USCC.parse().unwrap(),
                    name: "Firm".into(),
                    region: "440300".parse().unwrap(),
                    seller_type: SellerType::General,
                    issuers: vec![clerk.public_key().account_id()],
                })),
            ),
            (
                &officer,
                Action::from(InvoiceAction::GrantCredit(GrantCredit {
                    uscc: FIRM_USCC.parse().unwrap(),
                    monthly_ceiling: 100_000_000, // 1,000,000.00 yuan
                })),
            ),
        ],
    );
    let issue = Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
        seller: FIRM_USCC.parse().unwrap(),
        kind: InvoiceKind::Ordinary,
        type_code: "82".into(),
        buyer: Buyer { kind: BuyerKind::Person, name: "张三".into(), tax_id: None, holder: None },
        lines: vec![LineInput {
            name: "*餐饮服务*餐费".into(),
            tax_code: "3070401000000000000".into(),
            spec: String::new(),
            unit: String::new(),
            quantity: None,
            unit_price: None,
            amount: None,
            gross: Some(6_600),
            rate: "0.06".parse().unwrap(),
            tax: None,
        }],
        remarks: String::new(),
        salt: [4; 32],
        industry: None,
    }));
    run_as(ledger, vec![(&clerk, issue)]).remove(0)
}

#[tokio::test]
async fn an_invoice_read_by_the_tax_authority_is_audited_and_by_its_seller_not() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let ledger = ledger();
    let number = invoice(&ledger);
    let metrics = Arc::new(Metrics::new());
    let audit = AuditLog::open(&log, metrics.audit_reads.clone()).unwrap();
    let app = app(ledger, false, audit, metrics);
    let path = format!("/v1/invoices/{number}");

    // The seller's organisation (tok-1, the firm's admin) is a party.
    let (s, body) = get(&app, &path, "tok-1").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(audit_lines(&log).is_empty());

    // The tax authority is not a party to this sale: it may read, and the read is logged.
    let (s, body) = get(&app, &path, "tok-0").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let lines = audit_lines(&log);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["record"], format!("invoice/{number}"));
    assert_eq!(lines[0]["org"], "tax");
    // Its body through the state API too.
    let (s, _) = get(&app, &format!("/v1/state/invoice-body/{number}"), "tok-0").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(audit_lines(&log)[1]["record"], format!("invoice-body/{number}"));
}

/// `GET /v1/state` asks the registry for an application's keys: a kind no application
/// owns and an invoice key its owner refuses are 400 `invalid_field`, as when the
/// platform listed the invoice kinds (ADR 0008 step A.9).
#[tokio::test]
async fn state_reads_of_unowned_kinds_and_malformed_invoice_keys_are_400() {
    let dir = tempfile::tempdir().unwrap();
    let metrics = Arc::new(Metrics::new());
    let audit = AuditLog::open(&dir.path().join("audit.log"), metrics.audit_reads.clone()).unwrap();
    let app = app(ledger(), false, audit, metrics);
    for path in ["/v1/state/cowbank/cow-1", "/v1/state/invoice/abc", "/v1/state/order/abc"] {
        let (s, body) = get(&app, path, "tok-0").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert!(body.to_string().contains("invalid_field"), "{path}: {body}");
    }
    // Well formed: the request gets past the key check (this ledger holds no taxpayer).
    let (s, body) = get(&app, &format!("/v1/state/taxpayer/{FIRM_USCC}"), "tok-0").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
}
