//! Amounts in capitals (人民币大写): one canonical spelling generated from fen, and a parser
//! that accepts every legal spelling and reads it back to fen, so that a declared amount
//! in capitals is validated by parsing, never by comparing strings.
//!
//! # The canonical form ([`to_capitals`])
//!
//! * Digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside a four-digit section, 万 and 亿 as
//!   section units (10¹² is 万亿), currency 圆 (never 元), 角, 分, suffix 整.
//! * Tens are written 壹拾 (`10.00` → 壹拾圆整).
//! * A run of zeros inside the integer part is one 零 (`1005.00` → 壹仟零伍圆整), also across
//!   a section boundary (`100005.00` → 壹拾万零伍圆整); trailing zeros of the integer part
//!   are not written (`10000.05` → 壹万圆零伍分). When a zero section boundary (万位 or
//!   亿位) is directly followed by a non-zero 仟, no 零 is written (`107000.00` →
//!   壹拾万柒仟圆整), as the payment regulations allow.
//! * 整 follows 圆 or 角, never 分. 角 zero with 分 non-zero writes 零 after 圆
//!   (`325.04` → 叁佰贰拾伍圆零肆分); a zero 圆 digit before a non-zero 角 writes nothing
//!   (`10.50` → 壹拾圆伍角整). Below one yuan nothing precedes the first digit
//!   (`0.10` → 壹角整, `0.05` → 伍分). Zero is 零圆整.
//! * A negative amount (a red invoice) is prefixed by the marker [`NEGATIVE_MARKER`],
//!   `(负数)`, with ASCII parentheses: DOMAIN.md asks for "a 负数 marker"; a textual marker
//!   (rather than the ⊗ glyph some printers use) survives JSON, search and screen readers.
//!
//! # Legal spellings ([`parse_capitals`])
//!
//! Following the rules for filling in bills (正确填写票据和结算凭证的基本规定):
//! 圆 or 元; 整 or 正; 整 required after 圆, optional after 角, refused after 分; one 零
//! for each run of zeros in the middle of the number, required except where the run ends
//! at 万位, 亿位 or 元位 and the next digit is 仟 or 角, where 零 is optional
//! (`1680.32` may be 壹仟陆佰捌拾元零叁角贰分 or 壹仟陆佰捌拾元叁角贰分); 壹拾, never a bare
//! 拾. The negative marker may be `(负数)`, `（负数）`, `负数`, `负` or `⊗`. Everything else
//! (Arabic digits, 两, 十, spaces, two 零 in a row, 零 where no digit is missing) is refused.

use crate::{
    error::{Error, Result},
    money::Fen,
};

/// The prefix of a negative amount in capitals.
pub const NEGATIVE_MARKER: &str = "(负数)";
/// Negative markers the parser accepts, longest first.
const NEGATIVE_MARKERS: [&str; 5] = ["(负数)", "（负数）", "负数", "负", "⊗"];
const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const FIELD: &str = "total_with_tax_in_capitals";

/// The canonical capitals of `amount` (see the module docs).
pub fn to_capitals(amount: Fen) -> String {
    let mut out = String::new();
    if amount.is_negative() {
        out.push_str(NEGATIVE_MARKER);
    }
    let m = amount.fen().unsigned_abs();
    let yuan = m / 100;
    let jiao = (m / 10 % 10) as usize;
    let fen = (m % 10) as usize;
    if m == 0 {
        out.push_str("零圆整");
        return out;
    }
    if yuan > 0 {
        push_integer(&mut out, yuan);
        out.push('圆');
        if jiao == 0 && fen != 0 {
            out.push('零');
        }
    }
    if jiao != 0 {
        out.push(DIGITS[jiao]);
        out.push('角');
    }
    if fen != 0 {
        out.push(DIGITS[fen]);
        out.push('分');
    } else {
        out.push('整');
    }
    out
}

/// Writes `0 < n < 10^16`.
fn push_integer(out: &mut String, n: u64) {
    const YI: u64 = 100_000_000;
    if n >= YI {
        push_under_yi(out, n / YI);
        out.push('亿');
        let lo = n % YI;
        if lo != 0 {
            if lo < YI / 10 {
                out.push('零');
            }
            push_under_yi(out, lo);
        }
    } else {
        push_under_yi(out, n);
    }
}

/// Writes `0 < n < 10^8`.
fn push_under_yi(out: &mut String, n: u64) {
    if n >= 10_000 {
        push_section(out, n / 10_000);
        out.push('万');
        let lo = n % 10_000;
        if lo != 0 {
            if lo < 1000 {
                out.push('零');
            }
            push_section(out, lo);
        }
    } else {
        push_section(out, n);
    }
}

/// Writes `0 < n < 10^4`: leading zeros skipped, a run of inner zeros as one 零, trailing
/// zeros skipped.
fn push_section(out: &mut String, n: u64) {
    let mut started = false;
    let mut zero = false;
    for (power, unit) in [(1000, Some('仟')), (100, Some('佰')), (10, Some('拾')), (1, None)] {
        let d = (n / power % 10) as usize;
        if d == 0 {
            zero |= started;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(DIGITS[d]);
        if let Some(u) = unit {
            out.push(u);
        }
        started = true;
    }
}

/// One non-zero digit at a decimal position: 0 for 圆, 1 for 拾 … 15, −1 for 角, −2 for 分.
#[derive(Clone, Copy)]
struct Term {
    digit: u8,
    pos: i32,
    zero_before: bool,
}

/// Reads a legal spelling back to fen (see the module docs for what is legal).
///
/// # Errors
/// `invoice.bad_capitals` (field `total_with_tax_in_capitals`) with the reason.
pub fn parse_capitals(text: &str) -> Result<Fen> {
    let bad = |reason| Error::BadCapitals { field: FIELD.into(), reason };
    let (negative, body) = NEGATIVE_MARKERS
        .iter()
        .find_map(|m| text.strip_prefix(m).map(|rest| (true, rest)))
        .unwrap_or((false, text));
    if matches!(body, "零圆整" | "零元整" | "零圆正" | "零元正") {
        return if negative { Err(bad("negative zero")) } else { Ok(Fen::ZERO) };
    }

    let mut terms: Vec<Term> = Vec::new();
    // A digit waiting for its unit, with whether a 零 preceded it.
    let mut cur: Option<(u8, bool)> = None;
    let mut pending_zero = false;
    let mut seen_yuan = false;
    let mut ended = false;
    // Index of the first term not yet multiplied by the current 万 / 亿.
    let mut wan_from = 0usize;
    let mut yi_from = 0usize;

    for ch in body.chars() {
        if ended {
            return Err(bad("text after 整"));
        }
        if let Some(d) = DIGITS.iter().position(|&c| c == ch).filter(|&d| d > 0) {
            if cur.is_some() {
                return Err(bad("two digits without a unit"));
            }
            cur = Some((d as u8, core::mem::take(&mut pending_zero)));
            continue;
        }
        match ch {
            '零' => {
                if cur.is_some() {
                    return Err(bad("零 after a digit"));
                }
                if pending_zero {
                    return Err(bad("two 零 in a row"));
                }
                pending_zero = true;
            }
            '拾' | '佰' | '仟' => {
                if seen_yuan {
                    return Err(bad("拾, 佰 or 仟 after 圆"));
                }
                let (digit, zero_before) = cur.take().ok_or_else(|| bad("unit without a digit"))?;
                let pos = match ch {
                    '拾' => 1,
                    '佰' => 2,
                    _ => 3,
                };
                terms.push(Term { digit, pos, zero_before });
            }
            '万' | '亿' => {
                if seen_yuan {
                    return Err(bad("万 or 亿 after 圆"));
                }
                if pending_zero {
                    return Err(bad("零 before 万 or 亿"));
                }
                if let Some((digit, zero_before)) = cur.take() {
                    terms.push(Term { digit, pos: 0, zero_before });
                }
                let (from, shift) = if ch == '万' { (wan_from, 4) } else { (yi_from, 8) };
                let section = terms.get_mut(from..).unwrap_or_default();
                if section.is_empty() {
                    return Err(bad("万 or 亿 without digits"));
                }
                for t in section {
                    t.pos += shift;
                }
                wan_from = terms.len();
                if ch == '亿' {
                    yi_from = terms.len();
                }
            }
            '圆' | '元' => {
                if seen_yuan {
                    return Err(bad("two 圆"));
                }
                if pending_zero {
                    return Err(bad("零 before 圆"));
                }
                if let Some((digit, zero_before)) = cur.take() {
                    terms.push(Term { digit, pos: 0, zero_before });
                }
                if terms.is_empty() {
                    return Err(bad("圆 without yuan"));
                }
                seen_yuan = true;
            }
            '角' | '分' => {
                let (digit, zero_before) = cur.take().ok_or_else(|| bad("unit without a digit"))?;
                if !seen_yuan && terms.iter().any(|t| t.pos >= 0) {
                    return Err(bad("missing 圆"));
                }
                let pos = if ch == '角' { -1 } else { -2 };
                terms.push(Term { digit, pos, zero_before });
            }
            '整' | '正' => {
                if cur.is_some() || pending_zero {
                    return Err(bad("整 after a digit"));
                }
                match terms.last() {
                    Some(t) if t.pos == -2 => return Err(bad("整 after 分")),
                    Some(t) if t.pos == -1 || (t.pos >= 0 && seen_yuan) => ended = true,
                    _ => return Err(bad("整 without 圆 or 角")),
                }
            }
            _ => return Err(bad("unexpected character")),
        }
    }
    if cur.is_some() {
        return Err(bad("missing 圆"));
    }
    if pending_zero {
        return Err(bad("trailing 零"));
    }
    let Some(last) = terms.last() else {
        return Err(bad("no amount"));
    };
    if !seen_yuan && terms.iter().any(|t| t.pos >= 0) {
        return Err(bad("missing 圆"));
    }
    if last.pos >= 0 && !ended {
        return Err(bad("missing 整 after 圆"));
    }

    let mut value: i64 = 0;
    let mut prev: Option<i32> = None;
    for t in &terms {
        match prev {
            None if t.zero_before => return Err(bad("leading 零")),
            None => {}
            Some(p) if t.pos >= p => return Err(bad("units out of order")),
            Some(p) if p - t.pos == 1 && t.zero_before => {
                return Err(bad("零 where no digit is missing"));
            }
            Some(p) if p - t.pos == 1 => {}
            Some(_) => {
                // The run of missing digits ends just above this one.
                let lowest = t.pos + 1;
                let optional = lowest == 0 || (lowest > 0 && lowest % 4 == 0);
                if !t.zero_before && !optional {
                    return Err(bad("missing 零"));
                }
            }
        }
        prev = Some(t.pos);
        // pos ≤ 15 and ≥ −2: 10^(pos+2) ≤ 10^17 and the sum of distinct positions < 10^18.
        let place = 10i64.pow(u32::try_from(t.pos + 2).map_err(|_| bad("units out of order"))?);
        value += i64::from(t.digit) * place;
    }
    let value = if negative { -value } else { value };
    Fen::new(value).map_err(|_| bad("out of range"))
}

/// Checks that `text` spells `expected`.
///
/// # Errors
/// `invoice.bad_capitals` if `text` is not a legal spelling, `invoice.capitals_mismatch` if it spells
/// another amount (both on field `total_with_tax_in_capitals`).
pub fn check_capitals(text: &str, expected: Fen) -> Result<()> {
    let found = parse_capitals(text)?;
    if found != expected {
        return Err(Error::CapitalsMismatch { field: FIELD.into(), expected, found });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fen(s: &str) -> Fen {
        Fen::parse(s).unwrap()
    }

    #[test]
    fn domain_examples() {
        for (amount, text) in [
            ("0.10", "壹角整"),
            ("1005.00", "壹仟零伍圆整"),
            ("10000.05", "壹万圆零伍分"),
            ("16409.02", "壹万陆仟肆佰零玖圆零贰分"),
            ("325.04", "叁佰贰拾伍圆零肆分"),
            ("10.00", "壹拾圆整"),
            ("1506.80", "壹仟伍佰零陆圆捌角整"),
        ] {
            assert_eq!(to_capitals(fen(amount)), text, "{amount}");
            assert_eq!(parse_capitals(text).unwrap(), fen(amount), "{text}");
        }
    }

    #[test]
    fn canonical_forms() {
        for (amount, text) in [
            ("0", "零圆整"),
            ("0.05", "伍分"),
            ("0.15", "壹角伍分"),
            ("1", "壹圆整"),
            ("10.50", "壹拾圆伍角整"),
            ("15", "壹拾伍圆整"),
            ("100005", "壹拾万零伍圆整"),
            ("107000", "壹拾万柒仟圆整"),
            ("1000700", "壹佰万零柒佰圆整"),
            ("10050000", "壹仟零伍万圆整"),
            ("100000001", "壹亿零壹圆整"),
            ("100005000", "壹亿零伍仟圆整"),
            ("150000000", "壹亿伍仟万圆整"),
            ("1000000000000", "壹万亿圆整"),
            ("1000100000000", "壹万零壹亿圆整"),
            ("1234567890123.45", "壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁圆肆角伍分"),
            (
                "9999999999999999.99",
                "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖圆玖角玖分",
            ),
            ("-1506.80", "(负数)壹仟伍佰零陆圆捌角整"),
            ("-0.01", "(负数)壹分"),
        ] {
            assert_eq!(to_capitals(fen(amount)), text, "{amount}");
            assert_eq!(parse_capitals(text).unwrap(), fen(amount), "{text}");
        }
    }

    #[test]
    fn other_legal_spellings() {
        for (text, amount) in [
            ("壹仟陆佰捌拾元零叁角贰分", "1680.32"),
            ("壹仟陆佰捌拾元叁角贰分", "1680.32"),
            ("壹拾万柒仟元零伍角叁分", "107000.53"),
            ("壹拾万零柒仟元伍角叁分", "107000.53"),
            ("壹仟肆佰零玖元伍角", "1409.50"),
            ("壹仟肆佰零玖元伍角正", "1409.50"),
            ("陆仟零柒元壹角肆分", "6007.14"),
            ("壹拾圆正", "10"),
            ("壹亿伍仟圆整", "100005000"),
            ("伍角", "0.50"),
            ("零元整", "0"),
            ("（负数）壹圆整", "-1"),
            ("负数壹圆整", "-1"),
            ("负壹圆整", "-1"),
            ("⊗壹圆整", "-1"),
        ] {
            assert_eq!(parse_capitals(text).unwrap(), fen(amount), "{text}");
        }
    }

    #[test]
    fn illegal_spellings() {
        for (text, reason) in [
            ("", "no amount"),
            ("壹仟伍圆整", "missing 零"),
            ("壹万圆伍分", "missing 零"),
            ("壹拾圆零伍分整", "整 after 分"),
            ("拾圆整", "unit without a digit"),
            ("壹仟零零伍圆整", "two 零 in a row"),
            ("壹佰零壹拾圆整", "零 where no digit is missing"),
            ("伍角零伍分", "零 where no digit is missing"),
            ("壹仟圆", "missing 整 after 圆"),
            ("壹拾伍", "missing 圆"),
            ("壹拾", "missing 圆"),
            ("壹拾伍角", "missing 圆"),
            ("伍拾壹佰圆整", "units out of order"),
            ("壹仟贰仟圆整", "units out of order"),
            ("壹万贰万圆整", "units out of order"),
            ("壹亿亿圆整", "万 or 亿 without digits"),
            ("壹拾零万圆整", "零 before 万 or 亿"),
            ("壹仟零圆整", "零 before 圆"),
            ("零伍角", "leading 零"),
            ("零圆伍角", "零 before 圆"),
            ("伍伍圆整", "two digits without a unit"),
            ("伍零圆整", "零 after a digit"),
            ("壹圆整整", "text after 整"),
            ("壹圆整伍角", "text after 整"),
            ("整", "整 without 圆 or 角"),
            ("壹圆壹圆整", "two 圆"),
            ("壹圆壹拾圆整", "拾, 佰 or 仟 after 圆"),
            ("1圆整", "unexpected character"),
            ("两圆整", "unexpected character"),
            ("壹 圆整", "unexpected character"),
            ("(负数)零圆整", "negative zero"),
            ("圆整", "圆 without yuan"),
            ("壹角伍", "missing 圆"),
        ] {
            match parse_capitals(text) {
                Err(Error::BadCapitals { reason: r, field }) => {
                    assert_eq!(r, reason, "{text}");
                    assert_eq!(field, FIELD);
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn check_against_figures() {
        assert!(check_capitals("壹仟伍佰零陆圆捌角整", fen("1506.80")).is_ok());
        let e = check_capitals("壹仟伍佰零陆圆整", fen("1506.80")).unwrap_err();
        assert_eq!(e.code(), "invoice.capitals_mismatch");
        assert_eq!(e.field(), "total_with_tax_in_capitals");
    }

    /// Amounts with many zeros exercise the 零 rules far more than uniform ones.
    fn zero_heavy() -> impl Strategy<Value = Fen> {
        (prop::collection::vec(prop_oneof![3 => Just(0i64), 1 => 1i64..=9], 1..=18), any::<bool>())
            .prop_map(|(digits, neg)| {
                let v = digits.iter().fold(0i64, |acc, d| acc * 10 + d);
                Fen::new(if neg { -v } else { v }).unwrap()
            })
    }

    proptest! {
        #[test]
        fn capitals_parse_back(v in -999_999_999_999_999_999i64..=999_999_999_999_999_999) {
            let f = Fen::new(v).unwrap();
            prop_assert_eq!(parse_capitals(&to_capitals(f)).unwrap(), f);
        }

        #[test]
        fn capitals_parse_back_zero_heavy(f in zero_heavy()) {
            let text = to_capitals(f);
            prop_assert_eq!(parse_capitals(&text).unwrap(), f);
            prop_assert!(!text.contains("零零"));
            prop_assert!(!text.contains("分整"));
            prop_assert!(!text.contains('元'));
            prop_assert_eq!(text.ends_with('整'), f.fen() % 10 == 0);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "[零壹贰叁伍拾佰仟万亿圆元角分整(负数)]{0,24}") {
            if let Ok(f) = parse_capitals(&s) {
                // Whatever parses has a canonical form that parses to the same amount.
                prop_assert_eq!(parse_capitals(&to_capitals(f)).unwrap(), f);
            }
        }
    }
}
