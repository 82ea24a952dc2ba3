//! The herd: purchases (paid from a fund, checked against its earmark and balance),
//! births (the calf's owner follows the mother's contract's calf rule), vaccinations,
//! insurance, costs the collective pays for an animal, and deaths with their insurance
//! payout.

use crate::{
    funds::{post, Movement},
    state::{kept_animal, manager_village, not_future, positive, push, text, village, Records},
    Code,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_cowbank_types::{
    AnimalRecord, AnimalStatus, BuyAnimal, CalfRule, Claim, ContractRecord, CostBearer, CowbankKey,
    Direction, Insure, ListKind, Purpose, RecordBirth, RecordCost, RecordDeath, Sex, Source,
    Vaccinate, Vaccination,
};

/// Most vaccinations kept for one animal.
const MAX_VACCINATIONS: usize = 200;

pub(crate) fn buy(
    state: &mut (impl StateAccess + ?Sized),
    c: &BuyAnimal,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    text(&c.breed, "breed", true)?;
    text(&c.seller, "seller", false)?;
    positive(c.price, "price")?;
    not_future(c.date, ctx, "date")?;
    if let Some(born) = c.born {
        not_future(born, ctx, "born")?;
        if born > c.date {
            return Err(Error::reject(Code::BadDate, "born", "born after it was bought"));
        }
    }
    if state.get::<AnimalRecord>(&CowbankKey::Animal(c.tag))?.is_some() {
        return Err(Error::reject(Code::DuplicateEarTag, "tag", format!("{} exists", c.tag)));
    }
    let mut v = village(state, &id)?;
    let m = Movement {
        fund: &c.fund,
        direction: Direction::Out,
        amount: c.price,
        source: None,
        purpose: Some(Purpose::BuyCattle),
        date: c.date,
        memo: format!("{} {}", c.breed, c.seller),
        animal: Some(c.tag),
        household: None,
        sale: None,
        reverses: None,
        field: "fund",
        earmark_field: "fund",
    };
    post(state, &id, &mut v, m, ctx.tx_hash)?;
    let animal = AnimalRecord {
        village: id.clone(),
        breed: c.breed.clone(),
        sex: c.sex,
        born: c.born,
        acquired: c.date,
        purchase_price: c.price,
        fund: Some(c.fund.clone()),
        mother: None,
        owner: None,
        keeper: None,
        contract: None,
        status: AnimalStatus::Kept,
        status_date: None,
        costs: 0,
        vaccinations: Vec::new(),
        policy: None,
        claim: None,
        cause: String::new(),
        sale: None,
    };
    state.put(CowbankKey::Animal(c.tag), &animal);
    push(state, &id, &mut v, ListKind::Animals, c.tag.to_string());
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}

pub(crate) fn birth(
    state: &mut (impl StateAccess + ?Sized),
    c: &RecordBirth,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    text(&c.breed, "breed", true)?;
    not_future(c.date, ctx, "date")?;
    let mother = kept_animal(state, &id, &c.mother, "mother")?;
    if mother.sex != Sex::Female {
        return Err(Error::reject(Code::MotherNotFemale, "mother", "not a cow"));
    }
    if state.get::<AnimalRecord>(&CowbankKey::Animal(c.tag))?.is_some() {
        return Err(Error::reject(Code::DuplicateEarTag, "tag", format!("{} exists", c.tag)));
    }
    let mut owner = mother.owner.clone();
    if let Some(contract_id) = mother.contract {
        let key = CowbankKey::Contract(contract_id);
        let mut contract: ContractRecord =
            state.get(&key)?.ok_or_else(|| Error::Fatal(format!("{key} is missing")))?;
        if contract.terms.calf_rule == CalfRule::HouseholdOwns {
            owner = Some(contract.household.clone());
        }
        if contract.animals.len() >= fapiao_types::field::MAX_ITEMS {
            return Err(Error::reject(
                Code::TooMany,
                "mother",
                "the contract holds too many animals",
            ));
        }
        contract.animals.push(c.tag);
        state.put(&key, &contract);
    }
    let calf = AnimalRecord {
        village: id.clone(),
        breed: c.breed.clone(),
        sex: c.sex,
        born: Some(c.date),
        acquired: c.date,
        purchase_price: 0,
        fund: None,
        mother: Some(c.mother),
        owner,
        keeper: mother.keeper.clone(),
        contract: mother.contract,
        status: AnimalStatus::Kept,
        status_date: None,
        costs: 0,
        vaccinations: Vec::new(),
        policy: None,
        claim: None,
        cause: String::new(),
        sale: None,
    };
    state.put(CowbankKey::Animal(c.tag), &calf);
    let mut v = village(state, &id)?;
    push(state, &id, &mut v, ListKind::Animals, c.tag.to_string());
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}

pub(crate) fn vaccinate(
    state: &mut (impl StateAccess + ?Sized),
    c: &Vaccinate,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    text(&c.vaccine, "vaccine", true)?;
    not_future(c.date, ctx, "date")?;
    let mut a = kept_animal(state, &id, &c.tag, "tag")?;
    if a.vaccinations.len() >= MAX_VACCINATIONS {
        return Err(Error::reject(Code::TooMany, "tag", "too many vaccinations recorded"));
    }
    a.vaccinations.push(Vaccination { date: c.date, vaccine: c.vaccine.clone() });
    state.put(CowbankKey::Animal(c.tag), &a);
    Ok(())
}

pub(crate) fn insure(
    state: &mut (impl StateAccess + ?Sized),
    c: &Insure,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    text(&c.policy.policy, "policy.policy", true)?;
    text(&c.policy.insurer, "policy.insurer", true)?;
    positive(c.policy.insured, "policy.insured")?;
    let mut a = kept_animal(state, &id, &c.tag, "tag")?;
    a.policy = Some(c.policy.clone());
    state.put(CowbankKey::Animal(c.tag), &a);
    Ok(())
}

pub(crate) fn cost(
    state: &mut (impl StateAccess + ?Sized),
    c: &RecordCost,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    positive(c.amount, "amount")?;
    not_future(c.date, ctx, "date")?;
    text(&c.memo, "memo", false)?;
    if !matches!(c.purpose, Purpose::Feed | Purpose::Vet | Purpose::Insurance | Purpose::Other) {
        return Err(Error::reject(
            Code::NotACost,
            "purpose",
            format!("{} is not a cost", c.purpose),
        ));
    }
    let mut a = kept_animal(state, &id, &c.tag, "tag")?;
    if let Some(contract_id) = a.contract {
        let key = CowbankKey::Contract(contract_id);
        let contract: ContractRecord =
            state.get(&key)?.ok_or_else(|| Error::Fatal(format!("{key} is missing")))?;
        if contract.terms.cost_bearer == CostBearer::Household {
            return Err(Error::reject(
                Code::CostsBorneByHousehold,
                "tag",
                "under its contract the household bears feed and vet costs",
            ));
        }
    }
    a.costs = a
        .costs
        .checked_add(c.amount)
        .filter(|s| fapiao_values::Fen::new(*s).is_ok())
        .ok_or_else(|| Error::reject(Code::AmountOverflow, "amount", "the costs overflow"))?;
    let mut v = village(state, &id)?;
    let m = Movement {
        fund: &c.fund,
        direction: Direction::Out,
        amount: c.amount,
        source: None,
        purpose: Some(c.purpose),
        date: c.date,
        memo: c.memo.clone(),
        animal: Some(c.tag),
        household: a.keeper.clone(),
        sale: None,
        reverses: None,
        field: "fund",
        earmark_field: "fund",
    };
    post(state, &id, &mut v, m, ctx.tx_hash)?;
    state.put(CowbankKey::Animal(c.tag), &a);
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}

pub(crate) fn death(
    state: &mut (impl StateAccess + ?Sized),
    c: &RecordDeath,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    text(&c.cause, "cause", true)?;
    not_future(c.date, ctx, "date")?;
    let mut a = kept_animal(state, &id, &c.tag, "tag")?;
    let mut v = village(state, &id)?;
    if let Some(claim) = &c.claim {
        if a.policy.is_none() {
            return Err(Error::reject(Code::NotInsured, "claim", "the animal has no policy"));
        }
        text(&claim.claim, "claim.claim", true)?;
        positive(claim.payout, "claim.payout")?;
        let m = Movement {
            fund: &claim.fund,
            direction: Direction::In,
            amount: claim.payout,
            source: Some(Source::InsurancePayout),
            purpose: None,
            date: c.date,
            memo: claim.claim.clone(),
            animal: Some(c.tag),
            household: None,
            sale: None,
            reverses: None,
            field: "claim.fund",
            earmark_field: "claim.fund",
        };
        post(state, &id, &mut v, m, ctx.tx_hash)?;
        a.claim = Some(Claim {
            claim: claim.claim.clone(),
            payout: claim.payout,
            fund: claim.fund.clone(),
        });
    }
    a.status = if c.lost { AnimalStatus::Lost } else { AnimalStatus::Dead };
    a.status_date = Some(c.date);
    a.cause = c.cause.clone();
    state.put(CowbankKey::Animal(c.tag), &a);
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}
