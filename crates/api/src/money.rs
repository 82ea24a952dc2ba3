//! Money as every application's JSON carries it: fen as a decimal string with two
//! decimals (`"1506.80"`, `"-66.00"`).

/// `"1506.80"` from fen.
pub fn yuan(fen: i64) -> String {
    yuan_sum(i128::from(fen))
}

/// `"1506.80"` from an aggregate of many amounts (a dashboard total), which may leave
/// the range of one amount but never `i128`'s.
pub fn yuan_sum(fen: i128) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}
