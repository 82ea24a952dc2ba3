//! The one error type of this crate: every refused input names the rule it broke
//! (a stable snake_case [`Error::code`]) and the field at fault (a path such as
//! `lines[2].tax`, `buyer.tax_id` or `total_with_tax`, see [`Error::field`]).
//!
//! Low-level parsers (for example [`Fen::parse`](crate::Fen::parse)) do not know where
//! their input came from; they report a generic field name (`amount`, `rate`, …) and the
//! caller re-targets the error with [`Error::at`]. Line indices in paths are 0-based, as
//! in the JSON array they point into.
//!
//! Messages never echo identifiers (a resident ID is personal data), only the rule.

use crate::{
    money::Fen,
    rates::{RateCode, SellerType},
};

/// Why an amount, identifier, rate, line, document or number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value refused by its type in `fapiao-values` (money, quantity, unit price, rate,
    /// date, month, USCC, resident ID, VIN, invoice number, seller type, invoice kind:
    /// `bad_amount`, `bad_rate`, `bad_uscc`, … see `fapiao_values::Error::CODES`), with its
    /// code and field.
    #[error(transparent)]
    Value(#[from] fapiao_values::Error),
    /// An amount in capitals is not a legal spelling (`bad_capitals`).
    #[error("{field}: not a legal amount in capitals ({reason})")]
    BadCapitals {
        /// Field at fault.
        field: String,
        /// What is wrong with the text.
        reason: &'static str,
    },
    /// An amount in capitals reads as a different amount than the figures
    /// (`capitals_mismatch`).
    #[error("{field}: capitals read {found}, figures say {expected}")]
    CapitalsMismatch {
        /// Field at fault.
        field: String,
        /// The amount in figures.
        expected: Fen,
        /// The amount the capitals spell.
        found: Fen,
    },
    /// No configured rate has this value (`unknown_rate`).
    #[error("{field}: unknown rate {rate}")]
    UnknownRate {
        /// Field at fault.
        field: String,
        /// The rate asked for.
        rate: RateCode,
    },
    /// The rate exists but is not in force on the date (`rate_not_effective`).
    #[error("{field}: rate {rate} is not in force on {date}")]
    RateNotEffective {
        /// Field at fault.
        field: String,
        /// The rate asked for.
        rate: RateCode,
        /// The `yyyymmdd` date whose rates apply.
        date: u32,
    },
    /// The rate is in force but not for this kind of seller, e.g. 13% for a small-scale
    /// taxpayer (`rate_not_allowed_for_seller`).
    #[error("{field}: rate {rate} is not allowed for a {seller_type} seller")]
    RateNotAllowedForSeller {
        /// Field at fault.
        field: String,
        /// The rate asked for.
        rate: RateCode,
        /// The seller's type.
        seller_type: SellerType,
    },
    /// A rate configuration entry is inconsistent or overlaps another (`bad_rate_config`).
    #[error("{field}: invalid rate configuration ({reason})")]
    BadRateConfig {
        /// Entry at fault, e.g. `rates[3]`.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A line name is not of the `*category*name` form or too long (`bad_name`).
    #[error("{field}: line name must be *category*name ({reason})")]
    BadName {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A free-text field (specification, unit) is too long or has control characters
    /// (`bad_text`).
    #[error("{field}: unacceptable text ({reason})")]
    BadText {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A tax classification code is not 19 digits starting with 1–6 (`bad_tax_code`).
    #[error("{field}: tax classification code must be 19 digits starting with 1-6")]
    BadTaxCode {
        /// Field at fault.
        field: String,
    },
    /// Quantity without unit price or unit price without quantity
    /// (`incomplete_quantity_price`).
    #[error("{field}: quantity and unit price go together")]
    IncompleteQuantityPrice {
        /// The missing field.
        field: String,
    },
    /// Neither amount, nor quantity and unit price, nor gross is given (`amount_required`).
    #[error("{field}: an amount, a quantity with a unit price, or a gross is required")]
    AmountRequired {
        /// Field at fault.
        field: String,
    },
    /// A given amount differs from the one computed from quantity × price or from gross
    /// (`amount_mismatch`).
    #[error("{field}: amount {found} differs from the computed {expected}")]
    AmountMismatch {
        /// Field at fault.
        field: String,
        /// The computed amount.
        expected: Fen,
        /// The given amount.
        found: Fen,
    },
    /// A given tax is off by more than the per-line tolerance (±0.06 yuan) from
    /// amount × rate, or differs from gross − amount (`line_tax_mismatch`).
    #[error("{field}: tax {found} does not match the computed {expected}")]
    LineTaxMismatch {
        /// Field at fault.
        field: String,
        /// The computed tax.
        expected: Fen,
        /// The given tax.
        found: Fen,
    },
    /// A zero-rate, exempt or out-of-scope line carries a non-zero tax (`tax_must_be_zero`).
    #[error("{field}: must be zero at this rate")]
    TaxMustBeZero {
        /// Field at fault.
        field: String,
    },
    /// A tax has the opposite sign of its amount (`tax_sign_mismatch`).
    #[error("{field}: tax and amount have opposite signs")]
    TaxSignMismatch {
        /// Field at fault.
        field: String,
    },
    /// A line of a blue invoice (other than a discount line) is zero or negative
    /// (`non_positive_amount`).
    #[error("{field}: must be positive on a blue invoice")]
    NonPositiveAmount {
        /// Field at fault.
        field: String,
    },
    /// A line of a red invoice is zero or positive (`red_amount_not_negative`).
    #[error("{field}: must be negative on a red invoice")]
    RedAmountNotNegative {
        /// Field at fault.
        field: String,
    },
    /// A discount line is zero or positive (`discount_not_negative`).
    #[error("{field}: a discount line must be negative")]
    DiscountNotNegative {
        /// Field at fault.
        field: String,
    },
    /// A discount line does not immediately follow an ordinary line
    /// (`discount_without_line`).
    #[error("{field}: a discount line must immediately follow the line it discounts")]
    DiscountWithoutLine {
        /// Field at fault.
        field: String,
    },
    /// A discount line's name differs from its line's (`discount_name_mismatch`).
    #[error("{field}: a discount line carries the name of its line")]
    DiscountNameMismatch {
        /// Field at fault.
        field: String,
    },
    /// A discount line's rate differs from its line's (`discount_rate_mismatch`).
    #[error("{field}: a discount line carries the rate of its line")]
    DiscountRateMismatch {
        /// Field at fault.
        field: String,
    },
    /// A discount line's classification code differs from its line's
    /// (`discount_tax_code_mismatch`).
    #[error("{field}: a discount line carries the classification code of its line")]
    DiscountTaxCodeMismatch {
        /// Field at fault.
        field: String,
    },
    /// A discount exceeds the amount or tax of its line (`discount_exceeds_line`).
    #[error("{field}: the discount exceeds its line")]
    DiscountExceedsLine {
        /// Field at fault.
        field: String,
    },
    /// A red invoice carries a discount line (`discount_on_red`).
    #[error("{field}: a red invoice has no discount lines")]
    DiscountOnRed {
        /// Field at fault.
        field: String,
    },
    /// An invoice without lines (`no_lines`).
    #[error("{field}: an invoice needs at least one line")]
    NoLines {
        /// Field at fault (`lines`).
        field: String,
    },
    /// More lines than the policy allows (`too_many_lines`).
    #[error("{field}: more than {max} lines")]
    TooManyLines {
        /// Field at fault (`lines`).
        field: String,
        /// The policy's maximum.
        max: usize,
    },
    /// Σ line tax is further than the policy tolerance from the tax recomputed per rate
    /// on the summed amounts (`document_tax_tolerance_exceeded`).
    #[error(
        "{field}: line taxes differ by {difference} from the tax per rate (tolerance {tolerance})"
    )]
    DocumentTaxToleranceExceeded {
        /// Field at fault (`total_tax`).
        field: String,
        /// Σ line tax − Σ recomputed tax.
        difference: Fen,
        /// The policy tolerance.
        tolerance: Fen,
    },
    /// A declared total differs from the exact sum (`totals_mismatch`).
    #[error("{field}: declared {found}, lines sum to {expected}")]
    TotalsMismatch {
        /// Field at fault (`total_amount`, `total_tax` or `total_with_tax`).
        field: String,
        /// The exact sum.
        expected: Fen,
        /// The declared total.
        found: Fen,
    },
    /// A special VAT invoice (专票) without the buyer's taxpayer ID
    /// (`buyer_tax_id_required`).
    #[error("{field}: a special VAT invoice needs the buyer's taxpayer ID")]
    BuyerTaxIdRequired {
        /// Field at fault (`buyer.tax_id`).
        field: String,
    },
    /// An exempt line on a special VAT invoice (`exempt_on_special`).
    #[error("{field}: exempt sales cannot be invoiced on a special VAT invoice")]
    ExemptOnSpecial {
        /// Field at fault.
        field: String,
    },
    /// No configured region covers this administrative division (`unknown_region`).
    #[error("{field}: no invoice-number region for this division code")]
    UnknownRegion {
        /// Field at fault.
        field: String,
    },
    /// A region table entry is malformed or duplicated (`bad_region_config`).
    #[error("{field}: invalid region configuration ({reason})")]
    BadRegionConfig {
        /// Entry at fault, e.g. `regions[4]`.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Every stable code [`Error::code`] can return, for documentation and API tables.
pub const ERROR_CODES: &[&str] = &[
    "bad_amount",
    "negative_amount",
    "amount_out_of_range",
    "bad_rate",
    "bad_quantity",
    "bad_unit_price",
    "bad_date",
    "bad_uscc",
    "bad_resident_id",
    "bad_capitals",
    "capitals_mismatch",
    "unknown_rate",
    "rate_not_effective",
    "rate_not_allowed_for_seller",
    "bad_rate_config",
    "bad_name",
    "bad_text",
    "bad_tax_code",
    "incomplete_quantity_price",
    "amount_required",
    "amount_mismatch",
    "line_tax_mismatch",
    "tax_must_be_zero",
    "tax_sign_mismatch",
    "non_positive_amount",
    "red_amount_not_negative",
    "discount_not_negative",
    "discount_without_line",
    "discount_name_mismatch",
    "discount_rate_mismatch",
    "discount_tax_code_mismatch",
    "discount_exceeds_line",
    "discount_on_red",
    "no_lines",
    "too_many_lines",
    "document_tax_tolerance_exceeded",
    "totals_mismatch",
    "buyer_tax_id_required",
    "exempt_on_special",
    "bad_invoice_number",
    "bad_region_code",
    "unknown_region",
    "bad_region_config",
    "bad_month",
    "bad_vin",
    "unknown_variant",
];

impl Error {
    /// The stable snake_case code of the rule that was broken (see [`ERROR_CODES`]).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Value(e) => e.code(),
            Self::BadCapitals { .. } => "bad_capitals",
            Self::CapitalsMismatch { .. } => "capitals_mismatch",
            Self::UnknownRate { .. } => "unknown_rate",
            Self::RateNotEffective { .. } => "rate_not_effective",
            Self::RateNotAllowedForSeller { .. } => "rate_not_allowed_for_seller",
            Self::BadRateConfig { .. } => "bad_rate_config",
            Self::BadName { .. } => "bad_name",
            Self::BadText { .. } => "bad_text",
            Self::BadTaxCode { .. } => "bad_tax_code",
            Self::IncompleteQuantityPrice { .. } => "incomplete_quantity_price",
            Self::AmountRequired { .. } => "amount_required",
            Self::AmountMismatch { .. } => "amount_mismatch",
            Self::LineTaxMismatch { .. } => "line_tax_mismatch",
            Self::TaxMustBeZero { .. } => "tax_must_be_zero",
            Self::TaxSignMismatch { .. } => "tax_sign_mismatch",
            Self::NonPositiveAmount { .. } => "non_positive_amount",
            Self::RedAmountNotNegative { .. } => "red_amount_not_negative",
            Self::DiscountNotNegative { .. } => "discount_not_negative",
            Self::DiscountWithoutLine { .. } => "discount_without_line",
            Self::DiscountNameMismatch { .. } => "discount_name_mismatch",
            Self::DiscountRateMismatch { .. } => "discount_rate_mismatch",
            Self::DiscountTaxCodeMismatch { .. } => "discount_tax_code_mismatch",
            Self::DiscountExceedsLine { .. } => "discount_exceeds_line",
            Self::DiscountOnRed { .. } => "discount_on_red",
            Self::NoLines { .. } => "no_lines",
            Self::TooManyLines { .. } => "too_many_lines",
            Self::DocumentTaxToleranceExceeded { .. } => "document_tax_tolerance_exceeded",
            Self::TotalsMismatch { .. } => "totals_mismatch",
            Self::BuyerTaxIdRequired { .. } => "buyer_tax_id_required",
            Self::ExemptOnSpecial { .. } => "exempt_on_special",
            Self::UnknownRegion { .. } => "unknown_region",
            Self::BadRegionConfig { .. } => "bad_region_config",
        }
    }

    /// The field at fault, as a path (`lines[2].tax`, `buyer.tax_id`, `total_with_tax`).
    pub fn field(&self) -> &str {
        match self {
            Self::Value(e) => e.field(),
            Self::BadCapitals { field, .. }
            | Self::CapitalsMismatch { field, .. }
            | Self::UnknownRate { field, .. }
            | Self::RateNotEffective { field, .. }
            | Self::RateNotAllowedForSeller { field, .. }
            | Self::BadRateConfig { field, .. }
            | Self::BadName { field, .. }
            | Self::BadText { field, .. }
            | Self::BadTaxCode { field }
            | Self::IncompleteQuantityPrice { field }
            | Self::AmountRequired { field }
            | Self::AmountMismatch { field, .. }
            | Self::LineTaxMismatch { field, .. }
            | Self::TaxMustBeZero { field }
            | Self::TaxSignMismatch { field }
            | Self::NonPositiveAmount { field }
            | Self::RedAmountNotNegative { field }
            | Self::DiscountNotNegative { field }
            | Self::DiscountWithoutLine { field }
            | Self::DiscountNameMismatch { field }
            | Self::DiscountRateMismatch { field }
            | Self::DiscountTaxCodeMismatch { field }
            | Self::DiscountExceedsLine { field }
            | Self::DiscountOnRed { field }
            | Self::NoLines { field }
            | Self::TooManyLines { field, .. }
            | Self::DocumentTaxToleranceExceeded { field, .. }
            | Self::TotalsMismatch { field, .. }
            | Self::BuyerTaxIdRequired { field }
            | Self::ExemptOnSpecial { field }
            | Self::UnknownRegion { field }
            | Self::BadRegionConfig { field, .. } => field,
        }
    }

    /// The same error, re-targeted at `field` (a caller that knows where a value came from
    /// names it: `Fen::parse(s).map_err(|e| e.at("lines[0].amount"))`).
    #[must_use]
    pub fn at(mut self, field: impl Into<String>) -> Self {
        if let Self::Value(e) = self {
            return Self::Value(e.at(field));
        }
        if let Some(f) = self.field_mut() {
            *f = field.into();
        }
        self
    }

    /// The field of every refusal but a value type's (which re-targets itself).
    fn field_mut(&mut self) -> Option<&mut String> {
        match self {
            Self::Value(_) => None,
            Self::BadCapitals { field, .. }
            | Self::CapitalsMismatch { field, .. }
            | Self::UnknownRate { field, .. }
            | Self::RateNotEffective { field, .. }
            | Self::RateNotAllowedForSeller { field, .. }
            | Self::BadRateConfig { field, .. }
            | Self::BadName { field, .. }
            | Self::BadText { field, .. }
            | Self::BadTaxCode { field }
            | Self::IncompleteQuantityPrice { field }
            | Self::AmountRequired { field }
            | Self::AmountMismatch { field, .. }
            | Self::LineTaxMismatch { field, .. }
            | Self::TaxMustBeZero { field }
            | Self::TaxSignMismatch { field }
            | Self::NonPositiveAmount { field }
            | Self::RedAmountNotNegative { field }
            | Self::DiscountNotNegative { field }
            | Self::DiscountWithoutLine { field }
            | Self::DiscountNameMismatch { field }
            | Self::DiscountRateMismatch { field }
            | Self::DiscountTaxCodeMismatch { field }
            | Self::DiscountExceedsLine { field }
            | Self::DiscountOnRed { field }
            | Self::NoLines { field }
            | Self::TooManyLines { field, .. }
            | Self::DocumentTaxToleranceExceeded { field, .. }
            | Self::TotalsMismatch { field, .. }
            | Self::BuyerTaxIdRequired { field }
            | Self::ExemptOnSpecial { field }
            | Self::UnknownRegion { field }
            | Self::BadRegionConfig { field, .. } => Some(field),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ERROR_CODES {
            assert!(seen.insert(*code), "duplicate {code}");
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code}");
        }
    }

    #[test]
    fn every_value_type_code_is_listed() {
        for code in fapiao_values::Error::CODES {
            assert!(ERROR_CODES.contains(code), "{code}");
        }
    }

    #[test]
    fn at_retargets_the_field() {
        let e =
            Error::from(fapiao_values::Error::BadAmount { field: "amount".into(), reason: "x" })
                .at("lines[2].amount");
        assert_eq!(e.field(), "lines[2].amount");
        assert_eq!(e.code(), "bad_amount");
        assert!(ERROR_CODES.contains(&e.code()));
    }
}
