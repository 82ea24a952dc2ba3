//! The finance application's state keys: [`FinanceKey`].
//!
//! Each is a path `kind/rest` (docs/formats.md §25.2), stored as a [`StateKey::App`]:
//! `loan/<id>` (the applying transaction's hash), `loan-grant/<grant id>` (the loan a
//! tax-chain grant was used for: one application per grant), `financing/<number>` (one
//! financing per invoice, whichever bank) and `finance-alert/<id>` (the reporting
//! transaction's hash). Lists by bank are derived index tables, not state.

use core::fmt;
use fapiao_types::{hex32, parse_hex32, AppKey, Error, Hash32, Result, StateKey};
use fapiao_values::InvoiceNumber;

/// A key of the finance application's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FinanceKey {
    /// A loan application, by id.
    Loan(Hash32),
    /// The loan applied for under a tax-chain disclosure grant, by the grant's id.
    LoanGrant(Hash32),
    /// The financing of an invoice, by its number.
    Financing(InvoiceNumber),
    /// An alert to a bank, by id.
    Alert(Hash32),
}

impl FinanceKey {
    /// Every key kind the finance application owns.
    pub const KINDS: &'static [&'static str] =
        &["loan", "loan-grant", "financing", "finance-alert"];

    /// Its kind.
    pub fn kind(&self) -> &'static str {
        match self {
            FinanceKey::Loan(_) => "loan",
            FinanceKey::LoanGrant(_) => "loan-grant",
            FinanceKey::Financing(_) => "financing",
            FinanceKey::Alert(_) => "finance-alert",
        }
    }

    /// Parses a key path.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`.
    pub fn parse(s: &str) -> Result<Self> {
        let (kind, rest) =
            s.split_once('/').ok_or_else(|| Error::invalid("key", "expected <kind>/<id>"))?;
        match kind {
            "loan" => Ok(FinanceKey::Loan(parse_hex32("key", rest)?)),
            "loan-grant" => Ok(FinanceKey::LoanGrant(parse_hex32("key", rest)?)),
            "finance-alert" => Ok(FinanceKey::Alert(parse_hex32("key", rest)?)),
            "financing" => InvoiceNumber::parse(rest)
                .map(FinanceKey::Financing)
                .map_err(|_| Error::invalid("key", "bad invoice number")),
            _ => Err(Error::invalid("key", format!("not a finance key: {s:?}"))),
        }
    }
}

impl fmt::Display for FinanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinanceKey::Loan(h) | FinanceKey::LoanGrant(h) | FinanceKey::Alert(h) => {
                write!(f, "{}/{}", self.kind(), hex32(h))
            }
            FinanceKey::Financing(n) => write!(f, "{}/{}", self.kind(), n.as_str()),
        }
    }
}

impl From<&FinanceKey> for StateKey {
    fn from(key: &FinanceKey) -> StateKey {
        StateKey::App(AppKey::from_owner(key.to_string()))
    }
}

impl From<FinanceKey> for StateKey {
    fn from(key: FinanceKey) -> StateKey {
        StateKey::from(&key)
    }
}

impl TryFrom<&AppKey> for FinanceKey {
    type Error = Error;
    fn try_from(key: &AppKey) -> Result<Self> {
        FinanceKey::parse(key.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_foreign_or_malformed_ones_are_refused() {
        let n = InvoiceNumber::parse("26442000000000000001").unwrap();
        for k in [
            FinanceKey::Loan([1; 32]),
            FinanceKey::LoanGrant([2; 32]),
            FinanceKey::Financing(n),
            FinanceKey::Alert([3; 32]),
        ] {
            assert_eq!(FinanceKey::parse(&k.to_string()).unwrap(), k);
            assert!(FinanceKey::KINDS.contains(&k.kind()));
        }
        assert!(FinanceKey::parse("loan/xyz").is_err());
        assert!(FinanceKey::parse("financing/12").is_err());
        assert!(FinanceKey::parse("invoice/26442000000000000001").is_err());
    }
}
