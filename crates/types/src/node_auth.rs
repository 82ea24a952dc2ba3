//! Node-to-node request authentication: what a consortium node signs when it calls
//! another node's node-only routes (`/v1/sync/*`, `/v1/relay`, `/v1/attest`).
//!
//! A request carries three headers: [`HEADER_NODE`] (the caller's Ed25519 node key,
//! hex — a validator's consensus key or a full node's key listed in the genesis),
//! [`HEADER_TIME`] (milliseconds since the Unix epoch) and [`HEADER_SIGNATURE`] (hex of
//! an Ed25519 signature under [`NAMESPACE_NODE_HTTP`] over [`node_request_message`]).
//! The message binds the method, the path with its query, the SHA-256 of the body and
//! the time, so a signature authorises exactly one request; the receiver accepts it
//! within a time window and only once (docs/formats.md §node requests).

use crate::hash::sha256;

/// Signing namespace of node-to-node HTTP requests (`_FAPIAO_NODE_HTTP`).
pub const NAMESPACE_NODE_HTTP: &[u8] = b"_FAPIAO_NODE_HTTP";
/// Header carrying the calling node's public key (64 hex characters).
pub const HEADER_NODE: &str = "x-fapiao-node";
/// Header carrying the request time in milliseconds since the Unix epoch (decimal).
pub const HEADER_TIME: &str = "x-fapiao-time";
/// Header carrying the signature (128 hex characters).
pub const HEADER_SIGNATURE: &str = "x-fapiao-signature";

/// The bytes a node signs (under [`NAMESPACE_NODE_HTTP`]) for one request:
/// `u8 len(method) ‖ method ‖ u32 BE len(target) ‖ target ‖ SHA-256(body) ‖ u64 BE time_ms`,
/// where `target` is the path with its query string exactly as sent (`/v1/sync/blocks?from=5`).
pub fn node_request_message(method: &str, target: &str, body: &[u8], time_ms: u64) -> Vec<u8> {
    // HTTP methods are short tokens; a longer one is cut at 255 bytes, which only makes
    // the signature fail to match.
    let method = &method.as_bytes()[..method.len().min(255)];
    let target = target.as_bytes();
    let mut out = Vec::with_capacity(1 + method.len() + 4 + target.len() + 32 + 8);
    out.push(method.len() as u8);
    out.extend_from_slice(method);
    out.extend_from_slice(&(target.len() as u32).to_be_bytes());
    out.extend_from_slice(target);
    out.extend_from_slice(&sha256(body));
    out.extend_from_slice(&time_ms.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_layout() {
        let m = node_request_message("GET", "/v1/sync/blocks?from=1", b"", 0x0102);
        assert_eq!(m[0], 3);
        assert_eq!(&m[1..4], b"GET");
        assert_eq!(&m[4..8], &22u32.to_be_bytes());
        assert_eq!(&m[8..30], b"/v1/sync/blocks?from=1");
        // SHA-256 of the empty string (FIPS 180-2 reference value).
        assert_eq!(
            hex::encode(&m[30..62]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(&m[62..], &0x0102u64.to_be_bytes());
    }

    #[test]
    fn every_part_is_bound() {
        let base = node_request_message("POST", "/v1/relay", b"abc", 7);
        assert_ne!(base, node_request_message("GET", "/v1/relay", b"abc", 7));
        assert_ne!(base, node_request_message("POST", "/v1/attest", b"abc", 7));
        assert_ne!(base, node_request_message("POST", "/v1/relay", b"abd", 7));
        assert_ne!(base, node_request_message("POST", "/v1/relay", b"abc", 8));
    }
}
