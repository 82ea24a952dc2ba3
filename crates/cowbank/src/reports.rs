//! Annual reports: the manager files a year's report, whose figures the chain computes
//! from the books; the township's official countersigns it, and it is frozen.

use crate::{
    state::{list, manager_village, push, text, village, Records},
    Code,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_cowbank_types::{
    AnimalRecord, AnimalStatus, CountersignReport, Countersignature, CowbankKey, Direction,
    EntryRecord, FileReport, FundRecord, ListKind, Purpose, ReportFigures, ReportRecord, Slug,
    Source,
};
use fapiao_types::{ChinaDate, OrgKind};

pub(crate) fn file(
    state: &mut (impl StateAccess + ?Sized),
    c: &FileReport,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    let this_year = ChinaDate::from_unix_ms(ctx.time_ms).year();
    if !(2000..=this_year).contains(&u32::from(c.year)) {
        return Err(Error::reject(Code::BadYear, "year", format!("{} is not a past year", c.year)));
    }
    if c.text.trim().is_empty() || c.text.chars().count() > 4000 || c.text.contains('\0') {
        return Err(Error::reject(Code::BadText, "text", "empty or too long"));
    }
    let key = CowbankKey::Report(id.clone(), c.year);
    let existing: Option<ReportRecord> = state.get(&key)?;
    if existing.as_ref().is_some_and(|r| r.countersigned.is_some()) {
        return Err(Error::reject(Code::ReportFrozen, "year", "the report is countersigned"));
    }
    let mut v = village(state, &id)?;
    let figures = figures(state, &id, &v, c.year)?;
    state.put(
        &key,
        &ReportRecord {
            year: c.year,
            text: c.text.clone(),
            figures,
            filed_by: ctx.sender,
            filed_at_ms: ctx.time_ms,
            countersigned: None,
        },
    );
    if existing.is_none() {
        push(state, &id, &mut v, ListKind::Reports, c.year.to_string());
        state.put(CowbankKey::Village(id), &v);
    }
    Ok(())
}

/// The figures of `year` from a village's books.
///
/// # Errors
/// [`Error::Fatal`] when a record cannot be read.
pub fn figures(
    state: &(impl StateAccess + ?Sized),
    id: &str,
    v: &fapiao_cowbank_types::VillageRecord,
    year: u16,
) -> Result<ReportFigures> {
    let year = u32::from(year);
    let mut f = ReportFigures::default();
    let sum = |a: i64, b: i64| a.saturating_add(b);
    for n in 0..v.entries {
        let key = CowbankKey::Entry(id.to_string(), n);
        let e: EntryRecord = state.get(&key)?.ok_or_else(|| Error::Fatal(format!("{key}")))?;
        if e.date.year() != year {
            continue;
        }
        let reversal = e.source == Some(Source::Reversal) || e.purpose == Some(Purpose::Reversal);
        match (e.direction, reversal) {
            (Direction::In, false) => f.inflow = sum(f.inflow, e.amount),
            (Direction::In, true) => f.outflow = sum(f.outflow, -e.amount),
            (Direction::Out, false) => f.outflow = sum(f.outflow, e.amount),
            (Direction::Out, true) => f.inflow = sum(f.inflow, -e.amount),
        }
        if e.purpose == Some(Purpose::HouseholdPayment) {
            f.paid_to_households = sum(f.paid_to_households, e.amount);
        }
    }
    for fund in list(state, id, v, ListKind::Funds)? {
        let slug = Slug::parse(&fund).map_err(|e| Error::Fatal(e.to_string()))?;
        let key = CowbankKey::Fund(id.to_string(), slug);
        let r: FundRecord = state.get(&key)?.ok_or_else(|| Error::Fatal(format!("{key}")))?;
        f.balance = sum(f.balance, r.balance);
    }
    for tag in list(state, id, v, ListKind::Animals)? {
        let tag =
            fapiao_cowbank_types::EarTag::parse(&tag).map_err(|e| Error::Fatal(e.to_string()))?;
        let key = CowbankKey::Animal(tag);
        let a: AnimalRecord = state.get(&key)?.ok_or_else(|| Error::Fatal(format!("{key}")))?;
        let acquired = a.acquired.year();
        if acquired == year {
            if a.mother.is_some() {
                f.born += 1;
            } else {
                f.bought += 1;
            }
        }
        let left = a.status_date.map(ChinaDate::year).filter(|_| a.status != AnimalStatus::Kept);
        match (a.status, left) {
            (AnimalStatus::Sold, Some(y)) if y == year => f.sold += 1,
            (AnimalStatus::Dead | AnimalStatus::Lost, Some(y)) if y == year => f.died += 1,
            _ => {}
        }
        if acquired <= year && left.is_none_or(|y| y > year) {
            f.herd += 1;
        }
    }
    Ok(f)
}

pub(crate) fn countersign(
    state: &mut (impl StateAccess + ?Sized),
    c: &CountersignReport,
    ctx: &Ctx<'_>,
) -> Result<()> {
    if ctx.org.kind != OrgKind::TaxAuthority || ctx.org.id == c.village {
        return Err(Error::reject(
            Code::NotTownship,
            "sender",
            "a report is countersigned by the township's official (an auditor of the tax authority)",
        ));
    }
    text(&c.opinion, "opinion", true)?;
    if !fapiao_types::valid_org_id(&c.village) {
        return Err(Error::reject(Code::UnknownReport, "village", "no such village"));
    }
    let key = CowbankKey::Report(c.village.clone(), c.year);
    let mut report: ReportRecord = state
        .get(&key)?
        .ok_or_else(|| Error::reject(Code::UnknownReport, "year", "no report of that year"))?;
    if report.countersigned.is_some() {
        return Err(Error::reject(Code::ReportFrozen, "year", "already countersigned"));
    }
    report.countersigned = Some(Countersignature {
        by: ctx.sender,
        org: ctx.org.id.clone(),
        opinion: c.opinion.clone(),
        at_ms: ctx.time_ms,
    });
    state.put(&key, &report);
    Ok(())
}
