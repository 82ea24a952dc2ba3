//! The 20-digit number of a fully digitalised invoice (数电票): `YY` issue year (China
//! time), `RR` region, `C` issuing channel, 15-digit sequence; no check digit. The chain
//! allocates the sequence; [`InvoiceNumber`] (from `fapiao-values`) is the number, and this
//! module derives `YY` and `RR`.
//!
//! # The region table *(policy)*
//!
//! `RR` stands for a provincial-level tax bureau: a province, autonomous region or
//! municipality, or one of the five separately planned cities (计划单列市: Dalian,
//! Qingdao, Ningbo, Xiamen, Shenzhen), which have bureaus of their own. A
//! [`RegionTable`] maps 6-digit administrative division codes (GB/T 2260) to `RR` by
//! longest prefix: `440305` (Nanshan, Shenzhen) matches the city prefix `4403` before the
//! province prefix `44`.
//!
//! [`RegionTable::default_prc`] uses the province's own two-digit GB/T 2260 prefix as
//! `RR` — `42` for Hubei, as in DOMAIN.md's example `26424000000104330311` (2026, Hubei,
//! channel 4, sequence 104330311) — and, for the separately planned cities, codes from the
//! otherwise unused `9x` block: Dalian `91`, Qingdao `92`, Ningbo `93`, Xiamen `94`,
//! Shenzhen `95`. The bureau's own allocation for those cities could not be confirmed from
//! public sources, so this is demo configuration: a deployment supplies its table in the
//! genesis.

pub use crate::calendar::{china_date, month_key};
use crate::error::{Error, Result};
pub use fapiao_values::number::{year_yy, InvoiceNumber, MAX_SEQUENCE};
use serde::{Deserialize, Serialize};

/// `YY RR C SSSSSSSSSSSSSSS` as 20 digits.
///
/// # Errors
/// `bad_invoice_number` for a part out of range (see [`InvoiceNumber::new`]).
pub fn format_number(yy: u8, rr: u8, channel: u8, sequence: u64) -> Result<String> {
    Ok(InvoiceNumber::new(yy, rr, channel, sequence)?.to_string())
}

/// Parses a 20-digit number into its parts.
///
/// # Errors
/// `bad_invoice_number` (field `number`).
pub fn parse_number(s: &str) -> Result<InvoiceNumber> {
    Ok(InvoiceNumber::parse(s)?)
}

/// The number of an invoice issued at `unix_ms` by a seller in `division_code`.
///
/// # Errors
/// `bad_region_code` / `invoice.unknown_region` (field `region`) from [`RegionTable::rr_for`];
/// `bad_invoice_number` for a channel or sequence out of range.
pub fn number_for_issue(
    unix_ms: u64,
    division_code: &str,
    regions: &RegionTable,
    channel: u8,
    sequence: u64,
) -> Result<InvoiceNumber> {
    let rr = regions.rr_for(division_code)?;
    Ok(InvoiceNumber::new(year_yy(unix_ms), rr, channel, sequence)?)
}

/// One row of the region table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionEntry {
    /// Prefix of division codes: 2 digits (province), 4 (city) or 6 (county).
    pub prefix: String,
    /// The two-digit `RR`.
    pub rr: String,
    /// Human-readable name.
    pub name: String,
}

/// A validated region table (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegionTable {
    entries: Vec<RegionEntry>,
}

fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

impl RegionTable {
    /// Validates `entries`: prefixes of 2, 4 or 6 digits, `rr` of 2 digits, no prefix or
    /// `rr` twice.
    ///
    /// # Errors
    /// `invoice.bad_region_config` naming the entry (`regions[4]`).
    pub fn new(entries: Vec<RegionEntry>) -> Result<RegionTable> {
        for (i, e) in entries.iter().enumerate() {
            let bad = |reason| Error::BadRegionConfig { field: format!("regions[{i}]"), reason };
            if ![2, 4, 6].into_iter().any(|n| is_digits(&e.prefix, n)) {
                return Err(bad("prefix is not 2, 4 or 6 digits"));
            }
            if !is_digits(&e.rr, 2) {
                return Err(bad("rr is not 2 digits"));
            }
            if entries[..i].iter().any(|o| o.prefix == e.prefix) {
                return Err(bad("repeated prefix"));
            }
            if entries[..i].iter().any(|o| o.rr == e.rr) {
                return Err(bad("repeated rr"));
            }
        }
        Ok(RegionTable { entries })
    }

    /// Mainland provincial-level divisions by their GB/T 2260 prefix, and the five
    /// separately planned cities on `91`–`95` (see the module docs).
    pub fn default_prc() -> RegionTable {
        const ROWS: [(&str, &str, &str); 36] = [
            ("11", "11", "北京"),
            ("12", "12", "天津"),
            ("13", "13", "河北"),
            ("14", "14", "山西"),
            ("15", "15", "内蒙古"),
            ("21", "21", "辽宁"),
            ("22", "22", "吉林"),
            ("23", "23", "黑龙江"),
            ("31", "31", "上海"),
            ("32", "32", "江苏"),
            ("33", "33", "浙江"),
            ("34", "34", "安徽"),
            ("35", "35", "福建"),
            ("36", "36", "江西"),
            ("37", "37", "山东"),
            ("41", "41", "河南"),
            ("42", "42", "湖北"),
            ("43", "43", "湖南"),
            ("44", "44", "广东"),
            ("45", "45", "广西"),
            ("46", "46", "海南"),
            ("50", "50", "重庆"),
            ("51", "51", "四川"),
            ("52", "52", "贵州"),
            ("53", "53", "云南"),
            ("54", "54", "西藏"),
            ("61", "61", "陕西"),
            ("62", "62", "甘肃"),
            ("63", "63", "青海"),
            ("64", "64", "宁夏"),
            ("65", "65", "新疆"),
            ("2102", "91", "大连"),
            ("3702", "92", "青岛"),
            ("3302", "93", "宁波"),
            ("3502", "94", "厦门"),
            ("4403", "95", "深圳"),
        ];
        let entries: Vec<RegionEntry> = ROWS
            .iter()
            .map(|(prefix, rr, name)| RegionEntry {
                prefix: (*prefix).into(),
                rr: (*rr).into(),
                name: (*name).into(),
            })
            .collect();
        // The rows above are consistent: `new` cannot refuse them (a test checks it).
        RegionTable::new(entries.clone()).unwrap_or(RegionTable { entries })
    }

    /// The configured rows.
    pub fn entries(&self) -> &[RegionEntry] {
        &self.entries
    }

    /// `RR` for a 6-digit administrative division code, by longest matching prefix.
    ///
    /// # Errors
    /// On field `region`: `bad_region_code` if not 6 digits, `invoice.unknown_region` if no row
    /// matches.
    pub fn rr_for(&self, division_code: &str) -> Result<u8> {
        fapiao_values::RegionCode::parse(division_code)?;
        self.entries
            .iter()
            .filter(|e| division_code.starts_with(e.prefix.as_str()))
            .max_by_key(|e| e.prefix.len())
            .and_then(|e| e.rr.parse::<u8>().ok())
            .ok_or_else(|| Error::UnknownRegion { field: "region".into() })
    }
}

impl<'de> Deserialize<'de> for RegionTable {
    /// From the list of rows, validated as [`RegionTable::new`] does.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            entries: Vec<RegionEntry>,
        }
        let raw = Raw::deserialize(d)?;
        RegionTable::new(raw.entries).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn domain_example() {
        let n = parse_number("26424000000104330311").unwrap();
        assert_eq!(n, InvoiceNumber::new(26, 42, 4, 104_330_311).unwrap());
        assert_eq!(n.to_string(), "26424000000104330311");
        assert_eq!(format_number(26, 42, 4, 104_330_311).unwrap(), "26424000000104330311");
        // Hubei (Wuhan, 420100) is 42 in the default table.
        let t = RegionTable::default_prc();
        assert_eq!(t.rr_for("420100"), Ok(42));
        // 2026-03-15 12:00 China time.
        let n2 = number_for_issue(1_773_547_200_000, "420100", &t, 4, 104_330_311).unwrap();
        assert_eq!(n2, n);
    }

    #[test]
    fn regions() {
        let t = RegionTable::default_prc();
        assert_eq!(RegionTable::new(t.entries().to_vec()).unwrap(), t);
        for (code, rr) in [
            ("440300", 95),
            ("440305", 95),
            ("440100", 44),
            ("441900", 44),
            ("110105", 11),
            ("210200", 91),
            ("210100", 21),
            ("370200", 92),
            ("330200", 93),
            ("350200", 94),
            ("350100", 35),
            ("650100", 65),
        ] {
            assert_eq!(t.rr_for(code), Ok(rr), "{code}");
        }
        assert_eq!(t.rr_for("710000").unwrap_err().code(), "invoice.unknown_region");
        assert_eq!(t.rr_for("44030").unwrap_err().code(), "bad_region_code");
        assert_eq!(t.rr_for("44030A").unwrap_err().field(), "region");
        let uscc = crate::Uscc::parse("91440300708461136T").unwrap();
        assert_eq!(t.rr_for(uscc.region_code()), Ok(95));
    }

    #[test]
    fn region_config_refusals() {
        let row =
            |p: &str, rr: &str| RegionEntry { prefix: p.into(), rr: rr.into(), name: "x".into() };
        for (rows, reason) in [
            (vec![row("4", "44")], "prefix is not 2, 4 or 6 digits"),
            (vec![row("44030", "44")], "prefix is not 2, 4 or 6 digits"),
            (vec![row("44", "4")], "rr is not 2 digits"),
            (vec![row("44", "4a")], "rr is not 2 digits"),
            (vec![row("44", "44"), row("44", "45")], "repeated prefix"),
            (vec![row("44", "44"), row("4403", "44")], "repeated rr"),
        ] {
            let n = rows.len() - 1;
            match RegionTable::new(rows).unwrap_err() {
                Error::BadRegionConfig { field, reason: r } => {
                    assert_eq!(r, reason);
                    assert_eq!(field, format!("regions[{n}]"));
                }
                e => panic!("{e:?}"),
            }
        }
    }

    #[test]
    fn number_refusals() {
        for s in [
            "",
            "2642400000010433031",
            "264240000001043303111",
            "2642400000010433031A",
            "-6424000000104330311",
            "２6424000000104330311",
        ] {
            assert_eq!(parse_number(s).unwrap_err().code(), "bad_invoice_number", "{s}");
        }
        assert_eq!(format_number(100, 42, 4, 1).unwrap_err().field(), "number.yy");
        assert_eq!(format_number(26, 100, 4, 1).unwrap_err().field(), "number.rr");
        assert_eq!(format_number(26, 42, 10, 1).unwrap_err().field(), "number.channel");
        assert_eq!(
            format_number(26, 42, 4, MAX_SEQUENCE + 1).unwrap_err().field(),
            "number.sequence"
        );
        assert_eq!(format_number(0, 0, 0, 0).unwrap(), "00000000000000000000");
    }

    #[test]
    fn region_table_serde() {
        let t = RegionTable::default_prc();
        let back: RegionTable = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }

    proptest! {
        #[test]
        fn numbers_round_trip(yy in 0u8..100, rr in 0u8..100, c in 0u8..10, seq in 0..=MAX_SEQUENCE) {
            let s = format_number(yy, rr, c, seq).unwrap();
            prop_assert_eq!(s.len(), 20);
            prop_assert_eq!(parse_number(&s).unwrap(), InvoiceNumber::new(yy, rr, c, seq).unwrap());
        }
    }
}
