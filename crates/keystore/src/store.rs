//! The keystore: load, decrypt, add, remove and sign.

use crate::{
    format::{self, entry_aad, EntryHex, File, Kdf, SealedHex},
    fs, Error, KdfParams, Result,
};
use chacha20poly1305::{
    aead::{Aead, Payload},
    KeyInit, XChaCha20Poly1305, XNonce,
};
use fapiao_crypto::SigningKey;
use fapiao_types::{AccountId, PublicKey, Signature, SignedTx, Suite, Tx};
use rand_core::{OsRng, RngCore};
use std::{
    collections::BTreeMap,
    fmt,
    path::{Path, PathBuf},
};
use zeroize::Zeroizing;

/// Longest key name accepted, in bytes.
pub const MAX_NAME_LEN: usize = 128;

/// What the keystore says about one key, without its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// The operator's label for the key, unique in the keystore.
    pub name: String,
    /// The account the key controls.
    pub account: AccountId,
    /// The public key.
    pub public_key: PublicKey,
}

/// A nonce and ciphertext as stored.
#[derive(Clone)]
struct Sealed {
    nonce: [u8; 24],
    ciphertext: Vec<u8>,
}

struct Entry {
    name: String,
    public_key: PublicKey,
    secret: Zeroizing<[u8; 32]>,
    sealed: Sealed,
}

/// An open keystore: the member keys a node holds, decrypted in memory and
/// encrypted on disk.
///
/// Every change is written through to the file before the call returns
/// ([`Keystore::insert`], [`Keystore::generate`], [`Keystore::remove`]); a
/// failed write leaves both the file and the in-memory keystore unchanged.
///
/// Secrets are held as [`Zeroizing`] bytes and wiped when the keystore is
/// dropped; [`Keystore::sign`] rebuilds a signing key for the call only.
///
/// Writers hold an exclusive lock on `<file>.lock` while they re-read the file,
/// change it and replace it: two processes (a node generating member keys, the
/// operator's CLI) never lose each other's change.
///
/// [`Keystore::open`] refuses a file whose KDF cost is below [`KdfParams::FLOOR`]:
/// a weak file is re-encrypted with [`Keystore::rekey`] after opening it with
/// [`Keystore::open_with_floor`].
pub struct Keystore {
    path: PathBuf,
    kdf: KdfParams,
    salt: [u8; format::SALT_LEN],
    cipher: XChaCha20Poly1305,
    check: Sealed,
    entries: BTreeMap<AccountId, Entry>,
}

impl fmt::Debug for Keystore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keystore")
            .field("path", &self.path)
            .field("kdf", &self.kdf)
            .field("keys", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl Keystore {
    /// Creates an empty keystore at `path` with [`KdfParams::RECOMMENDED`].
    ///
    /// # Errors
    /// [`Error::AlreadyExists`] if something is at `path`; [`Error::EmptyPassphrase`];
    /// [`Error::Io`].
    pub fn create(path: impl AsRef<Path>, passphrase: impl AsRef<[u8]>) -> Result<Self> {
        Self::create_with_params(path, passphrase, KdfParams::RECOMMENDED)
    }

    /// Creates an empty keystore at `path` with the given KDF cost.
    ///
    /// # Errors
    /// As [`Keystore::create`], plus [`Error::InvalidKdfParams`].
    pub fn create_with_params(
        path: impl AsRef<Path>,
        passphrase: impl AsRef<[u8]>,
        kdf: KdfParams,
    ) -> Result<Self> {
        let path = path.as_ref();
        let passphrase = passphrase.as_ref();
        if passphrase.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        kdf.validate()?;
        let _lock = fs::lock(path)?;
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(Error::AlreadyExists { path: path.to_path_buf() });
        }
        let mut salt = [0u8; format::SALT_LEN];
        OsRng.fill_bytes(&mut salt);
        let key = kdf.derive(passphrase, &salt)?;
        let cipher = XChaCha20Poly1305::new(key.as_ref().into());
        let check = seal(&cipher, format::CHECK_AAD, format::CHECK_PLAINTEXT);
        let store = Keystore {
            path: path.to_path_buf(),
            kdf,
            salt,
            cipher,
            check,
            entries: BTreeMap::new(),
        };
        store.persist(&store.entries)?;
        Ok(store)
    }

    /// Opens the keystore at `path` and decrypts every key in it, refusing a file
    /// whose KDF cost is below [`KdfParams::FLOOR`].
    ///
    /// # Errors
    /// [`Error::WeakKdf`]; [`Error::WrongPassphrase`]; [`Error::Tampered`] if an
    /// entry fails authentication; [`Error::Malformed`],
    /// [`Error::UnsupportedVersion`] or [`Error::InvalidKdfParams`] for a file this
    /// build cannot read; [`Error::Io`].
    pub fn open(path: impl AsRef<Path>, passphrase: impl AsRef<[u8]>) -> Result<Self> {
        Self::open_with_floor(path, passphrase, KdfParams::FLOOR)
    }

    /// As [`Keystore::open`] with another KDF floor: [`KdfParams::INSECURE_FAST`]
    /// for tests, or to open a weak file once and [`Keystore::rekey`] it.
    ///
    /// # Errors
    /// As [`Keystore::open`].
    pub fn open_with_floor(
        path: impl AsRef<Path>,
        passphrase: impl AsRef<[u8]>,
        floor: KdfParams,
    ) -> Result<Self> {
        let path = path.as_ref();
        let (file, kdf, salt, check) = read_file(path)?;
        kdf.check_floor(&floor)?;

        let key = kdf.derive(passphrase.as_ref(), &salt)?;
        let cipher = XChaCha20Poly1305::new(key.as_ref().into());
        let plain =
            open_sealed(&cipher, format::CHECK_AAD, &check).ok_or(Error::WrongPassphrase)?;
        if plain.as_slice() != format::CHECK_PLAINTEXT {
            return Err(Error::WrongPassphrase);
        }

        let entries = decode_entries(&cipher, &file)?;
        Ok(Keystore { path: path.to_path_buf(), kdf, salt, cipher, check, entries })
    }

    /// Re-encrypts the keystore under `new_passphrase` with a fresh salt and the
    /// current KDF cost ([`KdfParams::RECOMMENDED`]), and writes it (under the
    /// file lock, with the keys on disk at that moment).
    ///
    /// # Errors
    /// [`Error::EmptyPassphrase`]; errors of re-reading the file (see
    /// [`Keystore::insert`]); [`Error::Io`] (the file then keeps the old passphrase).
    pub fn rekey(&mut self, new_passphrase: impl AsRef<[u8]>) -> Result<()> {
        self.rekey_with_params(new_passphrase, KdfParams::RECOMMENDED)
    }

    /// As [`Keystore::rekey`] with the given KDF cost.
    ///
    /// # Errors
    /// As [`Keystore::rekey`], plus [`Error::InvalidKdfParams`].
    pub fn rekey_with_params(
        &mut self,
        new_passphrase: impl AsRef<[u8]>,
        kdf: KdfParams,
    ) -> Result<()> {
        let new_passphrase = new_passphrase.as_ref();
        if new_passphrase.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        kdf.validate()?;
        let _lock = fs::lock(&self.path)?;
        self.reload()?;
        let mut salt = [0u8; format::SALT_LEN];
        OsRng.fill_bytes(&mut salt);
        let key = kdf.derive(new_passphrase, &salt)?;
        let cipher = XChaCha20Poly1305::new(key.as_ref().into());
        let check = seal(&cipher, format::CHECK_AAD, format::CHECK_PLAINTEXT);
        let mut entries = BTreeMap::new();
        for (account, e) in &self.entries {
            let aad = entry_aad(account, &e.public_key, &e.name);
            let entry = Entry {
                name: e.name.clone(),
                public_key: e.public_key,
                secret: e.secret.clone(),
                sealed: seal(&cipher, &aad, e.secret.as_ref()),
            };
            entries.insert(*account, entry);
        }
        let next = Keystore { path: self.path.clone(), kdf, salt, cipher, check, entries };
        next.persist(&next.entries)?;
        *self = next;
        Ok(())
    }

    /// Re-reads the entries on disk (under the file lock, before a change), so a
    /// key another process added is kept.
    fn reload(&mut self) -> Result<()> {
        let (file, kdf, salt, _) = read_file(&self.path)?;
        if salt != self.salt || kdf != self.kdf {
            return Err(Error::Rekeyed { path: self.path.clone() });
        }
        self.entries = decode_entries(&self.cipher, &file)?;
        Ok(())
    }

    /// The keystore file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The KDF cost the file was created with.
    pub fn kdf_params(&self) -> KdfParams {
        self.kdf
    }

    /// Number of keys held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds `key` under `name` and writes the file; returns the key's account.
    /// The file is re-read under its lock first: keys another process added are
    /// kept.
    ///
    /// # Errors
    /// [`Error::InvalidName`], [`Error::DuplicateName`], [`Error::DuplicateAccount`],
    /// [`Error::Io`]; [`Error::Rekeyed`] if another process changed the passphrase;
    /// the errors of [`Keystore::open`] for a file damaged since.
    pub fn insert(&mut self, name: &str, key: &SigningKey) -> Result<AccountId> {
        check_name(name)?;
        let _lock = fs::lock(&self.path)?;
        self.reload()?;
        let public_key = key.public_key();
        let account = public_key.account_id();
        if self.entries.contains_key(&account) {
            return Err(Error::DuplicateAccount { account });
        }
        if self.find(name).is_some() {
            return Err(Error::DuplicateName { name: name.to_owned() });
        }
        let secret = key.to_bytes();
        let sealed = seal(&self.cipher, &entry_aad(&account, &public_key, name), secret.as_ref());
        let entry = Entry { name: name.to_owned(), public_key, secret, sealed };

        // Write first; only a durable key joins the in-memory set.
        let mut next: Vec<(&AccountId, &Entry)> = self.entries.iter().collect();
        next.push((&account, &entry));
        next.sort_by_key(|(a, _)| **a);
        self.persist_entries(next)?;
        self.entries.insert(account, entry);
        Ok(account)
    }

    /// Generates a key of `suite` from the OS RNG, adds it under `name` and writes
    /// the file.
    ///
    /// # Errors
    /// As [`Keystore::insert`].
    pub fn generate(&mut self, name: &str, suite: Suite) -> Result<KeyInfo> {
        let key = SigningKey::generate(suite, &mut OsRng);
        let account = self.insert(name, &key)?;
        Ok(KeyInfo { name: name.to_owned(), account, public_key: key.public_key() })
    }

    /// Removes the key of `account` and writes the file (re-read under its lock
    /// first); returns whether it was held.
    ///
    /// # Errors
    /// [`Error::Io`] (the key is then kept); errors of re-reading as for
    /// [`Keystore::insert`].
    pub fn remove(&mut self, account: &AccountId) -> Result<bool> {
        let _lock = fs::lock(&self.path)?;
        self.reload()?;
        if !self.entries.contains_key(account) {
            return Ok(false);
        }
        self.persist_entries(self.entries.iter().filter(|(a, _)| *a != account).collect())?;
        self.entries.remove(account);
        Ok(true)
    }

    /// The signing key of `account`, if held. The caller owns the copy; drop it
    /// as soon as it is no longer needed.
    pub fn get(&self, account: &AccountId) -> Option<SigningKey> {
        let entry = self.entries.get(account)?;
        // Checked when the entry was inserted or opened.
        SigningKey::from_bytes(entry.public_key.suite(), &entry.secret).ok()
    }

    /// The account of the key named `name`.
    pub fn find(&self, name: &str) -> Option<AccountId> {
        self.entries.iter().find(|(_, e)| e.name == name).map(|(a, _)| *a)
    }

    /// The keys held, by account id.
    pub fn list(&self) -> Vec<KeyInfo> {
        self.entries
            .iter()
            .map(|(account, e)| KeyInfo {
                name: e.name.clone(),
                account: *account,
                public_key: e.public_key,
            })
            .collect()
    }

    /// Signs `msg` as is with the key of `account` (see
    /// [`SigningKey::sign`]; prefer namespaced payloads).
    ///
    /// # Errors
    /// [`Error::UnknownAccount`].
    pub fn sign(&self, account: &AccountId, msg: &[u8]) -> Result<Signature> {
        self.get(account).map(|k| k.sign(msg)).ok_or(Error::UnknownAccount { account: *account })
    }

    /// Signs `tx` with the key of its sender.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`] if the sender's key is not held.
    pub fn sign_tx(&self, tx: Tx) -> Result<SignedTx> {
        let account = tx.sender.account_id();
        self.get(&account).map(|k| k.sign_tx(tx)).ok_or(Error::UnknownAccount { account })
    }

    fn persist(&self, entries: &BTreeMap<AccountId, Entry>) -> Result<()> {
        self.persist_entries(entries.iter().collect())
    }

    fn persist_entries(&self, entries: Vec<(&AccountId, &Entry)>) -> Result<()> {
        let file = File {
            version: format::VERSION,
            kdf: Kdf {
                algorithm: format::KDF_ALGORITHM.to_owned(),
                m_cost_kib: self.kdf.m_cost_kib,
                t_cost: self.kdf.t_cost,
                p_cost: self.kdf.p_cost,
                salt: hex::encode(self.salt),
            },
            cipher: format::CIPHER.to_owned(),
            check: sealed_hex(&self.check),
            keys: entries
                .into_iter()
                .map(|(account, e)| {
                    let sealed = sealed_hex(&e.sealed);
                    EntryHex {
                        account: account.to_string(),
                        suite: e.public_key.suite().as_str().to_owned(),
                        public_key: e.public_key.to_hex(),
                        name: e.name.clone(),
                        nonce: sealed.nonce,
                        ciphertext: sealed.ciphertext,
                    }
                })
                .collect(),
        };
        let json = serde_json::to_vec_pretty(&file)
            .map_err(|e| malformed(format!("cannot serialise: {e}")))?;
        fs::write_atomic(&self.path, &json)
    }
}

/// Parses the file and its header: the document, KDF cost, salt and check block.
fn read_file(path: &Path) -> Result<(File, KdfParams, [u8; format::SALT_LEN], Sealed)> {
    let bytes = fs::read(path)?;
    let file: File =
        serde_json::from_slice(&bytes).map_err(|e| Error::Malformed { reason: e.to_string() })?;
    if file.version != format::VERSION {
        return Err(Error::UnsupportedVersion { found: file.version, supported: format::VERSION });
    }
    if file.kdf.algorithm != format::KDF_ALGORITHM {
        return Err(malformed(format!("unknown KDF {:?}", file.kdf.algorithm)));
    }
    if file.cipher != format::CIPHER {
        return Err(malformed(format!("unknown cipher {:?}", file.cipher)));
    }
    let kdf = KdfParams {
        m_cost_kib: file.kdf.m_cost_kib,
        t_cost: file.kdf.t_cost,
        p_cost: file.kdf.p_cost,
    };
    let salt: [u8; format::SALT_LEN] = decode_hex_array("kdf.salt", &file.kdf.salt)?;
    let check = decode_sealed("check", &file.check.nonce, &file.check.ciphertext)?;
    Ok((file, kdf, salt, check))
}

fn decode_entries(cipher: &XChaCha20Poly1305, file: &File) -> Result<BTreeMap<AccountId, Entry>> {
    let mut entries = BTreeMap::new();
    for (i, e) in file.keys.iter().enumerate() {
        let (account, entry) = decode_entry(cipher, i, e)?;
        if entries.values().any(|x: &Entry| x.name == entry.name) {
            return Err(malformed(format!("key name {:?} appears twice", entry.name)));
        }
        if entries.insert(account, entry).is_some() {
            return Err(malformed(format!("account {account} appears twice")));
        }
    }
    Ok(entries)
}

fn malformed(reason: String) -> Error {
    Error::Malformed { reason }
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.len() > MAX_NAME_LEN || name.chars().any(char::is_control) {
        return Err(Error::InvalidName { name: name.to_owned() });
    }
    Ok(())
}

fn seal(cipher: &XChaCha20Poly1305, aad: &[u8], plaintext: &[u8]) -> Sealed {
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
        .expect("XChaCha20-Poly1305 refuses only plaintexts over 256 GiB");
    Sealed { nonce, ciphertext }
}

/// The plaintext, or `None` when authentication fails.
fn open_sealed(
    cipher: &XChaCha20Poly1305,
    aad: &[u8],
    sealed: &Sealed,
) -> Option<Zeroizing<Vec<u8>>> {
    cipher
        .decrypt(XNonce::from_slice(&sealed.nonce), Payload { msg: &sealed.ciphertext, aad })
        .ok()
        .map(Zeroizing::new)
}

fn sealed_hex(s: &Sealed) -> SealedHex {
    SealedHex { nonce: hex::encode(s.nonce), ciphertext: hex::encode(&s.ciphertext) }
}

fn decode_hex_array<const N: usize>(what: &str, s: &str) -> Result<[u8; N]> {
    hex::decode(s)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| malformed(format!("{what} is not {N} bytes of hex")))
}

fn decode_sealed(what: &str, nonce: &str, ciphertext: &str) -> Result<Sealed> {
    Ok(Sealed {
        nonce: decode_hex_array(&format!("{what}.nonce"), nonce)?,
        ciphertext: hex::decode(ciphertext)
            .map_err(|_| malformed(format!("{what}.ciphertext is not hex")))?,
    })
}

fn decode_entry(cipher: &XChaCha20Poly1305, i: usize, e: &EntryHex) -> Result<(AccountId, Entry)> {
    let at = |field: &str| format!("keys[{i}].{field}");
    let account = AccountId(decode_hex_array(&at("account"), &e.account)?);
    let public_key = PublicKey::from_hex(&e.suite, &e.public_key)
        .map_err(|err| malformed(format!("{}: {err}", at("public_key"))))?;
    if public_key.account_id() != account {
        return Err(malformed(format!("{} does not match its public key", at("account"))));
    }
    check_name(&e.name)?;
    let sealed = decode_sealed(&format!("keys[{i}]"), &e.nonce, &e.ciphertext)?;
    let plain = open_sealed(cipher, &entry_aad(&account, &public_key, &e.name), &sealed)
        .ok_or(Error::Tampered { account })?;
    let mut secret = Zeroizing::new([0u8; 32]);
    if plain.len() != secret.len() {
        return Err(Error::Tampered { account });
    }
    secret.copy_from_slice(&plain);
    // The AEAD already authenticates the pairing; this also catches a file that
    // was written with a mismatched key by a buggy tool.
    let key = SigningKey::from_bytes(public_key.suite(), &secret)
        .map_err(|_| Error::Tampered { account })?;
    if key.public_key() != public_key {
        return Err(Error::Tampered { account });
    }
    Ok((account, Entry { name: e.name.clone(), public_key, secret, sealed }))
}
