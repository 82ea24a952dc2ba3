//! The exchange's actions: [`ExchangeAction`], its specs and its decoder.
//!
//! Each action is one payload under one tag of `0x80..=0x8e` of the action envelope
//! (docs/formats.md §21): the platform keeps `01–0f` and `50–5f`, invoices `10–4f`, the
//! cow bank `60–6f`, certificates `70–7f`. [`ExchangeBodies`] decodes a body fully, so
//! a malformed payload (a bad item id, an oversized envelope) makes its transaction
//! undecodable.

use crate::{
    AnswerOutcome, CaseOutcome, DeductionKind, Envelope, EnvelopeSuite, ItemId, KeyBytes, RentTier,
    SubjectKind, Verdict, WatchCategory,
};
use core::ops::RangeInclusive;
use fapiao_types::{canonical_struct, AccountId, Hash32, Role};

/// The action tags the exchange owns (`0x8f..=0x9f` are free for its next actions).
pub const EXCHANGE_TAGS: RangeInclusive<u8> = 0x80..=0x9f;

canonical_struct! {
    /// A department registers its encryption key: a new epoch (the first is 1); the
    /// old epochs stay readable, so answers sealed to them still open.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RegisterKey {
        /// The key's suite.
        pub suite: EnvelopeSuite,
        /// The public key (X25519: 32 bytes; SM2: 65 bytes, `04 ‖ x ‖ y`).
        pub public_key: KeyBytes,
    }
}

canonical_struct! {
    /// A person (a `consumer` account) registers (or rotates) their encryption key and
    /// binds the account to a resident-ID commitment.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RegisterPerson {
        /// The key's suite.
        pub suite: EnvelopeSuite,
        /// The public key.
        pub public_key: KeyBytes,
        /// [`crate::resident_commitment`] of the person's resident ID; fixed by the
        /// first registration (a rotation repeats it).
        #[serde(with = "crate::serde_hex")]
        pub resident_commitment: Hash32,
    }
}

canonical_struct! {
    /// What a department answers under one catalogue item.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CatalogueEntry {
        /// The item's name for people (`机动车所有人查询`).
        pub title: String,
        /// What identifies the subject.
        pub subject_kind: SubjectKind,
        /// The answer's fields (`owner_name`, `plate`, `registered_on`), the schema the
        /// asker decodes the sealed answer with.
        pub answer_schema: Vec<String>,
        /// The departments (organisation ids) that may ask.
        pub askers: Vec<String>,
        /// The legal basis of the exchange (a statute and article).
        pub legal_basis: String,
        /// Whether an answer needs the person's consent (items about natural persons).
        pub consent_required: bool,
    }
}

canonical_struct! {
    /// One change of a catalogue: an item published or updated (`entry`), or withdrawn
    /// (`None`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CatalogueChange {
        /// The item.
        pub item: ItemId,
        /// Its new entry; `None` withdraws it.
        pub entry: Option<CatalogueEntry>,
    }
}

canonical_struct! {
    /// A department publishes changes to its catalogue.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct PublishCatalogue {
        /// The changes, applied in order.
        pub changes: Vec<CatalogueChange>,
    }
}

canonical_struct! {
    /// A department asks another under an item of its catalogue; the query's id is the
    /// transaction's hash.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Query {
        /// The department asked (organisation id).
        pub to: String,
        /// The item asked under (of `to`'s catalogue).
        pub item: ItemId,
        /// The subject's tag ([`crate::subject_tag`] under the current watch key); the
        /// subject itself is inside the envelope.
        #[serde(with = "crate::serde_hex")]
        pub subject_tag: Hash32,
        /// The purpose: a case number.
        pub purpose: String,
        /// The person the item is about (required when the item needs consent).
        #[serde(with = "crate::serde_hex::opt", default)]
        pub person: Option<AccountId>,
        /// The question, sealed to `to`'s current key.
        pub envelope: Envelope,
    }
}

canonical_struct! {
    /// The department asked answers a query, once.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AnswerQuery {
        /// The query (its transaction's hash).
        #[serde(with = "crate::serde_hex")]
        pub query: Hash32,
        /// Found, not found, or declined.
        pub outcome: AnswerOutcome,
        /// The answer, sealed to the asking department's current key.
        pub envelope: Envelope,
    }
}

canonical_struct! {
    /// An envelope addressed to one department.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Addressed {
        /// The department (organisation id).
        pub to: String,
        /// Sealed to its current key.
        pub envelope: Envelope,
    }
}

canonical_struct! {
    /// The tax authority's officer distributes a new watch key (the HMAC key of subject
    /// tags), one envelope per department.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct DistributeWatchKey {
        /// The watch key's epoch: the last one's plus one (the first is 1).
        pub epoch: u32,
        /// The key, sealed to each department.
        pub shares: Vec<Addressed>,
    }
}

canonical_struct! {
    /// A department puts a subject tag on its watch list.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Watch {
        /// The subject's tag.
        #[serde(with = "crate::serde_hex")]
        pub tag: Hash32,
        /// Why it is watched.
        pub category: WatchCategory,
        /// A note, sealed to the department's own key.
        #[serde(default)]
        pub note: Option<Envelope>,
    }
}

canonical_struct! {
    /// A department takes a tag off its watch list.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Unwatch {
        /// The subject's tag.
        #[serde(with = "crate::serde_hex")]
        pub tag: Hash32,
    }
}

canonical_struct! {
    /// A department of a case attaches a finding, sealed to the case's departments.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AttachFinding {
        /// The case (the joint alert's id).
        #[serde(with = "crate::serde_hex")]
        pub case: Hash32,
        /// The finding, one envelope per department of the case.
        pub envelopes: Vec<Addressed>,
    }
}

canonical_struct! {
    /// A department of a case assigns it to an account of one of its departments.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AssignCase {
        /// The case.
        #[serde(with = "crate::serde_hex")]
        pub case: Hash32,
        /// The account in charge.
        #[serde(with = "crate::serde_hex")]
        pub assignee: AccountId,
    }
}

canonical_struct! {
    /// A department of a case closes it with an outcome.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CloseCase {
        /// The case.
        #[serde(with = "crate::serde_hex")]
        pub case: Hash32,
        /// How it ended.
        pub outcome: CaseOutcome,
        /// SHA-256 of the closing summary (kept off the chain).
        #[serde(with = "crate::serde_hex")]
        pub summary: Hash32,
    }
}

canonical_struct! {
    /// One special additional deduction (专项附加扣除) of a declaration.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct DeductionItem {
        /// Which deduction.
        pub kind: DeductionKind,
        /// Months of the year it applies to (1–12; 12 for the yearly kinds).
        pub months: u8,
        /// Fen: the monthly amount for the monthly kinds; for `serious_illness` the
        /// year's self-paid medical costs; for `continuing_education_certificate` the
        /// year's amount.
        #[serde(with = "crate::yuan")]
        pub amount: i64 => fen,
        /// The declarant's share of the standard, basis points (10000: all of it; 5000:
        /// half, split with a spouse or a sibling).
        pub share_bp: u16,
        /// The city tier of a rent (required for `housing_rent`).
        pub rent_tier: Option<RentTier>,
        /// For `elderly_support`: the declarant is an only child.
        pub only_child: bool,
        /// The facts (a child's school, a certificate's number, the lease), sealed to the
        /// tax authority.
        pub details: Envelope,
    }
}

canonical_struct! {
    /// A person declares special additional deductions for a tax year.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct DeclareDeductions {
        /// The tax year.
        pub year: u16,
        /// The employer withholding the tax (an enterprise's organisation id); it sees
        /// the amounts only.
        pub withholding_agent: String,
        /// The tax authority the details are sealed to (organisation id).
        pub tax_authority: String,
        /// The deductions.
        pub items: Vec<DeductionItem>,
    }
}

canonical_struct! {
    /// A person consents to a department's answers about them under one item and
    /// purpose, until `expires_ms`; the consent's id is the transaction's hash.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct GrantConsent {
        /// The department that may ask (organisation id).
        pub department: String,
        /// The item.
        pub item: ItemId,
        /// The purpose (case number) it covers.
        pub purpose: String,
        /// Until when (Unix ms, compared with the block's time).
        pub expires_ms: u64,
    }
}

canonical_struct! {
    /// A person revokes a consent.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RevokeConsent {
        /// The consent (its granting transaction's hash).
        #[serde(with = "crate::serde_hex")]
        pub consent: Hash32,
    }
}

canonical_struct! {
    /// The tax authority's officer records the verification of one item of a
    /// declaration, naming the answers it relied on.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct VerifyDeclaration {
        /// The declaration (its transaction's hash).
        #[serde(with = "crate::serde_hex")]
        pub declaration: Hash32,
        /// The item's index in the declaration (from 0).
        pub item: u16,
        /// Verified or rejected.
        pub verdict: Verdict,
        /// The queries (answered) the verdict relies on.
        #[serde(with = "crate::serde_hex::list")]
        pub answers: Vec<Hash32>,
    }
}

/// Why an action is not one of the exchange application's.
pub type NotExchangeAction = fapiao_types::NotAppAction;

const OFFICER: Option<Role> = Some(Role::ExchangeOfficer);
const PERSON: Option<Role> = Some(Role::Consumer);

fapiao_types::app_actions! {
    app: "exchange", tags: EXCHANGE_TAGS, keyless: fapiao_types::no_keyless,
    /// What an exchange transaction does: the payload of one tag. In JSON (the API,
    /// the CLI) it is the payload's fields beside `"action": "<name without
    /// exchange_>"`, bytes in hex, amounts in yuan as text.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(tag = "action", rename_all = "snake_case")]
    pub enum ExchangeAction;
    /// The decoder of the exchange's action bodies, for the codec configuration
    /// ([`fapiao_types::ActionCodecs`]).
    pub struct ExchangeBodies;
    actions {
        /// Register (rotate) a department's key.
        RegisterKey(RegisterKey) = 0x80, "exchange_register_key", OFFICER;
        /// Register (rotate) a person's key and resident-ID commitment.
        RegisterPerson(RegisterPerson) = 0x81, "exchange_register_person", PERSON;
        /// Publish or withdraw catalogue items.
        PublishCatalogue(PublishCatalogue) = 0x82, "exchange_publish_catalogue", OFFICER;
        /// Ask a department.
        Query(Query) = 0x83, "exchange_query", OFFICER;
        /// Answer a query.
        Answer(AnswerQuery) = 0x84, "exchange_answer", OFFICER;
        /// Distribute a new watch key (the tax authority).
        DistributeWatchKey(DistributeWatchKey) = 0x85, "exchange_distribute_watch_key", OFFICER;
        /// Watch a subject tag.
        Watch(Watch) = 0x86, "exchange_watch", OFFICER;
        /// Stop watching a subject tag.
        Unwatch(Unwatch) = 0x87, "exchange_unwatch", OFFICER;
        /// Attach a finding to a case.
        AttachFinding(AttachFinding) = 0x88, "exchange_attach_finding", OFFICER;
        /// Assign a case.
        AssignCase(AssignCase) = 0x89, "exchange_assign_case", OFFICER;
        /// Close a case.
        CloseCase(CloseCase) = 0x8a, "exchange_close_case", OFFICER;
        /// Declare deductions for a tax year (a person).
        DeclareDeductions(DeclareDeductions) = 0x8b, "exchange_declare_deductions", PERSON;
        /// Grant a consent (a person).
        GrantConsent(GrantConsent) = 0x8c, "exchange_grant_consent", PERSON;
        /// Revoke a consent (a person).
        RevokeConsent(RevokeConsent) = 0x8d, "exchange_revoke_consent", PERSON;
        /// Record a declaration item's verification (the tax authority).
        VerifyDeclaration(VerifyDeclaration) = 0x8e, "exchange_verify_declaration", OFFICER;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Error as CodecError;
    use fapiao_types::ActionBodies;

    #[test]
    fn every_spec_is_in_the_range_in_tag_order() {
        let tags: Vec<u8> = ExchangeAction::SPECS.iter().map(|s| s.tag).collect();
        assert_eq!(tags, (0x80..=0x8e).collect::<Vec<_>>());
        for s in ExchangeAction::SPECS {
            assert!(EXCHANGE_TAGS.contains(&s.tag));
            assert!(s.name.starts_with("exchange_"), "{}", s.name);
            assert!(!s.keyless);
        }
        assert!(matches!(ExchangeBodies.body_len(0x8f, &[]), Err(CodecError::InvalidEnum(0x8f))));
    }
}
