//! The signed QR payload printed on every invoice: compact enough for a small QR code,
//! verifiable offline with the genesis alone.
//!
//! Text form (ASCII, URL-safe, fields separated by `.`):
//!
//! ```text
//! FP1.<number>.<yyyymmdd>.<total with tax, fen>.<seller USCC>.<commitment>.<validator>.<signature>
//! ```
//!
//! `commitment` is the invoice's salted commitment to its content (the public leaf's
//! `commitment`, 32 bytes) and `signature` an Ed25519 signature (64 bytes), both
//! base64url without padding; `validator` is the signer's index in the genesis
//! validator list. The signed bytes are `_FAPIAO_QR ‖ SHA-256(chain id) ‖` the text up to
//! and including the validator index — a validator attests that the invoice with this
//! content was on the chain it validates, as India's IRP signs its e-invoice QR codes.
//! The QR code itself holds a URL of the node's `/verify` page with the payload in its
//! `qr` query parameter; [`QrPayload::parse`] accepts either.

use crate::VerifyError;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine as _};
use fapiao_invoice_types::InvoicePublic;
use fapiao_types::{ChinaDate, Genesis, Hash32, InvoiceNumber, Uscc};

/// Version tag of the payload.
pub const QR_VERSION: &str = "FP1";
/// Signature namespace of QR attestations.
pub const NAMESPACE_QR: &[u8] = b"_FAPIAO_QR";

/// A parsed QR payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrPayload {
    /// Invoice number.
    pub number: InvoiceNumber,
    /// Issue date (`yyyymmdd` in the text).
    pub date: ChinaDate,
    /// Total with tax, fen (negative for a red invoice).
    pub total_with_tax: i64,
    /// Seller's USCC.
    pub seller_tax_id: Uscc,
    /// Salted commitment to the invoice content.
    pub commitment: Hash32,
    /// Genesis index of the signing validator.
    pub validator: u32,
    /// Ed25519 signature.
    pub signature: [u8; 64],
}

/// What a verified QR payload says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrVerified {
    /// The payload.
    pub payload: QrPayload,
    /// Name of the signing validator in the genesis.
    pub validator_name: String,
}

impl QrPayload {
    /// The payload fields of `public`, signed by validator `validator` with its Ed25519
    /// secret seed, for the chain whose id hashes to `chain`.
    pub fn sign(public: &InvoicePublic, chain: &Hash32, validator: u32, secret: &[u8; 32]) -> Self {
        let mut p = Self {
            number: public.number,
            date: public.date,
            total_with_tax: public.total_with_tax,
            seller_tax_id: public.seller_tax_id,
            commitment: public.commitment,
            validator,
            signature: [0; 64],
        };
        let key = ed25519_consensus::SigningKey::from(*secret);
        p.signature = key.sign(&p.message(chain)).to_bytes();
        p
    }

    fn signed_text(&self) -> String {
        format!(
            "{QR_VERSION}.{}.{}.{}.{}.{}.{}",
            self.number,
            self.date.yyyymmdd(),
            self.total_with_tax,
            self.seller_tax_id,
            B64.encode(self.commitment),
            self.validator
        )
    }

    /// The bytes the validator signs.
    pub fn message(&self, chain: &Hash32) -> Vec<u8> {
        let text = self.signed_text();
        let mut m = Vec::with_capacity(NAMESPACE_QR.len() + 32 + text.len());
        m.extend_from_slice(NAMESPACE_QR);
        m.extend_from_slice(chain);
        m.extend_from_slice(text.as_bytes());
        m
    }

    /// The text form.
    pub fn to_text(&self) -> String {
        format!("{}.{}", self.signed_text(), B64.encode(self.signature))
    }

    /// Parses the text form, or a URL whose `qr` query parameter holds it.
    ///
    /// # Errors
    /// [`VerifyError::QrMalformed`] naming the field at fault.
    pub fn parse(input: &str) -> Result<Self, VerifyError> {
        let input = input.trim();
        let text = match input.split_once("qr=") {
            Some((_, rest)) => rest.split('&').next().unwrap_or_default(),
            None => input,
        };
        let bad = |field: &str, why: &str| VerifyError::QrMalformed(format!("{field}: {why}"));
        let parts: Vec<&str> = text.split('.').collect();
        if parts.len() != 8 {
            return Err(bad("payload", &format!("{} fields, expected 8", parts.len())));
        }
        if parts[0] != QR_VERSION {
            return Err(bad("version", &format!("{:?}, expected {QR_VERSION}", parts[0])));
        }
        let number =
            InvoiceNumber::parse(parts[1]).map_err(|_| bad("number", "expected 20 digits"))?;
        let date = parts[2]
            .parse()
            .ok()
            .filter(|_| parts[2].len() == 8)
            .and_then(|d| ChinaDate::from_yyyymmdd(d).ok())
            .filter(|d| d.year() >= 1900)
            .ok_or_else(|| bad("date", "expected yyyymmdd"))?;
        let total_with_tax: i64 =
            parts[3].parse().map_err(|_| bad("total", "expected an integer number of fen"))?;
        let seller = Uscc::parse(parts[4]).map_err(|_| bad("seller", "expected a taxpayer id"))?;
        let commitment: Hash32 = B64
            .decode(parts[5])
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| bad("commitment", "expected 32 bytes, base64url"))?;
        let validator: u32 =
            parts[6].parse().map_err(|_| bad("validator", "expected a validator index"))?;
        let signature: [u8; 64] = B64
            .decode(parts[7])
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| bad("signature", "expected 64 bytes, base64url"))?;
        let p = Self {
            number,
            date,
            total_with_tax,
            seller_tax_id: seller,
            commitment,
            validator,
            signature,
        };
        // Canonical form only: one text per payload (no leading zeros, no `+`).
        if p.to_text() != text {
            return Err(bad("payload", "not in canonical form"));
        }
        Ok(p)
    }

    /// Checks the signature against the named validator's key in `genesis`.
    ///
    /// # Errors
    /// [`VerifyError::Genesis`] or [`VerifyError::QrSignature`].
    pub fn verify(&self, genesis: &Genesis) -> Result<QrVerified, VerifyError> {
        let validators =
            genesis.validator_infos().map_err(|e| VerifyError::Genesis(e.to_string()))?;
        let fail = VerifyError::QrSignature { validator: self.validator };
        let v = validators.get(self.validator as usize).ok_or(fail.clone())?;
        let key = ed25519_consensus::VerificationKey::try_from(v.public_key)
            .map_err(|e| VerifyError::Genesis(format!("validator {}: {e}", self.validator)))?;
        let sig = ed25519_consensus::Signature::from(self.signature);
        key.verify(&sig, &self.message(&genesis.chain_id_hash())).map_err(|_| fail)?;
        Ok(QrVerified { payload: self.clone(), validator_name: v.name.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fapiao_invoice_types::InvoiceStatus;
    use fapiao_types::{ConsensusParams, GenesisValidator, InvoiceKind};

    fn genesis(seeds: &[u8]) -> Genesis {
        Genesis {
            chain_id: "qr-test".into(),
            full_nodes: Vec::new(),
            genesis_time_ms: 0,
            consensus: ConsensusParams::default(),
            organisations: vec![],
            validators: seeds
                .iter()
                .enumerate()
                .map(|(i, s)| GenesisValidator {
                    name: format!("v{i}"),
                    org: String::new(),
                    public_key: hex::encode(
                        ed25519_consensus::SigningKey::from([*s; 32]).verification_key().to_bytes(),
                    ),
                    p2p_address: format!("127.0.0.1:{}", 9000 + i),
                })
                .collect(),
            demo: false,
            governance: Default::default(),
            params: Default::default(),
        }
    }

    fn public() -> InvoicePublic {
        InvoicePublic {
            number: "26442000000000000123".parse().unwrap(),
            kind: InvoiceKind::Special,
            date: ChinaDate::from_yyyymmdd(20_261_126).unwrap(),
            issued_at_ms: 1_795_000_000_000,
            total_with_tax: 47_280,
            seller_tax_id: "91440300555012347H".parse().unwrap(),
            seller_name: "深圳市老街餐饮有限公司".into(),
            status: InvoiceStatus::Issued,
            flagged: false,
            commitment: [0xab; 32],
            rules_version: 0,
        }
    }

    #[test]
    fn a_signed_payload_verifies_and_nothing_else_does() {
        let g = genesis(&[1, 2, 3, 4]);
        let p = QrPayload::sign(&public(), &g.chain_id_hash(), 2, &[3; 32]);
        let text = p.to_text();
        assert!(text.starts_with("FP1.26442000000000000123.20261126.47280.91440300555012347H."));
        assert!(text.len() < 200, "{} characters", text.len());
        assert_eq!(QrPayload::parse(&text).unwrap(), p);
        let v = QrPayload::parse(&text).unwrap().verify(&g).unwrap();
        assert_eq!(v.validator_name, "v2");
        // The URL a QR code holds.
        let url = format!("http://127.0.0.1:8080/verify?qr={text}&lang=en");
        assert_eq!(QrPayload::parse(&url).unwrap(), p);

        // Any changed character is refused: unparsable, not canonical, or unsigned.
        for (i, c) in text.char_indices() {
            let replacement = if c == 'A' {
                'B'
            } else if c.is_ascii_digit() {
                if c == '9' {
                    '0'
                } else {
                    (c as u8 + 1) as char
                }
            } else {
                'A'
            };
            let mut t = text.clone();
            t.replace_range(i..i + c.len_utf8(), &replacement.to_string());
            let r = QrPayload::parse(&t).and_then(|p| p.verify(&g));
            assert!(r.is_err(), "character {i} changed to {replacement} still verifies: {t}");
        }
        // Another signer index, another chain, another validator set.
        let mut other = p.clone();
        other.validator = 1;
        assert!(matches!(other.verify(&g), Err(VerifyError::QrSignature { validator: 1 })));
        other.validator = 9;
        assert!(other.verify(&g).is_err());
        let mut g2 = g.clone();
        g2.chain_id = "other".into();
        assert!(p.verify(&g2).is_err());
        assert!(p.verify(&genesis(&[1, 2, 9, 4])).is_err());
    }

    #[test]
    fn only_the_canonical_text_parses() {
        let g = genesis(&[1]);
        let p = QrPayload::sign(&public(), &g.chain_id_hash(), 0, &[1; 32]);
        let text = p.to_text();
        for bad in [
            text.replace(".47280.", ".047280."),
            text.replace(".47280.", ".+47280."),
            text.replacen("FP1", "FP2", 1),
            format!("{text}.extra"),
            text.replace(".20261126.", ".2026-11-26."),
            text.replace("26442000000000000123", "2644200000000000012"),
            String::new(),
        ] {
            assert!(
                matches!(QrPayload::parse(&bad), Err(VerifyError::QrMalformed(_))),
                "parsed: {bad}"
            );
        }
        // A red invoice's negative total round-trips.
        let mut red = public();
        red.total_with_tax = -9_500;
        let p = QrPayload::sign(&red, &g.chain_id_hash(), 0, &[1; 32]);
        assert_eq!(QrPayload::parse(&p.to_text()).unwrap().verify(&g).unwrap().payload, p);
    }
}
