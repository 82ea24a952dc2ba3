//! A model-based property test: random operations run on the application and on an
//! independent model — a plain list of signed entries and a list of animals, written
//! here without the application's code — and the two must agree on what is refused,
//! every fund's balance, every animal's owner, keeper and status, and every
//! settlement's shares.

use super::*;
use proptest::prelude::*;

const FUNDS: [&str; 2] = ["grant", "income"];
const HOUSEHOLDS: [&str; 2] = ["h1", "h2"];

#[derive(Clone, Debug)]
enum Op {
    Inflow { fund: usize, amount: i64 },
    Outflow { fund: usize, amount: i64, feed: bool },
    Buy { fund: usize, price: i64 },
    Birth { mother: usize },
    Contract { household: usize, animals: Vec<usize>, bp: u16, flags: u8 },
    Cost { animal: usize, fund: usize, amount: i64 },
    Death { animal: usize },
    Sell { animal: usize, fund: usize, price: i64, by_household: bool },
    Reverse { entry: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let amount = 1i64..=3_000_000;
    prop_oneof![
        1 => (0..2usize, amount.clone()).prop_map(|(fund, amount)| Op::Inflow { fund, amount }),
        1 => (0..2usize, amount.clone(), any::<bool>())
            .prop_map(|(fund, amount, feed)| Op::Outflow { fund, amount, feed }),
        3 => (0..2usize, 1i64..=2_000_000).prop_map(|(fund, price)| Op::Buy { fund, price }),
        2 => (0..40usize).prop_map(|mother| Op::Birth { mother }),
        4 => (0..2usize, prop::collection::vec(0..40usize, 1..3), 0..=5500u16, any::<u8>()).prop_map(
            |(household, animals, bp, flags)| Op::Contract { household, animals, bp, flags }
        ),
        2 => (0..40usize, 0..2usize, 1i64..=200_000)
            .prop_map(|(animal, fund, amount)| Op::Cost { animal, fund, amount }),
        1 => (0..40usize).prop_map(|animal| Op::Death { animal }),
        5 => (0..40usize, 0..2usize, amount, any::<bool>()).prop_map(
            |(animal, fund, price, by_household)| Op::Sell { animal, fund, price, by_household }
        ),
        1 => (0..80usize).prop_map(|entry| Op::Reverse { entry }),
    ]
}

/// One entry of the model's ledger: `amount` is signed (+ in, − out).
#[derive(Clone, Debug)]
struct MEntry {
    fund: usize,
    amount: i64,
    /// Recorded by hand (an inflow or an outflow): the only ones that may be reversed.
    by_hand: bool,
    reversed: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum MStatus {
    Kept,
    Sold,
    Dead,
}

#[derive(Clone, Debug)]
struct MAnimal {
    female: bool,
    status: MStatus,
    owner: Option<usize>,
    keeper: Option<usize>,
    contract: Option<usize>,
    price: i64,
    fund: Option<usize>,
    costs: i64,
}

#[derive(Clone, Debug)]
struct MContract {
    household: usize,
    bp: i64,
    capital_return: bool,
    calves_to_household: bool,
    carry_losses: bool,
    household_pays_costs: bool,
    carried: i64,
}

/// What the model expects of a sale.
#[derive(Clone, Debug, PartialEq)]
struct MSale {
    household: Option<usize>,
    net: i64,
    collective: i64,
    household_share: i64,
    payment: i64,
    capital_returned: i64,
}

#[derive(Clone, Debug, Default)]
struct Model {
    entries: Vec<MEntry>,
    animals: Vec<MAnimal>,
    contracts: Vec<MContract>,
}

impl Model {
    fn balance(&self, fund: usize) -> i64 {
        self.entries.iter().filter(|e| e.fund == fund).map(|e| e.amount).sum()
    }

    /// The grant pays for cattle and insurance only; the income fund for anything.
    fn may_pay(fund: usize, cattle_or_insurance: bool) -> bool {
        fund == 1 || cattle_or_insurance
    }

    fn spend(&mut self, fund: usize, amount: i64, allowed: bool, by_hand: bool) -> bool {
        if !allowed || self.balance(fund) < amount {
            return false;
        }
        self.entries.push(MEntry { fund, amount: -amount, by_hand, reversed: false });
        true
    }

    fn kept(&self, i: usize) -> Option<usize> {
        (i < self.animals.len() && self.animals[i].status == MStatus::Kept).then_some(i)
    }

    /// Applies `op`; `Some(sale)` for a sale, `None` when refused, `Some(None)` else.
    fn apply(&mut self, op: &Op) -> Option<Option<MSale>> {
        let before = self.clone();
        let done = self.step(op);
        if done.is_none() {
            *self = before;
        }
        done
    }

    fn step(&mut self, op: &Op) -> Option<Option<MSale>> {
        match op {
            Op::Inflow { fund, amount } => {
                self.entries.push(MEntry {
                    fund: *fund,
                    amount: *amount,
                    by_hand: true,
                    reversed: false,
                });
            }
            Op::Outflow { fund, amount, feed } => {
                // Feed or insurance.
                if !self.spend(*fund, *amount, Self::may_pay(*fund, !feed), true) {
                    return None;
                }
            }
            Op::Buy { fund, price } => {
                if self.animals.len() >= 40 || !self.spend(*fund, *price, true, false) {
                    return None;
                }
                self.animals.push(MAnimal {
                    female: true,
                    status: MStatus::Kept,
                    owner: None,
                    keeper: None,
                    contract: None,
                    price: *price,
                    fund: Some(*fund),
                    costs: 0,
                });
            }
            Op::Birth { mother } => {
                let m = self.kept(*mother)?;
                if !self.animals[m].female || self.animals.len() >= 40 {
                    return None;
                }
                let mother = self.animals[m].clone();
                let owner = match mother.contract {
                    Some(c) if self.contracts[c].calves_to_household => {
                        Some(self.contracts[c].household)
                    }
                    _ => mother.owner,
                };
                self.animals.push(MAnimal {
                    female: false,
                    status: MStatus::Kept,
                    owner,
                    keeper: mother.keeper,
                    contract: mother.contract,
                    price: 0,
                    fund: None,
                    costs: 0,
                });
            }
            Op::Contract { household, animals, bp, flags } => {
                if *bp > 5000 {
                    return None;
                }
                for (i, a) in animals.iter().enumerate() {
                    let a = self.kept(*a)?;
                    let free =
                        self.animals[a].owner.is_none() && self.animals[a].contract.is_none();
                    if !free || animals[..i].contains(&a) {
                        return None;
                    }
                }
                self.contracts.push(MContract {
                    household: *household,
                    bp: i64::from(*bp),
                    capital_return: flags & 1 != 0,
                    calves_to_household: flags & 2 != 0,
                    carry_losses: flags & 4 != 0,
                    household_pays_costs: flags & 8 != 0,
                    carried: 0,
                });
                for a in animals {
                    self.animals[*a].keeper = Some(*household);
                    self.animals[*a].contract = Some(self.contracts.len() - 1);
                }
            }
            Op::Cost { animal, fund, amount } => {
                let a = self.kept(*animal)?;
                if self.animals[a].contract.is_some_and(|c| self.contracts[c].household_pays_costs)
                {
                    return None;
                }
                // Vet costs: the grant does not pay for them.
                if !self.spend(*fund, *amount, Self::may_pay(*fund, false), false) {
                    return None;
                }
                self.animals[a].costs += amount;
            }
            Op::Death { animal } => {
                let a = self.kept(*animal)?;
                self.animals[a].status = MStatus::Dead;
            }
            Op::Sell { animal, fund, price, by_household } => {
                let a = self.kept(*animal)?;
                let beast = self.animals[a].clone();
                // h1 signs for itself; h2 has no account.
                if *by_household && beast.owner != Some(0) {
                    return None;
                }
                let sale = self.settle(&beast, *price);
                let cr = sale.capital_returned;
                match beast.fund.filter(|_| cr > 0) {
                    Some(f) => {
                        if price - cr > 0 {
                            self.entries.push(MEntry {
                                fund: *fund,
                                amount: price - cr,
                                by_hand: false,
                                reversed: false,
                            });
                        }
                        self.entries.push(MEntry {
                            fund: f,
                            amount: cr,
                            by_hand: false,
                            reversed: false,
                        });
                    }
                    None => self.entries.push(MEntry {
                        fund: *fund,
                        amount: *price,
                        by_hand: false,
                        reversed: false,
                    }),
                }
                if sale.payment > 0
                    && !self.spend(*fund, sale.payment, Self::may_pay(*fund, false), false)
                {
                    return None;
                }
                self.animals[a].status = MStatus::Sold;
                return Some(Some(sale));
            }
            Op::Reverse { entry } => {
                let e = self.entries.get(*entry)?.clone();
                if !e.by_hand || e.reversed {
                    return None;
                }
                if e.amount > 0 && self.balance(e.fund) < e.amount {
                    return None;
                }
                self.entries[*entry].reversed = true;
                self.entries.push(MEntry {
                    fund: e.fund,
                    amount: -e.amount,
                    by_hand: false,
                    reversed: false,
                });
            }
        }
        Some(None)
    }

    /// The settlement, computed the other way round from the application: the
    /// household's share as a ceiling of its own part.
    fn settle(&mut self, a: &MAnimal, price: i64) -> MSale {
        let Some(c) = a.contract else {
            let net = price - a.costs;
            return MSale {
                household: None,
                net,
                collective: net.max(0),
                household_share: 0,
                payment: 0,
                capital_returned: 0,
            };
        };
        let k = &mut self.contracts[c];
        let capital = if k.capital_return { a.price } else { 0 };
        let net = price - a.costs - capital;
        let household_part = 10_000 - k.bp;
        let (collective, household_share, payment) = if net >= 0 {
            let hs = (net * household_part + 9_999) / 10_000;
            let repay = hs.min(k.carried);
            k.carried -= repay;
            (net - hs, hs, hs - repay)
        } else {
            if k.carry_losses {
                k.carried += (-net) * household_part / 10_000;
            }
            (0, 0, 0)
        };
        MSale {
            household: Some(k.household),
            net,
            collective,
            household_share,
            payment,
            capital_returned: (price - a.costs).clamp(0, capital),
        }
    }
}

fn action(op: &Op, m: &Model) -> (AccountId, CowbankAction) {
    let tag_of = |i: usize| 1 + i as u32;
    let pick = |i: usize| if m.animals.is_empty() { 0 } else { i % m.animals.len() };
    let a = match op {
        Op::Inflow { fund, amount } => act::inflow(FUNDS[*fund], *amount),
        Op::Outflow { fund, amount, feed } => act::outflow(
            FUNDS[*fund],
            *amount,
            if *feed { Purpose::Feed } else { Purpose::Insurance },
        ),
        Op::Buy { fund, price } => act::buy(tag_of(m.animals.len()), FUNDS[*fund], *price),
        Op::Birth { mother } => act::birth(tag_of(m.animals.len()), tag_of(pick(*mother))),
        Op::Contract { household, animals, bp, flags } => act::contract(
            HOUSEHOLDS[*household],
            &animals.iter().map(|a| tag_of(pick(*a))).collect::<Vec<_>>(),
            ContractTerms {
                collective_share_bp: *bp,
                capital_return: flags & 1 != 0,
                calf_rule: if flags & 2 != 0 {
                    CalfRule::HouseholdOwns
                } else {
                    CalfRule::CollectiveOwns
                },
                loss_rule: if flags & 4 != 0 {
                    LossRule::CarryForward
                } else {
                    LossRule::CollectiveBears
                },
                cost_bearer: if flags & 8 != 0 {
                    CostBearer::Household
                } else {
                    CostBearer::Collective
                },
            },
        ),
        Op::Cost { animal, fund, amount } => {
            act::cost(tag_of(pick(*animal)), FUNDS[*fund], *amount)
        }
        Op::Death { animal } => act::death(tag_of(pick(*animal)), None),
        Op::Sell { animal, fund, price, by_household } => {
            let sale = act::sell(tag_of(pick(*animal)), FUNDS[*fund], *price);
            return (if *by_household { HOUSEHOLD_ACCOUNT } else { MANAGER }, sale);
        }
        Op::Reverse { entry } => CowbankAction::ReverseEntry(ReverseEntry {
            entry: *entry as u64,
            date: date("2026-03-01"),
            reason: "更正".into(),
        }),
    };
    (MANAGER, a)
}

/// The op with its animal indexes resolved as [`action`] resolves them.
fn resolve(op: &Op, m: &Model) -> Op {
    let pick = |i: usize| if m.animals.is_empty() { usize::MAX } else { i % m.animals.len() };
    match op.clone() {
        Op::Birth { mother } => Op::Birth { mother: pick(mother) },
        Op::Contract { household, animals, bp, flags } => {
            Op::Contract { household, animals: animals.into_iter().map(pick).collect(), bp, flags }
        }
        Op::Cost { animal, fund, amount } => Op::Cost { animal: pick(animal), fund, amount },
        Op::Death { animal } => Op::Death { animal: pick(animal) },
        Op::Sell { animal, fund, price, by_household } => {
            Op::Sell { animal: pick(animal), fund, price, by_household }
        }
        other => other,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_application_agrees_with_the_model(ops in prop::collection::vec(op(), 1..60)) {
        let mut chain = Chain::new();
        chain.ok(MANAGER, act::fund("grant", FundSource::Grant, &[Purpose::BuyCattle, Purpose::Insurance]));
        chain.ok(MANAGER, act::fund("income", FundSource::CollectiveIncome, &[]));
        chain.ok(MANAGER, act::household("h1", Some(HOUSEHOLD_ACCOUNT)));
        chain.ok(MANAGER, act::household("h2", None));
        let mut model = Model::default();
        // Both funds start with 200 000 yuan (entries 0 and 1).
        for fund in 0..2 {
            let seed = Op::Inflow { fund, amount: 20_000_000 };
            chain.ok(MANAGER, action(&seed, &model).1);
            model.apply(&seed);
        }
        for op in &ops {
            let (sender, a) = action(op, &model);
            let resolved = resolve(op, &model);
            let expected = model.apply(&resolved);
            let got = chain.send(sender, a);
            prop_assert_eq!(got.is_ok(), expected.is_some(), "{:?} → {:?}", resolved, got);
            if let Some(Some(want)) = expected {
                let sale: SaleRecord = chain.get(CowbankKey::Sale(chain.last_tx)).unwrap();
                let s = sale.settlement;
                let got = MSale {
                    household: s.household.map(|h| HOUSEHOLDS.iter().position(|x| *x == h.as_str()).unwrap()),
                    net: s.net,
                    collective: s.collective_share,
                    household_share: s.household_share,
                    payment: s.household_payment,
                    capital_returned: s.capital_returned,
                };
                prop_assert_eq!(got, want);
                prop_assert_eq!(s.collective_income, s.price - s.household_payment);
            }
            for (i, f) in FUNDS.iter().enumerate() {
                prop_assert_eq!(chain.fund(f).balance, model.balance(i), "fund {}", f);
                prop_assert!(chain.fund(f).balance >= 0);
            }
        }
        prop_assert_eq!(chain.village().entries, model.entries.len() as u64);
        prop_assert_eq!(chain.village().animals, model.animals.len() as u32);
        // Every contract's carried loss, in signing order.
        prop_assert_eq!(chain.village().contracts, model.contracts.len() as u32);
        for (i, m) in model.contracts.iter().enumerate() {
            let item: ListItem =
                chain.get(CowbankKey::List(VILLAGE.into(), ListKind::Contracts, i as u64)).unwrap();
            let id = fapiao_types::parse_hex32("id", &item.id).unwrap();
            let c: ContractRecord = chain.get(CowbankKey::Contract(id)).unwrap();
            prop_assert_eq!(c.carried_loss, m.carried, "carried loss of contract {}", i);
        }
        for (i, m) in model.animals.iter().enumerate() {
            let a = chain.animal(1 + i as u32);
            let name = |h: Option<usize>| h.map(|h| slug(HOUSEHOLDS[h]));
            prop_assert_eq!(a.owner, name(m.owner), "owner of {}", i);
            prop_assert_eq!(a.keeper, name(m.keeper), "keeper of {}", i);
            let status = match m.status {
                MStatus::Kept => AnimalStatus::Kept,
                MStatus::Sold => AnimalStatus::Sold,
                MStatus::Dead => AnimalStatus::Dead,
            };
            prop_assert_eq!(a.status, status);
            prop_assert_eq!(a.costs, m.costs);
        }
    }
}
