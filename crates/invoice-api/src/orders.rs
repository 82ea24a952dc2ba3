//! Orders and self-service claiming (交易即开票), the merchant's catalogue and its
//! automatic-issuing delegation, red-letter forms, and risk alerts.

use crate::access;
use crate::{
    invoices::{commit, invoice_json, json_body, BuyerJson, InvoiceJson},
    money::{china_time, parse_value, parse_yuan, yuan},
};
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    viewer, St,
};
use fapiao_invoice::index::read;
use fapiao_invoice_types::*;
use fapiao_invoice_types::{InvoiceAction, InvoiceKey};
use fapiao_types::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One item of an order, as the consumer paid it (tax included).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct OrderItemJson {
    /// The merchant's catalogue SKU (supplies name, code and rate when omitted).
    #[serde(default)]
    pub sku: String,
    /// `*category*name`.
    #[serde(default)]
    pub name: String,
    /// 19-digit tax classification code.
    #[serde(default)]
    pub tax_code: String,
    /// Rate.
    #[serde(default)]
    pub rate: String,
    /// Amount paid, tax included, yuan.
    pub amount: String,
}

/// `POST /v1/orders`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct OrderJson {
    /// The merchant's USCC.
    pub merchant: String,
    /// Total paid, tax included, yuan.
    pub amount: String,
    /// Items.
    pub items: Vec<OrderItemJson>,
}

/// A recorded order and its one-time claim code (for the receipt's QR).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct OrderCreated {
    /// Order id (hex).
    pub order_id: String,
    /// One-time claim code (shown once; only its hash is on chain).
    pub claim_code: String,
    /// Transaction hash (hex).
    pub tx_hash: String,
    /// Block height.
    pub height: u64,
}

/// `POST /v1/orders/{order_id}/claim`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ClaimJson {
    /// The claim code from the receipt.
    pub claim_code: String,
    /// `ordinary` (default) or `special`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Buyer title (person: name; enterprise: name and tax id).
    pub buyer: BuyerJson,
}

/// The answer of a claim.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ClaimedJson {
    /// Order id.
    pub order_id: String,
    /// `invoiced` (issued at once) or `claimed` (waiting for the merchant).
    pub status: String,
    /// The invoice, when issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceJson>,
}

/// A catalogue item.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CatalogueJson {
    /// SKU.
    pub sku: String,
    /// `*category*name`.
    pub name: String,
    /// Tax classification code.
    pub tax_code: String,
    /// Rate.
    pub rate: String,
}

/// The automatic-issuing delegation.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AutoIssueJson {
    /// The platform organisation allowed to issue on claim.
    pub platform_org: String,
    /// On or off.
    pub enabled: bool,
}

/// A line of a partial red reversal.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RedLineJson {
    /// Index of the blue invoice's line.
    pub line: u32,
    /// Amount to reverse (negative), yuan.
    pub amount: String,
    /// Tax to reverse (negative), yuan.
    pub tax: String,
}

/// `POST /v1/red-letter`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RedLetterJson {
    /// The blue invoice.
    pub blue_number: String,
    /// `01` issuing error, `02` goods returned, `03` service stopped, `04` sales allowance.
    pub reason: String,
    /// Lines to reverse; none for a full reversal.
    #[serde(default)]
    pub lines: Vec<RedLineJson>,
}

/// A red-letter form.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RedFormJson {
    /// Form id (hex).
    pub id: String,
    /// The blue invoice.
    pub blue_number: String,
    /// Reason code.
    pub reason: String,
    /// Status (a pending form past 72 hours reads `void_expired`; `confirmed` without
    /// `red_invoice` awaits the seller's red invoice).
    pub status: String,
    /// Raised by the seller (else the buyer).
    pub by_seller: bool,
    /// When raised.
    pub raised_at: String,
    /// Lines reversed: line index, amount, tax (yuan).
    pub lines: Vec<RedLineJson>,
    /// The red invoice, once issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub red_invoice: Option<InvoiceJson>,
    /// Refusal reason.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub refusal: String,
}

/// A reason for refusing a form.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default)]
pub struct FormReasonJson {
    /// Why.
    #[serde(default)]
    pub reason: String,
}

fn hex32(field: &'static str, s: &str) -> ApiResult<Hash32> {
    parse_hex32(field, s).map_err(|e| ApiError::bad_field(field, e.to_string()))
}

fn claim_code() -> String {
    // 128 random bits: only its SHA-256 goes on chain, so it must not be guessable.
    let bytes: [u8; 16] = rand::random();
    hex::encode(bytes)
}

/// Record a payment order (payment platform or merchant); answers the one-time claim
/// code for the receipt's QR.
#[utoipa::path(post, path = "/v1/orders", tag = "orders", request_body = OrderJson,
    security(("bearer" = [])),
    responses((status = 200, body = OrderCreated), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn record(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<OrderJson>, JsonRejection>,
) -> ApiResult<Json<OrderCreated>> {
    let j = json_body(body)?;
    let amount = parse_yuan("amount", &j.amount)?;
    let mut items = Vec::with_capacity(j.items.len());
    for (i, it) in j.items.into_iter().enumerate() {
        items.push(OrderItem {
            sku: it.sku,
            name: it.name,
            tax_code: it.tax_code,
            rate: (!it.rate.is_empty())
                .then(|| parse_value(&format!("items[{i}].rate"), &it.rate))
                .transpose()?,
            amount: parse_yuan(&format!("items[{i}].amount"), &it.amount)?,
        });
    }
    let code = claim_code();
    let action = InvoiceAction::RecordOrder(RecordOrder {
        merchant: parse_value("merchant", &j.merchant)?,
        amount,
        items,
        claim_code_hash: sha256(code.as_bytes()),
    });
    let (h, r) = commit(&st, &headers, action).await?;
    Ok(Json(OrderCreated {
        order_id: r.output.to_string(),
        claim_code: code,
        tx_hash: hex::encode(h),
        height: r.height,
    }))
}

/// Claim an order with its code and a buyer title (consumer); issued at once when the
/// merchant delegated automatic issuing, else waiting for the merchant.
#[utoipa::path(post, path = "/v1/orders/{order_id}/claim", tag = "orders", request_body = ClaimJson,
    params(("order_id" = String, Path, description = "order id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = ClaimedJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn claim(
    State(st): St,
    headers: HeaderMap,
    Path(order_id): Path<String>,
    body: core::result::Result<Json<ClaimJson>, JsonRejection>,
) -> ApiResult<Json<ClaimedJson>> {
    let j = json_body(body)?;
    let id = hex32("order_id", &order_id)?;
    let kind = InvoiceKind::parse(j.kind.as_deref().unwrap_or("ordinary"))
        .map_err(|e| ApiError::bad_field("kind", e.to_string()))?;
    let buyer_kind = match j.buyer.kind.as_deref() {
        Some(k) => {
            BuyerKind::parse(k).map_err(|e| ApiError::bad_field("buyer.kind", e.to_string()))?
        }
        None if j.buyer.tax_id.is_empty() => BuyerKind::Person,
        None => BuyerKind::Enterprise,
    };
    let tax_id = match j.buyer.tax_id.as_str() {
        "" => None,
        t => Some(parse_value("buyer.tax_id", t)?),
    };
    let action = InvoiceAction::ClaimOrder(ClaimOrder {
        order_id: id,
        claim_code: j.claim_code,
        kind,
        buyer: Buyer { kind: buyer_kind, name: j.buyer.name, tax_id, holder: None },
        salt: rand::random(),
    });
    let (_, r) = commit(&st, &headers, action).await?;
    let invoice = match r.output.invoice() {
        Some(n) => invoice_json(&st, &n)?,
        None => None,
    };
    Ok(Json(ClaimedJson {
        order_id,
        status: if invoice.is_some() { "invoiced".into() } else { "claimed".into() },
        invoice,
    }))
}

/// The merchant issues the invoice of a claimed order.
#[utoipa::path(post, path = "/v1/orders/{order_id}/issue", tag = "orders",
    params(("order_id" = String, Path, description = "order id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = ClaimedJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn issue_for_order(
    State(st): St,
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> ApiResult<Json<ClaimedJson>> {
    let id = hex32("order_id", &order_id)?;
    let (_, r) = commit(
        &st,
        &headers,
        InvoiceAction::IssueForOrder(IssueForOrder { order_id: id, salt: rand::random() }),
    )
    .await?;
    Ok(Json(ClaimedJson {
        order_id,
        status: "invoiced".into(),
        invoice: match r.output.invoice() {
            Some(n) => invoice_json(&st, &n)?,
            None => None,
        },
    }))
}

/// Set a catalogue item of a merchant (its issuer).
#[utoipa::path(post, path = "/v1/taxpayers/{uscc}/catalogue", tag = "orders", request_body = CatalogueJson,
    params(("uscc" = String, Path, description = "USCC")), security(("bearer" = [])),
    responses((status = 200, body = crate::invoices::Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn catalogue(
    State(st): St,
    headers: HeaderMap,
    Path(uscc): Path<String>,
    body: core::result::Result<Json<CatalogueJson>, JsonRejection>,
) -> ApiResult<Json<crate::invoices::Committed>> {
    let j = json_body(body)?;
    let a = InvoiceAction::SetCatalogueItem(SetCatalogueItem {
        uscc: parse_value("uscc", &uscc)?,
        sku: j.sku,
        name: j.name,
        tax_code: j.tax_code,
        rate: parse_value("rate", &j.rate)?,
    });
    let (h, r) = commit(&st, &headers, a).await?;
    Ok(Json(crate::invoices::committed(h, &r)))
}

/// Turn the automatic-issuing delegation to a platform on or off (the merchant's issuer).
#[utoipa::path(post, path = "/v1/taxpayers/{uscc}/auto-issue", tag = "orders", request_body = AutoIssueJson,
    params(("uscc" = String, Path, description = "USCC")), security(("bearer" = [])),
    responses((status = 200, body = crate::invoices::Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn auto_issue(
    State(st): St,
    headers: HeaderMap,
    Path(uscc): Path<String>,
    body: core::result::Result<Json<AutoIssueJson>, JsonRejection>,
) -> ApiResult<Json<crate::invoices::Committed>> {
    let j = json_body(body)?;
    let a = InvoiceAction::SetAutoIssue(SetAutoIssue {
        uscc: parse_value("uscc", &uscc)?,
        platform_org: j.platform_org,
        enabled: j.enabled,
    });
    let (h, r) = commit(&st, &headers, a).await?;
    Ok(Json(crate::invoices::committed(h, &r)))
}

fn form_json(st: &fapiao_api::ApiState, id: Hash32, f: &RedFormRecord) -> ApiResult<RedFormJson> {
    let now = st.reader.tip().header.time_ms;
    let deadline = fapiao_invoice::form_deadline_ms(&*st.reader.view(), f)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(RedFormJson {
        id: hex::encode(id),
        blue_number: f.blue_number.to_string(),
        reason: f.reason.as_str().into(),
        status: fapiao_invoice::effective_status(f, now, deadline).as_str().into(),
        by_seller: f.by_seller,
        raised_at: china_time(f.raised_at_ms),
        lines: f
            .lines
            .iter()
            .map(|l| RedLineJson { line: l.line, amount: yuan(l.amount), tax: yuan(l.tax) })
            .collect(),
        red_invoice: match &f.red_number {
            Some(n) => invoice_json(st, n)?,
            None => None,
        },
        refusal: f.refusal.clone(),
    })
}

fn load_form(st: &fapiao_api::ApiState, id: Hash32) -> ApiResult<RedFormRecord> {
    st.reader
        .get::<RedFormRecord>(&StateKey::from(InvoiceKey::RedForm(id)))?
        .ok_or_else(|| ApiError::not_found("no such form"))
}

/// Raise a red-letter form (seller or buyer). An unused invoice reversed in full by its
/// seller is reversed at once.
#[utoipa::path(post, path = "/v1/red-letter", tag = "red-letter", request_body = RedLetterJson,
    security(("bearer" = [])),
    responses((status = 200, body = RedFormJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn raise(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<RedLetterJson>, JsonRejection>,
) -> ApiResult<Json<RedFormJson>> {
    let j = json_body(body)?;
    let reason =
        RedReason::parse(&j.reason).map_err(|e| ApiError::bad_field("reason", e.to_string()))?;
    let mut lines = Vec::with_capacity(j.lines.len());
    for (i, l) in j.lines.iter().enumerate() {
        lines.push(RedLine {
            line: l.line,
            amount: parse_yuan(&format!("lines[{i}].amount"), &l.amount)?,
            tax: parse_yuan(&format!("lines[{i}].tax"), &l.tax)?,
        });
    }
    let a = InvoiceAction::RaiseRedForm(RaiseRedForm {
        blue_number: parse_value("blue_number", &j.blue_number)?,
        reason,
        lines,
        salt: rand::random(),
    });
    let (h, _) = commit(&st, &headers, a).await?;
    Ok(Json(form_json(&st, h, &load_form(&st, h)?)?))
}

async fn answer(
    st: &fapiao_api::ApiState,
    headers: &HeaderMap,
    id: &str,
    make: impl FnOnce(RedFormRef) -> InvoiceAction,
    reason: String,
) -> ApiResult<Json<RedFormJson>> {
    let form = hex32("id", id)?;
    commit(st, headers, make(RedFormRef { form, reason, salt: rand::random() })).await?;
    Ok(Json(form_json(st, form, &load_form(st, form)?)?))
}

/// The other party confirms a form: the seller's confirmation issues the red invoice at
/// once; after the buyer's, the form is `confirmed` and the seller issues it
/// (`POST /v1/red-letter/{id}/issue`).
#[utoipa::path(post, path = "/v1/red-letter/{id}/confirm", tag = "red-letter",
    params(("id" = String, Path, description = "form id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = RedFormJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn confirm(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<RedFormJson>> {
    answer(&st, &headers, &id, InvoiceAction::ConfirmRedForm, String::new()).await
}

/// The other party refuses a form.
#[utoipa::path(post, path = "/v1/red-letter/{id}/refuse", tag = "red-letter", request_body = FormReasonJson,
    params(("id" = String, Path, description = "form id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = RedFormJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn refuse(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: core::result::Result<Json<FormReasonJson>, JsonRejection>,
) -> ApiResult<Json<RedFormJson>> {
    let j = json_body(body)?;
    answer(&st, &headers, &id, InvoiceAction::RefuseRedForm, j.reason).await
}

/// The seller issues the red invoice of a form the buyer confirmed.
#[utoipa::path(post, path = "/v1/red-letter/{id}/issue", tag = "red-letter",
    params(("id" = String, Path, description = "form id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = RedFormJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn issue_red(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<RedFormJson>> {
    answer(&st, &headers, &id, InvoiceAction::IssueRedInvoice, String::new()).await
}

/// The raiser withdraws a form before it is confirmed, or (the seller) after the buyer
/// confirmed it while its red invoice is not issued (`void_withdrawn_after_confirmation`);
/// an issued red invoice is never voided (`invoice.red_invoice_issued`).
#[utoipa::path(post, path = "/v1/red-letter/{id}/withdraw", tag = "red-letter",
    params(("id" = String, Path, description = "form id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = RedFormJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn withdraw(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<RedFormJson>> {
    answer(&st, &headers, &id, InvoiceAction::WithdrawRedForm, String::new()).await
}

/// A red-letter form, for the parties of its blue invoice and the tax authority.
#[utoipa::path(get, path = "/v1/red-letter/{id}", tag = "red-letter",
    params(("id" = String, Path, description = "form id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = RedFormJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_form(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<RedFormJson>> {
    let form = hex32("id", &id)?;
    let f = load_form(&st, form)?;
    let who = viewer(&st, &headers)?;
    if !access::may_read_invoice(&*st.reader, &f.blue_number, who.as_ref()) {
        return Err(ApiError::not_found("no such form"));
    }
    Ok(Json(form_json(&st, form, &f)?))
}

/// Query of the alert list.
#[derive(Deserialize)]
pub(crate) struct AlertQuery {
    rule: Option<String>,
    limit: Option<usize>,
}

/// A risk alert.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AlertJson {
    /// Deterministic id.
    pub id: String,
    /// `volume_jump`, `frozen_counterparty`, `deregistered_counterparty`,
    /// `circular_ring`, `issue_then_reverse`.
    pub rule: String,
    /// Block height that raised it.
    pub height: u64,
    /// Its block time, RFC 3339 China time.
    pub time: String,
    /// Taxpayers concerned.
    pub subjects: Vec<String>,
    /// Invoices involved.
    pub numbers: Vec<String>,
    /// Explanation.
    pub detail: String,
}

/// Risk alerts raised by the rules run on every finalized block (tax authority only).
#[utoipa::path(get, path = "/v1/alerts", tag = "invoices",
    params(("rule" = Option<String>, Query, description = "only this rule"),
           ("limit" = Option<usize>, Query, description = "newest N (default 200)")),
    security(("bearer" = [])),
    responses((status = 200, body = [AlertJson]), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn alerts(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<AlertQuery>,
) -> ApiResult<Json<Vec<AlertJson>>> {
    crate::ui_reads::blocking(&st, move |st| {
        let who = viewer(st, &headers)?;
        if !who.as_ref().is_some_and(access::Viewer::is_tax_authority) {
            return Err(ApiError::not_found("no such route"));
        }
        let rule = q
            .rule
            .as_deref()
            .map(|r| r.parse::<fapiao_risk::Rule>())
            .transpose()
            .map_err(|e| ApiError::bad_field("rule", e.to_string()))?;
        let limit = q.limit.unwrap_or(200).min(10_000);
        Ok(st
            .reader
            .alerts_of(rule, limit)?
            .into_iter()
            .map(|a| AlertJson {
                id: a.id,
                rule: a.rule.as_str().into(),
                height: a.height,
                time: china_time(a.time_ms),
                subjects: a.subjects,
                numbers: a.numbers,
                detail: a.detail,
            })
            .collect())
    })
    .await
    .map(Json)
}

/// Query of the filings list.
#[derive(Deserialize)]
pub(crate) struct FilingsQuery {
    month: Option<String>,
}

/// The VAT returns filed for a month (tax authority only), as filed.
#[utoipa::path(get, path = "/v1/vat-returns", tag = "invoices",
    params(("month" = String, Query, description = "yyyy-mm")), security(("bearer" = [])),
    responses((status = 200, body = [crate::invoices::VatReturnJson]), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn filings(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<FilingsQuery>,
) -> ApiResult<Json<Vec<crate::invoices::VatReturnJson>>> {
    let who = viewer(&st, &headers)?;
    if !who.as_ref().is_some_and(access::Viewer::is_tax_authority) {
        return Err(ApiError::not_found("no such route"));
    }
    let month = crate::money::parse_month("month", q.month.as_deref().unwrap_or(""))?;
    let view = st.reader.view();
    let mut out = Vec::new();
    for uscc in read::filings(&*st.reader, month)? {
        let r = fapiao_invoice::compute_vat_return(&*view, &uscc, month)
            .map_err(crate::invoices::invoice_error)?;
        out.push(crate::invoices::vat_json(&r));
    }
    Ok(Json(out))
}
