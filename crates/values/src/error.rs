//! The crate's one error: a value out of its grammar or range, with a stable
//! [`Error::code`] and the [`Error::field`] at fault.
//!
//! Parsers do not know where their input came from; they name a generic field
//! (`amount`, `quantity`, `unit_price`) and the caller re-targets it with [`Error::at`].

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
}

impl Error {
    /// Every code [`Error::code`] returns.
    pub const CODES: &'static [&'static str] =
        &["bad_amount", "negative_amount", "amount_out_of_range", "bad_quantity", "bad_unit_price"];

    /// The stable snake_case code of the rule broken.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadAmount { .. } => "bad_amount",
            Self::NegativeAmount { .. } => "negative_amount",
            Self::AmountOutOfRange { .. } => "amount_out_of_range",
            Self::BadQuantity { .. } => "bad_quantity",
            Self::BadUnitPrice { .. } => "bad_unit_price",
        }
    }

    /// The field at fault.
    pub fn field(&self) -> &str {
        match self {
            Self::BadAmount { field, .. }
            | Self::NegativeAmount { field }
            | Self::AmountOutOfRange { field }
            | Self::BadQuantity { field, .. }
            | Self::BadUnitPrice { field, .. } => field,
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
            | Self::BadUnitPrice { field, .. } => *field = at,
        }
        self
    }

    /// `amount_out_of_range` at `field`.
    pub fn out_of_range(field: impl Into<String>) -> Self {
        Self::AmountOutOfRange { field: field.into() }
    }
}

/// Result with the crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
