//! `fapiao governance`: the parameters in force, proposals, and (with an admin's token)
//! proposing, approving and withdrawing; a tax officer creating an enterprise.

use crate::{
    client::block_on,
    invoice_cmd::{call, print, read_json, Conn},
};
use anyhow::Result;
use clap::Subcommand;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Governance commands.
#[derive(Subcommand)]
pub enum GovernanceCommand {
    /// Every parameter with its versions and the one in force (`GET /v1/params`).
    Params {
        /// Only this parameter (`invoice/tax-rules`, `chain/mechanics`, …).
        id: Option<String>,
    },
    /// Proposals, newest first.
    Proposals {
        /// Only those with this status (open, enacted, withdrawn, expired).
        #[arg(long)]
        status: Option<String>,
    },
    /// Propose a change (org.admin): the `change` object of `POST /v1/governance/proposals`
    /// from a JSON file (`-` for stdin), e.g. `{"kind": "set_param", "param":
    /// "invoice/tax-rules", "effective_date": 20270101, "value": {…}}`.
    Propose {
        /// The change, as JSON.
        change: PathBuf,
        /// Why.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Approve a proposal for your organisation (org.admin).
    Approve {
        /// Proposal id.
        id: u64,
    },
    /// Withdraw your organisation's open proposal (org.admin).
    Withdraw {
        /// Proposal id.
        id: u64,
    },
    /// Create an enterprise organisation (tax.officer) with one admin key.
    CreateEnterprise {
        /// Organisation id, `[a-z0-9-]{1,64}`.
        #[arg(long)]
        id: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// USCC.
        #[arg(long)]
        tax_id: String,
        /// The admin's public key (hex).
        #[arg(long)]
        admin_key: String,
        /// The admin key's suite.
        #[arg(long, default_value = "ed25519", value_parser = ["ed25519", "sm2"])]
        admin_suite: String,
        /// The admin's display name.
        #[arg(long, default_value = "admin")]
        admin_name: String,
    },
}

/// `fapiao governance`.
pub fn governance(conn: Conn, cmd: GovernanceCommand) -> Result<()> {
    use GovernanceCommand as C;
    let v = block_on(async {
        match cmd {
            C::Params { id } => {
                let v = call(&conn, "GET", "/v1/params", None).await?;
                Ok(match id {
                    Some(id) => v["params"]
                        .as_array()
                        .and_then(|ps| ps.iter().find(|p| p["id"] == id.as_str()))
                        .cloned()
                        .ok_or_else(|| anyhow::anyhow!("no parameter {id:?}"))?,
                    None => v,
                })
            }
            C::Proposals { status } => {
                let path = match status {
                    Some(s) => format!("/v1/governance/proposals?status={s}"),
                    None => "/v1/governance/proposals".into(),
                };
                call(&conn, "GET", &path, None).await
            }
            C::Propose { change, note } => {
                let body = json!({"change": read_json(&change)?, "note": note});
                call(&conn, "POST", "/v1/governance/proposals", Some(body)).await
            }
            C::Approve { id } => {
                call(&conn, "POST", &format!("/v1/governance/proposals/{id}/approve"), None).await
            }
            C::Withdraw { id } => {
                call(&conn, "POST", &format!("/v1/governance/proposals/{id}/withdraw"), None).await
            }
            C::CreateEnterprise { id, name, tax_id, admin_key, admin_suite, admin_name } => {
                let body: Value = json!({
                    "id": id, "name": name, "tax_id": tax_id,
                    "admins": [{"suite": admin_suite, "public_key": admin_key, "name": admin_name}],
                });
                call(&conn, "POST", "/v1/enterprises", Some(body)).await
            }
        }
    })??;
    print(&v)
}
