//! The four-department exchange's HTTP routes (catalogues, keys, sealed queries and
//! answers, watch lists, joint alerts and cases, a person's registration, deductions,
//! consents and access log, the tax officer's verification, the employer's withholding
//! view) on the API's one route table, and its pages.
//!
//! Every route is declared once in [`ROUTES`] with `fapiao_api::route_table!`. A
//! department's node keeps the department's decryption keys in its secrets directory
//! ([`secrets`]): it tags subjects under the shared watch key, seals what its officers
//! send and opens what is addressed to them; no other node can. Who may read the
//! application's state keys is [`access`]; its pages are [`PAGES`].
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod access;
mod actions;
mod alerts;
mod common;
mod desk;
pub mod json;
mod pages;
mod persons;
mod queries;
pub mod secrets;

pub use pages::PAGES;

// The handlers' OpenAPI annotations name the error body as `crate::ErrorBody`.
use fapiao_api::ErrorBody;
use fapiao_app::{IndexRead, Rows, Scan};

/// The API's reader as the application's index reads take it.
pub(crate) struct Index<'a>(pub(crate) &'a dyn fapiao_api::Reader);

impl IndexRead for Index<'_> {
    fn get(
        &self,
        table: &'static fapiao_app::IndexTable,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, String> {
        <dyn fapiao_api::Reader as IndexRead>::get(self.0, table, key)
    }
    fn scan(
        &self,
        table: &'static fapiao_app::IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Result<Rows, String> {
        <dyn fapiao_api::Reader as IndexRead>::scan(self.0, table, prefix, limit, dir)
    }
}

fapiao_api::route_table! {
    /// The exchange's routes.
    pub const ROUTES = "exchange";
    key_access: crate::access::key_access;
    tags: [
        ("exchange", "The four-department exchange (税务、公安、海关、人民银行) and natural-person sharing: catalogues, sealed queries and answers, watch lists and joint alerts, deductions, consents and the access log"),
    ];
    get "/v1/exchange/catalogue" => crate::desk::get_catalogue, Open;
    get "/v1/exchange/keys/{org}" => crate::desk::get_key, Open;
    post "/v1/exchange/keys" => crate::desk::rotate_key, Open;
    get "/v1/exchange/persons/{account}/key" => crate::desk::get_person_key, Open;
    get "/v1/exchange/desk" => crate::desk::desk, Open;
    post "/v1/exchange/watch-key" => crate::desk::distribute_watch_key, Open;
    post "/v1/exchange/queries" => crate::queries::ask, Open;
    get "/v1/exchange/queries/{id}" => crate::queries::get_query, Open;
    get "/v1/exchange/inbox" => crate::queries::inbox, Open;
    post "/v1/exchange/answers" => crate::queries::answer, Open;
    post "/v1/exchange/watch" => crate::alerts::watch, Open;
    get "/v1/exchange/alerts/{id}" => crate::alerts::get_alert, Open;
    post "/v1/exchange/alerts/{id}/findings" => crate::alerts::finding, Open;
    post "/v1/exchange/alerts/{id}/assign" => crate::alerts::assign, Open;
    post "/v1/exchange/alerts/{id}/close" => crate::alerts::close, Open;
    post "/v1/exchange/me/register" => crate::persons::register, Open;
    get "/v1/exchange/me" => crate::persons::me, Open;
    post "/v1/exchange/me/declarations" => crate::persons::declare, Open;
    post "/v1/exchange/me/consents" => crate::persons::consent, Open;
    post "/v1/exchange/me/consents/{id}/revoke" => crate::persons::revoke, Open;
    post "/v1/exchange/declarations/{id}/verify" => crate::persons::verify, Open;
    get "/v1/exchange/withholding" => crate::persons::withholding, Open;
    post "/v1/exchange/actions" => crate::actions::act, Open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exchange_routes_are_served_and_documented_alike() {
        fapiao_api::testing::assert_routes_documented(&[ROUTES]);
    }
}
