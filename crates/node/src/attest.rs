//! [`PeerAttestor`]: a full node asks its validator peers to sign an invoice's QR payload
//! (node-only `POST /v1/attest`, signed with the full node's key), one after the other
//! until one answers. The API checks what comes
//! back against the genesis and the invoice before printing it.

use crate::peer_client::PeerClient;
use fapiao_api::Attestor;
use fapiao_invoice_api::AttestJson;
use fapiao_invoice_types::InvoicePublic;
use std::{future::Future, pin::Pin};

/// Asks the HTTP APIs in `peers` for QR attestations.
pub struct PeerAttestor {
    peers: Vec<String>,
    client: PeerClient,
}

impl PeerAttestor {
    /// An attestor over `peers` (HTTP API base URLs); `None` without peers.
    pub fn new(peers: Vec<String>, client: PeerClient) -> Option<Self> {
        if peers.is_empty() {
            return None;
        }
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
                number: public.number.to_string(),
                date: public.date.yyyymmdd(),
                total_with_tax: public.total_with_tax,
                seller_tax_id: public.seller_tax_id.to_string(),
                commitment: hex::encode(public.commitment),
            };
            let body = bytes::Bytes::from(serde_json::to_vec(&body).ok()?);
            for peer in peers {
                let url = format!("{peer}/v1/attest");
                let sent = client
                    .call(
                        reqwest::Method::POST,
                        &url,
                        Some("application/json"),
                        body.clone(),
                        64 * 1024,
                    )
                    .await;
                let Ok(answer) = sent else { continue };
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&answer) {
                    if let Some(p) = v["payload"].as_str() {
                        return Some(p.to_string());
                    }
                }
            }
            None
        })
    }
}
