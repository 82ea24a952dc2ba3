//! The vehicle-tax computation: pure integer arithmetic in fen, rounded half-up once per
//! amount.
//!
//! * **Annual tax** of a vehicle: the schedule's amount for its item; a truck's is
//!   per tonne of curb weight with the fraction counted (kg × rate ÷ 1000). Relief from
//!   the energy type (财税〔2018〕74号): a pure-electric or fuel-cell *passenger* car is
//!   outside the tax, other new-energy vehicles are exempt, an energy-saving model pays
//!   half.
//! * **A year's tax**: annual × months ÷ 12, where months is 12, or 13 − the month of
//!   acquisition in the year of acquisition (that month included; 车船税法实施条例
//!   第十九条 and the rule), rounded half-up to the fen at the end — the truck's
//!   fraction and the half are part of the same single rounding.
//! * **Late fee** (滞纳金) of a year: its tax × 0.05 % × days from the day after the
//!   year's deadline to the collection date, rounded half-up.
//! * **Refund** after a theft, scrapping or loss in the tax year: annual × (13 − the
//!   event's month) ÷ 12, rounded half-up (车船税法实施条例 第十九条: from the month of the
//!   event to the end of the year).

use crate::schedule::VehicleTaxSchedule;
use fapiao_certificate_types::{Energy, Relief, TaxLine, VehicleClass};
use fapiao_values::{div_round_half_up, ChinaDate};

/// Why a vehicle cannot be taxed as described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeError {
    /// The size does not fit the class (zero displacement, a bus under 10 seats, …).
    Size(&'static str),
}

/// The relief of a vehicle of `class` and `energy`.
pub fn relief(class: VehicleClass, energy: Energy) -> Relief {
    match (class, energy) {
        (_, Energy::Conventional) => Relief::None,
        (_, Energy::EnergySaving) => Relief::EnergySavingHalf,
        (VehicleClass::Passenger, Energy::PureElectric | Energy::FuelCell) => Relief::NotTaxable,
        (_, Energy::PureElectric | Energy::FuelCell | Energy::PlugInHybrid) => {
            Relief::NewEnergyExempt
        }
    }
}

/// The annual tax as an exact fraction `numerator / denominator` of fen, after relief.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Annual {
    /// Numerator, fen × the denominator.
    pub numerator: i128,
    /// Denominator (1, 1000 for a truck's kilograms, × 2 when halved).
    pub denominator: i128,
}

impl Annual {
    /// The annual tax rounded half-up to the fen.
    pub fn fen(self) -> i64 {
        self.months(12)
    }

    /// `months` twelfths of it, rounded half-up to the fen.
    pub fn months(self, months: u8) -> i64 {
        let v = div_round_half_up(self.numerator * i128::from(months), self.denominator * 12);
        i64::try_from(v).unwrap_or(i64::MAX)
    }
}

/// Largest sizes accepted: 20 L, 200 seats, 100 t.
const MAX_ML: u32 = 20_000;
const MAX_SEATS: u32 = 200;
const MAX_KG: u32 = 100_000;

/// The annual tax of a vehicle, after relief.
///
/// # Errors
/// [`SizeError`] when `size` does not fit `class` (a taxed passenger car needs 1–20,000
/// ml; a bus 10–200 seats; a truck 1–100,000 kg; a motorcycle 0).
pub fn annual(
    s: &VehicleTaxSchedule,
    class: VehicleClass,
    size: u32,
    energy: Energy,
) -> Result<Annual, SizeError> {
    let relief = relief(class, energy);
    let (numerator, denominator): (i128, i128) = match class {
        VehicleClass::Passenger if relief == Relief::NotTaxable => (0, 1),
        VehicleClass::Passenger => {
            if size == 0 || size > MAX_ML {
                return Err(SizeError::Size("a passenger car's displacement is 1–20000 ml"));
            }
            let bracket = s
                .passenger
                .iter()
                .find(|b| b.up_to_ml.is_none_or(|up| size <= up))
                .ok_or(SizeError::Size("no bracket covers this displacement"))?;
            (i128::from(bracket.annual.fen()), 1)
        }
        VehicleClass::Bus => {
            if !(10..=MAX_SEATS).contains(&size) {
                return Err(SizeError::Size("a bus has 10–200 seats"));
            }
            let amount = if size >= s.bus_large_from_seats { s.bus_large } else { s.bus_medium };
            (i128::from(amount.fen()), 1)
        }
        VehicleClass::Truck => {
            if size == 0 || size > MAX_KG {
                return Err(SizeError::Size("a truck's curb weight is 1–100000 kg"));
            }
            (i128::from(s.truck_per_tonne.fen()) * i128::from(size), 1000)
        }
        VehicleClass::Motorcycle => {
            if size != 0 {
                return Err(SizeError::Size("a motorcycle's size is 0"));
            }
            (i128::from(s.motorcycle.fen()), 1)
        }
    };
    Ok(match relief {
        Relief::None => Annual { numerator, denominator },
        Relief::EnergySavingHalf => Annual { numerator, denominator: denominator * 2 },
        Relief::NewEnergyExempt | Relief::NotTaxable => Annual { numerator: 0, denominator: 1 },
    })
}

/// Months taxed in `year` for a vehicle acquired on `acquired`: 12, or 13 − the month of
/// acquisition in that year; `None` for a year before the acquisition.
pub fn months_taxed(year: u16, acquired: ChinaDate) -> Option<u8> {
    let y = u32::from(year);
    match acquired.year() {
        a if a > y => None,
        a if a == y => u8::try_from(13 - acquired.month().month_of_year()).ok(),
        _ => Some(12),
    }
}

/// The payment deadline of tax year `year`.
pub fn deadline(s: &VehicleTaxSchedule, year: u16) -> Option<ChinaDate> {
    ChinaDate::from_yyyymmdd(u32::from(year) * 10_000 + s.deadline_mmdd).ok()
}

/// Days late on `collected`: from the day after the deadline to the collection date
/// (0 when paid by the deadline).
pub fn late_days(s: &VehicleTaxSchedule, year: u16, collected: ChinaDate) -> u32 {
    deadline(s, year)
        .map_or(0, |d| u32::try_from(d.days_until(collected).max(0)).unwrap_or(u32::MAX))
}

/// The late fee on `tax` for `days` days: tax × ppm × days ÷ 1,000,000, half-up.
pub fn late_fee(s: &VehicleTaxSchedule, tax: i64, days: u32) -> i64 {
    let v = div_round_half_up(
        i128::from(tax) * i128::from(s.late_fee_ppm_per_day) * i128::from(days),
        1_000_000,
    );
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// One year's line: `annual` is the year's annual tax (under the schedule of that year),
/// `s` gives the late-fee rule.
pub fn line(
    s: &VehicleTaxSchedule,
    annual: Annual,
    year: u16,
    months: u8,
    collected: ChinaDate,
) -> TaxLine {
    let tax = annual.months(months);
    let late_days = late_days(s, year, collected);
    TaxLine {
        year,
        months,
        annual: annual.fen(),
        tax,
        late_days,
        late_fee: late_fee(s, tax, late_days),
    }
}

/// The refund after an event in `event_month` (1–12) of the tax year: annual ×
/// (13 − month) ÷ 12, half-up, never more than the year's tax.
pub fn refund(annual: Annual, event_month: u32, year_tax: i64) -> (u8, i64) {
    let months = u8::try_from(13u32.saturating_sub(event_month).min(12)).unwrap_or(12);
    (months, annual.months(months).min(year_tax))
}
