//! The industry chain's actions: [`IndustryAction`], its specs and its decoder.
//!
//! Each action is one payload under one tag of `0xc0..=0xcf` of the action envelope
//! (docs/formats.md §26.1). [`IndustryBodies`] decodes a body fully, so a malformed
//! payload (a bad USCC, a month that is not one) makes its transaction undecodable.

use crate::Metric;
use bytes::{Buf as _, BufMut};
use commonware_codec::{Buf, Copying, Error as CodecError};
use core::ops::RangeInclusive;
use fapiao_types::{
    canonical_struct, field::Field, Action, ActionBodies, ActionSpec, AppAction, Role,
};
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

/// Why an action is not an industry action.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotIndustryAction {
    /// A platform action, or another application's.
    Foreign {
        /// Its name.
        name: &'static str,
    },
    /// An industry tag whose body does not decode (only an `AppAction` built by hand can
    /// carry one).
    BadBody {
        /// The action's name.
        name: &'static str,
        /// What the decoder said.
        error: String,
    },
}

impl core::fmt::Display for NotIndustryAction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Foreign { name } => write!(f, "{name} is not an industry action"),
            Self::BadBody { name, error } => {
                write!(f, "the body of {name} does not decode: {error}")
            }
        }
    }
}

impl std::error::Error for NotIndustryAction {}

macro_rules! industry_actions {
    ($( $(#[$m:meta])* $variant:ident($payload:ty) = $tag:expr, $name:expr, $role:expr; )*) => {
        /// What an industry transaction does: the payload of one tag. In JSON (the API's
        /// `POST /v1/industry/actions`, the CLI) it is the payload's fields beside
        /// `"action": "<name without industry_>"`.
        #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "action", rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum IndustryAction {
            $( $(#[$m])* $variant($payload), )*
        }

        impl IndustryAction {
            /// The spec of every action (tag, name, role), in tag order.
            pub const SPECS: &'static [ActionSpec] = &[
                $( ActionSpec { tag: $tag, name: $name, role: $role, keyless: false }, )*
            ];

            /// Its spec.
            pub fn spec(&self) -> &'static ActionSpec {
                spec_of(self.tag()).expect("every variant has a row in SPECS")
            }

            /// Its one-byte tag.
            pub fn tag(&self) -> u8 {
                match self {
                    $( IndustryAction::$variant(_) => $tag, )*
                }
            }

            /// Its stable name.
            pub fn name(&self) -> &'static str {
                self.spec().name
            }

            /// Appends the canonical encoding of the payload (without the tag).
            pub fn write_body(&self, buf: &mut impl BufMut) {
                match self {
                    $( IndustryAction::$variant(p) => Field::write_field(p, buf), )*
                }
            }

            /// Length of the payload's encoding (without the tag).
            pub fn body_size(&self) -> usize {
                match self {
                    $( IndustryAction::$variant(p) => Field::field_size(p), )*
                }
            }

            /// Reads the payload of action `tag`, checking every bound and range.
            ///
            /// # Errors
            /// An unknown tag (`InvalidEnum`) or a malformed payload.
            pub fn read_body(tag: u8, buf: &mut impl Buf) -> Result<Self, CodecError> {
                match tag {
                    $( $tag => Ok(IndustryAction::$variant(<$payload as Field>::read_field(buf)?)), )*
                    t => Err(CodecError::InvalidEnum(t)),
                }
            }
        }
    };
}

fn spec_of(tag: u8) -> Option<&'static ActionSpec> {
    IndustryAction::SPECS.iter().find(|s| s.tag == tag)
}

const ATTESTER: Option<Role> = Some(Role::IndustryAttester);

industry_actions! {
    /// Register an enterprise of the park (the park operator).
    RegisterEnterprise(RegisterEnterprise) = 0xc0, "industry_register_enterprise", ATTESTER;
    /// Attest a month's figure.
    Attest(Attest) = 0xc1, "industry_attest", ATTESTER;
    /// Correct a figure.
    Correct(Correct) = 0xc2, "industry_correct", ATTESTER;
}

impl From<IndustryAction> for Action {
    fn from(a: IndustryAction) -> Action {
        let mut body = Vec::with_capacity(a.body_size());
        a.write_body(&mut body);
        Action::App(AppAction::from_encoded(a.spec(), body))
    }
}

impl TryFrom<&AppAction> for IndustryAction {
    type Error = NotIndustryAction;

    fn try_from(a: &AppAction) -> Result<Self, NotIndustryAction> {
        let name = a.spec().name;
        if spec_of(a.tag()).is_none_or(|s| !core::ptr::eq(s, a.spec())) {
            return Err(NotIndustryAction::Foreign { name });
        }
        let mut buf = Copying(a.body());
        let action = IndustryAction::read_body(a.tag(), &mut buf)
            .map_err(|e| NotIndustryAction::BadBody { name, error: e.to_string() })?;
        if buf.remaining() != 0 {
            return Err(NotIndustryAction::BadBody { name, error: "trailing bytes".into() });
        }
        Ok(action)
    }
}

impl TryFrom<&Action> for IndustryAction {
    type Error = NotIndustryAction;

    fn try_from(a: &Action) -> Result<Self, NotIndustryAction> {
        match a {
            Action::App(app) => IndustryAction::try_from(app),
            other => Err(NotIndustryAction::Foreign { name: other.name() }),
        }
    }
}

/// The decoder of the industry application's action bodies, for the codec configuration
/// ([`fapiao_types::ActionCodecs`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct IndustryBodies;

impl ActionBodies for IndustryBodies {
    fn tags(&self) -> RangeInclusive<u8> {
        INDUSTRY_TAGS
    }

    fn spec(&self, tag: u8) -> Option<&'static ActionSpec> {
        spec_of(tag)
    }

    fn body_len(&self, tag: u8, bytes: &[u8]) -> Result<usize, CodecError> {
        let mut buf = Copying(bytes);
        IndustryAction::read_body(tag, &mut buf)?;
        Ok(bytes.len() - buf.remaining())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
