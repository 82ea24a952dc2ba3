//! Settlement worked by hand, one row per case: profit, loss, the odd fen,
//! capital-return contracts, a non-default split, carried losses.

use super::*;
use fapiao_cowbank::settle::{settle, Under};

struct Row {
    desc: &'static str,
    price: i64,
    costs: i64,
    purchase: i64,
    bp: u16,
    capital_return: bool,
    loss_rule: LossRule,
    carried: i64,
    // Expected:
    net: i64,
    collective_share: i64,
    household_share: i64,
    recovered: i64,
    loss_carried: i64,
    payment: i64,
    capital_returned: i64,
    carried_after: i64,
}

fn contract(r: &Row) -> ContractRecord {
    ContractRecord {
        village: VILLAGE.into(),
        household: slug("h1"),
        animals: vec![tag(1)],
        start: date("2026-01-15"),
        end: date("2028-01-14"),
        terms: ContractTerms {
            collective_share_bp: r.bp,
            cost_bearer: CostBearer::Collective,
            capital_return: r.capital_return,
            calf_rule: CalfRule::HouseholdOwns,
            loss_rule: r.loss_rule,
        },
        carried_loss: r.carried,
        sales: 0,
    }
}

#[test]
fn settlements_worked_by_hand() {
    use LossRule::{CarryForward as Carry, CollectiveBears as Bears};
    let rows = [
        Row {
            desc: "the article's 30/70 with capital return: net = 18500.01 − 120.50 − 12000 \
                   = 6379.51; 30 % of 637951 fen is 191385.3 → 191385, the household 446566",
            price: 18500_01,
            costs: 120_50,
            purchase: 12000_00,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 0,
            net: 6379_51,
            collective_share: 1913_85,
            household_share: 4465_66,
            recovered: 0,
            loss_carried: 0,
            payment: 4465_66,
            capital_returned: 12000_00,
            carried_after: 0,
        },
        Row {
            desc: "one fen of profit: 30 % of 1 fen is 0.3 → 0; the odd fen is the household's",
            price: 12000_01,
            costs: 0,
            purchase: 12000_00,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 0,
            net: 1,
            collective_share: 0,
            household_share: 1,
            recovered: 0,
            loss_carried: 0,
            payment: 1,
            capital_returned: 12000_00,
            carried_after: 0,
        },
        Row {
            desc: "333 fen: 30 % is 99.9 → 99, the household 234",
            price: 3_33,
            costs: 0,
            purchase: 0,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 0,
            net: 3_33,
            collective_share: 99,
            household_share: 2_34,
            recovered: 0,
            loss_carried: 0,
            payment: 2_34,
            capital_returned: 0,
            carried_after: 0,
        },
        Row {
            desc: "no capital return: the whole 9000 is profit, 2700 / 6300",
            price: 9000_00,
            costs: 0,
            purchase: 6000_00,
            bp: 3000,
            capital_return: false,
            loss_rule: Bears,
            carried: 0,
            net: 9000_00,
            collective_share: 2700_00,
            household_share: 6300_00,
            recovered: 0,
            loss_carried: 0,
            payment: 6300_00,
            capital_returned: 0,
            carried_after: 0,
        },
        Row {
            desc: "a 20/80 contract: net 10000.07; 20 % is 200001.4 fen → 200001, the \
                   household 800006",
            price: 10000_10,
            costs: 3,
            purchase: 5000_00,
            bp: 2000,
            capital_return: false,
            loss_rule: Bears,
            carried: 0,
            net: 10000_07,
            collective_share: 2000_01,
            household_share: 8000_06,
            recovered: 0,
            loss_carried: 0,
            payment: 8000_06,
            capital_returned: 0,
            carried_after: 0,
        },
        Row {
            desc: "a loss the collective bears: 10000 − 500 − 12000 = −2500; nothing paid, \
                   9500 of capital comes back (costs are recovered first)",
            price: 10000_00,
            costs: 500_00,
            purchase: 12000_00,
            bp: 3000,
            capital_return: true,
            loss_rule: Bears,
            carried: 0,
            net: -2500_00,
            collective_share: 0,
            household_share: 0,
            recovered: 0,
            loss_carried: 0,
            payment: 0,
            capital_returned: 9500_00,
            carried_after: 0,
        },
        Row {
            desc: "the same loss carried forward: the household's 70 % of 2500 is 1750",
            price: 10000_00,
            costs: 500_00,
            purchase: 12000_00,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 0,
            net: -2500_00,
            collective_share: 0,
            household_share: 0,
            recovered: 0,
            loss_carried: 1750_00,
            payment: 0,
            capital_returned: 9500_00,
            carried_after: 1750_00,
        },
        Row {
            desc: "then a profit of 3000 under it: 900 / 2100, of which 1750 repays the \
                   carried loss; 350 is paid",
            price: 15000_00,
            costs: 0,
            purchase: 12000_00,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 1750_00,
            net: 3000_00,
            collective_share: 900_00,
            household_share: 2100_00,
            recovered: 1750_00,
            loss_carried: 0,
            payment: 350_00,
            capital_returned: 12000_00,
            carried_after: 0,
        },
        Row {
            desc: "a carried loss larger than the share: all 700 of the share repays it, \
                   4300 stays carried",
            price: 1000_00,
            costs: 0,
            purchase: 0,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 5000_00,
            net: 1000_00,
            collective_share: 300_00,
            household_share: 700_00,
            recovered: 700_00,
            loss_carried: 0,
            payment: 0,
            capital_returned: 0,
            carried_after: 4300_00,
        },
        Row {
            desc: "a one-fen loss: the household's 0.7 fen rounds to 0 in its favour",
            price: 11999_99,
            costs: 0,
            purchase: 12000_00,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 0,
            net: -1,
            collective_share: 0,
            household_share: 0,
            recovered: 0,
            loss_carried: 0,
            payment: 0,
            capital_returned: 11999_99,
            carried_after: 0,
        },
        Row {
            desc: "a calf (no purchase cost) under a capital-return contract: 4000 split \
                   1200 / 2800",
            price: 4000_00,
            costs: 0,
            purchase: 0,
            bp: 3000,
            capital_return: true,
            loss_rule: Carry,
            carried: 0,
            net: 4000_00,
            collective_share: 1200_00,
            household_share: 2800_00,
            recovered: 0,
            loss_carried: 0,
            payment: 2800_00,
            capital_returned: 0,
            carried_after: 0,
        },
    ];
    for r in &rows {
        let c = contract(r);
        let got = settle(r.price, r.costs, r.purchase, Under::Contract([9; 32], &c)).unwrap();
        let s = &got.settlement;
        let want = (
            r.net,
            r.collective_share,
            r.household_share,
            r.recovered,
            r.loss_carried,
            r.payment,
            r.capital_returned,
            got.carried_loss,
        );
        assert_eq!(
            (
                s.net,
                s.collective_share,
                s.household_share,
                s.loss_recovered,
                s.loss_carried,
                s.household_payment,
                s.capital_returned,
                r.carried_after,
            ),
            want,
            "{}",
            r.desc
        );
        assert_eq!(s.collective_income, r.price - r.payment, "{}", r.desc);
        assert!(s.household_payment >= 0, "{}", r.desc);
        assert_eq!(s.household.as_ref(), Some(&slug("h1")));
        assert_eq!(s.capital, if r.capital_return { r.purchase } else { 0 }, "{}", r.desc);
    }
}

#[test]
fn without_a_contract_the_owner_settles_alone() {
    // The collective's own cow: it keeps the whole 8000, its costs included.
    let s = settle(8000_00, 200_00, 6000_00, Under::Owner(None)).unwrap().settlement;
    assert_eq!((s.collective_share_bp, s.net, s.collective_share), (10000, 7800_00, 7800_00));
    assert_eq!((s.household_payment, s.collective_income, s.household), (0, 8000_00, None));
    // A household's own animal: everything but the collective's costs.
    let h = slug("h2");
    let s = settle(8000_00, 200_00, 0, Under::Owner(Some(&h))).unwrap().settlement;
    assert_eq!((s.household_payment, s.collective_income), (7800_00, 200_00));
}

#[test]
fn a_sale_on_the_chain_moves_the_funds_as_settled() {
    let mut c = village();
    c.ok(MANAGER, act::contract("h1", &[1], terms(3000)));
    c.ok(MANAGER, act::inflow("income", 1000_00));
    c.ok(MANAGER, act::cost(1, "income", 120_50));
    let grant_before = c.fund("grant").balance;
    let income_before = c.fund("income").balance;
    let out = c.ok(MANAGER, act::sell(1, "income", 18500_01));
    assert_eq!(out, TxOutput::Record(c.last_tx));
    let sale: SaleRecord = c.get(CowbankKey::Sale(c.last_tx)).unwrap();
    assert_eq!(sale.settlement.household_payment, 4465_66);
    // The capital goes back to the grant; the income fund gets the rest of the price and
    // pays the household.
    assert_eq!(c.fund("grant").balance, grant_before + 12000_00);
    assert_eq!(c.fund("income").balance, income_before + 18500_01 - 12000_00 - 4465_66);
    let h: HouseholdRecord = c.get(CowbankKey::Household(VILLAGE.into(), slug("h1"))).unwrap();
    assert_eq!((h.sales, h.paid), (1, 4465_66));
    assert_eq!(c.animal(1).status, AnimalStatus::Sold);
}
