//! Trust no server: the proof bundle of a tax-payment certificate, which verifies offline
//! from the genesis alone (`fapiao verify --genesis genesis.json --plate 粤B12345 FILE`).
//!
//! The bundle proves the certificate's public record (`certificate/<number>`, public
//! like the check's answer) under the newest executed header that a finalization
//! certificate certifies directly and whose state shows the record as it stands now (a
//! refund changes it); until such a header exists the route answers 503
//! `not_final_yet`. It is rate-limited per number like the public check.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
    Json,
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    ApiState, St,
};
use fapiao_certificate_types::{
    certificate_number_text, parse_certificate_number, CertificateKey, CertificatePublic,
};
use fapiao_types::StateKey;
use fapiao_verify::{ProofBundle, CERTIFICATE_BUNDLE_FORMAT};

/// The bundle of certificate `number`; `None` when no directly certified header covers
/// its latest change yet.
fn build_bundle(st: &ApiState, number: u64) -> ApiResult<Option<ProofBundle>> {
    let key = StateKey::from(CertificateKey::Certificate(number));
    let current = st.reader.get::<CertificatePublic>(&key)?;
    let number_text = certificate_number_text(number);
    let keys = core::slice::from_ref(&key);
    fapiao_api::bundle::certified_bundle(
        &*st.reader,
        CERTIFICATE_BUNDLE_FORMAT,
        number_text,
        keys,
        |proofs| {
            let proven = proofs
                .first()
                .and_then(|p| p.value.as_deref())
                .and_then(|v| fapiao_types::decode_exact::<CertificatePublic>(v, &()).ok());
            proven == current
        },
    )
}

/// A proof bundle of a tax-payment certificate's public record that verifies offline
/// with the genesis alone (public, rate-limited per number; 503 `not_final_yet` while
/// its latest change awaits a certified header).
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
    let st2 = st.clone();
    let bundle = fapiao_api::off_runtime(move || build_bundle(&st2, number)).await??;
    Ok(match bundle {
        Some(b) => Json(b).into_response(),
        None => fapiao_api::bundle::not_final_yet("certificate"),
    })
}
