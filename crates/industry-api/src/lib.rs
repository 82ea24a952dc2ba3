//! The industry chain's HTTP routes (attesters' actions, an enterprise's operating figures, the proven package of its commitments with their openings) on the API's one route table, and its pages: the attesters' form and the enterprise's operating data.
//!
//! Every route is declared once in [`ROUTES`]. Attesters post their figures custodially
//! (`POST /v1/industry/actions`, signed for the caller's token). An enterprise's figures
//! are read in clear, with their commitments, by the enterprise itself, the park operator
//! and each attester for its own figures (`GET /v1/industry/enterprises/{uscc}/operating`);
//! the enterprise alone takes the package a bank needs (`…/package?months=…`): the
//! `operating-commit` records proven against one directly certified header and the
//! openings, salted with the chain secret of this node's configuration. Its pages are
//! [`PAGES`].
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod access;
mod actions;
mod operating;
mod pages;
mod secret;

pub use actions::Done;
pub use operating::{EnterpriseView, FigureView, MonthView, OperatingView};
pub use pages::PAGES;
pub use secret::{chain_secret, CHAIN_SECRET_FILE};

// The handlers' OpenAPI annotations name the error body as `crate::ErrorBody`.
use fapiao_api::ErrorBody;

fapiao_api::route_table! {
    /// The industry chain's routes.
    pub const ROUTES = "industry";
    key_access: crate::access::key_access;
    tags: [
        ("industry", "The industry chain: the park's enterprises, monthly operating figures attested by utilities, the social-security office and logistics operators, and their proven commitments"),
    ];
    post "/v1/industry/actions" => crate::actions::act, Open;
    get "/v1/industry/enterprises/{uscc}" => crate::operating::enterprise, Open;
    get "/v1/industry/enterprises/{uscc}/operating" => crate::operating::operating, Open;
    get "/v1/industry/enterprises/{uscc}/package" => crate::operating::package, Open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_industry_routes_are_served_and_documented() {
        fapiao_api::testing::assert_routes_documented(&[ROUTES]);
    }
}
