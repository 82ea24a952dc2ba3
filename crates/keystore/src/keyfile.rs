//! Plain (unencrypted) key files: member keys for client-side signing and
//! validator consensus keys.
//!
//! The formats are documented on [`write_key_file`] and [`write_validator_key`].
//! Both are JSON, written with mode `0600` and never over an existing file. They
//! hold the secret in hex: protect them like the keys they are (or keep member
//! keys in an encrypted [`crate::Keystore`] instead).
//!
//! Readers check that the public key (and account) belong to the secret.

use crate::{fs, Error, Result};
use fapiao_crypto::SigningKey;
use fapiao_types::{AccountId, PublicKey, Suite};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::{Zeroize, Zeroizing};

/// The `type` of a validator key file.
const VALIDATOR_TYPE: &str = "validator-ed25519";

#[derive(Serialize)]
struct MemberOut<'a> {
    suite: &'a str,
    secret_key: &'a str,
    public_key: &'a str,
    account: &'a str,
}

#[derive(Serialize)]
struct ValidatorOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    secret_key: &'a str,
    public_key: &'a str,
}

/// Either kind of key file, so that handing one reader the other kind gets a
/// clear error rather than "unknown field". The secret hex is wiped on drop.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnyKeyFile {
    #[serde(rename = "type")]
    kind: Option<String>,
    suite: Option<String>,
    secret_key: Option<String>,
    public_key: Option<String>,
    account: Option<String>,
}

impl Drop for AnyKeyFile {
    fn drop(&mut self) {
        self.secret_key.zeroize();
    }
}

/// Writes `key` to a new member key file at `path` (mode `0600`):
///
/// ```json
/// { "suite": "sm2", "secret_key": "<32 bytes hex>", "public_key": "<hex>", "account": "<32 bytes hex>" }
/// ```
///
/// The secret is in the clear: protect the file like the key it is.
///
/// ```
/// use fapiao_keystore::{read_key_file, write_key_file};
/// use fapiao_crypto::SigningKey;
/// use fapiao_types::Suite;
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("alice.key");
/// let key = SigningKey::generate(Suite::Sm2, &mut rand_core::OsRng);
/// write_key_file(&path, &key)?;
/// assert_eq!(read_key_file(&path)?.public_key(), key.public_key());
/// assert!(write_key_file(&path, &key).is_err()); // never overwrites
/// # Ok::<(), fapiao_keystore::Error>(())
/// ```
///
/// # Errors
/// [`Error::AlreadyExists`] if anything is at `path`; [`Error::Io`].
pub fn write_key_file(path: impl AsRef<Path>, key: &SigningKey) -> Result<()> {
    let public_key = key.public_key();
    let secret = Zeroizing::new(hex::encode(key.to_bytes().as_slice()));
    let out = MemberOut {
        suite: key.suite().as_str(),
        secret_key: &secret,
        public_key: &public_key.to_hex(),
        account: &public_key.account_id().to_string(),
    };
    write_json(path.as_ref(), &out)
}

/// Reads a member key file written by [`write_key_file`].
///
/// # Errors
/// [`Error::InvalidFile`] for bad JSON, a missing or unknown field, bad hex, a
/// wrong length, an unknown suite, a secret that is not a key of its suite, or a
/// validator key file; [`Error::KeyMismatch`] when `public_key` or `account` do
/// not belong to the secret; [`Error::Io`].
pub fn read_key_file(path: impl AsRef<Path>) -> Result<SigningKey> {
    let path = path.as_ref();
    let bad = |reason: String| invalid(path, reason);
    let file = read_any(path)?;
    if let Some(kind) = &file.kind {
        return Err(bad(format!("a key file of type {kind:?}, not a member key file")));
    }
    let suite_name = required(path, "suite", &file.suite)?;
    let suite = Suite::parse(suite_name).map_err(|e| bad(format!("suite: {e}")))?;
    let secret = decode_secret(path, required(path, "secret_key", &file.secret_key)?)?;
    let key =
        SigningKey::from_bytes(suite, &secret).map_err(|e| bad(format!("secret_key: {e}")))?;
    let public_key =
        PublicKey::from_hex(suite_name, required(path, "public_key", &file.public_key)?)
            .map_err(|e| bad(format!("public_key: {e}")))?;
    let account = AccountId::from_hex(required(path, "account", &file.account)?)
        .map_err(|e| bad(format!("account: {e}")))?;
    let expected = key.public_key();
    if public_key != expected {
        return Err(mismatch(path, "public_key"));
    }
    if account != expected.account_id() {
        return Err(mismatch(path, "account"));
    }
    Ok(key)
}

/// Writes the Ed25519 consensus key `secret` to a new validator key file at
/// `path` (mode `0600`); returns its public key:
///
/// ```json
/// { "type": "validator-ed25519", "secret_key": "<32 bytes hex>", "public_key": "<32 bytes hex>" }
/// ```
///
/// # Errors
/// [`Error::AlreadyExists`] if anything is at `path`; [`Error::Io`].
pub fn write_validator_key(path: impl AsRef<Path>, secret: &[u8; 32]) -> Result<[u8; 32]> {
    let public = validator_public_key(secret);
    let secret_hex = Zeroizing::new(hex::encode(secret));
    let out = ValidatorOut {
        kind: VALIDATOR_TYPE,
        secret_key: &secret_hex,
        public_key: &hex::encode(public),
    };
    write_json(path.as_ref(), &out)?;
    Ok(public)
}

/// Generates an Ed25519 consensus key from the OS RNG and writes it to a new
/// validator key file at `path`; returns its public key.
///
/// # Errors
/// As [`write_validator_key`].
pub fn generate_validator_key(path: impl AsRef<Path>) -> Result<[u8; 32]> {
    let mut secret = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(secret.as_mut());
    write_validator_key(path, &secret)
}

/// Reads a validator key file: its secret (wiped on drop) and public key.
///
/// # Errors
/// [`Error::InvalidFile`] for bad JSON, a missing or unknown field, bad hex, a
/// wrong length or a file that is not a validator key (such as a member key
/// file); [`Error::KeyMismatch`] when `public_key` does not belong to the
/// secret; [`Error::Io`].
pub fn read_validator_key(path: impl AsRef<Path>) -> Result<(Zeroizing<[u8; 32]>, [u8; 32])> {
    let path = path.as_ref();
    let file = read_any(path)?;
    match (&file.kind, &file.suite) {
        (Some(kind), _) if kind == VALIDATOR_TYPE => {}
        (None, Some(_)) => {
            return Err(invalid(path, "a member key file, not a validator key".into()))
        }
        (kind, _) => {
            return Err(invalid(path, format!("type is {kind:?}, expected {VALIDATOR_TYPE:?}")))
        }
    }
    if file.account.is_some() {
        return Err(invalid(path, "unexpected field `account` in a validator key".into()));
    }
    let secret = decode_secret(path, required(path, "secret_key", &file.secret_key)?)?;
    let public: [u8; 32] = hex::decode(required(path, "public_key", &file.public_key)?)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| invalid(path, "public_key is not 32 bytes of hex".into()))?;
    if validator_public_key(&secret) != public {
        return Err(mismatch(path, "public_key"));
    }
    Ok((secret, public))
}

fn validator_public_key(secret: &[u8; 32]) -> [u8; 32] {
    let mut key = ed25519_consensus::SigningKey::from(*secret);
    let public = key.verification_key().to_bytes();
    key.zeroize();
    public
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    // Sized up front so that the buffer holding the secret is never reallocated
    // (which would leave an unwiped copy behind).
    let mut json = Zeroizing::new(Vec::with_capacity(1024));
    serde_json::to_writer_pretty(&mut *json, value)
        .map_err(|e| invalid(path, format!("cannot serialise: {e}")))?;
    json.push(b'\n');
    fs::write_new(path, &json).map(|_| ())
}

fn read_any(path: &Path) -> Result<AnyKeyFile> {
    let bytes = Zeroizing::new(fs::read(path)?);
    serde_json::from_slice(&bytes).map_err(|e| invalid(path, e.to_string()))
}

fn required<'a>(path: &Path, field: &str, value: &'a Option<String>) -> Result<&'a str> {
    value.as_deref().ok_or_else(|| invalid(path, format!("missing field `{field}`")))
}

fn decode_secret(path: &Path, hex_text: &str) -> Result<Zeroizing<[u8; 32]>> {
    let mut secret = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(hex_text, secret.as_mut())
        .map_err(|_| invalid(path, "secret_key is not 32 bytes of hex".into()))?;
    Ok(secret)
}

fn invalid(path: &Path, reason: String) -> Error {
    Error::InvalidFile { path: path.to_path_buf(), reason }
}

fn mismatch(path: &Path, field: &'static str) -> Error {
    Error::KeyMismatch { path: path.to_path_buf(), field }
}
