//! The public certificate check (查验): anyone, without signing in, asks whether a
//! certificate with this number exists *for this plate*, within the per-number budget
//! of public verification (`chain/mechanics.verify_per_minute`, as invoice checks).
//! The answer is genuine or not, and for a genuine one the tax year, the masked owner,
//! the amount, the insurer's name and the status — nothing more. A wrong plate answers
//! exactly as an unknown number does, so the check cannot tell whether a number exists.

use crate::json::{org_name, yuan};
use axum::{
    extract::{Path, Query, State},
    Json,
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    St,
};
use fapiao_certificate_types::{
    certificate_number_text, parse_certificate_number, plate_tag, CertificateKey, CertificatePublic,
};
use fapiao_types::StateKey;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The answer of a public check: genuine or not and, when genuine, what a certificate
/// shows anyone — nothing else.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct CheckJson {
    /// Whether a certificate with this number exists for this plate.
    pub genuine: bool,
    /// The certificate number (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The tax year certified (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_year: Option<u16>,
    /// The owner, masked (`李* 440305********1234`) (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_masked: Option<String>,
    /// Tax and late fees collected, yuan (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// The collecting insurer's name (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insurer: Option<String>,
    /// `valid` or `refunded` (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The status in Chinese (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_zh: Option<String>,
    /// The status in English (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    /// Executed height of the answer.
    pub height: u64,
}

/// Query of a check.
#[derive(Deserialize)]
pub(crate) struct CheckQuery {
    plate: Option<String>,
}

/// Check a tax-payment certificate by number and plate: public, rate-limited per number.
#[utoipa::path(get, path = "/v1/certificates/{number}/check", tag = "certificates",
    params(("number" = String, Path, description = "12-digit certificate number"),
           ("plate" = String, Query, description = "the vehicle's plate, e.g. 粤B12345")),
    responses((status = 200, body = CheckJson), (status = 400, body = crate::ErrorBody)))]
pub(crate) async fn check(
    State(st): St,
    Path(number): Path<String>,
    Query(q): Query<CheckQuery>,
) -> ApiResult<Json<CheckJson>> {
    let number = parse_certificate_number(&number)
        .ok_or_else(|| ApiError::bad_field("number", "12 digits: the year and a serial"))?;
    let plate = q
        .plate
        .map(|p| p.trim().to_uppercase())
        .filter(|p| !p.is_empty() && p.len() <= 32)
        .ok_or_else(|| ApiError::bad_field("plate", "the vehicle's plate is required"))?;
    let l = &*st.reader;
    let height = l.tip().height;
    let found = l
        .get::<CertificatePublic>(&StateKey::from(CertificateKey::Certificate(number)))?
        .filter(|p| p.plate_tag == plate_tag(number, &plate));
    Ok(Json(match found {
        Some(p) => CheckJson {
            genuine: true,
            number: Some(certificate_number_text(p.number)),
            tax_year: Some(p.tax_year),
            owner_masked: Some(p.owner_masked.clone()),
            amount: Some(yuan(p.total)),
            insurer: Some(org_name(l, &p.insurer)),
            status: Some(p.status.as_str().into()),
            label_zh: Some(p.status.label_zh().into()),
            label_en: Some(p.status.label_en().into()),
            height,
        },
        None => CheckJson {
            genuine: false,
            number: None,
            tax_year: None,
            owner_masked: None,
            amount: None,
            insurer: None,
            status: None,
            label_zh: None,
            label_en: None,
            height,
        },
    }))
}
