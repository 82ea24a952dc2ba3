//! Relaying admitted transactions to the other nodes, so that a write sent to any node
//! — validator or full node — reaches every validator's pool and is proposed by
//! whichever validator leads next.
//!
//! Transactions are gathered for a few milliseconds into batches of frames — each batch
//! within the peer's body limit, so a run of large invoices is split, not refused — and
//! posted to each peer's node-only `POST /v1/relay`, signed with this node's key
//! ([`PeerClient`]), by one task per peer, each with its own bounded queue: a slow or
//! stopped peer loses its copies (the transaction still reaches the others and waits in
//! this node's pool) and never holds up the rest.

use crate::peer_client::PeerClient;
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
/// the sender the admitter feeds; `None` when there are no peers. Each posted batch is
/// at most `max_body` bytes (the peers' `max_body_bytes`, the same in a consortium's
/// configs).
pub fn spawn(peers: &[String], client: PeerClient, max_body: usize) -> Option<RelaySender> {
    if peers.is_empty() {
        return None;
    }
    let mut queues = Vec::with_capacity(peers.len());
    for peer in peers {
        let (tx, rx) = mpsc::channel::<Bytes>(PEER_QUEUE);
        tokio::spawn(post_to_peer(client.clone(), format!("{peer}/v1/relay"), rx));
        queues.push((peer.clone(), tx));
    }
    let (tx, rx) = mpsc::channel::<SignedTx>(64 * 1024);
    tokio::spawn(gather(rx, queues, max_body));
    Some(tx)
}

/// Splits encoded transactions into bodies of frames of at most `max_body` bytes each
/// (a transaction larger than that alone cannot be relayed and is skipped: the peer's
/// limit would refuse it anyway).
pub fn split_batches(txs: &[Vec<u8>], max_body: usize) -> Vec<Bytes> {
    let mut out = Vec::new();
    let mut body = Vec::new();
    for tx in txs {
        let framed = 4 + tx.len();
        if framed > max_body {
            tracing::warn!(bytes = tx.len(), max_body, "relay: a transaction over the body limit");
            continue;
        }
        if body.len() + framed > max_body {
            out.push(Bytes::from(std::mem::take(&mut body)));
        }
        fapiao_types::push_frame(&mut body, tx);
    }
    if !body.is_empty() {
        out.push(Bytes::from(body));
    }
    out
}

async fn gather(
    mut rx: mpsc::Receiver<SignedTx>,
    queues: Vec<(String, mpsc::Sender<Bytes>)>,
    max_body: usize,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + GATHER;
        while batch.len() < MAX_BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(tx)) => batch.push(tx),
                _ => break,
            }
        }
        let encoded: Vec<Vec<u8>> = batch.iter().map(|tx| tx.encode().to_vec()).collect();
        for body in split_batches(&encoded, max_body) {
            for (peer, queue) in &queues {
                if queue.try_send(body.clone()).is_err() {
                    tracing::debug!(%peer, "relay: peer behind, batch dropped");
                }
            }
        }
    }
}

async fn post_to_peer(client: PeerClient, url: String, mut rx: mpsc::Receiver<Bytes>) {
    let mut failing = false;
    while let Some(body) = rx.recv().await {
        let sent = client
            .call(reqwest::Method::POST, &url, Some("application/octet-stream"), body, 64 * 1024)
            .await;
        match sent {
            Ok(_) => {
                if failing {
                    tracing::info!(%url, "relay: peer reachable again");
                }
                failing = false;
            }
            Err(crate::peer_client::PeerError::Status(status)) => {
                tracing::warn!(%url, %status, "relay: peer refused a batch")
            }
            Err(e) => {
                if !failing {
                    tracing::warn!(%url, error = %e, "relay: peer unreachable");
                }
                failing = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_fit_the_body_limit() {
        let txs: Vec<Vec<u8>> = (0..10).map(|i| vec![i as u8; 300]).collect();
        let bodies = split_batches(&txs, 1000);
        // Three frames of 304 bytes fit in 1000 bytes, a fourth does not.
        assert_eq!(bodies.iter().map(|b| b.len()).collect::<Vec<_>>(), [912, 912, 912, 304]);
        let frames: usize = bodies
            .iter()
            .map(|b| fapiao_types::split_frames(b, 1000).map(|f| f.len()).unwrap_or(0))
            .sum();
        assert_eq!(frames, 10);
        // One transaction over the limit is skipped, the rest still go.
        let mut big = txs.clone();
        big.insert(3, vec![0; 2000]);
        assert_eq!(split_batches(&big, 1000).iter().map(|b| b.len()).sum::<usize>(), 3040);
    }
}
