//! The invoice lifecycle, table-driven: taxpayers, credit, issuance rules, payment
//! orders and self-service claiming, and every
//! (status, command) pair of the circulation machine.
//!
//! Amounts in fen are written `yuan_fen` (`1506_80` is 1506.80 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

mod chain;
mod credit;
mod discount;
mod express;
mod fixture;
mod index;
mod industry;
mod lifecycle;
mod orders;
mod red;
mod regions;
mod rights;
