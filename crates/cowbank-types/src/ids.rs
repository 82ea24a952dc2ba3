//! The cow bank's identifiers: [`EarTag`], the national 15-digit livestock code, and
//! [`Slug`], the short id a village gives its households and funds.
//!
//! Both encode as the `String` they are (varint length ‖ ASCII bytes) and refuse a bad
//! value as they decode, so no rule downstream sees a malformed tag.

use bytes::BufMut;
use commonware_codec::{Buf, EncodeSize, Error as CodecError, Read, Write};
use core::fmt;
use fapiao_types::{field::Field, Error, RegionCode, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The species digit of cattle in the national livestock code.
pub const CATTLE: u8 = b'2';

/// Whether `code` (six digits) is a county-level division code: a province `11`–`82`
/// and a county part that is not `00` (which would be a prefecture or a province).
fn county_code(code: &str) -> bool {
    let province: u32 = code.get(..2).and_then(|p| p.parse().ok()).unwrap_or(0);
    RegionCode::parse(code).is_ok() && (11..=82).contains(&province) && code.get(4..) != Some("00")
}

/// A national livestock ear tag (畜禽标识编码): 15 digits — the species digit (`2` for
/// cattle), the six-digit county code (GB/T 2260) of where it was tagged, and an
/// eight-digit serial. Only cattle tags are accepted here.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EarTag([u8; 15]);

impl EarTag {
    /// Parses a tag.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `ear_tag`: not 15 digits, not a cattle tag, or a county
    /// code that is not a division code.
    pub fn parse(s: &str) -> Result<EarTag> {
        let bytes: [u8; 15] = s
            .as_bytes()
            .try_into()
            .map_err(|_| Error::invalid("ear_tag", "an ear tag has 15 digits"))?;
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(Error::invalid("ear_tag", "an ear tag has digits only"));
        }
        if bytes[0] != CATTLE {
            return Err(Error::invalid("ear_tag", "not a cattle tag (species digit 2)"));
        }
        if !county_code(&s[1..7]) {
            return Err(Error::invalid(
                "ear_tag",
                "the county code is not a county's division code",
            ));
        }
        Ok(EarTag(bytes))
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).expect("an ear tag is ASCII digits")
    }

    /// The six-digit county code.
    pub fn county(&self) -> &str {
        &self.as_str()[1..7]
    }

    /// The eight-digit serial.
    pub fn serial(&self) -> &str {
        &self.as_str()[7..]
    }
}

impl fmt::Display for EarTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for EarTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EarTag({})", self.as_str())
    }
}

impl core::str::FromStr for EarTag {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        EarTag::parse(s)
    }
}

/// Longest [`Slug`], in bytes.
pub const MAX_SLUG: usize = 32;

/// A short id a village gives its own records (a household `h01`, a fund `grant-2026`):
/// 1–32 of `[a-z0-9-]`, starting with a letter or digit.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

impl Slug {
    /// Parses a slug.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `id`.
    pub fn parse(s: &str) -> Result<Slug> {
        let ok = !s.is_empty()
            && s.len() <= MAX_SLUG
            && !s.starts_with('-')
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(Error::invalid("id", format!("{s:?} is not 1-32 of [a-z0-9-]")))
        }
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Slug({})", self.0)
    }
}

impl core::str::FromStr for Slug {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Slug::parse(s)
    }
}

macro_rules! text_value {
    ($t:ty, $max:expr, $what:literal) => {
        impl Write for $t {
            fn write(&self, buf: &mut impl BufMut) {
                fapiao_types::write_bytes(self.as_str().as_bytes(), buf)
            }
        }

        impl EncodeSize for $t {
            fn encode_size(&self) -> usize {
                self.as_str().len().encode_size() + self.as_str().len()
            }
        }

        impl Read for $t {
            type Cfg = ();
            fn read_cfg(buf: &mut impl Buf, _: &()) -> core::result::Result<Self, CodecError> {
                let s = fapiao_types::read_bounded_str(buf, $max)?;
                <$t>::parse(&s).map_err(|_| CodecError::Invalid($what, "malformed"))
            }
        }

        impl Field for $t {
            fn write_field(&self, buf: &mut impl BufMut) {
                Write::write(self, buf)
            }
            fn field_size(&self) -> usize {
                EncodeSize::encode_size(self)
            }
            fn read_field(buf: &mut impl Buf) -> core::result::Result<Self, CodecError> {
                <$t as Read>::read_cfg(buf, &())
            }
        }

        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

text_value!(EarTag, 15, "ear_tag");
text_value!(Slug, MAX_SLUG, "slug");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ear_tag_is_species_county_serial() {
        let t = EarTag::parse("244030600000017").unwrap();
        assert_eq!((t.county(), t.serial()), ("440306", "00000017"));
        for bad in [
            "",
            "24403060000001",   // 14 digits
            "2440306000000170", // 16 digits
            "144030600000017",  // a pig
            "244030600000 17",
            "200000000000017", // county 000000
            "244030000000017", // 440300 is a prefecture
            "２44030600000017",
        ] {
            assert!(EarTag::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_slug_is_short_lowercase() {
        assert!(Slug::parse("h01").is_ok());
        assert!(Slug::parse("grant-2026").is_ok());
        for bad in ["", "-a", "A1", "a/b", "a b", &"a".repeat(33)] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }
}
