//! The finance chain's HTTP routes and loan desk: a bank's node checks the enterprise's openings off the chain, submits the proven claims, keeps the openings to itself, and lists its loans, financings and alerts.
//!
//! Every route is declared once in [`ROUTES`]. A bank officer uploads the enterprise's
//! `DisclosurePackage` (`loans`) and, optionally, its industry chain's `OperatingPackage`
//! (`operating`): the node checks each opening against the commitment the package's
//! proven record holds (`finance.wrong_salt`, `finance.undisclosed_field`), waits a few
//! seconds for the relayer when a header is not yet in the window (then 503 with
//! `Retry-After`), submits `finance_apply_loan` with the claims, and keeps the openings in
//! its secrets directory ([`secrets`]) — never on the chain. Financings,
//! reversals, settlements and alerts are in `financings`. A bank reads its own records;
//! the regulator (the central bank's branch) reads every bank's, audited ([`access`]).
//! The loan desk page is [`PAGES`].
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod access;
mod common;
mod financings;
pub mod json;
mod loans;
mod operating;
mod pages;
pub mod secrets;

pub use pages::PAGES;

// The handlers' OpenAPI annotations name the error body as `crate::ErrorBody`.
use fapiao_api::ErrorBody;

fapiao_api::route_table! {
    /// The finance application's routes.
    pub const ROUTES = "finance";
    key_access: crate::access::key_access;
    tags: [
        ("finance", "Loans on proven tax facts and invoice financing (issue 18): the bank's node checks the enterprise's openings off the chain; the chain keeps commitments only"),
    ];
    post "/v1/finance/loans" => crate::loans::apply, Open;
    get "/v1/finance/loans" => crate::loans::list, Open;
    get "/v1/finance/loans/{id}" => crate::loans::show, Open;
    post "/v1/finance/loans/{id}/review" => crate::loans::review, Open;
    post "/v1/finance/loans/{id}/decision" => crate::loans::decide, Open;
    post "/v1/finance/financings" => crate::financings::finance, Open;
    get "/v1/finance/financings" => crate::financings::list, Open;
    post "/v1/finance/financings/{number}/reversal" => crate::financings::reversal, Open;
    post "/v1/finance/financings/{number}/settle" => crate::financings::settle, Open;
    get "/v1/finance/alerts" => crate::financings::alerts, Open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_finance_routes_are_served_and_documented_alike() {
        fapiao_api::testing::assert_routes_documented(&[ROUTES]);
    }
}
