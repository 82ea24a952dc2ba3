//! The financing routes: finance an invoice (a claim, or the enterprise's invoice proof
//! bundle turned into one), list, relay a reversal, settle, and the bank's alerts.

use crate::common::{done, reader_scope, Index};
use crate::json::{
    AlertJson, DoneJson, FinanceRequest, FinancingJson, ReversalRequest, SettleRequest,
};
use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{commit, error::ApiError, ApiResult, St};
use fapiao_crosschain_types::{ClaimJson, StateClaim};
use fapiao_finance_types::{
    FinanceAlert, FinanceInvoice, FinanceKey, FinancingRecord, ReportReversal, SettleFinancing,
};
use fapiao_types::{decode_exact, Header, StateKey};
use fapiao_values::{InvoiceNumber, Uscc};

fn body<T>(b: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    b.map(|Json(v)| v)
        .map_err(|e| ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text()))
}

fn claim(c: &ClaimJson, field: &str) -> ApiResult<StateClaim> {
    c.to_claim().map_err(|e| ApiError::bad_field(field, e.to_string()))
}

/// The claim of `invoice/<number>` an invoice proof bundle carries: its first entry,
/// proven against its header (which must be in this chain's window; the bundle's
/// certificate is not needed: the window's header was verified when relayed).
fn bundle_claim(b: &fapiao_verify::ProofBundle) -> ApiResult<StateClaim> {
    let bad = |m: String| ApiError::bad_field("bundle", m);
    let header_bytes = hex::decode(&b.header_hex).map_err(|e| bad(e.to_string()))?;
    let header = decode_exact::<Header>(&header_bytes, &()).map_err(|e| bad(e.to_string()))?;
    let entry = b.entries.first().ok_or_else(|| bad("no entries".into()))?;
    let json = ClaimJson {
        chain_id: b.chain_id.clone(),
        height: header.height,
        key: entry.key.clone(),
        value: entry.value_hex.clone(),
        proof: entry.proof_hex.clone(),
    };
    claim(&json, "bundle")
}

/// A bank finances an invoice its borrower issued.
#[utoipa::path(post, path = "/v1/finance/financings", tag = "finance",
    request_body = FinanceRequest,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn finance(
    State(st): St,
    headers: HeaderMap,
    req: Result<Json<FinanceRequest>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let r = body(req)?;
    let uscc = Uscc::parse(&r.uscc).map_err(|e| ApiError::bad_field("uscc", e.to_string()))?;
    let loan = r.loan.as_deref().map(|l| fapiao_api::parse_hash("loan", l)).transpose()?;
    let invoice = match (&r.invoice, &r.bundle) {
        (Some(c), None) => claim(c, "invoice")?,
        (None, Some(b)) => {
            let mut c = bundle_claim(b)?;
            // A bundle names the tax chain by its genesis chain id, as registered.
            if c.chain_id.is_empty() {
                c.chain_id = crate::loans::policy(&st)?.tax_chain;
            }
            c
        }
        _ => return Err(ApiError::bad_field("invoice", "give exactly one of invoice or bundle")),
    };
    let action = FinanceInvoice { uscc, loan, amount: r.amount, invoice };
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(hash, &receipt)))
}

fn number(s: &str) -> ApiResult<InvoiceNumber> {
    InvoiceNumber::parse(s).map_err(|e| ApiError::bad_field("number", e.to_string()))
}

/// The financings the caller may read: its bank's, or every bank's for the regulator.
#[utoipa::path(get, path = "/v1/finance/financings", tag = "finance",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<FinancingJson>), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn list(State(st): St, headers: HeaderMap) -> ApiResult<Json<Vec<FinancingJson>>> {
    let (_, scope) = reader_scope(&st, &headers)?;
    let numbers = fapiao_finance::index::financings(&Index(&*st.reader), scope.bank(), 500)
        .map_err(ApiError::internal)?;
    let mut out = Vec::new();
    for n in numbers {
        if let Some(f) =
            st.reader.get::<FinancingRecord>(&StateKey::from(FinanceKey::Financing(n)))?
        {
            out.push(FinancingJson::from(&f));
        }
    }
    Ok(Json(out))
}

/// Anyone relays a proof that a financed invoice was reversed or flagged.
#[utoipa::path(post, path = "/v1/finance/financings/{number}/reversal", tag = "finance",
    params(("number" = String, Path, description = "the invoice's number")),
    request_body = ReversalRequest,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
              (status = 409, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn reversal(
    State(st): St,
    headers: HeaderMap,
    Path(n): Path<String>,
    req: Result<Json<ReversalRequest>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let number = number(&n)?;
    let r = body(req)?;
    let action = ReportReversal { number, invoice: claim(&r.invoice, "invoice")? };
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(hash, &receipt)))
}

/// The financing bank settles with a fresh proof that the invoice stands.
#[utoipa::path(post, path = "/v1/finance/financings/{number}/settle", tag = "finance",
    params(("number" = String, Path, description = "the invoice's number")),
    request_body = SettleRequest,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn settle(
    State(st): St,
    headers: HeaderMap,
    Path(n): Path<String>,
    req: Result<Json<SettleRequest>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let number = number(&n)?;
    let r = body(req)?;
    let action =
        SettleFinancing { number, repaid: r.repaid, invoice: claim(&r.invoice, "invoice")? };
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(hash, &receipt)))
}

/// The caller's bank's alerts (every bank's for the regulator), newest first.
#[utoipa::path(get, path = "/v1/finance/alerts", tag = "finance",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<AlertJson>), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn alerts(State(st): St, headers: HeaderMap) -> ApiResult<Json<Vec<AlertJson>>> {
    let (_, scope) = reader_scope(&st, &headers)?;
    let ids = fapiao_finance::index::alerts(&Index(&*st.reader), scope.bank(), 500)
        .map_err(ApiError::internal)?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(a) = st.reader.get::<FinanceAlert>(&StateKey::from(FinanceKey::Alert(id)))? {
            out.push(AlertJson::from(&a));
        }
    }
    Ok(Json(out))
}
