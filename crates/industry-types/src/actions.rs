//! The industry chain's actions: [`IndustryAction`], its specs and its decoder.
//!
//! Each action is one payload under one tag of `0xc0..=0xcf` of the action envelope
//! (docs/formats.md §26.1). [`IndustryBodies`] decodes a body fully, so a malformed
//! payload (a bad USCC, a month that is not one) makes its transaction undecodable.

use crate::Metric;
use core::ops::RangeInclusive;
use fapiao_types::{canonical_struct, Role};
use fapiao_values::{Month, Uscc};

/// The action tags the industry application owns.
pub const INDUSTRY_TAGS: RangeInclusive<u8> = 0xc0..=0xcf;

canonical_struct! {
    /// The park operator records an enterprise of the park.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RegisterEnterprise {
        /// Its unified social credit code.
        pub uscc: Uscc,
        /// Its registered name.
        pub name: String,
    }
}

canonical_struct! {
    /// An attester records one ended month's figure of one metric for an enterprise.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Attest {
        /// The enterprise.
        pub uscc: Uscc,
        /// The month (ended before the block's date), `yyyy-mm` in JSON.
        pub month: Month,
        /// What is measured (the attester's kind must match it).
        pub metric: Metric,
        /// The figure (kWh, people, tonnes), at most 10¹⁵.
        pub value: u64,
    }
}

canonical_struct! {
    /// The attester of a figure corrects it, with a reason; the old value is kept.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Correct {
        /// The enterprise.
        pub uscc: Uscc,
        /// The month.
        pub month: Month,
        /// The metric.
        pub metric: Metric,
        /// The corrected figure.
        pub value: u64,
        /// Why.
        pub reason: String,
    }
}

/// Why an action is not one of the industry application's.
pub type NotIndustryAction = fapiao_types::NotAppAction;

const ATTESTER: Option<Role> = Some(Role::IndustryAttester);

fapiao_types::app_actions! {
    app: "industry", tags: INDUSTRY_TAGS, keyless: fapiao_types::no_keyless,
    /// What an industry transaction does: the payload of one tag. In JSON (the API's
    /// `POST /v1/industry/actions`, the CLI) it is the payload's fields beside
    /// `"action": "<name without industry_>"`.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(tag = "action", rename_all = "snake_case")]
    pub enum IndustryAction;
    /// The decoder of the industry application's action bodies, for the codec configuration
    /// ([`fapiao_types::ActionCodecs`]).
    pub struct IndustryBodies;
    actions {
        /// Register an enterprise of the park (the park operator).
        RegisterEnterprise(RegisterEnterprise) = 0xc0, "industry_register_enterprise", ATTESTER;
        /// Attest a month's figure.
        Attest(Attest) = 0xc1, "industry_attest", ATTESTER;
        /// Correct a figure.
        Correct(Correct) = 0xc2, "industry_correct", ATTESTER;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Error as CodecError;
    use fapiao_types::ActionBodies;

    #[test]
    fn the_actions_are_the_first_tags_of_the_range() {
        for (i, s) in IndustryAction::SPECS.iter().enumerate() {
            assert_eq!(usize::from(s.tag), 0xc0 + i);
            assert!(s.name.starts_with("industry_"), "{}", s.name);
            assert!(INDUSTRY_TAGS.contains(&s.tag));
        }
        assert!(matches!(IndustryBodies.body_len(0xcf, &[]), Err(CodecError::InvalidEnum(0xcf))));
    }
}
