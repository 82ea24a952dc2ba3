//! The relay loop over the nodes' HTTP APIs.

use crate::{Config, Error, Pair, Result, MAX_BATCH};
use commonware_codec::Encode;
use fapiao_crosschain_types::{Blob, RelayHeader};
use fapiao_crypto::SigningKey;
use fapiao_types::{Action, Tx};
use serde_json::Value;
use std::time::Duration;

/// Blocks a relay transaction may wait for inclusion before it expires.
const EXPIRES_IN: u64 = 100;

/// The signed bytes of a `crosschain_relay_header` transaction for chain `dest_chain`
/// (valid until `expiry`), carrying `header` and `certificate` of chain `source_chain`.
pub fn relay_tx(
    key: &SigningKey,
    dest_chain: &str,
    expiry: u64,
    source_chain: &str,
    header: Vec<u8>,
    certificate: Vec<u8>,
) -> Vec<u8> {
    let action = Action::from(RelayHeader {
        chain: source_chain.into(),
        header: Blob(header),
        certificate: Blob(certificate),
    });
    let tx = Tx {
        chain_id: dest_chain.into(),
        sender: key.public_key(),
        nonce: rand_core::RngCore::next_u64(&mut rand_core::OsRng),
        expiry,
        action,
    };
    key.sign_tx(tx).encode().to_vec()
}

/// What one poll of one pair did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// The source chain's id.
    pub source_chain: String,
    /// The highest header the destination kept before the poll.
    pub kept: Option<u64>,
    /// The source's executed height.
    pub source_height: u64,
    /// Headers submitted.
    pub submitted: u64,
    /// Of those, refused by the destination (code of the last one's receipt, if any).
    pub last_refusal: Option<String>,
}

/// A relayer: its key, its pairs and an HTTP client.
pub struct Relayer {
    key: SigningKey,
    config: Config,
    http: reqwest::Client,
}

impl Relayer {
    /// A relayer for `config`, reading its key and its pinned certificates.
    ///
    /// # Errors
    /// [`Error::Key`], or [`Error::Config`] for a certificate that cannot be read.
    pub fn new(config: Config) -> Result<Relayer> {
        let key = fapiao_keystore::read_key_file(&config.key)
            .map_err(|e| Error::Key(format!("{}: {e}", config.key.display())))?;
        let pins = fapiao_node::tls::read_pins(&config.tls_certs)
            .map_err(|e| Error::Config(format!("tls_certs: {e}")))?;
        let http = fapiao_node::tls::client_builder(pins)
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Relayer { key, config, http })
    }

    /// Runs forever: every `poll_ms`, one round per pair; a failed round is logged and
    /// retried at the next poll.
    pub async fn run(&self) {
        let poll = Duration::from_millis(self.config.poll_ms);
        loop {
            for pair in &self.config.pairs {
                match self.round(pair).await {
                    Ok(r) if r.submitted > 0 => tracing::info!(
                        source = %r.source_chain, kept = ?r.kept, source_height = r.source_height,
                        submitted = r.submitted, last_refusal = ?r.last_refusal, "relayed"
                    ),
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(source = %pair.source, destination = %pair.destination, "{e}")
                    }
                }
            }
            tokio::time::sleep(poll).await;
        }
    }

    /// One poll of `pair` (see the crate docs).
    ///
    /// # Errors
    /// [`Error::Node`] when a node does not answer as expected.
    pub async fn round(&self, pair: &Pair) -> Result<Round> {
        let source = pair.source.trim_end_matches('/');
        let dest = pair.destination.trim_end_matches('/');
        let status = self.get(&format!("{source}/v1/status")).await?;
        let source_chain = text(&status, "chain_id", source)?;
        let source_height = number(&status, "height", source)?;
        let url = format!("{dest}/v1/crosschain/chains/{source_chain}");
        let window = self.get(&url).await?;
        let kept =
            window["window"].as_array().and_then(|w| w.last()).and_then(|e| e["height"].as_u64());
        let mut round =
            Round { source_chain: source_chain.clone(), kept, source_height, ..Round::default() };
        let from = kept.map_or(source_height, |k| k + 1).max(1);
        if from > source_height {
            return Ok(round);
        }
        let to = source_height.min(from + MAX_BATCH - 1);
        let dest_status = self.get(&format!("{dest}/v1/status")).await?;
        let dest_chain = text(&dest_status, "chain_id", dest)?;
        let expiry = number(&dest_status, "height", dest)? + EXPIRES_IN;
        let mut last = None;
        for h in from..=to {
            let block = self.get(&format!("{source}/v1/blocks/{h}")).await?;
            let header = unhex(&block, "header_hex", source)?;
            let certificate = unhex(&block, "certificate_hex", source)?;
            if certificate.is_empty() {
                break;
            }
            let bytes =
                relay_tx(&self.key, &dest_chain, expiry, &source_chain, header, certificate);
            let answer = self.post_tx(dest, bytes, h == to).await?;
            round.submitted += 1;
            last = Some(answer);
        }
        if let Some(answer) = last {
            if answer["receipt"]["status"].as_str() == Some("failed") {
                round.last_refusal = answer["receipt"]["code"].as_str().map(str::to_string);
            }
        }
        Ok(round)
    }

    async fn get(&self, url: &str) -> Result<Value> {
        let resp = self.http.get(url).send().await.map_err(|e| node(url, e))?;
        answer(url, resp).await
    }

    async fn post_tx(&self, dest: &str, bytes: Vec<u8>, wait: bool) -> Result<Value> {
        let url = format!("{dest}/v1/transactions?wait={wait}");
        let resp = self
            .http
            .post(&url)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .map_err(|e| node(&url, e))?;
        answer(&url, resp).await
    }
}

fn node(url: &str, e: impl std::fmt::Display) -> Error {
    Error::Node { url: url.to_string(), message: e.to_string() }
}

async fn answer(url: &str, resp: reqwest::Response) -> Result<Value> {
    let status = resp.status();
    let body: Value = resp.json().await.map_err(|e| node(url, e))?;
    if !status.is_success() && status.as_u16() != 202 {
        return Err(node(url, format!("{status}: {}", body["code"].as_str().unwrap_or("?"))));
    }
    Ok(body)
}

fn text(v: &Value, field: &str, url: &str) -> Result<String> {
    v[field].as_str().map(str::to_string).ok_or_else(|| node(url, format!("no {field}")))
}

fn number(v: &Value, field: &str, url: &str) -> Result<u64> {
    v[field].as_u64().ok_or_else(|| node(url, format!("no {field}")))
}

fn unhex(v: &Value, field: &str, url: &str) -> Result<Vec<u8>> {
    hex::decode(v[field].as_str().unwrap_or_default())
        .map_err(|e| node(url, format!("{field}: {e}")))
}
