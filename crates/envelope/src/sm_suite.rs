//! The `sm2-sm4-gcm` suite: SM2 public-key encryption (GB/T 32918.4, C1‖C3‖C2 with an
//! uncompressed C1) of a fresh 16-byte SM4 key, and the payload under SM4-GCM with a
//! 12-byte nonce and a 16-byte tag.
//!
//! `enc` = SM2(recipient, sm4_key): 65 + 32 + 16 = 113 bytes.
//! `ciphertext` = nonce (12) ‖ SM4-GCM ciphertext (len(plaintext)) ‖ tag (16), with the
//! GCM's associated data `u32be(len(info)) ‖ info ‖ aad`.

use aes_gcm::{
    aead::{consts::U12, Aead, KeyInit, Payload},
    AesGcm,
};
use sm2::{
    elliptic_curve::Generate,
    pke::{DecryptingKey, EncryptingKey, Mode},
};
use zeroize::Zeroizing;

use crate::{hpke_suite::RngRef, CryptoRng, Error, Result, Sealed, Suite};

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

const SUITE: Suite = Suite::Sm2Sm4Gcm;
const KEY_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

pub(crate) fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> sm2::SecretKey {
    sm2::SecretKey::generate_from_rng(&mut RngRef(rng))
}

pub(crate) fn sk_from_bytes(bytes: &[u8]) -> Result<sm2::SecretKey> {
    sm2::SecretKey::from_slice(bytes).map_err(|_| Error::BadKey { suite: SUITE, what: "secret" })
}

pub(crate) fn pk_from_bytes(bytes: &[u8]) -> Result<sm2::PublicKey> {
    sm2::PublicKey::from_sec1_bytes(bytes)
        .map_err(|_| Error::BadKey { suite: SUITE, what: "public" })
}

pub(crate) fn sk_bytes(sk: &sm2::SecretKey) -> Vec<u8> {
    sk.to_bytes().to_vec()
}

/// The uncompressed SEC1 encoding, 65 bytes starting with `04`.
pub(crate) fn pk_bytes(pk: &sm2::PublicKey) -> Vec<u8> {
    pk.to_sec1_bytes().to_vec()
}

/// SM2 public-key encryption, C1‖C3‖C2, of `msg` to `pk`; `rng` supplies k.
pub(crate) fn sm2_encrypt<R: CryptoRng + ?Sized>(
    pk: &sm2::PublicKey,
    msg: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>> {
    EncryptingKey::new_with_mode(*pk, Mode::C1C3C2)
        .encrypt(&mut RngRef(rng), msg)
        .map_err(|_| Error::Seal { suite: SUITE })
}

/// SM2 decryption of a C1‖C3‖C2 ciphertext.
pub(crate) fn sm2_decrypt(sk: &sm2::SecretKey, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    DecryptingKey::new_with_mode(sk.to_nonzero_scalar(), Mode::C1C3C2)
        .decrypt(ciphertext)
        .map(Zeroizing::new)
        .map_err(|_| Error::Open)
}

fn gcm_aad(info: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    let len = u32::try_from(info.len()).map_err(|_| Error::Seal { suite: SUITE })?;
    let mut out = Vec::with_capacity(4 + info.len() + aad.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(info);
    out.extend_from_slice(aad);
    Ok(out)
}

/// SM4-GCM encryption; returns ciphertext ‖ tag.
pub(crate) fn sm4_gcm_encrypt(
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    msg: &[u8],
) -> Result<Vec<u8>> {
    let cipher = Sm4Gcm::new_from_slice(key).map_err(|_| Error::Seal { suite: SUITE })?;
    cipher.encrypt(&(*nonce).into(), Payload { msg, aad }).map_err(|_| Error::Seal { suite: SUITE })
}

/// SM4-GCM decryption of ciphertext ‖ tag.
pub(crate) fn sm4_gcm_decrypt(
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>> {
    let cipher = Sm4Gcm::new_from_slice(key).map_err(|_| Error::Open)?;
    cipher.decrypt(&(*nonce).into(), Payload { msg: ciphertext, aad }).map_err(|_| Error::Open)
}

pub(crate) fn seal<R: CryptoRng + ?Sized>(
    pk: &sm2::PublicKey,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    rng: &mut R,
) -> Result<Sealed> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    rng.fill_bytes(key.as_mut());
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill_bytes(&mut nonce);
    let enc = sm2_encrypt(pk, key.as_ref(), rng)?;
    let body = sm4_gcm_encrypt(key.as_ref(), &nonce, &gcm_aad(info, aad)?, plaintext)?;
    let mut ciphertext = Vec::with_capacity(NONCE_LEN + body.len());
    ciphertext.extend_from_slice(&nonce);
    ciphertext.extend_from_slice(&body);
    Ok(Sealed { enc, ciphertext })
}

pub(crate) fn open(
    sk: &sm2::SecretKey,
    enc: &[u8],
    ciphertext: &[u8],
    info: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>> {
    if ciphertext.len() < NONCE_LEN + TAG_LEN {
        return Err(Error::Open);
    }
    let key = sm2_decrypt(sk, enc)?;
    if key.len() != KEY_LEN {
        return Err(Error::Open);
    }
    let (nonce, body) = ciphertext.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| Error::Open)?;
    let aad = gcm_aad(info, aad).map_err(|_| Error::Open)?;
    sm4_gcm_decrypt(&key, &nonce, &aad, body)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::hpke_suite::tests::{h, Fixed};

    // GB/T 32918.5-2017 / GM/T 0003.5-2012, the public-key encryption example on the
    // recommended curve: private key d, public key P = dG, message "encryption standard",
    // the fixed random k, and the ciphertext C1‖C3‖C2.
    pub(crate) const D: &str = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
    pub(crate) const P: &str = "0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020\
                                ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13";
    const M: &[u8] = b"encryption standard";
    const K: &str = "59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21";
    const C: &str = "04\
        04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73\
        e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0\
        59983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766\
        21886ca989ca9c7d58087307ca93092d651efa";

    // RFC 8998 Appendix A.1 (SM4-GCM).
    const GCM_KEY: &str = "0123456789abcdeffedcba9876543210";
    const GCM_IV: &str = "00001234567800000000abcd";
    const GCM_AAD: &str = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    const GCM_PT: &str = "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd\
                          eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa";
    const GCM_CT: &str = "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735\
                          d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d";
    const GCM_TAG: &str = "83de3541e4c2b58177e065a9bf7b62ec";

    #[test]
    fn gbt32918_public_key_of_d() {
        let sk = sk_from_bytes(&h(D)).unwrap();
        assert_eq!(hex::encode(pk_bytes(&sk.public_key())), P);
    }

    #[test]
    fn gbt32918_encrypt_with_fixed_k_gives_the_reference_ciphertext() {
        let pk = pk_from_bytes(&h(P)).unwrap();
        let c = sm2_encrypt(&pk, M, &mut Fixed(h(K))).unwrap();
        assert_eq!(hex::encode(c), C);
    }

    #[test]
    fn gbt32918_decrypt_the_reference_ciphertext() {
        let sk = sk_from_bytes(&h(D)).unwrap();
        assert_eq!(sm2_decrypt(&sk, &h(C)).unwrap().as_slice(), M);
        let mut bad = h(C);
        bad[70] ^= 1; // inside C3
        assert!(sm2_decrypt(&sk, &bad).is_err());
    }

    #[test]
    fn rfc8998_sm4_gcm() {
        let iv: [u8; 12] = h(GCM_IV).try_into().unwrap();
        let out = sm4_gcm_encrypt(&h(GCM_KEY), &iv, &h(GCM_AAD), &h(GCM_PT)).unwrap();
        assert_eq!(hex::encode(&out), format!("{GCM_CT}{GCM_TAG}"));
        assert_eq!(sm4_gcm_decrypt(&h(GCM_KEY), &iv, &h(GCM_AAD), &out).unwrap(), h(GCM_PT));
        let mut bad = out.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x80;
        assert!(sm4_gcm_decrypt(&h(GCM_KEY), &iv, &h(GCM_AAD), &bad).is_err());
    }
}
