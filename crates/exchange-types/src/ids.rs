//! [`ItemId`]: the id of a catalogue item (`police.vehicle_owner`), and the subject kinds.

use bytes::BufMut;
use commonware_codec::{Buf, EncodeSize, Error as CodecError};
use core::fmt;
use fapiao_types::{field::Field, read_bounded_str, string_enum, write_bytes, Error};

/// Longest item id, in bytes.
pub const MAX_ITEM_ID: usize = 64;

/// A catalogue item's id: lower-case ASCII letters, digits and `_`, in at least two
/// non-empty segments joined by `.` (`tax.invoice_totals`), at most [`MAX_ITEM_ID`]
/// bytes. It is a path segment of the exchange's keys. Encoded as its text; a text that
/// is not an item id does not decode.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemId(String);

impl ItemId {
    /// Parses an item id.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `item`.
    pub fn parse(s: &str) -> fapiao_types::Result<Self> {
        let segment_ok = |p: &str| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        if s.len() > MAX_ITEM_ID || !s.contains('.') || !s.split('.').all(segment_ok) {
            return Err(Error::invalid(
                "item",
                format!("{s:?} is not an item id (segments of a-z, 0-9, _ joined by .)"),
            ));
        }
        Ok(ItemId(s.to_string()))
    }

    /// Its text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Field for ItemId {
    fn write_field(&self, buf: &mut impl BufMut) {
        write_bytes(self.0.as_bytes(), buf)
    }
    fn field_size(&self) -> usize {
        self.0.len().encode_size() + self.0.len()
    }
    fn read_field(buf: &mut impl Buf) -> core::result::Result<Self, CodecError> {
        let s = read_bounded_str(buf, MAX_ITEM_ID)?;
        ItemId::parse(&s).map_err(|_| CodecError::Invalid("item", "not an item id"))
    }
}

impl serde::Serialize for ItemId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ItemId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ItemId::parse(&s).map_err(serde::de::Error::custom)
    }
}

string_enum! {
    /// What a catalogue item's subject is identified by.
    SubjectKind {
        /// An organisation's unified social credit code (统一社会信用代码).
        Uscc = (0, "uscc"),
        /// A natural person's resident ID (居民身份证号码): the item is about a person,
        /// and answering it needs that person's consent.
        ResidentId = (1, "resident_id"),
    }
}
