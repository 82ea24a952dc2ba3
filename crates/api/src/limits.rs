//! No caller stalls the node: every request passes one admission layer before routing.
//!
//! * **Node requests** (carrying the `x-fapiao-node` header) are authenticated here
//!   ([`crate::node_auth`]); a consortium node's signed request is exempt from the rate
//!   limits, a bad one is refused with 401 before any work.
//! * **Rate limits**: token buckets per bearer token and per client IP (the IP limit is
//!   off for loopback clients unless configured, so benchmarks and tests on one machine
//!   are not throttled). Past a budget: 429 with `Retry-After`.
//! * **Concurrency**: at most [`Limits::max_concurrent`] requests in flight; past it 503
//!   with `Retry-After` rather than a queue that grows.
//! * **Timeouts**: a request that takes longer than [`Limits::request_timeout`] is
//!   answered 503 `timeout` (its blocking work, if any, finishes in the background).
//!
//! Budgets are [`KeyedLimiter`]s: bounded memory, and a spent budget is never reset.

use crate::{error::ApiError, node_auth::NodeAuth};
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
};
pub use fapiao_mempool::{Denied, KeyedLimiter};
use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};
use tokio::sync::Semaphore;

/// The node operator's limits (`[limits]` in the node config).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest a request may take.
    pub request_timeout: Duration,
    /// Most requests in flight at once.
    pub max_concurrent: usize,
    /// Requests per second one bearer token may make (bursts up to twice that).
    pub per_token_per_second: u32,
    /// Requests per second one client IP may make (bursts up to twice that).
    pub per_ip_per_second: u32,
    /// Whether the per-IP limit applies to loopback clients too.
    pub per_ip_on_loopback: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            max_concurrent: 512,
            per_token_per_second: 1000,
            per_ip_per_second: 1000,
            per_ip_on_loopback: false,
        }
    }
}

/// A 429 with `Retry-After`.
pub fn too_many(field: &str, message: String, denied: &Denied) -> Response {
    let mut resp =
        ApiError::refuse(fapiao_app::Platform::RateLimited, Some(field), message).into_response();
    if let Ok(v) = HeaderValue::from_str(&denied.retry_after().to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// The admission layer's state.
pub struct Control {
    limits: Limits,
    node_auth: Arc<NodeAuth>,
    per_token: KeyedLimiter<[u8; 16]>,
    per_ip: KeyedLimiter<IpAddr>,
    in_flight: Arc<Semaphore>,
}

impl Control {
    /// The layer for `limits`, authenticating node requests with `node_auth`.
    pub fn new(limits: Limits, node_auth: Arc<NodeAuth>) -> Self {
        let (t, i) = (limits.per_token_per_second, limits.per_ip_per_second);
        Self {
            per_token: KeyedLimiter::new(t.saturating_mul(2), t.saturating_mul(60)),
            per_ip: KeyedLimiter::new(i.saturating_mul(2), i.saturating_mul(60)),
            in_flight: Arc::new(Semaphore::new(limits.max_concurrent.max(1))),
            node_auth,
            limits,
        }
    }
}

fn busy(code: fapiao_app::Platform, message: &str) -> Response {
    ApiError::refuse(code, None, message).into_response()
}

/// The admission layer (see the module docs), outermost on the router.
pub async fn admit(State(ctl): State<Arc<Control>>, req: Request<Body>, next: Next) -> Response {
    let Ok(_permit) = ctl.in_flight.clone().try_acquire_owned() else {
        return busy(fapiao_app::Platform::Busy, "too many requests in flight; retry shortly");
    };
    let req = if req.headers().contains_key(fapiao_types::node_auth::HEADER_NODE) {
        match ctl.node_auth.authenticate(req).await {
            Ok(req) => req,
            Err(e) => return e.into_response(),
        }
    } else {
        if let Some(token) = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            let digest = fapiao_types::sha256(token.trim().as_bytes());
            let mut key = [0u8; 16];
            key.copy_from_slice(&digest[..16]);
            if let Err(d) = ctl.per_token.check(&key) {
                return too_many(
                    "authorization",
                    format!(
                        "at most {} requests a second per token",
                        ctl.limits.per_token_per_second
                    ),
                    &d,
                );
            }
        }
        let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        if let Some(ip) = ip.filter(|ip| ctl.limits.per_ip_on_loopback || !ip.is_loopback()) {
            if let Err(d) = ctl.per_ip.check(&ip) {
                return too_many(
                    "ip",
                    format!(
                        "at most {} requests a second per address",
                        ctl.limits.per_ip_per_second
                    ),
                    &d,
                );
            }
        }
        req
    };
    match tokio::time::timeout(ctl.limits.request_timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => busy(fapiao_app::Platform::Timeout, "the request took too long; retry shortly"),
    }
}
