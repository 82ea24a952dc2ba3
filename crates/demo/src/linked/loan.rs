//! The loan half of the cross-chain demo's story ([`super::story::seed_loan`]), told over
//! the public APIs as the enterprise and the bank's loan officer would tell it: Huawei
//! fetches its packages from the tax and industry chains and hands them to the bank
//! whole; the bank's node applies with them once the finance chain's light client holds
//! their headers, reviews and approves ([`apply_and_approve`]); the bank finances one of
//! Huawei's invoices with a fresh proof and a second financing of it is refused
//! ([`finance_invoice`]).
//!
//! Each step looks on the finance chain first (the loan under the grant, the financing of
//! the invoice), so a demo restarted half-way makes nothing twice. A proof may fall out of
//! the light client's window between fetching and applying (`crosschain.stale`) or reach
//! the bank before its header (`finance.header_pending`, `crosschain.unknown_header`):
//! the step fetches fresh proofs and tries again, up to [`ATTEMPTS`] times.

use super::{
    chains::HUAWEI,
    client::{Chain, Reply},
    story::{ended_months, Linked, ATTESTED_MONTHS, PURPOSE},
};
use crate::{Error, Result};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// Amount Huawei asks for, fen (50,000,000.00 yuan).
const ASKED: i64 = 5_000_000_000;
/// Amount the bank grants, fen (40,000,000.00 yuan).
const GRANTED: i64 = 4_000_000_000;
/// The loan's term, months.
const TERM_MONTHS: u32 = 12;
/// The yearly rate granted, basis points (3.85%, the one-year LPR plus nothing).
const RATE_BP: u32 = 385;
/// What the bank advances on the financed invoice, fen (1,000,000.00 yuan; every demo
/// invoice totals more).
const ADVANCE: i64 = 100_000_000;

/// How many times a step fetches fresh proofs when they went stale or came too early.
pub const ATTEMPTS: usize = 5;

/// How long a step waits for a header to reach the finance chain's window.
const RELAY_WAIT: Duration = Duration::from_secs(90);

/// The refusals after which fresh proofs are fetched and the step tried again.
const RETRY: &[&str] = &["crosschain.stale", "crosschain.unknown_header", "finance.header_pending"];

/// Where a height stands in the finance chain's window of another chain.
#[derive(Debug, PartialEq, Eq)]
enum Kept {
    /// Kept: a proof against it is accepted.
    Yes,
    /// Not yet relayed.
    NotYet,
    /// Below the window: a proof against it is stale.
    Gone,
}

/// Where `height` stands among the window's `heights` (ascending).
fn kept_in(heights: &[u64], height: u64) -> Kept {
    match (heights.contains(&height), heights.first()) {
        (true, _) => Kept::Yes,
        (false, Some(oldest)) if height < *oldest => Kept::Gone,
        _ => Kept::NotYet,
    }
}

async fn kept(finance: &Chain, chain_id: &str, height: u64) -> Kept {
    let w = finance.get(&format!("/v1/crosschain/chains/{chain_id}")).await;
    let heights: Vec<u64> = w
        .as_ref()
        .and_then(|w| w["window"].as_array())
        .map(|a| a.iter().filter_map(|e| e["height"].as_u64()).collect())
        .unwrap_or_default();
    kept_in(&heights, height)
}

/// Waits until `height` of `chain_id` is in the finance chain's window: `Ok(true)` when
/// it is, `Ok(false)` when it went below the window first (fetch a fresher proof).
async fn relayed(finance: &Chain, chain_id: &str, height: u64) -> Result<bool> {
    let deadline = tokio::time::Instant::now() + RELAY_WAIT;
    loop {
        match kept(finance, chain_id, height).await {
            Kept::Yes => return Ok(true),
            Kept::Gone => return Ok(false),
            Kept::NotYet if tokio::time::Instant::now() > deadline => {
                return Err(Error::Seed(format!(
                    "{chain_id} header {height} was not relayed to {} in time",
                    finance.chain_id
                )))
            }
            Kept::NotYet => tokio::time::sleep(Duration::from_millis(300)).await,
        }
    }
}

/// `GET path` with `token`, waiting out `503 not_final_yet` (the latest change awaits its
/// certificate) for up to 30 seconds.
async fn get_final(client: &Chain, what: &str, path: &str, token: &str) -> Result<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let r: Reply = client.call(Method::GET, path, token, None).await?;
        if r.status != 503 || tokio::time::Instant::now() > deadline {
            return r.into_ok(what);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The height a package's claims are proven at (its first claim's in `list`).
fn proven_height(claims: &Value, what: &str) -> Result<u64> {
    claims["height"]
        .as_u64()
        .ok_or_else(|| Error::Seed(format!("{what} names no height: {claims}")))
}

/// The bank's loan under `grant`, if it applied already.
async fn loan_under(finance: &Chain, officer: &str, grant: &str) -> Result<Option<Value>> {
    let loans = finance
        .call(Method::GET, "/v1/finance/loans", officer, None)
        .await?
        .into_ok("the bank's loans")?;
    Ok(loans.as_array().into_iter().flatten().find(|l| l["grant"] == grant).cloned())
}

/// Step 6: the loan under `grant` applied for with Huawei's packages, reviewed and
/// approved (each part only if not done yet). Returns the loan as the bank reads it.
///
/// # Errors
/// A refusal, an unreachable node, or headers not relayed in time.
pub async fn apply_and_approve(
    tax: &Linked<'_>,
    finance: &Linked<'_>,
    industry: &Linked<'_>,
    grant: &str,
) -> Result<Value> {
    let officer = finance.token("Loan officer")?;
    let fin = &finance.client;
    if loan_under(fin, &officer, grant).await?.is_none() {
        apply(tax, finance, industry, grant, &officer).await?;
    }
    let loan = loan_under(fin, &officer, grant)
        .await?
        .ok_or_else(|| Error::Seed("the loan applied for is not listed".into()))?;
    let id = loan["id"].as_str().unwrap_or_default().to_string();
    let tax_height = loan["tax_height"].as_u64().unwrap_or_default();
    if loan["status"] == "applied" {
        let notes = format!(
            "Tax summary (12 months, status) verified against {} height {tax_height}; \
             operating data of the industry chain proven",
            tax.client.chain_id
        );
        fin.call(
            Method::POST,
            &format!("/v1/finance/loans/{id}/review"),
            &officer,
            Some(&json!({ "notes": notes })),
        )
        .await?
        .into_ok("reviewing the loan")?;
    }
    if matches!(loan["status"].as_str(), Some("applied" | "under_review")) {
        let reasons = format!(
            "Approved on Huawei's tax facts proven at {} height {tax_height} and its attested \
             electricity use, insured headcount and logistics volume",
            tax.client.chain_id
        );
        let decision = json!({"approve": true, "amount": GRANTED, "rate_bp": RATE_BP,
                              "term_months": TERM_MONTHS, "reasons": reasons});
        let r = fin
            .call(
                Method::POST,
                &format!("/v1/finance/loans/{id}/decision"),
                &officer,
                Some(&decision),
            )
            .await?;
        if !r.ok() && r.code() != "finance.already_decided" {
            return Err(Error::Seed(format!(
                "approving the loan refused: {} {}",
                r.status, r.body
            )));
        }
        tracing::info!(loan = %id, tax_height, amount = GRANTED, rate_bp = RATE_BP, "linked.loan_approved");
    }
    fin.call(Method::GET, &format!("/v1/finance/loans/{id}"), &officer, None)
        .await?
        .into_ok("the approved loan")
}

/// Fetches Huawei's packages and applies with them, fresh ones again when they go stale.
async fn apply(
    tax: &Linked<'_>,
    finance: &Linked<'_>,
    industry: &Linked<'_>,
    grant: &str,
    officer: &str,
) -> Result<()> {
    let huawei_tax = tax.token("Huawei finance office")?;
    let huawei_industry = industry.token("Huawei finance office")?;
    let months: Vec<String> =
        ended_months(ATTESTED_MONTHS)?.iter().map(ToString::to_string).collect();
    let industry_path =
        format!("/v1/industry/enterprises/{HUAWEI}/package?months={}", months.join(","));
    let fin = &finance.client;
    for attempt in 1..=ATTEMPTS {
        // What Huawei hands the bank off the chain: both packages as its nodes gave them.
        let package = get_final(
            &tax.client,
            "Huawei's disclosure package",
            &format!("/v1/disclosures/{grant}/package"),
            &huawei_tax,
        )
        .await?;
        let operating = get_final(
            &industry.client,
            "Huawei's operating package",
            &industry_path,
            &huawei_industry,
        )
        .await?;
        let tax_height = proven_height(&package["grant"], "the disclosure package")?;
        let industry_height = proven_height(&operating["records"][0], "the operating package")?;
        if !relayed(fin, &tax.client.chain_id, tax_height).await?
            || !relayed(fin, &industry.client.chain_id, industry_height).await?
        {
            continue;
        }
        let body = application(package, operating);
        let r = fin.call(Method::POST, "/v1/finance/loans", officer, Some(&body)).await?;
        if r.ok() {
            tracing::info!(loan = ?r.body["loan"].as_str(), tax_height, industry_height,
                openings_kept = r.body["openings_kept"].as_u64(), "linked.loan_applied");
            return Ok(());
        }
        if !RETRY.contains(&r.code()) {
            return Err(Error::Seed(format!(
                "the loan application refused: {} {}",
                r.status, r.body
            )));
        }
        tracing::info!(attempt, code = r.code(), "linked.loan_application_retried");
    }
    Err(Error::Seed(format!("the loan application: proofs stale {ATTEMPTS} times")))
}

/// The loan application the bank's node receives: both packages as Huawei received them —
/// the tax chain's disclosure package and the industry chain's operating package (proven
/// claims and openings, which the bank's node checks and keeps).
fn application(package: Value, operating: Value) -> Value {
    json!({
        "package": package,
        "industry": operating,
        "amount": ASKED,
        "term_months": TERM_MONTHS,
        "purpose": PURPOSE,
    })
}

/// The financing of invoice `number`, if any bank made it.
async fn financing_of(finance: &Chain, officer: &str, number: &str) -> Result<Option<Value>> {
    let all = finance
        .call(Method::GET, "/v1/finance/financings", officer, None)
        .await?
        .into_ok("the bank's financings")?;
    Ok(all.as_array().into_iter().flatten().find(|f| f["number"] == number).cloned())
}

/// Step 7: the bank finances Huawei's first demo invoice under `loan` (unless it did),
/// then a second financing of it is refused with `finance.already_financed`.
///
/// # Errors
/// A refusal other than those, the second financing accepted, or a header not relayed
/// in time.
pub async fn finance_invoice(tax: &Linked<'_>, finance: &Linked<'_>, loan: &Value) -> Result<()> {
    let invoicing = tax.token("Huawei invoicing")?;
    let officer = finance.token("Loan officer")?;
    let desk = tax
        .client
        .call(Method::GET, "/v1/desk", &invoicing, None)
        .await?
        .into_ok("Huawei's issued invoices")?;
    // The desk lists the newest first: the story's first invoice is the last.
    let number = desk["issued"]
        .as_array()
        .and_then(|a| a.last())
        .and_then(|i| i["number"].as_str())
        .ok_or_else(|| Error::Seed("Huawei has issued no invoice".into()))?
        .to_string();
    let fin = &finance.client;
    if financing_of(fin, &officer, &number).await?.is_none() {
        let r = finance_once(tax, finance, loan, &number, &invoicing, &officer).await?;
        if !r.ok() {
            return Err(Error::Seed(format!(
                "financing invoice {number} refused: {} {}",
                r.status, r.body
            )));
        }
        tracing::info!(invoice = %number, amount = ADVANCE, "linked.invoice_financed");
    }
    let again = finance_once(tax, finance, loan, &number, &invoicing, &officer).await?;
    if again.ok() {
        return Err(Error::Seed(format!("a second financing of invoice {number} was accepted")));
    }
    if again.code() != "finance.already_financed" {
        return Err(Error::Seed(format!(
            "a second financing of invoice {number}: {} {}, not finance.already_financed",
            again.status, again.body
        )));
    }
    tracing::info!(invoice = %number, code = again.code(), "linked.second_financing_refused");
    Ok(())
}

/// One financing of `number` with a fresh proof bundle (fresher ones again when one goes
/// stale): the finance chain's answer.
async fn finance_once(
    tax: &Linked<'_>,
    finance: &Linked<'_>,
    loan: &Value,
    number: &str,
    invoicing: &str,
    officer: &str,
) -> Result<Reply> {
    let fin = &finance.client;
    let path = format!("/v1/invoices/{number}/proof");
    for attempt in 1..=ATTEMPTS {
        let bundle = get_final(&tax.client, "the invoice's proof", &path, invoicing).await?;
        let header = bundle["header_hex"]
            .as_str()
            .and_then(|h| hex::decode(h).ok())
            .and_then(|b| fapiao_types::decode_exact::<fapiao_types::Header>(&b, &()).ok())
            .ok_or_else(|| Error::Seed(format!("invoice {number}'s proof has no header")))?;
        if !relayed(fin, &tax.client.chain_id, header.height).await? {
            continue;
        }
        let body = json!({"uscc": HUAWEI, "loan": loan["id"], "amount": ADVANCE, "bundle": bundle});
        let r = fin.call(Method::POST, "/v1/finance/financings", officer, Some(&body)).await?;
        if !RETRY.contains(&r.code()) {
            return Ok(r);
        }
        tracing::info!(attempt, code = r.code(), "linked.financing_retried");
    }
    Err(Error::Seed(format!("financing invoice {number}: proofs stale {ATTEMPTS} times")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_height_is_kept_not_yet_relayed_or_gone_from_the_window() {
        let window = [52, 53, 54, 60];
        for (height, expected) in [
            (52, Kept::Yes),
            (54, Kept::Yes),
            (60, Kept::Yes),
            (51, Kept::Gone),
            (0, Kept::Gone),
            (61, Kept::NotYet),
            // A gap inside the window (a relayer skipped it): it may still come.
            (57, Kept::NotYet),
        ] {
            assert_eq!(kept_in(&window, height), expected, "height {height}");
        }
        assert_eq!(kept_in(&[], 5), Kept::NotYet, "an empty window awaits its first header");
    }

    #[test]
    fn the_application_hands_the_bank_both_packages_whole() {
        let package = json!({"uscc": HUAWEI, "grant_id": "ab", "grant": {"height": 9},
                             "records": [{"key": "tax-status/x"}],
                             "openings": [{"field": "status", "value": "active", "salt": "00"}]});
        let operating = json!({"uscc": HUAWEI, "records": [{"key": "operating-commit/x/202611"}],
                               "openings": [{"metric": "electricity_kwh", "value": "1"}]});
        let a = application(package.clone(), operating.clone());
        assert_eq!(a["package"], package, "claims and openings as Huawei received them");
        assert_eq!(a["industry"], operating, "the industry package as Huawei received it");
        assert!(a.get("operating").is_none(), "its claims are not sent twice");
        assert_eq!(a["amount"], ASKED);
        assert_eq!(a["term_months"], TERM_MONTHS);
        assert_eq!(a["purpose"], PURPOSE);
    }
}
