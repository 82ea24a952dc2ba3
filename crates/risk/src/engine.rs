//! The rules, applied block by block.

use crate::model::{china_day, Alert, EventKind, InvoiceEvent, Rule};
use crate::params::RiskParams;
use crate::state::{RiskState, SellerState};
use crate::Error;
use fapiao_invoice_types::TaxpayerStatus;

/// Separator of the USCCs in a ring's canonical key (never part of a USCC).
const RING_KEY_SEP: &str = ">";

/// The risk engine: a [`RiskState`] and the rules that advance it one finalized block at
/// a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RiskEngine {
    state: RiskState,
}

/// Collects a block's alerts and numbers them.
struct Sink {
    height: u64,
    time_ms: u64,
    alerts: Vec<Alert>,
}

impl Sink {
    fn push(&mut self, rule: Rule, subjects: Vec<String>, numbers: Vec<String>, detail: String) {
        let id = format!("{rule}-{}-{}", self.height, self.alerts.len());
        self.alerts.push(Alert {
            id,
            rule,
            height: self.height,
            time_ms: self.time_ms,
            subjects,
            numbers,
            detail,
        });
    }
}

impl RiskEngine {
    /// An engine that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Resumes from a persisted state.
    pub fn from_state(state: RiskState) -> Self {
        RiskEngine { state }
    }

    /// Resumes from [`RiskState::to_bytes`] output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        RiskState::from_bytes(bytes).map(Self::from_state)
    }

    /// The current state (persist it with [`RiskState::to_bytes`] after each block).
    pub fn state(&self) -> &RiskState {
        &self.state
    }

    /// Gives the state back.
    pub fn into_state(self) -> RiskState {
        self.state
    }

    /// Applies the rules to the events of one finalized block, in order, and returns the
    /// alerts raised, each with a deterministic id (`"<rule>-<height>-<index>"`).
    ///
    /// `height` and `time_ms` (block time, Unix ms) are the block's; the events' own
    /// `height` / `time_ms` fields are not consulted. Blocks must come in increasing height:
    /// a block at or below the last height processed is ignored (no alerts, no change), so
    /// replaying a block is harmless.
    ///
    /// Work is bounded per block: pruning is proportional to what expires, each event
    /// touches one seller's at most `trailing_days + 1` buckets, and each new ring edge
    /// searches at most [`RiskParams::max_ring_expansions`] nodes.
    pub fn on_block(
        &mut self,
        height: u64,
        time_ms: u64,
        events: &[InvoiceEvent],
        params: &RiskParams,
    ) -> Vec<Alert> {
        if self.state.last_height.is_some_and(|last| height <= last) {
            return Vec::new();
        }
        self.state.last_height = Some(height);
        self.state.prune_before(time_ms.saturating_sub(params.ring_window_ms));

        let mut sink = Sink { height, time_ms, alerts: Vec::new() };
        for event in events {
            match &event.kind {
                EventKind::Issued {
                    seller,
                    buyer,
                    total_with_tax,
                    seller_status,
                    buyer_status,
                } => {
                    status_rules(
                        &mut sink,
                        &event.number,
                        seller,
                        *seller_status,
                        buyer.as_deref().zip(*buyer_status),
                    );
                    self.volume_jump(&mut sink, params, &event.number, seller, *total_with_tax);
                    if let Some(buyer) = buyer {
                        self.ring(&mut sink, params, &event.number, seller, buyer);
                    }
                }
                EventKind::Reversed { seller, amount, blue_number, blue_issued_ms } => {
                    self.issue_then_reverse(
                        &mut sink,
                        params,
                        &event.number,
                        seller,
                        *amount,
                        blue_number,
                        *blue_issued_ms,
                    );
                }
            }
        }
        sink.alerts
    }

    /// The seller's statistics, with buckets older than the trailing window dropped.
    fn seller(&mut self, seller: &str, today: u64, params: &RiskParams) -> &mut SellerState {
        let state = self.state.sellers.entry(seller.to_owned()).or_default();
        let oldest = today.saturating_sub(params.trailing());
        state.days = state.days.split_off(&oldest);
        state
    }

    /// Rule 1: volume jump versus the trailing daily average.
    fn volume_jump(
        &mut self,
        sink: &mut Sink,
        params: &RiskParams,
        number: &str,
        seller: &str,
        total_with_tax: i64,
    ) {
        let today = china_day(sink.time_ms);
        let trailing = params.trailing();
        let state = self.seller(seller, today, params);
        let first_day = *state.first_day.get_or_insert(today);
        let bucket = state.days.entry(today).or_default();
        bucket.issued_fen = bucket.issued_fen.saturating_add(total_with_tax.max(0));
        let today_fen = bucket.issued_fen;

        if state.jump_alerted_day == Some(today) || today_fen <= params.jump_min_fen {
            return;
        }
        let history = today.saturating_sub(first_day);
        if history < u64::from(params.jump_min_history_days) {
            return;
        }
        // Baseline days: the previous `trailing` days, or since the first invoice.
        let span = history.min(trailing);
        let baseline: i128 = state
            .days
            .range(today.saturating_sub(span)..today)
            .map(|(_, d)| i128::from(d.issued_fen))
            .sum();
        // today > factor% × baseline / span, in integers (span 0 only when the baseline
        // is empty: then any amount over the floor is a jump).
        let span_i = i128::from(span.max(1));
        let factor = i128::from(params.jump_factor_percent);
        if i128::from(today_fen) * 100 * span_i <= factor * baseline {
            return;
        }
        state.jump_alerted_day = Some(today);
        let average = baseline / span_i;
        sink.push(
            Rule::VolumeJump,
            vec![seller.to_owned()],
            vec![number.to_owned()],
            format!(
                "seller {seller} issued {today_fen} fen today against a trailing average of \
                 {average} fen/day over {span} day(s); threshold {factor}% and more than \
                 {} fen",
                params.jump_min_fen
            ),
        );
    }

    /// Rule 3: a new edge `seller → buyer` closing a directed cycle within the window.
    fn ring(
        &mut self,
        sink: &mut Sink,
        params: &RiskParams,
        number: &str,
        seller: &str,
        buyer: &str,
    ) {
        if seller == buyer {
            return;
        }
        let now = sink.time_ms;
        self.state.upsert_edge(seller, buyer, now, number);
        let max_len = params.ring_len();
        if max_len < 2 {
            return;
        }
        let cutoff = now.saturating_sub(params.ring_window_ms);
        let mut search = Search {
            state: &self.state,
            target: seller,
            cutoff,
            max_len,
            budget: params.max_ring_expansions,
            path: vec![seller, buyer],
            found: Vec::new(),
        };
        search.run();
        let cycles: Vec<Vec<String>> = search.found.into_iter().map(canonical).collect();

        for cycle in cycles {
            let key = cycle.join(RING_KEY_SEP);
            if self.state.rings_reported.contains_key(&key) {
                continue;
            }
            let numbers: Vec<String> = (0..cycle.len())
                .map(|i| {
                    let (from, to) = (&cycle[i], &cycle[(i + 1) % cycle.len()]);
                    self.state
                        .edges
                        .get(from)
                        .and_then(|adjacency| adjacency.get(to))
                        .map(|edge| edge.number.clone())
                        .unwrap_or_default()
                })
                .collect();
            let detail = format!(
                "circular invoicing among {} taxpayers within {} ms: {}{RING_KEY_SEP}{}",
                cycle.len(),
                params.ring_window_ms,
                key,
                cycle[0]
            );
            self.state.remember_ring(key, now);
            sink.push(Rule::CircularRing, cycle, numbers, detail);
        }
    }

    /// Rule 4: quick reversals outweighing what was issued.
    #[allow(clippy::too_many_arguments)]
    fn issue_then_reverse(
        &mut self,
        sink: &mut Sink,
        params: &RiskParams,
        number: &str,
        seller: &str,
        amount: i64,
        blue_number: &str,
        blue_issued_ms: u64,
    ) {
        let now = sink.time_ms;
        if now.saturating_sub(blue_issued_ms) > params.reverse_window_ms {
            return;
        }
        let today = china_day(now);
        let trailing = params.trailing();
        let state = self.seller(seller, today, params);
        let bucket = state.days.entry(today).or_default();
        bucket.quick_red_fen = bucket.quick_red_fen.saturating_add(amount.saturating_abs());
        bucket.quick_red_count = bucket.quick_red_count.saturating_add(1);
        if state.reverse_alerted_day == Some(today) {
            return;
        }

        let (mut issued, mut red, mut count) = (0i128, 0i128, 0u64);
        for (_, d) in state.days.range(today.saturating_sub(trailing - 1)..=today) {
            issued += i128::from(d.issued_fen);
            red += i128::from(d.quick_red_fen);
            count += u64::from(d.quick_red_count);
        }
        let ratio = i128::from(params.reverse_ratio_percent);
        if count < u64::from(params.reverse_min_count) || red * 100 <= ratio * issued {
            return;
        }
        state.reverse_alerted_day = Some(today);
        sink.push(
            Rule::IssueThenReverse,
            vec![seller.to_owned()],
            vec![number.to_owned(), blue_number.to_owned()],
            format!(
                "seller {seller} reversed {red} fen in {count} red invoice(s) within {} ms of \
                 issue over {trailing} day(s), against {issued} fen issued; threshold {ratio}%",
                params.reverse_window_ms
            ),
        );
    }
}

/// Rule 2: an invoice issued by or to a frozen or deregistered taxpayer.
fn status_rules(
    sink: &mut Sink,
    number: &str,
    seller: &str,
    seller_status: TaxpayerStatus,
    buyer: Option<(&str, TaxpayerStatus)>,
) {
    for (status, rule) in [
        (TaxpayerStatus::Frozen, Rule::FrozenCounterparty),
        (TaxpayerStatus::Deregistered, Rule::DeregisteredCounterparty),
    ] {
        let word = status.label_en();
        let mut subjects = Vec::new();
        let mut roles = Vec::new();
        if seller_status == status {
            subjects.push(seller.to_owned());
            roles.push(format!("seller {seller}"));
        }
        if let Some((buyer, buyer_status)) = buyer {
            if buyer_status == status {
                subjects.push(buyer.to_owned());
                roles.push(format!("buyer {buyer}"));
            }
        }
        if !subjects.is_empty() {
            let detail = format!("invoice {number} with {word} {}", roles.join(" and "));
            sink.push(rule, subjects, vec![number.to_owned()], detail);
        }
    }
}

/// Rotates a cycle to start at its smallest USCC, keeping the direction.
fn canonical(cycle: Vec<&str>) -> Vec<String> {
    let start = cycle.iter().enumerate().min_by_key(|(_, id)| **id).map_or(0, |(i, _)| i);
    cycle[start..].iter().chain(&cycle[..start]).map(|id| (*id).to_owned()).collect()
}

/// A depth- and budget-limited search for paths from the new edge's buyer back to its
/// seller over live edges.
struct Search<'a> {
    state: &'a RiskState,
    /// The new edge's seller: reaching it closes a cycle.
    target: &'a str,
    /// Edges last seen before this block time are dead.
    cutoff: u64,
    /// Longest cycle, in edges (= nodes).
    max_len: usize,
    /// Node visits and cycles found left.
    budget: u32,
    /// The current path, starting `[seller, buyer]`.
    path: Vec<&'a str>,
    /// Cycles found, as node lists starting at the seller.
    found: Vec<Vec<&'a str>>,
}

impl<'a> Search<'a> {
    /// Visits the last node of the path: records the cycle it closes, if any, then extends
    /// the path through each of its live successors. Each visit and each cycle found costs
    /// one unit of budget; nodes skipped (on the path) are at most `max_len`, so the work
    /// is O(budget × (max_len + log n)).
    fn run(&mut self) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let state = self.state;
        let Some(adjacency) = self.path.last().and_then(|node| state.edges.get(*node)) else {
            return;
        };
        if adjacency.get(self.target).is_some_and(|edge| edge.last_ms >= self.cutoff) {
            if self.budget == 0 {
                return;
            }
            self.budget -= 1;
            self.found.push(self.path.clone());
        }
        if self.path.len() >= self.max_len {
            return;
        }
        for (next, edge) in adjacency {
            if self.budget == 0 {
                return;
            }
            let next = next.as_str();
            if edge.last_ms < self.cutoff || next == self.target || self.path.contains(&next) {
                continue;
            }
            self.path.push(next);
            self.run();
            self.path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_rotation_keeps_direction() {
        assert_eq!(canonical(vec!["C", "A", "B"]), ["A", "B", "C"]);
        assert_eq!(canonical(vec!["B", "A", "C"]), ["A", "C", "B"]);
        assert_eq!(canonical(vec!["A", "B"]), ["A", "B"]);
    }
}
