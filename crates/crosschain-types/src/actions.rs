//! The light client's actions: [`CrosschainAction`], its specs and its decoder.
//!
//! One payload per tag of `0xa0..=0xaf` (docs/formats.md §23); only `0xa0`
//! (`crosschain_relay_header`) is used. `0xb0–0xbf` and `0xc0–0xcf` are kept for the
//! finance and industry applications that build on it.

use bytes::{Buf as _, BufMut};
use commonware_codec::{Buf, Copying, Error as CodecError};
use core::ops::RangeInclusive;
use fapiao_types::{
    canonical_struct, field::Field, read_bounded_bytes, write_bytes, Action, ActionBodies,
    ActionSpec, AppAction,
};

/// The action tags the light client owns.
pub const CROSSCHAIN_TAGS: RangeInclusive<u8> = 0xa0..=0xaf;

/// Longest [`Blob`], in bytes (a certificate of 64 validators is under 4.2 KB).
pub const MAX_BLOB: usize = 16 * 1024;

/// Opaque bytes carried as they are: a varint length (at most [`MAX_BLOB`]) and the
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Blob(pub Vec<u8>);

impl Field for Blob {
    fn write_field(&self, buf: &mut impl BufMut) {
        write_bytes(&self.0, buf)
    }
    fn field_size(&self) -> usize {
        let n = self.0.len();
        commonware_codec::EncodeSize::encode_size(&n) + n
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, CodecError> {
        read_bounded_bytes(buf, MAX_BLOB).map(Blob)
    }
}

canonical_struct! {
    /// A relayer hands a registered chain's finalized header, with its finality
    /// certificate, to this chain's light client.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RelayHeader {
        /// The source chain's id text (as registered).
        pub chain: String,
        /// The header's canonical encoding (docs/formats.md §5).
        pub header: Blob,
        /// The finality blob as `GET /v1/blocks/{height}` serves it:
        /// `height (u64 BE) ‖ header digest (32) ‖ certificate`.
        pub certificate: Blob,
    }
}

/// Why an action is not one of the light client's.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotCrosschainAction {
    /// A platform action, or another application's.
    Foreign {
        /// Its name.
        name: &'static str,
    },
    /// One of its tags whose body does not decode.
    BadBody {
        /// The action's name.
        name: &'static str,
        /// What the decoder said.
        error: String,
    },
}

impl core::fmt::Display for NotCrosschainAction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Foreign { name } => write!(f, "{name} is not a cross-chain action"),
            Self::BadBody { name, error } => {
                write!(f, "the body of {name} does not decode: {error}")
            }
        }
    }
}

impl std::error::Error for NotCrosschainAction {}

/// What a light-client transaction does.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrosschainAction {
    /// Relay a certified header.
    RelayHeader(RelayHeader),
}

impl CrosschainAction {
    /// The spec of every action (tag, name, role: anyone with an account may relay).
    pub const SPECS: &'static [ActionSpec] =
        &[ActionSpec { tag: 0xa0, name: "crosschain_relay_header", role: None, keyless: false }];

    /// Its spec.
    pub fn spec(&self) -> &'static ActionSpec {
        match self {
            CrosschainAction::RelayHeader(_) => &Self::SPECS[0],
        }
    }

    /// Its one-byte tag.
    pub fn tag(&self) -> u8 {
        self.spec().tag
    }

    /// Its stable name.
    pub fn name(&self) -> &'static str {
        self.spec().name
    }

    /// Reads the payload of action `tag`.
    ///
    /// # Errors
    /// An unknown tag (`InvalidEnum`) or a malformed payload.
    pub fn read_body(tag: u8, buf: &mut impl Buf) -> Result<Self, CodecError> {
        match tag {
            0xa0 => Ok(CrosschainAction::RelayHeader(RelayHeader::read_field(buf)?)),
            t => Err(CodecError::InvalidEnum(t)),
        }
    }

    fn write_body(&self, buf: &mut impl BufMut) {
        match self {
            CrosschainAction::RelayHeader(p) => p.write_field(buf),
        }
    }

    fn body_size(&self) -> usize {
        match self {
            CrosschainAction::RelayHeader(p) => p.field_size(),
        }
    }
}

fn spec_of(tag: u8) -> Option<&'static ActionSpec> {
    CrosschainAction::SPECS.iter().find(|s| s.tag == tag)
}

impl From<CrosschainAction> for Action {
    fn from(a: CrosschainAction) -> Action {
        let mut body = Vec::with_capacity(a.body_size());
        a.write_body(&mut body);
        Action::App(AppAction::from_encoded(a.spec(), body))
    }
}

impl From<RelayHeader> for Action {
    fn from(a: RelayHeader) -> Action {
        Action::from(CrosschainAction::RelayHeader(a))
    }
}

impl TryFrom<&AppAction> for CrosschainAction {
    type Error = NotCrosschainAction;

    fn try_from(a: &AppAction) -> Result<Self, NotCrosschainAction> {
        let name = a.spec().name;
        if spec_of(a.tag()).is_none_or(|s| !core::ptr::eq(s, a.spec())) {
            return Err(NotCrosschainAction::Foreign { name });
        }
        let mut buf = Copying(a.body());
        let action = CrosschainAction::read_body(a.tag(), &mut buf)
            .map_err(|e| NotCrosschainAction::BadBody { name, error: e.to_string() })?;
        if buf.remaining() != 0 {
            return Err(NotCrosschainAction::BadBody { name, error: "trailing bytes".into() });
        }
        Ok(action)
    }
}

impl TryFrom<&Action> for CrosschainAction {
    type Error = NotCrosschainAction;

    fn try_from(a: &Action) -> Result<Self, NotCrosschainAction> {
        match a {
            Action::App(app) => CrosschainAction::try_from(app),
            other => Err(NotCrosschainAction::Foreign { name: other.name() }),
        }
    }
}

/// The decoder of the light client's action bodies ([`fapiao_types::ActionCodecs`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct CrosschainBodies;

impl ActionBodies for CrosschainBodies {
    fn tags(&self) -> RangeInclusive<u8> {
        CROSSCHAIN_TAGS
    }

    fn spec(&self, tag: u8) -> Option<&'static ActionSpec> {
        spec_of(tag)
    }

    fn body_len(&self, tag: u8, bytes: &[u8]) -> Result<usize, CodecError> {
        let mut buf = Copying(bytes);
        CrosschainAction::read_body(tag, &mut buf)?;
        Ok(bytes.len() - buf.remaining())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relay_header_is_used_and_other_tags_of_the_range_are_refused() {
        assert_eq!(CrosschainAction::SPECS.len(), 1);
        assert!(CROSSCHAIN_TAGS.contains(&CrosschainAction::SPECS[0].tag));
        assert!(matches!(CrosschainBodies.body_len(0xa1, &[]), Err(CodecError::InvalidEnum(0xa1))));
    }

    #[test]
    fn a_blob_longer_than_the_bound_does_not_decode() {
        let mut buf = Vec::new();
        write_bytes(&vec![7u8; MAX_BLOB + 1], &mut buf);
        assert!(Blob::read_field(&mut Copying(buf.as_slice())).is_err());
        let mut ok = Vec::new();
        Blob(vec![7; 3]).write_field(&mut ok);
        assert_eq!(ok, [3, 7, 7, 7]);
        assert_eq!(Blob(vec![7; 3]).field_size(), 4);
    }
}
