//! The organisation of an application still to come — a bank (cross-chain loans) — on the
//! demo chain already, so that the consortium looks like the one that application is
//! written for and `fapiao init --demo` has the bank among its validator hosts. Nothing is
//! seeded for it yet: when an application's story is
//! written, it declares its organisation itself (the consortium merges declarations by
//! id) and the organisation leaves this list.

use crate::{story::SeedFuture, DemoMember, DemoOrg, Seeding, Story};
use fapiao_types::{OrgKind, Role, Suite};

/// The organisations waiting for their applications' stories.
pub struct UpcomingStory;

impl Story for UpcomingStory {
    fn name(&self) -> &'static str {
        "upcoming"
    }

    fn organisations(&self) -> &'static [DemoOrg] {
        ORGS
    }

    fn seed<'a>(&'a self, _seeding: &'a Seeding<'a>) -> SeedFuture<'a> {
        Box::pin(async { Ok(()) })
    }
}

const ORGS: &[DemoOrg] = &[DemoOrg {
    id: "sz-bank",
    name: "深圳农村商业银行",
    kind: OrgKind::Bank,
    tax_id: "",
    members: &[DemoMember::new("Loan officer", &[Role::BankOfficer], Suite::Sm2)],
}];
