//! [`Fen`]: exact money in integer fen within DECIMAL(18,2), with checked arithmetic only,
//! and the one rounding of the domain (half-up on the magnitude, 四舍五入).
//!
//! # Text form
//!
//! Money travels in JSON as a decimal string. [`Fen::parse`] accepts exactly
//! `-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,2})?`: so `"1506.80"`, `"1506.8"` and `"1506"` all mean
//! 1506.80 yuan, while `"+1"`, `" 1"`, `"1e3"`, `".5"`, `"5."`, `"01.00"`, `"1.005"`, `"-0"`
//! and `"1,000.00"` are refused. [`Fen`] always formats with exactly two decimals. The
//! lenient decimal count is the only leniency: a client that drops trailing zeros is common
//! and harmless, everything else is ambiguous or a typo.

use crate::{
    decimal::{scaled, split_decimal},
    error::{Error, Result},
};
use core::fmt;
use serde::{Deserialize, Serialize};

/// An amount of money in integer fen (分, 0.01 yuan), within DECIMAL(18,2): `|fen| ≤ 10^18 − 1`.
///
/// The range is an invariant of the type; arithmetic is checked against it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fen(i64);

impl Fen {
    /// Zero.
    pub const ZERO: Fen = Fen(0);
    /// The largest amount DECIMAL(18,2) holds: 9 999 999 999 999 999.99 yuan.
    pub const MAX: Fen = Fen(999_999_999_999_999_999);
    /// The smallest amount DECIMAL(18,2) holds.
    pub const MIN: Fen = Fen(-999_999_999_999_999_999);

    /// An amount of `fen` fen.
    ///
    /// # Errors
    /// `amount_out_of_range` (field `amount`) outside DECIMAL(18,2).
    pub fn new(fen: i64) -> Result<Fen> {
        Self::from_i128(i128::from(fen)).ok_or_else(|| Error::out_of_range("amount"))
    }

    /// `yuan` whole yuan (a convenience for fixtures and configuration).
    ///
    /// # Errors
    /// `amount_out_of_range` (field `amount`) outside DECIMAL(18,2).
    pub fn from_yuan(yuan: i64) -> Result<Fen> {
        Self::from_i128(i128::from(yuan) * 100).ok_or_else(|| Error::out_of_range("amount"))
    }

    /// A constant amount, checked when the constant is evaluated.
    ///
    /// # Panics
    /// Outside DECIMAL(18,2) — at compile time when used in a `const`.
    pub const fn from_const(fen: i64) -> Fen {
        assert!(fen.unsigned_abs() <= Self::MAX.0.unsigned_abs(), "constant outside DECIMAL(18,2)");
        Fen(fen)
    }

    /// The amount in fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// `v` fen, or `None` outside DECIMAL(18,2).
    pub fn from_i128(v: i128) -> Option<Fen> {
        if v.unsigned_abs() <= Self::MAX.0.unsigned_abs() as u128 {
            i64::try_from(v).ok().map(Fen)
        } else {
            None
        }
    }

    /// Parses a decimal string, sign allowed (see the module docs for the exact grammar).
    ///
    /// # Errors
    /// `bad_amount` (field `amount`) for anything but the grammar above;
    /// `amount_out_of_range` beyond 16 integer digits.
    pub fn parse(s: &str) -> Result<Fen> {
        parse_fen(s, true)
    }

    /// Parses a decimal string that must not carry a minus sign.
    ///
    /// # Errors
    /// As [`Fen::parse`], plus `negative_amount` for a leading `-`.
    pub fn parse_unsigned(s: &str) -> Result<Fen> {
        parse_fen(s, false)
    }

    /// `self + rhs`, or `None` outside DECIMAL(18,2).
    pub fn checked_add(self, rhs: Fen) -> Option<Fen> {
        Self::from_i128(i128::from(self.0) + i128::from(rhs.0))
    }

    /// `self − rhs`, or `None` outside DECIMAL(18,2).
    pub fn checked_sub(self, rhs: Fen) -> Option<Fen> {
        Self::from_i128(i128::from(self.0) - i128::from(rhs.0))
    }

    /// `self × n`, or `None` outside DECIMAL(18,2).
    pub fn checked_mul(self, n: i64) -> Option<Fen> {
        Self::from_i128(i128::from(self.0) * i128::from(n))
    }

    /// `−self`. The range is symmetric, so this is never `None`; it is checked only for
    /// uniformity with the other operations.
    pub fn checked_neg(self) -> Option<Fen> {
        Self::from_i128(-i128::from(self.0))
    }

    /// The sum of `items`, or `None` as soon as a partial sum leaves DECIMAL(18,2).
    pub fn checked_sum<I: IntoIterator<Item = Fen>>(items: I) -> Option<Fen> {
        items.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
    }

    /// `self + rhs`, refused at `field` outside DECIMAL(18,2).
    ///
    /// # Errors
    /// `amount_out_of_range` at `field`.
    pub fn try_add(self, rhs: Fen, field: &str) -> Result<Fen> {
        self.checked_add(rhs).ok_or_else(|| Error::out_of_range(field))
    }

    /// `self − rhs`, refused at `field` outside DECIMAL(18,2).
    ///
    /// # Errors
    /// `amount_out_of_range` at `field`.
    pub fn try_sub(self, rhs: Fen, field: &str) -> Result<Fen> {
        self.checked_sub(rhs).ok_or_else(|| Error::out_of_range(field))
    }

    /// The sum of `items`, refused at `field` as soon as a partial sum leaves DECIMAL(18,2).
    ///
    /// # Errors
    /// `amount_out_of_range` at `field`.
    pub fn try_sum<I: IntoIterator<Item = Fen>>(items: I, field: &str) -> Result<Fen> {
        Self::checked_sum(items).ok_or_else(|| Error::out_of_range(field))
    }

    /// The magnitude (never out of range: the range is symmetric).
    pub fn abs(self) -> Fen {
        Fen(self.0.abs())
    }

    /// `true` above zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// `true` below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `true` at zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// -1, 0 or 1.
    pub const fn signum(self) -> i64 {
        self.0.signum()
    }
}

impl TryFrom<i64> for Fen {
    type Error = Error;
    fn try_from(fen: i64) -> Result<Fen> {
        Fen::new(fen)
    }
}

impl From<Fen> for i64 {
    fn from(f: Fen) -> i64 {
        f.0
    }
}

impl fmt::Display for Fen {
    /// `-1506.80`: optional minus, integer yuan, exactly two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let m = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", m / 100, m % 100)
    }
}

impl core::str::FromStr for Fen {
    type Err = Error;
    fn from_str(s: &str) -> Result<Fen> {
        Fen::parse(s)
    }
}

impl TryFrom<String> for Fen {
    type Error = Error;
    fn try_from(s: String) -> Result<Fen> {
        Fen::parse(&s)
    }
}

impl From<Fen> for String {
    fn from(f: Fen) -> String {
        f.to_string()
    }
}

impl Serialize for Fen {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fen {
    /// Only from a string: a JSON number would have gone through a float.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Fen, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Fen::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn parse_fen(s: &str, allow_negative: bool) -> Result<Fen> {
    let bad = |reason| Error::BadAmount { field: "amount".into(), reason };
    let d = split_decimal(s, 2).map_err(bad)?;
    if d.negative && !allow_negative {
        return Err(Error::NegativeAmount { field: "amount".into() });
    }
    if d.int.len() > 16 {
        return Err(Error::out_of_range("amount"));
    }
    let v = scaled(&d, 2);
    if d.negative && v == 0 {
        return Err(bad("negative zero"));
    }
    Fen::from_i128(v).ok_or_else(|| Error::out_of_range("amount"))
}

/// Divides `n` by `d > 0`, rounding half-up on the magnitude (四舍五入): `2.5 → 3`,
/// `−2.5 → −3`. This is the one rounding of the domain.
pub fn div_round_half_up(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    let q = n.unsigned_abs() / d.unsigned_abs();
    let r = n.unsigned_abs() % d.unsigned_abs();
    let m = if r * 2 >= d.unsigned_abs() { q + 1 } else { q };
    // m ≤ |n| / d + 1 ≤ i128::MAX for d ≥ 2; for d = 1, r = 0 so m = |n|.
    let m = i128::try_from(m).unwrap_or(i128::MAX);
    if n < 0 {
        -m
    } else {
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fen(s: &str) -> Fen {
        Fen::parse(s).unwrap()
    }

    #[test]
    fn fen_parse_accepts() {
        for (s, v) in [
            ("1506.80", 150_680),
            ("1506.8", 150_680),
            ("1506", 150_600),
            ("0", 0),
            ("0.00", 0),
            ("0.05", 5),
            ("-12.34", -1234),
            ("9999999999999999.99", 999_999_999_999_999_999),
            ("-9999999999999999.99", -999_999_999_999_999_999),
        ] {
            assert_eq!(Fen::parse(s).unwrap().fen(), v, "{s}");
        }
    }

    #[test]
    fn fen_parse_refuses() {
        for (s, code) in [
            ("", "bad_amount"),
            ("+1", "bad_amount"),
            (" 1", "bad_amount"),
            ("1 ", "bad_amount"),
            ("1e3", "bad_amount"),
            (".5", "bad_amount"),
            ("5.", "bad_amount"),
            ("01.00", "bad_amount"),
            ("00", "bad_amount"),
            ("1.005", "bad_amount"),
            ("1,000.00", "bad_amount"),
            ("-0", "bad_amount"),
            ("-0.00", "bad_amount"),
            ("--1", "bad_amount"),
            ("1.2.3", "bad_amount"),
            ("１", "bad_amount"),
            ("NaN", "bad_amount"),
            ("10000000000000000", "amount_out_of_range"),
        ] {
            let e = Fen::parse(s).unwrap_err();
            assert_eq!(e.code(), code, "{s:?}");
            assert_eq!(e.field(), "amount");
        }
        assert_eq!(Fen::parse_unsigned("-1.00").unwrap_err().code(), "negative_amount");
        assert_eq!(Fen::parse_unsigned("1.00").unwrap(), fen("1"));
    }

    #[test]
    fn fen_format_two_decimals() {
        assert_eq!(fen("1506.8").to_string(), "1506.80");
        assert_eq!(fen("-0.05").to_string(), "-0.05");
        assert_eq!(Fen::ZERO.to_string(), "0.00");
        assert_eq!(Fen::MIN.to_string(), "-9999999999999999.99");
    }

    #[test]
    fn fen_checked_arithmetic() {
        assert_eq!(fen("1.10").checked_add(fen("2.05")), Some(fen("3.15")));
        assert_eq!(Fen::MAX.checked_add(Fen::new(1).unwrap()), None);
        assert_eq!(Fen::MIN.checked_sub(Fen::new(1).unwrap()), None);
        assert_eq!(Fen::MIN.checked_neg(), Some(Fen::MAX));
        assert_eq!(Fen::MAX.checked_mul(2), None);
        assert_eq!(fen("1.50").checked_mul(-3), Some(fen("-4.50")));
        assert_eq!(Fen::new(i64::MAX).unwrap_err().code(), "amount_out_of_range");
        assert_eq!(Fen::new(i64::MIN).unwrap_err().code(), "amount_out_of_range");
        assert_eq!(Fen::checked_sum([fen("1"), fen("2.5")]), Some(fen("3.50")));
        assert_eq!(Fen::checked_sum([Fen::MAX, Fen::MAX, Fen::MIN]), None);
        let e = Fen::try_sum([Fen::MAX; 10], "items").unwrap_err();
        assert_eq!((e.code(), e.field()), ("amount_out_of_range", "items"));
        assert_eq!(Fen::MIN.try_sub(Fen::MAX, "tax").unwrap_err().field(), "tax");
    }

    #[test]
    fn fen_serde_is_a_string() {
        assert_eq!(serde_json::to_string(&fen("1506.8")).unwrap(), "\"1506.80\"");
        assert_eq!(serde_json::from_str::<Fen>("\"66.00\"").unwrap(), fen("66"));
        assert!(serde_json::from_str::<Fen>("66.0").is_err());
        assert!(serde_json::from_str::<Fen>("\"6.666\"").is_err());
    }

    #[test]
    fn rounding_half_up_on_magnitude() {
        for (n, d, q) in
            [(5, 10, 1), (-5, 10, -1), (4, 10, 0), (-4, 10, 0), (15, 10, 2), (-25, 10, -3)]
        {
            assert_eq!(div_round_half_up(n, d), q, "{n}/{d}");
        }
    }

    proptest! {
        #[test]
        fn fen_text_round_trips(v in -999_999_999_999_999_999i64..=999_999_999_999_999_999) {
            let f = Fen::new(v).unwrap();
            prop_assert_eq!(Fen::parse(&f.to_string()).unwrap(), f);
        }

        #[test]
        fn checked_add_is_exact_or_refused(a in any::<i64>(), b in any::<i64>()) {
            if let (Ok(x), Ok(y)) = (Fen::new(a), Fen::new(b)) {
                let exact = i128::from(a) + i128::from(b);
                match x.checked_add(y) {
                    Some(s) => prop_assert_eq!(i128::from(s.fen()), exact),
                    None => prop_assert!(exact.unsigned_abs() > Fen::MAX.fen().unsigned_abs() as u128),
                }
            } else {
                prop_assert!(a.unsigned_abs() > Fen::MAX.fen().unsigned_abs() || b.unsigned_abs() > Fen::MAX.fen().unsigned_abs());
            }
        }
    }
}
