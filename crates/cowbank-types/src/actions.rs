//! The cow bank's actions: [`CowbankAction`], its specs and its decoder.
//!
//! Each action is one payload under one tag of `0x60..=0x6f` of the action envelope
//! (docs/formats.md §19): the platform keeps `01–0f` and `50–5f`, invoices `10–4f`.
//! [`CowbankBodies`] decodes a body fully, so a malformed payload (a bad ear tag, a
//! split over 100 %) makes its transaction undecodable.

use crate::{
    ContractTerms, EarTag, FundSource, HouseholdStatus, Policy, Purpose, Sex, Slug, Source,
};
use core::ops::RangeInclusive;
use fapiao_types::{canonical_struct, AccountId, ChinaDate, Hash32, Role};

/// The action tags the cow bank owns.
pub const COWBANK_TAGS: RangeInclusive<u8> = 0x60..=0x6f;

canonical_struct! {
    /// The manager registers a household.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RegisterHousehold {
        /// Its id in the village (`h01`).
        pub household: Slug,
        /// The head of household's name.
        pub name: String,
        /// Commitment to the resident ID ([`crate::resident_commitment`]).
        #[serde(with = "crate::yuan::hex")]
        pub resident_commitment: Hash32,
        /// Village group.
        pub group: String,
        /// Status.
        pub status: HouseholdStatus,
        /// Since when.
        pub since: ChinaDate,
        /// The household's own account, if it has one (a member of the collective).
        #[serde(with = "crate::yuan::hex::opt", default)]
        pub account: Option<AccountId>,
    }
}

canonical_struct! {
    /// The manager records a change of a household's status.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SetHouseholdStatus {
        /// The household.
        pub household: Slug,
        /// The new status.
        pub status: HouseholdStatus,
        /// Since when.
        pub since: ChinaDate,
    }
}

canonical_struct! {
    /// The manager opens a fund.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct OpenFund {
        /// Its id (`grant-2026`).
        pub fund: Slug,
        /// Its name.
        pub name: String,
        /// Where its money comes from.
        pub source: FundSource,
        /// What it may be spent on (empty: anything; a grant must name its purposes).
        pub earmark: Vec<Purpose>,
    }
}

canonical_struct! {
    /// The manager records money coming into a fund.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RecordInflow {
        /// The fund.
        pub fund: Slug,
        /// Amount, fen.
        #[serde(with = "crate::yuan")]
        pub amount: i64 => fen,
        /// What it is (income, grant, loan).
        pub source: Source,
        /// Date.
        pub date: ChinaDate,
        /// Free text.
        pub memo: String,
    }
}

canonical_struct! {
    /// The manager records money going out of a fund.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RecordOutflow {
        /// The fund.
        pub fund: Slug,
        /// Amount, fen.
        #[serde(with = "crate::yuan")]
        pub amount: i64 => fen,
        /// What it pays for (checked against the fund's earmark).
        pub purpose: Purpose,
        /// Date.
        pub date: ChinaDate,
        /// Free text.
        pub memo: String,
    }
}

canonical_struct! {
    /// The manager reverses an entry (the only correction there is).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ReverseEntry {
        /// The entry's number.
        pub entry: u64,
        /// Date.
        pub date: ChinaDate,
        /// Why.
        pub reason: String,
    }
}

canonical_struct! {
    /// The manager buys an animal from a fund.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct BuyAnimal {
        /// Its ear tag.
        pub tag: EarTag,
        /// Breed.
        pub breed: String,
        /// Sex.
        pub sex: Sex,
        /// Birth date, if known.
        pub born: Option<ChinaDate>,
        /// Purchase date.
        pub date: ChinaDate,
        /// Price, fen.
        #[serde(with = "crate::yuan")]
        pub price: i64 => fen,
        /// The fund paying.
        pub fund: Slug,
        /// Who sold it.
        pub seller: String,
    }
}

canonical_struct! {
    /// The manager (or the keeping household) records a calf born in the herd.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RecordBirth {
        /// The calf's ear tag.
        pub tag: EarTag,
        /// Its mother.
        pub mother: EarTag,
        /// Sex.
        pub sex: Sex,
        /// Breed.
        pub breed: String,
        /// Birth date.
        pub date: ChinaDate,
    }
}

canonical_struct! {
    /// The manager hands animals to a household under contract.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SignContract {
        /// The household.
        pub household: Slug,
        /// The animals handed over (the collective's, kept, under no other contract).
        pub animals: Vec<EarTag>,
        /// First day.
        pub start: ChinaDate,
        /// Last day.
        pub end: ChinaDate,
        /// The terms.
        pub terms: ContractTerms,
    }
}

canonical_struct! {
    /// The manager records a vaccination.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Vaccinate {
        /// The animal.
        pub tag: EarTag,
        /// When.
        pub date: ChinaDate,
        /// Which vaccine.
        pub vaccine: String,
    }
}

canonical_struct! {
    /// The manager records an animal's insurance policy.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Insure {
        /// The animal.
        pub tag: EarTag,
        /// The policy.
        pub policy: Policy,
    }
}

canonical_struct! {
    /// The manager pays a cost for an animal from a fund (recovered at its sale).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RecordCost {
        /// The animal.
        pub tag: EarTag,
        /// The fund paying.
        pub fund: Slug,
        /// Amount, fen.
        #[serde(with = "crate::yuan")]
        pub amount: i64 => fen,
        /// Feed, vet, insurance or other.
        pub purpose: Purpose,
        /// Date.
        pub date: ChinaDate,
        /// Free text.
        pub memo: String,
    }
}

canonical_struct! {
    /// An insurance claim's payout, recorded with a death.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ClaimPayout {
        /// The insurer's claim number.
        pub claim: String,
        /// Payout, fen.
        #[serde(with = "crate::yuan")]
        pub payout: i64 => fen,
        /// The fund it is paid into.
        pub fund: Slug,
    }
}

canonical_struct! {
    /// The manager records a death or a loss.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RecordDeath {
        /// The animal.
        pub tag: EarTag,
        /// When.
        pub date: ChinaDate,
        /// Lost rather than dead.
        pub lost: bool,
        /// Cause.
        pub cause: String,
        /// The insurance claim, for an insured animal.
        pub claim: Option<ClaimPayout>,
    }
}

canonical_struct! {
    /// The manager, or the household owning the animal, records its sale; the chain
    /// settles it by the animal's contract.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SellAnimal {
        /// The animal.
        pub tag: EarTag,
        /// The buyer.
        pub buyer: String,
        /// Live weight, kg.
        pub weight_kg: u32,
        /// Price, fen.
        #[serde(with = "crate::yuan")]
        pub price: i64 => fen,
        /// Date.
        pub date: ChinaDate,
        /// The fund the price is paid into (and the household paid from).
        pub fund: Slug,
    }
}

canonical_struct! {
    /// The manager files (or, before it is countersigned, refiles) a year's report.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct FileReport {
        /// The year.
        pub year: u16,
        /// The manager's account of the year.
        pub text: String,
    }
}

canonical_struct! {
    /// The township's official countersigns a village's report, freezing it.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CountersignReport {
        /// The collective (organisation id).
        pub village: String,
        /// The year.
        pub year: u16,
        /// The official's opinion.
        pub opinion: String,
    }
}

/// Why an action is not one of the cowbank application's.
pub type NotCowbankAction = fapiao_types::NotAppAction;

const MANAGER: Option<Role> = Some(Role::CollectiveManager);

fapiao_types::app_actions! {
    app: "cowbank", tags: COWBANK_TAGS, keyless: fapiao_types::no_keyless,
    /// What a cow bank transaction does: the payload of one tag. In JSON (the API's
    /// `POST /v1/cowbank/actions`, the CLI) it is the payload's fields beside
    /// `"action": "<name without cowbank_>"`, amounts in yuan as text.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(tag = "action", rename_all = "snake_case")]
    pub enum CowbankAction;
    /// The decoder of the cow bank's action bodies, for the codec configuration
    /// ([`fapiao_types::ActionCodecs`]).
    pub struct CowbankBodies;
    actions {
        /// Register a household.
        RegisterHousehold(RegisterHousehold) = 0x60, "cowbank_register_household", MANAGER;
        /// Change a household's status.
        SetHouseholdStatus(SetHouseholdStatus) = 0x61, "cowbank_set_household_status", MANAGER;
        /// Open a fund.
        OpenFund(OpenFund) = 0x62, "cowbank_open_fund", MANAGER;
        /// Money into a fund.
        RecordInflow(RecordInflow) = 0x63, "cowbank_record_inflow", MANAGER;
        /// Money out of a fund.
        RecordOutflow(RecordOutflow) = 0x64, "cowbank_record_outflow", MANAGER;
        /// Reverse an entry.
        ReverseEntry(ReverseEntry) = 0x65, "cowbank_reverse_entry", MANAGER;
        /// Buy an animal.
        BuyAnimal(BuyAnimal) = 0x66, "cowbank_buy_animal", MANAGER;
        /// Record a birth.
        RecordBirth(RecordBirth) = 0x67, "cowbank_record_birth", MANAGER;
        /// Hand animals to a household.
        SignContract(SignContract) = 0x68, "cowbank_sign_contract", MANAGER;
        /// Record a vaccination.
        Vaccinate(Vaccinate) = 0x69, "cowbank_vaccinate", MANAGER;
        /// Record an insurance policy.
        Insure(Insure) = 0x6a, "cowbank_insure", MANAGER;
        /// Pay a cost for an animal.
        RecordCost(RecordCost) = 0x6b, "cowbank_record_cost", MANAGER;
        /// Record a death or loss.
        RecordDeath(RecordDeath) = 0x6c, "cowbank_record_death", MANAGER;
        /// Sell an animal (the manager or the owner household: checked by the rules).
        SellAnimal(SellAnimal) = 0x6d, "cowbank_sell_animal", None;
        /// File the annual report.
        FileReport(FileReport) = 0x6e, "cowbank_file_report", MANAGER;
        /// Countersign a village's annual report (the township's official, an auditor).
        CountersignReport(CountersignReport) = 0x6f, "cowbank_countersign_report", Some(Role::Auditor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Error as CodecError;
    use fapiao_types::ActionBodies;

    #[test]
    fn every_tag_of_the_range_is_one_action() {
        let tags: Vec<u8> = CowbankAction::SPECS.iter().map(|s| s.tag).collect();
        assert_eq!(tags, COWBANK_TAGS.collect::<Vec<_>>());
        for s in CowbankAction::SPECS {
            assert!(s.name.starts_with("cowbank_"), "{}", s.name);
            assert!(!s.keyless);
        }
        assert!(matches!(CowbankBodies.body_len(0x70, &[]), Err(CodecError::InvalidEnum(0x70))));
    }
}
