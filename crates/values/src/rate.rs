//! [`Rate`]: a tax rate as an exact decimal in basis points, with the two roundings that
//! apply a rate (DOMAIN.md rules 2 and 3), half-up on the magnitude in integer arithmetic.
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

impl commonware_codec::Write for Rate {
    fn write(&self, buf: &mut impl bytes::BufMut) {
        crate::codec::write_text(&self.to_string(), buf)
    }
}

impl commonware_codec::EncodeSize for Rate {
    fn encode_size(&self) -> usize {
        crate::codec::text_size(&self.to_string())
    }
}

impl commonware_codec::Read for Rate {
    type Cfg = ();
    fn read_cfg(
        buf: &mut impl commonware_codec::Buf,
        _: &(),
    ) -> core::result::Result<Self, commonware_codec::Error> {
        let text = crate::codec::read_text(buf, 1, 6)?;
        let r = Rate::parse(&text)
            .map_err(|_| commonware_codec::Error::Invalid("Rate", "fails its checks"))?;
        if r.to_string() != text {
            return Err(commonware_codec::Error::Invalid("Rate", "not canonical"));
        }
        Ok(r)
    }
}

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

    proptest! {
        #[test]
        fn rate_text_round_trips(bp in 0u16..=10_000) {
            let r = Rate::from_basis_points(bp).unwrap();
            prop_assert_eq!(Rate::parse(&r.to_string()).unwrap(), r);
        }
    }
}
