//! State keys and the records stored under them.
//!
//! A state key is a short UTF-8 path (`org/<id>`, `account/<hex>`, `tx/<hex>`); the
//! Merkle tree is keyed by SHA-256 of those bytes. Values are the canonical encodings
//! of the records below.

use crate::{
    codec_util::{bytes_size, read_bounded_str, write_bytes},
    tx::{MAX_NAME, MAX_ROLES},
    AccountId, Error, Hash32, OrgKind, Outcome, PublicKey, Role, TxOutput,
};
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{EncodeSize, Error as CodecError, Read, Write};
use core::fmt;

/// Longest organisation id, in bytes.
pub const MAX_ORG_ID: usize = 64;

/// The key kinds (first path segment) the platform owns. Every other well-formed kind
/// is an application's ([`AppKey`]), declared by the application that owns it.
pub const PLATFORM_KINDS: &[&str] =
    &["org", "account", "tx", "params", "proposal", "proposal-seq", "full-node"];

/// Longest application key path (`kind/rest`), in bytes.
pub const MAX_APP_KEY: usize = 256;

/// Longest key kind, in bytes.
pub const MAX_KEY_KIND: usize = 32;

/// A key of an application's state: a validated `kind/rest` path.
///
/// The kind is 1–32 of `[a-z0-9-]`, starting with a letter, and is not one of
/// [`PLATFORM_KINDS`]; the rest is one or more `/`-separated segments of
/// `[A-Za-z0-9._-]` (not `.` or `..`), and the whole path is at most
/// [`MAX_APP_KEY`] bytes. Which kinds exist and what their rest means is the owning
/// application's business: it declares its kinds and checks its keys (its typed key
/// converts to and from this). The key's bytes in the tree are the path, as for every
/// other key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AppKey {
    path: String,
    kind_len: usize,
}

impl AppKey {
    /// Parses an application key path.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`: no `/`, a malformed kind or rest, a platform
    /// kind, or too long.
    pub fn parse(path: &str) -> crate::Result<Self> {
        let (kind, rest) =
            path.split_once('/').ok_or_else(|| Error::invalid("key", "expected <kind>/<id>"))?;
        if !valid_key_kind(kind) {
            return Err(Error::invalid("key", format!("unknown key kind {kind:?}")));
        }
        if PLATFORM_KINDS.contains(&kind) {
            return Err(Error::invalid("key", format!("{kind:?} is a platform key kind")));
        }
        if path.len() > MAX_APP_KEY {
            return Err(Error::invalid("key", "key too long"));
        }
        let segment_ok = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        };
        if !rest.split('/').all(segment_ok) {
            return Err(Error::invalid("key", "bad key path"));
        }
        Ok(AppKey { path: path.to_string(), kind_len: kind.len() })
    }

    /// The key built by an application's typed key, whose paths are well formed by
    /// construction (its tests parse every kind back). Falls back to validation, so a
    /// bad path is caught in debug builds.
    #[doc(hidden)]
    pub fn from_owner(path: String) -> Self {
        debug_assert!(AppKey::parse(&path).is_ok(), "malformed application key {path:?}");
        let kind_len = path.find('/').unwrap_or(path.len());
        AppKey { path, kind_len }
    }

    /// Its kind: the first path segment (`invoice`, `red-form`).
    pub fn kind(&self) -> &str {
        &self.path[..self.kind_len]
    }

    /// What follows the kind and its `/`.
    pub fn rest(&self) -> &str {
        self.path.get(self.kind_len + 1..).unwrap_or("")
    }

    /// The whole path, `kind/rest`.
    pub fn as_str(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

/// Whether `kind` is a well-formed key kind: 1–32 of `[a-z0-9-]`, starting with a
/// letter (whether the platform or an application owns it is another question).
pub fn valid_key_kind(kind: &str) -> bool {
    kind.len() <= MAX_KEY_KIND
        && kind.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A key of the authenticated state.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum StateKey {
    /// An organisation, by id.
    Org(String),
    /// An account, by id.
    Account(AccountId),
    /// The record that a transaction hash was used, with its receipt.
    Tx(Hash32),
    /// Every version of a parameter, by id (`<app>/<name>`).
    Param(String),
    /// A governance proposal, by id.
    Proposal(u64),
    /// The last proposal id allocated.
    ProposalSeq,
    /// A full node listed by governance, by its Ed25519 node key.
    FullNode([u8; 32]),
    /// A key of an application's state (a kind the platform does not own).
    App(AppKey),
}

/// A key by reference, where typed record helpers take any key that names a state key
/// (`fapiao_app::Records`).
impl From<&StateKey> for StateKey {
    fn from(key: &StateKey) -> Self {
        key.clone()
    }
}

impl StateKey {
    /// The key's bytes in the tree (before hashing): its path as UTF-8.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }

    /// Parses a key path. A well-formed kind the platform does not own is an
    /// application's key ([`StateKey::App`]); its owner validates the rest.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `key`.
    pub fn parse(s: &str) -> crate::Result<Self> {
        let (kind, rest) =
            s.split_once('/').ok_or_else(|| Error::invalid("key", "expected <kind>/<id>"))?;
        match kind {
            "org" if valid_org_id(rest) => Ok(StateKey::Org(rest.to_string())),
            "org" => Err(Error::invalid("key", "bad organisation id")),
            "account" => Ok(StateKey::Account(AccountId::from_hex(rest)?)),
            "tx" => Ok(StateKey::Tx(crate::parse_hex32("key", rest)?)),
            "params" if crate::governance::valid_param_id(rest) => Ok(StateKey::Param(rest.into())),
            "proposal" => rest
                .parse::<u64>()
                .ok()
                .filter(|id| *id > 0 && rest == id.to_string())
                .map(StateKey::Proposal)
                .ok_or_else(|| Error::invalid("key", "bad proposal id")),
            "proposal-seq" if rest == "last" => Ok(StateKey::ProposalSeq),
            "full-node" => Ok(StateKey::FullNode(crate::parse_hex32("key", rest)?)),
            k if PLATFORM_KINDS.contains(&k) => Err(Error::invalid("key", format!("bad {k} key"))),
            _ => AppKey::parse(s).map(StateKey::App),
        }
    }
}

/// Longest SKU, in bytes.
pub const MAX_SKU: usize = 64;

/// Whether `sku` is a valid catalogue SKU: 1–64 of `[A-Za-z0-9._-]`, not `.` or `..`
/// (it is a path segment of its state key and of URLs).
pub fn valid_sku(sku: &str) -> bool {
    !sku.is_empty()
        && sku != "."
        && sku != ".."
        && sku.len() <= MAX_SKU
        && sku.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Whether `id` is a valid organisation id: 1–64 of `[a-z0-9-]`.
pub fn valid_org_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ORG_ID
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl fmt::Display for StateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateKey::Org(id) => write!(f, "org/{id}"),
            StateKey::Account(a) => write!(f, "account/{a}"),
            StateKey::Tx(h) => write!(f, "tx/{}", hex::encode(h)),
            StateKey::Param(id) => write!(f, "params/{id}"),
            StateKey::Proposal(id) => write!(f, "proposal/{id}"),
            StateKey::ProposalSeq => f.write_str("proposal-seq/last"),
            StateKey::FullNode(k) => write!(f, "full-node/{}", hex::encode(k)),
            StateKey::App(k) => k.fmt(f),
        }
    }
}

/// An organisation of the consortium (from genesis).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgRecord {
    /// Id (`[a-z0-9-]{1,64}`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Its taxpayer id (USCC) where it has one.
    pub tax_id: Option<crate::Uscc>,
    /// Whether its accounts may act (governance suspends and removes).
    pub status: crate::OrgStatus,
}

/// An account: a key, its organisation and its roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    /// The key.
    pub public_key: PublicKey,
    /// Organisation id.
    pub org: String,
    /// Display name.
    pub name: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// Height at which it was added (0 = genesis).
    pub added_at: u64,
    /// Height at which it was revoked, if it was.
    pub revoked_at: Option<u64>,
}

impl AccountRecord {
    /// Whether the account holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// The state record of a used transaction hash: where it went and what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRecord {
    /// Block height.
    pub height: u64,
    /// Position in the block.
    pub index: u32,
    /// Sender account.
    pub sender: AccountId,
    /// Outcome.
    pub outcome: Outcome,
    /// What it created, as in its receipt.
    pub output: TxOutput,
}

impl Write for OrgRecord {
    fn write(&self, buf: &mut impl BufMut) {
        write_bytes(self.id.as_bytes(), buf);
        write_bytes(self.name.as_bytes(), buf);
        self.kind.write(buf);
        crate::field::empty_is_none::write(&self.tax_id, buf);
        self.status.write(buf);
    }
}

impl EncodeSize for OrgRecord {
    fn encode_size(&self) -> usize {
        bytes_size(self.id.as_bytes())
            + bytes_size(self.name.as_bytes())
            + 1
            + crate::field::empty_is_none::size(&self.tax_id)
            + 1
    }
}

impl Read for OrgRecord {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(OrgRecord {
            id: read_bounded_str(buf, MAX_ORG_ID)?,
            name: read_bounded_str(buf, MAX_NAME)?,
            kind: OrgKind::read_cfg(buf, &())?,
            tax_id: crate::field::empty_is_none::read(buf)?,
            status: crate::OrgStatus::read_cfg(buf, &())?,
        })
    }
}

fn write_opt_u64(v: Option<u64>, buf: &mut impl BufMut) {
    match v {
        None => buf.put_u8(0),
        Some(h) => {
            buf.put_u8(1);
            h.write(buf);
        }
    }
}

fn read_opt_u64(buf: &mut impl Buf) -> Result<Option<u64>, CodecError> {
    match u8::read_cfg(buf, &())? {
        0 => Ok(None),
        1 => Ok(Some(u64::read_cfg(buf, &())?)),
        t => Err(CodecError::InvalidEnum(t)),
    }
}

impl Write for AccountRecord {
    fn write(&self, buf: &mut impl BufMut) {
        self.public_key.write(buf);
        write_bytes(self.org.as_bytes(), buf);
        write_bytes(self.name.as_bytes(), buf);
        self.roles.write(buf);
        self.added_at.write(buf);
        write_opt_u64(self.revoked_at, buf);
    }
}

impl EncodeSize for AccountRecord {
    fn encode_size(&self) -> usize {
        self.public_key.encode_size()
            + bytes_size(self.org.as_bytes())
            + bytes_size(self.name.as_bytes())
            + self.roles.encode_size()
            + 8
            + if self.revoked_at.is_some() { 9 } else { 1 }
    }
}

impl Read for AccountRecord {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(AccountRecord {
            public_key: PublicKey::read_cfg(buf, &())?,
            org: read_bounded_str(buf, MAX_ORG_ID)?,
            name: read_bounded_str(buf, MAX_NAME)?,
            roles: Vec::<Role>::read_cfg(buf, &((0..=MAX_ROLES).into(), ()))?,
            added_at: u64::read_cfg(buf, &())?,
            revoked_at: read_opt_u64(buf)?,
        })
    }
}

impl Write for TxRecord {
    fn write(&self, buf: &mut impl BufMut) {
        self.height.write(buf);
        self.index.write(buf);
        self.sender.write(buf);
        self.outcome.write(buf);
        self.output.write(buf);
    }
}

impl EncodeSize for TxRecord {
    fn encode_size(&self) -> usize {
        8 + 4 + 32 + self.outcome.encode_size() + self.output.encode_size()
    }
}

impl Read for TxRecord {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(TxRecord {
            height: u64::read_cfg(buf, &())?,
            index: u32::read_cfg(buf, &())?,
            sender: AccountId::read_cfg(buf, &())?,
            outcome: Outcome::read_cfg(buf, &())?,
            output: TxOutput::read_cfg(buf, &())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_keys_are_validated_paths_of_non_platform_kinds() {
        let k = AppKey::parse("cowbank/herd-7/cow.12").unwrap();
        assert_eq!(
            (k.kind(), k.rest(), k.as_str()),
            ("cowbank", "herd-7/cow.12", "cowbank/herd-7/cow.12")
        );
        assert_eq!(StateKey::parse("cowbank/herd-7/cow.12").unwrap(), StateKey::App(k.clone()));
        assert_eq!(StateKey::App(k).to_bytes(), b"cowbank/herd-7/cow.12");
        for bad in [
            "cowbank",
            "cowbank/",
            "cowbank//x",
            "cowbank/x/",
            "cowbank/..",
            "cowbank/a b",
            "Cowbank/x",
            "7cows/x",
            "/x",
            "org/x",
            "params/x",
        ] {
            assert!(AppKey::parse(bad).is_err(), "{bad}");
        }
        assert!(AppKey::parse(&format!("a/{}", "x".repeat(MAX_APP_KEY))).is_err());
        assert!(StateKey::parse("nope").is_err());
        assert!(StateKey::parse("org/UPPER").is_err());
        assert_eq!(AppKey::from_owner("cowbank/x".into()).kind(), "cowbank");
    }
}
