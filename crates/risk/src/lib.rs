//! Risk rules over finalized invoice events (SPEC §4 "Control (管控) and risk").
//!
//! The chain's invoice application emits, for every finalized block, the invoice events it
//! committed: blue invoices issued and red-letter reversals. This crate turns that stream
//! into [`Alert`]s for the tax authority:
//!
//! | rule | raised when |
//! |---|---|
//! | [`Rule::VolumeJump`] | a seller's issued amount today (China day) exceeds [`RiskParams::jump_factor_percent`] of its trailing daily average *and* [`RiskParams::jump_min_fen`] |
//! | [`Rule::FrozenCounterparty`] | an invoice is issued by or to a frozen taxpayer |
//! | [`Rule::DeregisteredCounterparty`] | an invoice is issued by or to a deregistered taxpayer |
//! | [`Rule::CircularRing`] | a new seller→buyer edge closes a directed cycle of 2..=[`RiskParams::max_ring_len`] enterprises within [`RiskParams::ring_window_ms`] (the 虚开 pattern A→B→C→A) |
//! | [`Rule::IssueThenReverse`] | a seller's quick reversals (within [`RiskParams::reverse_window_ms`] of the blue invoice's issue) exceed [`RiskParams::reverse_ratio_percent`] of what it issued over the trailing window, with at least [`RiskParams::reverse_min_count`] of them |
//!
//! # A derived index, not consensus state
//!
//! Alerts are computed from finalized blocks and are kept **out of the state root**. The
//! engine is nevertheless fully deterministic so that every node derives the same alerts
//! with the same ids: no I/O, no clock (only block time), no floats (amounts are integer
//! fen, factors are integer percents), no hash-ordered collections (only `BTreeMap` /
//! `BTreeSet`), no randomness. Its [`RiskState`] serialises canonically
//! ([`RiskState::to_bytes`]), so the ledger can persist it after each block in the same
//! write transaction as the block and resume exactly where it stopped.
//!
//! # Bounded work per block
//!
//! * Volume and reversal statistics are per-seller daily buckets, pruned to the trailing
//!   window (at most `trailing_days + 1` buckets per seller).
//! * Ring edges older than the window are pruned at the start of each block through a
//!   time index (work proportional to what expires); the cycle search from a new edge is
//!   a depth-limited DFS capped at [`RiskParams::max_ring_expansions`] node visits.
//! * Reported rings are remembered for one window and then forgotten.
//!
//! # Days
//!
//! A "day" is a China-time (UTC+8) calendar day of block time: see [`china_day`].
//!
//! # Example
//!
//! ```
//! use fapiao_risk::{EventKind, InvoiceEvent, RiskEngine, RiskParams, Rule};
//! use fapiao_invoice_types::TaxpayerStatus;
//!
//! let issue = |h: u64, t: u64, n: &str, s: &str, b: &str| InvoiceEvent {
//!     height: h,
//!     time_ms: t,
//!     number: n.parse().unwrap(),
//!     kind: EventKind::Issued {
//!         seller: s.parse().unwrap(),
//!         buyer: Some(b.parse().unwrap()),
//!         total_with_tax: 100_000,
//!         seller_status: TaxpayerStatus::Active,
//!         buyer_status: Some(TaxpayerStatus::Active),
//!     },
//! };
//! let (a, b, c) = ("91440300MA5F000181", "91440300MA5F00026U", "91440300MA5F00034N");
//! const N1: &str = "26442000000000000001";
//! const N2: &str = "26442000000000000002";
//! const N3: &str = "26442000000000000003";
//! let params = RiskParams::default();
//! let mut engine = RiskEngine::new();
//! assert!(engine.on_block(1, 1_000, &[issue(1, 1_000, N1, a, b)], &params).is_empty());
//! assert!(engine.on_block(2, 2_000, &[issue(2, 2_000, N2, b, c)], &params).is_empty());
//! let alerts = engine.on_block(3, 3_000, &[issue(3, 3_000, N3, c, a)], &params);
//! assert_eq!(alerts.len(), 1);
//! assert_eq!(alerts[0].rule, Rule::CircularRing);
//! assert_eq!(alerts[0].subjects, [a, b, c]);
//! assert_eq!(alerts[0].numbers, [N1, N2, N3]);
//! assert_eq!(alerts[0].id, "circular_ring-3-0");
//!
//! // The state survives a round trip through its canonical bytes.
//! let bytes = engine.state().to_bytes().unwrap();
//! let restored = RiskEngine::from_bytes(&bytes).unwrap();
//! assert_eq!(restored.state(), engine.state());
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod engine;
mod model;
mod params;
mod state;

pub use engine::RiskEngine;
pub use model::{china_day, Alert, EventKind, InvoiceEvent, Rule};
pub use params::{RiskParams, MAX_RING_LEN_CAP};
pub use state::{RiskState, STATE_FORMAT};

/// Everything that can go wrong in this crate: only (de)serialisation and parsing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The persisted state could not be encoded.
    #[error("risk state encoding failed: {0}")]
    Encode(String),
    /// The persisted bytes are not a valid risk state.
    #[error("risk state decoding failed: {0}")]
    Decode(String),
    /// The persisted state was written in a format this version does not read.
    #[error("unsupported risk state format {found} (expected {expected})")]
    UnsupportedFormat {
        /// The format found in the bytes.
        found: u32,
        /// The format this version writes and reads ([`STATE_FORMAT`]).
        expected: u32,
    },
    /// A rule name that is not one of [`Rule::ALL`].
    #[error("unknown risk rule `{0}`")]
    UnknownRule(String),
}
