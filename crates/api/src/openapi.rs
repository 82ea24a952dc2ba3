//! The OpenAPI 3 document, generated from the handlers' annotations.

use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Fapiao node API", description = "Consortium blockchain for electronic invoices: chain, state and custody endpoints."),
    paths(
        crate::routes::status,
        crate::routes::submit,
        crate::routes::get_tx,
        crate::routes::get_block,
        crate::routes::get_state,
        crate::sync::relay,
        crate::sync::submit_batch,
        crate::sync::sync_blocks,
        crate::routes::add_account,
        crate::routes::revoke_account,
        crate::invoices::register_taxpayer,
        crate::invoices::get_taxpayer,
        crate::invoices::set_status,
        crate::invoices::grant_credit,
        crate::invoices::request_credit,
        crate::invoices::decide_credit,
        crate::invoices::issue,
        crate::invoices::preview,
        crate::invoices::get_invoice,
        crate::invoices::history,
        crate::invoices::wallet,
        crate::invoices::submit,
        crate::invoices::reimburse,
        crate::invoices::reject,
        crate::invoices::book,
        crate::invoices::flag,
        crate::invoices::verify,
        crate::proofs::proof,
        crate::proofs::qr,
        crate::proofs::attest,
        crate::proofs::pdf,
        crate::proofs::print,
        crate::invoices::get_vat_return,
        crate::invoices::file_vat_return,
        crate::orders::alerts,
        crate::orders::filings,
        crate::orders::record,
        crate::orders::claim,
        crate::orders::issue_for_order,
        crate::orders::catalogue,
        crate::orders::auto_issue,
        crate::orders::raise,
        crate::orders::get_form,
        crate::orders::confirm,
        crate::orders::refuse,
        crate::orders::withdraw,
        crate::ui_reads::get_order,
        crate::ui_reads::desk,
        crate::ui_reads::dashboard,
    ),
    modifiers(&Bearer),
    tags((name = "chain", description = "Blocks, transactions and authenticated state"),
         (name = "custody", description = "Signing with keys this node holds for its organisation"),
         (name = "orders", description = "Payment orders, self-service claims, catalogue, automatic issuing"),
         (name = "red-letter", description = "Red-letter confirmation forms and red invoices"),
         (name = "invoices", description = "Taxpayers, credit, invoices, reimbursement, booking, VAT returns, verification"))
)]
struct ApiDoc;

/// The OpenAPI document as JSON text. `/metrics` and this document itself are listed
/// by hand since they are not JSON endpoints.
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    let mut extra = serde_json::to_value(&doc).unwrap_or_default();
    if let Some(paths) = extra.get_mut("paths").and_then(|p| p.as_object_mut()) {
        paths.insert(
            "/metrics".into(),
            serde_json::json!({"get": {"tags": ["ops"], "summary": "Prometheus metrics (text exposition)",
                "responses": {"200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}}}),
        );
        paths.insert(
            "/v1/openapi.json".into(),
            serde_json::json!({"get": {"tags": ["ops"], "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3 document"}}}}),
        );
    }
    serde_json::to_string_pretty(&extra).unwrap_or_default()
}
