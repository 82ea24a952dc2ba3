//! Settlement (结报): an insurer hands the bureau a batch of collections and refunds
//! (the server sums them; the chain reconciles them to the fen), the bureau confirms
//! receipt, and the bureau's view of collected, settled and outstanding vehicle tax per
//! insurer, the outstanding part by age.

use crate::access;
use crate::collections::{require, Index};
use crate::json::*;
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    parse_hash, viewer, Reader, St,
};
use fapiao_app::{IndexRead, Scan};
use fapiao_certificate::index;
use fapiao_certificate_types::{
    CertificateAction, CertificateKey, CollectionRecord, SettlementRecord, SettlementRef,
    SettlementStatus, SubmitSettlement, MAX_SETTLEMENT_ITEMS,
};
use fapiao_types::{hex32, Hash32, Role, StateKey, TxOutput};
use fapiao_values::ChinaDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Most collections the bureau's view reads (the whole chain's, in a demo-sized chain).
const MAX_VIEW_ROWS: usize = 100_000;

/// An index row `org ‖ 00 ‖ height (u64 BE) ‖ id (32)`: `(org, height, id)`.
fn org_row(key: &[u8]) -> Option<(String, u64, Hash32)> {
    let at = key.len().checked_sub(41)?;
    if key[at] != 0 {
        return None;
    }
    let org = String::from_utf8(key[..at].to_vec()).ok()?;
    let height = u64::from_be_bytes(key[at + 1..at + 9].try_into().ok()?);
    let id = key[at + 9..].try_into().ok()?;
    Some((org, height, id))
}

fn read_settlement(reader: &dyn Reader, id: &Hash32) -> ApiResult<SettlementJson> {
    let s = reader
        .get::<SettlementRecord>(&StateKey::from(CertificateKey::Settlement(*id)))?
        .ok_or_else(|| ApiError::not_found("no such settlement"))?;
    Ok(settlement_json(reader, id, &s))
}

fn unknown(field: &str, id: &Hash32) -> ApiError {
    ApiError::refuse(
        fapiao_certificate::Code::UnknownCollection,
        Some(field),
        format!("no collection {}", hex32(id)),
    )
}

/// Submit a settlement batch (insurer's collector): the collections and refunds it
/// settles; the server sums them, the chain checks each is the insurer's and unsettled.
#[utoipa::path(post, path = "/v1/settlements", tag = "settlements",
    request_body = SettlementInputJson, security(("bearer" = [])),
    responses((status = 200, body = CommittedJson), (status = 403, body = crate::ErrorBody),
              (status = 409, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn submit(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<SettlementInputJson>, JsonRejection>,
) -> ApiResult<Json<CommittedJson>> {
    require(&st, &headers, Role::InsurerCollector, "submit_settlement")?;
    let j = json_body(body)?;
    if j.collections.len() > MAX_SETTLEMENT_ITEMS || j.refunds.len() > MAX_SETTLEMENT_ITEMS {
        return Err(ApiError::refuse(
            fapiao_certificate::Code::EmptySettlement,
            Some("collections"),
            "a batch lists 1–1000 collections or refunds",
        ));
    }
    let who = viewer(&st, &headers)?;
    let l = &*st.reader;
    let read = |field: String, s: &str| -> ApiResult<(Hash32, CollectionRecord)> {
        let id = parse_hash(&field, s)?;
        if !access::may_read_collection(l, &id, who.as_ref()) {
            return Err(unknown(&field, &id));
        }
        let r = l
            .get::<CollectionRecord>(&StateKey::from(CertificateKey::Collection(id)))?
            .ok_or_else(|| unknown(&field, &id))?;
        Ok((id, r))
    };
    let (mut collections, mut refunds) = (Vec::new(), Vec::new());
    let (mut collected, mut refunded) = (0i64, 0i64);
    for (i, s) in j.collections.iter().enumerate() {
        let (id, r) = read(format!("collections[{i}]"), s)?;
        collected = collected.saturating_add(r.collection.total);
        collections.push(id);
    }
    for (i, s) in j.refunds.iter().enumerate() {
        let (id, r) = read(format!("refunds[{i}]"), s)?;
        refunded = refunded.saturating_add(r.refund.map_or(0, |f| f.amount));
        refunds.push(id);
    }
    let action = CertificateAction::SubmitSettlement(SubmitSettlement {
        collections,
        refunds,
        collected,
        refunded,
        net: collected.saturating_sub(refunded),
    });
    let (hash, r) = commit(&st, &headers, action).await?;
    let TxOutput::Record(id) = r.output else {
        return Err(ApiError::internal("a settlement's receipt names no record"));
    };
    Ok(Json(CommittedJson {
        tx_hash: hex::encode(hash),
        height: r.height,
        id: Some(hex32(&id)),
        number: None,
        salt: None,
        collection: None,
        settlement: Some(read_settlement(l, &id)?),
    }))
}

/// Query of the settlement list.
#[derive(Deserialize)]
pub(crate) struct ListQuery {
    /// At most this many (default 100, at most 1000).
    limit: Option<usize>,
}

/// Settlement batches, newest first: an insurer's own; every insurer's for the tax
/// authority.
#[utoipa::path(get, path = "/v1/settlements", tag = "settlements",
    params(("limit" = Option<usize>, Query, description = "at most this many (default 100, at most 1000)")),
    security(("bearer" = [])),
    responses((status = 200, body = [SettlementJson]), (status = 401, body = crate::ErrorBody)))]
pub(crate) async fn list(
    State(st): St,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<SettlementJson>>> {
    let v = viewer(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let l = &*st.reader;
    let ids: Vec<Hash32> = if v.is_tax_authority() {
        let rows = Index(l)
            .scan(&index::SETTLEMENTS, &[], MAX_VIEW_ROWS, Scan::Forward)
            .map_err(ApiError::internal)?;
        let mut rows: Vec<(u64, Hash32)> =
            rows.iter().filter_map(|(k, _)| org_row(k)).map(|(_, h, id)| (h, id)).collect();
        rows.sort_by(|a, b| b.cmp(a));
        rows.into_iter().take(limit).map(|(_, id)| id).collect()
    } else {
        index::settlements_of_insurer(&Index(l), &v.org.id, limit)?
    };
    let mut out = Vec::new();
    for id in ids {
        if access::may_read_settlement(l, &id, Some(&v)) {
            out.push(read_settlement(l, &id)?);
        }
    }
    Ok(Json(out))
}

/// The tax bureau confirms receipt of a batch's money (tax officer).
#[utoipa::path(post, path = "/v1/settlements/{id}/confirm", tag = "settlements",
    params(("id" = String, Path, description = "settlement id (64 hex)")),
    security(("bearer" = [])),
    responses((status = 200, body = CommittedJson), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody)))]
pub(crate) async fn confirm(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<CommittedJson>> {
    let id = parse_hash("id", &id)?;
    let action = CertificateAction::ConfirmSettlement(SettlementRef { settlement: id });
    let (hash, r) = commit(&st, &headers, action).await?;
    Ok(Json(CommittedJson {
        tx_hash: hex::encode(hash),
        height: r.height,
        id: Some(hex32(&id)),
        number: None,
        salt: None,
        collection: None,
        settlement: Some(read_settlement(&*st.reader, &id)?),
    }))
}

/// Outstanding tax (collected, not yet in a settlement batch) by its age in days.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default, PartialEq, Eq)]
pub struct AgesJson {
    /// Collected 0–30 days ago, yuan.
    pub days_0_30: String,
    /// 31–90 days ago, yuan.
    pub days_31_90: String,
    /// More than 90 days ago, yuan.
    pub over_90: String,
}

/// One insurer's vehicle tax.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct InsurerTaxJson {
    /// The insurer's organisation id.
    pub insurer: String,
    /// Its name.
    pub name: String,
    /// Collections recorded.
    pub collections: u64,
    /// Σ collection totals, yuan.
    pub collected: String,
    /// Σ refunds recorded, yuan.
    pub refunded: String,
    /// Σ totals of collections in a settlement batch, yuan.
    pub settled: String,
    /// Of which in batches the bureau confirmed, yuan.
    pub confirmed: String,
    /// Collected, not yet in a batch, yuan.
    pub outstanding: String,
    /// The outstanding part by age.
    pub outstanding_by_age: AgesJson,
}

/// The bureau's view of the vehicle tax insurers collect for it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct VehicleTaxJson {
    /// The date ages are counted to (the executed tip's, China time).
    pub as_of: String,
    /// Per insurer, by organisation id.
    pub insurers: Vec<InsurerTaxJson>,
    /// Every insurer together.
    pub total: InsurerTaxJson,
}

#[derive(Default)]
struct Sums {
    collections: u64,
    collected: i128,
    refunded: i128,
    settled: i128,
    confirmed: i128,
    outstanding: i128,
    ages: [i128; 3],
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.collections += o.collections;
        self.collected += o.collected;
        self.refunded += o.refunded;
        self.settled += o.settled;
        self.confirmed += o.confirmed;
        self.outstanding += o.outstanding;
        for (a, b) in self.ages.iter_mut().zip(o.ages) {
            *a += b;
        }
    }

    fn json(&self, insurer: String, name: String) -> InsurerTaxJson {
        InsurerTaxJson {
            insurer,
            name,
            collections: self.collections,
            collected: yuan_sum(self.collected),
            refunded: yuan_sum(self.refunded),
            settled: yuan_sum(self.settled),
            confirmed: yuan_sum(self.confirmed),
            outstanding: yuan_sum(self.outstanding),
            outstanding_by_age: AgesJson {
                days_0_30: yuan_sum(self.ages[0]),
                days_31_90: yuan_sum(self.ages[1]),
                over_90: yuan_sum(self.ages[2]),
            },
        }
    }
}

fn vehicle_tax_of(l: &dyn Reader) -> ApiResult<VehicleTaxJson> {
    let today = ChinaDate::from_unix_ms(l.tip().header.time_ms);
    let rows = Index(l)
        .scan(&index::BY_INSURER, &[], MAX_VIEW_ROWS, Scan::Forward)
        .map_err(ApiError::internal)?;
    let mut per: BTreeMap<String, Sums> = BTreeMap::new();
    let mut confirmed: BTreeMap<Hash32, bool> = BTreeMap::new();
    for (org, _, id) in rows.iter().filter_map(|(k, _)| org_row(k)) {
        let Some(r) = l.get::<CollectionRecord>(&StateKey::from(CertificateKey::Collection(id)))?
        else {
            continue;
        };
        let s = per.entry(org).or_default();
        let total = i128::from(r.collection.total);
        s.collections += 1;
        s.collected += total;
        s.refunded += i128::from(r.refund.as_ref().map_or(0, |f| f.amount));
        match r.settlement {
            Some(batch) => {
                s.settled += total;
                let done = match confirmed.get(&batch) {
                    Some(done) => *done,
                    None => {
                        let done = l
                            .get::<SettlementRecord>(&StateKey::from(CertificateKey::Settlement(
                                batch,
                            )))?
                            .is_some_and(|b| b.status == SettlementStatus::Confirmed);
                        confirmed.insert(batch, done);
                        done
                    }
                };
                if done {
                    s.confirmed += total;
                }
            }
            None => {
                s.outstanding += total;
                let age = r.collected_on.days_until(today);
                let bucket = match age {
                    ..=30 => 0,
                    31..=90 => 1,
                    _ => 2,
                };
                s.ages[bucket] += total;
            }
        }
    }
    let mut all = Sums::default();
    let mut insurers = Vec::with_capacity(per.len());
    for (org, s) in &per {
        all.add(s);
        insurers.push(s.json(org.clone(), org_name(l, org)));
    }
    Ok(VehicleTaxJson {
        as_of: today.to_string(),
        insurers,
        total: all.json(String::new(), String::new()),
    })
}

/// Collected, settled and outstanding vehicle tax per insurer, the outstanding part by
/// age (0–30, 31–90, over 90 days) (tax officer).
#[utoipa::path(get, path = "/v1/tax/vehicle-tax", tag = "settlements",
    security(("bearer" = [])),
    responses((status = 200, body = VehicleTaxJson), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn vehicle_tax(
    State(st): St,
    headers: HeaderMap,
) -> ApiResult<Json<VehicleTaxJson>> {
    require(&st, &headers, Role::TaxOfficer, "the vehicle-tax view")?;
    let reader = st.reader.clone();
    fapiao_api::off_runtime(move || vehicle_tax_of(&*reader)).await?.map(Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_row_names_its_org_height_and_id() {
        let mut k = index::org_prefix("pingan");
        k.extend_from_slice(&7u64.to_be_bytes());
        k.extend_from_slice(&[9; 32]);
        assert_eq!(org_row(&k), Some(("pingan".to_string(), 7, [9; 32])));
        let mut bad = k.clone();
        bad[6] = 1;
        assert_eq!(org_row(&bad), None);
        assert_eq!(org_row(&[0; 10]), None);
    }
}
