//! The tax-certificate application's state keys: [`CertificateKey`].
//!
//! Each key is a path `kind/rest` (docs/formats.md §20.2); on the chain it is a
//! [`StateKey::App`] like any application's key.

use crate::records::{certificate_number_text, parse_certificate_number};
use core::fmt;
use fapiao_types::{hex32, parse_hex32, AppKey, Error, Hash32, Result, StateKey};
use fapiao_values::Vin;

/// A key of the tax-certificate application's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CertificateKey {
    /// A collection, by id (the recording transaction's hash): `CollectionRecord`.
    Collection(Hash32),
    /// The collection of a vehicle's tax year, by VIN and year: its id (32 bytes). It
    /// makes a second collection of the same year impossible.
    VehicleYear(Vin, u16),
    /// A certificate's public record, by number: `CertificatePublic`.
    Certificate(u64),
    /// The last certificate serial of a year: `u64`.
    Serial(u16),
    /// A settlement batch, by id (the submitting transaction's hash): `SettlementRecord`.
    Settlement(Hash32),
}

impl CertificateKey {
    /// Every key kind the application owns (the first segment of its paths).
    pub const KINDS: &'static [&'static str] =
        &["cert-collection", "cert-vehicle", "certificate", "cert-serial", "cert-settlement"];

    /// Its kind: the first segment of its path (one of [`CertificateKey::KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            CertificateKey::Collection(_) => "cert-collection",
            CertificateKey::VehicleYear(..) => "cert-vehicle",
            CertificateKey::Certificate(_) => "certificate",
            CertificateKey::Serial(_) => "cert-serial",
            CertificateKey::Settlement(_) => "cert-settlement",
        }
    }

    /// Parses a key path (`certificate/202600000001`, `cert-vehicle/<vin>/2026`, ...).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`: a kind the application does not own, or a
    /// malformed rest.
    pub fn parse(s: &str) -> Result<Self> {
        let (kind, rest) =
            s.split_once('/').ok_or_else(|| Error::invalid("key", "expected <kind>/<id>"))?;
        let year = |s: &str| -> Result<u16> {
            match s.parse::<u16>() {
                Ok(y) if s.len() == 4 && (2000..=9999).contains(&y) => Ok(y),
                _ => Err(Error::invalid("key", "bad year")),
            }
        };
        match kind {
            "cert-collection" => Ok(CertificateKey::Collection(parse_hex32("key", rest)?)),
            "cert-settlement" => Ok(CertificateKey::Settlement(parse_hex32("key", rest)?)),
            "cert-vehicle" => {
                let (vin, y) = rest
                    .split_once('/')
                    .ok_or_else(|| Error::invalid("key", "expected <vin>/<year>"))?;
                let vin = Vin::parse(vin).map_err(|e| Error::invalid("key", e.to_string()))?;
                Ok(CertificateKey::VehicleYear(vin, year(y)?))
            }
            "certificate" => parse_certificate_number(rest)
                .map(CertificateKey::Certificate)
                .ok_or_else(|| Error::invalid("key", "bad certificate number")),
            "cert-serial" => Ok(CertificateKey::Serial(year(rest)?)),
            other => Err(Error::invalid("key", format!("unknown key kind {other:?}"))),
        }
    }
}

impl fmt::Display for CertificateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind();
        match self {
            CertificateKey::Collection(h) | CertificateKey::Settlement(h) => {
                write!(f, "{kind}/{}", hex32(h))
            }
            CertificateKey::VehicleYear(vin, y) => write!(f, "{kind}/{vin}/{y}"),
            CertificateKey::Certificate(n) => write!(f, "{kind}/{}", certificate_number_text(*n)),
            CertificateKey::Serial(y) => write!(f, "{kind}/{y}"),
        }
    }
}

impl From<CertificateKey> for StateKey {
    fn from(key: CertificateKey) -> StateKey {
        StateKey::from(&key)
    }
}

impl From<&CertificateKey> for StateKey {
    fn from(key: &CertificateKey) -> StateKey {
        // Every kind's path is well formed (the tests parse each back).
        StateKey::App(AppKey::from_owner(key.to_string()))
    }
}

impl TryFrom<&AppKey> for CertificateKey {
    type Error = Error;
    fn try_from(key: &AppKey) -> Result<Self> {
        CertificateKey::parse(key.as_str())
    }
}

impl TryFrom<&StateKey> for CertificateKey {
    type Error = Error;
    /// The certificate key `key` is.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`: a platform key, another application's kind or
    /// a malformed path.
    fn try_from(key: &StateKey) -> Result<Self> {
        match key {
            StateKey::App(k) => CertificateKey::try_from(k),
            _ => Err(Error::invalid("key", format!("{key} is not a certificate key"))),
        }
    }
}
