//! The finance application's page on the shell of `fapiao-web`.
//!
//! | path | who | what |
//! |---|---|---|
//! | `/bank/loans` | a bank officer (the regulator reads) | the loan desk: applications with the verified facts the bank holds and the tax height they are proven at, the industry figures it holds verified at the industry height, the chains' verified heights, a review and decision form, financed invoices with at-risk alerts |

use fapiao_web::{AppPages, Page};

/// The finance application's pages.
pub const PAGES: AppPages = AppPages {
    name: "finance",
    pages: &[Page {
        path: "/bank/loans",
        name: "loans",
        title: "贷款审批台 · Loan desk · Fapiao",
        script: include_str!("../assets/loans.js"),
    }],
};
