//! The village cow bank's vocabulary on the chain: its action payloads, state keys and records, with their canonical encodings and no logic.
//!
//! A village collective buys cattle with public funds and runs a cow bank (母牛银行):
//! animals are handed to households under contract, calves belong to whoever raises
//! them, and each sale's net profit is split between the collective and the household
//! by the contract's terms. This crate declares what that application writes — its
//! actions (tags `0x60–0x6f`, [`CowbankAction`]), its keys ([`CowbankKey`]) and its
//! records — so the pages, the CLI and the demo read them without linking the rules
//! (`fapiao-cowbank`).
//!
//! ```
//! use fapiao_cowbank_types::{EarTag, resident_commitment};
//! use fapiao_values::ResidentId;
//!
//! let tag = EarTag::parse("251122200000001").unwrap();
//! assert_eq!(tag.county(), "511222");
//! let id = ResidentId::parse("11010519491231002X").unwrap();
//! let c = resident_commitment(&id, &[7; 32]);
//! assert_ne!(c, resident_commitment(&id, &[8; 32]));
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod actions;
mod ids;
mod keys;
mod records;
pub mod yuan;

pub use actions::{
    BuyAnimal, ClaimPayout, CountersignReport, CowbankAction, CowbankBodies, FileReport, Insure,
    NotCowbankAction, OpenFund, RecordBirth, RecordCost, RecordDeath, RecordInflow, RecordOutflow,
    RegisterHousehold, ReverseEntry, SellAnimal, SetHouseholdStatus, SignContract, Vaccinate,
    COWBANK_TAGS,
};
pub use ids::{EarTag, Slug, CATTLE, MAX_SLUG};
pub use keys::{CowbankKey, ListKind};
pub use records::{
    AnimalRecord, AnimalStatus, CalfRule, Claim, ContractRecord, ContractTerms, CostBearer,
    Countersignature, Direction, EntryRecord, FundRecord, FundSource, HouseholdRecord,
    HouseholdStatus, ListItem, LossRule, Policy, Purpose, ReportFigures, ReportRecord, SaleRecord,
    Settlement, Sex, Source, StatusChange, Vaccination, VillageRecord,
};

use fapiao_types::{sha256, Hash32};
use fapiao_values::ResidentId;

/// Domain separation of resident-ID commitments.
const RESIDENT_DOMAIN: &[u8] = b"_FAPIAO_COWBANK_RESIDENT";

/// The commitment to a household head's resident ID stored on the chain:
/// `SHA-256(domain ‖ salt ‖ id)`. The village keeps the salt; with it and the ID an
/// auditor can check the register, without them nobody can learn the ID.
pub fn resident_commitment(id: &ResidentId, salt: &[u8; 32]) -> Hash32 {
    let mut buf = Vec::with_capacity(RESIDENT_DOMAIN.len() + 32 + 18);
    buf.extend_from_slice(RESIDENT_DOMAIN);
    buf.extend_from_slice(salt);
    buf.extend_from_slice(id.as_str().as_bytes());
    sha256(&buf)
}
