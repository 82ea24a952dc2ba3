//! The exchange on an in-memory state: every transition and every refusal with its code
//! and field, the joint alert raised in the block that makes the match, the deduction
//! standards, and a model-based property test of watch entries → alerts.
#![allow(clippy::inconsistent_digit_grouping)]

mod alerts;
/// The ledger tests' builders (genesis, signed transactions, blocks), shared rather than
/// copied: the index tests run the exchange on a real ledger.
#[path = "../../../ledger/tests/it/common.rs"]
#[allow(dead_code)]
mod chain;
mod index;
mod model;
mod persons;
mod refusals;

use fapiao_app::{testing::MemChain, Error};
use fapiao_exchange::ExchangeApp;
use fapiao_exchange_types::*;
use fapiao_types::{AccountId, Hash32, OrgKind, Role, TxOutput};

/// The block time of the first test transaction: 2026-12-02, noon in China.
pub(crate) const NOW_MS: u64 = 1_796_184_000_000;
pub(crate) const DAY_MS: u64 = 86_400_000;

pub(crate) const TAX: &str = "sz-tax";
pub(crate) const POLICE: &str = "sz-police";
pub(crate) const CUSTOMS: &str = "sz-customs";
pub(crate) const PBC: &str = "sz-pbc";
pub(crate) const EDU: &str = "sz-edu";
pub(crate) const EMPLOYER: &str = "kejian";

pub(crate) const TAX_OFFICER: AccountId = AccountId([1; 32]);
pub(crate) const POLICE_OFFICER: AccountId = AccountId([2; 32]);
pub(crate) const CUSTOMS_OFFICER: AccountId = AccountId([3; 32]);
pub(crate) const PBC_OFFICER: AccountId = AccountId([4; 32]);
pub(crate) const EDU_OFFICER: AccountId = AccountId([5; 32]);
pub(crate) const LI_WEI: AccountId = AccountId([6; 32]);
pub(crate) const WANG_FANG: AccountId = AccountId([7; 32]);
pub(crate) const EMPLOYER_ADMIN: AccountId = AccountId([8; 32]);
pub(crate) const TAX_CLERK: AccountId = AccountId([9; 32]);

/// The departments' chain ([`MemChain`]: each transaction applies as the ledger would,
/// one per block, a second apart), with the exchange's records at hand.
pub(crate) struct Chain(MemChain<ExchangeApp>);

impl std::ops::Deref for Chain {
    type Target = MemChain<ExchangeApp>;
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
    /// The organisations and accounts, nothing of the exchange yet.
    pub(crate) fn bare() -> Chain {
        let mut c = MemChain::new(ExchangeApp, NOW_MS, 1_000);
        c.org(TAX, OrgKind::TaxAuthority);
        c.org(POLICE, OrgKind::Police);
        c.org(CUSTOMS, OrgKind::Customs);
        c.org(PBC, OrgKind::CentralBank);
        c.org(EDU, OrgKind::Education);
        c.org(EMPLOYER, OrgKind::Enterprise);
        c.org("wallet", OrgKind::Platform);
        let officer = [Role::ExchangeOfficer];
        c.account(TAX_OFFICER, TAX, &[Role::ExchangeOfficer, Role::TaxOfficer]);
        c.account(POLICE_OFFICER, POLICE, &officer);
        c.account(CUSTOMS_OFFICER, CUSTOMS, &officer);
        c.account(PBC_OFFICER, PBC, &officer);
        c.account(EDU_OFFICER, EDU, &officer);
        c.account(LI_WEI, "wallet", &[Role::Consumer]);
        c.account(WANG_FANG, "wallet", &[Role::Consumer]);
        c.account(EMPLOYER_ADMIN, EMPLOYER, &[Role::OrgAdmin]);
        c.account(TAX_CLERK, TAX, &[Role::TaxOfficer]);
        Chain(c)
    }

    /// Every department but the central bank's with a key; the police and education
    /// catalogues published; Li Wei registered.
    pub(crate) fn ready() -> Chain {
        let mut c = Chain::bare();
        for o in [TAX_OFFICER, POLICE_OFFICER, CUSTOMS_OFFICER, EDU_OFFICER] {
            c.ok(o, act::key(1));
        }
        c.ok(
            POLICE_OFFICER,
            act::catalogue(&[
                ("police.vehicle_owner", &[TAX, CUSTOMS], false),
                ("police.parents_ages", &[TAX], true),
            ]),
        );
        c.ok(EDU_OFFICER, act::catalogue(&[("education.enrolment", &[TAX], true)]));
        c.ok(LI_WEI, act::person(1));
        c
    }

    /// Sends a query and returns its id.
    pub(crate) fn query(&mut self, sender: AccountId, q: Query) -> Hash32 {
        match self.ok(sender, ExchangeAction::Query(q)) {
            TxOutput::Record(id) => {
                assert_eq!(id, self.last_tx);
                id
            }
            other => panic!("{other:?}"),
        }
    }

    pub(crate) fn alert(&self, id: Hash32) -> AlertRecord {
        self.0.get(ExchangeKey::Alert(id)).expect("alert")
    }
}

pub(crate) fn item(s: &str) -> ItemId {
    ItemId::parse(s).unwrap()
}

/// An HPKE-shaped envelope to key epoch `epoch`.
pub(crate) fn env(epoch: u32) -> Envelope {
    Envelope {
        suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
        key_epoch: epoch,
        enc: vec![9; X25519_LEN],
        ciphertext: vec![8; 48],
    }
}

/// Actions, short.
pub(crate) mod act {
    use super::*;

    pub(crate) fn key(fill: u8) -> ExchangeAction {
        ExchangeAction::RegisterKey(RegisterKey {
            suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
            public_key: KeyBytes(vec![fill; 32]),
        })
    }

    pub(crate) fn person(fill: u8) -> ExchangeAction {
        ExchangeAction::RegisterPerson(RegisterPerson {
            suite: EnvelopeSuite::HpkeX25519ChaCha20Poly1305,
            public_key: KeyBytes(vec![fill; 32]),
            resident_commitment: resident_commitment("11010519491231002X", &[fill; 32]),
        })
    }

    pub(crate) fn entry(askers: &[&str], consent: bool) -> CatalogueEntry {
        CatalogueEntry {
            title: "查询".into(),
            subject_kind: if consent { SubjectKind::ResidentId } else { SubjectKind::Uscc },
            answer_schema: vec!["result".into()],
            askers: askers.iter().map(|a| a.to_string()).collect(),
            legal_basis: "《税收征收管理法》第六条".into(),
            consent_required: consent,
        }
    }

    pub(crate) fn catalogue(items: &[(&str, &[&str], bool)]) -> ExchangeAction {
        ExchangeAction::PublishCatalogue(PublishCatalogue {
            changes: items
                .iter()
                .map(|(i, askers, consent)| CatalogueChange {
                    item: item(i),
                    entry: Some(entry(askers, *consent)),
                })
                .collect(),
        })
    }

    pub(crate) fn withdraw(i: &str) -> ExchangeAction {
        ExchangeAction::PublishCatalogue(PublishCatalogue {
            changes: vec![CatalogueChange { item: item(i), entry: None }],
        })
    }

    /// Tax asks the police about a vehicle owner, subject tag `tag`.
    pub(crate) fn vehicle(tag: u8) -> Query {
        Query {
            to: POLICE.into(),
            item: item("police.vehicle_owner"),
            subject_tag: [tag; 32],
            purpose: "深税稽〔2026〕118号".into(),
            person: None,
            envelope: env(1),
        }
    }

    /// Tax asks education about Li Wei's child's enrolment.
    pub(crate) fn enrolment(purpose: &str) -> Query {
        Query {
            to: EDU.into(),
            item: item("education.enrolment"),
            subject_tag: [0x11; 32],
            purpose: purpose.into(),
            person: Some(LI_WEI),
            envelope: env(1),
        }
    }

    pub(crate) fn answer(query: Hash32, outcome: AnswerOutcome) -> ExchangeAction {
        ExchangeAction::Answer(AnswerQuery { query, outcome, envelope: env(1) })
    }

    pub(crate) fn watch(tag: u8, category: WatchCategory) -> ExchangeAction {
        ExchangeAction::Watch(Watch { tag: [tag; 32], category, note: None })
    }

    pub(crate) fn unwatch(tag: u8) -> ExchangeAction {
        ExchangeAction::Unwatch(Unwatch { tag: [tag; 32] })
    }

    pub(crate) fn consent(dept: &str, i: &str, purpose: &str, expires_ms: u64) -> ExchangeAction {
        ExchangeAction::GrantConsent(GrantConsent {
            department: dept.into(),
            item: item(i),
            purpose: purpose.into(),
            expires_ms,
        })
    }
}
