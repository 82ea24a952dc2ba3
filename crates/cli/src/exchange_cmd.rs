//! `fapiao exchange …`: the four-department exchange and natural-person sharing, for a
//! department's officers, a person and an employer. Every call is the API's (a token with
//! `--token` or `FAPIAO_TOKEN`); encryption, subject tags and opening answers happen on
//! the department's own node, which holds its key. Output is the API's JSON.

use crate::{
    client::block_on,
    invoice_cmd::{call, print, read_json, Conn},
};
use anyhow::Result;
use clap::Subcommand;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Exchange commands.
#[derive(Subcommand)]
pub enum ExchangeCommand {
    /// Every department's published catalogue (anyone).
    Catalogue,
    /// A department's current encryption key (anyone).
    Key {
        /// The department's organisation id.
        org: String,
    },
    /// The caller's department desk: catalogue, queries in and out (opened where this
    /// node holds the key), watch list, joint alerts.
    Desk,
    /// Generate a new encryption key for the caller's department, keep its secret in the
    /// node's secrets directory and register the public half (a new epoch).
    RotateKey {
        /// `hpke-x25519-chacha20poly1305` or `sm2-sm4-gcm`.
        #[arg(long, default_value = "hpke-x25519-chacha20poly1305")]
        suite: String,
    },
    /// Ask a department one catalogue item about a subject (sealed to it; the subject
    /// goes on chain only as its keyed tag).
    Ask {
        /// The department asked.
        #[arg(long)]
        to: String,
        /// The catalogue item (e.g. `customs.export_declarations`).
        #[arg(long)]
        item: String,
        /// USCC or resident ID.
        #[arg(long)]
        subject: String,
        /// The purpose: a case number.
        #[arg(long)]
        purpose: String,
        /// The person's account, for an item that needs consent.
        #[arg(long)]
        person: Option<String>,
        /// Extra named parameters, `name=value` (e.g. `period_from=2026-08`).
        #[arg(long = "param", value_parser = parse_param)]
        params: Vec<(String, String)>,
    },
    /// One query with its answer (opened where this node holds the key).
    Query {
        /// The query id (64 hex).
        id: String,
    },
    /// Put a subject on the caller's department's watch list.
    Watch {
        /// USCC or resident ID.
        #[arg(long)]
        subject: String,
        /// `export_rebate_fraud`, `invoice_mill`, `shell_company` or `other`.
        #[arg(long)]
        category: String,
    },
    /// Distribute a new watch key to the four intelligence departments (tax authority).
    RotateWatchKey,
    /// Attach a finding to a joint alert's case (sealed to its departments).
    Finding {
        /// The alert id.
        alert: String,
        /// The finding.
        text: String,
    },
    /// Take a case (assign it to the caller).
    Assign {
        /// The alert id.
        alert: String,
    },
    /// Close a case with an outcome (`confirmed_fraud`, `cleared`, `referred`).
    Close {
        /// The alert id.
        alert: String,
        /// The outcome.
        #[arg(long)]
        outcome: String,
        /// A summary.
        #[arg(long, default_value = "")]
        summary: String,
    },
    /// A person's own data: declarations, consents and the access log.
    Me,
    /// Declare special additional deductions from a JSON file (the body of
    /// `POST /v1/exchange/me/declarations`, `-` for stdin).
    Declare {
        /// The JSON file.
        file: PathBuf,
    },
    /// Let a department ask one item about the caller, for a purpose, until a date.
    Consent {
        /// The department allowed to ask.
        #[arg(long)]
        department: String,
        /// The catalogue item.
        #[arg(long)]
        item: String,
        /// The purpose.
        #[arg(long)]
        purpose: String,
        /// Last day, yyyy-mm-dd.
        #[arg(long)]
        expires: String,
    },
    /// Revoke a consent.
    Revoke {
        /// The consent id.
        id: String,
    },
    /// Record the tax bureau's verification of one declared item (tax officer).
    Verify {
        /// The declaration id.
        declaration: String,
        /// The item's index in the declaration.
        #[arg(long)]
        item: u32,
        /// `verified` or `rejected`.
        #[arg(long)]
        result: String,
        /// The answers relied on (query ids).
        #[arg(long = "answer")]
        answers: Vec<String>,
    },
    /// An employer's view: its employees' declared deduction amounts for a year.
    Withholding {
        /// The tax year.
        #[arg(long)]
        year: u16,
    },
    /// Send any exchange action from a JSON file (docs/formats.md; `-` for stdin).
    Act {
        /// The JSON file.
        file: PathBuf,
    },
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("expected name=value, got {s:?}"))?;
    Ok((k.trim().to_string(), v.trim().to_string()))
}

/// `fapiao exchange`.
pub fn exchange(conn: Conn, cmd: ExchangeCommand) -> Result<()> {
    use ExchangeCommand as C;
    let v: Value = block_on(async {
        match cmd {
            C::Catalogue => call(&conn, "GET", "/v1/exchange/catalogue", None).await,
            C::Key { org } => call(&conn, "GET", &format!("/v1/exchange/keys/{org}"), None).await,
            C::Desk => call(&conn, "GET", "/v1/exchange/desk", None).await,
            C::RotateKey { suite } => {
                call(&conn, "POST", "/v1/exchange/keys", Some(json!({ "suite": suite }))).await
            }
            C::Ask { to, item, subject, purpose, person, params } => {
                let params: serde_json::Map<String, Value> =
                    params.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
                let body = json!({ "to": to, "item": item, "subject": subject,
                    "purpose": purpose, "person": person, "params": params });
                call(&conn, "POST", "/v1/exchange/queries", Some(body)).await
            }
            C::Query { id } => {
                call(&conn, "GET", &format!("/v1/exchange/queries/{id}"), None).await
            }
            C::Watch { subject, category } => {
                let body = json!({ "subject": subject, "category": category });
                call(&conn, "POST", "/v1/exchange/watch", Some(body)).await
            }
            C::RotateWatchKey => call(&conn, "POST", "/v1/exchange/watch-key", None).await,
            C::Finding { alert, text } => {
                let path = format!("/v1/exchange/alerts/{alert}/findings");
                call(&conn, "POST", &path, Some(json!({ "text": text }))).await
            }
            C::Assign { alert } => {
                call(&conn, "POST", &format!("/v1/exchange/alerts/{alert}/assign"), None).await
            }
            C::Close { alert, outcome, summary } => {
                let path = format!("/v1/exchange/alerts/{alert}/close");
                call(&conn, "POST", &path, Some(json!({ "outcome": outcome, "summary": summary })))
                    .await
            }
            C::Me => call(&conn, "GET", "/v1/exchange/me", None).await,
            C::Declare { file } => {
                call(&conn, "POST", "/v1/exchange/me/declarations", Some(read_json(&file)?)).await
            }
            C::Consent { department, item, purpose, expires } => {
                let body = json!({ "department": department, "item": item,
                    "purpose": purpose, "expires": expires });
                call(&conn, "POST", "/v1/exchange/me/consents", Some(body)).await
            }
            C::Revoke { id } => {
                call(&conn, "POST", &format!("/v1/exchange/me/consents/{id}/revoke"), None).await
            }
            C::Verify { declaration, item, result, answers } => {
                let path = format!("/v1/exchange/declarations/{declaration}/verify");
                let body = json!({ "item": item, "result": result, "answers": answers });
                call(&conn, "POST", &path, Some(body)).await
            }
            C::Withholding { year } => {
                call(&conn, "GET", &format!("/v1/exchange/withholding?year={year}"), None).await
            }
            C::Act { file } => {
                call(&conn, "POST", "/v1/exchange/actions", Some(read_json(&file)?)).await
            }
        }
    })??;
    print(&v)
}
