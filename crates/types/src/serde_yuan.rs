//! Money in JSON: an `i64` of fen as a yuan string with two decimals (`"2000.00"`), as
//! every amount of the API (docs/formats.md §14); used as `#[serde(with = "fapiao_types::serde_yuan")]`.

use fapiao_values::Fen;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes fen as yuan text.
///
/// # Errors
/// The serializer's.
pub fn serialize<S: Serializer>(fen: &i64, s: S) -> Result<S::Ok, S::Error> {
    match Fen::new(*fen) {
        Ok(f) => s.collect_str(&f),
        Err(e) => Err(serde::ser::Error::custom(e)),
    }
}

/// Reads yuan text into fen.
///
/// # Errors
/// Not a yuan amount of at most two decimals within DECIMAL(18,2).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Fen::deserialize(d).map(Fen::fen)
}
