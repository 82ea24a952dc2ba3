//! The cow bank's pages on the shell of `fapiao-web`.
//!
//! | path | who | what |
//! |---|---|---|
//! | `/village` | anyone, no sign-in, phone-sized | a village's open books: herd, funds in and out, every sale and its split, what each household received, the annual report with its charts |
//! | `/cowbank` | the collective manager | the herd, contracts, record a birth, record a sale with a live settlement preview |

use fapiao_web::{AppPages, Page};

/// The cow bank's pages.
pub const PAGES: AppPages = AppPages {
    name: "cowbank",
    pages: &[
        Page {
            path: "/village",
            name: "village",
            title: "村务公开 · 母牛银行 · Fapiao",
            script: include_str!("../assets/village.js"),
        },
        Page {
            path: "/cowbank",
            name: "cowbank",
            title: "母牛银行 · 管理台 · Fapiao",
            script: include_str!("../assets/cowbank.js"),
        },
    ],
};
