//! Pure tax rules of Chinese e-invoices: money in fen, identifiers, rates, line and
//! document arithmetic, amounts in capitals, invoice numbers.
//!
//! Everything here is deterministic: integer arithmetic only (no floats), no clock, no
//! I/O, no hash-ordered collections, no randomness. The chain's transaction handlers call
//! it with the block's time, the API's preview calls it with the same inputs, and both
//! get the same answer. Every refusal is an [`Error`] with a stable [`Error::code`] and
//! the [`Error::field`] at fault.
//!
//! | module | what |
//! |---|---|
//! | [`money`] | half-up rounding; [`Fen`], [`Quantity`], [`UnitPrice`], [`Rate`] re-exported from `fapiao-values` |
//! | [`ids`] | [`Uscc`] (GB 32100 + GB 11714 checks), [`ResidentId`] (GB 11643), re-exported from `fapiao-values` |
//! | [`capitals`] | 人民币大写: canonical generation and a parser of legal spellings |
//! | [`rates`] | [`RateTable`]: versioned rates, seller types, exempt / out of scope |
//! | [`lines`] | line and document validation and arithmetic (DOMAIN.md rules 1–7) |
//! | [`number`] | 20-digit invoice numbers, the region table, China-time dates |
//!
//! The worked example of DOMAIN.md:
//!
//! ```
//! use fapiao_invoice_rules::{
//!     compute_document, Direction, DocumentInput, Fen, InvoiceKind, LineInput, Policy,
//!     Quantity, RateCode, RateTable, SellerType, UnitPrice,
//! };
//!
//! let line = |name: &str, rate: &str| LineInput {
//!     name: name.into(),
//!     tax_code: "1050201010000000000".into(),
//!     spec: String::new(),
//!     unit: String::new(),
//!     quantity: None,
//!     unit_price: None,
//!     amount: None,
//!     gross: None,
//!     rate: RateCode::parse(rate).unwrap(),
//!     tax: None,
//!     discount: false,
//! };
//! let chairs = LineInput {
//!     quantity: Some(Quantity::parse("3")?),
//!     unit_price: Some(UnitPrice::parse("120.00")?),
//!     ..line("*家具*办公椅", "0.13")
//! };
//! let consulting = LineInput { amount: Some(Fen::parse("943.40")?), ..line("*咨询服务*咨询服务", "0.06") };
//! let transport = LineInput { gross: Some(Fen::parse("100.00")?), ..line("*运输服务*运输服务", "0.09") };
//!
//! let doc = compute_document(
//!     &DocumentInput {
//!         kind: InvoiceKind::Ordinary,
//!         direction: Direction::Blue,
//!         seller_type: SellerType::General,
//!         rate_date: 20260315,
//!         buyer_tax_id: None,
//!         lines: vec![chairs, consulting, transport],
//!         declared: Default::default(),
//!     },
//!     &RateTable::default_prc(),
//!     &Policy::default(),
//! )?;
//! assert_eq!(doc.lines[2].amount.to_string(), "91.74");
//! assert_eq!(doc.lines[2].tax.to_string(), "8.26");
//! assert_eq!(doc.total_amount.to_string(), "1395.14");
//! assert_eq!(doc.total_tax.to_string(), "111.66");
//! assert_eq!(doc.total_with_tax.to_string(), "1506.80");
//! assert_eq!(doc.total_with_tax_in_capitals, "壹仟伍佰零陆圆捌角整");
//! # Ok::<(), fapiao_invoice_rules::Error>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub use fapiao_values::{calendar, ids};
pub mod capitals;
mod error;
pub mod lines;
pub mod money;
pub mod number;
pub mod rates;
pub mod refusal;

pub use calendar::{china_date, date_key, month_key};
pub use capitals::{check_capitals, parse_capitals, to_capitals};
pub use error::{Error, Result, RULE_CODES};
/// The refusal of a value type (`Fen`, `Rate`, `Uscc`, `InvoiceNumber`, …), converted
/// into [`Error`] by `?`.
pub use fapiao_values::Error as ValueError;
pub use fapiao_values::{ChinaDate, Month, Vin};
pub use ids::{ResidentId, Uscc};
pub use lines::{
    check_buyer_tax_id, compute_document, compute_line, DeclaredTotals, Direction, Document,
    DocumentInput, InvoiceKind, Line, LineContext, LineDraft, LineInput, Policy,
};
pub use money::{Fen, Quantity, Rate, UnitPrice};
pub use number::{
    format_number, number_for_issue, parse_number, InvoiceNumber, RegionEntry, RegionTable,
};
pub use rates::{RateCode, RateEntry, RateKind, RateTable, SellerType};
pub use refusal::Code;
