//! Key pairs of both suites, their byte encodings and the key file a department (or a
//! person's wallet) keeps its decryption key in.
//!
//! Encodings: an X25519 key is 32 bytes (secret: the scalar as RFC 7748 takes it; public:
//! the u-coordinate); an SM2 secret key is the 32-byte big-endian scalar and its public
//! key the 65-byte uncompressed SEC1 point (`04 ‖ x ‖ y`).
//!
//! The key file is TOML, written once (never overwritten: a rotation writes a new file)
//! with mode `0600` through a temporary file, fsync and rename:
//!
//! ```toml
//! format = "fapiao-envelope-key/1"
//! suite = "hpke-x25519-chacha20poly1305"
//! epoch = 1
//! secret_key = "…64 hex digits…"
//! public_key = "…hex…"
//! ```
//!
//! Reading it checks that `public_key` is the public key of `secret_key`.

use std::{
    fmt, fs,
    io::Write,
    path::{Path, PathBuf},
};

use zeroize::Zeroizing;

use crate::{hpke_suite, sm_suite, CryptoRng, Error, Result, Suite};

pub(crate) enum Sk {
    X25519(hpke_suite::Sk),
    Sm2(sm2::SecretKey),
}

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Pk {
    X25519(hpke_suite::Pk),
    Sm2(sm2::PublicKey),
}

/// A decryption (secret) key of one suite.
pub struct SecretKey(pub(crate) Sk);

/// An encryption (public) key of one suite, as registered on the chain.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(pub(crate) Pk);

impl SecretKey {
    /// A fresh key of `suite` drawn from `rng`.
    pub fn generate<R: CryptoRng + ?Sized>(suite: Suite, rng: &mut R) -> SecretKey {
        match suite {
            Suite::HpkeX25519ChaCha20Poly1305 => SecretKey(Sk::X25519(hpke_suite::generate(rng))),
            Suite::Sm2Sm4Gcm => SecretKey(Sk::Sm2(sm_suite::generate(rng))),
        }
    }

    /// The key's suite.
    pub fn suite(&self) -> Suite {
        match self.0 {
            Sk::X25519(_) => Suite::HpkeX25519ChaCha20Poly1305,
            Sk::Sm2(_) => Suite::Sm2Sm4Gcm,
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match &self.0 {
            Sk::X25519(sk) => PublicKey(Pk::X25519(hpke_suite::public_of(sk))),
            Sk::Sm2(sk) => PublicKey(Pk::Sm2(sk.public_key())),
        }
    }

    /// Decode a secret key of `suite` (32 bytes for both suites).
    ///
    /// # Errors
    /// [`Error::BadKey`] when the bytes are not a key of the suite.
    pub fn from_bytes(suite: Suite, bytes: &[u8]) -> Result<SecretKey> {
        match suite {
            Suite::HpkeX25519ChaCha20Poly1305 => {
                Ok(SecretKey(Sk::X25519(hpke_suite::sk_from_bytes(bytes)?)))
            }
            Suite::Sm2Sm4Gcm => Ok(SecretKey(Sk::Sm2(sm_suite::sk_from_bytes(bytes)?))),
        }
    }

    /// The key's bytes (wiped when dropped).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(match &self.0 {
            Sk::X25519(sk) => hpke_suite::sk_bytes(sk),
            Sk::Sm2(sk) => sm_suite::sk_bytes(sk),
        })
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SecretKey({}, public {})",
            self.suite(),
            hex::encode(self.public_key().to_bytes())
        )
    }
}

impl PublicKey {
    /// The key's suite.
    pub fn suite(&self) -> Suite {
        match self.0 {
            Pk::X25519(_) => Suite::HpkeX25519ChaCha20Poly1305,
            Pk::Sm2(_) => Suite::Sm2Sm4Gcm,
        }
    }

    /// Decode a public key of `suite` (32 bytes, or a 65-byte SEC1 point for SM2).
    ///
    /// # Errors
    /// [`Error::BadKey`] when the bytes are not a key of the suite.
    pub fn from_bytes(suite: Suite, bytes: &[u8]) -> Result<PublicKey> {
        match suite {
            Suite::HpkeX25519ChaCha20Poly1305 => {
                Ok(PublicKey(Pk::X25519(hpke_suite::pk_from_bytes(bytes)?)))
            }
            Suite::Sm2Sm4Gcm => {
                // Only the uncompressed form is a registered key's encoding.
                if bytes.len() != 65 {
                    return Err(Error::BadKey { suite, what: "public" });
                }
                Ok(PublicKey(Pk::Sm2(sm_suite::pk_from_bytes(bytes)?)))
            }
        }
    }

    /// The key's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.0 {
            Pk::X25519(pk) => hpke_suite::pk_bytes(pk),
            Pk::Sm2(pk) => sm_suite::pk_bytes(pk),
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({}, {})", self.suite(), hex::encode(self.to_bytes()))
    }
}

/// The contents of a key file: a secret key and the epoch it is registered under.
#[derive(Debug)]
pub struct KeyFile {
    /// The key epoch on the chain (envelopes name it in `key_epoch`).
    pub epoch: u32,
    /// The decryption key.
    pub secret: SecretKey,
}

const FORMAT: &str = "fapiao-envelope-key/1";

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyFile {
    format: String,
    suite: Suite,
    epoch: u32,
    secret_key: String,
    public_key: String,
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::KeyFile { path: path.to_path_buf(), reason: reason.into() }
}

/// Read a key file.
///
/// # Errors
/// [`Error::Io`] when it cannot be read; [`Error::KeyFile`] when it does not parse, names
/// another format, or its public key is not its secret key's.
pub fn read_key_file(path: &Path) -> Result<KeyFile> {
    let text = Zeroizing::new(
        fs::read_to_string(path).map_err(|source| Error::Io { path: path.into(), source })?,
    );
    let raw: RawKeyFile = toml::from_str(&text).map_err(|e| bad(path, e.message().to_owned()))?;
    if raw.format != FORMAT {
        return Err(bad(path, format!("format is {:?}, not {FORMAT:?}", raw.format)));
    }
    let secret_bytes = Zeroizing::new(
        hex::decode(&raw.secret_key).map_err(|_| bad(path, "secret_key is not hex"))?,
    );
    let secret = SecretKey::from_bytes(raw.suite, &secret_bytes)?;
    let public = hex::decode(&raw.public_key).map_err(|_| bad(path, "public_key is not hex"))?;
    if secret.public_key().to_bytes() != public {
        return Err(bad(path, "public_key is not the public key of secret_key"));
    }
    Ok(KeyFile { epoch: raw.epoch, secret })
}

/// Write a new key file (mode `0600`), atomically; an existing file is never replaced.
///
/// # Errors
/// [`Error::KeyFile`] when `path` exists; [`Error::Io`] when writing fails.
pub fn write_key_file(path: &Path, key: &KeyFile) -> Result<()> {
    if path.exists() {
        return Err(bad(path, "exists; a new key goes to a new file"));
    }
    let raw = RawKeyFile {
        format: FORMAT.into(),
        suite: key.secret.suite(),
        epoch: key.epoch,
        secret_key: hex::encode(key.secret.to_bytes().as_slice()),
        public_key: hex::encode(key.secret.public_key().to_bytes()),
    };
    let text = Zeroizing::new(toml::to_string(&raw).map_err(|e| bad(path, e.to_string()))?);
    // The hex copy of the secret is wiped too, not only the text holding it.
    drop(Zeroizing::new(raw.secret_key));
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let tmp = tmp_path(path);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(io)?;
    let written = file.write_all(text.as_bytes()).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| fs::hard_link(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(io(e));
    }
    // The hard link made the new name without replacing anything that appeared since the
    // check above; the temporary name goes, then the directory is synced.
    fs::remove_file(&tmp).map_err(io)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    }
    Ok(())
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os_rng;

    #[test]
    fn keys_round_trip_through_bytes() {
        let mut rng = os_rng();
        for suite in Suite::ALL {
            let sk = SecretKey::generate(suite, &mut rng);
            let back = SecretKey::from_bytes(suite, &sk.to_bytes()).unwrap();
            assert_eq!(back.public_key(), sk.public_key());
            let pk = PublicKey::from_bytes(suite, &sk.public_key().to_bytes()).unwrap();
            assert_eq!(pk, sk.public_key());
            assert_eq!(pk.suite(), suite);
        }
        assert!(PublicKey::from_bytes(Suite::Sm2Sm4Gcm, &[4; 65]).is_err());
        assert!(PublicKey::from_bytes(Suite::HpkeX25519ChaCha20Poly1305, &[1; 31]).is_err());
        assert!(SecretKey::from_bytes(Suite::Sm2Sm4Gcm, &[0; 32]).is_err());
    }

    #[test]
    fn key_file_round_trip_mode_and_no_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let mut rng = os_rng();
        for suite in Suite::ALL {
            let path = dir.path().join(format!("{suite}.toml"));
            let secret = SecretKey::generate(suite, &mut rng);
            let public = secret.public_key();
            write_key_file(&path, &KeyFile { epoch: 3, secret }).unwrap();
            let back = read_key_file(&path).unwrap();
            assert_eq!(back.epoch, 3);
            assert_eq!(back.secret.public_key(), public);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600);
            }
            let again = KeyFile { epoch: 4, secret: SecretKey::generate(suite, &mut rng) };
            assert!(matches!(write_key_file(&path, &again), Err(Error::KeyFile { .. })));
            assert_eq!(read_key_file(&path).unwrap().epoch, 3);
        }
    }

    #[test]
    fn key_file_with_a_foreign_public_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.toml");
        let mut rng = os_rng();
        let suite = Suite::HpkeX25519ChaCha20Poly1305;
        write_key_file(&path, &KeyFile { epoch: 1, secret: SecretKey::generate(suite, &mut rng) })
            .unwrap();
        let other = hex::encode(SecretKey::generate(suite, &mut rng).public_key().to_bytes());
        let text = fs::read_to_string(&path).unwrap();
        let line = text.lines().find(|l| l.starts_with("public_key")).unwrap();
        fs::write(&path, text.replace(line, &format!("public_key = \"{other}\""))).unwrap();
        assert!(matches!(read_key_file(&path), Err(Error::KeyFile { .. })));
    }
}
