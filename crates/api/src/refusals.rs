//! `GET /v1/refusals`: every refusal code this node can answer with, its HTTP status, the
//! field it names and who declares it — the tables of `docs/formats.md` §18, read from
//! the same declarations the node maps codes with, so a client can build its messages
//! (or check its own table) against the chain it talks to.

use crate::error::ApiResult;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// One declared refusal.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusalJson {
    /// The stable code (`bad_uscc`, `missing_role`, `invoice.already_reimbursed`).
    pub code: &'static str,
    /// The HTTP status a node answers it with.
    pub status: u16,
    /// The field it names, as a path template; empty when it varies with the request.
    pub field: &'static str,
    /// Who declares it: `values`, `platform`, or an application's name (its namespace).
    pub owner: &'static str,
}

/// Every refusal code of the chain (the values', the platform's, each application's).
#[utoipa::path(get, path = "/v1/refusals", tag = "ops",
    responses((status = 200, body = [RefusalJson])))]
pub(crate) async fn refusals() -> ApiResult<Json<Vec<RefusalJson>>> {
    let mut out = Vec::new();
    for (owner, table) in fapiao_ledger::apps::refusal_tables() {
        let owner = owner.trim_start_matches('-');
        out.extend(table.iter().map(|r| RefusalJson {
            code: r.code,
            status: r.status,
            field: r.field,
            owner,
        }));
    }
    Ok(Json(out))
}
