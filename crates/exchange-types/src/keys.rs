//! The exchange's state keys: [`ExchangeKey`].
//!
//! Each is a path `kind/rest` (docs/formats.md §21.2), stored as a [`StateKey::App`].
//! A department's records are under its organisation id, a person's under their
//! account (hex); queries, answers, alerts, consents and declarations under their ids
//! (a creating transaction's hash, or [`crate::alert_id`]). Lists a page needs (the
//! queries in and out of a department, its alerts, a person's access log) are derived
//! index tables, not state.

use crate::ItemId;
use core::fmt;
use fapiao_types::{
    hex32, parse_hex32, valid_org_id, AccountId, AppKey, Error, Hash32, Result, StateKey,
};

/// A key of the exchange's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExchangeKey {
    /// A department's record, by organisation id.
    Department(String),
    /// A department's key of one epoch.
    Key(String, u32),
    /// A person's record, by account.
    Person(AccountId),
    /// A person's key of one epoch.
    PersonKey(AccountId, u32),
    /// A catalogue item, by department and item id.
    Item(String, ItemId),
    /// A query, by id.
    Query(Hash32),
    /// The answer to a query, by the query's id.
    Answer(Hash32),
    /// The latest watch key's epoch.
    WatchHead,
    /// A distributed watch key, by epoch.
    WatchKey(u32),
    /// The live watch entries on a tag.
    Watch(Hash32),
    /// A joint alert (a case), by id.
    Alert(Hash32),
    /// The open alert of a tag and a pair of departments (in order).
    OpenAlert(Hash32, String, String),
    /// Finding `n` (from 0) of a case.
    Finding(Hash32, u32),
    /// A consent, by id.
    Consent(Hash32),
    /// The consent covering a (person, department, item, purpose), by
    /// [`crate::consent_lookup`].
    ConsentFor(Hash32),
    /// A deduction declaration, by id.
    Declaration(Hash32),
}

impl ExchangeKey {
    /// Every key kind the exchange owns.
    pub const KINDS: &'static [&'static str] = &[
        "exchange-dept",
        "exchange-key",
        "exchange-person",
        "exchange-person-key",
        "exchange-item",
        "exchange-query",
        "exchange-answer",
        "exchange-watch-head",
        "exchange-watch-key",
        "exchange-watch",
        "exchange-alert",
        "exchange-open-alert",
        "exchange-finding",
        "exchange-consent",
        "exchange-consent-for",
        "exchange-declaration",
    ];

    /// Its kind (one of [`ExchangeKey::KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            ExchangeKey::Department(_) => "exchange-dept",
            ExchangeKey::Key(..) => "exchange-key",
            ExchangeKey::Person(_) => "exchange-person",
            ExchangeKey::PersonKey(..) => "exchange-person-key",
            ExchangeKey::Item(..) => "exchange-item",
            ExchangeKey::Query(_) => "exchange-query",
            ExchangeKey::Answer(_) => "exchange-answer",
            ExchangeKey::WatchHead => "exchange-watch-head",
            ExchangeKey::WatchKey(_) => "exchange-watch-key",
            ExchangeKey::Watch(_) => "exchange-watch",
            ExchangeKey::Alert(_) => "exchange-alert",
            ExchangeKey::OpenAlert(..) => "exchange-open-alert",
            ExchangeKey::Finding(..) => "exchange-finding",
            ExchangeKey::Consent(_) => "exchange-consent",
            ExchangeKey::ConsentFor(_) => "exchange-consent-for",
            ExchangeKey::Declaration(_) => "exchange-declaration",
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
        let org = |v: &str| {
            if valid_org_id(v) {
                Ok(v.to_string())
            } else {
                Err(bad("bad organisation id"))
            }
        };
        let number = |n: &str| -> Result<u32> {
            if n.is_empty()
                || n.len() > 10
                || !n.bytes().all(|b| b.is_ascii_digit())
                || (n.len() > 1 && n.starts_with('0'))
            {
                return Err(bad("bad number"));
            }
            n.parse().map_err(|_| bad("bad number"))
        };
        let hash = |h: &str| -> Result<Hash32> {
            if h.bytes().any(|b| b.is_ascii_uppercase()) {
                return Err(bad("hex must be lower-case"));
            }
            parse_hex32("key", h)
        };
        let account = |h: &str| hash(h).map(AccountId);
        match (kind, parts.as_slice()) {
            ("exchange-dept", [o]) => Ok(ExchangeKey::Department(org(o)?)),
            ("exchange-key", [o, n]) => Ok(ExchangeKey::Key(org(o)?, number(n)?)),
            ("exchange-person", [a]) => Ok(ExchangeKey::Person(account(a)?)),
            ("exchange-person-key", [a, n]) => Ok(ExchangeKey::PersonKey(account(a)?, number(n)?)),
            ("exchange-item", [o, i]) => {
                Ok(ExchangeKey::Item(org(o)?, ItemId::parse(i).map_err(|_| bad("bad item id"))?))
            }
            ("exchange-query", [h]) => Ok(ExchangeKey::Query(hash(h)?)),
            ("exchange-answer", [h]) => Ok(ExchangeKey::Answer(hash(h)?)),
            ("exchange-watch-head", ["current"]) => Ok(ExchangeKey::WatchHead),
            ("exchange-watch-key", [n]) => Ok(ExchangeKey::WatchKey(number(n)?)),
            ("exchange-watch", [h]) => Ok(ExchangeKey::Watch(hash(h)?)),
            ("exchange-alert", [h]) => Ok(ExchangeKey::Alert(hash(h)?)),
            ("exchange-open-alert", [h, a, b]) => {
                let (a, b) = (org(a)?, org(b)?);
                if a >= b {
                    return Err(bad("the departments of an open alert are in order"));
                }
                Ok(ExchangeKey::OpenAlert(hash(h)?, a, b))
            }
            ("exchange-finding", [h, n]) => Ok(ExchangeKey::Finding(hash(h)?, number(n)?)),
            ("exchange-consent", [h]) => Ok(ExchangeKey::Consent(hash(h)?)),
            ("exchange-consent-for", [h]) => Ok(ExchangeKey::ConsentFor(hash(h)?)),
            ("exchange-declaration", [h]) => Ok(ExchangeKey::Declaration(hash(h)?)),
            _ if ExchangeKey::KINDS.contains(&kind) => Err(bad("malformed exchange key")),
            _ => Err(Error::invalid("key", format!("unknown key kind {kind:?}"))),
        }
    }
}

impl fmt::Display for ExchangeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind();
        match self {
            ExchangeKey::Department(o) => write!(f, "{kind}/{o}"),
            ExchangeKey::Key(o, n) => write!(f, "{kind}/{o}/{n}"),
            ExchangeKey::Person(a) => write!(f, "{kind}/{}", hex32(&a.0)),
            ExchangeKey::PersonKey(a, n) => write!(f, "{kind}/{}/{n}", hex32(&a.0)),
            ExchangeKey::Item(o, i) => write!(f, "{kind}/{o}/{i}"),
            ExchangeKey::Query(h)
            | ExchangeKey::Answer(h)
            | ExchangeKey::Watch(h)
            | ExchangeKey::Alert(h)
            | ExchangeKey::Consent(h)
            | ExchangeKey::ConsentFor(h)
            | ExchangeKey::Declaration(h) => write!(f, "{kind}/{}", hex32(h)),
            ExchangeKey::WatchHead => write!(f, "{kind}/current"),
            ExchangeKey::WatchKey(n) => write!(f, "{kind}/{n}"),
            ExchangeKey::OpenAlert(h, a, b) => write!(f, "{kind}/{}/{a}/{b}", hex32(h)),
            ExchangeKey::Finding(h, n) => write!(f, "{kind}/{}/{n}", hex32(h)),
        }
    }
}

impl From<ExchangeKey> for StateKey {
    fn from(key: ExchangeKey) -> StateKey {
        StateKey::from(&key)
    }
}

impl From<&ExchangeKey> for StateKey {
    fn from(key: &ExchangeKey) -> StateKey {
        StateKey::App(AppKey::from_owner(key.to_string()))
    }
}

impl TryFrom<&AppKey> for ExchangeKey {
    type Error = Error;
    fn try_from(key: &AppKey) -> Result<Self> {
        ExchangeKey::parse(key.as_str())
    }
}

impl TryFrom<&StateKey> for ExchangeKey {
    type Error = Error;
    /// The exchange key `key` is.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`.
    fn try_from(key: &StateKey) -> Result<Self> {
        match key {
            StateKey::App(k) => ExchangeKey::try_from(k),
            _ => Err(Error::invalid("key", format!("{key} is not an exchange key"))),
        }
    }
}
