//! Value types of the Fapiao domain, parsed once where they enter and range-checked where
//! they are decoded: money in fen, quantities, rates, identifiers (USCC, resident ID, VIN,
//! invoice number), China dates and months, and the domain's closed enumerations.
//!
//! A value of these types is valid by construction: every constructor (text, integer,
//! arithmetic, decoding) checks it and refuses with an [`Error`] that has a stable
//! [`Error::code`] and the [`Error::field`] at fault. Arithmetic is `checked_*` only, so a
//! sum of adversarial amounts is a refusal, never a wrapped number or a panic.
//!
//! | module | what |
//! |---|---|
//! | [`money`] | [`Fen`]: DECIMAL(18,2) in integer fen, half-up rounding |
//! | [`quantity`] | [`Quantity`], [`UnitPrice`]: exact decimals of eight places |
//! | [`rate`] | [`Rate`]: a tax rate in basis points; [`RateCode`]: a line's rate, exempt or out of scope |
//! | [`ids`] | [`Uscc`] (GB 32100 + GB 11714), [`ResidentId`] (GB 11643), [`RegionCode`] (GB/T 2260) |
//! | [`vin`] | [`Vin`] (ISO 3779 / GB 16735 check digit) |
//! | [`number`] | [`InvoiceNumber`]: the 20-digit 数电票 number |
//! | [`calendar`] | [`ChinaDate`], [`Month`] and China-time calendar arithmetic |
//! | [`kinds`] | [`SellerType`], [`InvoiceKind`] |
//! | [`refusal`] | [`Refusal`] tables ([`refusals!`]): every code the chain refuses with, its HTTP status and field |
//! | [`codec`] | the binary encoding of each (commonware-codec), byte-compatible with the `String` or `u32` it replaces |
//!
//! Every type has `parse` (its text form), `Display`, serde that deserializes through
//! `parse` (so a request with a bad value is refused where it is read), and the canonical
//! binary encoding (`Write`, `Read`, `EncodeSize`) that refuses a bad value as it decodes.
//!
//! ```
//! use fapiao_values::{Fen, InvoiceNumber, Uscc, Vin};
//!
//! let item = Fen::parse("9999999999999999.99")?;
//! assert_eq!(item, Fen::MAX);
//! let err = Fen::try_sum([item, item], "items").unwrap_err();
//! assert_eq!((err.code(), err.field()), ("amount_out_of_range", "items"));
//!
//! let seller = Uscc::parse("91350100M000100Y43")?;
//! assert_eq!(seller.region_code(), "350100");
//! let err = Uscc::parse("91350100M000100Y4Z").unwrap_err().at("seller");
//! assert_eq!((err.code(), err.field()), ("bad_uscc", "seller"));
//! assert_eq!(Vin::parse("1M8GDM9AXKP042788")?.wmi(), "1M8");
//! assert_eq!(InvoiceNumber::parse("26424000000104330311")?.rr(), 42);
//! # Ok::<(), fapiao_values::Error>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

#[macro_use]
pub mod codec;
pub mod calendar;
pub mod decimal;
mod error;
pub mod ids;
pub mod kinds;
pub mod money;
pub mod number;
pub mod quantity;
pub mod rate;
pub mod refusal;
pub mod vin;

pub use calendar::{ChinaDate, Month};
pub use error::{Error, Result};
pub use ids::{RegionCode, ResidentId, Uscc};
pub use kinds::{InvoiceKind, SellerType};
pub use money::{div_round_half_up, Fen};
pub use number::InvoiceNumber;
pub use quantity::{Quantity, UnitPrice, DECIMALS};
pub use rate::{Rate, RateCode};
pub use refusal::{check_unique, Refusal, RefusalCode, Refused};
pub use vin::Vin;
