//! The tax bureau's risk watch: an off-chain feed from its risk alerts (the rules run on
//! every finalized block — a circular invoicing ring, invoices to frozen or deregistered
//! taxpayers) into its watch list on the exchange. It runs in the bureau's responder,
//! beside the queries, and reads `GET /v1/alerts` with the department account's token;
//! each flagged taxpayer is watched through `POST /v1/exchange/watch`, which the bureau's
//! own node tags under the watch key it holds — the validators of other organisations
//! never see the taxpayer, only the tag, and compare it with the other departments'.
//!
//! ```toml
//! [watch_feed]
//! rules = { circular_ring = "invoice_mill", frozen_counterparty = "shell_company" }
//! ```
//!
//! Which risk alerts were fed is kept in `<state_file>.watch-feed.json` (atomically
//! replaced), so a restart feeds nothing twice; a subject the department already watches
//! (`exchange.already_watching`) counts as fed.

use crate::{Error, Result};
use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// The feed's configuration: which risk rule feeds which watch category.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchFeedConfig {
    /// Risk rule (`circular_ring`, `frozen_counterparty`, …) → watch category
    /// (`invoice_mill`, `shell_company`, `export_rebate_fraud`, `other`).
    pub rules: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct RiskAlert {
    id: String,
    rule: String,
    subjects: Vec<String>,
    #[serde(default)]
    detail: String,
}

/// The feed and what it has fed.
pub struct WatchFeed {
    cfg: WatchFeedConfig,
    http: reqwest::Client,
    base: String,
    token: String,
    path: PathBuf,
    fed: BTreeSet<String>,
}

/// What one round of the feed did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fed {
    /// Subjects newly watched.
    pub watched: Vec<String>,
    /// Joint alerts those watches raised.
    pub alerts: Vec<String>,
}

impl WatchFeed {
    /// The feed of `cfg`, remembering what it fed beside `state_file`.
    ///
    /// # Errors
    /// [`Error::State`] when the remembered list cannot be read.
    pub fn new(
        cfg: WatchFeedConfig,
        http: reqwest::Client,
        base: &str,
        token: &str,
        state_file: &Path,
    ) -> Result<WatchFeed> {
        let mut name = state_file.as_os_str().to_owned();
        name.push(".watch-feed.json");
        let path = PathBuf::from(name);
        let fed = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| Error::State(format!("{}: {e}", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeSet::new(),
            Err(e) => return Err(Error::State(format!("{}: {e}", path.display()))),
        };
        Ok(WatchFeed {
            cfg,
            http,
            base: base.trim_end_matches('/').into(),
            token: token.into(),
            path,
            fed,
        })
    }

    fn save(&self) -> Result<()> {
        let bytes = serde_json::to_vec(&self.fed).map_err(|e| Error::State(e.to_string()))?;
        let tmp = self.path.with_extension("json.tmp");
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| Error::State(format!("{}: {e}", self.path.display())))
    }

    /// Reads the risk alerts and watches each new flagged taxpayer.
    ///
    /// # Errors
    /// [`Error::Node`] when the node cannot be reached (retried next round);
    /// [`Error::State`] when the fed list cannot be saved.
    pub async fn round(&mut self) -> Result<Fed> {
        let url = format!("{}/v1/alerts?limit=500", self.base);
        let resp = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| Error::Node(format!("GET {url}: {e}")))?;
        if !resp.status().is_success() {
            return Err(Error::Node(format!("GET {url}: {}", resp.status())));
        }
        let alerts: Vec<RiskAlert> =
            resp.json().await.map_err(|e| Error::Node(format!("GET {url}: {e}")))?;
        let mut fed = Fed::default();
        // Oldest first, so that the watch list grows in the order the risks appeared.
        for alert in alerts.into_iter().rev() {
            let Some(category) = self.cfg.rules.get(&alert.rule) else { continue };
            if self.fed.contains(&alert.id) {
                continue;
            }
            for subject in &alert.subjects {
                let body = serde_json::json!({
                    "subject": subject, "category": category,
                    "note": format!("{}: {}", alert.rule, alert.detail),
                });
                let url = format!("{}/v1/exchange/watch", self.base);
                let resp = self
                    .http
                    .post(&url)
                    .bearer_auth(&self.token)
                    .json(&body)
                    .send()
                    .await
                    .map_err(|e| Error::Node(format!("POST {url}: {e}")))?;
                let status = resp.status();
                let v: serde_json::Value = resp.json().await.unwrap_or_default();
                if status.is_success() {
                    tracing::info!(subject = %subject, rule = %alert.rule, "watch_feed.watched");
                    fed.watched.push(subject.clone());
                    if let Some(list) = v["alerts"].as_array() {
                        fed.alerts.extend(list.iter().filter_map(|a| a.as_str().map(String::from)));
                    }
                } else if v["code"] == "exchange.already_watching" {
                    // Watched already (by an earlier alert or an officer): fed.
                } else if matches!(status.as_u16(), 400 | 404 | 422) && v["code"].is_string() {
                    // Refused for good (not a USCC, …): skipped, not retried. A 409 (no
                    // watch key shared yet, no key of the department) is retried.
                    tracing::warn!(subject = %subject, code = %v["code"], "watch_feed.refused");
                } else {
                    return Err(Error::Node(format!("POST {url}: {status}: {v}")));
                }
            }
            self.fed.insert(alert.id);
            self.save()?;
        }
        Ok(fed)
    }
}
