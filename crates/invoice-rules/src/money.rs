//! Money arithmetic of the tax rules: [`Rate`] (basis points) and the three roundings of
//! DOMAIN.md, all half-up on the magnitude (四舍五入) in integer arithmetic.
//!
//! [`Fen`], [`Quantity`] and [`UnitPrice`] live in `fapiao-values` (range-checked value
//! types) and are re-exported here.
//!
//! Rates parse from `"0.13"` (at most four decimals, `0..=1`) and format without trailing
//! zeros (`"0.13"`, `"0.015"`, `"0"`).

use crate::error::{Error, Result};
use core::fmt;
use fapiao_values::decimal::{scaled, split_decimal};
pub use fapiao_values::{div_round_half_up, Fen, Quantity, UnitPrice, DECIMALS};
use serde::{Deserialize, Serialize};

fn out_of_range(field: &str) -> Error {
    fapiao_values::Error::out_of_range(field).into()
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

/// `round2(quantity × unit_price)` in fen (DOMAIN rule 1), exact in `i128`.
///
/// # Errors
/// `amount_out_of_range` (field `amount`) when the product leaves DECIMAL(18,2).
pub fn round2_product(quantity: Quantity, price: UnitPrice) -> Result<Fen> {
    // Both are scaled by 10^8: the product is scaled by 10^16, fen by 10^2.
    let product =
        quantity.scaled().checked_mul(price.scaled()).ok_or_else(|| out_of_range("amount"))?;
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

    }
}
