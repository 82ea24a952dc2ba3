//! The finance routes over a real ledger (in-memory store) and mempool, served as the
//! node serves them, with custodial signing and a stand-in for consensus that executes
//! what the pool holds. The finance chain registers a tax chain built here
//! (`fapiao_crosschain::testing::Source`: a real Jellyfish Merkle state, headers certified by
//! four real validator keys); its headers reach the finance chain as signed
//! `crosschain_relay_header` transactions through `POST /v1/transactions`, so every proof
//! in these tests is checked by the light client in the ledger. An industry chain built the
//! same way (Huawei's `operating-commit` records under its own secret) is registered too.

mod flows;
mod industry;

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use commonware_codec::Encode;
pub(crate) use fapiao_api::testing::chain::now_ms;
use fapiao_api::{
    testing::chain::{add_members, another_node, genesis, serve, People},
    ApiState,
};
use fapiao_crosschain::testing::Source;
use fapiao_crosschain_types::ClaimJson;
use fapiao_crypto::SigningKey;
use fapiao_industry_types::{
    IndustryKey, Metric, OperatingCommit, OperatingOpening, OperatingPackage,
};
use fapiao_invoice_types::{
    DisclosureGrant, DisclosurePackage, InvoiceKey, InvoicePublic, InvoiceStatus, Opening,
    SummaryField, SummaryMonth, SummaryStatus, SummaryValue, TaxpayerStatus,
};
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use fapiao_values::{ChinaDate, InvoiceKind, InvoiceNumber, Month, Uscc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::{
    path::PathBuf,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};
use tower::ServiceExt;

pub(crate) const CHAIN: &str = "fapiao-finance";
pub(crate) const TAX: &str = "fapiao-tax";
pub(crate) const SECRET: [u8; 32] = [7; 32];
pub(crate) const INDUSTRY: &str = "fapiao-industry";
/// The industry chain's secret (its salts).
pub(crate) const INDUSTRY_SECRET: [u8; 32] = [5; 32];

/// The people of the tests, each a key and the token `tok-<name>`.
const PEOPLE: People = People(&[
    ("icbc-admin", 7),
    ("ccb-admin", 8),
    ("pboc-admin", 9),
    ("icbc", 21),
    ("ccb", 22),
    ("pboc", 23),
    ("relayer", 24),
]);

pub(crate) fn key(name: &str) -> SigningKey {
    PEOPLE.key(name)
}

pub(crate) fn huawei() -> Uscc {
    Uscc::parse("914403001922038216").unwrap()
}

pub(crate) fn month(m: u32) -> Month {
    Month::from_yyyymm(m).unwrap()
}

pub(crate) fn number(n: u32) -> InvoiceNumber {
    InvoiceNumber::parse(&format!("264420000000000{n:05}")).unwrap()
}

pub(crate) fn sales(m: u32) -> SummaryValue {
    SummaryValue::Fen(i64::from(m % 100) * 123_457)
}

pub(crate) const FIELDS: &[SummaryField] =
    &[SummaryField::Sales, SummaryField::VatPaid, SummaryField::OnTime, SummaryField::Status];

pub(crate) fn invoice(n: u32, total: i64, status: InvoiceStatus) -> InvoicePublic {
    InvoicePublic {
        number: number(n),
        kind: InvoiceKind::Special,
        date: ChinaDate::from_yyyymmdd(20260610).unwrap(),
        issued_at_ms: now_ms() - 86_400_000,
        total_with_tax: total,
        seller_tax_id: huawei(),
        seller_name: "华为技术有限公司".into(),
        status,
        flagged: false,
        commitment: [9; 32],
        rules_version: 0,
    }
}

/// The tax chain: Huawei's summary for January–May 2026, its status, its grant to ICBC
/// (id `01…`) of every field of January–June, and one invoice; not yet committed.
pub(crate) fn tax_chain() -> Source {
    let mut tax = Source::new(TAX, 4, 1);
    let u = huawei();
    for m in 202601..=202605 {
        let (paid, on_time) = (SummaryValue::Fen(13_000), SummaryValue::Flag(true));
        let record =
            SummaryMonth::committed(&SECRET, &u, month(m), [&sales(m), &paid, &on_time], 1);
        tax.put(InvoiceKey::SummaryMonth(u, month(m)), &record);
    }
    let status = SummaryStatus::committed(&SECRET, &u, TaxpayerStatus::Active, 1);
    tax.put(InvoiceKey::SummaryStatus(u), &status);
    tax.put(InvoiceKey::Disclosure([1; 32]), &grant(1));
    tax.put(InvoiceKey::Invoice(number(1)), &invoice(1, 11_300_000, InvoiceStatus::Issued));
    tax.put(InvoiceKey::Invoice(number(2)), &invoice(2, 2_260_000, InvoiceStatus::Issued));
    tax
}

pub(crate) fn grant(id: u8) -> DisclosureGrant {
    DisclosureGrant {
        id: [id; 32],
        uscc: huawei(),
        chain_id: CHAIN.into(),
        bank: "icbc".into(),
        purpose: "working-capital loan".into(),
        fields: FIELDS.to_vec(),
        first_month: month(202601),
        last_month: month(202606),
        expires_ms: now_ms() + 30 * 86_400_000,
        granted_at: 1,
        revoked_at: 0,
    }
}

/// The package the enterprise's tax node would hand the bank for grant `id`, proven at
/// tax height `h`.
pub(crate) fn package(tax: &Source, id: u8, h: u64) -> DisclosurePackage {
    let u = huawei();
    let mut records: Vec<ClaimJson> = (202601..=202606)
        .map(|m| ClaimJson::from(&tax.claim(h, InvoiceKey::SummaryMonth(u, month(m)))))
        .collect();
    records.push(ClaimJson::from(&tax.claim(h, InvoiceKey::SummaryStatus(u))));
    let mut openings = Vec::new();
    for m in 202601..=202606 {
        let mo = Some(month(m));
        let (s, v, o) = if m == 202606 {
            (SummaryValue::Fen(0), SummaryValue::Fen(0), SummaryValue::Flag(false))
        } else {
            (sales(m), SummaryValue::Fen(13_000), SummaryValue::Flag(true))
        };
        openings.push(Opening::new(&SECRET, &u, SummaryField::Sales, mo, &s));
        openings.push(Opening::new(&SECRET, &u, SummaryField::VatPaid, mo, &v));
        openings.push(Opening::new(&SECRET, &u, SummaryField::OnTime, mo, &o));
    }
    openings.push(Opening::new(
        &SECRET,
        &u,
        SummaryField::Status,
        None,
        &SummaryValue::Status(TaxpayerStatus::Active),
    ));
    DisclosurePackage {
        uscc: u.as_str().into(),
        grant_id: hex::encode([id; 32]),
        grant: ClaimJson::from(&tax.claim(h, InvoiceKey::Disclosure([id; 32]))),
        records,
        openings,
    }
}

/// Huawei's figure of `metric` in month `m` on the industry chain.
pub(crate) fn figure(metric: Metric, m: u32) -> u64 {
    match metric {
        Metric::ElectricityKwh => 1_000_000 + u64::from(m % 100) * 10_000,
        Metric::InsuredHeadcount => 1_200 + u64::from(m % 100),
        Metric::LogisticsTonnes => 300 * u64::from(m % 100),
    }
}

/// The industry chain: Huawei's commitments of electricity and headcount for April and
/// May 2026, of logistics for May only; nothing for June; not yet committed.
pub(crate) fn industry_chain() -> Source {
    let mut industry = Source::new(INDUSTRY, 1, 9);
    let u = huawei();
    for m in [202604, 202605] {
        let mo = month(m);
        let mut commit =
            OperatingCommit { uscc: u, month: mo, commitments: Vec::new(), updated_at: 1 };
        let metrics: &[Metric] = if m == 202605 {
            &[Metric::ElectricityKwh, Metric::InsuredHeadcount, Metric::LogisticsTonnes]
        } else {
            &[Metric::ElectricityKwh, Metric::InsuredHeadcount]
        };
        for metric in metrics {
            let salt = fapiao_industry_types::salt(&INDUSTRY_SECRET, &u, *metric, mo);
            commit.set(
                *metric,
                fapiao_industry_types::commitment(&salt, &u, *metric, mo, figure(*metric, m)),
            );
        }
        industry.put(IndustryKey::OperatingCommit(u, mo), &commit);
    }
    industry
}

/// The package the enterprise's industry node would hand the bank: April–June 2026
/// proven at industry height `h`, every committed figure opened.
pub(crate) fn operating_package(industry: &Source, h: u64) -> OperatingPackage {
    let u = huawei();
    let mut openings = Vec::new();
    let records = [202604, 202605, 202606]
        .into_iter()
        .map(|m| {
            let claim = industry.claim(h, IndustryKey::OperatingCommit(u, month(m)));
            if let Some(v) = &claim.value {
                let commit: OperatingCommit = decode_exact(&v.0, &()).unwrap();
                for c in &commit.commitments {
                    openings.push(OperatingOpening::new(
                        &INDUSTRY_SECRET,
                        &u,
                        c.metric,
                        month(m),
                        figure(c.metric, m),
                    ));
                }
            }
            ClaimJson::from(&claim)
        })
        .collect();
    OperatingPackage { uscc: u.as_str().into(), records, openings }
}

/// The finance chain of the tests: two banks and the regulator, their officers, a
/// relayer account; the tax and industry chains registered.
pub(crate) struct Chain {
    pub state: ApiState,
    pub secrets: tempfile::TempDir,
    pub tax: Source,
    pub industry: Source,
    nonce: AtomicU64,
}

pub(crate) fn chain() -> Chain {
    let tax = tax_chain();
    let industry = industry_chain();
    let mut params = std::collections::BTreeMap::new();
    params.insert(
        "crosschain/chains".to_string(),
        json!({ "chains": [
            serde_json::to_value(tax.registration()).unwrap(),
            serde_json::to_value(industry.registration()).unwrap(),
        ] }),
    );
    params.insert("crosschain/window".to_string(), json!({ "headers": 8 }));
    let org = |id: &str, kind, admin: &str| PEOPLE.org(id, &id.to_uppercase(), kind, admin, None);
    let mut genesis = genesis(
        CHAIN,
        vec![
            org("icbc", OrgKind::Bank, "icbc-admin"),
            org("ccb", OrgKind::Bank, "ccb-admin"),
            org("pboc", OrgKind::CentralBank, "pboc-admin"),
        ],
    );
    genesis.params = params;
    let ledger = Arc::new(Ledger::open(MemStore::new(), genesis).unwrap());
    add_members(
        PEOPLE,
        &ledger,
        &[
            ("icbc-admin", "icbc", Role::BankOfficer),
            ("ccb-admin", "ccb", Role::BankOfficer),
            ("pboc-admin", "pboc", Role::CentralBankOfficer),
            ("icbc-admin", "relayer", Role::Auditor),
        ],
    );
    let secrets = tempfile::tempdir().unwrap();
    let state = serve(ledger, PEOPLE, Some(secrets.path().to_path_buf()));
    Chain { state, secrets, tax, industry, nonce: AtomicU64::new(100) }
}

impl Chain {
    /// The bank's node of the tests (it keeps the openings in its secrets directory).
    pub fn app(&self) -> Router {
        self.app_with(Some(self.secrets.path().to_path_buf()))
    }

    /// Another node on the same chain, keeping its secrets in `secrets` (or none).
    pub fn app_with(&self, secrets: Option<PathBuf>) -> Router {
        let state = another_node(&self.state, secrets);
        fapiao_api::router(Arc::new(state), &[fapiao_finance_api::ROUTES])
    }

    /// The tax chain commits a block now; its height.
    pub fn tax_commit(&mut self) -> u64 {
        self.tax.commit(now_ms())
    }

    /// The industry chain commits a block now; its height.
    pub fn industry_commit(&mut self) -> u64 {
        self.industry.commit(now_ms())
    }

    /// Relays the tax header at `height` as a signed transaction of the relayer's
    /// account, through `POST /v1/transactions`; the receipt's outcome.
    pub async fn relay(&self, app: &Router, height: u64) -> Value {
        self.relay_of(app, &self.tax, height).await
    }

    /// Relays the header of `source` at `height`, as [`Chain::relay`] does.
    pub async fn relay_of(&self, app: &Router, source: &Source, height: u64) -> Value {
        let tx = key("relayer").sign_tx(Tx {
            chain_id: CHAIN.into(),
            sender: key("relayer").public_key(),
            nonce: self.nonce.fetch_add(1, Ordering::SeqCst),
            expiry: 500,
            action: Action::from(source.relay(height)),
        });
        let v = ok(
            app,
            "POST",
            "/v1/transactions",
            "",
            Some(json!({ "tx": hex::encode(tx.encode()) })),
        )
        .await;
        assert_eq!(v["status"], "committed", "{v}");
        v
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

#[tokio::test]
async fn the_openapi_document_lists_every_finance_route() {
    let doc: Value =
        serde_json::from_str(&fapiao_api::openapi_json(&[fapiao_finance_api::ROUTES])).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/finance/loans",
        "/v1/finance/loans/{id}",
        "/v1/finance/loans/{id}/review",
        "/v1/finance/loans/{id}/decision",
        "/v1/finance/financings",
        "/v1/finance/financings/{number}/reversal",
        "/v1/finance/financings/{number}/settle",
        "/v1/finance/alerts",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
    // The loan's industry figures and the industry package are described.
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["FigureJson"]["properties"]["verified"].is_object(), "{schemas}");
    assert!(schemas["ApplyRequest"]["properties"]["industry"].is_object());
    assert!(schemas["AppliedJson"]["properties"]["figures_kept"].is_object());
}

/// The loan desk's script parses (`node --check`), when node is installed.
#[test]
fn every_script_parses() {
    fapiao_web::testing::assert_scripts_parse(fapiao_finance_api::PAGES.pages);
}

/// The loan desk is served with its script and words no registered status itself.
#[tokio::test]
async fn the_loan_desk_is_served_with_its_script() {
    fapiao_web::testing::assert_pages_served(fapiao_finance_api::PAGES).await;
}

/// Calls `method path` as `who` (`""`: no token) with `body`; the status and JSON.
pub(crate) async fn call(
    app: &Router,
    method: &str,
    path: &str,
    who: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if !who.is_empty() {
        req = req.header("authorization", format!("Bearer tok-{who}"));
    }
    let req = match body {
        Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let retry = resp.headers().get("retry-after").is_some();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let mut v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if retry {
        v["retry_after_header"] = json!(true);
    }
    (status, v)
}
