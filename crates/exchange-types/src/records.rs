//! The exchange's records: department and person keys, catalogue items, queries and
//! answers, watch lists, joint alerts (cases) and their findings, consents, deduction
//! declarations — what is stored under its keys ([`crate::ExchangeKey`]) — and the
//! values of its derived index rows, each a canonical struct.
//!
//! Ciphertexts are stored where a recipient must read them (a query, an answer, a
//! finding, a declaration's details); elsewhere a record keeps `sha256(ciphertext)`.
//! Times are the block's (Unix ms).

use crate::{Addressed, Envelope, EnvelopeSuite, ItemId, KeyBytes, SubjectKind};
use fapiao_types::{canonical_struct, string_enum, AccountId, Hash32};

string_enum! {
    /// How a query was answered.
    AnswerOutcome {
        /// The subject was found; the envelope holds the answer.
        Found = (0, "found"),
        /// No record of the subject.
        NotFound = (1, "not_found"),
        /// The department declines to answer (the envelope says why).
        Declined = (2, "declined"),
    }
}

string_enum! {
    /// Why a subject is on a watch list.
    WatchCategory {
        /// Export-rebate fraud (骗取出口退税).
        ExportRebateFraud = (0, "export_rebate_fraud"),
        /// An invoice mill (虚开发票).
        InvoiceMill = (1, "invoice_mill"),
        /// A shell company (空壳公司).
        ShellCompany = (2, "shell_company"),
        /// Anything else.
        Other = (3, "other"),
    }
}

string_enum! {
    /// What made a joint alert.
    TriggerKind {
        /// A watch entry arrived on a tag another department watches.
        Watch = (0, "watch"),
        /// A query mentioned a tag another department watches.
        Query = (1, "query"),
    }
}

string_enum! {
    /// Whether a case is open.
    CaseStatus {
        /// Open: findings may be attached, it may be assigned and closed.
        Open = (0, "open"),
        /// Closed with an outcome.
        Closed = (1, "closed"),
    }
}

string_enum! {
    /// How a case ended.
    CaseOutcome {
        /// Fraud confirmed.
        ConfirmedFraud = (0, "confirmed_fraud"),
        /// Nothing found.
        Cleared = (1, "cleared"),
        /// Referred (to prosecution, to another authority).
        Referred = (2, "referred"),
    }
}

string_enum! {
    /// A special additional deduction (专项附加扣除), 国发〔2018〕41号 with the 2023
    /// standards of 国发〔2023〕13号.
    DeductionKind {
        /// 子女教育: per child, monthly.
        ChildrenEducation = (0, "children_education"),
        /// 继续教育 (学历): a degree course, monthly, at most 48 months.
        ContinuingEducationDegree = (1, "continuing_education_degree"),
        /// 继续教育 (职业资格): the year a certificate is obtained, a fixed amount.
        ContinuingEducationCertificate = (2, "continuing_education_certificate"),
        /// 大病医疗: the year's self-paid costs above a threshold, up to a cap.
        SeriousIllness = (3, "serious_illness"),
        /// 住房贷款利息: a first-home loan, monthly.
        HousingLoanInterest = (4, "housing_loan_interest"),
        /// 住房租金: monthly, by the city's tier.
        HousingRent = (5, "housing_rent"),
        /// 赡养老人: monthly; an only child's whole, or a sibling's share.
        ElderlySupport = (6, "elderly_support"),
        /// 3岁以下婴幼儿照护: per child, monthly.
        InfantCare = (7, "infant_care"),
    }
}

string_enum! {
    /// The tier of the city a rent is paid in (住房租金 standards).
    RentTier {
        /// Municipalities, provincial capitals, separately planned cities and others the
        /// State Council names.
        Tier1 = (0, "tier_1"),
        /// Other cities of more than one million registered residents.
        Tier2 = (1, "tier_2"),
        /// Cities of at most one million.
        Tier3 = (2, "tier_3"),
    }
}

string_enum! {
    /// The tax authority's verdict on a declared item.
    Verdict {
        /// The facts were confirmed by the source departments.
        Verified = (0, "verified"),
        /// The facts were not confirmed; the item is not allowed.
        Rejected = (1, "rejected"),
    }
}

canonical_struct! {
    /// A registered encryption key of one epoch (`exchange-key/<org>/<epoch>`,
    /// `exchange-person-key/<account>/<epoch>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct KeyRecord {
        /// The suite.
        pub suite: EnvelopeSuite,
        /// The public key.
        pub public_key: KeyBytes,
        /// The account that registered it.
        #[serde(with = "crate::serde_hex")]
        pub registered_by: AccountId,
        /// When (block time).
        pub registered_ms: u64,
    }
}

canonical_struct! {
    /// A department's state in the exchange (`exchange-dept/<org>`).
    #[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
    pub struct DepartmentRecord {
        /// Its current key epoch (0: no key yet).
        pub key_epoch: u32,
        /// Every item it ever published (withdrawn ones too), in order of first publication.
        pub items: Vec<ItemId>,
    }
}

canonical_struct! {
    /// A person registered in the exchange (`exchange-person/<account>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct PersonRecord {
        /// The current key epoch (from 1).
        pub key_epoch: u32,
        /// The commitment to the resident ID ([`crate::resident_commitment`]).
        #[serde(with = "crate::serde_hex")]
        pub resident_commitment: Hash32,
        /// When first registered.
        pub registered_ms: u64,
    }
}

canonical_struct! {
    /// A catalogue item (`exchange-item/<org>/<item>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct CatalogueItem {
        /// The item's name for people.
        pub title: String,
        /// What identifies the subject.
        pub subject_kind: SubjectKind,
        /// The answer's fields.
        pub answer_schema: Vec<String>,
        /// The departments that may ask.
        pub askers: Vec<String>,
        /// The legal basis.
        pub legal_basis: String,
        /// Whether an answer needs the person's consent.
        pub consent_required: bool,
        /// Withdrawn: no new query is accepted (open queries may still be answered).
        pub withdrawn: bool,
        /// Version: 1 when first published, plus one per change.
        pub version: u32,
        /// When last changed.
        pub updated_ms: u64,
    }
}

canonical_struct! {
    /// A query (`exchange-query/<id>`, the asking transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct QueryRecord {
        /// The asking department.
        pub from: String,
        /// The account that asked.
        #[serde(with = "crate::serde_hex")]
        pub asker: AccountId,
        /// The department asked.
        pub to: String,
        /// The item.
        pub item: ItemId,
        /// The subject's tag.
        #[serde(with = "crate::serde_hex")]
        pub subject_tag: Hash32,
        /// The purpose (case number).
        pub purpose: String,
        /// The person it is about.
        #[serde(with = "crate::serde_hex::opt", default)]
        pub person: Option<AccountId>,
        /// The question, sealed to `to`.
        pub envelope: Envelope,
        /// Height of its block.
        pub height: u64,
        /// Block time.
        pub time_ms: u64,
        /// Its answer's transaction, once answered.
        #[serde(with = "crate::serde_hex::opt", default)]
        pub answer: Option<Hash32>,
    }
}

canonical_struct! {
    /// An answer (`exchange-answer/<query id>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct AnswerRecord {
        /// The account that answered (an officer or the department's responder).
        #[serde(with = "crate::serde_hex")]
        pub answerer: AccountId,
        /// Found, not found, declined.
        pub outcome: AnswerOutcome,
        /// The answer, sealed to the asking department.
        pub envelope: Envelope,
        /// The consent it was given under (consent items).
        #[serde(with = "crate::serde_hex::opt", default)]
        pub consent: Option<Hash32>,
        /// Height of its block.
        pub height: u64,
        /// Block time.
        pub time_ms: u64,
        /// The answering transaction.
        #[serde(with = "crate::serde_hex")]
        pub tx: Hash32,
    }
}

canonical_struct! {
    /// A distributed watch key (`exchange-watch-key/<epoch>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct WatchKeyRecord {
        /// The tax authority that distributed it.
        pub by: String,
        /// The key, sealed to each department.
        pub shares: Vec<Addressed>,
        /// Block time.
        pub time_ms: u64,
    }
}

canonical_struct! {
    /// The latest watch key's epoch (`exchange-watch-head/current`).
    #[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
    pub struct WatchHead {
        /// The epoch (0: none distributed yet).
        pub epoch: u32,
    }
}

canonical_struct! {
    /// One department's live watch entry on a tag.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct WatchEntry {
        /// The department.
        pub department: String,
        /// Why.
        pub category: WatchCategory,
        /// `sha256` of its note's ciphertext, if it has one (the note itself is in the
        /// watching transaction).
        #[serde(with = "crate::serde_hex::opt", default)]
        pub note: Option<Hash32>,
        /// The account that put it there.
        #[serde(with = "crate::serde_hex")]
        pub by: AccountId,
        /// Since when.
        pub since_ms: u64,
        /// The watching transaction.
        #[serde(with = "crate::serde_hex")]
        pub tx: Hash32,
    }
}

canonical_struct! {
    /// The live watch entries on a tag (`exchange-watch/<tag>`), one per department, in
    /// department order; deleted when the last is withdrawn.
    #[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
    pub struct WatchList {
        /// The entries.
        pub entries: Vec<WatchEntry>,
    }
}

canonical_struct! {
    /// What made (or added to) a joint alert.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Trigger {
        /// A watch entry or a query.
        pub kind: TriggerKind,
        /// The department whose transaction it was.
        pub department: String,
        /// The watch entry's category (watch triggers).
        pub category: Option<WatchCategory>,
        /// The query's item (query triggers).
        pub item: Option<ItemId>,
        /// The transaction.
        #[serde(with = "crate::serde_hex")]
        pub tx: Hash32,
        /// Its block.
        pub height: u64,
    }
}

canonical_struct! {
    /// A joint alert, which is a case (`exchange-alert/<id>`, [`crate::alert_id`]).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct AlertRecord {
        /// The subject's tag both departments hold.
        #[serde(with = "crate::serde_hex")]
        pub tag: Hash32,
        /// The two departments, in order.
        pub departments: Vec<String>,
        /// The standing watch entry's department (the other's transaction made the match).
        pub watcher: String,
        /// The watch category of the standing entry.
        pub category: WatchCategory,
        /// What made it and what matched since, oldest first (at most 32 kept).
        pub triggers: Vec<Trigger>,
        /// Every match counted, also beyond those kept.
        pub matches: u32,
        /// The block that raised it.
        pub raised_height: u64,
        /// Its time.
        pub raised_ms: u64,
        /// Open or closed.
        pub status: CaseStatus,
        /// The account in charge.
        #[serde(with = "crate::serde_hex::opt", default)]
        pub assignee: Option<AccountId>,
        /// Findings attached (`exchange-finding/<id>/<n>`, n from 0).
        pub findings: u32,
        /// How it ended.
        pub outcome: Option<CaseOutcome>,
        /// SHA-256 of the closing summary.
        #[serde(with = "crate::serde_hex::opt", default)]
        pub summary: Option<Hash32>,
        /// The department that closed it.
        pub closed_by: Option<String>,
        /// When closed.
        pub closed_ms: Option<u64>,
    }
}

canonical_struct! {
    /// A reference to a record by id (`exchange-open-alert/<tag>/<a>/<b>`,
    /// `exchange-consent-for/<lookup>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct IdRef {
        /// The id.
        #[serde(with = "crate::serde_hex")]
        pub id: Hash32,
    }
}

canonical_struct! {
    /// A finding attached to a case (`exchange-finding/<case>/<n>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct FindingRecord {
        /// The department that attached it.
        pub department: String,
        /// The account.
        #[serde(with = "crate::serde_hex")]
        pub by: AccountId,
        /// The finding, sealed to each department of the case.
        pub envelopes: Vec<Addressed>,
        /// Block time.
        pub time_ms: u64,
        /// The attaching transaction.
        #[serde(with = "crate::serde_hex")]
        pub tx: Hash32,
    }
}

canonical_struct! {
    /// A person's consent (`exchange-consent/<id>`, the granting transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct ConsentRecord {
        /// The person.
        #[serde(with = "crate::serde_hex")]
        pub person: AccountId,
        /// The department that may ask.
        pub department: String,
        /// The item.
        pub item: ItemId,
        /// The purpose covered.
        pub purpose: String,
        /// Granted (block time).
        pub granted_ms: u64,
        /// Expires (Unix ms).
        pub expires_ms: u64,
        /// Revoked (block time).
        pub revoked_ms: Option<u64>,
        /// Answers given under it.
        pub uses: u32,
    }
}

canonical_struct! {
    /// A verification of one declared item.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Verification {
        /// Verified or rejected.
        pub verdict: Verdict,
        /// The tax officer.
        #[serde(with = "crate::serde_hex")]
        pub officer: AccountId,
        /// The answered queries relied on.
        #[serde(with = "crate::serde_hex::list")]
        pub answers: Vec<Hash32>,
        /// Block time.
        pub time_ms: u64,
    }
}

canonical_struct! {
    /// A declared item as stored, with the deduction the chain computed for the year.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct DeclaredItem {
        /// Which deduction.
        pub kind: DeductionKind,
        /// Months.
        pub months: u8,
        /// The declared amount (fen; monthly, or yearly for the yearly kinds).
        #[serde(with = "crate::yuan")]
        pub amount: i64 => fen,
        /// Share, basis points.
        pub share_bp: u16,
        /// City tier (rent).
        pub rent_tier: Option<RentTier>,
        /// Only child (elderly support).
        pub only_child: bool,
        /// The year's deduction (fen) at the standards in force.
        #[serde(with = "crate::yuan")]
        pub deduction: i64 => fen,
        /// The details, sealed to the tax authority.
        pub details: Envelope,
        /// The tax authority's verification, once recorded (the last one wins).
        pub verification: Option<Verification>,
    }
}

canonical_struct! {
    /// A declaration (`exchange-declaration/<id>`, the declaring transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct DeclarationRecord {
        /// The person.
        #[serde(with = "crate::serde_hex")]
        pub person: AccountId,
        /// The tax year.
        pub year: u16,
        /// The employer withholding the tax.
        pub withholding_agent: String,
        /// The tax authority.
        pub tax_authority: String,
        /// The items.
        pub items: Vec<DeclaredItem>,
        /// The year's total deduction (fen).
        #[serde(with = "crate::yuan")]
        pub total: i64 => fen,
        /// The version of `exchange/deductions` applied.
        pub standards_version: u32,
        /// Block time.
        pub time_ms: u64,
    }
}

canonical_struct! {
    /// One row of a person's access log (index value): a read of their data.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct AccessLogEntry {
        /// The query.
        #[serde(with = "crate::serde_hex")]
        pub query: Hash32,
        /// Who asked.
        pub asker: String,
        /// Who answered.
        pub answerer: String,
        /// Under which item.
        pub item: ItemId,
        /// For which purpose.
        pub purpose: String,
        /// The outcome.
        pub outcome: AnswerOutcome,
        /// The consent it was given under.
        #[serde(with = "crate::serde_hex")]
        pub consent: Hash32,
        /// When (the answer's block time).
        pub time_ms: u64,
    }
}

canonical_struct! {
    /// One deduction as the withholding agent sees it: kind and amount only.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct AgentItem {
        /// Which deduction.
        pub kind: DeductionKind,
        /// Months.
        pub months: u8,
        /// The year's deduction, fen.
        #[serde(with = "crate::yuan")]
        pub deduction: i64 => fen,
    }
}

canonical_struct! {
    /// A declaration as its withholding agent sees it (index value).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct AgentDeclaration {
        /// The declaration.
        #[serde(with = "crate::serde_hex")]
        pub declaration: Hash32,
        /// The employee.
        #[serde(with = "crate::serde_hex")]
        pub person: AccountId,
        /// The tax year.
        pub year: u16,
        /// The amounts.
        pub items: Vec<AgentItem>,
        /// The year's total, fen.
        #[serde(with = "crate::yuan")]
        pub total: i64 => fen,
    }
}
