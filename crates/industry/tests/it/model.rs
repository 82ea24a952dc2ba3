//! A model-based property test: random attestations and corrections by random
//! attesters run on the application and on an independent model (a map from (month,
//! metric) to (value, attester, corrections)), which must agree on what succeeds; after
//! every step each month's commitments open exactly to the model's current values.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const SENDERS: [(AccountId, &str, OrgKind); 5] = [
    (PARK, "park-operator", OrgKind::Platform),
    (POWER, "power", OrgKind::Utility),
    (POWER2, "power-2", OrgKind::Utility),
    (SOCIAL, "social-security", OrgKind::SocialSecurity),
    (LOGISTICS, "logistics", OrgKind::Logistics),
];
const MONTHS: [u32; 3] = [202609, 202610, 202612];

#[derive(Clone, Debug)]
enum Op {
    Attest { sender: usize, month: usize, metric: usize, value: u64 },
    Correct { sender: usize, month: usize, metric: usize, value: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..5usize, 0..3usize, 0..3usize, 0..4u64)
            .prop_map(|(sender, month, metric, value)| Op::Attest { sender, month, metric, value }),
        (0..5usize, 0..3usize, 0..3usize, 0..4u64).prop_map(|(sender, month, metric, value)| {
            Op::Correct { sender, month, metric, value }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_application_agrees_with_the_model(ops in prop::collection::vec(op(), 1..40)) {
        let mut c = Chain::new();
        c.send(PARK, act::register(HUAWEI, "华为")).unwrap();
        // (month, metric) -> (value, attesting org, corrections)
        let mut model: BTreeMap<(u32, u8), (u64, &str, usize)> = BTreeMap::new();
        for op in ops {
            let (sender, mi, metric, value, correct) = match op {
                Op::Attest { sender, month, metric, value } => (sender, month, metric, value, false),
                Op::Correct { sender, month, metric, value } => (sender, month, metric, value, true),
            };
            let (account, org, kind) = SENDERS[sender];
            let (m, k) = (MONTHS[mi], Metric::ALL[metric]);
            let slot = (m, k.tag());
            let expect_ok = if correct {
                model.get(&slot).is_some_and(|(v, a, n)| *a == org && *v != value && *n < MAX_CORRECTIONS)
            } else {
                k.attested_by(kind) && m < 202612 && !model.contains_key(&slot)
            };
            let action = if correct {
                act::correct(HUAWEI, m, k, value, "核对")
            } else {
                act::attest(HUAWEI, m, k, value)
            };
            let got = c.send(account, action);
            prop_assert_eq!(got.is_ok(), expect_ok, "{:?}", got);
            if expect_ok {
                let e = model.entry(slot).or_insert((value, org, 0));
                if correct {
                    e.2 += 1;
                }
                e.0 = value;
            }
            for m in MONTHS {
                let commit: Option<OperatingCommit> = c.get(IndustryKey::OperatingCommit(HUAWEI, month(m)));
                let expected: Vec<(Metric, u64)> = Metric::ALL
                    .iter()
                    .filter_map(|k| model.get(&(m, k.tag())).map(|(v, ..)| (*k, *v)))
                    .collect();
                let got: Vec<Metric> = commit.iter().flat_map(|c| c.commitments.iter().map(|x| x.metric)).collect();
                prop_assert_eq!(got, expected.iter().map(|(k, _)| *k).collect::<Vec<_>>());
                for (k, v) in expected {
                    let o = OperatingOpening::new(&SECRET, &HUAWEI, k, month(m), v);
                    let commit = commit.as_ref().unwrap();
                    prop_assert!(o.opens(&HUAWEI, commit.get(k).unwrap()).unwrap());
                }
            }
        }
    }
}
