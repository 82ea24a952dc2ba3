//! Versioned rate configuration *(policy)*: which rates exist, when they are in force
//! and which sellers may use them.
//!
//! A line carries a [`RateCode`]: a percentage ([`Rate`]) or one of the two treatments
//! that are *not* 0% — exempt (免税) and out of scope (不征税), whose tax prints as `***`.
//! A [`RateTable`] is built from [`RateEntry`] configuration (genesis) and answers
//! [`RateTable::rate_allowed`]: is this rate in force on this date (China time,
//! `yyyymmdd`) for this type of seller?
//!
//! [`RateTable::default_prc`] is the PRC schedule since the 2016-05-01 completion of
//! 营改增: general taxpayers 17/13/11/6% until the 2017 and 2018 cuts, 16/10/6% from
//! 2018-05-01, 13/9/6% from 2019-04-01, 0% for exports; collection rates (征收率) 3% and
//! 5% for small-scale sellers and for general taxpayers on the simplified method; 1% for
//! small-scale sellers during the reliefs of 2020-03-01…2022-03-31 and 2023-01-01…2027-12-31
//! (公告 2023 年第 19 号); exempt and out of scope for everyone. A small-scale seller never
//! invoices at 13%, 9% or 6%.

use crate::{
    calendar::is_valid_date,
    error::{Error, Result},
    money::Rate,
};
pub use fapiao_values::SellerType;
use serde::{Deserialize, Serialize};

/// What kind of rate an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RateKind {
    /// A VAT rate (税率) of a general taxpayer: 13%, 9%, 6%.
    Standard,
    /// A collection rate (征收率) of the simplified method: 3%, 1%, 5%.
    Collection,
    /// The 0% rate of exports and cross-border services (零税率): tax 0.00.
    Zero,
    /// Exempt (免税): no tax, printed `***`.
    Exempt,
    /// Not taxable (不征税): no tax, printed `***`.
    OutOfScope,
}

pub use fapiao_values::RateCode;

/// One configured rate with its period of validity and the sellers that may use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateEntry {
    /// The rate as lines carry it.
    pub code: RateCode,
    /// Its kind; must agree with `code` (exempt ↔ `exempt`, zero ↔ `0`, …).
    pub kind: RateKind,
    /// First day in force, `yyyymmdd`, China time.
    pub effective_from: u32,
    /// Last day in force (inclusive), `yyyymmdd`; `None` while in force.
    pub effective_until: Option<u32>,
    /// Seller types that may invoice at this rate (non-empty, no repeats).
    pub sellers: Vec<SellerType>,
}

impl RateEntry {
    /// `true` if in force on `date`.
    pub fn in_force(&self, date: u32) -> bool {
        self.effective_from <= date && self.effective_until.is_none_or(|u| date <= u)
    }

    fn overlaps(&self, other: &RateEntry) -> bool {
        let end = |e: &RateEntry| e.effective_until.unwrap_or(u32::MAX);
        self.effective_from <= end(other) && other.effective_from <= end(self)
    }
}

/// A validated rate configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RateTable {
    entries: Vec<RateEntry>,
}

impl RateTable {
    /// Validates `entries`: calendar dates, `from ≤ until`, kind consistent with the code,
    /// at least one seller type and no repeats, and no two entries for the same code in
    /// force on the same day.
    ///
    /// # Errors
    /// `invoice.bad_rate_config` naming the entry (`rates[3]`).
    pub fn new(entries: Vec<RateEntry>) -> Result<RateTable> {
        for (i, e) in entries.iter().enumerate() {
            let bad = |reason| Error::BadRateConfig { field: format!("rates[{i}]"), reason };
            if !is_valid_date(e.effective_from) {
                return Err(bad("effective_from is not a yyyymmdd date"));
            }
            if let Some(u) = e.effective_until {
                if !is_valid_date(u) {
                    return Err(bad("effective_until is not a yyyymmdd date"));
                }
                if u < e.effective_from {
                    return Err(bad("effective_until before effective_from"));
                }
            }
            let consistent = match (e.kind, e.code) {
                (RateKind::Standard | RateKind::Collection, RateCode::Rate(r)) => r != Rate::ZERO,
                (RateKind::Zero, RateCode::Rate(r)) => r == Rate::ZERO,
                (RateKind::Exempt, RateCode::Exempt) => true,
                (RateKind::OutOfScope, RateCode::OutOfScope) => true,
                _ => false,
            };
            if !consistent {
                return Err(bad("kind does not match the code"));
            }
            if e.sellers.is_empty() {
                return Err(bad("no seller type"));
            }
            if e.sellers.iter().enumerate().any(|(j, s)| e.sellers[..j].contains(s)) {
                return Err(bad("repeated seller type"));
            }
            if entries[..i].iter().any(|o| o.code == e.code && o.overlaps(e)) {
                return Err(bad("overlaps another entry for the same rate"));
            }
        }
        Ok(RateTable { entries })
    }

    /// The PRC schedule (see the module docs).
    pub fn default_prc() -> RateTable {
        use RateKind::{Collection, Exempt, OutOfScope, Standard, Zero};
        use SellerType::{General, SmallScale};
        let bp = |b: u16| RateCode::Rate(Rate::from_basis_points(b).unwrap_or(Rate::ZERO));
        let e = |code, kind, from, until, sellers: &[SellerType]| RateEntry {
            code,
            kind,
            effective_from: from,
            effective_until: until,
            sellers: sellers.to_vec(),
        };
        let entries = vec![
            e(bp(1700), Standard, 20160501, Some(20180430), &[General]),
            e(bp(1300), Standard, 20160501, Some(20170630), &[General]),
            e(bp(1100), Standard, 20160501, Some(20180430), &[General]),
            e(bp(1600), Standard, 20180501, Some(20190331), &[General]),
            e(bp(1000), Standard, 20180501, Some(20190331), &[General]),
            e(bp(1300), Standard, 20190401, None, &[General]),
            e(bp(900), Standard, 20190401, None, &[General]),
            e(bp(600), Standard, 20160501, None, &[General]),
            e(bp(0), Zero, 20160501, None, &[General]),
            e(bp(300), Collection, 20160501, None, &[General, SmallScale]),
            e(bp(500), Collection, 20160501, None, &[General, SmallScale]),
            e(bp(100), Collection, 20200301, Some(20220331), &[SmallScale]),
            e(bp(100), Collection, 20230101, Some(20271231), &[SmallScale]),
            e(RateCode::Exempt, Exempt, 20160501, None, &[General, SmallScale]),
            e(RateCode::OutOfScope, OutOfScope, 20160501, None, &[General, SmallScale]),
        ];
        // The entries above are consistent: `new` cannot refuse them (a test checks it).
        RateTable::new(entries.clone()).unwrap_or(RateTable { entries })
    }

    /// The configured entries, in configuration order.
    pub fn entries(&self) -> &[RateEntry] {
        &self.entries
    }

    /// May a seller of `seller_type` invoice at `code` on `date` (`yyyymmdd`, China time)?
    /// Returns the entry in force.
    ///
    /// For a red invoice pass the blue invoice's date and seller type: the reversal copies
    /// the blue invoice's rates even after the schedule changed.
    ///
    /// # Errors
    /// On field `rate`: `bad_date` for an invalid date; `invoice.unknown_rate` if no entry has this
    /// code; `invoice.rate_not_effective` if none is in force on `date`;
    /// `invoice.rate_not_allowed_for_seller` if the entry in force excludes this seller type.
    pub fn rate_allowed(
        &self,
        code: RateCode,
        seller_type: SellerType,
        date: u32,
    ) -> Result<&RateEntry> {
        let field = || "rate".to_owned();
        if !is_valid_date(date) {
            return Err(fapiao_values::Error::BadDate {
                field: "date".into(),
                reason: "not a calendar date",
            }
            .into());
        }
        let mut known = false;
        for e in self.entries.iter().filter(|e| e.code == code) {
            known = true;
            if e.in_force(date) {
                if e.sellers.contains(&seller_type) {
                    return Ok(e);
                }
                return Err(Error::RateNotAllowedForSeller {
                    field: field(),
                    rate: code,
                    seller_type,
                });
            }
        }
        if known {
            Err(Error::RateNotEffective { field: field(), rate: code, date })
        } else {
            Err(Error::UnknownRate { field: field(), rate: code })
        }
    }

    /// The entries a seller of `seller_type` may use on `date` (for pickers in a UI).
    pub fn available(
        &self,
        seller_type: SellerType,
        date: u32,
    ) -> impl Iterator<Item = &RateEntry> {
        self.entries.iter().filter(move |e| e.in_force(date) && e.sellers.contains(&seller_type))
    }
}

impl<'de> Deserialize<'de> for RateTable {
    /// From the list of entries, validated as [`RateTable::new`] does.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            entries: Vec<RateEntry>,
        }
        let raw = Raw::deserialize(d)?;
        RateTable::new(raw.entries).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SellerType::{General, SmallScale};

    fn code(s: &str) -> RateCode {
        RateCode::parse(s).unwrap()
    }

    #[test]
    fn default_table_is_valid() {
        let t = RateTable::default_prc();
        assert_eq!(RateTable::new(t.entries().to_vec()).unwrap(), t);
        assert_eq!(t.entries().len(), 15);
    }

    #[test]
    fn rate_codes() {
        assert_eq!(code("0.13"), RateCode::Rate(Rate::from_basis_points(1300).unwrap()));
        assert_eq!(code("免税"), RateCode::Exempt);
        assert_eq!(code("exempt").to_string(), "exempt");
        assert_eq!(code("不征税"), RateCode::OutOfScope);
        assert_eq!(code("out_of_scope").label(), "不征税");
        assert_eq!(code("0.09").label(), "9%");
        assert_eq!(code("0").label(), "0%");
        assert!(code("exempt").tax_is_starred());
        assert!(!code("0").tax_is_starred());
        assert_ne!(code("0"), code("exempt"));
        assert_eq!(code("exempt").effective_rate(), Rate::ZERO);
        assert_eq!(RateCode::parse("Exempt").unwrap_err().code(), "bad_rate");
        assert_eq!(serde_json::to_string(&code("0.06")).unwrap(), "\"0.06\"");
        assert_eq!(serde_json::from_str::<RateCode>("\"免税\"").unwrap(), RateCode::Exempt);
    }

    #[test]
    fn lookups() {
        let t = RateTable::default_prc();
        let ok = |c: &str, s, d| t.rate_allowed(code(c), s, d).map(|e| e.kind);
        let err = |c: &str, s, d| t.rate_allowed(code(c), s, d).unwrap_err().code();
        assert_eq!(ok("0.13", General, 20260315), Ok(RateKind::Standard));
        assert_eq!(ok("0.09", General, 20260315), Ok(RateKind::Standard));
        assert_eq!(ok("0.06", General, 20260315), Ok(RateKind::Standard));
        assert_eq!(ok("0", General, 20260315), Ok(RateKind::Zero));
        assert_eq!(ok("0.03", SmallScale, 20260315), Ok(RateKind::Collection));
        assert_eq!(ok("0.03", General, 20260315), Ok(RateKind::Collection));
        assert_eq!(ok("0.05", SmallScale, 20260315), Ok(RateKind::Collection));
        assert_eq!(ok("0.01", SmallScale, 20271231), Ok(RateKind::Collection));
        assert_eq!(ok("exempt", SmallScale, 20260315), Ok(RateKind::Exempt));
        assert_eq!(ok("out_of_scope", General, 20260315), Ok(RateKind::OutOfScope));
        assert_eq!(ok("0.16", General, 20190331), Ok(RateKind::Standard));
        assert_eq!(ok("0.13", General, 20170630), Ok(RateKind::Standard));

        assert_eq!(err("0.13", SmallScale, 20260315), "invoice.rate_not_allowed_for_seller");
        assert_eq!(err("0.06", SmallScale, 20260315), "invoice.rate_not_allowed_for_seller");
        assert_eq!(err("0", SmallScale, 20260315), "invoice.rate_not_allowed_for_seller");
        assert_eq!(err("0.01", General, 20260315), "invoice.rate_not_allowed_for_seller");
        assert_eq!(err("0.01", SmallScale, 20280101), "invoice.rate_not_effective");
        assert_eq!(err("0.01", SmallScale, 20220601), "invoice.rate_not_effective");
        assert_eq!(err("0.16", General, 20190401), "invoice.rate_not_effective");
        assert_eq!(err("0.13", General, 20180601), "invoice.rate_not_effective");
        assert_eq!(err("0.12", General, 20260315), "invoice.unknown_rate");
        assert_eq!(err("0.13", General, 20260230), "bad_date");
        let e = t.rate_allowed(code("0.13"), SmallScale, 20260315).unwrap_err();
        assert_eq!(e.field(), "rate");
        assert_eq!(e.to_string(), "rate: rate 0.13 is not allowed for a small_scale seller");
    }

    #[test]
    fn available_rates() {
        let t = RateTable::default_prc();
        let small: Vec<String> =
            t.available(SmallScale, 20260315).map(|e| e.code.to_string()).collect();
        assert_eq!(small, ["0.03", "0.05", "0.01", "exempt", "out_of_scope"]);
        let small_2028: Vec<String> =
            t.available(SmallScale, 20280101).map(|e| e.code.to_string()).collect();
        assert_eq!(small_2028, ["0.03", "0.05", "exempt", "out_of_scope"]);
    }

    #[test]
    fn config_refusals() {
        let base = RateEntry {
            code: code("0.13"),
            kind: RateKind::Standard,
            effective_from: 20190401,
            effective_until: None,
            sellers: vec![General],
        };
        let with = |f: &dyn Fn(&mut RateEntry)| {
            let mut e = base.clone();
            f(&mut e);
            e
        };
        for (entries, reason) in [
            (vec![with(&|e| e.effective_from = 20190230)], "effective_from is not a yyyymmdd date"),
            (
                vec![with(&|e| e.effective_until = Some(20191301))],
                "effective_until is not a yyyymmdd date",
            ),
            (
                vec![with(&|e| e.effective_until = Some(20190331))],
                "effective_until before effective_from",
            ),
            (vec![with(&|e| e.kind = RateKind::Zero)], "kind does not match the code"),
            (vec![with(&|e| e.kind = RateKind::Exempt)], "kind does not match the code"),
            (vec![with(&|e| e.code = RateCode::Rate(Rate::ZERO))], "kind does not match the code"),
            (vec![with(&|e| e.sellers.clear())], "no seller type"),
            (vec![with(&|e| e.sellers = vec![General, General])], "repeated seller type"),
            (
                vec![base.clone(), with(&|e| e.effective_from = 20200101)],
                "overlaps another entry for the same rate",
            ),
        ] {
            let n = entries.len() - 1;
            match RateTable::new(entries).unwrap_err() {
                Error::BadRateConfig { field, reason: r } => {
                    assert_eq!(r, reason);
                    assert_eq!(field, format!("rates[{n}]"));
                }
                e => panic!("{e:?}"),
            }
        }
        // Adjacent periods of the same rate are fine.
        let before = with(&|e| {
            e.effective_from = 20160501;
            e.effective_until = Some(20190331);
        });
        assert!(RateTable::new(vec![before, base]).is_ok());
    }

    #[test]
    fn config_json_round_trip() {
        let t = RateTable::default_prc();
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains(r#"{"code":"0.01","kind":"collection","effective_from":20230101,"effective_until":20271231,"sellers":["small_scale"]}"#));
        let back: RateTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        let bad = json.replace("20271231", "20271232");
        assert!(serde_json::from_str::<RateTable>(&bad).is_err());
    }
}
