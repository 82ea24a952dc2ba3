//! `fapiao invoice …` and `fapiao taxpayer …`: the invoice API for operators and
//! scripts. Writes go through the node's custodial endpoints with an API token
//! (`--token` or `FAPIAO_TOKEN`); output is the API's JSON.

use crate::client::block_on;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Where and as whom.
#[derive(Args, Clone)]
pub struct Conn {
    /// Node API URL.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "FAPIAO_NODE", global = true)]
    node: String,
    /// API token of the acting account.
    #[arg(long, env = "FAPIAO_TOKEN", global = true, hide_env_values = true)]
    token: Option<String>,
}

/// Invoice commands.
#[derive(Subcommand)]
pub enum InvoiceCommand {
    /// Issue an invoice from a JSON file (the body of `POST /v1/invoices`; `-` for stdin).
    Issue {
        /// The JSON file.
        file: PathBuf,
    },
    /// Validate an issuance and print its computed totals without committing.
    Preview {
        /// The JSON file.
        file: PathBuf,
    },
    /// Show an invoice.
    Show {
        /// The 20-digit number.
        number: String,
    },
    /// Show an invoice's event history.
    History {
        /// The number.
        number: String,
    },
    /// List the invoices in the caller's wallet.
    Wallet,
    /// Submit an invoice to an enterprise for reimbursement.
    Submit {
        /// The number.
        number: String,
        /// The enterprise's USCC.
        #[arg(long)]
        enterprise: String,
    },
    /// Accept a submitted invoice (reimbursed, locked for good).
    Reimburse {
        /// The number.
        number: String,
    },
    /// Reject a submitted invoice.
    Reject {
        /// The number.
        number: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Book a special invoice for input-tax deduction.
    Book {
        /// The number.
        number: String,
    },
    /// Flag (or with --clear, clear) an invoice under investigation.
    Flag {
        /// The number.
        number: String,
        /// Why.
        #[arg(long)]
        reason: String,
        /// Clear the flag instead.
        #[arg(long)]
        clear: bool,
    },
    /// Public verification by number, issue date and total with tax.
    Verify {
        /// The number.
        #[arg(long)]
        number: String,
        /// Issue date, yyyy-mm-dd.
        #[arg(long)]
        date: String,
        /// Total with tax, e.g. 1506.80.
        #[arg(long)]
        total: String,
    },
}

/// Taxpayer commands.
#[derive(Subcommand)]
pub enum TaxpayerCommand {
    /// Register a taxpayer (tax officer).
    Register {
        /// USCC.
        #[arg(long)]
        uscc: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// 6-digit administrative division code.
        #[arg(long)]
        region: String,
        /// general or small_scale.
        #[arg(long, default_value = "general")]
        seller_type: String,
        /// Authorised issuing account (repeatable).
        #[arg(long = "issuer")]
        issuers: Vec<String>,
    },
    /// Show a taxpayer.
    Show {
        /// USCC.
        uscc: String,
    },
    /// Freeze, unfreeze (active) or deregister a taxpayer (tax officer).
    Status {
        /// USCC.
        uscc: String,
        /// active, frozen or deregistered.
        #[arg(long)]
        status: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Set the monthly credit ceiling (tax officer).
    Credit {
        /// USCC.
        uscc: String,
        /// Ceiling in yuan, e.g. 100000.00.
        #[arg(long)]
        monthly_ceiling: String,
    },
    /// Compute (or with --file, file) a month's VAT return.
    VatReturn {
        /// USCC.
        uscc: String,
        /// Month, yyyy-mm.
        #[arg(long)]
        month: String,
        /// File it.
        #[arg(long)]
        file: bool,
    },
}

pub(crate) async fn call(
    conn: &Conn,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Value> {
    let url = format!("{}{path}", conn.node.trim_end_matches('/'));
    let client = crate::client::http()?;
    let mut req = match method {
        "GET" => client.get(&url),
        _ => client.post(&url).json(&body.unwrap_or_else(|| json!({}))),
    };
    if let Some(t) = &conn.token {
        req = req.bearer_auth(t);
    }
    let resp =
        req.send().await.with_context(|| format!("{method} {url}{}", crate::client::hint(&url)))?;
    let status = resp.status();
    let v: Value = resp.json().await.context("response is not JSON")?;
    if !status.is_success() {
        let field = v["field"].as_str().map(|f| format!(" (field {f})")).unwrap_or_default();
        bail!(
            "{status}: {}: {}{field}",
            v["code"].as_str().unwrap_or("?"),
            v["message"].as_str().unwrap_or("")
        );
    }
    Ok(v)
}

pub(crate) fn read_json(file: &PathBuf) -> Result<Value> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))
}

pub(crate) fn print(v: &Value) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// `fapiao invoice`.
pub fn invoice(conn: Conn, cmd: InvoiceCommand) -> Result<()> {
    use InvoiceCommand as C;
    let v = block_on(async {
        match cmd {
            C::Issue { file } => call(&conn, "POST", "/v1/invoices", Some(read_json(&file)?)).await,
            C::Preview { file } => {
                call(&conn, "POST", "/v1/invoices/preview", Some(read_json(&file)?)).await
            }
            C::Show { number } => call(&conn, "GET", &format!("/v1/invoices/{number}"), None).await,
            C::History { number } => {
                call(&conn, "GET", &format!("/v1/invoices/{number}/history"), None).await
            }
            C::Wallet => call(&conn, "GET", "/v1/wallet", None).await,
            C::Submit { number, enterprise } => {
                call(
                    &conn,
                    "POST",
                    &format!("/v1/invoices/{number}/submit"),
                    Some(json!({"enterprise": enterprise})),
                )
                .await
            }
            C::Reimburse { number } => {
                call(&conn, "POST", &format!("/v1/invoices/{number}/reimburse"), None).await
            }
            C::Reject { number, reason } => {
                call(
                    &conn,
                    "POST",
                    &format!("/v1/invoices/{number}/reject"),
                    Some(json!({"reason": reason})),
                )
                .await
            }
            C::Book { number } => {
                call(&conn, "POST", &format!("/v1/invoices/{number}/book"), None).await
            }
            C::Flag { number, reason, clear } => {
                call(
                    &conn,
                    "POST",
                    &format!("/v1/invoices/{number}/flag"),
                    Some(json!({"flagged": !clear, "reason": reason})),
                )
                .await
            }
            C::Verify { number, date, total } => {
                call(
                    &conn,
                    "GET",
                    &format!("/v1/verify?number={number}&date={date}&total={total}"),
                    None,
                )
                .await
            }
        }
    })??;
    print(&v)
}

/// `fapiao taxpayer`.
pub fn taxpayer(conn: Conn, cmd: TaxpayerCommand) -> Result<()> {
    use TaxpayerCommand as C;
    let v = block_on(async {
        match cmd {
            C::Register { uscc, name, region, seller_type, issuers } => {
                let body = json!({"uscc": uscc, "name": name, "region": region, "seller_type": seller_type, "issuers": issuers});
                call(&conn, "POST", "/v1/taxpayers", Some(body)).await
            }
            C::Show { uscc } => call(&conn, "GET", &format!("/v1/taxpayers/{uscc}"), None).await,
            C::Status { uscc, status, reason } => {
                call(
                    &conn,
                    "POST",
                    &format!("/v1/taxpayers/{uscc}/status"),
                    Some(json!({"status": status, "reason": reason})),
                )
                .await
            }
            C::Credit { uscc, monthly_ceiling } => {
                call(
                    &conn,
                    "POST",
                    &format!("/v1/taxpayers/{uscc}/credit"),
                    Some(json!({"monthly_ceiling": monthly_ceiling})),
                )
                .await
            }
            C::VatReturn { uscc, month, file } => {
                let path = format!("/v1/taxpayers/{uscc}/vat-returns/{month}");
                call(&conn, if file { "POST" } else { "GET" }, &path, None).await
            }
        }
    })??;
    print(&v)
}

/// Payment orders and claims.
#[derive(Subcommand)]
pub enum OrderCommand {
    /// Record a payment order from a JSON file (the body of `POST /v1/orders`); prints the
    /// order id and the one-time claim code.
    Record {
        /// The JSON file (`-` for stdin).
        file: PathBuf,
    },
    /// Claim an order with its code and a buyer title (consumer).
    Claim {
        /// Order id (hex).
        order_id: String,
        /// The claim code from the receipt.
        #[arg(long)]
        code: String,
        /// Buyer name or title.
        #[arg(long)]
        name: String,
        /// Buyer taxpayer id (enterprise buyers).
        #[arg(long, default_value = "")]
        tax_id: String,
        /// ordinary or special.
        #[arg(long, default_value = "ordinary")]
        kind: String,
    },
    /// Issue the invoice of a claimed order (the merchant).
    Issue {
        /// Order id (hex).
        order_id: String,
    },
}

/// Red-letter forms.
#[derive(Subcommand)]
pub enum RedCommand {
    /// Raise a form from a JSON file (the body of `POST /v1/red-letter`).
    Raise {
        /// The JSON file (`-` for stdin).
        file: PathBuf,
    },
    /// Show a form.
    Show {
        /// Form id (hex).
        id: String,
    },
    /// Confirm a form (the other party): the seller's confirmation issues the red
    /// invoice; after the buyer's, the seller issues it (`issue`).
    Confirm {
        /// Form id.
        id: String,
    },
    /// Issue the red invoice of a form the buyer confirmed (the seller).
    Issue {
        /// Form id.
        id: String,
    },
    /// Refuse a form (the other party).
    Refuse {
        /// Form id.
        id: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Withdraw a form (the raiser): before confirmation, or after the buyer's
    /// confirmation while the red invoice is not issued.
    Withdraw {
        /// Form id.
        id: String,
    },
}

/// `fapiao order`.
pub fn order(conn: Conn, cmd: OrderCommand) -> Result<()> {
    use OrderCommand as C;
    let v = block_on(async {
        match cmd {
            C::Record { file } => call(&conn, "POST", "/v1/orders", Some(read_json(&file)?)).await,
            C::Claim { order_id, code, name, tax_id, kind } => {
                let body = json!({"claim_code": code, "kind": kind, "buyer": {"name": name, "tax_id": tax_id}});
                call(&conn, "POST", &format!("/v1/orders/{order_id}/claim"), Some(body)).await
            }
            C::Issue { order_id } => {
                call(&conn, "POST", &format!("/v1/orders/{order_id}/issue"), None).await
            }
        }
    })??;
    print(&v)
}

/// `fapiao red-letter`.
pub fn red_letter(conn: Conn, cmd: RedCommand) -> Result<()> {
    use RedCommand as C;
    let v = block_on(async {
        match cmd {
            C::Raise { file } => {
                call(&conn, "POST", "/v1/red-letter", Some(read_json(&file)?)).await
            }
            C::Show { id } => call(&conn, "GET", &format!("/v1/red-letter/{id}"), None).await,
            C::Confirm { id } => {
                call(&conn, "POST", &format!("/v1/red-letter/{id}/confirm"), None).await
            }
            C::Issue { id } => {
                call(&conn, "POST", &format!("/v1/red-letter/{id}/issue"), None).await
            }
            C::Refuse { id, reason } => {
                call(
                    &conn,
                    "POST",
                    &format!("/v1/red-letter/{id}/refuse"),
                    Some(json!({"reason": reason})),
                )
                .await
            }
            C::Withdraw { id } => {
                call(&conn, "POST", &format!("/v1/red-letter/{id}/withdraw"), None).await
            }
        }
    })??;
    print(&v)
}

/// `fapiao alerts`.
pub fn alerts(conn: Conn, rule: Option<String>) -> Result<()> {
    let path = match rule {
        Some(r) => format!("/v1/alerts?rule={r}"),
        None => "/v1/alerts".to_string(),
    };
    let v = block_on(call(&conn, "GET", &path, None))??;
    print(&v)
}
