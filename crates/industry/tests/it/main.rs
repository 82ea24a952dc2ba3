//! The industry application on an in-memory state (every transition, legal and illegal,
//! table-driven, with its code and field; a refusal writes nothing) and over a real
//! `fapiao_ledger::Ledger` (two ledgers with the same secret reach the same state root and
//! the commitment opens; a node with another secret, or none, stops).

mod ledger;
mod model;
mod transitions;

use commonware_codec::Encode;
use fapiao_app::{Ctx, Error, StateAccess};
use fapiao_industry::IndustryApp;
use fapiao_industry_types::*;
use fapiao_types::{
    AccountId, AccountRecord, Action, Effective, OrgKind, OrgRecord, OrgStatus, ParamSchedule,
    ParamValue, ParamVersion, PublicKey, Role, StateKey,
};
use fapiao_values::{Month, Uscc};
use std::collections::BTreeMap;

/// The block time of every test transaction: 2026-12-02, noon in China.
pub(crate) const NOW_MS: u64 = 1_796_184_000_000;
pub(crate) const SECRET: [u8; 32] = [0x5E; 32];
pub(crate) const HUAWEI: Uscc = Uscc::from_const("914403001922038216");
pub(crate) const OTHER: Uscc = Uscc::from_const("91440300708461136T");

pub(crate) const PARK: AccountId = AccountId([1; 32]);
pub(crate) const POWER: AccountId = AccountId([2; 32]);
pub(crate) const SOCIAL: AccountId = AccountId([3; 32]);
pub(crate) const LOGISTICS: AccountId = AccountId([4; 32]);
pub(crate) const POWER2: AccountId = AccountId([5; 32]);
pub(crate) const PARK_CLERK: AccountId = AccountId([6; 32]);

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

/// The industry chain: its organisations, accounts and state; each transaction applies
/// as the ledger would (the role check, then the application; writes kept only on
/// success).
#[derive(Clone)]
pub(crate) struct Chain {
    pub state: Mem,
    orgs: BTreeMap<String, OrgRecord>,
    accounts: BTreeMap<AccountId, AccountRecord>,
    pub secret: Option<[u8; 32]>,
    height: u64,
}

fn org(id: &str, kind: OrgKind) -> OrgRecord {
    OrgRecord { id: id.into(), name: id.into(), kind, tax_id: None, status: OrgStatus::Active }
}

/// `params/industry/secret` pinning `secret` (or nothing).
pub(crate) fn pin(state: &mut Mem, secret: Option<[u8; 32]>) {
    let id = secret.map(|s| fapiao_types::hex32(&fapiao_types::commit::secret_id(&s)));
    let value = serde_json::json!({ "secret_id": id }).to_string();
    let schedule = ParamSchedule {
        versions: vec![ParamVersion {
            version: 0,
            effective: Effective::AtHeight(0),
            value: ParamValue(value),
            enacted_at: 0,
            proposal: 0,
        }],
    };
    state.write(&StateKey::Param("industry/secret".into()), schedule.encode().to_vec());
}

impl Chain {
    pub(crate) fn new() -> Chain {
        let mut c = Chain {
            state: Mem::default(),
            orgs: BTreeMap::new(),
            accounts: BTreeMap::new(),
            secret: Some(SECRET),
            height: 0,
        };
        for o in [
            org("park-operator", OrgKind::Platform),
            org("power", OrgKind::Utility),
            org("power-2", OrgKind::Utility),
            org("social-security", OrgKind::SocialSecurity),
            org("logistics", OrgKind::Logistics),
        ] {
            c.orgs.insert(o.id.clone(), o);
        }
        let a = [Role::IndustryAttester];
        c.account(PARK, "park-operator", &a);
        c.account(PARK_CLERK, "park-operator", &[]);
        c.account(POWER, "power", &a);
        c.account(POWER2, "power-2", &a);
        c.account(SOCIAL, "social-security", &a);
        c.account(LOGISTICS, "logistics", &a);
        pin(&mut c.state, Some(SECRET));
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

    /// Sends `action` from `sender`: `Ok(())`, `Err((code, field))`, or `Err(("fatal",
    /// message))`.
    pub(crate) fn send(
        &mut self,
        sender: AccountId,
        action: IndustryAction,
    ) -> Result<(), (&'static str, String)> {
        self.height += 1;
        let mut tx_hash = [0u8; 32];
        tx_hash[..8].copy_from_slice(&self.height.to_be_bytes());
        let account = &self.accounts[&sender];
        if let Some(role) = action.spec().role {
            if !account.roles.contains(&role) {
                return Err(("missing_role", "sender".into()));
            }
        }
        let ctx = Ctx {
            height: self.height,
            time_ms: NOW_MS,
            tx_hash,
            sender,
            account,
            org: &self.orgs[&account.org],
            chain_id: "fapiao-industry",
            secret: self.secret.as_ref(),
        };
        let app_action = match Action::from(action) {
            Action::App(a) => a,
            _ => unreachable!("an industry action is an application action"),
        };
        let mut staged = self.state.clone();
        match fapiao_app::Application::apply(&IndustryApp, &mut staged, &app_action, &ctx) {
            Ok(_) => {
                self.state = staged;
                Ok(())
            }
            Err(Error::Rejected { code, field, .. }) => Err((code, field)),
            Err(Error::Fatal(m)) => Err(("fatal", m)),
            Err(e) => panic!("{e}"),
        }
    }

    pub(crate) fn get<T: commonware_codec::Read<Cfg = ()>>(&self, key: IndustryKey) -> Option<T> {
        self.state
            .read(&StateKey::from(key))
            .unwrap()
            .map(|b| fapiao_types::decode_exact::<T>(&b, &()).unwrap())
    }
}

pub(crate) fn month(m: u32) -> Month {
    Month::from_yyyymm(m).unwrap()
}

/// Actions, short.
pub(crate) mod act {
    use super::*;

    pub(crate) fn register(uscc: Uscc, name: &str) -> IndustryAction {
        IndustryAction::RegisterEnterprise(RegisterEnterprise { uscc, name: name.into() })
    }

    pub(crate) fn attest(uscc: Uscc, m: u32, metric: Metric, value: u64) -> IndustryAction {
        IndustryAction::Attest(Attest { uscc, month: month(m), metric, value })
    }

    pub(crate) fn correct(
        uscc: Uscc,
        m: u32,
        metric: Metric,
        value: u64,
        reason: &str,
    ) -> IndustryAction {
        IndustryAction::Correct(Correct {
            uscc,
            month: month(m),
            metric,
            value,
            reason: reason.into(),
        })
    }
}
