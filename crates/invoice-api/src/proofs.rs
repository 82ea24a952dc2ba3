//! Trust no server: the invoice proof bundle, the signed QR payload, the printable
//! invoice (PDF and HTML) and the public verification page.
//!
//! A bundle is proven at the executed tip and certified by the first header whose
//! `state_height` is that tip (`fapiao_api::bundle`); a QR payload is signed
//! by this node's validator key (a full node has none and says so).

use crate::access;
use crate::{
    invoices::{invoice_json, InvoiceJson},
    money::{parse_date, parse_yuan},
};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap},
    response::{Html, IntoResponse, Response},
    Json,
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    viewer, ApiState, St,
};
use fapiao_invoice_types::{InvoiceKey, InvoicePublic};
use fapiao_types::{InvoiceNumber, StateKey};
use fapiao_verify::{ProofBundle, QrPayload, BUNDLE_FORMAT};
use serde::Deserialize;

/// `?date=&total=` of a public (non-party) request.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct PublicQuery {
    /// Issue date `yyyy-mm-dd` (required without a party's token).
    date: Option<String>,
    /// Total with tax, yuan (required without a party's token).
    total: Option<String>,
}

/// Whether the caller may see `number` in full; without a token, whether `date` and
/// `total` match it (as public verification asks). `None` when neither.
fn access_level(
    st: &ApiState,
    headers: &HeaderMap,
    number: &str,
    q: &PublicQuery,
) -> ApiResult<Option<(InvoiceNumber, bool)>> {
    let number =
        InvoiceNumber::parse(number).map_err(|_| ApiError::bad_field("number", "20 digits"))?;
    let who = viewer(st, headers)?;
    if access::may_read_invoice(&*st.reader, &number, who.as_ref()) {
        return Ok(Some((number, true)));
    }
    let (Some(date), Some(total)) = (q.date.as_deref(), q.total.as_deref()) else {
        return Ok(None);
    };
    let d = parse_date("date", date)?;
    let total = parse_yuan("total", total)?;
    let found = st
        .reader
        .get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(number)))?
        .is_some_and(|p| p.date == d && p.total_with_tax == total);
    Ok(found.then_some((number, false)))
}

/// Builds the bundle of `number`'s leaves (`full`: with body and circulation), proven at
/// the tip; `None` when no header certified that state within the wait.
pub(crate) async fn build_bundle(
    st: &ApiState,
    number: &InvoiceNumber,
    full: bool,
) -> ApiResult<Option<ProofBundle>> {
    let mut keys = vec![StateKey::from(InvoiceKey::Invoice(*number))];
    if full {
        keys.push(StateKey::from(InvoiceKey::InvoiceBody(*number)));
        keys.push(StateKey::from(InvoiceKey::InvoiceCirc(*number)));
    }
    fapiao_api::bundle::certified_bundle(st, BUNDLE_FORMAT, number.to_string(), keys).await
}

/// A proof bundle of an invoice that verifies offline with the genesis alone
/// (`fapiao verify --genesis genesis.json FILE`).
///
/// Parties (bearer token) get the public record, the private body and circulation;
/// anyone else who gives the invoice's date and total gets the public record (number,
/// date, total, seller, status, salted commitment to the rest), proven as they are now;
/// the answer waits for the header certifying that state (about one block interval) and
/// is 503 `not_final_yet` when none came within a few.
#[utoipa::path(get, path = "/v1/invoices/{number}/proof", tag = "invoices",
    params(("number" = String, Path, description = "number"), PublicQuery),
    responses((status = 200, description = "The proof bundle (docs/formats.md)", body = Object),
        (status = 404, body = crate::ErrorBody), (status = 503, body = crate::ErrorBody)))]
pub(crate) async fn proof(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(q): Query<PublicQuery>,
) -> ApiResult<Response> {
    st.metrics.http_requests.inc();
    let Some((number, full)) = access_level(&st, &headers, &number, &q)? else {
        return Err(ApiError::not_found("no such invoice"));
    };
    let bundle = build_bundle(&st, &number, full).await?;
    Ok(match bundle {
        Some(b) => Json(b).into_response(),
        None => fapiao_api::bundle::not_final_yet("invoice"),
    })
}

/// The invoice's signed QR payload and the verification URL it is printed as.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct QrJson {
    /// The payload (`FP1.…`), verifiable with `fapiao verify --qr`.
    pub payload: String,
    /// The URL the QR code holds: this node's `/verify` page with the payload.
    pub url: String,
    /// Name of the signing validator.
    pub validator: String,
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

/// The invoice's QR payload: signed here on a validator; on a full node, by a validator
/// peer — accepted only if it verifies against the genesis and names this invoice.
async fn sign_qr(st: &ApiState, public: &InvoicePublic) -> Option<QrPayload> {
    let chain = st.reader.genesis().chain_id_hash();
    if let Some(signer) = st.qr_signer.as_ref() {
        return Some(QrPayload::sign(public, &chain, signer.index, &signer.secret));
    }
    let ask = AttestJson {
        number: public.number.to_string(),
        date: public.date.yyyymmdd(),
        total_with_tax: public.total_with_tax,
        seller_tax_id: public.seller_tax_id.to_string(),
        commitment: hex::encode(public.commitment),
    };
    let answer = st.peers.as_ref()?.post_json("/v1/attest", serde_json::to_vec(&ask).ok()?).await?;
    let text = serde_json::from_slice::<QrJson>(&answer).ok()?.payload;
    let p = QrPayload::parse(&text).and_then(|p| p.verify(st.reader.genesis())).ok()?.payload;
    let same = p.number == public.number
        && p.date == public.date
        && p.total_with_tax == public.total_with_tax
        && p.seller_tax_id == public.seller_tax_id
        && p.commitment == public.commitment;
    if !same {
        tracing::warn!(number = %public.number, "a peer attested another invoice; ignored");
    }
    same.then_some(p)
}

/// The fields a validator checks before it signs a QR payload.
#[derive(Debug, Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct AttestJson {
    /// Invoice number.
    pub number: String,
    /// Issue date, `yyyymmdd`.
    pub date: u32,
    /// Total with tax, fen.
    pub total_with_tax: i64,
    /// Seller's USCC.
    pub seller_tax_id: String,
    /// The public record's commitment (hex).
    pub commitment: String,
}

/// A validator signs the QR payload of an invoice whose public fields the caller
/// already knows (a full node printing it): the fields must equal this node's record
/// exactly, so the answer reveals nothing new.
#[utoipa::path(post, path = "/v1/attest", tag = "node", request_body = AttestJson,
    security(("node" = [])),
    responses((status = 200, body = QrJson), (status = 404, body = crate::ErrorBody),
        (status = 401, description = "Not a signed request of a consortium node", body = crate::ErrorBody),
        (status = 503, description = "Not a validator", body = crate::ErrorBody)))]
pub(crate) async fn attest(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<AttestJson>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<QrJson>> {
    st.metrics.http_requests.inc();
    let Json(a) = body.map_err(|e| ApiError::bad_field("body", e.body_text()))?;
    let signer = st.qr_signer.as_ref().ok_or_else(no_signer)?;
    let not_found = || ApiError::not_found("no such invoice");
    let number = InvoiceNumber::parse(&a.number).map_err(|_| not_found())?;
    let matches =
        st.reader.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(number)))?.filter(|p| {
            p.date.yyyymmdd() == a.date
                && p.total_with_tax == a.total_with_tax
                && p.seller_tax_id == a.seller_tax_id
                && hex::encode(p.commitment) == a.commitment.to_ascii_lowercase()
        });
    let public = matches.ok_or_else(not_found)?;
    let chain = st.reader.genesis().chain_id_hash();
    let payload = QrPayload::sign(&public, &chain, signer.index, &signer.secret);
    Ok(Json(QrJson {
        url: qr_url(&base_url(&headers), &payload),
        payload: payload.to_text(),
        validator: validator_name(&st, payload.validator),
    }))
}

fn validator_name(st: &ApiState, index: u32) -> String {
    st.reader.genesis().validators.get(index as usize).map(|v| v.name.clone()).unwrap_or_default()
}

fn qr_url(base: &str, payload: &QrPayload) -> String {
    format!("{base}/verify?qr={}", payload.to_text())
}

/// The invoice's QR payload, signed by this validator (parties only).
#[utoipa::path(get, path = "/v1/invoices/{number}/qr", tag = "invoices",
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, body = QrJson), (status = 404, body = crate::ErrorBody),
        (status = 503, description = "Not a validator: no key to sign with", body = crate::ErrorBody)))]
pub(crate) async fn qr(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Json<QrJson>> {
    st.metrics.http_requests.inc();
    let public = party_public(&st, &headers, &number)?;
    let payload = sign_qr(&st, &public).await.ok_or_else(no_signer)?;
    let validator = validator_name(&st, payload.validator);
    Ok(Json(QrJson {
        url: qr_url(&base_url(&headers), &payload),
        payload: payload.to_text(),
        validator,
    }))
}

fn no_signer() -> ApiError {
    ApiError::refuse(
        fapiao_app::Platform::NoQrSigner,
        None,
        "this node holds no validator key and no validator peer signed the QR payload",
    )
}

fn party_public(st: &ApiState, headers: &HeaderMap, number: &str) -> ApiResult<InvoicePublic> {
    let not_found = || ApiError::not_found("no such invoice");
    let number = InvoiceNumber::parse(number).map_err(|_| not_found())?;
    let who = viewer(st, headers)?;
    if !access::may_read_invoice(&*st.reader, &number, who.as_ref()) {
        return Err(not_found());
    }
    st.reader
        .get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(number)))?
        .ok_or_else(not_found)
}

/// The display form of an invoice.
async fn printable(
    st: &ApiState,
    headers: &HeaderMap,
    number: &str,
) -> ApiResult<fapiao_print::PrintableInvoice> {
    let public = party_public(st, headers, number)?;
    let inv: InvoiceJson =
        invoice_json(st, &public.number)?.ok_or_else(|| ApiError::not_found("no such invoice"))?;
    let base = base_url(headers);
    let qr_payload = match sign_qr(st, &public).await {
        Some(p) => qr_url(&base, &p),
        None => format!("{base}/verify?number={number}"),
    };
    let issuer = fapiao_types::AccountId::from_hex(&inv.issuer)
        .ok()
        .and_then(|a| st.reader.account(&a).ok().flatten())
        .map(|a| a.name)
        .unwrap_or_else(|| inv.issuer.clone());
    let red = inv.red_of.is_some() || public.total_with_tax < 0;
    let date = inv.date.split('-').collect::<Vec<_>>();
    let mut remarks = inv.remarks.clone();
    if let Some(blue) = inv.red_of.as_ref().filter(|b| !inv.remarks.contains(b.as_str())) {
        if !remarks.is_empty() {
            remarks.push(' ');
        }
        remarks.push_str(&format!("被红冲蓝字发票号码：{blue}"));
    }
    Ok(fapiao_print::PrintableInvoice {
        title: format!("电子发票（{}）", public.kind.label_zh()),
        number: inv.number.clone(),
        issue_date: match date.as_slice() {
            [y, m, d] => format!("{y}年{m}月{d}日"),
            _ => inv.date.clone(),
        },
        buyer: fapiao_print::Party {
            name: inv.buyer.name.clone(),
            tax_id: inv.buyer.tax_id.clone(),
        },
        seller: fapiao_print::Party {
            name: inv.seller.name.clone(),
            tax_id: inv.seller.tax_id.to_string(),
        },
        lines: inv
            .lines
            .iter()
            .map(|l| fapiao_print::PrintLine {
                name: l.name.clone(),
                spec: l.spec.clone(),
                unit: l.unit.clone(),
                quantity: l.quantity.clone(),
                unit_price: l.unit_price.clone(),
                amount: l.amount.clone(),
                rate: rate_percent(&l.rate),
                tax: l.tax.clone(),
            })
            .collect(),
        total_amount: format!("¥{}", inv.total_amount),
        total_tax: format!("¥{}", inv.total_tax),
        total_with_tax: format!("¥{}", inv.total_with_tax),
        capitals: inv.total_with_tax_in_capitals.clone(),
        remarks,
        issuer,
        red,
        status: public.status.label_zh().into(),
        qr_payload,
    })
}

/// The rate column as printed ([`RateCode::label`]): `0.06` → `6%`, `0.015` → `1.5%`,
/// `exempt` → `免税`; a text that is no rate as is.
fn rate_percent(rate: &str) -> String {
    fapiao_types::RateCode::parse(rate).map_or_else(|_| rate.to_string(), |c| c.label())
}

/// The invoice as a PDF in the familiar layout, with its signed QR code (parties only).
#[utoipa::path(get, path = "/v1/invoices/{number}/pdf", tag = "invoices",
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", description = "The PDF"),
        (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn pdf(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Response> {
    st.metrics.http_requests.inc();
    let inv = printable(&st, &headers, &number).await?;
    let bytes = fapiao_api::off_runtime(move || fapiao_print::render_pdf(&inv))
        .await?
        .map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{number}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The invoice as a printable HTML page (parties only).
#[utoipa::path(get, path = "/v1/invoices/{number}/print", tag = "invoices",
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, content_type = "text/html", description = "The page"),
        (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn print(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Html<String>> {
    st.metrics.http_requests.inc();
    let inv = printable(&st, &headers, &number).await?;
    Ok(Html(fapiao_print::render_html(&inv)))
}

#[cfg(test)]
mod tests {
    use super::rate_percent;

    #[test]
    fn rates_print_as_percentages() {
        for (r, p) in [("0.06", "6%"), ("0.13", "13%"), ("0.015", "1.5%"), ("0.0", "0%")] {
            assert_eq!(rate_percent(r), p);
        }
        assert_eq!(rate_percent("免税"), "免税");
        assert_eq!(rate_percent("exempt"), "免税");
        assert_eq!(rate_percent("out_of_scope"), "不征税");
    }
}
