//! API tokens for custodial signing.
//!
//! See [`TokenStore`] for the token format, the file and reloading.

use crate::{
    fs::{self, Stamp},
    Error, Result, MAX_NAME_LEN,
};
use fapiao_types::{sha256, AccountId, Hash32};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use std::{
    fmt,
    path::{Path, PathBuf},
};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The prefix of every token's text.
pub const TOKEN_PREFIX: &str = "fpt_";
/// Length of a token's text: the prefix and 64 hex characters.
pub const TOKEN_LEN: usize = TOKEN_PREFIX.len() + 64;
/// Length of a [`TokenInfo::id`] in hex characters.
const ID_LEN: usize = 16;
/// The token file format version this crate writes (it also reads version 1,
/// which had no expiry).
const VERSION: u32 = 2;
/// How long a token lives when the store is not told otherwise: 90 days.
pub const DEFAULT_TOKEN_TTL_MS: u64 = 90 * 24 * 3600 * 1000;

/// What the store says about one token, without its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// The first 16 hex characters of the token's SHA-256: names the token in
    /// logs and for [`TokenStore::revoke`]; not a secret.
    pub id: String,
    /// The one account the token may sign for.
    pub account: AccountId,
    /// The operator's note on who holds the token (may be empty).
    pub label: String,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// Expiry, milliseconds since the Unix epoch: from then on the token
    /// authenticates nothing.
    pub expires_ms: u64,
    /// Whether the token was revoked (it then authenticates nothing).
    pub revoked: bool,
}

struct Record {
    hash: Hash32,
    info: TokenInfo,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileJson {
    version: u32,
    tokens: Vec<RecordJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordJson {
    id: String,
    hash: String,
    account: String,
    label: String,
    created_ms: u64,
    /// Absent in version 1 files: read as `created_ms` + [`DEFAULT_TOKEN_TTL_MS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_ms: Option<u64>,
    revoked: bool,
}

/// The API tokens a node accepts, backed by one JSON file.
///
/// Changes are written through before the call returns; a failed write leaves
/// both the file and the in-memory store unchanged.
///
/// A node authenticates HTTP callers with `Authorization: Bearer <token>`. Each
/// token is scoped to one account, can be revoked, and is stored only as the
/// SHA-256 of its text: tokens are 256 bits of OS randomness, so a plain hash is
/// as strong as a password hash here, and the file never holds a usable secret.
///
/// Every token expires: [`TokenStore::create`] gives it the store's time to live
/// ([`DEFAULT_TOKEN_TTL_MS`] unless [`TokenStore::set_ttl_ms`] said otherwise),
/// [`TokenStore::create_with_ttl`] its own.
///
/// Token text is [`TOKEN_PREFIX`] followed by 64 lower-case hex characters
/// ([`TOKEN_LEN`] characters in all). A token's [`TokenInfo::id`] is the first 16
/// hex characters of its hash: safe to log and used to revoke it.
///
/// The file (JSON, mode `0600`, replaced atomically on every change):
///
/// ```json
/// { "version": 2,
///   "tokens": [
///     { "id": "<16 hex>", "hash": "<64 hex>", "account": "<64 hex>",
///       "label": "billing service", "created_ms": 1767225600000,
///       "expires_ms": 1774999900000, "revoked": false } ] }
/// ```
///
/// The CLI writes the file while the node runs; the node calls
/// [`TokenStore::reload_if_changed`] (one `stat`) before authenticating. Writers
/// ([`TokenStore::create`], [`TokenStore::revoke`]) hold an exclusive lock on
/// `<file>.lock` while they re-read the file, change it and replace it, so a
/// revocation racing a creation in another process is never lost.
///
/// ```
/// use fapiao_keystore::TokenStore;
/// use fapiao_types::AccountId;
///
/// let dir = tempfile::tempdir().unwrap();
/// let mut store = TokenStore::open_or_create(dir.path().join("tokens.json"))?;
/// let now_ms = std::time::SystemTime::now()
///     .duration_since(std::time::UNIX_EPOCH)
///     .map_or(0, |d| d.as_millis() as u64);
/// let (secret, info) = store.create(AccountId([1; 32]), "billing", now_ms)?;
/// assert_eq!(store.authenticate(&secret).unwrap().account, AccountId([1; 32]));
/// assert!(store.revoke(&info.id)?);
/// assert!(store.authenticate(&secret).is_none());
/// # Ok::<(), fapiao_keystore::Error>(())
/// ```
pub struct TokenStore {
    path: PathBuf,
    records: Vec<Record>,
    /// The file version last loaded or written; `None` when there was no file.
    stamp: Option<Stamp>,
    /// Time to live of tokens made by [`TokenStore::create`].
    ttl_ms: u64,
}

impl fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenStore")
            .field("path", &self.path)
            .field("tokens", &self.records.len())
            .finish_non_exhaustive()
    }
}

impl TokenStore {
    /// Opens the token file at `path`, creating an empty one (mode `0600`) if
    /// there is none. The directory must exist.
    ///
    /// # Errors
    /// [`Error::InvalidFile`] for a file this build cannot read; [`Error::Io`].
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if fs::stamp(&path)?.is_none() {
            // Exclusive create: never clobbers a file another process just wrote.
            match fs::write_new(&path, &encode(&path, &[])?) {
                Ok(_) | Err(Error::AlreadyExists { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        let (records, stamp) = load(&path)?;
        Ok(TokenStore { path, records, stamp, ttl_ms: DEFAULT_TOKEN_TTL_MS })
    }

    /// Sets the time to live of tokens made by [`TokenStore::create`] from now on.
    pub fn set_ttl_ms(&mut self, ttl_ms: u64) {
        self.ttl_ms = ttl_ms;
    }

    /// The token file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates a token for `account`, living the store's time to live, and writes
    /// the file. Returns the token's text, which is shown to the operator once and
    /// stored nowhere, and its info.
    ///
    /// # Errors
    /// As [`TokenStore::create_with_ttl`].
    pub fn create(
        &mut self,
        account: AccountId,
        label: &str,
        now_ms: u64,
    ) -> Result<(String, TokenInfo)> {
        self.create_with_ttl(account, label, now_ms, self.ttl_ms)
    }

    /// Creates a token for `account` that expires `ttl_ms` after `now_ms`, and
    /// writes the file (under the file lock, after re-reading it).
    ///
    /// # Errors
    /// [`Error::InvalidLabel`] for a label over [`MAX_NAME_LEN`] bytes or with
    /// control characters; [`Error::InvalidFile`] if the file on disk cannot be
    /// read; [`Error::Io`] (the token is then not created).
    pub fn create_with_ttl(
        &mut self,
        account: AccountId,
        label: &str,
        now_ms: u64,
        ttl_ms: u64,
    ) -> Result<(String, TokenInfo)> {
        check_label(label)?;
        let _lock = fs::lock(&self.path)?;
        self.reload()?;
        let (secret, hash, id) = loop {
            let (secret, hash) = new_secret();
            let id = id_of(&hash);
            // A 64-bit id prefix collides with probability ~n²/2⁶⁵; draw again.
            if !self.records.iter().any(|r| r.info.id == id) {
                break (secret, hash, id);
            }
        };
        let info = TokenInfo {
            id,
            account,
            label: label.to_owned(),
            created_ms: now_ms,
            expires_ms: now_ms.saturating_add(ttl_ms),
            revoked: false,
        };
        let record = Record { hash, info: info.clone() };
        let stamp = self.persist(self.records.iter().chain([&record]))?;
        self.records.push(record);
        self.stamp = Some(stamp);
        Ok((secret, info))
    }

    /// Revokes the token with this [`TokenInfo::id`] and writes the file.
    /// Returns `true` if an active token was revoked, `false` if there is no such
    /// token or it was already revoked.
    ///
    /// Takes the file lock and re-reads the file first, so a token another
    /// process created a moment ago can be revoked and none of its changes is lost.
    ///
    /// # Errors
    /// [`Error::InvalidFile`] if the file on disk cannot be read; [`Error::Io`]
    /// (the token is then still active).
    pub fn revoke(&mut self, id: &str) -> Result<bool> {
        let _lock = fs::lock(&self.path)?;
        self.reload()?;
        let Some(index) = self.records.iter().position(|r| r.info.id == id && !r.info.revoked)
        else {
            return Ok(false);
        };
        let revoked = Record {
            hash: self.records[index].hash,
            info: TokenInfo { revoked: true, ..self.records[index].info.clone() },
        };
        let next =
            self.records.iter().enumerate().map(|(i, r)| if i == index { &revoked } else { r });
        let stamp = self.persist(next)?;
        self.records[index] = revoked;
        self.stamp = Some(stamp);
        Ok(true)
    }

    /// Every token, revoked ones included, in creation order. No secrets.
    pub fn list(&self) -> Vec<TokenInfo> {
        self.records.iter().map(|r| r.info.clone()).collect()
    }

    /// The active token whose text is `token` now (system clock), or `None`
    /// (malformed text, unknown, revoked or expired token).
    pub fn authenticate(&self, token: &str) -> Option<TokenInfo> {
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            // A clock before 1970 is broken: expire everything rather than nothing.
            .unwrap_or(u64::MAX);
        self.authenticate_at(token, now_ms)
    }

    /// The token whose text is `token` if it is active at `now_ms`: not revoked
    /// and `now_ms < expires_ms`.
    ///
    /// The text's hash is compared with every stored hash in constant time.
    pub fn authenticate_at(&self, token: &str, now_ms: u64) -> Option<TokenInfo> {
        if !well_formed(token) {
            return None;
        }
        let hash = sha256(token.as_bytes());
        let mut found = None;
        for record in &self.records {
            if bool::from(record.hash[..].ct_eq(&hash[..])) {
                found = Some(record);
            }
        }
        found.filter(|r| !r.info.revoked && now_ms < r.info.expires_ms).map(|r| r.info.clone())
    }

    /// Re-reads the file if it changed (device, inode, length or modification
    /// time) since this store last read or wrote it; returns whether it did. A
    /// missing file reads as an empty store. Costs one `stat` when nothing changed.
    ///
    /// # Errors
    /// [`Error::InvalidFile`] or [`Error::Io`]; the store then keeps its previous
    /// tokens and retries on the next call. A caller that must not serve a
    /// revoked token should refuse requests while this fails.
    pub fn reload_if_changed(&mut self) -> Result<bool> {
        if fs::stamp(&self.path)? == self.stamp {
            return Ok(false);
        }
        let (records, stamp) = load(&self.path)?;
        self.records = records;
        self.stamp = stamp;
        Ok(true)
    }

    /// Re-reads the file whatever its stamp says (under the lock, before a change:
    /// a stamp can repeat when a freed inode is reused within one mtime tick).
    fn reload(&mut self) -> Result<()> {
        let (records, stamp) = load(&self.path)?;
        self.records = records;
        self.stamp = stamp;
        Ok(())
    }

    fn persist<'a>(&self, records: impl Iterator<Item = &'a Record>) -> Result<Stamp> {
        let records: Vec<&Record> = records.collect();
        fs::write_atomic_stamped(&self.path, &encode(&self.path, &records)?)
    }
}

/// A fresh token's text and its hash.
fn new_secret() -> (String, Hash32) {
    let mut raw = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(raw.as_mut());
    let mut text = String::with_capacity(TOKEN_LEN);
    text.push_str(TOKEN_PREFIX);
    text.push_str(&Zeroizing::new(hex::encode(raw.as_slice())));
    let hash = sha256(text.as_bytes());
    (text, hash)
}

fn id_of(hash: &Hash32) -> String {
    hex::encode(&hash[..ID_LEN / 2])
}

fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_LEN
        && token.starts_with(TOKEN_PREFIX)
        && token.as_bytes()[TOKEN_PREFIX.len()..]
            .iter()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn check_label(label: &str) -> Result<()> {
    if label.len() > MAX_NAME_LEN || label.chars().any(char::is_control) {
        return Err(Error::InvalidLabel { label: label.to_owned() });
    }
    Ok(())
}

fn encode(path: &Path, records: &[&Record]) -> Result<Vec<u8>> {
    let file = FileJson {
        version: VERSION,
        tokens: records
            .iter()
            .map(|r| RecordJson {
                id: r.info.id.clone(),
                hash: hex::encode(r.hash),
                account: r.info.account.to_string(),
                label: r.info.label.clone(),
                created_ms: r.info.created_ms,
                expires_ms: Some(r.info.expires_ms),
                revoked: r.info.revoked,
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&file).map_err(|e| Error::InvalidFile {
        path: path.to_path_buf(),
        reason: format!("cannot serialise: {e}"),
    })?;
    json.push(b'\n');
    Ok(json)
}

/// Reads the file; a missing file is an empty store. The stamp is taken before
/// reading, so a change racing the read is seen again by the next reload.
fn load(path: &Path) -> Result<(Vec<Record>, Option<Stamp>)> {
    let Some(stamp) = fs::stamp(path)? else {
        return Ok((Vec::new(), None));
    };
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Vec::new(), None))
        }
        Err(e) => return Err(e),
    };
    let invalid = |reason: String| Error::InvalidFile { path: path.to_path_buf(), reason };
    let file: FileJson = serde_json::from_slice(&bytes).map_err(|e| invalid(e.to_string()))?;
    if file.version != 1 && file.version != VERSION {
        return Err(invalid(format!(
            "unsupported token file version {} (this build reads 1 and {VERSION})",
            file.version
        )));
    }
    let mut records: Vec<Record> = Vec::with_capacity(file.tokens.len());
    for (i, r) in file.tokens.into_iter().enumerate() {
        let hash: Hash32 = hex::decode(&r.hash)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| invalid(format!("tokens[{i}].hash is not 32 bytes of hex")))?;
        if r.id != id_of(&hash) {
            return Err(invalid(format!("tokens[{i}].id does not match its hash")));
        }
        if records.iter().any(|x| x.info.id == r.id) {
            return Err(invalid(format!("token id {} appears twice", r.id)));
        }
        let account = AccountId::from_hex(&r.account)
            .map_err(|e| invalid(format!("tokens[{i}].account: {e}")))?;
        check_label(&r.label).map_err(|_| invalid(format!("tokens[{i}].label is invalid")))?;
        records.push(Record {
            hash,
            info: TokenInfo {
                id: r.id,
                account,
                label: r.label,
                created_ms: r.created_ms,
                expires_ms: r
                    .expires_ms
                    .unwrap_or_else(|| r.created_ms.saturating_add(DEFAULT_TOKEN_TTL_MS)),
                revoked: r.revoked,
            },
        });
    }
    Ok((records, Some(stamp)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_well_formed_and_distinct() {
        let (a, ha) = new_secret();
        let (b, _) = new_secret();
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert_eq!(ha, sha256(a.as_bytes()));
        assert_eq!(id_of(&ha).len(), ID_LEN);
        assert!(!well_formed(&a.to_uppercase()));
        assert!(!well_formed(&a[..TOKEN_LEN - 1]));
        assert!(!well_formed(&format!("fpx_{}", &a[4..])));
    }

    #[test]
    fn labels() {
        check_label("").unwrap();
        check_label("billing service 账单").unwrap();
        check_label(&"x".repeat(MAX_NAME_LEN)).unwrap();
        for bad in ["a\nb", &"x".repeat(MAX_NAME_LEN + 1)] {
            assert!(matches!(check_label(bad), Err(Error::InvalidLabel { .. })));
        }
    }
}
