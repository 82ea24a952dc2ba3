//! Operating figures as salted commitments ([`fapiao_types::commit`]), their openings and
//! the package the enterprise hands a bank.
//!
//! Subject the USCC, field the metric's name, period the month `yyyymm`, value the
//! figure's decimal text (`1250000`, no sign, no leading zero). The salt derives from the
//! chain secret of the industry chain's validators; the enterprise gets its salts from its
//! own node and hands the ones it chooses to a bank off the chain ([`OperatingOpening`]);
//! the bank checks each against the commitment a state proof of the industry chain gave
//! it ([`OperatingOpening::opens`]).

use crate::{Metric, MAX_VALUE};
use fapiao_types::Hash32;
use fapiao_values::{Month, Uscc};

fn period(month: Month) -> String {
    month.yyyymm().to_string()
}

/// The salt of `metric` of `uscc` for `month`, derived from the chain secret.
pub fn salt(secret: &[u8; 32], uscc: &Uscc, metric: Metric, month: Month) -> Hash32 {
    fapiao_types::commit::salt(secret, uscc.as_str(), metric.as_str(), &period(month))
}

/// The commitment to `value` of `metric` of `uscc` for `month` under `salt`.
pub fn commitment(salt: &Hash32, uscc: &Uscc, metric: Metric, month: Month, value: u64) -> Hash32 {
    fapiao_types::commit::commitment(
        salt,
        uscc.as_str(),
        metric.as_str(),
        &period(month),
        &value.to_string(),
    )
}

/// One figure with its salt: what the enterprise hands a bank, off the chain.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatingOpening {
    /// The metric.
    pub metric: Metric,
    /// The month, `yyyymm`.
    pub month: u32,
    /// The figure's decimal text.
    pub value: String,
    /// The salt, lower-case hex.
    pub salt: String,
}

impl OperatingOpening {
    /// The opening of `value` of `metric` of `uscc` in `month`, with the salt the secret
    /// gives.
    pub fn new(secret: &[u8; 32], uscc: &Uscc, metric: Metric, month: Month, value: u64) -> Self {
        OperatingOpening {
            metric,
            month: month.yyyymm(),
            value: value.to_string(),
            salt: fapiao_types::hex32(&salt(secret, uscc, metric, month)),
        }
    }

    /// The figure, checked canonical (decimal digits, no leading zero, at most
    /// [`MAX_VALUE`]).
    ///
    /// # Errors
    /// [`fapiao_types::Error::Invalid`] naming `value`.
    pub fn figure(&self) -> fapiao_types::Result<u64> {
        let bad = || fapiao_types::Error::invalid("value", "not a canonical figure");
        let v: u64 = self.value.parse().map_err(|_| bad())?;
        if v.to_string() != self.value || v > MAX_VALUE {
            return Err(bad());
        }
        Ok(v)
    }

    /// Whether this opening opens `commitment` (of `uscc`).
    ///
    /// # Errors
    /// [`fapiao_types::Error::Invalid`] naming `month`, `value` or `salt` when the opening
    /// is malformed; a well-formed opening of another value or under another salt is
    /// `Ok(false)`.
    pub fn opens(&self, uscc: &Uscc, commitment: &Hash32) -> fapiao_types::Result<bool> {
        let month = Month::from_yyyymm(self.month)
            .map_err(|e| fapiao_types::Error::invalid("month", e.to_string()))?;
        let value = self.figure()?;
        let salt = fapiao_types::parse_hex32("salt", &self.salt)?;
        Ok(self::commitment(&salt, uscc, self.metric, month, value) == *commitment)
    }
}

/// What the enterprise hands a bank, off the chain (its node builds it:
/// `GET /v1/industry/enterprises/{uscc}/package?months=…`): the `operating-commit`
/// record of every month asked for (absent when nothing was attested that month), each
/// with its proof against one directly certified header of the industry chain, and the
/// openings of every figure they commit to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OperatingPackage {
    /// The enterprise.
    pub uscc: String,
    /// `operating-commit/<uscc>/<yyyymm>` of each month, proven at one header.
    pub records: Vec<fapiao_crosschain_types::ClaimJson>,
    /// One per figure committed in those records.
    pub openings: Vec<OperatingOpening>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opening_opens_only_its_own_commitment() {
        let uscc = Uscc::parse("914403001922038216").unwrap();
        let month = Month::from_yyyymm(202610).unwrap();
        let secret = [9u8; 32];
        let s = salt(&secret, &uscc, Metric::InsuredHeadcount, month);
        let c = commitment(&s, &uscc, Metric::InsuredHeadcount, month, 1200);
        let o = OperatingOpening::new(&secret, &uscc, Metric::InsuredHeadcount, month, 1200);
        assert!(o.opens(&uscc, &c).unwrap());
        let wrong_value = OperatingOpening { value: "1201".into(), ..o.clone() };
        assert!(!wrong_value.opens(&uscc, &c).unwrap());
        let wrong_salt = OperatingOpening { salt: "00".repeat(32), ..o.clone() };
        assert!(!wrong_salt.opens(&uscc, &c).unwrap());
        let other_metric = OperatingOpening { metric: Metric::ElectricityKwh, ..o.clone() };
        assert!(!other_metric.opens(&uscc, &c).unwrap());
        for bad in ["01200", "+1200", "-1", "", "1e3"] {
            let o = OperatingOpening { value: bad.into(), ..o.clone() };
            assert!(o.opens(&uscc, &c).is_err(), "{bad}");
        }
        assert!(OperatingOpening { month: 202613, ..o.clone() }.opens(&uscc, &c).is_err());
        assert!(OperatingOpening { salt: "zz".into(), ..o }.opens(&uscc, &c).is_err());
        // The same layout as the shared commitment with the decimal text.
        assert_eq!(
            c,
            fapiao_types::commit::commitment(
                &s,
                uscc.as_str(),
                "insured_headcount",
                "202610",
                "1200"
            )
        );
    }
}
