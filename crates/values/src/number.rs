//! [`InvoiceNumber`]: the 20-digit number of a fully digitalised invoice (数电票): `YY`
//! issue year (China time), `RR` region, `C` issuing channel, 15-digit sequence; no check
//! digit. The chain allocates the sequence; the region table that derives `RR` is policy
//! and lives in `fapiao-invoice-rules`.

use crate::{
    calendar::china_date,
    error::{Error, Result},
};
use core::fmt;
use serde::Serialize;

/// The largest 15-digit sequence.
pub const MAX_SEQUENCE: u64 = 999_999_999_999_999;

/// A well-formed invoice number.
///
/// Text, JSON and binary form: the 20 digits (binary: `14` ‖ the 20 ASCII digits, as the
/// `String` it replaces).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InvoiceNumber([u8; 20]);

impl InvoiceNumber {
    /// The number of its parts, checking their ranges.
    ///
    /// # Errors
    /// `bad_invoice_number` on `number.yy`, `number.rr`, `number.channel` or
    /// `number.sequence`.
    pub fn new(yy: u8, rr: u8, channel: u8, sequence: u64) -> Result<InvoiceNumber> {
        let bad = |part: &str, reason| Error::BadInvoiceNumber {
            field: format!("number.{part}"),
            reason,
        };
        if yy > 99 {
            return Err(bad("yy", "above 99"));
        }
        if rr > 99 {
            return Err(bad("rr", "above 99"));
        }
        if channel > 9 {
            return Err(bad("channel", "above 9"));
        }
        if sequence > MAX_SEQUENCE {
            return Err(bad("sequence", "more than 15 digits"));
        }
        let text = format!("{yy:02}{rr:02}{channel}{sequence:015}");
        InvoiceNumber::parse(&text)
    }

    /// The number `prefix ‖ sequence`, where `prefix` is the five digits `YYRRC` of a
    /// sequence counter (docs/formats.md §8.5).
    ///
    /// # Errors
    /// `bad_invoice_number` (field `number`) for a prefix that is not five digits or a
    /// sequence of more than 15 digits.
    pub fn from_prefix(prefix: &str, sequence: u64) -> Result<InvoiceNumber> {
        if sequence > MAX_SEQUENCE {
            return Err(Error::BadInvoiceNumber {
                field: "number.sequence".into(),
                reason: "more than 15 digits",
            });
        }
        InvoiceNumber::parse(&format!("{prefix}{sequence:015}"))
    }

    /// Parses 20 ASCII digits.
    ///
    /// # Errors
    /// `bad_invoice_number` (field `number`).
    pub fn parse(s: &str) -> Result<InvoiceNumber> {
        let bad = |reason| Error::BadInvoiceNumber { field: "number".into(), reason };
        let b: &[u8; 20] = s.as_bytes().try_into().map_err(|_| bad("length is not 20"))?;
        if !b.iter().all(u8::is_ascii_digit) {
            return Err(bad("not all digits"));
        }
        Ok(InvoiceNumber(*b))
    }

    /// The 20 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    fn part(&self, r: core::ops::Range<usize>) -> u64 {
        self.0.get(r).unwrap_or_default().iter().fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'))
    }

    /// Issue year modulo 100 (China time).
    pub fn yy(&self) -> u8 {
        // Two digits: below 100.
        self.part(0..2) as u8
    }

    /// Region code, `0..=99`.
    pub fn rr(&self) -> u8 {
        self.part(2..4) as u8
    }

    /// Issuing channel digit, `0..=9`.
    pub fn channel(&self) -> u8 {
        self.part(4..5) as u8
    }

    /// Sequence, `0..=MAX_SEQUENCE`.
    pub fn sequence(&self) -> u64 {
        self.part(5..20)
    }

    /// The five digits `YYRRC` the sequence counts under.
    pub fn prefix(&self) -> &str {
        self.as_str().get(..5).unwrap_or_default()
    }
}

impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A InvoiceNumber reads as its text wherever a `&str` is expected (state keys, comparisons).
impl core::ops::Deref for InvoiceNumber {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InvoiceNumber({})", self.as_str())
    }
}

impl PartialEq<str> for InvoiceNumber {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for InvoiceNumber {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for InvoiceNumber {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl AsRef<str> for InvoiceNumber {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Serialize for InvoiceNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

text_value!(InvoiceNumber, 20, 20);

/// `YY`: the China-time year of `unix_ms`, modulo 100.
pub fn year_yy(unix_ms: u64) -> u8 {
    // Always < 100.
    (china_date(unix_ms).0 % 100) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::{Copying, DecodeExt, Encode};
    use proptest::prelude::*;

    #[test]
    fn domain_example() {
        let n = InvoiceNumber::parse("26424000000104330311").unwrap();
        assert_eq!((n.yy(), n.rr(), n.channel(), n.sequence()), (26, 42, 4, 104_330_311));
        assert_eq!(n, InvoiceNumber::new(26, 42, 4, 104_330_311).unwrap());
        assert_eq!(n, InvoiceNumber::from_prefix("26424", 104_330_311).unwrap());
        assert_eq!(n.prefix(), "26424");
        assert_eq!(n.to_string(), "26424000000104330311");
        let bytes = n.encode();
        assert_eq!(bytes[0], 0x14);
        assert_eq!(&bytes[1..], b"26424000000104330311");
        assert_eq!(InvoiceNumber::decode(bytes).unwrap(), n);
    }

    #[test]
    fn refusals() {
        for s in [
            "",
            "2642400000010433031",
            "264240000001043303111",
            "2642400000010433031A",
            "-6424000000104330311",
            "２6424000000104330311",
        ] {
            let e = InvoiceNumber::parse(s).unwrap_err();
            assert_eq!((e.code(), e.field()), ("bad_invoice_number", "number"), "{s}");
        }
        let field = |r: Result<InvoiceNumber>| r.unwrap_err().field().to_string();
        assert_eq!(field(InvoiceNumber::new(100, 42, 4, 1)), "number.yy");
        assert_eq!(field(InvoiceNumber::new(26, 100, 4, 1)), "number.rr");
        assert_eq!(field(InvoiceNumber::new(26, 42, 10, 1)), "number.channel");
        assert_eq!(field(InvoiceNumber::new(26, 42, 4, MAX_SEQUENCE + 1)), "number.sequence");
        assert_eq!(field(InvoiceNumber::from_prefix("2642", 1)), "number");
        assert_eq!(InvoiceNumber::new(0, 0, 0, 0).unwrap().as_str(), "00000000000000000000");
        let mut short = vec![19u8];
        short.extend_from_slice(b"2642400000010433031");
        assert!(InvoiceNumber::decode(Copying(short.as_slice())).is_err());
    }

    #[test]
    fn yy_is_the_china_year() {
        // 2025-12-31T16:00:00Z is 2026-01-01 00:00 in China.
        assert_eq!(year_yy(1_767_196_799_999), 25);
        assert_eq!(year_yy(1_767_196_800_000), 26);
    }

    #[test]
    fn serde_as_string() {
        let n: InvoiceNumber = serde_json::from_str("\"26424000000104330311\"").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"26424000000104330311\"");
        assert!(serde_json::from_str::<InvoiceNumber>("\"2642400000010433031\"").is_err());
    }

    proptest! {
        #[test]
        fn numbers_round_trip(yy in 0u8..100, rr in 0u8..100, c in 0u8..10, seq in 0..=MAX_SEQUENCE) {
            let n = InvoiceNumber::new(yy, rr, c, seq).unwrap();
            prop_assert_eq!(InvoiceNumber::parse(n.as_str()).unwrap(), n);
            prop_assert_eq!((n.yy(), n.rr(), n.channel(), n.sequence()), (yy, rr, c, seq));
        }
    }
}
