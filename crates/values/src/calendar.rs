//! China-time calendar arithmetic (UTC+8, no daylight saving since 1991) on Unix
//! milliseconds, with the integer days-to-civil algorithm of the proleptic Gregorian
//! calendar: no clock, no time-zone database, no floats.
//!
//! [`ChinaDate`] is a calendar date (`yyyymmdd` in the binary encoding and the
//! configuration, `yyyy-mm-dd` in text and JSON); [`Month`] a month (`yyyymm` in the
//! binary encoding, `yyyy-mm` in text and JSON), the period of monthly credit and VAT
//! returns. The free functions work on the bare integers for the configuration.

use crate::error::{Error, Result};
use core::fmt;
use serde::Serialize;

/// Milliseconds in a day.
const DAY_MS: u64 = 86_400_000;
/// China time is UTC+8.
const CHINA_OFFSET_MS: u64 = 8 * 3_600_000;

/// `(year, month, day)` of the proleptic Gregorian calendar for a day count since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`, restricted to non-negative days).
fn civil_from_days(days: u64) -> (u64, u32, u32) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + u64::from(month <= 2);
    // day ≤ 31 and month ≤ 12: the casts cannot truncate.
    (year, month as u32, day as u32)
}

/// The China-time calendar date of a Unix timestamp in milliseconds.
///
/// Years beyond `u32::MAX` (timestamps past about 135 million millennia) saturate.
pub fn china_date(unix_ms: u64) -> (u32, u32, u32) {
    let days = unix_ms.saturating_add(CHINA_OFFSET_MS) / DAY_MS;
    let (y, m, d) = civil_from_days(days);
    (u32::try_from(y).unwrap_or(u32::MAX), m, d)
}

/// `yyyymmdd` of the China-time date of `unix_ms` (saturates at `u32::MAX` for years past
/// 429 496).
pub fn date_key(unix_ms: u64) -> u32 {
    let (y, m, d) = china_date(unix_ms);
    u32::try_from(u64::from(y) * 10_000 + u64::from(m) * 100 + u64::from(d)).unwrap_or(u32::MAX)
}

/// `yyyymm` of the China-time month of `unix_ms` (credit and VAT-return periods).
pub fn month_key(unix_ms: u64) -> u32 {
    let (y, m, _) = china_date(unix_ms);
    u32::try_from(u64::from(y) * 100 + u64::from(m)).unwrap_or(u32::MAX)
}

/// `true` for a leap year of the Gregorian calendar.
pub const fn is_leap_year(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`; 0 for a month outside 1–12.
pub const fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `true` if `yyyymmdd` is a calendar date with a four-digit year (1000–9999).
pub const fn is_valid_date(yyyymmdd: u32) -> bool {
    let year = yyyymmdd / 10_000;
    let month = yyyymmdd / 100 % 100;
    let day = yyyymmdd % 100;
    year >= 1000 && year <= 9999 && day >= 1 && day <= days_in_month(year, month)
}

/// A calendar date of years 1000–9999, China time.
///
/// Text and JSON: `yyyy-mm-dd` (`"2026-11-26"`). Binary: the `u32` `yyyymmdd` big-endian
/// (`01352906` for 2026-11-26), as the `u32` field it replaces; decoding refuses a value
/// that is not a calendar date.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChinaDate(u32);

impl ChinaDate {
    /// The date `yyyymmdd`.
    ///
    /// # Errors
    /// `bad_date` (field `date`) if it is not a calendar date of years 1000–9999.
    pub fn from_yyyymmdd(yyyymmdd: u32) -> Result<ChinaDate> {
        if is_valid_date(yyyymmdd) {
            Ok(ChinaDate(yyyymmdd))
        } else {
            Err(Error::BadDate { field: "date".into(), reason: "not a calendar date" })
        }
    }

    /// The China-time date of a Unix timestamp in milliseconds (saturating at 9999-12-31).
    pub fn from_unix_ms(unix_ms: u64) -> ChinaDate {
        ChinaDate(date_key(unix_ms).min(99_991_231))
    }

    /// Parses `yyyy-mm-dd`.
    ///
    /// # Errors
    /// `bad_date` (field `date`).
    pub fn parse(s: &str) -> Result<ChinaDate> {
        let bad = |reason| Error::BadDate { field: "date".into(), reason };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad("expected yyyy-mm-dd"));
        }
        let y = digits(&b[0..4]).ok_or_else(|| bad("expected yyyy-mm-dd"))?;
        let m = digits(&b[5..7]).ok_or_else(|| bad("expected yyyy-mm-dd"))?;
        let d = digits(&b[8..10]).ok_or_else(|| bad("expected yyyy-mm-dd"))?;
        ChinaDate::from_yyyymmdd(y * 10_000 + m * 100 + d)
    }

    /// The date as the integer `yyyymmdd`.
    pub const fn yyyymmdd(self) -> u32 {
        self.0
    }

    /// Year.
    pub const fn year(self) -> u32 {
        self.0 / 10_000
    }

    /// The month the date is in.
    pub const fn month(self) -> Month {
        Month(self.0 / 100)
    }

    /// Day of the month.
    pub const fn day(self) -> u32 {
        self.0 % 100
    }

    /// Days from 1970-01-01 to this date (negative before it): Howard Hinnant's
    /// `days_from_civil`, so that two dates subtract into a count of days.
    pub const fn day_number(self) -> i64 {
        let (y, m, d) = (self.year() as i64, (self.0 / 100 % 100) as i64, self.day() as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Days from `self` to `later` (negative when `later` is earlier): 2025-12-31 to
    /// 2026-01-10 is 10.
    pub const fn days_until(self, later: ChinaDate) -> i64 {
        later.day_number() - self.day_number()
    }

    fn from_u32(v: u32) -> Result<ChinaDate> {
        ChinaDate::from_yyyymmdd(v)
    }

    fn to_u32(self) -> u32 {
        self.0
    }
}

impl fmt::Display for ChinaDate {
    /// `yyyy-mm-dd`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year(), self.0 / 100 % 100, self.day())
    }
}

impl fmt::Debug for ChinaDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChinaDate({self})")
    }
}

/// A month of years 1900–9999, China time: the period of monthly credit and VAT returns.
///
/// Text and JSON: `yyyy-mm` (`"2026-11"`). Binary: the `u32` `yyyymm` big-endian, as the
/// `u32` field it replaces; decoding refuses a value that is not a month of 1900–9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u32);

impl Month {
    /// The month `yyyymm`.
    ///
    /// # Errors
    /// `bad_month` (field `month`) outside 1900-01 … 9999-12.
    pub fn from_yyyymm(yyyymm: u32) -> Result<Month> {
        let (y, m) = (yyyymm / 100, yyyymm % 100);
        if (1900..=9999).contains(&y) && (1..=12).contains(&m) {
            Ok(Month(yyyymm))
        } else {
            Err(Error::BadMonth { field: "month".into(), reason: "not a month of 1900-9999" })
        }
    }

    /// The China-time month of a Unix timestamp in milliseconds (saturating at 9999-12).
    pub fn from_unix_ms(unix_ms: u64) -> Month {
        Month(month_key(unix_ms).clamp(190_001, 999_912))
    }

    /// Parses `yyyy-mm`.
    ///
    /// # Errors
    /// `bad_month` (field `month`).
    pub fn parse(s: &str) -> Result<Month> {
        let bad = || Error::BadMonth { field: "month".into(), reason: "expected yyyy-mm" };
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' {
            return Err(bad());
        }
        let y = digits(&b[0..4]).ok_or_else(bad)?;
        let m = digits(&b[5..7]).ok_or_else(bad)?;
        Month::from_yyyymm(y * 100 + m)
    }

    /// The month as the integer `yyyymm`.
    pub const fn yyyymm(self) -> u32 {
        self.0
    }

    /// Year.
    pub const fn year(self) -> u32 {
        self.0 / 100
    }

    /// Month of the year, 1–12.
    pub const fn month_of_year(self) -> u32 {
        self.0 % 100
    }

    /// The month before, or `None` before 1900-01.
    pub fn previous(self) -> Option<Month> {
        let prev = if self.month_of_year() == 1 { self.0 - 100 + 11 } else { self.0 - 1 };
        Month::from_yyyymm(prev).ok()
    }

    fn from_u32(v: u32) -> Result<Month> {
        Month::from_yyyymm(v)
    }

    fn to_u32(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Month {
    /// `yyyy-mm`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month_of_year())
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Month({self})")
    }
}

/// The value of ASCII digits, or `None` for a non-digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

macro_rules! display_serde {
    ($t:ident) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<$t, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $t::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl core::str::FromStr for $t {
            type Err = Error;
            fn from_str(s: &str) -> Result<$t> {
                $t::parse(s)
            }
        }
    };
}

display_serde!(ChinaDate);
display_serde!(Month);
u32_value!(ChinaDate);
u32_value!(Month);

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::{Copying, DecodeExt, Encode};
    use proptest::prelude::*;

    #[test]
    fn dates_parse_format_and_encode() {
        for (text, n, bytes) in [
            ("2026-11-26", 20_261_126, "01352906"),
            ("2024-02-29", 20_240_229, "0134d765"),
            ("1949-12-31", 19_491_231, "0129699f"),
        ] {
            let d = ChinaDate::parse(text).unwrap();
            assert_eq!((d.yyyymmdd(), d.to_string()), (n, text.to_string()));
            let enc = d.encode();
            assert_eq!(enc.iter().map(|b| format!("{b:02x}")).collect::<String>(), bytes);
            assert_eq!(ChinaDate::decode(enc).unwrap(), d);
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{text}\""));
        }
        for s in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "20261126",
            "2026-11-26 ",
            "0999-12-31",
            "2026/11/26",
            "２０２６-11-26",
        ] {
            let e = ChinaDate::parse(s).unwrap_err();
            assert_eq!((e.code(), e.field()), ("bad_date", "date"), "{s}");
        }
        assert!(ChinaDate::decode(Copying(&20_230_229u32.to_be_bytes()[..])).is_err());
        assert_eq!(ChinaDate::from_unix_ms(1_773_590_400_000).to_string(), "2026-03-16");
        assert_eq!(ChinaDate::parse("2026-03-16").unwrap().month().to_string(), "2026-03");
        let d = |s| ChinaDate::parse(s).unwrap();
        // Reference values: 2000-03-01 is day 11,017 of the Unix epoch (`date -d
        // 2000-03-01 +%s` = 951,868,800 = 11,017 × 86,400); leap days are counted.
        assert_eq!(d("1970-01-01").day_number(), 0);
        assert_eq!(d("2000-03-01").day_number(), 11_017);
        assert_eq!(d("1969-12-31").day_number(), -1);
        assert_eq!(d("2025-12-31").days_until(d("2026-01-10")), 10);
        assert_eq!(d("2024-02-28").days_until(d("2024-03-01")), 2);
        assert_eq!(d("2026-03-01").days_until(d("2026-02-28")), -1);
        for ms in [0u64, 951_868_800_000, 1_790_000_000_000] {
            let date = ChinaDate::from_unix_ms(ms);
            assert_eq!(date.day_number(), ((ms + 8 * 3_600_000) / 86_400_000) as i64);
        }
    }

    #[test]
    fn months_parse_format_and_encode() {
        let m = Month::parse("2026-11").unwrap();
        assert_eq!((m.yyyymm(), m.to_string()), (202_611, "2026-11".to_string()));
        assert_eq!(&m.encode()[..], &202_611u32.to_be_bytes());
        assert_eq!(Month::decode(m.encode()).unwrap(), m);
        assert_eq!(Month::parse("2026-01").unwrap().previous(), Month::parse("2025-12").ok());
        assert_eq!(Month::parse("1900-01").unwrap().previous(), None);
        for s in ["0000-01", "1899-12", "2026-13", "2026-00", "2026-1", "202611", "2026-11-01"] {
            let e = Month::parse(s).unwrap_err();
            assert_eq!((e.code(), e.field()), ("bad_month", "month"), "{s}");
        }
        assert!(Month::decode(Copying(&202_613u32.to_be_bytes()[..])).is_err());
        assert_eq!(Month::from_unix_ms(1_767_196_800_000).to_string(), "2026-01");
    }

    #[test]
    fn china_dates() {
        for (ms, date, month) in [
            (0u64, (1970, 1, 1), 197_001),
            // 2026-03-15T15:59:59.999Z is 23:59:59.999 in Beijing; one ms later is the 16th.
            (1_773_590_399_999, (2026, 3, 15), 202_603),
            (1_773_590_400_000, (2026, 3, 16), 202_603),
            // 2025-12-31T16:00:00Z is New Year in China: YY becomes 26.
            (1_767_196_799_999, (2025, 12, 31), 202_512),
            (1_767_196_800_000, (2026, 1, 1), 202_601),
            // Leap day.
            (1_709_136_000_000, (2024, 2, 29), 202_402),
        ] {
            assert_eq!(china_date(ms), date, "{ms}");
            assert_eq!(month_key(ms), month, "{ms}");
        }
        assert_eq!(date_key(1_773_590_400_000), 20_260_316);
        assert!(china_date(u64::MAX).1 <= 12);
    }

    #[test]
    fn valid_dates() {
        for d in [20_240_229, 20_000_229, 19_491_231, 20_271_231] {
            assert!(is_valid_date(d), "{d}");
        }
        for d in [20_230_229, 19_000_229, 20_241_301, 20_240_100, 20_240_431, 9_991_231, 0] {
            assert!(!is_valid_date(d), "{d}");
        }
    }

    proptest! {
        #[test]
        fn consecutive_days_are_consecutive_dates(day in 0u64..3_000_000) {
            let ms = day * DAY_MS;
            let (y, m, d) = china_date(ms);
            let (y2, m2, d2) = china_date(ms + DAY_MS);
            prop_assert!(is_valid_date(y * 10_000 + m * 100 + d) || y > 9999);
            if d < days_in_month(y, m) {
                prop_assert_eq!((y2, m2, d2), (y, m, d + 1));
            } else if m < 12 {
                prop_assert_eq!((y2, m2, d2), (y, m + 1, 1));
            } else {
                prop_assert_eq!((y2, m2, d2), (y + 1, 1, 1));
            }
        }
    }
}
