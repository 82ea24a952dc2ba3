//! Relaying admitted transactions to the other nodes, so that a write sent to any node
//! — validator or full node — reaches every validator's pool and is proposed by
//! whichever validator leads next.
//!
//! Transactions are gathered for a few milliseconds into one batch of frames and posted
//! to each peer's `POST /v1/relay` by one task per peer, each with its own bounded queue:
//! a slow or stopped peer loses its copies (the transaction still reaches the others and
//! waits in this node's pool) and never holds up the rest.

use bytes::Bytes;
use commonware_codec::Encode as _;
use fapiao_mempool::RelaySender;
use fapiao_types::SignedTx;
use std::time::Duration;
use tokio::sync::mpsc;

/// Most transactions in one relayed batch.
const MAX_BATCH: usize = 1024;
/// How long a batch waits for more transactions.
const GATHER: Duration = Duration::from_millis(5);
/// Batches queued per peer before that peer's copies are dropped.
const PEER_QUEUE: usize = 256;

/// Starts the relay to `peers` (HTTP API base URLs) on the current runtime and returns
/// the sender the admitter feeds; `None` when there are no peers.
pub fn spawn(peers: &[String]) -> Option<RelaySender> {
    if peers.is_empty() {
        return None;
    }
    let client = match crate::tls::peer_client_builder()
        .connect_timeout(Duration::from_secs(1))
        .timeout(Duration::from_secs(5))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "relay disabled: no HTTP client");
            return None;
        }
    };
    let mut queues = Vec::with_capacity(peers.len());
    for peer in peers {
        let (tx, rx) = mpsc::channel::<Bytes>(PEER_QUEUE);
        tokio::spawn(post_to_peer(client.clone(), format!("{peer}/v1/relay"), rx));
        queues.push((peer.clone(), tx));
    }
    let (tx, rx) = mpsc::channel::<SignedTx>(64 * 1024);
    tokio::spawn(gather(rx, queues));
    Some(tx)
}

async fn gather(mut rx: mpsc::Receiver<SignedTx>, queues: Vec<(String, mpsc::Sender<Bytes>)>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + GATHER;
        while batch.len() < MAX_BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(tx)) => batch.push(tx),
                _ => break,
            }
        }
        let mut body = Vec::new();
        for tx in &batch {
            fapiao_types::push_frame(&mut body, &tx.encode());
        }
        let body = Bytes::from(body);
        for (peer, queue) in &queues {
            if queue.try_send(body.clone()).is_err() {
                tracing::debug!(%peer, txs = batch.len(), "relay: peer behind, batch dropped");
            }
        }
    }
}

async fn post_to_peer(client: reqwest::Client, url: String, mut rx: mpsc::Receiver<Bytes>) {
    let mut failing = false;
    while let Some(body) = rx.recv().await {
        let sent = client
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(body)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => {
                if failing {
                    tracing::info!(%url, "relay: peer reachable again");
                }
                failing = false;
            }
            Ok(r) => tracing::warn!(%url, status = %r.status(), "relay: peer refused a batch"),
            Err(e) => {
                if !failing {
                    tracing::warn!(%url, error = %e, "relay: peer unreachable");
                }
                failing = true;
            }
        }
    }
}
