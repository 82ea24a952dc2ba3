//! Money in JSON: an `i64` of fen as a yuan string with two decimals (`"18500.01"`), as
//! every amount of the API (docs/formats.md §14); used as `#[serde(with = "yuan")]`.

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

/// A 32-byte id in JSON: 64 lower-case hex (an account, a contract, a sale, a
/// commitment); used as `#[serde(with = "crate::yuan::hex")]`.
pub mod hex {
    use fapiao_types::{hex32, parse_hex32, AccountId, Hash32};
    use serde::{Deserialize, Deserializer, Serializer};

    /// A value written as 64 hex digits.
    pub trait Hex: Sized {
        /// Its bytes.
        fn bytes(&self) -> Hash32;
        /// From its bytes.
        fn from_bytes(b: Hash32) -> Self;
    }

    impl Hex for Hash32 {
        fn bytes(&self) -> Hash32 {
            *self
        }
        fn from_bytes(b: Hash32) -> Self {
            b
        }
    }

    impl Hex for AccountId {
        fn bytes(&self) -> Hash32 {
            self.0
        }
        fn from_bytes(b: Hash32) -> Self {
            AccountId(b)
        }
    }

    /// Writes hex.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<T: Hex, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex32(&v.bytes()))
    }

    /// Reads hex.
    ///
    /// # Errors
    /// Not 64 hex digits.
    pub fn deserialize<'de, T: Hex, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_hex32("id", &s).map(T::from_bytes).map_err(serde::de::Error::custom)
    }

    /// The same for an optional value (`null` when absent).
    pub mod opt {
        use super::Hex;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes hex or null.
        ///
        /// # Errors
        /// The serializer's.
        pub fn serialize<T: Hex, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => super::serialize(v, s),
                None => s.serialize_none(),
            }
        }

        /// Reads hex or null.
        ///
        /// # Errors
        /// Not 64 hex digits.
        pub fn deserialize<'de, T: Hex, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
            let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
            s.map(|s| fapiao_types::parse_hex32("id", &s).map(T::from_bytes))
                .transpose()
                .map_err(serde::de::Error::custom)
        }
    }
}
