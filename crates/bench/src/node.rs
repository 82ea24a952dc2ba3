//! The node's HTTP API as the load generator uses it: submissions (batched or single,
//! never waiting), status, blocks with their outcomes, metrics and authenticated reads.

use crate::{Error, Result};
use bytes::Bytes;
use fapiao_types::Hash32;
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;

/// What admission said about one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// In the pool; follow it in the blocks.
    Admitted,
    /// Refused with this stable code (`mempool_full`, `expired`, …, or `http_<status>` /
    /// `http_error` when the request itself failed).
    Refused(String),
}

/// A block as followed: when it was executed, what it carried, how each ended.
#[derive(Clone, Debug)]
pub struct BlockView {
    /// Height.
    pub height: u64,
    /// Transaction hashes in order.
    pub tx_hashes: Vec<Hash32>,
    /// `ok` or the failure code, in the same order.
    pub outcomes: Vec<String>,
}

/// The few Prometheus values a run reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct NodeMetrics {
    /// `fapiao_resident_memory_bytes`.
    pub rss_bytes: Option<u64>,
    /// `fapiao_block_execution_seconds_sum`.
    pub exec_sum_s: Option<f64>,
    /// `fapiao_block_execution_seconds_count`.
    pub exec_count: Option<u64>,
    /// `fapiao_txs_committed_total`.
    pub txs_committed: Option<u64>,
}

/// A client of one or more nodes (connections are pooled per node).
#[derive(Clone)]
pub struct NodeClient {
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct BatchItem {
    admitted: bool,
    code: Option<String>,
}

#[derive(Deserialize)]
struct BatchResponse {
    results: Vec<BatchItem>,
}

#[derive(Deserialize)]
struct BlockLite {
    height: u64,
    tx_hashes: Vec<String>,
    #[serde(default)]
    outcomes: Vec<String>,
}

/// The part of `GET /v1/status` the bench reads.
#[derive(Clone, Debug, Deserialize)]
pub struct StatusView {
    /// Chain id.
    pub chain_id: String,
    /// Latest executed height.
    pub height: u64,
    /// The state height the latest header commits to (what proofs are against).
    #[serde(default)]
    pub state_height: u64,
}

fn base(url: &str) -> &str {
    url.trim_end_matches('/')
}

impl NodeClient {
    /// A client with a generous per-host pool (the closed loop keeps many requests in
    /// flight), a request timeout and, for `https://` nodes, `tls`.
    ///
    /// # Errors
    /// [`Error::Node`] if the HTTP client cannot be built.
    pub fn new(timeout: Duration, tls: Option<&rustls::ClientConfig>) -> Result<Self> {
        let mut builder = reqwest::Client::builder();
        if let Some(tls) = tls {
            builder = builder.use_preconfigured_tls(tls.clone());
        }
        let http = builder
            .pool_max_idle_per_host(4096)
            .tcp_nodelay(true)
            .timeout(timeout)
            .build()
            .map_err(|e| Error::node("-", e))?;
        Ok(Self { http })
    }

    /// `GET /v1/status`.
    ///
    /// # Errors
    /// [`Error::Node`].
    pub async fn status(&self, url: &str) -> Result<StatusView> {
        let u = format!("{}/v1/status", base(url));
        let resp = self.http.get(&u).send().await.map_err(|e| Error::node(&u, e))?;
        if !resp.status().is_success() {
            return Err(Error::node(&u, resp.status()));
        }
        resp.json().await.map_err(|e| Error::node(&u, e))
    }

    /// `GET /v1/blocks/{h}`; `None` when the node has no such block yet.
    ///
    /// # Errors
    /// [`Error::Node`] on transport errors or a malformed block.
    pub async fn block(&self, url: &str, height: u64) -> Result<Option<BlockView>> {
        let u = format!("{}/v1/blocks/{height}", base(url));
        let resp = self.http.get(&u).send().await.map_err(|e| Error::node(&u, e))?;
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !resp.status().is_success() {
            return Err(Error::node(&u, resp.status()));
        }
        let b: BlockLite = resp.json().await.map_err(|e| Error::node(&u, e))?;
        let tx_hashes = b
            .tx_hashes
            .iter()
            .map(|h| fapiao_types::parse_hex32("tx_hashes", h))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::node(&u, e))?;
        if b.outcomes.len() != tx_hashes.len() {
            return Err(Error::node(&u, "outcomes and tx_hashes differ in length"));
        }
        Ok(Some(BlockView { height: b.height, tx_hashes, outcomes: b.outcomes }))
    }

    /// `GET /metrics`, the values the report uses (absent ones stay `None`).
    ///
    /// # Errors
    /// [`Error::Node`].
    pub async fn metrics(&self, url: &str) -> Result<NodeMetrics> {
        let u = format!("{}/metrics", base(url));
        let resp = self.http.get(&u).send().await.map_err(|e| Error::node(&u, e))?;
        let text = resp.text().await.map_err(|e| Error::node(&u, e))?;
        Ok(parse_metrics(&text))
    }

    /// Submits pre-encoded transactions: one `POST /v1/transactions/batch` of `body`
    /// (frames) answering for `count` transactions, or with `single` one
    /// `POST /v1/transactions?wait=false` of the raw transaction.
    pub async fn submit(
        &self,
        url: &str,
        body: Bytes,
        count: usize,
        single: bool,
    ) -> Vec<Admission> {
        if single {
            return vec![self.submit_one(url, body).await];
        }
        let u = format!("{}/v1/transactions/batch", base(url));
        let sent = self
            .http
            .post(&u)
            .header("content-type", "application/octet-stream")
            .body(body)
            .send()
            .await;
        let resp = match sent {
            Ok(r) => r,
            Err(_) => return vec![Admission::Refused("http_error".into()); count],
        };
        let status = resp.status();
        if !status.is_success() {
            let code =
                error_code(resp).await.unwrap_or_else(|| format!("http_{}", status.as_u16()));
            return vec![Admission::Refused(code); count];
        }
        match resp.json::<BatchResponse>().await {
            Ok(b) if b.results.len() == count => b
                .results
                .into_iter()
                .map(|r| {
                    if r.admitted {
                        Admission::Admitted
                    } else {
                        Admission::Refused(r.code.unwrap_or_else(|| "refused".into()))
                    }
                })
                .collect(),
            _ => vec![Admission::Refused("bad_response".into()); count],
        }
    }

    async fn submit_one(&self, url: &str, body: Bytes) -> Admission {
        let u = format!("{}/v1/transactions?wait=false", base(url));
        let sent = self
            .http
            .post(&u)
            .header("content-type", "application/octet-stream")
            .body(body)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => Admission::Admitted,
            Ok(r) => {
                let status = r.status().as_u16();
                Admission::Refused(error_code(r).await.unwrap_or_else(|| format!("http_{status}")))
            }
            Err(_) => Admission::Refused("http_error".into()),
        }
    }

    /// GETs `path`, with a bearer token if given: the body of a 2xx answer, or the code
    /// of an error answer (`http_error` when nothing came back).
    pub async fn read(&self, url: &str, path: &str, token: Option<&str>) -> ReadOutcome {
        let u = format!("{}{path}", base(url));
        let mut req = self.http.get(&u);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        match req.send().await {
            Ok(r) if r.status().is_success() => match r.bytes().await {
                Ok(body) => ReadOutcome::Ok(body),
                Err(_) => ReadOutcome::Failed("http_error".into()),
            },
            Ok(r) => {
                let status = r.status().as_u16();
                ReadOutcome::Failed(error_code(r).await.unwrap_or_else(|| format!("http_{status}")))
            }
            Err(_) => ReadOutcome::Failed("http_error".into()),
        }
    }

    /// GETs JSON with a bearer token. A `rate_limited` or `busy` answer (the node's
    /// budgets, with `Retry-After: 1`) is retried after a second, up to a minute: setup
    /// reads many records with one token, faster than its per-token budget.
    ///
    /// # Errors
    /// [`Error::Node`] on transport errors, a non-2xx answer or a body that is not JSON.
    pub async fn get_json(&self, url: &str, path: &str, token: Option<&str>) -> Result<Value> {
        let u = format!("{}{path}", base(url));
        let mut retries = 60;
        loop {
            match self.read(url, path, token).await {
                ReadOutcome::Ok(body) => {
                    return serde_json::from_slice(&body).map_err(|e| Error::node(&u, e))
                }
                ReadOutcome::Failed(code)
                    if retries > 0 && (code == "rate_limited" || code == "busy") =>
                {
                    retries -= 1;
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
                ReadOutcome::Failed(code) => return Err(Error::node(&u, code)),
            }
        }
    }
}

/// The outcome of one read.
#[derive(Debug)]
pub enum ReadOutcome {
    /// 2xx, with the body.
    Ok(Bytes),
    /// The error code of the answer (`rate_limited`, `not_found`, `http_503`, …).
    Failed(String),
}

async fn error_code(resp: reqwest::Response) -> Option<String> {
    let v: Value = resp.json().await.ok()?;
    v.get("code").and_then(Value::as_str).map(str::to_string)
}

/// Reads the values the report needs from a Prometheus (OpenMetrics) text exposition.
pub fn parse_metrics(text: &str) -> NodeMetrics {
    let mut m = NodeMetrics::default();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else { continue };
        match name {
            "fapiao_resident_memory_bytes" => m.rss_bytes = value.parse().ok(),
            "fapiao_block_execution_seconds_sum" => m.exec_sum_s = value.parse().ok(),
            "fapiao_block_execution_seconds_count" => m.exec_count = value.parse().ok(),
            "fapiao_txs_committed_total" => m.txs_committed = value.parse().ok(),
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_read_from_the_exposition() {
        let text = "# HELP fapiao_height x\nfapiao_height 12\n\
                    fapiao_block_execution_seconds_sum 0.75\n\
                    fapiao_block_execution_seconds_count 30\n\
                    fapiao_block_execution_seconds_bucket{le=\"0.001\"} 2\n\
                    fapiao_txs_committed_total 900\n\
                    fapiao_resident_memory_bytes 123456\n# EOF\n";
        let m = parse_metrics(text);
        assert_eq!(m.rss_bytes, Some(123_456));
        assert_eq!(m.exec_count, Some(30));
        assert_eq!(m.exec_sum_s, Some(0.75));
        assert_eq!(m.txs_committed, Some(900));
    }
}
