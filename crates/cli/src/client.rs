//! A small blocking-style HTTP client of a node's API.
//!
//! `https://` nodes are trusted only if they present one of the certificates given with
//! `--tls-cert` / `FAPIAO_TLS_CERT` (no certificate authorities, no system roots).

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::{path::PathBuf, sync::OnceLock};

/// The certificate files of `--tls-cert`.
static PINNED: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// Records the certificates (`--tls-cert`) every later [`http`] client pins.
pub fn pin_certificates(files: Vec<PathBuf>) {
    let _ = PINNED.set(files);
}

/// An HTTP client of a node: over `https://` it accepts only the pinned certificates.
///
/// # Errors
/// A pinned certificate file that cannot be read.
pub fn http() -> Result<reqwest::Client> {
    let files = PINNED.get().map(Vec::as_slice).unwrap_or_default();
    let pins = fapiao_node::tls::read_pins(files)?;
    Ok(fapiao_node::tls::client_builder(pins).build()?)
}

/// What to add to a failed request's error: over `https://` without pins, the way out.
pub fn hint(url: &str) -> &'static str {
    let pinned = PINNED.get().is_some_and(|f| !f.is_empty());
    if url.starts_with("https://") && !pinned {
        " (a TLS node: pin its certificate with --tls-cert FILE or FAPIAO_TLS_CERT)"
    } else {
        ""
    }
}

/// Runs `fut` on a fresh current-thread runtime.
pub fn block_on<F: std::future::Future>(fut: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    Ok(rt.block_on(fut))
}

/// GETs `url` and returns its JSON, failing on a non-2xx status with the error body.
pub async fn get_json(url: &str) -> Result<Value> {
    let resp = http()?.get(url).send().await.with_context(|| format!("GET {url}{}", hint(url)))?;
    json_or_error(resp).await
}

/// POSTs raw transaction bytes.
pub async fn post_tx(node: &str, bytes: Vec<u8>, wait: bool) -> Result<Value> {
    let url = format!("{}/v1/transactions?wait={wait}", node.trim_end_matches('/'));
    let resp = http()?
        .post(&url)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .with_context(|| format!("POST {url}{}", hint(&url)))?;
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
