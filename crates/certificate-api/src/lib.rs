//! The tax-certificate application's HTTP routes (collections with their live preview,
//! exchange, refunds, settlements, the public certificate check, proof bundle and PDF,
//! the bureau's vehicle-tax view) on the API's one route table, and its pages.
//!
//! Every route is declared once in [`ROUTES`] with `fapiao_api::route_table!`: the node
//! passes it to `fapiao_api::router` beside the platform's and the invoice
//! application's tables, which serves it behind the common admission layer and
//! documents it in the one OpenAPI document. Handlers read through `fapiao_api::Reader`,
//! authenticate with `fapiao_api::caller`/`viewer` and sign custodially with
//! `fapiao_api::custodial`, like the invoice routes; amounts are yuan strings
//! (`"360.00"`), dates `yyyy-mm-dd`, ids 64 hex characters, certificate numbers 12
//! digits. Who may read the application's state keys is [`access`]; its pages (the
//! owner's certificates, the insurer console, the public check, the bureau's
//! vehicle-tax view) are [`PAGES`], which the node registers beside the routes.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod access;
mod check;
mod collections;
mod json;
mod pages;
mod print;
mod proofs;
mod settlements;

pub use check::CheckJson;
pub use json::*;
pub use pages::PAGES;
pub use settlements::{AgesJson, InsurerTaxJson, VehicleTaxJson};

// The handlers' OpenAPI annotations name the error body as `crate::ErrorBody`.
use fapiao_api::ErrorBody;

fapiao_api::route_table! {
    /// The tax-certificate application's routes.
    pub const ROUTES = "certificate";
    key_access: crate::access::key_access;
    tags: [
        ("certificates", "Vehicle and vessel tax (车船税) collected by insurers: collections, exchange for a tax-payment certificate (完税证明), refunds, the public check"),
        ("settlements", "Insurers' settlement batches (结报) with the tax bureau, and its view of collected, settled and outstanding tax"),
    ];
    post "/v1/certificates/preview" => crate::collections::preview, Open;
    post "/v1/collections" => crate::collections::record, Open;
    get "/v1/collections" => crate::collections::list, Open;
    get "/v1/collections/{id}" => crate::collections::get_collection, Open;
    post "/v1/collections/{id}/exchange" => crate::collections::exchange, Open;
    post "/v1/collections/{id}/refund" => crate::collections::refund, Open;
    get "/v1/wallet/certificates" => crate::collections::wallet, Open;
    get "/v1/certificates/{number}/check" => crate::check::check, Verify;
    get "/v1/certificates/{number}/proof" => crate::proofs::proof, Verify;
    get "/v1/certificates/{number}/pdf" => crate::print::pdf, Open;
    post "/v1/settlements" => crate::settlements::submit, Open;
    get "/v1/settlements" => crate::settlements::list, Open;
    post "/v1/settlements/{id}/confirm" => crate::settlements::confirm, Open;
    get "/v1/tax/vehicle-tax" => crate::settlements::vehicle_tax, Open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_routes_are_served_and_documented_alike() {
        fapiao_api::testing::assert_routes_documented(&[ROUTES]);
    }

    #[test]
    fn the_rate_limited_routes_are_the_public_ones() {
        let verify: Vec<&str> = ROUTES
            .routes
            .iter()
            .filter(|r| r.2 == fapiao_api::Audience::Verify)
            .map(|r| r.1)
            .collect();
        assert_eq!(verify, ["/v1/certificates/{number}/check", "/v1/certificates/{number}/proof"]);
    }
}
