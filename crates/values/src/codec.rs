//! The canonical binary encoding of the value types (commonware-codec `Write`, `Read`,
//! `EncodeSize`), chosen so that a field moving from `String` or `u32` to its value type
//! keeps its bytes (docs/formats.md §1.1):
//!
//! | type | encoding |
//! |---|---|
//! | [`Uscc`](crate::Uscc), [`InvoiceNumber`](crate::InvoiceNumber), [`Vin`](crate::Vin), [`ResidentId`](crate::ResidentId), [`RegionCode`](crate::RegionCode), [`Rate`](crate::Rate), [`RateCode`](crate::RateCode), [`Quantity`](crate::Quantity), [`UnitPrice`](crate::UnitPrice) | text: varint length ‖ UTF-8, as a `String` field |
//! | [`ChinaDate`](crate::ChinaDate) (`yyyymmdd`), [`Month`](crate::Month) (`yyyymm`) | `u32` big-endian |
//! | [`SellerType`](crate::SellerType), [`InvoiceKind`](crate::InvoiceKind) | one tag byte |
//!
//! Decoding parses: a value that fails its checks is `Error::Invalid`, so a transaction or
//! record carrying it does not decode. Decoding also refuses a text that parses but is not
//! the value's canonical text (a lower-case `x` in a resident ID, `0.130` for a rate): the
//! bytes of every value are unique, so re-encoding a decoded transaction gives back the
//! bytes that were signed and hashed.

use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{EncodeSize, Error, Read, Write};

/// Writes `s` as varint length ‖ bytes.
pub(crate) fn write_text(s: &str, buf: &mut impl BufMut) {
    s.len().write(buf);
    buf.put_slice(s.as_bytes());
}

/// Encoded size of [`write_text`].
pub(crate) fn text_size(s: &str) -> usize {
    s.len().encode_size() + s.len()
}

/// Reads a text value (see [`read_text`]) named `name` that `parse` accepts and whose
/// text `canonical` confirms is the value's own: the shared decoding of the text codecs.
pub(crate) fn read_canonical<T, E>(
    buf: &mut impl Buf,
    (min, max): (usize, usize),
    name: &'static str,
    parse: impl FnOnce(&str) -> Result<T, E>,
    canonical: impl FnOnce(&T, &str) -> bool,
) -> Result<T, Error> {
    let text = read_text(buf, min, max)?;
    let v = parse(&text).map_err(|_| Error::Invalid(name, "fails its checks"))?;
    if !canonical(&v, &text) {
        return Err(Error::Invalid(name, "not canonical"));
    }
    Ok(v)
}

/// Reads varint length ‖ UTF-8 bytes, the length within `min..=max`.
pub(crate) fn read_text(buf: &mut impl Buf, min: usize, max: usize) -> Result<String, Error> {
    let len = usize::read_cfg(buf, &(min..=max).into())?;
    if buf.remaining() < len {
        return Err(Error::EndOfBuffer);
    }
    let mut out = vec![0u8; len];
    buf.copy_to_slice(&mut out);
    String::from_utf8(out).map_err(|_| Error::Invalid("string", "not UTF-8"))
}

/// Implements the text encoding, `FromStr` and serde for a type with
/// `fn parse(&str) -> Result<Self>` and `fn as_str(&self) -> &str` (its canonical text).
macro_rules! text_value {
    ($t:ident, $min:expr, $max:expr) => {
        impl commonware_codec::Write for $t {
            fn write(&self, buf: &mut impl bytes::BufMut) {
                $crate::codec::write_text(self.as_str(), buf)
            }
        }

        impl commonware_codec::EncodeSize for $t {
            fn encode_size(&self) -> usize {
                $crate::codec::text_size(self.as_str())
            }
        }

        impl commonware_codec::Read for $t {
            type Cfg = ();
            fn read_cfg(
                buf: &mut impl commonware_codec::Buf,
                _: &(),
            ) -> core::result::Result<Self, commonware_codec::Error> {
                $crate::codec::read_canonical(
                    buf,
                    ($min, $max),
                    stringify!($t),
                    $t::parse,
                    |v, t| v.as_str() == t,
                )
            }
        }

        impl core::str::FromStr for $t {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<$t> {
                $t::parse(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<$t, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $t::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Implements the text encoding for a type whose canonical text is its `Display` and
/// which has `fn parse(&str) -> Result<Self>` (a decimal, a rate code): varint length ‖
/// the text, the length within `min..=max`; decoding refuses a text that does not parse
/// or is not the canonical one (`"0.130"`, `"120.00"`).
macro_rules! display_text_value {
    ($t:ident, $min:expr, $max:expr) => {
        impl commonware_codec::Write for $t {
            fn write(&self, buf: &mut impl bytes::BufMut) {
                $crate::codec::write_text(&self.to_string(), buf)
            }
        }

        impl commonware_codec::EncodeSize for $t {
            fn encode_size(&self) -> usize {
                $crate::codec::text_size(&self.to_string())
            }
        }

        impl commonware_codec::Read for $t {
            type Cfg = ();
            fn read_cfg(
                buf: &mut impl commonware_codec::Buf,
                _: &(),
            ) -> core::result::Result<Self, commonware_codec::Error> {
                $crate::codec::read_canonical(
                    buf,
                    ($min, $max),
                    stringify!($t),
                    $t::parse,
                    |v, t| v.to_string() == t,
                )
            }
        }
    };
}

/// Implements the `u32` encoding for a type with `fn from_u32(u32) -> Result<Self>` and
/// `fn to_u32(self) -> u32`.
macro_rules! u32_value {
    ($t:ident) => {
        impl commonware_codec::Write for $t {
            fn write(&self, buf: &mut impl bytes::BufMut) {
                commonware_codec::Write::write(&self.to_u32(), buf)
            }
        }

        impl commonware_codec::FixedSize for $t {
            const SIZE: usize = 4;
        }

        impl commonware_codec::Read for $t {
            type Cfg = ();
            fn read_cfg(
                buf: &mut impl commonware_codec::Buf,
                _: &(),
            ) -> core::result::Result<Self, commonware_codec::Error> {
                let v = <u32 as commonware_codec::Read>::read_cfg(buf, &())?;
                $t::from_u32(v).map_err(|_| {
                    commonware_codec::Error::Invalid(stringify!($t), "fails its checks")
                })
            }
        }
    };
}

/// Declares a closed enumeration of the domain with its frozen one-byte tags and stable
/// snake_case names: `parse`, `as_str`, `tag`, `ALL`, `Display`, the tag encoding and
/// serde by name.
macro_rules! tag_enum {
    ($(#[$m:meta])* $name:ident, $field:expr, {
        $($(#[$vm:meta])* $v:ident = ($tag:expr, $s:expr)),* $(,)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $v),* }

        impl $name {
            /// Every value, in tag order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];

            /// Stable name used in JSON, the genesis and error messages.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),* }
            }

            /// One-byte tag in the canonical encoding (frozen, docs/formats.md §12.3).
            pub fn tag(self) -> u8 {
                match self { $($name::$v => $tag),* }
            }

            /// The value of a tag.
            pub fn from_tag(t: u8) -> Option<Self> {
                match t { $($tag => Some($name::$v),)* _ => None }
            }

            /// Parses [`Self::as_str`].
            ///
            /// # Errors
            #[doc = concat!("`unknown_variant` (field `", $field, "`).")]
            pub fn parse(s: &str) -> $crate::Result<Self> {
                match s {
                    $($s => Ok($name::$v),)*
                    _ => Err($crate::Error::UnknownVariant {
                        field: $field.into(),
                        expected: concat!($($s, " "),*).trim_ascii_end(),
                    }),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<$name> {
                $name::parse(s)
            }
        }

        impl commonware_codec::Write for $name {
            fn write(&self, buf: &mut impl bytes::BufMut) {
                bytes::BufMut::put_u8(buf, self.tag());
            }
        }

        impl commonware_codec::FixedSize for $name {
            const SIZE: usize = 1;
        }

        impl commonware_codec::Read for $name {
            type Cfg = ();
            fn read_cfg(
                buf: &mut impl commonware_codec::Buf,
                _: &(),
            ) -> core::result::Result<Self, commonware_codec::Error> {
                let t = <u8 as commonware_codec::Read>::read_cfg(buf, &())?;
                Self::from_tag(t).ok_or(commonware_codec::Error::InvalidEnum(t))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
