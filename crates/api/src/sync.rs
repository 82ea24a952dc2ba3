//! Frame-carrying endpoints: batches of transactions in (from clients, and relayed from
//! other nodes), finalized blocks out (to nodes catching up).
//!
//! Both carry length-prefixed frames ([`fapiao_types::push_frame`]). A relay is admitted
//! exactly like a client's submission (decoded, signature-checked, checked against
//! state) and is never relayed further; a block range is served with each block's
//! finality blob so that the reader trusts no server: it checks every certificate
//! against its genesis validators.

use crate::{
    error::{ApiError, ApiResult},
    routes::St,
};
use axum::{
    extract::{
        rejection::{BytesRejection, QueryRejection},
        Query, State,
    },
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use bytes::Bytes;
use fapiao_ledger::decode_tx;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most blocks one `GET /v1/sync/blocks` returns.
pub const MAX_SYNC_BLOCKS: u64 = 256;
/// Most bytes of blocks one `GET /v1/sync/blocks` gathers before it stops early.
const MAX_SYNC_BYTES: usize = 16 * 1024 * 1024;

/// A request body, or the rejection of an oversized or unreadable one.
pub(crate) fn body_bytes(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|e| ApiError::refuse(fapiao_app::Platform::TooLarge, Some("body"), e.body_text()))
}

/// The frames of a body of signed transactions, each at most `max` bytes.
fn tx_frames(body: &[u8], max: usize) -> ApiResult<Vec<&[u8]>> {
    fapiao_types::split_frames(body, max)
        .map_err(|e| ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.to_string()))
}

/// What a relay did with the transactions it carried.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RelayResponse {
    /// Transactions admitted into this node's pool.
    pub admitted: usize,
    /// Transactions refused (already pending or included, malformed, invalid, pool full).
    pub refused: usize,
}

/// Signed transactions relayed by another consortium node (node-only).
///
/// The body is a sequence of frames `u32 BE length ‖ canonical signed transaction`, at
/// most [`MAX_BATCH_TXS`] of them within the body limit (a relaying node splits larger
/// batches).
/// Each is admitted with the same checks as `POST /v1/transactions`, and not relayed
/// again.
#[utoipa::path(post, path = "/v1/relay", tag = "node",
    request_body(description = "frames: u32 BE length ‖ signed transaction, repeated (docs/formats.md §16), raw bytes",
        content(("application/octet-stream"))),
    security(("node" = [])),
    responses((status = 200, body = RelayResponse), (status = 400, body = crate::ErrorBody),
        (status = 401, description = "Not a signed request of a consortium node", body = crate::ErrorBody)))]
pub(crate) async fn relay(
    State(st): St,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<RelayResponse>> {
    st.metrics.http_requests.inc();
    let body = body_bytes(body)?;
    let max = st.reader.genesis().consensus.max_tx_bytes as usize;
    let frames = tx_frames(&body, max)?;
    if frames.len() > MAX_BATCH_TXS {
        return Err(ApiError::bad_field("body", format!("at most {MAX_BATCH_TXS} transactions")));
    }
    let mut refused = 0;
    let mut admissions = Vec::with_capacity(frames.len());
    for frame in frames {
        match decode_tx(frame, max) {
            Ok(stx) => {
                let admitter = st.admitter.clone();
                admissions.push(async move { admitter.submit_relayed(stx, frame.len()).await });
            }
            Err(_) => refused += 1,
        }
    }
    // Submitted together, the admissions share signature-verification batches.
    let results = futures::future::join_all(admissions).await;
    let admitted = results.iter().filter(|r| r.is_ok()).count();
    refused += results.len() - admitted;
    Ok(Json(RelayResponse { admitted, refused }))
}

/// What happened to one transaction of a batch.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchItem {
    /// Transaction hash (hex), when it decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Admitted into the pool (it will be proposed; follow it with
    /// `GET /v1/transactions/{hash}` or the blocks' `tx_hashes`).
    pub admitted: bool,
    /// The refusal's stable code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why it was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Answer of `POST /v1/transactions/batch`: one item per frame, in order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    /// Per transaction.
    pub results: Vec<BatchItem>,
}

/// Most transactions in one batch submission.
pub const MAX_BATCH_TXS: usize = 4096;

/// Submits many signed transactions in one request (a POS back end's queue, a load
/// generator): frames `u32 BE length ‖ canonical signed transaction`. Each is admitted
/// (and relayed) exactly as `POST /v1/transactions?wait=false` would; the answer lists
/// each one's hash or refusal, in order. Admission does not wait for execution.
#[utoipa::path(post, path = "/v1/transactions/batch", tag = "chain",
    request_body(description = "frames: u32 BE length ‖ signed transaction, repeated (at most 4096) (docs/formats.md §16), raw bytes",
        content(("application/octet-stream"))),
    responses((status = 200, body = BatchResponse), (status = 400, body = crate::ErrorBody),
        (status = 413, body = crate::ErrorBody)))]
pub(crate) async fn submit_batch(
    State(st): St,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<BatchResponse>> {
    st.metrics.http_requests.inc();
    let body = body_bytes(body)?;
    let max = st.reader.genesis().consensus.max_tx_bytes as usize;
    let frames = tx_frames(&body, max)?;
    if frames.len() > MAX_BATCH_TXS {
        return Err(ApiError::bad_field("body", format!("at most {MAX_BATCH_TXS} transactions")));
    }
    let refused = |r: fapiao_ledger::Rejection, hash: Option<String>| BatchItem {
        hash,
        admitted: false,
        code: Some(r.code.to_string()),
        field: r.field.map(|f| f.to_string()),
        message: Some(r.message.clone()),
    };
    let mut pending = Vec::with_capacity(frames.len());
    for frame in frames {
        pending.push(match decode_tx(frame, max) {
            Ok(stx) => {
                let admitter = st.admitter.clone();
                let hash = hex::encode(stx.hash());
                futures::future::Either::Left(async move {
                    match admitter.submit(stx, frame.len()).await {
                        Ok(_) => BatchItem {
                            hash: Some(hash),
                            admitted: true,
                            code: None,
                            field: None,
                            message: None,
                        },
                        Err(r) => refused(r, Some(hash)),
                    }
                })
            }
            Err(r) => futures::future::Either::Right(std::future::ready(refused(r, None))),
        });
    }
    let results = futures::future::join_all(pending).await;
    let rejected = results.iter().filter(|r| !r.admitted).count();
    st.metrics.txs_rejected.inc_by(rejected as u64);
    Ok(Json(BatchResponse { results }))
}

/// The range of `GET /v1/sync/blocks`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct RangeQuery {
    /// First height (genesis is 0).
    from: u64,
    /// Most blocks (at most 256; default 64).
    max: Option<u64>,
}

/// Executed blocks with their finality, for consortium nodes catching up (blocks carry
/// private invoices: node-only).
///
/// The body is frames `u32 BE length ‖ canonical block` and `u32 BE length ‖ finality
/// blob` (as in `certificate_hex` of `GET /v1/blocks/{height}`), alternating, for
/// heights `from`, `from + 1`, … up to this node's executed height: fewer than `max`
/// at the tip (none past it) or when the response grows past 16 MiB.
#[utoipa::path(get, path = "/v1/sync/blocks", tag = "node",
    params(RangeQuery),
    security(("node" = [])),
    responses((status = 200, content_type = "application/octet-stream",
        description = "frames: block, finality, block, finality, …"),
        (status = 400, body = crate::ErrorBody),
        (status = 401, description = "Not a signed request of a consortium node", body = crate::ErrorBody)))]
pub(crate) async fn sync_blocks(
    State(st): St,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> ApiResult<Response> {
    st.metrics.http_requests.inc();
    let Query(q) = query.map_err(|e| ApiError::bad_field("from", e.body_text()))?;
    let max = q.max.unwrap_or(64);
    if max == 0 || max > MAX_SYNC_BLOCKS {
        return Err(ApiError::bad_field("max", format!("must be 1 to {MAX_SYNC_BLOCKS}")));
    }
    let ledger = st.reader.clone();
    let body = crate::work::off_runtime(move || -> fapiao_ledger::Result<Vec<u8>> {
        let tip = ledger.tip().height;
        let mut out = Vec::new();
        let mut height = q.from;
        while height <= tip && height < q.from.saturating_add(max) && out.len() < MAX_SYNC_BYTES {
            let Some(block) = ledger.block_bytes(height)? else { break };
            let finality = ledger.certificate(height)?.unwrap_or_default();
            fapiao_types::push_frame(&mut out, &block);
            fapiao_types::push_frame(&mut out, &finality);
            height += 1;
        }
        Ok(out)
    })
    .await??;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], body).into_response())
}
