//! Tax-payment certificate proof bundles (`GET /v1/certificates/{number}/proof`): the
//! same document as an invoice bundle ([`ProofBundle`]) with format
//! [`CERTIFICATE_BUNDLE_FORMAT`], proving the certificate's public record
//! (`certificate/<number>`) under a certified header.
//!
//! [`verify_certificate_bundle`] checks, in order: format, the chain id, headers and
//! certificate (as for invoices), the Merkle proof of the one entry, that the record is
//! the named certificate's, and — when the checker names a plate — that the record's
//! plate tag is that plate's.

use crate::bundle::{verify_chain, verify_entry, CertifiedState};
use crate::{ProofBundle, VerifyError};
use fapiao_certificate_types::{
    parse_certificate_number, plate_tag, CertificateKey, CertificatePublic,
};
use fapiao_types::{decode_exact, Genesis, StateKey};

/// The format tag of the certificate bundles this verifier reads: version 2, with QMDB
/// proofs (chain format 9).
pub const CERTIFICATE_BUNDLE_FORMAT: &str = "fapiao-certificate-proof/2";

/// What a verified certificate bundle proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedCertificate {
    /// The public record: number, tax year, masked owner, amounts, insurer, status.
    pub public: CertificatePublic,
    /// Whether a plate was checked against the record's plate tag (it matched).
    pub plate_checked: bool,
    /// The height whose state the proof shows.
    pub state_height: u64,
    /// Block time of the proving header, ms since the Unix epoch.
    pub header_time_ms: u64,
    /// The certified header's height.
    pub certified_height: u64,
    /// Genesis indices of the validators that signed.
    pub signers: Vec<u32>,
    /// Signatures required.
    pub quorum: u32,
}

/// Verifies a certificate bundle against `genesis`; with `plate`, also that the
/// certificate is that vehicle's.
///
/// # Errors
/// The first failed check.
pub fn verify_certificate_bundle(
    genesis: &Genesis,
    bundle: &ProofBundle,
    plate: Option<&str>,
) -> Result<VerifiedCertificate, VerifyError> {
    if bundle.format != CERTIFICATE_BUNDLE_FORMAT {
        return Err(VerifyError::Bundle(format!(
            "format {:?}, expected {CERTIFICATE_BUNDLE_FORMAT:?}",
            bundle.format
        )));
    }
    let CertifiedState { proven, certified, cert } = verify_chain(genesis, bundle)?;
    let number = parse_certificate_number(&bundle.number).ok_or_else(|| {
        VerifyError::Bundle(format!("{:?} is not a certificate number", bundle.number))
    })?;
    let key = StateKey::from(CertificateKey::Certificate(number));
    let [entry] = bundle.entries.as_slice() else {
        return Err(VerifyError::Bundle(format!(
            "{} entries, a certificate bundle has one ({key})",
            bundle.entries.len()
        )));
    };
    if entry.key != key.to_string() {
        return Err(VerifyError::Bundle(format!("unexpected entry {:?}", entry.key)));
    }
    let value = verify_entry(&proven.state_root, entry, &key)?
        .ok_or_else(|| VerifyError::Bundle(format!("the entry proves {key} absent")))?;
    let record = |reason: String| VerifyError::Record { key: key.to_string(), reason };
    let public =
        decode_exact::<CertificatePublic>(&value, &()).map_err(|e| record(e.to_string()))?;
    if public.number != number {
        return Err(record(format!("record is of certificate {}", public.number)));
    }
    if let Some(plate) = plate {
        if plate_tag(number, plate) != public.plate_tag {
            return Err(record(format!("the certificate is not of plate {plate}")));
        }
    }
    Ok(VerifiedCertificate {
        public,
        plate_checked: plate.is_some(),
        state_height: proven.state_height,
        header_time_ms: proven.time_ms,
        certified_height: certified.height,
        signers: cert.signers,
        quorum: cert.quorum,
    })
}
