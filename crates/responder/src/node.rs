//! The responder's client of its department's node: the inbox, the askers' keys, and
//! the custodial answer route. The JSON shapes are those of the exchange API
//! (`crates/exchange-api`); unknown fields are ignored so that the API can grow.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An envelope as the API shows it (hex bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeJson {
    /// The suite's name.
    pub suite: String,
    /// The recipient's key epoch.
    pub key_epoch: u32,
    /// The encapsulated key (hex).
    pub enc: String,
    /// The ciphertext (hex).
    pub ciphertext: String,
}

/// A query in the department's inbox.
#[derive(Clone, Debug, Deserialize)]
pub struct InboxQuery {
    /// The query id (hex, 32 bytes).
    pub id: String,
    /// The height of the block that holds the query.
    pub height: u64,
    /// The asking organisation.
    pub from: String,
    /// The catalogue item.
    pub item: String,
    /// The subject's keyed tag (hex).
    pub subject_tag: String,
    /// The purpose (a case number).
    pub purpose: String,
    /// The person a natural-person query is about.
    #[serde(default)]
    pub person: Option<String>,
    /// Whether an answer is on the chain already.
    #[serde(default)]
    pub answered: bool,
    /// For a query about a person: whether a consent covers it now (`None`: not such a
    /// query, or a node that does not say).
    #[serde(default)]
    pub covered: Option<bool>,
    /// The sealed query.
    pub envelope: EnvelopeJson,
}

#[derive(Deserialize)]
struct Inbox {
    queries: Vec<InboxQuery>,
}

/// An organisation's registered encryption key.
#[derive(Clone, Debug, Deserialize)]
pub struct OrgKey {
    /// The organisation (the API calls it `owner`).
    #[serde(alias = "owner")]
    pub org: String,
    /// The key's epoch.
    pub epoch: u32,
    /// The key's suite.
    pub suite: String,
    /// The public key (hex).
    pub public_key: String,
}

/// The body of `POST /v1/exchange/answers`.
#[derive(Clone, Debug, Serialize)]
pub struct AnswerRequest<'a> {
    /// The query answered (hex).
    pub query: &'a str,
    /// `found`, `not_found` or `declined`.
    pub outcome: &'a str,
    /// The sealed answer.
    pub envelope: &'a EnvelopeJson,
}

/// The node's API, authenticated with the department account's bearer token.
pub struct NodeClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl NodeClient {
    /// A client of the node at `base` (no trailing slash).
    pub fn new(http: reqwest::Client, base: &str, token: &str) -> NodeClient {
        NodeClient { http, base: base.trim_end_matches('/').into(), token: token.into() }
    }

    /// `GET /v1/exchange/inbox?state=open`: the open queries addressed to the department.
    ///
    /// # Errors
    /// [`Error::Node`] when the node cannot be reached or answers with an error.
    pub async fn inbox(&self) -> Result<Vec<InboxQuery>> {
        let inbox: Inbox = self.get("/v1/exchange/inbox?state=open").await?;
        Ok(inbox.queries)
    }

    /// `GET /v1/exchange/keys/{org}`: an organisation's current encryption key.
    ///
    /// # Errors
    /// [`Error::Node`] as for [`NodeClient::inbox`].
    pub async fn org_key(&self, org: &str) -> Result<OrgKey> {
        let path = format!("/v1/exchange/keys/{}", encode_path(org));
        self.get(&path).await
    }

    /// `POST /v1/exchange/answers` (custodial: the node signs with the token's account).
    ///
    /// # Errors
    /// [`Error::Refused`] when the node or the chain refuses the answer (with the
    /// refusal's code), [`Error::Node`] when the node cannot be reached or fails.
    pub async fn post_answer(&self, req: &AnswerRequest<'_>) -> Result<serde_json::Value> {
        let url = format!("{}/v1/exchange/answers", self.base);
        let resp = self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .json(req)
            .send()
            .await
            .map_err(|e| Error::Node(format!("POST {url}: {e}")))?;
        json_or_error(&url, resp).await
    }

    /// `GET /v1/status`: the chain id and the current height.
    ///
    /// # Errors
    /// [`Error::Node`] as for [`NodeClient::inbox`].
    pub async fn status(&self) -> Result<(String, u64)> {
        let v: serde_json::Value = self.get("/v1/status").await?;
        match (v["chain_id"].as_str(), v["height"].as_u64()) {
            (Some(c), Some(h)) => Ok((c.to_owned(), h)),
            _ => Err(Error::Node("/v1/status has no chain_id or height".into())),
        }
    }

    /// `POST /v1/transactions?wait=true`: relay a signed transaction and wait for its
    /// receipt (`{hash, status, receipt?}`).
    ///
    /// # Errors
    /// [`Error::Refused`] when admission refuses it (`replayed`, `expired`, …),
    /// [`Error::Node`] when the node cannot be reached or fails.
    pub async fn post_tx(&self, bytes: Vec<u8>) -> Result<serde_json::Value> {
        let url = format!("{}/v1/transactions?wait=true", self.base);
        let resp = self
            .http
            .post(&url)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .map_err(|e| Error::Node(format!("POST {url}: {e}")))?;
        json_or_error(&url, resp).await
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let url = format!("{}{path}", self.base);
        let resp = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| Error::Node(format!("GET {url}: {e}")))?;
        let v = json_or_error(&url, resp).await?;
        serde_json::from_value(v)
            .map_err(|e| Error::Node(format!("GET {url}: unexpected JSON: {e}")))
    }
}

/// Percent-encode a path segment (organisation ids are plain, but never trusted).
fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn json_or_error(url: &str, resp: reqwest::Response) -> Result<serde_json::Value> {
    let status = resp.status();
    let body: serde_json::Value = match resp.json().await {
        Ok(v) => v,
        Err(e) if status.is_success() => {
            return Err(Error::Node(format!("{url}: response is not JSON: {e}")))
        }
        Err(_) => serde_json::Value::Null,
    };
    if status.is_success() {
        return Ok(body);
    }
    let code = body.get("code").and_then(|c| c.as_str()).unwrap_or("").to_owned();
    let message = body.get("message").and_then(|c| c.as_str()).unwrap_or("").to_owned();
    // A 4xx with a code is the node's or the chain's word on this request; anything else
    // (5xx, a proxy's page, 401 for a token the operator will fix) is retried.
    let retry = matches!(status.as_u16(), 401 | 408 | 429) || code == "timeout";
    if status.is_client_error() && !code.is_empty() && !retry {
        return Err(Error::Refused { status: status.as_u16(), code, message });
    }
    Err(Error::Node(format!("{url}: {status}: {code} {message}")))
}
