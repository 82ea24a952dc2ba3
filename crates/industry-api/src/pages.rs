//! The industry chain's pages on the shell of `fapiao-web`, each a script over the same
//! `/v1/industry` routes any client calls.
//!
//! | path | who | what |
//! |---|---|---|
//! | `/industry/attest` | an attester (a utility, the social-security office, a logistics operator, the park operator) | record a month's figure, correct one with a reason; the park operator registers enterprises |
//! | `/industry/operating` | the enterprise (and the park operator, an attester for its own figures) | its monthly figures with their commitments, corrections, and the package to hand a bank |

use fapiao_web::{AppPages, Page};

/// The industry chain's pages.
pub const PAGES: AppPages = AppPages {
    name: "industry",
    pages: &[
        Page {
            path: "/industry/attest",
            name: "industryattest",
            title: "经营数据报送 · 产业链 · Fapiao",
            script: include_str!("../assets/attest.js"),
        },
        Page {
            path: "/industry/operating",
            name: "operating",
            title: "企业经营数据 · 产业链 · Fapiao",
            script: include_str!("../assets/operating.js"),
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    #[tokio::test]
    async fn every_page_answers_with_its_script_and_words_no_status_itself() {
        let app = fapiao_web::router(fapiao_web::WebConfig::default(), &[PAGES]);
        for page in PAGES.pages {
            let req = axum::http::Request::get(page.path).body(Body::empty()).unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), 200, "{}", page.path);
            let body = res.into_body().collect().await.unwrap().to_bytes();
            let body = String::from_utf8_lossy(&body);
            let script = format!("/static/{}.js", page.name);
            assert!(body.contains(&script), "{} loads its script", page.path);
            let req = axum::http::Request::get(&script).body(Body::empty()).unwrap();
            assert_eq!(app.clone().oneshot(req).await.unwrap().status(), 200, "{script}");
        }
        fapiao_web::assert_no_status_copies(PAGES.pages);
    }

    #[test]
    fn every_script_parses() {
        // Node is on every CI machine; a machine without it skips the check.
        let Ok(out) = std::process::Command::new("node").arg("--version").output() else { return };
        assert!(out.status.success());
        let dir =
            std::env::temp_dir().join(format!("fapiao-industry-pages-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for page in PAGES.pages {
            let file = dir.join(format!("{}.js", page.name));
            std::fs::write(&file, page.script).unwrap();
            let out =
                std::process::Command::new("node").arg("--check").arg(&file).output().unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                page.name,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
