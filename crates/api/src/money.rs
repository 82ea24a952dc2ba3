//! Money and dates as JSON carries them: decimal strings with two decimals
//! (`"1506.80"`), dates `yyyy-mm-dd` and times RFC 3339 in China time (UTC+8).

use crate::error::{ApiError, ApiResult};

/// `"1506.80"` from fen.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `"1506.80"` from an aggregate of many amounts (a dashboard total), which may leave
/// the range of one amount but never `i128`'s.
pub fn yuan_sum(fen: i128) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Fen from a decimal string, naming `field` when it is not one.
pub fn parse_yuan(field: &str, s: &str) -> ApiResult<i64> {
    fapiao_invoice_rules::money::Fen::parse(s)
        .map(|f| f.fen())
        .map_err(|e| ApiError::bad_field(field, e.to_string()))
}

/// `yyyymmdd` → `yyyy-mm-dd`.
pub fn date(d: u32) -> String {
    format!("{:04}-{:02}-{:02}", d / 10000, d / 100 % 100, d % 100)
}

/// `yyyy-mm-dd` → `yyyymmdd`.
pub fn parse_date(field: &str, s: &str) -> ApiResult<u32> {
    let bad = || ApiError::bad_field(field, "expected yyyy-mm-dd");
    let p: Vec<&str> = s.split('-').collect();
    let [y, m, d] = p.as_slice() else { return Err(bad()) };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(y * 10000 + m * 100 + d)
}

/// `yyyy-mm` → `yyyymm`.
pub fn parse_month(field: &str, s: &str) -> ApiResult<u32> {
    let bad = || ApiError::bad_field(field, "expected yyyy-mm");
    let (y, m) = s.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let (y, m): (u32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    // The chain files and computes returns from 1900-01 on (a year 0 has no month before
    // its January).
    if !(1..=12).contains(&m) || y < 1900 {
        return Err(bad());
    }
    Ok(y * 100 + m)
}

/// RFC 3339 in China time from ms since the Unix epoch.
pub fn china_time(ms: u64) -> String {
    let secs = ms / 1000 + 8 * 3600;
    let rem = secs % 86_400;
    let d = fapiao_invoice::china_date(ms);
    format!("{}T{:02}:{:02}:{:02}+08:00", date(d), rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_dates_round_trip() {
        assert_eq!(yuan(150680), "1506.80");
        assert_eq!(yuan(-5), "-0.05");
        assert_eq!(yuan(0), "0.00");
        assert_eq!(parse_yuan("x", "1506.80").unwrap(), 150680);
        assert!(parse_yuan("x", "1.234").is_err());
        assert_eq!(parse_date("d", "2026-11-26").unwrap(), 20261126);
        assert!(parse_date("d", "2026-13-01").is_err());
        assert_eq!(parse_month("m", "2026-11").unwrap(), 202611);
        assert!(parse_month("m", "0000-01").is_err());
        assert_eq!(yuan_sum(i128::from(i64::MAX) * 4), "368934881474191032.28");
        assert_eq!(china_time(1_795_665_600_000), "2026-11-26T12:00:00+08:00");
    }
}
