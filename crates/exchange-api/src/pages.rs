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

    #[tokio::test]
    async fn every_page_answers_with_its_script_and_words_no_status_itself() {
        fapiao_web::testing::assert_pages_served(PAGES).await;
    }

    #[test]
    fn every_script_parses() {
        fapiao_web::testing::assert_scripts_parse(PAGES.pages);
    }
}
