//! Proof bundles of any application's state keys (the invoice's, a tax certificate's):
//! proven under the newest executed header that a certificate finalizes directly and
//! whose state already shows the record's latest change, so that the bundle verifies
//! offline with the genesis alone (`fapiao_verify`).

use crate::{error::ApiResult, ApiError, Reader};
use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use fapiao_ledger::StateProof;
use fapiao_types::StateKey;
use fapiao_verify::{BundleEntry, ProofBundle};

/// How far below the tip a bundle looks for a directly certified header.
pub const CERTIFIED_WINDOW: u64 = 32;

/// A bundle of `format` for record `number`, proving `keys` under the newest directly
/// certified header within [`CERTIFIED_WINDOW`] of the tip; `shows_latest` says whether
/// that header's proofs show the state as it is now. `None` when no such header exists
/// yet (the latest change awaits its certificate): answer [`not_final_yet`].
///
/// # Errors
/// Storage errors.
pub fn certified_bundle(
    reader: &dyn Reader,
    format: &str,
    number: String,
    keys: &[StateKey],
    shows_latest: impl Fn(&[StateProof]) -> bool,
) -> ApiResult<Option<ProofBundle>> {
    let tip = reader.tip().height;
    let mut h = tip;
    while h > 0 && tip - h <= CERTIFIED_WINDOW {
        let (Some(header), Some(blob)) = (reader.header(h)?, reader.certificate(h)?) else {
            h -= 1;
            continue;
        };
        let direct =
            blob.len() > 40 && blob[..8] == h.to_be_bytes() && blob[8..40] == header.digest();
        if !direct {
            h -= 1;
            continue;
        }
        let proofs = reader.prove_at(keys, h)?;
        // Newer headers show newer state; if this one misses the latest change, so will
        // every older one.
        if !shows_latest(&proofs) {
            return Ok(None);
        }
        return Ok(Some(ProofBundle {
            format: format.into(),
            chain_id: reader.genesis().chain_id.clone(),
            number,
            entries: keys
                .iter()
                .zip(&proofs)
                .map(|(k, p)| BundleEntry {
                    key: k.to_string(),
                    value_hex: p.value.as_ref().map(hex::encode),
                    proof_hex: hex::encode(&p.proof),
                })
                .collect(),
            header_hex: hex::encode(commonware_codec::Encode::encode(&header)),
            descendants_hex: Vec::new(),
            certificate_hex: hex::encode(&blob),
        }));
    }
    Ok(None)
}

/// 503 `not_final_yet`, `Retry-After: 1`: the record's latest change is not yet under a
/// certified header.
pub fn not_final_yet(what: &str) -> Response {
    let mut r = ApiError::refuse(
        fapiao_app::Platform::NotFinalYet,
        None,
        format!(
            "the {what}'s latest change is not yet under a certified header; retry in a second"
        ),
    )
    .into_response();
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}
