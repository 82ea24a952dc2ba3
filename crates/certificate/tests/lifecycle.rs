//! The tax-certificate lifecycle, table-driven: collections (every refusal with its code
//! and field), exchange, refunds and settlement, against an in-memory state.
//!
//! Amounts are fen written `yuan_fen`.
#![allow(clippy::inconsistent_digit_grouping)]

use fapiao_certificate::{apply, collect, Ctx, Error};
use fapiao_certificate_types::*;
use fapiao_types::*;
use fapiao_values::ChinaDate;

mod support;
use support::{actor, register, vin, Actor, MemState};

/// 2026-03-20 12:00 China time.
const MARCH_20: u64 = 1_773_979_200_000;
/// 2026-06-15 12:00 China time.
const JUNE_15: u64 = 1_781_496_000_000;
/// 2026-01-10 12:00 China time.
const JAN_10: u64 = 1_768_017_600_000;

struct World {
    state: MemState,
    insurer: Actor,
    other_insurer: Actor,
    owner: Actor,
    stranger: Actor,
    officer: Actor,
    time_ms: u64,
    nonce: u8,
}

impl World {
    fn new() -> World {
        let w = World {
            state: MemState::default(),
            insurer: actor(1, "pingan", OrgKind::Insurer, vec![Role::InsurerCollector]),
            other_insurer: actor(2, "picc", OrgKind::Insurer, vec![Role::InsurerCollector]),
            owner: actor(3, "platform", OrgKind::Platform, vec![Role::Consumer]),
            stranger: actor(4, "platform", OrgKind::Platform, vec![Role::Consumer]),
            officer: actor(5, "sz-tax", OrgKind::TaxAuthority, vec![Role::TaxOfficer]),
            time_ms: MARCH_20,
            nonce: 0,
        };
        let mut w = w;
        let actors = [&w.insurer, &w.other_insurer, &w.owner, &w.stranger, &w.officer];
        register(&mut w.state, &actors);
        w
    }

    /// Applies `action` as `who`; on a refusal the state is unchanged (the ledger discards
    /// the writes; here the state is restored).
    fn run(
        &mut self,
        who: &str,
        action: CertificateAction,
    ) -> std::result::Result<TxOutput, Error> {
        self.nonce += 1;
        let a = match who {
            "insurer" => &self.insurer,
            "other_insurer" => &self.other_insurer,
            "owner" => &self.owner,
            "stranger" => &self.stranger,
            _ => &self.officer,
        };
        let ctx = Ctx {
            height: u64::from(self.nonce),
            time_ms: self.time_ms,
            tx_hash: [self.nonce; 32],
            sender: a.id,
            account: &a.account,
            org: &a.org,
            chain_id: "fapiao-test",
            secret: None,
        };
        let before = self.state.clone();
        let r = apply(&mut self.state, &action, &ctx);
        if r.is_err() {
            self.state = before;
        }
        r
    }

    fn collection(&self, id: &Hash32) -> CollectionRecord {
        let bytes = &self.state.0[&CertificateKey::Collection(*id).to_string()];
        decode_exact(bytes, &()).unwrap()
    }

    fn certificate(&self, n: u64) -> CertificatePublic {
        let bytes = &self.state.0[&CertificateKey::Certificate(n).to_string()];
        decode_exact(bytes, &()).unwrap()
    }
}

/// A 1.6 L petrol car acquired in 2024, its 2026 tax collected with nothing owed before:
/// 360.00, no late fee.
fn petrol(w: &World) -> RecordCollection {
    let mut c = RecordCollection {
        policy_no: "PDZA202644030000001".into(),
        plate: "粤B12345".into(),
        vin: vin("LSVAU218N2123456"),
        class: VehicleClass::Passenger,
        size: 1598,
        energy: Energy::Conventional,
        acquired: ChinaDate::parse("2024-05-06").unwrap(),
        owner: w.owner.id,
        owner_name: "李伟".into(),
        owner_id_masked: "440305********1234".into(),
        owner_id_commitment: sha256(b"salt|440305199001011234"),
        tax_year: 2026,
        back_years: vec![],
        relief: Relief::None,
        lines: vec![],
        total: 0,
    };
    fill(w, &mut c);
    c
}

/// Fills the lines and total as the chain computes them today.
fn fill(w: &World, c: &mut RecordCollection) {
    let today = ChinaDate::from_unix_ms(w.time_ms);
    c.lines = collect::expected_lines(&w.state, c, today).unwrap();
    c.total = c.lines.iter().map(|l| l.tax + l.late_fee).sum();
}

fn refused(r: std::result::Result<TxOutput, Error>) -> (String, String) {
    match r {
        Err(Error::Rejected { code, field, .. }) => (code.to_string(), field),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn record(w: &mut World, c: RecordCollection) -> Hash32 {
    match w.run("insurer", CertificateAction::RecordCollection(c)) {
        Ok(TxOutput::Record(id)) => id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_collection_is_recorded_with_its_recomputed_lines() {
    let mut w = World::new();
    let c = petrol(&w);
    assert_eq!(c.lines.len(), 1);
    assert_eq!((c.lines[0].tax, c.lines[0].late_fee, c.total), (360_00, 0, 360_00));
    let id = record(&mut w, c.clone());
    let stored = w.collection(&id);
    assert_eq!(stored.collection, c);
    assert_eq!(stored.insurer, "pingan");
    assert_eq!(stored.collected_on.to_string(), "2026-03-20");
    assert_eq!((stored.certificate, stored.settlement, stored.refund), (None, None, None));
}

/// A late payer: 2024 and 2025 unpaid, collected with 2026 on 2026-01-10.
#[test]
fn back_taxes_carry_their_own_late_fees() {
    let mut w = World::new();
    w.time_ms = JAN_10;
    let mut c = petrol(&w);
    c.back_years = vec![2024, 2025];
    fill(&w, &mut c);
    // 2024: acquired 2024-05-06, May–December = 8 months, 360 × 8 ÷ 12 = 240.00; late
    // 2025-01-01 … 2026-01-10 = 375 days: 24,000 × 0.0005 × 375 = 4,500 fen.
    // 2025: 360.00, 10 days: 180 fen. 2026: 360.00, on time.
    let got: Vec<(u16, u8, i64, u32, i64)> =
        c.lines.iter().map(|l| (l.year, l.months, l.tax, l.late_days, l.late_fee)).collect();
    assert_eq!(
        got,
        [(2024, 8, 240_00, 375, 45_00), (2025, 12, 360_00, 10, 1_80), (2026, 12, 360_00, 0, 0)]
    );
    assert_eq!(c.total, 240_00 + 45_00 + 360_00 + 1_80 + 360_00);
    let id = record(&mut w, c.clone());
    // Every year is now taken for this VIN.
    let mut again = c;
    again.back_years = vec![2025];
    again.policy_no = "PDZA202644030000002".into();
    fill(&w, &mut again);
    assert_eq!(
        refused(w.run("insurer", CertificateAction::RecordCollection(again))),
        ("certificate.already_collected".into(), "back_years[0]".into())
    );
    assert!(w.collection(&id).collection.lines.len() == 3);
}

#[test]
fn every_collection_refusal_names_its_code_and_field() {
    type Case = (&'static str, fn(&mut RecordCollection, &World), &'static str, &'static str);
    let cases: &[Case] = &[
        ("empty policy", |c, _| c.policy_no.clear(), "certificate.bad_policy_no", "policy_no"),
        ("plate with O", |c, _| c.plate = "粤B1234O".into(), "certificate.bad_plate", "plate"),
        (
            "plate without province",
            |c, _| c.plate = "AB12345".into(),
            "certificate.bad_plate",
            "plate",
        ),
        ("zero displacement", |c, _| c.size = 0, "certificate.bad_size", "size"),
        ("blank owner", |c, _| c.owner_name = " ".into(), "certificate.bad_owner", "owner_name"),
        (
            "unmasked ID",
            |c, _| c.owner_id_masked = "440305199001011234".into(),
            "certificate.bad_owner",
            "owner_id_masked",
        ),
        (
            "unknown owner",
            |c, _| c.owner = AccountId([99; 32]),
            "certificate.unknown_owner",
            "owner",
        ),
        ("tax year 2028", |c, _| c.tax_year = 2028, "certificate.bad_tax_year", "tax_year"),
        (
            "back years descending",
            |c, _| c.back_years = vec![2025, 2024],
            "certificate.bad_back_years",
            "back_years",
        ),
        (
            "back year before acquisition",
            |c, _| c.back_years = vec![2023],
            "certificate.before_acquisition",
            "back_years[0]",
        ),
        (
            "relief claimed",
            |c, _| c.relief = Relief::EnergySavingHalf,
            "certificate.relief_mismatch",
            "relief",
        ),
        ("a fen less tax", |c, _| c.lines[0].tax -= 1, "certificate.line_mismatch", "lines[0].tax"),
        ("months", |c, _| c.lines[0].months = 11, "certificate.line_mismatch", "lines[0].months"),
        ("no lines", |c, _| c.lines.clear(), "certificate.line_mismatch", "lines"),
        ("total", |c, _| c.total += 1, "certificate.total_mismatch", "total"),
    ];
    for (name, mutate, code, field) in cases {
        let mut w = World::new();
        let mut c = petrol(&w);
        mutate(&mut c, &w);
        let before = w.state.clone();
        let got = refused(w.run("insurer", CertificateAction::RecordCollection(c)));
        assert_eq!(got, (code.to_string(), field.to_string()), "{name}");
        assert_eq!(w.state, before, "{name}: a refusal changes nothing");
    }
}

#[test]
fn one_collection_per_vehicle_and_year() {
    let mut w = World::new();
    let c = petrol(&w);
    record(&mut w, c);
    // The same car at another insurer, same year.
    let c = petrol(&w);
    assert_eq!(
        refused(w.run("other_insurer", CertificateAction::RecordCollection(c))),
        ("certificate.already_collected".into(), "tax_year".into())
    );
    // Next year's is another collection.
    let mut next = petrol(&w);
    next.tax_year = 2027;
    fill(&w, &mut next);
    record(&mut w, next);
}

#[test]
fn exemptions_are_recorded_at_zero_and_cannot_be_refunded() {
    let mut w = World::new();
    let mut ev = petrol(&w);
    ev.vin = vin("LGXCE4CB0R0123456".get(..16).unwrap());
    ev.plate = "粤BD12345".into();
    ev.size = 0;
    ev.energy = Energy::PureElectric;
    ev.relief = Relief::NotTaxable;
    fill(&w, &mut ev);
    assert_eq!(ev.total, 0);
    let id = record(&mut w, ev);
    w.time_ms = JUNE_15;
    let r = RecordRefund {
        collection: id,
        event: RefundEvent::Stolen,
        event_date: ChinaDate::parse("2026-06-01").unwrap(),
        months: 7,
        amount: 0,
    };
    assert_eq!(
        refused(w.run("insurer", CertificateAction::RecordRefund(r))),
        ("certificate.nothing_to_refund".into(), "collection".into())
    );
}

#[test]
fn the_owner_exchanges_once_for_a_numbered_certificate() {
    let mut w = World::new();
    let c = petrol(&w);
    let id = record(&mut w, c);
    let exchange = CertificateAction::ExchangeCertificate(CollectionRef { collection: id });
    assert_eq!(
        refused(w.run("stranger", exchange.clone())),
        ("certificate.not_owner".into(), "sender".into())
    );
    assert_eq!(w.run("owner", exchange.clone()), Ok(TxOutput::Serial(2026_0000_0001)));
    assert_eq!(
        refused(w.run("owner", exchange)),
        ("certificate.already_exchanged".into(), "collection".into())
    );
    let cert = w.certificate(2026_0000_0001);
    assert_eq!(cert.owner_masked, "李* 440305********1234");
    assert_eq!((cert.tax_year, cert.total, cert.status), (2026, 360_00, CertificateStatus::Valid));
    assert_eq!(cert.plate_tag, plate_tag(2026_0000_0001, "粤B12345"));
    assert_ne!(cert.plate_tag, plate_tag(2026_0000_0001, "粤B12346"));
    assert_eq!(w.collection(&id).certificate, Some(2026_0000_0001));
    // The next certificate of the year takes the next serial.
    let mut other = petrol(&w);
    other.vin = vin("LFV2A21K7G312345");
    other.plate = "粤B54321".into();
    fill(&w, &mut other);
    let id2 = record(&mut w, other);
    let ex2 = CertificateAction::ExchangeCertificate(CollectionRef { collection: id2 });
    assert_eq!(w.run("owner", ex2), Ok(TxOutput::Serial(2026_0000_0002)));
    let unknown = CertificateAction::ExchangeCertificate(CollectionRef { collection: [7; 32] });
    assert_eq!(
        refused(w.run("owner", unknown)),
        ("certificate.unknown_collection".into(), "collection".into())
    );
}

#[test]
fn a_theft_refunds_the_rest_of_the_year_and_the_certificate_shows_it() {
    let mut w = World::new();
    let c = petrol(&w);
    let id = record(&mut w, c);
    w.run("owner", CertificateAction::ExchangeCertificate(CollectionRef { collection: id }))
        .unwrap();
    w.time_ms = JUNE_15;
    let good = RecordRefund {
        collection: id,
        event: RefundEvent::Stolen,
        event_date: ChinaDate::parse("2026-06-03").unwrap(),
        // June–December: 360 × 7 ÷ 12 = 210.00.
        months: 7,
        amount: 210_00,
    };
    type Case = (&'static str, &'static str, fn(&mut RecordRefund), &'static str, &'static str);
    let cases: &[Case] = &[
        (
            "other_insurer",
            "other insurer",
            |_| {},
            "certificate.not_collecting_insurer",
            "collection",
        ),
        ("insurer", "wrong amount", |r| r.amount = 209_99, "certificate.refund_mismatch", "amount"),
        ("insurer", "wrong months", |r| r.months = 6, "certificate.refund_mismatch", "months"),
        (
            "insurer",
            "before the collection",
            |r| r.event_date = ChinaDate::parse("2026-03-01").unwrap(),
            "certificate.bad_event_date",
            "event_date",
        ),
        (
            "insurer",
            "in the future",
            |r| r.event_date = ChinaDate::parse("2026-07-01").unwrap(),
            "certificate.bad_event_date",
            "event_date",
        ),
    ];
    for (who, name, mutate, code, field) in cases {
        let mut r = good.clone();
        mutate(&mut r);
        let got = refused(w.run(who, CertificateAction::RecordRefund(r)));
        assert_eq!(got, (code.to_string(), field.to_string()), "{name}");
    }
    assert_eq!(w.run("insurer", CertificateAction::RecordRefund(good.clone())), Ok(TxOutput::None));
    let cert = w.certificate(2026_0000_0001);
    assert_eq!((cert.status, cert.refunded), (CertificateStatus::Refunded, 210_00));
    assert_eq!(w.collection(&id).refund.unwrap().amount, 210_00);
    assert_eq!(
        refused(w.run("insurer", CertificateAction::RecordRefund(good))),
        ("certificate.already_refunded".into(), "collection".into())
    );
}

#[test]
fn settlement_reconciles_to_the_fen_and_settles_each_item_once() {
    let mut w = World::new();
    let c = petrol(&w);
    let a = record(&mut w, c);
    let mut second = petrol(&w);
    second.vin = vin("LFV2A21K7G312345");
    second.size = 2498; // 720.00
    fill(&w, &mut second);
    let b = record(&mut w, second);
    let mut theirs = petrol(&w);
    theirs.vin = vin("LVSHCAMB1CE12345");
    fill(&w, &mut theirs);
    let foreign = match w.run("other_insurer", CertificateAction::RecordCollection(theirs)) {
        Ok(TxOutput::Record(id)) => id,
        other => panic!("{other:?}"),
    };
    let batch = |collections: Vec<Hash32>, refunds: Vec<Hash32>, collected, refunded| {
        CertificateAction::SubmitSettlement(SubmitSettlement {
            collections,
            refunds,
            collected,
            refunded,
            net: collected - refunded,
        })
    };
    type Case = (&'static str, CertificateAction, &'static str, &'static str);
    let cases: Vec<Case> = vec![
        ("empty", batch(vec![], vec![], 0, 0), "certificate.empty_settlement", "collections"),
        (
            "twice",
            batch(vec![a, a], vec![], 720_00, 0),
            "certificate.duplicate_item",
            "collections[1]",
        ),
        (
            "a fen short",
            batch(vec![a, b], vec![], 1079_99, 0),
            "certificate.settlement_mismatch",
            "collected",
        ),
        (
            "another insurer's",
            batch(vec![a, foreign], vec![], 720_00, 0),
            "certificate.not_collecting_insurer",
            "collections[1]",
        ),
        (
            "unknown",
            batch(vec![[9; 32]], vec![], 0, 0),
            "certificate.unknown_collection",
            "collections[0]",
        ),
        ("no refund", batch(vec![], vec![a], 0, 0), "certificate.no_refund", "refunds[0]"),
    ];
    for (name, action, code, field) in cases {
        let got = refused(w.run("insurer", action));
        assert_eq!(got, (code.to_string(), field.to_string()), "{name}");
    }
    let ok = w.run("insurer", batch(vec![a, b], vec![], 1080_00, 0)).unwrap();
    let TxOutput::Record(batch_id) = ok else { panic!("{ok:?}") };
    assert_eq!(w.collection(&a).settlement, Some(batch_id));
    assert_eq!(
        refused(w.run("insurer", batch(vec![b], vec![], 720_00, 0))),
        ("certificate.already_settled".into(), "collections[0]".into())
    );
    // A refund after settlement goes into the next batch, netted (a negative net: the
    // bureau owes the insurer).
    w.time_ms = JUNE_15;
    w.run(
        "insurer",
        CertificateAction::RecordRefund(RecordRefund {
            collection: a,
            event: RefundEvent::Scrapped,
            event_date: ChinaDate::parse("2026-06-15").unwrap(),
            months: 7,
            amount: 210_00,
        }),
    )
    .unwrap();
    w.run("insurer", batch(vec![], vec![a], 0, 210_00)).unwrap();
    let confirm = |id| CertificateAction::ConfirmSettlement(SettlementRef { settlement: id });
    assert_eq!(w.run("officer", confirm(batch_id)), Ok(TxOutput::None));
    assert_eq!(
        refused(w.run("officer", confirm(batch_id))),
        ("certificate.already_confirmed".into(), "settlement".into())
    );
    assert_eq!(
        refused(w.run("officer", confirm([8; 32]))),
        ("certificate.unknown_settlement".into(), "settlement".into())
    );
}
