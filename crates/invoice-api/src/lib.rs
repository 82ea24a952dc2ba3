//! The invoice application's HTTP routes (taxpayers, invoices, orders, red letters, VAT
//! returns, proofs, verification) on the API's one route table.
//!
//! Every route is declared once in [`ROUTES`] with `fapiao_api::route_table!`: the node
//! passes it to `fapiao_api::router` beside the platform's table, which serves the
//! routes behind the common admission layer and documents them in the one OpenAPI
//! document. Handlers read through `fapiao_api::Reader`, authenticate with
//! `fapiao_api::caller`/`viewer`, and sign custodially with `fapiao_api::custodial`;
//! this crate names no storage type. Its pages, one per role, are [`PAGES`], which the
//! node registers with `fapiao_web::router` beside the routes.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod access;
mod disclosure;
mod express;
mod invoices;
mod money;
mod orders;
mod pages;
mod proofs;
mod role_pages;
mod ui_reads;

pub use disclosure::{
    DisclosureCommitted, DisclosureRequest, GrantJson, MonthCommitmentsJson, SummaryMonthJson,
    SummaryStatusJson, TaxSummaryJson,
};
pub use invoices::{InvoiceJson, VerifyJson};
pub use proofs::{AttestJson, QrJson};
pub use role_pages::PAGES;

// The handlers' OpenAPI annotations name the error body as `crate::ErrorBody`.
use fapiao_api::ErrorBody;

fapiao_api::route_table! {
    /// The invoice application's routes.
    pub const ROUTES = "invoice";
    key_access: crate::access::key_access;
    tags: [
        ("orders", "Payment orders, self-service claims, catalogue, automatic issuing"),
        ("red-letter", "Red-letter confirmation forms and red invoices"),
        ("express", "Express edition: online applications for registration and invoicing rights, and their review"),
        ("invoices", "Taxpayers, credit, invoices, reimbursement, booking, VAT returns, verification"),
        ("disclosure", "The tax summary and its disclosure to a bank of another chain (issue 18)"),
    ];
    post "/v1/taxpayers" => crate::invoices::register_taxpayer, Open;
    get "/v1/taxpayers/{uscc}" => crate::invoices::get_taxpayer, Open;
    post "/v1/taxpayers/{uscc}/status" => crate::invoices::set_status, Open;
    post "/v1/taxpayers/{uscc}/credit" => crate::invoices::grant_credit, Open;
    get "/v1/taxpayers/{uscc}/vat-returns/{month}" => crate::invoices::get_vat_return, Open;
    post "/v1/taxpayers/{uscc}/vat-returns/{month}" => crate::invoices::file_vat_return, Open;
    post "/v1/taxpayers/{uscc}/catalogue" => crate::orders::catalogue, Open;
    post "/v1/taxpayers/{uscc}/auto-issue" => crate::orders::auto_issue, Open;
    post "/v1/credit-requests" => crate::invoices::request_credit, Open;
    post "/v1/credit-requests/{id}/decision" => crate::invoices::decide_credit, Open;
    post "/v1/invoices" => crate::invoices::issue, Open;
    post "/v1/invoices/preview" => crate::invoices::preview, Open;
    get "/v1/invoices/{number}" => crate::invoices::get_invoice, Open;
    get "/v1/invoices/{number}/history" => crate::invoices::history, Open;
    post "/v1/invoices/{number}/submit" => crate::invoices::submit, Open;
    post "/v1/invoices/{number}/reimburse" => crate::invoices::reimburse, Open;
    post "/v1/invoices/{number}/reject" => crate::invoices::reject, Open;
    post "/v1/invoices/{number}/book" => crate::invoices::book, Open;
    post "/v1/invoices/{number}/flag" => crate::invoices::flag, Open;
    get "/v1/invoices/{number}/proof" => crate::proofs::proof, Verify;
    get "/v1/invoices/{number}/qr" => crate::proofs::qr, Open;
    get "/v1/invoices/{number}/pdf" => crate::proofs::pdf, Open;
    get "/v1/invoices/{number}/print" => crate::proofs::print, Open;
    get "/v1/wallet" => crate::invoices::wallet, Open;
    get "/v1/verify" => crate::invoices::verify, Verify;
    get "/verify" => crate::pages::verify_page, Verify;
    get "/v1/alerts" => crate::orders::alerts, Open;
    get "/v1/vat-returns" => crate::orders::filings, Open;
    post "/v1/orders" => crate::orders::record, Open;
    get "/v1/orders/{order_id}" => crate::ui_reads::get_order, Open;
    post "/v1/orders/{order_id}/claim" => crate::orders::claim, Open;
    post "/v1/orders/{order_id}/issue" => crate::orders::issue_for_order, Open;
    get "/v1/desk" => crate::ui_reads::desk, Open;
    get "/v1/dashboard" => crate::ui_reads::dashboard, Open;
    post "/v1/red-letter" => crate::orders::raise, Open;
    get "/v1/red-letter/{id}" => crate::orders::get_form, Open;
    post "/v1/red-letter/{id}/confirm" => crate::orders::confirm, Open;
    post "/v1/red-letter/{id}/refuse" => crate::orders::refuse, Open;
    post "/v1/red-letter/{id}/withdraw" => crate::orders::withdraw, Open;
    post "/v1/red-letter/{id}/issue" => crate::orders::issue_red, Open;
    post "/v1/express/applications" => crate::express::apply, Open;
    get "/v1/express/applications" => crate::express::list, Open;
    post "/v1/express/applications/{id}/review" => crate::express::review, Open;
    post "/v1/attest" => crate::proofs::attest, Node;
    get "/v1/tax-summary/{uscc}" => crate::disclosure::tax_summary, Open;
    post "/v1/disclosures" => crate::disclosure::authorise, Open;
    get "/v1/disclosures" => crate::disclosure::list, Open;
    post "/v1/disclosures/{id}/revoke" => crate::disclosure::revoke, Open;
    get "/v1/disclosures/{id}/package" => crate::disclosure::package, Open;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_and_the_invoice_routes_are_served_and_documented_alike() {
        fapiao_api::testing::assert_routes_documented(&[ROUTES]);
    }

    #[test]
    fn the_only_node_route_here_is_the_qr_attestation() {
        let node: Vec<&str> = ROUTES
            .routes
            .iter()
            .filter(|r| r.2 == fapiao_api::Audience::Node)
            .map(|r| r.1)
            .collect();
        assert_eq!(node, ["/v1/attest"]);
    }
}
