//! Input events, rules and alerts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;
use fapiao_invoice_types::TaxpayerStatus;
use fapiao_types::{InvoiceNumber, Uscc};

/// Milliseconds in a day.
pub(crate) const DAY_MS: u64 = 86_400_000;

/// China-time (UTC+8) day number of a block time in Unix milliseconds:
/// `(time_ms / 1000 + 8 × 3600) / 86400`.
///
/// ```
/// // 2026-01-01T00:00:00+08:00 is 2025-12-31T16:00:00Z = 1_767_196_800 s.
/// let midnight = 1_767_196_800_000;
/// assert_eq!(fapiao_risk::china_day(midnight), fapiao_risk::china_day(midnight - 1) + 1);
/// ```
pub const fn china_day(time_ms: u64) -> u64 {
    (time_ms / 1000 + 8 * 3600) / 86_400
}

/// One finalized invoice event, in block order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceEvent {
    /// Height of the block holding the event (informational: the engine uses the height
    /// passed to [`crate::RiskEngine::on_block`]).
    pub height: u64,
    /// Block time in Unix milliseconds (informational: the engine uses the block time
    /// passed to [`crate::RiskEngine::on_block`]).
    pub time_ms: u64,
    /// The invoice number (the red invoice's own number for a reversal).
    pub number: InvoiceNumber,
    /// What happened.
    pub kind: EventKind,
}

/// What an [`InvoiceEvent`] records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A blue invoice was issued.
    Issued {
        /// Seller's USCC.
        seller: Uscc,
        /// Buyer's USCC; `None` for a natural person (no edge in the ring graph).
        buyer: Option<Uscc>,
        /// Total with tax, in fen (positive).
        total_with_tax: i64,
        /// The seller's registration status when the invoice was issued, as the invoice
        /// application (which owns the taxpayer registry) knows it.
        seller_status: TaxpayerStatus,
        /// The buyer's status when the invoice was issued; `None` for a person or a buyer
        /// not registered on the chain.
        buyer_status: Option<TaxpayerStatus>,
    },
    /// A red-letter invoice reversed (all or part of) a blue invoice.
    Reversed {
        /// Seller's USCC (the blue invoice's seller).
        seller: Uscc,
        /// The red invoice's total with tax, in fen (negative; its magnitude is used).
        amount: i64,
        /// Number of the blue invoice reversed.
        blue_number: InvoiceNumber,
        /// Block time at which the blue invoice was issued, Unix milliseconds.
        blue_issued_ms: u64,
    },
}

/// A risk rule. Its stable name ([`Rule::as_str`], also its serde form) is snake_case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// `volume_jump`: a seller's daily volume jumped versus its trailing average.
    VolumeJump,
    /// `frozen_counterparty`: an invoice to or from a frozen taxpayer.
    FrozenCounterparty,
    /// `deregistered_counterparty`: an invoice to or from a deregistered taxpayer.
    DeregisteredCounterparty,
    /// `circular_ring`: a directed invoicing cycle among enterprises within the window.
    CircularRing,
    /// `issue_then_reverse`: a seller reverses much of what it issues, quickly.
    IssueThenReverse,
}

impl Rule {
    /// Every rule, in a fixed order.
    pub const ALL: [Rule; 5] = [
        Rule::VolumeJump,
        Rule::FrozenCounterparty,
        Rule::DeregisteredCounterparty,
        Rule::CircularRing,
        Rule::IssueThenReverse,
    ];

    /// The stable snake_case name of the rule.
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::VolumeJump => "volume_jump",
            Rule::FrozenCounterparty => "frozen_counterparty",
            Rule::DeregisteredCounterparty => "deregistered_counterparty",
            Rule::CircularRing => "circular_ring",
            Rule::IssueThenReverse => "issue_then_reverse",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rule {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| Error::UnknownRule(s.into()))
    }
}

/// An alert raised by a rule on a block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Deterministic id `"<rule>-<height>-<index>"`, where `index` is the alert's position
    /// among the alerts of its block (unique chain-wide).
    pub id: String,
    /// The rule that fired.
    pub rule: Rule,
    /// Height of the block that raised it.
    pub height: u64,
    /// Block time of that block, Unix milliseconds.
    pub time_ms: u64,
    /// Taxpayers concerned (USCCs). For a ring: the cycle, rotated to start at its
    /// smallest USCC, in edge direction.
    pub subjects: Vec<String>,
    /// Invoice numbers involved. For a ring: the latest invoice of each edge, in the same
    /// order as `subjects` (edge `subjects[i] → subjects[i+1]`, the last one closing).
    pub numbers: Vec<String>,
    /// Human-readable explanation (amounts in fen).
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(rule.as_str().parse::<Rule>(), Ok(rule));
            assert_eq!(serde_json::to_string(&rule).unwrap(), format!("\"{rule}\""));
        }
        assert_eq!("ring".parse::<Rule>(), Err(Error::UnknownRule("ring".into())));
    }

    #[test]
    fn china_day_boundaries() {
        // 2026-01-01T00:00:00+08:00 = 1_767_196_800 s since the epoch.
        let midnight = 1_767_196_800_000u64;
        assert_eq!(china_day(midnight) * DAY_MS, midnight + 8 * 3_600_000);
        assert_eq!(china_day(midnight - 1) + 1, china_day(midnight));
        assert_eq!(china_day(midnight + DAY_MS - 1), china_day(midnight));
        assert_eq!(china_day(0), 0);
        assert_eq!(china_day(16 * 3_600_000), 1);
    }
}
