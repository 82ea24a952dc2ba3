//! The wire form of every encrypted payload of the exchange: [`Envelope`].
//!
//! A payload (a query's subject and parameters, an answer, a finding, the shared watch
//! key, a declaration's details) is sealed off the chain to one recipient's registered
//! public key of one epoch, in one of two suites ([`EnvelopeSuite`]):
//!
//! * `hpke-x25519-chacha20poly1305`: RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256),
//!   HKDF-SHA256, ChaCha20-Poly1305; `enc` is the 32-byte encapsulated key and
//!   `ciphertext` the AEAD output (tag included).
//! * `sm2-sm4-gcm`: a fresh 16-byte SM4 key encrypted with SM2 (GB/T 32918.4) to the
//!   recipient, `enc` = C1 ‖ C3 ‖ C2 (65 + 32 + 16 bytes); `ciphertext` = 12-byte nonce ‖
//!   SM4-GCM ciphertext ‖ 16-byte tag.
//!
//! The chain checks only the shape (the suite is the recipient's key's suite for that
//! epoch, the sizes are in bounds) and stores the bytes; it never decrypts. The sealing
//! itself lives in `fapiao-envelope`.
//!
//! Encoding: suite (1 byte) ‖ key_epoch (u32 BE) ‖ varint length ‖ `enc` ‖ varint
//! length ‖ `ciphertext`, the lengths bounded by [`MAX_ENC`] and [`MAX_CIPHERTEXT`]
//! (the governed `exchange/limits` bounds them tighter at execution).

use bytes::BufMut;
use commonware_codec::{Buf, EncodeSize, Error as CodecError, Read, Write};
use fapiao_types::{field::Field, read_bounded_bytes, sha256, string_enum, write_bytes, Hash32};

/// Longest `enc` the codec reads.
pub const MAX_ENC: usize = 256;
/// Longest `ciphertext` the codec reads (a transaction is at most 64 KiB anyway).
pub const MAX_CIPHERTEXT: usize = 65_536;
/// Longest registered public key the codec reads.
pub const MAX_PUBLIC_KEY: usize = 128;

/// Length of an HPKE X25519 encapsulated key and public key.
pub const X25519_LEN: usize = 32;
/// Length of an uncompressed SM2 public key (`04 ‖ x ‖ y`).
pub const SM2_PUBLIC_KEY_LEN: usize = 65;
/// Length of an SM2 ciphertext of a 16-byte SM4 key: C1 (65) ‖ C3 (32) ‖ C2 (16).
pub const SM2_ENC_LEN: usize = 65 + 32 + 16;
/// The AEAD tag of both suites.
pub const TAG_LEN: usize = 16;
/// The SM4-GCM nonce that starts an `sm2-sm4-gcm` ciphertext.
pub const SM4_NONCE_LEN: usize = 12;

string_enum! {
    /// How an envelope is sealed.
    EnvelopeSuite {
        /// RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.
        HpkeX25519ChaCha20Poly1305 = (0, "hpke-x25519-chacha20poly1305"),
        /// SM2 public-key encryption of a fresh SM4 key, SM4-GCM for the payload.
        Sm2Sm4Gcm = (1, "sm2-sm4-gcm"),
    }
}

impl EnvelopeSuite {
    /// The exact length of `enc` in this suite.
    pub fn enc_len(self) -> usize {
        match self {
            EnvelopeSuite::HpkeX25519ChaCha20Poly1305 => X25519_LEN,
            EnvelopeSuite::Sm2Sm4Gcm => SM2_ENC_LEN,
        }
    }

    /// The shortest `ciphertext` in this suite (an empty plaintext).
    pub fn min_ciphertext(self) -> usize {
        match self {
            EnvelopeSuite::HpkeX25519ChaCha20Poly1305 => TAG_LEN,
            EnvelopeSuite::Sm2Sm4Gcm => SM4_NONCE_LEN + TAG_LEN,
        }
    }

    /// Whether `key` has the shape of a public key of this suite (32 bytes, not all
    /// zero, for X25519; `04 ‖ x ‖ y` for SM2). Whether an SM2 point is on the curve is
    /// the sealer's check, not the chain's.
    pub fn public_key_ok(self, key: &[u8]) -> bool {
        match self {
            EnvelopeSuite::HpkeX25519ChaCha20Poly1305 => {
                key.len() == X25519_LEN && key.iter().any(|b| *b != 0)
            }
            EnvelopeSuite::Sm2Sm4Gcm => key.len() == SM2_PUBLIC_KEY_LEN && key[0] == 0x04,
        }
    }
}

/// A payload sealed to one recipient's key of one epoch.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The suite (the recipient's key's suite for `key_epoch`).
    pub suite: EnvelopeSuite,
    /// The recipient's key epoch it is sealed to (from 1).
    pub key_epoch: u32,
    /// The encapsulated key (HPKE) or the SM2-encrypted SM4 key.
    #[serde(with = "crate::serde_hex::bytes")]
    pub enc: Vec<u8>,
    /// The sealed payload.
    #[serde(with = "crate::serde_hex::bytes")]
    pub ciphertext: Vec<u8>,
}

impl Envelope {
    /// `sha256(ciphertext)`: what a record keeps where the ciphertext itself is not needed.
    pub fn ciphertext_hash(&self) -> Hash32 {
        sha256(&self.ciphertext)
    }

    /// Whether `enc` and `ciphertext` have the sizes of the suite, the ciphertext at
    /// most `max_ciphertext` bytes.
    pub fn shape_ok(&self, max_ciphertext: usize) -> bool {
        self.enc.len() == self.suite.enc_len()
            && self.ciphertext.len() >= self.suite.min_ciphertext()
            && self.ciphertext.len() <= max_ciphertext
    }
}

impl Write for Envelope {
    fn write(&self, buf: &mut impl BufMut) {
        self.suite.write(buf);
        self.key_epoch.write(buf);
        write_bytes(&self.enc, buf);
        write_bytes(&self.ciphertext, buf);
    }
}

impl EncodeSize for Envelope {
    fn encode_size(&self) -> usize {
        1 + 4
            + self.enc.len().encode_size()
            + self.enc.len()
            + self.ciphertext.len().encode_size()
            + self.ciphertext.len()
    }
}

impl Read for Envelope {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(Envelope {
            suite: EnvelopeSuite::read_cfg(buf, &())?,
            key_epoch: u32::read_cfg(buf, &())?,
            enc: read_bounded_bytes(buf, MAX_ENC)?,
            ciphertext: read_bounded_bytes(buf, MAX_CIPHERTEXT)?,
        })
    }
}

impl Field for Envelope {
    fn write_field(&self, buf: &mut impl BufMut) {
        Write::write(self, buf)
    }
    fn field_size(&self) -> usize {
        self.encode_size()
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, CodecError> {
        Self::read_cfg(buf, &())
    }
}

/// A registered public key's bytes: varint length ‖ bytes, at most [`MAX_PUBLIC_KEY`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct KeyBytes(#[serde(with = "crate::serde_hex::bytes")] pub Vec<u8>);

impl Field for KeyBytes {
    fn write_field(&self, buf: &mut impl BufMut) {
        write_bytes(&self.0, buf)
    }
    fn field_size(&self) -> usize {
        self.0.len().encode_size() + self.0.len()
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, CodecError> {
        read_bounded_bytes(buf, MAX_PUBLIC_KEY).map(KeyBytes)
    }
}
