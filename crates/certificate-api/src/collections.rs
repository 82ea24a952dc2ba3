//! Collections: the insurer's live preview and recording (the server computes the lines
//! as the chain will, and the chain recomputes anyway), reads by the owner, the
//! collecting insurer and the tax authority, the owner's exchange for a certificate and
//! the insurer's refund. Writes are custodial, like the invoice routes': the node signs
//! with the caller's held key and waits for the receipt.

use crate::access;
use crate::json::*;
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{
    caller,
    error::{parse_value, ApiError, ApiResult},
    parse_hash, viewer, ApiState, Caller, Reader, St,
};
use fapiao_app::{IndexRead, Rows, Scan};
use fapiao_certificate::{collect, compute, index};
use fapiao_certificate_types::{
    CertificateAction, CertificateKey, CollectionRecord, CollectionRef, Energy, RecordCollection,
    RecordRefund, RefundEvent, VehicleClass,
};
use fapiao_types::{hex32, sha256, AccountId, AccountRecord, Hash32, Role, StateKey, TxOutput};
use fapiao_values::{ChinaDate, ResidentId, Uscc, Vin};
use serde::Deserialize;

/// The API's reader as the application's index reads take it.
pub(crate) struct Index<'a>(pub(crate) &'a dyn Reader);

impl IndexRead for Index<'_> {
    fn get(
        &self,
        table: &'static fapiao_app::IndexTable,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, String> {
        <dyn Reader as IndexRead>::get(self.0, table, key)
    }
    fn scan(
        &self,
        table: &'static fapiao_app::IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Result<Rows, String> {
        <dyn Reader as IndexRead>::scan(self.0, table, prefix, limit, dir)
    }
}

/// The signed-in caller, who must hold `role`: 401 without a token, 403 `missing_role`
/// without the role (before anything is computed or read).
pub(crate) fn require(
    st: &ApiState,
    headers: &HeaderMap,
    role: Role,
    what: &str,
) -> ApiResult<(Caller, AccountRecord)> {
    let who =
        caller(st, headers)?.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    if !who.1.has_role(role) {
        return Err(ApiError::from(fapiao_ledger::Rejection::missing_role(role, what)));
    }
    Ok(who)
}

fn bad(field: &str) -> impl Fn(fapiao_types::Error) -> ApiError + '_ {
    move |e| ApiError::bad_field(field, e.to_string())
}

/// A VIN with a valid check digit, standing in for one not typed yet in a preview.
const PREVIEW_VIN: &str = "1M8GDM9AXKP042788";

/// The owner ID masked and committed: `(masked, SHA-256(salt ‖ id))`.
fn owner_id(id: &str, salt: &[u8; 32]) -> ApiResult<(String, Hash32)> {
    let id = id.trim().to_ascii_uppercase();
    let masked = match ResidentId::parse(&id) {
        Ok(r) => r.masked(),
        Err(resident) => {
            let u: Uscc = parse_value("owner_id", &id).map_err(|_| {
                ApiError::bad_field(
                    "owner_id",
                    format!("neither a resident ID nor a USCC: {resident}"),
                )
            })?;
            let s = u.to_string();
            format!("{}********{}", &s[..6], &s[14..])
        }
    };
    let mut m = salt.to_vec();
    m.extend_from_slice(id.as_bytes());
    Ok((masked, sha256(&m)))
}

/// The collection `j` describes, with its lines and total as the chain computes them on
/// `today` (`preview`: the owner and the vehicle's identity may be left out), and the
/// salt of its owner-ID commitment.
fn to_collection(
    reader: &dyn Reader,
    j: &CollectionInputJson,
    today: ChinaDate,
    preview: bool,
) -> ApiResult<(RecordCollection, [u8; 32])> {
    let class = VehicleClass::parse(&j.class).map_err(bad("class"))?;
    let energy = match j.energy.as_deref() {
        None | Some("") => Energy::Conventional,
        Some(e) => Energy::parse(e).map_err(bad("energy"))?,
    };
    let acquired = ChinaDate::parse(&j.acquired)
        .map_err(|_| ApiError::bad_field("acquired", "expected yyyy-mm-dd"))?;
    let vin: Vin = match j.vin.trim() {
        "" if preview => parse_value("vin", PREVIEW_VIN)?,
        v => parse_value("vin", &v.to_ascii_uppercase())?,
    };
    let owner = match j.owner.trim() {
        "" if preview => AccountId([0; 32]),
        o => AccountId::from_hex(o).map_err(bad("owner"))?,
    };
    let salt: [u8; 32] = match j.salt.as_deref() {
        Some(s) => parse_hash("salt", s)?,
        None => rand::random(),
    };
    let (owner_id_masked, owner_id_commitment) = match j.owner_id.trim() {
        "" if preview => ("000000********0000".to_string(), [0; 32]),
        id => owner_id(id, &salt)?,
    };
    let mut c = RecordCollection {
        policy_no: j.policy_no.trim().to_string(),
        plate: j.plate.trim().to_string(),
        vin,
        class,
        size: j.size,
        energy,
        acquired,
        owner,
        owner_name: j.owner_name.trim().to_string(),
        owner_id_masked,
        owner_id_commitment,
        tax_year: j.tax_year.unwrap_or_else(|| u16::try_from(today.year()).unwrap_or(u16::MAX)),
        back_years: j.back_years.clone(),
        relief: compute::relief(class, energy),
        lines: Vec::new(),
        total: 0,
    };
    c.lines = collect::expected_lines(&*reader.view(), &c, today)?;
    c.total = c.lines.iter().map(|l| l.tax + l.late_fee).sum();
    Ok((c, salt))
}

fn preview_json(c: &RecordCollection, today: ChinaDate) -> PreviewJson {
    let tax: i64 = c.lines.iter().map(|l| l.tax).sum();
    let late_fee: i64 = c.lines.iter().map(|l| l.late_fee).sum();
    PreviewJson {
        tax_year: c.tax_year,
        collected_on: today.to_string(),
        relief: relief_json(c.relief),
        lines: c.lines.iter().map(line_json).collect(),
        tax: yuan(tax),
        late_fee: yuan(late_fee),
        total: yuan(c.total),
    }
}

/// What the chain would compute for a collection today: lines (back years, then the tax
/// year), relief and total (insurer's collector).
#[utoipa::path(post, path = "/v1/certificates/preview", tag = "certificates",
    request_body = CollectionInputJson, security(("bearer" = [])),
    responses((status = 200, body = PreviewJson), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn preview(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<CollectionInputJson>, JsonRejection>,
) -> ApiResult<Json<PreviewJson>> {
    require(&st, &headers, Role::InsurerCollector, "preview")?;
    let j = json_body(body)?;
    let today = ChinaDate::from_unix_ms(now_ms());
    let (c, _) = to_collection(&*st.reader, &j, today, true)?;
    Ok(Json(preview_json(&c, today)))
}

/// The collection `id` as JSON, or 404 when it does not exist.
fn read_collection(reader: &dyn Reader, id: &Hash32) -> ApiResult<CollectionJson> {
    let r = reader
        .get::<CollectionRecord>(&StateKey::from(CertificateKey::Collection(*id)))?
        .ok_or_else(|| ApiError::not_found("no such collection"))?;
    collection_json(reader, id, &r)
}

/// Record a collection (insurer's collector): the server computes the lines, relief and
/// total as of today and submits; the chain recomputes them and refuses a mismatch.
#[utoipa::path(post, path = "/v1/collections", tag = "certificates",
    request_body = CollectionInputJson, security(("bearer" = [])),
    responses((status = 200, body = CommittedJson), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn record(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<CollectionInputJson>, JsonRejection>,
) -> ApiResult<Json<CommittedJson>> {
    require(&st, &headers, Role::InsurerCollector, "record_collection")?;
    let j = json_body(body)?;
    let today = ChinaDate::from_unix_ms(now_ms());
    let (c, salt) = to_collection(&*st.reader, &j, today, false)?;
    let (hash, r) = commit(&st, &headers, CertificateAction::RecordCollection(c)).await?;
    let TxOutput::Record(id) = r.output else {
        return Err(ApiError::internal("a collection's receipt names no record"));
    };
    Ok(Json(CommittedJson {
        tx_hash: hex::encode(hash),
        height: r.height,
        id: Some(hex32(&id)),
        number: None,
        salt: Some(hex::encode(salt)),
        collection: Some(read_collection(&*st.reader, &id)?),
        settlement: None,
    }))
}

/// A collection, for its owner, the collecting insurer and the tax authority (404 for
/// anyone else).
#[utoipa::path(get, path = "/v1/collections/{id}", tag = "certificates",
    params(("id" = String, Path, description = "collection id (64 hex)")),
    security(("bearer" = [])),
    responses((status = 200, body = CollectionJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_collection(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<CollectionJson>> {
    let not_found = || ApiError::not_found("no such collection");
    let id = parse_hash("id", &id).map_err(|_| not_found())?;
    let who = viewer(&st, &headers)?;
    if !access::may_read_collection(&*st.reader, &id, who.as_ref()) {
        return Err(not_found());
    }
    read_collection(&*st.reader, &id).map(Json)
}

/// Query of a list.
#[derive(Deserialize)]
pub(crate) struct ListQuery {
    /// For the tax authority: whose collections (an insurer's organisation id).
    insurer: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<usize>,
}

/// The collections of the caller's insurer, newest first (the tax authority names one
/// with `?insurer=`).
#[utoipa::path(get, path = "/v1/collections", tag = "certificates",
    params(("insurer" = Option<String>, Query, description = "tax authority: the insurer's organisation id"),
           ("limit" = Option<usize>, Query, description = "at most this many (default 100, at most 1000)")),
    security(("bearer" = [])),
    responses((status = 200, body = [CollectionJson]), (status = 401, body = crate::ErrorBody)))]
pub(crate) async fn list(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<CollectionJson>>> {
    let v = viewer(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let org = match q.insurer {
        Some(i) if v.is_tax_authority() => i,
        _ => v.org.id.clone(),
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let l = &*st.reader;
    let mut out = Vec::new();
    for id in index::collections_of_insurer(&Index(l), &org, limit)? {
        if access::may_read_collection(l, &id, Some(&v)) {
            out.push(read_collection(l, &id)?);
        }
    }
    Ok(Json(out))
}

/// The caller's collections and the certificates exchanged for them, newest first.
#[utoipa::path(get, path = "/v1/wallet/certificates", tag = "certificates",
    security(("bearer" = [])),
    responses((status = 200, body = [CollectionJson]), (status = 401, body = crate::ErrorBody)))]
pub(crate) async fn wallet(
    State(st): St,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<CollectionJson>>> {
    let (who, _) = caller(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let l = &*st.reader;
    let mut out = Vec::new();
    for id in index::collections_of_owner(&Index(l), &who.account, 1000)? {
        out.push(read_collection(l, &id)?);
    }
    Ok(Json(out))
}

/// The owner exchanges a collection for a numbered tax-payment certificate (换开完税证明).
#[utoipa::path(post, path = "/v1/collections/{id}/exchange", tag = "certificates",
    params(("id" = String, Path, description = "collection id (64 hex)")),
    security(("bearer" = [])),
    responses((status = 200, body = CommittedJson), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody)))]
pub(crate) async fn exchange(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<CommittedJson>> {
    let id = parse_hash("id", &id)?;
    let action = CertificateAction::ExchangeCertificate(CollectionRef { collection: id });
    let (hash, r) = commit(&st, &headers, action).await?;
    let TxOutput::Serial(number) = r.output else {
        return Err(ApiError::internal("an exchange's receipt names no certificate"));
    };
    Ok(Json(CommittedJson {
        tx_hash: hex::encode(hash),
        height: r.height,
        id: Some(hex32(&id)),
        number: Some(fapiao_certificate_types::certificate_number_text(number)),
        salt: None,
        collection: Some(read_collection(&*st.reader, &id)?),
        settlement: None,
    }))
}

/// The collecting insurer records a refund after a theft, scrapping or loss: the server
/// computes the months (from the event's month to December) and the amount.
#[utoipa::path(post, path = "/v1/collections/{id}/refund", tag = "certificates",
    request_body = RefundInputJson,
    params(("id" = String, Path, description = "collection id (64 hex)")),
    security(("bearer" = [])),
    responses((status = 200, body = CommittedJson), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn refund(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: core::result::Result<Json<RefundInputJson>, JsonRejection>,
) -> ApiResult<Json<CommittedJson>> {
    require(&st, &headers, Role::InsurerCollector, "record_refund")?;
    let j = json_body(body)?;
    let id = parse_hash("id", &id)?;
    let event = RefundEvent::parse(&j.event).map_err(bad("event"))?;
    let event_date = ChinaDate::parse(&j.event_date)
        .map_err(|_| ApiError::bad_field("event_date", "expected yyyy-mm-dd"))?;
    let who = viewer(&st, &headers)?;
    let l = &*st.reader;
    if !access::may_read_collection(l, &id, who.as_ref()) {
        return Err(ApiError::refuse(
            fapiao_certificate::Code::UnknownCollection,
            Some("collection"),
            format!("no collection {}", hex32(&id)),
        ));
    }
    let record = l
        .get::<CollectionRecord>(&StateKey::from(CertificateKey::Collection(id)))?
        .ok_or_else(|| ApiError::not_found("no such collection"))?;
    let c = &record.collection;
    let (months, amount) = {
        let view = l.view();
        let schedule = collect::schedule_for(&*view, c.tax_year, c.acquired)?;
        let year_tax = c.lines.last().map_or(0, |line| line.tax);
        compute::refund(
            collect::annual(&schedule, c)?,
            event_date.month().month_of_year(),
            year_tax,
        )
    };
    let action = CertificateAction::RecordRefund(RecordRefund {
        collection: id,
        event,
        event_date,
        months,
        amount,
    });
    let (hash, r) = commit(&st, &headers, action).await?;
    Ok(Json(CommittedJson {
        tx_hash: hex::encode(hash),
        height: r.height,
        id: Some(hex32(&id)),
        number: None,
        salt: None,
        collection: Some(read_collection(l, &id)?),
        settlement: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_id_is_masked_and_committed_with_its_salt() {
        let salt = [7u8; 32];
        let (masked, c) = owner_id("44030519900101123x", &salt).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(masked, "440305********123X");
        let mut m = salt.to_vec();
        m.extend_from_slice(b"44030519900101123X");
        assert_eq!(c, sha256(&m));
        assert!(owner_id("12345", &salt).is_err());
    }
}
