//! The cross-chain light client's HTTP routes: the registered chains and each one's window of verified headers, public, for relayers and the applications built on them.
//!
//! A relayer resumes from what the destination already holds: `GET
//! /v1/crosschain/chains/{chain_id}` answers the registration in force and the window
//! (heights, digests, certified state roots). The window records themselves
//! (`crosschain-window/<hash>`) are public through `GET /v1/state/{key}` too: they hold
//! only other chains' public headers.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod chains;

pub use chains::{ChainView, ChainsView, HeaderView};

// The handlers' OpenAPI annotations name the error body as `crate::ErrorBody`.
use fapiao_api::ErrorBody;

fapiao_api::route_table! {
    /// The light client's routes.
    pub const ROUTES = "crosschain";
    key_access: crate::chains::key_access;
    tags: [
        ("crosschain", "The cross-chain light client: registered chains and their windows of verified headers"),
    ];
    get "/v1/crosschain/chains" => crate::chains::chains, Open;
    get "/v1/crosschain/chains/{chain_id}" => crate::chains::chain, Open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crosschain_routes_are_served_and_documented() {
        fapiao_api::testing::assert_routes_documented(&[ROUTES]);
    }
}
