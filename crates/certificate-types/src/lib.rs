//! The tax-certificate application's vocabulary on the chain.
//!
//! Insurers collect vehicle and vessel tax (车船税) with the compulsory motor insurance
//! (交强险, 代收代缴); the owner exchanges a collection for a numbered tax-payment
//! certificate (完税证明); insurers settle what they collected with the tax bureau in
//! batches (结报); a vehicle stolen, scrapped or lost gets the rest of its year refunded.
//! This crate holds what that application writes into transactions and state — its
//! action payloads (tags `0x70–0x7f` of the action envelope), its state keys and its
//! records — with their canonical encodings and nothing else, so the verifier, the
//! pages and the printer read certificates without linking the application.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod actions;
mod keys;
mod records;

pub use actions::{CertificateAction, CertificateBodies, NotCertificateAction, CERTIFICATE_TAGS};
pub use keys::CertificateKey;
pub use records::{
    certificate_number_text, parse_certificate_number, plate_tag, CertificatePublic,
    CertificateStatus, CollectionRecord, CollectionRef, Energy, RecordCollection, RecordRefund,
    Refund, RefundEvent, Relief, SettlementRecord, SettlementRef, SettlementStatus,
    SubmitSettlement, TaxLine, VehicleClass, MAX_BACK_YEARS, MAX_SETTLEMENT_ITEMS,
};
