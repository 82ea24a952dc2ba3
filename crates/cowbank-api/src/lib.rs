//! The village cow bank's HTTP routes (the open village books, settlement previews, the manager's actions) on the API's one route table, and its pages: the manager's console and the public village page.
//!
//! Every route is declared once in [`ROUTES`]: the reads are public and need no sign-in
//! (村务公开: the village's books are open to every villager; a household's resident ID
//! is never on the chain, and its commitment is not shown either), the writes are
//! signed custodially for the caller's token. Its pages are [`PAGES`].
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod books;
mod pages;

pub use books::{AnimalView, Done, HouseholdView, SaleView, VillageBook, VillageSummary};
pub use pages::PAGES;

// The handlers' OpenAPI annotations name the error body as `crate::ErrorBody`.
use fapiao_api::ErrorBody;

fapiao_api::route_table! {
    /// The cow bank's routes.
    pub const ROUTES = "cowbank";
    key_access: crate::books::key_access;
    tags: [
        ("cowbank", "The village cow bank: households, funds, cattle, contracts, sales and their settlement, annual reports"),
    ];
    get "/v1/cowbank/villages" => crate::books::villages, Open;
    get "/v1/cowbank/villages/{village}" => crate::books::village, Open;
    get "/v1/cowbank/villages/{village}/reports/{year}/pdf" => crate::books::report_pdf, Open;
    get "/v1/cowbank/animals/{tag}" => crate::books::animal, Open;
    get "/v1/cowbank/preview" => crate::books::preview, Open;
    post "/v1/cowbank/actions" => crate::books::act, Open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cow_bank_routes_are_served_and_documented() {
        fapiao_api::testing::assert_routes_documented(&[ROUTES]);
    }
}
