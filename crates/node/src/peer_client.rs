//! [`PeerClient`]: this node's calls to other nodes' node-only routes (block sync,
//! relay, QR attestation), each signed with the node key — a validator's consensus key
//! or a full node's `node_key` — over method, path and query, body hash and time
//! (`fapiao_types::node_auth`). Answers are read up to a size bound, so a peer cannot
//! exhaust this node's memory.

use bytes::Bytes;
use fapiao_crypto::SigningKey;
use fapiao_types::{
    node_auth::{
        node_request_message, HEADER_NODE, HEADER_SIGNATURE, HEADER_TIME, NAMESPACE_NODE_HTTP,
    },
    PublicKey, Suite,
};
use std::sync::Arc;

/// Signs and sends node-to-node requests.
#[derive(Clone)]
pub struct PeerClient {
    http: reqwest::Client,
    key: Arc<SigningKey>,
    public_hex: String,
}

/// Why a peer call failed.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// The URL did not parse.
    #[error("bad peer URL {0}")]
    Url(String),
    /// Sending or reading failed.
    #[error("{0}")]
    Http(#[from] reqwest::Error),
    /// The peer answered with an error status.
    #[error("peer answered {0}")]
    Status(reqwest::StatusCode),
    /// The answer was larger than allowed.
    #[error("answer larger than {0} bytes")]
    TooLarge(usize),
}

impl PeerClient {
    /// A client signing with the Ed25519 node key `secret`, sending through `http`.
    ///
    /// # Errors
    /// [`crate::Error::Config`] if the secret is not a valid Ed25519 key.
    pub fn new(http: reqwest::Client, secret: &[u8; 32]) -> crate::Result<Self> {
        let key = SigningKey::from_bytes(Suite::Ed25519, secret)
            .map_err(|e| crate::Error::Config(format!("node key: {e}")))?;
        let public_hex = match key.public_key() {
            PublicKey::Ed25519(b) => hex::encode(b),
            PublicKey::Sm2(_) => return Err(crate::Error::Config("node key: not Ed25519".into())),
        };
        Ok(Self { http, key: Arc::new(key), public_hex })
    }

    /// This node's public key (hex), as listed in the genesis.
    pub fn public_key_hex(&self) -> &str {
        &self.public_hex
    }

    /// Sends a signed `method` request to `url` with `body` (empty for GET) and reads
    /// at most `max` bytes of a successful answer.
    ///
    /// # Errors
    /// [`PeerError`].
    pub async fn call(
        &self,
        method: reqwest::Method,
        url: &str,
        content_type: Option<&str>,
        body: Bytes,
        max: usize,
    ) -> Result<Bytes, PeerError> {
        let url = reqwest::Url::parse(url).map_err(|_| PeerError::Url(url.to_string()))?;
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let time = crate::now_ms();
        let msg = node_request_message(method.as_str(), &target, &body, time);
        let sig = self
            .key
            .sign_namespaced(NAMESPACE_NODE_HTTP, &msg)
            .map_err(|_| PeerError::Url("namespace".into()))?;
        let mut req = self
            .http
            .request(method, url)
            .header(HEADER_NODE, &self.public_hex)
            .header(HEADER_TIME, time.to_string())
            .header(HEADER_SIGNATURE, hex::encode(sig.0));
        if let Some(ct) = content_type {
            req = req.header(reqwest::header::CONTENT_TYPE, ct);
        }
        if !body.is_empty() {
            req = req.body(body);
        }
        let resp = req.send().await?;
        if !resp.status().is_success() {
            return Err(PeerError::Status(resp.status()));
        }
        read_bounded(resp, max).await
    }
}

/// Reads a response body of at most `max` bytes, refusing more without buffering it.
///
/// # Errors
/// [`PeerError::TooLarge`] or a transport error.
pub async fn read_bounded(mut resp: reqwest::Response, max: usize) -> Result<Bytes, PeerError> {
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(PeerError::TooLarge(max));
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if out.len() + chunk.len() > max {
            return Err(PeerError::TooLarge(max));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A peer's answer is read up to the bound and refused past it, whether or not the
    /// peer announces its length.
    #[tokio::test]
    async fn answers_larger_than_the_bound_are_refused() {
        let app = axum::Router::new()
            .route("/big", axum::routing::get(|| async { vec![7u8; 200_000] }))
            .route(
                "/streamed",
                axum::routing::get(|| async {
                    let chunks =
                        (0..50).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![1u8; 4096])));
                    axum::body::Body::from_stream(futures::stream::iter(chunks))
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::new();
        for path in ["big", "streamed"] {
            let url = format!("http://{addr}/{path}");
            let small = read_bounded(http.get(&url).send().await.expect("answer"), 100_000).await;
            assert!(matches!(small, Err(PeerError::TooLarge(100_000))), "{path}");
            let ok = read_bounded(http.get(&url).send().await.expect("answer"), 300_000).await;
            assert!(ok.is_ok_and(|b| b.len() >= 200_000), "{path}");
        }
    }
}
