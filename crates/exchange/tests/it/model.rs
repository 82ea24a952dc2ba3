//! A property test: random watch entries, withdrawals, queries and case closings of
//! four departments on three tags, against a small independent model of which
//! entries are live and which (tag, pair) alerts are open.

use crate::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const DEPTS: [(&str, AccountId); 4] =
    [(TAX, TAX_OFFICER), (POLICE, POLICE_OFFICER), (CUSTOMS, CUSTOMS_OFFICER), (PBC, PBC_OFFICER)];

#[derive(Clone, Debug)]
enum Op {
    Watch(usize, u8),
    Unwatch(usize, u8),
    Query(usize, u8),
    Close(usize, usize, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..3u8).prop_map(|(d, t)| Op::Watch(d, t)),
        (0..4usize, 0..3u8).prop_map(|(d, t)| Op::Unwatch(d, t)),
        (0..4usize, 0..3u8).prop_map(|(d, t)| Op::Query(d, t)),
        (0..4usize, 0..4usize, 0..3u8).prop_map(|(a, b, t)| Op::Close(a, b, t)),
    ]
}

#[derive(Default)]
struct Model {
    live: BTreeSet<(u8, &'static str)>,
    /// (tag, a, b) → (alert id, matches).
    open: BTreeMap<(u8, &'static str, &'static str), (Hash32, u32)>,
    raised: usize,
}

impl Model {
    /// The alerts `dept` mentioning `tag` in transaction `tx` touches, in order.
    fn compare(&mut self, tag: u8, dept: &'static str, tx: &Hash32) -> Vec<Hash32> {
        let others: Vec<&str> =
            self.live.iter().filter(|(t, d)| *t == tag && *d != dept).map(|(_, d)| *d).collect();
        let mut n = 0u16;
        let mut touched = Vec::new();
        for other in others {
            let (a, b) = if other < dept { (other, dept) } else { (dept, other) };
            let entry = self.open.entry((tag, a, b)).or_insert_with(|| {
                let id = alert_id(tx, n);
                n += 1;
                (id, 0)
            });
            entry.1 += 1;
            touched.push(entry.0);
        }
        self.raised += usize::from(n);
        touched
    }
}

fn setup() -> Chain {
    let mut c = Chain::ready();
    c.ok(
        EDU_OFFICER,
        act::catalogue(&[("education.register", &[TAX, POLICE, CUSTOMS, PBC], false)]),
    );
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn alerts_follow_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let mut c = setup();
        let mut m = Model::default();
        for op in ops {
            match op {
                Op::Watch(d, t) => {
                    let (dept, who) = DEPTS[d];
                    let r = c.send(who, act::watch(t, WatchCategory::Other));
                    if m.live.contains(&(t, dept)) {
                        prop_assert_eq!(r, Err(("exchange.already_watching", "tag".to_string())));
                    } else {
                        let touched = m.compare(t, dept, &c.last_tx);
                        m.live.insert((t, dept));
                        let want = touched.first().map_or(TxOutput::None, |id| TxOutput::Record(*id));
                        prop_assert_eq!(r, Ok(want));
                    }
                }
                Op::Unwatch(d, t) => {
                    let (dept, who) = DEPTS[d];
                    let r = c.send(who, act::unwatch(t));
                    if m.live.remove(&(t, dept)) {
                        prop_assert_eq!(r, Ok(TxOutput::None));
                    } else {
                        prop_assert_eq!(r, Err(("exchange.not_watching", "tag".to_string())));
                    }
                }
                Op::Query(d, t) => {
                    let (dept, who) = DEPTS[d];
                    let mut q = act::vehicle(t);
                    q.to = EDU.into();
                    q.item = item("education.register");
                    let r = c.send(who, ExchangeAction::Query(q));
                    prop_assert_eq!(r, Ok(TxOutput::Record(c.last_tx)));
                    m.compare(t, dept, &c.last_tx);
                }
                Op::Close(a, b, t) => {
                    let (x, y) = (DEPTS[a].0, DEPTS[b].0);
                    let key = if x < y { (t, x, y) } else { (t, y, x) };
                    let Some((id, _)) = m.open.get(&key).copied() else { continue };
                    let close = ExchangeAction::CloseCase(CloseCase {
                        case: id,
                        outcome: CaseOutcome::Cleared,
                        summary: [0; 32],
                    });
                    prop_assert_eq!(c.send(DEPTS[a].1, close), Ok(TxOutput::None));
                    m.open.remove(&key);
                }
            }
            for ((tag, a, b), (id, matches)) in &m.open {
                let alert = c.alert(*id);
                prop_assert_eq!(alert.status, CaseStatus::Open);
                prop_assert_eq!(alert.matches, *matches);
                prop_assert_eq!(alert.tag, [*tag; 32]);
                prop_assert_eq!(alert.departments.clone(), vec![a.to_string(), b.to_string()]);
            }
        }
        let on_chain = c.state.0.keys().filter(|k| k.starts_with("exchange-alert/")).count();
        prop_assert_eq!(on_chain, m.raised);
    }
}
