//! Trust no server: the proof bundle of a tax-payment certificate, which verifies offline
//! from the genesis alone (`fapiao verify --genesis genesis.json --plate 粤B12345 FILE`).
//!
//! The bundle proves the certificate's public record (`certificate/<number>`, public
//! like the check's answer) as it stands now (a refund changes it): at the executed tip,
//! under the first header whose `state_height` is that tip (`fapiao_api::bundle`). The
//! answer waits for that header (about one block interval) and is 503 `not_final_yet`
//! when none came within a few. It is rate-limited per number like the public check.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
    Json,
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    St,
};
use fapiao_certificate_types::{
    certificate_number_text, parse_certificate_number, CertificateKey, CertificatePublic,
};
use fapiao_types::StateKey;
use fapiao_verify::CERTIFICATE_BUNDLE_FORMAT;

/// A proof bundle of a tax-payment certificate's public record that verifies offline
/// with the genesis alone (public, rate-limited per number; waits for the header that
/// certifies the state proven now, 503 `not_final_yet` when none came in time).
#[utoipa::path(get, path = "/v1/certificates/{number}/proof", tag = "certificates",
    params(("number" = String, Path, description = "12-digit certificate number")),
    responses((status = 200, description = "The proof bundle (docs/formats.md)", body = Object),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
        (status = 503, body = crate::ErrorBody)))]
pub(crate) async fn proof(State(st): St, Path(number): Path<String>) -> ApiResult<Response> {
    let number = parse_certificate_number(&number)
        .ok_or_else(|| ApiError::bad_field("number", "12 digits: the year and a serial"))?;
    let key = StateKey::from(CertificateKey::Certificate(number));
    if st.reader.get::<CertificatePublic>(&key)?.is_none() {
        return Err(ApiError::not_found("no such certificate"));
    }
    let bundle = fapiao_api::bundle::certified_bundle(
        &st,
        CERTIFICATE_BUNDLE_FORMAT,
        certificate_number_text(number),
        vec![key],
    )
    .await?;
    Ok(match bundle {
        Some(b) => Json(b).into_response(),
        None => fapiao_api::bundle::not_final_yet("certificate"),
    })
}
