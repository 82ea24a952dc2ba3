//! Invoice proof bundles: one JSON document that proves an invoice's content and current
//! status to anyone holding only the genesis file.
//!
//! A bundle carries the invoice's records (`invoice/<n>` always; for a party, also
//! `invoice-body/<n>` and `invoice-circ/<n>`): each state record with its QMDB proof
//! ([`crate::current`]) under the `state_root` of one header, the body with none (it is not
//! in the state: its hash is the public record's salted commitment); the headers from that
//! one to a header finalized by a certificate (usually the same header); and the
//! certificate. [`verify_bundle`] checks, in order: format, header decoding and chain id,
//! the parent links up to the certified header, the certificate (quorum of distinct
//! genesis validators, consensus namespace), each state proof, and that the records agree
//! (number, and the body's hash equals the public record's commitment).

use crate::{certificate::verify_finalization, state::verify_state_proof, VerifyError};
use fapiao_invoice_types::{Circulation, InvoiceBody, InvoiceKey, InvoicePublic};
use fapiao_types::{decode_exact, sha256, Genesis, Header, StateKey, NAMESPACE_CONSENSUS};
use serde::{Deserialize, Serialize};

/// The format tag of the bundles this verifier reads: version 2, whose proofs are QMDB
/// proofs (chain format 9; version 1 carried Jellyfish Merkle proofs and is refused).
pub const BUNDLE_FORMAT: &str = "fapiao-invoice-proof/2";

/// One proven state leaf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleEntry {
    /// The state key, e.g. `invoice/26442000000000000001`.
    pub key: String,
    /// Hex of the leaf's canonical value; `null` when the proof shows the key absent.
    pub value_hex: Option<String>,
    /// Hex of the state proof: the engine's encoding of a QMDB `KeyValueProof` (value) or
    /// `ExclusionProof` (absence), [`crate::current`]; empty for `invoice-body/<n>`, which
    /// is not in the state.
    pub proof_hex: String,
}

/// An invoice proof bundle (`GET /v1/invoices/{number}/proof`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofBundle {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// The chain id (as in the genesis file).
    pub chain_id: String,
    /// The invoice number.
    pub number: String,
    /// The proven leaves: `invoice/<n>` first.
    pub entries: Vec<BundleEntry>,
    /// Hex of the canonical header whose `state_root` the proofs are against.
    pub header_hex: String,
    /// Hex of the headers after it, each the child of the one before, up to the header
    /// the certificate finalizes (empty when it finalizes `header_hex` itself).
    #[serde(default)]
    pub descendants_hex: Vec<String>,
    /// Hex of the finality blob: `height (u64 BE) ‖ header digest (32) ‖ certificate`,
    /// the certificate being Commonware's encoding of the simplex finalization.
    pub certificate_hex: String,
}

/// What a verified bundle proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedInvoice {
    /// The public leaf: number, date, total, seller, status, flag, commitment.
    pub public: InvoicePublic,
    /// The private body, when the bundle carries it (its hash equals the commitment).
    pub body: Option<InvoiceBody>,
    /// Circulation (holder, enterprise, reimbursement, booking), when carried; `None`
    /// inside `Some` means proven absent (never circulated).
    pub circulation: Option<Option<Circulation>>,
    /// The height whose state the proofs show.
    pub state_height: u64,
    /// The header's block height and time.
    pub header_height: u64,
    /// Block time of that header, ms since the Unix epoch.
    pub header_time_ms: u64,
    /// The certified header's height.
    pub certified_height: u64,
    /// Genesis indices of the validators that signed.
    pub signers: Vec<u32>,
    /// Signatures required.
    pub quorum: u32,
}

fn unhex(what: &str, s: &str) -> Result<Vec<u8>, VerifyError> {
    hex::decode(s.trim()).map_err(|e| VerifyError::Bundle(format!("{what}: not hex: {e}")))
}

fn header(what: &str, s: &str) -> Result<Header, VerifyError> {
    decode_exact::<Header>(&unhex(what, s)?, &())
        .map_err(|e| VerifyError::Header(format!("{what}: {e}")))
}

/// The genesis validators' keys, in genesis order.
///
/// # Errors
/// [`VerifyError::Genesis`].
pub fn validator_keys(genesis: &Genesis) -> Result<Vec<[u8; 32]>, VerifyError> {
    Ok(genesis
        .validator_infos()
        .map_err(|e| VerifyError::Genesis(e.to_string()))?
        .iter()
        .map(|v| v.public_key)
        .collect())
}

/// Checks that `blob` (a finality blob) finalizes `certified` with a quorum of the
/// genesis validators; returns the signers and quorum.
///
/// # Errors
/// The failed certificate check.
pub fn verify_certified_header(
    genesis: &Genesis,
    certified: &Header,
    blob: &[u8],
) -> Result<crate::Certified, VerifyError> {
    verify_certified_by(&validator_keys(genesis)?, certified, blob)
}

/// Checks that `blob` (a finality blob: `height (u64 BE) ‖ header digest (32) ‖
/// certificate`) finalizes `certified` with a quorum of `validators` (Ed25519 keys in
/// genesis order) — [`verify_certified_header`] for a validator set known without its
/// genesis file (a light client's registration of another chain).
///
/// # Errors
/// The failed certificate check.
pub fn verify_certified_by(
    validators: &[[u8; 32]],
    certified: &Header,
    blob: &[u8],
) -> Result<crate::Certified, VerifyError> {
    if blob.len() < 40 {
        return Err(VerifyError::CertificateMalformed(
            "finality blob shorter than 40 bytes".into(),
        ));
    }
    let (height, rest) = blob.split_at(8);
    let (digest, cert) = rest.split_at(32);
    let mut h = [0u8; 8];
    h.copy_from_slice(height);
    let digest_expected = certified.digest();
    if u64::from_be_bytes(h) != certified.height || digest != digest_expected {
        return Err(VerifyError::CertificateDigest {
            expected: hex::encode(digest_expected),
            found: hex::encode(digest),
        });
    }
    verify_finalization(validators, NAMESPACE_CONSENSUS, digest_expected, cert)
}

/// The headers and certificate of a bundle, checked: the header whose state the proofs
/// are against, the header the certificate finalizes, and the signers.
pub(crate) struct CertifiedState {
    /// The header whose `state_root` the proofs are against.
    pub proven: Header,
    /// The header the certificate finalizes (`proven` or a descendant).
    pub certified: Header,
    /// Who signed.
    pub cert: crate::Certified,
}

/// Checks a bundle's chain id, headers (decoding, chain id, parent links up to the
/// certified one) and certificate — every check that precedes the leaves.
///
/// # Errors
/// The first failed check.
pub(crate) fn verify_chain(
    genesis: &Genesis,
    bundle: &ProofBundle,
) -> Result<CertifiedState, VerifyError> {
    if bundle.chain_id != genesis.chain_id {
        return Err(VerifyError::ChainId);
    }
    let chain = genesis.chain_id_hash();
    let proven = header("header", &bundle.header_hex)?;
    if proven.chain_id != chain {
        return Err(VerifyError::ChainId);
    }
    let mut certified = proven;
    for (i, h) in bundle.descendants_hex.iter().enumerate() {
        let next = header(&format!("descendant {i}"), h)?;
        if next.chain_id != chain {
            return Err(VerifyError::ChainId);
        }
        if next.parent != certified.digest() || next.height != certified.height + 1 {
            return Err(VerifyError::Header(format!(
                "descendant {i} (height {}) is not the child of height {}",
                next.height, certified.height
            )));
        }
        certified = next;
    }
    let blob = unhex("certificate", &bundle.certificate_hex)?;
    let cert = verify_certified_header(genesis, &certified, &blob)?;
    Ok(CertifiedState { proven, certified, cert })
}

/// Checks one entry's state proof under `root` for `key` (the entry's key as the chain
/// writes it); returns its value (`None`: proven absent).
///
/// # Errors
/// Malformed hex, or a failed proof.
pub(crate) fn verify_entry(
    root: &[u8; 32],
    entry: &BundleEntry,
    key: &StateKey,
) -> Result<Option<Vec<u8>>, VerifyError> {
    let value = entry.value_hex.as_deref().map(|v| unhex(&entry.key, v)).transpose()?;
    let path = key.to_bytes();
    if !fapiao_types::state_order::in_state(&path) {
        // Authenticated by another record (a body by the public record's commitment).
        if !entry.proof_hex.is_empty() || value.is_none() {
            return Err(VerifyError::Bundle(format!(
                "entry {:?} is not in the state: it carries its value and no proof",
                entry.key
            )));
        }
        return Ok(value);
    }
    let proof = unhex(&entry.key, &entry.proof_hex)?;
    verify_state_proof(root, &path, value.as_deref(), &proof)
        .map_err(|reason| VerifyError::Proof { key: entry.key.clone(), reason })?;
    Ok(value)
}

/// Verifies `bundle` against `genesis`; see the module docs for the order of checks.
///
/// # Errors
/// The first failed check.
pub fn verify_bundle(
    genesis: &Genesis,
    bundle: &ProofBundle,
) -> Result<VerifiedInvoice, VerifyError> {
    if bundle.format != BUNDLE_FORMAT {
        return Err(VerifyError::Bundle(format!(
            "format {:?}, expected {BUNDLE_FORMAT:?}",
            bundle.format
        )));
    }
    let CertifiedState { proven, certified, cert } = verify_chain(genesis, bundle)?;

    let number = &bundle.number;
    let expect = |kind: &str| format!("{kind}/{number}");
    let mut public = None;
    let mut body = None;
    let mut circulation = None;
    for entry in &bundle.entries {
        let key = StateKey::parse(&entry.key)
            .map_err(|e| VerifyError::Bundle(format!("entry key {:?}: {e}", entry.key)))?;
        // An invoice key as the chain writes it (lower-case hex).
        let invoice_key = InvoiceKey::try_from(&key);
        let key = invoice_key.as_ref().map_or(key, StateKey::from);
        let value = verify_entry(&proven.state_root, entry, &key)?;
        let record = |reason: String| VerifyError::Record { key: entry.key.clone(), reason };
        match (invoice_key, value) {
            (Ok(InvoiceKey::Invoice(n)), Some(v)) if n == *number => {
                public = Some(
                    decode_exact::<InvoicePublic>(&v, &()).map_err(|e| record(e.to_string()))?,
                );
            }
            (Ok(InvoiceKey::InvoiceBody(n)), Some(v)) if n == *number => {
                let b = decode_exact::<InvoiceBody>(&v, &()).map_err(|e| record(e.to_string()))?;
                body = Some((b, sha256(&v)));
            }
            (Ok(InvoiceKey::InvoiceCirc(n)), v) if n == *number => {
                circulation = Some(
                    v.map(|v| decode_exact::<Circulation>(&v, &()))
                        .transpose()
                        .map_err(|e| record(e.to_string()))?,
                );
            }
            _ => {
                return Err(VerifyError::Bundle(format!(
                    "unexpected entry {:?} (value {})",
                    entry.key,
                    if entry.value_hex.is_some() { "present" } else { "absent" }
                )))
            }
        }
    }
    let public = public.ok_or_else(|| {
        VerifyError::Bundle(format!("no entry proves {} present", expect("invoice")))
    })?;
    if public.number != *number {
        return Err(VerifyError::Record {
            key: expect("invoice"),
            reason: format!("record is of invoice {}", public.number),
        });
    }
    let body = match body {
        Some((b, hash)) => {
            if hash != public.commitment {
                return Err(VerifyError::Record {
                    key: expect("invoice-body"),
                    reason: "its hash differs from the public record's commitment".into(),
                });
            }
            Some(b)
        }
        None => None,
    };
    Ok(VerifiedInvoice {
        public,
        body,
        circulation,
        state_height: proven.state_height,
        header_height: proven.height,
        header_time_ms: proven.time_ms,
        certified_height: certified.height,
        signers: cert.signers,
        quorum: cert.quorum,
    })
}
