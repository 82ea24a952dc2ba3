//! Recording a collection: every input checked, every amount recomputed from the
//! schedule in force, and one collection per vehicle and tax year.

use crate::compute::{self, Annual, SizeError};
use crate::schedule::VehicleTaxSchedule;
use crate::state::Records;
use crate::{Code, Ctx, Error, Result, StateAccess};
use fapiao_app::params;
use fapiao_certificate_types::{
    CertificateKey, CollectionRecord, RecordCollection, TaxLine, MAX_BACK_YEARS,
};
use fapiao_types::{AccountRecord, StateKey, TxOutput};
use fapiao_values::ChinaDate;

/// Province abbreviations that begin a plate (and 使 / 领 plates of missions).
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// Whether `plate` is a mainland plate number: a province, a letter of the issuing
/// authority, then 5 characters (or 6 on a new-energy plate) of letters other than I
/// and O and digits, optionally ending with 挂 / 学 / 警.
pub fn valid_plate(plate: &str) -> bool {
    let mut chars = plate.chars();
    let (Some(p), Some(a)) = (chars.next(), chars.next()) else { return false };
    if !PROVINCES.contains(p) || !a.is_ascii_uppercase() {
        return false;
    }
    let rest: Vec<char> = chars.collect();
    let (body, suffix) = match rest.split_last() {
        Some((last, body)) if "挂学警".contains(*last) => (body, true),
        _ => (rest.as_slice(), false),
    };
    let ok = |c: &char| (c.is_ascii_uppercase() && *c != 'I' && *c != 'O') || c.is_ascii_digit();
    let len_ok = if suffix { body.len() == 4 } else { matches!(body.len(), 5 | 6) };
    len_ok && body.iter().all(ok)
}

fn valid_policy_no(s: &str) -> bool {
    (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The schedule that taxes `year` for a vehicle acquired on `acquired`: the version in
/// force on the year's first day, or on the acquisition date in the year of acquisition.
pub fn schedule_for(
    state: &(impl StateAccess + ?Sized),
    year: u16,
    acquired: ChinaDate,
) -> Result<VehicleTaxSchedule> {
    let first = u32::from(year) * 10_000 + 101;
    let date = first.max(if acquired.year() == u32::from(year) { acquired.yyyymmdd() } else { 0 });
    Ok(params::on_date::<VehicleTaxSchedule>(state, date)?.1)
}

/// The lines a collection must carry, back years ascending then the tax year, as the
/// chain computes them on `collected` (what the insurer console previews).
///
/// # Errors
/// The refusal of a malformed year list or size, or a state failure.
pub fn expected_lines(
    state: &(impl StateAccess + ?Sized),
    c: &RecordCollection,
    collected: ChinaDate,
) -> Result<Vec<TaxLine>> {
    let this_year = u16::try_from(collected.year()).unwrap_or(u16::MAX);
    if c.tax_year != this_year && c.tax_year != this_year.saturating_add(1) {
        return Err(Error::reject(
            Code::BadTaxYear,
            "tax_year",
            format!("{} is neither {this_year} nor the next year", c.tax_year),
        ));
    }
    if c.back_years.len() > MAX_BACK_YEARS
        || !c.back_years.windows(2).all(|w| w[0] < w[1])
        || c.back_years.last().is_some_and(|y| *y >= c.tax_year)
    {
        return Err(Error::reject(
            Code::BadBackYears,
            "back_years",
            "distinct years before the tax year, ascending, at most 10",
        ));
    }
    let mut lines = Vec::with_capacity(c.back_years.len() + 1);
    for (i, &year) in c.back_years.iter().chain([&c.tax_year]).enumerate() {
        let field =
            if i < c.back_years.len() { format!("back_years[{i}]") } else { "tax_year".into() };
        let months = compute::months_taxed(year, c.acquired).ok_or_else(|| {
            Error::reject(
                Code::BeforeAcquisition,
                field.clone(),
                format!("{year} is before the acquisition on {}", c.acquired),
            )
        })?;
        let schedule = schedule_for(state, year, c.acquired)?;
        let annual = annual(&schedule, c)?;
        lines.push(compute::line(&schedule, annual, year, months, collected));
    }
    Ok(lines)
}

/// The annual tax of the collection's vehicle under `schedule`.
///
/// # Errors
/// `certificate.bad_size`.
pub fn annual(schedule: &VehicleTaxSchedule, c: &RecordCollection) -> Result<Annual> {
    compute::annual(schedule, c.class, c.size, c.energy)
        .map_err(|SizeError::Size(why)| Error::reject(Code::BadSize, "size", why))
}

fn check_inputs(state: &(impl StateAccess + ?Sized), c: &RecordCollection) -> Result<()> {
    if !valid_policy_no(&c.policy_no) {
        return Err(Error::reject(Code::BadPolicyNo, "policy_no", "1–32 letters, digits or -"));
    }
    if !valid_plate(&c.plate) {
        return Err(Error::reject(
            Code::BadPlate,
            "plate",
            format!("{:?} is not a plate number such as 粤B12345", c.plate),
        ));
    }
    let name = c.owner_name.trim();
    if name.is_empty() || c.owner_name.len() > 128 {
        return Err(Error::reject(Code::BadOwner, "owner_name", "1–128 bytes, not blank"));
    }
    let masked = &c.owner_id_masked;
    if masked.len() > 32
        || masked.chars().filter(|ch| *ch == '*').count() < 4
        || !masked.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '*')
    {
        return Err(Error::reject(
            Code::BadOwner,
            "owner_id_masked",
            "the resident ID or USCC with at least four digits masked (440305********1234)",
        ));
    }
    let owner = state.get::<AccountRecord>(&StateKey::Account(c.owner))?;
    if owner.is_none_or(|a| a.revoked_at.is_some()) {
        return Err(Error::reject(
            Code::UnknownOwner,
            "owner",
            format!("{} is not an active wallet account", c.owner),
        ));
    }
    Ok(())
}

fn compare(expected: &[TaxLine], c: &RecordCollection) -> Result<()> {
    if c.lines.len() != expected.len() {
        return Err(Error::reject(
            Code::LineMismatch,
            "lines",
            format!(
                "{} lines, expected {} (back years, then the tax year)",
                c.lines.len(),
                expected.len()
            ),
        ));
    }
    for (i, (got, want)) in c.lines.iter().zip(expected).enumerate() {
        let figures: [(&str, i64, i64); 6] = [
            ("year", got.year.into(), want.year.into()),
            ("months", got.months.into(), want.months.into()),
            ("annual", got.annual, want.annual),
            ("tax", got.tax, want.tax),
            ("late_days", got.late_days.into(), want.late_days.into()),
            ("late_fee", got.late_fee, want.late_fee),
        ];
        if let Some((name, g, w)) = figures.into_iter().find(|(_, g, w)| g != w) {
            return Err(Error::reject(
                Code::LineMismatch,
                format!("lines[{i}].{name}"),
                format!("{g}, the schedule gives {w}"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn record(
    state: &mut (impl StateAccess + ?Sized),
    c: &RecordCollection,
    ctx: &Ctx<'_>,
) -> Result<TxOutput> {
    check_inputs(state, c)?;
    let collected = ChinaDate::from_unix_ms(ctx.time_ms);
    let relief = compute::relief(c.class, c.energy);
    if c.relief != relief {
        return Err(Error::reject(
            Code::ReliefMismatch,
            "relief",
            format!("a {} {} vehicle has relief {}", c.energy, c.class, relief),
        ));
    }
    let expected = expected_lines(state, c, collected)?;
    compare(&expected, c)?;
    let total: i64 = expected.iter().map(|l| l.tax + l.late_fee).sum();
    if c.total != total {
        return Err(Error::reject(
            Code::TotalMismatch,
            "total",
            format!("{} fen, the lines sum to {total} fen", c.total),
        ));
    }
    let id = ctx.tx_hash;
    for (i, line) in c.lines.iter().enumerate() {
        let key = StateKey::from(CertificateKey::VehicleYear(c.vin, line.year));
        if let Some(other) = state.get::<[u8; 32]>(&key)? {
            let field =
                if i < c.back_years.len() { format!("back_years[{i}]") } else { "tax_year".into() };
            return Err(Error::reject(
                Code::AlreadyCollected,
                field,
                format!(
                    "the {} tax of {} is already collected (collection {})",
                    line.year,
                    c.vin,
                    fapiao_types::hex32(&other)
                ),
            ));
        }
        state.put(&key, &id);
    }
    state.put(
        StateKey::from(CertificateKey::Collection(id)),
        &CollectionRecord {
            collection: c.clone(),
            insurer: ctx.org.id.clone(),
            collector: ctx.sender,
            collected_on: collected,
            height: ctx.height,
            certificate: None,
            settlement: None,
            refund: None,
        },
    );
    Ok(TxOutput::Record(id))
}
