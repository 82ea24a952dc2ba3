//! Account keys as data: signature suites, public keys, signatures and account ids.
//!
//! Verification and signing live in `fapiao-crypto`; this module only defines the
//! bytes. Ed25519 keys are 32 bytes; SM2 keys are SEC1-compressed points on
//! sm2p256v1 (33 bytes). Both suites sign with 64 bytes (Ed25519 `R‖s`, SM2 `r‖s`).

use crate::{codec_util::read32, hash::sha256, Error, Hash32};
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{EncodeSize, Error as CodecError, FixedSize, Read, Write};
use core::fmt;

/// A signature suite an account declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suite {
    /// Ed25519 over SHA-512, verified with ZIP-215 rules (the default).
    Ed25519,
    /// SM2 with SM3 (GB/T 32918, 国密).
    Sm2,
}

impl Suite {
    /// Stable name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Suite::Ed25519 => "ed25519",
            Suite::Sm2 => "sm2",
        }
    }

    /// Parses [`Suite::as_str`].
    ///
    /// # Errors
    /// [`Error::Invalid`] for any other text.
    pub fn parse(s: &str) -> crate::Result<Self> {
        match s {
            "ed25519" => Ok(Suite::Ed25519),
            "sm2" => Ok(Suite::Sm2),
            other => Err(Error::invalid("suite", format!("unknown suite {other:?}"))),
        }
    }
}

impl fmt::Display for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A public key of one of the two suites.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PublicKey {
    /// Ed25519 compressed Edwards point.
    Ed25519([u8; 32]),
    /// SM2 SEC1-compressed point.
    Sm2([u8; 33]),
}

impl PublicKey {
    /// The suite of this key.
    pub fn suite(&self) -> Suite {
        match self {
            PublicKey::Ed25519(_) => Suite::Ed25519,
            PublicKey::Sm2(_) => Suite::Sm2,
        }
    }

    /// The raw key bytes (without the suite tag).
    pub fn key_bytes(&self) -> &[u8] {
        match self {
            PublicKey::Ed25519(b) => b,
            PublicKey::Sm2(b) => b,
        }
    }

    /// Builds a key from its suite and raw bytes.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the length does not fit the suite.
    pub fn from_parts(suite: Suite, bytes: &[u8]) -> crate::Result<Self> {
        match suite {
            Suite::Ed25519 => bytes
                .try_into()
                .map(PublicKey::Ed25519)
                .map_err(|_| Error::invalid("public_key", "an ed25519 key is 32 bytes")),
            Suite::Sm2 => bytes
                .try_into()
                .map(PublicKey::Sm2)
                .map_err(|_| Error::invalid("public_key", "an sm2 key is 33 bytes (compressed)")),
        }
    }

    /// Parses `suite` and hex key bytes.
    ///
    /// # Errors
    /// [`Error::Invalid`] for an unknown suite, bad hex or a wrong length.
    pub fn from_hex(suite: &str, hex_key: &str) -> crate::Result<Self> {
        let bytes =
            hex::decode(hex_key).map_err(|e| Error::invalid("public_key", e.to_string()))?;
        Self::from_parts(Suite::parse(suite)?, &bytes)
    }

    /// Lower-case hex of the raw key bytes.
    pub fn to_hex(&self) -> String {
        hex::encode(self.key_bytes())
    }

    /// The account id this key controls: SHA-256 of the key's canonical encoding.
    pub fn account_id(&self) -> AccountId {
        let mut buf = Vec::with_capacity(self.encode_size());
        self.write(&mut buf);
        AccountId(sha256(&buf))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.suite(), self.to_hex())
    }
}

impl Write for PublicKey {
    fn write(&self, buf: &mut impl BufMut) {
        match self {
            PublicKey::Ed25519(b) => {
                buf.put_u8(0);
                buf.put_slice(b);
            }
            PublicKey::Sm2(b) => {
                buf.put_u8(1);
                buf.put_slice(b);
            }
        }
    }
}

impl EncodeSize for PublicKey {
    fn encode_size(&self) -> usize {
        1 + self.key_bytes().len()
    }
}

impl Read for PublicKey {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        match u8::read_cfg(buf, &())? {
            0 => Ok(PublicKey::Ed25519(read32(buf)?)),
            1 => Ok(PublicKey::Sm2(<[u8; 33]>::read_cfg(buf, &())?)),
            t => Err(CodecError::InvalidEnum(t)),
        }
    }
}

/// A 64-byte signature (Ed25519 `R‖s` or SM2 `r‖s`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u8; 64]);

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", hex::encode(self.0))
    }
}

impl Write for Signature {
    fn write(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.0);
    }
}

impl FixedSize for Signature {
    const SIZE: usize = 64;
}

impl Read for Signature {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(Signature(<[u8; 64]>::read_cfg(buf, &())?))
    }
}

/// An account: SHA-256 of its public key's canonical encoding.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(pub Hash32);

impl AccountId {
    /// Parses 64 hex characters.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `account`.
    pub fn from_hex(s: &str) -> crate::Result<Self> {
        crate::parse_hex32("account", s).map(AccountId)
    }
}

impl From<Hash32> for AccountId {
    fn from(h: Hash32) -> Self {
        AccountId(h)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({self})")
    }
}

impl Write for AccountId {
    fn write(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.0);
    }
}

impl FixedSize for AccountId {
    const SIZE: usize = 32;
}

impl Read for AccountId {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(AccountId(read32(buf)?))
    }
}
