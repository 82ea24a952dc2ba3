//! The crate's one error: a value out of its grammar or range, with a stable
//! [`Error::code`] and the [`Error::field`] at fault.
//!
//! Parsers do not know where their input came from; they name a generic field
//! (`amount`, `quantity`, `tax_id`, `number`, …) and the caller re-targets it with
//! [`Error::at`]. Messages never echo the refused text (a resident ID is personal data),
//! only the rule.

use crate::refusal::Code;

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A money string is not a plain decimal with at most two decimals (`bad_amount`).
    #[error("{field}: malformed amount ({reason})")]
    BadAmount {
        /// Field at fault.
        field: String,
        /// What is wrong with the text.
        reason: &'static str,
    },
    /// A minus sign where only non-negative amounts are allowed (`negative_amount`).
    #[error("{field}: must not be negative")]
    NegativeAmount {
        /// Field at fault.
        field: String,
    },
    /// An amount, a sum, a difference or a product leaves DECIMAL(18,2)
    /// (`amount_out_of_range`).
    #[error("{field}: amount outside DECIMAL(18,2)")]
    AmountOutOfRange {
        /// Field at fault.
        field: String,
    },
    /// A quantity is not a decimal with at most eight decimals and 16 integer digits
    /// (`bad_quantity`).
    #[error("{field}: malformed quantity ({reason})")]
    BadQuantity {
        /// Field at fault.
        field: String,
        /// What is wrong with the text.
        reason: &'static str,
    },
    /// A unit price is not a non-negative decimal with at most eight decimals and 16
    /// integer digits (`bad_unit_price`).
    #[error("{field}: malformed unit price ({reason})")]
    BadUnitPrice {
        /// Field at fault.
        field: String,
        /// What is wrong with the text.
        reason: &'static str,
    },
    /// A rate is not an exact decimal in `0..=1` with at most four decimals (`bad_rate`).
    #[error("{field}: malformed rate ({reason})")]
    BadRate {
        /// Field at fault.
        field: String,
        /// What is wrong with the text.
        reason: &'static str,
    },
    /// A date is not a calendar date of years 1000–9999 (`bad_date`).
    #[error("{field}: not a valid date ({reason})")]
    BadDate {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A month is not `yyyy-mm` of years 1900–9999 (`bad_month`).
    #[error("{field}: not a valid month ({reason})")]
    BadMonth {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A Unified Social Credit Code fails its format or one of its two checks (`bad_uscc`).
    #[error("{field}: invalid unified social credit code ({reason})")]
    BadUscc {
        /// Field at fault.
        field: String,
        /// Which check failed.
        reason: &'static str,
    },
    /// A resident identity number fails its format, birth date or check (`bad_resident_id`).
    #[error("{field}: invalid resident identity number ({reason})")]
    BadResidentId {
        /// Field at fault.
        field: String,
        /// Which check failed.
        reason: &'static str,
    },
    /// A vehicle identification number fails its format or check digit (`bad_vin`).
    #[error("{field}: invalid vehicle identification number ({reason})")]
    BadVin {
        /// Field at fault.
        field: String,
        /// Which check failed.
        reason: &'static str,
    },
    /// An administrative division code is not six digits (`bad_region_code`).
    #[error("{field}: malformed region code ({reason})")]
    BadRegionCode {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// An invoice number or one of its parts is malformed (`bad_invoice_number`).
    #[error("{field}: malformed invoice number ({reason})")]
    BadInvoiceNumber {
        /// Field at fault.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A name is not one of an enumeration's (`unknown_variant`): a seller type, an
    /// invoice kind.
    #[error("{field}: unknown value (expected one of {expected})")]
    UnknownVariant {
        /// Field at fault.
        field: String,
        /// The accepted names, comma-separated.
        expected: &'static str,
    },
}

impl Error {
    /// The declared refusal this error is (see [`crate::refusal`]).
    pub fn kind(&self) -> Code {
        match self {
            Self::BadAmount { .. } => Code::BadAmount,
            Self::NegativeAmount { .. } => Code::NegativeAmount,
            Self::AmountOutOfRange { .. } => Code::AmountOutOfRange,
            Self::BadQuantity { .. } => Code::BadQuantity,
            Self::BadUnitPrice { .. } => Code::BadUnitPrice,
            Self::BadRate { .. } => Code::BadRate,
            Self::BadDate { .. } => Code::BadDate,
            Self::BadMonth { .. } => Code::BadMonth,
            Self::BadUscc { .. } => Code::BadUscc,
            Self::BadResidentId { .. } => Code::BadResidentId,
            Self::BadVin { .. } => Code::BadVin,
            Self::BadRegionCode { .. } => Code::BadRegionCode,
            Self::BadInvoiceNumber { .. } => Code::BadInvoiceNumber,
            Self::UnknownVariant { .. } => Code::UnknownVariant,
        }
    }

    /// The stable snake_case code of the rule broken.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The field at fault.
    pub fn field(&self) -> &str {
        match self {
            Self::BadAmount { field, .. }
            | Self::NegativeAmount { field }
            | Self::AmountOutOfRange { field }
            | Self::BadQuantity { field, .. }
            | Self::BadUnitPrice { field, .. }
            | Self::BadRate { field, .. }
            | Self::BadDate { field, .. }
            | Self::BadMonth { field, .. }
            | Self::BadUscc { field, .. }
            | Self::BadResidentId { field, .. }
            | Self::BadVin { field, .. }
            | Self::BadRegionCode { field, .. }
            | Self::BadInvoiceNumber { field, .. }
            | Self::UnknownVariant { field, .. } => field,
        }
    }

    /// The same refusal, blamed on `field`.
    #[must_use]
    pub fn at(mut self, at: impl Into<String>) -> Self {
        let at = at.into();
        match &mut self {
            Self::BadAmount { field, .. }
            | Self::NegativeAmount { field }
            | Self::AmountOutOfRange { field }
            | Self::BadQuantity { field, .. }
            | Self::BadUnitPrice { field, .. }
            | Self::BadRate { field, .. }
            | Self::BadDate { field, .. }
            | Self::BadMonth { field, .. }
            | Self::BadUscc { field, .. }
            | Self::BadResidentId { field, .. }
            | Self::BadVin { field, .. }
            | Self::BadRegionCode { field, .. }
            | Self::BadInvoiceNumber { field, .. }
            | Self::UnknownVariant { field, .. } => *field = at,
        }
        self
    }

    /// `amount_out_of_range` at `field`.
    pub fn out_of_range(field: impl Into<String>) -> Self {
        Self::AmountOutOfRange { field: field.into() }
    }
}

impl crate::refusal::Refused for Error {
    fn refusal(&self) -> &'static crate::Refusal {
        self.kind().refusal()
    }
    fn field(&self) -> &str {
        Error::field(self)
    }
}

/// Result with the crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_listed() {
        let mut seen = std::collections::BTreeSet::new();
        for r in Code::ALL {
            assert!(seen.insert(r.code), "duplicate {}", r.code);
        }
        let e = Error::BadVin { field: "vin".into(), reason: "x" }.at("industry.vin");
        assert_eq!((e.code(), e.field()), ("bad_vin", "industry.vin"));
        assert!(Code::ALL.iter().any(|r| r.code == e.code()));
    }
}
