//! `POST /v1/industry/actions`: an industry action, signed custodially for the caller.

use axum::{extract::rejection::JsonRejection, http::HeaderMap, Json};
use fapiao_api::{
    caller, custodial,
    error::{ApiError, ApiResult},
    failed_receipt, St,
};
use fapiao_industry_types::IndustryAction;
use fapiao_types::{hex32, Action};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an action's transaction did.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Done {
    /// Transaction hash (hex).
    pub tx_hash: String,
    /// Block height.
    pub height: u64,
}

/// Sends an industry action, signed with the caller's key: the JSON of an
/// `IndustryAction` (`{"action": "attest", "uscc": …, "month": "2026-10", "metric":
/// "electricity_kwh", "value": 1250000}`; docs/formats.md §26).
#[utoipa::path(post, path = "/v1/industry/actions", tag = "industry",
    request_body(content = Object, description = "an industry action: `action` (register_enterprise {uscc, name}, attest {uscc, month, metric, value}, correct {uscc, month, metric, value, reason}); month `yyyy-mm`; metric electricity_kwh, insured_headcount or logistics_tonnes; value a non-negative integer"),
    security(("bearer" = [])),
    responses((status = 200, body = Done), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn act(
    axum::extract::State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<IndustryAction>, JsonRejection>,
) -> ApiResult<Json<Done>> {
    let who = caller(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let action = body.map(|Json(a)| a).map_err(|e| {
        ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text())
    })?;
    let action = Action::from(action);
    if let Some(role) = action.required_role() {
        if !who.1.has_role(role) {
            return Err(ApiError::from(fapiao_ledger::Rejection::missing_role(
                role,
                action.name(),
            )));
        }
    }
    let (hash, receipt) = custodial(&st, &who, action).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    Ok(Json(Done { tx_hash: hex32(&hash), height: receipt.height }))
}
