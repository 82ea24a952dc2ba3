//! Money and dates as JSON carries them: decimal strings with two decimals
//! (`"1506.80"`), dates `yyyy-mm-dd` and times RFC 3339 in China time (UTC+8).

use fapiao_api::error::{ApiError, ApiResult};
use fapiao_types::{ChinaDate, Month};

pub use fapiao_api::money::{yuan, yuan_sum};

/// Fen from a decimal string, naming `field` when it is not one.
pub fn parse_yuan(field: &str, s: &str) -> ApiResult<i64> {
    fapiao_invoice_rules::money::Fen::parse(s)
        .map(|f| f.fen())
        .map_err(|e| ApiError::bad_field(field, e.to_string()))
}

/// A `yyyy-mm-dd` date, refused with 400 `invalid_field` naming `field`.
pub fn parse_date(field: &str, s: &str) -> ApiResult<ChinaDate> {
    ChinaDate::parse(s).map_err(|_| ApiError::bad_field(field, "expected yyyy-mm-dd"))
}

/// A `yyyy-mm` month of 1900–9999, refused with 400 `invalid_field` naming `field`.
pub fn parse_month(field: &str, s: &str) -> ApiResult<Month> {
    Month::parse(s).map_err(|_| ApiError::bad_field(field, "expected yyyy-mm"))
}

pub use fapiao_api::error::parse_value;

/// RFC 3339 in China time from ms since the Unix epoch.
pub fn china_time(ms: u64) -> String {
    let secs = ms / 1000 + 8 * 3600;
    let rem = secs % 86_400;
    let d = fapiao_invoice::china_date(ms);
    format!("{d}T{:02}:{:02}:{:02}+08:00", rem / 3600, rem / 60 % 60, rem % 60)
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
        assert_eq!(parse_date("d", "2026-11-26").unwrap().yyyymmdd(), 20261126);
        assert!(parse_date("d", "2026-13-01").is_err());
        assert!(parse_date("d", "2026-02-30").is_err());
        assert_eq!(parse_month("m", "2026-11").unwrap().yyyymm(), 202611);
        assert!(parse_month("m", "0000-01").is_err());
        assert_eq!(yuan_sum(i128::from(i64::MAX) * 4), "368934881474191032.28");
        assert_eq!(china_time(1_795_665_600_000), "2026-11-26T12:00:00+08:00");
    }
}
