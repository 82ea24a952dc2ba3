//! [`ValidatorPeers`]: a full node's way to its validator peers' node-only routes
//! (`fapiao_api::Peers`), each request signed with the full node's key and sent to one
//! peer after the other until one answers. Applications check what comes back (the
//! invoice QR attestation is verified against the genesis and the invoice before it is
//! printed).

use crate::peer_client::PeerClient;
use fapiao_api::Peers;
use std::{future::Future, pin::Pin};

/// Largest answer read from a peer, in bytes.
const MAX_ANSWER: usize = 64 * 1024;

/// The HTTP APIs of a full node's validator peers.
pub struct ValidatorPeers {
    peers: Vec<String>,
    client: PeerClient,
}

impl ValidatorPeers {
    /// The peers at `peers` (HTTP API base URLs); `None` without peers.
    pub fn new(peers: Vec<String>, client: PeerClient) -> Option<Self> {
        if peers.is_empty() {
            return None;
        }
        Some(Self { peers, client })
    }
}

impl Peers for ValidatorPeers {
    fn post_json(
        &self,
        path: &'static str,
        body: Vec<u8>,
    ) -> Pin<Box<dyn Future<Output = Option<Vec<u8>>> + Send>> {
        let (peers, client) = (self.peers.clone(), self.client.clone());
        Box::pin(async move {
            let body = bytes::Bytes::from(body);
            for peer in peers {
                let url = format!("{peer}{path}");
                let sent = client
                    .call(
                        reqwest::Method::POST,
                        &url,
                        Some("application/json"),
                        body.clone(),
                        MAX_ANSWER,
                    )
                    .await;
                match sent {
                    Ok(answer) => return Some(answer.to_vec()),
                    Err(e) => tracing::debug!(%url, error = %e, "peer did not answer"),
                }
            }
            None
        })
    }
}
