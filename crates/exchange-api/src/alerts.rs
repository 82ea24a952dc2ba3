//! Watch lists and joint alerts: a department watches a subject (this node tags it and
//! seals the subject, with any note, to the department itself), and the cases the chain
//! opens when two departments' tags meet — findings sealed to the case's departments,
//! an assignee, an outcome.

use crate::common::*;
use crate::json::*;
use crate::queries::{json_body, subject_text};
use crate::secrets::{self, get};
use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{commit, error::ApiError, ApiResult, ApiState, St};
use fapiao_envelope::binding;
use fapiao_exchange_types::{
    subject_tag, Addressed, AlertRecord, AssignCase, AttachFinding, CaseOutcome, CloseCase,
    ExchangeAction, ExchangeKey, FindingRecord, SubjectKind, Watch, WatchCategory, WatchList,
};
use fapiao_types::{hex32, sha256, Hash32};

fn note_info() -> Vec<u8> {
    binding::note_info()
}

fn note_aad(tag: &Hash32, epoch: u32) -> Vec<u8> {
    binding::note_aad(tag, epoch)
}

/// Watch a subject (an exchange officer of an intelligence department): tagged under
/// the current watch key; the subject and the note are sealed to the department's own
/// key. A tag another department watches, or asked about, raises a joint alert in the
/// same block.
#[utoipa::path(post, path = "/v1/exchange/watch", tag = "exchange",
    request_body = WatchInJson, security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 409, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn watch(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<WatchInJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let (_, me) = officer(&st, &headers, "exchange_watch")?;
    let j = json_body(body)?;
    let action = watch_action(&st, &me.org, &j)?;
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// The watch action for `j` by department `org`: a USCC, or else a resident ID.
pub(crate) fn watch_action(st: &ApiState, org: &str, j: &WatchInJson) -> ApiResult<ExchangeAction> {
    let category = WatchCategory::parse(j.category.trim())
        .map_err(|e| ApiError::bad_field("category", e.to_string()))?;
    let (kind, subject) = match subject_text(SubjectKind::Uscc, &j.subject) {
        Ok(s) => (SubjectKind::Uscc, s),
        Err(_) => (SubjectKind::ResidentId, subject_text(SubjectKind::ResidentId, &j.subject)?),
    };
    let (_, key) = secrets::watch_key(st, org)?;
    let tag = subject_tag(&key, kind, &subject);
    let plaintext = serde_json::to_vec(&serde_json::json!({ "subject": subject, "note": j.note }))
        .map_err(ApiError::internal)?;
    let note =
        secrets::seal_to(&*st.reader, org, &note_info(), &|e| note_aad(&tag, e), &plaintext)?;
    Ok(ExchangeAction::Watch(Watch { tag, category, note: Some(note) }))
}

/// The subject of `tag`, opened from department `org`'s own watch entry on it.
fn watched_subject(st: &ApiState, tag: &Hash32, org: &str) -> Option<String> {
    let list: WatchList = get(&*st.reader, ExchangeKey::Watch(*tag)).ok()??;
    let entry = list.entries.iter().find(|e| e.department == org)?;
    let found = st.reader.transaction(&entry.tx).ok()??;
    let app = found.tx.tx.action.app()?;
    let ExchangeAction::Watch(w) = ExchangeAction::try_from(app).ok()? else { return None };
    let note = w.note?;
    let bytes = secrets::open(st, org, &note, &note_info(), &note_aad(tag, note.key_epoch)).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("subject")?.as_str().map(String::from)
}

/// Alert `id` as JSON for department `org` (one of its two).
pub(crate) fn alert_json(st: &ApiState, id: &Hash32, org: &str) -> ApiResult<AlertJson> {
    let reader = &*st.reader;
    let a: AlertRecord = get(reader, ExchangeKey::Alert(*id))?
        .ok_or_else(|| ApiError::not_found("no such alert"))?;
    if !a.departments.iter().any(|d| d == org) {
        return Err(ApiError::not_found("no such alert"));
    }
    let mut findings = Vec::new();
    for n in 0..a.findings {
        let Some(f) = get::<FindingRecord>(reader, ExchangeKey::Finding(*id, n))? else { continue };
        let text = secrets::share_for(&f.envelopes, org).and_then(|s| {
            let aad = secrets::addressed_aad(org, s.envelope.key_epoch);
            secrets::open(st, org, &s.envelope, &secrets::finding_info(id), &aad).ok()
        });
        findings.push(FindingJson {
            from: f.department.clone(),
            from_name: org_name(reader, &f.department),
            time: time_str(f.time_ms),
            text: text.map(|t| String::from_utf8_lossy(&t).into_owned()),
        });
    }
    let mut categories = vec![a.category.as_str().to_string()];
    for t in &a.triggers {
        if let Some(c) = t.category {
            if !categories.iter().any(|x| x == c.as_str()) {
                categories.push(c.as_str().to_string());
            }
        }
    }
    Ok(AlertJson {
        id: hex32(id),
        tag: hex32(&a.tag),
        subject: watched_subject(st, &a.tag, org),
        departments: a.departments.iter().map(|d| org_ref(reader, d)).collect(),
        categories,
        height: a.raised_height,
        time: time_str(a.raised_ms),
        status: a.status.as_str().to_string(),
        assignee: a.assignee.map(|x| x.to_string()),
        assignee_name: a.assignee.map(|x| account_name(reader, &x)),
        outcome: a.outcome.map(|o| o.as_str().to_string()),
        triggers: a
            .triggers
            .iter()
            .map(|t| TriggerJson {
                kind: t.kind.as_str().to_string(),
                department: t.department.clone(),
                category: t.category.map(|c| c.as_str().to_string()),
                item: t.item.as_ref().map(|i| i.to_string()),
                height: t.height,
            })
            .collect(),
        findings,
    })
}

/// One joint alert and its case (its two departments only).
#[utoipa::path(get, path = "/v1/exchange/alerts/{id}", tag = "exchange",
    params(("id" = String, Path, description = "the alert id (64 hex)")), security(("bearer" = [])),
    responses((status = 200, body = AlertJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_alert(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<AlertJson>> {
    let (_, me) = officer(&st, &headers, "read an alert")?;
    Ok(Json(alert_json(&st, &parse_id("id", &id)?, &me.org)?))
}

/// Attach a finding to a case, sealed to each of its departments.
#[utoipa::path(post, path = "/v1/exchange/alerts/{id}/findings", tag = "exchange",
    params(("id" = String, Path, description = "the alert id")), request_body = FindingInJson,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn finding(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<FindingInJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let (_, me) = officer(&st, &headers, "exchange_attach_finding")?;
    let case = parse_id("id", &id)?;
    let j = json_body(body)?;
    if j.text.trim().is_empty() {
        return Err(ApiError::bad_field("text", "empty"));
    }
    let a: AlertRecord = get::<AlertRecord>(&*st.reader, ExchangeKey::Alert(case))?
        .filter(|a: &AlertRecord| a.departments.contains(&me.org))
        .ok_or_else(|| ApiError::not_found("no such alert"))?;
    let mut envelopes = Vec::new();
    for d in &a.departments {
        let env = secrets::seal_to(
            &*st.reader,
            d,
            &secrets::finding_info(&case),
            &|e| secrets::addressed_aad(d, e),
            j.text.trim().as_bytes(),
        )?;
        envelopes.push(Addressed { to: d.to_string(), envelope: env });
    }
    let action = ExchangeAction::AttachFinding(AttachFinding { case, envelopes });
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// Assign a case to an account of one of its departments (the caller by default).
#[utoipa::path(post, path = "/v1/exchange/alerts/{id}/assign", tag = "exchange",
    params(("id" = String, Path, description = "the alert id")), request_body = AssignJson,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn assign(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<AssignJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let (who, _) = officer(&st, &headers, "exchange_assign_case")?;
    let case = parse_id("id", &id)?;
    let j = json_body(body).unwrap_or_default();
    let assignee = match j.account.as_deref() {
        None | Some("") => who.account,
        Some(a) => parse_account("account", a)?,
    };
    let (hash, receipt) =
        commit(&st, &headers, ExchangeAction::AssignCase(AssignCase { case, assignee })).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// Close a case with an outcome; the summary stays off the chain (its SHA-256 is kept).
#[utoipa::path(post, path = "/v1/exchange/alerts/{id}/close", tag = "exchange",
    params(("id" = String, Path, description = "the alert id")), request_body = CloseJson,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn close(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<CloseJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    officer(&st, &headers, "exchange_close_case")?;
    let case = parse_id("id", &id)?;
    let j = json_body(body)?;
    let outcome = CaseOutcome::parse(j.outcome.trim())
        .map_err(|e| ApiError::bad_field("outcome", e.to_string()))?;
    let action = CloseCase { case, outcome, summary: sha256(j.summary.as_bytes()) };
    let (hash, receipt) = commit(&st, &headers, ExchangeAction::CloseCase(action)).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}
