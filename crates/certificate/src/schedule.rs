//! The vehicle-tax schedule as a governed parameter (`params/certificate/vehicle-tax`):
//! annual amounts per tax item, the late-fee rate and the payment deadline, each version
//! with its legal effective date.
//!
//! The default is Guangdong's schedule (Shenzhen collects under it): 《广东省车船税税目税额表》
//! of 《广东省实施〈中华人民共和国车船税法〉办法》 (in force since 2012-01-01), within the ranges
//! of the national 《中华人民共和国车船税法》 (2011, amended 2019) 税目税额表:
//!
//! | 税目 | 计税单位 | 年基准税额 (yuan) |
//! |---|---|---|
//! | 乘用车 ≤ 1.0 L (含) | 每辆 | 60 |
//! | 1.0 L – 1.6 L (含) | 每辆 | 360 |
//! | 1.6 L – 2.0 L (含) | 每辆 | 420 |
//! | 2.0 L – 2.5 L (含) | 每辆 | 720 |
//! | 2.5 L – 3.0 L (含) | 每辆 | 1,800 |
//! | 3.0 L – 4.0 L (含) | 每辆 | 3,000 |
//! | > 4.0 L | 每辆 | 4,500 |
//! | 客车, 中型 (10–19 seats) | 每辆 | 480 |
//! | 客车, 大型 (≥ 20 seats) | 每辆 | 510 |
//! | 货车 | 整备质量每吨 | 96 |
//! | 摩托车 | 每辆 | 120 |
//!
//! Curb weight counts with its fraction (财税〔2012〕19号 第三条: 有尾数的一律按照含尾数的计税单位据
//! 实计算); the late fee is 0.05 % a day (《税收征收管理法》 第三十二条); the demo's deadline is
//! 31 December of the tax year. Check these against the schedule of the province you run
//! in before relying on them: they are parameters precisely so a bureau sets its own.

use fapiao_app::{Param, Timing};
use fapiao_values::Fen;
use serde::{Deserialize, Serialize};

/// One passenger-car bracket: displacement up to `up_to_ml` inclusive (含), or above
/// every other bracket when `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bracket {
    /// Upper bound, millilitres, inclusive; `None` for the last, open bracket.
    pub up_to_ml: Option<u32>,
    /// Annual tax.
    pub annual: Fen,
}

/// The vehicle-tax schedule *(policy)*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleTaxSchedule {
    /// Passenger-car brackets, ascending, the last one open.
    pub passenger: Vec<Bracket>,
    /// A medium bus (客车 below `bus_large_from_seats` seats), per vehicle a year.
    pub bus_medium: Fen,
    /// A large bus, per vehicle a year.
    pub bus_large: Fen,
    /// Seats from which a bus is large.
    pub bus_large_from_seats: u32,
    /// A truck, per tonne of curb weight a year.
    pub truck_per_tonne: Fen,
    /// A motorcycle, per vehicle a year.
    pub motorcycle: Fen,
    /// Late fee per day, in parts per million of the tax (500 = 0.05 %).
    pub late_fee_ppm_per_day: u32,
    /// The payment deadline of a tax year, `mmdd` in that year (1231).
    pub deadline_mmdd: u32,
}

fn yuan(y: i64) -> Fen {
    Fen::from_yuan(y).unwrap_or_default()
}

impl Default for VehicleTaxSchedule {
    fn default() -> Self {
        let b = |up_to_ml, y| Bracket { up_to_ml, annual: yuan(y) };
        VehicleTaxSchedule {
            passenger: vec![
                b(Some(1000), 60),
                b(Some(1600), 360),
                b(Some(2000), 420),
                b(Some(2500), 720),
                b(Some(3000), 1800),
                b(Some(4000), 3000),
                b(None, 4500),
            ],
            bus_medium: yuan(480),
            bus_large: yuan(510),
            bus_large_from_seats: 20,
            truck_per_tonne: yuan(96),
            motorcycle: yuan(120),
            late_fee_ppm_per_day: 500,
            deadline_mmdd: 1231,
        }
    }
}

impl Param for VehicleTaxSchedule {
    const ID: &'static str = "certificate/vehicle-tax";
    const TIMING: Timing = Timing::Date;
    const ABOUT: &'static str = "Annual vehicle and vessel tax per tax item (passenger cars by \
        displacement bracket, buses, trucks per tonne of curb weight, motorcycles), the late-fee \
        rate and the payment deadline; a tax year uses the version in force on its first day \
        (or on the acquisition date in the year of acquisition)";

    fn check(&self) -> core::result::Result<(), String> {
        let Some((last, rest)) = self.passenger.split_last() else {
            return Err("passenger needs at least one bracket".into());
        };
        if last.up_to_ml.is_some() {
            return Err("the last passenger bracket must be open (up_to_ml: null)".into());
        }
        let mut below = 0;
        for b in rest {
            match b.up_to_ml {
                Some(ml) if ml > below => below = ml,
                _ => return Err("passenger brackets must have ascending upper bounds".into()),
            }
        }
        let amounts = self.passenger.iter().map(|b| b.annual).chain([
            self.bus_medium,
            self.bus_large,
            self.truck_per_tonne,
            self.motorcycle,
        ]);
        for a in amounts {
            if a.fen() < 0 || a.fen() > 100_000_000 {
                return Err("annual amounts must be between 0.00 and 1000000.00".into());
            }
        }
        if !(10..=200).contains(&self.bus_large_from_seats) {
            return Err("bus_large_from_seats must be between 10 and 200".into());
        }
        if self.late_fee_ppm_per_day > 10_000 {
            return Err("late_fee_ppm_per_day must be at most 10000 (1 % a day)".into());
        }
        let (m, d) = (self.deadline_mmdd / 100, self.deadline_mmdd % 100);
        if !(1..=12).contains(&m) || d < 1 || d > fapiao_values::calendar::days_in_month(2025, m) {
            return Err("deadline_mmdd must be a day of the year (mmdd)".into());
        }
        Ok(())
    }
}
