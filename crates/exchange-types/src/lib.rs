//! The four-department exchange's vocabulary on the chain: encrypted envelopes, keys, catalogues, queries and answers, watch lists and joint alerts, consents and deduction declarations, with their canonical encodings and no logic.
//!
//! The tax bureau, police, customs and the central bank's branch (and, for personal
//! income tax, the education, human-resources, health-insurance and housing
//! departments) publish catalogues of what they can be asked, ask and answer each other
//! in encrypted [`Envelope`]s, keep watch lists of keyed subject tags that the chain
//! compares into joint alerts, and share facts about a person only under that person's
//! consent. This crate declares what that application writes — its actions (tags
//! `0x80–0x8e`, [`ExchangeAction`]), its keys ([`ExchangeKey`]) and its records — so the
//! API, the responder and the CLI read them without linking the rules
//! (`fapiao-exchange`).
//!
//! ```
//! use fapiao_exchange_types::{subject_tag, ItemId, SubjectKind};
//!
//! let key = [7u8; 32];
//! let a = subject_tag(&key, SubjectKind::Uscc, "91440300MA5FXXXX1X");
//! assert_eq!(a, subject_tag(&key, SubjectKind::Uscc, " 91440300ma5fxxxx1x "));
//! assert_ne!(a, subject_tag(&[8u8; 32], SubjectKind::Uscc, "91440300MA5FXXXX1X"));
//! assert!(ItemId::parse("police.vehicle_owner").is_ok());
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod actions;
mod envelope;
mod ids;
mod keys;
mod records;
pub use fapiao_types::serde_hex;
pub use fapiao_types::serde_yuan as yuan;

pub use actions::{
    Addressed, AnswerQuery, AssignCase, AttachFinding, CatalogueChange, CatalogueEntry, CloseCase,
    DeclareDeductions, DeductionItem, DistributeWatchKey, ExchangeAction, ExchangeBodies,
    GrantConsent, NotExchangeAction, PublishCatalogue, Query, RegisterKey, RegisterPerson,
    RevokeConsent, Unwatch, VerifyDeclaration, Watch, EXCHANGE_TAGS,
};
pub use envelope::{
    Envelope, EnvelopeSuite, KeyBytes, MAX_CIPHERTEXT, MAX_ENC, MAX_PUBLIC_KEY, SM2_ENC_LEN,
    SM2_PUBLIC_KEY_LEN, SM4_NONCE_LEN, TAG_LEN, X25519_LEN,
};
pub use ids::{ItemId, SubjectKind, MAX_ITEM_ID};
pub use keys::ExchangeKey;
pub use records::{
    AccessLogEntry, AgentDeclaration, AgentItem, AlertRecord, AnswerOutcome, AnswerRecord,
    CaseOutcome, CaseStatus, CatalogueItem, ConsentRecord, DeclarationRecord, DeclaredItem,
    DeductionKind, DepartmentRecord, FindingRecord, IdRef, KeyRecord, PersonRecord, QueryRecord,
    RentTier, Trigger, TriggerKind, Verdict, Verification, WatchCategory, WatchEntry, WatchHead,
    WatchKeyRecord, WatchList,
};

use fapiao_types::{sha256, AccountId, Hash32};
use sha2::Sha256;

/// Domain separation of subject tags.
const SUBJECT_DOMAIN: &[u8] = b"_FAPIAO_EXCHANGE_SUBJECT";
/// Domain separation of a person's resident-ID commitment.
const RESIDENT_DOMAIN: &[u8] = b"_FAPIAO_EXCHANGE_RESIDENT";
/// Domain separation of alert ids.
const ALERT_DOMAIN: &[u8] = b"_FAPIAO_EXCHANGE_ALERT";
/// Domain separation of consent lookups.
const CONSENT_DOMAIN: &[u8] = b"_FAPIAO_EXCHANGE_CONSENT";

/// The keyed tag of a subject that watch lists and queries carry:
/// `HMAC-SHA256(watch key, "_FAPIAO_EXCHANGE_SUBJECT" ‖ kind tag ‖ id)`, the id trimmed
/// and upper-cased (a USCC, or a resident ID whose check character may be `x`). Without
/// the watch key, which the tax authority distributes to the departments encrypted
/// ([`DistributeWatchKey`]), a tag cannot be tested against guessed IDs.
pub fn subject_tag(watch_key: &[u8; 32], kind: SubjectKind, id: &str) -> Hash32 {
    let mut msg = SUBJECT_DOMAIN.to_vec();
    msg.push(kind.tag());
    msg.extend_from_slice(id.trim().to_ascii_uppercase().as_bytes());
    hmac_sha256(watch_key, &msg)
}

/// HMAC-SHA256 (RFC 2104) with a 32-byte key, by the `hmac` crate.
pub fn hmac_sha256(key: &[u8; 32], msg: &[u8]) -> Hash32 {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// The commitment to a person's resident ID stored with their registration:
/// `SHA-256("_FAPIAO_EXCHANGE_RESIDENT" ‖ salt ‖ id)`, the id upper-cased. The person
/// keeps the salt and shows it with the ID to a department that must check the binding.
pub fn resident_commitment(id: &str, salt: &[u8; 32]) -> Hash32 {
    let mut buf = RESIDENT_DOMAIN.to_vec();
    buf.extend_from_slice(salt);
    buf.extend_from_slice(id.trim().to_ascii_uppercase().as_bytes());
    sha256(&buf)
}

/// The id of the `n`th joint alert a transaction raised:
/// `SHA-256("_FAPIAO_EXCHANGE_ALERT" ‖ tx hash ‖ n (u16 BE))`.
pub fn alert_id(tx: &Hash32, n: u16) -> Hash32 {
    let mut buf = ALERT_DOMAIN.to_vec();
    buf.extend_from_slice(tx);
    buf.extend_from_slice(&n.to_be_bytes());
    sha256(&buf)
}

/// Where the chain looks up the consent covering (person, asking department, item,
/// purpose): `SHA-256("_FAPIAO_EXCHANGE_CONSENT" ‖ account ‖ len ‖ department ‖ len ‖
/// item ‖ purpose)`, the key of [`ExchangeKey::ConsentFor`].
pub fn consent_lookup(
    person: &AccountId,
    department: &str,
    item: &ItemId,
    purpose: &str,
) -> Hash32 {
    let mut buf = CONSENT_DOMAIN.to_vec();
    buf.extend_from_slice(&person.0);
    for part in [department.as_bytes(), item.as_str().as_bytes()] {
        buf.extend_from_slice(&u16::try_from(part.len()).unwrap_or(u16::MAX).to_be_bytes());
        buf.extend_from_slice(part);
    }
    buf.extend_from_slice(purpose.as_bytes());
    sha256(&buf)
}
