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
    http::{header, HeaderValue},
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
use fapiao_verify::{BundleEntry, ProofBundle, CERTIFICATE_BUNDLE_FORMAT};

/// How far below the tip a bundle looks for a directly certified header.
const CERTIFIED_WINDOW: u64 = 32;

fn not_final_yet() -> Response {
    let mut r = ApiError::refuse(
        fapiao_app::Platform::NotFinalYet,
        None,
        "the certificate's latest change is not yet under a certified header; retry in a second",
    )
    .into_response();
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// The bundle of certificate `number`; `None` when no directly certified header covers
/// its latest change yet.
fn build_bundle(st: &ApiState, number: u64) -> ApiResult<Option<ProofBundle>> {
    let ledger = &st.reader;
    let key = StateKey::from(CertificateKey::Certificate(number));
    let current = ledger.get::<CertificatePublic>(&key)?;
    let tip = ledger.tip().height;
    let mut h = tip;
    while h > 0 && tip - h <= CERTIFIED_WINDOW {
        let (Some(header), Some(blob)) = (ledger.header(h)?, ledger.certificate(h)?) else {
            h -= 1;
            continue;
        };
        let direct =
            blob.len() > 40 && blob[..8] == h.to_be_bytes() && blob[8..40] == header.digest();
        if !direct {
            h -= 1;
            continue;
        }
        let proofs = ledger.prove_at(core::slice::from_ref(&key), h)?;
        let Some(proof) = proofs.first() else { return Ok(None) };
        let proven = proof
            .value
            .as_deref()
            .and_then(|v| fapiao_types::decode_exact::<CertificatePublic>(v, &()).ok());
        // Newer headers show newer state; if this one misses the latest change, so will
        // every older one.
        if proven != current {
            return Ok(None);
        }
        return Ok(Some(ProofBundle {
            format: CERTIFICATE_BUNDLE_FORMAT.into(),
            chain_id: ledger.genesis().chain_id.clone(),
            number: certificate_number_text(number),
            entries: vec![BundleEntry {
                key: key.to_string(),
                value_hex: proof.value.as_ref().map(hex::encode),
                proof_hex: hex::encode(&proof.proof),
            }],
            header_hex: hex::encode(commonware_codec::Encode::encode(&header)),
            descendants_hex: Vec::new(),
            certificate_hex: hex::encode(&blob),
        }));
    }
    Ok(None)
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
        None => not_final_yet(),
    })
}
