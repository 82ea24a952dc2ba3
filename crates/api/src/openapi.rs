//! The OpenAPI 3 document, generated from the route tables (the platform's and each
//! application's) and the handlers' annotations.

use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify,
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

/// Documents on every operation that can refuse by a rule (one that documents 422) the
/// other statuses a refusal code may carry: 403 (the sender may not), 404 (the object
/// named does not exist) and 409 (it conflicts with the object's state). Which one a code
/// answers is declared with the code (`GET /v1/refusals`, `docs/formats.md` §18).
pub(crate) struct Refusals;

impl Modify for Refusals {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let answer = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        for item in doc.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                let r = &mut op.responses.responses;
                if !r.contains_key("422") {
                    continue;
                }
                for (status, what) in [
                    ("403", "Refused: the sender may not do this (the code's status, GET /v1/refusals)"),
                    ("404", "Refused: an object the request names does not exist (the code's status, GET /v1/refusals)"),
                    ("409", "Refused: it conflicts with the object's state (the code's status, GET /v1/refusals)"),
                ] {
                    r.entry(status.into()).or_insert_with(|| answer(what).into());
                }
            }
        }
    }
}

/// The OpenAPI document of [`PLATFORM`](crate::PLATFORM) and the route tables of
/// `apps`: every path, every table's tags and schemas, the security schemes, and on
/// every operation the answers of the admission layer (429 and 503 with `Retry-After`).
pub fn openapi_doc(apps: &[crate::AppRoutes]) -> utoipa::openapi::OpenApi {
    let mut doc = (crate::PLATFORM.openapi)();
    for app in apps {
        doc.merge((app.openapi)());
    }
    // After the merge, so that they reach every application's operations too.
    Security.modify(&mut doc);
    Throttling.modify(&mut doc);
    Refusals.modify(&mut doc);
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc
}

/// [`openapi_doc`] as JSON text: what `GET /v1/openapi.json` serves.
pub fn openapi_json(apps: &[crate::AppRoutes]) -> String {
    serde_json::to_string_pretty(&openapi_doc(apps)).unwrap_or_default()
}
