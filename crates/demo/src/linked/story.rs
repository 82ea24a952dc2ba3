//! What `fapiao demo --cross-chain` puts on its chains, by signed transactions and the
//! authenticated routes of each chain's public API with the demo's tokens, the way any
//! client would: [`seed`] before the relayers run, [`seed_loan`] once they do.
//!
//! [`seed`]:
//! 1. every chain's demo member accounts (the tax officer, Huawei's finance office and
//!    invoicing account, the bank's loan officer, the relayers' accounts, the industry
//!    chain's park officer and attesters, Huawei's finance office there), added by
//!    their organisations' admins;
//! 2. the finance chain registers the tax and industry chains by governance: the bank's
//!    admin proposes `crosschain/chains` with the value of `finance/registrations.json`,
//!    the regulator's admin approves (a majority of the finance chain's two
//!    organisations), effective after the governance delay;
//! 3. on the tax chain the bureau's officer registers Huawei (914403001922038216) as a
//!    taxpayer with its invoicing account and a monthly credit, Huawei issues a few
//!    special invoices to Shenzhen Metro, and its finance office files last month's VAT
//!    return;
//! 4. on the industry chain the park officer registers Huawei, and the power utility,
//!    the social-security office and the logistics operator attest its electricity use,
//!    insured headcount and logistics volume for the last [`ATTESTED_MONTHS`] months;
//! 5. Huawei's finance office authorises `sz-bank` on the tax chain
//!    (`AuthoriseDisclosure`, [`PURPOSE`]): monthly sales, VAT paid and filing on time for
//!    the last 12 months, and its taxpayer status, for 90 days.
//!
//! [`seed_loan`] ([`super::loan`]), once the relayers carry headers:
//! 6. Huawei fetches its packages — the tax chain's `/v1/disclosures/{id}/package` and the
//!    industry chain's `/v1/industry/enterprises/{uscc}/package` — and hands them to the
//!    bank whole; when the finance chain's light client holds both packages' headers, the
//!    loan officer records the application with them (`POST /v1/finance/loans`), reviews
//!    it and approves it (amount, rate, term, reasons citing the tax height);
//! 7. the bank finances Huawei's first invoice of step 3 under the loan with a fresh
//!    proof of `invoice/<n>` (the invoice proof bundle), and a second financing of it, with
//!    another fresh proof, is refused with `finance.already_financed` — the expected end
//!    of the story, logged as `linked.second_financing_refused`.
//!
//! Every step is idempotent: a repeated transaction meets "already exists" and moves on;
//! a step that would not (the registration proposal, the invoices) is marked done by
//! `finance/registration-proposed` and `tax/demo/invoices-issued`; the grant, the loan and
//! the financing are looked up on their chains before they are made. The whole is marked
//! done by `DIR/seeded`, so a restarted demo seeds nothing.

use super::{
    chains::{
        demo_members, WrittenChain, HUAWEI, LOGISTICS_DISPATCHER, METER_READER, PARK_OFFICER,
        SOCIAL_SECURITY_CLERK,
    },
    client::{Chain, Reply},
};
use crate::{key_file, story::rand_salt, Error, Identity, Result};
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::{
    Buyer, BuyerKind, FileVatReturn, GrantCredit, InvoiceAction, IssueInvoice, LineInput,
    RegisterTaxpayer,
};
use fapiao_types::{
    Action, Change, Effective, Genesis, InvoiceKind, Month, NewAccount, ParamValue, ProposalRef,
    Propose, SellerType, Uscc,
};
use reqwest::Method;
use serde_json::{json, Value};
use std::{path::Path, time::Duration};

/// The marker of a seeded demo, under `DIR`.
pub const SEEDED: &str = "seeded";

/// The buyer of Huawei's demo invoices.
const METRO: (&str, &str) = ("914403002796543264", "深圳市地铁集团有限公司");

/// Huawei's monthly invoicing credit, fen (10,000,000.00 yuan).
const CREDIT: i64 = 1_000_000_000;

/// How many invoices Huawei issues.
const INVOICES: usize = 3;

/// The bank Huawei authorises (its organisation id on the finance chain).
pub const BANK: &str = "sz-bank";

/// The purpose of the demo's grant, by which a restarted demo finds it again.
pub const PURPOSE: &str = "流动资金贷款 working-capital loan (fapiao demo)";

/// How long the demo's grant runs, ms (90 days).
const GRANT_MS: u64 = 90 * 86_400_000;

/// How many ended months the industry chain's attesters attest.
pub const ATTESTED_MONTHS: usize = 3;

/// Who attests what on the industry chain: the attester, the metric, the figure of the
/// oldest attested month and its step per month.
const ATTESTATIONS: &[(&str, &str, u64, u64)] = &[
    (METER_READER, "electricity_kwh", 1_250_000, 20_000),
    (SOCIAL_SECURITY_CLERK, "insured_headcount", 2_150, 15),
    (LOGISTICS_DISPATCHER, "logistics_tonnes", 3_400, 120),
];

/// One chain of the demo with its client.
pub struct Linked<'a> {
    /// As `init` wrote it.
    pub chain: &'a WrittenChain,
    /// Its API (node 0).
    pub client: Chain,
}

impl<'a> Linked<'a> {
    /// The chain `w` through its node 0.
    ///
    /// # Errors
    /// [`Error::Layout`] for a chain without nodes.
    pub fn new(w: &'a WrittenChain) -> Result<Self> {
        let api = w.api.first().ok_or_else(|| Error::Layout(format!("{} has no node", w.name)))?;
        Ok(Linked { chain: w, client: Chain::new(api, &w.registration.chain_id)? })
    }

    /// The admin key of organisation `org`.
    ///
    /// # Errors
    /// A missing key file.
    pub fn admin(&self, org: &str) -> Result<SigningKey> {
        Ok(fapiao_keystore::read_key_file(
            self.chain.dir.join("admins").join(format!("{org}.json")),
        )?)
    }

    /// The API token of the demo identity `name` (an admin or member of this chain) from
    /// `identities.json`, as a signed-in page uses it.
    ///
    /// # Errors
    /// A missing or unreadable file, or no such identity.
    pub fn token(&self, name: &str) -> Result<String> {
        let path = self.chain.dir.join("identities.json");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let ids: Vec<Identity> = serde_json::from_str(&text)
            .map_err(|e| Error::Layout(format!("{}: {e}", path.display())))?;
        ids.into_iter()
            .find(|i| i.name == name)
            .map(|i| i.token)
            .ok_or_else(|| Error::Layout(format!("{}: no identity {name:?}", path.display())))
    }

    /// The demo member `name`'s key.
    ///
    /// # Errors
    /// A missing key file.
    pub fn member(&self, name: &str) -> Result<SigningKey> {
        Ok(fapiao_keystore::read_key_file(key_file(&self.chain.dir, name))?)
    }
}

/// Finds the chain `name` among `chains`.
///
/// # Errors
/// [`Error::Layout`] when it is not there.
pub fn find<'a, 'b>(chains: &'a [Linked<'b>], name: &str) -> Result<&'a Linked<'b>> {
    chains
        .iter()
        .find(|c| c.chain.name == name)
        .ok_or_else(|| Error::Layout(format!("no {name} chain")))
}

/// Whether `dir` holds a demo seeded to the end (`dir/seeded`).
pub fn seeded(dir: &Path) -> bool {
    dir.join(SEEDED).exists()
}

/// Steps 1–5 (see the module docs) on the three running chains, before the relayers
/// start; nothing when `dir/seeded` says the whole story was told.
///
/// # Errors
/// A step refused, a node unreachable, or the registration not in force in time.
pub async fn seed(dir: &Path, chains: &[Linked<'_>]) -> Result<()> {
    if seeded(dir) {
        return Ok(());
    }
    for c in chains {
        accounts(c).await?;
    }
    let finance = find(chains, "finance")?;
    register_on_finance(finance).await?;
    let tax = find(chains, "tax")?;
    tax_story(tax).await?;
    industry_story(find(chains, "industry")?).await?;
    authorise(tax, &finance.client.chain_id).await?;
    Ok(())
}

/// Steps 6–7 (see the module docs), once the relayers carry headers, then the marker
/// `dir/seeded`; nothing when it is there.
///
/// # Errors
/// A step refused (a second financing accepted among them), a node unreachable, or a
/// header not relayed in time.
pub async fn seed_loan(dir: &Path, chains: &[Linked<'_>]) -> Result<()> {
    if seeded(dir) {
        return Ok(());
    }
    let (tax, finance) = (find(chains, "tax")?, find(chains, "finance")?);
    let grant = authorise(tax, &finance.client.chain_id).await?;
    let loan =
        super::loan::apply_and_approve(tax, finance, find(chains, "industry")?, &grant).await?;
    super::loan::finance_invoice(tax, finance, &loan).await?;
    fapiao_node::write_atomic(&dir.join(SEEDED), b"seeded\n")?;
    tracing::info!("linked.seeded");
    Ok(())
}

/// Step 1: the chain's demo member accounts.
async fn accounts(c: &Linked<'_>) -> Result<()> {
    for (org, name, roles, _) in demo_members(&c.chain.name) {
        let key = c.member(name)?;
        let action = Action::AddAccount(NewAccount {
            public_key: key.public_key(),
            name: (*name).to_string(),
            roles: roles.to_vec(),
        });
        let what = format!("{}: account {name}", c.chain.name);
        c.client.ensure(&what, &c.admin(org)?, action, &["account_exists"]).await?;
    }
    Ok(())
}

/// Whether the finance chain follows `chain_id` (its registration is in force).
pub async fn follows(finance: &Chain, chain_id: &str) -> bool {
    finance.get(&format!("/v1/crosschain/chains/{chain_id}")).await.is_some()
}

/// Step 2: the finance chain registers the others by governance, then waits until the
/// registration is in force.
async fn register_on_finance(finance: &Linked<'_>) -> Result<()> {
    let client = &finance.client;
    let regs_path = finance.chain.dir.join("registrations.json");
    let text = std::fs::read_to_string(&regs_path).map_err(|e| Error::io(&regs_path, e))?;
    let regs: Value = serde_json::from_str(&text)
        .map_err(|e| Error::Layout(format!("{}: {e}", regs_path.display())))?;
    let ids: Vec<String> = regs["chains"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["chain_id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let mut all = true;
    for id in &ids {
        all &= follows(client, id).await;
    }
    let proposed = finance.chain.dir.join("registration-proposed");
    if !all && !proposed.exists() {
        let genesis_path = finance.chain.dir.join("genesis.json");
        let text =
            std::fs::read_to_string(&genesis_path).map_err(|e| Error::io(&genesis_path, e))?;
        let genesis = Genesis::from_json(&text)?;
        let activation = client.height().await + genesis.governance.activation_delay + 5;
        let propose = Action::Propose(Propose {
            change: Change::SetParam {
                param: "crosschain/chains".into(),
                effective: Effective::AtHeight(activation),
                value: ParamValue(regs.to_string()),
            },
            note: "follow the tax and industry chains (fapiao demo --cross-chain)".into(),
        });
        let id = match client.submit(&finance.admin("sz-bank")?, propose).await? {
            Ok(id) => id
                .parse::<u64>()
                .map_err(|_| Error::Seed(format!("proposal id {id:?} is no number")))?,
            Err(code) => return Err(Error::Seed(format!("registration proposal: {code}"))),
        };
        if genesis.governance.threshold > 1 {
            let approve = Action::ApproveProposal(ProposalRef { id });
            client
                .ensure("registration approval", &finance.admin("regulator")?, approve, &[])
                .await?;
        }
        fapiao_node::write_atomic(&proposed, format!("{activation}\n").as_bytes())?;
        tracing::info!(proposal = id, activation, "linked.registration_enacted");
    }
    for id in &ids {
        client
            .wait_for(&format!("the registration of {id}"), Duration::from_secs(120), || {
                follows(client, id)
            })
            .await?;
    }
    Ok(())
}

/// Step 3: Huawei on the tax chain.
async fn tax_story(tax: &Linked<'_>) -> Result<()> {
    let uscc = demo_value::<Uscc>(HUAWEI)?;
    let officer = tax.member("Officer Chen")?;
    let invoicing = tax.member("Huawei invoicing")?;
    let finance_office = tax.member("Huawei finance office")?;
    let register = InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
        uscc,
        name: "华为技术有限公司".into(),
        region: demo_value("440300")?,
        seller_type: SellerType::General,
        issuers: vec![invoicing.account_id()],
    });
    let client = &tax.client;
    client
        .ensure("registering Huawei", &officer, register.into(), &["invoice.taxpayer_exists"])
        .await?;
    let credit = InvoiceAction::GrantCredit(GrantCredit { uscc, monthly_ceiling: CREDIT });
    client.ensure("granting Huawei credit", &officer, credit.into(), &[]).await?;
    // Issuing is not idempotent by itself: a marker says it was done.
    let issued = tax.chain.dir.join("demo").join("invoices-issued");
    if !issued.exists() {
        issue_invoices(client, &invoicing, uscc).await?;
        fapiao_node::write_atomic(&issued, b"issued\n")?;
    }
    let month = Month::from_unix_ms(fapiao_node::now_ms())
        .previous()
        .ok_or_else(|| Error::Seed("no month before this one".into()))?;
    let file = InvoiceAction::FileVatReturn(FileVatReturn { uscc, month });
    client
        .ensure(
            "filing Huawei's VAT return",
            &finance_office,
            file.into(),
            &["invoice.already_filed"],
        )
        .await
}

/// Huawei's invoicing account issues [`INVOICES`] special invoices to Shenzhen Metro.
async fn issue_invoices(client: &Chain, invoicing: &SigningKey, uscc: Uscc) -> Result<()> {
    let six = demo_value("0.06")?;
    for n in 0..INVOICES {
        let issue = InvoiceAction::IssueInvoice(IssueInvoice {
            seller: uscc,
            kind: InvoiceKind::Special,
            type_code: "81".into(),
            buyer: Buyer {
                kind: BuyerKind::Enterprise,
                name: METRO.1.into(),
                tax_id: Some(demo_value(METRO.0)?),
                holder: None,
            },
            lines: vec![LineInput {
                name: "*信息技术服务*信息系统集成服务".into(),
                tax_code: "3040203000000000000".into(),
                spec: String::new(),
                unit: String::new(),
                quantity: None,
                unit_price: None,
                amount: Some(120_000_000 + 10_000_000 * n as i64), // 1,200,000.00 yuan and up
                gross: None,
                rate: six,
                tax: None,
            }],
            remarks: "地铁信息系统集成项目".into(),
            salt: rand_salt(),
            industry: None,
        });
        client.ensure("issuing Huawei's invoice", invoicing, issue.into(), &[]).await?;
    }
    Ok(())
}

/// The last `n` ended months (China time), oldest first.
pub fn ended_months(n: usize) -> Result<Vec<Month>> {
    let mut m = Month::from_unix_ms(fapiao_node::now_ms());
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        m = m.previous().ok_or_else(|| Error::Seed("no month before this one".into()))?;
        out.push(m);
    }
    out.reverse();
    Ok(out)
}

/// `POST path` with `token` and `body`; success or one of the refusals `done` (a
/// repeated step's) both mean the step is done.
async fn post_done(
    client: &Chain,
    what: &str,
    path: &str,
    token: &str,
    body: &Value,
    done: &[&str],
) -> Result<()> {
    let r: Reply = client.call(Method::POST, path, token, Some(body)).await?;
    if r.ok() || done.contains(&r.code()) {
        return Ok(());
    }
    Err(Error::Seed(format!("{what} refused: {} {}", r.status, r.body)))
}

/// Step 4: the park registers Huawei; its attesters attest the last months' figures.
async fn industry_story(industry: &Linked<'_>) -> Result<()> {
    let client = &industry.client;
    let register =
        json!({"action": "register_enterprise", "uscc": HUAWEI, "name": "华为技术有限公司"});
    let park = industry.token(PARK_OFFICER)?;
    post_done(
        client,
        "registering Huawei with the park",
        "/v1/industry/actions",
        &park,
        &register,
        &["industry.enterprise_exists"],
    )
    .await?;
    let months = ended_months(ATTESTED_MONTHS)?;
    for (attester, metric, first, step) in ATTESTATIONS {
        let token = industry.token(attester)?;
        for (k, month) in months.iter().enumerate() {
            let attest = json!({"action": "attest", "uscc": HUAWEI, "month": month.to_string(),
                                "metric": metric, "value": first + step * k as u64});
            let what = format!("{attester} attesting Huawei's {metric} of {month}");
            post_done(
                client,
                &what,
                "/v1/industry/actions",
                &token,
                &attest,
                &["industry.already_attested"],
            )
            .await?;
        }
    }
    tracing::info!(months = ATTESTED_MONTHS, "linked.operating_attested");
    Ok(())
}

/// Step 5: Huawei's grant to the bank on the tax chain — the one in force with
/// [`PURPOSE`] if there is one, else a new one. Returns its id.
///
/// # Errors
/// A refusal or an unreachable node.
pub async fn authorise(tax: &Linked<'_>, finance_chain: &str) -> Result<String> {
    let client = &tax.client;
    let office = tax.token("Huawei finance office")?;
    let grants = client
        .call(Method::GET, "/v1/disclosures", &office, None)
        .await?
        .into_ok("Huawei's grants")?;
    let ours = grants.as_array().into_iter().flatten().find(|g| {
        g["bank"] == BANK
            && g["chain_id"] == finance_chain
            && g["purpose"] == PURPOSE
            && g["in_force"] == true
    });
    if let Some(id) = ours.and_then(|g| g["id"].as_str()) {
        return Ok(id.to_string());
    }
    let months = ended_months(12)?;
    let (first, last) = match (months.first(), months.last()) {
        (Some(f), Some(l)) => (f.to_string(), l.to_string()),
        _ => return Err(Error::Seed("no months to disclose".into())),
    };
    let body = json!({
        "uscc": HUAWEI, "chain_id": finance_chain, "bank": BANK, "purpose": PURPOSE,
        "fields": ["sales", "vat_paid", "on_time", "status"],
        "first_month": first, "last_month": last,
        "expires_ms": fapiao_node::now_ms() + GRANT_MS,
    });
    let g = client
        .call(Method::POST, "/v1/disclosures", &office, Some(&body))
        .await?
        .into_ok("Huawei authorising the bank")?;
    let id = g["id"]
        .as_str()
        .ok_or_else(|| Error::Seed(format!("a grant without its id: {g}")))?
        .to_string();
    tracing::info!(grant = %id, bank = BANK, height = g["height"].as_u64(), "linked.disclosure_authorised");
    Ok(id)
}

/// A value of the demo's data, parsed as the API would parse it.
fn demo_value<T: std::str::FromStr<Err = fapiao_values::Error>>(s: &str) -> Result<T> {
    s.parse().map_err(|e: fapiao_values::Error| Error::Seed(format!("demo value {s}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ended_months_run_up_to_last_month_oldest_first() {
        let this = Month::from_unix_ms(fapiao_node::now_ms());
        let twelve = ended_months(12).unwrap();
        assert_eq!(twelve.len(), 12);
        assert_eq!(twelve.last().copied(), this.previous());
        assert!(twelve.windows(2).all(|w| w[1].previous() == Some(w[0])), "{twelve:?}");
        assert_eq!(ended_months(ATTESTED_MONTHS).unwrap(), twelve[12 - ATTESTED_MONTHS..]);
        assert!(ended_months(0).unwrap().is_empty());
    }
}
