//! The exchange's JSON bodies: what the routes answer and accept. Ids are 64 hex
//! characters, times `yyyy-mm-dd hh:mm` (China time) beside their Unix ms, amounts yuan
//! text, organisations by id with their names.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An organisation by id and name.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct OrgRef {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A registered encryption key.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct KeyJson {
    /// The department (or the person's account, hex).
    pub owner: String,
    /// Its epoch (1 for the first; each rotation adds one).
    pub epoch: u32,
    /// `hpke-x25519-chacha20poly1305` or `sm2-sm4-gcm`.
    pub suite: String,
    /// The public key, hex.
    pub public_key: String,
}

/// A catalogue item as a department published it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CatalogueJson {
    /// The department answering.
    pub org: String,
    /// Its name.
    pub org_name: String,
    /// The item id (`police.vehicle_owner`).
    pub item: String,
    /// Its title.
    pub title: String,
    /// `uscc` or `resident_id`.
    pub subject_kind: String,
    /// The answer's fields.
    pub fields: Vec<String>,
    /// The departments that may ask.
    pub askers: Vec<String>,
    /// The legal basis.
    pub legal_basis: String,
    /// Whether an answer needs the person's consent.
    pub consent: bool,
    /// Whether the caller's department may ask it.
    pub may_ask: bool,
    /// The item's version.
    pub version: u32,
}

/// A query, with its subject and answer opened where this node holds the key.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct QueryJson {
    /// The query id.
    pub id: String,
    /// Its block.
    pub height: u64,
    /// Block time.
    pub time: String,
    /// The asking department.
    pub from: String,
    /// Its name.
    pub from_name: String,
    /// The department asked.
    pub to: String,
    /// Its name.
    pub to_name: String,
    /// The catalogue item.
    pub item: String,
    /// The subject's keyed tag, hex.
    pub subject_tag: String,
    /// The purpose (case number).
    pub purpose: String,
    /// The person it is about (account, hex), for consent items.
    pub person: Option<String>,
    /// Whether it has been answered.
    pub answered: bool,
    /// For a query about a person: whether a consent of theirs covers it now (unrevoked,
    /// unexpired), so that the department asked waits rather than answers in vain; `null`
    /// for other queries.
    pub covered: Option<bool>,
    /// `found`, `not_found` or `declined`, once answered.
    pub outcome: Option<String>,
    /// The answer's block.
    pub answer_height: Option<u64>,
    /// The sealed question (for a responder): suite, key epoch, enc and ciphertext.
    #[schema(value_type = Object)]
    pub envelope: serde_json::Value,
    /// The subject, opened (for the two departments, on a node holding their key).
    pub subject: Option<String>,
    /// The question's parameters, opened.
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
    /// The answer's rows, opened (for the asker, on a node holding its key).
    #[schema(value_type = Option<Vec<Object>>)]
    pub rows: Option<Vec<serde_json::Value>>,
}

/// The queries addressed to the caller's department.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct InboxJson {
    /// Newest first.
    pub queries: Vec<QueryJson>,
}

/// One finding of a case.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FindingJson {
    /// The department that attached it.
    pub from: String,
    /// Its name.
    pub from_name: String,
    /// When.
    pub time: String,
    /// The text, opened for the caller's department (`null` where this node holds no key).
    pub text: Option<String>,
}

/// A joint alert and its case.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AlertJson {
    /// The alert id.
    pub id: String,
    /// The subject's tag.
    pub tag: String,
    /// The subject, where the caller's department watches it or asked about it and this
    /// node can open what it sent.
    pub subject: Option<String>,
    /// The two departments.
    pub departments: Vec<OrgRef>,
    /// The watch categories involved.
    pub categories: Vec<String>,
    /// The block that raised it.
    pub height: u64,
    /// When.
    pub time: String,
    /// `open` or `closed`.
    pub status: String,
    /// The account in charge.
    pub assignee: Option<String>,
    /// Its name.
    pub assignee_name: Option<String>,
    /// `confirmed_fraud`, `cleared` or `referred`, once closed.
    pub outcome: Option<String>,
    /// What raised and fed it.
    pub triggers: Vec<TriggerJson>,
    /// The findings.
    pub findings: Vec<FindingJson>,
}

/// What made a match.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct TriggerJson {
    /// `watch` or `query`.
    pub kind: String,
    /// The department.
    pub department: String,
    /// The watch category, for a watch entry.
    pub category: Option<String>,
    /// The item, for a query.
    pub item: Option<String>,
    /// The block.
    pub height: u64,
}

/// A watch-list entry of the caller's department.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct WatchJson {
    /// The tag.
    pub tag: String,
    /// The category.
    pub category: String,
    /// The block time it was added.
    pub since: String,
    /// The block.
    pub height: u64,
}

/// A department's desk.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DeskJson {
    /// The caller's department.
    pub org: OrgRef,
    /// Its current key.
    pub key: Option<KeyJson>,
    /// The current watch key's epoch, if shared with this department.
    pub watch_key_epoch: Option<u32>,
    /// Every department's catalogue.
    pub catalogue: Vec<CatalogueJson>,
    /// Queries it received, newest first.
    pub inbox: Vec<QueryJson>,
    /// Queries it sent, newest first.
    pub outbox: Vec<QueryJson>,
    /// Its watch list.
    pub watch: Vec<WatchJson>,
    /// Its joint alerts, newest first.
    pub alerts: Vec<AlertJson>,
}

/// What a write did.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DoneJson {
    /// Transaction hash.
    pub tx_hash: String,
    /// Block height.
    pub height: u64,
    /// The record it created (a query, a consent, a declaration), hex.
    pub record: Option<String>,
    /// The joint alerts the transaction raised.
    pub alerts: Vec<String>,
    /// The first of them (for pages).
    pub alert: Option<String>,
}

/// Ask a department.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AskJson {
    /// The department asked.
    pub to: String,
    /// The catalogue item.
    pub item: String,
    /// The subject: a USCC or a resident ID, as the item's subject kind says.
    pub subject: String,
    /// The purpose (case number).
    pub purpose: String,
    /// The person's account (hex) for consent items.
    #[serde(default)]
    pub person: Option<String>,
    /// Named parameters (`period_from`, `period_to`, `year`, `child_id`, …).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// Answer a query: either a sealed envelope (a responder) or rows this node seals to the
/// asker (a desk officer).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AnswerJson {
    /// The query id.
    pub query: String,
    /// `found`, `not_found` or `declined`.
    pub outcome: String,
    /// A sealed answer (suite, key_epoch, enc, ciphertext), or nothing.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub envelope: Option<serde_json::Value>,
    /// Rows for this node to seal, when no envelope is given.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub rows: Option<Vec<serde_json::Value>>,
}

/// Watch a subject.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct WatchInJson {
    /// USCC or resident ID.
    pub subject: String,
    /// `export_rebate_fraud`, `invoice_mill`, `shell_company` or `other`.
    pub category: String,
    /// A note, sealed to the department itself.
    #[serde(default)]
    pub note: Option<String>,
}

/// A finding.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FindingInJson {
    /// The text (sealed to each department of the case).
    pub text: String,
}

/// Assign a case.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default)]
pub struct AssignJson {
    /// The account in charge (hex); the caller when omitted.
    #[serde(default)]
    pub account: Option<String>,
}

/// Close a case.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CloseJson {
    /// `confirmed_fraud`, `cleared` or `referred`.
    pub outcome: String,
    /// The summary (kept off the chain; its SHA-256 is recorded).
    #[serde(default)]
    pub summary: String,
}

/// Rotate the caller's department key.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default)]
pub struct RotateJson {
    /// `hpke-x25519-chacha20poly1305` (default) or `sm2-sm4-gcm`.
    #[serde(default)]
    pub suite: Option<String>,
}

/// One declared deduction.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DeductionInJson {
    /// The kind (`children_education`, …).
    pub kind: String,
    /// Months (1–12).
    #[serde(default = "twelve")]
    pub months: u8,
    /// Yuan: monthly for the monthly kinds; the year's for certificates and serious
    /// illness. Omitted: the standard (for the monthly kinds), times the share.
    #[serde(default)]
    pub amount: Option<String>,
    /// The declarant's share in basis points (default 10000).
    #[serde(default)]
    pub share_bp: Option<u16>,
    /// `tier_1`, `tier_2` or `tier_3`, for rent.
    #[serde(default)]
    pub rent_tier: Option<String>,
    /// An only child, for elderly support.
    #[serde(default)]
    pub only_child: bool,
    /// The facts, sealed to the tax authority (a child's name and ID, the certificate…).
    #[serde(default)]
    pub details: String,
}

fn twelve() -> u8 {
    12
}

/// A declaration.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DeclareJson {
    /// The tax year.
    pub year: u16,
    /// The withholding agent (employer organisation id).
    pub withholding_agent: String,
    /// The tax authority (default: the chain's first).
    #[serde(default)]
    pub tax_authority: Option<String>,
    /// The deductions.
    pub items: Vec<DeductionInJson>,
}

/// A consent to grant.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ConsentInJson {
    /// The department that may ask.
    pub department: String,
    /// The item.
    pub item: String,
    /// The purpose it covers.
    pub purpose: String,
    /// Last day (yyyy-mm-dd, China time), inclusive.
    pub expires: String,
}

/// A tax officer's verification of one declared item.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct VerifyJson {
    /// The item's index.
    pub item: u16,
    /// `verified` or `rejected`.
    pub result: String,
    /// The answered queries relied on.
    #[serde(default)]
    pub answers: Vec<String>,
}

/// One declared item as its person sees it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DeclaredJson {
    /// The kind.
    pub kind: String,
    /// Months.
    pub months: u8,
    /// The year's deduction, yuan.
    pub amount: String,
    /// `pending`, `verified` or `rejected`.
    pub status: String,
}

/// A declaration as its person (or the employer, amounts only) sees it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DeclarationJson {
    /// Its id.
    pub id: String,
    /// The person (account, hex).
    pub person: String,
    /// The person's name as the platform knows the account.
    pub person_name: String,
    /// The tax year.
    pub year: u16,
    /// The withholding agent.
    pub agent: String,
    /// Its name.
    pub agent_name: String,
    /// The items.
    pub items: Vec<DeclaredJson>,
    /// The year's total deduction, yuan.
    pub total: String,
}

/// A consent as its person sees it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ConsentJson {
    /// Its id.
    pub id: String,
    /// The department allowed.
    pub department: String,
    /// Its name.
    pub department_name: String,
    /// The item.
    pub item: String,
    /// The purpose.
    pub purpose: String,
    /// Last day it covers.
    pub expires: String,
    /// Whether revoked.
    pub revoked: bool,
    /// Whether it still covers queries now.
    pub live: bool,
    /// Answers it has covered.
    pub uses: u32,
}

/// One read of a person's data.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AccessJson {
    /// The query.
    pub query: String,
    /// The asking department.
    pub asker: String,
    /// Its name.
    pub asker_name: String,
    /// The answering department.
    pub answerer: String,
    /// Its name.
    pub answerer_name: String,
    /// The item.
    pub item: String,
    /// The purpose.
    pub purpose: String,
    /// The answer's outcome.
    pub outcome: String,
    /// When it was answered.
    pub time: String,
}

/// A person's own page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct MeJson {
    /// The person's account.
    pub account: String,
    /// Whether registered with the exchange (key and resident-ID commitment).
    pub registered: bool,
    /// Declarations, newest first.
    pub declarations: Vec<DeclarationJson>,
    /// Consents, newest first.
    pub consents: Vec<ConsentJson>,
    /// The access log, newest first.
    pub access_log: Vec<AccessJson>,
    /// The departments that ask for natural-person items (for a consent form).
    pub askers: Vec<OrgRef>,
    /// The natural-person items (needing consent).
    pub items: Vec<CatalogueJson>,
}
