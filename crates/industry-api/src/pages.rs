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

    #[tokio::test]
    async fn every_page_answers_with_its_script_and_words_no_status_itself() {
        fapiao_web::testing::assert_pages_served(PAGES).await;
    }

    #[test]
    fn every_script_parses() {
        fapiao_web::testing::assert_scripts_parse(PAGES.pages);
    }
}
