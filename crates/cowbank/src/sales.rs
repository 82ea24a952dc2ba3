//! Sales: by the collective manager or the household owning the animal, settled at once
//! by the animal's contract ([`crate::settle`]); the price, the capital returned and the
//! household's payment are fund entries.

use crate::{
    funds::{post, Movement},
    settle::{settle, Under},
    state::{animal, household, in_herd, not_future, positive, push, text, village, Records},
    Code,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_cowbank_types::{
    AnimalStatus, ContractRecord, CowbankKey, Direction, ListKind, Purpose, SaleRecord, SellAnimal,
    Source,
};
use fapiao_types::{OrgKind, Role};

pub(crate) fn sell(
    state: &mut (impl StateAccess + ?Sized),
    c: &SellAnimal,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let mut a = animal(state, &c.tag, "tag")?;
    let id = a.village.clone();
    let manager = ctx.org.id == id
        && ctx.org.kind == OrgKind::Collective
        && ctx.account.roles.contains(&Role::CollectiveManager);
    let owner_household = match &a.owner {
        Some(h) => household(state, &id, h, "tag")?.account == Some(ctx.sender),
        None => false,
    };
    if !manager && !owner_household {
        return Err(Error::reject(
            Code::NotOwnerOrManager,
            "sender",
            "only the collective manager or the owning household sells an animal",
        ));
    }
    in_herd(&a, &c.tag, "tag")?;
    text(&c.buyer, "buyer", true)?;
    positive(c.price, "price")?;
    if c.weight_kg == 0 {
        return Err(Error::reject(Code::BadAmount, "weight_kg", "must be positive"));
    }
    not_future(c.date, ctx, "date")?;
    let contract = match a.contract {
        Some(cid) => {
            let key = CowbankKey::Contract(cid);
            let record: ContractRecord =
                state.get(&key)?.ok_or_else(|| Error::Fatal(format!("{key} is missing")))?;
            Some((cid, record))
        }
        None => None,
    };
    let under = match &contract {
        Some((cid, record)) => Under::Contract(*cid, record),
        None => Under::Owner(a.owner.as_ref()),
    };
    let settled = settle(c.price, a.costs, a.purchase_price, under)
        .ok_or_else(|| Error::reject(Code::AmountOverflow, "price", "the settlement overflows"))?;
    let s = &settled.settlement;
    let mut v = village(state, &id)?;
    let entry = |fund, direction, amount, source, purpose| Movement {
        fund,
        direction,
        amount,
        source,
        purpose,
        date: c.date,
        memo: c.buyer.clone(),
        animal: Some(c.tag),
        household: s.household.clone(),
        sale: Some(ctx.tx_hash),
        reverses: None,
        field: "fund",
        earmark_field: "fund",
    };
    // The price into the sale's fund, less the capital that goes back to the fund that
    // bought the animal; then the household's payment out of the sale's fund.
    let capital_fund = a.fund.clone().filter(|_| s.capital_returned > 0);
    let to_sale_fund = match &capital_fund {
        Some(_) => s.price - s.capital_returned,
        None => s.price,
    };
    if to_sale_fund > 0 {
        let m = entry(&c.fund, Direction::In, to_sale_fund, Some(Source::SaleProceeds), None);
        post(state, &id, &mut v, m, ctx.tx_hash)?;
    }
    if let Some(f) = &capital_fund {
        let m = entry(f, Direction::In, s.capital_returned, Some(Source::CapitalReturn), None);
        post(state, &id, &mut v, m, ctx.tx_hash)?;
    }
    if s.household_payment > 0 {
        let m = entry(
            &c.fund,
            Direction::Out,
            s.household_payment,
            None,
            Some(Purpose::HouseholdPayment),
        );
        post(state, &id, &mut v, m, ctx.tx_hash)?;
    }
    if let Some(h) = &s.household {
        let mut record = household(state, &id, h, "tag")?;
        record.sales = record.sales.saturating_add(1);
        record.paid = record
            .paid
            .checked_add(s.household_payment)
            .filter(|p| fapiao_values::Fen::new(*p).is_ok())
            .ok_or_else(|| Error::reject(Code::AmountOverflow, "price", "the payments overflow"))?;
        state.put(CowbankKey::Household(id.clone(), h.clone()), &record);
    }
    if let Some((cid, mut record)) = contract {
        record.carried_loss = settled.carried_loss;
        record.sales = record.sales.saturating_add(1);
        state.put(CowbankKey::Contract(cid), &record);
    }
    a.status = AnimalStatus::Sold;
    a.status_date = Some(c.date);
    a.sale = Some(ctx.tx_hash);
    state.put(CowbankKey::Animal(c.tag), &a);
    state.put(
        CowbankKey::Sale(ctx.tx_hash),
        &SaleRecord {
            village: id.clone(),
            animal: c.tag,
            seller: ctx.sender,
            buyer: c.buyer.clone(),
            weight_kg: c.weight_kg,
            date: c.date,
            fund: c.fund.clone(),
            settlement: settled.settlement.clone(),
        },
    );
    push(state, &id, &mut v, ListKind::Sales, fapiao_types::hex32(&ctx.tx_hash));
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}
