//! Value types of the Fapiao domain, range-checked where they are decoded: money in fen
//! and quantities.
//!
//! A value of these types is in range by construction: every constructor (text, integer,
//! arithmetic) checks the range and refuses with an [`Error`] that has a stable
//! [`Error::code`] and the [`Error::field`] at fault. Arithmetic is `checked_*` only, so a
//! sum of adversarial amounts is a refusal, never a wrapped number or a panic.
//!
//! ```
//! use fapiao_values::Fen;
//!
//! let item = Fen::parse("9999999999999999.99")?;
//! assert_eq!(item, Fen::MAX);
//! let err = Fen::try_sum([item, item], "items").unwrap_err();
//! assert_eq!((err.code(), err.field()), ("amount_out_of_range", "items"));
//! # Ok::<(), fapiao_values::Error>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod decimal;
mod error;
pub mod money;
pub mod quantity;

pub use error::{Error, Result};
pub use money::{div_round_half_up, Fen};
pub use quantity::{Quantity, UnitPrice, DECIMALS};
