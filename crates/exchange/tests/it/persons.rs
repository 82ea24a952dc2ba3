//! Consents, deduction declarations at the 2023 standards, and their verification.

use crate::*;
use fapiao_exchange::{deduction, DeductionStandards};

fn item_of(kind: DeductionKind, months: u8, amount: i64, share_bp: u16) -> DeductionItem {
    DeductionItem {
        kind,
        months,
        amount,
        share_bp,
        rent_tier: None,
        only_child: false,
        details: env(1),
    }
}

/// A deduction, or a refusal's code and field.
type Expected = Result<i64, (&'static str, &'static str)>;

/// The standards of 国发〔2023〕13号 and 国发〔2018〕41号, item by item: the deduction
/// for the year, or the refusal's code and field.
#[test]
fn deductions_follow_the_2023_standards() {
    use DeductionKind as K;
    let std = DeductionStandards::default();
    let rent = |tier, amount| DeductionItem {
        rent_tier: tier,
        ..item_of(K::HousingRent, 12, amount, 10_000)
    };
    let elderly = |only, amount, share| DeductionItem {
        only_child: only,
        ..item_of(K::ElderlySupport, 12, amount, share)
    };
    let table: Vec<(DeductionItem, Expected)> = vec![
        (item_of(K::ChildrenEducation, 12, 2000_00, 10_000), Ok(24_000_00)),
        (item_of(K::ChildrenEducation, 12, 1000_00, 5000), Ok(12_000_00)),
        (
            item_of(K::ChildrenEducation, 12, 1000_01, 5000),
            Err(("exchange.over_standard", "items[0].amount")),
        ),
        (
            item_of(K::ChildrenEducation, 12, 1000_00, 3000),
            Err(("exchange.bad_share", "items[0].share_bp")),
        ),
        (item_of(K::InfantCare, 7, 2000_00, 10_000), Ok(14_000_00)),
        (item_of(K::ContinuingEducationDegree, 10, 400_00, 10_000), Ok(4_000_00)),
        (
            item_of(K::ContinuingEducationDegree, 10, 400_00, 5000),
            Err(("exchange.bad_share", "items[0].share_bp")),
        ),
        (item_of(K::ContinuingEducationCertificate, 12, 3600_00, 10_000), Ok(3_600_00)),
        (
            item_of(K::ContinuingEducationCertificate, 6, 3600_00, 10_000),
            Err(("exchange.bad_months", "items[0].months")),
        ),
        (item_of(K::SeriousIllness, 12, 45_000_00, 10_000), Ok(30_000_00)),
        (item_of(K::SeriousIllness, 12, 200_000_00, 10_000), Ok(80_000_00)),
        (
            item_of(K::SeriousIllness, 12, 15_000_00, 10_000),
            Err(("exchange.below_threshold", "items[0].amount")),
        ),
        (item_of(K::HousingLoanInterest, 12, 1000_00, 10_000), Ok(12_000_00)),
        (item_of(K::HousingLoanInterest, 12, 500_00, 5000), Ok(6_000_00)),
        (rent(Some(RentTier::Tier1), 1500_00), Ok(18_000_00)),
        (rent(Some(RentTier::Tier2), 1100_01), Err(("exchange.over_standard", "items[0].amount"))),
        (rent(Some(RentTier::Tier3), 800_00), Ok(9_600_00)),
        (rent(None, 800_00), Err(("exchange.missing_rent_tier", "items[0].rent_tier"))),
        (elderly(true, 3000_00, 10_000), Ok(36_000_00)),
        (elderly(false, 1500_00, 5000), Ok(18_000_00)),
        (elderly(false, 1500_01, 6000), Err(("exchange.over_standard", "items[0].amount"))),
        (elderly(false, 1000_00, 10_000), Err(("exchange.bad_share", "items[0].share_bp"))),
        (item_of(K::InfantCare, 13, 1_00, 10_000), Err(("exchange.bad_months", "items[0].months"))),
        (item_of(K::InfantCare, 0, 1_00, 10_000), Err(("exchange.bad_months", "items[0].months"))),
        (item_of(K::InfantCare, 12, 0, 10_000), Err(("exchange.bad_amount", "items[0].amount"))),
    ];
    for (i, (it, want)) in table.into_iter().enumerate() {
        let got = deduction(&it, &std, 0).map_err(|e| match e {
            Error::Rejected { code, field, .. } => (code, field),
            e => panic!("{e}"),
        });
        let got = got.as_ref().map_err(|(c, f)| (*c, f.as_str())).copied();
        assert_eq!(got, want, "row {i}: {it:?}");
    }
}

fn declaration(items: Vec<DeductionItem>) -> ExchangeAction {
    ExchangeAction::DeclareDeductions(DeclareDeductions {
        year: 2026,
        withholding_agent: EMPLOYER.into(),
        tax_authority: TAX.into(),
        items,
    })
}

#[test]
fn a_declaration_is_stored_with_the_years_deductions_and_verified() {
    use DeductionKind as K;
    let mut c = Chain::ready();
    let items = vec![
        item_of(K::ChildrenEducation, 12, 2000_00, 10_000),
        DeductionItem { only_child: true, ..item_of(K::ElderlySupport, 12, 3000_00, 10_000) },
    ];
    c.refused(WANG_FANG, declaration(items.clone()), "exchange.not_registered", "sender");
    let out = c.ok(LI_WEI, declaration(items.clone()));
    let id = c.last_tx;
    assert_eq!(out, TxOutput::Record(id));
    let d: DeclarationRecord = c.get(ExchangeKey::Declaration(id)).unwrap();
    assert_eq!((d.person, d.total, d.standards_version), (LI_WEI, 60_000_00, 0));
    assert_eq!(d.items[0].deduction, 24_000_00);
    // Verification relies on an answered query of the tax authority.
    let purpose = "2026年度专项附加扣除核验";
    c.ok(LI_WEI, act::consent(TAX, "education.enrolment", purpose, NOW_MS + 30 * DAY_MS));
    let q = c.query(TAX_OFFICER, act::enrolment(purpose));
    let verify = |item, verdict, answers: Vec<Hash32>| {
        ExchangeAction::VerifyDeclaration(VerifyDeclaration {
            declaration: id,
            item,
            verdict,
            answers,
        })
    };
    c.refused(
        TAX_OFFICER,
        verify(0, Verdict::Verified, vec![q]),
        "exchange.bad_evidence",
        "answers[0]",
    );
    c.ok(EDU_OFFICER, act::answer(q, AnswerOutcome::Found));
    c.refused(
        POLICE_OFFICER,
        verify(0, Verdict::Verified, vec![q]),
        "exchange.not_tax_authority",
        "sender",
    );
    c.refused(
        TAX_OFFICER,
        verify(2, Verdict::Verified, vec![q]),
        "exchange.unknown_item_index",
        "item",
    );
    c.refused(
        TAX_OFFICER,
        verify(0, Verdict::Verified, vec![]),
        "exchange.bad_evidence",
        "answers",
    );
    c.refused(
        TAX_OFFICER,
        ExchangeAction::VerifyDeclaration(VerifyDeclaration {
            declaration: [3; 32],
            item: 0,
            verdict: Verdict::Verified,
            answers: vec![q],
        }),
        "exchange.unknown_declaration",
        "declaration",
    );
    c.ok(TAX_OFFICER, verify(0, Verdict::Verified, vec![q]));
    c.ok(TAX_OFFICER, verify(1, Verdict::Rejected, vec![]));
    let d: DeclarationRecord = c.get(ExchangeKey::Declaration(id)).unwrap();
    let v0 = d.items[0].verification.as_ref().unwrap();
    assert_eq!(
        (v0.verdict, v0.officer, v0.answers.clone()),
        (Verdict::Verified, TAX_OFFICER, vec![q])
    );
    assert_eq!(d.items[1].verification.as_ref().unwrap().verdict, Verdict::Rejected);
}

#[test]
fn declaration_refusals() {
    use DeductionKind as K;
    let mut c = Chain::ready();
    let ok_item = || item_of(K::ChildrenEducation, 12, 2000_00, 10_000);
    let with = |f: &dyn Fn(&mut DeclareDeductions)| {
        let mut d = DeclareDeductions {
            year: 2026,
            withholding_agent: EMPLOYER.into(),
            tax_authority: TAX.into(),
            items: vec![ok_item()],
        };
        f(&mut d);
        ExchangeAction::DeclareDeductions(d)
    };
    let table: Vec<(ExchangeAction, &str, &str)> = vec![
        (with(&|d| d.year = 2028), "exchange.bad_year", "year"),
        (with(&|d| d.year = 2018), "exchange.bad_year", "year"),
        (
            with(&|d| d.withholding_agent = POLICE.into()),
            "exchange.wrong_kind",
            "withholding_agent",
        ),
        (
            with(&|d| d.withholding_agent = "nobody".into()),
            "exchange.unknown_org",
            "withholding_agent",
        ),
        (with(&|d| d.tax_authority = EMPLOYER.into()), "exchange.wrong_kind", "tax_authority"),
        (with(&|d| d.items.clear()), "exchange.bad_count", "items"),
        (
            with(&|d| {
                d.items = vec![
                    item_of(K::HousingLoanInterest, 12, 1000_00, 10_000),
                    DeductionItem {
                        rent_tier: Some(RentTier::Tier1),
                        ..item_of(K::HousingRent, 12, 1500_00, 10_000)
                    },
                ]
            }),
            "exchange.exclusive_items",
            "items",
        ),
        (
            with(&|d| d.items.push(item_of(K::InfantCare, 12, 2000_01, 10_000))),
            "exchange.over_standard",
            "items[1].amount",
        ),
        (
            with(&|d| d.items[0].details.key_epoch = 3),
            "exchange.wrong_epoch",
            "items[0].details.key_epoch",
        ),
    ];
    for (action, code, field) in table {
        c.refused(LI_WEI, action, code, field);
    }
    c.refused(TAX_OFFICER, with(&|_| ()), "missing_role", "sender");
}

#[test]
fn consents_are_granted_and_revoked_by_their_person() {
    let mut c = Chain::ready();
    let purpose = "核验";
    c.refused(
        WANG_FANG,
        act::consent(TAX, "education.enrolment", purpose, NOW_MS + DAY_MS),
        "exchange.not_registered",
        "sender",
    );
    c.refused(
        LI_WEI,
        act::consent(TAX, "education.enrolment", purpose, NOW_MS),
        "exchange.bad_expiry",
        "expires_ms",
    );
    c.refused(
        LI_WEI,
        act::consent(TAX, "education.enrolment", purpose, NOW_MS + 500 * DAY_MS),
        "exchange.bad_expiry",
        "expires_ms",
    );
    c.refused(
        LI_WEI,
        act::consent(EMPLOYER, "education.enrolment", purpose, NOW_MS + DAY_MS),
        "exchange.wrong_kind",
        "department",
    );
    c.refused(
        LI_WEI,
        act::consent(TAX, "education.enrolment", "", NOW_MS + DAY_MS),
        "exchange.bad_text",
        "purpose",
    );
    c.ok(LI_WEI, act::consent(TAX, "education.enrolment", purpose, NOW_MS + DAY_MS));
    let consent = c.last_tx;
    let r: ConsentRecord = c.get(ExchangeKey::Consent(consent)).unwrap();
    assert_eq!((r.person, r.department.as_str(), r.revoked_ms), (LI_WEI, TAX, None));
    let revoke = ExchangeAction::RevokeConsent(RevokeConsent { consent });
    c.refused(
        LI_WEI,
        ExchangeAction::RevokeConsent(RevokeConsent { consent: [1; 32] }),
        "exchange.unknown_consent",
        "consent",
    );
    c.ok(WANG_FANG, act::person(2));
    c.refused(WANG_FANG, revoke.clone(), "exchange.not_your_consent", "consent");
    c.ok(LI_WEI, revoke.clone());
    c.refused(LI_WEI, revoke, "exchange.already_revoked", "consent");
}
