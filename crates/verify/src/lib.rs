//! Offline verification of Fapiao invoices, trusting no server: everything is checked
//! against the chain's genesis (its validator keys and chain id) alone.
//!
//! * [`certificate`] — a finalization certificate: a quorum of distinct genesis
//!   validators signed the header digest in the consensus namespace;
//! * [`current`] — a QMDB proof of a key's current value, or of its absence, under a
//!   state root (reimplemented with SHA-256 alone, cross-checked against the engine);
//! * [`state`] — a QMDB proof of a state record (or its absence) under a root;
//! * [`bundle`] — an invoice proof bundle (`GET /v1/invoices/{number}/proof`): the
//!   invoice's leaves, their proofs, the header that commits to them, the headers up to
//!   the certified one and its certificate;
//! * [`certificate_bundle`] — a tax-payment certificate's proof bundle (the same
//!   document, proving the certificate's public record);
//! * [`qr`] — the compact signed QR payload printed on every invoice.
//!
//! No networking or storage: this crate is meant to run in a browser or a phone app too.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod bundle;
pub mod certificate;
pub mod certificate_bundle;
pub mod current;
mod error;
pub mod qr;
pub mod state;

pub use bundle::{
    verify_bundle, verify_certified_by, BundleEntry, ProofBundle, VerifiedInvoice, BUNDLE_FORMAT,
};
pub use certificate::{verify_finalization, Certified};
pub use certificate_bundle::{
    verify_certificate_bundle, VerifiedCertificate, CERTIFICATE_BUNDLE_FORMAT,
};
pub use current::{
    verify_current_absence, verify_current_value, verify_state_absence, verify_state_record,
};
pub use error::VerifyError;
pub use qr::{QrPayload, QrVerified, NAMESPACE_QR};
pub use state::verify_state_proof;
