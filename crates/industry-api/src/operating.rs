//! An enterprise's operating data: its registration, its figures in clear with their
//! commitments (the enterprise, the park operator, each attester for its own figures),
//! and the package the enterprise hands a bank — the months' `operating-commit` records
//! proven against one directly certified header, with their openings.

use crate::access::is_park;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
    Json,
};
use fapiao_api::{
    bundle::Reading,
    error::{ApiError, ApiResult},
    viewer, St,
};
use fapiao_crosschain_types::ClaimJson;
use fapiao_industry::Code;
use fapiao_industry_types::{
    EnterpriseRecord, IndustryKey, OperatingCommit, OperatingOpening, OperatingPackage,
    OperatingRecord,
};
use fapiao_types::{hex32, StateKey};
use fapiao_values::{Month, Uscc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The most months one read or package covers.
pub const MAX_MONTHS: usize = 12;

/// An enterprise of the park.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct EnterpriseView {
    /// Its unified social credit code.
    pub uscc: String,
    /// Its registered name.
    pub name: String,
    /// The park operator that registered it.
    pub registered_by: String,
    /// Height of the registration.
    pub registered_at: u64,
}

/// An earlier value of a figure.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CorrectionView {
    /// The value it had.
    pub previous: u64,
    /// Why it was corrected.
    pub reason: String,
    /// Height of the correction.
    pub height: u64,
}

/// One figure in clear, with its commitment.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FigureView {
    /// `electricity_kwh`, `insured_headcount` or `logistics_tonnes`.
    pub metric: String,
    /// The metric as people read it.
    pub label: String,
    /// The figure.
    pub value: u64,
    /// The attesting organisation.
    pub attester: String,
    /// Height of the attestation.
    pub height: u64,
    /// Corrections, oldest first.
    pub corrections: Vec<CorrectionView>,
    /// Its commitment in `operating-commit/<uscc>/<yyyymm>`, hex.
    pub commitment: String,
}

/// One month's figures.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct MonthView {
    /// `yyyy-mm`.
    pub month: String,
    /// The figures the caller may read, in metric order.
    pub figures: Vec<FigureView>,
}

/// An enterprise's operating data as the caller may read it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct OperatingView {
    /// The enterprise.
    pub enterprise: EnterpriseView,
    /// Months with a figure the caller may read, oldest first.
    pub months: Vec<MonthView>,
}

/// Which months.
#[derive(Deserialize, IntoParams, Debug)]
pub(crate) struct MonthsQuery {
    /// Months `yyyy-mm`, comma-separated, at most 12; by default the 12 months before the
    /// month of the newest block.
    months: Option<String>,
}

fn parse_uscc(s: &str) -> ApiResult<Uscc> {
    Uscc::parse(s)
        .map_err(|e| ApiError::refuse(fapiao_app::ValueCode::BadUscc, Some("uscc"), e.to_string()))
}

fn months(st: &fapiao_api::ApiState, q: &MonthsQuery) -> ApiResult<Vec<Month>> {
    let bad =
        |why: String| ApiError::refuse(fapiao_app::Platform::InvalidField, Some("months"), why);
    let mut out: Vec<Month> = match q.months.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(list) => list
            .split(',')
            .map(|m| Month::parse(m.trim()).map_err(|e| bad(format!("{m}: {e}"))))
            .collect::<ApiResult<_>>()?,
        None => {
            let mut m = Month::from_unix_ms(st.reader.tip().header.time_ms);
            let mut v = Vec::with_capacity(MAX_MONTHS);
            for _ in 0..MAX_MONTHS {
                match m.previous() {
                    Some(p) => {
                        v.push(p);
                        m = p;
                    }
                    None => break,
                }
            }
            v
        }
    };
    out.sort();
    out.dedup();
    if out.is_empty() || out.len() > MAX_MONTHS {
        return Err(bad(format!("1 to {MAX_MONTHS} months")));
    }
    Ok(out)
}

fn get<T: commonware_codec::Read<Cfg = ()>>(
    st: &fapiao_api::ApiState,
    key: IndustryKey,
) -> ApiResult<Option<T>> {
    Ok(st.reader.get::<T>(&StateKey::from(key))?)
}

fn registered(st: &fapiao_api::ApiState, uscc: &Uscc) -> ApiResult<EnterpriseView> {
    let r: EnterpriseRecord = get(st, IndustryKey::Enterprise(*uscc))?.ok_or_else(|| {
        ApiError::refuse(Code::UnknownEnterprise, Some("uscc"), format!("{uscc} is not registered"))
    })?;
    Ok(EnterpriseView {
        uscc: uscc.to_string(),
        name: r.name,
        registered_by: r.registered_by,
        registered_at: r.registered_at,
    })
}

/// An enterprise of the park (its registration is public).
#[utoipa::path(get, path = "/v1/industry/enterprises/{uscc}", tag = "industry",
    params(("uscc" = String, Path, description = "unified social credit code")),
    responses((status = 200, body = EnterpriseView), (status = 404, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn enterprise(
    State(st): St,
    Path(uscc): Path<String>,
) -> ApiResult<Json<EnterpriseView>> {
    registered(&st, &parse_uscc(&uscc)?).map(Json)
}

/// An enterprise's figures in clear with their commitments: all of them for the
/// enterprise itself and the park operator, its own for an attester; 404 for anyone else.
#[utoipa::path(get, path = "/v1/industry/enterprises/{uscc}/operating", tag = "industry",
    params(("uscc" = String, Path, description = "unified social credit code"), MonthsQuery),
    security(("bearer" = [])),
    responses((status = 200, body = OperatingView), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn operating(
    State(st): St,
    headers: HeaderMap,
    Path(uscc): Path<String>,
    Query(q): Query<MonthsQuery>,
) -> ApiResult<Json<OperatingView>> {
    let v = viewer(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let uscc = parse_uscc(&uscc)?;
    let all = v.is_taxpayer(uscc.as_str()) || is_park(&v);
    if !all && !crate::access::is_attester(&v) {
        return Err(ApiError::not_found(format!("no operating data of {uscc}")));
    }
    let enterprise = registered(&st, &uscc)?;
    let mut out = Vec::new();
    for month in months(&st, &q)? {
        let Some(commit) = get::<OperatingCommit>(&st, IndustryKey::OperatingCommit(uscc, month))?
        else {
            continue;
        };
        let mut figures = Vec::new();
        for c in &commit.commitments {
            let Some(r) =
                get::<OperatingRecord>(&st, IndustryKey::Operating(uscc, month, c.metric))?
            else {
                return Err(ApiError::internal(format!(
                    "{uscc} {month} {} is committed but missing",
                    c.metric
                )));
            };
            if !all && r.attester != v.org.id {
                continue;
            }
            figures.push(FigureView {
                metric: c.metric.as_str().into(),
                label: c.metric.label_zh().into(),
                value: r.value,
                attester: r.attester,
                height: r.height,
                corrections: r
                    .corrections
                    .into_iter()
                    .map(|c| CorrectionView {
                        previous: c.previous,
                        reason: c.reason,
                        height: c.height,
                    })
                    .collect(),
                commitment: hex32(&c.commitment),
            });
        }
        if !figures.is_empty() {
            out.push(MonthView { month: month.to_string(), figures });
        }
    }
    Ok(Json(OperatingView { enterprise, months: out }))
}

/// The package the enterprise hands a bank, off the chain: the `operating-commit`
/// records of the months asked for (a month with nothing attested is proven absent),
/// each proven as it is now against one header of this chain (the first whose
/// `state_height` is the node's tip) as a claim the finance chain's light client checks,
/// and the openings (`{metric, month, value, salt}`) of every figure they commit to. The
/// enterprise only; the answer waits for that header (about one block interval) and is
/// 503 `not_final_yet` when none came within a few.
#[utoipa::path(get, path = "/v1/industry/enterprises/{uscc}/package", tag = "industry",
    params(("uscc" = String, Path, description = "unified social credit code"), MonthsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "the package (`OperatingPackage`, docs/formats.md §26.4)", body = Object),
              (status = 400, body = crate::ErrorBody), (status = 401, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody), (status = 503, body = crate::ErrorBody)))]
pub(crate) async fn package(
    State(st): St,
    headers: HeaderMap,
    Path(uscc): Path<String>,
    Query(q): Query<MonthsQuery>,
) -> ApiResult<Response> {
    let v = viewer(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let uscc = parse_uscc(&uscc)?;
    if !v.is_taxpayer(uscc.as_str()) {
        return Err(ApiError::not_found(format!("no package of {uscc}")));
    }
    registered(&st, &uscc)?;
    let months = months(&st, &q)?;
    let secret = crate::chain_secret(&st)?;
    let keys: Vec<StateKey> =
        months.iter().map(|m| StateKey::from(IndustryKey::OperatingCommit(uscc, *m))).collect();
    // Read the records and their openings, then prove them at the tip under one header a
    // certificate finalizes directly (read again if they changed in between).
    let st2 = st.clone();
    let read = move || {
        let values: Vec<Option<Vec<u8>>> =
            keys.iter().map(|k| st2.reader.get_raw(k)).collect::<Result<_, _>>()?;
        let openings = openings(&st2, &secret, &uscc, &months, &values)?;
        Ok(Reading { keys: keys.clone(), values, derived: openings })
    };
    let format = "fapiao-industry-operating/1";
    let Some((bundle, height, openings)) =
        fapiao_api::bundle::certified_reading(&st, format, uscc.as_str(), read).await?
    else {
        return Ok(fapiao_api::bundle::not_final_yet("operating data"));
    };
    // Each claim names the header whose state root its proof is against.
    let records = bundle
        .entries
        .into_iter()
        .map(|e| ClaimJson {
            chain_id: bundle.chain_id.clone(),
            height,
            key: e.key,
            value: e.value_hex,
            proof: e.proof_hex,
        })
        .collect();
    Ok(Json(OperatingPackage { uscc: uscc.to_string(), records, openings }).into_response())
}

/// The openings of every figure the `operating-commit` records `now` (one per month of
/// `months`) commit to, each checked against its commitment.
fn openings(
    st: &fapiao_api::ApiState,
    secret: &[u8; 32],
    uscc: &Uscc,
    months: &[Month],
    now: &[Option<Vec<u8>>],
) -> ApiResult<Vec<OperatingOpening>> {
    let mut openings = Vec::new();
    for (month, value) in months.iter().zip(now) {
        let Some(bytes) = value else { continue };
        let commit: OperatingCommit =
            fapiao_types::decode_exact(bytes, &()).map_err(ApiError::internal)?;
        for c in &commit.commitments {
            let r: OperatingRecord = get(st, IndustryKey::Operating(*uscc, *month, c.metric))?
                .ok_or_else(|| ApiError::internal(format!("{} of {month} missing", c.metric)))?;
            let o = OperatingOpening::new(secret, uscc, c.metric, *month, r.value);
            if !o.opens(uscc, &c.commitment).map_err(ApiError::internal)? {
                return Err(ApiError::internal(format!(
                    "{} of {month} does not open under this node's secret",
                    c.metric
                )));
            }
            openings.push(o);
        }
    }
    Ok(openings)
}
