//! The shell of the web pages a Fapiao node serves, next to its `/v1` JSON API.
//!
//! Static HTML, CSS and vanilla JavaScript embedded in the binary (no build step, no
//! Node.js at run time); the pages talk to the same `/v1` API as any other client,
//! with the API token kept in the tab's `sessionStorage` and sent as
//! `Authorization: Bearer`. Every action is a call to an existing signed-transaction
//! endpoint, so the pages can do nothing the API would refuse.
//!
//! This crate is the shell every application's pages share: the HTML frame, the
//! stylesheet, `core.js` (API calls, sign-in, the status wording from the Rust labels,
//! error boxes), the start page `/` (what Fapiao is, sign-in with the demo identities or
//! a pasted token), QR images and files a starter serves. Each application declares its
//! own pages ([`AppPages`]: path, name, title, script) in its crate — the invoice
//! application's are `fapiao_invoice_api::PAGES` (`/claim/{order_id}`, `/wallet`,
//! `/merchant`, `/enterprise`, `/tax`, `/apply`) — and the node registers them beside
//! its routes. Their tests check them with `fapiao_web::testing` (feature `testing`).

#[cfg(feature = "testing")]
pub mod testing;

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

/// `core.js` with its `STATUS` table filled in from [`status_labels`]
/// (`{"issued": ["正常", "issued"], …}`), built once.
fn core_js() -> &'static str {
    static JS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let table: serde_json::Map<String, serde_json::Value> = status_labels()
            .into_iter()
            .map(|s| (s.name.to_string(), serde_json::json!([s.zh, s.en])))
            .collect();
        CORE_JS.replace(STATUS_MARKER, &serde_json::Value::Object(table).to_string())
    });
    &JS
}

/// A page: the path it is served at, its name (its script is `/static/<name>.js`), its
/// document title and its script.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    /// The path (axum syntax): `/wallet`, `/claim/{order_id}`.
    pub path: &'static str,
    /// Its name: the shell's `{{page}}` and the script's file name.
    pub name: &'static str,
    /// The document title.
    pub title: &'static str,
    /// The page's JavaScript (vanilla, on `core.js`).
    pub script: &'static str,
}

/// An application's pages, registered by the node beside its routes.
#[derive(Clone, Copy, Debug)]
pub struct AppPages {
    /// Whose pages these are (`invoice`).
    pub name: &'static str,
    /// The pages.
    pub pages: &'static [Page],
}

/// Every status the pages word: the platform's (organisations) and the invoice
/// application's, each labelled by its own crate.
pub fn status_labels() -> Vec<fapiao_types::StatusLabel> {
    let mut all = fapiao_types::platform_status_labels();
    all.extend(fapiao_invoice_types::status_labels());
    all
}

/// Checks that no script of `pages` words a status itself: the wording of every status
/// comes from `status_labels` through `core.js`'s `STATUS` table.
///
/// # Panics
/// Naming the page and the status it words (a test helper).
#[allow(clippy::panic)]
pub fn assert_no_status_copies(pages: &[Page]) {
    for page in pages {
        for s in status_labels() {
            let copy = format!("{}: ['", s.name);
            assert!(!page.script.contains(&copy), "{}.js words {}", page.name, s.name);
        }
    }
}

/// The shell's own page: what Fapiao is, and sign-in.
const START: Page = Page {
    path: "/",
    name: "start",
    title: "Fapiao 发票链",
    script: include_str!("../assets/start.js"),
};

/// The HTML of `page`.
fn render(page: &Page) -> String {
    SHELL.replace("{{title}}", page.title).replace("{{page}}", page.name)
}

fn html(page: &Page) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        render(page),
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

async fn script(pages: Arc<Vec<Page>>, file: String) -> Response {
    let name = file.strip_suffix(".js").unwrap_or("");
    match pages.iter().find(|p| p.name == name) {
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

/// The pages' router, to merge with the API's (it sets no fallback of its own): the
/// shell (start page, stylesheet, `core.js`, QR images, configured files) and every
/// page of `apps`.
///
/// # Panics
/// When two registered pages share a path or a name (a registration bug, found at
/// start-up).
#[allow(clippy::panic)]
pub fn router(cfg: WebConfig, apps: &[AppPages]) -> Router {
    let mut files = Router::new();
    for (url, path) in cfg.files {
        let path = Arc::new(path);
        files = files.route(&url, get(move || file(path.clone())));
    }
    let pages: Vec<Page> =
        core::iter::once(START).chain(apps.iter().flat_map(|a| a.pages.iter().copied())).collect();
    for (i, p) in pages.iter().enumerate() {
        if pages[..i].iter().any(|o| o.path == p.path || o.name == p.name) {
            panic!("two pages are registered at {} or as {}", p.path, p.name);
        }
    }
    let mut router = Router::new();
    for page in &pages {
        let page = *page;
        router = router.route(page.path, get(move || async move { html(&page) }));
    }
    let pages = Arc::new(pages);
    router
        .route(
            "/static/app.css",
            get(|| async { asset("text/css; charset=utf-8", CSS.as_bytes()) }),
        )
        .route("/static/favicon.svg", get(|| async { asset("image/svg+xml", FAVICON) }))
        .route(
            "/static/{file}",
            get(move |axum::extract::Path(file): axum::extract::Path<String>| {
                script(pages.clone(), file)
            }),
        )
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

    /// An application with one page, as an application crate declares them.
    const THINGS: AppPages = AppPages {
        name: "things",
        pages: &[Page {
            path: "/things/{id}",
            name: "things",
            title: "Things · Fapiao",
            script: "// the things page",
        }],
    };

    #[tokio::test]
    async fn the_shell_and_every_registered_page_answer() {
        let app = router(WebConfig::default(), &[THINGS]);
        for (path, page) in [("/", "start"), ("/things/00ff?x=1", "things")] {
            let (status, body) = get(&app, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(body.contains(&format!("/static/{page}.js")), "{path} loads its script");
            assert!(!body.contains("{{"), "{path} has no placeholder left");
        }
        for path in
            ["/static/app.css", "/static/core.js", "/static/things.js", "/static/favicon.svg"]
        {
            assert_eq!(get(&app, path).await.0, StatusCode::OK, "{path}");
        }
        assert_eq!(get(&app, "/static/nope.js").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, "/demo/identities.json").await.0, StatusCode::NOT_FOUND);
        // An application not registered serves nothing.
        assert_eq!(
            get(&router(WebConfig::default(), &[]), "/things/1").await.0,
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    #[should_panic(expected = "two pages are registered")]
    fn two_applications_claiming_one_path_are_refused_at_start_up() {
        let _ = router(WebConfig::default(), &[THINGS, THINGS]);
    }

    #[tokio::test]
    async fn status_wording_comes_from_the_rust_labels() {
        assert!(CORE_JS.contains(STATUS_MARKER), "core.js keeps its marker");
        let (status, js) = get(&router(WebConfig::default(), &[]), "/static/core.js").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!js.contains(STATUS_MARKER));
        for s in status_labels() {
            let entry =
                format!("{}:{}", serde_json::json!(s.name), serde_json::json!([s.zh, s.en]));
            assert!(js.contains(&entry), "{entry}");
        }
        // The start page carries no wording of its own for a status the Rust labels name
        // (each application checks its own pages with `assert_no_status_copies`).
        assert_no_status_copies(&[START]);
    }

    #[tokio::test]
    async fn receipt_qr_codes_are_svg_and_bounded() {
        let app = router(WebConfig::default(), &[]);
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
        let app =
            router(WebConfig { files: vec![("/demo/identities.json".into(), path.clone())] }, &[]);
        assert_eq!(get(&app, "/demo/identities.json").await.0, StatusCode::NOT_FOUND);
        std::fs::write(&path, r#"[{"name":"Li Wei"}]"#).unwrap();
        let (status, body) = get(&app, "/demo/identities.json").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Li Wei"));
        assert_eq!(get(&app, "/demo/other.json").await.0, StatusCode::NOT_FOUND);
    }
}
