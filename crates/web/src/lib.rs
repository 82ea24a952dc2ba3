//! The web pages a Fapiao node serves, next to its `/v1` JSON API.
//!
//! Static HTML, CSS and vanilla JavaScript embedded in the binary (no build step, no
//! Node.js at run time); the pages talk to the same `/v1` API as any other client,
//! with the API token kept in the tab's `sessionStorage` and sent as
//! `Authorization: Bearer`. Every action is a call to an existing signed-transaction
//! endpoint, so the pages can do nothing the API would refuse.
//!
//! | path | who | what |
//! |---|---|---|
//! | `/` | anyone | what Fapiao is, sign-in (demo identities, or a pasted token) |
//! | `/claim/{order_id}?code=…` | consumer | what a receipt's QR code opens: claim the invoice |
//! | `/wallet` | consumer | invoices held, printable view, submit for reimbursement |
//! | `/merchant` | merchant, payment platform | orders waiting, issue with live totals, red letters, credit, auto-issue |
//! | `/enterprise` | finance office | accept or reject submitted invoices, booked invoices, VAT return |
//! | `/tax` | tax authority | live charts, alerts with the ring drawn, taxpayer registry, credit requests and adjustments, express applications to review |
//! | `/apply` | anyone | express edition: apply online for registration and invoicing rights, follow the review |
//!
//! The public verification page `/verify` is the API crate's.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use std::{path::PathBuf, sync::Arc};

/// What the pages are configured with.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// Files served as they are, each at a URL path: read on every request (so a file
    /// written after start-up is served once it exists), 404 while missing. A demo
    /// serves its `identities.json` at `/demo/identities.json`, and the start page
    /// offers one-click sign-in only when that answers.
    pub files: Vec<(String, PathBuf)>,
}

const SHELL: &str = include_str!("../assets/page.html");
const CSS: &str = include_str!("../assets/app.css");
const CORE_JS: &str = include_str!("../assets/core.js");
/// Where `core.js` takes the status table.
const STATUS_MARKER: &str = "{/*STATUS_LABELS*/}";
const FAVICON: &[u8] = include_bytes!("../assets/favicon.svg");

/// `core.js` with its `STATUS` table filled in from [`fapiao_types::status_labels`]
/// (`{"issued": ["正常", "issued"], …}`), built once.
fn core_js() -> &'static str {
    static JS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let table: serde_json::Map<String, serde_json::Value> = fapiao_types::status_labels()
            .into_iter()
            .map(|s| (s.name.to_string(), serde_json::json!([s.zh, s.en])))
            .collect();
        CORE_JS.replace(STATUS_MARKER, &serde_json::Value::Object(table).to_string())
    });
    &JS
}

/// A page: its path, its script and its document title.
struct Page {
    name: &'static str,
    title: &'static str,
    script: &'static str,
}

const PAGES: &[Page] = &[
    Page { name: "start", title: "Fapiao 发票链", script: include_str!("../assets/start.js") },
    Page {
        name: "claim", title: "领取发票 · Fapiao", script: include_str!("../assets/claim.js")
    },
    Page {
        name: "wallet",
        title: "我的发票 · Fapiao",
        script: include_str!("../assets/wallet.js"),
    },
    Page {
        name: "merchant",
        title: "商户工作台 · Fapiao",
        script: include_str!("../assets/merchant.js"),
    },
    Page {
        name: "enterprise",
        title: "报销台 · Fapiao",
        script: include_str!("../assets/enterprise.js"),
    },
    Page { name: "tax", title: "税务看板 · Fapiao", script: include_str!("../assets/tax.js") },
    Page {
        name: "apply",
        title: "极速版 · 在线申请 · Fapiao",
        script: include_str!("../assets/apply.js"),
    },
];

/// The HTML of page `name`.
fn render(name: &str) -> String {
    let page = PAGES.iter().find(|p| p.name == name).unwrap_or(&PAGES[0]);
    SHELL.replace("{{title}}", page.title).replace("{{page}}", page.name)
}

fn html(name: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        render(name),
    )
        .into_response()
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

async fn script(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let name = file.strip_suffix(".js").unwrap_or("");
    match PAGES.iter().find(|p| p.name == name) {
        Some(p) => asset("text/javascript; charset=utf-8", p.script.as_bytes()),
        None if file == "core.js" => asset("text/javascript; charset=utf-8", core_js().as_bytes()),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

/// `?text=` of `/qr.svg`.
#[derive(serde::Deserialize)]
struct QrQuery {
    text: String,
}

/// A QR code of `text` as SVG (what a receipt prints: the claim link). Public: it
/// encodes only what the caller sends.
async fn qr_image(
    query: Result<axum::extract::Query<QrQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(axum::extract::Query(q)) = query else {
        return (StatusCode::BAD_REQUEST, "text is required").into_response();
    };
    if q.text.is_empty() || q.text.len() > 1024 {
        return (StatusCode::BAD_REQUEST, "text must be 1 to 1024 bytes").into_response();
    }
    match fapiao_print::qr_svg(&q.text) {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            svg,
        )
            .into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

/// The content type of a served file, by its extension.
fn content_type(path: &std::path::Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => "application/json",
        Some("html") => "text/html; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn file(path: Arc<PathBuf>) -> Response {
    match std::fs::read(path.as_ref()) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path))),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "no such file yet").into_response(),
    }
}

/// The pages' router, to merge with the API's (it sets no fallback of its own).
pub fn router(cfg: WebConfig) -> Router {
    let mut files = Router::new();
    for (url, path) in cfg.files {
        let path = Arc::new(path);
        files = files.route(&url, get(move || file(path.clone())));
    }
    Router::new()
        .route("/", get(|| async { html("start") }))
        .route("/claim/{order_id}", get(|| async { html("claim") }))
        .route("/wallet", get(|| async { html("wallet") }))
        .route("/merchant", get(|| async { html("merchant") }))
        .route("/enterprise", get(|| async { html("enterprise") }))
        .route("/tax", get(|| async { html("tax") }))
        .route("/apply", get(|| async { html("apply") }))
        .route(
            "/static/app.css",
            get(|| async { asset("text/css; charset=utf-8", CSS.as_bytes()) }),
        )
        .route("/static/favicon.svg", get(|| async { asset("image/svg+xml", FAVICON) }))
        .route("/static/{file}", get(script))
        .route("/qr.svg", get(qr_image))
        .merge(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn get(app: &Router, path: &str) -> (StatusCode, String) {
        let req = axum::http::Request::get(path).body(Body::empty()).unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn every_page_and_asset_answers() {
        let app = router(WebConfig::default());
        for (path, page) in [
            ("/", "start"),
            ("/claim/00ff?code=abc", "claim"),
            ("/wallet", "wallet"),
            ("/merchant", "merchant"),
            ("/enterprise", "enterprise"),
            ("/tax", "tax"),
        ] {
            let (status, body) = get(&app, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(body.contains(&format!("/static/{page}.js")), "{path} loads its script");
            assert!(!body.contains("{{"), "{path} has no placeholder left");
        }
        for path in ["/static/app.css", "/static/core.js", "/static/tax.js", "/static/favicon.svg"]
        {
            assert_eq!(get(&app, path).await.0, StatusCode::OK, "{path}");
        }
        assert_eq!(get(&app, "/static/nope.js").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, "/demo/identities.json").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn status_wording_comes_from_the_rust_labels() {
        assert!(CORE_JS.contains(STATUS_MARKER), "core.js keeps its marker");
        let (status, js) = get(&router(WebConfig::default()), "/static/core.js").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!js.contains(STATUS_MARKER));
        for s in fapiao_types::status_labels() {
            let entry =
                format!("{}:{}", serde_json::json!(s.name), serde_json::json!([s.zh, s.en]));
            assert!(js.contains(&entry), "{entry}");
        }
        // No page carries a wording of its own for a status the Rust labels name.
        for page in PAGES {
            for s in fapiao_types::status_labels() {
                let copy = format!("{}: ['", s.name);
                assert!(!page.script.contains(&copy), "{}.js words {}", page.name, s.name);
            }
        }
    }

    #[tokio::test]
    async fn receipt_qr_codes_are_svg_and_bounded() {
        let app = router(WebConfig::default());
        let (s, svg) =
            get(&app, "/qr.svg?text=http%3A%2F%2F127.0.0.1%2Fclaim%2F1%3Fcode%3Dabc").await;
        assert_eq!(s, StatusCode::OK);
        assert!(svg.starts_with("<svg") || svg.contains("<svg"), "{svg}");
        assert_eq!(get(&app, "/qr.svg").await.0, StatusCode::BAD_REQUEST);
        assert_eq!(get(&app, "/qr.svg?text=").await.0, StatusCode::BAD_REQUEST);
        let long = format!("/qr.svg?text={}", "a".repeat(1025));
        assert_eq!(get(&app, &long).await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn configured_files_are_served_once_they_exist() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("identities.json");
        let app = router(WebConfig { files: vec![("/demo/identities.json".into(), path.clone())] });
        assert_eq!(get(&app, "/demo/identities.json").await.0, StatusCode::NOT_FOUND);
        std::fs::write(&path, r#"[{"name":"Li Wei"}]"#).unwrap();
        let (status, body) = get(&app, "/demo/identities.json").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Li Wei"));
        assert_eq!(get(&app, "/demo/other.json").await.0, StatusCode::NOT_FOUND);
    }
}
