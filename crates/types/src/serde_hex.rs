//! Bytes in JSON: 32-byte ids (an account, a query, an alert, a tag) as 64 lower-case hex
//! digits, byte strings (keys, encapsulated keys, ciphertexts) as lower-case hex of any
//! length; used as `#[serde(with = "fapiao_types::serde_hex")]` and its sub-modules.

use crate::{hex32, parse_hex32, AccountId, Hash32};
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

/// An optional 32-byte id (`null` when absent).
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
        s.map(|s| crate::parse_hex32("id", &s).map(T::from_bytes))
            .transpose()
            .map_err(serde::de::Error::custom)
    }
}

/// A list of 32-byte ids.
pub mod list {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes a list of hex strings.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &[crate::Hash32], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(crate::hex32))
    }

    /// Reads a list of hex strings.
    ///
    /// # Errors
    /// An item that is not 64 hex digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<crate::Hash32>, D::Error> {
        let v = <Vec<String>>::deserialize(d)?;
        v.iter()
            .map(|s| crate::parse_hex32("id", s))
            .collect::<Result<_, _>>()
            .map_err(serde::de::Error::custom)
    }
}

/// A byte string of any length.
pub mod bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes lower-case hex.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }

    /// Reads hex.
    ///
    /// # Errors
    /// Not hex.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        hex::decode(s.as_ref()).map_err(serde::de::Error::custom)
    }
}
