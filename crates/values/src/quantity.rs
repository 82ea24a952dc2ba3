//! [`Quantity`] and [`UnitPrice`]: exact decimals with at most eight decimals and 16
//! integer digits (the DECIMAL(18,2) magnitude), held as `i128` in units of 10⁻⁸.
//!
//! They parse from `"3"`, `"1.5"`, `"45.87155963"` and format without trailing zeros
//! (`"3"`, `"120"`, `"45.87155963"`).

use crate::{
    decimal::{scaled, split_decimal},
    error::{Error, Result},
};
use core::fmt;
use serde::{Deserialize, Serialize};

/// Fraction digits of [`Quantity`] and [`UnitPrice`].
pub const DECIMALS: u32 = 8;
const SCALE: i128 = 100_000_000;
/// Integer digits allowed in a quantity or unit price (the DECIMAL(18,2) magnitude).
const MAX_INT_DIGITS: usize = 16;
/// The largest magnitude, in units of 10⁻⁸: 16 nines before the point, 8 after.
const MAX_SCALED: u128 = 10u128.pow(MAX_INT_DIGITS as u32 + DECIMALS) - 1;

fn format_scaled(f: &mut fmt::Formatter<'_>, v: i128) -> fmt::Result {
    let sign = if v < 0 { "-" } else { "" };
    let m = v.unsigned_abs();
    let whole = m / SCALE.unsigned_abs();
    let frac = m % SCALE.unsigned_abs();
    if frac == 0 {
        write!(f, "{sign}{whole}")
    } else {
        let digits = format!("{frac:08}");
        write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// A quantity (数量): an exact decimal with at most eight decimals, negative on red lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i128);

impl Quantity {
    /// Parses `"3"`, `"1.5"`, `"-2"`: the grammar of [`crate::Fen::parse`] with up to eight
    /// decimals and 16 integer digits.
    ///
    /// # Errors
    /// `bad_quantity` (field `quantity`).
    pub fn parse(s: &str) -> Result<Quantity> {
        let bad = |reason| Error::BadQuantity { field: "quantity".into(), reason };
        let d = split_decimal(s, DECIMALS as usize).map_err(bad)?;
        if d.int.len() > MAX_INT_DIGITS {
            return Err(bad("too many integer digits"));
        }
        let v = scaled(&d, DECIMALS as usize);
        if d.negative && v == 0 {
            return Err(bad("negative zero"));
        }
        Ok(Quantity(v))
    }

    /// A quantity of `v` units of 10⁻⁸.
    ///
    /// # Errors
    /// `bad_quantity` (field `quantity`) beyond 16 integer digits.
    pub fn from_scaled(v: i128) -> Result<Quantity> {
        if v.unsigned_abs() > MAX_SCALED {
            return Err(Error::BadQuantity {
                field: "quantity".into(),
                reason: "too many integer digits",
            });
        }
        Ok(Quantity(v))
    }

    /// The quantity in units of 10⁻⁸.
    pub const fn scaled(self) -> i128 {
        self.0
    }

    /// `true` below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_scaled(f, self.0)
    }
}

/// A unit price excluding tax (单价): an exact non-negative decimal with at most eight
/// decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitPrice(i128);

impl UnitPrice {
    /// Parses `"120.00"`, `"45.87155963"`: no sign, up to eight decimals and 16 integer
    /// digits.
    ///
    /// # Errors
    /// `bad_unit_price` (field `unit_price`).
    pub fn parse(s: &str) -> Result<UnitPrice> {
        let bad = |reason| Error::BadUnitPrice { field: "unit_price".into(), reason };
        let d = split_decimal(s, DECIMALS as usize).map_err(bad)?;
        if d.negative {
            return Err(bad("negative"));
        }
        if d.int.len() > MAX_INT_DIGITS {
            return Err(bad("too many integer digits"));
        }
        Ok(UnitPrice(scaled(&d, DECIMALS as usize)))
    }

    /// The price in units of 10⁻⁸ yuan.
    pub const fn scaled(self) -> i128 {
        self.0
    }
}

impl fmt::Display for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_scaled(f, self.0)
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl core::str::FromStr for $t {
            type Err = Error;
            fn from_str(s: &str) -> Result<$t> {
                <$t>::parse(s)
            }
        }
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<$t, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
string_serde!(Quantity);
string_serde!(UnitPrice);

// The longest canonical texts: `-9999999999999999.99999999` (26 bytes), and 25 bytes
// for a price (never negative).
display_text_value!(Quantity, 1, 26);
display_text_value!(UnitPrice, 1, 25);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_and_format() {
        assert_eq!(UnitPrice::parse("120.00").unwrap().to_string(), "120");
        assert_eq!(UnitPrice::parse("45.87155963").unwrap().to_string(), "45.87155963");
        assert_eq!(Quantity::parse("-1.5").unwrap().to_string(), "-1.5");
        assert_eq!(UnitPrice::parse("-1").unwrap_err().code(), "bad_unit_price");
        assert_eq!(UnitPrice::parse("1.123456789").unwrap_err().code(), "bad_unit_price");
        assert_eq!(Quantity::parse("1e2").unwrap_err().code(), "bad_quantity");
        assert_eq!(Quantity::parse("-0").unwrap_err().code(), "bad_quantity");
        assert_eq!(Quantity::parse("99999999999999999").unwrap_err().code(), "bad_quantity");
        let max = Quantity::parse("-9999999999999999.99999999").unwrap();
        assert_eq!(Quantity::from_scaled(max.scaled()), Ok(max));
        assert_eq!(Quantity::from_scaled(max.scaled() - 1).unwrap_err().code(), "bad_quantity");
        assert_eq!(Quantity::from_scaled(i128::MIN).unwrap_err().code(), "bad_quantity");
    }

    #[test]
    fn decimals_encode_as_their_canonical_text() {
        use commonware_codec::{Copying, DecodeExt, Encode};
        let p = UnitPrice::parse("120.00").unwrap();
        assert_eq!(&p.encode()[..], b"\x03120");
        assert_eq!(UnitPrice::decode(p.encode()).unwrap(), p);
        let q = Quantity::parse("-9999999999999999.99999999").unwrap();
        assert_eq!(Quantity::decode(q.encode()).unwrap(), q);
        assert!(UnitPrice::decode(Copying(&b"\x06120.00"[..])).is_err());
        assert!(UnitPrice::decode(Copying(&b"\x02-1"[..])).is_err());
        assert!(Quantity::decode(Copying(&b"\x031.0"[..])).is_err());
        assert!(Quantity::decode(Copying(&b"\x00"[..])).is_err());
    }

    proptest! {
        #[test]
        fn quantity_round_trips(v in -(10i128.pow(24) - 1)..10i128.pow(24)) {
            let q = Quantity::from_scaled(v).unwrap();
            prop_assert_eq!(Quantity::parse(&q.to_string()).unwrap(), q);
        }
    }
}
