//! Risk-rule fixtures: expected alerts and near misses, determinism, persistence, bounds.

use fapiao_invoice_types::TaxpayerStatus::{self, Active, Deregistered, Frozen};
use fapiao_risk::{
    china_day, Alert, EventKind, InvoiceEvent, RiskEngine, RiskParams, RiskState, Rule,
};
use proptest::prelude::*;

// Valid USCCs (GB 32100 + GB 11714 check characters), in increasing order.
const A: &str = "91440300MA5F000181";
const B: &str = "91440300MA5F00026U";
const C: &str = "91440300MA5F00034N";
const D: &str = "91440300MA5F00042H";
const E: &str = "91440300MA5F00050C";
const F: &str = "91440300MA5F000699";
const COMPANIES: [&str; 6] = [A, B, C, D, E, F];

const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;
/// 2026-01-01 10:00 China time.
const T0: u64 = 1_767_196_800_000 + 10 * HOUR;
/// The default ring window.
const WINDOW: u64 = 30 * DAY;

fn issued(seller: &str, buyer: Option<&str>, fen: i64) -> EventKind {
    issued_with(seller, Active, buyer.map(|b| (b, Active)), fen)
}

fn issued_with(
    seller: &str,
    seller_status: TaxpayerStatus,
    buyer: Option<(&str, TaxpayerStatus)>,
    fen: i64,
) -> EventKind {
    EventKind::Issued {
        seller: seller.parse().unwrap(),
        buyer: buyer.map(|(b, _)| b.parse().unwrap()),
        total_with_tax: fen,
        seller_status,
        buyer_status: buyer.map(|(_, s)| s),
    }
}

/// A small invoice between two enterprises (a ring-graph edge).
fn edge(seller: &str, buyer: &str) -> EventKind {
    issued(seller, Some(buyer), 100_000)
}

fn reversed(seller: &str, fen: i64, blue_issued_ms: u64) -> EventKind {
    EventKind::Reversed {
        seller: seller.parse().unwrap(),
        amount: -fen,
        blue_number: "26442000000000000001".parse().unwrap(),
        blue_issued_ms,
    }
}

/// A block: its time and its events.
type Block = (u64, Vec<EventKind>);

/// Blocks numbered from height 1, events numbered with 20-digit invoice numbers.
fn to_events(blocks: &[Block]) -> Vec<(u64, u64, Vec<InvoiceEvent>)> {
    let mut seq = 0u64;
    blocks
        .iter()
        .zip(1u64..)
        .map(|((time, kinds), height)| {
            let events = kinds
                .iter()
                .map(|kind| {
                    seq += 1;
                    InvoiceEvent {
                        height,
                        time_ms: *time,
                        number: format!("264420001{seq:011}").parse().unwrap(),
                        kind: kind.clone(),
                    }
                })
                .collect();
            (height, *time, events)
        })
        .collect()
}

fn run(
    engine: &mut RiskEngine,
    blocks: &[(u64, u64, Vec<InvoiceEvent>)],
    p: &RiskParams,
) -> Vec<Alert> {
    blocks.iter().flat_map(|(h, t, events)| engine.on_block(*h, *t, events, p)).collect()
}

/// One edge per block, one day apart, from `T0`.
fn daily_edges(edges: &[(&str, &str)]) -> Vec<Block> {
    edges.iter().zip(0u64..).map(|((s, b), i)| (T0 + i * DAY, vec![edge(s, b)])).collect()
}

/// `days` days of `fen` issued by A to a person, then `last` on the next day.
fn volume(days: u64, fen: i64, last: &[i64]) -> Vec<Block> {
    let mut blocks: Vec<Block> =
        (0..days).map(|i| (T0 + i * DAY, vec![issued(A, None, fen)])).collect();
    blocks.push((T0 + days * DAY, last.iter().map(|f| issued(A, None, *f)).collect()));
    blocks
}

/// A issues `n_issued` invoices of 1 000.00 at T0, then reverses `n_reversed` of them in full
/// at `T0 + delay`.
fn reversals(n_issued: usize, n_reversed: usize, delay: u64) -> Vec<Block> {
    vec![
        (T0, vec![issued(A, None, 100_000); n_issued]),
        (T0 + delay, vec![reversed(A, 100_000, T0); n_reversed]),
    ]
}

struct Case {
    name: &'static str,
    params: RiskParams,
    blocks: Vec<Block>,
    expect: Vec<(Rule, Vec<&'static str>)>,
}

fn case(name: &'static str, blocks: Vec<Block>, expect: Vec<(Rule, Vec<&'static str>)>) -> Case {
    Case { name, params: RiskParams::default(), blocks, expect }
}

fn cases() -> Vec<Case> {
    use Rule::*;
    let ring = CircularRing;
    vec![
        // ---- circular rings ----
        case("ring of 3", daily_edges(&[(A, B), (B, C), (C, A)]), vec![(ring, vec![A, B, C])]),
        case(
            "ring of 3 closed by its smallest member",
            daily_edges(&[(B, C), (C, A), (A, B)]),
            vec![(ring, vec![A, B, C])],
        ),
        case(
            "ring of 4",
            daily_edges(&[(A, B), (B, C), (C, D), (D, A)]),
            vec![(ring, vec![A, B, C, D])],
        ),
        case(
            "ring of 4 the other way round",
            daily_edges(&[(A, D), (D, C), (C, B), (B, A)]),
            vec![(ring, vec![A, D, C, B])],
        ),
        case("acyclic chain of the same invoices", daily_edges(&[(A, B), (B, C), (C, D)]), vec![]),
        case(
            "acyclic chain with a shortcut in the same direction",
            daily_edges(&[(A, B), (B, C), (C, D), (A, D)]),
            vec![],
        ),
        case(
            "ring whose closing edge comes after the window",
            vec![
                (T0, vec![edge(A, B)]),
                (T0 + DAY, vec![edge(B, C)]),
                (T0 + WINDOW + 1, vec![edge(C, A)]),
            ],
            vec![],
        ),
        case(
            "ring closing exactly at the end of the window",
            vec![
                (T0, vec![edge(A, B)]),
                (T0 + DAY, vec![edge(B, C)]),
                (T0 + WINDOW, vec![edge(C, A)]),
            ],
            vec![(ring, vec![A, B, C])],
        ),
        case(
            "an old edge refreshed by a new invoice keeps the ring in the window",
            vec![
                (T0, vec![edge(A, B)]),
                (T0 + DAY, vec![edge(B, C)]),
                (T0 + 20 * DAY, vec![edge(A, B)]),
                (T0 + WINDOW + 12 * HOUR, vec![edge(C, A)]),
            ],
            vec![(ring, vec![A, B, C])],
        ),
        case(
            "ring within one block",
            vec![(T0, vec![edge(A, B), edge(B, C), edge(C, A)])],
            vec![(ring, vec![A, B, C])],
        ),
        case("2-cycle", daily_edges(&[(A, B), (B, A)]), vec![(ring, vec![A, B])]),
        case(
            "duplicate edges do not re-alert the same ring",
            daily_edges(&[(A, B), (B, C), (C, A), (C, A), (A, B), (B, C), (A, B)]),
            vec![(ring, vec![A, B, C])],
        ),
        case(
            "the same ring formed again in a later window alerts again",
            vec![
                (T0, vec![edge(A, B), edge(B, C), edge(C, A)]),
                (T0 + 40 * DAY, vec![edge(A, B), edge(B, C), edge(C, A)]),
            ],
            vec![(ring, vec![A, B, C]), (ring, vec![A, B, C])],
        ),
        case(
            "one edge closing two rings",
            daily_edges(&[(B, C), (C, A), (B, A), (A, B)]),
            vec![(ring, vec![A, B]), (ring, vec![A, B, C])],
        ),
        case(
            "ring of 5 (the default maximum)",
            daily_edges(&[(A, B), (B, C), (C, D), (D, E), (E, A)]),
            vec![(ring, vec![A, B, C, D, E])],
        ),
        case(
            "ring of 6 is beyond the default maximum",
            daily_edges(&[(A, B), (B, C), (C, D), (D, E), (E, F), (F, A)]),
            vec![],
        ),
        Case {
            params: RiskParams { max_ring_len: 6, ..RiskParams::default() },
            ..case(
                "ring of 6 with max_ring_len 6",
                daily_edges(&[(A, B), (B, C), (C, D), (D, E), (E, F), (F, A)]),
                vec![(ring, vec![A, B, C, D, E, F])],
            )
        },
        Case {
            params: RiskParams { max_ring_expansions: 2, ..RiskParams::default() },
            ..case(
                "search budget of 2 misses a ring of 3",
                daily_edges(&[(A, B), (B, C), (C, A)]),
                vec![],
            )
        },
        Case {
            params: RiskParams { max_ring_expansions: 3, ..RiskParams::default() },
            ..case(
                "search budget of 3 finds a ring of 3",
                daily_edges(&[(A, B), (B, C), (C, A)]),
                vec![(ring, vec![A, B, C])],
            )
        },
        Case {
            params: RiskParams { max_ring_expansions: 2, ..RiskParams::default() },
            ..case(
                "search budget of 2 sees a 2-cycle",
                daily_edges(&[(A, B), (B, A)]),
                vec![(ring, vec![A, B])],
            )
        },
        case(
            "invoices to persons make no edges",
            vec![(T0, vec![edge(A, B), issued(B, None, 100_000), issued(A, None, 100_000)])],
            vec![],
        ),
        case("self-invoicing is no ring", daily_edges(&[(A, A), (A, A)]), vec![]),
        // ---- counterparty status ----
        case(
            "frozen buyer",
            vec![(T0, vec![issued_with(A, Active, Some((B, Frozen)), 100_000)])],
            vec![(FrozenCounterparty, vec![B])],
        ),
        case(
            "frozen seller",
            vec![(T0, vec![issued_with(A, Frozen, Some((B, Active)), 100_000)])],
            vec![(FrozenCounterparty, vec![A])],
        ),
        case(
            "frozen seller to a person",
            vec![(T0, vec![issued_with(A, Frozen, None, 100_000)])],
            vec![(FrozenCounterparty, vec![A])],
        ),
        case(
            "deregistered buyer",
            vec![(T0, vec![issued_with(A, Active, Some((B, Deregistered)), 100_000)])],
            vec![(DeregisteredCounterparty, vec![B])],
        ),
        case(
            "deregistered seller",
            vec![(T0, vec![issued_with(A, Deregistered, Some((B, Active)), 100_000)])],
            vec![(DeregisteredCounterparty, vec![A])],
        ),
        case(
            "frozen seller and deregistered buyer",
            vec![(T0, vec![issued_with(A, Frozen, Some((B, Deregistered)), 100_000)])],
            vec![(FrozenCounterparty, vec![A]), (DeregisteredCounterparty, vec![B])],
        ),
        case(
            "both frozen",
            vec![(T0, vec![issued_with(A, Frozen, Some((B, Frozen)), 100_000)])],
            vec![(FrozenCounterparty, vec![A, B])],
        ),
        case(
            "active parties, unknown buyer status",
            vec![(
                T0,
                vec![
                    issued_with(A, Active, Some((B, Active)), 100_000),
                    EventKind::Issued {
                        seller: A.parse().unwrap(),
                        buyer: Some(C.parse().unwrap()),
                        total_with_tax: 100_000,
                        seller_status: Active,
                        buyer_status: None,
                    },
                ],
            )],
            vec![],
        ),
        // ---- volume jump (default: 500 % of the trailing average and over ¥100 000) ----
        case(
            "volume jump just over 5x the average",
            volume(10, 3_000_000, &[15_000_001]),
            vec![(VolumeJump, vec![A])],
        ),
        case(
            "volume exactly 5x the average: near miss",
            volume(10, 3_000_000, &[15_000_000]),
            vec![],
        ),
        case(
            "volume 10x the average but not over the floor: near miss",
            volume(10, 1_000_000, &[10_000_000]),
            vec![],
        ),
        case(
            "volume 10x the average and just over the floor",
            volume(10, 1_000_000, &[10_000_001]),
            vec![(VolumeJump, vec![A])],
        ),
        case(
            "several invoices crossing the threshold alert once that day",
            volume(10, 3_000_000, &[6_000_000, 6_000_000, 6_000_000, 20_000_000]),
            vec![(VolumeJump, vec![A])],
        ),
        case("too little history for a baseline", volume(3, 1_000_000, &[50_000_000]), vec![]),
        case(
            "a jump on each of two days alerts each day",
            {
                let mut blocks = volume(10, 3_000_000, &[20_000_000]);
                blocks.push((T0 + 11 * DAY, vec![issued(A, None, 40_000_000)]));
                blocks
            },
            vec![(VolumeJump, vec![A]), (VolumeJump, vec![A])],
        ),
        case(
            "the baseline averages quiet days as zero",
            {
                // 30 days of history, active on 10 of them: average 1 000 000 fen/day.
                let mut blocks: Vec<Block> =
                    (0..10).map(|i| (T0 + i * 3 * DAY, vec![issued(A, None, 3_000_000)])).collect();
                blocks.push((T0 + 30 * DAY, vec![issued(A, None, 10_000_001)]));
                blocks
            },
            vec![(VolumeJump, vec![A])],
        ),
        // ---- issue then reverse (default: > 50 % within 72 h, at least 3) ----
        case(
            "6 of 10 reversed within the hour",
            reversals(10, 6, HOUR),
            vec![(IssueThenReverse, vec![A])],
        ),
        case("5 of 10 reversed is exactly 50 %: near miss", reversals(10, 5, HOUR), vec![]),
        case(
            "all reversed alerts once a day",
            reversals(10, 10, HOUR),
            vec![(IssueThenReverse, vec![A])],
        ),
        case(
            "reversed exactly 72 h after issue still counts",
            reversals(10, 6, 72 * HOUR),
            vec![(IssueThenReverse, vec![A])],
        ),
        case("reversed after 72 h: near miss", reversals(10, 10, 72 * HOUR + 1), vec![]),
        case("2 of 2 reversed is below the minimum count", reversals(2, 2, HOUR), vec![]),
        case(
            "3 of 3 reversed reaches the minimum count",
            reversals(3, 3, HOUR),
            vec![(IssueThenReverse, vec![A])],
        ),
    ]
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut engine = RiskEngine::new();
        let alerts = run(&mut engine, &to_events(&case.blocks), &case.params);
        let got: Vec<(Rule, Vec<&str>)> = alerts
            .iter()
            .map(|a| (a.rule, a.subjects.iter().map(String::as_str).collect()))
            .collect();
        if got != case.expect {
            failures.push(format!("{}: expected {:?}, got {:?}", case.name, case.expect, got));
        }
        let mut ids: Vec<&str> = alerts.iter().map(|a| a.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), alerts.len(), "{}: alert ids must be unique", case.name);
    }
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn ring_alert_fields() {
    let blocks = to_events(&daily_edges(&[(B, C), (C, A), (A, D), (A, B)]));
    let alerts = run(&mut RiskEngine::new(), &blocks, &RiskParams::default());
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(alert.rule, Rule::CircularRing);
    assert_eq!((alert.height, alert.time_ms), (4, T0 + 3 * DAY));
    assert_eq!(alert.id, "circular_ring-4-0");
    assert_eq!(alert.subjects, [A, B, C]);
    // A→B is invoice 4, B→C invoice 1, C→A invoice 2.
    assert_eq!(
        alert.numbers,
        ["26442000100000000004", "26442000100000000001", "26442000100000000002"]
    );
    assert!(alert.detail.contains(&format!("{A}>{B}>{C}>{A}")), "{}", alert.detail);
}

#[test]
fn alert_ids_number_the_block() {
    let blocks = to_events(&[(
        T0,
        vec![
            edge(A, B),
            issued_with(B, Active, Some((A, Frozen)), 100_000),
            issued_with(C, Deregistered, None, 100_000),
        ],
    )]);
    let alerts = run(&mut RiskEngine::new(), &blocks, &RiskParams::default());
    let ids: Vec<&str> = alerts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["frozen_counterparty-1-0", "circular_ring-1-1", "deregistered_counterparty-1-2"]
    );
    assert_eq!(alerts[0].numbers, ["26442000100000000002"]);
    let json = serde_json::to_value(&alerts[1]).unwrap();
    assert_eq!(json["rule"], "circular_ring");
}

#[test]
fn reverse_and_jump_alert_fields() {
    let alerts =
        run(&mut RiskEngine::new(), &to_events(&reversals(10, 6, HOUR)), &RiskParams::default());
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].numbers, ["26442000100000000016", "26442000000000000001"]);
    assert_eq!(alerts[0].time_ms, T0 + HOUR);

    let alerts = run(
        &mut RiskEngine::new(),
        &to_events(&volume(10, 3_000_000, &[1, 15_000_000])),
        &RiskParams::default(),
    );
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].numbers, ["26442000100000000012"]);
    assert!(alerts[0].detail.contains("15000001 fen today"), "{}", alerts[0].detail);
}

/// A month of mixed traffic touching every rule.
fn mixed() -> Vec<Block> {
    let mut blocks = Vec::new();
    for day in 0..45u64 {
        let t = T0 + day * DAY;
        let mut events = vec![issued(A, None, 2_000_000), issued(B, Some(C), 500_000)];
        match day % 9 {
            0 => events.push(edge(C, D)),
            3 => events.push(edge(D, B)),
            5 => events.push(issued_with(E, Active, Some((F, Frozen)), 10_000)),
            6 => events.push(issued_with(F, Deregistered, None, 10_000)),
            7 => events.extend([edge(A, B), edge(B, A), edge(C, E), edge(E, C)]),
            _ => {}
        }
        if day % 10 == 9 {
            events.push(issued(A, None, 30_000_000));
        }
        blocks.push((t, events));
        if day % 4 == 1 {
            let reds = vec![reversed(B, 400_000, t - HOUR); 3];
            blocks.push((t + 2 * HOUR, reds));
        }
    }
    blocks
}

#[test]
fn mixed_traffic_raises_every_rule() {
    let alerts = run(&mut RiskEngine::new(), &to_events(&mixed()), &RiskParams::default());
    for rule in Rule::ALL {
        assert!(alerts.iter().any(|a| a.rule == rule), "no {rule} alert");
    }
}

#[test]
fn determinism_same_events_same_alerts_and_state() {
    let blocks = to_events(&mixed());
    let params = RiskParams::default();
    let (mut one, mut two) = (RiskEngine::new(), RiskEngine::new());
    let alerts_one = run(&mut one, &blocks, &params);
    let alerts_two = run(&mut two, &blocks, &params);
    assert!(!alerts_one.is_empty());
    assert_eq!(alerts_one, alerts_two);
    assert_eq!(one.state().to_bytes().unwrap(), two.state().to_bytes().unwrap());
}

#[test]
fn restore_anywhere_continues_identically() {
    let blocks = to_events(&mixed());
    let params = RiskParams::default();
    let mut straight = RiskEngine::new();
    let expected = run(&mut straight, &blocks, &params);
    let final_bytes = straight.state().to_bytes().unwrap();
    for split in [0, 1, 7, blocks.len() / 2, blocks.len() - 1, blocks.len()] {
        let mut first = RiskEngine::new();
        let mut alerts = run(&mut first, &blocks[..split], &params);
        let bytes = first.state().to_bytes().unwrap();
        let mut resumed = RiskEngine::from_bytes(&bytes).unwrap();
        assert_eq!(resumed.state(), first.state());
        alerts.extend(run(&mut resumed, &blocks[split..], &params));
        assert_eq!(alerts, expected, "split at block {split}");
        assert_eq!(resumed.state().to_bytes().unwrap(), final_bytes, "split at block {split}");
    }
}

#[test]
fn state_serde_round_trip() {
    let mut engine = RiskEngine::new();
    run(&mut engine, &to_events(&mixed()), &RiskParams::default());
    let bytes = engine.state().to_bytes().unwrap();
    let decoded = RiskState::from_bytes(&bytes).unwrap();
    assert_eq!(&decoded, engine.state());
    assert_eq!(decoded.to_bytes().unwrap(), bytes);
}

#[test]
fn replayed_block_is_ignored() {
    let blocks = to_events(&daily_edges(&[(A, B), (B, C), (C, A)]));
    let params = RiskParams::default();
    let mut engine = RiskEngine::new();
    assert_eq!(run(&mut engine, &blocks, &params).len(), 1);
    let before = engine.state().clone();
    let (h, t, events) = &blocks[2];
    assert!(engine.on_block(*h, *t, events, &params).is_empty());
    assert!(engine.on_block(h - 1, *t, events, &params).is_empty());
    assert_eq!(engine.state(), &before);
    assert_eq!(engine.state().last_height(), Some(3));
}

#[test]
fn bounded_state_edges_and_rings_pruned_past_the_window() {
    let params = RiskParams::default();
    let mut engine = RiskEngine::new();
    let mut blocks = daily_edges(&[(A, B), (B, C), (C, A), (D, E), (E, F)]);
    blocks.push((T0 + 4 * DAY + WINDOW - 1, vec![]));
    blocks.push((T0 + 4 * DAY + WINDOW + 1, vec![]));
    let blocks = to_events(&blocks);
    run(&mut engine, &blocks[..5], &params);
    assert_eq!(engine.state().edge_count(), 5);
    assert_eq!(engine.state().reported_ring_count(), 1);
    // One millisecond before the last edge expires: only it is left.
    run(&mut engine, &blocks[5..6], &params);
    assert_eq!(engine.state().edge_count(), 1);
    assert_eq!(engine.state().reported_ring_count(), 0);
    run(&mut engine, &blocks[6..], &params);
    assert_eq!(engine.state().edge_count(), 0);
}

#[test]
fn bounded_state_daily_buckets() {
    let params = RiskParams::default();
    let mut engine = RiskEngine::new();
    let blocks: Vec<Block> = (0..200u64)
        .map(|i| (T0 + i * DAY, vec![issued(A, Some(B), 100_000), reversed(A, 1, T0 + i * DAY)]))
        .collect();
    let blocks = to_events(&blocks);
    for (h, t, events) in &blocks {
        engine.on_block(*h, *t, events, &params);
        assert!(engine.state().bucket_count() <= params.trailing_days as usize + 1);
    }
    assert_eq!(engine.state().seller_count(), 1);
    assert_eq!(engine.state().edge_count(), 1);
}

#[test]
fn dense_graph_search_is_capped() {
    // A complete digraph closes a great many short cycles; the search budget bounds the
    // cycles found (and the work) per new edge.
    let ids: Vec<String> = (0..16)
        .map(|i| {
            fapiao_types::Uscc::from_parts('9', '1', "440300", &format!("{i:08}"))
                .unwrap()
                .to_string()
        })
        .collect();
    let mut seq = 0u64;
    let budget = 50;
    let params = RiskParams { max_ring_expansions: budget, ..RiskParams::default() };
    let mut engine = RiskEngine::new();
    let mut total = 0;
    for (s, height) in ids.iter().zip(1u64..) {
        let events: Vec<InvoiceEvent> = ids
            .iter()
            .filter(|b| *b != s)
            .map(|b| {
                seq += 1;
                InvoiceEvent {
                    height,
                    time_ms: T0,
                    number: format!("264420001{seq:011}").parse().unwrap(),
                    kind: edge(s, b),
                }
            })
            .collect();
        let alerts = engine.on_block(height, T0 + height, &events, &params);
        assert!(alerts.len() <= events.len() * budget as usize);
        total += alerts.len();
    }
    assert!(total > 100, "{total}");
    assert_eq!(engine.state().edge_count(), 16 * 15);
}

#[test]
fn china_days_drive_the_daily_rules() {
    // 23:59 and 00:01 China time are different days even though they are 2 minutes apart.
    let midnight = 1_767_196_800_000 + 10 * DAY;
    assert_ne!(china_day(midnight - 60_000), china_day(midnight + 60_000));
    // A jump split across China midnight is two ordinary days, not one big one.
    let mut blocks = volume(10, 3_000_000, &[]);
    blocks.pop();
    let day10 = T0 + 10 * DAY - 10 * HOUR; // China midnight starting day 10
    blocks.push((day10 - 60_000, vec![issued(A, None, 10_000_000)]));
    blocks.push((day10 + 60_000, vec![issued(A, None, 10_000_000)]));
    let alerts = run(&mut RiskEngine::new(), &to_events(&blocks), &RiskParams::default());
    assert!(alerts.is_empty(), "{alerts:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random traffic: restoring from bytes at any block gives the alerts and state of an
    /// uninterrupted run.
    #[test]
    fn restore_is_transparent(
        raw in proptest::collection::vec(
            (0u64..3 * DAY, proptest::collection::vec((0usize..6, 0usize..7, 1i64..20_000_000, 0u8..8), 0..6)),
            1..40,
        ),
        split_at in 0usize..40,
    ) {
        let mut time = T0;
        let blocks: Vec<Block> = raw
            .into_iter()
            .map(|(gap, events)| {
                time += gap;
                let kinds = events
                    .into_iter()
                    .map(|(s, b, fen, k)| match k {
                        0 => reversed(COMPANIES[s], fen, time.saturating_sub(fen as u64 % (4 * DAY))),
                        1 => issued_with(COMPANIES[s], Frozen, None, fen),
                        _ => issued(COMPANIES[s], COMPANIES.get(b).copied(), fen),
                    })
                    .collect();
                (time, kinds)
            })
            .collect();
        let blocks = to_events(&blocks);
        let split = split_at.min(blocks.len());
        let params = RiskParams { jump_min_history_days: 1, ..RiskParams::default() };

        let mut straight = RiskEngine::new();
        let expected = run(&mut straight, &blocks, &params);

        let mut first = RiskEngine::new();
        let mut alerts = run(&mut first, &blocks[..split], &params);
        let mut resumed = RiskEngine::from_bytes(&first.state().to_bytes().unwrap()).unwrap();
        alerts.extend(run(&mut resumed, &blocks[split..], &params));

        prop_assert_eq!(alerts, expected);
        prop_assert_eq!(resumed.state().to_bytes().unwrap(), straight.state().to_bytes().unwrap());
    }
}
