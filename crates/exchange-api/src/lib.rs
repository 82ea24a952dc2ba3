//! The four-department exchange's HTTP routes and pages.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod pages;

pub use pages::PAGES;
