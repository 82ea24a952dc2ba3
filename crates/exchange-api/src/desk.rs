//! A department's desk: every department's catalogue, the registered keys, the
//! department's own view (queries in and out, watch list, joint alerts), key rotation
//! and the tax authority's distribution of the shared watch key.

use crate::common::*;
use crate::json::*;
use crate::queries::{json_body, query_json};
use crate::secrets::{self, get};
use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{commit, error::ApiError, ApiResult, ApiState, Reader, St};
use fapiao_exchange::index;
use fapiao_exchange_types::{
    Addressed, CatalogueItem, DepartmentRecord, DistributeWatchKey, ExchangeAction, ExchangeKey,
    KeyBytes, KeyRecord, QueryRecord, RegisterKey, WatchHead, WatchList,
};
use fapiao_types::{hex32, OrgKind};

const LIST: usize = 200;

/// Whether organisations of `kind` take part in the exchange.
pub(crate) fn is_department(kind: OrgKind) -> bool {
    matches!(
        kind,
        OrgKind::TaxAuthority
            | OrgKind::Police
            | OrgKind::Customs
            | OrgKind::CentralBank
            | OrgKind::Education
            | OrgKind::HumanResources
            | OrgKind::HealthInsurance
            | OrgKind::Housing
    )
}

/// The four intelligence departments' kinds, which share the watch key.
pub(crate) fn watches(kind: OrgKind) -> bool {
    matches!(
        kind,
        OrgKind::TaxAuthority | OrgKind::Police | OrgKind::Customs | OrgKind::CentralBank
    )
}

/// Every department's published items, for a viewer of department `viewer` (or none).
pub(crate) fn catalogue(
    reader: &dyn Reader,
    viewer: Option<&str>,
) -> ApiResult<Vec<CatalogueJson>> {
    let mut out = Vec::new();
    for org in reader.genesis().organisations.iter().filter(|o| is_department(o.kind)) {
        let Some(dept) = get::<DepartmentRecord>(reader, ExchangeKey::Department(org.id.clone()))?
        else {
            continue;
        };
        for item in &dept.items {
            let Some(c) =
                get::<CatalogueItem>(reader, ExchangeKey::Item(org.id.clone(), item.clone()))?
            else {
                continue;
            };
            if c.withdrawn {
                continue;
            }
            out.push(CatalogueJson {
                org: org.id.clone(),
                org_name: org.name.clone(),
                item: item.to_string(),
                title: c.title.clone(),
                subject_kind: c.subject_kind.as_str().to_string(),
                fields: c.answer_schema.clone(),
                may_ask: viewer.is_some_and(|v| c.askers.iter().any(|a| a == v)),
                askers: c.askers,
                legal_basis: c.legal_basis,
                consent: c.consent_required,
                version: c.version,
            });
        }
    }
    Ok(out)
}

/// Every department's catalogue (anyone).
#[utoipa::path(get, path = "/v1/exchange/catalogue", tag = "exchange",
    responses((status = 200, body = [CatalogueJson])))]
pub(crate) async fn get_catalogue(State(st): St) -> ApiResult<Json<Vec<CatalogueJson>>> {
    Ok(Json(catalogue(&*st.reader, None)?))
}

fn key_json(owner: String, epoch: u32, k: &KeyRecord) -> KeyJson {
    KeyJson {
        owner,
        epoch,
        suite: k.suite.as_str().to_string(),
        public_key: hex::encode(&k.public_key.0),
    }
}

/// A department's current encryption key (anyone: what a sender seals to).
#[utoipa::path(get, path = "/v1/exchange/keys/{org}", tag = "exchange",
    params(("org" = String, Path, description = "the department's organisation id")),
    responses((status = 200, body = KeyJson), (status = 409, body = crate::ErrorBody)))]
pub(crate) async fn get_key(State(st): St, Path(org): Path<String>) -> ApiResult<Json<KeyJson>> {
    let (epoch, k) = secrets::current_key(&*st.reader, &org)?;
    Ok(Json(key_json(org, epoch, &k)))
}

/// A person's current encryption key (anyone).
#[utoipa::path(get, path = "/v1/exchange/persons/{account}/key", tag = "exchange",
    params(("account" = String, Path, description = "the person's account (hex)")),
    responses((status = 200, body = KeyJson), (status = 400, body = crate::ErrorBody),
              (status = 409, body = crate::ErrorBody)))]
pub(crate) async fn get_person_key(
    State(st): St,
    Path(account): Path<String>,
) -> ApiResult<Json<KeyJson>> {
    let person = parse_account("account", &account)?;
    let (epoch, k) = secrets::person_key(&*st.reader, &person)?;
    Ok(Json(key_json(person.to_string(), epoch, &k)))
}

/// The caller's department desk: catalogues, queries in and out, watch list, alerts.
#[utoipa::path(get, path = "/v1/exchange/desk", tag = "exchange", security(("bearer" = [])),
    responses((status = 200, body = DeskJson), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn desk(State(st): St, headers: HeaderMap) -> ApiResult<Json<DeskJson>> {
    let (_, me) = officer(&st, &headers, "read the desk")?;
    let reader = &*st.reader;
    let org = me.org.clone();
    let ix = crate::Index(reader);
    let key = secrets::current_key(reader, &org).ok().map(|(e, k)| key_json(org.clone(), e, &k));
    let watch_key_epoch = secrets::watch_key(&st, &org).ok().map(|(e, _)| e);
    let queries = |ids: Vec<fapiao_types::Hash32>| -> ApiResult<Vec<QueryJson>> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(q) = get::<QueryRecord>(reader, ExchangeKey::Query(id))? {
                out.push(query_json(&st, &id, &q, &org)?);
            }
        }
        Ok(out)
    };
    let inbox = queries(index::queries_in(&ix, &org, LIST)?)?;
    let outbox = queries(index::queries_out(&ix, &org, LIST)?)?;
    let mut watch = Vec::new();
    for tag in index::watching(&ix, &org, LIST)? {
        let Some(list) = get::<WatchList>(reader, ExchangeKey::Watch(tag))? else { continue };
        if let Some(e) = list.entries.iter().find(|e| e.department == org) {
            let height =
                reader.transaction(&e.tx).ok().flatten().map(|t| t.receipt.height).unwrap_or(0);
            watch.push(WatchJson {
                tag: hex32(&tag),
                category: e.category.as_str().to_string(),
                since: time_str(e.since_ms),
                height,
            });
        }
    }
    let mut alerts = Vec::new();
    for id in index::alerts_of(&ix, &org, LIST)? {
        alerts.push(crate::alerts::alert_json(&st, &id, &org)?);
    }
    Ok(Json(DeskJson {
        org: org_ref(reader, &org),
        key,
        watch_key_epoch,
        catalogue: catalogue(reader, Some(&org))?,
        inbox,
        outbox,
        watch,
        alerts,
    }))
}

/// Generate the caller's department's next key on this node (its secret stays in the
/// node's secrets directory) and register the public half as a new epoch.
#[utoipa::path(post, path = "/v1/exchange/keys", tag = "exchange",
    request_body = RotateJson, security(("bearer" = [])),
    responses((status = 200, body = KeyJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 409, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn rotate_key(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<RotateJson>, JsonRejection>,
) -> ApiResult<Json<KeyJson>> {
    let (_, me) = officer(&st, &headers, "exchange_register_key")?;
    let j = json_body(body).unwrap_or_default();
    let suite = match j.suite.as_deref() {
        None | Some("") => fapiao_envelope::Suite::HpkeX25519ChaCha20Poly1305,
        Some(s) => fapiao_envelope::Suite::from_name(s)
            .map_err(|e| ApiError::bad_field("suite", e.to_string()))?,
    };
    let next = get::<DepartmentRecord>(&*st.reader, ExchangeKey::Department(me.org.clone()))?
        .map_or(1, |d| d.key_epoch + 1);
    let public = secrets::generate(&st, &me.org, next, suite)?;
    let action =
        RegisterKey { suite: secrets::chain_suite(suite), public_key: KeyBytes(public.to_bytes()) };
    commit(&st, &headers, ExchangeAction::RegisterKey(action)).await?;
    let (epoch, k) = secrets::current_key(&*st.reader, &me.org)?;
    Ok(Json(key_json(me.org, epoch, &k)))
}

/// Distribute a fresh watch key to the four intelligence departments, each share sealed
/// to its current key (an exchange officer of the tax authority). Tags are computed
/// under the newest key from then on.
#[utoipa::path(post, path = "/v1/exchange/watch-key", tag = "exchange", security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn distribute_watch_key(
    State(st): St,
    headers: HeaderMap,
) -> ApiResult<Json<DoneJson>> {
    officer(&st, &headers, "exchange_distribute_watch_key")?;
    let action = watch_key_action(&st)?;
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(&*st.reader, hash, &receipt)))
}

/// A fresh watch key sealed to every intelligence department with a key.
pub(crate) fn watch_key_action(st: &ApiState) -> ApiResult<ExchangeAction> {
    let reader = &*st.reader;
    let epoch = get::<WatchHead>(reader, ExchangeKey::WatchHead)?.map_or(1, |h| h.epoch + 1);
    let key: [u8; 32] = rand::random();
    let mut shares = Vec::new();
    for org in reader.genesis().organisations.iter().filter(|o| watches(o.kind)) {
        let Ok((e, k)) = secrets::current_key(reader, &org.id) else { continue };
        let envelope = secrets::seal(
            e,
            &k,
            &secrets::watch_key_info(epoch),
            &secrets::addressed_aad(&org.id, e),
            &key,
        )?;
        shares.push(Addressed { to: org.id.clone(), envelope });
    }
    if shares.is_empty() {
        return Err(ApiError::declared(
            "exchange.no_key",
            Some("to"),
            "no intelligence department has a key",
        ));
    }
    Ok(ExchangeAction::DistributeWatchKey(DistributeWatchKey { epoch, shares }))
}
