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

/// Documents on every operation what the admission layer ([`crate::limits`]) may answer
/// before any handler runs: 429 (a token's, an address's or an invoice's budget spent)
/// and 503 (too many requests in flight, a timeout, a full pool), both with
/// `Retry-After`.
pub(crate) struct Throttling;

impl Modify for Throttling {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{header::HeaderBuilder, ContentBuilder, Ref, ResponseBuilder, Type};
        let answer = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer))
                        .description(Some("seconds to wait before retrying"))
                        .build(),
                )
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        let retry_after = || {
            HeaderBuilder::new()
                .schema(utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer))
                .description(Some("seconds to wait before retrying"))
                .build()
        };
        for item in doc.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                let r = &mut op.responses.responses;
                r.entry("429".into()).or_insert_with(|| {
                    answer("Rate limited (per token, per address, or per invoice); see Retry-After")
                        .into()
                });
                r.entry("503".into()).or_insert_with(|| {
                    answer("Busy: too many requests in flight, a timeout or a full pool; see Retry-After")
                        .into()
                });
                // A handler's own 429 or 503 carries the header too.
                for code in ["429", "503"] {
                    if let Some(utoipa::openapi::RefOr::T(resp)) = r.get_mut(code) {
                        resp.headers.entry("Retry-After".into()).or_insert_with(retry_after);
                    }
                }
            }
        }
    }
}

/// The OpenAPI document as JSON text, generated from the route table
/// ([`crate::routes::ROUTES`]).
pub fn openapi_json() -> String {
    let mut doc = crate::routes::ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
