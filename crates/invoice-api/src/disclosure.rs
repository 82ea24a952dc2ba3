//! The enterprise's side of issue 18 (ADR 0012): its tax summary in clear with the
//! commitments the chain keeps, its disclosure grants to banks of other chains, and the
//! package it hands a bank off the chain.
//!
//! * `GET /v1/tax-summary/{uscc}` — the taxpayer (and the tax authority, audited): the last
//!   12 ended months' values with their commitments, and the status.
//! * `POST /v1/disclosures`, `POST /v1/disclosures/{id}/revoke` — custodial writes of
//!   `authorise_disclosure` / `revoke_disclosure` (the taxpayer's finance office).
//! * `GET /v1/disclosures?uscc=` — the taxpayer's own grants, newest first.
//! * `GET /v1/disclosures/{id}/package` — for a grant in force, its own only: the grant
//!   and every record it covers (or its absence) proven against **one** directly
//!   certified header, and the openings of exactly the covered fields, computed with the
//!   node's chain secret (`<secrets_dir>/chain-secret`).

use crate::access;
use crate::invoices::{commit, invoice_error, json_body};
use crate::money::{parse_month, parse_value};
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
    Json,
};
use fapiao_api::bundle::Reading;
use fapiao_api::{
    error::{ApiError, ApiResult},
    viewer, ApiState, St,
};
use fapiao_crosschain_types::ClaimJson;
use fapiao_invoice::{index::read, summary, Code};
use fapiao_invoice_types::{
    AuthoriseDisclosure, DisclosureGrant, DisclosurePackage, InvoiceAction, InvoiceKey, Opening,
    RevokeDisclosure, SummaryField, SummaryMonth, SummaryStatus, SummaryValue, TaxpayerRecord,
};
use fapiao_types::{hex32, Hash32, Month, StateKey, Uscc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// The bundle format name of a disclosure package's proofs.
const PACKAGE_FORMAT: &str = "fapiao-disclosure-v1";

/// One month of the tax summary, in clear, with the chain's commitments.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct SummaryMonthJson {
    /// `yyyy-mm`.
    pub month: String,
    /// Sales (amount excluding tax, net of red invoices), fen.
    pub sales: i64,
    /// VAT paid: the filed return's payable, fen (0 until filed).
    pub vat_paid: i64,
    /// Whether the return was filed by the 15th of the next month.
    pub on_time: bool,
    /// The commitments of `tax-summary/<uscc>/<yyyymm>` (hex); absent when the month has
    /// no record (no activity: it opens as 0, 0, false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitments: Option<MonthCommitmentsJson>,
}

/// The three commitments of a month's record.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct MonthCommitmentsJson {
    /// Commitment to the sales (hex).
    pub sales: String,
    /// Commitment to the VAT paid (hex).
    pub vat_paid: String,
    /// Commitment to the on-time flag (hex).
    pub on_time: String,
    /// Height of the record's last update.
    pub updated_at: u64,
}

/// The taxpayer's status with its commitment.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct SummaryStatusJson {
    /// `active`, `frozen` or `deregistered`.
    pub value: String,
    /// Commitment of `tax-status/<uscc>` (hex); absent when the chain has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment: Option<String>,
}

/// `GET /v1/tax-summary/{uscc}`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct TaxSummaryJson {
    /// The taxpayer.
    pub uscc: String,
    /// Height of the state read.
    pub height: u64,
    /// Whether the chain keeps the committed summary (`invoice/tax-summary`).
    pub enabled: bool,
    /// The last 12 ended months, oldest first.
    pub months: Vec<SummaryMonthJson>,
    /// The status.
    pub status: SummaryStatusJson,
}

/// `POST /v1/disclosures`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DisclosureRequest {
    /// The enterprise's USCC (the caller's organisation).
    pub uscc: String,
    /// The receiving chain's id (`fapiao-finance`).
    pub chain_id: String,
    /// The bank's organisation id on that chain.
    pub bank: String,
    /// What for.
    pub purpose: String,
    /// Fields disclosed, in order: `sales`, `vat_paid`, `on_time`, `status`.
    pub fields: Vec<String>,
    /// First month, `yyyy-mm`.
    pub first_month: String,
    /// Last month, `yyyy-mm` (ended).
    pub last_month: String,
    /// Expiry, ms since the Unix epoch.
    pub expires_ms: u64,
}

/// A committed grant or revocation.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DisclosureCommitted {
    /// The grant's id (hex): the granting transaction's hash.
    pub id: String,
    /// The transaction's hash (hex).
    pub tx_hash: String,
    /// Its block's height.
    pub height: u64,
}

/// A disclosure grant.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct GrantJson {
    /// Its id (hex).
    pub id: String,
    /// The enterprise.
    pub uscc: String,
    /// The receiving chain.
    pub chain_id: String,
    /// The bank's organisation id there.
    pub bank: String,
    /// What for.
    pub purpose: String,
    /// Fields disclosed.
    pub fields: Vec<String>,
    /// First month, `yyyy-mm`.
    pub first_month: String,
    /// Last month, `yyyy-mm`.
    pub last_month: String,
    /// Expiry, ms since the Unix epoch.
    pub expires_ms: u64,
    /// Height of the granting block.
    pub granted_at: u64,
    /// Height of the revoking block, when revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<u64>,
    /// Whether it is in force at the tip's block time.
    pub in_force: bool,
}

/// `?uscc=` of the grant list.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct GrantsQuery {
    /// The enterprise (default: the caller's organisation's USCC).
    uscc: Option<String>,
}

fn grant_json(g: &DisclosureGrant, now_ms: u64) -> GrantJson {
    GrantJson {
        id: hex32(&g.id),
        uscc: g.uscc.to_string(),
        chain_id: g.chain_id.clone(),
        bank: g.bank.clone(),
        purpose: g.purpose.clone(),
        fields: g.fields.iter().map(|f| f.as_str().to_string()).collect(),
        first_month: g.first_month.to_string(),
        last_month: g.last_month.to_string(),
        expires_ms: g.expires_ms,
        granted_at: g.granted_at,
        revoked_at: (g.revoked_at != 0).then_some(g.revoked_at),
        in_force: g.in_force(now_ms),
    }
}

/// The tip's block time.
fn tip_time(st: &ApiState) -> u64 {
    st.reader.tip().header.time_ms
}

/// The 12 months that ended before the month of `now_ms`, oldest first.
fn last_ended_months(now_ms: u64) -> Vec<Month> {
    let mut months = Vec::with_capacity(12);
    let mut m = fapiao_invoice::month_of(now_ms).previous();
    while let Some(month) = m.filter(|_| months.len() < 12) {
        months.push(month);
        m = month.previous();
    }
    months.reverse();
    months
}

/// The taxpayer's tax summary: the last 12 ended months' values in clear with their
/// commitments, and its status (the taxpayer itself and the tax authority only).
#[utoipa::path(get, path = "/v1/tax-summary/{uscc}", tag = "disclosure",
    params(("uscc" = String, Path, description = "USCC")), security(("bearer" = [])),
    responses((status = 200, body = TaxSummaryJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn tax_summary(
    State(st): St,
    headers: HeaderMap,
    Path(uscc): Path<String>,
) -> ApiResult<Json<TaxSummaryJson>> {
    st.metrics.http_requests.inc();
    let not_found = || ApiError::not_found("no such taxpayer");
    let uscc = Uscc::parse(&uscc).map_err(|_| not_found())?;
    let who = viewer(&st, &headers)?;
    if !access::may_read_key(&*st.reader, &InvoiceKey::SummaryStatus(uscc), who.as_ref()) {
        return Err(not_found());
    }
    let t = st
        .reader
        .get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(uscc)))?
        .ok_or_else(not_found)?;
    let height = st.reader.tip().height;
    let view = st.reader.view();
    let enabled = summary::pinned_secret_id(&*view, height).map_err(invoice_error)?.is_some();
    let mut months = Vec::new();
    for m in last_ended_months(tip_time(&st)) {
        let values = summary::month_values(&*view, &uscc, m).map_err(invoice_error)?;
        let [(_, SummaryValue::Fen(sales)), (_, SummaryValue::Fen(vat_paid)), (_, SummaryValue::Flag(on_time))] =
            values
        else {
            return Err(ApiError::internal("unexpected summary values"));
        };
        let rec =
            st.reader.get::<SummaryMonth>(&StateKey::from(InvoiceKey::SummaryMonth(uscc, m)))?;
        months.push(SummaryMonthJson {
            month: m.to_string(),
            sales,
            vat_paid,
            on_time,
            commitments: rec.map(|r| MonthCommitmentsJson {
                sales: hex32(&r.sales),
                vat_paid: hex32(&r.vat_paid),
                on_time: hex32(&r.on_time),
                updated_at: r.updated_at,
            }),
        });
    }
    let status =
        st.reader.get::<SummaryStatus>(&StateKey::from(InvoiceKey::SummaryStatus(uscc)))?;
    Ok(Json(TaxSummaryJson {
        uscc: uscc.to_string(),
        height,
        enabled,
        months,
        status: SummaryStatusJson {
            value: t.status.as_str().to_string(),
            commitment: status.map(|s| hex32(&s.status)),
        },
    }))
}

fn parse_fields(fields: &[String]) -> ApiResult<Vec<SummaryField>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            SummaryField::parse(f)
                .map_err(|e| ApiError::bad_field(&format!("fields[{i}]"), e.to_string()))
        })
        .collect()
}

/// Authorise a bank of another chain to receive fields of the caller's tax summary
/// (`authorise_disclosure`, the taxpayer's finance office); answers the grant's id.
#[utoipa::path(post, path = "/v1/disclosures", tag = "disclosure", request_body = DisclosureRequest,
    security(("bearer" = [])),
    responses((status = 200, body = DisclosureCommitted), (status = 403, body = crate::ErrorBody),
        (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn authorise(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<DisclosureRequest>, JsonRejection>,
) -> ApiResult<Json<DisclosureCommitted>> {
    let j = json_body(body)?;
    let action = InvoiceAction::AuthoriseDisclosure(AuthoriseDisclosure {
        uscc: parse_value("uscc", &j.uscc)?,
        chain_id: j.chain_id,
        bank: j.bank,
        purpose: j.purpose,
        fields: parse_fields(&j.fields)?,
        first_month: parse_month("first_month", &j.first_month)?,
        last_month: parse_month("last_month", &j.last_month)?,
        expires_ms: j.expires_ms,
    });
    let (hash, r) = commit(&st, &headers, action).await?;
    Ok(Json(DisclosureCommitted { id: hex32(&hash), tx_hash: hex32(&hash), height: r.height }))
}

fn parse_id(id: &str) -> ApiResult<Hash32> {
    fapiao_types::parse_hex32("id", id).map_err(|e| ApiError::bad_field("id", e.to_string()))
}

/// Revoke one of the caller's grants (`revoke_disclosure`).
#[utoipa::path(post, path = "/v1/disclosures/{id}/revoke", tag = "disclosure",
    params(("id" = String, Path, description = "grant id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = DisclosureCommitted), (status = 403, body = crate::ErrorBody),
        (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody)))]
pub(crate) async fn revoke(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<DisclosureCommitted>> {
    let id = parse_id(&id)?;
    let (hash, r) =
        commit(&st, &headers, InvoiceAction::RevokeDisclosure(RevokeDisclosure { id })).await?;
    Ok(Json(DisclosureCommitted { id: hex32(&id), tx_hash: hex32(&hash), height: r.height }))
}

/// The caller's disclosure grants (its organisation's, or `uscc`'s when the tax authority
/// asks), newest first.
#[utoipa::path(get, path = "/v1/disclosures", tag = "disclosure", params(GrantsQuery),
    security(("bearer" = [])),
    responses((status = 200, body = [GrantJson]), (status = 401, body = crate::ErrorBody),
        (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn list(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<GrantsQuery>,
) -> ApiResult<Json<Vec<GrantJson>>> {
    st.metrics.http_requests.inc();
    let who = viewer(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let uscc = match q.uscc.as_deref() {
        Some(u) => parse_value::<Uscc>("uscc", u)?,
        None => who.org.tax_id.ok_or_else(|| {
            ApiError::bad_field("uscc", "the caller's organisation is no taxpayer: give uscc")
        })?,
    };
    if !access::may_read_key(&*st.reader, &InvoiceKey::SummaryStatus(uscc), Some(&who)) {
        return Err(ApiError::not_found("no such taxpayer"));
    }
    let now = tip_time(&st);
    let mut out = Vec::new();
    for id in read::disclosures(&*st.reader, &uscc, 1000).map_err(ApiError::internal)? {
        if let Some(g) =
            st.reader.get::<DisclosureGrant>(&StateKey::from(InvoiceKey::Disclosure(id)))?
        {
            out.push(grant_json(&g, now));
        }
    }
    Ok(Json(out))
}

/// The chain secret of this node, checked against the id the chain pins.
fn node_secret(st: &ApiState) -> ApiResult<[u8; 32]> {
    let view = st.reader.view();
    let pinned = summary::pinned_secret_id(&*view, st.reader.tip().height)
        .map_err(invoice_error)?
        .ok_or_else(|| {
            ApiError::refuse(
                Code::NoChainSecret,
                None,
                "this chain does not keep the tax summary (invoice/tax-summary is disabled)",
            )
        })?;
    let missing = || {
        ApiError::refuse(
            Code::NoChainSecret,
            None,
            "this node does not hold the chain secret (<secrets_dir>/chain-secret): ask a node \
             of the tax chain's validators",
        )
    };
    let path = st.secrets.as_ref().ok_or_else(missing)?.join("chain-secret");
    let text = std::fs::read_to_string(&path).map_err(|_| missing())?;
    let secret = hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(missing)?;
    if hex32(&fapiao_types::commit::secret_id(&secret)) != pinned {
        return Err(ApiError::refuse(
            Code::NoChainSecret,
            None,
            "this node's chain secret is not the one the chain pins",
        ));
    }
    Ok(secret)
}

/// What a package proves and opens, read at one moment before proving: the keys (the
/// grant, each covered month's summary, the status when covered), their values then, and
/// the openings of the covered fields, each checked against the commitment it opens.
fn read_package(
    st: &ApiState,
    grant: &DisclosureGrant,
    secret: &[u8; 32],
) -> ApiResult<Reading<Vec<Opening>>> {
    let uscc = grant.uscc;
    let monthly = grant.fields.iter().any(|f| f.monthly());
    let mut months = Vec::new();
    let mut m = grant.first_month;
    while monthly && m <= grant.last_month {
        months.push(m);
        let next = if m.month_of_year() == 12 { (m.year() + 1) * 100 + 1 } else { m.yyyymm() + 1 };
        m = Month::from_yyyymm(next).map_err(ApiError::internal)?;
    }
    let mut keys = vec![StateKey::from(InvoiceKey::Disclosure(grant.id))];
    keys.extend(months.iter().map(|m| StateKey::from(InvoiceKey::SummaryMonth(uscc, *m))));
    let status = grant.fields.contains(&SummaryField::Status);
    if status {
        keys.push(StateKey::from(InvoiceKey::SummaryStatus(uscc)));
    }
    let values = keys.iter().map(|k| st.reader.get_raw(k)).collect::<Result<Vec<_>, _>>()?;
    // The openings, from the clear values now; each is checked against the commitment it
    // opens before it leaves the node.
    let view = st.reader.view();
    let mut openings = Vec::new();
    for m in &months {
        let Some(rec) =
            st.reader.get::<SummaryMonth>(&StateKey::from(InvoiceKey::SummaryMonth(uscc, *m)))?
        else {
            continue; // no activity: the absence proof says 0, 0, false
        };
        for (field, value) in summary::month_values(&*view, &uscc, *m).map_err(invoice_error)? {
            if !grant.fields.contains(&field) {
                continue;
            }
            let c = match field {
                SummaryField::Sales => rec.sales,
                SummaryField::VatPaid => rec.vat_paid,
                _ => rec.on_time,
            };
            openings.push(checked(
                Opening::new(secret, &uscc, field, Some(*m), &value),
                &uscc,
                &c,
            )?);
        }
    }
    if status {
        let t = st
            .reader
            .get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(uscc)))?
            .ok_or_else(|| ApiError::internal("a grant of an unregistered taxpayer"))?;
        if let Some(rec) =
            st.reader.get::<SummaryStatus>(&StateKey::from(InvoiceKey::SummaryStatus(uscc)))?
        {
            let value = SummaryValue::Status(t.status);
            openings.push(checked(
                Opening::new(secret, &uscc, SummaryField::Status, None, &value),
                &uscc,
                &rec.status,
            )?);
        }
    }
    Ok(Reading { keys, values, derived: openings })
}

/// Builds the package of `grant`: its records read with their openings, then proven at
/// the tip under one header a certificate finalizes directly
/// ([`fapiao_api::bundle::certified_reading`]). `None` when no header certified it in time.
async fn build_package(
    st: &Arc<ApiState>,
    grant: &DisclosureGrant,
    secret: [u8; 32],
) -> ApiResult<Option<DisclosurePackage>> {
    let (st2, grant2) = (st.clone(), grant.clone());
    let read = move || read_package(&st2, &grant2, &secret);
    let Some((bundle, height, openings)) =
        fapiao_api::bundle::certified_reading(st, PACKAGE_FORMAT, &hex32(&grant.id), read).await?
    else {
        return Ok(None);
    };
    // Each claim names the header whose state root its proof is against.
    let mut claims = bundle.entries.into_iter().map(|e| ClaimJson {
        chain_id: bundle.chain_id.clone(),
        height,
        key: e.key,
        value: e.value_hex,
        proof: e.proof_hex,
    });
    let grant_claim = claims.next().ok_or_else(|| ApiError::internal("empty bundle"))?;
    let records: Vec<ClaimJson> = claims.collect();
    Ok(Some(DisclosurePackage {
        uscc: grant.uscc.to_string(),
        grant_id: hex32(&grant.id),
        grant: grant_claim,
        records,
        openings,
    }))
}

fn checked(o: Opening, uscc: &Uscc, commitment: &Hash32) -> ApiResult<Opening> {
    match o.opens(uscc, commitment) {
        Ok(true) => Ok(o),
        _ => Err(ApiError::internal(format!(
            "the opening of {} does not open the chain's commitment",
            o.field
        ))),
    }
}

/// The package of one of the caller's grants in force, for the bank: the grant and every
/// record it covers proven against one directly certified header (`records`: each covered
/// month's `tax-summary` record or its absence, then `tax-status` when covered), and the
/// openings of exactly the covered fields. The records are proven as they are now, under
/// the first header whose `state_height` is the node's tip: the answer waits for it
/// (about one block interval) and is 503 `not_final_yet` when none came within a few;
/// 503 `invoice.no_chain_secret` on a node without the secret.
#[utoipa::path(get, path = "/v1/disclosures/{id}/package", tag = "disclosure",
    params(("id" = String, Path, description = "grant id (hex)")), security(("bearer" = [])),
    responses((status = 200, description = "The DisclosurePackage (docs/formats.md §24)", body = Object),
        (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
        (status = 503, body = crate::ErrorBody)))]
pub(crate) async fn package(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    st.metrics.http_requests.inc();
    let not_found = || ApiError::not_found("no such grant");
    let id = parse_id(&id).map_err(|_| not_found())?;
    let who = viewer(&st, &headers)?;
    let grant = st
        .reader
        .get::<DisclosureGrant>(&StateKey::from(InvoiceKey::Disclosure(id)))?
        .filter(|g| who.as_ref().is_some_and(|v| v.is_taxpayer(g.uscc.as_str())))
        .ok_or_else(not_found)?;
    if grant.revoked_at != 0 {
        return Err(ApiError::refuse(
            Code::GrantRevoked,
            Some("id"),
            format!("revoked at height {}", grant.revoked_at),
        ));
    }
    if !grant.in_force(tip_time(&st)) {
        return Err(ApiError::refuse(Code::GrantExpired, Some("id"), "the grant has expired"));
    }
    let secret = node_secret(&st)?;
    let package = build_package(&st, &grant, secret).await?;
    Ok(match package {
        Some(p) => Json(p).into_response(),
        None => fapiao_api::bundle::not_final_yet("grant"),
    })
}
