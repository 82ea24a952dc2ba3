//! Funds and the fund ledger: opening funds, inflows, outflows checked against the
//! fund's balance and earmark, and reversals (the only correction; entries are never
//! edited).

use crate::{
    state::{fund, manager_village, not_future, positive, push, text, village, Records},
    Code,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_cowbank_types::{
    CowbankKey, Direction, EntryRecord, FundRecord, FundSource, ListKind, OpenFund, Purpose,
    RecordInflow, RecordOutflow, ReverseEntry, Slug, Source, VillageRecord,
};
use fapiao_types::{ChinaDate, Hash32};

/// One movement to post ([`post`]).
pub(crate) struct Movement<'a> {
    pub fund: &'a Slug,
    pub direction: Direction,
    pub amount: i64,
    pub source: Option<Source>,
    pub purpose: Option<Purpose>,
    pub date: ChinaDate,
    pub memo: String,
    pub animal: Option<fapiao_cowbank_types::EarTag>,
    pub household: Option<Slug>,
    pub sale: Option<Hash32>,
    pub reverses: Option<u64>,
    /// The field a refusal names for the fund.
    pub field: &'a str,
    /// The field an earmark refusal names (the purpose chosen, or the fund).
    pub earmark_field: &'a str,
}

/// Posts a movement: checks the fund, its earmark (outflows other than reversals) and
/// its balance, updates it and writes the entry; returns the entry's number.
pub(crate) fn post(
    state: &mut (impl StateAccess + ?Sized),
    village_id: &str,
    v: &mut VillageRecord,
    m: Movement<'_>,
    tx: Hash32,
) -> Result<u64> {
    let mut f = fund(state, village_id, m.fund, m.field)?;
    let overflow = || Error::reject(Code::AmountOverflow, "amount", "the fund's totals overflow");
    let add = |a: i64, b: i64| {
        a.checked_add(b).filter(|s| fapiao_values::Fen::new(*s).is_ok()).ok_or_else(overflow)
    };
    let reversal = m.source == Some(Source::Reversal) || m.purpose == Some(Purpose::Reversal);
    match m.direction {
        Direction::In => {
            f.balance = add(f.balance, m.amount)?;
            if reversal {
                f.total_out -= m.amount;
            } else {
                f.total_in = add(f.total_in, m.amount)?;
            }
        }
        Direction::Out => {
            if let Some(p) = m.purpose.filter(|p| *p != Purpose::Reversal) {
                if !f.earmark.is_empty() && !f.earmark.contains(&p) {
                    return Err(Error::reject(
                        Code::Earmarked,
                        m.earmark_field,
                        format!("fund {} may not pay for {p}", m.fund),
                    ));
                }
            }
            if f.balance < m.amount {
                return Err(Error::reject(
                    Code::Overdrawn,
                    "amount",
                    format!("fund {} holds {} fen, not {}", m.fund, f.balance, m.amount),
                ));
            }
            f.balance -= m.amount;
            if reversal {
                f.total_in -= m.amount;
            } else {
                f.total_out = add(f.total_out, m.amount)?;
            }
        }
    }
    state.put(CowbankKey::Fund(village_id.to_string(), m.fund.clone()), &f);
    let n = v.entries;
    v.entries += 1;
    let entry = EntryRecord {
        fund: m.fund.clone(),
        direction: m.direction,
        amount: m.amount,
        source: m.source,
        purpose: m.purpose,
        date: m.date,
        memo: m.memo,
        animal: m.animal,
        household: m.household,
        sale: m.sale,
        reverses: m.reverses,
        reversed_by: None,
        tx,
    };
    state.put(CowbankKey::Entry(village_id.to_string(), n), &entry);
    Ok(n)
}

pub(crate) fn open(
    state: &mut (impl StateAccess + ?Sized),
    c: &OpenFund,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    text(&c.name, "name", true)?;
    let key = CowbankKey::Fund(id.clone(), c.fund.clone());
    if state.get::<FundRecord>(&key)?.is_some() {
        return Err(Error::reject(Code::FundExists, "fund", format!("fund {} exists", c.fund)));
    }
    if c.source == FundSource::Grant && c.earmark.is_empty() {
        return Err(Error::reject(
            Code::GrantNeedsEarmark,
            "earmark",
            "a grant names its purposes",
        ));
    }
    let mut earmark = c.earmark.clone();
    earmark.sort();
    earmark.dedup();
    state.put(
        &key,
        &FundRecord {
            name: c.name.clone(),
            source: c.source,
            earmark,
            balance: 0,
            total_in: 0,
            total_out: 0,
        },
    );
    let mut v = village(state, &id)?;
    push(state, &id, &mut v, ListKind::Funds, c.fund.to_string());
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}

pub(crate) fn inflow(
    state: &mut (impl StateAccess + ?Sized),
    c: &RecordInflow,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    positive(c.amount, "amount")?;
    not_future(c.date, ctx, "date")?;
    text(&c.memo, "memo", false)?;
    if !matches!(c.source, Source::Income | Source::Grant | Source::Loan) {
        return Err(Error::reject(
            Code::ReservedCategory,
            "source",
            format!("{} is recorded by the chain itself", c.source),
        ));
    }
    let mut v = village(state, &id)?;
    let m = Movement {
        fund: &c.fund,
        direction: Direction::In,
        amount: c.amount,
        source: Some(c.source),
        purpose: None,
        date: c.date,
        memo: c.memo.clone(),
        animal: None,
        household: None,
        sale: None,
        reverses: None,
        field: "fund",
        earmark_field: "fund",
    };
    post(state, &id, &mut v, m, ctx.tx_hash)?;
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}

pub(crate) fn outflow(
    state: &mut (impl StateAccess + ?Sized),
    c: &RecordOutflow,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    positive(c.amount, "amount")?;
    not_future(c.date, ctx, "date")?;
    text(&c.memo, "memo", false)?;
    if matches!(c.purpose, Purpose::HouseholdPayment | Purpose::Reversal | Purpose::BuyCattle) {
        return Err(Error::reject(
            Code::ReservedCategory,
            "purpose",
            format!("{} is recorded by its own action", c.purpose),
        ));
    }
    let mut v = village(state, &id)?;
    let m = Movement {
        fund: &c.fund,
        direction: Direction::Out,
        amount: c.amount,
        source: None,
        purpose: Some(c.purpose),
        date: c.date,
        memo: c.memo.clone(),
        animal: None,
        household: None,
        sale: None,
        reverses: None,
        field: "fund",
        earmark_field: "purpose",
    };
    post(state, &id, &mut v, m, ctx.tx_hash)?;
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}

pub(crate) fn reverse(
    state: &mut (impl StateAccess + ?Sized),
    c: &ReverseEntry,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    not_future(c.date, ctx, "date")?;
    text(&c.reason, "reason", true)?;
    let key = CowbankKey::Entry(id.clone(), c.entry);
    let mut original: EntryRecord = state.get(&key)?.ok_or_else(|| {
        Error::reject(Code::UnknownEntry, "entry", format!("no entry {}", c.entry))
    })?;
    if original.reversed_by.is_some() {
        return Err(Error::reject(Code::AlreadyReversed, "entry", "already reversed"));
    }
    // A purchase, a cost, a payout or a settlement moved an animal's books with the
    // money: undoing only the money would leave them disagreeing.
    if original.reverses.is_some() || original.sale.is_some() || original.animal.is_some() {
        return Err(Error::reject(
            Code::NotReversible,
            "entry",
            "a reversal, or an entry of an animal or a sale, is not reversed",
        ));
    }
    let mut v = village(state, &id)?;
    let (direction, source, purpose) = match original.direction {
        Direction::In => (Direction::Out, None, Some(Purpose::Reversal)),
        Direction::Out => (Direction::In, Some(Source::Reversal), None),
    };
    let fund_id = original.fund.clone();
    let m = Movement {
        fund: &fund_id,
        direction,
        amount: original.amount,
        source,
        purpose,
        date: c.date,
        memo: c.reason.clone(),
        animal: None,
        household: None,
        sale: None,
        reverses: Some(c.entry),
        field: "entry",
        earmark_field: "entry",
    };
    let n = post(state, &id, &mut v, m, ctx.tx_hash)?;
    original.reversed_by = Some(n);
    state.put(&key, &original);
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}
