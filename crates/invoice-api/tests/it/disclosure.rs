//! The enterprise's side of issue 18 over a real ledger, served as the node serves it:
//! the tax summary in clear with its commitments, a grant to a bank of another chain
//! (custodial write), the grant list, revocation, and the disclosure package — every
//! claim verifies against one certified header's state root, every opening opens its
//! record's commitment, another enterprise gets 404, a revoked grant's package is
//! refused, and a node without the chain secret says so.

use axum::{http::StatusCode, Router};
use fapiao_api::{
    testing::chain::{
        another_node, call, certify_later, execute_certified, genesis, serve_certified, People,
    },
    ApiState,
};
use fapiao_invoice_types::*;
use fapiao_ledger::{Ledger, MemStore};
use fapiao_types::*;
use serde_json::{json, Value};
use std::{
    path::PathBuf,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};

const CHAIN: &str = "fapiao-tax";
const HUAWEI: &str = "914403001922038216";
const TENCENT: &str = "91440300708461136T";
const SECRET: [u8; 32] = [0x3c; 32];
/// 2026-10-15 12:00 China time.
const OCTOBER: u64 = 1_792_036_800_000;
/// 2026-11-10 12:00 China time.
const NOVEMBER: u64 = 1_794_283_200_000;

const PEOPLE: People = People(&[
    ("tax-admin", 7),
    ("huawei-admin", 8),
    ("tencent-admin", 9),
    ("officer", 10),
    ("huawei", 11),
    ("tencent", 12),
]);

fn key(name: &str) -> fapiao_crypto::SigningKey {
    PEOPLE.key(name)
}

fn account(name: &str) -> AccountId {
    PEOPLE.account(name)
}

struct Chain {
    state: ApiState,
    ledger: Arc<Ledger<MemStore>>,
    clock: Arc<AtomicU64>,
    secrets: tempfile::TempDir,
    nonce: u64,
}

/// The tax chain with the summary enabled under [`SECRET`], begun an hour before
/// [`OCTOBER`], its blocks timed by the test's clock.
/// How long before the next block comes while a request waits.
const MS_300: std::time::Duration = std::time::Duration::from_millis(300);

fn chain() -> Chain {
    let mut genesis = genesis(
        CHAIN,
        vec![
            PEOPLE.org("sz-tax", "sz-tax", OrgKind::TaxAuthority, "tax-admin", None),
            PEOPLE.org("huawei", "huawei", OrgKind::Enterprise, "huawei-admin", Some(HUAWEI)),
            PEOPLE.org("tencent", "tencent", OrgKind::Enterprise, "tencent-admin", Some(TENCENT)),
        ],
    );
    genesis.genesis_time_ms = OCTOBER - 3_600_000;
    genesis.params = [(
        "invoice/tax-summary".to_string(),
        json!({"enabled": true, "secret_id": hex32(&commit::secret_id(&SECRET))}),
    )]
    .into();
    let ledger =
        Arc::new(Ledger::open(MemStore::new(), genesis).unwrap().with_chain_secret(SECRET));
    let clock = Arc::new(AtomicU64::new(OCTOBER));
    let secrets = tempfile::tempdir().unwrap();
    std::fs::write(secrets.path().join("chain-secret"), hex::encode(SECRET)).unwrap();
    let state = serve_certified(
        ledger.clone(),
        PEOPLE,
        Some(secrets.path().to_path_buf()),
        Some(clock.clone()),
    );
    Chain { state, ledger, clock, secrets, nonce: 0 }
}

impl Chain {
    fn app(&self) -> Router {
        self.app_with(Some(self.secrets.path().to_path_buf()))
    }

    /// Another node of the same chain, keeping `secrets` (or none).
    fn app_with(&self, secrets: Option<PathBuf>) -> Router {
        let state = another_node(&self.state, secrets);
        fapiao_api::router(Arc::new(state), &[fapiao_invoice_api::ROUTES])
    }

    /// Executes `actions` directly, each signed by its key, in one block.
    fn run(&mut self, actions: Vec<(&str, Action)>) {
        let tip = self.ledger.executed_tip();
        let txs = actions
            .into_iter()
            .map(|(who, action)| {
                self.nonce += 1;
                key(who).sign_tx(Tx {
                    chain_id: CHAIN.into(),
                    sender: key(who).public_key(),
                    nonce: self.nonce,
                    expiry: tip.height + 50,
                    action,
                })
            })
            .collect();
        let receipts = execute_certified(&self.ledger, self.clock.load(Ordering::SeqCst), txs);
        assert!(receipts.iter().all(|r| matches!(r.outcome, Outcome::Ok)), "{receipts:?}");
    }
}

fn add(admin: &str, who: &str, roles: Vec<Role>) -> (&'static str, Action) {
    let admin: &'static str = PEOPLE.0.iter().find(|(n, _)| *n == admin).unwrap().0;
    (
        admin,
        Action::AddAccount(NewAccount {
            public_key: key(who).public_key(),
            name: who.into(),
            roles,
        }),
    )
}

fn line(name: &str, amount: i64, rate: &str) -> LineInput {
    LineInput {
        name: name.into(),
        tax_code: "3040201010000000000".into(),
        spec: String::new(),
        unit: String::new(),
        quantity: None,
        unit_price: None,
        amount: Some(amount),
        gross: None,
        rate: rate.parse().unwrap(),
        tax: None,
    }
}

/// Huawei sells 10000.00 + 943.40 to Tencent in October 2026 and files October on
/// 10 November; then it asks for its package.
fn seeded() -> Chain {
    let mut c = chain();
    let taxpayer = |uscc: &str, issuers: Vec<AccountId>| {
        Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
            uscc: uscc.parse().unwrap(),
            name: uscc.into(),
            region: "440300".parse().unwrap(),
            seller_type: SellerType::General,
            issuers,
        }))
    };
    c.run(vec![
        add("tax-admin", "officer", vec![Role::TaxOfficer]),
        add("huawei-admin", "huawei", vec![Role::EnterpriseFinance, Role::MerchantIssuer]),
        add("tencent-admin", "tencent", vec![Role::EnterpriseFinance]),
    ]);
    c.run(vec![
        ("officer", taxpayer(HUAWEI, vec![account("huawei")])),
        ("officer", taxpayer(TENCENT, vec![])),
    ]);
    c.run(vec![(
        "officer",
        Action::from(InvoiceAction::GrantCredit(GrantCredit {
            uscc: HUAWEI.parse().unwrap(),
            monthly_ceiling: 100_000_000,
        })),
    )]);
    let issue = |salt: u8, lines: Vec<LineInput>| {
        Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
            seller: HUAWEI.parse().unwrap(),
            kind: InvoiceKind::Special,
            type_code: "81".into(),
            buyer: Buyer {
                kind: BuyerKind::Enterprise,
                name: "腾讯".into(),
                tax_id: Some(TENCENT.parse().unwrap()),
                holder: None,
            },
            lines,
            remarks: String::new(),
            salt: [salt; 32],
            industry: None,
        }))
    };
    c.run(vec![
        ("huawei", issue(1, vec![line("*家具*办公椅", 1_000_000, "0.13")])),
        ("huawei", issue(2, vec![line("*现代服务*咨询服务", 94_340, "0.06")])),
    ]);
    c.clock.store(NOVEMBER, Ordering::SeqCst);
    c.run(vec![(
        "huawei",
        Action::from(InvoiceAction::FileVatReturn(FileVatReturn {
            uscc: HUAWEI.parse().unwrap(),
            month: Month::from_yyyymm(202610).unwrap(),
        })),
    )]);
    c
}

fn grant_body(fields: &[&str]) -> Value {
    json!({
        "uscc": HUAWEI, "chain_id": "fapiao-finance", "bank": "icbc-sz",
        "purpose": "working-capital loan", "fields": fields,
        "first_month": "2026-09", "last_month": "2026-10",
        "expires_ms": NOVEMBER + 30 * 86_400_000u64,
    })
}

#[tokio::test]
async fn the_summary_shows_clear_values_beside_the_commitments() {
    let c = seeded();
    let app = c.app();
    let (status, s) = call(&app, "GET", &format!("/v1/tax-summary/{HUAWEI}"), "huawei", None).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["enabled"], true);
    let months = s["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["month"], "2025-11");
    let oct = &months[11];
    assert_eq!((oct["month"].as_str(), oct["sales"].as_i64()), (Some("2026-10"), Some(1_094_340)));
    let paid = 130_000 + 5_660;
    assert_eq!((oct["vat_paid"].as_i64(), oct["on_time"].as_bool()), (Some(paid), Some(true)));
    let u: Uscc = HUAWEI.parse().unwrap();
    let m = Some(Month::from_yyyymm(202610).unwrap());
    let want = commitment(
        &salt(&SECRET, &u, SummaryField::Sales, m),
        &u,
        SummaryField::Sales,
        m,
        &SummaryValue::Fen(1_094_340),
    );
    assert_eq!(oct["commitments"]["sales"], hex32(&want));
    assert!(months[10].get("commitments").is_none(), "September had no activity: {}", months[10]);
    assert_eq!(s["status"]["value"], "active");
    assert!(s["status"]["commitment"].is_string());
    // Another enterprise, and nobody, get 404.
    for who in ["tencent", ""] {
        let (status, _) = call(&app, "GET", &format!("/v1/tax-summary/{HUAWEI}"), who, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
    }
    // The tax authority reads it by oversight.
    let (status, _) =
        call(&app, "GET", &format!("/v1/tax-summary/{HUAWEI}"), "officer", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_package_proves_every_covered_record_against_one_certified_header_and_opens_the_fields() {
    let c = seeded();
    let app = c.app();
    let (status, g) = call(
        &app,
        "POST",
        "/v1/disclosures",
        "huawei",
        Some(grant_body(&["sales", "vat_paid", "status"])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{g}");
    let id = g["id"].as_str().unwrap().to_string();
    // A refusal of the chain comes back with its code and field.
    let mut bad = grant_body(&["status", "sales"]);
    let (status, e) = call(&app, "POST", "/v1/disclosures", "huawei", Some(bad.clone())).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invoice.bad_fields"), Some("fields"))
    );
    bad["uscc"] = json!(TENCENT);
    bad["fields"] = json!(["sales"]);
    let (status, e) = call(&app, "POST", "/v1/disclosures", "huawei", Some(bad)).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("invoice.not_your_taxpayer")),
        "{e}"
    );

    let (status, list) = call(&app, "GET", "/v1/disclosures", "huawei", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        (list[0]["id"].as_str(), list[0]["in_force"].as_bool()),
        (Some(id.as_str()), Some(true))
    );
    assert_eq!(list[0]["fields"], json!(["sales", "vat_paid", "status"]));

    // The package: proven at the tip, it waits for the next block, whose header certifies
    // that state (every block's blob is direct in the test).
    let tip = c.ledger.tip().height;
    let next = certify_later(c.ledger.clone(), c.clock.load(Ordering::SeqCst), MS_300);
    let (status, p) =
        call(&app, "GET", &format!("/v1/disclosures/{id}/package"), "huawei", None).await;
    next.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{p}");
    let package: DisclosurePackage = serde_json::from_value(p).unwrap();
    assert_eq!((package.uscc.as_str(), package.grant_id.as_str()), (HUAWEI, id.as_str()));
    let height = package.grant.height;
    let header = c.ledger.header(height).unwrap().unwrap();
    assert_eq!((height, header.state_height), (tip + 1, tip));
    let mut all = vec![package.grant.clone()];
    all.extend(package.records.iter().cloned());
    let keys: Vec<&str> = all.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            format!("disclosure/{id}"),
            format!("tax-summary/{HUAWEI}/202609"),
            format!("tax-summary/{HUAWEI}/202610"),
            format!("tax-status/{HUAWEI}")
        ]
    );
    for claim in &all {
        assert_eq!((claim.chain_id.as_str(), claim.height), (CHAIN, height), "one header");
        let value = claim.value.as_ref().map(|v| hex::decode(v).unwrap());
        let proof = hex::decode(&claim.proof).unwrap();
        let key = StateKey::parse(&claim.key).unwrap().to_bytes();
        fapiao_verify::verify_state_proof(&header.state_root, &key, value.as_deref(), &proof)
            .unwrap_or_else(|e| panic!("{}: {e}", claim.key));
        // A forged value does not verify.
        let forged = value.as_ref().map(|v| {
            let mut v = v.clone();
            let last = v.len() - 1;
            v[last] ^= 1;
            v
        });
        if forged.is_some() {
            assert!(fapiao_verify::verify_state_proof(
                &header.state_root,
                &key,
                forged.as_deref(),
                &proof
            )
            .is_err());
        }
    }
    assert!(all[1].value.is_none(), "September: proven absent");
    let u: Uscc = HUAWEI.parse().unwrap();
    let oct: SummaryMonth =
        decode_exact(&hex::decode(all[2].value.as_ref().unwrap()).unwrap(), &()).unwrap();
    let status_rec: SummaryStatus =
        decode_exact(&hex::decode(all[3].value.as_ref().unwrap()).unwrap(), &()).unwrap();
    // Exactly the covered fields are opened (not on_time), and each opens its commitment.
    let opened: Vec<(SummaryField, Option<u32>)> =
        package.openings.iter().map(|o| (o.field, o.month)).collect();
    assert_eq!(
        opened,
        [
            (SummaryField::Sales, Some(202610)),
            (SummaryField::VatPaid, Some(202610)),
            (SummaryField::Status, None)
        ]
    );
    for o in &package.openings {
        let c = match o.field {
            SummaryField::Sales => oct.sales,
            SummaryField::VatPaid => oct.vat_paid,
            SummaryField::OnTime => oct.on_time,
            SummaryField::Status => status_rec.status,
        };
        assert_eq!(o.opens(&u, &c).ok(), Some(true), "{o:?}");
        // The undisclosed on_time commitment is not opened by any of them.
        assert_eq!(o.opens(&u, &oct.on_time).ok(), Some(false));
    }
    assert_eq!(package.openings[0].value, "1094340");

    // Another enterprise, the tax authority and nobody get 404.
    for who in ["tencent", "officer", ""] {
        let (status, _) =
            call(&app, "GET", &format!("/v1/disclosures/{id}/package"), who, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
    }
    // A node without the secret, or with another, says so.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("chain-secret"), hex::encode([1u8; 32])).unwrap();
    for secrets in [None, Some(other.path().to_path_buf())] {
        let (status, e) = call(
            &c.app_with(secrets),
            "GET",
            &format!("/v1/disclosures/{id}/package"),
            "huawei",
            None,
        )
        .await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, Some("invoice.no_chain_secret")),
            "{e}"
        );
    }

    // Revoked: only by its owner, then the package is refused.
    let (status, e) =
        call(&app, "POST", &format!("/v1/disclosures/{id}/revoke"), "tencent", None).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("invoice.not_your_grant")),
        "{e}"
    );
    let (status, r) =
        call(&app, "POST", &format!("/v1/disclosures/{id}/revoke"), "huawei", None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, e) =
        call(&app, "GET", &format!("/v1/disclosures/{id}/package"), "huawei", None).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("invoice.grant_revoked")),
        "{e}"
    );
    let (_, list) = call(&app, "GET", "/v1/disclosures", "huawei", None).await;
    assert_eq!(list[0]["in_force"], false);
    assert!(list[0]["revoked_at"].is_u64());
    // Tencent's own list is empty; it cannot list Huawei's.
    let (_, list) = call(&app, "GET", "/v1/disclosures", "tencent", None).await;
    assert_eq!(list, json!([]));
    let (status, _) =
        call(&app, "GET", &format!("/v1/disclosures?uscc={HUAWEI}"), "tencent", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
