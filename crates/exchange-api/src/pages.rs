//! The exchange's pages, served by the node beside its routes on the shell of
//! `fapiao-web`. Each is a script over the same `/v1/exchange` routes any client calls.
//!
//! | path | who | what |
//! |---|---|---|
//! | `/exchange/desk` | a department's officer | catalogues, ask a department, queries in and out with their answers, the watch list, joint alerts and cases |
//! | `/exchange/me` | a person (phone) | declared deductions and what was verified, consents (grant, revoke), the access log |
//! | `/exchange/withholding` | an employer's finance office | its employees' declared deduction amounts |

use fapiao_web::{AppPages, Page};

/// The exchange's pages.
pub const PAGES: AppPages = AppPages {
    name: "exchange",
    pages: &[
        Page {
            path: "/exchange/desk",
            name: "exchangedesk",
            title: "情报交换工作台 · Fapiao",
            script: include_str!("../assets/desk.js"),
        },
        Page {
            path: "/exchange/me",
            name: "mydata",
            title: "我的数据 · Fapiao",
            script: include_str!("../assets/mydata.js"),
        },
        Page {
            path: "/exchange/withholding",
            name: "withholding",
            title: "个税专项附加扣除 · Fapiao",
            script: include_str!("../assets/withholding.js"),
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
            std::env::temp_dir().join(format!("fapiao-exchange-pages-{}", std::process::id()));
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
