//! `docs/formats.md` §12.4 against the parser: the test implements the two check
//! characters from the section's own alphabet and weights, and [`Uscc::parse`] must agree
//! with it on codes registered by real enterprises and on every single-character change
//! of them; the refusal table's reasons, the code `bad_uscc` and the worked example are
//! the parser's.

use fapiao_invoice_rules::Uscc;

const FORMATS: &str = include_str!("../../../docs/formats.md");

/// Codes registered by real enterprises (those §12.4 names), each with a different check
/// situation: `9111000071093123XX` has the organisation-code check `X`.
const PUBLISHED: [&str; 6] = [
    "91440300708461136T",
    "914403001922038216",
    "91110108551385082Q",
    "91110000802100433B",
    "91440300192317458F",
    "9111000071093123XX",
];

fn section() -> &'static str {
    FORMATS
        .split("\n### 12.4 ")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("formats.md has §12.4")
}

/// The numbers in the backticked run that follows `label` in §12.4.
fn numbers_after(label: &str) -> Vec<u32> {
    let rest = section().split(label).nth(1).unwrap_or_else(|| panic!("§12.4 has {label:?}"));
    let quoted = rest.split('`').nth(1).unwrap();
    quoted.split_whitespace().map(|n| n.parse().unwrap()).collect()
}

fn alphabet() -> &'static str {
    let rest = section().split("the alphabet `").nth(1).unwrap();
    rest.split('`').next().unwrap()
}

/// The two checks exactly as §12.4 states them.
fn documented_valid(code: &str) -> bool {
    let alphabet = alphabet();
    let org_weights = numbers_after("and the weights ");
    let weights = numbers_after("for position `i`: ");
    let b = code.as_bytes();
    if b.len() != 18 || !code.chars().all(|c| alphabet.contains(c)) {
        return false;
    }
    if !b[2..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let value = |c: u8| match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        _ => u32::from(c - b'A') + 10,
    };
    let s: u32 = b[8..16].iter().zip(&org_weights).map(|(&c, w)| value(c) * w).sum();
    let org_check = match 11 - s % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + u8::try_from(d).unwrap(),
    };
    if b[16] != org_check {
        return false;
    }
    let index = |c: u8| u32::try_from(alphabet.find(char::from(c)).unwrap()).unwrap();
    let s: u32 = b[..17].iter().zip(&weights).map(|(&c, w)| index(c) * w).sum();
    let check = alphabet.as_bytes()[((31 - s % 31) % 31) as usize];
    b[17] == check
}

#[test]
fn the_documented_constants() {
    assert_eq!(alphabet().len(), 31);
    assert_eq!(numbers_after("and the weights "), [3, 7, 9, 10, 5, 8, 4, 2]);
    let weights = numbers_after("for position `i`: ");
    assert_eq!(weights.len(), 17);
    for (i, w) in weights.iter().enumerate() {
        assert_eq!(*w, 3u32.pow(u32::try_from(i).unwrap()) % 31, "3^{i} mod 31");
    }
}

#[test]
fn published_codes_pass_both_checks_and_every_change_fails() {
    for code in PUBLISHED {
        assert!(section().contains(code), "§12.4 names {code}");
        assert!(documented_valid(code), "{code} by the document");
        assert_eq!(Uscc::parse(code).unwrap().as_str(), code);
        for i in 0..18 {
            for c in alphabet().bytes().chain(*b"IOZSVa ") {
                let mut changed = code.as_bytes().to_vec();
                if changed[i] == c {
                    continue;
                }
                changed[i] = c;
                let changed = String::from_utf8(changed).unwrap();
                assert_eq!(
                    Uscc::parse(&changed).is_ok(),
                    documented_valid(&changed),
                    "{changed}: the parser and §12.4 disagree"
                );
                assert!(Uscc::parse(&changed).is_err(), "{changed}");
            }
        }
    }
}

#[test]
fn the_worked_example_and_the_x_cases() {
    let text = section();
    // 91440300708461136T: organisation code sum 181 → 6, code sum 966 → T.
    for figure in ["= 181", "181 mod 11 = 5", "S = 966", "966 mod 31 = 5", "alphabet[26] = T"] {
        assert!(text.contains(figure), "§12.4 shows {figure:?}");
    }
    assert_eq!(alphabet().as_bytes()[26], b'T');
    assert_eq!(alphabet().find('X'), Some(29));
    assert!(text.contains("character 29"));
    let sinopec = Uscc::parse("9111000071093123XX").unwrap();
    assert_eq!(sinopec.organisation_code(), "71093123X");
}

#[test]
fn refusals_carry_the_documented_code_field_and_reason() {
    for (code, reason) in [
        ("91440300708461136", "length is not 18"),
        ("91440300708461136t", "character outside 0-9 A-H J-N P-R T U W-Y"),
        ("9144030O708461136T", "character outside 0-9 A-H J-N P-R T U W-Y"),
        ("914403A0708461136T", "region code is not six digits"),
        ("91440300708461137T", "organisation code check"),
        ("91440300708461136U", "check character"),
    ] {
        let e = Uscc::parse(code).unwrap_err();
        assert_eq!(e.code(), "bad_uscc", "{code}");
        assert!(section().contains(&format!("`{reason}`")), "§12.4 lists {reason:?}");
        let message = e.at("uscc").to_string();
        assert_eq!(message, format!("uscc: invalid unified social credit code ({reason})"));
    }
    assert!(
        section().contains("`uscc: invalid unified social credit code\n(check character)`")
            || section().contains("`uscc: invalid unified social credit code (check character)`")
    );
}
