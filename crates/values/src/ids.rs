//! Identifiers with check characters: the Unified Social Credit Code (统一社会信用代码,
//! GB 32100-2015) with its embedded organisation code (GB 11714), and the resident
//! identity number (GB 11643, ISO 7064 MOD 11-2).
//!
//! Both parsers are strict: no whitespace, no case folding for the USCC (a lowercase
//! variant would otherwise become a second key for the same taxpayer). The resident ID
//! accepts a lowercase `x` check character and stores it as `X`, because people type it
//! that way and the number is never a chain key in clear (DOMAIN.md: store a salted hash).
//! Decoding (`Read`) accepts only the canonical upper-case form.

use crate::{
    calendar::is_valid_date,
    error::{Error, Result},
};
use core::fmt;
use serde::Serialize;

/// The 31-character USCC alphabet (no I, O, Z, S, V); a character's value is its index.
pub const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// USCC weights for positions 1..=17: `3^(i−1) mod 31`.
pub const USCC_WEIGHTS: [u32; 17] =
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// Organisation-code (GB 11714) weights over its eight body characters.
pub const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
/// Resident-ID (GB 11643) weights over its seventeen body digits.
pub const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK: &[u8; 11] = b"10X98765432";

fn uscc_value(c: u8) -> Option<u32> {
    USCC_ALPHABET.iter().position(|&a| a == c).and_then(|i| u32::try_from(i).ok())
}

/// The USCC check character of 17 alphabet characters, or `None` if one is outside the
/// alphabet: `31 − (Σ v·w mod 31)`, 31 → `0`.
pub fn uscc_check_char(body: &[u8; 17]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(USCC_WEIGHTS) {
        sum += uscc_value(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    USCC_ALPHABET.get(check as usize).map(|b| char::from(*b))
}

/// GB 11714 value of an organisation-code body character: digits, `A`=10 … `Z`=35.
fn org_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

/// The organisation-code check character of eight body characters:
/// `11 − Σ v·w mod 11`, 10 → `X`, 11 → `0`.
pub fn org_check_char(body: &[u8; 8]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(ORG_WEIGHTS) {
        sum += org_value(*c)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10)?,
    })
}

/// A valid Unified Social Credit Code: 18 characters — registering authority (1),
/// category (1), region code (6), organisation code (9, with its own check), check
/// character (1).
///
/// Text, JSON and binary form: the 18 characters (binary: `12` ‖ the 18 ASCII bytes, as
/// the `String` it replaces).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uscc([u8; 18]);

impl Uscc {
    /// Validates `s` (both checks, region code digits).
    ///
    /// # Errors
    /// `bad_uscc` (field `tax_id`) with the failed check as reason.
    pub fn parse(s: &str) -> Result<Uscc> {
        let bad = |reason| Error::BadUscc { field: "tax_id".into(), reason };
        let b: &[u8; 18] = s.as_bytes().try_into().map_err(|_| bad("length is not 18"))?;
        if b.iter().any(|c| uscc_value(*c).is_none()) {
            return Err(bad("character outside 0-9 A-H J-N P-R T U W-Y"));
        }
        if !b[2..8].iter().all(u8::is_ascii_digit) {
            return Err(bad("region code is not six digits"));
        }
        let org_body: &[u8; 8] = b[8..16].try_into().map_err(|_| bad("length is not 18"))?;
        if org_check_char(org_body).map(|c| c as u8) != Some(b[16]) {
            return Err(bad("organisation code check"));
        }
        let body: &[u8; 17] = b[..17].try_into().map_err(|_| bad("length is not 18"))?;
        if uscc_check_char(body).map(|c| c as u8) != Some(b[17]) {
            return Err(bad("check character"));
        }
        Ok(Uscc(*b))
    }

    /// A constant code, checked when the constant is evaluated (demo data, fixtures):
    /// `const SELLER: Uscc = Uscc::from_const("91440300708461136T");`.
    ///
    /// # Panics
    /// If `s` is not a valid code — at compile time when used in a `const`.
    pub const fn from_const(s: &str) -> Uscc {
        let b = s.as_bytes();
        assert!(b.len() == 18, "a USCC has 18 characters");
        let mut out = [0u8; 18];
        let (mut i, mut sum, mut org_sum) = (0, 0u32, 0u32);
        while i < 18 {
            out[i] = b[i];
            let mut v = 0;
            while v < 31 && USCC_ALPHABET[v] != b[i] {
                v += 1;
            }
            assert!(v < 31, "a USCC character is outside its alphabet");
            if i >= 2 && i < 8 {
                assert!(b[i].is_ascii_digit(), "a USCC's region code is six digits");
            }
            if i >= 8 && i < 16 {
                let o = if b[i].is_ascii_digit() { b[i] - b'0' } else { b[i] - b'A' + 10 };
                org_sum += o as u32 * ORG_WEIGHTS[i - 8];
            }
            if i < 17 {
                sum += v as u32 * USCC_WEIGHTS[i];
            }
            i += 1;
        }
        let org_check = match 11 - org_sum % 11 {
            10 => b'X',
            11 => b'0',
            d => b'0' + d as u8,
        };
        assert!(b[16] == org_check, "the USCC's organisation code check fails");
        assert!(b[17] == USCC_ALPHABET[((31 - sum % 31) % 31) as usize], "the USCC check fails");
        Uscc(out)
    }

    /// Builds a valid code from its parts, computing both check characters (for demo
    /// data and tests: fixtures found online often fail the checks).
    ///
    /// `authority` and `category` are single alphabet characters, `region` six digits,
    /// `org_body` the eight characters of the organisation code before its check.
    ///
    /// # Errors
    /// `bad_uscc` if a part is malformed: wrong lengths, characters outside the alphabet,
    /// a region that is not six digits.
    pub fn from_parts(
        authority: char,
        category: char,
        region: &str,
        org_body: &str,
    ) -> Result<Uscc> {
        let bad = |reason| Error::BadUscc { field: "tax_id".into(), reason };
        let mut s = String::with_capacity(18);
        s.push(authority);
        s.push(category);
        s.push_str(region);
        s.push_str(org_body);
        let body: &[u8; 16] = s.as_bytes().try_into().map_err(|_| bad("length is not 18"))?;
        let org: &[u8; 8] = body[8..16].try_into().map_err(|_| bad("length is not 18"))?;
        s.push(org_check_char(org).ok_or_else(|| bad("organisation code character"))?);
        let body17: &[u8; 17] = s.as_bytes().try_into().map_err(|_| bad("length is not 18"))?;
        s.push(uscc_check_char(body17).ok_or_else(|| bad("character outside the alphabet"))?);
        Uscc::parse(&s)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        // Only alphabet characters are ever stored: always ASCII.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Registering authority (position 1), e.g. `9` for market regulation.
    pub fn registration_authority(&self) -> char {
        self.char_at(0)
    }

    /// Category within the authority (position 2), e.g. `1` for an enterprise.
    pub fn category(&self) -> char {
        self.char_at(1)
    }

    /// Administrative division code of the registering authority (positions 3–8), e.g.
    /// `440300` for Shenzhen.
    pub fn region_code(&self) -> &str {
        self.as_str().get(2..8).unwrap_or_default()
    }

    /// The embedded organisation code with its check (positions 9–17).
    pub fn organisation_code(&self) -> &str {
        self.as_str().get(8..17).unwrap_or_default()
    }

    fn char_at(&self, i: usize) -> char {
        self.0.get(i).map_or('0', |b| char::from(*b))
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Uscc reads as its text wherever a `&str` is expected (state keys, comparisons).
impl core::ops::Deref for Uscc {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uscc({})", self.as_str())
    }
}

impl AsRef<str> for Uscc {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Uscc {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Uscc {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Uscc {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Serialize for Uscc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

text_value!(Uscc, 18, 18);

/// An administrative division code (行政区划代码, GB/T 2260): six digits, where a
/// taxpayer is registered. Whether a code is one the invoice-number region table knows is a
/// rule (`fapiao-invoice-rules`' `RegionTable`), not part of the value.
///
/// Text, JSON and binary form: the six digits (binary: `06` ‖ the six ASCII digits, as the
/// `String` it replaces).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode([u8; 6]);

impl RegionCode {
    /// Parses six ASCII digits.
    ///
    /// # Errors
    /// `bad_region_code` (field `region`).
    pub fn parse(s: &str) -> Result<RegionCode> {
        let b: &[u8; 6] = s
            .as_bytes()
            .try_into()
            .map_err(|_| Error::BadRegionCode { field: "region".into(), reason: "not 6 digits" })?;
        if !b.iter().all(u8::is_ascii_digit) {
            return Err(Error::BadRegionCode { field: "region".into(), reason: "not 6 digits" });
        }
        Ok(RegionCode(*b))
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        // Six ASCII digits, checked by every constructor.
        core::str::from_utf8(&self.0).unwrap_or("000000")
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({})", self.as_str())
    }
}

/// A region code reads as its digits wherever a `&str` is expected (the region table).
impl core::ops::Deref for RegionCode {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Serialize for RegionCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

text_value!(RegionCode, 6, 6);

/// The GB 11643 check character of seventeen digits, or `None` for a non-digit.
pub fn resident_check_char(body: &[u8; 17]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(RESIDENT_WEIGHTS) {
        if !c.is_ascii_digit() {
            return None;
        }
        sum += u32::from(c - b'0') * w;
    }
    RESIDENT_CHECK.get((sum % 11) as usize).map(|b| char::from(*b))
}

/// A valid resident identity number (居民身份证号码): six-digit address code, eight-digit
/// birth date, three-digit sequence, check character.
///
/// This is personal data: `Debug` prints it masked and there is neither `Display` nor
/// `Serialize`, so it cannot reach a log or a response by accident; read it with
/// [`ResidentId::as_str`] only to hash or encrypt it. It deserializes (through
/// [`ResidentId::parse`]) and has the text encoding, so a request can carry it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

impl ResidentId {
    /// Validates `s`: 17 digits, a calendar birth date (year ≥ 1800), the MOD 11-2 check
    /// (`x` is accepted and stored as `X`).
    ///
    /// # Errors
    /// `bad_resident_id` (field `id_number`).
    pub fn parse(s: &str) -> Result<ResidentId> {
        let bad = |reason| Error::BadResidentId { field: "id_number".into(), reason };
        let b: &[u8; 18] = s.as_bytes().try_into().map_err(|_| bad("length is not 18"))?;
        let body: &[u8; 17] = b[..17].try_into().map_err(|_| bad("length is not 18"))?;
        let check = resident_check_char(body).ok_or_else(|| bad("non-digit in the first 17"))?;
        let birth = body[6..14].iter().fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'));
        if birth < 18000101 || !is_valid_date(birth) {
            return Err(bad("birth date"));
        }
        if b[17].to_ascii_uppercase() != check as u8 {
            return Err(bad("check character"));
        }
        let mut id = s.to_owned();
        id.make_ascii_uppercase();
        Ok(ResidentId(id))
    }

    /// The number (uppercase `X`). Personal data: hash or encrypt before storing.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date as `yyyymmdd`.
    pub fn birth_date(&self) -> u32 {
        self.0.bytes().skip(6).take(8).fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
    }

    /// A masked form fit for display: `110105********002X`.
    pub fn masked(&self) -> String {
        format!("{}********{}", self.0.get(..6).unwrap_or(""), self.0.get(14..).unwrap_or(""))
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

text_value!(ResidentId, 18, 18);

#[cfg(test)]
mod tests {
    use super::*;

    const VALID_USCC: [&str; 3] =
        ["91350100M000100Y43", "91440300708461136T", "914403001922038216"];

    #[test]
    fn domain_uscc_vectors() {
        for s in VALID_USCC {
            let u = Uscc::parse(s).unwrap();
            assert_eq!(u.as_str(), s);
        }
        let e = Uscc::parse("91350100M000100Y4Z").unwrap_err();
        assert_eq!(e.code(), "bad_uscc");
        assert_eq!(e.field(), "tax_id");
        let t = Uscc::parse("91440300708461136T").unwrap();
        assert_eq!(t.region_code(), "440300");
        assert_eq!(t.organisation_code(), "708461136");
        assert_eq!(t.registration_authority(), '9');
        assert_eq!(t.category(), '1');
    }

    #[test]
    fn uscc_refusals() {
        for (s, reason) in [
            ("", "length is not 18"),
            ("91350100M000100Y4", "length is not 18"),
            ("91350100M000100Y433", "length is not 18"),
            ("91350100m000100Y43", "character outside 0-9 A-H J-N P-R T U W-Y"),
            ("91350100I000100Y43", "character outside 0-9 A-H J-N P-R T U W-Y"),
            (" 1350100M000100Y43", "character outside 0-9 A-H J-N P-R T U W-Y"),
            ("9135010AM000100Y43", "region code is not six digits"),
            ("91350100M000100Y53", "organisation code check"),
        ] {
            match Uscc::parse(s).unwrap_err() {
                Error::BadUscc { reason: r, .. } => assert_eq!(r, reason, "{s:?}"),
                e => panic!("{s:?}: {e:?}"),
            }
        }
    }

    #[test]
    fn every_single_character_mutation_of_a_valid_uscc_fails() {
        for s in VALID_USCC {
            for i in 0..18 {
                for &c in USCC_ALPHABET.iter().chain(b"IOZSVa ") {
                    let mut b = s.as_bytes().to_vec();
                    if b[i] == c {
                        continue;
                    }
                    b[i] = c;
                    let m = String::from_utf8(b).unwrap();
                    assert!(Uscc::parse(&m).is_err(), "{m} accepted");
                }
            }
        }
    }

    #[test]
    fn constants_are_checked_like_parsed_codes() {
        const T: Uscc = Uscc::from_const("91440300708461136T");
        assert_eq!(T, Uscc::parse("91440300708461136T").unwrap());
        for s in VALID_USCC {
            assert_eq!(Uscc::from_const(s), Uscc::parse(s).unwrap());
        }
        for s in
            ["91350100M000100Y4Z", "91350100M000100Y53", "9135010AM000100Y43", "91350100I000100Y43"]
        {
            assert!(std::panic::catch_unwind(|| Uscc::from_const(s)).is_err(), "{s}");
        }
    }

    #[test]
    fn from_parts_builds_valid_codes() {
        let u = Uscc::from_parts('9', '1', "440300", "70846113").unwrap();
        assert_eq!(u.as_str(), "91440300708461136T");
        let u = Uscc::from_parts('9', '1', "350100", "M000100Y").unwrap();
        assert_eq!(u.as_str(), "91350100M000100Y43");
        assert!(Uscc::from_parts('9', '1', "44030", "70846113").is_err());
        assert!(Uscc::from_parts('9', '1', "440300", "7084611I").is_err());
    }

    #[test]
    fn uscc_serde() {
        let u: Uscc = serde_json::from_str("\"914403001922038216\"").unwrap();
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"914403001922038216\"");
        assert!(serde_json::from_str::<Uscc>("\"914403001922038217\"").is_err());
    }

    #[test]
    fn uscc_encodes_as_the_string_it_replaces() {
        use commonware_codec::{Copying, DecodeExt, Encode};
        let u = Uscc::parse("91440300708461136T").unwrap();
        let bytes = u.encode();
        assert_eq!(hex(&bytes), "12393134343033303037303834363131333654");
        assert_eq!(Uscc::decode(bytes).unwrap(), u);
        // A string of the right length that fails the check, and a short one.
        let mut bad = hex_bytes("12393134343033303037303834363131333654");
        bad[18] = b'U';
        assert!(Uscc::decode(Copying(bad.as_slice())).is_err());
        assert!(Uscc::decode(Copying(&[0x11u8; 18][..])).is_err());
    }

    #[test]
    fn region_codes_are_six_digits_encoded_as_text() {
        use commonware_codec::{Copying, DecodeExt, Encode};
        let r = RegionCode::parse("440300").unwrap();
        assert_eq!(&r.encode()[..], b"\x06440300");
        assert_eq!(RegionCode::decode(r.encode()).unwrap(), r);
        assert_eq!(&*r, "440300");
        for bad in ["4403", "44030a", "4403000", "", "４４０３００"] {
            let e = RegionCode::parse(bad).unwrap_err().at("region");
            assert_eq!((e.code(), e.field()), ("bad_region_code", "region"), "{bad:?}");
        }
        assert!(RegionCode::decode(Copying(&b"\x0644030a"[..])).is_err());
        assert!(RegionCode::decode(Copying(&b"\x044403"[..])).is_err());
    }

    #[test]
    fn resident_id_decodes_only_the_canonical_text() {
        use commonware_codec::{Copying, DecodeExt, Encode};
        let id = ResidentId::parse("11010519491231002x").unwrap();
        let bytes = id.encode();
        assert_eq!(&bytes[1..], b"11010519491231002X");
        assert_eq!(ResidentId::decode(bytes).unwrap(), id);
        let mut lower = vec![18u8];
        lower.extend_from_slice(b"11010519491231002x");
        assert!(ResidentId::decode(Copying(lower.as_slice())).is_err());
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn hex_bytes(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn domain_resident_id_vector() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.birth_date(), 19491231);
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(format!("{id:?}"), "ResidentId(110105********002X)");
        assert_eq!(ResidentId::parse("11010519491231002x").unwrap(), id);
    }

    #[test]
    fn resident_id_refusals() {
        for (s, reason) in [
            ("11010519491231002", "length is not 18"),
            ("1101051949123100AX", "non-digit in the first 17"),
            ("110105194913310021", "birth date"),
            ("110105179912310021", "birth date"),
            ("110105194912310021", "check character"),
        ] {
            match ResidentId::parse(s).unwrap_err() {
                Error::BadResidentId { reason: r, field } => {
                    assert_eq!(r, reason, "{s:?}");
                    assert_eq!(field, "id_number");
                }
                e => panic!("{s:?}: {e:?}"),
            }
        }
    }

    #[test]
    fn every_single_character_mutation_of_the_resident_id_fails() {
        let s = "11010519491231002X";
        for i in 0..18 {
            for &c in b"0123456789Xx" {
                let mut b = s.as_bytes().to_vec();
                if b[i].eq_ignore_ascii_case(&c) {
                    continue;
                }
                b[i] = c;
                let m = String::from_utf8(b).unwrap();
                assert!(ResidentId::parse(&m).is_err(), "{m} accepted");
            }
        }
    }
}
