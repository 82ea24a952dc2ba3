//! The checks every application's pages crate runs in its tests (feature `testing`): each
//! page answers with the shell loading its script, the script is served, no script words a
//! status itself ([`crate::assert_no_status_copies`]), and every script parses.
//!
//! Test helpers: they panic, naming the page, on what they find wrong.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use crate::{AppPages, Page, WebConfig};
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// [`assert_pages_served_at`], each page requested at its own path.
pub async fn assert_pages_served(app: AppPages) {
    let requests: Vec<(&str, &str)> = app.pages.iter().map(|p| (p.path, p.name)).collect();
    assert_pages_served_at(app, &requests).await;
}

/// Serves `app`'s pages as a node does and checks, for each `(request path, page name)`,
/// that the path answers 200 with the shell loading `/static/<name>.js` and that the
/// script is served; then that no script of `app` words a status itself.
pub async fn assert_pages_served_at(app: AppPages, requests: &[(&str, &str)]) {
    let router = crate::router(WebConfig::default(), &[app]);
    for (path, page) in requests {
        let (status, body) = get(&router, path).await;
        assert_eq!(status, 200, "{path}");
        let script = format!("/static/{page}.js");
        assert!(body.contains(&script), "{path} loads its script");
        assert_eq!(get(&router, &script).await.0, 200, "{script}");
    }
    crate::assert_no_status_copies(app.pages);
}

async fn get(router: &Router, path: &str) -> (u16, String) {
    let res = router.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await;
    let res = res.unwrap();
    let status = res.status().as_u16();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Checks that every script of `pages` parses (`node --check`); a machine without node
/// skips the check (node is on every CI machine).
pub fn assert_scripts_parse(pages: &[Page]) {
    let Ok(out) = std::process::Command::new("node").arg("--version").output() else { return };
    assert!(out.status.success(), "node --version failed");
    let dir = std::env::temp_dir().join(format!("fapiao-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for page in pages {
        let file = dir.join(format!("{}.js", page.name));
        std::fs::write(&file, page.script).unwrap();
        let out = std::process::Command::new("node").arg("--check").arg(&file).output().unwrap();
        assert!(out.status.success(), "{}: {}", page.name, String::from_utf8_lossy(&out.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
