//! The cow bank on an in-memory state: settlement worked by hand, every refusal with its
//! code and field, a year of a village, and a model-based property test.
//!
//! Amounts in fen are written `yuan_fen` (`18500_01` is 18 500.01 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

mod model;
mod refusals;
mod scenario;
mod settlement;

use fapiao_app::{testing::MemChain, Error};
use fapiao_cowbank::CowbankApp;
use fapiao_cowbank_types::*;
use fapiao_types::{AccountId, ChinaDate, OrgKind, Role, TxOutput};

/// The block time of every test transaction: 2026-12-02, noon in China.
pub(crate) const NOW_MS: u64 = 1_796_184_000_000;

pub(crate) const VILLAGE: &str = "wutong-village";
pub(crate) const MANAGER: AccountId = AccountId([1; 32]);
pub(crate) const HOUSEHOLD_ACCOUNT: AccountId = AccountId([2; 32]);
pub(crate) const OTHER_MANAGER: AccountId = AccountId([3; 32]);
pub(crate) const TOWNSHIP: AccountId = AccountId([4; 32]);
pub(crate) const OFFICER: AccountId = AccountId([5; 32]);

/// A village's chain ([`MemChain`]: each transaction applies as the ledger would), with
/// the cow bank's records at hand.
pub(crate) struct Chain(MemChain<CowbankApp>);

impl std::ops::Deref for Chain {
    type Target = MemChain<CowbankApp>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Chain {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Chain {
    pub(crate) fn new() -> Chain {
        let mut c = MemChain::new(CowbankApp, NOW_MS, 0);
        c.org(VILLAGE, OrgKind::Collective);
        c.org("other-village", OrgKind::Collective);
        c.org("sz-tax", OrgKind::TaxAuthority);
        c.account(MANAGER, VILLAGE, &[Role::CollectiveManager]);
        c.account(HOUSEHOLD_ACCOUNT, VILLAGE, &[]);
        c.account(OTHER_MANAGER, "other-village", &[Role::CollectiveManager]);
        c.account(TOWNSHIP, "sz-tax", &[Role::Auditor]);
        c.account(OFFICER, "sz-tax", &[Role::TaxOfficer]);
        Chain(c)
    }

    pub(crate) fn fund(&self, id: &str) -> FundRecord {
        self.0.get(CowbankKey::Fund(VILLAGE.into(), slug(id))).unwrap()
    }

    pub(crate) fn animal(&self, n: u32) -> AnimalRecord {
        self.0.get(CowbankKey::Animal(tag(n))).unwrap()
    }

    pub(crate) fn village(&self) -> VillageRecord {
        self.0.get(CowbankKey::Village(VILLAGE.into())).unwrap_or_default()
    }
}

pub(crate) fn tag(n: u32) -> EarTag {
    EarTag::parse(&format!("2511222{n:08}")).unwrap()
}

pub(crate) fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

pub(crate) fn date(s: &str) -> ChinaDate {
    ChinaDate::parse(s).unwrap()
}

pub(crate) fn terms(bp: u16) -> ContractTerms {
    ContractTerms {
        collective_share_bp: bp,
        cost_bearer: CostBearer::Collective,
        capital_return: true,
        calf_rule: CalfRule::HouseholdOwns,
        loss_rule: LossRule::CarryForward,
    }
}

/// Actions, short.
pub(crate) mod act {
    use super::*;

    pub(crate) fn household(id: &str, account: Option<AccountId>) -> CowbankAction {
        CowbankAction::RegisterHousehold(RegisterHousehold {
            household: slug(id),
            name: format!("户主{id}"),
            resident_commitment: [7; 32],
            group: "一组".into(),
            status: HouseholdStatus::Lifted,
            since: date("2021-03-01"),
            account,
        })
    }

    pub(crate) fn fund(id: &str, source: FundSource, earmark: &[Purpose]) -> CowbankAction {
        CowbankAction::OpenFund(OpenFund {
            fund: slug(id),
            name: id.into(),
            source,
            earmark: earmark.to_vec(),
        })
    }

    pub(crate) fn inflow(fund: &str, amount: i64) -> CowbankAction {
        CowbankAction::RecordInflow(RecordInflow {
            fund: slug(fund),
            amount,
            source: Source::Grant,
            date: date("2026-01-05"),
            memo: String::new(),
        })
    }

    pub(crate) fn outflow(fund: &str, amount: i64, purpose: Purpose) -> CowbankAction {
        CowbankAction::RecordOutflow(RecordOutflow {
            fund: slug(fund),
            amount,
            purpose,
            date: date("2026-02-01"),
            memo: String::new(),
        })
    }

    pub(crate) fn buy(n: u32, fund: &str, price: i64) -> CowbankAction {
        CowbankAction::BuyAnimal(BuyAnimal {
            tag: tag(n),
            breed: "西门塔尔".into(),
            sex: Sex::Female,
            born: None,
            date: date("2026-01-10"),
            price,
            fund: slug(fund),
            seller: "良种场".into(),
        })
    }

    pub(crate) fn birth(n: u32, mother: u32) -> CowbankAction {
        CowbankAction::RecordBirth(RecordBirth {
            tag: tag(n),
            mother: tag(mother),
            sex: Sex::Male,
            breed: "西门塔尔".into(),
            date: date("2026-09-01"),
        })
    }

    pub(crate) fn contract(
        household: &str,
        animals: &[u32],
        terms: ContractTerms,
    ) -> CowbankAction {
        CowbankAction::SignContract(SignContract {
            household: slug(household),
            animals: animals.iter().map(|n| tag(*n)).collect(),
            start: date("2026-01-15"),
            end: date("2028-01-14"),
            terms,
        })
    }

    pub(crate) fn cost(n: u32, fund: &str, amount: i64) -> CowbankAction {
        CowbankAction::RecordCost(RecordCost {
            tag: tag(n),
            fund: slug(fund),
            amount,
            purpose: Purpose::Vet,
            date: date("2026-05-05"),
            memo: String::new(),
        })
    }

    pub(crate) fn death(n: u32, claim: Option<(&str, i64)>) -> CowbankAction {
        CowbankAction::RecordDeath(RecordDeath {
            tag: tag(n),
            date: date("2026-07-07"),
            lost: false,
            cause: "病死".into(),
            claim: claim.map(|(fund, payout)| ClaimPayout {
                claim: "CLM-1".into(),
                payout,
                fund: slug(fund),
            }),
        })
    }

    pub(crate) fn insure(n: u32) -> CowbankAction {
        CowbankAction::Insure(Insure {
            tag: tag(n),
            policy: Policy {
                policy: "P-1".into(),
                insurer: "人保".into(),
                insured: 10000_00,
                until: date("2026-12-31"),
            },
        })
    }

    pub(crate) fn sell(n: u32, fund: &str, price: i64) -> CowbankAction {
        CowbankAction::SellAnimal(SellAnimal {
            tag: tag(n),
            buyer: "牛羊市场".into(),
            weight_kg: 600,
            price,
            date: date("2026-11-20"),
            fund: slug(fund),
        })
    }

    pub(crate) fn report(year: u16) -> CowbankAction {
        CowbankAction::FileReport(FileReport { year, text: "年度报告".into() })
    }

    pub(crate) fn countersign(year: u16) -> CowbankAction {
        CowbankAction::CountersignReport(CountersignReport {
            village: VILLAGE.into(),
            year,
            opinion: "账实相符".into(),
        })
    }
}

/// A village with a grant fund of 100 000 yuan (earmarked for cattle and insurance), an
/// income fund, households h1 (with its own account) and h2, and cows 1–4 bought for
/// 12 000 yuan each.
pub(crate) fn village() -> Chain {
    let mut c = Chain::new();
    c.ok(MANAGER, act::fund("grant", FundSource::Grant, &[Purpose::BuyCattle, Purpose::Insurance]));
    c.ok(MANAGER, act::fund("income", FundSource::CollectiveIncome, &[]));
    c.ok(MANAGER, act::inflow("grant", 100000_00));
    c.ok(MANAGER, act::household("h1", Some(HOUSEHOLD_ACCOUNT)));
    c.ok(MANAGER, act::household("h2", None));
    for n in 1..=4 {
        c.ok(MANAGER, act::buy(n, "grant", 12000_00));
    }
    c
}
