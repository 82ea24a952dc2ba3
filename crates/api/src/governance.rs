//! Governance and parameters over HTTP: the parameters in force and their versions
//! (`GET /v1/params`), proposals (`GET /v1/governance/proposals`), and custodial
//! proposing, approving and withdrawing by organisation admins, and the tax authority
//! creating enterprises.

use crate::{
    error::{ApiError, ApiResult},
    routes::{caller, custodial, failed_receipt, St},
    ApiState,
};
use axum::{
    extract::{rejection::JsonRejection, Path, Query},
    http::HeaderMap,
    Json,
};
use fapiao_app::Timing;
use fapiao_types::{
    Action, Change, Effective, NewAdmin, NewOrganisation, OrgKind, OrgStatus, ParamSchedule,
    ParamValue, ParamVersion, ProposalRecord, ProposalRef, ProposalSeq, Propose, PublicKey,
    StateKey,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One version of a parameter.
#[derive(Serialize, ToSchema)]
pub struct ParamVersionJson {
    /// Version number (0: the genesis value).
    pub version: u32,
    /// Activation height (chain mechanics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_height: Option<u64>,
    /// Effective date, `yyyymmdd` China time (tax rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<u32>,
    /// The value (the owning application's JSON shape).
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    /// Height at which it was enacted (0: genesis).
    pub enacted_at: u64,
    /// The proposal that enacted it (0: genesis).
    pub proposal: u64,
}

/// A parameter: what it governs, the version in force now and every version.
#[derive(Serialize, ToSchema)]
pub struct ParamJson {
    /// `<app>/<name>`.
    pub id: String,
    /// `height` (chain mechanics) or `date` (tax rules).
    pub timing: String,
    /// What it governs.
    pub about: String,
    /// The version in force for the next block (height) or today (date).
    pub in_force: u32,
    /// Every version, in the order enacted.
    pub versions: Vec<ParamVersionJson>,
}

/// `GET /v1/params`.
#[derive(Serialize, ToSchema)]
pub struct ParamsResponse {
    /// Height of the state read.
    pub height: u64,
    /// Today's date in China time at that height's block.
    pub date: u32,
    /// Every parameter of the chain.
    pub params: Vec<ParamJson>,
}

fn version_json(v: &ParamVersion) -> ParamVersionJson {
    let (effective_height, effective_date) = match v.effective {
        Effective::AtHeight(h) => (Some(h), None),
        Effective::OnDate(d) => (None, Some(d)),
    };
    ParamVersionJson {
        version: v.version,
        effective_height,
        effective_date,
        value: serde_json::from_str(&v.value.0).unwrap_or(serde_json::Value::Null),
        enacted_at: v.enacted_at,
        proposal: v.proposal,
    }
}

/// Every parameter of the chain with its versions and the one in force.
#[utoipa::path(get, path = "/v1/params", tag = "governance",
    responses((status = 200, body = ParamsResponse)))]
pub(crate) async fn params(axum::extract::State(st): St) -> ApiResult<Json<ParamsResponse>> {
    st.metrics.http_requests.inc();
    let tip = st.reader.tip();
    let date = fapiao_types::ChinaDate::from_unix_ms(tip.header.time_ms).yyyymmdd();
    let mut out = Vec::new();
    for spec in fapiao_ledger::params::all() {
        let schedule = st
            .reader
            .get::<ParamSchedule>(&StateKey::Param(spec.id.to_string()))?
            .unwrap_or_default();
        let in_force = match spec.timing {
            Timing::Height => schedule.at_height(tip.height + 1),
            Timing::Date => schedule.on_date(date),
        };
        out.push(ParamJson {
            id: spec.id.into(),
            timing: match spec.timing {
                Timing::Height => "height".into(),
                Timing::Date => "date".into(),
            },
            about: spec.about.into(),
            in_force: in_force.map_or(0, |v| v.version),
            versions: schedule.versions.iter().map(version_json).collect(),
        });
    }
    Ok(Json(ParamsResponse { height: tip.height, date, params: out }))
}

/// An admin key in a change.
#[derive(Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminJson {
    /// `ed25519` (default) or `sm2`.
    #[serde(default)]
    pub suite: Option<String>,
    /// The public key, hex.
    pub public_key: String,
    /// Display name.
    pub name: String,
}

/// A governance change.
#[derive(Clone, Deserialize, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChangeJson {
    /// Adds an organisation (any kind but `enterprise`).
    AddOrganisation {
        /// Id, `[a-z0-9-]{1,64}`.
        id: String,
        /// Display name.
        name: String,
        /// Kind (`bank`, `insurer`, `police`, …).
        org_kind: String,
        /// USCC where it has one.
        #[serde(default)]
        tax_id: String,
        /// Its admins.
        admins: Vec<AdminJson>,
    },
    /// Suspends, reinstates (`active`) or removes an organisation.
    SetOrganisationStatus {
        /// Organisation id.
        org: String,
        /// `active`, `suspended` or `removed`.
        status: String,
    },
    /// Adds an admin to an organisation.
    AddOrgAdmin {
        /// Organisation id.
        org: String,
        /// The admin.
        admin: AdminJson,
    },
    /// Schedules a new version of a parameter: give `effective_height` (chain mechanics)
    /// or `effective_date` (`yyyymmdd`, tax rules).
    SetParam {
        /// `<app>/<name>`.
        param: String,
        /// Activation height.
        #[serde(default)]
        effective_height: Option<u64>,
        /// Effective date.
        #[serde(default)]
        effective_date: Option<u32>,
        /// The new value, in the parameter's JSON shape (see `GET /v1/params`).
        #[schema(value_type = Object)]
        value: serde_json::Value,
    },
    /// Lists a full node's key for the node-to-node routes.
    AddFullNode {
        /// Display name.
        name: String,
        /// The organisation running it.
        org: String,
        /// Its Ed25519 node key, hex.
        public_key: String,
    },
    /// Unlists a full node's key.
    RemoveFullNode {
        /// Its Ed25519 node key, hex.
        public_key: String,
    },
}

fn admin(a: &AdminJson, field: &str) -> ApiResult<NewAdmin> {
    let suite = a.suite.as_deref().unwrap_or("ed25519");
    let public_key = PublicKey::from_hex(suite, &a.public_key)
        .map_err(|e| ApiError::bad_field(field, e.to_string()))?;
    Ok(NewAdmin { public_key, name: a.name.clone() })
}

fn key32(hex_key: &str, field: &str) -> ApiResult<[u8; 32]> {
    fapiao_types::parse_hex32("public_key", hex_key)
        .map_err(|e| ApiError::bad_field(field, e.to_string()))
}

/// Parses a change (the parameter value is canonicalised by its owner here and checked
/// again when enacted).
fn change(c: &ChangeJson) -> ApiResult<Change> {
    Ok(match c {
        ChangeJson::AddOrganisation { id, name, org_kind, tax_id, admins } => {
            Change::AddOrganisation(NewOrganisation {
                id: id.clone(),
                name: name.clone(),
                kind: OrgKind::parse(org_kind)
                    .map_err(|e| ApiError::bad_field("change.org_kind", e.to_string()))?,
                tax_id: (!tax_id.is_empty())
                    .then(|| crate::error::parse_value("change.tax_id", tax_id))
                    .transpose()?,
                admins: admins
                    .iter()
                    .enumerate()
                    .map(|(i, a)| admin(a, &format!("change.admins[{i}]")))
                    .collect::<ApiResult<_>>()?,
            })
        }
        ChangeJson::SetOrganisationStatus { org, status } => Change::SetOrganisationStatus {
            org: org.clone(),
            status: OrgStatus::parse(status)
                .map_err(|e| ApiError::bad_field("change.status", e.to_string()))?,
        },
        ChangeJson::AddOrgAdmin { org, admin: a } => {
            Change::AddOrgAdmin { org: org.clone(), admin: admin(a, "change.admin")? }
        }
        ChangeJson::SetParam { param, effective_height, effective_date, value } => {
            let effective = match (effective_height, effective_date) {
                (Some(h), None) => Effective::AtHeight(*h),
                (None, Some(d)) => Effective::OnDate(*d),
                _ => {
                    return Err(ApiError::bad_field(
                        "change.effective_height",
                        "give effective_height or effective_date, not both",
                    ))
                }
            };
            let spec = fapiao_ledger::params::spec(param).ok_or_else(|| {
                ApiError::refuse(
                    fapiao_app::Platform::UnknownParam,
                    Some("change.param"),
                    format!("no parameter {param:?}"),
                )
            })?;
            let text = (spec.canonical)(value).map_err(|e| {
                ApiError::refuse(fapiao_app::Platform::InvalidParam, Some("change.value"), e)
            })?;
            Change::SetParam { param: param.clone(), effective, value: ParamValue(text) }
        }
        ChangeJson::AddFullNode { name, org, public_key } => Change::AddFullNode {
            name: name.clone(),
            org: org.clone(),
            public_key: key32(public_key, "change.public_key")?,
        },
        ChangeJson::RemoveFullNode { public_key } => {
            Change::RemoveFullNode { public_key: key32(public_key, "change.public_key")? }
        }
    })
}

fn change_json(c: &Change) -> ChangeJson {
    let admin_json = |a: &NewAdmin| AdminJson {
        suite: Some(a.public_key.suite().as_str().into()),
        public_key: a.public_key.to_hex(),
        name: a.name.clone(),
    };
    match c {
        Change::AddOrganisation(o) => ChangeJson::AddOrganisation {
            id: o.id.clone(),
            name: o.name.clone(),
            org_kind: o.kind.as_str().into(),
            tax_id: o.tax_id.map(|u| u.to_string()).unwrap_or_default(),
            admins: o.admins.iter().map(admin_json).collect(),
        },
        Change::SetOrganisationStatus { org, status } => {
            ChangeJson::SetOrganisationStatus { org: org.clone(), status: status.as_str().into() }
        }
        Change::AddOrgAdmin { org, admin } => {
            ChangeJson::AddOrgAdmin { org: org.clone(), admin: admin_json(admin) }
        }
        Change::SetParam { param, effective, value } => {
            let (effective_height, effective_date) = match effective {
                Effective::AtHeight(h) => (Some(*h), None),
                Effective::OnDate(d) => (None, Some(*d)),
            };
            ChangeJson::SetParam {
                param: param.clone(),
                effective_height,
                effective_date,
                value: serde_json::from_str(&value.0).unwrap_or(serde_json::Value::Null),
            }
        }
        Change::AddFullNode { name, org, public_key } => ChangeJson::AddFullNode {
            name: name.clone(),
            org: org.clone(),
            public_key: hex::encode(public_key),
        },
        Change::RemoveFullNode { public_key } => {
            ChangeJson::RemoveFullNode { public_key: hex::encode(public_key) }
        }
    }
}

/// A proposal.
#[derive(Serialize, ToSchema)]
pub struct ProposalJson {
    /// Id.
    pub id: u64,
    /// `open`, `enacted`, `withdrawn` or `expired`.
    pub status: String,
    /// The change.
    pub change: ChangeJson,
    /// Why.
    pub note: String,
    /// The proposing account, hex.
    pub proposer: String,
    /// Its organisation.
    pub proposer_org: String,
    /// Organisations that approved, in order.
    pub approvals: Vec<String>,
    /// Approvals that enact a proposal.
    pub threshold: u32,
    /// Height proposed at.
    pub proposed_at: u64,
    /// Last height it can be approved at.
    pub expires_at: u64,
    /// Height enacted or withdrawn at (0 while open).
    pub decided_at: u64,
}

fn proposal_json(st: &ApiState, p: &ProposalRecord, height: u64) -> ProposalJson {
    ProposalJson {
        id: p.id,
        status: p.status_at(height).as_str().into(),
        change: change_json(&p.change),
        note: p.note.clone(),
        proposer: p.proposer.to_string(),
        proposer_org: p.proposer_org.clone(),
        approvals: p.approvals.clone(),
        threshold: st.reader.genesis().governance.threshold,
        proposed_at: p.proposed_at,
        expires_at: p.expires_at,
        decided_at: p.decided_at,
    }
}

/// Paging of the proposal list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProposalsQuery {
    /// Only proposals with this status (`open`, `enacted`, `withdrawn`, `expired`).
    pub status: Option<String>,
    /// At most this many, newest first (default 100, at most 500).
    pub limit: Option<usize>,
}

/// `GET /v1/governance/proposals`.
#[derive(Serialize, ToSchema)]
pub struct ProposalsResponse {
    /// Height of the state read.
    pub height: u64,
    /// Newest first.
    pub proposals: Vec<ProposalJson>,
}

/// Governance proposals, newest first.
#[utoipa::path(get, path = "/v1/governance/proposals", tag = "governance",
    params(ProposalsQuery),
    responses((status = 200, body = ProposalsResponse), (status = 400, body = crate::ErrorBody)))]
pub(crate) async fn proposals(
    axum::extract::State(st): St,
    query: Result<Query<ProposalsQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<ProposalsResponse>> {
    st.metrics.http_requests.inc();
    let Query(q) = query.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let status = q
        .status
        .as_deref()
        .map(fapiao_types::ProposalStatus::parse)
        .transpose()
        .map_err(|e| ApiError::bad_field("status", e.to_string()))?;
    let height = st.reader.tip().height;
    let last = st.reader.get::<ProposalSeq>(&StateKey::ProposalSeq)?.unwrap_or_default().last;
    let mut out = Vec::new();
    // Newest first; a status filter scans at most 10,000 proposals back.
    for id in (1..=last).rev().take(10_000) {
        if out.len() >= limit {
            break;
        }
        let Some(p) = st.reader.get::<ProposalRecord>(&StateKey::Proposal(id))? else { continue };
        if status.is_none_or(|s| p.status_at(height) == s) {
            out.push(proposal_json(&st, &p, height));
        }
    }
    Ok(Json(ProposalsResponse { height, proposals: out }))
}

/// `POST /v1/governance/proposals`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeRequest {
    /// The change.
    pub change: ChangeJson,
    /// Why (at most 512 bytes).
    #[serde(default)]
    pub note: String,
}

/// What a governance transaction did.
#[derive(Serialize, ToSchema)]
pub struct GovernanceResponse {
    /// The transaction hash, hex.
    pub tx_hash: String,
    /// The proposal after it.
    pub proposal: ProposalJson,
}

fn malformed(e: JsonRejection) -> ApiError {
    ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text())
}

async fn submit_and_read(
    st: &ApiState,
    headers: &HeaderMap,
    action: Action,
    id: Option<u64>,
) -> ApiResult<Json<GovernanceResponse>> {
    let who =
        caller(st, headers)?.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let (hash, receipt) = custodial(st, &who, action).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    let id = match id {
        Some(id) => id,
        None => match receipt.output {
            fapiao_types::TxOutput::Proposal(id) => id,
            _ => return Err(ApiError::internal("the proposal's receipt names no proposal")),
        },
    };
    let p = st
        .reader
        .get::<ProposalRecord>(&StateKey::Proposal(id))?
        .ok_or_else(|| ApiError::internal("the proposal is missing after its transaction"))?;
    let height = st.reader.tip().height;
    Ok(Json(GovernanceResponse {
        tx_hash: hex::encode(hash),
        proposal: proposal_json(st, &p, height),
    }))
}

/// An organisation admin proposes a change, signed with their key on this node (their
/// organisation's approval counts at once).
#[utoipa::path(post, path = "/v1/governance/proposals", tag = "governance",
    request_body = ProposeRequest, security(("bearer" = [])),
    responses((status = 200, body = GovernanceResponse),
              (status = 400, body = crate::ErrorBody), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn propose(
    axum::extract::State(st): St,
    headers: HeaderMap,
    body: Result<Json<ProposeRequest>, JsonRejection>,
) -> ApiResult<Json<GovernanceResponse>> {
    st.metrics.http_requests.inc();
    let Json(req) = body.map_err(malformed)?;
    let action = Action::Propose(Propose { change: change(&req.change)?, note: req.note });
    submit_and_read(&st, &headers, action, None).await
}

/// An organisation admin approves a proposal for their organisation.
#[utoipa::path(post, path = "/v1/governance/proposals/{id}/approve", tag = "governance",
    params(("id" = u64, Path, description = "Proposal id")), security(("bearer" = [])),
    responses((status = 200, body = GovernanceResponse),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn approve(
    axum::extract::State(st): St,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> ApiResult<Json<GovernanceResponse>> {
    st.metrics.http_requests.inc();
    submit_and_read(&st, &headers, Action::ApproveProposal(ProposalRef { id }), Some(id)).await
}

/// An admin of the proposing organisation withdraws an open proposal.
#[utoipa::path(post, path = "/v1/governance/proposals/{id}/withdraw", tag = "governance",
    params(("id" = u64, Path, description = "Proposal id")), security(("bearer" = [])),
    responses((status = 200, body = GovernanceResponse),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn withdraw(
    axum::extract::State(st): St,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> ApiResult<Json<GovernanceResponse>> {
    st.metrics.http_requests.inc();
    submit_and_read(&st, &headers, Action::WithdrawProposal(ProposalRef { id }), Some(id)).await
}

/// `POST /v1/enterprises`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseRequest {
    /// Organisation id, `[a-z0-9-]{1,64}`.
    pub id: String,
    /// Name.
    pub name: String,
    /// USCC.
    pub tax_id: String,
    /// Its admins (they then add its issuers and finance staff).
    pub admins: Vec<AdminJson>,
}

/// The organisation created.
#[derive(Serialize, ToSchema)]
pub struct EnterpriseResponse {
    /// The transaction hash, hex.
    pub tx_hash: String,
    /// The organisation id.
    pub id: String,
}

/// A tax officer creates an enterprise organisation (a merchant or other taxpayer).
#[utoipa::path(post, path = "/v1/enterprises", tag = "governance",
    request_body = EnterpriseRequest, security(("bearer" = [])),
    responses((status = 200, body = EnterpriseResponse),
              (status = 400, body = crate::ErrorBody), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn create_enterprise(
    axum::extract::State(st): St,
    headers: HeaderMap,
    body: Result<Json<EnterpriseRequest>, JsonRejection>,
) -> ApiResult<Json<EnterpriseResponse>> {
    st.metrics.http_requests.inc();
    let Json(req) = body.map_err(malformed)?;
    let admins = req
        .admins
        .iter()
        .enumerate()
        .map(|(i, a)| admin(a, &format!("admins[{i}]")))
        .collect::<ApiResult<_>>()?;
    let who = caller(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let action = Action::CreateEnterprise(NewOrganisation {
        id: req.id.clone(),
        name: req.name,
        kind: OrgKind::Enterprise,
        tax_id: Some(crate::error::parse_value("tax_id", &req.tax_id)?),
        admins,
    });
    let (hash, receipt) = custodial(&st, &who, action).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    Ok(Json(EnterpriseResponse { tx_hash: hex::encode(hash), id: req.id }))
}
