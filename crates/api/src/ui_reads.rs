//! Reads the web pages need and the other routes do not offer: an order as its claim
//! code's holder sees it, an organisation's desk (orders waiting, invoices submitted to
//! it, red-letter forms, credit) and the tax authority's dashboard aggregates.
//!
//! The desk and the dashboard look at the most recent blocks only ([`SCAN_BLOCKS`]), and
//! every invoice they name passes the same access checks as `GET /v1/invoices/{n}`.

use crate::{
    access,
    error::{ApiError, ApiResult},
    invoices::{invoice_json, InvoiceJson},
    money::{china_time, yuan},
    orders::OrderItemJson,
    routes::{viewer, St},
    ApiState,
};
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    Json,
};
use fapiao_ledger::Store;
use fapiao_types::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// How many recent blocks the desk and the dashboard look at.
pub const SCAN_BLOCKS: u64 = 20_000;

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

fn order_view<S: Store>(st: &ApiState<S>, id: Hash32, o: &OrderRecord) -> ApiResult<OrderViewJson> {
    let name = st
        .ledger
        .get::<TaxpayerRecord>(&StateKey::Taxpayer(o.merchant.clone()))?
        .map(|t| t.name)
        .unwrap_or_default();
    let auto = st
        .ledger
        .get::<AutoIssueRecord>(&StateKey::AutoIssue(o.merchant.clone()))?
        .is_some_and(|a| a.enabled);
    Ok(OrderViewJson {
        order_id: hex::encode(id),
        merchant: o.merchant.clone(),
        merchant_name: name,
        amount: yuan(o.amount),
        items: o
            .items
            .iter()
            .map(|i| OrderItemJson {
                sku: i.sku.clone(),
                name: i.name.clone(),
                tax_code: i.tax_code.clone(),
                rate: i.rate.clone(),
                amount: yuan(i.amount),
            })
            .collect(),
        status: o.status.as_str().into(),
        auto_issue: auto,
        recorded_at: o.recorded_at,
        invoice: (!o.invoice.is_empty()).then(|| o.invoice.clone()),
    })
}

/// An order, for whoever holds its claim code (`?code=`) and for those who may read it
/// (its merchant, recorder, claimant, the tax authority); 404 for anyone else.
#[utoipa::path(get, path = "/v1/orders/{order_id}", tag = "orders",
    params(("order_id" = String, Path, description = "order id (hex)"),
           ("code" = Option<String>, Query, description = "the receipt's claim code")),
    responses((status = 200, body = OrderViewJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_order<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Path(order_id): Path<String>,
    Query(q): Query<CodeQuery>,
) -> ApiResult<Json<OrderViewJson>> {
    let id = parse_hex32("order_id", &order_id)
        .map_err(|e| ApiError::bad_field("order_id", e.to_string()))?;
    let not_found = || ApiError::not_found("no such order");
    let o = st.ledger.get::<OrderRecord>(&StateKey::Order(id))?.ok_or_else(not_found)?;
    let by_code =
        q.code.as_deref().is_some_and(|c| sha256(c.trim().as_bytes()) == o.claim_code_hash);
    let who = viewer(&st, &headers)?;
    if !by_code && !access::may_read_key(&st.ledger, &StateKey::Order(id), who.as_ref()) {
        return Err(not_found());
    }
    let mut view = order_view(&st, id, &o)?;
    if view
        .invoice
        .as_deref()
        .is_some_and(|n| !access::may_read_invoice(&st.ledger, n, who.as_ref()))
    {
        view.invoice = None;
    }
    Ok(Json(view))
}

/// What the recent blocks created.
#[derive(Default)]
struct Scan {
    /// Invoice numbers with issue block time, newest first.
    invoices: Vec<(String, u64)>,
    /// Order ids, newest first.
    orders: Vec<Hash32>,
    /// Red-letter form ids, newest first.
    forms: Vec<Hash32>,
    /// Credit request ids, newest first.
    credit_requests: Vec<Hash32>,
    /// Registered taxpayers.
    taxpayers: BTreeSet<String>,
    /// Invoices touched by a circulation event (submit, accept, reject, book).
    circulated: BTreeSet<String>,
}

fn scan<S: Store>(st: &ApiState<S>) -> ApiResult<Scan> {
    let tip = st.ledger.tip().height;
    let mut out = Scan::default();
    let mut seen = BTreeSet::new();
    for h in (tip.saturating_sub(SCAN_BLOCKS).max(1)..=tip).rev() {
        let Some(block) = st.ledger.block(h)? else { continue };
        if block.txs.is_empty() {
            continue;
        }
        let receipts = st.ledger.receipts(h)?.unwrap_or_default();
        for (tx, r) in block.txs.iter().zip(receipts.iter()).rev() {
            if !matches!(r.outcome, Outcome::Ok) {
                continue;
            }
            let time = block.header.time_ms;
            let creates_invoice = matches!(
                &tx.tx.action,
                Action::IssueInvoice(_)
                    | Action::IssueForOrder(_)
                    | Action::ClaimOrder(_)
                    | Action::ConfirmRedForm(_)
                    | Action::RaiseRedForm(_)
            );
            if creates_invoice && r.output.len() == 20 && seen.insert(r.output.clone()) {
                out.invoices.push((r.output.clone(), time));
            }
            match &tx.tx.action {
                Action::RecordOrder(_) => out.orders.push(r.tx_hash),
                Action::RaiseRedForm(_) => out.forms.push(r.tx_hash),
                Action::RequestCredit(_) => out.credit_requests.push(r.tx_hash),
                Action::RegisterTaxpayer(t) => {
                    out.taxpayers.insert(t.uscc.clone());
                }
                Action::SubmitInvoice(i)
                | Action::AcceptReimbursement(i)
                | Action::RejectReimbursement(i)
                | Action::BookInvoice(i) => {
                    out.circulated.insert(i.number.clone());
                }
                _ => {}
            }
        }
    }
    Ok(out)
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
    /// Orders of this merchant claimed and waiting for it to issue.
    pub orders_waiting: Vec<OrderViewJson>,
    /// Invoices this taxpayer issued, newest first (at most 50).
    pub issued: Vec<InvoiceJson>,
    /// Invoices submitted to this enterprise awaiting a decision.
    pub submitted: Vec<InvoiceJson>,
    /// Invoices this enterprise reimbursed or booked, newest first (at most 50).
    pub booked: Vec<InvoiceJson>,
    /// Red-letter forms of this taxpayer's invoices still open.
    pub red_forms: Vec<PendingFormJson>,
    /// Credit, if a taxpayer with a ceiling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<CreditUseJson>,
    /// The automatic-issuing delegation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_issue: Option<crate::orders::AutoIssueJson>,
}

fn credit_json<S: Store>(st: &ApiState<S>, uscc: &str) -> ApiResult<Option<CreditUseJson>> {
    let Some(c) = st.ledger.get::<CreditRecord>(&StateKey::Credit(uscc.into()))? else {
        return Ok(None);
    };
    let name = st
        .ledger
        .get::<TaxpayerRecord>(&StateKey::Taxpayer(uscc.into()))?
        .map(|t| t.name)
        .unwrap_or_default();
    Ok(Some(CreditUseJson {
        uscc: uscc.into(),
        name,
        monthly_ceiling: yuan(c.monthly_ceiling),
        extra: yuan(c.extra),
        used: yuan(c.used),
        month: format!("{:04}-{:02}", c.month / 100, c.month % 100),
    }))
}

/// The caller organisation's desk over the recent blocks: orders waiting for it to
/// issue, invoices submitted to it, invoices it issued or booked, open red-letter forms,
/// its credit and automatic-issuing delegation.
#[utoipa::path(get, path = "/v1/desk", tag = "invoices", security(("bearer" = [])),
    responses((status = 200, body = DeskJson), (status = 401, body = crate::ErrorBody)))]
pub(crate) async fn desk<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
) -> ApiResult<Json<DeskJson>> {
    let who = viewer(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let roles = st
        .ledger
        .account(&who.account)?
        .map(|a| a.roles.iter().map(|r| r.as_str().to_string()).collect())
        .unwrap_or_default();
    let me = who.org.tax_id.clone();
    let s = scan(&st)?;
    let mut desk = DeskJson {
        org: who.org.id.clone(),
        tax_id: me.clone(),
        roles,
        orders_waiting: Vec::new(),
        issued: Vec::new(),
        submitted: Vec::new(),
        booked: Vec::new(),
        red_forms: Vec::new(),
        credit: None,
        auto_issue: None,
    };
    if me.is_empty() {
        return Ok(Json(desk));
    }
    for id in &s.orders {
        if let Some(o) = st.ledger.get::<OrderRecord>(&StateKey::Order(*id))? {
            if o.merchant == me && o.status == OrderStatus::Claimed {
                desk.orders_waiting.push(order_view(&st, *id, &o)?);
            }
        }
    }
    for (n, _) in &s.invoices {
        if desk.issued.len() >= 50 {
            break;
        }
        let Some(p) = st.ledger.get::<InvoicePublic>(&StateKey::Invoice(n.clone()))? else {
            continue;
        };
        if p.seller_tax_id == me {
            desk.issued.extend(invoice_json(&st, n)?);
        }
    }
    for (n, _) in &s.invoices {
        if !s.circulated.contains(n) {
            continue;
        }
        let Some(c) = st.ledger.get::<Circulation>(&StateKey::InvoiceCirc(n.clone()))? else {
            continue;
        };
        if c.enterprise != me {
            continue;
        }
        let Some(inv) = invoice_json(&st, n)? else { continue };
        if inv.status == "submitted" {
            desk.submitted.push(inv);
        } else if (c.reimbursed_at != 0 || c.booked_at != 0) && desk.booked.len() < 50 {
            desk.booked.push(inv);
        }
    }
    let now = st.ledger.tip().header.time_ms;
    for id in &s.forms {
        let Some(f) = st.ledger.get::<RedFormRecord>(&StateKey::RedForm(*id))? else { continue };
        let status = fapiao_invoice::effective_status(&f, now);
        let open = matches!(
            status,
            RedFormStatus::SellerEnteredAwaitingBuyer | RedFormStatus::BuyerEnteredAwaitingSeller
        );
        if !open {
            continue;
        }
        let Some(p) = st.ledger.get::<InvoicePublic>(&StateKey::Invoice(f.blue_number.clone()))?
        else {
            continue;
        };
        let body = st.ledger.get::<InvoiceBody>(&StateKey::InvoiceBody(f.blue_number.clone()))?;
        let buyer_is_me = body.is_some_and(|b| b.buyer.tax_id == me);
        let seller_is_me = p.seller_tax_id == me;
        if !seller_is_me && !buyer_is_me {
            continue;
        }
        desk.red_forms.push(PendingFormJson {
            id: hex::encode(id),
            blue_number: f.blue_number.clone(),
            reason: f.reason.as_str().into(),
            status: status.as_str().into(),
            by_seller: f.by_seller,
            mine_to_answer: if f.by_seller { buyer_is_me } else { seller_is_me },
            raised_at: china_time(f.raised_at_ms),
        });
    }
    desk.credit = credit_json(&st, &me)?;
    desk.auto_issue = st
        .ledger
        .get::<AutoIssueRecord>(&StateKey::AutoIssue(me.clone()))?
        .map(|a| crate::orders::AutoIssueJson { platform_org: a.platform_org, enabled: a.enabled });
    Ok(Json(desk))
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

/// The tax authority's dashboard over the recent blocks.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DashboardJson {
    /// Chain height.
    pub height: u64,
    /// Invoices issued in the scanned blocks.
    pub invoices: u64,
    /// Total with tax of those, yuan.
    pub amount: String,
    /// Invoices per minute over the last 30 minutes of block time, oldest first.
    pub per_minute: Vec<BucketJson>,
    /// Totals per goods/service category (`*category*` of the first line).
    pub per_category: Vec<BucketJson>,
    /// Top sellers by amount.
    pub top_sellers: Vec<BucketJson>,
    /// Credit use of the registered taxpayers.
    pub credit: Vec<CreditUseJson>,
    /// Registered taxpayers.
    pub taxpayers: Vec<TaxpayerRowJson>,
    /// Credit requests, newest first.
    pub credit_requests: Vec<CreditRequestRowJson>,
    /// Newest invoices (at most 20).
    pub recent: Vec<RecentInvoiceJson>,
}

fn category(name: &str) -> String {
    let mut parts = name.split('*').filter(|p| !p.is_empty());
    match (name.starts_with('*'), parts.next()) {
        (true, Some(c)) => c.to_string(),
        _ => "其他".to_string(),
    }
}

/// Counts and sums one amount into a bucket; sums are `i128`, as many amounts may add up
/// beyond the range of one.
fn add(map: &mut BTreeMap<String, (u64, i128)>, key: String, amount: i64) {
    let e = map.entry(key).or_default();
    e.0 += 1;
    e.1 += i128::from(amount);
}

fn buckets(map: BTreeMap<String, (u64, i128)>) -> Vec<BucketJson> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(&b.0)));
    v.into_iter()
        .map(|(label, (count, amount))| BucketJson {
            label,
            count,
            amount: crate::money::yuan_sum(amount),
        })
        .collect()
}

/// Aggregates for the tax authority: invoices per minute, amount per category, top
/// sellers, credit use, the taxpayer registry and credit requests (tax authority only).
#[utoipa::path(get, path = "/v1/dashboard", tag = "invoices", security(("bearer" = [])),
    responses((status = 200, body = DashboardJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn dashboard<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
) -> ApiResult<Json<DashboardJson>> {
    let who = viewer(&st, &headers)?;
    if !who.as_ref().is_some_and(access::Viewer::is_tax_authority) {
        return Err(ApiError::not_found("no such route"));
    }
    let s = scan(&st)?;
    let now_min = st.ledger.tip().header.time_ms / 60_000;
    let mut minutes = vec![0u64; 30];
    let mut per_cat = BTreeMap::new();
    let mut sellers = BTreeMap::new();
    let mut total = 0i128;
    let mut recent = Vec::new();
    for (n, time) in &s.invoices {
        let Some(p) = st.ledger.get::<InvoicePublic>(&StateKey::Invoice(n.clone()))? else {
            continue;
        };
        let age = now_min.saturating_sub(time / 60_000);
        if age < 30 {
            minutes[29 - age as usize] += 1;
        }
        total += i128::from(p.total_with_tax);
        let cat = st
            .ledger
            .get::<InvoiceBody>(&StateKey::InvoiceBody(n.clone()))?
            .and_then(|b| b.lines.first().map(|l| category(&l.name)))
            .unwrap_or_else(|| "其他".into());
        add(&mut per_cat, cat, p.total_with_tax);
        add(&mut sellers, p.seller_name.clone(), p.total_with_tax);
        if recent.len() < 20 {
            recent.push(RecentInvoiceJson {
                number: p.number.clone(),
                seller_name: p.seller_name.clone(),
                total_with_tax: yuan(p.total_with_tax),
                status: p.status.as_str().into(),
                issued_at: china_time(p.issued_at_ms),
            });
        }
    }
    let per_minute = minutes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let m = (now_min + 8 * 60 - (29 - i as u64)) % (24 * 60);
            BucketJson { label: format!("{:02}:{:02}", m / 60, m % 60), count: *c, amount: yuan(0) }
        })
        .collect();
    let mut taxpayers = Vec::new();
    let mut credit = Vec::new();
    for u in &s.taxpayers {
        if let Some(t) = st.ledger.get::<TaxpayerRecord>(&StateKey::Taxpayer(u.clone()))? {
            taxpayers.push(TaxpayerRowJson {
                uscc: t.uscc.clone(),
                name: t.name.clone(),
                status: t.status.as_str().into(),
                seller_type: t.seller_type.as_str().into(),
            });
        }
        credit.extend(credit_json(&st, u)?);
    }
    let mut credit_requests = Vec::new();
    for id in &s.credit_requests {
        if let Some(r) = st.ledger.get::<CreditRequestRecord>(&StateKey::CreditRequest(*id))? {
            credit_requests.push(CreditRequestRowJson {
                id: hex::encode(id),
                uscc: r.uscc,
                amount: yuan(r.amount),
                month: format!("{:04}-{:02}", r.month / 100, r.month % 100),
                reason: r.reason,
                decision: match r.decision {
                    0 => "pending",
                    1 => "approved",
                    _ => "declined",
                }
                .into(),
            });
        }
    }
    let mut top = buckets(sellers);
    top.truncate(10);
    Ok(Json(DashboardJson {
        height: st.ledger.tip().height,
        invoices: s.invoices.len() as u64,
        amount: crate::money::yuan_sum(total),
        per_minute,
        per_category: buckets(per_cat),
        top_sellers: top,
        credit,
        taxpayers,
        credit_requests,
        recent,
    }))
}

#[cfg(test)]
mod tests {
    use super::category;

    #[test]
    fn category_is_the_starred_prefix() {
        assert_eq!(category("*餐饮服务*午餐"), "餐饮服务");
        assert_eq!(category("午餐"), "其他");
    }
}
