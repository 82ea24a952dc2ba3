//! The finance chain's vocabulary: loan applications, reviews and decisions citing proven tax-chain commitments, and invoice financings, with their canonical encodings and no logic.
//!
//! A bank's officer applies for a loan on behalf of an enterprise with the tax chain's
//! proofs of the enterprise's disclosure grant and of its committed tax summary
//! ([`ApplyLoan`], tag `0xb0` of the range `0xb0–0xbf`); the bank reviews and decides
//! it ([`ReviewLoan`], [`DecideLoan`]). A bank finances (factors) an invoice the
//! enterprise issued, proven genuine and not reversed by a recent tax-chain proof
//! ([`FinanceInvoice`]); anyone may relay a proof of its reversal, which marks the
//! financing at risk and alerts its bank ([`ReportReversal`]); the bank settles it with a
//! fresh proof ([`SettleFinancing`]). The records ([`LoanRecord`], [`FinancingRecord`],
//! [`FinanceAlert`]) hold commitments, heights and amounts — never a disclosed value:
//! the openings stay in the bank's node. The rules live in `fapiao-finance`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod actions;
mod keys;
mod records;

pub use actions::{
    ApplyLoan, DecideLoan, FinanceAction, FinanceBodies, FinanceInvoice, NotFinanceAction,
    ReportReversal, ReviewLoan, SettleFinancing, FINANCE_TAGS, MAX_OPERATING_CLAIMS,
    MAX_RECORD_CLAIMS,
};
pub use keys::FinanceKey;
pub use records::{
    Decision, FinanceAlert, FinancingRecord, FinancingStatus, LoanRecord, LoanStatus, ProvenFact,
    SummaryCommitment,
};
