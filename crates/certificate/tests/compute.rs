//! The vehicle-tax computation, table-driven, each case worked by hand in its comment
//! under the default (Guangdong) schedule: passenger cars 60 / 360 / 420 / 720 / 1,800 /
//! 3,000 / 4,500 yuan by bracket, buses 480 / 510, trucks 96 per tonne, motorcycles 120.
//!
//! Amounts are fen written `yuan_fen` (`360_00` is 360.00 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

use fapiao_certificate::compute::{self, Annual};
use fapiao_certificate::VehicleTaxSchedule;
use fapiao_certificate_types::{Energy, Relief, VehicleClass};
use fapiao_values::ChinaDate;

fn date(s: &str) -> ChinaDate {
    ChinaDate::parse(s).unwrap()
}

fn annual(class: VehicleClass, size: u32, energy: Energy) -> Annual {
    compute::annual(&VehicleTaxSchedule::default(), class, size, energy).unwrap()
}

/// Every bracket edge: the upper bound is inclusive (含), one millilitre more is the next
/// bracket.
#[test]
fn passenger_brackets_include_their_upper_bound() {
    use VehicleClass::Passenger as P;
    let cases: &[(u32, i64)] = &[
        (1, 60_00),       // the smallest engine: ≤ 1.0 L
        (998, 60_00),     // a 998 ml city car: ≤ 1.0 L
        (1000, 60_00),    // exactly 1.0 L: still the first bracket (含)
        (1001, 360_00),   // 1.0–1.6 L
        (1600, 360_00),   // exactly 1.6 L (含)
        (1601, 420_00),   // 1.6–2.0 L
        (1998, 420_00),   // a "2.0 L" engine of 1,998 ml
        (2000, 420_00),   // exactly 2.0 L (含)
        (2001, 720_00),   // 2.0–2.5 L
        (2500, 720_00),   // exactly 2.5 L
        (2501, 1800_00),  // 2.5–3.0 L
        (3000, 1800_00),  // exactly 3.0 L
        (3001, 3000_00),  // 3.0–4.0 L
        (4000, 3000_00),  // exactly 4.0 L
        (4001, 4500_00),  // above 4.0 L
        (20000, 4500_00), // the largest size accepted
    ];
    for &(ml, fen) in cases {
        assert_eq!(annual(P, ml, Energy::Conventional).fen(), fen, "{ml} ml");
    }
    let s = VehicleTaxSchedule::default();
    for ml in [0, 20_001] {
        assert!(compute::annual(&s, P, ml, Energy::Conventional).is_err(), "{ml} ml");
    }
}

#[test]
fn buses_trucks_and_motorcycles() {
    let s = VehicleTaxSchedule::default();
    // 19 seats is a medium bus (480); from 20 seats large (510).
    assert_eq!(annual(VehicleClass::Bus, 19, Energy::Conventional).fen(), 480_00);
    assert_eq!(annual(VehicleClass::Bus, 20, Energy::Conventional).fen(), 510_00);
    // A bus has more than 9 seats; a 9-seater is a passenger car.
    assert!(compute::annual(&s, VehicleClass::Bus, 9, Energy::Conventional).is_err());
    // A truck of 1,525 kg: 96 × 1.525 = 146.40 yuan, the fraction of a tonne counted.
    assert_eq!(annual(VehicleClass::Truck, 1525, Energy::Conventional).fen(), 146_40);
    // 1,234 kg: 96 × 1.234 = 118.464 → 118.46.
    assert_eq!(annual(VehicleClass::Truck, 1234, Energy::Conventional).fen(), 118_46);
    assert!(compute::annual(&s, VehicleClass::Truck, 0, Energy::Conventional).is_err());
    assert_eq!(annual(VehicleClass::Motorcycle, 0, Energy::Conventional).fen(), 120_00);
    assert!(compute::annual(&s, VehicleClass::Motorcycle, 125, Energy::Conventional).is_err());
}

/// Pure-electric and fuel-cell passenger cars are outside the tax; other new-energy
/// vehicles are exempt; energy-saving models pay half.
#[test]
fn exemptions_and_halving() {
    use Energy as E;
    use VehicleClass as C;
    let cases: &[(C, u32, E, Relief, i64)] = &[
        // A pure-electric car has no displacement: outside the tax, 0.
        (C::Passenger, 0, E::PureElectric, Relief::NotTaxable, 0),
        (C::Passenger, 0, E::FuelCell, Relief::NotTaxable, 0),
        // A plug-in hybrid 1.5 L car: new-energy, exempt.
        (C::Passenger, 1497, E::PlugInHybrid, Relief::NewEnergyExempt, 0),
        // A pure-electric bus is a new-energy commercial vehicle: exempt (not "outside").
        (C::Bus, 30, E::PureElectric, Relief::NewEnergyExempt, 0),
        // Energy-saving 1.5 L: 360 ÷ 2 = 180.00.
        (C::Passenger, 1497, E::EnergySaving, Relief::EnergySavingHalf, 180_00),
        // Energy-saving 1,234 kg truck: 118.464 ÷ 2 = 59.232 → 59.23.
        (C::Truck, 1234, E::EnergySaving, Relief::EnergySavingHalf, 59_23),
        (C::Passenger, 1497, E::Conventional, Relief::None, 360_00),
    ];
    for &(class, size, energy, relief, fen) in cases {
        assert_eq!(compute::relief(class, energy), relief, "{class} {energy}");
        assert_eq!(annual(class, size, energy).fen(), fen, "{class} {size} {energy}");
    }
}

/// A vehicle acquired during the year pays from the month of acquisition, that month
/// included: annual × (13 − month) ÷ 12, rounded half-up once at the end.
#[test]
fn proration_by_month_of_acquisition() {
    use VehicleClass as C;
    let cases: &[(C, u32, Energy, &str, u8, i64)] = &[
        // 1.6 L (360) bought 2026-03-15: March–December, 10 months: 360 × 10 ÷ 12 = 300.00.
        (C::Passenger, 1598, Energy::Conventional, "2026-03-15", 10, 300_00),
        // Bought on the last day of January still pays January: 12 months, 360.00.
        (C::Passenger, 1598, Energy::Conventional, "2026-01-31", 12, 360_00),
        // Bought 2026-12-01: December only, 360 ÷ 12 = 30.00.
        (C::Passenger, 1598, Energy::Conventional, "2026-12-01", 1, 30_00),
        // 2.0 L (420) bought in August: 5 months, 420 × 5 ÷ 12 = 175.00.
        (C::Passenger, 1998, Energy::Conventional, "2026-08-09", 5, 175_00),
        // Energy-saving 2.0 L (210) bought in June: 7 months, 210 × 7 ÷ 12 = 122.50.
        (C::Passenger, 1998, Energy::EnergySaving, "2026-06-01", 7, 122_50),
        // A 1,001 kg truck bought in October: 96 × 1.001 × 3 ÷ 12 = 24.024 → 24.02. Rounding
        // the annual first (96.10 × 3 ÷ 12 = 24.025 → 24.03) would be a fen more: the
        // rule rounds once, at the end.
        (C::Truck, 1001, Energy::Conventional, "2026-10-20", 3, 24_02),
        // 1,234 kg bought in June: 118.464 × 7 ÷ 12 = 69.104 → 69.10.
        (C::Truck, 1234, Energy::Conventional, "2026-06-30", 7, 69_10),
    ];
    for &(class, size, energy, acquired, months, fen) in cases {
        let m = compute::months_taxed(2026, date(acquired)).unwrap();
        assert_eq!(m, months, "{acquired}");
        assert_eq!(annual(class, size, energy).months(m), fen, "{class} {size} {acquired}");
    }
    // A year before the acquisition is not taxed at all; a later year is a full one.
    assert_eq!(compute::months_taxed(2025, date("2026-03-15")), None);
    assert_eq!(compute::months_taxed(2027, date("2026-03-15")), Some(12));
}

/// Late fee: 0.05 % of the year's tax per day, from the day after the deadline (31
/// December of the tax year) to the collection date, rounded half-up.
#[test]
fn late_fees_across_year_boundaries() {
    let s = VehicleTaxSchedule::default();
    let collected = date("2026-01-10");
    let cases: &[(u16, i64, u32, i64)] = &[
        // 2026's own tax, collected within the year: no fee.
        (2026, 360_00, 0, 0),
        // 2025 paid on 2026-01-10: 1–10 January, 10 days; 36,000 × 0.0005 × 10 = 180 fen.
        (2025, 360_00, 10, 1_80),
        // 2024: all of 2025 (365 days) and 10 more = 375; 36,000 × 0.0005 × 375 = 6,750.
        (2024, 360_00, 375, 67_50),
        // 2023: 2024 is a leap year, 366 + 365 + 10 = 741 days; 3,000 × 0.0005 × 741 =
        // 1,111.5 fen → 1,112 (half-up).
        (2023, 30_00, 741, 11_12),
    ];
    for &(year, tax, days, fee) in cases {
        assert_eq!(compute::late_days(&s, year, collected), days, "{year}");
        assert_eq!(compute::late_fee(&s, tax, days), fee, "{year}");
    }
    // A fee of exactly half a fen rounds up: 30.00 one day late = 1.5 fen → 2 fen.
    assert_eq!(compute::late_fee(&s, 30_00, 1), 2);
    // Paid on the deadline itself: 0 days.
    assert_eq!(compute::late_days(&s, 2025, date("2025-12-31")), 0);
    // A whole line: 2025's 1.6 L tax collected 2026-01-10.
    let line = compute::line(
        &s,
        annual(VehicleClass::Passenger, 1598, Energy::Conventional),
        2025,
        12,
        collected,
    );
    assert_eq!((line.tax, line.late_days, line.late_fee), (360_00, 10, 1_80));
}

/// Refund after an event: from the event's month to December (that month included).
#[test]
fn refunds_run_from_the_month_of_the_event() {
    let a = annual(VehicleClass::Passenger, 1598, Energy::Conventional);
    // Stolen in June: June–December, 7 months: 360 × 7 ÷ 12 = 210.00.
    assert_eq!(compute::refund(a, 6, 360_00), (7, 210_00));
    // Scrapped in December: 1 month, 30.00.
    assert_eq!(compute::refund(a, 12, 360_00), (1, 30_00));
    // Lost in January: the whole year.
    assert_eq!(compute::refund(a, 1, 360_00), (12, 360_00));
    // Never more than the year's tax (a car bought in October paid 90.00).
    assert_eq!(compute::refund(a, 10, 90_00), (3, 90_00));
}

#[test]
fn the_default_schedule_passes_its_own_check_and_bad_ones_fail() {
    use fapiao_app::Param;
    let s = VehicleTaxSchedule::default();
    assert_eq!(s.check(), Ok(()));
    let mut open_not_last = s.clone();
    open_not_last.passenger[6].up_to_ml = Some(5000);
    assert!(open_not_last.check().is_err());
    let mut descending = s.clone();
    descending.passenger[1].up_to_ml = Some(900);
    assert!(descending.check().is_err());
    let mut bad_deadline = s;
    bad_deadline.deadline_mmdd = 1301;
    assert!(bad_deadline.check().is_err());
}
