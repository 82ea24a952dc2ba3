//! The OpenAPI 3 document, generated from the route table and the handlers'
//! annotations.

use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

/// Adds the security schemes: bearer tokens (clients) and signed node requests.
pub(crate) struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "node",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                fapiao_types::node_auth::HEADER_SIGNATURE,
                "A consortium node's Ed25519 signature over method, path, body hash and time \
                 (with x-fapiao-node and x-fapiao-time); see docs/formats.md",
            ))),
        );
    }
}

/// The OpenAPI document as JSON text, generated from the route table
/// ([`crate::routes::ROUTES`]).
pub fn openapi_json() -> String {
    let mut doc = crate::routes::ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
