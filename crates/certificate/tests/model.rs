//! Model-based test: random sequences of collections, exchanges, refunds, settlements and
//! confirmations run against the application and against an independent model — a plain
//! list of what was collected, written here without the application's code — and must
//! agree on every outcome (applied or refused, and with which code) and on the books:
//! what each insurer collected, settled and still owes, every certificate's number and
//! every refund.
#![allow(clippy::inconsistent_digit_grouping)]

use fapiao_certificate::{apply, collect, Ctx, Error};
use fapiao_certificate_types::*;
use fapiao_types::*;
use fapiao_values::{ChinaDate, Vin};
use proptest::prelude::*;

mod support;
use support::{actor, register, Actor, MemState};

/// 2026-03-20 12:00 China time; each step moves a day on.
const START: u64 = 1_773_979_200_000;
const DAY: u64 = 86_400_000;

const VINS: [&str; 4] =
    ["LFV2A215H3012345", "LGXCE4CB2P012345", "LSGPC54U9FF45678", "WDDUG8GB5LA78901"];
/// Sizes (ml) with their annual tax under the default schedule, written out here.
const CARS: [(u32, i64); 4] = [(998, 60_00), (1498, 360_00), (2384, 720_00), (4395, 4500_00)];

fn vin(i: usize) -> Vin {
    support::vin(VINS[i])
}

#[derive(Clone, Debug)]
enum Op {
    /// Insurer `insurer` (0 or 1) collects vehicle `v`'s tax for 2026 or 2027.
    Collect { v: usize, insurer: usize, next_year: bool },
    /// Owner (or, when `stranger`, someone else) exchanges the `c`-th collection.
    Exchange { c: usize, stranger: bool },
    /// Insurer `insurer` records a theft of the `c`-th collection's vehicle today.
    Refund { c: usize, insurer: usize },
    /// Insurer `insurer` settles the collections and refunds picked by `mask`.
    Settle { insurer: usize, mask: u8, refunds: u8 },
    /// The bureau confirms the `s`-th settlement.
    Confirm { s: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize, 0..2usize, any::<bool>())
            .prop_map(|(v, insurer, next_year)| Op::Collect { v, insurer, next_year }),
        2 => (0..8usize, any::<bool>()).prop_map(|(c, stranger)| Op::Exchange { c, stranger }),
        1 => (0..8usize, 0..2usize).prop_map(|(c, insurer)| Op::Refund { c, insurer }),
        1 => (0..2usize, any::<u8>(), any::<u8>())
            .prop_map(|(insurer, mask, refunds)| Op::Settle { insurer, mask, refunds }),
        1 => (0..4usize).prop_map(|s| Op::Confirm { s }),
    ]
}

/// What the model keeps of one collection.
#[derive(Clone, Debug)]
struct Collected {
    id: Hash32,
    vehicle: usize,
    year: u16,
    insurer: usize,
    total: i64,
    collected_day: u64,
    certificate: Option<u64>,
    settled: bool,
    refund: Option<(i64, bool)>,
}

#[derive(Default)]
struct Model {
    collections: Vec<Collected>,
    certificates: u64,
    settlements: Vec<(Hash32, bool)>,
}

/// Months from `month` (1–12) to December, as the model counts them.
fn months_left(month: u32) -> i64 {
    13 - i64::from(month)
}

fn run(ops: Vec<Op>) {
    let insurers = [
        actor(1, "pingan", OrgKind::Insurer, vec![Role::InsurerCollector]),
        actor(2, "picc", OrgKind::Insurer, vec![Role::InsurerCollector]),
    ];
    let owner = actor(3, "wallets", OrgKind::Platform, vec![Role::Consumer]);
    let stranger = actor(4, "wallets", OrgKind::Platform, vec![Role::Consumer]);
    let officer = actor(5, "sz-tax", OrgKind::TaxAuthority, vec![Role::TaxOfficer]);
    let mut state = MemState::default();
    register(&mut state, &[&insurers[0], &insurers[1], &owner, &stranger, &officer]);
    let mut model = Model::default();
    for (step, op) in ops.into_iter().enumerate() {
        let day = step as u64;
        let time_ms = START + day * DAY;
        let today = ChinaDate::from_unix_ms(time_ms);
        let tx_hash = sha256(&(step as u64).to_be_bytes());
        let exec = |state: &mut MemState, who: &Actor, action: CertificateAction| {
            let ctx = Ctx {
                height: day + 1,
                time_ms,
                tx_hash,
                sender: who.id,
                account: &who.account,
                org: &who.org,
                chain_id: "fapiao-test",
                secret: None,
            };
            let before = state.clone();
            let r = apply(state, &action, &ctx);
            if r.is_err() {
                *state = before;
            }
            r.map_err(|e| match e {
                Error::Rejected { code, .. } => code.to_string(),
                other => panic!("fatal: {other:?}"),
            })
        };
        match op {
            Op::Collect { v, insurer, next_year } => {
                let year = if next_year { 2027 } else { 2026 };
                let mut c = RecordCollection {
                    policy_no: format!("P{step}"),
                    plate: "粤B12345".into(),
                    vin: vin(v),
                    class: VehicleClass::Passenger,
                    size: CARS[v].0,
                    energy: Energy::Conventional,
                    acquired: ChinaDate::parse("2020-01-01").unwrap(),
                    owner: owner.id,
                    owner_name: "李伟".into(),
                    owner_id_masked: "440305********1234".into(),
                    owner_id_commitment: [0; 32],
                    tax_year: year,
                    back_years: vec![],
                    relief: Relief::None,
                    lines: vec![],
                    total: 0,
                };
                c.lines = collect::expected_lines(&state, &c, today).unwrap();
                c.total = c.lines.iter().map(|l| l.tax + l.late_fee).sum();
                // The model: a full year of the car's annual tax, no late fee (collected
                // within 2026 for 2026 or 2027).
                assert_eq!(c.total, CARS[v].1, "the annual tax of car {v}");
                let taken = model.collections.iter().any(|m| m.vehicle == v && m.year == year);
                let got =
                    exec(&mut state, &insurers[insurer], CertificateAction::RecordCollection(c));
                if taken {
                    assert_eq!(got, Err("certificate.already_collected".into()));
                } else {
                    assert_eq!(got, Ok(TxOutput::Record(tx_hash)));
                    model.collections.push(Collected {
                        id: tx_hash,
                        vehicle: v,
                        year,
                        insurer,
                        total: CARS[v].1,
                        collected_day: day,
                        certificate: None,
                        settled: false,
                        refund: None,
                    });
                }
            }
            Op::Exchange { c, stranger: by_stranger } => {
                let Some(m) = model.collections.get_mut(c) else { continue };
                let who = if by_stranger { &stranger } else { &owner };
                let got = exec(
                    &mut state,
                    who,
                    CertificateAction::ExchangeCertificate(CollectionRef { collection: m.id }),
                );
                if by_stranger {
                    assert_eq!(got, Err("certificate.not_owner".into()));
                } else if m.certificate.is_some() {
                    assert_eq!(got, Err("certificate.already_exchanged".into()));
                } else {
                    model.certificates += 1;
                    let number = 2026_0000_0000 + model.certificates;
                    assert_eq!(got, Ok(TxOutput::Serial(number)));
                    m.certificate = Some(number);
                }
            }
            Op::Refund { c, insurer } => {
                let Some(m) = model.collections.get_mut(c) else { continue };
                let month = today.month().month_of_year();
                // A theft in 2026 refunds a 2026 collection only (a 2027 one is refused
                // for its date), made after the collection.
                let amount = CARS[m.vehicle].1 * months_left(month) / 12;
                let r = RecordRefund {
                    collection: m.id,
                    event: RefundEvent::Stolen,
                    event_date: today,
                    months: months_left(month) as u8,
                    amount,
                };
                let got = exec(&mut state, &insurers[insurer], CertificateAction::RecordRefund(r));
                if insurer != m.insurer {
                    assert_eq!(got, Err("certificate.not_collecting_insurer".into()));
                } else if m.refund.is_some() {
                    assert_eq!(got, Err("certificate.already_refunded".into()));
                } else if m.year != 2026 || today.year() != 2026 || day < m.collected_day {
                    assert_eq!(got, Err("certificate.bad_event_date".into()));
                } else {
                    assert_eq!(got, Ok(TxOutput::None), "refund of {m:?}");
                    m.refund = Some((amount, false));
                }
            }
            Op::Settle { insurer, mask, refunds } => {
                let picked: Vec<usize> =
                    (0..model.collections.len().min(8)).filter(|i| mask & (1 << i) != 0).collect();
                let refunded: Vec<usize> = (0..model.collections.len().min(8))
                    .filter(|i| refunds & (1 << i) != 0)
                    .collect();
                let collected: i64 = picked.iter().map(|i| model.collections[*i].total).sum();
                let refunded_sum: i64 = refunded
                    .iter()
                    .map(|i| model.collections[*i].refund.map_or(0, |(a, _)| a))
                    .sum();
                let s = SubmitSettlement {
                    collections: picked.iter().map(|i| model.collections[*i].id).collect(),
                    refunds: refunded.iter().map(|i| model.collections[*i].id).collect(),
                    collected,
                    refunded: refunded_sum,
                    net: collected - refunded_sum,
                };
                let got =
                    exec(&mut state, &insurers[insurer], CertificateAction::SubmitSettlement(s));
                let expect = if picked.is_empty() && refunded.is_empty() {
                    Err("certificate.empty_settlement")
                } else if let Some(i) = picked.iter().find(|i| {
                    let m = &model.collections[**i];
                    m.insurer != insurer || m.settled
                }) {
                    let m = &model.collections[*i];
                    Err(if m.insurer != insurer {
                        "certificate.not_collecting_insurer"
                    } else {
                        "certificate.already_settled"
                    })
                } else if let Some(i) = refunded.iter().find(|i| {
                    let m = &model.collections[**i];
                    m.insurer != insurer || m.refund.is_none_or(|(_, settled)| settled)
                }) {
                    let m = &model.collections[*i];
                    Err(if m.insurer != insurer {
                        "certificate.not_collecting_insurer"
                    } else if m.refund.is_none() {
                        "certificate.no_refund"
                    } else {
                        "certificate.already_settled"
                    })
                } else {
                    Ok(())
                };
                match expect {
                    Err(code) => assert_eq!(got, Err(code.into())),
                    Ok(()) => {
                        assert_eq!(got, Ok(TxOutput::Record(tx_hash)));
                        for i in &picked {
                            model.collections[*i].settled = true;
                        }
                        for i in &refunded {
                            if let Some((_, settled)) = model.collections[*i].refund.as_mut() {
                                *settled = true;
                            }
                        }
                        model.settlements.push((tx_hash, false));
                    }
                }
            }
            Op::Confirm { s } => {
                let Some((id, confirmed)) = model.settlements.get_mut(s) else { continue };
                let got = exec(
                    &mut state,
                    &officer,
                    CertificateAction::ConfirmSettlement(SettlementRef { settlement: *id }),
                );
                if *confirmed {
                    assert_eq!(got, Err("certificate.already_confirmed".into()));
                } else {
                    assert_eq!(got, Ok(TxOutput::None));
                    *confirmed = true;
                }
            }
        }
    }
    // The books: every collection as the model has it.
    for m in &model.collections {
        let key = CertificateKey::Collection(m.id).to_string();
        let r: CollectionRecord = decode_exact(&state.0[&key], &()).unwrap();
        assert_eq!(r.collection.total, m.total);
        assert_eq!(r.insurer, ["pingan", "picc"][m.insurer]);
        assert_eq!(r.certificate, m.certificate);
        assert_eq!(r.settlement.is_some(), m.settled);
        assert_eq!(r.refund.as_ref().map(|x| (x.amount, x.settlement.is_some())), m.refund);
        if let Some(n) = m.certificate {
            let p: CertificatePublic =
                decode_exact(&state.0[&CertificateKey::Certificate(n).to_string()], &()).unwrap();
            assert_eq!(p.refunded, m.refund.map_or(0, |(a, _)| a));
            assert_eq!(p.collection, m.id);
        }
    }
    // Per insurer: collected = settled + outstanding, from the settlement records.
    for (i, org) in ["pingan", "picc"].iter().enumerate() {
        let collected: i64 =
            model.collections.iter().filter(|m| m.insurer == i).map(|m| m.total).sum();
        let settled: i64 = model
            .settlements
            .iter()
            .filter_map(|(id, _)| {
                let key = CertificateKey::Settlement(*id).to_string();
                let s: SettlementRecord = decode_exact(&state.0[&key], &()).unwrap();
                (s.insurer == *org).then_some(s.collected)
            })
            .sum();
        let outstanding: i64 = model
            .collections
            .iter()
            .filter(|m| m.insurer == i && !m.settled)
            .map(|m| m.total)
            .sum();
        assert_eq!(collected, settled + outstanding, "{org}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_application_agrees_with_the_model(ops in proptest::collection::vec(op(), 1..60)) {
        run(ops);
    }
}
