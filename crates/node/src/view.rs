//! [`ConsensusView`]: what the API learns from consensus — progress, peers, and
//! checked certificates.

use crate::chain::decode_finality;
use fapiao_api::{ChainView, PeerStatus};
use fapiao_consensus::{verify_finalization, Status};
use fapiao_types::{ValidatorInfo, NAMESPACE_CONSENSUS};

/// The node's [`ChainView`].
pub struct ConsensusView {
    /// Engine progress.
    pub status: Status,
    /// Validators in genesis order.
    pub validators: Vec<ValidatorInfo>,
    /// Our index among them.
    pub me: usize,
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
                connected: if i == self.me { Some(true) } else { None },
                height: if i == self.me { Some(self.status.executed_height()) } else { None },
            })
            .collect()
    }

    fn finalized_height(&self) -> u64 {
        self.status.finalized_height()
    }

    fn certificate_json(&self, height: u64, blob: &[u8]) -> Option<serde_json::Value> {
        let f = decode_finality(blob)?;
        let keys: Vec<[u8; 32]> = self.validators.iter().map(|v| v.public_key).collect();
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
}
