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
    refusal::Code,
};
use fapiao_values::{Refusal, Refused};

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
    /// An amount in capitals is not a legal spelling (`invoice.bad_capitals`).
    #[error("{field}: not a legal amount in capitals ({reason})")]
    BadCapitals {
        /// Field at fault.
        field: String,
        /// What is wrong with the text.
        reason: &'static str,
    },
    /// An amount in capitals reads as a different amount than the figures
    /// (`invoice.capitals_mismatch`).
    #[error("{field}: capitals read {found}, figures say {expected}")]
    CapitalsMismatch {
        /// Field at fault.
        field: String,
        /// The amount in figures.
        expected: Fen,
        /// The amount the capitals spell.
        found: Fen,
    },
    /// No configured rate has this value (`invoice.unknown_rate`).
    #[error("{field}: unknown rate {rate}")]
    UnknownRate {
        /// Field at fault.
        field: String,
        /// The rate asked for.
        rate: RateCode,
    },
    /// The rate exists but is not in force on the date (`invoice.rate_not_effective`).
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
    /// taxpayer (`invoice.rate_not_allowed_for_seller`).
    #[error("{field}: rate {rate} is not allowed for a {seller_type} seller")]
    RateNotAllowedForSeller {
        /// Field at fault.
        field: String,
        /// The rate asked for.
        rate: RateCode,
        /// The seller's type.
        seller_type: SellerType,
    },
    /// A rate configuration entry is inconsistent or overlaps another (`invoice.bad_rate_config`).
    #[error("{field}: invalid rate configuration ({reason})")]
    BadRateConfig {
        /// Entry at fault, e.g. `rates[3]`.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A line name is not of the `*category*name` form or too long (`invoice.bad_name`).
    #[error("{field}: line name must be *category*name ({reason})")]
    BadName {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A free-text field (specification, unit) is too long or has control characters
    /// (`invoice.bad_text`).
    #[error("{field}: unacceptable text ({reason})")]
    BadText {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A tax classification code is not 19 digits starting with 1–6 (`invoice.bad_tax_code`).
    #[error("{field}: tax classification code must be 19 digits starting with 1-6")]
    BadTaxCode {
        /// Field at fault.
        field: String,
    },
    /// Quantity without unit price or unit price without quantity
    /// (`invoice.incomplete_quantity_price`).
    #[error("{field}: quantity and unit price go together")]
    IncompleteQuantityPrice {
        /// The missing field.
        field: String,
    },
    /// Neither amount, nor quantity and unit price, nor gross is given (`invoice.amount_required`).
    #[error("{field}: an amount, a quantity with a unit price, or a gross is required")]
    AmountRequired {
        /// Field at fault.
        field: String,
    },
    /// A given amount differs from the one computed from quantity × price or from gross
    /// (`invoice.amount_mismatch`).
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
    /// amount × rate, or differs from gross − amount (`invoice.line_tax_mismatch`).
    #[error("{field}: tax {found} does not match the computed {expected}")]
    LineTaxMismatch {
        /// Field at fault.
        field: String,
        /// The computed tax.
        expected: Fen,
        /// The given tax.
        found: Fen,
    },
    /// A zero-rate, exempt or out-of-scope line carries a non-zero tax (`invoice.tax_must_be_zero`).
    #[error("{field}: must be zero at this rate")]
    TaxMustBeZero {
        /// Field at fault.
        field: String,
    },
    /// A tax has the opposite sign of its amount (`invoice.tax_sign_mismatch`).
    #[error("{field}: tax and amount have opposite signs")]
    TaxSignMismatch {
        /// Field at fault.
        field: String,
    },
    /// A line of a blue invoice (other than a discount line) is zero or negative
    /// (`invoice.non_positive_amount`).
    #[error("{field}: must be positive on a blue invoice")]
    NonPositiveAmount {
        /// Field at fault.
        field: String,
    },
    /// A line of a red invoice is zero or positive (`invoice.red_amount_not_negative`).
    #[error("{field}: must be negative on a red invoice")]
    RedAmountNotNegative {
        /// Field at fault.
        field: String,
    },
    /// A discount line is zero or positive (`invoice.discount_not_negative`).
    #[error("{field}: a discount line must be negative")]
    DiscountNotNegative {
        /// Field at fault.
        field: String,
    },
    /// A discount line does not immediately follow an ordinary line
    /// (`invoice.discount_without_line`).
    #[error("{field}: a discount line must immediately follow the line it discounts")]
    DiscountWithoutLine {
        /// Field at fault.
        field: String,
    },
    /// A discount line's name differs from its line's (`invoice.discount_name_mismatch`).
    #[error("{field}: a discount line carries the name of its line")]
    DiscountNameMismatch {
        /// Field at fault.
        field: String,
    },
    /// A discount line's rate differs from its line's (`invoice.discount_rate_mismatch`).
    #[error("{field}: a discount line carries the rate of its line")]
    DiscountRateMismatch {
        /// Field at fault.
        field: String,
    },
    /// A discount line's classification code differs from its line's
    /// (`invoice.discount_tax_code_mismatch`).
    #[error("{field}: a discount line carries the classification code of its line")]
    DiscountTaxCodeMismatch {
        /// Field at fault.
        field: String,
    },
    /// A discount exceeds the amount or tax of its line (`invoice.discount_exceeds_line`).
    #[error("{field}: the discount exceeds its line")]
    DiscountExceedsLine {
        /// Field at fault.
        field: String,
    },
    /// A red invoice carries a discount line (`invoice.discount_on_red`).
    #[error("{field}: a red invoice has no discount lines")]
    DiscountOnRed {
        /// Field at fault.
        field: String,
    },
    /// An invoice without lines (`invoice.no_lines`).
    #[error("{field}: an invoice needs at least one line")]
    NoLines {
        /// Field at fault (`lines`).
        field: String,
    },
    /// More lines than the policy allows (`invoice.too_many_lines`).
    #[error("{field}: more than {max} lines")]
    TooManyLines {
        /// Field at fault (`lines`).
        field: String,
        /// The policy's maximum.
        max: usize,
    },
    /// Σ line tax is further than the policy tolerance from the tax recomputed per rate
    /// on the summed amounts (`invoice.document_tax_tolerance_exceeded`).
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
    /// A declared total differs from the exact sum (`invoice.totals_mismatch`).
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
    /// (`invoice.buyer_tax_id_required`).
    #[error("{field}: a special VAT invoice needs the buyer's taxpayer ID")]
    BuyerTaxIdRequired {
        /// Field at fault (`buyer.tax_id`).
        field: String,
    },
    /// An exempt line on a special VAT invoice (`invoice.exempt_on_special`).
    #[error("{field}: exempt sales cannot be invoiced on a special VAT invoice")]
    ExemptOnSpecial {
        /// Field at fault.
        field: String,
    },
    /// No configured region covers this administrative division (`invoice.unknown_region`).
    #[error("{field}: no invoice-number region for this division code")]
    UnknownRegion {
        /// Field at fault.
        field: String,
    },
    /// A region table entry is malformed or duplicated (`invoice.bad_region_config`).
    #[error("{field}: invalid region configuration ({reason})")]
    BadRegionConfig {
        /// Entry at fault, e.g. `regions[4]`.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
}

impl Refused for Error {
    fn refusal(&self) -> &'static Refusal {
        Error::refusal(self)
    }
    fn field(&self) -> &str {
        Error::field(self)
    }
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Every code of [`Code`] this crate's rules return (the other codes of the table are the
/// lifecycle's, in `fapiao-invoice`).
pub const RULE_CODES: &[Code] = &[
    Code::BadCapitals,
    Code::CapitalsMismatch,
    Code::UnknownRate,
    Code::RateNotEffective,
    Code::RateNotAllowedForSeller,
    Code::BadRateConfig,
    Code::BadName,
    Code::BadText,
    Code::BadTaxCode,
    Code::IncompleteQuantityPrice,
    Code::AmountRequired,
    Code::AmountMismatch,
    Code::LineTaxMismatch,
    Code::TaxMustBeZero,
    Code::TaxSignMismatch,
    Code::NonPositiveAmount,
    Code::RedAmountNotNegative,
    Code::DiscountNotNegative,
    Code::DiscountWithoutLine,
    Code::DiscountNameMismatch,
    Code::DiscountRateMismatch,
    Code::DiscountTaxCodeMismatch,
    Code::DiscountExceedsLine,
    Code::DiscountOnRed,
    Code::NoLines,
    Code::TooManyLines,
    Code::DocumentTaxToleranceExceeded,
    Code::TotalsMismatch,
    Code::BuyerTaxIdRequired,
    Code::ExemptOnSpecial,
    Code::UnknownRegion,
    Code::BadRegionConfig,
];

impl Error {
    /// The declared refusal of the rule that was broken (a value's, or [`Code`]).
    pub fn refusal(&self) -> &'static Refusal {
        match self {
            Self::Value(e) => e.kind().refusal(),
            Self::BadCapitals { .. } => Code::BadCapitals.refusal(),
            Self::CapitalsMismatch { .. } => Code::CapitalsMismatch.refusal(),
            Self::UnknownRate { .. } => Code::UnknownRate.refusal(),
            Self::RateNotEffective { .. } => Code::RateNotEffective.refusal(),
            Self::RateNotAllowedForSeller { .. } => Code::RateNotAllowedForSeller.refusal(),
            Self::BadRateConfig { .. } => Code::BadRateConfig.refusal(),
            Self::BadName { .. } => Code::BadName.refusal(),
            Self::BadText { .. } => Code::BadText.refusal(),
            Self::BadTaxCode { .. } => Code::BadTaxCode.refusal(),
            Self::IncompleteQuantityPrice { .. } => Code::IncompleteQuantityPrice.refusal(),
            Self::AmountRequired { .. } => Code::AmountRequired.refusal(),
            Self::AmountMismatch { .. } => Code::AmountMismatch.refusal(),
            Self::LineTaxMismatch { .. } => Code::LineTaxMismatch.refusal(),
            Self::TaxMustBeZero { .. } => Code::TaxMustBeZero.refusal(),
            Self::TaxSignMismatch { .. } => Code::TaxSignMismatch.refusal(),
            Self::NonPositiveAmount { .. } => Code::NonPositiveAmount.refusal(),
            Self::RedAmountNotNegative { .. } => Code::RedAmountNotNegative.refusal(),
            Self::DiscountNotNegative { .. } => Code::DiscountNotNegative.refusal(),
            Self::DiscountWithoutLine { .. } => Code::DiscountWithoutLine.refusal(),
            Self::DiscountNameMismatch { .. } => Code::DiscountNameMismatch.refusal(),
            Self::DiscountRateMismatch { .. } => Code::DiscountRateMismatch.refusal(),
            Self::DiscountTaxCodeMismatch { .. } => Code::DiscountTaxCodeMismatch.refusal(),
            Self::DiscountExceedsLine { .. } => Code::DiscountExceedsLine.refusal(),
            Self::DiscountOnRed { .. } => Code::DiscountOnRed.refusal(),
            Self::NoLines { .. } => Code::NoLines.refusal(),
            Self::TooManyLines { .. } => Code::TooManyLines.refusal(),
            Self::DocumentTaxToleranceExceeded { .. } => {
                Code::DocumentTaxToleranceExceeded.refusal()
            }
            Self::TotalsMismatch { .. } => Code::TotalsMismatch.refusal(),
            Self::BuyerTaxIdRequired { .. } => Code::BuyerTaxIdRequired.refusal(),
            Self::ExemptOnSpecial { .. } => Code::ExemptOnSpecial.refusal(),
            Self::UnknownRegion { .. } => Code::UnknownRegion.refusal(),
            Self::BadRegionConfig { .. } => Code::BadRegionConfig.refusal(),
        }
    }

    /// The stable code of the rule that was broken (`invoice.totals_mismatch`, or a
    /// value's: `bad_amount`).
    pub fn code(&self) -> &'static str {
        self.refusal().code
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
    fn rule_codes_are_unique_and_in_the_table() {
        let mut seen = std::collections::BTreeSet::new();
        for code in RULE_CODES {
            assert!(seen.insert(*code), "duplicate {code:?}");
            assert!(code.code().starts_with("invoice."), "{code:?}");
        }
    }

    #[test]
    fn at_retargets_the_field() {
        let e =
            Error::from(fapiao_values::Error::BadAmount { field: "amount".into(), reason: "x" })
                .at("lines[2].amount");
        assert_eq!(e.field(), "lines[2].amount");
        assert_eq!(e.code(), "bad_amount");
        assert_eq!(e.refusal(), fapiao_values::refusal::Code::BadAmount.refusal());
    }
}
