//! The cow bank on an in-memory state: settlement worked by hand, every refusal with its
//! code and field, a year of a village, and a model-based property test.
//!
//! Amounts in fen are written `yuan_fen` (`18500_01` is 18 500.01 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

mod model;
mod refusals;
mod scenario;
mod settlement;

use commonware_codec::Encode;
use fapiao_app::{Ctx, Error, StateAccess};
use fapiao_cowbank::CowbankApp;
use fapiao_cowbank_types::*;
use fapiao_types::{
    AccountId, AccountRecord, Action, ChinaDate, Hash32, OrgKind, OrgRecord, OrgStatus, PublicKey,
    Role, StateKey, TxOutput,
};
use std::collections::BTreeMap;

/// The block time of every test transaction: 2026-12-02, noon in China.
pub(crate) const NOW_MS: u64 = 1_796_184_000_000;

pub(crate) const VILLAGE: &str = "wutong-village";
pub(crate) const MANAGER: AccountId = AccountId([1; 32]);
pub(crate) const HOUSEHOLD_ACCOUNT: AccountId = AccountId([2; 32]);
pub(crate) const OTHER_MANAGER: AccountId = AccountId([3; 32]);
pub(crate) const TOWNSHIP: AccountId = AccountId([4; 32]);
pub(crate) const OFFICER: AccountId = AccountId([5; 32]);

/// A state in memory.
#[derive(Clone, Default)]
pub(crate) struct Mem(pub BTreeMap<String, Vec<u8>>);

impl StateAccess for Mem {
    fn read(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.get(&key.to_string()).cloned())
    }
    fn write(&mut self, key: &StateKey, value: Vec<u8>) {
        self.0.insert(key.to_string(), value);
    }
}

/// A village's chain: its organisations, accounts and state; each transaction applies
/// as the ledger would (the role check, then the application; writes kept only on
/// success).
pub(crate) struct Chain {
    pub state: Mem,
    orgs: BTreeMap<String, OrgRecord>,
    accounts: BTreeMap<AccountId, AccountRecord>,
    txs: u64,
    pub last_tx: Hash32,
}

fn org(id: &str, kind: OrgKind) -> OrgRecord {
    OrgRecord { id: id.into(), name: id.into(), kind, tax_id: None, status: OrgStatus::Active }
}

impl Chain {
    pub(crate) fn new() -> Chain {
        let mut c = Chain {
            state: Mem::default(),
            orgs: BTreeMap::new(),
            accounts: BTreeMap::new(),
            txs: 0,
            last_tx: [0; 32],
        };
        for o in [
            org(VILLAGE, OrgKind::Collective),
            org("other-village", OrgKind::Collective),
            org("sz-tax", OrgKind::TaxAuthority),
        ] {
            c.orgs.insert(o.id.clone(), o);
        }
        c.account(MANAGER, VILLAGE, &[Role::CollectiveManager]);
        c.account(HOUSEHOLD_ACCOUNT, VILLAGE, &[]);
        c.account(OTHER_MANAGER, "other-village", &[Role::CollectiveManager]);
        c.account(TOWNSHIP, "sz-tax", &[Role::Auditor]);
        c.account(OFFICER, "sz-tax", &[Role::TaxOfficer]);
        c
    }

    fn account(&mut self, id: AccountId, org: &str, roles: &[Role]) {
        let record = AccountRecord {
            public_key: PublicKey::Ed25519(id.0),
            org: org.into(),
            name: org.into(),
            roles: roles.to_vec(),
            added_at: 0,
            revoked_at: None,
        };
        self.state.write(&StateKey::Account(id), record.encode().to_vec());
        self.accounts.insert(id, record);
    }

    /// Sends `action` from `sender`: `Ok(output)` or `Err((code, field))`.
    pub(crate) fn send(
        &mut self,
        sender: AccountId,
        action: CowbankAction,
    ) -> Result<TxOutput, (&'static str, String)> {
        self.txs += 1;
        let mut tx_hash = [0u8; 32];
        tx_hash[..8].copy_from_slice(&self.txs.to_be_bytes());
        self.last_tx = tx_hash;
        let account = &self.accounts[&sender];
        if let Some(role) = action.spec().role {
            if !account.roles.contains(&role) {
                return Err(("missing_role", "sender".into()));
            }
        }
        let ctx = Ctx {
            height: self.txs,
            time_ms: NOW_MS,
            tx_hash,
            sender,
            account,
            org: &self.orgs[&account.org],
            chain_id: "fapiao-test",
            secret: None,
        };
        // Through the seam, as the ledger calls it.
        let app_action = match Action::from(action) {
            Action::App(a) => a,
            _ => unreachable!("a cow bank action is an application action"),
        };
        let mut staged = self.state.clone();
        match fapiao_app::Application::apply(&CowbankApp, &mut staged, &app_action, &ctx) {
            Ok(out) => {
                self.state = staged;
                Ok(out)
            }
            Err(Error::Rejected { code, field, .. }) => Err((code, field)),
            Err(e) => panic!("fatal: {e}"),
        }
    }

    /// Sends and expects success.
    pub(crate) fn ok(&mut self, sender: AccountId, action: CowbankAction) -> TxOutput {
        let name = action.name();
        self.send(sender, action).unwrap_or_else(|e| panic!("{name} refused: {e:?}"))
    }

    pub(crate) fn get<T: commonware_codec::Read<Cfg = ()>>(&self, key: CowbankKey) -> Option<T> {
        self.state
            .read(&StateKey::from(key))
            .unwrap()
            .map(|b| fapiao_types::decode_exact::<T>(&b, &()).unwrap())
    }

    pub(crate) fn fund(&self, id: &str) -> FundRecord {
        self.get(CowbankKey::Fund(VILLAGE.into(), slug(id))).unwrap()
    }

    pub(crate) fn animal(&self, n: u32) -> AnimalRecord {
        self.get(CowbankKey::Animal(tag(n))).unwrap()
    }

    pub(crate) fn village(&self) -> VillageRecord {
        self.get(CowbankKey::Village(VILLAGE.into())).unwrap_or_default()
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
