//! Exact money and decimals: [`Fen`] (integer fen within DECIMAL(18,2)), [`Rate`] (basis
//! points), [`Quantity`] and [`UnitPrice`] (eight decimals, `i128`), and the three
//! roundings of DOMAIN.md, all half-up on the magnitude (四舍五入) in integer arithmetic.
//!
//! # Text forms
//!
//! Money travels in JSON as a decimal string. [`Fen::parse`] accepts exactly
//! `-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,2})?`: so `"1506.80"`, `"1506.8"` and `"1506"` all mean
//! 1506.80 yuan, while `"+1"`, `" 1"`, `"1e3"`, `".5"`, `"5."`, `"01.00"`, `"1.005"`, `"-0"`
//! and `"1,000.00"` are refused. [`Fen`] always formats with exactly two decimals. The
//! lenient decimal count is the only leniency: a client that drops trailing zeros is common
//! and harmless, everything else is ambiguous or a typo.
//!
//! Rates parse from `"0.13"` (at most four decimals, `0..=1`) and format without trailing
//! zeros (`"0.13"`, `"0.015"`, `"0"`). Quantities and unit prices take at most eight
//! decimals and format without trailing zeros (`"3"`, `"120"`, `"45.87155963"`).

use crate::error::{Error, Result};
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
        Self::from_i128(i128::from(fen)).ok_or_else(|| out_of_range("amount"))
    }

    /// `yuan` whole yuan (a convenience for fixtures and configuration).
    ///
    /// # Errors
    /// `amount_out_of_range` (field `amount`) outside DECIMAL(18,2).
    pub fn from_yuan(yuan: i64) -> Result<Fen> {
        Self::from_i128(i128::from(yuan) * 100).ok_or_else(|| out_of_range("amount"))
    }

    /// A constant amount; `fen` must be within DECIMAL(18,2) (crate-internal constants).
    pub(crate) const fn from_const(fen: i64) -> Fen {
        Fen(fen)
    }

    /// The amount in fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    pub(crate) fn from_i128(v: i128) -> Option<Fen> {
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

    /// `−self`. The range is symmetric, so this is never `None`; it is checked only for
    /// uniformity with the other operations.
    pub fn checked_neg(self) -> Option<Fen> {
        Self::from_i128(-i128::from(self.0))
    }

    /// The sum of `items`, or `None` as soon as a partial sum leaves DECIMAL(18,2).
    pub fn checked_sum<I: IntoIterator<Item = Fen>>(items: I) -> Option<Fen> {
        items.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
    }

    /// The magnitude.
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

fn out_of_range(field: &str) -> Error {
    Error::AmountOutOfRange { field: field.into() }
}

/// A validated plain decimal: sign, integer digits and fraction digits, as the common
/// grammar of every decimal text of this crate.
struct Decimal<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
}

/// Splits `s` per `-?(0|[1-9][0-9]*)(\.[0-9]{1,max_frac})?`.
fn split_decimal(s: &str, max_frac: usize) -> core::result::Result<Decimal<'_>, &'static str> {
    if s.is_empty() {
        return Err("empty");
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => {
            if f.is_empty() {
                return Err("no digits after the decimal point");
            }
            (i, f)
        }
        None => (body, ""),
    };
    if int.is_empty() {
        return Err("no digits before the decimal point");
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err("only digits, one decimal point and a leading minus are allowed");
    }
    if int.len() > 1 && int.starts_with('0') {
        return Err("leading zero");
    }
    if frac.len() > max_frac {
        return Err("too many decimals");
    }
    Ok(Decimal { negative, int, frac })
}

/// `digits` as an integer (at most 38 digits, checked by callers).
fn digits_value(digits: &str) -> i128 {
    digits.bytes().fold(0i128, |acc, b| acc * 10 + i128::from(b - b'0'))
}

/// The decimal scaled to `scale` fraction digits (frac.len() ≤ scale, int ≤ 20 digits).
fn scaled(d: &Decimal<'_>, scale: usize) -> i128 {
    let mut v = digits_value(d.int);
    for i in 0..scale {
        let digit = d.frac.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
        v = v * 10 + digit;
    }
    if d.negative {
        -v
    } else {
        v
    }
}

fn parse_fen(s: &str, allow_negative: bool) -> Result<Fen> {
    let bad = |reason| Error::BadAmount { field: "amount".into(), reason };
    let d = split_decimal(s, 2).map_err(bad)?;
    if d.negative && !allow_negative {
        return Err(Error::NegativeAmount { field: "amount".into() });
    }
    if d.int.len() > 16 {
        return Err(out_of_range("amount"));
    }
    let v = scaled(&d, 2);
    if d.negative && v == 0 {
        return Err(bad("negative zero"));
    }
    Fen::from_i128(v).ok_or_else(|| out_of_range("amount"))
}

/// Divides `n` by `d > 0`, rounding half-up on the magnitude (四舍五入): `2.5 → 3`,
/// `−2.5 → −3`. This is the one rounding of the crate.
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
        let v = div_round_half_up(i128::from(amount.0) * i128::from(self.0), 10_000);
        // |v| ≤ |amount|: the rate is at most 1.
        Fen(i64::try_from(v).unwrap_or(0))
    }

    /// Splits a tax-inclusive `gross` into `(amount, tax)`:
    /// `amount = round2(gross / (1 + rate))`, `tax = gross − amount` (DOMAIN rule 3).
    pub fn split_gross(self, gross: Fen) -> (Fen, Fen) {
        let v = div_round_half_up(i128::from(gross.0) * 10_000, 10_000 + i128::from(self.0));
        // |v| ≤ |gross| since 1 + rate ≥ 1; both have the sign of gross.
        let amount = Fen(i64::try_from(v).unwrap_or(0));
        (amount, Fen(gross.0 - amount.0))
    }

    /// `tax − amount × rate` exactly, in 1/10 000 fen (for tolerance checks).
    pub fn tax_deviation(self, amount: Fen, tax: Fen) -> i128 {
        i128::from(tax.0) * 10_000 - i128::from(amount.0) * i128::from(self.0)
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

/// Fraction digits of [`Quantity`] and [`UnitPrice`].
pub const DECIMALS: u32 = 8;
const SCALE: i128 = 100_000_000;
/// Integer digits allowed in a quantity or unit price (the DECIMAL(18,2) magnitude).
const MAX_INT_DIGITS: usize = 16;

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
    /// Parses `"3"`, `"1.5"`, `"-2"`: the grammar of [`Fen::parse`] with up to eight
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

/// `round2(quantity × unit_price)` in fen (DOMAIN rule 1), exact in `i128`.
///
/// # Errors
/// `amount_out_of_range` (field `amount`) when the product leaves DECIMAL(18,2).
pub fn round2_product(quantity: Quantity, price: UnitPrice) -> Result<Fen> {
    // Both are scaled by 10^8: the product is scaled by 10^16, fen by 10^2.
    let product = quantity.0.checked_mul(price.0).ok_or_else(|| out_of_range("amount"))?;
    Fen::from_i128(div_round_half_up(product, 100_000_000_000_000))
        .ok_or_else(|| out_of_range("amount"))
}

/// `round2(amount × rate)` in fen (DOMAIN rule 2); see [`Rate::tax_on`].
pub fn round2_tax(amount: Fen, rate: Rate) -> Fen {
    rate.tax_on(amount)
}

/// `round2(gross / (1 + rate))` in fen (DOMAIN rule 3); see [`Rate::split_gross`].
pub fn round2_net(gross: Fen, rate: Rate) -> Fen {
    rate.split_gross(gross).0
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
        assert_eq!(Fen::new(i64::MAX).unwrap_err().code(), "amount_out_of_range");
        assert_eq!(Fen::checked_sum([fen("1"), fen("2.5")]), Some(fen("3.50")));
        assert_eq!(Fen::checked_sum([Fen::MAX, Fen::MAX, Fen::MIN]), None);
    }

    #[test]
    fn fen_serde_is_a_string() {
        assert_eq!(serde_json::to_string(&fen("1506.8")).unwrap(), "\"1506.80\"");
        assert_eq!(serde_json::from_str::<Fen>("\"66.00\"").unwrap(), fen("66"));
        assert!(serde_json::from_str::<Fen>("66.0").is_err());
        assert!(serde_json::from_str::<Fen>("\"6.666\"").is_err());
    }

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
    fn quantity_and_price() {
        let q = Quantity::parse("3").unwrap();
        let p = UnitPrice::parse("120.00").unwrap();
        assert_eq!(round2_product(q, p).unwrap(), fen("360.00"));
        assert_eq!(p.to_string(), "120");
        assert_eq!(UnitPrice::parse("45.87155963").unwrap().to_string(), "45.87155963");
        assert_eq!(Quantity::parse("-1.5").unwrap().to_string(), "-1.5");
        assert_eq!(UnitPrice::parse("-1").unwrap_err().code(), "bad_unit_price");
        assert_eq!(UnitPrice::parse("1.123456789").unwrap_err().code(), "bad_unit_price");
        assert_eq!(Quantity::parse("1e2").unwrap_err().code(), "bad_quantity");
        assert_eq!(Quantity::parse("-0").unwrap_err().code(), "bad_quantity");
        // 2 × 45.87155963 = 91.74311926 → 91.74; 0.005 rounds up, −0.005 rounds down.
        let two = Quantity::parse("2").unwrap();
        assert_eq!(
            round2_product(two, UnitPrice::parse("45.87155963").unwrap()).unwrap(),
            fen("91.74")
        );
        let one = Quantity::parse("1").unwrap();
        assert_eq!(round2_product(one, UnitPrice::parse("0.005").unwrap()).unwrap(), fen("0.01"));
        let minus = Quantity::parse("-1").unwrap();
        assert_eq!(
            round2_product(minus, UnitPrice::parse("0.005").unwrap()).unwrap(),
            fen("-0.01")
        );
        assert_eq!(
            round2_product(one, UnitPrice::parse("0.00499999").unwrap()).unwrap(),
            Fen::ZERO
        );
        let big = Quantity::parse("9999999999999999").unwrap();
        let price = UnitPrice::parse("9999999999999999").unwrap();
        assert_eq!(round2_product(big, price).unwrap_err().code(), "amount_out_of_range");
    }

    #[test]
    fn rounding_half_up_on_magnitude() {
        for (n, d, q) in
            [(5, 10, 1), (-5, 10, -1), (4, 10, 0), (-4, 10, 0), (15, 10, 2), (-25, 10, -3)]
        {
            assert_eq!(div_round_half_up(n, d), q, "{n}/{d}");
        }
        let r13 = Rate::parse("0.13").unwrap();
        assert_eq!(r13.tax_on(fen("360")), fen("46.80"));
        assert_eq!(Rate::parse("0.06").unwrap().tax_on(fen("943.40")), fen("56.60"));
        assert_eq!(
            Rate::parse("0.09").unwrap().split_gross(fen("100")),
            (fen("91.74"), fen("8.26"))
        );
        assert_eq!(
            Rate::parse("0.09").unwrap().split_gross(fen("-100")),
            (fen("-91.74"), fen("-8.26"))
        );
        // 0.50 × 0.01 = 0.005 → 0.01 (half up), and symmetric for negatives.
        let r1 = Rate::parse("0.01").unwrap();
        assert_eq!(r1.tax_on(fen("0.50")), fen("0.01"));
        assert_eq!(r1.tax_on(fen("-0.50")), fen("-0.01"));
        assert_eq!(round2_tax(fen("360"), r13), fen("46.80"));
        assert_eq!(round2_net(fen("113"), r13), fen("100"));
    }

    proptest! {
        #[test]
        fn fen_text_round_trips(v in -999_999_999_999_999_999i64..=999_999_999_999_999_999) {
            let f = Fen::new(v).unwrap();
            prop_assert_eq!(Fen::parse(&f.to_string()).unwrap(), f);
        }

        #[test]
        fn rate_text_round_trips(bp in 0u16..=10_000) {
            let r = Rate::from_basis_points(bp).unwrap();
            prop_assert_eq!(Rate::parse(&r.to_string()).unwrap(), r);
        }

        #[test]
        fn gross_split_is_exact_and_within_line_tolerance(
            g in -999_999_999_999_999_999i64..=999_999_999_999_999_999,
            bp in 0u16..=10_000,
        ) {
            let rate = Rate::from_basis_points(bp).unwrap();
            let gross = Fen::new(g).unwrap();
            let (amount, tax) = rate.split_gross(gross);
            prop_assert_eq!(amount.fen() + tax.fen(), g);
            // |tax − amount·rate| ≤ 0.5 fen · (1 + rate) ≤ 1 fen.
            prop_assert!(rate.tax_deviation(amount, tax).abs() <= 10_000);
            prop_assert!(amount.signum() * g.signum() >= 0);
        }

        #[test]
        fn tax_is_odd(a in 0i64..=999_999_999_999_999_999, bp in 0u16..=10_000) {
            let rate = Rate::from_basis_points(bp).unwrap();
            let amount = Fen::new(a).unwrap();
            prop_assert_eq!(rate.tax_on(amount.checked_neg().unwrap()), rate.tax_on(amount).checked_neg().unwrap());
            prop_assert!(rate.tax_deviation(amount, rate.tax_on(amount)).abs() <= 5_000);
        }

        #[test]
        fn quantity_round_trips(v in -(10i128.pow(24) - 1)..10i128.pow(24)) {
            let q = Quantity(v);
            prop_assert_eq!(Quantity::parse(&q.to_string()).unwrap(), q);
        }
    }
}
