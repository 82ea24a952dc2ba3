//! The `hpke-x25519-chacha20poly1305` suite: RFC 9180 single-shot base mode.

use hpke::{
    aead::ChaCha20Poly1305, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable, Kem as _,
    OpModeR, OpModeS, Serializable,
};

use crate::{CryptoRng, Error, Result, Sealed, Suite};

/// The KEM's secret key.
pub(crate) type Sk = <X25519HkdfSha256 as hpke::Kem>::PrivateKey;
/// The KEM's public key.
pub(crate) type Pk = <X25519HkdfSha256 as hpke::Kem>::PublicKey;
type Enc = <X25519HkdfSha256 as hpke::Kem>::EncappedKey;

const SUITE: Suite = Suite::HpkeX25519ChaCha20Poly1305;

pub(crate) fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Sk {
    X25519HkdfSha256::gen_keypair_with_rng(&mut RngRef(rng)).0
}

/// RFC 9180 `DeriveKeyPair(ikm)` (§7.1.3): the test vectors' keys come from it.
#[cfg(test)]
pub(crate) fn derive(ikm: &[u8]) -> (Sk, Pk) {
    X25519HkdfSha256::derive_keypair(ikm)
}

pub(crate) fn public_of(sk: &Sk) -> Pk {
    X25519HkdfSha256::sk_to_pk(sk)
}

pub(crate) fn sk_from_bytes(bytes: &[u8]) -> Result<Sk> {
    Sk::from_bytes(bytes).map_err(|_| Error::BadKey { suite: SUITE, what: "secret" })
}

pub(crate) fn pk_from_bytes(bytes: &[u8]) -> Result<Pk> {
    Pk::from_bytes(bytes).map_err(|_| Error::BadKey { suite: SUITE, what: "public" })
}

pub(crate) fn sk_bytes(sk: &Sk) -> Vec<u8> {
    sk.to_bytes().to_vec()
}

pub(crate) fn pk_bytes(pk: &Pk) -> Vec<u8> {
    pk.to_bytes().to_vec()
}

pub(crate) fn seal<R: CryptoRng + ?Sized>(
    pk: &Pk,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    rng: &mut R,
) -> Result<Sealed> {
    let (enc, ciphertext) = hpke::single_shot_seal_with_rng::<
        ChaCha20Poly1305,
        HkdfSha256,
        X25519HkdfSha256,
    >(&OpModeS::Base, pk, info, plaintext, aad, &mut RngRef(rng))
    .map_err(|_| Error::Seal { suite: SUITE })?;
    Ok(Sealed { enc: enc.to_bytes().to_vec(), ciphertext })
}

pub(crate) fn open(
    sk: &Sk,
    enc: &[u8],
    ciphertext: &[u8],
    info: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>> {
    let enc = Enc::from_bytes(enc).map_err(|_| Error::Open)?;
    hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
        &OpModeR::Base,
        sk,
        &enc,
        info,
        ciphertext,
        aad,
    )
    .map_err(|_| Error::Open)
}

/// A sized wrapper over an unsized RNG reference (the hpke functions take `impl CryptoRng`).
pub(crate) struct RngRef<'a, R: ?Sized>(pub(crate) &'a mut R);

impl<R: CryptoRng + ?Sized> hpke::rand_core::TryRng for RngRef<'_, R> {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
        self.0.try_next_u32()
    }
    fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
        self.0.try_next_u64()
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
        self.0.try_fill_bytes(dst)
    }
}

impl<R: CryptoRng + ?Sized> hpke::rand_core::TryCryptoRng for RngRef<'_, R> {}

#[cfg(test)]
pub(crate) mod tests {
    //! RFC 9180 Appendix A.2.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
    //! ChaCha20Poly1305, base mode), taken from the RFC's text.

    use super::*;

    pub(crate) const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
    pub(crate) const IKM_E: &str =
        "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b";
    const PK_EM: &str = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
    const SK_EM: &str = "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600";
    const IKM_R: &str = "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df";
    pub(crate) const PK_RM: &str =
        "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a";
    pub(crate) const SK_RM: &str =
        "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb";
    pub(crate) const ENC: &str = PK_EM;
    pub(crate) const PT: &str = "4265617574792069732074727574682c20747275746820626561757479";
    /// (aad, ciphertext) for sequence numbers 0, 1 and 2.
    pub(crate) const ENCRYPTIONS: [(&str, &str); 3] = [
        (
            "436f756e742d30",
            "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28",
        ),
        (
            "436f756e742d31",
            "6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c",
        ),
        (
            "436f756e742d32",
            "71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02b4f10ecac6f48c32f878fae86b",
        ),
    ];
    /// (exporter_context, L = 32 exported value).
    const EXPORTS: [(&str, &str); 3] = [
        ("", "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e"),
        ("00", "8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69"),
        (
            "54657374436f6e74657874",
            "5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53",
        ),
    ];

    pub(crate) fn h(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector hex")
    }

    /// An RNG that hands out fixed bytes: the vector's `ikmE` becomes the ephemeral key.
    pub(crate) struct Fixed(pub(crate) Vec<u8>);
    impl hpke::rand_core::TryRng for Fixed {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
            let mut b = [0; 4];
            self.try_fill_bytes(&mut b)?;
            Ok(u32::from_le_bytes(b))
        }
        fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
            let mut b = [0; 8];
            self.try_fill_bytes(&mut b)?;
            Ok(u64::from_le_bytes(b))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
            assert!(self.0.len() >= dst.len(), "fixed RNG exhausted");
            let rest = self.0.split_off(dst.len());
            dst.copy_from_slice(&self.0);
            self.0 = rest;
            Ok(())
        }
    }
    impl hpke::rand_core::TryCryptoRng for Fixed {}

    /// RFC 7748 clamping: the hpke crate stores (and serialises) an X25519 secret
    /// clamped, the RFC prints it as `DeriveKeyPair` outputs it; both are the same key.
    fn clamped(s: &str) -> String {
        let mut b = h(s);
        b[0] &= 248;
        b[31] &= 127;
        b[31] |= 64;
        hex::encode(b)
    }

    #[test]
    fn rfc9180_a21_derive_keypair() {
        let (sk_e, pk_e) = derive(&h(IKM_E));
        assert_eq!(hex::encode(sk_bytes(&sk_e)), clamped(SK_EM));
        assert_eq!(hex::encode(pk_bytes(&pk_e)), PK_EM);
        let (sk_r, pk_r) = derive(&h(IKM_R));
        assert_eq!(hex::encode(sk_bytes(&sk_r)), clamped(SK_RM));
        assert_eq!(sk_bytes(&sk_from_bytes(&h(SK_RM)).unwrap()), h(&clamped(SK_RM)));
        assert_eq!(hex::encode(pk_bytes(&pk_r)), PK_RM);
        assert_eq!(pk_bytes(&public_of(&sk_r)), h(PK_RM));
    }

    #[test]
    fn rfc9180_a21_seal_reproduces_enc_and_first_ciphertext() {
        let pk = pk_from_bytes(&h(PK_RM)).unwrap();
        let (aad0, ct0) = ENCRYPTIONS[0];
        let sealed = seal(&pk, &h(INFO), &h(aad0), &h(PT), &mut Fixed(h(IKM_E))).unwrap();
        assert_eq!(hex::encode(&sealed.enc), ENC);
        assert_eq!(hex::encode(&sealed.ciphertext), ct0);
    }

    #[test]
    fn rfc9180_a21_key_schedule_sequence_and_exports() {
        // The context API (not what `seal` uses) checks the nonce sequence and the exporter
        // secret, which are the key schedule's other outputs.
        let pk = pk_from_bytes(&h(PK_RM)).unwrap();
        let (enc, mut ctx) = hpke::setup_sender_with_rng::<
            ChaCha20Poly1305,
            HkdfSha256,
            X25519HkdfSha256,
        >(&OpModeS::Base, &pk, &h(INFO), &mut Fixed(h(IKM_E)))
        .unwrap();
        assert_eq!(hex::encode(enc.to_bytes()), ENC);
        for (aad, ct) in ENCRYPTIONS {
            assert_eq!(hex::encode(ctx.seal(&h(PT), &h(aad)).unwrap()), ct);
        }
        for (context, value) in EXPORTS {
            let mut out = [0u8; 32];
            ctx.export(&h(context), &mut out).unwrap();
            assert_eq!(hex::encode(out), value);
        }
    }

    #[test]
    fn rfc9180_a21_open_with_recipient_key() {
        let sk = sk_from_bytes(&h(SK_RM)).unwrap();
        for (i, (aad, ct)) in ENCRYPTIONS.into_iter().enumerate() {
            let opened = open(&sk, &h(ENC), &h(ct), &h(INFO), &h(aad));
            if i == 0 {
                assert_eq!(opened.unwrap(), h(PT));
            } else {
                // Single-shot open uses sequence number 0 only.
                assert!(opened.is_err());
            }
        }
    }
}
