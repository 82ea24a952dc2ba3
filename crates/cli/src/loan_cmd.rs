//! `fapiao loan …`: the cross-chain loan flow from the command line. On the tax node the
//! enterprise authorises a bank, revokes, and fetches the package it hands the bank
//! (`/v1/disclosures…`); on the finance node a bank officer applies with the package,
//! reviews, decides, finances an invoice, settles, reads its alerts, and anyone reports
//! a reversal (`/v1/finance/…`). Values are checked here against the chain's types (a
//! USCC, a field, a month, an amount in yuan, a claim's JSON) before anything is sent.

use crate::{
    client::block_on,
    invoice_cmd::{call, print, read_json, Conn},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use fapiao_crosschain_types::ClaimJson;
use fapiao_invoice_types::{DisclosurePackage, SummaryField};
use fapiao_values::{InvoiceNumber, Month, Uscc};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Loan commands.
#[derive(Subcommand)]
pub enum LoanCommand {
    /// (Tax node, the enterprise) authorise a bank to receive fields of the tax summary:
    /// `POST /v1/disclosures`.
    Authorise {
        /// The enterprise's USCC.
        #[arg(long)]
        uscc: String,
        /// The receiving chain.
        #[arg(long, default_value = "fapiao-finance")]
        chain_id: String,
        /// The bank's organisation id on that chain.
        #[arg(long)]
        bank: String,
        /// What for.
        #[arg(long)]
        purpose: String,
        /// Fields, comma-separated: sales, vat_paid, on_time, status.
        #[arg(long, value_delimiter = ',', default_value = "sales,vat_paid,on_time,status")]
        fields: Vec<String>,
        /// First month covered (yyyymm).
        #[arg(long)]
        first_month: u32,
        /// Last month covered (yyyymm).
        #[arg(long)]
        last_month: u32,
        /// Expiry, ms since the Unix epoch.
        #[arg(long)]
        expires_ms: u64,
    },
    /// (Tax node, the enterprise) revoke a grant: `POST /v1/disclosures/{id}/revoke`.
    Revoke {
        /// The grant's id (hex).
        id: String,
    },
    /// (Tax node, the enterprise) fetch the package to hand the bank, off the chain:
    /// `GET /v1/disclosures/{id}/package`.
    Package {
        /// The grant's id (hex).
        id: String,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// (Finance node, a bank officer) apply with the enterprise's package: the node checks
    /// the openings, submits the proofs, keeps the openings.
    Apply {
        /// The package file.
        #[arg(long)]
        package: PathBuf,
        /// Amount asked, yuan.
        #[arg(long)]
        amount: String,
        /// Term, months.
        #[arg(long)]
        term_months: u32,
        /// What for.
        #[arg(long)]
        purpose: String,
        /// Industry-chain claims (a JSON array of claims) to cite as operating data.
        #[arg(long)]
        operating: Option<PathBuf>,
        /// The enterprise's industry package (`fapiao industry package`): its records are
        /// cited as operating data and its openings checked and kept by the bank's node.
        #[arg(long)]
        industry: Option<PathBuf>,
    },
    /// (Finance node) the loans this bank (or, for the regulator, every bank) holds.
    List,
    /// (Finance node) one loan with the verified facts the bank holds.
    Show {
        /// The loan's id (hex).
        id: String,
    },
    /// (Finance node, the bank) take a loan under review.
    Review {
        /// The loan's id.
        id: String,
        /// Notes.
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// (Finance node, the bank) approve (with --amount, --rate-bp, --term-months) or
    /// decline (--decline) a loan.
    Decide {
        /// The loan's id.
        id: String,
        /// Decline instead of approving.
        #[arg(long)]
        decline: bool,
        /// Amount granted, yuan.
        #[arg(long)]
        amount: Option<String>,
        /// Yearly rate, basis points.
        #[arg(long)]
        rate_bp: Option<u32>,
        /// Term, months.
        #[arg(long)]
        term_months: Option<u32>,
        /// Why.
        #[arg(long)]
        reasons: String,
    },
    /// (Finance node, the bank) finance an invoice the enterprise issued, with its proof:
    /// a claim of `invoice/<number>` (--claim) or its invoice proof bundle (--bundle).
    Finance {
        /// The seller's USCC.
        #[arg(long)]
        uscc: String,
        /// The loan it is financed under (hex).
        #[arg(long)]
        loan: Option<String>,
        /// Amount advanced, yuan.
        #[arg(long)]
        amount: String,
        /// A claim JSON file.
        #[arg(long, conflicts_with = "bundle")]
        claim: Option<PathBuf>,
        /// An invoice proof bundle file (`fapiao invoice proof`).
        #[arg(long)]
        bundle: Option<PathBuf>,
    },
    /// (Finance node, anyone) relay a proof that a financed invoice was reversed.
    ReportReversal {
        /// The invoice number.
        number: String,
        /// A claim JSON file of `invoice/<number>` at a newer tax header.
        #[arg(long)]
        claim: PathBuf,
    },
    /// (Finance node, the bank) settle a financing with a fresh proof.
    Settle {
        /// The invoice number.
        number: String,
        /// A fresh claim JSON file of `invoice/<number>`.
        #[arg(long)]
        claim: PathBuf,
        /// Settled by the buyer (default: repaid by the enterprise).
        #[arg(long)]
        by_buyer: bool,
    },
    /// (Finance node) the bank's at-risk alerts.
    Alerts,
}

fn fen(s: &str, field: &str) -> Result<i64> {
    fapiao_values::Fen::parse_unsigned(s).map(|f| f.fen()).map_err(|e| anyhow!("{field}: {e}"))
}

fn month(m: u32, field: &str) -> Result<u32> {
    Month::from_yyyymm(m).map(|m| m.yyyymm()).map_err(|e| anyhow!("{field}: {e}"))
}

fn claim(file: &PathBuf) -> Result<Value> {
    let v = read_json(file)?;
    let c: ClaimJson = serde_json::from_value(v.clone())
        .with_context(|| format!("{} is not a claim", file.display()))?;
    c.to_claim().map_err(|e| anyhow!("{}: {e}", file.display()))?;
    Ok(v)
}

fn hex_id(s: &str, field: &'static str) -> Result<String> {
    fapiao_types::parse_hex32(field, s).map_err(|e| anyhow!("{e}"))?;
    Ok(s.to_string())
}

/// The request of a command: method, path, body.
fn request(cmd: &LoanCommand) -> Result<(&'static str, String, Option<Value>)> {
    use LoanCommand as C;
    Ok(match cmd {
        C::Authorise {
            uscc,
            chain_id,
            bank,
            purpose,
            fields,
            first_month,
            last_month,
            expires_ms,
        } => {
            Uscc::parse(uscc).map_err(|e| anyhow!("uscc: {e}"))?;
            for f in fields {
                SummaryField::parse(f).map_err(|e| anyhow!("fields: {e}"))?;
            }
            let body = json!({
                "uscc": uscc, "chain_id": chain_id, "bank": bank, "purpose": purpose,
                "fields": fields, "first_month": month(*first_month, "first_month")?,
                "last_month": month(*last_month, "last_month")?, "expires_ms": expires_ms,
            });
            ("POST", "/v1/disclosures".into(), Some(body))
        }
        C::Revoke { id } => ("POST", format!("/v1/disclosures/{}/revoke", hex_id(id, "id")?), None),
        C::Package { id, .. } => {
            ("GET", format!("/v1/disclosures/{}/package", hex_id(id, "id")?), None)
        }
        C::Apply { package, amount, term_months, purpose, operating, industry } => {
            let pkg = read_json(package)?;
            serde_json::from_value::<DisclosurePackage>(pkg.clone())
                .with_context(|| format!("{} is not a disclosure package", package.display()))?;
            let operating = match operating {
                Some(f) => {
                    let v = read_json(f)?;
                    serde_json::from_value::<Vec<ClaimJson>>(v.clone())
                        .with_context(|| format!("{} is not a list of claims", f.display()))?;
                    v
                }
                None => json!([]),
            };
            let mut body = json!({
                "package": pkg, "amount": fen(amount, "amount")?, "term_months": term_months,
                "purpose": purpose, "operating": operating,
            });
            if let Some(f) = industry {
                let v = read_json(f)?;
                serde_json::from_value::<fapiao_industry_types::OperatingPackage>(v.clone())
                    .with_context(|| format!("{} is not an industry package", f.display()))?;
                body["industry"] = v;
            }
            ("POST", "/v1/finance/loans".into(), Some(body))
        }
        C::List => ("GET", "/v1/finance/loans".into(), None),
        C::Show { id } => ("GET", format!("/v1/finance/loans/{}", hex_id(id, "id")?), None),
        C::Review { id, notes } => (
            "POST",
            format!("/v1/finance/loans/{}/review", hex_id(id, "id")?),
            Some(json!({ "notes": notes })),
        ),
        C::Decide { id, decline, amount, rate_bp, term_months, reasons } => {
            let body = if *decline {
                json!({ "approve": false, "reasons": reasons })
            } else {
                let (Some(a), Some(r), Some(t)) = (amount, rate_bp, term_months) else {
                    bail!("an approval needs --amount, --rate-bp and --term-months");
                };
                json!({ "approve": true, "amount": fen(a, "amount")?, "rate_bp": r, "term_months": t, "reasons": reasons })
            };
            ("POST", format!("/v1/finance/loans/{}/decision", hex_id(id, "id")?), Some(body))
        }
        C::Finance { uscc, loan, amount, claim: c, bundle } => {
            Uscc::parse(uscc).map_err(|e| anyhow!("uscc: {e}"))?;
            let loan = loan.as_deref().map(|l| hex_id(l, "loan")).transpose()?;
            let mut body = json!({ "uscc": uscc, "loan": loan, "amount": fen(amount, "amount")? });
            match (c, bundle) {
                (Some(f), None) => body["invoice"] = claim(f)?,
                (None, Some(f)) => body["bundle"] = read_json(f)?,
                _ => bail!("give --claim or --bundle"),
            }
            ("POST", "/v1/finance/financings".into(), Some(body))
        }
        C::ReportReversal { number, claim: c } => {
            InvoiceNumber::parse(number).map_err(|e| anyhow!("number: {e}"))?;
            (
                "POST",
                format!("/v1/finance/financings/{number}/reversal"),
                Some(json!({ "invoice": claim(c)? })),
            )
        }
        C::Settle { number, claim: c, by_buyer } => {
            InvoiceNumber::parse(number).map_err(|e| anyhow!("number: {e}"))?;
            let body = json!({ "repaid": !by_buyer, "invoice": claim(c)? });
            ("POST", format!("/v1/finance/financings/{number}/settle"), Some(body))
        }
        C::Alerts => ("GET", "/v1/finance/alerts".into(), None),
    })
}

/// `fapiao loan`.
pub fn loan(conn: Conn, cmd: LoanCommand) -> Result<()> {
    let (method, path, body) = request(&cmd)?;
    let v = block_on(call(&conn, method, &path, body))??;
    if let LoanCommand::Package { out, .. } = &cmd {
        serde_json::from_value::<DisclosurePackage>(v.clone())
            .context("the node's answer is not a disclosure package")?;
        std::fs::write(out, serde_json::to_vec_pretty(&v)?)
            .with_context(|| format!("writing {}", out.display()))?;
        println!("{}", out.display());
        return Ok(());
    }
    print(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_before_anything_is_sent() {
        let bad = LoanCommand::Authorise {
            uscc: "914403001922038216".into(),
            chain_id: "fapiao-finance".into(),
            bank: "icbc".into(),
            purpose: "loan".into(),
            fields: vec!["sales".into(), "profit".into()],
            first_month: 202601,
            last_month: 202606,
            expires_ms: 1,
        };
        assert!(request(&bad).unwrap_err().to_string().contains("fields"));
        let ok = LoanCommand::Decide {
            id: "11".repeat(32),
            decline: false,
            amount: Some("4000000.00".into()),
            rate_bp: Some(385),
            term_months: Some(12),
            reasons: "steady".into(),
        };
        let (method, path, body) = request(&ok).unwrap();
        assert_eq!(
            (method, path.as_str()),
            ("POST", &*format!("/v1/finance/loans/{}/decision", "11".repeat(32)))
        );
        assert_eq!(body.unwrap()["amount"], 400_000_000);
        let no_terms = LoanCommand::Decide {
            id: "11".repeat(32),
            decline: false,
            amount: None,
            rate_bp: None,
            term_months: None,
            reasons: "x".into(),
        };
        assert!(request(&no_terms).is_err());
        assert!(request(&LoanCommand::Show { id: "xyz".into() }).is_err());
    }
}
