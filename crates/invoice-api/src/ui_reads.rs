//! Reads the web pages need and the other routes do not offer: an order as its claim
//! code's holder sees it, an organisation's desk (orders waiting, invoices submitted to
//! it, red-letter forms, credit) and the tax authority's dashboard aggregates.
//!
//! The desk and the dashboard cover the whole chain: they read the ledger's derived
//! indexes (written at execution, ADR 0004) and point lookups of the records those name,
//! never blocks or receipts, so a request costs in proportion to its answer; the reads run
//! on the blocking pool. Every invoice they name passes the same access check as
//! `GET /v1/invoices/{n}`.

use crate::access;
use crate::{
    invoices::{invoice_json, InvoiceJson},
    money::{china_time, yuan},
    orders::OrderItemJson,
};
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    viewer, ApiState, St,
};
use fapiao_invoice::index::read;
use fapiao_invoice_types::InvoiceKey;
use fapiao_invoice_types::*;
use fapiao_types::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

/// Most taxpayers the dashboard lists (with their credit), in USCC order.
pub const TAXPAYER_LIMIT: usize = 1_000;

/// An order as the receipt's QR code shows it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct OrderViewJson {
    /// Order id (hex).
    pub order_id: String,
    /// Merchant's USCC.
    pub merchant: String,
    /// Merchant's registered name.
    pub merchant_name: String,
    /// Total paid, tax included, yuan.
    pub amount: String,
    /// Items (resolved against the catalogue).
    pub items: Vec<OrderItemJson>,
    /// `open`, `claimed` or `invoiced`.
    pub status: String,
    /// Whether the merchant lets a platform issue on claim.
    pub auto_issue: bool,
    /// Recorded at height.
    pub recorded_at: u64,
    /// The invoice, once issued, for readers who may see it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice: Option<String>,
}

/// Query of an order read.
#[derive(Deserialize)]
pub(crate) struct CodeQuery {
    code: Option<String>,
}

fn order_view(st: &ApiState, id: Hash32, o: &OrderRecord) -> ApiResult<OrderViewJson> {
    let name = st
        .reader
        .get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(o.merchant)))?
        .map(|t| t.name)
        .unwrap_or_default();
    let auto = st
        .reader
        .get::<AutoIssueRecord>(&StateKey::from(InvoiceKey::AutoIssue(o.merchant)))?
        .is_some_and(|a| a.enabled);
    Ok(OrderViewJson {
        order_id: hex::encode(id),
        merchant: o.merchant.to_string(),
        merchant_name: name,
        amount: yuan(o.amount),
        items: o
            .items
            .iter()
            .map(|i| OrderItemJson {
                sku: i.sku.clone(),
                name: i.name.clone(),
                tax_code: i.tax_code.clone(),
                rate: i.rate.map(|r| r.to_string()).unwrap_or_default(),
                amount: yuan(i.amount),
            })
            .collect(),
        status: o.status.as_str().into(),
        auto_issue: auto,
        recorded_at: o.recorded_at,
        invoice: o.invoice.map(|n| n.to_string()),
    })
}

/// An order, for whoever holds its claim code (`?code=`) and for those who may read it
/// (its merchant, recorder, claimant, the tax authority); 404 for anyone else.
#[utoipa::path(get, path = "/v1/orders/{order_id}", tag = "orders",
    params(("order_id" = String, Path, description = "order id (hex)"),
           ("code" = Option<String>, Query, description = "the receipt's claim code")),
    responses((status = 200, body = OrderViewJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_order(
    State(st): St,
    headers: HeaderMap,
    Path(order_id): Path<String>,
    Query(q): Query<CodeQuery>,
) -> ApiResult<Json<OrderViewJson>> {
    let id = parse_hex32("order_id", &order_id)
        .map_err(|e| ApiError::bad_field("order_id", e.to_string()))?;
    let not_found = || ApiError::not_found("no such order");
    let o = st
        .reader
        .get::<OrderRecord>(&StateKey::from(InvoiceKey::Order(id)))?
        .ok_or_else(not_found)?;
    let by_code =
        q.code.as_deref().is_some_and(|c| sha256(c.trim().as_bytes()) == o.claim_code_hash);
    let who = viewer(&st, &headers)?;
    if !by_code && !access::may_read_key(&*st.reader, &InvoiceKey::Order(id), who.as_ref()) {
        return Err(not_found());
    }
    let mut view = order_view(&st, id, &o)?;
    if o.invoice.is_some_and(|n| !access::may_read_invoice(&*st.reader, &n, who.as_ref())) {
        view.invoice = None;
    }
    Ok(Json(view))
}

/// Most rows a list of the desk or the dashboard holds.
pub const LIST_LIMIT: usize = 200;

/// Runs `f` (storage work) on the blocking pool, not on the async runtime that consensus
/// shares.
pub(crate) async fn blocking<T: Send + 'static>(
    st: &Arc<ApiState>,
    f: impl FnOnce(&ApiState) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let st = st.clone();
    fapiao_api::off_runtime(move || f(&st)).await?
}

/// A red-letter form awaiting an answer.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PendingFormJson {
    /// Form id (hex).
    pub id: String,
    /// The blue invoice.
    pub blue_number: String,
    /// Reason code.
    pub reason: String,
    /// Status.
    pub status: String,
    /// Raised by the seller (else the buyer).
    pub by_seller: bool,
    /// Whether the caller's side is the one to answer (confirm or refuse).
    pub mine_to_answer: bool,
    /// Whether the buyer confirmed it and the caller, the seller, is to issue the red
    /// invoice (or withdraw the form).
    pub mine_to_issue: bool,
    /// When raised.
    pub raised_at: String,
}

/// A credit record.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CreditUseJson {
    /// USCC.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Monthly ceiling, yuan.
    pub monthly_ceiling: String,
    /// Extra for this month, yuan.
    pub extra: String,
    /// Used this month, yuan.
    pub used: String,
    /// Month (`yyyy-mm`).
    pub month: String,
}

/// An organisation's desk.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DeskJson {
    /// The caller's organisation.
    pub org: String,
    /// Its USCC, if it is a taxpayer.
    pub tax_id: String,
    /// The caller's roles.
    pub roles: Vec<String>,
    /// Orders of this merchant claimed and waiting for it to issue, most recently
    /// recorded first (at most 200).
    pub orders_waiting: Vec<OrderViewJson>,
    /// Invoices this taxpayer issued, newest first (at most 50).
    pub issued: Vec<InvoiceJson>,
    /// Invoices submitted to this enterprise awaiting a decision (at most 200).
    pub submitted: Vec<InvoiceJson>,
    /// Invoices this enterprise reimbursed or booked, newest first (at most 50).
    pub booked: Vec<InvoiceJson>,
    /// Red-letter forms of this taxpayer's invoices still open, newest first (of the 200
    /// newest pending as stored).
    pub red_forms: Vec<PendingFormJson>,
    /// Credit, if a taxpayer with a ceiling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<CreditUseJson>,
    /// The automatic-issuing delegation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_issue: Option<crate::orders::AutoIssueJson>,
}

fn credit_json(st: &ApiState, uscc: &Uscc) -> ApiResult<Option<CreditUseJson>> {
    let Some(c) = st.reader.get::<CreditRecord>(&StateKey::from(InvoiceKey::Credit(*uscc)))? else {
        return Ok(None);
    };
    let name = st
        .reader
        .get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(*uscc)))?
        .map(|t| t.name)
        .unwrap_or_default();
    Ok(Some(CreditUseJson {
        uscc: uscc.to_string(),
        name,
        monthly_ceiling: yuan(c.monthly_ceiling),
        extra: yuan(c.extra),
        used: yuan(c.used),
        month: c.month.to_string(),
    }))
}

/// The caller organisation's desk: orders waiting for it to issue, invoices submitted
/// to it, invoices it issued or booked, open red-letter forms, its credit and
/// automatic-issuing delegation. Read from the derived indexes (the whole chain, each list
/// bounded).
#[utoipa::path(get, path = "/v1/desk", tag = "invoices", security(("bearer" = [])),
    responses((status = 200, body = DeskJson), (status = 401, body = crate::ErrorBody)))]
pub(crate) async fn desk(State(st): St, headers: HeaderMap) -> ApiResult<Json<DeskJson>> {
    blocking(&st, move |st| desk_of(st, &headers)).await.map(Json)
}

/// The invoices among `numbers` that `who` may read, as JSON, at most `limit`.
fn readable(
    st: &ApiState,
    who: &access::Viewer,
    numbers: &[InvoiceNumber],
    limit: usize,
) -> ApiResult<Vec<InvoiceJson>> {
    let mut out = Vec::new();
    for n in numbers {
        if out.len() >= limit {
            break;
        }
        if access::may_read_invoice(&*st.reader, n, Some(who)) {
            out.extend(invoice_json(st, n)?);
        }
    }
    Ok(out)
}

fn desk_of(st: &ApiState, headers: &HeaderMap) -> ApiResult<DeskJson> {
    let who =
        viewer(st, headers)?.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let roles = st
        .reader
        .account(&who.account)?
        .map(|a| a.roles.iter().map(|r| r.as_str().to_string()).collect())
        .unwrap_or_default();
    let mut desk = DeskJson {
        org: who.org.id.clone(),
        tax_id: who.org.tax_id.map(|u| u.to_string()).unwrap_or_default(),
        roles,
        orders_waiting: Vec::new(),
        issued: Vec::new(),
        submitted: Vec::new(),
        booked: Vec::new(),
        red_forms: Vec::new(),
        credit: None,
        auto_issue: None,
    };
    // Only a taxpayer's organisation (its `tax_id` a USCC) has a desk.
    let Some(my_uscc) = who.org.tax_id else {
        return Ok(desk);
    };
    let me = my_uscc.to_string();
    let l = &*st.reader;
    for id in read::orders_waiting(l, &me, LIST_LIMIT)? {
        if let Some(o) = l.get::<OrderRecord>(&StateKey::from(InvoiceKey::Order(id)))? {
            desk.orders_waiting.push(order_view(st, id, &o)?);
        }
    }
    desk.issued = readable(st, &who, &read::issued_by(l, &me, 50)?, 50)?;
    desk.submitted = readable(st, &who, &read::submitted_to(l, &me, LIST_LIMIT)?, LIST_LIMIT)?;
    desk.booked = readable(st, &who, &read::booked_by(l, &me, 50)?, 50)?;
    let now = l.tip().header.time_ms;
    for (_, id) in read::open_red_forms(l, &me, LIST_LIMIT)? {
        let Some(f) = l.get::<RedFormRecord>(&StateKey::from(InvoiceKey::RedForm(id)))? else {
            continue;
        };
        let deadline = fapiao_invoice::form_deadline_ms(&*l.view(), &f)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let status = fapiao_invoice::effective_status(&f, now, deadline);
        let awaiting_red = fapiao_invoice::awaiting_red(&f);
        let open = awaiting_red
            || matches!(
                status,
                RedFormStatus::SellerEnteredAwaitingBuyer
                    | RedFormStatus::BuyerEnteredAwaitingSeller
            );
        if !open || !access::may_read_invoice(l, &f.blue_number, Some(&who)) {
            continue;
        }
        let Some(p) =
            l.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(f.blue_number)))?
        else {
            continue;
        };
        let body = l.get::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(f.blue_number)))?;
        let buyer_is_me = body.is_some_and(|b| b.buyer.tax_id == Some(my_uscc));
        let seller_is_me = p.seller_tax_id == my_uscc;
        desk.red_forms.push(PendingFormJson {
            id: hex::encode(id),
            blue_number: f.blue_number.to_string(),
            reason: f.reason.as_str().into(),
            status: status.as_str().into(),
            by_seller: f.by_seller,
            mine_to_answer: !awaiting_red && if f.by_seller { buyer_is_me } else { seller_is_me },
            mine_to_issue: awaiting_red && seller_is_me,
            raised_at: china_time(f.raised_at_ms),
        });
    }
    desk.credit = credit_json(st, &my_uscc)?;
    desk.auto_issue = l
        .get::<AutoIssueRecord>(&StateKey::from(InvoiceKey::AutoIssue(my_uscc)))?
        .map(|a| crate::orders::AutoIssueJson { platform_org: a.platform_org, enabled: a.enabled });
    Ok(desk)
}

/// A count or sum under a label.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BucketJson {
    /// Label (minute `hh:mm`, category, seller name).
    pub label: String,
    /// Number of invoices.
    pub count: u64,
    /// Total with tax, yuan.
    pub amount: String,
}

/// A registered taxpayer.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct TaxpayerRowJson {
    /// USCC.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// `active`, `frozen`, `deregistered`.
    pub status: String,
    /// Seller type.
    pub seller_type: String,
}

/// A credit request awaiting a decision.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CreditRequestRowJson {
    /// Request id (hex).
    pub id: String,
    /// USCC.
    pub uscc: String,
    /// Amount asked for, yuan.
    pub amount: String,
    /// Month (`yyyy-mm`).
    pub month: String,
    /// Why.
    pub reason: String,
    /// `pending`, `approved`, `declined`.
    pub decision: String,
    /// Whether a tax officer raised it on the taxpayer's behalf (else the taxpayer's
    /// issuer asked).
    pub raised_by_tax_officer: bool,
}

/// An automatic credit adjustment (an auditable event of the credit policy).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CreditAdjustmentJson {
    /// Id (hex): the causing transaction's hash; the record is `credit-adjustment/<id>`.
    pub id: String,
    /// USCC.
    pub uscc: String,
    /// `auto_top_up` or `red_restore`.
    pub kind: String,
    /// Room it made, yuan.
    pub amount: String,
    /// Month (`yyyy-mm`).
    pub month: String,
    /// Use after it, yuan.
    pub used_after: String,
    /// Ceiling plus extra after it, yuan.
    pub limit_after: String,
    /// The invoice that caused it.
    pub invoice: String,
    /// Block height.
    pub height: u64,
}

/// A recent invoice on the dashboard.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RecentInvoiceJson {
    /// Number.
    pub number: String,
    /// Seller name.
    pub seller_name: String,
    /// Total with tax, yuan.
    pub total_with_tax: String,
    /// Status.
    pub status: String,
    /// Issued at.
    pub issued_at: String,
}

/// The tax authority's dashboard over the whole chain.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DashboardJson {
    /// Chain height.
    pub height: u64,
    /// Invoices issued on the chain (red invoices included).
    pub invoices: u64,
    /// Total with tax of all of them, yuan (red invoices count negative).
    pub amount: String,
    /// Invoices per minute over the 30 minutes of block time ending with the tip's
    /// minute, oldest first, labelled `hh:mm` China time: each bucket's count and
    /// amount are the sums over the invoices (red ones negative) whose block's header
    /// time falls in that minute, read from the derived per-minute index.
    pub per_minute: Vec<BucketJson>,
    /// Totals per goods/service category (`*category*` of the first line), largest
    /// amount first (at most 20).
    pub per_category: Vec<BucketJson>,
    /// Top sellers by amount (at most 10), labelled with the seller's name.
    pub top_sellers: Vec<BucketJson>,
    /// Credit use of the listed taxpayers.
    pub credit: Vec<CreditUseJson>,
    /// Registered taxpayers, in USCC order (at most [`TAXPAYER_LIMIT`]).
    pub taxpayers: Vec<TaxpayerRowJson>,
    /// Credit requests, newest first (at most 200).
    pub credit_requests: Vec<CreditRequestRowJson>,
    /// Automatic credit adjustments, newest first (at most 50).
    pub credit_adjustments: Vec<CreditAdjustmentJson>,
    /// Newest invoices (at most 20).
    pub recent: Vec<RecentInvoiceJson>,
}

fn bucket_json(b: fapiao_invoice::index::Bucket) -> BucketJson {
    let label = if b.name.is_empty() { b.label } else { b.name };
    BucketJson { label, count: b.count, amount: yuan(b.amount) }
}

/// Aggregates for the tax authority over the whole chain: invoices per minute, amount
/// per category, top sellers, credit use, the taxpayer registry and credit requests (tax
/// authority only). Read from the derived indexes.
#[utoipa::path(get, path = "/v1/dashboard", tag = "invoices", security(("bearer" = [])),
    responses((status = 200, body = DashboardJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn dashboard(State(st): St, headers: HeaderMap) -> ApiResult<Json<DashboardJson>> {
    blocking(&st, move |st| dashboard_of(st, &headers)).await.map(Json)
}

fn dashboard_of(st: &ApiState, headers: &HeaderMap) -> ApiResult<DashboardJson> {
    let who = viewer(st, headers)?;
    let Some(who) = who.filter(access::Viewer::is_tax_authority) else {
        return Err(ApiError::not_found("no such route"));
    };
    let l = &*st.reader;
    let tip = l.tip();
    let now_min = tip.header.time_ms / 60_000;
    let mut per_minute = Vec::with_capacity(30);
    for age in (0..30u64).rev() {
        let Some(minute) = now_min.checked_sub(age) else {
            continue;
        };
        let b = read::minute_totals(l, minute)?;
        let m = (minute + 8 * 60) % (24 * 60);
        per_minute.push(BucketJson {
            label: format!("{:02}:{:02}", m / 60, m % 60),
            count: b.count,
            amount: yuan(b.amount),
        });
    }
    let mut recent = Vec::new();
    for n in read::newest_invoices(l, 20)? {
        if !access::may_read_invoice(l, &n, Some(&who)) {
            continue;
        }
        let Some(p) = l.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(n)))? else {
            continue;
        };
        recent.push(RecentInvoiceJson {
            number: p.number.to_string(),
            seller_name: p.seller_name.clone(),
            total_with_tax: yuan(p.total_with_tax),
            status: p.status.as_str().into(),
            issued_at: china_time(p.issued_at_ms),
        });
    }
    let mut taxpayers = Vec::new();
    let mut credit = Vec::new();
    for u in read::taxpayers(l, TAXPAYER_LIMIT)? {
        if let Some(t) = l.get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(u)))? {
            taxpayers.push(TaxpayerRowJson {
                uscc: t.uscc.to_string(),
                name: t.name.clone(),
                status: t.status.as_str().into(),
                seller_type: t.seller_type.as_str().into(),
            });
        }
        credit.extend(credit_json(st, &u)?);
    }
    let mut credit_requests = Vec::new();
    for id in read::credit_requests(l, LIST_LIMIT)? {
        if let Some(r) =
            l.get::<CreditRequestRecord>(&StateKey::from(InvoiceKey::CreditRequest(id)))?
        {
            let raised_by_tax_officer = l
                .get::<AccountRecord>(&StateKey::Account(r.requested_by))?
                .is_some_and(|a| a.has_role(Role::TaxOfficer));
            credit_requests.push(CreditRequestRowJson {
                id: hex::encode(id),
                uscc: r.uscc.to_string(),
                amount: yuan(r.amount),
                month: r.month.to_string(),
                reason: r.reason,
                decision: r.decision.as_str().into(),
                raised_by_tax_officer,
            });
        }
    }
    let mut credit_adjustments = Vec::new();
    for id in read::credit_adjustments(l, 50)? {
        if let Some(a) =
            l.get::<CreditAdjustmentRecord>(&StateKey::from(InvoiceKey::CreditAdjustment(id)))?
        {
            credit_adjustments.push(CreditAdjustmentJson {
                id: hex::encode(id),
                uscc: a.uscc.to_string(),
                kind: a.kind.as_str().into(),
                amount: yuan(a.amount),
                month: a.month.to_string(),
                used_after: yuan(a.used_after),
                limit_after: yuan(a.limit_after),
                invoice: a.invoice.to_string(),
                height: a.height,
            });
        }
    }
    let totals = read::invoice_totals(l)?;
    Ok(DashboardJson {
        height: tip.height,
        invoices: totals.count,
        amount: yuan(totals.amount),
        per_minute,
        per_category: read::top_categories(l, 20)?.into_iter().map(bucket_json).collect(),
        top_sellers: read::top_sellers(l, 10)?.into_iter().map(bucket_json).collect(),
        credit,
        taxpayers,
        credit_requests,
        credit_adjustments,
        recent,
    })
}
