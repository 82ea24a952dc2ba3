//! Per-number rate limit of public verification *(governed)*: at most
//! `chain/mechanics.verify_per_minute` answers (default [`VERIFY_PER_MINUTE`]) per
//! invoice number (or tax-certificate number) per minute, so nobody can sweep dates and
//! totals (or plates) for a number. The
//! limit followed is the one the committed tip schedules, re-read when the tip moves.
//!
//! The budget is keyed on the number as the handler decodes it (the `number`
//! query parameter, or the `{number}` path segment, percent-decoded), so spelling the
//! same number another way (`%32%36…`) does not buy a new budget; memory is bounded by a
//! [`KeyedLimiter`] that never resets a spent budget.

use crate::limits::{too_many, KeyedLimiter};
use axum::{
    body::Body,
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

/// Verification answers per invoice number per minute, until governance says otherwise.
pub const VERIFY_PER_MINUTE: u32 = fapiao_ledger::params::VERIFY_PER_MINUTE;

/// Budgets per invoice number.
pub struct VerifyLimiter {
    inner: KeyedLimiter<String>,
    reader: Option<Arc<dyn crate::Reader>>,
    /// The tip height the rate was last read at (`u64::MAX`: never).
    read_at: AtomicU64,
}

impl Default for VerifyLimiter {
    fn default() -> Self {
        Self {
            inner: KeyedLimiter::new(VERIFY_PER_MINUTE, VERIFY_PER_MINUTE),
            reader: None,
            read_at: AtomicU64::new(u64::MAX),
        }
    }
}

impl VerifyLimiter {
    /// A limiter following the governed limit in `reader`'s chain.
    pub fn following(reader: Arc<dyn crate::Reader>) -> Self {
        Self { reader: Some(reader), ..Self::default() }
    }

    /// The limit in force, re-read from the chain when its tip has moved.
    fn per_minute(&self) -> u64 {
        if let Some(reader) = &self.reader {
            let tip = reader.tip().height;
            if self.read_at.swap(tip, Ordering::Relaxed) != tip {
                match reader.mechanics_at_tip() {
                    Ok(m) => self.inner.set_rate(m.verify_per_minute, m.verify_per_minute),
                    Err(e) => tracing::warn!(error = %e, "chain mechanics unreadable"),
                }
            }
        }
        self.inner.rate().1
    }
}

/// The invoice or certificate number a request checks, decoded as the handler decodes
/// it: its `number` query parameter, or the path segment of `/v1/invoices/{number}/…` or
/// `/v1/certificates/{number}/…` (the tax-certificate application's public check).
pub fn number_of(req: &Request<Body>) -> Option<String> {
    let from_query = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find_map(|(k, v)| (k == "number").then_some(v))
    });
    from_query.or_else(|| {
        let path = req.uri().path();
        let rest = path
            .strip_prefix("/v1/invoices/")
            .or_else(|| path.strip_prefix("/v1/certificates/"))?;
        let segment = rest.split('/').next()?;
        percent_encoding::percent_decode_str(segment).decode_utf8().ok().map(|s| s.into_owned())
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
        let per_minute = limiter.per_minute();
        if let Err(denied) = limiter.inner.check(&number) {
            return too_many(
                "number",
                format!("at most {per_minute} verifications of one invoice per minute"),
                &denied,
            );
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(uri: &str) -> Request<Body> {
        Request::get(uri).body(Body::empty()).expect("a valid request")
    }

    /// Regression: the number was read from the raw query, so `%32…` spellings of the
    /// same number each had a budget of their own.
    #[test]
    fn the_number_is_read_as_the_handler_decodes_it() {
        let n = "26951000000000000001";
        for uri in [
            format!("/v1/verify?number={n}&date=2026-11-26"),
            "/v1/verify?date=2026-11-26&number=%32%36951000000000000001".to_string(),
            "/verify?number=2695100000000000000%31".to_string(),
            format!("/v1/invoices/{n}/proof"),
            "/v1/invoices/%32695100000000000000%31/proof".to_string(),
        ] {
            assert_eq!(number_of(&req(&uri)).as_deref(), Some(n), "{uri}");
        }
        let c = "202600000001";
        for uri in [
            format!("/v1/certificates/{c}/check?plate=x"),
            "/v1/certificates/%32%30%32600000001/check".to_string(),
        ] {
            assert_eq!(number_of(&req(&uri)).as_deref(), Some(c), "{uri}");
        }
        assert_eq!(number_of(&req("/v1/verify?date=x")), None);
    }
}
