//! The cross-chain demo talks to its chains as any client does: JSON reads over the
//! public API and signed transactions posted to `POST /v1/transactions?wait=true`.

use crate::{story::rand_nonce, Error, Result};
use commonware_codec::Encode;
use fapiao_crypto::SigningKey;
use fapiao_types::{Action, Tx};
use serde_json::Value;
use std::time::{Duration, Instant};

/// A chain's API, with the chain id its transactions name.
#[derive(Clone, Debug)]
pub struct Chain {
    /// API URL (`http://127.0.0.1:27100`).
    pub api: String,
    /// Its chain id.
    pub chain_id: String,
    http: reqwest::Client,
}

/// What a transaction came to: `Ok(output)` or the refusal code.
pub type Outcome = core::result::Result<String, String>;

/// An answer of an authenticated route: its HTTP status and JSON body (an error body
/// carries the refusal `code`).
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// JSON body (`Null` when there was none).
    pub body: Value,
}

impl Reply {
    /// Whether the route answered 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The refusal code of an error answer (empty for none).
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    /// The body of a 2xx answer.
    ///
    /// # Errors
    /// [`Error::Seed`] naming `what`, the status and the refusal otherwise.
    pub fn into_ok(self, what: &str) -> Result<Value> {
        if self.ok() {
            Ok(self.body)
        } else {
            Err(Error::Seed(format!("{what}: {} {}", self.status, self.body)))
        }
    }
}

impl Chain {
    /// A client of the chain `chain_id` at `api`.
    ///
    /// # Errors
    /// [`Error::Seed`] when the HTTP client cannot be built.
    pub fn new(api: &str, chain_id: &str) -> Result<Chain> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Error::Seed(e.to_string()))?;
        Ok(Chain { api: api.trim_end_matches('/').to_string(), chain_id: chain_id.into(), http })
    }

    /// `GET path` as JSON; `None` for a refusal or an unreachable node.
    pub async fn get(&self, path: &str) -> Option<Value> {
        let r = self.http.get(format!("{}{path}", self.api)).send().await.ok()?;
        if !r.status().is_success() {
            return None;
        }
        r.json().await.ok()
    }

    /// `method path` with the bearer `token` and, for a write, the JSON `body`, as a
    /// signed-in client calls an authenticated route.
    ///
    /// # Errors
    /// [`Error::Seed`] when the node cannot be reached.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Result<Reply> {
        let mut req = self.http.request(method, format!("{}{path}", self.api)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let r = req.send().await.map_err(|e| Error::Seed(format!("{}{path}: {e}", self.api)))?;
        let status = r.status().as_u16();
        let text = r.text().await.map_err(|e| Error::Seed(format!("{}{path}: {e}", self.api)))?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply { status, body })
    }

    /// Whether `GET path` answers 200 (a page, a file).
    pub async fn answers(&self, path: &str) -> bool {
        let r = self.http.get(format!("{}{path}", self.api)).send().await;
        r.is_ok_and(|r| r.status().is_success())
    }

    /// The chain's height (0 when it does not answer).
    pub async fn height(&self) -> u64 {
        self.get("/v1/status").await.and_then(|s| s["height"].as_u64()).unwrap_or(0)
    }

    /// Waits up to `within` until `ok` holds of the chain.
    ///
    /// # Errors
    /// [`Error::Seed`] naming `what` when it does not.
    pub async fn wait_for<F, Fut>(&self, what: &str, within: Duration, mut ok: F) -> Result<()>
    where
        F: FnMut() -> Fut,
        Fut: core::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + within;
        while !ok().await {
            if Instant::now() > deadline {
                return Err(Error::Seed(format!("{}: timed out waiting for {what}", self.api)));
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Ok(())
    }

    /// Signs `action` with `key` (a fresh random nonce, expiring 100 blocks ahead) and
    /// submits it, waiting for its receipt.
    ///
    /// # Errors
    /// [`Error::Seed`] when the node cannot be reached or answers without a receipt (a
    /// refusal at admission carries its code in the message).
    pub async fn submit(&self, key: &SigningKey, action: Action) -> Result<Outcome> {
        let tx = Tx {
            chain_id: self.chain_id.clone(),
            sender: key.public_key(),
            nonce: rand_nonce(),
            expiry: self.height().await + 100,
            action,
        };
        let bytes = key.sign_tx(tx).encode().to_vec();
        let answer: Value = self
            .http
            .post(format!("{}/v1/transactions?wait=true", self.api))
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .map_err(|e| Error::Seed(format!("{}: {e}", self.api)))?
            .json()
            .await
            .map_err(|e| Error::Seed(format!("{}: {e}", self.api)))?;
        let receipt = &answer["receipt"];
        match receipt["status"].as_str() {
            Some("ok") => Ok(Ok(receipt["output"].as_str().unwrap_or_default().to_string())),
            Some(_) => Ok(Err(receipt["code"].as_str().unwrap_or_default().to_string())),
            None => Err(Error::Seed(format!("{}: no receipt: {answer}", self.api))),
        }
    }

    /// [`Chain::submit`], where success or one of the refusals `done` (what a repeated
    /// step gets: the record already exists) both mean the step is done.
    ///
    /// # Errors
    /// As [`Chain::submit`], and [`Error::Seed`] for any other refusal.
    pub async fn ensure(
        &self,
        what: &str,
        key: &SigningKey,
        action: Action,
        done: &[&str],
    ) -> Result<()> {
        match self.submit(key, action).await? {
            Ok(_) => Ok(()),
            Err(code) if done.contains(&code.as_str()) => Ok(()),
            Err(code) => Err(Error::Seed(format!("{what} refused: {code}"))),
        }
    }
}
