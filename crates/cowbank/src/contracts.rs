//! Contracts: the collective hands animals it owns to a household, on terms (the split,
//! who bears costs, whether capital returns first, the calf rule, the loss rule).

use crate::{
    params::CowbankPolicy,
    state::{household, kept_animal, manager_village, not_future, push, village, Records},
    Code,
};
use fapiao_app::{Ctx, Error, Result, StateAccess};
use fapiao_cowbank_types::{ContractRecord, CowbankKey, ListKind, SignContract};

pub(crate) fn sign(
    state: &mut (impl StateAccess + ?Sized),
    c: &SignContract,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let id = manager_village(ctx)?;
    household(state, &id, &c.household, "household")?;
    not_future(c.start, ctx, "start")?;
    let (_, policy) = fapiao_app::params::at_height::<CowbankPolicy>(state, ctx.height)?;
    if c.end < c.start {
        return Err(Error::reject(Code::BadDate, "end", "the contract ends before it starts"));
    }
    let years = c.end.year().saturating_sub(c.start.year());
    if years > u32::from(policy.max_contract_years) {
        return Err(Error::reject(
            Code::BadDate,
            "end",
            format!("longer than {} years", policy.max_contract_years),
        ));
    }
    let bp = c.terms.collective_share_bp;
    if bp > policy.max_collective_share_bp.min(10_000) {
        return Err(Error::reject(
            Code::BadSplit,
            "terms.collective_share_bp",
            format!("the collective may take at most {} bp", policy.max_collective_share_bp),
        ));
    }
    if c.animals.is_empty() {
        return Err(Error::reject(Code::EmptyContract, "animals", "no animal handed over"));
    }
    let mut animals = Vec::with_capacity(c.animals.len());
    for (i, tag) in c.animals.iter().enumerate() {
        let field = format!("animals[{i}]");
        let a = kept_animal(state, &id, tag, &field)?;
        if a.owner.is_some() || a.contract.is_some() || c.animals[..i].contains(tag) {
            return Err(Error::reject(
                Code::NotAvailable,
                field,
                format!("{tag} is not the collective's free animal"),
            ));
        }
        animals.push((*tag, a));
    }
    for (tag, mut a) in animals {
        a.keeper = Some(c.household.clone());
        a.contract = Some(ctx.tx_hash);
        state.put(CowbankKey::Animal(tag), &a);
    }
    state.put(
        CowbankKey::Contract(ctx.tx_hash),
        &ContractRecord {
            village: id.clone(),
            household: c.household.clone(),
            animals: c.animals.clone(),
            start: c.start,
            end: c.end,
            terms: c.terms.clone(),
            carried_loss: 0,
            sales: 0,
        },
    );
    let mut v = village(state, &id)?;
    push(state, &id, &mut v, ListKind::Contracts, fapiao_types::hex32(&ctx.tx_hash));
    state.put(CowbankKey::Village(id), &v);
    Ok(())
}
