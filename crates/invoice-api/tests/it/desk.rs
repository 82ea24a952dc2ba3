//! The desk, the dashboard and the alerts read the ledger's derived indexes: their
//! figures cover the whole chain (an invoice issued at height 3 still counts twenty
//! thousand blocks later — the old handlers scanned only the last 20,000 blocks), and
//! answering them reads no block and no receipt (a store that counts those reads).

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use fapiao_api::testing::NoCustody;
use fapiao_api::{Caller, Custody};
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::*;
use fapiao_ledger::{store::Table, Ledger, MemStore, ReadStore, Store};
use fapiao_types::*;
use http_body_util::BodyExt;
use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};
use tower::ServiceExt;

const CHAIN: &str = "api-desk";
const SELLER: &str = "91440300708461136T";
const BUYER: &str = "914403001922038216";

/// A [`MemStore`] that counts every read of the `blocks` and `receipts` tables.
#[derive(Default)]
pub(super) struct Counting {
    inner: MemStore,
    chain_reads: AtomicU64,
}

impl Counting {
    fn note(&self, table: Table) {
        if matches!(table, Table::Blocks | Table::Receipts) {
            self.chain_reads.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl ReadStore for Counting {
    fn get(&self, table: Table, key: &[u8]) -> fapiao_ledger::Result<Option<Vec<u8>>> {
        self.note(table);
        self.inner.get(table, key)
    }
    fn get_history(&self, v: u64, key: &[u8]) -> fapiao_ledger::Result<Option<Vec<u8>>> {
        self.inner.get_history(v, key)
    }
    fn scan(&self, t: Table, p: &[u8], n: usize) -> fapiao_ledger::Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.note(t);
        self.inner.scan(t, p, n)
    }
    fn scan_back(
        &self,
        t: Table,
        p: &[u8],
        n: usize,
    ) -> fapiao_ledger::Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.note(t);
        self.inner.scan_back(t, p, n)
    }
}

impl Store for Counting {
    fn commit(&self, batch: &fapiao_ledger::store::WriteBatch) -> fapiao_ledger::Result<()> {
        self.inner.commit(batch)
    }
    fn state_dir(&self) -> fapiao_ledger::Result<std::path::PathBuf> {
        self.inner.state_dir()
    }
}

/// Tokens named after the account they act for.
struct Tokens(BTreeMap<String, AccountId>);

impl Custody for Tokens {
    fn authenticate(&self, bearer: &str) -> std::result::Result<Option<Caller>, String> {
        Ok(self.0.get(bearer).map(|&account| Caller { account, token_id: bearer.into() }))
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

pub(super) fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(Suite::Ed25519, &[n; 32]).unwrap()
}

fn org(id: &str, kind: OrgKind, tax_id: &str, admin: &SigningKey) -> GenesisOrg {
    GenesisOrg {
        id: id.into(),
        name: id.into(),
        kind,
        tax_id: (!tax_id.is_empty()).then(|| tax_id.parse().unwrap()),
        admins: vec![GenesisAdmin {
            name: format!("{id} admin"),
            suite: "ed25519".into(),
            public_key: admin.public_key().to_hex(),
        }],
    }
}

/// The chain of [`history`]: its ledger, and the nonce of the next transaction.
pub(super) struct Chain {
    pub(super) ledger: Arc<Ledger<Arc<Counting>>>,
    nonce: u64,
}

impl Chain {
    /// Executes `txs` in one block, 500 ms after the tip, certified by the validator
    /// ([`Chain::block_with`]).
    pub(super) fn block(&mut self, txs: Vec<(&SigningKey, Action)>) -> Vec<Receipt> {
        self.block_with(None, true, txs)
    }

    /// Executes `txs` in one block, 500 ms after the tip, whose header commits to the
    /// state after `state_height` (by default the tip, as a node proposes), stored with the
    /// validator's real finality certificate of it when `certified`, else with a blob that
    /// finalizes nothing.
    pub(super) fn block_with(
        &mut self,
        state_height: Option<u64>,
        certified: bool,
        txs: Vec<(&SigningKey, Action)>,
    ) -> Vec<Receipt> {
        let txs: Vec<SignedTx> = txs
            .into_iter()
            .map(|(k, action)| {
                self.nonce += 1;
                k.sign_tx(Tx {
                    chain_id: CHAIN.into(),
                    sender: k.public_key(),
                    nonce: self.nonce,
                    expiry: u64::MAX,
                    action,
                })
            })
            .collect();
        let tip = self.ledger.executed_tip();
        let state_height = state_height.unwrap_or(tip.height);
        let state_root = self.ledger.state_root_at(state_height).unwrap().unwrap();
        let b =
            Block::child(&tip.header, tip.header.time_ms + 500, 0, (state_height, state_root), txs);
        let blob = if certified {
            fapiao_api::testing::chain::certificate_of(&b.header)
        } else {
            b"finalizes nothing".to_vec()
        };
        let r = self.ledger.execute_block(&b, &blob).unwrap();
        assert!(r.iter().all(|r| r.outcome.is_ok()), "{r:?}");
        r
    }
}

fn issue(kind: InvoiceKind, holder: AccountId, name: &str, amount: i64) -> Action {
    Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
        seller: SELLER.parse().unwrap(),
        kind,
        type_code: if kind == InvoiceKind::Special { "81" } else { "82" }.into(),
        buyer: Buyer {
            kind: BuyerKind::Enterprise,
            name: "华为技术有限公司".into(),
            tax_id: Some(BUYER.parse().unwrap()),
            holder: Some(holder),
        },
        lines: vec![LineInput {
            name: name.into(),
            tax_code: "3040201010000000000".into(),
            spec: String::new(),
            unit: String::new(),
            quantity: None,
            unit_price: None,
            amount: Some(amount),
            gross: None,
            rate: "0.13".parse().unwrap(),
            tax: None,
        }],
        remarks: String::new(),
        salt: [amount as u8; 32],
        industry: None,
    }))
}

/// A chain where the seller issued two invoices early (one submitted to the buyer, one
/// booked by it), then `empty` empty blocks; the router over it; the counting store.
pub(super) fn history(empty: u64) -> (Router, Arc<Counting>, Vec<String>) {
    let (app, store, numbers, _) = history_chain(empty);
    (app, store, numbers)
}

/// [`history`], with the chain to execute more blocks on.
pub(super) fn history_chain(empty: u64) -> (Router, Arc<Counting>, Vec<String>, Chain) {
    let admins: Vec<SigningKey> = (1..=4).map(key).collect();
    let (officer, issuer, finance, consumer) = (key(11), key(12), key(13), key(14));
    let genesis = Genesis {
        chain_id: CHAIN.into(),
        demo: false,
        governance: Default::default(),
        params: Default::default(),
        full_nodes: Vec::new(),
        genesis_time_ms: 1_795_665_600_000,
        consensus: ConsensusParams::default(),
        organisations: vec![
            org("sz-tax", OrgKind::TaxAuthority, "", &admins[0]),
            org("seller", OrgKind::Enterprise, SELLER, &admins[1]),
            org("buyer", OrgKind::Enterprise, BUYER, &admins[2]),
            org("platform", OrgKind::Platform, "", &admins[3]),
        ],
        validators: vec![GenesisValidator {
            name: "v".into(),
            org: String::new(),
            public_key: hex::encode(
                fapiao_api::testing::chain::validator_key().verification_key().to_bytes(),
            ),
            p2p_address: "127.0.0.1:1".into(),
        }],
    };
    let store = Arc::new(Counting::default());
    let ledger = Arc::new(Ledger::open(store.clone(), genesis).unwrap());
    let mut chain = Chain { ledger: ledger.clone(), nonce: 0 };
    let add = |k: &SigningKey, roles: Vec<Role>| {
        Action::AddAccount(NewAccount { public_key: k.public_key(), name: "m".into(), roles })
    };
    chain.block(vec![
        (&admins[0], add(&officer, vec![Role::TaxOfficer])),
        (&admins[1], add(&issuer, vec![Role::MerchantIssuer])),
        (&admins[2], add(&finance, vec![Role::EnterpriseFinance])),
        (&admins[3], add(&consumer, vec![Role::Consumer])),
    ]);
    let register = |uscc: &str, issuers: Vec<AccountId>| {
        Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: uscc.parse().unwrap(),
            name: format!("taxpayer {uscc}"),
            region: "440300".parse().unwrap(),
            seller_type: SellerType::General,
            issuers,
        }))
    };
    let holder = consumer.public_key().account_id();
    chain.block(vec![
        (&officer, register(SELLER, vec![issuer.public_key().account_id()])),
        (&officer, register(BUYER, vec![])),
        (
            &officer,
            Action::from(InvoiceAction::GrantCredit(GrantCredit {
                uscc: SELLER.parse().unwrap(),
                monthly_ceiling: 1 << 40,
            })),
        ),
    ]);
    let r = chain.block(vec![
        (&issuer, issue(InvoiceKind::Ordinary, holder, "*餐饮服务*午餐", 10_000)),
        (&issuer, issue(InvoiceKind::Special, holder, "*家具*办公椅", 30_000)),
    ]);
    let numbers: Vec<InvoiceNumber> = r.iter().filter_map(|r| r.output.invoice()).collect();
    let r = |n: &InvoiceNumber| InvoiceRef { number: *n };
    chain.block(vec![
        (
            &consumer,
            Action::from(InvoiceAction::SubmitInvoice(SubmitInvoice {
                number: numbers[0],
                enterprise: BUYER.parse().unwrap(),
            })),
        ),
        (&finance, Action::from(InvoiceAction::BookInvoice(r(&numbers[1])))),
    ]);
    for _ in 0..empty {
        chain.block(vec![]);
    }
    let tokens = [
        ("officer", &officer),
        ("issuer", &issuer),
        ("finance", &finance),
        ("consumer", &consumer),
    ]
    .into_iter()
    .map(|(t, k)| (t.to_string(), k.public_key().account_id()))
    .collect();
    let state = fapiao_api::testing::state(ledger, 10, Arc::new(Tokens(tokens)));
    let app = fapiao_api::router(Arc::new(state), &[fapiao_invoice_api::ROUTES]);
    (app, store, numbers.iter().map(ToString::to_string).collect(), chain)
}

pub(super) async fn get(app: &Router, path: &str, token: &str) -> (StatusCode, serde_json::Value) {
    let req = Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn numbers_of(list: &serde_json::Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|i| i["number"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn desk_and_dashboard_count_the_whole_chain_not_the_last_20000_blocks() {
    // Past the window the old handlers scanned (20,000 blocks).
    let (app, _, n) = history(20_001);
    let (s, desk) = get(&app, "/v1/desk", "issuer").await;
    assert_eq!(s, StatusCode::OK, "{desk}");
    assert_eq!(numbers_of(&desk["issued"]), [n[1].clone(), n[0].clone()], "newest first");
    let (_, desk) = get(&app, "/v1/desk", "finance").await;
    assert_eq!(numbers_of(&desk["submitted"]), [n[0].clone()]);
    assert_eq!(numbers_of(&desk["booked"]), [n[1].clone()]);
    assert!(desk["issued"].as_array().unwrap().is_empty());
    // A caller without a taxpayer id has an empty desk.
    let (s, desk) = get(&app, "/v1/desk", "consumer").await;
    assert_eq!(s, StatusCode::OK);
    assert!(desk["submitted"].as_array().unwrap().is_empty());

    let (s, d) = get(&app, "/v1/dashboard", "officer").await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["height"], 4 + 20_001);
    assert_eq!(d["invoices"], 2);
    assert_eq!(d["amount"], "452.00", "100.00 and 300.00 plus 13% tax");
    assert_eq!(d["top_sellers"][0]["label"], format!("taxpayer {SELLER}"));
    assert_eq!(d["top_sellers"][0]["count"], 2);
    let cats: Vec<(&str, &str)> = d["per_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["label"].as_str().unwrap(), b["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(cats, [("家具", "339.00"), ("餐饮服务", "113.00")], "largest first");
    assert_eq!(numbers_of(&d["recent"]), [n[1].clone(), n[0].clone()]);
    let taxpayers: Vec<&str> =
        d["taxpayers"].as_array().unwrap().iter().map(|t| t["uscc"].as_str().unwrap()).collect();
    assert_eq!(taxpayers, [BUYER, SELLER], "in USCC order");
    assert_eq!(d["per_minute"].as_array().unwrap().len(), 30);
    // The dashboard is the tax authority's only.
    let (s, _) = get(&app, "/v1/dashboard", "issuer").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboards_per_minute_buckets_are_the_sums_of_their_block_time_minute() {
    // Genesis at 12:00:00 China time, a block every 500 ms: both invoices (100.00 and
    // 300.00 plus 13%) are in block 3, at 12:00:01.5, and the tip (block 6) is in the
    // same minute — the last bucket.
    let (app, _, _) = history(3);
    let (s, d) = get(&app, "/v1/dashboard", "officer").await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let buckets = d["per_minute"].as_array().unwrap();
    assert_eq!(buckets.len(), 30);
    let last = &buckets[29];
    assert_eq!((last["label"].as_str(), last["count"].as_u64()), (Some("12:00"), Some(2)));
    assert_eq!(last["amount"], "452.00");
    assert_eq!(buckets[28]["label"], "11:59");
    for b in &buckets[..29] {
        assert_eq!((b["count"].as_u64(), b["amount"].as_str()), (Some(0), Some("0.00")), "{b}");
    }
}

#[tokio::test]
async fn desk_dashboard_and_alerts_read_no_block_and_no_receipt() {
    let (app, store, _) = history(3);
    let before = store.chain_reads.load(Ordering::SeqCst);
    let (s, desk) = get(&app, "/v1/desk", "issuer").await;
    assert_eq!((s, desk["issued"].as_array().unwrap().len()), (StatusCode::OK, 2));
    let (s, d) = get(&app, "/v1/dashboard", "officer").await;
    assert_eq!((s, d["invoices"].as_u64()), (StatusCode::OK, Some(2)));
    let (s, alerts) = get(&app, "/v1/alerts?rule=circular_ring&limit=5", "officer").await;
    assert_eq!(s, StatusCode::OK, "{alerts}");
    let (s, _) = get(&app, "/v1/alerts", "officer").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(store.chain_reads.load(Ordering::SeqCst), before, "blocks or receipts were read");
    // The counter does count: reading a block goes through it.
    let (s, _) = get(&app, "/v1/blocks/3", "officer").await;
    assert_eq!(s, StatusCode::OK);
    assert!(store.chain_reads.load(Ordering::SeqCst) > before);
}

async fn post_json(
    app: &Router,
    path: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let req = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn a_discount_line_is_sent_with_its_flag_and_must_agree_with_its_sign() {
    let (app, _, _) = history(0);
    let chair = serde_json::json!({ "name": "*家具*办公椅", "tax_code": "3040201010000000000",
        "quantity": "3", "unit_price": "120.00", "rate": "0.13" });
    let discount = |amount: &str, flag: bool| {
        serde_json::json!({ "name": "*家具*办公椅", "tax_code": "3040201010000000000",
            "amount": amount, "rate": "0.13", "discount": flag })
    };
    let body = |lines: Vec<serde_json::Value>| {
        serde_json::json!({ "seller": SELLER, "kind": "special",
            "buyer": { "name": "华为技术有限公司", "tax_id": BUYER }, "lines": lines })
    };
    // (lines, status, code or total with tax, field).
    let cases = [
        (vec![chair.clone(), discount("-60.00", true)], StatusCode::OK, "339.00", ""),
        (
            vec![chair.clone(), discount("-60.00", false)],
            StatusCode::UNPROCESSABLE_ENTITY,
            "invoice.non_positive_amount",
            "lines[1].amount",
        ),
        (
            vec![chair.clone(), discount("60.00", true)],
            StatusCode::UNPROCESSABLE_ENTITY,
            "invoice.discount_not_negative",
            "lines[1].amount",
        ),
        (
            vec![chair.clone(), discount("-360.01", true)],
            StatusCode::UNPROCESSABLE_ENTITY,
            "invoice.discount_exceeds_line",
            "lines[1].amount",
        ),
        (
            vec![discount("-60.00", true), chair.clone()],
            StatusCode::UNPROCESSABLE_ENTITY,
            "invoice.discount_without_line",
            "lines[0].discount",
        ),
    ];
    for (lines, status, want, field) in cases {
        let (s, b) = post_json(&app, "/v1/invoices/preview", body(lines)).await;
        assert_eq!(s, status, "{b}");
        if s == StatusCode::OK {
            assert_eq!(b["total_with_tax"], want);
            let flags: Vec<bool> = b["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["discount"].as_bool().unwrap())
                .collect();
            assert_eq!(flags, [false, true]);
            assert_eq!(b["lines"][1]["amount"], "-60.00");
        } else {
            assert_eq!((b["code"].as_str(), b["field"].as_str()), (Some(want), Some(field)), "{b}");
        }
    }
}
