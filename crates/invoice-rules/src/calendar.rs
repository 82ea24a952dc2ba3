//! China-time calendar arithmetic (UTC+8, no daylight saving since 1991) on Unix
//! milliseconds, with the integer days-to-civil algorithm of the proleptic Gregorian
//! calendar: no clock, no time-zone database, no floats.
//!
//! Dates are `yyyymmdd` integers (`20260315`) and months `yyyymm` (`202603`), as the
//! configuration, the number's `YY`, monthly credit and VAT returns use them.

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
