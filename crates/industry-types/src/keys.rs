//! The industry chain's state keys: [`IndustryKey`].
//!
//! Each is a path `kind/rest` (docs/formats.md §26.2), stored as a
//! [`StateKey::App`]: `industry-enterprise/<uscc>`, `operating/<uscc>/<yyyymm>/<metric>`
//! (private) and `operating-commit/<uscc>/<yyyymm>` (what other chains are shown). A month
//! in a path is `yyyymm`.

use crate::Metric;
use core::fmt;
use fapiao_types::{AppKey, Error, Result, StateKey};
use fapiao_values::{Month, Uscc};

/// A key of the industry chain's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndustryKey {
    /// An enterprise of the park.
    Enterprise(Uscc),
    /// One month's figure of one metric (private).
    Operating(Uscc, Month, Metric),
    /// One month's commitments.
    OperatingCommit(Uscc, Month),
}

impl IndustryKey {
    /// Every key kind the industry application owns.
    pub const KINDS: &'static [&'static str] =
        &["industry-enterprise", "operating", "operating-commit"];

    /// Its kind (one of [`IndustryKey::KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            IndustryKey::Enterprise(_) => "industry-enterprise",
            IndustryKey::Operating(..) => "operating",
            IndustryKey::OperatingCommit(..) => "operating-commit",
        }
    }

    /// The enterprise the key is about.
    pub fn uscc(&self) -> &Uscc {
        match self {
            IndustryKey::Enterprise(u)
            | IndustryKey::Operating(u, ..)
            | IndustryKey::OperatingCommit(u, _) => u,
        }
    }

    /// Parses a key path.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`.
    pub fn parse(s: &str) -> Result<Self> {
        let bad = |why: &str| Error::invalid("key", why.to_string());
        let (kind, rest) = s.split_once('/').ok_or_else(|| bad("expected <kind>/<id>"))?;
        let parts: Vec<&str> = rest.split('/').collect();
        let uscc = |u: &str| Uscc::parse(u).map_err(|_| bad("bad unified social credit code"));
        let month = |m: &str| {
            if m.len() != 6 || !m.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("bad month (yyyymm)"));
            }
            let n: u32 = m.parse().map_err(|_| bad("bad month (yyyymm)"))?;
            Month::from_yyyymm(n).map_err(|_| bad("bad month (yyyymm)"))
        };
        match (kind, parts.as_slice()) {
            ("industry-enterprise", [u]) => Ok(IndustryKey::Enterprise(uscc(u)?)),
            ("operating", [u, m, metric]) => Ok(IndustryKey::Operating(
                uscc(u)?,
                month(m)?,
                Metric::parse(metric).map_err(|_| bad("unknown metric"))?,
            )),
            ("operating-commit", [u, m]) => Ok(IndustryKey::OperatingCommit(uscc(u)?, month(m)?)),
            _ if IndustryKey::KINDS.contains(&kind) => Err(bad("malformed industry key")),
            _ => Err(Error::invalid("key", format!("unknown key kind {kind:?}"))),
        }
    }
}

impl fmt::Display for IndustryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind();
        match self {
            IndustryKey::Enterprise(u) => write!(f, "{kind}/{u}"),
            IndustryKey::Operating(u, m, metric) => {
                write!(f, "{kind}/{u}/{}/{metric}", m.yyyymm())
            }
            IndustryKey::OperatingCommit(u, m) => write!(f, "{kind}/{u}/{}", m.yyyymm()),
        }
    }
}

impl From<IndustryKey> for StateKey {
    fn from(key: IndustryKey) -> StateKey {
        StateKey::from(&key)
    }
}

impl From<&IndustryKey> for StateKey {
    fn from(key: &IndustryKey) -> StateKey {
        StateKey::App(AppKey::from_owner(key.to_string()))
    }
}

impl TryFrom<&AppKey> for IndustryKey {
    type Error = Error;
    fn try_from(key: &AppKey) -> Result<Self> {
        IndustryKey::parse(key.as_str())
    }
}

impl TryFrom<&StateKey> for IndustryKey {
    type Error = Error;
    /// The industry key `key` is.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`.
    fn try_from(key: &StateKey) -> Result<Self> {
        match key {
            StateKey::App(k) => IndustryKey::try_from(k),
            _ => Err(Error::invalid("key", format!("{key} is not an industry key"))),
        }
    }
}
