//! [`Vin`]: the vehicle identification number (车辆识别代号, ISO 3779, GB 16735): 17
//! characters, digits and capital letters other than I, O and Q, the ninth a check
//! character over the other sixteen.
//!
//! The check (GB 16735 Annex, the North American rule ISO 3779 leaves optional and China
//! makes mandatory): letters are transliterated `A–H` → 1–8, `J–N` → 1–5, `P` → 7,
//! `R` → 9, `S–Z` → 2–9, digits are their value; weights by position are
//! `8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2`; the check is the weighted sum mod 11, 10 → `X`.

use crate::error::{Error, Result};
use core::fmt;
use serde::Serialize;

/// Weights of the 17 positions (the ninth, the check itself, weighs 0).
pub const VIN_WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The transliterated value of a VIN character, or `None` outside the alphabet.
fn value(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'H' => u32::from(c - b'A') + 1,
        b'J'..=b'N' => u32::from(c - b'J') + 1,
        b'P' => 7,
        b'R' => 9,
        b'S'..=b'Z' => u32::from(c - b'S') + 2,
        _ => return None,
    })
}

/// The check character (position 9) of 17 VIN characters, or `None` if one is outside
/// the alphabet. The ninth character itself is ignored.
pub fn vin_check_char(vin: &[u8; 17]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in vin.iter().zip(VIN_WEIGHTS) {
        sum += value(*c)? * w;
    }
    Some(match sum % 11 {
        10 => 'X',
        d => char::from_digit(d, 10)?,
    })
}

/// A valid vehicle identification number.
///
/// Text, JSON and binary form: the 17 characters (binary: `11` ‖ the 17 ASCII bytes, as
/// the `String` it replaces).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Vin([u8; 17]);

impl Vin {
    /// Validates `s`: 17 characters of `0-9 A-H J-N P R-Z`, the check character at
    /// position 9.
    ///
    /// # Errors
    /// `bad_vin` (field `vin`).
    pub fn parse(s: &str) -> Result<Vin> {
        let bad = |reason| Error::BadVin { field: "vin".into(), reason };
        let b: &[u8; 17] = s.as_bytes().try_into().map_err(|_| bad("length is not 17"))?;
        let check = vin_check_char(b).ok_or_else(|| bad("character outside 0-9 A-H J-N P R-Z"))?;
        if b[8] != check as u8 {
            return Err(bad("check character"));
        }
        Ok(Vin(*b))
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        // Only alphabet characters are ever stored: always ASCII.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// World manufacturer identifier (positions 1–3), e.g. `LSV` for SAIC Volkswagen.
    pub fn wmi(&self) -> &str {
        self.as_str().get(..3).unwrap_or_default()
    }
}

impl fmt::Display for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Vin reads as its text wherever a `&str` is expected (state keys, comparisons).
impl core::ops::Deref for Vin {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vin({})", self.as_str())
    }
}

impl Serialize for Vin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

text_value!(Vin, 17, 17);

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::{DecodeExt, Encode};

    /// Published VINs whose check digit is right: the worked example of the check-digit
    /// article (`1M8GDM9AXKP042788`, check `X`), a Honda Accord often quoted in VIN
    /// decoder documentation, the all-ones VIN, and the demo's SAIC Volkswagen one.
    const VALID: [&str; 5] = [
        "1M8GDM9AXKP042788",
        "1HGCM82633A004352",
        "JHMCM56557C404453",
        "11111111111111111",
        "LSVAU2187N2123456",
    ];

    #[test]
    fn reference_vins() {
        for s in VALID {
            let v = Vin::parse(s).unwrap();
            assert_eq!(v.to_string(), s);
            assert_eq!(Vin::decode(v.encode()).unwrap(), v);
        }
        assert_eq!(Vin::parse("LSVAU2187N2123456").unwrap().wmi(), "LSV");
    }

    #[test]
    fn refusals() {
        for (s, reason) in [
            // The fixture VIN the codebase carried before: its check character is 7, not 0.
            ("LSVAU2180N2123456", "check character"),
            ("1M8GDM9A0KP042788", "check character"),
            ("1M8GDM9AXKP04278", "length is not 17"),
            ("1M8GDM9AXKP0427888", "length is not 17"),
            ("1M8GDM9AXKP04278O", "character outside 0-9 A-H J-N P R-Z"),
            ("1m8GDM9AXKP042788", "character outside 0-9 A-H J-N P R-Z"),
            ("IM8GDM9AXKP042788", "character outside 0-9 A-H J-N P R-Z"),
            ("QM8GDM9AXKP042788", "character outside 0-9 A-H J-N P R-Z"),
        ] {
            match Vin::parse(s).unwrap_err() {
                Error::BadVin { reason: r, field } => {
                    assert_eq!((r, field.as_str()), (reason, "vin"), "{s}");
                }
                e => panic!("{s}: {e:?}"),
            }
        }
    }

    #[test]
    fn every_single_character_change_is_caught_or_keeps_the_check() {
        // The check is mod 11 with weights coprime to 11 (except position 9): changing
        // one character other than the check changes the check unless both characters
        // transliterate to the same value (A and J, for instance).
        let s = "1M8GDM9AXKP042788";
        for i in 0..17 {
            for c in b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ" {
                let mut b: [u8; 17] = s.as_bytes().try_into().unwrap();
                if b[i] == *c || (i != 8 && value(b[i]) == value(*c)) {
                    continue;
                }
                b[i] = *c;
                assert!(Vin::parse(core::str::from_utf8(&b).unwrap()).is_err());
            }
        }
    }

    #[test]
    fn serde_through_parse() {
        let v: Vin = serde_json::from_str("\"1HGCM82633A004352\"").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"1HGCM82633A004352\"");
        assert!(serde_json::from_str::<Vin>("\"1HGCM82643A004352\"").is_err());
    }
}
