//! Rule parameters (policy, from the genesis / node configuration).

use serde::{Deserialize, Serialize};

use crate::model::DAY_MS;

/// The largest ring length searched, whatever [`RiskParams::max_ring_len`] says: it bounds
/// the depth of the cycle search.
pub const MAX_RING_LEN_CAP: u32 = 8;

/// Parameters of the risk rules. Amounts are integer fen, ratios integer percents, windows
/// milliseconds of block time; days are China-time days ([`crate::china_day`]).
///
/// Every field has a default (see [`RiskParams::default`]); deserialisation fills missing
/// fields from it. Every node must use the same parameters to derive the same alerts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskParams {
    /// Trailing window in days: the volume-jump baseline is the average over the previous
    /// `trailing_days` days (or since the seller's first invoice, if more recent); the
    /// issue-then-reverse ratio compares with what was issued over the last `trailing_days`
    /// days including today. Default 30. Values below 1 count as 1.
    pub trailing_days: u32,
    /// Volume jump: today's amount must exceed this percentage of the trailing daily
    /// average (500 = five times). Default 500.
    pub jump_factor_percent: u32,
    /// Volume jump: today's amount must also exceed this absolute floor, in fen. Default
    /// 10 000 000 fen (¥100 000.00).
    pub jump_min_fen: i64,
    /// Volume jump: a seller is judged only once its first invoice is at least this many
    /// days old (a baseline is needed). Default 7.
    pub jump_min_history_days: u32,
    /// Ring: edges (seller → enterprise buyer) live this long after their latest invoice,
    /// and a reported ring is not reported again for this long. Default 30 days
    /// (2 592 000 000 ms).
    pub ring_window_ms: u64,
    /// Ring: longest cycle searched, in edges (2 = A→B→A). Default 5; values above
    /// [`MAX_RING_LEN_CAP`] count as the cap; below 2 disables the rule.
    pub max_ring_len: u32,
    /// Ring: budget of the search triggered by one new edge; each node visited and each
    /// cycle found costs one unit. Default 2 000.
    pub max_ring_expansions: u32,
    /// Issue-then-reverse: a reversal counts when it comes within this long of the blue
    /// invoice's issue. Default 72 hours (259 200 000 ms).
    pub reverse_window_ms: u64,
    /// Issue-then-reverse: quick reversals over the trailing window must exceed this
    /// percentage of the amount issued over the same window. Default 50.
    pub reverse_ratio_percent: u32,
    /// Issue-then-reverse: and number at least this many. Default 3.
    pub reverse_min_count: u32,
}

impl Default for RiskParams {
    fn default() -> Self {
        RiskParams {
            trailing_days: 30,
            jump_factor_percent: 500,
            jump_min_fen: 10_000_000,
            jump_min_history_days: 7,
            ring_window_ms: 30 * DAY_MS,
            max_ring_len: 5,
            max_ring_expansions: 2_000,
            reverse_window_ms: 72 * 3_600_000,
            reverse_ratio_percent: 50,
            reverse_min_count: 3,
        }
    }
}

impl RiskParams {
    /// The trailing window in days, at least 1.
    pub(crate) fn trailing(&self) -> u64 {
        u64::from(self.trailing_days.max(1))
    }

    /// The ring length searched, capped at [`MAX_RING_LEN_CAP`].
    pub(crate) fn ring_len(&self) -> usize {
        // Lossless: the cap is tiny.
        self.max_ring_len.min(MAX_RING_LEN_CAP) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_defaults() {
        let p: RiskParams = serde_json::from_str(r#"{"max_ring_len":4}"#).unwrap();
        assert_eq!(p, RiskParams { max_ring_len: 4, ..RiskParams::default() });
        assert!(serde_json::from_str::<RiskParams>(r#"{"jump_factor":5}"#).is_err());
    }

    #[test]
    fn clamps() {
        let p = RiskParams { trailing_days: 0, max_ring_len: 99, ..RiskParams::default() };
        assert_eq!(p.trailing(), 1);
        assert_eq!(p.ring_len(), MAX_RING_LEN_CAP as usize);
    }
}
