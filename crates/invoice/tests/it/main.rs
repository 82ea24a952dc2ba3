//! The invoice lifecycle, table-driven: taxpayers, credit, issuance rules, payment
//! orders and self-service claiming, and every
//! (status, command) pair of the circulation machine.
//!
//! Amounts in fen are written `yuan_fen` (`1506_80` is 1506.80 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

/// The ledger tests' builders (genesis, signed transactions, blocks), shared rather than
/// copied: the index tests run the invoice application on a real ledger.
#[path = "../../../ledger/tests/it/common.rs"]
#[allow(dead_code)]
mod chain;
mod credit;
mod disclosure;
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
