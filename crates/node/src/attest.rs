//! [`PeerAttestor`]: a full node asks its validator peers to sign an invoice's QR payload
//! (`POST /v1/attest`), one after the other until one answers. The API checks what comes
//! back against the genesis and the invoice before printing it.

use fapiao_api::{AttestJson, Attestor};
use fapiao_types::InvoicePublic;
use std::{future::Future, pin::Pin, time::Duration};

/// Asks the HTTP APIs in `peers` for QR attestations.
pub struct PeerAttestor {
    peers: Vec<String>,
    client: reqwest::Client,
}

impl PeerAttestor {
    /// An attestor over `peers` (HTTP API base URLs); `None` without peers or a client.
    pub fn new(peers: Vec<String>) -> Option<Self> {
        if peers.is_empty() {
            return None;
        }
        let client = crate::tls::peer_client_builder()
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(3))
            .build()
            .ok()?;
        Some(Self { peers, client })
    }
}

impl Attestor for PeerAttestor {
    fn attest(
        &self,
        public: InvoicePublic,
    ) -> Pin<Box<dyn Future<Output = Option<String>> + Send>> {
        let (peers, client) = (self.peers.clone(), self.client.clone());
        Box::pin(async move {
            let body = AttestJson {
                number: public.number.clone(),
                date: public.date,
                total_with_tax: public.total_with_tax,
                seller_tax_id: public.seller_tax_id.clone(),
                commitment: hex::encode(public.commitment),
            };
            for peer in peers {
                let sent = client.post(format!("{peer}/v1/attest")).json(&body).send().await;
                let Ok(r) = sent else { continue };
                if !r.status().is_success() {
                    continue;
                }
                if let Ok(v) = r.json::<serde_json::Value>().await {
                    if let Some(p) = v["payload"].as_str() {
                        return Some(p.to_string());
                    }
                }
            }
            None
        })
    }
}
