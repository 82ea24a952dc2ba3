//! The organisations of the applications still to come — a bank (cross-chain loans) and
//! an insurer (vehicle and vessel tax collected with insurance) — on the demo chain
//! already, so that the consortium looks like the one those applications are written for
//! and `fapiao init --demo` has the bank among its validator hosts. Nothing is seeded for them yet: when an application's story is
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

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        id: "sz-bank",
        name: "深圳农村商业银行",
        kind: OrgKind::Bank,
        tax_id: "",
        members: &[DemoMember::new("Loan officer", &[Role::BankOfficer], Suite::Sm2)],
    },
    DemoOrg {
        id: "pingan-insurance",
        name: "中国平安财产保险深圳分公司",
        kind: OrgKind::Insurer,
        tax_id: "",
        members: &[DemoMember::new(
            "Vehicle tax collector",
            &[Role::InsurerCollector],
            Suite::Ed25519,
        )],
    },
];
