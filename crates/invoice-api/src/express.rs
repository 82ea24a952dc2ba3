//! The express edition's routes (极速版): an applicant applies online with no account,
//! the tax authority lists and reviews applications.
//!
//! `POST /v1/express/applications` needs no token: this node generates a fresh key for
//! the applicant and keeps it (custody), signs the `ApplyForRegistration` with it — the
//! application is the applicant's own signed statement, and the ledger admits that one
//! action from a key with no account — and returns a token for the key. Until the tax
//! authority approves, the token's account holds no role; after approval it is the new
//! taxpayer's admin, issuer and finance office, and the merchant console works with it.

use crate::{
    invoices::{commit, committed, json_body, Committed},
    money::{china_time, parse_yuan, yuan},
};
use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{
    custodial,
    error::{ApiError, ApiResult},
    failed_receipt, viewer, Caller, St,
};
use fapiao_invoice::index::read;
use fapiao_invoice_types::*;
use fapiao_invoice_types::{InvoiceAction, InvoiceKey};
use fapiao_types::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An application for registration and invoicing rights.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ApplicationJson {
    /// Unified Social Credit Code.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// 6-digit administrative division code.
    pub region: String,
    /// `general` or `small_scale`.
    pub seller_type: String,
    /// Contact (person and phone or e-mail).
    pub contact: String,
    /// Monthly credit asked for, yuan.
    pub requested_ceiling: String,
}

/// What an applicant gets back.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Applied {
    /// Application id (hex): the applying transaction's hash.
    pub id: String,
    /// The applicant's new account (hex).
    pub account: String,
    /// A token for it (shown once): it holds no role until the application is approved.
    pub token: String,
    /// Block height.
    pub height: u64,
}

/// An application as the tax authority and the applicant see it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ApplicationView {
    /// Id (hex).
    pub id: String,
    /// USCC.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Seller type.
    pub seller_type: String,
    /// Contact.
    pub contact: String,
    /// Monthly credit asked for, yuan.
    pub requested_ceiling: String,
    /// Applicant account (hex).
    pub applicant: String,
    /// `pending`, `approved`, `rejected`.
    pub status: String,
    /// When applied.
    pub applied_at: String,
    /// Monthly ceiling granted, yuan.
    pub granted_ceiling: String,
    /// Why (rejection).
    pub reason: String,
}

/// A review decision.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ReviewJson {
    /// Approve (else reject).
    pub approve: bool,
    /// Monthly credit ceiling granted, yuan (approval).
    #[serde(default)]
    pub monthly_ceiling: Option<String>,
    /// Why (required on rejection).
    #[serde(default)]
    pub reason: String,
}

pub(crate) fn view(id: Hash32, a: &ApplicationRecord) -> ApplicationView {
    ApplicationView {
        id: hex::encode(id),
        uscc: a.uscc.to_string(),
        name: a.name.clone(),
        region: a.region.to_string(),
        seller_type: a.seller_type.as_str().into(),
        contact: a.contact.clone(),
        requested_ceiling: yuan(a.requested_ceiling),
        applicant: a.applicant.to_string(),
        status: a.status.as_str().into(),
        applied_at: china_time(a.applied_at_ms),
        granted_ceiling: yuan(a.granted_ceiling),
        reason: a.reason.clone(),
    }
}

/// Apply online for registration and invoicing rights (no token needed).
#[utoipa::path(post, path = "/v1/express/applications", tag = "express", request_body = ApplicationJson,
    responses((status = 200, body = Applied), (status = 400, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn apply(
    State(st): St,
    body: core::result::Result<Json<ApplicationJson>, JsonRejection>,
) -> ApiResult<Json<Applied>> {
    let j = json_body(body)?;
    let seller_type = SellerType::parse(&j.seller_type)
        .map_err(|e| ApiError::bad_field("seller_type", e.to_string()))?;
    let requested_ceiling = parse_yuan("requested_ceiling", &j.requested_ceiling)?;
    let name = j.name.trim().to_string();
    if name.is_empty() || name.len() > 128 {
        return Err(ApiError::bad_field("name", "1-128 bytes"));
    }
    let public_key = st.custody.generate(&name, Suite::Ed25519).map_err(ApiError::internal)?;
    let account = public_key.account_id();
    let who = (
        Caller { account, token_id: "express-application".into() },
        AccountRecord {
            public_key,
            org: String::new(),
            name: name.clone(),
            roles: Vec::new(),
            added_at: 0,
            revoked_at: None,
        },
    );
    let action = InvoiceAction::ApplyForRegistration(ApplyForRegistration {
        uscc: crate::money::parse_value("uscc", &j.uscc)?,
        name,
        region: crate::money::parse_value("region", &j.region)?,
        seller_type,
        contact: j.contact,
        requested_ceiling,
    });
    let (hash, receipt) = custodial(&st, &who, action.into()).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    let token =
        st.custody.create_token(&account, "express applicant").map_err(ApiError::internal)?;
    Ok(Json(Applied {
        id: hex::encode(hash),
        account: account.to_string(),
        token,
        height: receipt.height,
    }))
}

/// Applications, newest first (the tax authority: all; an applicant: its own).
#[utoipa::path(get, path = "/v1/express/applications", tag = "express", security(("bearer" = [])),
    responses((status = 200, body = [ApplicationView]), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn list(
    State(st): St,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<ApplicationView>>> {
    let Some(who) = viewer(&st, &headers)? else {
        return Err(ApiError::not_found("no such route"));
    };
    let mut out = Vec::new();
    for id in read::applications(&*st.reader, 200)? {
        let Some(a) =
            st.reader.get::<ApplicationRecord>(&StateKey::from(InvoiceKey::Application(id)))?
        else {
            continue;
        };
        if who.is_tax_authority() || a.applicant == who.account {
            out.push(view(id, &a));
        }
    }
    Ok(Json(out))
}

/// Approve or reject an application (tax officer): approval registers the taxpayer,
/// makes the applicant its admin, issuer and finance office, and sets its credit.
#[utoipa::path(post, path = "/v1/express/applications/{id}/review", tag = "express", request_body = ReviewJson,
    params(("id" = String, Path, description = "application id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn review(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: core::result::Result<Json<ReviewJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let application =
        parse_hex32("id", &id).map_err(|e| ApiError::bad_field("id", e.to_string()))?;
    let monthly_ceiling = match j.monthly_ceiling.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => parse_yuan("monthly_ceiling", s)?,
        None => 0,
    };
    let action = InvoiceAction::ReviewApplication(ReviewApplication {
        application,
        approve: j.approve,
        monthly_ceiling,
        reason: j.reason,
    });
    let (h, r) = commit(&st, &headers, action).await?;
    Ok(Json(committed(h, &r)))
}
