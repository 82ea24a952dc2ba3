//! Per-invoice rate limit of public verification *(policy)*: at most
//! [`VERIFY_PER_MINUTE`] answers per invoice number per minute, so nobody can sweep dates
//! and totals for a number. Memory is bounded: counters of past minutes are dropped.

use crate::error::ApiError;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use parking_lot::Mutex;
use std::{collections::HashMap, sync::Arc, time::Instant};

/// Verification answers per invoice number per minute.
pub const VERIFY_PER_MINUTE: u32 = 30;
/// Most numbers tracked at once.
const MAX_TRACKED: usize = 100_000;

/// Counters per number for the current minute.
#[derive(Default)]
pub struct VerifyLimiter {
    inner: Mutex<Window>,
}

struct Window {
    started: Instant,
    counts: HashMap<String, u32>,
}

impl Default for Window {
    fn default() -> Self {
        Self { started: Instant::now(), counts: HashMap::new() }
    }
}

impl VerifyLimiter {
    /// Counts one request for `number`; `false` when over the limit.
    pub fn allow(&self, number: &str) -> bool {
        let mut w = self.inner.lock();
        if w.started.elapsed().as_secs() >= 60 || w.counts.len() >= MAX_TRACKED {
            *w = Window::default();
        }
        let c = w.counts.entry(number.to_string()).or_insert(0);
        *c += 1;
        *c <= VERIFY_PER_MINUTE
    }
}

/// The invoice number a request checks: its `number` query parameter, or the path
/// segment of `/v1/invoices/{number}/…`.
fn number_of(req: &Request<Body>) -> Option<String> {
    let from_query = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("number=")))
        .map(str::to_string);
    from_query.or_else(|| {
        req.uri().path().strip_prefix("/v1/invoices/")?.split('/').next().map(str::to_string)
    })
}

/// Middleware on the public ways to check an invoice (`GET /v1/verify`, `/verify`,
/// `GET /v1/invoices/{number}/proof`): 429 with `Retry-After` past the limit.
pub async fn limit_verify(
    State(limiter): State<Arc<VerifyLimiter>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if let Some(number) = number_of(&req) {
        if !limiter.allow(&number) {
            let mut resp = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                Some("number"),
                format!("at most {VERIFY_PER_MINUTE} verifications of one invoice per minute"),
            )
            .into_response();
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return resp;
        }
    }
    next.run(req).await
}
