//! The optional typed industry block (特定要素): passenger transport and the
//! vehicle-and-vessel tax an insurer collects on the tax bureau's behalf.
//!
//! The travel date and the VIN are value types ([`fapiao_types::ChinaDate`],
//! [`fapiao_types::Vin`]) checked where the block is read (the API's JSON, the
//! transaction's decoding), so the rules here see only valid ones.
//!
//! Refusals name the block's field (`industry.plate`, `industry.total`, …). A
//! vehicle-and-vessel tax invoice carries the tax itself as its lines, out of VAT
//! scope (不征税), so its total with tax must equal the block's total.

use crate::Code;
use crate::{rules, Error, Result};
use fapiao_app::ValueCode;
use fapiao_invoice_types::{Industry, Line, PassengerTransport, VehicleVesselTax};

/// Longest text field of the block, in bytes.
pub const MAX_INDUSTRY_TEXT: usize = 200;

fn text(value: &str, field: &str, required: bool) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(Error::reject(
            Code::IndustryFieldRequired,
            format!("industry.{field}"),
            format!("{field} is required"),
        ));
    }
    if value.len() > MAX_INDUSTRY_TEXT {
        return Err(Error::reject(
            Code::IndustryFieldTooLong,
            format!("industry.{field}"),
            format!("at most {MAX_INDUSTRY_TEXT} bytes"),
        ));
    }
    Ok(())
}

/// `yyyy-mm` with a real month.
fn year_month(s: &str) -> Option<u32> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m): (u32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (y >= 1000 && (1..=12).contains(&m)).then_some(y * 100 + m)
}

/// `yyyy`, or `yyyy-mm..yyyy-mm` with the start not after the end.
fn valid_tax_period(s: &str) -> bool {
    if s.len() == 4 {
        return s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    }
    match s.split_once("..") {
        Some((a, b)) => matches!((year_month(a), year_month(b)), (Some(a), Some(b)) if a <= b),
        None => false,
    }
}

fn passenger(p: &PassengerTransport) -> Result<()> {
    text(&p.traveller, "traveller", true)?;
    text(&p.id_masked, "id_masked", false)?;
    if !p.id_masked.is_empty()
        && (!p.id_masked.contains('*')
            || fapiao_invoice_rules::ResidentId::parse(&p.id_masked).is_ok())
    {
        return Err(Error::reject(
            Code::UnmaskedId,
            "industry.id_masked",
            "give the identity document number masked (110105********002X), never in full",
        ));
    }
    text(&p.from, "from", true)?;
    text(&p.to, "to", true)?;
    text(&p.vehicle_type, "vehicle_type", true)?;
    text(&p.seat_class, "seat_class", false)
}

fn vehicle_tax(v: &VehicleVesselTax, lines: &[Line], total_with_tax: i64) -> Result<()> {
    text(&v.policy_no, "policy_no", true)?;
    text(&v.plate, "plate", true)?;
    text(&v.tax_period, "tax_period", true)?;
    if !valid_tax_period(&v.tax_period) {
        return Err(Error::reject(
            Code::BadTaxPeriod,
            "industry.tax_period",
            "a year (2026) or a month range (2026-01..2026-12)",
        ));
    }
    if v.tax <= 0 {
        return Err(Error::reject(
            Code::NonPositiveAmount,
            "industry.tax",
            "the tax must be positive",
        ));
    }
    if v.late_fee < 0 {
        return Err(Error::reject(
            ValueCode::NegativeAmount,
            "industry.late_fee",
            "the late fee cannot be negative",
        ));
    }
    let tax = rules::fen(v.tax, "industry.tax")?;
    let late_fee = rules::fen(v.late_fee, "industry.late_fee")?;
    if tax.checked_add(late_fee) != Some(rules::fen(v.total, "industry.total")?) {
        return Err(Error::reject(
            Code::IndustryTotalMismatch,
            "industry.total",
            "total must equal tax + late fee",
        ));
    }
    if let Some(i) = lines.iter().position(|l| l.rate != fapiao_types::RateCode::OutOfScope) {
        return Err(Error::reject(
            Code::IndustryRateMismatch,
            format!("lines[{i}].rate"),
            "a vehicle-and-vessel tax collected on the bureau's behalf is out of VAT scope \
             (out_of_scope, 不征税)",
        ));
    }
    if total_with_tax != v.total {
        return Err(Error::reject(
            Code::IndustryTotalMismatch,
            "total_with_tax",
            "the invoice's total with tax must equal the collected total",
        ));
    }
    Ok(())
}

/// Checks the industry block of a blue invoice against its computed lines and total.
///
/// # Errors
/// The first rule the block breaks.
pub(crate) fn check(industry: &Industry, lines: &[Line], total_with_tax: i64) -> Result<()> {
    match industry {
        Industry::PassengerTransport(p) => passenger(p),
        Industry::VehicleVesselTax(v) => vehicle_tax(v, lines, total_with_tax),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_periods() {
        for ok in ["2026", "2026-01..2026-12", "2026-03..2026-03"] {
            assert!(valid_tax_period(ok), "{ok}");
        }
        for bad in ["", "26", "0226", "2026-12..2026-01", "2026-13..2026-12", "2026-1..2026-12"] {
            assert!(!valid_tax_period(bad), "{bad}");
        }
    }
}
