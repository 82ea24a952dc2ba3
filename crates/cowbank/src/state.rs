//! Typed access to the cow bank's records over the seam's [`StateAccess`], and the
//! checks every action shares (dates, texts, amounts, the village's lists).

use crate::Code;
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_cowbank_types::{
    AnimalRecord, AnimalStatus, CowbankKey, EarTag, FundRecord, HouseholdRecord, ListItem,
    ListKind, Slug, VillageRecord,
};
use fapiao_types::ChinaDate;

/// Longest name or free text, in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 200;

pub(crate) use fapiao_app::Records;

/// A village's counters (zero when it has none yet).
pub(crate) fn village(state: &(impl StateAccess + ?Sized), id: &str) -> Result<VillageRecord> {
    Ok(state.get(CowbankKey::Village(id.to_string()))?.unwrap_or_default())
}

/// Appends `id` to a village's list `kind`, counting it in `v`.
pub(crate) fn push(
    state: &mut (impl StateAccess + ?Sized),
    village: &str,
    v: &mut VillageRecord,
    kind: ListKind,
    id: String,
) {
    let count = match kind {
        ListKind::Households => &mut v.households,
        ListKind::Funds => &mut v.funds,
        ListKind::Animals => &mut v.animals,
        ListKind::Contracts => &mut v.contracts,
        ListKind::Sales => &mut v.sales,
        ListKind::Reports => &mut v.reports,
    };
    let n = u64::from(*count);
    *count = count.saturating_add(1);
    state.put(CowbankKey::List(village.to_string(), kind, n), &ListItem { id });
}

/// The items of a village's list `kind`, in order.
pub(crate) fn list(
    state: &(impl StateAccess + ?Sized),
    village: &str,
    v: &VillageRecord,
    kind: ListKind,
) -> Result<Vec<String>> {
    let count = match kind {
        ListKind::Households => v.households,
        ListKind::Funds => v.funds,
        ListKind::Animals => v.animals,
        ListKind::Contracts => v.contracts,
        ListKind::Sales => v.sales,
        ListKind::Reports => v.reports,
    };
    (0..u64::from(count))
        .map(|n| {
            let key = CowbankKey::List(village.to_string(), kind, n);
            state
                .get::<ListItem>(&key)?
                .map(|i| i.id)
                .ok_or_else(|| Error::Fatal(format!("{key} is missing")))
        })
        .collect()
}

/// The village of a manager's action: the sender's organisation, a collective.
pub(crate) fn manager_village(ctx: &Ctx<'_>) -> Result<String> {
    if ctx.org.kind != fapiao_types::OrgKind::Collective {
        return Err(Error::reject(Code::NotCollective, "sender", "not a village collective"));
    }
    Ok(ctx.org.id.clone())
}

/// Refuses a date after the block's date (China time).
pub(crate) fn not_future(date: ChinaDate, ctx: &Ctx<'_>, field: &str) -> Result<()> {
    if date > ChinaDate::from_unix_ms(ctx.time_ms) {
        return Err(Error::reject(Code::BadDate, field, format!("{date} is after today")));
    }
    Ok(())
}

/// Refuses an empty (when `required`), over-long or control-character text.
pub(crate) fn text(s: &str, field: &str, required: bool) -> Result<()> {
    let ok = (!required || !s.trim().is_empty())
        && s.chars().count() <= MAX_TEXT_CHARS
        && !s.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::reject(Code::BadText, field, "empty, too long or with control characters"))
    }
}

/// Refuses an amount that is not positive.
pub(crate) fn positive(amount: i64, field: &str) -> Result<()> {
    if amount > 0 {
        Ok(())
    } else {
        Err(Error::reject(Code::BadAmount, field, "must be positive"))
    }
}

/// A household of `village`.
pub(crate) fn household(
    state: &(impl StateAccess + ?Sized),
    village: &str,
    id: &Slug,
    field: &str,
) -> Result<HouseholdRecord> {
    state
        .get(CowbankKey::Household(village.to_string(), id.clone()))?
        .ok_or_else(|| Error::reject(Code::UnknownHousehold, field, format!("no household {id}")))
}

/// A fund of `village`.
pub(crate) fn fund(
    state: &(impl StateAccess + ?Sized),
    village: &str,
    id: &Slug,
    field: &str,
) -> Result<FundRecord> {
    state
        .get(CowbankKey::Fund(village.to_string(), id.clone()))?
        .ok_or_else(|| Error::reject(Code::UnknownFund, field, format!("no fund {id}")))
}

/// An animal of `village`, still in the herd.
pub(crate) fn kept_animal(
    state: &(impl StateAccess + ?Sized),
    village: &str,
    tag: &EarTag,
    field: &str,
) -> Result<AnimalRecord> {
    let a = animal(state, tag, field)?;
    if a.village != village {
        return Err(Error::reject(
            Code::OtherVillage,
            field,
            format!("{tag} is another village's"),
        ));
    }
    in_herd(&a, tag, field)?;
    Ok(a)
}

/// Any animal.
pub(crate) fn animal(
    state: &(impl StateAccess + ?Sized),
    tag: &EarTag,
    field: &str,
) -> Result<AnimalRecord> {
    state
        .get(CowbankKey::Animal(*tag))?
        .ok_or_else(|| Error::reject(Code::UnknownAnimal, field, format!("no animal {tag}")))
}

/// Refuses an animal that is sold, dead or lost.
pub(crate) fn in_herd(a: &AnimalRecord, tag: &EarTag, field: &str) -> Result<()> {
    match a.status {
        AnimalStatus::Kept => Ok(()),
        AnimalStatus::Sold => {
            Err(Error::reject(Code::AlreadySold, field, format!("{tag} was sold")))
        }
        AnimalStatus::Dead | AnimalStatus::Lost => {
            Err(Error::reject(Code::NotAlive, field, format!("{tag} is {}", a.status)))
        }
    }
}

/// Parses an ear tag from a request or a command line, refusing with
/// `cowbank.bad_ear_tag`.
///
/// # Errors
/// [`Code::BadEarTag`] naming `field`.
pub fn parse_ear_tag(s: &str, field: &str) -> Result<EarTag> {
    EarTag::parse(s).map_err(|e| Error::reject(Code::BadEarTag, field, e.to_string()))
}
