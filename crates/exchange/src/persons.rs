//! Natural persons: consents (granted and revoked by the person, by department, item,
//! purpose and expiry), special additional deduction declarations checked against the
//! standards in force ([`crate::DeductionStandards`]), and the tax authority's
//! verification of each declared item.

use crate::{
    state::{self, Records},
    Code, DeductionStandards, ExchangeLimits,
};
use fapiao_app::{params, Ctx, Error, Result, StateAccess};
use fapiao_exchange_types::{
    consent_lookup, AnswerRecord, ConsentRecord, DeclarationRecord, DeclareDeductions,
    DeclaredItem, DeductionItem, DeductionKind, ExchangeKey, GrantConsent, IdRef, QueryRecord,
    RentTier, RevokeConsent, Verification, VerifyDeclaration,
};
use fapiao_types::OrgKind;

const DAY_MS: u64 = 86_400_000;

/// `exchange_grant_consent`: the consent's id is the transaction's hash; it replaces
/// the lookup of an earlier consent for the same (department, item, purpose).
pub(crate) fn grant(
    state: &mut (impl StateAccess + ?Sized),
    c: &GrantConsent,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<()> {
    state::person(state, &ctx.sender, "sender")?;
    state::department_org(state, &c.department, "department")?;
    state::text(&c.purpose, "purpose", true, state::MAX_PURPOSE_CHARS)?;
    let longest = u64::from(limits.max_consent_days).saturating_mul(DAY_MS);
    if c.expires_ms <= ctx.time_ms || c.expires_ms - ctx.time_ms > longest {
        return Err(Error::reject(
            Code::BadExpiry,
            "expires_ms",
            format!("after now and within {} days", limits.max_consent_days),
        ));
    }
    let record = ConsentRecord {
        person: ctx.sender,
        department: c.department.clone(),
        item: c.item.clone(),
        purpose: c.purpose.clone(),
        granted_ms: ctx.time_ms,
        expires_ms: c.expires_ms,
        revoked_ms: None,
        uses: 0,
    };
    state.put(ExchangeKey::Consent(ctx.tx_hash), &record);
    let lookup = consent_lookup(&ctx.sender, &c.department, &c.item, &c.purpose);
    state.put(ExchangeKey::ConsentFor(lookup), &IdRef { id: ctx.tx_hash });
    Ok(())
}

/// `exchange_revoke_consent`.
pub(crate) fn revoke(
    state: &mut (impl StateAccess + ?Sized),
    c: &RevokeConsent,
    ctx: &Ctx<'_>,
) -> Result<()> {
    let key = ExchangeKey::Consent(c.consent);
    let mut consent: ConsentRecord = state
        .get(&key)?
        .ok_or_else(|| Error::reject(Code::UnknownConsent, "consent", "no such consent"))?;
    if consent.person != ctx.sender {
        return Err(Error::reject(Code::NotYourConsent, "consent", "another person's consent"));
    }
    if consent.revoked_ms.is_some() {
        return Err(Error::reject(Code::AlreadyRevoked, "consent", "revoked already"));
    }
    consent.revoked_ms = Some(ctx.time_ms);
    state.put(&key, &consent);
    Ok(())
}

fn year_of(ctx: &Ctx<'_>) -> u16 {
    u16::try_from(fapiao_values::calendar::china_date(ctx.time_ms).0).unwrap_or(u16::MAX)
}

/// The year's deduction of one item at `std`, or why it is refused (`i` its index).
///
/// # Errors
/// [`Error::Rejected`] with the code and the field of the item at fault.
pub fn deduction(item: &DeductionItem, std: &DeductionStandards, i: usize) -> Result<i64> {
    use DeductionKind as K;
    let f = |name: &str| format!("items[{i}].{name}");
    let yearly = matches!(item.kind, K::SeriousIllness | K::ContinuingEducationCertificate);
    if !(1..=12).contains(&item.months) || (yearly && item.months != 12) {
        return Err(Error::reject(
            Code::BadMonths,
            f("months"),
            if yearly { "12 for a yearly deduction" } else { "1 to 12" },
        ));
    }
    if item.amount <= 0 {
        return Err(Error::reject(Code::BadAmount, f("amount"), "must be positive"));
    }
    let splittable =
        matches!(item.kind, K::ChildrenEducation | K::InfantCare | K::HousingLoanInterest);
    let share_ok = match item.kind {
        _ if splittable => matches!(item.share_bp, 5000 | 10_000),
        K::ElderlySupport if !item.only_child => (1..10_000).contains(&item.share_bp),
        _ => item.share_bp == 10_000,
    };
    if !share_ok {
        return Err(Error::reject(
            Code::BadShare,
            f("share_bp"),
            match item.kind {
                _ if splittable => "5000 (half) or 10000 (all)",
                K::ElderlySupport if !item.only_child => "a sibling's share, below 10000",
                _ => "10000: this deduction is not shared",
            },
        ));
    }
    let share = |full: i64| full.saturating_mul(i64::from(item.share_bp)) / 10_000;
    let monthly_cap = match item.kind {
        K::ChildrenEducation => share(std.children_education_monthly),
        K::InfantCare => share(std.infant_care_monthly),
        K::HousingLoanInterest => share(std.housing_loan_monthly),
        K::ContinuingEducationDegree => std.continuing_degree_monthly,
        K::HousingRent => match item.rent_tier {
            Some(RentTier::Tier1) => std.rent_tier1_monthly,
            Some(RentTier::Tier2) => std.rent_tier2_monthly,
            Some(RentTier::Tier3) => std.rent_tier3_monthly,
            None => {
                return Err(Error::reject(
                    Code::MissingRentTier,
                    f("rent_tier"),
                    "a rent needs its city tier",
                ));
            }
        },
        K::ElderlySupport if item.only_child => std.elderly_only_child_monthly,
        K::ElderlySupport => {
            share(std.elderly_only_child_monthly).min(std.elderly_sibling_max_monthly)
        }
        K::ContinuingEducationCertificate => std.continuing_certificate_yearly,
        K::SeriousIllness => {
            let over = item.amount.saturating_sub(std.serious_illness_threshold);
            if over <= 0 {
                return Err(Error::reject(
                    Code::BelowThreshold,
                    f("amount"),
                    format!(
                        "self-paid costs up to {} fen deduct nothing",
                        std.serious_illness_threshold
                    ),
                ));
            }
            return Ok(over.min(std.serious_illness_cap));
        }
    };
    if item.amount > monthly_cap {
        return Err(Error::reject(
            Code::OverStandard,
            f("amount"),
            format!("at most {monthly_cap} fen{}", if yearly { "" } else { " a month" }),
        ));
    }
    if yearly {
        Ok(item.amount)
    } else {
        Ok(item.amount.saturating_mul(i64::from(item.months)))
    }
}

/// `exchange_declare_deductions`: checks every item at the standards in force on 1
/// January of the tax year and stores the declaration with the year's deductions.
pub(crate) fn declare(
    state: &mut (impl StateAccess + ?Sized),
    c: &DeclareDeductions,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<()> {
    state::person(state, &ctx.sender, "sender")?;
    let this_year = year_of(ctx);
    if c.year > this_year.saturating_add(1) || c.year < this_year.saturating_sub(5) || c.year < 2019
    {
        return Err(Error::reject(
            Code::BadYear,
            "year",
            format!("{} to {}", this_year.saturating_sub(5).max(2019), this_year.saturating_add(1)),
        ));
    }
    let agent = state::org(state, &c.withholding_agent, "withholding_agent")?;
    if agent.kind != OrgKind::Enterprise {
        return Err(Error::reject(Code::WrongKind, "withholding_agent", "not an enterprise"));
    }
    let tax = state::org(state, &c.tax_authority, "tax_authority")?;
    if tax.kind != OrgKind::TaxAuthority {
        return Err(Error::reject(Code::WrongKind, "tax_authority", "not a tax authority"));
    }
    state::count(c.items.len(), "items", true, limits.max_list)?;
    let has = |k: DeductionKind| c.items.iter().any(|i| i.kind == k);
    if has(DeductionKind::HousingLoanInterest) && has(DeductionKind::HousingRent) {
        return Err(Error::reject(
            Code::ExclusiveItems,
            "items",
            "housing-loan interest and housing rent are not deducted together",
        ));
    }
    let (version, std) =
        params::on_date::<DeductionStandards>(state, u32::from(c.year) * 10_000 + 101)?;
    let mut items = Vec::with_capacity(c.items.len());
    let mut total: i64 = 0;
    for (i, item) in c.items.iter().enumerate() {
        let amount = deduction(item, &std, i)?;
        state::sealed_to(
            state,
            &c.tax_authority,
            &item.details,
            limits,
            &format!("items[{i}].details"),
        )?;
        total =
            total.checked_add(amount).filter(|t| fapiao_values::Fen::new(*t).is_ok()).ok_or_else(
                || Error::reject(Code::AmountOverflow, "items", "the total is out of range"),
            )?;
        items.push(DeclaredItem {
            kind: item.kind,
            months: item.months,
            amount: item.amount,
            share_bp: item.share_bp,
            rent_tier: item.rent_tier,
            only_child: item.only_child,
            deduction: amount,
            details: item.details.clone(),
            verification: None,
        });
    }
    let record = DeclarationRecord {
        person: ctx.sender,
        year: c.year,
        withholding_agent: c.withholding_agent.clone(),
        tax_authority: c.tax_authority.clone(),
        items,
        total,
        standards_version: version,
        time_ms: ctx.time_ms,
    };
    state.put(ExchangeKey::Declaration(ctx.tx_hash), &record);
    Ok(())
}

/// `exchange_verify_declaration`: the declaration's tax authority records a verdict on
/// one item, relying on answered queries it asked.
pub(crate) fn verify(
    state: &mut (impl StateAccess + ?Sized),
    c: &VerifyDeclaration,
    ctx: &Ctx<'_>,
    limits: &ExchangeLimits,
) -> Result<()> {
    state::tax_authority(ctx)?;
    let key = ExchangeKey::Declaration(c.declaration);
    let mut d: DeclarationRecord = state.get(&key)?.ok_or_else(|| {
        Error::reject(Code::UnknownDeclaration, "declaration", "no such declaration")
    })?;
    if d.tax_authority != ctx.org.id {
        return Err(Error::reject(
            Code::NotItsTaxAuthority,
            "sender",
            format!("declared to {}", d.tax_authority),
        ));
    }
    let n = d.items.len();
    let item = d.items.get_mut(usize::from(c.item)).ok_or_else(|| {
        Error::reject(Code::UnknownItemIndex, "item", format!("the declaration has {n} items"))
    })?;
    state::count(c.answers.len(), "answers", false, limits.max_list)?;
    if c.verdict == fapiao_exchange_types::Verdict::Verified && c.answers.is_empty() {
        return Err(Error::reject(
            Code::BadEvidence,
            "answers",
            "a verified item relies on an answer",
        ));
    }
    for (i, q) in c.answers.iter().enumerate() {
        let asked = state
            .get::<QueryRecord>(&ExchangeKey::Query(*q))?
            .is_some_and(|r| r.from == ctx.org.id && r.answer.is_some());
        if !asked || state.get::<AnswerRecord>(&ExchangeKey::Answer(*q))?.is_none() {
            return Err(Error::reject(
                Code::BadEvidence,
                format!("answers[{i}]"),
                "not an answered query of this tax authority",
            ));
        }
    }
    item.verification = Some(Verification {
        verdict: c.verdict,
        officer: ctx.sender,
        answers: c.answers.clone(),
        time_ms: ctx.time_ms,
    });
    state.put(&key, &d);
    Ok(())
}
