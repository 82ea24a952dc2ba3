//! What `fapiao demo --cross-chain` puts on its chains, by signed transactions over each
//! chain's public API, the way any client would: [`seed`].
//!
//! Done here, with what the platform already supports:
//! 1. every chain's demo member accounts (the tax officer, Huawei's finance office and
//!    invoicing account, the bank's loan officer, the relayers' accounts), added by
//!    their organisations' admins;
//! 2. the finance chain registers the tax and industry chains by governance: the bank's
//!    admin proposes `crosschain/chains` with the value of `finance/registrations.json`,
//!    the regulator's admin approves (a majority of the finance chain's two
//!    organisations), effective after the governance delay;
//! 3. on the tax chain the bureau's officer registers Huawei (914403001922038216) as a
//!    taxpayer with its invoicing account and a monthly credit, Huawei issues a few special invoices to
//!    Shenzhen Metro, and its finance office files last month's VAT return.
//!
//! **What comes next** (issue 18, added once the finance, industry and tax-summary
//! applications are merged, as further steps of [`seed`] before the marker is written):
//! Huawei authorises `sz-bank` to receive its tax summary (tax chain,
//! `AuthoriseDisclosure`); the utilities attest Huawei's operating data (industry chain);
//! the bank's loan officer records a loan application citing the relayed commitments,
//! reviews and approves it (finance chain); the bank finances one of the invoices issued
//! in step 3, and a second financing of it is refused.
//!
//! Every step is idempotent (a repeated step meets "already exists" and moves on; the
//! registration proposal and the invoices, which would not, are marked done by
//! `finance/registration-proposed` and `tax/demo/invoices-issued`), and the whole is
//! marked done by `DIR/seeded`, so a restarted demo seeds nothing.

use super::{
    chains::{demo_members, WrittenChain, HUAWEI},
    client::Chain,
};
use crate::{key_file, story::rand_salt, Error, Result};
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::{
    Buyer, BuyerKind, FileVatReturn, GrantCredit, InvoiceAction, IssueInvoice, LineInput,
    RegisterTaxpayer,
};
use fapiao_types::{
    Action, Change, Effective, Genesis, InvoiceKind, Month, NewAccount, ParamValue, ProposalRef,
    Propose, SellerType, Uscc,
};
use serde_json::Value;
use std::{path::Path, time::Duration};

/// The marker of a seeded demo, under `DIR`.
pub const SEEDED: &str = "seeded";

/// The buyer of Huawei's demo invoices.
const METRO: (&str, &str) = ("914403002796543264", "深圳市地铁集团有限公司");

/// Huawei's monthly invoicing credit, fen (10,000,000.00 yuan).
const CREDIT: i64 = 1_000_000_000;

/// How many invoices Huawei issues.
const INVOICES: usize = 3;

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

/// Seeds the demo on its three running chains (see the module docs), unless
/// `dir/seeded` says it was done; writes that marker when done.
///
/// # Errors
/// A step refused, a node unreachable, or the registration not in force in time.
pub async fn seed(dir: &Path, chains: &[Linked<'_>]) -> Result<()> {
    if dir.join(SEEDED).exists() {
        return Ok(());
    }
    for c in chains {
        accounts(c).await?;
    }
    register_on_finance(find(chains, "finance")?).await?;
    tax_story(find(chains, "tax")?).await?;
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

/// A value of the demo's data, parsed as the API would parse it.
fn demo_value<T: std::str::FromStr<Err = fapiao_values::Error>>(s: &str) -> Result<T> {
    s.parse().map_err(|e: fapiao_values::Error| Error::Seed(format!("demo value {s}: {e}")))
}
