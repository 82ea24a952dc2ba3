//! The cow bank's state keys: [`CowbankKey`].
//!
//! Each is a path `kind/rest` (docs/formats.md §19.2), stored as a
//! [`StateKey::App`]. A village's records are under its organisation id; animals,
//! contracts and sales are under their own ids (an ear tag is unique nationally, a
//! contract or a sale is named by its transaction's hash). A village's lists (its
//! households, funds, animals...) are numbered items under `cowbank-list`, counted in
//! its `cowbank-village` record, so a page reads O(the answer) without scanning.

use crate::{EarTag, Slug};
use core::fmt;
use fapiao_types::{parse_hex32, valid_org_id, AppKey, Error, Hash32, Result, StateKey};

/// A list a village keeps, item by item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListKind {
    /// Household ids.
    Households,
    /// Fund ids.
    Funds,
    /// Ear tags.
    Animals,
    /// Contract ids (hex).
    Contracts,
    /// Sale ids (hex).
    Sales,
    /// Report years.
    Reports,
}

impl ListKind {
    /// Every list.
    pub const ALL: &'static [ListKind] = &[
        ListKind::Households,
        ListKind::Funds,
        ListKind::Animals,
        ListKind::Contracts,
        ListKind::Sales,
        ListKind::Reports,
    ];

    /// Its path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Households => "households",
            ListKind::Funds => "funds",
            ListKind::Animals => "animals",
            ListKind::Contracts => "contracts",
            ListKind::Sales => "sales",
            ListKind::Reports => "reports",
        }
    }

    fn parse(s: &str) -> Result<ListKind> {
        ListKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid("key", format!("unknown list {s:?}")))
    }
}

/// A key of the cow bank's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CowbankKey {
    /// A village's counters, by organisation id.
    Village(String),
    /// Item `n` (from 0) of a village's list.
    List(String, ListKind, u64),
    /// A household, by village and id.
    Household(String, Slug),
    /// A fund, by village and id.
    Fund(String, Slug),
    /// Entry `n` (from 0) of a village's fund ledger.
    Entry(String, u64),
    /// An animal, by ear tag.
    Animal(EarTag),
    /// A contract, by the signing transaction's hash.
    Contract(Hash32),
    /// A sale, by the selling transaction's hash.
    Sale(Hash32),
    /// A village's report of a year.
    Report(String, u16),
}

impl CowbankKey {
    /// Every key kind the cow bank owns.
    pub const KINDS: &'static [&'static str] = &[
        "cowbank-village",
        "cowbank-list",
        "cowbank-household",
        "cowbank-fund",
        "cowbank-entry",
        "cowbank-animal",
        "cowbank-contract",
        "cowbank-sale",
        "cowbank-report",
    ];

    /// Its kind (one of [`CowbankKey::KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            CowbankKey::Village(_) => "cowbank-village",
            CowbankKey::List(..) => "cowbank-list",
            CowbankKey::Household(..) => "cowbank-household",
            CowbankKey::Fund(..) => "cowbank-fund",
            CowbankKey::Entry(..) => "cowbank-entry",
            CowbankKey::Animal(_) => "cowbank-animal",
            CowbankKey::Contract(_) => "cowbank-contract",
            CowbankKey::Sale(_) => "cowbank-sale",
            CowbankKey::Report(..) => "cowbank-report",
        }
    }

    /// The village a key belongs to, when its path names one.
    pub fn village(&self) -> Option<&str> {
        match self {
            CowbankKey::Village(v)
            | CowbankKey::List(v, ..)
            | CowbankKey::Household(v, _)
            | CowbankKey::Fund(v, _)
            | CowbankKey::Entry(v, _)
            | CowbankKey::Report(v, _) => Some(v),
            _ => None,
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
        let village = |v: &str| {
            if valid_org_id(v) {
                Ok(v.to_string())
            } else {
                Err(bad("bad village id"))
            }
        };
        let number = |n: &str| -> Result<u64> {
            if n.is_empty()
                || n.len() > 20
                || !n.bytes().all(|b| b.is_ascii_digit())
                || (n.len() > 1 && n.starts_with('0'))
            {
                return Err(bad("bad number"));
            }
            n.parse().map_err(|_| bad("bad number"))
        };
        let slug = |s: &str| Slug::parse(s).map_err(|_| bad("bad id"));
        match (kind, parts.as_slice()) {
            ("cowbank-village", [v]) => Ok(CowbankKey::Village(village(v)?)),
            ("cowbank-list", [v, list, n]) => {
                Ok(CowbankKey::List(village(v)?, ListKind::parse(list)?, number(n)?))
            }
            ("cowbank-household", [v, h]) => Ok(CowbankKey::Household(village(v)?, slug(h)?)),
            ("cowbank-fund", [v, f]) => Ok(CowbankKey::Fund(village(v)?, slug(f)?)),
            ("cowbank-entry", [v, n]) => Ok(CowbankKey::Entry(village(v)?, number(n)?)),
            ("cowbank-animal", [t]) => {
                Ok(CowbankKey::Animal(EarTag::parse(t).map_err(|_| bad("bad ear tag"))?))
            }
            ("cowbank-contract", [h]) => Ok(CowbankKey::Contract(parse_hex32("key", h)?)),
            ("cowbank-sale", [h]) => Ok(CowbankKey::Sale(parse_hex32("key", h)?)),
            ("cowbank-report", [v, y]) => {
                let year = number(y)?;
                let year = u16::try_from(year).ok().filter(|y| (1000..=9999).contains(y));
                Ok(CowbankKey::Report(village(v)?, year.ok_or_else(|| bad("bad year"))?))
            }
            _ if CowbankKey::KINDS.contains(&kind) => Err(bad("malformed cow bank key")),
            _ => Err(Error::invalid("key", format!("unknown key kind {kind:?}"))),
        }
    }
}

impl fmt::Display for CowbankKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind();
        match self {
            CowbankKey::Village(v) => write!(f, "{kind}/{v}"),
            CowbankKey::List(v, list, n) => write!(f, "{kind}/{v}/{}/{n}", list.as_str()),
            CowbankKey::Household(v, s) | CowbankKey::Fund(v, s) => write!(f, "{kind}/{v}/{s}"),
            CowbankKey::Entry(v, n) => write!(f, "{kind}/{v}/{n}"),
            CowbankKey::Animal(t) => write!(f, "{kind}/{t}"),
            CowbankKey::Contract(h) | CowbankKey::Sale(h) => {
                write!(f, "{kind}/{}", fapiao_types::hex32(h))
            }
            CowbankKey::Report(v, y) => write!(f, "{kind}/{v}/{y}"),
        }
    }
}

impl From<CowbankKey> for StateKey {
    fn from(key: CowbankKey) -> StateKey {
        StateKey::from(&key)
    }
}

impl From<&CowbankKey> for StateKey {
    fn from(key: &CowbankKey) -> StateKey {
        StateKey::App(AppKey::from_owner(key.to_string()))
    }
}

impl TryFrom<&AppKey> for CowbankKey {
    type Error = Error;
    fn try_from(key: &AppKey) -> Result<Self> {
        CowbankKey::parse(key.as_str())
    }
}

impl TryFrom<&StateKey> for CowbankKey {
    type Error = Error;
    /// The cow bank key `key` is.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`.
    fn try_from(key: &StateKey) -> Result<Self> {
        match key {
            StateKey::App(k) => CowbankKey::try_from(k),
            _ => Err(Error::invalid("key", format!("{key} is not a cow bank key"))),
        }
    }
}
