//! Queries and answers: a department asks another one catalogue item about a subject
//! (this node tags the subject under the shared watch key and seals the question to the
//! department asked), reads its queries in and out — opened where this node holds the
//! key — and answers, with a responder's sealed envelope or with rows this node seals to
//! the asker.

use crate::common::*;
use crate::json::*;
use crate::secrets::{self, get};
use axum::{
    extract::{rejection::JsonRejection, Path, Query as QueryParams, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{
    commit,
    error::{parse_value, ApiError},
    ApiResult, ApiState, St,
};
use fapiao_envelope::binding::{self, AnswerBinding, QueryBinding};
use fapiao_exchange::index;
use fapiao_exchange_types::{
    subject_tag, AnswerOutcome, AnswerQuery, AnswerRecord, CatalogueItem, Envelope, ExchangeKey,
    ItemId, Query, QueryRecord, SubjectKind,
};
use fapiao_types::{hex32, Hash32};
use fapiao_values::{ResidentId, Uscc};
use serde::Deserialize;
use utoipa::IntoParams;

/// How many queries a list shows.
const LIST: usize = 200;
/// How many of the newest queries addressed to a department the inbox looks through for
/// open ones.
const INBOX_SCAN: usize = 10_000;

pub(crate) fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    body.map(|Json(b)| b)
        .map_err(|e| ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text()))
}

/// The subject in its canonical text, checked as the item's kind says.
pub(crate) fn subject_text(kind: SubjectKind, s: &str) -> ApiResult<String> {
    let s = s.trim().to_ascii_uppercase();
    Ok(match kind {
        SubjectKind::Uscc => parse_value::<Uscc>("subject", &s)?.to_string(),
        SubjectKind::ResidentId => ResidentId::parse(&s)
            .map_err(|e| {
                let e = e.at("subject");
                ApiError::refuse(e.kind(), Some("subject"), e.to_string())
            })?
            .as_str()
            .to_string(),
    })
}

fn item_id(s: &str) -> ApiResult<ItemId> {
    ItemId::parse(s.trim()).map_err(|e| ApiError::bad_field("item", e.to_string()))
}

/// The aad of query `q` sealed under `epoch`.
fn query_aad(q: &QueryRecord, epoch: u32) -> Vec<u8> {
    let person = q.person.map(|p| p.to_string());
    binding::query_aad(&QueryBinding {
        from: &q.from,
        to: &q.to,
        item: q.item.as_str(),
        subject_tag: &q.subject_tag,
        purpose: &q.purpose,
        person: person.as_deref(),
        key_epoch: epoch,
    })
}

/// The aad of the answer to query `id` (from `q.to` to `q.from`).
fn answer_aad(id: &Hash32, q: &QueryRecord, outcome: AnswerOutcome, epoch: u32) -> Vec<u8> {
    binding::answer_aad(&AnswerBinding {
        query_id: id,
        from: &q.to,
        to: &q.from,
        outcome: outcome.as_str(),
        key_epoch: epoch,
    })
}

/// Query `id` as JSON for a viewer of department `org` (which must be one of its two):
/// the subject opened for the department asked, the answer for the asker, where this
/// node keeps their keys.
pub(crate) fn query_json(
    st: &ApiState,
    id: &Hash32,
    q: &QueryRecord,
    org: &str,
) -> ApiResult<QueryJson> {
    let reader = &*st.reader;
    let answer: Option<AnswerRecord> =
        if q.answer.is_some() { get(reader, ExchangeKey::Answer(*id))? } else { None };
    let (mut subject, mut params, mut rows) = (None, None, None);
    if org == q.to {
        let opened = secrets::open(
            st,
            org,
            &q.envelope,
            &binding::query_info(),
            &query_aad(q, q.envelope.key_epoch),
        );
        if let Ok(bytes) = opened {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                subject = v.get("subject").and_then(|s| s.as_str()).map(String::from);
                params = v.get("params").cloned();
            }
        }
    }
    if let (true, Some(a)) = (org == q.from, &answer) {
        let aad = answer_aad(id, q, a.outcome, a.envelope.key_epoch);
        if let Ok(bytes) = secrets::open(st, org, &a.envelope, &binding::answer_info(id), &aad) {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                rows = Some(v.get("rows").and_then(|r| r.as_array()).cloned().unwrap_or_default());
                if subject.is_none() {
                    subject = v.get("subject").and_then(|s| s.as_str()).map(String::from);
                }
            }
        }
    }
    let covered = match q.person {
        Some(person) if q.answer.is_none() => Some(covered(reader, &person, q)?),
        _ => None,
    };
    Ok(QueryJson {
        covered,
        id: hex32(id),
        height: q.height,
        time: time_str(q.time_ms),
        from: q.from.clone(),
        from_name: org_name(reader, &q.from),
        to: q.to.clone(),
        to_name: org_name(reader, &q.to),
        item: q.item.to_string(),
        subject_tag: hex32(&q.subject_tag),
        purpose: q.purpose.clone(),
        person: q.person.map(|p| p.to_string()),
        answered: q.answer.is_some(),
        outcome: answer.as_ref().map(|a| a.outcome.as_str().to_string()),
        answer_height: answer.as_ref().map(|a| a.height),
        envelope: serde_json::to_value(&q.envelope).map_err(ApiError::internal)?,
        subject,
        params,
        rows,
    })
}

/// Whether a consent of `person` covers query `q` now (the chain decides at the answer's
/// block time; this is the tip's view).
fn covered(
    reader: &dyn fapiao_api::Reader,
    person: &fapiao_types::AccountId,
    q: &QueryRecord,
) -> ApiResult<bool> {
    let lookup = fapiao_exchange_types::consent_lookup(person, &q.from, &q.item, &q.purpose);
    let Some(r) = get::<fapiao_exchange_types::IdRef>(reader, ExchangeKey::ConsentFor(lookup))?
    else {
        return Ok(false);
    };
    let Some(c) = get::<fapiao_exchange_types::ConsentRecord>(reader, ExchangeKey::Consent(r.id))?
    else {
        return Ok(false);
    };
    Ok(c.revoked_ms.is_none() && c.expires_ms > reader.tip().header.time_ms)
}

/// Reads query `id`, visible to its two departments only (404 to everyone else).
pub(crate) fn read_query(st: &ApiState, id: &Hash32, org: &str) -> ApiResult<QueryRecord> {
    let q: QueryRecord = get(&*st.reader, ExchangeKey::Query(*id))?
        .ok_or_else(|| ApiError::not_found("no such query"))?;
    if q.from != org && q.to != org {
        return Err(ApiError::not_found("no such query"));
    }
    Ok(q)
}

/// Ask a department one catalogue item about a subject (an exchange officer). This node
/// tags the subject under the shared watch key and seals the subject and parameters to
/// the department asked; the chain refuses an item outside its catalogue or a
/// department the item does not allow, and compares the tag with other departments'
/// watch lists (a match raises a joint alert in the same block).
#[utoipa::path(post, path = "/v1/exchange/queries", tag = "exchange",
    request_body = AskJson, security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn ask(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<AskJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let (_, me) = officer(&st, &headers, "exchange_query")?;
    let j = json_body(body)?;
    let reader = &*st.reader;
    let item = item_id(&j.item)?;
    let to = j.to.trim().to_string();
    let entry: CatalogueItem = get(reader, ExchangeKey::Item(to.clone(), item.clone()))?
        .ok_or_else(|| {
            ApiError::declared(
                "exchange.unknown_item",
                Some("item"),
                format!("{to} publishes no {item}"),
            )
        })?;
    let subject = subject_text(entry.subject_kind, &j.subject)?;
    let person = match j.person.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(parse_account("person", p)?),
    };
    let (_, watch_key) = secrets::watch_key(&st, &me.org)?;
    let tag = subject_tag(&watch_key, entry.subject_kind, &subject);
    let plaintext =
        serde_json::to_vec(&serde_json::json!({ "subject": subject, "params": j.params }))
            .map_err(ApiError::internal)?;
    let purpose = j.purpose.trim().to_string();
    let (epoch, key) = secrets::current_key(reader, &to)?;
    let record = QueryRecord {
        from: me.org.clone(),
        asker: me.public_key.account_id(),
        to: to.clone(),
        item: item.clone(),
        subject_tag: tag,
        purpose: purpose.clone(),
        person,
        envelope: Envelope { suite: key.suite, key_epoch: epoch, enc: vec![], ciphertext: vec![] },
        height: 0,
        time_ms: 0,
        answer: None,
    };
    let envelope =
        secrets::seal(epoch, &key, &binding::query_info(), &query_aad(&record, epoch), &plaintext)?;
    let action = Query { to, item, subject_tag: tag, purpose, person, envelope };
    let (hash, receipt) =
        commit(&st, &headers, fapiao_exchange_types::ExchangeAction::Query(action)).await?;
    Ok(Json(done(reader, hash, &receipt)))
}

/// One query with its answer, for its two departments (opened where this node holds
/// their key).
#[utoipa::path(get, path = "/v1/exchange/queries/{id}", tag = "exchange",
    params(("id" = String, Path, description = "the query id (64 hex)")),
    security(("bearer" = [])),
    responses((status = 200, body = QueryJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_query(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<QueryJson>> {
    let (_, me) = officer(&st, &headers, "read a query")?;
    let id = parse_id("id", &id)?;
    let q = read_query(&st, &id, &me.org)?;
    Ok(Json(query_json(&st, &id, &q, &me.org)?))
}

/// Which queries of the inbox.
#[derive(Deserialize, IntoParams, Debug)]
pub(crate) struct InboxParams {
    /// `open` (not yet answered, the default) or `all`.
    state: Option<String>,
}

/// The queries addressed to the caller's department, newest first — what its responder
/// follows (`state=open`: not yet answered).
#[utoipa::path(get, path = "/v1/exchange/inbox", tag = "exchange", params(InboxParams),
    security(("bearer" = [])),
    responses((status = 200, body = InboxJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn inbox(
    State(st): St,
    headers: HeaderMap,
    params: Result<QueryParams<InboxParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<InboxJson>> {
    let (_, me) = officer(&st, &headers, "read the inbox")?;
    let QueryParams(p) = params.map_err(|e| ApiError::bad_field("state", e.body_text()))?;
    let open_only = match p.state.as_deref() {
        None | Some("open") => true,
        Some("all") => false,
        Some(s) => {
            return Err(ApiError::bad_field("state", format!("{s:?}: expected open or all")))
        }
    };
    let limit = if open_only { INBOX_SCAN } else { LIST };
    let ids = index::queries_in(&crate::Index(&*st.reader), &me.org, limit)?;
    let mut queries = Vec::new();
    for id in ids {
        let Some(q) = get::<QueryRecord>(&*st.reader, ExchangeKey::Query(id))? else { continue };
        if open_only && q.answer.is_some() {
            continue;
        }
        queries.push(query_json(&st, &id, &q, &me.org)?);
    }
    Ok(Json(InboxJson { queries }))
}

/// Answer a query addressed to the caller's department: a responder's sealed envelope,
/// or rows this node seals to the asker's current key. The chain refuses a second
/// answer, an answer by another department, and an answer about a person that no
/// consent of theirs covers.
#[utoipa::path(post, path = "/v1/exchange/answers", tag = "exchange",
    request_body = AnswerJson, security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn answer(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<AnswerJson>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let (_, me) = officer(&st, &headers, "exchange_answer")?;
    let j = json_body(body)?;
    let id = parse_id("query", &j.query)?;
    let outcome = AnswerOutcome::parse(j.outcome.trim())
        .map_err(|e| ApiError::bad_field("outcome", e.to_string()))?;
    let envelope = match (j.envelope, j.rows) {
        (Some(env), _) => serde_json::from_value::<Envelope>(env)
            .map_err(|e| ApiError::bad_field("envelope", e.to_string()))?,
        (None, rows) => {
            let q = read_query(&st, &id, &me.org)?;
            let (epoch, key) = secrets::current_key(&*st.reader, &q.from)?;
            let plaintext =
                serde_json::to_vec(&serde_json::json!({ "rows": rows.unwrap_or_default() }))
                    .map_err(ApiError::internal)?;
            secrets::seal(
                epoch,
                &key,
                &binding::answer_info(&id),
                &answer_aad(&id, &q, outcome, epoch),
                &plaintext,
            )?
        }
    };
    let action = AnswerQuery { query: id, outcome, envelope };
    let (hash, receipt) =
        commit(&st, &headers, fapiao_exchange_types::ExchangeAction::Answer(action)).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}
