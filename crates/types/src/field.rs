//! [`Field`]: how one field of a `canonical_struct!` struct is encoded.
//!
//! Integers are fixed-width big-endian; `bool` is one byte (0/1); `String` is a varint
//! length and UTF-8 bytes (at most [`MAX_TEXT`] bytes); `Vec<T>` is a varint count (at
//! most [`MAX_ITEMS`]) and the items; `Option<T>` is a 0/1 byte and the value.
//!
//! Money fields are `i64` fen on the wire and are range-checked as they are decoded
//! ([`fen`]): a value outside DECIMAL(18,2) is not a transaction or a record, whatever
//! its signature, so no arithmetic downstream ever sees it.

use crate::{AccountId, PublicKey};
use bytes::BufMut;
use commonware_codec::{Buf, EncodeSize, Error, Read, Write};

/// Longest text field, in bytes (semantic limits are checked by the rules).
pub const MAX_TEXT: usize = 4096;
/// Most items in a list field.
pub const MAX_ITEMS: usize = 1024;

/// A field of the canonical encoding.
pub trait Field: Sized {
    /// Appends the encoding.
    fn write_field(&self, buf: &mut impl BufMut);
    /// Encoded length.
    fn field_size(&self) -> usize;
    /// Reads one value.
    ///
    /// # Errors
    /// Malformed or out-of-bounds input.
    fn read_field(buf: &mut impl Buf) -> Result<Self, Error>;
}

macro_rules! via_codec {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn write_field(&self, buf: &mut impl BufMut) {
                Write::write(self, buf)
            }
            fn field_size(&self) -> usize {
                EncodeSize::encode_size(self)
            }
            fn read_field(buf: &mut impl Buf) -> Result<Self, Error> {
                <$t as Read>::read_cfg(buf, &())
            }
        }
    )*};
}

via_codec!(u8, u16, u32, u64, i64, bool, [u8; 32], AccountId, PublicKey);

// The value types of `fapiao-values` encode as the `String` or `u32` they replace (text
// ones: varint length ‖ bytes; dates and months: u32 BE; kinds: one tag byte) and refuse
// an invalid value as they decode.
via_codec!(
    fapiao_values::Uscc,
    fapiao_values::InvoiceNumber,
    fapiao_values::Vin,
    fapiao_values::ChinaDate,
    fapiao_values::Month,
    fapiao_values::SellerType,
    fapiao_values::InvoiceKind,
    fapiao_values::Rate,
    fapiao_values::RateCode,
    fapiao_values::Quantity,
    fapiao_values::UnitPrice,
    fapiao_values::RegionCode
);

impl Field for String {
    fn write_field(&self, buf: &mut impl BufMut) {
        crate::write_bytes(self.as_bytes(), buf)
    }
    fn field_size(&self) -> usize {
        crate::codec_util::bytes_size(self.as_bytes())
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, Error> {
        crate::read_bounded_str(buf, MAX_TEXT)
    }
}

impl<T: Field> Field for Vec<T> {
    fn write_field(&self, buf: &mut impl BufMut) {
        self.len().write(buf);
        for item in self {
            item.write_field(buf);
        }
    }
    fn field_size(&self) -> usize {
        self.len().encode_size() + self.iter().map(Field::field_size).sum::<usize>()
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, Error> {
        let n = usize::read_cfg(buf, &(0..=MAX_ITEMS).into())?;
        // Each item takes at least one byte: refuse counts the buffer cannot hold
        // before allocating.
        if n > buf.remaining() {
            return Err(Error::EndOfBuffer);
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(T::read_field(buf)?);
        }
        Ok(out)
    }
}

impl<T: Field> Field for Option<T> {
    fn write_field(&self, buf: &mut impl BufMut) {
        match self {
            None => buf.put_u8(0),
            Some(v) => {
                buf.put_u8(1);
                v.write_field(buf);
            }
        }
    }
    fn field_size(&self) -> usize {
        1 + self.as_ref().map_or(0, Field::field_size)
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, Error> {
        match u8::read_cfg(buf, &())? {
            0 => Ok(None),
            1 => Ok(Some(T::read_field(buf)?)),
            t => Err(Error::InvalidEnum(t)),
        }
    }
}

/// [`Fen`](fapiao_values::Fen) as a field: the bytes of its `i64` (so a struct moving a
/// field from `i64 => fen` to `Fen` keeps its encoding), refused outside DECIMAL(18,2)
/// when decoded.
impl Field for fapiao_values::Fen {
    fn write_field(&self, buf: &mut impl BufMut) {
        self.fen().write(buf)
    }
    fn field_size(&self) -> usize {
        8
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, Error> {
        fapiao_values::Fen::new(i64::read_cfg(buf, &())?)
            .map_err(|_| Error::Invalid("fen", "amount outside DECIMAL(18,2)"))
    }
}

/// An optional text value type (a [`Uscc`](fapiao_values::Uscc), an
/// [`InvoiceNumber`](fapiao_values::InvoiceNumber), a [`Quantity`](fapiao_values::Quantity),
/// a [`RateCode`](fapiao_values::RateCode)) whose absence is the empty text: `None`
/// is `00` (length 0) and `Some(v)` is `v`'s own text encoding, which is never empty. These
/// are the bytes of the `String` field it replaced ("empty when none"), so the move to a
/// typed field keeps the encoding (docs/formats.md §1.1).
///
/// Used as `pub field: Option<T> as empty_is_none` in a `canonical_struct!`.
pub mod empty_is_none {
    use super::Field;
    use bytes::BufMut;
    use commonware_codec::{Buf, Error};

    /// Appends the encoding.
    pub fn write<T: Field>(v: &Option<T>, buf: &mut impl BufMut) {
        match v {
            None => buf.put_u8(0),
            Some(v) => v.write_field(buf),
        }
    }

    /// Encoded length.
    pub fn size<T: Field>(v: &Option<T>) -> usize {
        v.as_ref().map_or(1, Field::field_size)
    }

    /// Reads one value: a zero length is `None`, anything else `T`'s text.
    ///
    /// # Errors
    /// A short buffer, or a text `T` refuses.
    pub fn read<T: Field>(buf: &mut impl Buf) -> Result<Option<T>, Error> {
        // A canonical varint starting with a zero byte is exactly 0.
        if buf.chunk().first() == Some(&0) {
            buf.advance(1);
            return Ok(None);
        }
        T::read_field(buf).map(Some)
    }
}

/// A money field: one amount in fen, an optional one, or a list.
pub trait FenField {
    /// Every amount, for the range check.
    fn amounts(&self) -> impl Iterator<Item = i64> + '_;
}

impl FenField for i64 {
    fn amounts(&self) -> impl Iterator<Item = i64> + '_ {
        core::iter::once(*self)
    }
}

impl FenField for Option<i64> {
    fn amounts(&self) -> impl Iterator<Item = i64> + '_ {
        self.iter().copied()
    }
}

impl FenField for Vec<i64> {
    fn amounts(&self) -> impl Iterator<Item = i64> + '_ {
        self.iter().copied()
    }
}

/// Refuses a decoded money field with an amount outside DECIMAL(18,2).
///
/// # Errors
/// `Error::Invalid("fen", …)`.
pub fn fen<T: FenField>(v: &T) -> Result<(), Error> {
    if v.amounts().all(|a| fapiao_values::Fen::new(a).is_ok()) {
        Ok(())
    } else {
        Err(Error::Invalid("fen", "amount outside DECIMAL(18,2)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fapiao_values::Fen;

    fn decode<T: Field>(bytes: &[u8]) -> Result<T, Error> {
        T::read_field(&mut bytes::Bytes::copy_from_slice(bytes))
    }

    #[test]
    fn money_is_an_i64_on_the_wire_and_refused_out_of_range() {
        for v in [0, 150_680, -5, 999_999_999_999_999_999, -999_999_999_999_999_999] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            Fen::new(v).unwrap().write_field(&mut a);
            v.write_field(&mut b);
            assert_eq!(a, b);
            assert_eq!(decode::<Fen>(&a).unwrap().fen(), v);
        }
        for v in [i64::MIN, -1_000_000_000_000_000_000, 1_000_000_000_000_000_000, i64::MAX] {
            let bytes = v.to_be_bytes();
            assert!(matches!(decode::<Fen>(&bytes), Err(Error::Invalid("fen", _))));
            assert!(fen(&decode::<i64>(&bytes).unwrap()).is_err());
            assert!(fen(&Some(v)).is_err() && fen(&vec![0, v]).is_err());
        }
        assert!(fen(&None::<i64>).is_ok() && fen(&Vec::<i64>::new()).is_ok());
    }
}
