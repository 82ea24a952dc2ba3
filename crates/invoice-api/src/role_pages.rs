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

    #[tokio::test]
    async fn every_page_answers_with_its_script_and_words_no_status_itself() {
        let requests = [
            ("/claim/00ff?code=abc", "claim"),
            ("/wallet", "wallet"),
            ("/merchant", "merchant"),
            ("/enterprise", "enterprise"),
            ("/enterprise/disclose", "disclose"),
            ("/tax", "tax"),
            ("/apply", "apply"),
        ];
        fapiao_web::testing::assert_pages_served_at(PAGES, &requests).await;
    }

    #[test]
    fn every_script_parses() {
        fapiao_web::testing::assert_scripts_parse(PAGES.pages);
    }
}
