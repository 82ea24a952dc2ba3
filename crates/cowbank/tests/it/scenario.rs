//! A year of a small village, end to end: the books, the herd and the report agree.

use super::*;

#[test]
fn a_year_of_a_village() {
    let mut c = village();
    c.ok(MANAGER, act::inflow("income", 2000_00));
    c.ok(MANAGER, act::contract("h1", &[1, 2], terms(3000)));
    let mut own_costs = terms(2000);
    own_costs.cost_bearer = CostBearer::Household;
    own_costs.capital_return = false;
    own_costs.calf_rule = CalfRule::CollectiveOwns;
    c.ok(MANAGER, act::contract("h2", &[3], own_costs));
    c.ok(MANAGER, act::insure(2));
    c.ok(MANAGER, act::birth(101, 1));
    c.ok(MANAGER, act::birth(103, 3));
    assert_eq!(c.animal(101).owner, Some(slug("h1")), "the household raising it owns it");
    assert_eq!(c.animal(103).owner, None, "this contract keeps calves the collective's");
    assert_eq!(c.animal(103).keeper, Some(slug("h2")));
    c.ok(MANAGER, act::cost(1, "income", 300_00));
    c.ok(MANAGER, act::death(2, Some(("grant", 8000_00))));
    assert_eq!(c.animal(2).claim.as_ref().unwrap().payout, 8000_00);
    c.ok(MANAGER, act::sell(1, "income", 16000_00));
    c.ok(MANAGER, act::sell(3, "income", 15000_00));
    c.ok(MANAGER, act::report(2026));
    let r: ReportRecord = c.get(CowbankKey::Report(VILLAGE.into(), 2026)).unwrap();
    let f = r.figures;
    assert_eq!((f.bought, f.born, f.died, f.sold, f.herd), (4, 2, 1, 2, 3));
    // Cow 1: 16000 − 300 − 12000 = 3700 → 1110 / 2590. Cow 3 (20/80, no capital
    // return): 15000 → 3000 / 12000.
    assert_eq!(f.paid_to_households, 2590_00 + 12000_00);
    let (grant, income) = (c.fund("grant"), c.fund("income"));
    assert_eq!(f.balance, grant.balance + income.balance);
    // Grant: 100000 − 48000 + 8000 (claim) + 12000 (capital of cow 1).
    assert_eq!(grant.balance, 72000_00);
    // Income: 2000 − 300 + (16000 − 12000) − 2590 + 15000 − 12000.
    assert_eq!(income.balance, 2000_00 - 300_00 + 4000_00 - 2590_00 + 15000_00 - 12000_00);
    assert_eq!(f.inflow - f.outflow, f.balance, "every entry of the year is in the figures");
}
