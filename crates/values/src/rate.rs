//! [`Rate`]: a tax rate as an exact decimal in basis points, with the two roundings that
//! apply a rate (DOMAIN.md rules 2 and 3), half-up on the magnitude in integer arithmetic;
//! [`RateCode`]: what an invoice line carries in its rate column, a [`Rate`] or one of the
//! two treatments that are not 0% (exempt, out of scope).
//!
//! Rates parse from `"0.13"` (at most four decimals, `0..=1`) and format without trailing
//! zeros (`"0.13"`, `"0.015"`, `"0"`). The binary encoding is that text (varint length ‖
//! ASCII), and decoding refuses a text other than the canonical one (`"0.130"`).

use crate::{
    decimal::{scaled, split_decimal},
    error::{Error, Result},
    money::{div_round_half_up, Fen},
};
use core::fmt;
use serde::{Deserialize, Serialize};

/// A tax rate as an exact decimal in basis points (1/10 000): 13% is 1300.
///
/// Every Chinese VAT and collection rate (including 1.5% and 0.5%) is a whole number of
/// basis points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(u16);

impl Rate {
    /// Basis points in 100%.
    pub const ONE_BP: u16 = 10_000;
    /// 0%.
    pub const ZERO: Rate = Rate(0);

    /// A rate of `bp` basis points.
    ///
    /// # Errors
    /// `bad_rate` (field `rate`) above 10 000 (100%).
    pub fn from_basis_points(bp: u16) -> Result<Rate> {
        if bp > Self::ONE_BP {
            return Err(Error::BadRate { field: "rate".into(), reason: "above 1" });
        }
        Ok(Rate(bp))
    }

    /// The rate in basis points.
    pub const fn basis_points(self) -> u16 {
        self.0
    }

    /// Parses `"0.13"`: digits, at most four decimals, between 0 and 1 inclusive.
    ///
    /// # Errors
    /// `bad_rate` (field `rate`).
    pub fn parse(s: &str) -> Result<Rate> {
        let bad = |reason| Error::BadRate { field: "rate".into(), reason };
        let d = split_decimal(s, 4).map_err(bad)?;
        if d.negative {
            return Err(bad("negative"));
        }
        if d.int.len() > 1 {
            return Err(bad("above 1"));
        }
        let v = scaled(&d, 4);
        u16::try_from(v)
            .ok()
            .filter(|bp| *bp <= Self::ONE_BP)
            .map(Rate)
            .ok_or_else(|| bad("above 1"))
    }

    /// The rate as a percentage for printing: `13%`, `1.5%`, `0%`.
    pub fn percent(self) -> String {
        let whole = self.0 / 100;
        let frac = self.0 % 100;
        if frac == 0 {
            format!("{whole}%")
        } else {
            let f = format!("{frac:02}");
            format!("{whole}.{}%", f.trim_end_matches('0'))
        }
    }

    /// `round2(amount × rate)`: the tax on a tax-exclusive amount (DOMAIN rule 2).
    pub fn tax_on(self, amount: Fen) -> Fen {
        let v = div_round_half_up(i128::from(amount.fen()) * i128::from(self.0), 10_000);
        // |v| ≤ |amount|: the rate is at most 1, so this is always in range.
        Fen::from_i128(v).unwrap_or(Fen::ZERO)
    }

    /// Splits a tax-inclusive `gross` into `(amount, tax)`:
    /// `amount = round2(gross / (1 + rate))`, `tax = gross − amount` (DOMAIN rule 3).
    pub fn split_gross(self, gross: Fen) -> (Fen, Fen) {
        let v = div_round_half_up(i128::from(gross.fen()) * 10_000, 10_000 + i128::from(self.0));
        // |v| ≤ |gross| since 1 + rate ≥ 1; both have the sign of gross.
        let amount = Fen::from_i128(v).unwrap_or(Fen::ZERO);
        // Same sign and |amount| ≤ |gross|: the difference is in range.
        (amount, gross.checked_sub(amount).unwrap_or(Fen::ZERO))
    }

    /// `tax − amount × rate` exactly, in 1/10 000 fen (for tolerance checks).
    pub fn tax_deviation(self, amount: Fen, tax: Fen) -> i128 {
        i128::from(tax.fen()) * 10_000 - i128::from(amount.fen()) * i128::from(self.0)
    }
}

impl fmt::Display for Rate {
    /// `0.13`, `0.015`, `0`, `1`: no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl core::str::FromStr for Rate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Rate> {
        Rate::parse(s)
    }
}

impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Rate, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Rate::parse(&s).map_err(serde::de::Error::custom)
    }
}

display_text_value!(Rate, 1, 6);

/// The rate a line carries: a percentage, or exempt, or out of scope.
///
/// Text form: `"0.13"` (any [`Rate`] text), `"exempt"` or `"out_of_scope"`; the parser also
/// accepts `"免税"` and `"不征税"`. The canonical text (`Display`, the binary encoding) is
/// the rate's own canonical text, `exempt` or `out_of_scope`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RateCode {
    /// A percentage, 0% included.
    Rate(Rate),
    /// Exempt (免税).
    Exempt,
    /// Out of scope (不征税).
    OutOfScope,
}

impl RateCode {
    /// Parses `"0.13"`, `"exempt"` / `"免税"`, `"out_of_scope"` / `"不征税"`.
    ///
    /// # Errors
    /// `bad_rate` (field `rate`).
    pub fn parse(s: &str) -> Result<RateCode> {
        match s {
            "exempt" | "免税" => Ok(Self::Exempt),
            "out_of_scope" | "不征税" => Ok(Self::OutOfScope),
            _ => Rate::parse(s).map(Self::Rate),
        }
    }

    /// The percentage the tax is computed with: 0 for exempt and out of scope.
    pub fn effective_rate(self) -> Rate {
        match self {
            Self::Rate(r) => r,
            Self::Exempt | Self::OutOfScope => Rate::ZERO,
        }
    }

    /// `true` for exempt and out of scope, whose tax column prints `***`.
    pub fn tax_is_starred(self) -> bool {
        !matches!(self, Self::Rate(_))
    }

    /// The rate column as printed on the invoice: `13%`, `0%`, `免税`, `不征税`.
    pub fn label(self) -> String {
        match self {
            Self::Rate(r) => r.percent(),
            Self::Exempt => "免税".into(),
            Self::OutOfScope => "不征税".into(),
        }
    }
}

impl fmt::Display for RateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rate(r) => write!(f, "{r}"),
            Self::Exempt => f.write_str("exempt"),
            Self::OutOfScope => f.write_str("out_of_scope"),
        }
    }
}

impl core::str::FromStr for RateCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<RateCode> {
        RateCode::parse(s)
    }
}

impl Serialize for RateCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RateCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        RateCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

// `out_of_scope` is the longest canonical text (12 bytes).
display_text_value!(RateCode, 1, 12);

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::{Copying, DecodeExt, Encode};
    use proptest::prelude::*;

    #[test]
    fn rates_parse_and_format() {
        for (s, bp, out) in [
            ("0.13", 1300, "0.13"),
            ("0.130", 1300, "0.13"),
            ("0.09", 900, "0.09"),
            ("0.06", 600, "0.06"),
            ("0.03", 300, "0.03"),
            ("0.01", 100, "0.01"),
            ("0.05", 500, "0.05"),
            ("0.015", 150, "0.015"),
            ("0", 0, "0"),
            ("0.00", 0, "0"),
            ("1", 10_000, "1"),
        ] {
            let r = Rate::parse(s).unwrap();
            assert_eq!(r.basis_points(), bp, "{s}");
            assert_eq!(r.to_string(), out);
        }
        for s in ["", "13%", ".13", "0.13 ", "-0.13", "1.01", "2", "0.00001", "00.1", "+0.1"] {
            assert_eq!(Rate::parse(s).unwrap_err().code(), "bad_rate", "{s:?}");
        }
        assert_eq!(Rate::parse("0.13").unwrap().percent(), "13%");
        assert_eq!(Rate::parse("0.015").unwrap().percent(), "1.5%");
        assert_eq!(Rate::ZERO.percent(), "0%");
    }

    #[test]
    fn rate_encodes_as_its_canonical_text() {
        let r = Rate::parse("0.130").unwrap();
        assert_eq!(&r.encode()[..], b"\x040.13");
        assert_eq!(Rate::decode(r.encode()).unwrap(), r);
        assert!(Rate::decode(Copying(&b"\x050.130"[..])).is_err());
        assert!(Rate::decode(Copying(&b"\x041.01"[..])).is_err());
    }

    #[test]
    fn rate_codes_encode_as_their_canonical_text() {
        for (s, text) in [
            ("0.130", "0.13"),
            ("exempt", "exempt"),
            ("免税", "exempt"),
            ("不征税", "out_of_scope"),
            ("0", "0"),
        ] {
            let c = RateCode::parse(s).unwrap();
            assert_eq!(c.to_string(), text);
            let bytes = c.encode();
            assert_eq!(bytes[0] as usize, text.len());
            assert_eq!(&bytes[1..], text.as_bytes());
            assert_eq!(RateCode::decode(bytes).unwrap(), c);
        }
        for bad in [&b"\x06\xe5\x85\x8d\xe7\xa8\x8e"[..], b"\x050.130", b"\x00", b"\x04none"] {
            assert!(RateCode::decode(Copying(bad)).is_err(), "{bad:?}");
        }
        assert_eq!(RateCode::parse("13%").unwrap_err().code(), "bad_rate");
        assert_eq!(RateCode::Exempt.label(), "免税");
        assert_eq!(RateCode::parse("0.015").unwrap().label(), "1.5%");
    }

    proptest! {
        #[test]
        fn rate_text_round_trips(bp in 0u16..=10_000) {
            let r = Rate::from_basis_points(bp).unwrap();
            prop_assert_eq!(Rate::parse(&r.to_string()).unwrap(), r);
        }
    }
}
