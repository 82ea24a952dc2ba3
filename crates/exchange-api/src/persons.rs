//! Natural persons: registering with the exchange (an encryption key this node keeps for
//! the custodial account, and a salted commitment to the resident ID), declaring special
//! additional deductions, consents, the access log; the tax officer's verification of a
//! declared item; and the withholding agent's view, amounts only.

use crate::common::*;
use crate::json::*;
use crate::queries::json_body;
use crate::secrets::{self, get};
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{commit, error::ApiError, money::yuan, ApiResult, ApiState, St};
use fapiao_exchange::index;
use fapiao_exchange_types::{
    resident_commitment, ConsentRecord, DeclarationRecord, DeclareDeductions, DeductionItem,
    DeductionKind, ExchangeAction, ExchangeKey, GrantConsent, KeyBytes, PersonRecord,
    RegisterPerson, RentTier, RevokeConsent, Verdict, VerifyDeclaration,
};
use fapiao_types::{hex32, AccountId, ChinaDate, OrgKind, Role};
use fapiao_values::{Fen, ResidentId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const LIST: usize = 200;

/// Register with the exchange.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RegisterJson {
    /// The person's resident ID (committed with a fresh salt; never stored in the clear).
    pub resident_id: String,
}

/// The registration's answer.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RegisteredJson {
    /// The account.
    pub account: String,
    /// The key epoch.
    pub epoch: u32,
    /// The salt of the resident-ID commitment (hex): shown with the ID to a department
    /// that must check the binding. Keep it.
    pub salt: String,
}

fn person_dir(account: &AccountId) -> String {
    format!("persons/{account}")
}

/// Register the caller (a consumer) with the exchange: this node generates and keeps
/// an encryption key for the account and commits to the resident ID with a fresh salt.
#[utoipa::path(post, path = "/v1/exchange/me/register", tag = "exchange",
    request_body = RegisterJson, security(("bearer" = [])),
    responses((status = 200, body = RegisteredJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 409, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn register(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<RegisterJson>, JsonRejection>,
) -> ApiResult<Json<RegisteredJson>> {
    let (who, _) = require(&st, &headers, Role::Consumer, "exchange_register_person")?;
    let j = json_body(body)?;
    let id = fapiao_api::error::parse_value::<ResidentId>("resident_id", j.resident_id.trim())?;
    let account = who.account;
    let epoch = get::<PersonRecord>(&*st.reader, ExchangeKey::Person(account))?
        .map_or(1, |p| p.key_epoch + 1);
    let salt: [u8; 32] = rand::random();
    let public = secrets::generate(
        &st,
        &person_dir(&account),
        epoch,
        fapiao_envelope::Suite::HpkeX25519ChaCha20Poly1305,
    )?;
    let action = RegisterPerson {
        suite: secrets::chain_suite(public.suite()),
        public_key: KeyBytes(public.to_bytes()),
        resident_commitment: resident_commitment(id.as_str(), &salt),
    };
    commit(&st, &headers, ExchangeAction::RegisterPerson(action)).await?;
    Ok(Json(RegisteredJson { account: account.to_string(), epoch, salt: hex::encode(salt) }))
}

fn status_of(v: Option<Verdict>) -> String {
    match v {
        None => "pending".into(),
        Some(v) => v.as_str().into(),
    }
}

fn declaration_json(
    st: &ApiState,
    id: &fapiao_types::Hash32,
    d: &DeclarationRecord,
) -> DeclarationJson {
    let reader = &*st.reader;
    DeclarationJson {
        id: hex32(id),
        person: d.person.to_string(),
        person_name: account_name(reader, &d.person),
        year: d.year,
        agent: d.withholding_agent.clone(),
        agent_name: org_name(reader, &d.withholding_agent),
        items: d
            .items
            .iter()
            .map(|i| DeclaredJson {
                kind: i.kind.as_str().into(),
                months: i.months,
                amount: yuan(i.deduction),
                status: status_of(i.verification.as_ref().map(|v| v.verdict)),
            })
            .collect(),
        total: yuan(d.total),
    }
}

/// The caller's own page: declarations, consents, the access log, and what a consent
/// can name.
#[utoipa::path(get, path = "/v1/exchange/me", tag = "exchange", security(("bearer" = [])),
    responses((status = 200, body = MeJson), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn me(State(st): St, headers: HeaderMap) -> ApiResult<Json<MeJson>> {
    let (who, _) = require(&st, &headers, Role::Consumer, "read my data")?;
    let reader = &*st.reader;
    let ix = crate::Index(reader);
    let account = who.account;
    let now = fapiao_api::clock::now_ms();
    let mut declarations = Vec::new();
    for id in index::declarations_of_person(&ix, &account, LIST)? {
        if let Some(d) = get::<DeclarationRecord>(reader, ExchangeKey::Declaration(id))? {
            declarations.push(declaration_json(&st, &id, &d));
        }
    }
    let mut consents = Vec::new();
    for id in index::consents_of(&ix, &account, LIST)? {
        let Some(c) = get::<ConsentRecord>(reader, ExchangeKey::Consent(id))? else { continue };
        consents.push(ConsentJson {
            id: hex32(&id),
            department: c.department.clone(),
            department_name: org_name(reader, &c.department),
            item: c.item.to_string(),
            purpose: c.purpose.clone(),
            expires: ChinaDate::from_unix_ms(c.expires_ms.saturating_sub(1)).to_string(),
            revoked: c.revoked_ms.is_some(),
            live: c.revoked_ms.is_none() && c.expires_ms > now,
            uses: c.uses,
        });
    }
    let access_log = index::access_log(&ix, &account, LIST)?
        .into_iter()
        .map(|e| AccessJson {
            query: hex32(&e.query),
            asker_name: org_name(reader, &e.asker),
            asker: e.asker,
            answerer_name: org_name(reader, &e.answerer),
            answerer: e.answerer,
            item: e.item.to_string(),
            purpose: e.purpose,
            outcome: e.outcome.as_str().into(),
            time: time_str(e.time_ms),
        })
        .collect();
    let items: Vec<CatalogueJson> =
        crate::desk::catalogue(reader, None)?.into_iter().filter(|c| c.consent).collect();
    let mut askers: Vec<OrgRef> = Vec::new();
    for c in &items {
        for a in &c.askers {
            if !askers.iter().any(|x| &x.id == a) {
                askers.push(org_ref(reader, a));
            }
        }
    }
    Ok(Json(MeJson {
        account: account.to_string(),
        registered: get::<PersonRecord>(reader, ExchangeKey::Person(account))?.is_some(),
        declarations,
        consents,
        access_log,
        askers,
        items,
    }))
}

/// The standard monthly amount (fen) of a monthly kind, for a declaration that leaves
/// the amount out.
fn standard(kind: DeductionKind, tier: Option<RentTier>, only_child: bool) -> Option<i64> {
    Some(match kind {
        DeductionKind::ChildrenEducation | DeductionKind::InfantCare => 200_000,
        DeductionKind::ContinuingEducationDegree => 40_000,
        DeductionKind::ContinuingEducationCertificate => 360_000,
        DeductionKind::HousingLoanInterest => 100_000,
        DeductionKind::HousingRent => match tier? {
            RentTier::Tier1 => 150_000,
            RentTier::Tier2 => 110_000,
            RentTier::Tier3 => 80_000,
        },
        DeductionKind::ElderlySupport if only_child => 300_000,
        DeductionKind::ElderlySupport => 150_000,
        DeductionKind::SeriousIllness => return None,
    })
}

/// The tax authority of the chain (the first one in the genesis).
fn tax_authority(st: &ApiState) -> ApiResult<String> {
    st.reader
        .genesis()
        .organisations
        .iter()
        .find(|o| o.kind == OrgKind::TaxAuthority)
        .map(|o| o.id.clone())
        .ok_or_else(|| {
            ApiError::declared("exchange.unknown_org", Some("tax_authority"), "no tax authority")
        })
}

/// Declare special additional deductions for a tax year (a consumer registered with the
/// exchange): amounts are checked by the chain against the standards in force
/// (`exchange/deductions`); the facts go sealed to the tax authority; the withholding
/// agent sees the amounts only.
#[utoipa::path(post, path = "/v1/exchange/me/declarations", tag = "exchange",
    request_body = DeclareJson, security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn declare(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<DeclareJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let (who, _) = require(&st, &headers, Role::Consumer, "exchange_declare_deductions")?;
    let j = json_body(body)?;
    let action = declare_action(&st, &who.account, &j)?;
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// The declaration action of `j` by `person`.
pub(crate) fn declare_action(
    st: &ApiState,
    person: &AccountId,
    j: &DeclareJson,
) -> ApiResult<ExchangeAction> {
    let tax = match j.tax_authority.as_deref() {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => tax_authority(st)?,
    };
    let mut items = Vec::with_capacity(j.items.len());
    for (n, i) in j.items.iter().enumerate() {
        let field = |f: &str| format!("items[{n}].{f}");
        let kind = DeductionKind::parse(i.kind.trim())
            .map_err(|e| ApiError::bad_field(&field("kind"), e.to_string()))?;
        let rent_tier = match i.rent_tier.as_deref() {
            None | Some("") => None,
            Some(t) => Some(
                RentTier::parse(t)
                    .map_err(|e| ApiError::bad_field(&field("rent_tier"), e.to_string()))?,
            ),
        };
        let share_bp = i.share_bp.unwrap_or(10_000);
        let amount = match i.amount.as_deref() {
            Some(a) if !a.trim().is_empty() => Fen::parse_unsigned(a.trim())
                .map_err(|e| ApiError::bad_field(&field("amount"), e.to_string()))?
                .fen(),
            _ => {
                let full = standard(kind, rent_tier, i.only_child).ok_or_else(|| {
                    ApiError::bad_field(&field("amount"), "required for this kind")
                })?;
                if kind == DeductionKind::ElderlySupport && !i.only_child {
                    // A sibling's share of the 3,000 standard, at most 1,500.
                    (300_000 * i64::from(share_bp) / 10_000).min(150_000)
                } else {
                    full * i64::from(share_bp) / 10_000
                }
            }
        };
        let details = secrets::seal_to(
            &*st.reader,
            &tax,
            &secrets::deduction_info(person, j.year),
            &|e| secrets::addressed_aad(&tax, e),
            i.details.as_bytes(),
        )?;
        items.push(DeductionItem {
            kind,
            months: i.months,
            amount,
            share_bp,
            rent_tier,
            only_child: i.only_child,
            details,
        });
    }
    Ok(ExchangeAction::DeclareDeductions(DeclareDeductions {
        year: j.year,
        withholding_agent: j.withholding_agent.trim().to_string(),
        tax_authority: tax,
        items,
    }))
}

/// Let a department ask one natural-person item about the caller, for one purpose,
/// until a day (inclusive, China time).
#[utoipa::path(post, path = "/v1/exchange/me/consents", tag = "exchange",
    request_body = ConsentInJson, security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn consent(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<ConsentInJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    require(&st, &headers, Role::Consumer, "exchange_grant_consent")?;
    let j = json_body(body)?;
    let action = consent_action(&j)?;
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// The consent action of `j`: it ends at midnight after the last day, China time.
pub(crate) fn consent_action(j: &ConsentInJson) -> ApiResult<ExchangeAction> {
    let last = ChinaDate::parse(j.expires.trim())
        .map_err(|_| ApiError::bad_field("expires", "expected yyyy-mm-dd"))?;
    // Midnight after the last day in China (UTC+8), in Unix ms.
    let end = (last.day_number() + 1) * 86_400_000 - 8 * 3_600_000;
    let expires_ms =
        u64::try_from(end).map_err(|_| ApiError::bad_field("expires", "before 1970"))?;
    let item = fapiao_exchange_types::ItemId::parse(j.item.trim())
        .map_err(|e| ApiError::bad_field("item", e.to_string()))?;
    Ok(ExchangeAction::GrantConsent(GrantConsent {
        department: j.department.trim().to_string(),
        item,
        purpose: j.purpose.trim().to_string(),
        expires_ms,
    }))
}

/// Revoke one of the caller's consents.
#[utoipa::path(post, path = "/v1/exchange/me/consents/{id}/revoke", tag = "exchange",
    params(("id" = String, Path, description = "the consent id")), security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody)))]
pub(crate) async fn revoke(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<DoneJson>> {
    let consent = parse_id("id", &id)?;
    let (hash, receipt) =
        commit(&st, &headers, ExchangeAction::RevokeConsent(RevokeConsent { consent })).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// Record the tax authority's verdict on one declared item, citing the answers relied on
/// (an exchange officer of the declaration's tax authority).
#[utoipa::path(post, path = "/v1/exchange/declarations/{id}/verify", tag = "exchange",
    params(("id" = String, Path, description = "the declaration id")), request_body = VerifyJson,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn verify(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<VerifyJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    officer(&st, &headers, "exchange_verify_declaration")?;
    let declaration = parse_id("id", &id)?;
    let j = json_body(body)?;
    let verdict = Verdict::parse(j.result.trim())
        .map_err(|e| ApiError::bad_field("result", e.to_string()))?;
    let answers =
        j.answers.iter().map(|a| parse_id("answers", a)).collect::<ApiResult<Vec<_>>>()?;
    let action = VerifyDeclaration { declaration, item: j.item, verdict, answers };
    let (hash, receipt) = commit(&st, &headers, ExchangeAction::VerifyDeclaration(action)).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// Which year the withholding view shows.
#[derive(Deserialize, IntoParams, Debug)]
pub(crate) struct YearParams {
    /// The tax year.
    year: u16,
}

/// The employer's view (its finance office): the deductions its employees declared with
/// it for a year — kinds and amounts only.
#[utoipa::path(get, path = "/v1/exchange/withholding", tag = "exchange", params(YearParams),
    security(("bearer" = [])),
    responses((status = 200, body = [DeclarationJson]), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn withholding(
    State(st): St,
    headers: HeaderMap,
    params: Result<Query<YearParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<DeclarationJson>>> {
    let (_, me) = require(&st, &headers, Role::EnterpriseFinance, "read the withholding view")?;
    let Query(p) = params.map_err(|e| ApiError::bad_field("year", e.body_text()))?;
    let reader = &*st.reader;
    let rows = index::declarations_of_agent(&crate::Index(reader), &me.org, LIST)?;
    let mut out = Vec::new();
    for d in rows.into_iter().filter(|d| d.year == p.year) {
        let statuses = get::<DeclarationRecord>(reader, ExchangeKey::Declaration(d.declaration))?
            .map(|r| {
                r.items
                    .iter()
                    .map(|i| status_of(i.verification.as_ref().map(|v| v.verdict)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        out.push(DeclarationJson {
            id: hex32(&d.declaration),
            person: d.person.to_string(),
            person_name: account_name(reader, &d.person),
            year: d.year,
            agent: me.org.clone(),
            agent_name: org_name(reader, &me.org),
            items: d
                .items
                .iter()
                .enumerate()
                .map(|(n, i)| DeclaredJson {
                    kind: i.kind.as_str().into(),
                    months: i.months,
                    amount: yuan(i.deduction),
                    status: statuses.get(n).cloned().unwrap_or_else(|| "pending".into()),
                })
                .collect(),
            total: yuan(d.total),
        });
    }
    Ok(Json(out))
}
