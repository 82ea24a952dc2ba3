//! Money in JSON: an `i64` of fen as a yuan string with two decimals (`"18500.01"`), as
//! every amount of the API (docs/formats.md §14); used as `#[serde(with = "yuan")]`.

pub use fapiao_types::serde_yuan::{deserialize, serialize};

/// A 32-byte id in JSON: 64 lower-case hex (an account, a contract, a sale, a
/// commitment); used as `#[serde(with = "crate::yuan::hex")]`.
pub use fapiao_types::serde_hex as hex;
