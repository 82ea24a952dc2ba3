//! A small blocking-style HTTP client of a node's API.

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Runs `fut` on a fresh current-thread runtime.
pub fn block_on<F: std::future::Future>(fut: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    Ok(rt.block_on(fut))
}

/// GETs `url` and returns its JSON, failing on a non-2xx status with the error body.
pub async fn get_json(url: &str) -> Result<Value> {
    let resp = reqwest::get(url).await.with_context(|| format!("GET {url}"))?;
    json_or_error(resp).await
}

/// POSTs raw transaction bytes.
pub async fn post_tx(node: &str, bytes: Vec<u8>, wait: bool) -> Result<Value> {
    let url = format!("{}/v1/transactions?wait={wait}", node.trim_end_matches('/'));
    let resp = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    json_or_error(resp).await
}

async fn json_or_error(resp: reqwest::Response) -> Result<Value> {
    let status = resp.status();
    let body: Value = resp.json().await.context("response is not JSON")?;
    if !status.is_success() {
        let code = body.get("code").and_then(Value::as_str).unwrap_or("?");
        let msg = body.get("message").and_then(Value::as_str).unwrap_or("");
        let field = body
            .get("field")
            .and_then(Value::as_str)
            .map(|f| format!(" (field {f})"))
            .unwrap_or_default();
        bail!("{status}: {code}: {msg}{field}");
    }
    Ok(body)
}
