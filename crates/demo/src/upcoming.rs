//! The bank (深圳农村商业银行) on the single-chain demo: its application, invoice financing
//! and loans (`fapiao-finance`), runs on a finance chain of its own (`fapiao demo
//! --cross-chain`), so on the tax chain the bank is only a member of the consortium — one of
//! `fapiao init --demo`'s validator hosts, and an organisation a taxpayer may name. Nothing
//! is seeded for it here.

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
