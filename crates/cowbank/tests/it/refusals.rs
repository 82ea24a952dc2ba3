//! Every refusal the issue lists, with its code and the field at fault, and the others
//! the rules declare.

use super::*;

fn refused(c: &mut Chain, sender: AccountId, action: CowbankAction) -> (&'static str, String) {
    let before = c.state.0.clone();
    let e = c.send(sender, action).expect_err("refused");
    assert_eq!(c.state.0, before, "a refusal writes nothing");
    e
}

fn is(e: (&'static str, String), code: &str, field: &str) {
    assert_eq!((e.0, e.1.as_str()), (code, field));
}

#[test]
fn a_sale_by_someone_neither_owner_nor_manager() {
    let mut c = village();
    // Another village's manager, and the tax officer (no role needed to send a sale).
    is(
        refused(&mut c, OTHER_MANAGER, act::sell(1, "income", 1000_00)),
        "cowbank.not_owner_or_manager",
        "sender",
    );
    is(
        refused(&mut c, OFFICER, act::sell(1, "income", 1000_00)),
        "cowbank.not_owner_or_manager",
        "sender",
    );
    // The household's account may not sell the collective's cow it keeps...
    c.ok(MANAGER, act::contract("h1", &[1], terms(3000)));
    is(
        refused(&mut c, HOUSEHOLD_ACCOUNT, act::sell(1, "income", 1000_00)),
        "cowbank.not_owner_or_manager",
        "sender",
    );
    // ...but it sells the calf it owns (the calf rule).
    c.ok(MANAGER, act::birth(101, 1));
    assert_eq!(c.animal(101).owner, Some(slug("h1")));
    c.ok(MANAGER, act::inflow("income", 10000_00));
    c.ok(HOUSEHOLD_ACCOUNT, act::sell(101, "income", 4000_00));
}

#[test]
fn selling_a_dead_or_already_sold_animal() {
    let mut c = village();
    c.ok(MANAGER, act::sell(1, "income", 13000_00));
    is(refused(&mut c, MANAGER, act::sell(1, "income", 13000_00)), "cowbank.already_sold", "tag");
    c.ok(MANAGER, act::death(2, None));
    is(refused(&mut c, MANAGER, act::sell(2, "income", 13000_00)), "cowbank.not_alive", "tag");
    is(
        refused(&mut c, MANAGER, act::sell(99, "income", 13000_00)),
        "cowbank.unknown_animal",
        "tag",
    );
}

#[test]
fn a_duplicate_or_malformed_ear_tag() {
    let mut c = village();
    is(refused(&mut c, MANAGER, act::buy(1, "grant", 100_00)), "cowbank.duplicate_ear_tag", "tag");
    is(refused(&mut c, MANAGER, act::birth(2, 1)), "cowbank.duplicate_ear_tag", "tag");
    // A malformed tag never decodes (tests of fapiao-cowbank-types); where it is typed
    // in, a request or a command line, it is refused with its own code.
    for bad in ["25112220000001", "151122200000001", "200000000000001", "2511222000000x1"] {
        match fapiao_cowbank::parse_ear_tag(bad, "tag") {
            Err(Error::Rejected { code, field, .. }) => {
                assert_eq!((code, field.as_str()), ("cowbank.bad_ear_tag", "tag"), "{bad}")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn spending_an_earmarked_grant_on_something_else() {
    let mut c = village();
    is(
        refused(&mut c, MANAGER, act::outflow("grant", 100_00, Purpose::Feed)),
        "cowbank.earmarked",
        "purpose",
    );
    is(refused(&mut c, MANAGER, act::cost(1, "grant", 100_00)), "cowbank.earmarked", "fund");
    // Insurance is in the earmark.
    c.ok(MANAGER, act::outflow("grant", 100_00, Purpose::Insurance));
    // A settlement may not pay households out of the grant either.
    c.ok(MANAGER, act::contract("h2", &[3], terms(3000)));
    is(refused(&mut c, MANAGER, act::sell(3, "grant", 15000_00)), "cowbank.earmarked", "fund");
    // A grant must be earmarked.
    is(
        refused(&mut c, MANAGER, act::fund("g2", FundSource::Grant, &[])),
        "cowbank.grant_needs_earmark",
        "earmark",
    );
}

#[test]
fn an_overdrawn_fund() {
    let mut c = village();
    // 100000 in, 4 × 12000 spent: 52000 left.
    assert_eq!(c.fund("grant").balance, 52000_00);
    is(refused(&mut c, MANAGER, act::buy(5, "grant", 52000_01)), "cowbank.overdrawn", "amount");
    c.ok(MANAGER, act::buy(5, "grant", 52000_00));
    assert_eq!(c.fund("grant").balance, 0);
    is(
        refused(&mut c, MANAGER, act::outflow("income", 1, Purpose::Feed)),
        "cowbank.overdrawn",
        "amount",
    );
    // Reversing an inflow that was spent would overdraw too.
    is(
        refused(
            &mut c,
            MANAGER,
            CowbankAction::ReverseEntry(ReverseEntry {
                entry: 0,
                date: date("2026-02-01"),
                reason: "录错".into(),
            }),
        ),
        "cowbank.overdrawn",
        "amount",
    );
}

#[test]
fn a_change_to_a_countersigned_report() {
    let mut c = village();
    is(refused(&mut c, TOWNSHIP, act::countersign(2026)), "cowbank.unknown_report", "year");
    c.ok(MANAGER, act::report(2026));
    // Refiling before the countersignature replaces it.
    c.ok(MANAGER, act::report(2026));
    is(refused(&mut c, OTHER_MANAGER, act::countersign(2026)), "missing_role", "sender");
    c.ok(TOWNSHIP, act::countersign(2026));
    is(refused(&mut c, MANAGER, act::report(2026)), "cowbank.report_frozen", "year");
    is(refused(&mut c, TOWNSHIP, act::countersign(2026)), "cowbank.report_frozen", "year");
    is(refused(&mut c, MANAGER, act::report(2027)), "cowbank.bad_year", "year");
    let r: ReportRecord = c.get(CowbankKey::Report(VILLAGE.into(), 2026)).unwrap();
    assert_eq!(r.countersigned.unwrap().by, TOWNSHIP);
    assert_eq!(c.village().reports, 1);
}

#[test]
fn the_other_refusals() {
    let mut c = village();
    let e = |c: &mut Chain, a| refused(c, MANAGER, a);
    is(e(&mut c, act::household("h1", None)), "cowbank.household_exists", "household");
    is(e(&mut c, act::household("h3", Some(OFFICER))), "cowbank.not_a_member", "account");
    is(
        e(&mut c, act::fund("grant", FundSource::Grant, &[Purpose::Feed])),
        "cowbank.fund_exists",
        "fund",
    );
    is(e(&mut c, act::inflow("nope", 1)), "cowbank.unknown_fund", "fund");
    is(e(&mut c, act::inflow("income", 0)), "cowbank.bad_amount", "amount");
    is(
        e(&mut c, act::outflow("income", 1, Purpose::HouseholdPayment)),
        "cowbank.reserved_category",
        "purpose",
    );
    is(e(&mut c, act::contract("h9", &[1], terms(3000))), "cowbank.unknown_household", "household");
    is(e(&mut c, act::contract("h1", &[], terms(3000))), "cowbank.empty_contract", "animals");
    is(
        e(&mut c, act::contract("h1", &[1], terms(5001))),
        "cowbank.bad_split",
        "terms.collective_share_bp",
    );
    is(e(&mut c, act::contract("h1", &[1, 1], terms(3000))), "cowbank.not_available", "animals[1]");
    c.ok(MANAGER, act::contract("h1", &[1], terms(3000)));
    is(e(&mut c, act::contract("h2", &[2, 1], terms(3000))), "cowbank.not_available", "animals[1]");
    let mut household_pays = terms(3000);
    household_pays.cost_bearer = CostBearer::Household;
    c.ok(MANAGER, act::contract("h2", &[2], household_pays));
    is(e(&mut c, act::cost(2, "income", 1)), "cowbank.costs_borne_by_household", "tag");
    is(e(&mut c, act::death(3, Some(("grant", 100)))), "cowbank.not_insured", "claim");
    c.ok(MANAGER, act::birth(101, 1));
    is(e(&mut c, act::birth(102, 101)), "cowbank.mother_not_female", "mother");
    is(refused(&mut c, OTHER_MANAGER, act::insure(1)), "cowbank.other_village", "tag");
    is(refused(&mut c, OFFICER, act::report(2026)), "missing_role", "sender");
    let mut future = act::buy(9, "grant", 1);
    if let CowbankAction::BuyAnimal(b) = &mut future {
        b.date = date("2026-12-03");
    }
    is(e(&mut c, future), "cowbank.bad_date", "date");
    let reverse = |entry| {
        CowbankAction::ReverseEntry(ReverseEntry {
            entry,
            date: date("2026-02-01"),
            reason: "x".into(),
        })
    };
    is(e(&mut c, reverse(999)), "cowbank.unknown_entry", "entry");
    is(e(&mut c, reverse(1)), "cowbank.not_reversible", "entry"); // a purchase
    c.ok(MANAGER, act::inflow("income", 500_00));
    let n = c.village().entries - 1;
    c.ok(MANAGER, reverse(n));
    is(e(&mut c, reverse(n)), "cowbank.already_reversed", "entry");
    is(e(&mut c, reverse(n + 1)), "cowbank.not_reversible", "entry"); // the reversal
    is(refused(&mut c, OFFICER, act::countersign(2026)), "missing_role", "sender");
}

/// Every declared code is namespaced and unique.
#[test]
fn the_refusal_table_is_namespaced() {
    fapiao_app::check_unique([("cowbank", fapiao_cowbank::Code::ALL)]).unwrap();
}
