//! Money arithmetic of the tax rules: the three roundings of DOMAIN.md, all half-up on
//! the magnitude (四舍五入) in integer arithmetic.
//!
//! [`Fen`], [`Quantity`], [`UnitPrice`] and [`Rate`] live in `fapiao-values`
//! (range-checked value types) and are re-exported here.

use crate::error::{Error, Result};
pub use fapiao_values::{div_round_half_up, Fen, Quantity, Rate, UnitPrice, DECIMALS};

fn out_of_range(field: &str) -> Error {
    fapiao_values::Error::out_of_range(field).into()
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
