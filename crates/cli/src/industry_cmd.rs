//! `fapiao industry …`: the industry chain for its attesters (a utility, the
//! social-security office, a logistics operator), the park operator and an enterprise.
//! Writes go through `POST /v1/industry/actions` signed custodially for the token's
//! account; values are parsed here into the chain's types (a USCC, a month, a metric), so
//! a typo is refused before anything is sent.

use crate::{
    client::block_on,
    invoice_cmd::{call, print, Conn},
};
use anyhow::{anyhow, Result};
use clap::Subcommand;
use fapiao_industry_types::{Attest, Correct, IndustryAction, Metric, RegisterEnterprise};
use fapiao_values::{Month, Uscc};

/// Industry chain commands.
#[derive(Subcommand)]
pub enum IndustryCommand {
    /// Register an enterprise of the park (the park operator).
    Register {
        /// Its unified social credit code.
        #[arg(long)]
        uscc: String,
        /// Its registered name.
        #[arg(long)]
        name: String,
    },
    /// Attest an ended month's figure (an attester whose kind matches the metric).
    Attest {
        /// The enterprise's USCC.
        #[arg(long)]
        uscc: String,
        /// The month, yyyy-mm.
        #[arg(long)]
        month: String,
        /// electricity_kwh, insured_headcount or logistics_tonnes.
        #[arg(long)]
        metric: String,
        /// The figure (a non-negative integer).
        #[arg(long)]
        value: u64,
    },
    /// Correct a figure this organisation attested, with a reason.
    Correct {
        /// The enterprise's USCC.
        #[arg(long)]
        uscc: String,
        /// The month, yyyy-mm.
        #[arg(long)]
        month: String,
        /// The metric.
        #[arg(long)]
        metric: String,
        /// The corrected figure.
        #[arg(long)]
        value: u64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// An enterprise's registration (public).
    Enterprise {
        /// The enterprise's USCC.
        uscc: String,
    },
    /// An enterprise's figures with their commitments (the enterprise, the park operator,
    /// an attester for its own figures).
    Operating {
        /// The enterprise's USCC.
        uscc: String,
        /// Months yyyy-mm, comma-separated (default: the 12 months before this one).
        #[arg(long)]
        months: Option<String>,
    },
    /// The package to hand a bank off the chain: proven commitments and their openings
    /// (the enterprise only).
    Package {
        /// The enterprise's USCC.
        uscc: String,
        /// Months yyyy-mm, comma-separated (default: the 12 months before this one).
        #[arg(long)]
        months: Option<String>,
    },
}

fn uscc(s: &str) -> Result<Uscc> {
    Uscc::parse(s).map_err(|e| anyhow!("uscc: {e}"))
}

fn month(s: &str) -> Result<Month> {
    Month::parse(s).map_err(|e| anyhow!("month: {e}"))
}

fn metric(s: &str) -> Result<Metric> {
    Metric::parse(s).map_err(|e| anyhow!("metric: {e}"))
}

fn months_query(months: Option<&str>) -> Result<String> {
    let Some(list) = months else { return Ok(String::new()) };
    for m in list.split(',') {
        month(m.trim())?;
    }
    Ok(format!("?months={list}"))
}

/// `fapiao industry`.
pub fn industry(conn: Conn, cmd: IndustryCommand) -> Result<()> {
    use IndustryCommand as C;
    let action = match &cmd {
        C::Register { uscc: u, name } => {
            Some(IndustryAction::RegisterEnterprise(RegisterEnterprise {
                uscc: uscc(u)?,
                name: name.clone(),
            }))
        }
        C::Attest { uscc: u, month: m, metric: k, value } => Some(IndustryAction::Attest(Attest {
            uscc: uscc(u)?,
            month: month(m)?,
            metric: metric(k)?,
            value: *value,
        })),
        C::Correct { uscc: u, month: m, metric: k, value, reason } => {
            Some(IndustryAction::Correct(Correct {
                uscc: uscc(u)?,
                month: month(m)?,
                metric: metric(k)?,
                value: *value,
                reason: reason.clone(),
            }))
        }
        _ => None,
    };
    let v = block_on(async {
        if let Some(a) = action {
            return call(&conn, "POST", "/v1/industry/actions", Some(serde_json::to_value(a)?))
                .await;
        }
        match cmd {
            C::Enterprise { uscc: u } => {
                let u = uscc(&u)?;
                call(&conn, "GET", &format!("/v1/industry/enterprises/{u}"), None).await
            }
            C::Operating { uscc: u, months } => {
                let (u, q) = (uscc(&u)?, months_query(months.as_deref())?);
                call(&conn, "GET", &format!("/v1/industry/enterprises/{u}/operating{q}"), None)
                    .await
            }
            C::Package { uscc: u, months } => {
                let (u, q) = (uscc(&u)?, months_query(months.as_deref())?);
                call(&conn, "GET", &format!("/v1/industry/enterprises/{u}/package{q}"), None).await
            }
            _ => unreachable!("the writes are built above"),
        }
    })??;
    print(&v)
}
