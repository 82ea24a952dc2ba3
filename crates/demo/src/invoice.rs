//! The invoice application's story: the tax bureau, a metro operator, a restaurant, a
//! payment platform with a consumer, an enterprise, and three small companies whose
//! books one agency keeps. On first start the bureau registers the taxpayers and grants
//! credit, and a month of traffic follows: catalogues and automatic issuing, paid orders
//! claimed by the consumer, reimbursements accepted and rejected, special invoices
//! booked, a red reversal and a circular ring for the risk rules to find.
//!
//! The claim codes of the orders left unclaimed are written to
//! `DIR/demo/unclaimed-orders.json` (served at `/demo/unclaimed-orders.json`, listed on
//! the start page and in the start-up banner), so that a newcomer can claim one.

use crate::{
    story::{key_named, rand_nonce, rand_salt, signed, submit_all_and_wait, SeedFuture},
    DemoMember, DemoOrg, Error, Planned, Result, Seeding, Story,
};
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::{InvoiceAction, InvoiceKey};
use fapiao_types::{Action, OrgKind, Role, SignedTx, Suite};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The invoice application's story.
pub struct InvoiceStory;

impl Story for InvoiceStory {
    fn name(&self) -> &'static str {
        "invoice"
    }

    fn organisations(&self) -> &'static [DemoOrg] {
        DEMO_ORGS
    }

    fn seed<'a>(&'a self, seeding: &'a Seeding<'a>) -> SeedFuture<'a> {
        Box::pin(async move {
            seed_taxpayers(seeding, seeding.planned).await?;
            seed_invoices(seeding, seeding.planned).await
        })
    }

    fn files(&self) -> &'static [&'static str] {
        &[UNCLAIMED_FILE]
    }

    fn notes(&self, demo_dir: &Path, base: &str) -> Vec<String> {
        let path = demo_dir.join(UNCLAIMED_FILE);
        let Some(orders) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<Vec<UnclaimedOrder>>(&t).ok())
        else {
            return Vec::new();
        };
        let mut lines = vec![format!(
            "Unclaimed orders: {} (claim codes in {}), e.g.:",
            orders.len(),
            path.display()
        )];
        for o in orders.iter().take(3) {
            lines.push(format!("  {base}{}   {} yuan, {}", o.claim_url, o.amount, o.merchant_name));
        }
        lines
    }
}

/// Where the claim codes of the unclaimed orders are kept, under `DIR/demo/`.
pub const UNCLAIMED_FILE: &str = "unclaimed-orders.json";

/// One line of `unclaimed-orders.json`: an order the platform recorded and nobody
/// claimed, with what a receipt's QR code would carry.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct UnclaimedOrder {
    /// The order id (hex).
    pub order_id: String,
    /// The claim code printed on the receipt.
    pub claim_code: String,
    /// The claim page's path (`/claim/ORDER?code=CODE`), what the QR code opens.
    pub claim_url: String,
    /// The merchant's USCC.
    pub merchant: String,
    /// The merchant's name.
    pub merchant_name: String,
    /// The amount paid, yuan (`"12.00"`).
    pub amount: String,
}

const fn m(name: &'static str, roles: &'static [Role], suite: Suite) -> DemoMember {
    DemoMember::new(name, roles, suite)
}

/// The invoice story's organisations. Tax ids are check-digit-valid USCCs; the platform and the
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

/// Monthly credit granted to the demo's sellers, fen (500,000.00 and 200,000.00 yuan).
const DEMO_CREDIT: &[(&str, i64)] =
    &[("sz-metro", 50_000_000), ("old-street-restaurant", 20_000_000)];

/// The tax bureau registers every demo organisation that has a taxpayer id, with its
/// issuing accounts, and grants the sellers their monthly credit — by signed
/// transactions of its officer, as in production. Idempotent.
async fn seed_taxpayers(h: &Seeding<'_>, planned: &Planned) -> Result<()> {
    use fapiao_invoice_types::{GrantCredit, RegisterTaxpayer, TaxpayerRecord};
    use fapiao_types::{SellerType, StateKey};
    let officer = key_named(planned, "Officer Chen")?;
    let mut txs = Vec::new();
    for (org, members) in planned {
        if org.tax_id.is_empty() {
            continue;
        }
        let uscc = demo_uscc(org.tax_id)?;
        if h.node
            .ledger
            .get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(uscc)))?
            .is_some()
        {
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
            Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
                uscc,
                name: org.name.into(),
                region: demo_value("440300")?,
                seller_type: SellerType::General,
                issuers,
            })),
        ));
    }
    submit_all_and_wait(h, txs).await?;
    let mut txs = Vec::new();
    for (id, credit) in DEMO_CREDIT {
        let org = h.org(id)?;
        let uscc = demo_uscc(org.tax_id)?;
        let current = h
            .node
            .ledger
            .get::<fapiao_invoice_types::CreditRecord>(&StateKey::from(InvoiceKey::Credit(uscc)))?;
        if current.is_some_and(|c| c.monthly_ceiling == *credit) {
            continue;
        }
        txs.push(signed(
            h,
            officer,
            Action::from(InvoiceAction::GrantCredit(GrantCredit {
                uscc,
                monthly_ceiling: *credit,
            })),
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

fn item(sku: &str, amount: i64) -> fapiao_invoice_types::OrderItem {
    fapiao_invoice_types::OrderItem {
        sku: sku.into(),
        name: String::new(),
        tax_code: String::new(),
        rate: None,
        amount,
    }
}

/// A few hundred invoices in every state, through the same transactions as real
/// traffic: catalogues and automatic issuing; payment orders recorded by the platform
/// and claimed by the consumer (issued at once); reimbursements accepted and rejected;
/// special invoices booked; a red reversal; and a circular ring among three companies.
/// Runs once (skipped when the restaurant's delegation exists).
async fn seed_invoices(h: &Seeding<'_>, planned: &Planned) -> Result<()> {
    use fapiao_invoice_types::{
        AutoIssueRecord, Buyer, BuyerKind, ClaimOrder, GrantCredit, InvoiceBody, InvoiceRef,
        IssueInvoice, LineInput, RaiseRedForm, RecordOrder, RedReason, RejectReimbursement,
        SetAcceptedPlatforms, SetAutoIssue, SetCatalogueItem, SubmitInvoice,
    };
    use fapiao_types::{Hash32, InvoiceKind, Quantity, RateCode, StateKey, UnitPrice, Uscc};
    const RESTAURANT: Uscc = Uscc::from_const("91440300555012347H");
    const METRO: Uscc = Uscc::from_const("914403002796543264");
    const HUAWEI: Uscc = Uscc::from_const("914403001922038216");
    if h.ledger
        .get::<AutoIssueRecord>(&StateKey::from(InvoiceKey::AutoIssue(RESTAURANT)))?
        .is_some()
    {
        return Ok(());
    }
    let k = |name: &str| key_named(planned, name);
    let (pos, metro, gateway, li) =
        (k("Restaurant POS")?, k("Metro ticketing")?, k("Payments gateway")?, k("Li Wei")?);
    let (huawei, officer) = (k("Huawei finance office")?, k("Officer Chen")?);
    let catalogue =
        |key: &SigningKey, uscc: Uscc, sku: &str, name: &str, code: &str, rate: RateCode| {
            signed(
                h,
                key,
                Action::from(InvoiceAction::SetCatalogueItem(SetCatalogueItem {
                    uscc,
                    sku: sku.into(),
                    name: name.into(),
                    tax_code: code.into(),
                    rate,
                })),
            )
        };
    let accept = |key: &SigningKey, uscc: Uscc| {
        signed(
            h,
            key,
            Action::from(InvoiceAction::SetAcceptedPlatforms(SetAcceptedPlatforms {
                uscc,
                platforms: vec!["wechat-pay".into()],
            })),
        )
    };
    let auto = |key: &SigningKey, uscc: Uscc| {
        signed(
            h,
            key,
            Action::from(InvoiceAction::SetAutoIssue(SetAutoIssue {
                uscc,
                platform_org: "wechat-pay".into(),
                enabled: true,
            })),
        )
    };
    let six = demo_rate("0.06")?;
    submit_all_and_wait(
        h,
        vec![
            catalogue(pos, RESTAURANT, "LUNCH", "*餐饮服务*餐费", "3070401000000000000", six),
            catalogue(pos, RESTAURANT, "COFFEE", "*餐饮服务*饮品", "3070401000000000000", six),
            catalogue(
                metro,
                METRO,
                "FARE",
                "*运输服务*城市轨道交通客运服务",
                "3010102020100000000",
                demo_rate("0.09")?,
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
    let mut unclaimed = Vec::new();
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
            Action::from(InvoiceAction::RecordOrder(RecordOrder {
                merchant,
                amount,
                items,
                claim_code_hash: fapiao_types::sha256(code.as_bytes()),
            })),
        );
        let org = if merchant == RESTAURANT { "old-street-restaurant" } else { "sz-metro" };
        let merchant_name = h.org(org)?.name;
        unclaimed.push(UnclaimedOrder {
            order_id: hex::encode(tx.hash()),
            claim_url: format!("/claim/{}?code={code}", hex::encode(tx.hash())),
            claim_code: code.clone(),
            merchant: merchant.to_string(),
            merchant_name: merchant_name.into(),
            amount: fapiao_values::Fen::new(amount).map(|a| a.to_string()).unwrap_or_default(),
        });
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
    let claims_count = 180;
    for (i, (order, code)) in orders.iter().enumerate().take(claims_count) {
        // Meals are claimed with the employer's title for reimbursement.
        let buyer = if i % 4 == 0 { employer.clone() } else { person.clone() };
        claims.push(signed(
            h,
            li,
            Action::from(InvoiceAction::ClaimOrder(ClaimOrder {
                order_id: *order,
                claim_code: code.clone(),
                kind: InvoiceKind::Ordinary,
                buyer,
                salt: rand_salt(),
            })),
        ));
    }
    let claim_hashes: Vec<Hash32> = claims.iter().map(SignedTx::hash).collect();
    submit_all_and_wait(h, claims).await?;
    // The other orders' claim codes, kept where a newcomer finds them.
    let open = unclaimed.split_off(claims_count);
    let text = serde_json::to_string_pretty(&open).map_err(|e| Error::Seed(e.to_string()))?;
    h.write_file(UNCLAIMED_FILE, text.as_bytes())?;
    let mut meals = Vec::new();
    for hash in &claim_hashes {
        if let Some(number) = h.ledger.transaction(hash)?.and_then(|f| f.receipt.output.invoice()) {
            let body: Option<InvoiceBody> =
                h.ledger.get(&StateKey::from(InvoiceKey::InvoiceBody(number)))?;
            if body.is_some_and(|b| b.buyer.tax_id == Some(HUAWEI)) {
                meals.push(number);
            }
        }
    }

    // Li Wei hands meal invoices to Huawei: most reimbursed, a few rejected, some pending.
    let submit = |number| SubmitInvoice { number, enterprise: HUAWEI };
    let submits = meals
        .iter()
        .take(30)
        .map(|n| signed(h, li, Action::from(InvoiceAction::SubmitInvoice(submit(*n)))))
        .collect();
    submit_all_and_wait(h, submits).await?;
    let mut answers = Vec::new();
    for (i, n) in meals.iter().take(30).enumerate() {
        match i % 6 {
            0 => answers.push(signed(
                h,
                huawei,
                Action::from(InvoiceAction::RejectReimbursement(RejectReimbursement {
                    number: *n,
                    reason: "非工作日餐费不予报销".into(),
                })),
            )),
            1 => {} // still awaiting the finance office
            _ => answers.push(signed(
                h,
                huawei,
                Action::from(InvoiceAction::AcceptReimbursement(InvoiceRef { number: *n })),
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
            Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
                seller: RESTAURANT,
                kind: InvoiceKind::Special,
                type_code: "81".into(),
                buyer: Buyer { holder: Some(huawei.account_id()), ..employer.clone() },
                lines: vec![LineInput {
                    name: "*餐饮服务*会议餐饮服务".into(),
                    tax_code: "3070401000000000000".into(),
                    spec: String::new(),
                    unit: "人次".into(),
                    quantity: Some(demo_value::<Quantity>(&(20 + 5 * i).to_string())?),
                    unit_price: Some(demo_value::<UnitPrice>("85.00")?),
                    amount: None,
                    gross: None,
                    rate: six,
                    tax: None,
                }],
                remarks: "年度技术大会餐饮".into(),
                salt: rand_salt(),
                industry: None,
            })),
        ));
    }
    let special_hashes: Vec<Hash32> = specials.iter().map(SignedTx::hash).collect();
    submit_all_and_wait(h, specials).await?;
    let mut books = Vec::new();
    for hash in special_hashes.iter().take(4) {
        if let Some(number) = h.ledger.transaction(hash)?.and_then(|f| f.receipt.output.invoice()) {
            books.push(signed(
                h,
                huawei,
                Action::from(InvoiceAction::BookInvoice(InvoiceRef { number })),
            ));
        }
    }
    submit_all_and_wait(h, books).await?;

    // An issuing error: the restaurant reverses one unused invoice in full.
    if let Some(unused) = meals.get(40) {
        let red = Action::from(InvoiceAction::RaiseRedForm(RaiseRedForm {
            blue_number: *unused,
            reason: RedReason::IssuingError,
            lines: vec![],
            salt: rand_salt(),
        }));
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
                Action::from(InvoiceAction::GrantCredit(GrantCredit {
                    uscc: demo_uscc(uscc)?,
                    monthly_ceiling: 500_000_000, // 5,000,000.00 yuan
                })),
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
            Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
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
                    quantity: None,
                    unit_price: None,
                    amount: Some(188_000_000), // 1,880,000.00 yuan
                    gross: None,
                    rate: six,
                    tax: None,
                }],
                remarks: String::new(),
                salt: rand_salt(),
                industry: None,
            })),
        ));
    }
    submit_all_and_wait(h, ring).await
}

/// A demo organisation's taxpayer id as a USCC (every one is valid: `fapiao demo` fails
/// loudly otherwise).
fn demo_rate(s: &str) -> Result<fapiao_types::RateCode> {
    demo_value(s)
}

/// A value of the demo's data, parsed as the API would parse it.
fn demo_value<T: std::str::FromStr<Err = fapiao_values::Error>>(s: &str) -> Result<T> {
    s.parse().map_err(|e: fapiao_values::Error| Error::Seed(format!("demo value {s}: {e}")))
}

fn demo_uscc(s: &str) -> Result<fapiao_types::Uscc> {
    s.parse().map_err(|e: fapiao_values::Error| Error::Seed(format!("demo taxpayer id {s}: {e}")))
}
