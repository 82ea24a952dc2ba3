//! Any exchange action from its JSON (`{"action": "grant_consent", …}`; docs/formats.md
//! §22), signed custodially for the caller — for clients that seal their own envelopes
//! (a responder, a script).

use crate::common::done;
use crate::json::DoneJson;
use axum::{
    extract::{rejection::JsonRejection, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{commit, error::ApiError, ApiResult, St};
use fapiao_exchange_types::ExchangeAction;

/// Send any exchange action, signed with the caller's key.
#[utoipa::path(post, path = "/v1/exchange/actions", tag = "exchange",
    request_body(content = Object, description = "an exchange action: `action` (register_key, register_person, publish_catalogue, query, answer, distribute_watch_key, watch, unwatch, attach_finding, assign_case, close_case, declare_deductions, grant_consent, revoke_consent, verify_declaration) and its payload's fields; bytes in hex, amounts in yuan as text"),
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn act(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<ExchangeAction>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let action = body.map(|Json(a)| a).map_err(|e| {
        ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text())
    })?;
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}
