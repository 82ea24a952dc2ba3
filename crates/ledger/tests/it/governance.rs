//! Governance: proposals and the threshold, organisations added and suspended, the tax
//! authority creating enterprises, and parameters taking effect at their activation
//! height (chain mechanics) or on their legal effective date (tax rules).

use crate::common::*;
use fapiao_app::Param;
use fapiao_app::Platform;
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::*;
use fapiao_invoice_types::{InvoiceAction, InvoiceKey};
use fapiao_ledger::{params::ChainMechanics, Ledger, MemStore, Store};
use fapiao_types::*;

/// One China day, in ms.
const DAY: u64 = 86_400_000;

/// The common genesis with two approvals (of three organisations) to enact.
fn ledger(threshold: u32) -> (Ledger<MemStore>, Orgs) {
    let (mut g, o) = genesis();
    g.governance.threshold = threshold;
    (Ledger::open(MemStore::new(), g).unwrap(), o)
}

/// Executes the next block at `time_ms`.
fn run_at<S: Store>(l: &Ledger<S>, time_ms: u64, txs: Vec<SignedTx>) -> Vec<Receipt> {
    let tip = l.executed_tip();
    let b = Block::child(&tip.header, time_ms, 0, (tip.height, tip.state_root), txs);
    l.execute_block(&b, b"cert").unwrap()
}

fn propose(by: &SigningKey, nonce: u64, change: Change) -> SignedTx {
    tx(by, nonce, 10_000, Action::Propose(Propose { change, note: "test".into() }))
}

fn approve(by: &SigningKey, nonce: u64, id: u64) -> SignedTx {
    tx(by, nonce, 10_000, Action::ApproveProposal(ProposalRef { id }))
}

fn ok(r: &[Receipt]) {
    assert!(r.iter().all(|r| r.outcome.is_ok()), "{r:?}");
}

fn proposal<S: Store>(l: &Ledger<S>, id: u64) -> ProposalRecord {
    l.get::<ProposalRecord>(&StateKey::Proposal(id)).unwrap().unwrap()
}

fn set_param(param: &str, effective: Effective, value: String) -> Change {
    Change::SetParam { param: param.into(), effective, value: ParamValue(value) }
}

#[test]
fn an_organisation_added_by_governance_acts_under_its_new_accounts() {
    let (l, o) = ledger(2);
    let insurer_admin = key(40, Suite::Ed25519);
    let add_insurer = Change::AddOrganisation(NewOrganisation {
        id: "pingan-sz".into(),
        name: "平安产险深圳分公司".into(),
        kind: OrgKind::Insurer,
        tax_id: None,
        admins: vec![NewAdmin { public_key: insurer_admin.public_key(), name: "admin".into() }],
    });
    let r = run(&l, vec![propose(&o.tax_admin, 1, add_insurer)]);
    ok(&r);
    assert_eq!(r[0].output, TxOutput::Proposal(1), "the receipt names the proposal");
    assert_eq!(proposal(&l, 1).status, ProposalStatus::Open);
    assert!(l.get::<OrgRecord>(&StateKey::Org("pingan-sz".into())).unwrap().is_none());

    // The proposer's organisation approved by proposing; a second approval of it counts
    // for nothing; the insurer's admin cannot act yet.
    let collector = key(41, Suite::Sm2);
    let r = run(
        &l,
        vec![
            approve(&o.tax_admin, 2, 1),
            approve(&o.firm_admin, 3, 99),
            add(&insurer_admin, 4, &collector, vec![Role::InsurerCollector]),
        ],
    );
    assert_eq!(code(&r[0]), Platform::AlreadyApproved.code());
    assert_eq!(code(&r[1]), Platform::UnknownProposal.code());
    assert_eq!(code(&r[2]), Platform::UnknownAccount.code());

    // The bank's approval reaches the threshold: enacted in that transaction.
    ok(&run(&l, vec![approve(&o.bank_admin, 5, 1)]));
    let p = proposal(&l, 1);
    assert_eq!(p.status, ProposalStatus::Enacted);
    assert_eq!(p.approvals, vec!["sz-tax".to_string(), "bank".to_string()]);
    let org = l.get::<OrgRecord>(&StateKey::Org("pingan-sz".into())).unwrap().unwrap();
    assert_eq!((org.kind, org.status), (OrgKind::Insurer, OrgStatus::Active));

    // Its admin adds a collector, who acts; roles still fit the kind.
    let r = run(
        &l,
        vec![
            add(&insurer_admin, 6, &collector, vec![Role::InsurerCollector]),
            add(&insurer_admin, 7, &key(42, Suite::Ed25519), vec![Role::TaxOfficer]),
            approve(&o.firm_admin, 8, 1),
        ],
    );
    assert_eq!(code(&r[0]), "ok");
    assert_eq!(code(&r[1]), Platform::RoleNotAllowed.code());
    assert_eq!(code(&r[2]), Platform::ProposalClosed.code());
    assert_eq!(l.account(&collector.account_id()).unwrap().unwrap().org, "pingan-sz");
}

#[test]
fn a_suspended_organisation_can_send_nothing_until_reinstated() {
    let (l, o) = ledger(2);
    let suspend =
        Change::SetOrganisationStatus { org: "bank".into(), status: OrgStatus::Suspended };
    ok(&run(&l, vec![propose(&o.tax_admin, 1, suspend), approve(&o.firm_admin, 2, 1)]));
    let member = key(50, Suite::Ed25519);
    let r = run(&l, vec![add(&o.bank_admin, 3, &member, vec![Role::BankOfficer])]);
    assert_eq!(code(&r[0]), Platform::OrgInactive.code());
    // Admission refuses it too, before it reaches a block.
    let stx = add(&o.bank_admin, 4, &member, vec![Role::BankOfficer]);
    assert_eq!(l.check_against_state(&stx).unwrap_err().code, Platform::OrgInactive.code());
    // Nor can the bank vote meanwhile; the others reinstate it.
    let reinstate = Change::SetOrganisationStatus { org: "bank".into(), status: OrgStatus::Active };
    let r = run(&l, vec![propose(&o.bank_admin, 5, reinstate.clone())]);
    assert_eq!(code(&r[0]), Platform::OrgInactive.code());
    ok(&run(&l, vec![propose(&o.tax_admin, 6, reinstate), approve(&o.firm_admin, 7, 2)]));
    ok(&run(&l, vec![add(&o.bank_admin, 8, &member, vec![Role::BankOfficer])]));
}

#[test]
fn table_of_governance_refusals() {
    let (l, o) = ledger(2);
    let mechanics = serde_json::to_string(&ChainMechanics::default()).unwrap();
    let tip = l.executed_tip().height;
    let cases: Vec<(&str, SignedTx, &str)> = vec![
        (
            "a non-admin cannot propose",
            tx(
                &key(60, Suite::Ed25519),
                1,
                100,
                Action::Propose(Propose {
                    change: Change::RemoveFullNode { public_key: [1; 32] },
                    note: String::new(),
                }),
            ),
            Platform::UnknownAccount.code(),
        ),
        (
            "governance does not create enterprises",
            propose(
                &o.tax_admin,
                2,
                Change::AddOrganisation(NewOrganisation {
                    id: "shop".into(),
                    name: "Shop".into(),
                    kind: OrgKind::Enterprise,
                    tax_id: Some("91350100M000100Y43".parse().unwrap()),
                    admins: vec![NewAdmin {
                        public_key: key(61, Suite::Ed25519).public_key(),
                        name: "a".into(),
                    }],
                }),
            ),
            Platform::KindNotAllowed.code(),
        ),
        (
            "an existing organisation id",
            propose(
                &o.tax_admin,
                3,
                Change::AddOrganisation(NewOrganisation {
                    id: "bank".into(),
                    name: "Bank 2".into(),
                    kind: OrgKind::Bank,
                    tax_id: None,
                    admins: vec![NewAdmin {
                        public_key: key(62, Suite::Ed25519).public_key(),
                        name: "a".into(),
                    }],
                }),
            ),
            Platform::OrgExists.code(),
        ),
        (
            "an admin key that is already an account",
            propose(
                &o.tax_admin,
                4,
                Change::AddOrgAdmin {
                    org: "bank".into(),
                    admin: NewAdmin { public_key: o.firm_admin.public_key(), name: "a".into() },
                },
            ),
            Platform::AccountExists.code(),
        ),
        (
            "an unknown organisation",
            propose(
                &o.tax_admin,
                5,
                Change::SetOrganisationStatus { org: "nobody".into(), status: OrgStatus::Removed },
            ),
            Platform::UnknownOrg.code(),
        ),
        (
            "the same status",
            propose(
                &o.tax_admin,
                6,
                Change::SetOrganisationStatus { org: "bank".into(), status: OrgStatus::Active },
            ),
            Platform::NoChange.code(),
        ),
        (
            "an unknown parameter",
            propose(
                &o.tax_admin,
                7,
                set_param("chain/colour", Effective::AtHeight(500), "{}".into()),
            ),
            Platform::UnknownParam.code(),
        ),
        (
            "a value the owner refuses",
            propose(
                &o.tax_admin,
                8,
                set_param(
                    ChainMechanics::ID,
                    Effective::AtHeight(500),
                    r#"{"max_block_txs":0,"expiry_window":600,"max_clock_drift_ms":0}"#.into(),
                ),
            ),
            Platform::InvalidParam.code(),
        ),
        (
            "above the genesis decoding cap",
            propose(
                &o.tax_admin,
                9,
                set_param(
                    ChainMechanics::ID,
                    Effective::AtHeight(500),
                    r#"{"max_block_txs":99999,"expiry_window":600,"max_clock_drift_ms":0}"#.into(),
                ),
            ),
            Platform::InvalidParam.code(),
        ),
        (
            "mechanics sooner than the activation delay",
            propose(
                &o.tax_admin,
                10,
                set_param(ChainMechanics::ID, Effective::AtHeight(tip + 5), mechanics.clone()),
            ),
            Platform::BadEffective.code(),
        ),
        (
            "mechanics by date",
            propose(
                &o.tax_admin,
                11,
                set_param(ChainMechanics::ID, Effective::OnDate(20300101), mechanics.clone()),
            ),
            Platform::BadEffective.code(),
        ),
        (
            "tax rules in the past",
            propose(
                &o.tax_admin,
                12,
                set_param(
                    fapiao_invoice::TaxRules::ID,
                    Effective::OnDate(20250101),
                    serde_json::to_string(&fapiao_invoice::TaxRules::default()).unwrap(),
                ),
            ),
            Platform::BadEffective.code(),
        ),
        (
            "removing a full node never listed",
            propose(&o.tax_admin, 13, Change::RemoveFullNode { public_key: [7; 32] }),
            Platform::UnknownNode.code(),
        ),
        (
            "listing a validator's key as a full node",
            propose(
                &o.tax_admin,
                14,
                Change::AddFullNode { name: "n".into(), org: "sz-tax".into(), public_key: [9; 32] },
            ),
            Platform::NodeExists.code(),
        ),
        (
            "the tax authority creates enterprises only",
            tx(
                &o.tax_admin,
                15,
                100,
                Action::CreateEnterprise(NewOrganisation {
                    id: "x".into(),
                    name: "X".into(),
                    kind: OrgKind::Enterprise,
                    tax_id: Some("91350100M000100Y43".parse().unwrap()),
                    admins: vec![],
                }),
            ),
            Platform::MissingRole.code(),
        ),
    ];
    let root = l.executed_tip().state_root;
    for (what, stx, want) in cases {
        let before = l.executed_tip();
        let r = run(&l, vec![stx]);
        assert_eq!(code(&r[0]), want, "{what}: {r:?}");
        assert_eq!(l.executed_tip().state_root, before.state_root, "{what} changed the state");
    }
    assert_eq!(l.executed_tip().state_root, root);
    assert!(l.get::<ProposalSeq>(&StateKey::ProposalSeq).unwrap().is_none(), "no id was used");
}

#[test]
fn chain_mechanics_take_effect_exactly_at_the_activation_height() {
    let (l, o) = ledger(1);
    let delay = l.genesis().governance.activation_delay;
    let tip = l.executed_tip().height;
    let activation = tip + 1 + delay + 3;
    let new = ChainMechanics {
        max_block_txs: 2,
        expiry_window: 50,
        max_clock_drift_ms: 500,
        ..ChainMechanics::default()
    };
    let change = set_param(
        ChainMechanics::ID,
        Effective::AtHeight(activation),
        serde_json::to_string(&new).unwrap(),
    );
    ok(&run(&l, vec![propose(&o.tax_admin, 1, change)]));
    assert_eq!(proposal(&l, 1).status, ProposalStatus::Enacted, "threshold 1 enacts at once");
    let h = l.executed_tip().height;
    let old = ChainMechanics::from(&l.genesis().consensus);
    assert_eq!(l.mechanics_at(h, activation - 1).unwrap().unwrap(), old);
    assert_eq!(l.mechanics_at(h, activation).unwrap().unwrap(), new);
    // Read at a state height before the change, the old version answers.
    assert_eq!(l.mechanics_at(h - 1, activation).unwrap().unwrap(), old);
    assert_eq!(l.block_tx_cap(h, activation - 1).unwrap(), old.max_block_txs as usize);
    assert_eq!(l.block_tx_cap(h, activation).unwrap(), 2);

    // Up to the activation height a block may carry three transactions; from it on,
    // one with three is refused by every validator's check.
    while l.executed_tip().height + 2 < activation {
        run(&l, vec![]);
    }
    let three = |n: u64| {
        (0..3)
            .map(|i| add(&o.tax_admin, n + i, &key(70 + i as u8, Suite::Ed25519), vec![]))
            .collect::<Vec<_>>()
    };
    let before = next_block(&l, three(100));
    assert_eq!(before.header.height, activation - 1);
    assert!(l.check_block_txs_except(&before, |_| false));
    ok(&l.execute_block(&before, b"cert").unwrap());
    let at = next_block(&l, three(200));
    assert_eq!(at.header.height, activation);
    assert_eq!(l.block_txs_refusal(&at, |_| false).unwrap_err().code, Platform::TooLarge.code());
    // Admission now holds expiries to the new, shorter window.
    let tip = l.tip().height;
    let far =
        tx(&o.tax_admin, 300, tip + 51, Action::RevokeAccount { account: AccountId([1; 32]) });
    assert_eq!(l.check_against_state(&far).unwrap_err().code, Platform::ExpiryTooFar.code());
    let near =
        tx(&o.tax_admin, 301, tip + 50, Action::RevokeAccount { account: AccountId([1; 32]) });
    assert!(l.check_against_state(&near).is_ok());
}

/// The PRC schedule with the 13% rate replaced by 12% from `from` on.
fn rules_with_12_percent_from(from: u32, until: u32) -> fapiao_invoice::TaxRules {
    let mut rules = fapiao_invoice::TaxRules::default();
    let thirteen = fapiao_invoice_rules::RateCode::parse("0.13").unwrap();
    let entry =
        rules.rates.iter_mut().find(|e| e.code == thirteen && e.effective_until.is_none()).unwrap();
    entry.effective_until = Some(until);
    let mut twelve = entry.clone();
    twelve.code = fapiao_invoice_rules::RateCode::parse("0.12").unwrap();
    twelve.effective_from = from;
    twelve.effective_until = None;
    rules.rates.push(twelve);
    rules
}

fn issue(by: &SigningKey, nonce: u64, seller: &str, rate: &str) -> SignedTx {
    tx(
        by,
        nonce,
        100_000,
        Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
            seller: seller.parse().unwrap(),
            kind: InvoiceKind::Ordinary,
            type_code: "82".into(),
            buyer: Buyer {
                kind: BuyerKind::Person,
                name: "李伟".into(),
                tax_id: None,
                holder: None,
            },
            lines: vec![LineInput {
                name: "*办公用品*办公椅".into(),
                tax_code: "1060201070000000000".into(),
                spec: String::new(),
                unit: String::new(),
                quantity: None,
                unit_price: None,
                amount: Some(36_000),
                gross: None,
                rate: rate.parse().unwrap(),
                tax: None,
            }],
            remarks: String::new(),
            salt: [nonce as u8; 32],
            industry: None,
        })),
    )
}

#[test]
fn an_enterprise_created_by_the_tax_authority_issues_under_a_vat_rate_changed_by_governance() {
    let (l, o) = ledger(1);
    let start = l.executed_tip().header.time_ms;
    let today = fapiao_invoice::china_date(start).yyyymmdd();
    let tomorrow = fapiao_invoice::china_date(start + DAY).yyyymmdd();

    // The tax authority creates the shop; its admin adds a POS; the officer registers it.
    let officer = key(80, Suite::Ed25519);
    let shop_admin = key(81, Suite::Ed25519);
    let pos = key(82, Suite::Sm2);
    const SHOP: &str = "91350100M000100Y43";
    ok(&run(&l, vec![add(&o.tax_admin, 1, &officer, vec![Role::TaxOfficer])]));
    let create = Action::CreateEnterprise(NewOrganisation {
        id: "shop".into(),
        name: "福州某商店".into(),
        kind: OrgKind::Enterprise,
        tax_id: Some(SHOP.parse().unwrap()),
        admins: vec![NewAdmin { public_key: shop_admin.public_key(), name: "owner".into() }],
    });
    let r = run(&l, vec![tx(&officer, 2, 100, create)]);
    ok(&r);
    assert_eq!(r[0].output, TxOutput::None);
    assert!(l.get::<OrgRecord>(&StateKey::Org("shop".into())).unwrap().is_some());
    ok(&run(&l, vec![add(&shop_admin, 3, &pos, vec![Role::MerchantIssuer])]));
    let register = Action::from(InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
        uscc: SHOP.parse().unwrap(),
        name: "福州某商店".into(),
        region: "350100".parse().unwrap(),
        seller_type: SellerType::General,
        issuers: vec![pos.public_key().account_id()],
    }));
    let grant = Action::from(InvoiceAction::GrantCredit(GrantCredit {
        uscc: SHOP.parse().unwrap(),
        monthly_ceiling: 100_000_000,
    }));
    ok(&run(&l, vec![tx(&officer, 4, 100, register), tx(&officer, 5, 100, grant)]));

    // Today: 13% is in force, 12% is not.
    let r = run(&l, vec![issue(&pos, 6, SHOP, "0.13"), issue(&pos, 7, SHOP, "0.12")]);
    assert_eq!(code(&r[0]), "ok");
    assert_eq!(code(&r[1]), "invoice.unknown_rate");
    let blue = r[0].output.invoice().unwrap();
    let public =
        l.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(blue))).unwrap().unwrap();
    assert_eq!(public.rules_version, 0);

    // Governance: from tomorrow, 12% replaces 13%.
    let rules = rules_with_12_percent_from(tomorrow, today);
    let change = set_param(
        fapiao_invoice::TaxRules::ID,
        Effective::OnDate(tomorrow),
        serde_json::to_string(&rules).unwrap(),
    );
    ok(&run(&l, vec![propose(&o.tax_admin, 8, change)]));
    // Still today: the old rules apply.
    let r = run(&l, vec![issue(&pos, 9, SHOP, "0.12")]);
    assert_eq!(code(&r[0]), "invoice.unknown_rate");

    // Tomorrow: 12% in force under version 1; 13% refused; a red letter for today's 13%
    // invoice keeps its rate and its rules version.
    let t = start + DAY;
    let red = Action::from(InvoiceAction::RaiseRedForm(RaiseRedForm {
        blue_number: blue,
        reason: RedReason::IssuingError,
        lines: vec![],
        salt: [99; 32],
    }));
    let r = run_at(
        &l,
        t,
        vec![
            issue(&pos, 10, SHOP, "0.12"),
            issue(&pos, 11, SHOP, "0.13"),
            tx(&pos, 12, 100_000, red),
        ],
    );
    assert_eq!(code(&r[0]), "ok", "{r:?}");
    assert_eq!(code(&r[1]), "invoice.rate_not_effective");
    assert_eq!(code(&r[2]), "ok", "{r:?}");
    let new = l
        .get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(r[0].output.invoice().unwrap())))
        .unwrap()
        .unwrap();
    assert_eq!((new.date.yyyymmdd(), new.rules_version), (tomorrow, 1));
    let body = l
        .get::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(
            r[0].output.invoice().unwrap(),
        )))
        .unwrap()
        .unwrap();
    assert_eq!((body.lines[0].rate.to_string().as_str(), body.lines[0].tax), ("0.12", 4_320));
    let TxOutput::RedForm(form) = r[2].output else { panic!("{r:?}") };
    let form = l.get::<RedFormRecord>(&StateKey::from(InvoiceKey::RedForm(form))).unwrap().unwrap();
    let red_number = form.red_number.unwrap();
    let red_public =
        l.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(red_number))).unwrap().unwrap();
    assert_eq!(red_public.rules_version, 0, "the red invoice is computed under its blue's rules");
    let red_body = l
        .get::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(red_number)))
        .unwrap()
        .unwrap();
    assert_eq!(
        (red_body.lines[0].rate.to_string().as_str(), red_body.lines[0].tax),
        ("0.13", -4_680)
    );
}
