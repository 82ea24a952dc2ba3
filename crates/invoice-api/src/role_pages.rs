//! The invoice application's pages, one per role, served by the node beside its routes
//! on the shell of `fapiao-web` (`core.js`, the stylesheet, sign-in). Each is a script
//! over the same `/v1` routes any client calls.
//!
//! | path | who | what |
//! |---|---|---|
//! | `/claim/{order_id}?code=…` | consumer | what a receipt's QR code opens: claim the invoice |
//! | `/wallet` | consumer | invoices held, printable view, submit for reimbursement |
//! | `/merchant` | merchant, payment platform | orders waiting, issue with live totals, red letters, credit, auto-issue |
//! | `/enterprise` | finance office | accept or reject submitted invoices, booked invoices, VAT return |
//! | `/enterprise/disclose` | finance office | authorise a bank of another chain to receive tax-summary fields, revoke, download the package (issue 18) |
//! | `/tax` | tax authority | live charts, alerts with the ring drawn, taxpayer registry, credit requests and adjustments, express applications to review |
//! | `/apply` | anyone | express edition: apply online for registration and invoicing rights, follow the review |
//!
//! The public verification page `/verify` works without scripts and is a route
//! (`crate::pages`).

use fapiao_web::{AppPages, Page};

/// The invoice application's pages.
pub const PAGES: AppPages = AppPages {
    name: "invoice",
    pages: &[
        Page {
            path: "/claim/{order_id}",
            name: "claim",
            title: "领取发票 · Fapiao",
            script: include_str!("../assets/claim.js"),
        },
        Page {
            path: "/wallet",
            name: "wallet",
            title: "我的发票 · Fapiao",
            script: include_str!("../assets/wallet.js"),
        },
        Page {
            path: "/merchant",
            name: "merchant",
            title: "商户工作台 · Fapiao",
            script: include_str!("../assets/merchant.js"),
        },
        Page {
            path: "/enterprise",
            name: "enterprise",
            title: "报销台 · Fapiao",
            script: include_str!("../assets/enterprise.js"),
        },
        Page {
            path: "/enterprise/disclose",
            name: "disclose",
            title: "授权银行 · Fapiao",
            script: include_str!("../assets/disclose.js"),
        },
        Page {
            path: "/tax",
            name: "tax",
            title: "税务看板 · Fapiao",
            script: include_str!("../assets/tax.js"),
        },
        Page {
            path: "/apply",
            name: "apply",
            title: "极速版 · 在线申请 · Fapiao",
            script: include_str!("../assets/apply.js"),
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
        for (path, page) in [
            ("/claim/00ff?code=abc", "claim"),
            ("/wallet", "wallet"),
            ("/merchant", "merchant"),
            ("/enterprise", "enterprise"),
            ("/enterprise/disclose", "disclose"),
            ("/tax", "tax"),
            ("/apply", "apply"),
        ] {
            let res =
                app.clone().oneshot(axum::http::Request::get(path).body(Body::empty()).unwrap());
            let res = res.await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            let body = res.into_body().collect().await.unwrap().to_bytes();
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains(&format!("/static/{page}.js")), "{path} loads its script");
            let script = format!("/static/{page}.js");
            let res =
                app.clone().oneshot(axum::http::Request::get(&script).body(Body::empty()).unwrap());
            assert_eq!(res.await.unwrap().status(), 200, "{script}");
        }
        fapiao_web::assert_no_status_copies(PAGES.pages);
    }

    #[test]
    fn every_script_parses() {
        // Node is on every CI machine; a machine without it skips the check.
        let Ok(out) = std::process::Command::new("node").arg("--version").output() else { return };
        assert!(out.status.success());
        let dir = std::env::temp_dir().join(format!("fapiao-invoice-pages-{}", std::process::id()));
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
