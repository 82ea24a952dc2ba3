//! [`ConsensusView`]: what the API learns from consensus — progress, peers, and
//! checked certificates.

use crate::chain::decode_finality;
use fapiao_api::{ChainView, PeerStatus};
use fapiao_consensus::{verify_finalization, Status};
use fapiao_types::{ValidatorInfo, NAMESPACE_CONSENSUS};
use parking_lot::RwLock;
use std::{collections::BTreeMap, sync::Arc, time::Duration};

/// What the last poll of a peer's `/v1/status` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerSeen {
    /// Whether the poll answered.
    pub reachable: bool,
    /// The peer's executed height then.
    pub height: u64,
}

/// Peer observations by validator public key, shared with the poller.
pub type PeerTable = Arc<RwLock<BTreeMap<[u8; 32], PeerSeen>>>;

/// The node's [`ChainView`].
pub struct ConsensusView {
    /// Engine progress.
    pub status: Status,
    /// Validators in genesis order.
    pub validators: Vec<ValidatorInfo>,
    /// Our index among them.
    pub me: usize,
    /// What the peer poller last saw.
    pub peers: PeerTable,
}

/// Polls the `/v1/status` of every URL in `urls` every two seconds and records, by the
/// public key each peer reports as itself, whether it answered and at which height.
pub async fn poll_peers(urls: Vec<String>, table: PeerTable) {
    let client = match crate::tls::peer_client_builder().timeout(Duration::from_secs(2)).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "peer poller disabled");
            return;
        }
    };
    let mut last_key: BTreeMap<String, [u8; 32]> = BTreeMap::new();
    loop {
        for url in &urls {
            let status: Option<serde_json::Value> =
                match client.get(format!("{url}/v1/status")).send().await {
                    Ok(r) => r.json().await.ok(),
                    Err(_) => None,
                };
            let seen = status.as_ref().and_then(|s| {
                let me = s["peers"].as_array()?.iter().find(|p| p["is_self"] == true)?;
                let key: [u8; 32] =
                    hex::decode(me["public_key"].as_str()?).ok()?.try_into().ok()?;
                Some((key, s["height"].as_u64()?))
            });
            match seen {
                Some((key, height)) => {
                    last_key.insert(url.clone(), key);
                    table.write().insert(key, PeerSeen { reachable: true, height });
                }
                None => {
                    if let Some(key) = last_key.get(url) {
                        if let Some(p) = table.write().get_mut(key) {
                            p.reachable = false;
                        }
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// The [`ChainView`] of a full node: no consensus of its own, the validators seen
/// through their HTTP status, finality as far as its sync has verified.
pub struct FollowerView {
    /// Validators in genesis order.
    pub validators: Vec<ValidatorInfo>,
    /// Highest height the sync verified a certificate for.
    pub finalized: Arc<std::sync::atomic::AtomicU64>,
    /// What the peer poller last saw.
    pub peers: PeerTable,
}

impl ChainView for FollowerView {
    fn peers(&self) -> Vec<PeerStatus> {
        let seen = self.peers.read();
        self.validators
            .iter()
            .map(|v| PeerStatus {
                public_key: hex::encode(v.public_key),
                address: v.p2p_address.to_string(),
                is_self: false,
                connected: seen.get(&v.public_key).map(|p| p.reachable),
                height: seen.get(&v.public_key).map(|p| p.height),
            })
            .collect()
    }

    fn finalized_height(&self) -> u64 {
        self.finalized.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn certificate_json(&self, height: u64, blob: &[u8]) -> Option<serde_json::Value> {
        certificate_json(&self.validators, height, blob)
    }

    fn role(&self) -> &'static str {
        "full"
    }
}

/// The JSON view of a stored finality blob, checked against `validators`.
fn certificate_json(
    validators: &[ValidatorInfo],
    height: u64,
    blob: &[u8],
) -> Option<serde_json::Value> {
    let f = decode_finality(blob)?;
    let keys: Vec<[u8; 32]> = validators.iter().map(|v| v.public_key).collect();
    let mut out = serde_json::json!({
        "certified_height": f.height,
        "certified_digest": hex::encode(f.digest),
        "direct": f.height == height,
    });
    match verify_finalization(&keys, NAMESPACE_CONSENSUS, f.digest, &f.certificate) {
        Ok(info) => {
            out["verified"] = serde_json::Value::Bool(true);
            out["finalization"] = serde_json::to_value(info.to_json()).unwrap_or_default();
        }
        Err(e) => {
            out["verified"] = serde_json::Value::Bool(false);
            out["error"] = serde_json::Value::String(e.to_string());
        }
    }
    Some(out)
}

impl ChainView for ConsensusView {
    fn peers(&self) -> Vec<PeerStatus> {
        self.validators
            .iter()
            .enumerate()
            .map(|(i, v)| PeerStatus {
                public_key: hex::encode(v.public_key),
                address: v.p2p_address.to_string(),
                is_self: i == self.me,
                connected: if i == self.me {
                    Some(true)
                } else {
                    self.peers.read().get(&v.public_key).map(|p| p.reachable)
                },
                height: if i == self.me {
                    Some(self.status.executed_height())
                } else {
                    self.peers.read().get(&v.public_key).map(|p| p.height)
                },
            })
            .collect()
    }

    fn finalized_height(&self) -> u64 {
        self.status.finalized_height()
    }

    fn certificate_json(&self, height: u64, blob: &[u8]) -> Option<serde_json::Value> {
        certificate_json(&self.validators, height, blob)
    }
}
