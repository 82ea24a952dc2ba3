//! The common grammar of every decimal text of the domain (money, rates, quantities):
//! `-?(0|[1-9][0-9]*)(\.[0-9]{1,max_frac})?`, with no other leniency.

/// A validated plain decimal: sign, integer digits and fraction digits.
pub struct Decimal<'a> {
    /// A leading minus.
    pub negative: bool,
    /// Integer digits.
    pub int: &'a str,
    /// Fraction digits (may be empty).
    pub frac: &'a str,
}

/// Splits `s` per `-?(0|[1-9][0-9]*)(\.[0-9]{1,max_frac})?`.
///
/// # Errors
/// A static reason for text outside the grammar; callers wrap it in their own refusal.
pub fn split_decimal(s: &str, max_frac: usize) -> core::result::Result<Decimal<'_>, &'static str> {
    if s.is_empty() {
        return Err("empty");
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => {
            if f.is_empty() {
                return Err("no digits after the decimal point");
            }
            (i, f)
        }
        None => (body, ""),
    };
    if int.is_empty() {
        return Err("no digits before the decimal point");
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err("only digits, one decimal point and a leading minus are allowed");
    }
    if int.len() > 1 && int.starts_with('0') {
        return Err("leading zero");
    }
    if frac.len() > max_frac {
        return Err("too many decimals");
    }
    Ok(Decimal { negative, int, frac })
}

/// `digits` as an integer (at most 38 digits, checked by callers).
fn digits_value(digits: &str) -> i128 {
    digits.bytes().fold(0i128, |acc, b| acc * 10 + i128::from(b - b'0'))
}

/// The decimal scaled to `scale` fraction digits (`frac.len() ≤ scale`; callers bound the
/// digit counts so the result fits: `int.len() + scale ≤ 38`).
pub fn scaled(d: &Decimal<'_>, scale: usize) -> i128 {
    let mut v = digits_value(d.int);
    for i in 0..scale {
        let digit = d.frac.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
        v = v * 10 + digit;
    }
    if d.negative {
        -v
    } else {
        v
    }
}
