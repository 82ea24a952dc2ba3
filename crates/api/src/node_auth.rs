//! Node-only routes answer only consortium nodes.
//!
//! Block sync, relay and QR attestation carry whole blocks and private invoices, so
//! they stay on the same listener as the public API but require a request signed by a
//! node key the genesis lists: a validator's consensus key or a full node's key
//! (`full_nodes`). The signature covers method, path and query, the body's SHA-256 and
//! the time ([`fapiao_types::node_auth`]); a request is accepted within
//! [`CLOCK_WINDOW_MS`] of this node's clock and only once (its signature is remembered
//! until it would be too old anyway). Anything else gets 401 with the usual JSON error.
//! The admission layer ([`crate::limits`]) authenticates every request carrying node
//! headers before the rate limits, which node-to-node traffic is exempt from; the
//! node-only routes then require the [`NodePeer`] it attached.

use crate::clock::now_ms;
use crate::error::ApiError;
use axum::{
    body::Body,
    extract::Request,
    http::HeaderMap,
    middleware::Next,
    response::{IntoResponse, Response},
};
use fapiao_types::{
    node_auth::{
        node_request_message, HEADER_NODE, HEADER_SIGNATURE, HEADER_TIME, NAMESPACE_NODE_HTTP,
    },
    PublicKey, Signature,
};
use parking_lot::Mutex;
use std::collections::{BTreeMap, HashSet, VecDeque};

/// How far a request's time may be from this node's clock, either way.
pub const CLOCK_WINDOW_MS: u64 = 30_000;
/// Most signatures remembered at once; past it, node requests are refused (503) until
/// old ones age out — only consortium nodes can fill it.
const MAX_REMEMBERED: usize = 500_000;

/// The consortium node that signed a request (set by [`require_node`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePeer {
    /// Its node key.
    pub key: [u8; 32],
    /// Its name in the genesis.
    pub name: String,
}

/// Finds the name of a node key listed in the chain's state (full nodes added by
/// governance), if it is.
pub type NodeLookup = Box<dyn Fn(&[u8; 32]) -> Option<String> + Send + Sync>;

/// The keys allowed on node-only routes, and the signatures already used.
pub struct NodeAuth {
    keys: BTreeMap<[u8; 32], String>,
    lookup: Option<NodeLookup>,
    max_body: usize,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    signatures: HashSet<[u8; 64]>,
    /// (time the signature stops being acceptable, signature), oldest first.
    expiry: VecDeque<(u64, [u8; 64])>,
}

impl Seen {
    fn forget_before(&mut self, now_ms: u64) {
        while let Some(&(until, sig)) = self.expiry.front() {
            if until >= now_ms {
                break;
            }
            self.expiry.pop_front();
            self.signatures.remove(&sig);
        }
    }
}

/// Why a node request was refused.
fn refuse(message: impl Into<String>) -> ApiError {
    ApiError::refuse(fapiao_app::Platform::NodeAuth, Some("authorization"), message)
}

impl NodeAuth {
    /// Allows `keys` (public key, name); bodies up to `max_body` bytes.
    pub fn new(keys: impl IntoIterator<Item = ([u8; 32], String)>, max_body: usize) -> Self {
        Self { keys: keys.into_iter().collect(), lookup: None, max_body, seen: Mutex::default() }
    }

    /// Also allows the keys `lookup` finds (full nodes listed by governance, read from
    /// the current state for each request, so an unlisted key is refused at once).
    pub fn with_lookup(mut self, lookup: NodeLookup) -> Self {
        self.lookup = Some(lookup);
        self
    }

    /// Checks the signature headers of a request for `method` `target` with `body`,
    /// at `now_ms`; on success remembers the signature.
    ///
    /// # Errors
    /// The reason, for a 401 (or 503 when too many signatures are remembered).
    pub fn check(
        &self,
        method: &str,
        target: &str,
        headers: &HeaderMap,
        body: &[u8],
        now_ms: u64,
    ) -> Result<NodePeer, ApiError> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(node), Some(time), Some(sig)) =
            (header(HEADER_NODE), header(HEADER_TIME), header(HEADER_SIGNATURE))
        else {
            return Err(refuse(format!(
                "a node-only route: sign the request with a consortium node key \
                 ({HEADER_NODE}, {HEADER_TIME}, {HEADER_SIGNATURE})"
            )));
        };
        let key: [u8; 32] = hex::decode(node)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| refuse(format!("{HEADER_NODE}: expected 64 hex characters")))?;
        let name = match self.keys.get(&key) {
            Some(name) => name.clone(),
            None => self.lookup.as_ref().and_then(|f| f(&key)).ok_or_else(|| {
                refuse("the node key is not a validator or full node of this chain")
            })?,
        };
        let time: u64 =
            time.parse().map_err(|_| refuse(format!("{HEADER_TIME}: expected milliseconds")))?;
        if time.abs_diff(now_ms) > CLOCK_WINDOW_MS {
            return Err(refuse(format!(
                "request time {time} is more than {CLOCK_WINDOW_MS} ms from this node's clock \
                 {now_ms}"
            )));
        }
        let sig: [u8; 64] = hex::decode(sig)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| refuse(format!("{HEADER_SIGNATURE}: expected 128 hex characters")))?;
        let msg = node_request_message(method, target, body, time);
        fapiao_crypto::verify_namespaced(
            &PublicKey::Ed25519(key),
            NAMESPACE_NODE_HTTP,
            &msg,
            &Signature(sig),
        )
        .map_err(|_| refuse("the node signature does not verify"))?;
        let mut seen = self.seen.lock();
        seen.forget_before(now_ms);
        if seen.signatures.contains(&sig) {
            return Err(refuse("a replayed node request"));
        }
        if seen.signatures.len() >= MAX_REMEMBERED {
            return Err(ApiError::refuse(
                fapiao_app::Platform::Busy,
                None,
                "too many node requests in the replay window",
            ));
        }
        seen.signatures.insert(sig);
        // Kept until the request's time leaves the window; expiry times are pushed
        // roughly in order, and an out-of-order one only lingers a little longer.
        let until = time.saturating_add(CLOCK_WINDOW_MS).max(seen.expiry.back().map_or(0, |e| e.0));
        seen.expiry.push_back((until, sig));
        Ok(NodePeer { key, name })
    }
}

impl NodeAuth {
    /// Reads the body of a request that carries node headers and checks its signature
    /// (see the module docs); on success the request goes on with its body and a
    /// [`NodePeer`] extension. Called by the admission layer ([`crate::limits`]) for
    /// every request carrying [`HEADER_NODE`].
    ///
    /// # Errors
    /// The 401 (or 413, 503) answer.
    pub async fn authenticate(&self, req: Request<Body>) -> Result<Request<Body>, ApiError> {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, self.max_body).await else {
            return Err(ApiError::refuse(
                fapiao_app::Platform::TooLarge,
                Some("body"),
                format!("at most {} bytes", self.max_body),
            ));
        };
        let target = parts.uri.path_and_query().map_or(parts.uri.path(), |p| p.as_str());
        let peer = self
            .check(parts.method.as_str(), target, &parts.headers, &bytes, now_ms())
            .inspect_err(|_| {
                tracing::warn!(target = %target, "refused a node request that does not authenticate")
            })?;
        let mut req = Request::from_parts(parts, Body::from(bytes));
        req.extensions_mut().insert(peer);
        Ok(req)
    }
}

/// Middleware on the node-only routes: 401 unless the admission layer authenticated the
/// request as a consortium node's ([`NodePeer`]).
pub async fn require_node(req: Request<Body>, next: Next) -> Response {
    if req.extensions().get::<NodePeer>().is_none() {
        return refuse(format!(
            "a node-only route: sign the request with a consortium node key \
             ({HEADER_NODE}, {HEADER_TIME}, {HEADER_SIGNATURE})"
        ))
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};
    use fapiao_crypto::SigningKey;
    use fapiao_types::Suite;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(Suite::Ed25519, &[seed; 32]).expect("a valid seed")
    }

    fn pub32(k: &SigningKey) -> [u8; 32] {
        match k.public_key() {
            PublicKey::Ed25519(b) => b,
            PublicKey::Sm2(_) => unreachable!("an Ed25519 key"),
        }
    }

    fn signed(k: &SigningKey, method: &str, target: &str, body: &[u8], time: u64) -> HeaderMap {
        let msg = node_request_message(method, target, body, time);
        let sig = k.sign_namespaced(NAMESPACE_NODE_HTTP, &msg).expect("short namespace");
        let mut h = HeaderMap::new();
        h.insert(HEADER_NODE, HeaderValue::from_str(&hex::encode(pub32(k))).expect("hex"));
        h.insert(HEADER_TIME, HeaderValue::from_str(&time.to_string()).expect("digits"));
        h.insert(HEADER_SIGNATURE, HeaderValue::from_str(&hex::encode(sig.0)).expect("hex"));
        h
    }

    fn status(r: Result<NodePeer, ApiError>) -> StatusCode {
        match r {
            Ok(_) => StatusCode::OK,
            Err(e) => e.status,
        }
    }

    #[test]
    fn a_listed_node_is_let_in_once() {
        let node = key(1);
        let auth = NodeAuth::new([(pub32(&node), "validator-0".to_string())], 1 << 20);
        let h = signed(&node, "GET", "/v1/sync/blocks?from=1", b"", 1_000_000);
        let peer = auth.check("GET", "/v1/sync/blocks?from=1", &h, b"", 1_000_500);
        assert_eq!(peer.ok().map(|p| p.name), Some("validator-0".to_string()));
        // The same signed request again is a replay.
        assert_eq!(
            status(auth.check("GET", "/v1/sync/blocks?from=1", &h, b"", 1_000_600)),
            StatusCode::UNAUTHORIZED
        );
    }

    #[test]
    fn everything_else_is_refused() {
        let node = key(1);
        let stranger = key(2);
        let auth = NodeAuth::new([(pub32(&node), "validator-0".to_string())], 1 << 20);
        let now = 5_000_000;
        let cases: Vec<(&str, HeaderMap, &str, &[u8], u64)> = vec![
            ("no headers", HeaderMap::new(), "/v1/relay", b"x", now),
            (
                "unknown key",
                signed(&stranger, "POST", "/v1/relay", b"x", now),
                "/v1/relay",
                b"x",
                now,
            ),
            ("other body", signed(&node, "POST", "/v1/relay", b"x", now), "/v1/relay", b"y", now),
            ("other path", signed(&node, "POST", "/v1/relay", b"x", now), "/v1/attest", b"x", now),
            (
                "other query",
                signed(&node, "GET", "/v1/sync/blocks?from=1", b"", now),
                "/v1/sync/blocks?from=2",
                b"",
                now,
            ),
            (
                "too old",
                signed(&node, "POST", "/v1/relay", b"x", now - CLOCK_WINDOW_MS - 1),
                "/v1/relay",
                b"x",
                now,
            ),
            (
                "too far ahead",
                signed(&node, "POST", "/v1/relay", b"x", now + CLOCK_WINDOW_MS + 1),
                "/v1/relay",
                b"x",
                now,
            ),
        ];
        for (what, headers, target, body, at) in cases {
            let method = if target.starts_with("/v1/sync") { "GET" } else { "POST" };
            assert_eq!(
                status(auth.check(method, target, &headers, body, at)),
                StatusCode::UNAUTHORIZED,
                "{what}"
            );
        }
    }

    #[test]
    fn remembered_signatures_age_out() {
        let node = key(1);
        let auth = NodeAuth::new([(pub32(&node), "v".to_string())], 1 << 20);
        for t in 0..100u64 {
            let h = signed(&node, "POST", "/v1/relay", b"x", 1_000_000 + t * 1_000);
            assert!(auth.check("POST", "/v1/relay", &h, b"x", 1_000_000 + t * 1_000).is_ok());
        }
        // Only the last window's worth is remembered.
        assert!(auth.seen.lock().signatures.len() <= (2 * CLOCK_WINDOW_MS / 1_000 + 2) as usize);
    }
}
