//! The handlers and the router.

use crate::{
    access,
    dto::*,
    error::{ApiError, ApiResult},
    ApiState, Caller,
};
use axum::{
    extract::{
        rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection},
        DefaultBodyLimit, Path, Query, State,
    },
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::MethodRouter,
    Json, Router,
};
use bytes::Bytes;
use commonware_codec::Encode;
use fapiao_ledger::decode_tx;
use fapiao_types::{
    AccountRecord, Action, Hash32, NewAccount, OrgRecord, Role, SignedTx, StateKey, Suite, Tx,
    TxRecord,
};
use serde::Deserialize;
use std::sync::Arc;

/// The state every handler extracts.
pub type St = State<Arc<ApiState>>;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone; handlers decide what a caller's token lets it read or do.
    Open,
    /// Anyone, within a per-invoice budget (public verification: the `ratelimit` module).
    Verify,
    /// Consortium nodes only: requests signed by a node key of the genesis
    /// (see [`crate::node_auth`]).
    Node,
}

/// The route table of one application (or of the platform itself): its routes with
/// who may call each, the router serving them and their OpenAPI description, all
/// generated from one declaration by [`route_table!`](crate::route_table).
///
/// [`router`] serves [`PLATFORM`] and every application the node registers, and
/// [`crate::openapi_json`] describes the same routes.
#[derive(Clone, Copy)]
pub struct AppRoutes {
    /// Whose routes these are (`platform`, `invoice`, ...).
    pub name: &'static str,
    /// Every route: method, path (axum syntax), who may call it.
    pub routes: &'static [(&'static str, &'static str, Audience)],
    /// The routes, each behind the guard of its [`Audience`].
    pub router: fn(&Guards) -> Router<Arc<ApiState>>,
    /// The OpenAPI description of the routes (paths, their schemas, the table's tags).
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// Who may read the application's state keys (`GET /v1/state`), if it has any:
    /// declared with `key_access:` in the table.
    pub key_access: Option<crate::access::KeyAccess>,
}

/// Declares a route table: each line gives a route's method, path, handler and who may
/// call it ([`Audience`]). It expands to a constant [`AppRoutes`] whose router, OpenAPI
/// paths and route list all come from these lines, so no route can be served
/// undocumented or documented unserved. Handlers take `State<Arc<ApiState>>` and carry
/// a `#[utoipa::path]` annotation; the crate using the macro depends on `utoipa`. An
/// application with state keys names its read rules for them with `key_access:`
/// ([`crate::access::KeyAccess`]).
///
/// ```ignore
/// fapiao_api::route_table! {
///     /// The invoice application's routes.
///     pub const ROUTES = "invoice";
///     key_access: crate::access::key_access;
///     tags: [("invoices", "Taxpayers, credit, invoices")];
///     get "/v1/invoices/{number}" => crate::invoices::get_invoice, Open;
/// }
/// ```
#[macro_export]
macro_rules! route_table {
    (@key_access) => { None };
    (@key_access $rules:path) => { Some($rules as $crate::KeyAccess) };
    (
        $(#[$meta:meta])*
        $vis:vis const $name:ident = $app:literal;
        $(key_access: $rules:path;)?
        $(openapi: ( $($extra:tt)* );)?
        tags: [ $( ($tag:literal, $about:literal) ),* $(,)? ];
        $( $method:ident $path:literal => $($handler:ident)::+ , $access:ident ; )*
    ) => {
        $(#[$meta])*
        $vis const $name: $crate::AppRoutes = {
            fn router(
                guards: &$crate::Guards,
            ) -> $crate::__private::Router<::std::sync::Arc<$crate::ApiState>> {
                let mut r = $crate::__private::Router::new();
                $(
                    r = r.route(
                        $path,
                        guards.apply(
                            $crate::__private::routing::$method($($handler)::+),
                            $crate::Audience::$access,
                        ),
                    );
                )*
                r
            }

            #[derive(utoipa::OpenApi)]
            #[openapi(
                $($($extra)* ,)?
                paths( $( $($handler)::+ ),* ),
                tags( $( (name = $tag, description = $about) ),* )
            )]
            struct Doc;

            fn openapi() -> $crate::__private::utoipa::openapi::OpenApi {
                <Doc as $crate::__private::utoipa::OpenApi>::openapi()
            }

            $crate::AppRoutes {
                name: $app,
                routes: &[ $( (stringify!($method), $path, $crate::Audience::$access) ),* ],
                router,
                openapi,
                key_access: $crate::route_table!(@key_access $($rules)?),
            }
        };
    };
}

crate::route_table! {
    /// The platform's own routes: chain, state, custody, governance, node-to-node, ops.
    pub const PLATFORM = "platform";
    openapi: (info(title = "Fapiao node API", description = "Consortium blockchain for electronic invoices: chain, state and custody endpoints."));
    tags: [
        ("chain", "Blocks, transactions and authenticated state"),
        ("node", "Node-to-node routes: only consortium nodes, with signed requests"),
        ("custody", "Signing with keys this node holds for its organisation"),
        ("governance", "Parameters in force and their versions, proposals, organisations"),
        ("ops", "Metrics and this document"),
    ];
    get "/v1/status" => crate::routes::status, Open;
    post "/v1/transactions" => crate::routes::submit, Open;
    post "/v1/transactions/batch" => crate::sync::submit_batch, Open;
    get "/v1/transactions/{hash}" => crate::routes::get_tx, Open;
    get "/v1/blocks/{height}" => crate::routes::get_block, Open;
    get "/v1/state/{*key}" => crate::routes::get_state, Open;
    post "/v1/accounts" => crate::routes::add_account, Open;
    post "/v1/accounts/{account}/revoke" => crate::routes::revoke_account, Open;
    get "/v1/params" => crate::governance::params, Open;
    get "/v1/governance/proposals" => crate::governance::proposals, Open;
    post "/v1/governance/proposals" => crate::governance::propose, Open;
    post "/v1/governance/proposals/{id}/approve" => crate::governance::approve, Open;
    post "/v1/governance/proposals/{id}/withdraw" => crate::governance::withdraw, Open;
    post "/v1/enterprises" => crate::governance::create_enterprise, Open;
    get "/v1/sync/blocks" => crate::sync::sync_blocks, Node;
    post "/v1/relay" => crate::sync::relay, Node;
    get "/v1/refusals" => crate::refusals::refusals, Open;
    get "/v1/openapi.json" => crate::routes::openapi, Open;
    get "/metrics" => crate::routes::metrics, Open;
}

/// Every route served with `apps` beside [`PLATFORM`]: method, path, who may call it.
pub fn all_routes(apps: &[AppRoutes]) -> Vec<(&'static str, &'static str, Audience)> {
    core::iter::once(&PLATFORM).chain(apps).flat_map(|a| a.routes.iter().copied()).collect()
}

/// The middleware each [`Audience`] adds.
pub struct Guards {
    verify: Arc<crate::ratelimit::VerifyLimiter>,
}

impl Guards {
    /// `m` behind the guard of `audience`.
    pub fn apply(
        &self,
        m: MethodRouter<Arc<ApiState>>,
        audience: Audience,
    ) -> MethodRouter<Arc<ApiState>> {
        match audience {
            Audience::Open => m,
            Audience::Verify => m.route_layer(axum::middleware::from_fn_with_state(
                self.verify.clone(),
                crate::ratelimit::limit_verify,
            )),
            Audience::Node => {
                m.route_layer(axum::middleware::from_fn(crate::node_auth::require_node))
            }
        }
    }
}

/// The registered applications' read rules for their state keys, gathered once when
/// the router is built.
#[derive(Clone)]
pub(crate) struct KeyRules(Arc<[crate::access::KeyAccess]>);

/// The served OpenAPI document, generated once when the router is built.
#[derive(Clone)]
pub(crate) struct Document(Arc<str>);

/// Builds the router over shared state from [`PLATFORM`] and the route tables of
/// `apps`, behind the admission layer ([`crate::limits`]).
///
/// # Panics
/// If two tables declare the same route (a programming error the node's tests catch).
pub fn router(state: Arc<ApiState>, apps: &[AppRoutes]) -> Router {
    let limit = state.max_body_bytes;
    // A validated genesis has well-formed node keys.
    let node_keys = state.reader.genesis().node_keys().unwrap_or_default();
    // Full nodes listed by governance are read from the state at each request.
    let reader = state.reader.clone();
    let listed: crate::node_auth::NodeLookup = Box::new(move |key| {
        match reader.get::<fapiao_types::FullNodeRecord>(&StateKey::FullNode(*key)) {
            Ok(Some(node)) => Some(node.name),
            _ => None,
        }
    });
    let node_auth = Arc::new(crate::node_auth::NodeAuth::new(node_keys, limit).with_lookup(listed));
    let control = Arc::new(crate::limits::Control::new(state.limits.clone(), node_auth));
    let guards = Guards {
        // One budget per invoice number for every way of checking it without a token.
        verify: Arc::new(crate::ratelimit::VerifyLimiter::following(state.reader.clone())),
    };
    let document = Document(crate::openapi_json(apps).into());
    let key_rules = KeyRules(apps.iter().filter_map(|a| a.key_access).collect());
    let mut routes = (PLATFORM.router)(&guards);
    for app in apps {
        routes = routes.merge((app.router)(&guards));
    }
    routes
        .fallback(not_found)
        .layer(axum::Extension(document))
        .layer(axum::Extension(key_rules))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(control, crate::limits::admit))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// This document: the OpenAPI 3 description of every route.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "ops",
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")))]
pub(crate) async fn openapi(axum::Extension(doc): axum::Extension<Document>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], doc.0.to_string()).into_response()
}

/// Prometheus metrics (OpenMetrics text exposition).
#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "metrics", content_type = "application/openmetrics-text")))]
pub(crate) async fn metrics(State(st): St) -> Response {
    st.metrics.mempool_size.set(st.pool.stats().pending as i64);
    st.metrics.sync_execution_faults(st.reader.execution_faults());
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        st.metrics.render(),
    )
        .into_response()
}

/// `s` as a 32-byte hash in hex, or a 400 naming `field`.
///
/// # Errors
/// 400 `malformed` when `s` is not 64 hex characters.
pub fn parse_hash(field: &str, s: &str) -> ApiResult<Hash32> {
    let v = hex::decode(s).map_err(|_| ApiError::bad_field(field, "expected 64 hex characters"))?;
    v.try_into().map_err(|_| ApiError::bad_field(field, "expected 64 hex characters"))
}

/// The authenticated caller as a read-access [`access::Viewer`].
pub fn viewer(st: &ApiState, headers: &HeaderMap) -> ApiResult<Option<access::Viewer>> {
    let Some((caller, record)) = caller(st, headers)? else { return Ok(None) };
    let org = st
        .reader
        .get::<OrgRecord>(&StateKey::Org(record.org.clone()))?
        .ok_or_else(|| ApiError::internal(format!("organisation {} missing", record.org)))?;
    Ok(Some(access::Viewer { account: caller.account, org, audit: st.audit.clone() }))
}

/// The authenticated caller and its account, if a bearer token was given.
pub fn caller(st: &ApiState, headers: &HeaderMap) -> ApiResult<Option<(Caller, AccountRecord)>> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::unauthorized("expected `Authorization: Bearer <token>`"))?;
    let caller = st
        .custody
        .authenticate(token.trim())
        .map_err(|reason| {
            // Serving with the tokens last read could honour a revoked token.
            tracing::error!(%reason, "refusing requests: the token store cannot be read");
            ApiError::refuse(
                fapiao_app::Platform::TokensUnavailable,
                Some("authorization"),
                "this node cannot read its token store; try again later",
            )
        })?
        .ok_or_else(|| ApiError::unauthorized("unknown, expired or revoked token"))?;
    let record = st
        .reader
        .account(&caller.account)?
        .ok_or_else(|| ApiError::unauthorized("the token's account is not on chain"))?;
    if record.revoked_at.is_some() {
        return Err(ApiError::unauthorized("the token's account is revoked"));
    }
    Ok(Some((caller, record)))
}

/// Node status.
#[utoipa::path(get, path = "/v1/status", tag = "chain",
    responses((status = 200, description = "Status", body = StatusResponse)))]
pub(crate) async fn status(State(st): St) -> ApiResult<Json<StatusResponse>> {
    st.metrics.http_requests.inc();
    let tip = st.reader.tip();
    let g = st.reader.genesis();
    let pool = st.pool.stats();
    Ok(Json(StatusResponse {
        chain_id: g.chain_id.clone(),
        role: st.chain.role().into(),
        height: tip.height,
        finalized_height: st.chain.finalized_height().max(tip.height),
        state_height: tip.header.state_height,
        state_root: hex::encode(tip.header.state_root),
        executed_state_root: hex::encode(tip.state_root),
        head_digest: hex::encode(tip.header.digest()),
        validators: g
            .validators
            .iter()
            .map(|v| ValidatorJson {
                name: v.name.clone(),
                public_key: v.public_key.clone(),
                p2p_address: v.p2p_address.clone(),
            })
            .collect(),
        peers: st.chain.peers(),
        mempool: MempoolJson { pending: pool.pending, bytes: pool.bytes },
    }))
}

#[derive(Deserialize)]
pub(crate) struct WaitQuery {
    wait: Option<bool>,
}

/// Waits until `hash` (with `expiry`) is executed or the timeout passes. Looks it up
/// through the replay set, so it works on a node without the index by hash.
async fn wait_for(
    st: &ApiState,
    hash: &Hash32,
    expiry: u64,
) -> ApiResult<Option<fapiao_ledger::FoundTx>> {
    let deadline = tokio::time::Instant::now() + st.wait_timeout;
    let mut executed = st.executed.clone();
    loop {
        if let Some(found) = st.reader.transaction_with_expiry(hash, expiry)? {
            return Ok(Some(found));
        }
        match tokio::time::timeout_at(deadline, executed.changed()).await {
            Ok(Ok(())) => continue,
            Ok(Err(_)) | Err(_) => return Ok(st.reader.transaction_with_expiry(hash, expiry)?),
        }
    }
}

fn submitted(hash: Hash32, found: Option<fapiao_ledger::FoundTx>) -> Response {
    match found {
        Some(f) => (
            StatusCode::OK,
            Json(SubmitResponse {
                hash: hex::encode(hash),
                status: "committed".into(),
                height: Some(f.receipt.height),
                receipt: Some(ReceiptJson::from(&f.receipt)),
            }),
        )
            .into_response(),
        None => (
            StatusCode::ACCEPTED,
            Json(SubmitResponse {
                hash: hex::encode(hash),
                status: "pending".into(),
                height: None,
                receipt: None,
            }),
        )
            .into_response(),
    }
}

async fn admit(st: &ApiState, stx: SignedTx) -> ApiResult<Hash32> {
    let size = stx.encode_size_hint();
    st.admitter.submit(stx, size).await.map_err(|r| {
        st.metrics.txs_rejected.inc();
        ApiError::from(r)
    })
}

trait SizeHint {
    fn encode_size_hint(&self) -> usize;
}

impl SizeHint for SignedTx {
    fn encode_size_hint(&self) -> usize {
        commonware_codec::EncodeSize::encode_size(self)
    }
}

/// Submits a signed transaction.
///
/// The body is the canonical signed transaction (`application/octet-stream`) or JSON
/// `{"tx": "<hex>"}`. Waits until executed (200 with the receipt); `?wait=false`, or a
/// wait that times out, answers 202 with the hash.
#[utoipa::path(post, path = "/v1/transactions", tag = "chain",
    params(("wait" = Option<bool>, Query, description = "wait for execution (default true)")),
    request_body(description = "The canonical signed transaction (docs/formats.md §4.4): its raw bytes as application/octet-stream, or their hex as JSON {\"tx\": \"<hex>\"}. A body whose Content-Type is not application/json is read as raw bytes.",
        content((SubmitJson = "application/json"), ("application/octet-stream"))),
    responses(
        (status = 200, description = "Committed", body = SubmitResponse),
        (status = 202, description = "Admitted, not yet executed", body = SubmitResponse),
        (status = 400, description = "Malformed or refused", body = crate::ErrorBody),
        (status = 401, description = "Bad signature", body = crate::ErrorBody),
        (status = 403, description = "Unknown or revoked account, missing role", body = crate::ErrorBody),
        (status = 409, description = "Replayed", body = crate::ErrorBody),
        (status = 413, description = "Too large", body = crate::ErrorBody),
        (status = 503, description = "Mempool full; see Retry-After", body = crate::ErrorBody)))]
pub(crate) async fn submit(
    State(st): St,
    query: Result<Query<WaitQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    st.metrics.http_requests.inc();
    let Query(q) = query.map_err(|e| ApiError::bad_field("wait", e.body_text()))?;
    let body = crate::sync::body_bytes(body)?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let raw = if is_json {
        let j: SubmitJson = serde_json::from_slice(&body).map_err(|e| {
            ApiError::refuse(fapiao_app::Platform::Malformed, Some("tx"), e.to_string())
        })?;
        hex::decode(j.tx.trim()).map_err(|e| {
            ApiError::refuse(fapiao_app::Platform::Malformed, Some("tx"), e.to_string())
        })?
    } else {
        body.to_vec()
    };
    let max = st.reader.genesis().consensus.max_tx_bytes as usize;
    let stx = decode_tx(&raw, max).map_err(|r| {
        st.metrics.txs_rejected.inc();
        ApiError::from(r)
    })?;
    let expiry = stx.tx.expiry;
    let hash = admit(&st, stx).await?;
    if q.wait == Some(false) {
        return Ok(submitted(hash, None));
    }
    let found = wait_for(&st, &hash, expiry).await?;
    Ok(submitted(hash, found))
}

/// A transaction by hash, with its receipt.
#[utoipa::path(get, path = "/v1/transactions/{hash}", tag = "chain",
    params(("hash" = String, Path, description = "transaction hash (hex)")),
    responses((status = 200, body = TxResponse), (status = 404, body = crate::ErrorBody),
        (status = 501, description = "not_indexed: this node keeps no index of transactions by hash (`tx_index = false`)", body = crate::ErrorBody)))]
pub(crate) async fn get_tx(
    State(st): St,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<TxResponse>> {
    st.metrics.http_requests.inc();
    let Path(h) = path.map_err(|e| ApiError::bad_field("hash", e.body_text()))?;
    let hash = parse_hash("hash", &h)?;
    let who = viewer(&st, &headers)?;
    let found =
        st.reader.transaction(&hash)?.ok_or_else(|| ApiError::not_found("no such transaction"))?;
    let sender_org = st.reader.account(&found.tx.tx.sender_account())?.map(|a| a.org);
    if !access::may_read_action(&found.tx.tx.action, sender_org.as_deref(), who.as_ref()) {
        return Err(ApiError::not_found("no such transaction"));
    }
    Ok(Json(TxResponse {
        hash: hex::encode(hash),
        tx: TxJson::from(&found.tx),
        receipt: ReceiptJson::from(&found.receipt),
    }))
}

fn certificate_view(st: &ApiState, height: u64, blob: &[u8]) -> Option<serde_json::Value> {
    if blob.is_empty() {
        None
    } else {
        st.chain.certificate_json(height, blob)
    }
}

/// A block: header, transaction hashes, finalization certificate.
#[utoipa::path(get, path = "/v1/blocks/{height}", tag = "chain",
    params(("height" = u64, Path, description = "block height")),
    responses((status = 200, body = BlockResponse), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_block(
    State(st): St,
    path: Result<Path<u64>, PathRejection>,
) -> ApiResult<Json<BlockResponse>> {
    st.metrics.http_requests.inc();
    let Path(height) = path.map_err(|e| ApiError::bad_field("height", e.body_text()))?;
    let block = st.reader.block(height)?.ok_or_else(|| ApiError::not_found("no such block"))?;
    let blob = st.reader.certificate(height)?.unwrap_or_default();
    let outcomes = st
        .reader
        .receipts(height)?
        .unwrap_or_default()
        .iter()
        .map(|r| match &r.outcome {
            fapiao_types::Outcome::Ok => "ok".to_string(),
            fapiao_types::Outcome::Failed { code, .. } => code.clone(),
        })
        .collect();
    Ok(Json(BlockResponse {
        height,
        digest: hex::encode(block.header.digest()),
        header: HeaderJson::from(&block.header),
        header_hex: hex::encode(block.header.encode()),
        tx_hashes: block.tx_hashes().iter().map(hex::encode).collect(),
        outcomes,
        certificate: certificate_view(&st, height, &blob),
        certificate_hex: hex::encode(&blob),
    }))
}

fn record_json(key: &StateKey, bytes: &[u8]) -> Option<serde_json::Value> {
    use fapiao_types::decode_exact;
    match key {
        StateKey::Org(_) => decode_exact::<OrgRecord>(bytes, &()).ok().map(|o| {
            let tax_id = o.tax_id.map(|u| u.to_string()).unwrap_or_default();
            serde_json::json!({"id": o.id, "name": o.name, "kind": o.kind, "tax_id": tax_id})
        }),
        StateKey::Account(id) => decode_exact::<AccountRecord>(bytes, &()).ok().map(|a| {
            serde_json::json!({
                "account": id.to_string(),
                "suite": a.public_key.suite().as_str(),
                "public_key": a.public_key.to_hex(),
                "org": a.org, "name": a.name, "roles": a.roles,
                "added_at": a.added_at, "revoked_at": a.revoked_at,
            })
        }),
        StateKey::Tx(_) => decode_exact::<TxRecord>(bytes, &()).ok().map(|t| {
            serde_json::json!({
                "height": t.height, "index": t.index, "sender": t.sender.to_string(),
                "outcome": t.outcome,
            })
        }),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

#[derive(Deserialize)]
pub(crate) struct ProofQuery {
    proof: Option<bool>,
}

/// A state record, optionally with a Merkle proof against a certified header.
///
/// Keys: `org/<id>`, `account/<hex>`, `tx/<hex>`, ... (docs/formats.md §8.1). The answer
/// always carries the record's canonical bytes as `value_hex` (formats.md §8); only
/// `org/`, `account/` and `tx/` records are also decoded into `value`. With `?proof=true`
/// the record is proven as it is now, at the node's executed tip *t* (`state_height`),
/// against `header`: the first header whose `state_height` is *t* (its `state_root` is
/// the root of that state), with `descendants_hex` (the headers after it up to the one
/// the certificate finalizes directly; usually none) and that finalization certificate.
/// Such a header comes with a later block, so the answer waits for it — about one block
/// interval, at most a few — and answers 503 `not_final_yet` with `Retry-After` when none
/// came. Transaction records (`tx/<hex>`) are kept beside the state tree: asking for their
/// proof is a 400.
#[utoipa::path(get, path = "/v1/state/{key}", tag = "chain",
    params(("key" = String, Path, description = "state key path, e.g. account/<hex>"),
           ("proof" = Option<bool>, Query, description = "include a Merkle proof (waits for the certifying header)")),
    responses((status = 200, body = StateResponse), (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
        (status = 503, description = "`not_final_yet`: no certified header for the proven state yet", body = crate::ErrorBody)))]
pub(crate) async fn get_state(
    State(st): St,
    axum::Extension(rules): axum::Extension<KeyRules>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<ProofQuery>, QueryRejection>,
) -> ApiResult<Response> {
    st.metrics.http_requests.inc();
    let Path(k) = path.map_err(|e| ApiError::bad_field("key", e.body_text()))?;
    let Query(q) = query.map_err(|e| ApiError::bad_field("proof", e.body_text()))?;
    let mut key = StateKey::parse(&k).map_err(|e| ApiError::bad_field("key", e.to_string()))?;
    if let StateKey::App(app_key) = &key {
        // A kind no registered application owns, or a key its owner refuses; else the
        // key as its owner writes it (lower-case hex).
        let owned = fapiao_ledger::apps::check_key(app_key)
            .map_err(|e| ApiError::bad_field("key", e.to_string()))?;
        key = StateKey::App(owned);
    }
    let who = viewer(&st, &headers)?;
    if !access::may_read_key(&*st.reader, &rules.0, &key, who.as_ref()) {
        return Err(ApiError::not_found("no such record"));
    }
    if q.proof == Some(true) {
        let Some(c) = crate::bundle::certify(&st, vec![key.clone()]).await? else {
            return Ok(crate::bundle::not_final_yet("record"));
        };
        let p = c.proven.proofs.first().ok_or_else(|| ApiError::internal("no proof"))?;
        let cert = certificate_view(&st, c.certified_height(), &c.certificate);
        return Ok(Json(StateResponse {
            key: key.to_string(),
            value: p.value.as_deref().and_then(|v| record_json(&key, v)),
            value_hex: p.value.as_ref().map(hex::encode),
            proof: Some(ProofJson {
                state_height: c.proven.height,
                proof: hex::encode(&p.proof),
                header: HeaderJson::from(&c.header),
                header_hex: hex::encode(c.header.encode()),
                header_digest: hex::encode(c.header.digest()),
                descendants_hex: c.descendants.iter().map(|h| hex::encode(h.encode())).collect(),
                certificate: cert,
                certificate_hex: hex::encode(&c.certificate),
            }),
        })
        .into_response());
    }
    let value = st.reader.get_raw(&key)?.ok_or_else(|| ApiError::not_found("no such record"))?;
    Ok(Json(StateResponse {
        key: key.to_string(),
        value: record_json(&key, &value),
        value_hex: Some(hex::encode(&value)),
        proof: None,
    })
    .into_response())
}

/// Builds, signs (with the caller's custodial key) and submits `action`, waiting for
/// its receipt.
pub async fn custodial(
    st: &ApiState,
    who: &(Caller, AccountRecord),
    action: Action,
) -> ApiResult<(Hash32, fapiao_types::Receipt)> {
    let (caller, record) = who;
    let tip = st.reader.tip().height;
    let window = st.reader.mechanics_at_tip()?.expiry_window;
    let tx = Tx {
        chain_id: st.reader.genesis().chain_id.clone(),
        sender: record.public_key,
        nonce: rand::random(),
        expiry: tip + window.min(100),
        action,
    };
    let name = tx.action.name();
    let stx = st.custody.sign(&caller.account, tx).map_err(|e| {
        ApiError::refuse(fapiao_app::Platform::NotCustodial, Some("authorization"), e)
    })?;
    tracing::info!(token = %caller.token_id, account = %caller.account, action = name, "custodial signature");
    let expiry = stx.tx.expiry;
    let hash = admit(st, stx).await?;
    let found = wait_for(st, &hash, expiry).await?.ok_or_else(|| {
        ApiError::refuse(
            fapiao_app::Platform::Timeout,
            None,
            format!("transaction {} not yet executed", hex::encode(hash)),
        )
    })?;
    Ok((hash, found.receipt))
}

/// The error a failure receipt answers (`None` for a success): 403 for a missing
/// right, otherwise 422, with the receipt's code and field.
pub fn failed_receipt(r: &fapiao_types::Receipt) -> Option<ApiError> {
    match &r.outcome {
        fapiao_types::Outcome::Ok => None,
        fapiao_types::Outcome::Failed { code, field, message } => Some(ApiError::declared(
            code,
            (!field.is_empty()).then_some(field.as_str()),
            message.clone(),
        )),
    }
}

/// Signs and commits `action` for the caller with its custodial key — what every
/// application's write routes do: 401 without a token, 403 `missing_role` before anything
/// is signed when the action needs a role the caller lacks, and a refusal answered with
/// its declared code, status and field.
///
/// # Errors
/// As above, and the admission and timeout errors of [`custodial`].
pub async fn commit(
    st: &ApiState,
    headers: &HeaderMap,
    action: impl Into<Action>,
) -> ApiResult<(Hash32, fapiao_types::Receipt)> {
    let action = action.into();
    let who =
        caller(st, headers)?.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    if let Some(role) = action.required_role() {
        if !who.1.has_role(role) {
            return Err(ApiError::from(fapiao_ledger::Rejection::missing_role(
                role,
                action.name(),
            )));
        }
    }
    let (hash, receipt) = custodial(st, &who, action).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    Ok((hash, receipt))
}

/// An org admin adds a member; this node generates and keeps the member's key.
#[utoipa::path(post, path = "/v1/accounts", tag = "custody",
    request_body = NewAccountRequest,
    security(("bearer" = [])),
    responses((status = 200, body = NewAccountResponse),
              (status = 400, body = crate::ErrorBody), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn add_account(
    State(st): St,
    headers: HeaderMap,
    body: Result<Json<NewAccountRequest>, JsonRejection>,
) -> ApiResult<Json<NewAccountResponse>> {
    st.metrics.http_requests.inc();
    let who = caller(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let Json(req) = body.map_err(|e| {
        ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text())
    })?;
    let name = req.name.trim();
    if name.is_empty() || name.len() > 128 {
        return Err(ApiError::bad_field("name", "1-128 bytes"));
    }
    let suite = Suite::parse(req.suite.as_deref().unwrap_or("ed25519"))
        .map_err(|e| ApiError::bad_field("suite", e.to_string()))?;
    let roles = req
        .roles
        .iter()
        .map(|r| Role::parse(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::bad_field("roles", e.to_string()))?;
    if !who.1.has_role(Role::OrgAdmin) {
        return Err(ApiError::from(fapiao_ledger::Rejection::missing_role(
            Role::OrgAdmin,
            "add_account",
        )));
    }
    let public_key = st.custody.generate(name, suite).map_err(ApiError::internal)?;
    let action = Action::AddAccount(NewAccount { public_key, name: name.to_string(), roles });
    let (hash, receipt) = custodial(&st, &who, action).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    let account = public_key.account_id();
    let token = if req.create_token.unwrap_or(true) {
        Some(st.custody.create_token(&account, name).map_err(ApiError::internal)?)
    } else {
        None
    };
    Ok(Json(NewAccountResponse {
        account: account.to_string(),
        suite: suite.as_str().into(),
        public_key: public_key.to_hex(),
        token,
        tx_hash: hex::encode(hash),
        height: receipt.height,
    }))
}

/// An org admin revokes one of its organisation's accounts (signed custodially).
#[utoipa::path(post, path = "/v1/accounts/{account}/revoke", tag = "custody",
    params(("account" = String, Path, description = "account id (hex)")),
    security(("bearer" = [])),
    responses((status = 200, body = CustodialResponse), (status = 401, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn revoke_account(
    State(st): St,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<CustodialResponse>> {
    st.metrics.http_requests.inc();
    let who = caller(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let Path(a) = path.map_err(|e| ApiError::bad_field("account", e.body_text()))?;
    let account = parse_hash("account", &a)?.into();
    let (hash, receipt) = custodial(&st, &who, Action::RevokeAccount { account }).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    Ok(Json(CustodialResponse { tx_hash: hex::encode(hash), receipt: ReceiptJson::from(&receipt) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The platform alone is served and documented alike (the node's test covers the
    /// tables it registers).
    #[test]
    fn router_and_openapi_list_the_same_routes() {
        crate::testing::assert_routes_documented(&[]);
    }

    #[test]
    fn node_routes_are_the_ones_carrying_blocks_and_relays() {
        let node: Vec<&str> =
            PLATFORM.routes.iter().filter(|r| r.2 == Audience::Node).map(|r| r.1).collect();
        assert_eq!(node, ["/v1/sync/blocks", "/v1/relay"]);
    }
}
