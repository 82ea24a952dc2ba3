//! The light client's state key: [`CrosschainKey`].
//!
//! `crosschain-window/<hex of SHA-256 of the source chain id>` (docs/formats.md §23.2): a
//! chain id is free text (it may hold `/`), its hash — the value every header of that
//! chain carries in `chain_id` — is not.

use core::fmt;
use fapiao_types::{hex32, parse_hex32, sha256, AppKey, Error, Hash32, Result, StateKey};

/// A key of the light client's state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CrosschainKey {
    /// The window of verified headers of one source chain, by the hash of its chain id.
    Window(Hash32),
}

/// The hash naming chain `chain_id` in keys and headers.
pub fn chain_key(chain_id: &str) -> Hash32 {
    sha256(chain_id.as_bytes())
}

impl CrosschainKey {
    /// Every key kind the light client owns.
    pub const KINDS: &'static [&'static str] = &["crosschain-window"];

    /// The window key of chain `chain_id`.
    pub fn window(chain_id: &str) -> Self {
        CrosschainKey::Window(chain_key(chain_id))
    }

    /// Its kind.
    pub fn kind(&self) -> &'static str {
        match self {
            CrosschainKey::Window(_) => "crosschain-window",
        }
    }

    /// Parses a key path.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.split_once('/') {
            Some(("crosschain-window", h)) => Ok(CrosschainKey::Window(parse_hex32("key", h)?)),
            Some((kind, _)) if Self::KINDS.contains(&kind) => {
                Err(Error::invalid("key", "malformed cross-chain key"))
            }
            _ => Err(Error::invalid("key", format!("not a cross-chain key: {s:?}"))),
        }
    }
}

impl fmt::Display for CrosschainKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrosschainKey::Window(h) => write!(f, "{}/{}", self.kind(), hex32(h)),
        }
    }
}

impl From<&CrosschainKey> for StateKey {
    fn from(key: &CrosschainKey) -> StateKey {
        StateKey::App(AppKey::from_owner(key.to_string()))
    }
}

impl From<CrosschainKey> for StateKey {
    fn from(key: CrosschainKey) -> StateKey {
        StateKey::from(&key)
    }
}

impl TryFrom<&AppKey> for CrosschainKey {
    type Error = Error;
    fn try_from(key: &AppKey) -> Result<Self> {
        CrosschainKey::parse(key.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_key_round_trips_and_names_the_chain_by_its_hash() {
        let k = CrosschainKey::window("fapiao-tax");
        let text = k.to_string();
        assert!(text.starts_with("crosschain-window/"));
        assert_eq!(text.len(), "crosschain-window/".len() + 64);
        assert_eq!(CrosschainKey::parse(&text).unwrap(), k);
        assert!(CrosschainKey::parse("crosschain-window/xyz").is_err());
        assert!(CrosschainKey::parse("cowbank-animal/1").is_err());
    }
}
